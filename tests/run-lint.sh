#!/bin/bash
# aaprof lint: the wrong moves (--privileged, apparmor=unconfined,
# seccomp=unconfined, label=disable, ...) found at their exact FILE:LINE:COL
# in real-world shaped scripts, Makefiles, CI files, documentation, Compose
# files and Kubernetes manifests (tests/data/lint/bad/NAME.expected: one
# "LINE:COL SEVERITY RULE" per finding), nothing in the clean ones, the exit
# codes, JSON, hostile input; and aaprof render --k8s.
set -u
SUITE=lint
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(dirname "$HERE")
. "$HERE/lib.sh"
A=${AAPROF:-$TOP/build/aaprof}
D=$HERE/data/lint

# findings of the text output as "LINE:COL SEVERITY RULE"
findings() {
	sed -n 's/^.*:\([0-9][0-9]*\):\([0-9][0-9]*\): \(error\|warning\): .* \[\([a-z-]*\)\]$/\1:\2 \3 \4/p' "$@"
}

for f in "$D"/bad/*; do
	case $f in *.expected) continue ;; esac
	n=${f##*/}
	fails 9 "bad $n: exit 9" "$A" lint "$f"
	findings "$T/out" > "$T/got"
	if diff -u "$f.expected" "$T/got" > "$T/diff"; then pass "bad $n: findings"
	else fail "bad $n: findings" "$(cat "$T/diff")"; fi
	# every finding has its advice, which never suggests unconfined or privileged
	assert "bad $n: advice" '[ "$(grep -c "^    instead: " "$T/out")" -eq "$(wc -l < "$T/got")" ] &&
		! grep "^    instead: " "$T/out" | grep -qiE "unconfined|privileged"'
done

for f in "$D"/clean/*; do
	ok "clean ${f##*/}: exit 0" "$A" lint "$f"
	assert "clean ${f##*/}: no output" '[ ! -s "$T/out" ] && [ ! -s "$T/err" ]'
done

# the advice names the container's own profile
"$A" lint "$D/bad/deploy.sh" > "$T/out" 2>&1
assert "advice names --name" 'grep -A1 "^.*deploy.sh:18:22:" "$T/out" | grep -q "aaprof render ingest-fuse -o ingest-fuse.profile.*--security-opt apparmor=ingest-fuse.*aaprof enforce --quiet-for 24h ingest-fuse"'
"$A" lint "$D/bad/k8s-workloads.yaml" > "$T/out" 2>&1
assert "k8s advice: Localhost" 'grep -A1 ":46:15:" "$T/out" | grep -q "appArmorProfile {type: Localhost, localhostProfile: api}"'
assert "k8s annotation advice: the field" 'grep -A1 ":34:9:" "$T/out" | grep -q "localhost/api. is appArmorProfile {type: Localhost, localhostProfile: api}"'
"$A" lint "$D/bad/docker-compose.yml" > "$T/out" 2>&1
assert "compose advice: seccomp" 'grep -A1 ":23:9:" "$T/out" | grep -q "Docker.s default profile.*add only the one system call"'
assert "summary on stderr" 'grep -qx "aaprof lint: 6 errors, 2 warnings" "$T/out"'

# malformed YAML: its line, exit 1; the other files are still reported
fails 1 "malformed: exit 1" "$A" lint "$D/malformed/broken.yaml"
assert "malformed: line and column" 'grep -q "broken.yaml.: malformed YAML: line 9, column 1: did not find expected" "$T/err"'
fails 1 "malformed and bad: exit 1" "$A" lint "$D/malformed/broken.yaml" "$D/bad/pod.json"
assert "malformed and bad: findings kept" '[ "$(findings "$T/out" | wc -l)" -eq 2 ]'
fails 1 "missing file: exit 1" "$A" lint "$T/nonexistent.sh"
assert "missing file: message" 'grep -q "cannot open .*nonexistent.sh" "$T/err"'
fails 1 "directory: exit 1" "$A" lint "$D"
# a shell script that is no YAML is read as text; a .yaml name must parse
printf 'docker run --privileged img\nfoo: [\n' > "$T/script"
fails 9 "not YAML, not named so: text" "$A" lint "$T/script"
cp "$T/script" "$T/script.yaml"
fails 1 "not YAML, named .yaml: malformed" "$A" lint "$T/script.yaml"

# --kind forces the reading: Helm values are neither Compose nor a manifest
cat > "$T/values.yaml" <<'V'
securityContext:
  privileged: true
  seccompProfile: {type: Unconfined}
V
ok "helm values: auto is text" "$A" lint "$T/values.yaml"
fails 9 "helm values: --kind kubernetes" "$A" lint --kind kubernetes "$T/values.yaml"
assert "helm values: two findings" '[ "$(findings "$T/out" | tr "\n" ,)" = "2:3 error privileged,3:20 error seccomp-unconfined," ]'
ok "compose read as shell: nothing" "$A" lint --kind shell "$D/bad/docker-compose.yml"
fails 9 "stdin" "$A" lint --kind compose - < "$D/bad/docker-compose.yml"
assert "stdin: named -" 'grep -q "^-:3:3: error: privileged: true" "$T/out"'

# JSON: the same findings, parseable, with a summary
fails 9 "json: exit 9" "$A" lint --format json "$D/bad/deploy.sh" "$D/bad/pod.json"
python3 - "$T/out" > "$T/got" 2>&1 <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for f in d["findings"]:
    print(f["file"].rsplit("/", 1)[1], f["line"], f["column"], f["severity"], f["rule"], f["kind"], f["match"])
