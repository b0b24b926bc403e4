# The complain-to-enforce loop on a real AppArmor kernel (runs in the aavm
# guest as root, busybox sh): render -> load --complain -> workload ->
# harvest from the kernel log -> enforce -> workload again; the deny rules,
# the enforce gate, a rejected load and rollback along the way.
set -u
P=e2e-app
fail() {
	echo "E2E FAIL: $*"
	echo "--- the kernel's AppArmor records:"
	dmesg | grep -a 'apparmor=' | sed 's/.*audit: //' | tail -40
	echo "--- /etc/apparmor.d/$P:"
	cat /etc/apparmor.d/$P 2>/dev/null
	exit 1
}
step() { echo; echo "== $*"; }
kmode() { aaprof status $P | awk -v p=$P '$1 == p { print $2 }'; }
denied() { dmesg | grep -a -c 'apparmor="DENIED"'; }

echo "e2e: the loop starts at $(cut -d' ' -f1 /proc/uptime)s of uptime (kernel $(uname -r), $(apparmor_parser --version | head -1))"
mkdir -p /etc/e2e-app /var/lib/e2e-app /var/cache/apparmor
echo 'port=80' > /etc/e2e-app/app.conf
echo 'top secret' > /secret

step "1. render the learning profile and load it in complain mode"
aaprof render $P -o /tmp/$P.profile || fail "render"
aaprof load --complain /tmp/$P.profile || fail "load --complain"
[ "$(kmode)" = complain ] || fail "the kernel reports '$(kmode)', not complain"
echo "kernel: $P ($(kmode))"

step "2. run the workload under it, as runc does for --security-opt apparmor=$P"
aa-exec -p $P -- /usr/bin/e2e-workload || fail "the workload failed in complain mode"
dmesg | grep -a -q "apparmor=\"ALLOWED\".*profile=\"$P\"" || fail "complain mode logged no ALLOWED record"
echo "ALLOWED records of $P: $(dmesg | grep -a -c "apparmor=\"ALLOWED\".*profile=\"$P")"
aa-exec -p $P -- /usr/bin/e2e-workload --sleep 30 &
sleeper=$!
sleep 1
aaprof status $P
[ "$(aaprof status $P | awk -v p=$P '$1 == p { print $4 }')" = 1 ] || fail "status does not count the confined process"
aaprof status --json $P | grep -q "$sleeper" || fail "status --json does not list pid $sleeper"
kill $sleeper

step "2b. docker-default's deny rules hold even in complain mode"
/usr/bin/e2e-workload --write /proc/sysrq-trigger >/dev/null ||
	fail "unconfined, root cannot write /proc/sysrq-trigger: the check below would prove nothing"
aa-exec -p $P -- /usr/bin/e2e-workload --write /proc/sysrq-trigger
[ $? = 13 ] || fail "writing /proc/sysrq-trigger was not refused with EACCES"
echo "refused by the profile's deny rule (deny rules are not logged unless 'audit deny')"

step "3. the enforce gate refuses while ALLOWED records are not covered"
aaprof enforce $P --quiet-for 1h --dmesg 2>/tmp/gate.err
rc=$?
cat /tmp/gate.err
[ $rc = 7 ] || fail "the gate returned $rc instead of 7"
grep -q 'ALLOWED accesses its rules do not cover' /tmp/gate.err || fail "the gate did not list the uncovered accesses"
grep -q 'complain period is shorter than the window' /tmp/gate.err ||
	fail "the gate did not see that $P was loaded less than 1h ago"
[ "$(kmode)" = complain ] || fail "the refused gate changed the mode"

step "3b. the gate refuses without evidence: a log with no record of $P"
aaprof enforce $P --quiet-for 1s -f /dev/null 2>/tmp/gate.err
rc=$?
cat /tmp/gate.err
[ $rc = 7 ] || fail "the gate returned $rc instead of 7 on an empty log"
grep -q 'no evidence that it ran' /tmp/gate.err || fail "the gate did not say it had no evidence"

step "4. harvest the kernel log into the profile, reload it, run the workload, then enforce"
aaprof harvest --dmesg --write $P || fail "harvest"
sed -n '/BEGIN aaprof/,/END aaprof/p' /etc/apparmor.d/$P
aaprof load $P || fail "reloading the harvested profile"
[ "$(kmode)" = complain ] || fail "the harvested profile is not in complain mode"
# the quiet period starts after the reload: the window covers the workload's run only
sleep 1
start=$(date +%s)
aa-exec -p $P -- /usr/bin/e2e-workload || fail "the workload failed under the harvested profile"
sleep 1
quiet=$(( $(date +%s) - start ))
aaprof enforce $P --quiet-for ${quiet}s --dmesg --sources || fail "enforce after the harvest (--quiet-for ${quiet}s)"
[ "$(kmode)" = enforce ] || fail "the kernel reports '$(kmode)', not enforce"
echo "kernel: $P ($(kmode))"

