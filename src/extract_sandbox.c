/*
 * extract_sandbox: run an extractor in a child process with limits.
 *
 * The child is this binary re-executed (`lakthan __extract MIME PATH`), not a
 * bare fork: poppler and libxml2 then start from a clean process even when the
 * parent is a multi-threaded server. The child gets RLIMIT_CPU, RLIMIT_AS
 * (except under AddressSanitizer, which reserves terabytes of address space),
 * RLIMIT_FSIZE 0 (it has no business writing files) and RLIMIT_CORE 0; the
 * parent enforces the wall clock and the output size and kills the child's
 * process group when either is passed.
 *
 * Protocol: the child writes the text to stdout and exits with an
 * enum extract_status; a reason goes to stderr on a line starting with
 * REASON_TAG (libraries may print other noise there).
 */
#include "lakthan/extract.h"
#include "lakthan/util.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define REASON_TAG "lakthan-extract-reason: "

#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif
#ifndef UNDER_ASAN
#define UNDER_ASAN 0
#endif

static double now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void set_limit(int resource, rlim_t value)
{
	struct rlimit rl = {value, value};
	setrlimit(resource, &rl);
}

void extract_child_setup(const struct extract_limits *lim, int out_fd, int err_fd)
{
	setpgid(0, 0);   /* so the parent can kill the child and anything it starts */
	dup2(out_fd, 1);
	dup2(err_fd, 2);
	int devnull = open("/dev/null", O_RDONLY);
	if (devnull >= 0)
		dup2(devnull, 0);
	set_limit(RLIMIT_CPU, lim->cpu_seconds);
	set_limit(RLIMIT_CORE, 0);
	set_limit(RLIMIT_FSIZE, 0);
	if (!UNDER_ASAN)
		set_limit(RLIMIT_AS, lim->max_memory);
}

/* In the forked child: limits, pipes onto stdout/stderr, then exec ourselves. */
static void child_exec(const char *self_exe, const char *mime, const char *path,
		       const struct extract_limits *lim, int out_fd, int err_fd)
{
	extract_child_setup(lim, out_fd, err_fd);
	char text_cap[32], entry_cap[32], ratio[16];
	snprintf(text_cap, sizeof text_cap, "%zu", lim->max_text);
	snprintf(entry_cap, sizeof entry_cap, "%zu", lim->max_entry);
	snprintf(ratio, sizeof ratio, "%u", lim->max_ratio);
	char *argv[] = {"lakthan", "__extract", (char *)mime, (char *)path, text_cap, entry_cap, ratio, NULL};
	execv(self_exe, argv);
	dprintf(2, REASON_TAG "cannot start the extractor: %s\n", strerror(errno));
	_exit(EXTRACT_FAILED);
}

/* Pull the tagged reason line out of the child's stderr. */
static void find_reason(const char *errtext, char *reason, size_t len)
{
	const char *p = strstr(errtext, REASON_TAG);
	reason[0] = 0;
	if (!p)
		return;
	p += strlen(REASON_TAG);
	size_t n = strcspn(p, "\n");
	if (n >= len)
		n = len - 1;
	memcpy(reason, p, n);
	reason[n] = 0;
}

/* Count code points: the unit users think in, and what text_chars reports. */
static size_t count_chars(const char *s, size_t n)
{
	size_t c = 0;
	for (size_t i = 0; i < n; i++)
		c += ((unsigned char)s[i] & 0xC0) != 0x80;
	return c;
}

