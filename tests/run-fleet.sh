#!/bin/bash
# Fleets: evidence that names its hosts (node= of auditd's remote plugin, the
# syslog host, complete per-host counts) and aaprof merge with quorum,
# including JSON written by anyone (it must never become policy text).
# The journal over the network: run-fleet-journal.sh.
set -u
SUITE=fleet
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(dirname "$HERE")
. "$HERE/lib.sh"
A=${AAPROF:-$TOP/build/aaprof}
D=$TOP/tests/data/fleet
export TZ=UTC AAPROF_NOW=1763800000 AAPROF_STATE_DIR=$T/state AAPROF_HOSTNAME=harvester
cd "$D"

# jq-like reads of the JSON: py EXPR FILE prints EXPR of d (the document)
py() { python3 -c "import json, sys; d = json.load(open(sys.argv[1])); v = ($1); print(v)" "$2"; }
# the hosts of a rule: "host:count ..." of the rule whose text is $1
hosts_of() { py "' '.join('%s:%d' % (h['host'], h['count']) for r in d['rules'] if r['rule'] == '$1' for h in r['hosts'])" "$2"; }

# --- node=: the host of each record of a central audit.log
ok "harvest a node= log of three hosts" "$A" harvest -f nodes.log --no-generalise --format json web
cp "$T/out" "$T/all.json"
assert "schema 1" "[ \"\$(py 'd[\"schema\"]' $T/all.json)\" = 1 ]"
assert "node=: per-host counts of one rule (3, 4, 5 records), none lost" \
	"[ \"\$(hosts_of 'owner /etc/web/app.conf r,' $T/all.json)\" = 'alpha:3 beta:4 gamma:5' ]"
assert "node=: the rule's count is the sum" \
	"[ \"\$(py '[r[\"count\"] for r in d[\"rules\"] if r[\"rule\"] == \"owner /etc/web/app.conf r,\"][0]' $T/all.json)\" = 12 ]"
assert "node=: per host, the permissions its records needed" \
	"[ \"\$(py '[\"\".join(h[\"permissions\"]) for r in d[\"rules\"] if \"data.db\" in r[\"rule\"] for h in r[\"hosts\"]]' $T/all.json)\" = \"['rw', 'rw', 'r']\" ]"
assert "node=: a USER_AVC and a node= prefix on a syslog line are no evidence" \
	"! grep -q /etc/forged $T/all.json && grep -q 'not written by the kernel' $T/err"
assert "sources: the log with its lines and records" \
	"[ \"\$(py 'd[\"sources\"][0][\"path\"], d[\"sources\"][0][\"lines\"], d[\"sources\"][0][\"apparmor_records\"]' $T/all.json)\" = \"('nodes.log', 22, 22)\" ]"
ok "--node beta" "$A" harvest -q -f nodes.log --no-generalise --format json --node beta web
assert "--node beta: beta's rules only, beta's counts" \
	"[ \"\$(hosts_of 'owner /etc/web/app.conf r,' $T/out)\" = 'beta:4' ] && ! grep -q 'gamma\\|alpha\\|capability' $T/out"
ok "--node alpha --node gamma" "$A" harvest -q -f nodes.log --no-generalise --format json --node alpha --node gamma web
assert "--node twice: both hosts" \
	"[ \"\$(hosts_of 'capability net_bind_service,' $T/out)\" = 'alpha:1 gamma:1' ] && grep -q gamma-only $T/out && ! grep -q '\"beta\"' $T/out"
ok "--node of a host not in the log: no rule" "$A" harvest -q -f nodes.log --no-generalise --format rules --node delta web
assert "--node delta: nothing" "[ ! -s $T/out ]"
fails 2 "--node with a blank is a usage error" "$A" harvest -f nodes.log --node 'a b' web
AAPROF_NO_CACHE=1 "$A" harvest -q -f nodes.log --no-generalise --format json web > "$T/nocache.json" 2>/dev/null
assert "node=: the cache of repeated records keeps hosts apart (same as a full parse)" "cmp -s $T/all.json $T/nocache.json"
for j in 2 3; do
	AAPROF_CHUNK=700 "$A" harvest -q -j $j -f nodes.log --no-generalise --format json web > "$T/j$j.json" 2>/dev/null
	assert "node=: the same with $j threads" "cmp -s $T/all.json $T/j$j.json"
done

# --- the syslog host (rsyslog forwarding); complete counts of comms and pids
ok "harvest a syslog of two hosts" "$A" harvest -q -f syslog.log --no-generalise --format json web
cp "$T/out" "$T/sys.json"
assert "syslog: per-host counts" "[ \"\$(hosts_of '/srv/shared r,' $T/sys.json)\" = 'web1:10 web2:10' ]"
assert "comms: all six commands, each counted (they were capped at 4)" \
	"[ \"\$(py 'sum(c[\"count\"] for r in d[\"rules\"] for c in r[\"comms\"]), len(d[\"rules\"][0][\"comms\"])' $T/sys.json)\" = '(20, 6)' ]"
