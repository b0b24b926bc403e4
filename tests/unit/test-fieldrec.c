/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Records from the field (issue 13) through derive: the real lines of
 * tests/data/field (SOURCES.md names each) whose rule depends on how a
 * logged value is read: link targets, unix peer labels, hex abstract
 * names, userns of unconfined, /apparmor/.null, legacy ptrace masks,
 * disconnected paths, procfs aliases of detached mounts, NFS sources.
 * derive() looks at the record alone, so lines without the kernel's
 * framing (as the sources quote them) are used as they are.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "derive.h"
#include "logshape.h"
#include "record.h"
#include "strbuf.h"
#include "util.h"

/*
 * The rules derive writes for line (one per line, "\n"-joined, in draft
 * order), or "!" and the reason when it writes none.
 */
static char *rules_of(const char *line)
{
	struct derive_opts o = { .exec = EXEC_IX, .features = ~0u, .gen = NULL };
	struct draft d[DERIVE_MAX];
	struct strbuf why = STRBUF_INIT, out = STRBUF_INIT;
	struct record r;
	enum rclass cls;
	size_t n = 0, i;

	record_init(&r);
	record_parse(&r, line, strlen(line), 1763800000);
	for (i = 0; i < DERIVE_MAX; i++)
		draft_init(&d[i]);
	if (rclass_of(&r, &cls) < 0) {
		strbuf_addstr(&out, "!no class");
	} else if (derive(&o, &r, cls, d, &n, &why) != DR_RULES) {
		strbuf_addf(&out, "!%s", why.buf);
	} else {
		for (i = 0; i < n; i++) {
			if (d[i].cls == RC_FILE && derive_file_head(&o, &d[i], &why) < 0) {
				strbuf_addf(&out, "!%s", why.buf);
				break;
			}
			if (i)
				strbuf_addch(&out, '\n');
			rclass_format_rule(d[i].cls, d[i].head.buf, d[i].perms, d[i].tail.buf, &out);
		}
	}
	for (i = 0; i < DERIVE_MAX; i++)
		draft_release(&d[i]);
	record_release(&r);
	strbuf_release(&why);
	return strbuf_detach(&out, NULL);
}

static void expect(const char *line, const char *want)
{
	char *got = rules_of(line);

	if (want[0] == '!') {
		if (got[0] != '!' || !strstr(got, want + 1))
			fail_msg("%s\n  want a refusal saying '%s'\n  got '%s'", line, want + 1, got);
	} else if (strcmp(got, want)) {
		fail_msg("%s\n  want '%s'\n  got  '%s'", line, want, got);
	}
	free(got);
}

/* ml-2025-04-userns-ouid-patches.log, line 1 */
static void link_target(void **state)
{
	(void)state;
	expect("apparmor=\"DENIED\" operation=\"link\" class=\"file\" profile=\"linkit\" "
	       "name=\"/root/link\" pid=1655 comm=\"ln\" requested_mask=\"l\" denied_mask=\"l\" "
	       "fsuid=1000000 ouid=0 target=\"/root/chain\"",
	       "link /root/link -> /root/chain");
	/* the owner's link: the same rule, owner */
	expect("apparmor=\"DENIED\" operation=\"link\" class=\"file\" profile=\"linkit\" "
	       "name=\"/root/link\" pid=1655 comm=\"ln\" requested_mask=\"l\" denied_mask=\"l\" "
	       "fsuid=0 ouid=0 target=\"/root/chain\"",
	       "owner link /root/link -> /root/chain");
}

/* apparmor-utils-test-logparser.log, line 21; signal-desktop-snap-issue-18.log */
static void unix_peer(void **state)
{
	(void)state;
	expect("type=AVC msg=audit(1711454639.955:322): apparmor=\"DENIED\" "
	       "operation=\"connect\" class=\"net\" profile=\"/home/user/test/client.py\" "
	       "pid=80819 comm=\"client.py\" family=\"unix\" sock_type=\"stream\" protocol=0 "
	       "requested=\"send receive connect\" denied=\"send receive connect\" addr=none "
	       "peer_addr=\"@test_abstract_socket\" peer=\"/home/user/test/server.py\"",
	       "unix (connect, receive, send) type=stream peer=(label=/home/user/test/server.py "
	       "addr=@test_abstract_socket)");
	expect("apparmor=\"DENIED\" operation=\"sendmsg\" profile=\"snap.signal-desktop.signal-d"
	       "esktop\" pid=5700 comm=\"signal-desktop\" family=\"unix\" sock_type=\"dgram\" pr"
	       "otocol=0 requested_mask=\"send\" denied_mask=\"send\" addr=none peer_addr=\"@766"
	       "1722F72756E2F2F6E76696469612D786472697665722D65333235616366340000000000000000000"
	       "0000000000000000000000000000000000000000000\" peer=\"unconfined\"",
	       "!abstract socket name '@var/run//nvidia-xdriver-e325acf4' followed by 31 NUL bytes");
}