void extract_sandboxed(const char *self_exe, const char *mime, const char *path,
		       const struct extract_limits *lim, struct extract_result *r)
{
	int outp[2] = {-1, -1}, errp[2] = {-1, -1};
	struct buf out, errbuf;
	buf_init(&out, lim->max_text);
	buf_init(&errbuf, 64 * 1024);
	memset(r, 0, sizeof *r);
	pid_t pid = -1;
	int timed_out = 0, too_big = 0, status = 0, status_fd = -1;

	if (pipe2(outp, O_CLOEXEC) != 0 || pipe2(errp, O_CLOEXEC) != 0) {
		snprintf(r->status, sizeof r->status, "failed: cannot create a pipe: %s", strerror(errno));
		goto out;
	}
	/* the zygote forks a ready child in about a millisecond; re-executing
	 * the binary costs its dynamic loading each time */
	int zrc = extract_zygote_spawn(mime, path, lim, outp[1], errp[1], &pid, &status_fd);
	if (zrc == -2) {
		snprintf(r->status, sizeof r->status, "failed: cannot start the extractor");
		goto out;
	}
	if (zrc != 0) {
		pid = fork();
		if (pid < 0) {
			snprintf(r->status, sizeof r->status, "failed: cannot start the extractor: %s", strerror(errno));
			goto out;
		}
		if (pid == 0)
			child_exec(self_exe, mime, path, lim, outp[1], errp[1]);
	}
	close(outp[1]);
	close(errp[1]);
	outp[1] = errp[1] = -1;

	double deadline = now_seconds() + lim->wall_seconds;
	struct pollfd fds[2] = {{outp[0], POLLIN, 0}, {errp[0], POLLIN, 0}};
	int open_fds = 2;
	char chunk[65536];
	while (open_fds > 0) {
		double left = deadline - now_seconds();
		if (left <= 0) {
			timed_out = 1;
			break;
		}
		int k = poll(fds, 2, (int)(left * 1000) + 1);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			break;
		for (int i = 0; i < 2; i++) {
			if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			ssize_t n = read(fds[i].fd, chunk, sizeof chunk);
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0) {
				close(fds[i].fd);
				fds[i].fd = -1;
				open_fds--;
				if (i == 0)
					outp[0] = -1;
				else
					errp[0] = -1;
				continue;
			}
			struct buf *b = i == 0 ? &out : &errbuf;
			if (buf_append(b, chunk, (size_t)n) != 0) {
				if (i == 0) {
					too_big = 1;
					open_fds = 0;
				}
				/* stderr noise past its cap is dropped */
			}
		}
	}
	if (timed_out || too_big)
		kill(-pid, SIGKILL);
	if (status_fd >= 0) {
		if (extract_zygote_wait(status_fd, &status) != 0)
			status = EXTRACT_FAILED << 8;   /* the zygote vanished: count it as a failure */
		close(status_fd);
	} else {
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
	}

	char reason[128];
	find_reason(errbuf.data ? errbuf.data : "", reason, sizeof reason);
	if (timed_out) {
		snprintf(r->status, sizeof r->status, "timeout");
	} else if (too_big) {
		snprintf(r->status, sizeof r->status, "failed: text larger than %zu MiB", lim->max_text >> 20);
	} else if (WIFSIGNALED(status)) {
		int sig = WTERMSIG(status);
		if (sig == SIGXCPU || sig == SIGKILL)
			snprintf(r->status, sizeof r->status, "timeout");
		else
			snprintf(r->status, sizeof r->status, "failed: extractor crashed (%s)", strsignal(sig));
	} else {
		int code = WEXITSTATUS(status);
		if (code == EXTRACT_OK) {
			snprintf(r->status, sizeof r->status, out.len ? "ok" : "empty");
			if (!out.data)
				buf_append(&out, "", 0);
			r->text = buf_detach(&out, &r->len);
		} else if (code == EXTRACT_UNSUPPORTED) {
			snprintf(r->status, sizeof r->status, "unsupported");
		} else if (code == EXTRACT_NEEDS_OCR) {
			snprintf(r->status, sizeof r->status, "needs_ocr");
		} else if (code == EXTRACT_FAILED && reason[0]) {
			snprintf(r->status, sizeof r->status, "failed: %s", reason);
		} else {
			snprintf(r->status, sizeof r->status, "failed: extractor exited with status %d", code);
		}
	}
out:
	for (int i = 0; i < 2; i++) {
		if (outp[i] >= 0)
			close(outp[i]);
		if (errp[i] >= 0)
			close(errp[i]);
	}
	buf_release(&out);
	buf_release(&errbuf);
}

size_t extract_count_chars(const char *s, size_t n)
{
	return count_chars(s, n);
}

/* Write all of p to fd; the child's only output path. */
static int write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t k = write(fd, p, n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return -1;
		p += k;
		n -= (size_t)k;
	}
	return 0;
}

int extract_child_main(int argc, char **argv)
{
	if (argc != 7) {
		fprintf(stderr, REASON_TAG "bad extractor invocation\n");
		return EXTRACT_FAILED;
	}
	struct extract_limits lim;
	extract_limits_default(&lim);
	lim.max_text = strtoull(argv[4], NULL, 10);
	lim.max_entry = strtoull(argv[5], NULL, 10);
	lim.max_ratio = (unsigned)strtoul(argv[6], NULL, 10);
	return extract_child_run(argv[2], argv[3], &lim);
}

int extract_child_run(const char *mime, const char *path, const struct extract_limits *limits)
{
	struct extract_limits lim = *limits;
	/* test hooks: prove that the parent's limits hold against a stuck child */
	if (getenv("LAKTHAN_TEST_EXTRACT_HANG"))
		for (;;)
			pause();
	if (getenv("LAKTHAN_TEST_EXTRACT_SPIN"))
		for (volatile unsigned long i = 0;; i++)
			;
	if (getenv("LAKTHAN_TEST_EXTRACT_CRASH"))
		raise(SIGSEGV);
	struct buf out;
	buf_init(&out, lim.max_text);
	char reason[128] = "";
	enum extract_status st = extract_file(mime, path, &lim, &out, reason, sizeof reason);
	if (st == EXTRACT_OK && out.len && write_all(1, out.data, out.len) != 0)
		st = EXTRACT_FAILED;
	if (st != EXTRACT_OK)
		fprintf(stderr, REASON_TAG "%s\n", reason[0] ? reason : "unknown error");
	buf_release(&out);
	return st;
}
