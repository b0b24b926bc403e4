/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The end-to-end test workload: what a small containerised service does.
 * Reads its config, writes its data directory, execs a helper, binds a
 * socket, uses a capability, signals itself. Each step prints "ok STEP" or
 * "FAIL STEP: error" and the exit status is the number of failures.
 *   workload             all steps
 *   workload --read F    only read F (the "secret" probe)
 *   workload --write F   only write "h" to F (/proc/sysrq-trigger: a deny rule)
 *   workload --sleep N   only sleep (a confined process for aaprof status)
 * Both exit 13 for EACCES.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static int failures;
static volatile sig_atomic_t got_signal;

static void step(const char *name, int ok)
{
	if (ok) {
		printf("ok %s\n", name);
	} else {
		printf("FAIL %s: %s\n", name, strerror(errno));
		failures++;
	}
	fflush(stdout);
}

static int read_file(const char *path)
{
	char buf[256];
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf));
	close(fd);
	return n >= 0;
}

static void on_usr1(int sig)
{
	(void)sig;
	got_signal = 1;
}

int main(int argc, char **argv)
{
	struct sockaddr_in sa;
	int fd, status;
	pid_t pid;

	if (argc == 3 && !strcmp(argv[1], "--read")) {
		int ok = read_file(argv[2]);

		printf("read %s: %s\n", argv[2], ok ? "ok" : strerror(errno));
		return ok ? 0 : (errno == EACCES ? 13 : 1);
	}
	if (argc == 3 && !strcmp(argv[1], "--sleep")) {
		sleep((unsigned)atoi(argv[2]));
		return 0;
	}
	if (argc == 3 && !strcmp(argv[1], "--write")) {
		int ok;

		fd = open(argv[2], O_WRONLY);
		ok = fd >= 0 && write(fd, "h", 1) == 1;
		printf("write %s: %s\n", argv[2], ok ? "ok" : strerror(errno));
		if (fd >= 0)
			close(fd);
		return ok ? 0 : (errno == EACCES ? 13 : 1);
	}
	step("read config", read_file("/etc/e2e-app/app.conf"));
	fd = open("/var/lib/e2e-app/state", O_WRONLY | O_CREAT | O_TRUNC, 0600);
	step("write data", fd >= 0 && write(fd, "state\n", 6) == 6);
	if (fd >= 0)
		close(fd);
	pid = fork();
	if (pid == 0) {
		execl("/usr/bin/e2e-helper", "e2e-helper", (char *)NULL);
		_exit(127);
	}
	step("exec helper", pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
			    WEXITSTATUS(status) == 0);
	fd = socket(AF_INET, SOCK_STREAM, 0);
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons(80);   /* below 1024: needs net_bind_service */
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	step("bind socket", fd >= 0 && bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0 &&
			    listen(fd, 1) == 0);
	if (fd >= 0)
		close(fd);
	/* a capability: give a file away and take it back (CAP_CHOWN); the
	   second chown is by a non-owner, which AppArmor tells apart */
	fd = open("/var/lib/e2e-app/owned", O_WRONLY | O_CREAT, 0600);
	if (fd >= 0)
		close(fd);
	step("use capability", fd >= 0 && chown("/var/lib/e2e-app/owned", 65534, 65534) == 0 &&
			       chown("/var/lib/e2e-app/owned", 0, 0) == 0);
	signal(SIGUSR1, on_usr1);
	step("signal itself", kill(getpid(), SIGUSR1) == 0 && got_signal);
	return failures;
}
