/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The e2e class probe: one access of an AppArmor class that newer kernels
 * mediate, one syscall at a time, for classes.sh.
 *   probe userns                  unshare(CLONE_NEWUSER)          (namespace)
 *   probe sqpoll                  an io_uring SQPOLL ring          (io_uring)
 *   probe override-creds          an io_uring request run with a registered
 *                                 personality (credentials)       (io_uring)
 *   probe unix-listen NAME        bind + listen, abstract stream socket @NAME
 *   probe unix-connect NAME       connect to the abstract stream socket @NAME
 *   probe unix-dgram NAME         bind an abstract datagram socket @NAME
 *   probe unix-serve NAME         listen on @NAME and accept until killed
 *   probe udp6-bind ADDR PORT     bind an inet6 datagram socket    (network)
 *   probe tcp6-bind ADDR PORT     bind an inet6 stream socket      (network)
 *   probe udp6-connect ADDR PORT  connect an inet6 datagram socket (network)
 * Prints "WHAT: ok" or "WHAT: STEP: error"; exit 0 ok, 13 refused
 * (EACCES or EPERM), 1 any other failure.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <linux/io_uring.h>
#include <netinet/in.h>
#include <sched.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

static const char *what;

static int fail(const char *step)
{
	int e = errno;

	printf("%s: %s: %s\n", what, step, strerror(e));
	return e == EACCES || e == EPERM ? 13 : 1;
}

static int ok(void)
{
	printf("%s: ok\n", what);
	return 0;
}

static socklen_t abstract(struct sockaddr_un *sa, const char *name)
{
	memset(sa, 0, sizeof(*sa));
	sa->sun_family = AF_UNIX;
	strncpy(sa->sun_path + 1, name, sizeof(sa->sun_path) - 2);
	return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + strlen(sa->sun_path + 1));
}

static int uring_setup(unsigned entries, struct io_uring_params *p)
{
	return (int)syscall(__NR_io_uring_setup, entries, p);
}

/* one IORING_OP_NOP with a registered personality: the kernel asks the LSM
   (security_uring_override_creds) before it runs the request */
static int override_creds(void)
{
	struct io_uring_params p;
	struct io_uring_sqe *sqes;
	struct io_uring_cqe *cqes;
	unsigned *sq_tail, *sq_mask, *sq_array, *cq_head, *cq_tail, *cq_mask;
	char *sq, *cq;
	int fd, id, res;

	memset(&p, 0, sizeof(p));
	fd = uring_setup(4, &p);
	if (fd < 0)
		return fail("io_uring_setup");
	id = (int)syscall(__NR_io_uring_register, fd, IORING_REGISTER_PERSONALITY, NULL, 0);
	if (id < 0)
		return fail("register personality");
	sq = mmap(NULL, p.sq_off.array + p.sq_entries * sizeof(unsigned), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_POPULATE, fd, IORING_OFF_SQ_RING);
	cq = mmap(NULL, p.cq_off.cqes + p.cq_entries * sizeof(struct io_uring_cqe), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_POPULATE, fd, IORING_OFF_CQ_RING);
	sqes = mmap(NULL, p.sq_entries * sizeof(struct io_uring_sqe), PROT_READ | PROT_WRITE,
		    MAP_SHARED | MAP_POPULATE, fd, IORING_OFF_SQES);
	if (sq == MAP_FAILED || cq == MAP_FAILED || sqes == MAP_FAILED)
		return fail("mmap");
	sq_tail = (unsigned *)(sq + p.sq_off.tail);
	sq_mask = (unsigned *)(sq + p.sq_off.ring_mask);
	sq_array = (unsigned *)(sq + p.sq_off.array);
	cq_head = (unsigned *)(cq + p.cq_off.head);
	cq_tail = (unsigned *)(cq + p.cq_off.tail);
	cq_mask = (unsigned *)(cq + p.cq_off.ring_mask);
	cqes = (struct io_uring_cqe *)(cq + p.cq_off.cqes);
	memset(&sqes[0], 0, sizeof(sqes[0]));
	sqes[0].opcode = IORING_OP_NOP;
	sqes[0].personality = (__u16)id;
	sq_array[*sq_tail & *sq_mask] = 0;
	__atomic_store_n(sq_tail, *sq_tail + 1, __ATOMIC_RELEASE);
	if (syscall(__NR_io_uring_enter, fd, 1, 1, IORING_ENTER_GETEVENTS, NULL, 0) < 0)
		return fail("io_uring_enter");
	if (__atomic_load_n(cq_tail, __ATOMIC_ACQUIRE) == *cq_head) {
		errno = EIO;
		return fail("no completion");
	}
	res = cqes[*cq_head & *cq_mask].res;
	if (res < 0) {
		errno = -res;
		return fail("request with personality");
	}
	return ok();
}

static int inet6_op(int type, int do_connect, const char *addr, const char *port)
{
	struct sockaddr_in6 sa;
	int fd = socket(AF_INET6, type, 0);

	if (fd < 0)
		return fail("socket");
	memset(&sa, 0, sizeof(sa));
	sa.sin6_family = AF_INET6;
	sa.sin6_port = htons((unsigned short)atoi(port));
	if (inet_pton(AF_INET6, addr, &sa.sin6_addr) != 1) {
		errno = EINVAL;
		return fail("address");
	}
	if (do_connect)
		return connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ? fail("connect") : ok();
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return fail("bind");
	return ok();
}

int main(int argc, char **argv)
{
	struct sockaddr_un sa;
	struct io_uring_params p;
	socklen_t len;
	int fd, c;

	if (argc < 2)
		return 2;
	what = argv[1];
	setvbuf(stdout, NULL, _IONBF, 0);
	if (!strcmp(what, "userns"))
		return unshare(CLONE_NEWUSER) < 0 ? fail("unshare") : ok();
	if (!strcmp(what, "sqpoll")) {
		memset(&p, 0, sizeof(p));
		p.flags = IORING_SETUP_SQPOLL;
		p.sq_thread_idle = 10;
		return uring_setup(4, &p) < 0 ? fail("io_uring_setup") : ok();
	}
	if (!strcmp(what, "override-creds"))
		return override_creds();
	if (argc == 4 && !strcmp(what, "udp6-bind"))
		return inet6_op(SOCK_DGRAM, 0, argv[2], argv[3]);
	if (argc == 4 && !strcmp(what, "tcp6-bind"))
		return inet6_op(SOCK_STREAM, 0, argv[2], argv[3]);
	if (argc == 4 && !strcmp(what, "udp6-connect"))
		return inet6_op(SOCK_DGRAM, 1, argv[2], argv[3]);
	if (argc != 3)
		return 2;
	len = abstract(&sa, argv[2]);
	fd = socket(AF_UNIX, strcmp(what, "unix-dgram") ? SOCK_STREAM : SOCK_DGRAM, 0);
	if (fd < 0)
		return fail("socket");
	if (!strcmp(what, "unix-connect"))
		return connect(fd, (struct sockaddr *)&sa, len) < 0 ? fail("connect") : ok();
	if (bind(fd, (struct sockaddr *)&sa, len) < 0)
		return fail("bind");
	if (!strcmp(what, "unix-dgram"))
		return ok();
	if (listen(fd, 8) < 0)
		return fail("listen");
	if (!strcmp(what, "unix-listen"))
		return ok();
	if (strcmp(what, "unix-serve"))
		return 2;
	ok();
	while ((c = accept(fd, NULL, NULL)) >= 0)
		close(c);
	return fail("accept");
}
