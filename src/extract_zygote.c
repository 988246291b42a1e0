/*
 * extract_zygote: a process that forks extractor children on request.
 *
 * Started before the caller has threads or open databases, it holds nothing
 * worth stealing and forks cheaply. For each request it forks a monitor; the
 * monitor forks the extractor child (limits, own process group), tells the
 * caller the child's pid, waits for the child and sends its wait status. The
 * zygote itself never waits: monitors are reaped by SIGCHLD = SIG_IGN.
 *
 * Protocol, over a SOCK_SEQPACKET pair: the caller sends one struct request
 * with three descriptors attached (the text pipe, the stderr pipe, and its end
 * of a fresh status socket pair); the monitor writes a pid_t, then an int wait
 * status, on the status socket. When the caller exits the control socket
 * closes and the zygote exits (and PR_SET_PDEATHSIG covers a crash).
 */
#include "lakthan/extract.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

struct request {
	struct extract_limits lim;
	char mime[128];
	char path[4096];
};

static int control_fd = -1;             /* caller's end; -1 when no zygote */
static pthread_mutex_t control_lock = PTHREAD_MUTEX_INITIALIZER;

/* Write all of p; the status socket's messages are tiny, so one write. */
static int send_all(int fd, const void *p, size_t n)
{
	ssize_t k;
	do
		k = send(fd, p, n, MSG_NOSIGNAL);
	while (k < 0 && errno == EINTR);
	return k == (ssize_t)n ? 0 : -1;
}

/* In the monitor: start the extractor, report its pid, then its end. */
static void monitor(const struct request *rq, int out_fd, int err_fd, int status_fd)
{
	signal(SIGCHLD, SIG_DFL);   /* the zygote's SIG_IGN would make waitpid fail */
	pid_t pid = fork();
	if (pid == 0) {
		close(status_fd);
		extract_child_setup(&rq->lim, out_fd, err_fd);
		close(out_fd);
		close(err_fd);
		/* exit, not _exit: under LeakSanitizer the extractor's leaks are
		 * still checked (stdio was flushed before the zygote was forked) */
		exit(extract_child_run(rq->mime, rq->path, &rq->lim));
	}
	close(out_fd);
	close(err_fd);
	int status = EXTRACT_FAILED << 8;
	if (pid > 0) {
		send_all(status_fd, &pid, sizeof pid);
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
	} else {
		pid_t none = -1;
		send_all(status_fd, &none, sizeof none);
	}
	send_all(status_fd, &status, sizeof status);
	_exit(0);
}

/* The zygote's loop: one request, one monitor, until the caller goes away. */
static void zygote_main(int fd)
{
	signal(SIGCHLD, SIG_IGN);
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	for (;;) {
		struct request rq;
		char cbuf[CMSG_SPACE(3 * sizeof(int))];
		struct iovec iov = {&rq, sizeof rq};
		struct msghdr m = {0};
		m.msg_iov = &iov;
		m.msg_iovlen = 1;
		m.msg_control = cbuf;
		m.msg_controllen = sizeof cbuf;
		ssize_t k = recvmsg(fd, &m, MSG_CMSG_CLOEXEC);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			_exit(0);
		struct cmsghdr *c = CMSG_FIRSTHDR(&m);
		if (k != sizeof rq || !c || c->cmsg_type != SCM_RIGHTS || c->cmsg_len != CMSG_LEN(3 * sizeof(int))) {
			for (; c; c = CMSG_NXTHDR(&m, c))   /* drop whatever came with a bad message */
				if (c->cmsg_type == SCM_RIGHTS)
					for (size_t i = 0; i < (c->cmsg_len - CMSG_LEN(0)) / sizeof(int); i++)
						close(((int *)CMSG_DATA(c))[i]);
			continue;
		}
		int fds[3];
		memcpy(fds, CMSG_DATA(c), sizeof fds);
		rq.mime[sizeof rq.mime - 1] = 0;
		rq.path[sizeof rq.path - 1] = 0;
		pid_t mon = fork();
		if (mon == 0) {
			close(fd);
			monitor(&rq, fds[0], fds[1], fds[2]);
		}
		close(fds[0]);
		close(fds[1]);
		if (mon < 0) {
			pid_t none = -1;
			int status = EXTRACT_FAILED << 8;
			send_all(fds[2], &none, sizeof none);
			send_all(fds[2], &status, sizeof status);
		}
		close(fds[2]);
	}
}

int extract_zygote_start(void)
{
	pthread_mutex_lock(&control_lock);
	int rc = 0;
	if (control_fd < 0) {
		int sv[2];
		if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0) {
			rc = -1;
		} else {
			fflush(NULL);   /* no buffered output may be duplicated into the zygote */
			pid_t pid = fork();
			if (pid == 0) {
				close(sv[0]);
				zygote_main(sv[1]);
			}
			close(sv[1]);
			if (pid < 0) {
				close(sv[0]);
				rc = -1;
			} else {
				control_fd = sv[0];
			}
		}
	}
	pthread_mutex_unlock(&control_lock);
	return rc;
}

int extract_zygote_spawn(const char *mime, const char *path, const struct extract_limits *lim,
			 int out_fd, int err_fd, pid_t *pid, int *status_fd)
{
	struct request rq;
	memset(&rq, 0, sizeof rq);
	if (strlen(mime) >= sizeof rq.mime || strlen(path) >= sizeof rq.path)
		return -1;
	rq.lim = *lim;
	strcpy(rq.mime, mime);
	strcpy(rq.path, path);
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
		return -1;
	char cbuf[CMSG_SPACE(3 * sizeof(int))];
	memset(cbuf, 0, sizeof cbuf);
	struct iovec iov = {&rq, sizeof rq};
	struct msghdr m = {0};
	m.msg_iov = &iov;
	m.msg_iovlen = 1;
	m.msg_control = cbuf;
	m.msg_controllen = sizeof cbuf;
	struct cmsghdr *c = CMSG_FIRSTHDR(&m);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(3 * sizeof(int));
	int fds[3] = {out_fd, err_fd, sv[1]};
	memcpy(CMSG_DATA(c), fds, sizeof fds);

	pthread_mutex_lock(&control_lock);
	ssize_t k = control_fd < 0 ? -1 : sendmsg(control_fd, &m, MSG_NOSIGNAL);
	pthread_mutex_unlock(&control_lock);
	close(sv[1]);
	if (k != (ssize_t)sizeof rq) {
		close(sv[0]);
		return -1;   /* nothing was sent: the caller may start the child itself */
	}
	pid_t child = -1;
	ssize_t got;
	do
		got = recv(sv[0], &child, sizeof child, MSG_WAITALL);
	while (got < 0 && errno == EINTR);
	if (got != sizeof child || child <= 0) {
		close(sv[0]);
		return -2;   /* sent, but no child started: the pipes are spoken for */
	}
	*pid = child;
	*status_fd = sv[0];
	return 0;
}

int extract_zygote_wait(int status_fd, int *status)
{
	ssize_t got;
	do
		got = recv(status_fd, status, sizeof *status, MSG_WAITALL);
	while (got < 0 && errno == EINTR);
	return got == sizeof *status ? 0 : -1;
}
