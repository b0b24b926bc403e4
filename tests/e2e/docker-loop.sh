# The complain-to-enforce loop with real containers (a dockervm.sh stage,
# bash, as root in the guest): render -> load --complain -> `docker run
# --security-opt apparmor=APP` (several containers at once) -> harvest from
# the kernel log -> enforce -> the workload again in new containers without a
# denial -> an access it never made is refused and logged -> rollback, and
# back to docker-default. Exits non-zero on the first failed check.
set -u
P=dvm-app
IMG=dvm/busybox
CT=/usr/local/bin/ctprobe
RUN=(docker run --network none -v "$CT:/bin/ctprobe:ro" -v /srv/app/conf:/etc/app:ro -v /srv/app/data:/data)
t_stage=$EPOCHREALTIME
fail() {
	echo "DOCKER FAIL: $*"
	echo "--- the kernel's AppArmor records (last 40):"
	dmesg | grep -a 'apparmor=' | sed 's/.*audit: //' | tail -40
	echo "--- /etc/apparmor.d/$P:"
	cat /etc/apparmor.d/$P 2>/dev/null
	exit 1
}
step() { echo; echo "== [$(( (${EPOCHREALTIME/./} - ${t_stage/./}) / 1000000 ))s] $*"; }
kmode() { aaprof status $P | awk -v p=$P '$1 == p { print $2 }'; }
ndenied() { dmesg | grep -a -c "apparmor=\"DENIED\".*profile=\"$P"; }
# the workload of container ID: reads its config, writes data, execs a helper,
# opens a unix socket, binds a port, uses a capability (chown), reads /proc
WORK='cat /etc/app/app.conf >/dev/null &&
ctprobe write /data/out-$ID -- exec /bin/date -- unix_path /tmp/app.sock -- listen_inet 8080 -- write /data/own-$ID -- chown /data/own-$ID &&
cat /proc/sys/net/core/somaxconn /proc/self/status >/dev/null'
# run_all NAME-PREFIX PROFILE N: containers 1..N, started one after the other
# (detached), each waiting for /data/go, then all of them run the workload at
# once; wait for each, check its exit status and what docker inspect says,
# and remove them
run_all() {
	local pre=$1 prof=$2 n=$3 i rc out t0=$EPOCHREALTIME
	rm -f /srv/app/data/go
	for i in $(seq $n); do
		"${RUN[@]}" -d --name "$pre-$i" -e ID=$i --security-opt apparmor="$prof" $IMG \
			sh -c "while [ ! -e /data/go ]; do sleep 0.1; done; $WORK" >/dev/null || fail "docker run $pre-$i"
	done
	echo "started $pre-1..$n ($(( (${EPOCHREALTIME/./} - ${t0/./}) / 1000 )) ms); running them at once"
	touch /srv/app/data/go
	for i in $(seq $n); do
		rc=$(docker wait "$pre-$i")
		out=$(docker inspect --format '{{.AppArmorProfile}} {{.HostConfig.SecurityOpt}}' "$pre-$i")
		echo "$pre-$i: exit $rc; docker inspect: $out"
		[ "$out" = "$prof [apparmor=$prof]" ] || fail "$pre-$i: docker inspect says '$out'"
		[ "$rc" = 0 ] || { docker logs "$pre-$i" 2>&1 | tail -5; fail "$pre-$i exited $rc under $prof"; }
	done
	for i in $(seq $n); do docker rm "$pre-$i" >/dev/null; done
}

echo "docker: the loop starts at $(cut -d' ' -f1 /proc/uptime)s of uptime (kernel $(uname -r), $(docker version --format 'docker {{.Server.Version}}'), $(runc --version | head -1), $(apparmor_parser --version | head -1))"
mkdir -p /srv/app/conf /srv/app/data /var/cache/apparmor
echo 'port=8080' > /srv/app/conf/app.conf
echo 'top secret' > /srv/app/data/secret

step "1. render the learning profile and load it in complain mode"
aaprof render $P -o /tmp/$P.profile || fail "render"
aaprof load --complain /tmp/$P.profile || fail "load --complain"
[ "$(kmode)" = complain ] || fail "the kernel reports '$(kmode)', not complain"

