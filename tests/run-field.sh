#!/bin/bash
# The field corpus (tests/data/field/*.log: real AppArmor log lines from public
# sources, see SOURCES.md) through aaprof harvest. For each file: no crash
# (exit 0 or 4, never a signal), every line holding apparmor= counted in the
# summary as a record and every record given an outcome, the rules equal to
# FILE.expected (UPDATE=1 rewrites them), and for each profile the log names,
# the --format profile output (with and without --allow-dangerous) compiles
# with apparmor_parser -QK. The failures listed in KNOWN-ISSUES.md are
# expected: a listed case that passes fails the suite as an unexpected pass
# (remove its row), an unlisted failure fails it as a regression.
set -u
SUITE=field
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(dirname "$HERE")
. "$HERE/lib.sh"
A=${AAPROF:-$TOP/build/aaprof}
D=$TOP/tests/data/field
export TZ=UTC AAPROF_NOW=1763800000 AAPROF_STATE_DIR=$T/state   # 2025-11-22T08:26:40Z
mkdir -p "$T/empty" "$T/prof"
cd "$D"

# the expected failures: the table rows of KNOWN-ISSUES.md,
# | check | file | `subject` | what goes wrong | item |
awk -F'|' '/^\| *(crash|count|profile|profile-dangerous) *\|/ {
	for (i = 2; i <= 4; i++) { gsub(/^ +| +$/, "", $i); gsub(/`/, "", $i) }
	print $2 "\t" $3 "\t" $4 }' KNOWN-ISSUES.md > "$T/known"
: > "$T/seen"

# check CHECK FILE SUBJECT OK(0/1) DETAIL...: pass, fail, known failure or unexpected pass
check() {
	local what=$1 f=$2 subj=$3 good=$4 key; shift 4
	key=$(printf '%s\t%s\t%s' "$what" "$f" "$subj")
	if grep -qxF -- "$key" "$T/known"; then
		printf '%s\n' "$key" >> "$T/seen"
		if [ "$good" = 1 ]; then
			fail "$what: $f: $subj" "unexpected pass: remove its row from tests/data/field/KNOWN-ISSUES.md"
		else
			pass "$what: $f: $subj (known failure)"
		fi
	elif [ "$good" = 1 ]; then
		pass "$what: $f: $subj"
	else
		fail "$what: $f: $subj" "$@"
	fi
}

# exited RC: 0 or 4 (dangerous rules held back); a signal or anything else is a crash
exited() { [ "$1" -eq 0 ] || [ "$1" -eq 4 ]; }

# summary FILE.err: "RECORDS OUTCOMES", the AppArmor records the harvest summary
# (summary.c) counts, and the sum of its outcomes: the records used and each
# count of its "not used:" line
summary() {
	local records used=0 rest=0 line item
	line=$(grep '^aaprof harvest: read [0-9]* lines\{0,1\}: ' "$1")
	case $line in
	*": no AppArmor record") records=0 ;;
	*" AppArmor record"|*" AppArmor records") records=${line##*: }; records=${records%% *} ;;
	*) echo "-1 -1"; return ;;
	esac
	line=$(grep -E '^aaprof harvest: (no record|[0-9]+ records?) used: ' "$1")
	[ -n "$line" ] || { echo "-1 -1"; return; }
	line=${line#aaprof harvest: }
	case $line in [0-9]*) used=${line%% *} ;; esac
	line=$(grep '^aaprof harvest: not used: ' "$1")
	line=${line#aaprof harvest: not used: }
	while [ -n "$line" ]; do
		item=${line%%, *}
		case $item in [0-9]*) rest=$((rest + ${item%% *})) ;; esac
		[ "$item" = "$line" ] && break
		line=${line#*, }
	done
	echo "$records $((used + rest))"
}

command -v apparmor_parser > /dev/null || fail "apparmor_parser" "not found: apt-get install apparmor"
nfiles=0 np=0
for f in *.log; do
	nfiles=$((nfiles + 1))
	base=${f%.log}

	# rules: no crash, every AppArmor line counted, the golden rules
	"$A" harvest -f "$f" --format rules > "$T/$base.out" 2> "$T/$base.err"
	rc=$?
	rules_rc=$rc
	if exited $rc; then ok=1; else ok=0; fi
	check crash "$f" rules $ok "exit $rc from harvest -f $f --format rules" "$(tail -5 "$T/$base.err")"
	lines=$(grep -c 'apparmor=' "$f")
	read -r records outcomes < <(summary "$T/$base.err")
	if [ "$records" -eq "$lines" ] && [ "$outcomes" -eq "$records" ]; then ok=1; else ok=0; fi
	check count "$f" - $ok "$lines lines hold apparmor=, the summary counts $records records, $outcomes with an outcome" \
		"$(grep 'AppArmor records' "$T/$base.err")"
	[ -n "${UPDATE:-}" ] && cp "$T/$base.out" "$base.expected"
	if cmp -s "$T/$base.out" "$base.expected"; then
		pass "golden: $f"
	else
		fail "golden: $f" "rules differ from $base.expected (UPDATE=1 rewrites it):" \
			"$(diff -u "$base.expected" "$T/$base.out" 2>&1 | head -40)"
	fi

	# json: no crash, valid JSON; its profile names for the profile checks
	"$A" harvest -q -f "$f" --format json > "$T/$base.json" 2> "$T/$base.jerr"
	rc=$?
	if exited $rc && python3 -c '
import json, sys
seen = []
for r in json.load(open(sys.argv[1]))["rules"]:
    if r["profile"] not in seen:
        seen.append(r["profile"])
print("\n".join(seen))' "$T/$base.json" > "$T/$base.names" 2> /dev/null; then ok=1; else ok=0; fi
	check crash "$f" json $ok "exit $rc from harvest -f $f --format json, or not JSON" "$(tail -5 "$T/$base.jerr")"

	# each profile: the merged profile aaprof writes (and, when dangerous rules were
	# held back, the one with --allow-dangerous) must compile; apparmor_parser -QK
	# runs once on all of them at the end
	variants=profile
	[ "$rules_rc" -eq 4 ] && variants="profile profile-dangerous"
	while IFS= read -r p; do
		[ -n "$p" ] || continue
		for variant in $variants; do
			set -- --format profile -t learning --profile-dir "$T/empty"
			[ $variant = profile-dangerous ] && set -- "$@" --allow-dangerous
			np=$((np + 1))
			"$A" harvest -q -f "$f" "$@" -- "$p" > "$T/prof/$np.apparmor" 2> "$T/p.err"
			rc=$?
			if [ $rc -ge 128 ]; then
				check crash "$f" "$p" 0 "killed by signal $((rc - 128)) with $variant"
			elif exited $rc; then
				printf '%s\t%s\t%s\n' $variant "$f" "$p" > "$T/prof/$np.key"
			else
				check $variant "$f" "$p" 0 "exit $rc: $(grep -v '^ \|e\.g\.\|dangerous' "$T/p.err" | head -c 600)"
			fi
		done
	done < "$T/$base.names"
done

# the profiles aaprof wrote: one apparmor_parser -QK for all; when it fails, each alone
compiled() { apparmor_parser -QK "$@" > /dev/null 2> "$T/perr"; }
keys=("$T"/prof/*.key)
if [ -e "${keys[0]}" ]; then
	all_ok=0
	compiled "${keys[@]/%.key/.apparmor}" && all_ok=1
	for k in "${keys[@]}"; do
		IFS=$'\t' read -r variant f p < "$k"
		if [ $all_ok = 1 ] || compiled "${k%.key}.apparmor"; then
			check $variant "$f" "$p" 1
		else
			check $variant "$f" "$p" 0 "apparmor_parser -QK rejects it: $(head -c 600 "$T/perr")"
		fi
	done
fi

# the corpus is what SOURCES.md says it is, and every known failure was met
assert "corpus: at least 30 source files" "[ $nfiles -ge 30 ]"
assert "corpus: at least 300 lines hold apparmor=" "[ \$(cat ./*.log | grep -c apparmor=) -ge 300 ]"
for f in *.log; do
	assert "SOURCES.md names $f" "grep -qF -- '\`$f\`' SOURCES.md"
	assert "$f has its golden rules" "[ -f ${f%.log}.expected ]"
done
while IFS= read -r key; do
	grep -qxF -- "$key" "$T/seen" || fail "KNOWN-ISSUES.md: a row no check met" "$key"
done < "$T/known"
finish
