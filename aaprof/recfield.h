/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef AAPROF_RECFIELD_H
#define AAPROF_RECFIELD_H

#include <stddef.h>

/*
 * A record's fields, and the log keys that fill them: which key= goes to
 * which field, and how the kernel encodes its value.
 */

/* string fields, in the order libapparmor's test_multi prints them */
enum rec_field {
	RF_OPERATION,
	RF_REQUESTED,      /* requested_mask= or requested= */
	RF_DENIED,         /* denied_mask=, denied= or (dbus) mask= */
	RF_PROFILE,        /* profile= or label= */
	RF_PEER,           /* peer= */
	RF_PEER_PROFILE,   /* peer_profile= or peer_label= */
	RF_NAME,
	RF_COMM,           /* comm=, else exe= */
	RF_NAME2,          /* name2= or target= */
	RF_ATTRIBUTE,
	RF_NAMESPACE,
	RF_INFO,
	RF_PEER_INFO,
	RF_SIGNAL,
	RF_FSTYPE,
	RF_EXECPATH,
	RF_ADDR,           /* addr= (unix) */
	RF_PEER_ADDR,
	RF_BUS,
	RF_FLAGS,
	RF_FAMILY,
	RF_DBUS_PATH,
	RF_SRCNAME,
	RF_SOCK_TYPE,
	RF_INTERFACE,
	RF_PROTOCOL,
	RF_MEMBER,         /* member= or method= */
	RF_LADDR,
	RF_FADDR,
	RF_SADDR,          /* saddr=/daddr=: newer kernels' source/destination */
	RF_DADDR,
	RF_CLASS,
	RF_CAPNAME,
	RF_EXE,
	RF_NODE,           /* node= of remote-aggregated logs */
	RF_AUDIT_ID,       /* "EPOCH.MS:SERIAL" as logged */
	RF_TYPE_NAME,      /* the type= value as logged (AVC, 1400, APPARMOR_DENIED) */
	RF_BODY,           /* legacy/non-AppArmor records only: the text after "): " */
	RF_COUNT
};

/* numeric fields */
enum rec_num {
	RN_FSUID,
	RN_OUID,
	RN_TASK,
	RN_PARENT,
	RN_TOKEN,
	RN_ERROR,          /* absolute value of error= */
	RN_PID,
	RN_PEER_PID,
	RN_LPORT,
	RN_FPORT,
	RN_CAPABILITY,
	RN_SRC,            /* src=/dest= ports of newer kernels */
	RN_DEST,
	RN_COUNT
};

/*
 * How a key's value is read.
 * K_HEX: the kernel logs the value with audit_log_untrustedstring(): quoted
 * when harmless, else hex-encoded; an unquoted value that is not valid hex
 * is therefore garbage and makes the record untrustworthy.
 * K_MAYBE_HEX: hex-decoded when it is valid hex, else taken as it is.
 */
enum { K_STR = 1, K_NUM = 2, K_HEX = 4, K_NONE_IS_ABSENT = 8, K_MAYBE_HEX = 16,
       K_LABEL = 32 /* a profile label: control characters mean garbage */ };

struct rec_key {
	const char *name;
	int kind;          /* K_* */
	int idx;           /* enum rec_field (K_STR) or enum rec_num (K_NUM) */
};

/* the key of the n bytes at k, or NULL for a key aaprof does not read */
const struct rec_key *rec_key_find(const char *k, size_t n);

#endif