step "2. the workload in three containers at once, docker run --security-opt apparmor=$P"
run_all learn $P 3
dmesg | grep -a -q "apparmor=\"ALLOWED\".*profile=\"$P" || fail "complain mode logged no ALLOWED record"
echo "ALLOWED records of $P: $(dmesg | grep -a -c "apparmor=\"ALLOWED\".*profile=\"$P")"
echo "--- examples (verbatim, one per operation):"
dmesg | grep -a "apparmor=\"ALLOWED\".*profile=\"$P" | awk '{ match($0, /operation="[^"]*"/); op = substr($0, RSTART, RLENGTH); if (!seen[op]++) print }' | head -12
echo "--- records of other profiles (runc, containerd-shim: harvest $P skips them), and of runc as a peer:"
dmesg | grep -a 'apparmor="' | grep -av "profile=\"$P" | grep -av 'apparmor="STATUS"' | head -5
dmesg | grep -a 'apparmor="' | grep -a "profile=\"$P" | grep -aE 'comm="(runc|containerd-shim)' | head -3
echo "($(dmesg | grep -a 'apparmor="' | grep -av "profile=\"$P" | grep -acv 'apparmor="STATUS"') of other profiles, $(dmesg | grep -a 'apparmor="' | grep -a "profile=\"$P" | grep -acE 'comm="(runc|containerd-shim)') of $P made by runc or the shim)"
echo "--- network records of $P (socket, bind, listen):"
dmesg | grep -a "profile=\"$P" | grep -a 'class="net"' | head -3
echo "($(dmesg | grep -a "profile=\"$P" | grep -ac 'class="net"') in all)"
echo "--- names under /proc as runc's detached procfs (CVE-2025-52881) would log them (/sys/..., /<pid>/...):"
dmesg | grep -a "profile=\"$P" | grep -aoE 'name="/(sys/(net|kernel|vm|fs)/|[0-9]+/)[^"]*"' | sort -u | head
echo "($(dmesg | grep -a "profile=\"$P" | grep -acE 'name="/(sys/(net|kernel|vm|fs)/|[0-9]+/)') with runc $(runc --version | awk 'NR==1 {print $3}'))"

step "3. harvest the kernel log into the profile, reload it, run again, enforce through the gate"
# as the gate says when it refuses: harvest, load, exercise the workload
# again, retry (a process that ran in a complain-mode child profile, such as
# dvm-app//null-/bin/ctprobe, shows some accesses only once its exec is
# allowed by a harvested rule)
for round in 1 2 3; do
	echo "-- round $round"
	aaprof harvest --dmesg --write $P || fail "harvest --write (round $round)"
	sed -n '/BEGIN aaprof/,/END aaprof/p' /etc/apparmor.d/$P
	grep -q 'BEGIN aaprof' /etc/apparmor.d/$P || fail "harvest wrote no section"
	if dmesg | grep -a "profile=\"$P" | grep -aqE 'name="/(sys/(net|kernel|vm|fs)/|[0-9]+/)'; then
		grep -q '@{PROC}' /etc/apparmor.d/$P || fail "detached-procfs names logged, but no @{PROC} rule harvested"
	fi
	sed -n '/BEGIN aaprof/,/END aaprof/p' /etc/apparmor.d/$P | grep -E '^[[:space:]]*[^#[:space:]].*(runc|containerd)' &&
		fail "a rule from runc's or containerd's records"
	aaprof load $P || fail "reloading the harvested profile"
	sleep 1
	start=$(date +%s)
	run_all again$round $P 2
	sleep 1
	quiet=$(( $(date +%s) - start ))
	aaprof enforce $P --quiet-for ${quiet}s --dmesg && break
	[ $round = 3 ] && fail "the gate still refused after 3 rounds"
done
[ "$(kmode)" = enforce ] || fail "the kernel reports '$(kmode)', not enforce"
echo "kernel: $P ($(kmode)) after $round round(s)"

step "4. the workload in new containers, enforced: it works and nothing is denied"
before=$(ndenied)
run_all enf $P 3
after=$(ndenied)
[ "$before" = "$after" ] || fail "enforce mode denied $((after - before)) accesses of the workload"
echo "DENIED records of $P: none new ($after)"

step "5. what the workload never did is refused and logged: reading /data/secret"
out=$("${RUN[@]}" --rm --security-opt apparmor=$P $IMG ctprobe read /data/secret 2>&1)
echo "$out"
case $out in *"Permission denied"*) ;; *) fail "reading /data/secret was not refused with EACCES" ;; esac
dmesg | grep -a "apparmor=\"DENIED\".*profile=\"$P\".*name=\"/data/secret\"" | tail -1
dmesg | grep -a -q "apparmor=\"DENIED\".*profile=\"$P\".*name=\"/data/secret\"" || fail "no DENIED record for /data/secret"

step "6. rollback: the previous version of $P, then back to docker-default (never unconfined)"
aaprof load --rollback $P || fail "load --rollback"
[ "$(kmode)" = complain ] || fail "rollback: the kernel reports '$(kmode)', not the learning profile's complain"
docker run --name back --network none --security-opt apparmor=docker-default $IMG cat /proc/self/attr/current > /tmp/back.out ||
	fail "a container under docker-default failed"
out=$(docker inspect --format '{{.AppArmorProfile}} {{.HostConfig.SecurityOpt}}' back)
echo "back: $(cat /tmp/back.out); docker inspect: $out"
[ "$out" = "docker-default [apparmor=docker-default]" ] || fail "docker inspect says '$out'"
[ "$(cat /tmp/back.out)" = "docker-default (enforce)" ] || fail "the container runs as '$(cat /tmp/back.out)'"
docker rm back >/dev/null

echo
echo "DOCKER OK: render -> complain -> docker run -> harvest -> enforce -> DENIED -> rollback, on kernel $(uname -r) ($(( (${EPOCHREALTIME/./} - ${t_stage/./}) / 1000000 ))s)"
