/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * docker.c - what Docker says about a container: the Engine API over its
 * unix socket (HTTP/1.1, one request per connection), or `docker inspect`
 */
#include "docker.h"
#include "testhooks.h"
#include "util.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <spawn.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

int docker_valid_ref(const char *ref)
{
	size_t i;

	if (!ref || !isalnum((unsigned char)ref[0]))
		return 0;
	for (i = 1; ref[i]; i++)
		if (!isalnum((unsigned char)ref[i]) && !strchr("_.-", ref[i]))
			return 0;
	return i <= 255;
}

/* ------------------------------------------------------------ the JSON -- */

static struct json_object *get(struct json_object *o, const char *key, enum json_type want)
{
	struct json_object *v;

	if (!o || !json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, want))
		return NULL;
	return v;
}

/* key (a string or absent/null); -1 when it is something else */
static int get_string(struct json_object *o, const char *key, char **ret, struct strbuf *err)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, key, &v) || json_object_is_type(v, json_type_null)) {
		*ret = xstrdup("");
		return 0;
	}
	if (!json_object_is_type(v, json_type_string)) {
		strbuf_addf(err, "'%s' is not a string", key);
		return -1;
	}
	*ret = xstrdup(json_object_get_string(v));
	return 0;
}

/* an array of strings (absent or null: none) */
static int get_strings(struct json_object *o, const char *key, char ***ret, size_t *ret_n,
		       struct strbuf *err)
{
	struct json_object *v;
	size_t i, n;

	*ret = NULL;
	*ret_n = 0;
	if (!o || !json_object_object_get_ex(o, key, &v) || json_object_is_type(v, json_type_null))
		return 0;
	if (!json_object_is_type(v, json_type_array)) {
		strbuf_addf(err, "'%s' is not an array", key);
		return -1;
	}
	n = json_object_array_length(v);
	*ret = xcalloc(n + 1, sizeof(**ret));
	for (i = 0; i < n; i++) {
		struct json_object *e = json_object_array_get_idx(v, i);

		if (!json_object_is_type(e, json_type_string)) {
			strbuf_addf(err, "'%s' holds something that is not a string", key);
			return -1;
		}
		(*ret)[(*ret_n)++] = xstrdup(json_object_get_string(e));
	}
	return 0;
}

static struct json_object *parse_json(const char *json, size_t len, struct strbuf *err)
{
	struct json_tokener *tok = json_tokener_new();
	struct json_object *o;

	if (len > DOCKER_MAX_JSON || len > INT32_MAX) {
		json_tokener_free(tok);
		strbuf_addf(err, "more than %u bytes of JSON", DOCKER_MAX_JSON);
		return NULL;
	}
	o = json_tokener_parse_ex(tok, json, (int)len);
	if (!o || json_tokener_get_error(tok) != json_tokener_success ||
	    json_tokener_get_parse_end(tok) != len) {
		/* trailing white space is fine, anything else is not */
		size_t end = json_tokener_get_parse_end(tok);

		while (o && end < len && isspace((unsigned char)json[end]))
			end++;
		if (!o || end != len) {
			strbuf_addf(err, "not JSON (%s)", o ? "data after the value" :
				    json_tokener_error_desc(json_tokener_get_error(tok)));
			json_object_put(o);
			o = NULL;
		}
	}
	json_tokener_free(tok);
	return o;
}

static int container_from(struct json_object *o, struct docker_container *c, struct strbuf *err)
{
	struct json_object *state = get(o, "State", json_type_object);
	struct json_object *hc = get(o, "HostConfig", json_type_object), *v;
	char *name;

	if (!json_object_is_type(o, json_type_object)) {
		strbuf_addstr(err, "not a JSON object");
		return -1;
	}
	if (get_string(o, "Id", &c->id, err) < 0 || get_string(o, "Name", &name, err) < 0 ||
	    get_string(o, "AppArmorProfile", &c->apparmor, err) < 0)
		return -1;
	c->name = xstrdup(name + (name[0] == '/'));
	free(name);
	if (!*c->id) {
		strbuf_addstr(err, "no container 'Id'");
		return -1;
	}
	if ((v = get(state, "Running", json_type_boolean)))
		c->running = json_object_get_boolean(v);
	if ((v = get(state, "Pid", json_type_int)))
		c->pid = json_object_get_int64(v) > 0 ? (long)json_object_get_int64(v) : 0;
	if (!c->running)
		c->pid = 0;
	if ((v = get(hc, "Privileged", json_type_boolean)))
		c->privileged = json_object_get_boolean(v);
	if (hc && (get_strings(hc, "SecurityOpt", &c->secopt, &c->nsecopt, err) < 0 ||
		   get_strings(hc, "CapAdd", &c->capadd, &c->ncapadd, err) < 0))
		return -1;
	return 0;
}

