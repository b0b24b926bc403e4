/* SPDX-License-Identifier: GPL-2.0-or-later */
/* lock.c - one writer at a time per profile file (flock on a file in the state directory) */
#include "lock.h"
#include "paths.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

static struct held {
	char *lockfile;
	char *path;   /* as the first caller named it */
	int fd;
	int count;
} *held;
static size_t nheld, alloc_held;

static struct held *find(const char *lockfile, const char *path)
{
	size_t i;

	for (i = 0; i < nheld; i++)
		if (lockfile ? streq(held[i].lockfile, lockfile) : streq(held[i].path, path))
			return &held[i];
	return NULL;
}

int profile_lock(const char *path)
{
	char *lockfile = state_path_for("lock", path, ".lock");
	struct held *h = find(lockfile, NULL);
	int fd;

	if (h) {
		h->count++;
		free(lockfile);
		return 0;
	}
	fd = open(lockfile, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0) {
		error_errno("cannot open the lock file '%s' for '%s'", lockfile, path);
		free(lockfile);
		return -1;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		int r;

		if (errno != EWOULDBLOCK) {
			error_errno("cannot lock '%s'", lockfile);
			goto fail;
		}
		note("waiting for another aaprof working on '%s'", path);
		while ((r = flock(fd, LOCK_EX)) < 0 && errno == EINTR)
			;
		if (r < 0) {
			error_errno("cannot lock '%s'", lockfile);
			goto fail;
		}
	}
	ALLOC_GROW(held, nheld + 1, alloc_held);
	held[nheld].lockfile = lockfile;
	held[nheld].path = xstrdup(path);
	held[nheld].fd = fd;
	held[nheld].count = 1;
	nheld++;
	return 0;
fail:
	close(fd);
	free(lockfile);
	return -1;
}

void profile_unlock(const char *path)
{
	struct held *h = find(NULL, path);

	if (!h || --h->count > 0)
		return;
	close(h->fd);   /* releases the flock */
	free(h->lockfile);
	free(h->path);
	*h = held[--nheld];
	if (!nheld) {
		free(held);
		held = NULL;
		alloc_held = 0;
	}
}
