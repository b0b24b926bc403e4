/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef AAPROF_DOCKER_H
#define AAPROF_DOCKER_H

#include "strbuf.h"

#include <stddef.h>

/*
 * What Docker says about a container: the Engine API on its unix socket
 * (HTTP/1.1 over AF_UNIX, JSON read with json-c), or, when the socket
 * cannot be opened (not there, no permission), `docker inspect` run with
 * an argument vector. Only the fields aaprof check judges are kept.
 */
struct docker_container {
	char *id, *name;        /* name without Docker's leading '/' */
	int running;
	long pid;               /* State.Pid: the container's init, 0 when not running */
	char *apparmor;         /* AppArmorProfile; "" when Docker attached none */
	int privileged;         /* HostConfig.Privileged */
	char **secopt;          /* HostConfig.SecurityOpt */
	size_t nsecopt;
	char **capadd;          /* HostConfig.CapAdd, as written ("NET_ADMIN", "CAP_SYS_ADMIN", "ALL") */
	size_t ncapadd;
};

#define DOCKER_SOCKET "/var/run/docker.sock"
/* a container's JSON as big as aaprof reads */
#define DOCKER_MAX_JSON (16u << 20)

/* a name or id as Docker accepts it ([a-zA-Z0-9][a-zA-Z0-9_.-]*, at most 255): 1 or 0 */
int docker_valid_ref(const char *ref);

/*
 * The container object of the Engine API's GET /containers/ID/json (or one
 * element of `docker inspect`'s array) into *ret. 0, or -1 with why in
 * err (not JSON, not an object, a field of the wrong type).
 */
int docker_container_parse(const char *json, size_t len, struct docker_container *ret,
			   struct strbuf *err);
void docker_container_release(struct docker_container *c);

/*
 * The connection: the socket (NULL: DOCKER_SOCKET), and whether `docker
 * inspect` stands in for it (the socket could not be opened). The test
 * build's $AAPROF_DOCKER names the docker program of the fallback.
 */
struct docker_conn {
	const char *socket;
	int use_cli;
};
/* decide how to reach Docker: 0, or -1 after error() when neither way works */
int docker_connect(struct docker_conn *c);
/* inspect one container: 0, 1 when there is no such container, -1 after error() */
int docker_inspect(struct docker_conn *c, const char *ref, struct docker_container *ret);
/* the ids of the running containers: 0, or -1 after error() */
int docker_running(struct docker_conn *c, char ***ret, size_t *ret_n);

/*
 * One HTTP/1.1 response (as read until the server closed the connection):
 * its status code and body (chunked transfer coding decoded). 0, or -1 with
 * why in err. Exposed for the tests.
 */
int docker_http_response(const char *resp, size_t len, int *ret_status, struct strbuf *body,
			 struct strbuf *err);

#endif