static void hex_names(void **state)
{
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	/* hex whose bytes hold no control byte is a name as it stands */
	assert_int_equal(unix_addr_hex_encoded("@4142", &sb), 0);
	assert_int_equal(unix_addr_hex_encoded("@dead", &sb), 0);
	assert_int_equal(unix_addr_hex_encoded("@414", &sb), 0);
	assert_int_equal(unix_addr_hex_encoded("/4100", &sb), 0);
	assert_int_equal(sb.len, 0);
	assert_int_equal(unix_addr_hex_encoded("@41014200", &sb), 1);
	assert_string_equal(sb.buf, "'@A\\x01B' followed by 1 NUL bytes");
	strbuf_release(&sb);
}

/* thorium-issue-655.log; apparmor-utils-test-logparser.log (execpath=) */
static void userns_unconfined(void **state)
{
	(void)state;
	expect("kernel: audit: type=1400 audit(1714303978.272:325): apparmor=\"DENIED\" "
	       "operation=\"userns_create\" class=\"namespace\" info=\"User namespace creation "
	       "restricted\" error=-13 profile=\"unconfined\" pid=9228 comm=\"thorium\" "
	       "requested=\"userns_create\" denied=\"userns_create\"",
	       "!a profile for that program that allows 'userns,'");
	expect("kernel: audit: type=1400 audit(1714303978.272:325): apparmor=\"DENIED\" "
	       "operation=\"userns_create\" class=\"namespace\" info=\"User namespace creation "
	       "restricted\" error=-13 profile=\"unconfined\" pid=9228 comm=\"thorium\" "
	       "requested=\"userns_create\" denied=\"userns_create\"",
	       "!('thorium')");
	/* a profile of its own takes the rule */
	expect("kernel: audit: type=1400 audit(1714303978.272:325): apparmor=\"DENIED\" "
	       "operation=\"userns_create\" class=\"namespace\" profile=\"thorium\" pid=9228 "
	       "comm=\"thorium\" requested=\"userns_create\" denied=\"userns_create\"",
	       "userns create");
}

/* lp-2049099.log: file_inherit of the revoked descriptor */
static void apparmor_null(void **state)
{
	(void)state;
	expect("[  442.323720] audit: type=1400 audit(1704822661.056:325): apparmor=\"DENIED\" "
	       "operation=\"file_inherit\" class=\"file\" "
	       "namespace=\"root//lxd-juju-98527a-0_<var-snap-lxd-common-lxd>\" "
	       "profile=\"snap-update-ns.lxd\" name=\"/apparmor/.null\" pid=9478 comm=\"6\" "
	       "requested_mask=\"wr\" denied_mask=\"wr\" fsuid=1000000 ouid=0",
	       "!stand-in for a file descriptor it revoked");
}

/* moby-pr-21861.log, line 2: the legacy mask is no ptrace permission;
   boinc-client-docker-issue-87.log: a ptrace word is */
/* java-kafka-auditlog-test-sssd.log: the \x1d before FSUID= lost on the way */
static void lost_separator(void **state)
{
	(void)state;
	expect("type=AVC msg=audit(1754467299.008:313085): apparmor=\"ALLOWED\" operation=\"open\" "
	       "profile=\"/usr/sbin/sssd\" name=\"/proc/3779461/cmdline\" pid=1368 "
	       "comm=\"sssd_nss\" requested_mask=\"r\" denied_mask=\"r\" fsuid=0 "
	       "ouid=0FSUID=\"root\" OUID=\"root\"",
	       "owner /proc/3779461/cmdline r");
	/* only a number ends at an upper-case KEY=: a name keeps its text */
	expect("type=AVC msg=audit(1754467299.008:313085): apparmor=\"ALLOWED\" operation=\"open\" "
	       "profile=\"/usr/sbin/sssd\" name=\"/proc/1/cmdline\" pid=1368 "
	       "comm=\"sssd_nss\" requested_mask=\"r\" denied_mask=\"r\" fsuid=0 "
	       "ouid=0x1",
	       "/proc/1/cmdline r");
}

static void ptrace_legacy(void **state)
{
	(void)state;
	expect("[ 3256.689120] type=1400 audit(1405454041.341:73): apparmor=\"DENIED\" "
	       "operation=\"ptrace\" profile=\"docker-default\" pid=17651 comm=\"docker\" "
	       "requested_mask=\"receive\" denied_mask=\"receive\"",
	       "!the access 'receive' of a ptrace record is not a ptrace permission");
	expect("[ 8341.933370] audit: type=1400 audit(1621966268.393:633): apparmor=\"DENIED\" "
	       "operation=\"ptrace\" profile=\"docker-default\" pid=3811 comm=\"boinc\" "
	       "requested_mask=\"read\" denied_mask=\"read\" peer=\"unconfined\"",
	       "ptrace read peer=unconfined");
	/* a signal record takes no ptrace word, and the other way round */
	expect("apparmor=\"DENIED\" operation=\"signal\" profile=\"a\" pid=1 comm=\"k\" "
	       "requested_mask=\"trace\" denied_mask=\"trace\" signal=hup peer=\"b\"",
	       "!not a signal permission");
}