int docker_container_parse(const char *json, size_t len, struct docker_container *ret,
			   struct strbuf *err)
{
	struct json_object *o = parse_json(json, len, err);
	int r;

	memset(ret, 0, sizeof(*ret));
	if (!o)
		return -1;
	/* docker inspect: an array of one */
	if (json_object_is_type(o, json_type_array)) {
		struct json_object *a = o;

		if (json_object_array_length(a) != 1) {
			json_object_put(a);
			strbuf_addstr(err, "not one container");
			return -1;
		}
		o = json_object_get(json_object_array_get_idx(a, 0));
		json_object_put(a);
	}
	r = container_from(o, ret, err);
	json_object_put(o);
	if (r < 0)
		docker_container_release(ret);
	return r;
}

static void free_strings(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void docker_container_release(struct docker_container *c)
{
	free(c->id);
	free(c->name);
	free(c->apparmor);
	free_strings(c->secopt, c->nsecopt);
	free_strings(c->capadd, c->ncapadd);
	memset(c, 0, sizeof(*c));
}

/* ------------------------------------------------------------ the HTTP -- */

/* the chunked transfer coding: hex size CRLF data CRLF ... 0 CRLF */
static int unchunk(const char *p, const char *end, struct strbuf *body, struct strbuf *err)
{
	for (;;) {
		char *e;
		unsigned long n;
		const char *eol = memmem(p, end - p, "\r\n", 2);

		if (!eol || !isxdigit((unsigned char)*p)) {
			strbuf_addstr(err, "a bad chunk");
			return -1;
		}
		errno = 0;
		n = strtoul(p, &e, 16);
		if (errno || (e != eol && *e != ';') || n > DOCKER_MAX_JSON) {
			strbuf_addstr(err, "a bad chunk size");
			return -1;
		}
		p = eol + 2;
		if (n == 0)
			return 0;
		if ((size_t)(end - p) < n + 2 || memcmp(p + n, "\r\n", 2)) {
			strbuf_addstr(err, "a truncated chunk");
			return -1;
		}
		strbuf_add(body, p, n);
		p += n + 2;
	}
}

/* the value of header name in the header block [h, end), or NULL */
static const char *header(const char *h, const char *end, const char *name, size_t *ret_len)
{
	size_t nl = strlen(name);

	while (h < end) {
		const char *eol = memmem(h, end - h, "\r\n", 2);

		if (!eol)
			eol = end;
		if ((size_t)(eol - h) > nl && h[nl] == ':' && !strncasecmp(h, name, nl)) {
			const char *v = h + nl + 1;

			while (v < eol && (*v == ' ' || *v == '\t'))
				v++;
			*ret_len = eol - v;
			while (*ret_len && (v[*ret_len - 1] == ' ' || v[*ret_len - 1] == '\t'))
				(*ret_len)--;
			return v;
		}
		h = eol + 2;
	}
	return NULL;
}

int docker_http_response(const char *resp, size_t len, int *ret_status, struct strbuf *body,
			 struct strbuf *err)
{
	const char *end = resp + len, *hdr_end, *v, *first;
	size_t vl;
	int status;

	if (len < 12 || (strncmp(resp, "HTTP/1.1 ", 9) && strncmp(resp, "HTTP/1.0 ", 9)) ||
	    !isdigit((unsigned char)resp[9]) || !isdigit((unsigned char)resp[10]) ||
	    !isdigit((unsigned char)resp[11])) {
		strbuf_addstr(err, "not an HTTP response");
		return -1;
	}
	status = (resp[9] - '0') * 100 + (resp[10] - '0') * 10 + (resp[11] - '0');
	hdr_end = memmem(resp, len, "\r\n\r\n", 4);
	if (!hdr_end) {
		strbuf_addstr(err, "an HTTP response without the end of its header");
		return -1;
	}
	first = (const char *)memchr(resp, '\n', len) + 1;
	v = header(first, hdr_end + 2, "Transfer-Encoding", &vl);
	if (v && vl == 7 && !strncasecmp(v, "chunked", 7)) {
		if (unchunk(hdr_end + 4, end, body, err) < 0)
			return -1;
	} else if (v && !(vl == 8 && !strncasecmp(v, "identity", 8))) {
		strbuf_addf(err, "an unknown transfer coding '%.*s'", (int)(vl > 40 ? 40 : vl), v);
		return -1;
	} else {
		const char *b = hdr_end + 4;
		size_t blen = end - b;

		v = header(first, hdr_end + 2, "Content-Length", &vl);
		if (v) {
			char *e;
			unsigned long long cl;

			errno = 0;
			cl = strtoull(v, &e, 10);
			if (errno || e != v + vl || !isdigit((unsigned char)*v) || cl > blen) {
				strbuf_addstr(err, "a truncated HTTP body (Content-Length)");
				return -1;
			}
			blen = cl;
		}
		strbuf_add(body, b, blen);
	}
	*ret_status = status;
	return 0;
}

/* GET path over the socket: the response's status and body; -1 after error() */
static int http_get(const char *sock, const char *path, int *ret_status, struct strbuf *body)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	_cleanup_free_ char *req = xasprintf("GET %s HTTP/1.1\r\nHost: docker\r\n"
					     "User-Agent: aaprof\r\nConnection: close\r\n\r\n", path);
	struct strbuf resp = STRBUF_INIT, err = STRBUF_INIT;
	size_t off = 0, reqlen = strlen(req);
	int fd, r = -1;

	if (strlen(sock) >= sizeof(sa.sun_path))
		return error("'%s': socket path too long", sock);
	strcpy(sa.sun_path, sock);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return error_errno("cannot create a unix socket");
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		error_errno("cannot connect to '%s'", sock);
		goto out;
	}
	while (off < reqlen) {
		ssize_t w = send(fd, req + off, reqlen - off, MSG_NOSIGNAL);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			error_errno("'%s': cannot send the request", sock);
			goto out;
		}
		off += w;
	}
	for (;;) {
		ssize_t n;

		strbuf_grow(&resp, 65536);
		n = read(fd, resp.buf + resp.len, resp.alloc - resp.len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			error_errno("'%s': cannot read the response", sock);
			goto out;
		}
		if (n == 0)
			break;
		strbuf_setlen(&resp, resp.len + n);
		if (resp.len > DOCKER_MAX_JSON + 65536) {
			error("'%s': a response of more than %u bytes", sock, DOCKER_MAX_JSON);
			goto out;
		}
	}
	if (docker_http_response(resp.buf, resp.len, ret_status, body, &err) < 0) {
		error("'%s' GET %s: %s", sock, path, err.buf);
		goto out;
	}
	r = 0;
