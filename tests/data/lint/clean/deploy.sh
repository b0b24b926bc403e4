#!/bin/sh
# deploy.sh - each container under its own AppArmor profile, developed with aaprof
set -eu
IMAGE=registry.example.com/web:3.0

aaprof load --enforce web
docker run -d --name web \
	--security-opt apparmor=web \
	--security-opt seccomp=/etc/docker/seccomp/web.json \
	--security-opt no-new-privileges \
	--cap-drop ALL --cap-add NET_BIND_SERVICE \
	--read-only --tmpfs /tmp \
	"$IMAGE"

# --privileged is never used here; label=disable neither
echo "never: docker run --privileged"
docker run --rm --privileged=false "$IMAGE" selftest
docker run --rm "$IMAGE" sh -c 'ps --pid=host || true'
podman run --rm --pid=container:web --ipc=private "$IMAGE" top