assert "pids: a bounded list that says how many records it leaves out" \
	"[ \"\$(py 'len(d[\"rules\"][0][\"pids\"]), d[\"rules\"][0][\"pids_left_out\"]' $T/sys.json)\" = '(16, 4)' ]"
assert "syslog: a user-space tag naming a host is no evidence" "! grep -q /srv/forged $T/sys.json"
ok "--node web2 in a syslog" "$A" harvest -q -f syslog.log --no-generalise --format json --node web2 web
assert "--node web2: web2's 10 records" "[ \"\$(hosts_of '/srv/shared r,' $T/out)\" = 'web2:10' ]"
ok "a local log names no host: this machine's" "$A" harvest -q -f local.log --no-generalise --format json web
assert "no host in the line: the harvesting machine" "[ \"\$(hosts_of '/srv/local r,' $T/out)\" = 'harvester:1' ]"

# --- aaprof merge with quorum
for n in alpha beta gamma; do
	"$A" harvest -q -f nodes.log --no-generalise --format json --node $n web > "$T/$n.json" 2>/dev/null
done
fails 9 "merge --quorum 2: exit 9, a rule was held below the quorum" "$A" merge --quorum 2 "$T/alpha.json" "$T/beta.json" "$T/gamma.json"
cp "$T/out" "$T/q2.rules"
assert "quorum 2: the rules seen on 2 or 3 hosts" \
	"grep -qx '  owner /etc/web/app.conf r,' $T/q2.rules && grep -qx '  owner /var/lib/web/data.db rw,' $T/q2.rules && grep -qx '  capability net_bind_service,' $T/q2.rules"
assert "quorum 2: the rule of one host is not written, but listed with its host" \
	"! grep -q gamma-only $T/q2.rules && grep -q 'owner /tmp/gamma-only w,' $T/err && grep -q 'seen on 1 of 3 hosts: gamma' $T/err"
fails 9 "merge of the central harvest" "$A" merge -q --quorum 2 "$T/all.json"
assert "the central harvest merges as its per-host files do" "cmp -s $T/out $T/q2.rules"
fails 9 "merge --quorum 100%" "$A" merge --quorum 100% "$T/all.json"
assert "100%: each permission on its own (w of data.db was needed on 2 of 3 hosts)" \
	"grep -qx '  owner /var/lib/web/data.db r,' $T/out && grep -q 'owner /var/lib/web/data.db w,' $T/err && grep -q 'seen on 2 of 3 hosts: alpha, beta' $T/err"
ok "merge, any host (default)" "$A" merge -q "$T/all.json"
assert "default quorum: every rule" "grep -q gamma-only $T/out"
"$A" harvest -q -f nodes.log --no-generalise --format json web 2> /dev/null | "$A" merge -q --quorum 2 - > "$T/out" 2> "$T/err"
rc=$?
assert "a harvest piped into merge - (standard input)" "[ $rc = 9 ] && cmp -s $T/out $T/q2.rules"
mkdir "$T/dir" && cp "$T/alpha.json" "$T/beta.json" "$T/gamma.json" "$T/dir/"
fails 9 "merge DIR" "$A" merge -q --quorum 2 "$T/dir"
assert "a directory is its *.json files" "cmp -s $T/out $T/q2.rules"
fails 9 "merge --format json" "$A" merge -q --quorum 2 --format json "$T/dir"
assert "json: coverage seen on N of M hosts, below_quorum with its hosts" \
	"grep -q '\"coverage\":\"seen on 3 of 3 hosts\"' $T/out && [ \"\$(py 'd[\"below_quorum\"][0][\"hosts\"], d[\"quorum\"], d[\"hosts_total\"]' $T/out)\" = \"(['gamma'], 2, 3)\" ]"
mkdir "$T/pd"
fails 9 "merge --format profile" "$A" merge -q --quorum 2 --format profile --name web --profile-dir "$T/pd" "$T/dir"
cp "$T/out" "$T/web.profile"
assert "profile: the rules in the marked section" \
	"sed -n '/BEGIN aaprof harvested/,/END aaprof harvested/p' $T/web.profile | grep -q 'owner /var/lib/web/data.db rw,'"
ok "profile: apparmor_parser -QK compiles it" apparmor_parser -QK "$T/web.profile"
fails 2 "--quorum 0 is a usage error" "$A" merge --quorum 0 "$T/all.json"
fails 2 "--quorum 101% is a usage error" "$A" merge --quorum 101% "$T/all.json"
fails 2 "merge without input is a usage error" "$A" merge

