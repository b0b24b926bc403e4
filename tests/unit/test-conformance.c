/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Conformance with libapparmor's own log-parsing suite (tests/data/test_multi,
 * copied from upstream's libraries/libapparmor/testsuite/test_multi): each
 * X.in is parsed by record_parse() and printed in test_multi's X.out format.
 * Every case must match, except the pre-2.1 "REJECTING/PERMITTING" text
 * records, which must come out as AA_RECORD_INVALID (unsupported, never
 * misparsed) -- upstream's .out says the same for them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <string.h>
#include <unistd.h>

#include "record.h"
#include "strbuf.h"
#include "util.h"
#include "cases.h"

/* reference time for syslog year inference: the corpus is from the past */
#define NOW ((time_t)1800000000)

static void print_str(struct strbuf *sb, const char *label, const char *v)
{
	if (v)
		strbuf_addf(sb, "%s: %s\n", label, v);
}

static void print_num(struct strbuf *sb, const char *label, const struct record *r,
		      enum rec_num n, long long unset)
{
	if (record_has(r, n) && r->num[n] != unset)
		strbuf_addf(sb, "%s: %lld\n", label, r->num[n]);
}

void dump_record(struct strbuf *sb, const struct record *r);
void dump_record(struct strbuf *sb, const struct record *r)
{
	char proto[32];
	const char *p;

	strbuf_addf(sb, "Event type: %s\n", record_event_name(r->event));
	print_str(sb, "Audit ID", record_get(r, RF_AUDIT_ID));
	print_str(sb, "Operation", record_get(r, RF_OPERATION));
	print_str(sb, "Mask", record_get(r, RF_REQUESTED));
	print_str(sb, "Denied Mask", record_get(r, RF_DENIED));
	print_num(sb, "fsuid", r, RN_FSUID, -1);
	print_num(sb, "ouid", r, RN_OUID, -1);
	print_str(sb, "Profile", record_get(r, RF_PROFILE));
	print_str(sb, "Peer", record_get(r, RF_PEER));
	print_str(sb, "Peer profile", record_get(r, RF_PEER_PROFILE));
	print_str(sb, "Name", record_get(r, RF_NAME) ? record_get(r, RF_NAME) :
			      record_get(r, RF_CAPNAME));
	print_str(sb, "Command", record_get(r, RF_COMM) ? record_get(r, RF_COMM) :
				 record_get(r, RF_EXE));
	print_str(sb, "Name2", record_get(r, RF_NAME2));
	print_str(sb, "Attribute", record_get(r, RF_ATTRIBUTE));
	print_str(sb, "Namespace", record_get(r, RF_NAMESPACE));
	print_num(sb, "Task", r, RN_TASK, 0);
	print_num(sb, "Parent", r, RN_PARENT, 0);
	print_num(sb, "Token", r, RN_TOKEN, 0);
	print_str(sb, "Info", record_get(r, RF_INFO) ? record_get(r, RF_INFO) :
			      record_get(r, RF_BODY));
	print_str(sb, "Peer info", record_get(r, RF_PEER_INFO));
	print_num(sb, "ErrorCode", r, RN_ERROR, 0);
	print_num(sb, "PID", r, RN_PID, 0);
	print_str(sb, "Signal", record_get(r, RF_SIGNAL));
	print_num(sb, "Peer PID", r, RN_PEER_PID, 0);
	print_str(sb, "FS Type", record_get(r, RF_FSTYPE));
	print_str(sb, "Execpath", record_get(r, RF_EXECPATH));
	print_str(sb, "Net Addr", record_get(r, RF_ADDR));
	print_str(sb, "Peer Addr", record_get(r, RF_PEER_ADDR));
	print_str(sb, "DBus bus", record_get(r, RF_BUS));
	print_str(sb, "Flags", record_get(r, RF_FLAGS));
	print_str(sb, "Network family", record_get(r, RF_FAMILY));
	print_str(sb, "DBus path", record_get(r, RF_DBUS_PATH));
	print_str(sb, "Src name", record_get(r, RF_SRCNAME));
	print_str(sb, "Socket type", record_get(r, RF_SOCK_TYPE));
	print_str(sb, "DBus interface", record_get(r, RF_INTERFACE));
	p = record_get(r, RF_PROTOCOL);
	if (p) {
		char *end;
		long long n = strtoll(p, &end, 10);

		if (*p && !*end) {
			const char *name = record_protocol_name(n);

			if (name)
				snprintf(proto, sizeof(proto), "%s", name);
			else
				snprintf(proto, sizeof(proto), "unknown(%lld)", n);
			p = proto;
		}
	}
	print_str(sb, "Protocol", p);
	print_str(sb, "DBus member", record_get(r, RF_MEMBER));
	print_str(sb, "Local addr", record_get(r, RF_LADDR) ? record_get(r, RF_LADDR) :
				    record_get(r, RF_SADDR));
	print_str(sb, "Foreign addr", record_get(r, RF_FADDR) ? record_get(r, RF_FADDR) :
				      record_get(r, RF_DADDR));
	print_num(sb, "Local port", r, record_has(r, RN_LPORT) ? RN_LPORT : RN_SRC, 0);
	print_num(sb, "Foreign port", r, record_has(r, RN_FPORT) ? RN_FPORT : RN_DEST, 0);
	print_str(sb, "Class", record_get(r, RF_CLASS));
	if (r->has_stamp && r->epoch)
		strbuf_addf(sb, "Epoch: %lld\n", r->epoch);
	if (r->has_stamp && r->serial)
		strbuf_addf(sb, "Audit subid: %llu\n", r->serial);
}

static void conformance(void **state)
{
	const char *base = *state;
	_cleanup_free_ char *inf = xasprintf("%s.in", base);
	_cleanup_free_ char *outf = xasprintf("%s.out", base);
	_cleanup_free_ char *in = NULL, *want = NULL;
	struct strbuf got = STRBUF_INIT;
	struct record r;
	size_t len = 0;

	in = parse_case_record(base, NOW, &r, &len);
	assert_non_null(in);
	assert_int_equal(read_file(outf, 1 << 20, &want, NULL), 0);
	strbuf_addf(&got, "START\nFile: %s\n", inf);
	dump_record(&got, &r);
	if (strcmp(got.buf, want)) {
		print_error("--- %s expected\n%s--- got\n%s", outf, want, got.buf);
		fail();
	}
	record_release(&r);
	strbuf_release(&got);
}

int main(void)
{
	return run_file_cases("conformance", "tests/data/test_multi", ".in", conformance, NULL);
}
