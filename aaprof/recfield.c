/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * recfield.c - the log keys aaprof reads, the field each fills, and how
 * its value is encoded; looked up for every token of every record.
 */
#include "recfield.h"
#include "util.h"

#include <string.h>

static const struct rec_key keys[] = {
	{ "operation", K_STR, RF_OPERATION },
	{ "requested_mask", K_STR, RF_REQUESTED },
	{ "requested", K_STR, RF_REQUESTED },
	{ "denied_mask", K_STR, RF_DENIED },
	{ "denied", K_STR, RF_DENIED },
	{ "mask", K_STR, RF_DENIED },
	{ "profile", K_STR | K_HEX | K_LABEL, RF_PROFILE },
	{ "label", K_STR | K_HEX | K_LABEL, RF_PROFILE },
	{ "peer", K_STR | K_HEX | K_LABEL, RF_PEER },
	{ "peer_profile", K_STR | K_HEX | K_LABEL, RF_PEER_PROFILE },
	{ "peer_label", K_STR | K_HEX | K_LABEL, RF_PEER_PROFILE },
	{ "name", K_STR | K_HEX, RF_NAME },
	{ "comm", K_STR | K_HEX, RF_COMM },
	{ "name2", K_STR | K_HEX, RF_NAME2 },
	{ "target", K_STR | K_HEX | K_LABEL, RF_NAME2 },
	{ "attribute", K_STR, RF_ATTRIBUTE },
	{ "namespace", K_STR | K_HEX | K_LABEL, RF_NAMESPACE },
	{ "info", K_STR, RF_INFO },
	{ "peer_info", K_STR, RF_PEER_INFO },
	{ "signal", K_STR, RF_SIGNAL },
	{ "fstype", K_STR | K_HEX, RF_FSTYPE },
	{ "execpath", K_STR | K_HEX, RF_EXECPATH },
	{ "addr", K_STR | K_MAYBE_HEX | K_NONE_IS_ABSENT, RF_ADDR },
	{ "peer_addr", K_STR | K_MAYBE_HEX | K_NONE_IS_ABSENT, RF_PEER_ADDR },
	{ "bus", K_STR, RF_BUS },
	{ "flags", K_STR, RF_FLAGS },
	{ "family", K_STR, RF_FAMILY },
	{ "path", K_STR, RF_DBUS_PATH },
	{ "srcname", K_STR | K_HEX, RF_SRCNAME },
	{ "sock_type", K_STR, RF_SOCK_TYPE },
	{ "interface", K_STR, RF_INTERFACE },
	{ "protocol", K_STR, RF_PROTOCOL },
	{ "member", K_STR, RF_MEMBER },
	{ "method", K_STR, RF_MEMBER },
	{ "laddr", K_STR, RF_LADDR },
	{ "saddr", K_STR, RF_SADDR },
	{ "faddr", K_STR, RF_FADDR },
	{ "daddr", K_STR, RF_DADDR },
	{ "tcontext", K_STR | K_HEX | K_LABEL, RF_PEER_PROFILE },
	{ "class", K_STR, RF_CLASS },
	{ "capname", K_STR, RF_CAPNAME },
	{ "exe", K_STR | K_MAYBE_HEX, RF_EXE },
	{ "node", K_STR, RF_NODE },
	{ "fsuid", K_NUM, RN_FSUID },
	{ "ouid", K_NUM, RN_OUID },
	{ "task", K_NUM, RN_TASK },
	{ "parent", K_NUM, RN_PARENT },
	{ "magic_token", K_NUM, RN_TOKEN },
	{ "error", K_NUM, RN_ERROR },
	{ "pid", K_NUM, RN_PID },
	{ "peer_pid", K_NUM, RN_PEER_PID },
	{ "lport", K_NUM, RN_LPORT },
	{ "src", K_NUM, RN_SRC },
	{ "fport", K_NUM, RN_FPORT },
	{ "dest", K_NUM, RN_DEST },
	{ "capability", K_NUM, RN_CAPABILITY },
};

/*
 * Keys are looked up for every token of every record: index them once by
 * (length, first character), so a lookup compares one or two candidates.
 */
#define KEY_MAXLEN 16
static signed char key_index[KEY_MAXLEN + 1][26][4];

static void build_key_index(void)
{
	size_t i, j;

	memset(key_index, -1, sizeof(key_index));
	for (i = 0; i < ARRAY_SIZE(keys); i++) {
		size_t n = strlen(keys[i].name);
		signed char *slot = key_index[n][keys[i].name[0] - 'a'];

		for (j = 0; j < 4 && slot[j] >= 0; j++)
			;
		if (n > KEY_MAXLEN || j == 4)
			abort();   /* the table outgrew the index: a programming error */
		slot[j] = (signed char)i;
	}
}

const struct rec_key *rec_key_find(const char *k, size_t n)
{
	static int built;
	const signed char *slot;
	size_t j;

	if (!built) {
		build_key_index();
		built = 1;
	}
	if (n > KEY_MAXLEN || k[0] < 'a' || k[0] > 'z')
		return NULL;
	slot = key_index[n][k[0] - 'a'];
	for (j = 0; j < 4 && slot[j] >= 0; j++)
		if (!memcmp(keys[slot[j]].name, k, n))
			return &keys[slot[j]];
	return NULL;
}