s = d["summary"]
print(s["files"], s["unreadable"], s["errors"], s["warnings"])
PY
assert "json: findings" 'sed -n "3p;8p;9p;10p" "$T/got" | tr "\n" "|" | grep -qx "deploy.sh 18 22 error apparmor-unconfined shell --security-opt \"apparmor=unconfined\"|pod.json 6 5 warning host-ipc kubernetes hostIPC: true|pod.json 11 29 error privileged kubernetes privileged: true|2 0 6 3|"'
ok "json: clean" "$A" lint --format json "$D/clean/deploy.sh"
assert "json: clean is empty" 'python3 -c "import json,sys; d=json.load(open(sys.argv[1])); sys.exit(d[\"findings\"] != [] or d[\"summary\"][\"errors\"] != 0)" "$T/out"'

# usage
fails 2 "no file" "$A" lint
fails 2 "bad --format" "$A" lint --format xml "$D/clean/deploy.sh"
fails 2 "bad --kind" "$A" lint --kind helm "$D/clean/deploy.sh"
ok "help" "$A" lint --help
assert "listed in aaprof --help" '"$A" --help | grep -q "^  lint "'

# hostile input
python3 - "$T" <<'PY'
import sys
t = sys.argv[1]
# billion laughs: 10^29 expansions of one privileged: true
l = ["apiVersion: v1", "kind: ConfigMap", "a0: &a0 {securityContext: {privileged: true}}"]
l += ["a%d: &a%d [%s]" % (i, i, ",".join(["*a%d" % (i - 1)] * 10)) for i in range(1, 30)]
open(t + "/bomb.yaml", "w").write("\n".join(l) + "\n")
# a chain of aliases each one deeper than the last
l = ["apiVersion: v1", "kind: x", "a0: &a0 {privileged: true}"]
l += ["a%d: &a%d [*a%d]" % (i, i, i - 1) for i in range(1, 3000)]
open(t + "/chain.yaml", "w").write("\n".join(l) + "\n")
open(t + "/deep.yaml", "w").write("apiVersion: v1\nkind: x\nd: " + "[" * 100000 + "]" * 100000 + "\n")
open(t + "/huge.sh", "w").write("docker run " + "-e X=1 " * 1000000 + "--privileged img\n")
open(t + "/many.sh", "w").write("docker run --privileged x\n" * 5000)
open(t + "/bin.sh", "wb").write(b"docker run --privileged img\n\0\x7fELF")
open(t + "/esc.sh", "wb").write(b"docker run --name 'a\x1b[2Jb' --security-opt 'apparmor=unconfined' img\n")
open(t + "/esc.yaml", "wb").write(b"services:\n  w:\n    security_opt: [\"label=disable\"]\n    privileged: \"on\"\n"
    b"  \"\\e]0;x\\a\":\n    cap_add: [ALL]\n")
open(t + "/esc\x1b[31m.sh", "w").write("docker run --privileged img\n")
PY
fails 1 "alias bomb: refused" timeout 20 "$A" lint "$T/bomb.yaml"
assert "alias bomb: message" 'grep -q "more than 200000 nodes to visit" "$T/err"'
fails 1 "alias chain: refused" timeout 20 "$A" lint "$T/chain.yaml"
assert "alias chain: message" 'grep -q "nested deeper than 512 through aliases" "$T/err"'
fails 1 "deep nesting: refused" timeout 20 "$A" lint "$T/deep.yaml"
assert "deep nesting: message" 'grep -q "line 3, column 259: nested too deeply" "$T/err"'
fails 9 "huge line" timeout 20 "$A" lint "$T/huge.sh"
assert "huge line: column" 'findings "$T/out" | grep -qx "1:7000012 error privileged"'
fails 9 "many findings: capped" timeout 20 "$A" lint "$T/many.sh"
assert "many findings: 1000 and a warning" '[ "$(findings "$T/out" | wc -l)" -eq 1000 ] && grep -q "more than 1000 findings" "$T/err"'
ok "binary: skipped" "$A" lint "$T/bin.sh"
assert "binary: said so" 'grep -q "binary file, not scanned" "$T/err"'
fails 9 "escapes: shell" "$A" lint "$T/esc.sh" "$T/esc.yaml" "$T/esc"$'\e'"[31m.sh"
assert "escapes: no control character" '! grep -q $'"'"'[\x01-\x08\x0b-\x1f\x7f]'"'"' "$T/out" "$T/err"'
assert "escapes: shown escaped" 'grep -q "esc\\\\e\[31m.sh:1:12: error" "$T/out" && grep -q "instead: keep SELinux" "$T/out"'
assert "escapes: name not a profile name" 'grep -A1 "esc.sh:1:28:" "$T/out" | grep -q "aaprof render APP"'
fails 9 "escapes: json" "$A" lint --format json "$T/esc.yaml" "$T/esc"$'\e'"[31m.sh"
assert "escapes: json valid, escaped" 'python3 -c "import json,sys; d=json.load(open(sys.argv[1])); sys.exit(not any(f[\"file\"].endswith(\"esc\\\\e[31m.sh\") for f in d[\"findings\"]))" "$T/out"'

# aaprof render --k8s: the snippet only
ok "render --k8s" "$A" render --k8s web
assert "render --k8s: snippet" '[ "$(cat "$T/out")" = "$(printf "securityContext:\n  appArmorProfile:\n    type: Localhost\n    localhostProfile: web")" ]'
fails 2 "render --k8s: bad name" "$A" render --k8s 'a: b'
fails 2 "render --k8s: other options" "$A" render --k8s -m enforce web
ok "render without --k8s: a profile" "$A" render web
assert "render without --k8s: unchanged" 'grep -q "^profile web flags=(attach_disconnected,mediate_deleted,complain) {" "$T/out"'
finish
