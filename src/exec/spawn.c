/*
 * spawn: one test process, in its own process group, with a clean start.
 *
 * posix_spawn (a vfork-like clone in glibc) sets the child up without
 * running any of prun's code between fork and exec, and reports a failed
 * exec as an error number, which is all a runner needs.  prun is a child
 * subreaper, so a daemon that leaves its test's process group is
 * reparented to prun instead of init, and spawn_kill_orphans can end it.
 *
 * What does not change from one test to the next is worked out once, not
 * in every child while prun waits for it to exec: where PATH finds a
 * program (each miss is a failed execve in the child), an open /dev/null.
 * Every signal is named in POSIX_SPAWN_SETSIGDEF: glibc's child then sets
 * each disposition with one call, instead of asking first.
 */
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/util.h"
#include "exec/spawn.h"

extern char **environ;

/* Programs found in PATH, by a hash of their name (a cache). */
#define PATH_CACHE	64

struct path_entry {
	char	*name;
	char	*path;
};

/* Tests are launched from several threads: the cache and /dev/null are
 * shared under this lock. */
static pthread_mutex_t spawn_lock = PTHREAD_MUTEX_INITIALIZER;
static struct path_entry path_cache[PATH_CACHE];
static int devnull = -1;	/* open once, dup'd as each test's stdin */

/* Make prun the reaper of orphaned descendants. */
int
spawn_init(struct prun_error *err)
{
	if (prctl(PR_SET_CHILD_SUBREAPER, 1) == -1)
		return prun_error_errno(err, PRUN_EXIT_IO, errno,
		    "cannot become a child subreaper");
	return 0;
}

/* The slot of a program name in the PATH cache. */
static size_t
name_hash(const char *s)
{
	return util_hash_str(s) % PATH_CACHE;
}

/* Remember where PATH found name (under spawn_lock). */
static void
remember_program(const char *name, const char *path)
{
	struct path_entry *e = &path_cache[name_hash(name)];

	free(e->name);
	free(e->path);
	e->name = strdup(name);
	e->path = strdup(path);
	if (e->name == NULL || e->path == NULL) {
		free(e->name);
		free(e->path);
		e->name = e->path = NULL;
	}
}

/*
 * Where PATH finds name, as execvp would (the first executable regular
 * file), into buf; 0, or -1 to let posix_spawnp search.  Only a PATH of
 * absolute directories is searched here: a relative one depends on the
 * test's cwd.
 */
static int
find_program(const char *name, char *buf, size_t size)
{
	struct path_entry *e;
	struct stat sb;
	const char *path = getenv("PATH"), *p, *end;
	size_t dlen, nlen = strlen(name);
	int found = 0;

	pthread_mutex_lock(&spawn_lock);
	e = &path_cache[name_hash(name)];
	if (e->name != NULL && strcmp(e->name, name) == 0 &&
	    strlen(e->path) < size) {
		strcpy(buf, e->path);
		found = 1;
	}
	pthread_mutex_unlock(&spawn_lock);
	if (found)
		return 0;
	if (path == NULL || *path == '\0' || nlen == 0)
		return -1;
	for (p = path; *p != '\0'; p = *end ? end + 1 : end) {
		end = strchrnul(p, ':');
		if (*p != '/')
			return -1;
	}
	for (p = path; *p != '\0'; p = *end ? end + 1 : end) {
		end = strchrnul(p, ':');
		dlen = (size_t)(end - p);
		if (dlen + nlen + 2 > size)
			continue;
		memcpy(buf, p, dlen);
		buf[dlen] = '/';
		memcpy(buf + dlen + 1, name, nlen + 1);
		if (stat(buf, &sb) == 0 && S_ISREG(sb.st_mode) &&
		    access(buf, X_OK) == 0) {
			pthread_mutex_lock(&spawn_lock);
			remember_program(name, buf);
			pthread_mutex_unlock(&spawn_lock);
			return 0;
		}
	}
	return -1;
}

/* Forget a program found in PATH (it could not be executed after all). */
static void
forget_program(const char *name)
{
	struct path_entry *e;

	pthread_mutex_lock(&spawn_lock);
	e = &path_cache[name_hash(name)];
	if (e->name != NULL && strcmp(e->name, name) == 0) {
		free(e->name);
		free(e->path);
		e->name = e->path = NULL;
	}
	pthread_mutex_unlock(&spawn_lock);
}