/* ml-2021-11-mosquitto-disconnected.log */
static void disconnected(void **state)
{
	(void)state;
	expect("[644.118984] audit: type=1400 audit(1635945247.591:33): apparmor=\"DENIED\" "
	       "operation=\"sendmsg\" info=\"Failed name lookup - disconnected path\" error=-13 "
	       "profile=\"/usr/sbin/mosquitto\" name=\"run/systemd/notify\" pid=452 "
	       "comm=\"mosquitto\" requested_mask=\"w\" denied_mask=\"w\" fsuid=107 ouid=0",
	       "!the profile needs flags=(attach_disconnected) (or attach_disconnected.path=");
	expect("apparmor=\"DENIED\" operation=\"open\" info=\"Failed name lookup - "
	       "disconnected path\" error=-13 profile=\"p\" name=\"sys/net/ipv4/ip_unprivileged_port_start\" "
	       "pid=1 comm=\"runc:[2:INIT]\" requested_mask=\"w\" denied_mask=\"w\" fsuid=0 ouid=0",
	       "!written as /proc/sys/net/ipv4/ip_unprivileged_port_start");
}

/*
 * runc#4968 and LP#2131008: the record as the lxc/Incus profile (with
 * attach_disconnected) names it; the fields quoted in the source are
 * operation, name, comm and requested_mask, the rest is filled in.
 */
/* both names: today's kernels check the alias as logged, fixed ones /proc */
static void procfs_aliases(void **state)
{
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	expect("apparmor=\"DENIED\" operation=\"open\" class=\"file\" profile=\"p\" "
	       "name=\"/sys/net/ipv4/ip_unprivileged_port_start\" pid=1 comm=\"runc:[2:INIT]\" "
	       "requested_mask=\"w\" denied_mask=\"w\" fsuid=0 ouid=1",
	       "/proc/sys/net/ipv4/ip_unprivileged_port_start w\n"
	       "/sys/net/ipv4/ip_unprivileged_port_start w");
	expect("apparmor=\"DENIED\" operation=\"open\" class=\"file\" profile=\"p\" "
	       "name=\"/1234/fd/5\" pid=1 comm=\"runc:[2:INIT]\" "
	       "requested_mask=\"r\" denied_mask=\"r\" fsuid=0 ouid=1",
	       "/proc/1234/fd/5 r\n/1234/fd/5 r");
	/* sysfs has its own kernel/, fs/ and dev/: those stay as they are */
	assert_int_equal(procfs_alias("/sys/kernel/mm/x", &sb), 0);
	assert_int_equal(procfs_alias("/sys/fs/cgroup/x", &sb), 0);
	assert_int_equal(procfs_alias("/1234/data", &sb), 0);
	assert_int_equal(procfs_alias("/0123/status", &sb), 0);
	assert_int_equal(procfs_alias("/sys/network/x", &sb), 0);
	assert_int_equal(procfs_alias("/srv/1234/status", &sb), 0);
	assert_int_equal(sb.len, 0);
	assert_int_equal(procfs_alias("/sys/vm/overcommit_memory", &sb), 1);
	assert_string_equal(sb.buf, "/proc/sys/vm/overcommit_memory");
	strbuf_release(&sb);
}

/* notes-2019-01-proxmox-lxc-nfs.log */
static void nfs_source(void **state)
{
	(void)state;
	expect("Jan 29 19:10:10 proxmox kernel: [36785137.211208] audit: type=1400 "
	       "audit(1548769210.717:50467): apparmor=\"DENIED\" operation=\"mount\" info=\"failed "
	       "type match\" error=-13 profile=\"lxc-container-default-cgns\" name=\"/mnt/bkp/\" "
	       "pid=3535 comm=\"mount\" fstype=\"nfs\" srcname=\"192.168.50.4:/home/bkp\"",
	       "mount fstype=nfs \"192.168.50.4:/home/bkp\" -> /mnt/bkp/");
	/* glob characters of a source are literal; a plain word stays bare */
	expect("apparmor=\"DENIED\" operation=\"mount\" profile=\"p\" name=\"/mnt/\" pid=1 "
	       "comm=\"mount\" fstype=\"nfs4\" srcname=\"[fe80::1]:/x*\"",
	       "mount fstype=nfs4 \"\\[fe80::1\\]:/x\\*\" -> /mnt/");
	expect("apparmor=\"DENIED\" operation=\"mount\" profile=\"p\" name=\"/mnt/\" pid=1 "
	       "comm=\"mount\" fstype=\"tmpfs\" srcname=\"tmpfs\"",
	       "mount fstype=tmpfs tmpfs -> /mnt/");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(link_target),
		cmocka_unit_test(unix_peer),
		cmocka_unit_test(hex_names),
		cmocka_unit_test(userns_unconfined),
		cmocka_unit_test(apparmor_null),
		cmocka_unit_test(lost_separator),
		cmocka_unit_test(ptrace_legacy),
		cmocka_unit_test(disconnected),
		cmocka_unit_test(procfs_aliases),
		cmocka_unit_test(nfs_source),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