out:
	close(fd);
	strbuf_release(&resp);
	strbuf_release(&err);
	return r;
}

/* ------------------------------------------------------------- the CLI -- */

static void strbuf_trim_end(struct strbuf *sb)
{
	while (sb->len && (sb->buf[sb->len - 1] == '\n' || sb->buf[sb->len - 1] == ' '))
		strbuf_setlen(sb, sb->len - 1);
}

static const char *docker_program(void)
{
	static const char *const paths[] = { "/usr/bin/docker", "/usr/local/bin/docker" };
	size_t i;

	if (test_getenv("AAPROF_DOCKER"))
		return test_getenv("AAPROF_DOCKER");
	for (i = 0; i < ARRAY_SIZE(paths); i++)
		if (access(paths[i], X_OK) == 0)
			return paths[i];
	return NULL;
}

/* run docker with args, its standard output into out: its exit status, or -1 */
static int run_docker(const char *const *argv, struct strbuf *out)
{
	extern char **environ;
	const char *prog = docker_program();
	posix_spawn_file_actions_t fa;
	int p[2], r, status;
	pid_t pid;

	if (!prog)
		return error("docker is not installed (no /usr/bin/docker)");
	if (pipe2(p, O_CLOEXEC) < 0)
		return error_errno("cannot create a pipe");
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, p[1], STDOUT_FILENO);
	r = posix_spawn(&pid, prog, &fa, NULL, (char *const *)argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(p[1]);
	if (r) {
		close(p[0]);
		errno = r;
		return error_errno("cannot run %s", prog);
	}
	for (;;) {
		ssize_t n;

		strbuf_grow(out, 65536);
		n = read(p[0], out->buf + out->len, out->alloc - out->len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0 || out->len + n > DOCKER_MAX_JSON)
			break;
		strbuf_setlen(out, out->len + n);
	}
	close(p[0]);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return error_errno("cannot wait for %s", prog);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* ---------------------------------------------------------- the calls -- */

int docker_connect(struct docker_conn *c)
{
	int fd;
	struct sockaddr_un sa = { .sun_family = AF_UNIX };

	if (!c->socket)
		c->socket = DOCKER_SOCKET;
	if (strlen(c->socket) >= sizeof(sa.sun_path))
		return error("'%s': socket path too long", c->socket);
	strcpy(sa.sun_path, c->socket);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0) {
		close(fd);
		c->use_cli = 0;
		return 0;
	}
	if (fd >= 0)
		close(fd);
	if (!docker_program())
		return error_errno("cannot connect to Docker at '%s' (and no docker command to ask)",
				   c->socket);
	note("cannot connect to '%s' (%s): asking 'docker inspect'", c->socket, strerror(errno));
	c->use_cli = 1;
	return 0;
}