step "5. the workload again, enforced: it works and nothing is denied"
before=$(denied)
aa-exec -p $P -- /usr/bin/e2e-workload || fail "the workload failed in enforce mode"
after=$(denied)
[ "$before" = "$after" ] || fail "enforce mode denied $((after - before)) accesses of the workload"

step "6. what the workload never did is refused: reading /secret"
aa-exec -p $P -- /usr/bin/e2e-workload --read /secret
[ $? = 13 ] || fail "reading /secret was not refused with EACCES"
dmesg | grep -a -q "apparmor=\"DENIED\" operation=\"open\" .*profile=\"$P\" name=\"/secret\"" ||
	fail "no DENIED record for /secret"

step "7. a profile apparmor_parser rejects leaves file and policy as they were"
cp /etc/apparmor.d/$P /tmp/before
printf 'abi <abi/3.0>,\nprofile %s {\n  /secret r,\n  bogus rule,\n}\n' $P > /tmp/bad
aaprof load /tmp/bad
rc=$?
[ $rc = 3 ] || fail "a rejected load returned $rc instead of 3"
cmp -s /tmp/before /etc/apparmor.d/$P || fail "a rejected load changed the profile file"
[ "$(kmode)" = enforce ] || fail "a rejected load changed the kernel's mode"
aa-exec -p $P -- /usr/bin/e2e-workload --read /secret >/dev/null
[ $? = 13 ] || fail "after a rejected load /secret became readable"

step "7b. loading needs root: a clear refusal, exit 6"
su -s /bin/sh nobody -c "aaprof load --complain $P" 2>/tmp/nonroot.err
rc=$?
cat /tmp/nonroot.err
[ $rc = 6 ] || fail "a load by nobody returned $rc instead of 6"
[ "$(kmode)" = enforce ] || fail "a refused load changed the kernel's mode"

step "8. rollback puts the previous version back"
aaprof load --rollback $P || fail "rollback"
[ "$(kmode)" = complain ] || fail "rollback: the kernel reports '$(kmode)', not complain"
aaprof unload $P || fail "unload"
aaprof status $P | grep -q "$P .*not-loaded" || fail "unload: still loaded"

step "8b. unload survives 'apparmor_parser -r /etc/apparmor.d/' (boot, systemctl reload apparmor)"
[ -L /etc/apparmor.d/disable/$P ] || fail "unload left no disable/$P link"
apparmor_parser -r /etc/apparmor.d/ 2>&1 | grep -i "$P" | head -3
aaprof status $P | grep -q "$P .*not-loaded" || fail "apparmor_parser -r /etc/apparmor.d/ loaded the unloaded $P again"
aaprof load $P 2>/tmp/load.err || { cat /tmp/load.err; fail "load after unload"; }
cat /tmp/load.err
grep -q "removed /etc/apparmor.d/disable/$P" /tmp/load.err || fail "load did not say it removed disable/$P"
[ ! -e /etc/apparmor.d/disable/$P ] || fail "load left disable/$P"
[ "$(kmode)" = complain ] || fail "load after unload: the kernel reports '$(kmode)'"

step "8c. force-complain/ (aa-complain's mark) is detected, and removed by enforce"
aaprof enforce $P || fail "enforce"
mkdir -p /etc/apparmor.d/force-complain
ln -s /etc/apparmor.d/$P /etc/apparmor.d/force-complain/$P
aaprof load $P 2>/tmp/load.err || { cat /tmp/load.err; fail "load with a force-complain/ link"; }
cat /tmp/load.err
[ "$(kmode)" = complain ] || fail "apparmor_parser did not force complain mode: '$(kmode)'"
grep -q "force-complain/$P" /tmp/load.err || fail "load did not name the force-complain/ link"
aaprof enforce $P 2>/tmp/load.err || { cat /tmp/load.err; fail "enforce with a force-complain/ link"; }
cat /tmp/load.err
[ "$(kmode)" = enforce ] || fail "enforce: the kernel reports '$(kmode)'"
[ ! -e /etc/apparmor.d/force-complain/$P ] || fail "enforce left force-complain/$P"
aaprof unload $P || fail "unload"

step "8d. a file of several profiles (like Debian's usr.bin.man) with a path-named profile and a hat"
F=/etc/apparmor.d/usr.bin.e2e-multi
cat > $F <<'EOF2'
#include <tunables/global>

/usr/bin/e2e-multi {
  #include <abstractions/base>
  /usr/bin/e2e-workload rix,

  ^e2e_hat {
    #include <abstractions/base>
  }
}

profile e2e_groff {
  #include <abstractions/base>
}