/* The shared /dev/null for the tests' stdin, opened once; -1 on error. */
static int
dev_null(void)
{
	int fd;

	pthread_mutex_lock(&spawn_lock);
	if (devnull == -1)
		devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
	fd = devnull;
	pthread_mutex_unlock(&spawn_lock);
	return fd;
}

/* Whether env entry e sets the variable of "KEY=..." entry kv. */
static int
same_key(const char *e, const char *kv)
{
	size_t n = strcspn(kv, "=");

	return strncmp(e, kv, n) == 0 && e[n] == '=';
}

/*
 * The environment of a test: the prun variables first (so that
 * proc_test_name finds PRUN_TEST_NAME in the first bytes of
 * /proc/PID/environ however large prun's environment is), then prun's,
 * then the test's own; an entry of prun's environment that one of the
 * others sets is left out.
 */
static char **
make_env(const struct prun_test *t, const char *results_dir, int start)
{
	char **env, *extra[3];
	size_t n = 0, ntest = 0, i, j, k;

	while (environ[n] != NULL)
		n++;
	while (t->env != NULL && t->env[ntest] != NULL)
		ntest++;
	if ((env = calloc(n + ntest + 4, sizeof *env)) == NULL)
		return NULL;
	if (asprintf(&extra[0], "PRUN_TEST_NAME=%s", t->name) == -1)
		goto fail;
	if (asprintf(&extra[1], "PRUN_RESULTS_DIR=%s", results_dir) == -1) {
		free(extra[0]);
		goto fail;
	}
	if (asprintf(&extra[2], "PRUN_ATTEMPT=%d", start) == -1) {
		free(extra[0]);
		free(extra[1]);
		goto fail;
	}
	for (k = 0; k < 3; k++)
		env[k] = extra[k];
	for (i = 0; i < n; i++) {
		int keep = !same_key(environ[i], extra[0]) &&
		    !same_key(environ[i], extra[1]) &&
		    !same_key(environ[i], extra[2]);

		for (j = 0; keep && j < ntest; j++)
			keep = !same_key(environ[i], t->env[j]);
		if (keep)
			env[k++] = environ[i];
	}
	for (j = 0; j < ntest; j++)
		env[k++] = t->env[j];
	env[k] = NULL;
	return env;
fail:
	free(env);
	return NULL;
}

/* Free a test environment from make_env (only the strings it made). */
static void
free_env(char **env)
{
	free(env[0]);
	free(env[1]);
	free(env[2]);
	free(env);
}

/*
 * Whether posix_spawn's error is prun's (no process could be made: a
 * process or descriptor limit, memory) rather than the test's command
 * (missing, not executable).
 */
static int
spawn_failed_here(int e)
{
	return e == EAGAIN || e == ENOMEM || e == EMFILE || e == ENFILE;
}

