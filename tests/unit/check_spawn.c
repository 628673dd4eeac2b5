/*
 * check_spawn: unit tests of spawn: how a test ends (exit codes, signals),
 * its own process group, the descriptors and environment it starts with,
 * its working directory, and a program that cannot be executed.
 */
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <check.h>

#include "core/util.h"
#include "exec/spawn.h"
#include "fixture.h"
#include "unit.h"

/* What a spawned test did. */
struct ran {
	char	*out;		/* its stdout */
	char	*err;		/* its stderr */
	int	 wstatus;
};

/* Append what fd holds to *buf; 0 on EOF (fd closed), 1 for more. */
static int
slurp(int *fd, char **buf, size_t *len)
{
	char chunk[4096];
	ssize_t n;

	while ((n = read(*fd, chunk, sizeof chunk)) > 0) {
		*buf = realloc(*buf, *len + n + 1);
		ck_assert_ptr_nonnull(*buf);
		memcpy(*buf + *len, chunk, n);
		*len += n;
		(*buf)[*len] = '\0';
	}
	if (n == -1 && (errno == EAGAIN || errno == EINTR))
		return 1;
	close(*fd);
	*fd = -1;
	return 0;
}

/* Spawn t, drain its pipes and reap it. */
static void
run_test(const struct prun_test *t, struct ran *r)
{
	struct prun_child c;
	struct prun_error err;
	struct pollfd pfd[2];
	size_t olen = 0, elen = 0;
	int xerr = 0;

	memset(r, 0, sizeof *r);
	r->out = strdup("");
	r->err = strdup("");
	ck_assert_int_eq(spawn_init(&err), 0);
	ck_assert_msg(spawn_start(t, "/results", 1, &c, &xerr, &err) == 0,
	    "%s: %s", t->name, strerror(xerr));
	while (c.out_fd != -1 || c.err_fd != -1) {
		pfd[0].fd = c.out_fd;
		pfd[1].fd = c.err_fd;
		pfd[0].events = pfd[1].events = POLLIN;
		ck_assert_int_ge(poll(pfd, 2, 10000), 1);
		if (c.out_fd != -1 && pfd[0].revents)
			slurp(&c.out_fd, &r->out, &olen);
		if (c.err_fd != -1 && pfd[1].revents)
			slurp(&c.err_fd, &r->err, &elen);
	}
	ck_assert_int_eq(waitpid(c.pid, &r->wstatus, 0), c.pid);
}

/* Free what a run kept. */
static void
ran_free(struct ran *r)
{
	free(r->out);
	free(r->err);
}

/* A test of one shell string. */
static void
shell_test(struct prun_test *t, const char *name, const char *sh)
{
	struct prun_error err;

	memset(t, 0, sizeof *t);
	t->name = strdup(name);
	ck_assert_msg(plan_set_command(t, sh, &err) == 0, "%s", err.msg);
}

/* Free a test made here. */
static void
test_free(struct prun_test *t)
{
	free(t->name);
	free(t->command);
	free(t->cwd);
	strv_free(t->argv);
	strv_free(t->env);
}

/* How a test ends: its exit code or the signal that killed it, and what
 * it wrote where (stdin is /dev/null: cat reads nothing). */
START_TEST(endings)
{
	static const struct {
		const char	*sh;
		int		 code;		/* -1: killed */
		int		 sig;
		const char	*out, *err;
	} cases[] = {
		{ "true", 0, 0, "", "" },
		{ "exit 3", 3, 0, "", "" },
		{ "exit 77", 77, 0, "", "" },
		{ "echo out; echo err >&2; exit 1", 1, 0, "out\n", "err\n" },
		{ "cat", 0, 0, "", "" },
		{ "kill -SEGV $$", -1, SIGSEGV, "", "" },
		{ "kill -TERM $$", -1, SIGTERM, "", "" },
		{ "kill -KILL $$", -1, SIGKILL, "", "" },
	};
	struct prun_test t;
	struct ran r;
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		shell_test(&t, "t", cases[i].sh);
		run_test(&t, &r);
		if (cases[i].code >= 0) {
			ck_assert_msg(WIFEXITED(r.wstatus) &&
			    WEXITSTATUS(r.wstatus) == cases[i].code,
			    "%s: status %#x", cases[i].sh, r.wstatus);
		} else {
			ck_assert_msg(WIFSIGNALED(r.wstatus) &&
			    WTERMSIG(r.wstatus) == cases[i].sig,
			    "%s: status %#x", cases[i].sh, r.wstatus);
		}
		ck_assert_str_eq(r.out, cases[i].out);
		ck_assert_str_eq(r.err, cases[i].err);
		ran_free(&r);
		test_free(&t);
	}
}
END_TEST

/* The test leads a process group of its own, which spawn_signal stops
 * whole, a child that stayed in the group included. */