profile e2e_filter {
  #include <abstractions/base>
}
EOF2
mstat() { aaprof status usr.bin.e2e-multi | awk 'NR > 1 && NF { print $1 "=" $2 }' | sort | tr '\n' ' '; }
aaprof load --complain usr.bin.e2e-multi || fail "load --complain usr.bin.e2e-multi"
[ "$(mstat)" = "/usr/bin/e2e-multi//e2e_hat=complain /usr/bin/e2e-multi=complain e2e_filter=complain e2e_groff=complain " ] ||
	fail "load --complain usr.bin.e2e-multi: the kernel reports $(mstat)"
aaprof enforce /usr/bin/e2e-multi || fail "enforce /usr/bin/e2e-multi"
[ "$(mstat)" = "/usr/bin/e2e-multi//e2e_hat=enforce /usr/bin/e2e-multi=enforce e2e_filter=enforce e2e_groff=enforce " ] ||
	fail "enforce /usr/bin/e2e-multi: the kernel reports $(mstat)"
aaprof complain e2e_groff || fail "complain e2e_groff (a profile of the file)"
[ "$(mstat)" = "/usr/bin/e2e-multi//e2e_hat=complain /usr/bin/e2e-multi=complain e2e_filter=complain e2e_groff=complain " ] ||
	fail "complain e2e_groff: the kernel reports $(mstat)"
aaprof status usr.bin.e2e-multi
aa-exec -p /usr/bin/e2e-multi -- /usr/bin/e2e-workload || fail "the workload failed under /usr/bin/e2e-multi in complain mode"
aaprof harvest --dmesg --write usr.bin.e2e-multi
rc=$?
[ $rc = 0 ] || [ $rc = 4 ] || fail "harvest --write usr.bin.e2e-multi returned $rc"
grep -q 'BEGIN aaprof' $F || fail "harvest --write usr.bin.e2e-multi wrote no section"
sed -n '/BEGIN aaprof/,/END aaprof/p' $F
aaprof complain $F || fail "complain $F (the file's path)"
step "8e. apparmor-utils' links are per file: force-complain/ and disable/ of usr.bin.e2e-multi, whichever profile is named"
aaprof enforce e2e_filter || fail "enforce e2e_filter"
ln -s $F /etc/apparmor.d/force-complain/usr.bin.e2e-multi
aaprof load e2e_filter 2>/tmp/load.err || { cat /tmp/load.err; fail "load e2e_filter with a force-complain/ link"; }
cat /tmp/load.err
[ "$(mstat)" = "/usr/bin/e2e-multi//e2e_hat=complain /usr/bin/e2e-multi=complain e2e_filter=complain e2e_groff=complain " ] ||
	fail "force-complain/usr.bin.e2e-multi: the kernel reports $(mstat)"
grep -q "force-complain/usr.bin.e2e-multi" /tmp/load.err || fail "load did not name the force-complain/ link"
aaprof enforce e2e_groff 2>/tmp/load.err || { cat /tmp/load.err; fail "enforce e2e_groff with a force-complain/ link"; }
cat /tmp/load.err
[ ! -e /etc/apparmor.d/force-complain/usr.bin.e2e-multi ] || fail "enforce e2e_groff left force-complain/usr.bin.e2e-multi"
[ "$(mstat)" = "/usr/bin/e2e-multi//e2e_hat=enforce /usr/bin/e2e-multi=enforce e2e_filter=enforce e2e_groff=enforce " ] ||
	fail "enforce e2e_groff: the kernel reports $(mstat)"
aaprof unload usr.bin.e2e-multi || fail "unload usr.bin.e2e-multi"
[ "$(mstat)" = "/usr/bin/e2e-multi//e2e_hat=not-loaded /usr/bin/e2e-multi=not-loaded e2e_filter=not-loaded e2e_groff=not-loaded " ] ||
	fail "unload usr.bin.e2e-multi: the kernel reports $(mstat)"
grep -q '^e2e_groff ' /sys/kernel/security/apparmor/profiles && fail "e2e_groff is still loaded"
[ -L /etc/apparmor.d/disable/usr.bin.e2e-multi ] || fail "unload usr.bin.e2e-multi left no disable/usr.bin.e2e-multi link"
apparmor_parser -r /etc/apparmor.d/ 2>&1 | grep -i "e2e-multi" | head -3
[ "$(mstat)" = "/usr/bin/e2e-multi//e2e_hat=not-loaded /usr/bin/e2e-multi=not-loaded e2e_filter=not-loaded e2e_groff=not-loaded " ] ||
	fail "apparmor_parser -r /etc/apparmor.d/ loaded usr.bin.e2e-multi again: $(mstat)"

if [ "${1:-}" = --classes ]; then
	step "9. the classes this kernel mediates beyond 6.1's: harvested rules are enforced (classes.sh)"
	sh /usr/lib/aaprof-e2e/classes.sh || fail "a class proof failed"
fi

echo
echo "E2E OK: render -> complain -> workload -> harvest -> enforce, on kernel $(uname -r)"