/* Start test t in its own process group; see spawn.h. */
int
spawn_start(const struct prun_test *t, const char *results_dir, int start,
    struct prun_child *child, int *exec_errno, struct prun_error *err)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	sigset_t all, none;
	int out[2] = { -1, -1 }, errp[2] = { -1, -1 };
	char prog[4096], **env = NULL;
	pid_t pid;
	int rc = -1, null_fd, found = -1;

	if ((null_fd = dev_null()) == -1)
		return prun_error_errno(err, PRUN_EXIT_IO, errno,
		    "test %s: /dev/null", t->name);

	/* O_NONBLOCK is a flag of the open pipe end, which dup2 shares: set
	 * it on prun's read ends only, or a test that writes faster than
	 * prun drains gets EAGAIN instead of waiting. */
	if (pipe2(out, O_CLOEXEC) == -1 || pipe2(errp, O_CLOEXEC) == -1 ||
	    fcntl(out[0], F_SETFL, O_NONBLOCK) == -1 ||
	    fcntl(errp[0], F_SETFL, O_NONBLOCK) == -1) {
		prun_error_errno(err, PRUN_EXIT_IO, errno,
		    "test %s: cannot create pipes", t->name);
		goto fail;
	}
	if ((env = make_env(t, results_dir, start)) == NULL) {
		prun_error_errno(err, PRUN_EXIT_IO, errno, "test %s", t->name);
		goto fail;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawnattr_init(&attr);
	sigfillset(&all);
	sigemptyset(&none);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP |
	    POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
	posix_spawnattr_setpgroup(&attr, 0);
	posix_spawnattr_setsigdefault(&attr, &all);
	posix_spawnattr_setsigmask(&attr, &none);
	posix_spawn_file_actions_adddup2(&fa, null_fd, 0);
	/* The write ends are blocking for the test, as a terminal would be. */
	posix_spawn_file_actions_adddup2(&fa, out[1], 1);
	posix_spawn_file_actions_adddup2(&fa, errp[1], 2);
	posix_spawn_file_actions_addclosefrom_np(&fa, 3);
	if (t->cwd != NULL)
		posix_spawn_file_actions_addchdir_np(&fa, t->cwd);
	if (strchr(t->argv[0], '/') == NULL)
		found = find_program(t->argv[0], prog, sizeof prog);
	if (found == 0 &&
	    (rc = posix_spawn(&pid, prog, &fa, &attr, t->argv, env)) != 0) {
		forget_program(t->argv[0]);
		found = -1;
	}
	if (found == -1)
		rc = posix_spawnp(&pid, t->argv[0], &fa, &attr, t->argv, env);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	free_env(env);
	close(out[1]);
	close(errp[1]);
	if (rc != 0) {
		close(out[0]);
		close(errp[0]);
		if (spawn_failed_here(rc))
			return prun_error_errno(err, PRUN_EXIT_IO, rc, "test "
			    "%s: cannot start a process for it%s", t->name,
			    rc == EAGAIN ? " (the process limit: ulimit -u, "
			    "or the cgroup's pids.max)" : "");
		*exec_errno = rc;
		return 1;
	}
	child->pid = pid;
	child->out_fd = out[0];
	child->err_fd = errp[0];
	return 0;
fail:
	if (out[0] != -1) {
		close(out[0]);
		close(out[1]);
	}
	if (errp[0] != -1) {
		close(errp[0]);
		close(errp[1]);
	}
	return -1;
}

/* Send sig to the test's group and its main process, wherever it went. */
void
spawn_signal(const struct prun_child *child, int sig)
{
	if (child->pid <= 0)
		return;
	kill(-child->pid, sig);
	kill(child->pid, sig);
}

/* Send sig to what is left of the test's process group. */
void
spawn_signal_group(const struct prun_child *child, int sig)
{
	if (child->pid > 0)
		kill(-child->pid, sig);
}

/* Read a small /proc file into buf; returns its length or -1. */
static ssize_t
read_proc(const char *path, char *buf, size_t size)
{
	ssize_t n, off = 0;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	while ((size_t)off < size - 1 &&
	    (n = read(fd, buf + off, size - 1 - off)) > 0)
		off += n;
	close(fd);
	buf[off] = '\0';
	return off;
}

/* The process group of pid from /proc/PID/stat, or -1. */
static pid_t
proc_pgrp(pid_t pid)
{
	char path[64], buf[1024], *p;
	int ppid, pgrp;

	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	if (read_proc(path, buf, sizeof buf) <= 0)
		return -1;
	/* The command name may hold spaces and parentheses: skip past the
	 * last ')' before reading "state ppid pgrp". */
	if ((p = strrchr(buf, ')')) == NULL ||
	    sscanf(p + 1, " %*c %d %d", &ppid, &pgrp) != 2)
		return -1;
	return pgrp;
}

/* The leftovers of a test's process group; see spawn.h. */
int
spawn_group_leftovers(const struct prun_child *child, size_t *count,
    char **names, size_t max, size_t *nnames)
{
	char path[300], buf[1024], *open_p, *close_p, state;
	struct dirent *de;
	int ppid, pgrp;
	DIR *d;

	*count = *nnames = 0;
	if (child->pid <= 0 || kill(-child->pid, 0) == -1 ||
	    (d = opendir("/proc")) == NULL)
		return 0;
	while ((de = readdir(d)) != NULL) {
		if (!isdigit((unsigned char)de->d_name[0]))
			continue;
		snprintf(path, sizeof path, "/proc/%s/stat", de->d_name);
		if (read_proc(path, buf, sizeof buf) <= 0 ||
		    (open_p = strchr(buf, '(')) == NULL ||
		    (close_p = strrchr(buf, ')')) == NULL ||
		    sscanf(close_p + 1, " %c %d %d", &state, &ppid,
		    &pgrp) != 3 || pgrp != child->pid || state == 'Z')
			continue;
		(*count)++;
		if (*nnames >= max)
			continue;
		if ((names[*nnames] = strndup(open_p + 1, (size_t)(close_p -
		    open_p - 1))) == NULL) {
			closedir(d);
			while (*nnames > 0)
				free(names[--*nnames]);
			return -1;
		}
		(*nnames)++;
	}
	closedir(d);
	return 0;
}