START_TEST(process_group)
{
	struct prun_test t;
	struct prun_child c;
	struct prun_error err;
	int xerr, st;
	char buf[64];
	ssize_t n;

	shell_test(&t, "group", "sleep 60 & echo $!; wait");
	ck_assert_int_eq(spawn_init(&err), 0);
	ck_assert_int_eq(spawn_start(&t, "/r", 1, &c, &xerr, &err), 0);
	ck_assert_int_eq(getpgid(c.pid), c.pid);
	ck_assert_int_ne(getpgid(c.pid), getpgid(0));
	/* Wait for the grandchild's pid: then it is in the group too. */
	fcntl(c.out_fd, F_SETFL, 0);
	n = read(c.out_fd, buf, sizeof buf - 1);
	ck_assert_int_gt(n, 0);
	buf[n] = '\0';
	ck_assert_int_eq(getpgid(atoi(buf)), c.pid);
	spawn_signal(&c, SIGKILL);
	ck_assert_int_eq(waitpid(c.pid, &st, 0), c.pid);
	ck_assert(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
	/* The grandchild died with its group (prun is its reaper now). */
	ck_assert_int_eq(waitpid(atoi(buf), &st, 0), atoi(buf));
	ck_assert(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
	close(c.out_fd);
	close(c.err_fd);
	test_free(&t);
}
END_TEST

/* Only 0, 1 and 2 are open in the test, though prun holds more without
 * close-on-exec: seen from outside, once it runs (spawn_start returns
 * after the exec). */
START_TEST(descriptors)
{
	struct prun_test t;
	struct prun_child c;
	struct prun_error err;
	char *path;
	int leak = open("/dev/null", O_RDONLY), xerr, st, i;

	ck_assert_int_ge(leak, 3);
	shell_test(&t, "fds", "sleep 60");
	ck_assert_int_eq(spawn_init(&err), 0);
	ck_assert_int_eq(spawn_start(&t, "/r", 1, &c, &xerr, &err), 0);
	ck_assert_int_ne(asprintf(&path, "/proc/%d/fd", (int)c.pid), -1);
	/* The dynamic loader of the new program holds a file or two open
	 * for a moment after the exec; an inherited descriptor would stay
	 * open for good. */
	for (i = 0; i < 200 && fixture_count(path) != 3; i++)
		usleep(10000);
	ck_assert_uint_eq(fixture_count(path), 3);
	spawn_signal(&c, SIGKILL);
	ck_assert_int_eq(waitpid(c.pid, &st, 0), c.pid);
	close(c.out_fd);
	close(c.err_fd);
	free(path);
	test_free(&t);
	close(leak);
}
END_TEST

/* The test's cwd and environment: its own variables, prun's (its own
 * win), and the two prun sets. */
START_TEST(cwd_env)
{
	static const struct {
		const char	*sh;
		const char	*env[3];
		const char	*out;
	} cases[] = {
		{ "echo $PRUN_TEST_NAME $PRUN_RESULTS_DIR", { NULL },
		    "env /results\n" },
		{ "echo $A $B", { "A=1", "B=two words", NULL },
		    "1 two words\n" },
		{ "echo $CHECK_SPAWN_OUTER", { NULL }, "outer\n" },
		{ "echo $CHECK_SPAWN_OUTER", { "CHECK_SPAWN_OUTER=mine",
		    NULL }, "mine\n" },
		{ "pwd", { NULL }, NULL },	/* out: the test's cwd */
	};
	struct prun_test t;
	struct ran r;
	char *dir = fixture_dir(), *want;
	size_t i;

	setenv("CHECK_SPAWN_OUTER", "outer", 1);
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		shell_test(&t, "env", cases[i].sh);
		if (cases[i].env[0] != NULL)
			ck_assert_int_eq(strv_copy((char *const *)cases[i].env,
			    &t.env), 0);
		t.cwd = strdup(dir);
		run_test(&t, &r);
		if (cases[i].out != NULL)
			ck_assert_str_eq(r.out, cases[i].out);
		else {
			ck_assert_int_ne(asprintf(&want, "%s\n", dir), -1);
			ck_assert_str_eq(r.out, want);
			free(want);
		}
		ran_free(&r);
		test_free(&t);
	}
	free(dir);
}
END_TEST

/* A program that cannot be executed is 1 with the reason, not -1. */
START_TEST(cannot_execute)
{
	static const struct {
		const char	*argv0;
		const char	*cwd;
		int		 errnum;
	} cases[] = {
		{ "/nonexistent/program", NULL, ENOENT },
		{ "prun-check-spawn-no-such-program", NULL, ENOENT },
		{ "/dev/null", NULL, EACCES },
		{ "/bin/true", "/nonexistent", ENOENT },
	};
	struct prun_test t;
	struct prun_child c;
	struct prun_error err;
	char *argv[2];
	size_t i;
	int xerr;

	ck_assert_int_eq(spawn_init(&err), 0);
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		memset(&t, 0, sizeof t);
		t.name = strdup("missing");
		argv[0] = (char *)cases[i].argv0;
		argv[1] = NULL;
		ck_assert_int_eq(plan_set_argv(&t, argv, &err), 0);
		if (cases[i].cwd != NULL)
			t.cwd = strdup(cases[i].cwd);
		xerr = 0;
		ck_assert_msg(spawn_start(&t, "/r", 1, &c, &xerr, &err) == 1,
		    "%s started", cases[i].argv0);
		ck_assert_msg(xerr == cases[i].errnum, "%s: %s",
		    cases[i].argv0, strerror(xerr));
		test_free(&t);
	}
}
END_TEST

Suite *
unit_suite(void)
{
	Suite *s = suite_create("spawn");
	TCase *tc = tcase_create("spawn");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, endings);
	tcase_add_test(tc, process_group);
	tcase_add_test(tc, descriptors);
	tcase_add_test(tc, cwd_env);
	tcase_add_test(tc, cannot_execute);
	suite_add_tcase(s, tc);
	return s;
}
