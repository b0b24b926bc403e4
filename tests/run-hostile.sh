#!/bin/bash
# Hostile records through harvest, judged by apparmor_parser (tests/hostile.py).
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
W=$(mktemp -d "${TMPDIR:-/tmp}/aaprof-hostile.XXXXXX")
trap 'rm -rf "$W"' EXIT
python3 "$HERE/hostile.py" "${AAPROF:-$(dirname "$HERE")/build/aaprof}" "$W"