int docker_inspect(struct docker_conn *c, const char *ref, struct docker_container *ret)
{
	struct strbuf body = STRBUF_INIT, err = STRBUF_INIT;
	int status, r = -1;

	if (!docker_valid_ref(ref))
		return error("'%s': not a container name or id", ref);
	if (c->use_cli) {
		const char *argv[] = { "docker", "inspect", "--type", "container", "--", ref, NULL };

		status = run_docker(argv, &body);
		if (status < 0)
			goto out;
		/* docker inspect of a missing container: "[]" and exit status 1 */
		strbuf_trim_end(&body);
		if (status && !streq(body.buf, "[]")) {
			error("'docker inspect %s' failed (exit status %d)", ref, status);
			goto out;
		}
		status = status == 0 ? 200 : 404;
	} else {
		_cleanup_free_ char *path = xasprintf("/containers/%s/json", ref);

		if (http_get(c->socket, path, &status, &body) < 0)
			goto out;
	}
	if (status == 404) {
		r = 1;
		goto out;
	}
	if (status != 200) {
		error("Docker: container '%s': HTTP status %d: %.200s", ref, status, body.buf);
		goto out;
	}
	if (docker_container_parse(body.buf, body.len, ret, &err) < 0) {
		error("Docker: container '%s': %s", ref, err.buf);
		goto out;
	}
	r = 0;
out:
	strbuf_release(&body);
	strbuf_release(&err);
	return r;
}

int docker_running(struct docker_conn *c, char ***ret, size_t *ret_n)
{
	struct strbuf body = STRBUF_INIT, err = STRBUF_INIT;
	struct json_object *o = NULL;
	char **v = NULL;
	size_t n = 0, alloc = 0, i;
	int status, r = -1;

	if (c->use_cli) {
		const char *argv[] = { "docker", "ps", "--quiet", "--no-trunc", NULL };
		char *line, *save = NULL;

		if (run_docker(argv, &body) != 0) {
			error("'docker ps' failed");
			goto out;
		}
		for (line = strtok_r(body.buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
			ALLOC_GROW(v, n + 1, alloc);
			v[n++] = xstrdup(line);
		}
		r = 0;
		goto out;
	}
	if (http_get(c->socket, "/containers/json", &status, &body) < 0)
		goto out;
	if (status != 200) {
		error("Docker: GET /containers/json: HTTP status %d", status);
		goto out;
	}
	if (!(o = parse_json(body.buf, body.len, &err)) || !json_object_is_type(o, json_type_array)) {
		error("Docker: GET /containers/json: %s", err.len ? err.buf : "not an array");
		goto out;
	}
	for (i = 0; i < json_object_array_length(o); i++) {
		struct json_object *id = get(json_object_array_get_idx(o, i), "Id", json_type_string);

		if (!id) {
			error("Docker: GET /containers/json: a container without an 'Id'");
			goto out;
		}
		ALLOC_GROW(v, n + 1, alloc);
		v[n++] = xstrdup(json_object_get_string(id));
	}
	r = 0;
out:
	json_object_put(o);
	strbuf_release(&body);
	strbuf_release(&err);
	if (r < 0) {
		free_strings(v, n);
		return r;
	}
	*ret = v;
	*ret_n = n;
	return 0;
}