/*
 * The value of PRUN_TEST_NAME in pid's initial environment, into buf: 0,
 * or -1 when the environment has none, or 1 when it cannot be read now.
 * A process in the middle of execve shows an empty environ until its new
 * stack is set up: that says nothing about whose it is.
 */
static int
proc_test_name(pid_t pid, char *buf, size_t size)
{
	static char env[65536];
	char path[64];
	ssize_t n, i;

	snprintf(path, sizeof path, "/proc/%d/environ", (int)pid);
	if ((n = read_proc(path, env, sizeof env)) <= 0)
		return 1;
	for (i = 0; i < n; i += strlen(env + i) + 1) {
		if (strncmp(env + i, "PRUN_TEST_NAME=", 15) == 0) {
			snprintf(buf, size, "%s", env + i + 15);
			return 0;
		}
	}
	return -1;
}

/* Whether pid is a process of the run into results_dir; see spawn.h. */
int
spawn_of_run(pid_t pid, const char *results_dir)
{
	static char env[65536];
	char path[64], want[4096], *p, state;
	ssize_t n, i;
	int ppid;

	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	if (read_proc(path, env, sizeof env) <= 0 ||
	    (p = strrchr(env, ')')) == NULL ||
	    sscanf(p + 1, " %c %d", &state, &ppid) != 2)
		return -1;
	/* prun's children are its tests (and daemons they left, which
	 * prun reaps), even as zombies. */
	if (ppid == (int)getpid())
		return 1;
	/* Another's zombie has no environment left to read. */
	if (state == 'Z' || state == 'X')
		return -1;
	snprintf(path, sizeof path, "/proc/%d/environ", (int)pid);
	snprintf(want, sizeof want, "PRUN_RESULTS_DIR=%s", results_dir);
	/* Empty: gone, or in the middle of an execve. */
	if ((n = read_proc(path, env, sizeof env)) <= 0)
		return -1;
	for (i = 0; i < n; i += strlen(env + i) + 1)
		if (strcmp(env + i, want) == 0)
			return 1;
	return 0;
}

/* Kill children of prun that no running test owns; see spawn.h. */
int
spawn_kill_orphans(const pid_t *groups, size_t ngroups,
    int (*running)(const char *name, void *ctx), void *ctx)
{
	char path[64], buf[16384], name[4096], *p, *end;
	pid_t pid, pgrp;
	size_t i;
	int killed = 0, mine;

	snprintf(path, sizeof path, "/proc/self/task/%d/children",
	    (int)getpid());
	if (read_proc(path, buf, sizeof buf) == -1)
		return 0;
	for (p = buf; *p != '\0'; p = end) {
		pid = (pid_t)strtol(p, &end, 10);
		if (end == p)
			break;
		mine = 0;
		for (i = 0; i < ngroups && !mine; i++)
			mine = groups[i] == pid;
		if (mine)
			continue;
		pgrp = proc_pgrp(pid);
		for (i = 0; i < ngroups && !mine; i++)
			mine = groups[i] == pgrp;
		if (!mine && running != NULL) {
			/* Unknown now: spared; the next sweep, or the last
			 * one of the run (running NULL), sees it again. */
			switch (proc_test_name(pid, name, sizeof name)) {
			case 0:
				mine = running(name, ctx);
				break;
			case 1:
				mine = 1;
				break;
			}
		}
		if (mine)
			continue;
		/* An orphan that leads its own group takes its group along. */
		if (pgrp == pid)
			kill(-pid, SIGKILL);
		kill(pid, SIGKILL);
		killed++;
	}
	return killed;
}