# --- hostile JSON: clear errors, nothing written, never policy text
# mutate NAME PYTHON: all.json changed by PYTHON (on d), as $T/NAME.json
mutate() { python3 -c "import json, sys; d = json.load(open(sys.argv[1])); r = d['rules']; $2; json.dump(d, open(sys.argv[2], 'w'))" "$T/all.json" "$T/$1.json"; }
refused() {   # refused NAME MESSAGE: merge of $T/NAME.json fails, saying MESSAGE
	fails 1 "hostile: $1 is refused" "$A" merge "$T/$1.json"
	if grep -qF -- "$2" "$T/err" && [ ! -s "$T/out" ]; then pass "hostile: $1: says '$2', writes nothing"
	else fail "hostile: $1: says '$2', writes nothing" "$(cat "$T/err" "$T/out")"; fi
}
printf '{"schema":1,"rules":[' > "$T/trunc.json"; refused trunc "not JSON"
echo '[1,2]' > "$T/array.json"; refused array 'no "schema"'
mutate schema2 'd["schema"] = 2'; refused schema2 "schema 2"
mutate newline 'r[1]["fields"]["path"] = "/etc/web/app.conf r,\n/** rwx"'; refused newline "control character"
mutate comma 'r[1]["fields"]["path"] = "/x r, /**"; r[1]["rule"] = "owner /x r, /** r,"'; refused comma "in an unquoted value"
mutate text 'r[1]["rule"] = "/** rwlkmix,"'; refused text "is not the rule its fields make"
mutate brace 'r[1]["fields"]["path"] = "/etc/{a"'; refused brace "unbalanced braces"
mutate quote 'r[1]["fields"]["path"] = "\"/etc/a\" r, /** r, \"/b\""'; refused quote "one quoted string"
mutate perm 'r[1]["permissions"] = ["r", "Ux"]'; refused perm "bad file permissions"
mutate class 'r[1]["class"] = "kept"'; refused class "unknown rule class"
mutate host 'r[1]["hosts"][0]["host"] = "a\nb"'; refused host "control character"
mutate nohosts 'del r[1]["hosts"]'; refused nohosts 'no "hosts" list'
mutate hostperm 'r[1]["hosts"][0]["permissions"] = ["w"]'; refused hostperm "permissions the rule has not"
mutate child 'r[1]["child"] = "//x"'; refused child "child"
mutate capword 'r[0]["fields"]["capability"] = "sys_admin,"; r[0]["rule"] = "capability sys_admin,,"'; refused capword "cannot contain ','"
python3 -c 'print("[" * 100000 + "]" * 100000)' > "$T/deep.json"; refused deep "not JSON"
mutate sysadmin 'r[0]["fields"]["capability"] = "sys_admin"; r[0]["rule"] = "capability sys_admin,"'
fails 4 "hostile: a dangerous capability is held back as harvest holds it" "$A" merge "$T/sysadmin.json"
assert "hostile: sys_admin listed, not written" "! grep -q sys_admin $T/out && grep -q 'dangerous: capability sys_admin' $T/err"
mutate glob 'r[1]["fields"]["path"] = "/etc/**"; r[1]["rule"] = "owner /etc/** r,"'
fails 4 "hostile: a path pattern that reaches a dangerous path is held back" "$A" merge "$T/glob.json"
assert "hostile: /etc/** not written" "! grep -q '/etc/\\*\\*' $T/out && grep -q 'dangerous' $T/err"
mutate unconfined 'r[0] = {"profile": "web", "class": "change_profile", "rule": "change_profile -> unconfined,", "fields": {"target": "unconfined"}, "permissions": [], "hosts": [{"host": "alpha", "count": 1}]}'
refused unconfined "never writes a way out of confinement"
mutate unconfprof 'r[0]["profile"] = "unconfined"'; refused unconfprof "no profile aaprof writes rules for"
fails 1 "hostile: change_profile to unconfined is refused even with --allow-dangerous" "$A" merge --allow-dangerous "$T/unconfined.json"

# --- the JSON of every bundled log, merged on its own, gives harvest's own rules:
# the structured fields rebuild every rule of every class exactly
for f in "$TOP"/tests/data/field/*.log "$TOP"/tests/data/harvest/*.log "$TOP"/tests/data/forged/*.log; do
	"$A" harvest -q -f "$f" --allow-dangerous --rules-dir "$TOP/rules" --format json > "$T/rt.json" 2> /dev/null
	"$A" harvest -q -f "$f" --allow-dangerous --rules-dir "$TOP/rules" --format rules > "$T/rt.rules" 2> /dev/null
	"$A" merge -q --allow-dangerous --rules-dir "$TOP/rules" "$T/rt.json" > "$T/rt.merged" 2> "$T/rt.err"
	if cmp -s "$T/rt.rules" "$T/rt.merged"; then pass "round trip: $(basename "$f")"
	else fail "round trip: $(basename "$f")" "$(diff "$T/rt.rules" "$T/rt.merged" | head -10)" "$(head -3 "$T/rt.err")"; fi
done

fails 1 "one bad input among good ones: nothing merged" "$A" merge "$T/alpha.json" "$T/text.json"
assert "one bad input: nothing on standard output" "[ ! -s $T/out ] && grep -q 'nothing merged' $T/err"

# a record whose mount options hold "x=, y" (a mangled flags= the fuzzer made):
# the JSON writer's field splitter once stopped at the comma for ever
rec=$TOP/tests/fuzz/regressions/fuzz-record/rulefields-comma-in-group
fails 4 "a group item followed by a comma: --format json ends (no endless loop)" \
	timeout 20 "$A" harvest -q -f "$rec" --no-generalise --format json
assert "a group item followed by a comma: the option is a field" \
	"grep -q '\"nosuidperation\":\"\"' $T/out"

finish
