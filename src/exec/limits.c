/*
 * limits: what the open-file and process limits leave for running tests.
 *
 * The costs are run.c's, measured (ulimit -n N, sleeping tests, the
 * largest -j that ran them all): a running test holds its two pipe
 * ends, and two more while it is being spawned; the loop holds a few
 * descriptors whatever -j is, and a commit holds the file it writes.
 * A worker thread (one per launch out, two more for commits) is a
 * process of the limits that count threads, and a test is at least one
 * process and often two (the shell and its command).
 */
#include <sys/resource.h>

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "exec/limits.h"
#include "exec/sched.h"

/* Descriptors the loop holds whatever -j is: signalfd, the workers'
 * eventfd, /dev/null, the fragment a resume's reader reads (resume.c);
 * and the file a commit writes. */
#define FIXED_FDS	5
/* Processes of a test, counted at least. */
#define TEST_PROCS	2

/* Worker threads for j tests at once (run.c). */
static size_t
workers_for(size_t j)
{
	return (j < LAUNCHES_MAX ? j : LAUNCHES_MAX) + 2;
}

/* Descriptors a run of j tests at once needs beside those open now. */
static size_t
fds_for(size_t j)
{
	return FIXED_FDS + 4 * j;
}

/* How many descriptors are open now. */
static size_t
fds_open(void)
{
	struct dirent *de;
	DIR *d;
	size_t n = 0;

	if ((d = opendir("/proc/self/fd")) == NULL)
		return 3;
	while ((de = readdir(d)) != NULL)
		if (de->d_name[0] != '.')
			n++;
	closedir(d);
	return n > 0 ? n - 1 : 0;	/* not the one reading it */
}

/* The most j with base + cost(j) <= limit, up to j; 0 if none. */
static size_t
fit(size_t j, size_t base, size_t limit, size_t (*cost)(size_t))
{
	while (j > 0 && base + cost(j) > limit)
		j--;
	return j;
}

/* Processes (and threads) a run of j tests at once needs. */
static size_t
procs_for(size_t j)
{
	return workers_for(j) + TEST_PROCS * j;
}

/* Read one number from a file; -1 when absent or "max". */
static long long
read_number(const char *path)
{
	char buf[64];
	long long v;
	FILE *fp;

	if ((fp = fopen(path, "re")) == NULL)
		return -1;
	if (fgets(buf, sizeof buf, fp) == NULL || sscanf(buf, "%lld", &v) != 1)
		v = -1;
	fclose(fp);
	return v;
}

/* The pids cgroup of prun: its pids.max and pids.current, into max and
 * cur; 0, or -1 when it has none or no limit. */
static int
pids_cgroup(long long *max, long long *cur, char *path, size_t size)
{
	char line[PATH_MAX + 64], file[PATH_MAX + 128], *p;
	const char *dirs[] = { "/sys/fs/cgroup/pids", "/sys/fs/cgroup",
	    "/sys/fs/cgroup/unified" };
	FILE *fp;
	size_t i;
	int v2;

	if ((fp = fopen("/proc/self/cgroup", "re")) == NULL)
		return -1;
	while (fgets(line, sizeof line, fp) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		/* "N:pids:/path" (v1) or "0::/path" (v2). */
		if ((p = strchr(line, ':')) == NULL)
			continue;
		v2 = strncmp(p, "::", 2) == 0;
		if (!v2 && strncmp(p, ":pids:", 6) != 0)
			continue;
		p = strchr(p + 1, ':') + 1;
		for (i = v2 ? 1 : 0; i < (v2 ? 3 : 1); i++) {
			snprintf(file, sizeof file, "%s%s/pids.max", dirs[i],
			    p);
			if ((*max = read_number(file)) < 0)
				continue;
			snprintf(path, size, "%s", file);
			snprintf(file, sizeof file, "%s%s/pids.current",
			    dirs[i], p);
			*cur = read_number(file);
			fclose(fp);
			return *cur < 0 ? -1 : 0;
		}
	}
	fclose(fp);
	return -1;
}

/* Fit *jobs to the limits; see limits.h. */
int
limits_fit_jobs(int *jobs, char *note, size_t size, struct prun_error *err)
{
	struct rlimit rl;
	char path[PATH_MAX + 128];
	long long max, cur;
	size_t want = *jobs > 0 ? (size_t)*jobs : 1, j = want, base, k;

	note[0] = '\0';
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY) {
		base = fds_open();
		/* The soft limit is ours to raise, up to the hard one. */
		if (base + fds_for(j) > rl.rlim_cur && rl.rlim_cur < rl.rlim_max) {
			rl.rlim_cur = rl.rlim_max == RLIM_INFINITY ||
			    rl.rlim_max > base + fds_for(j) ?
			    base + fds_for(j) : rl.rlim_max;
			setrlimit(RLIMIT_NOFILE, &rl);
			getrlimit(RLIMIT_NOFILE, &rl);
		}
		if ((k = fit(j, base, rl.rlim_cur, fds_for)) == 0)
			return prun_error_set(err, PRUN_EXIT_USAGE, "the "
			    "open-file limit (ulimit -n %llu) is too low to "
			    "run even one test: it takes %zu; raise it",
			    (unsigned long long)rl.rlim_cur, base + fds_for(1));
		if (k < j)
			snprintf(note, size, "-j %zu lowered to %zu: the "
			    "open-file limit (ulimit -n %llu) allows no more",
			    want, k, (unsigned long long)rl.rlim_cur);
		j = k;
	}
	if (geteuid() != 0 && getrlimit(RLIMIT_NPROC, &rl) == 0 &&
	    rl.rlim_cur != RLIM_INFINITY) {
		/* Counted over the user's processes: prun's own at least. */
		if ((k = fit(j, 1, rl.rlim_cur, procs_for)) == 0)
			return prun_error_set(err, PRUN_EXIT_USAGE, "the "
			    "process limit (ulimit -u %llu) is too low to run "
			    "even one test", (unsigned long long)rl.rlim_cur);
		if (k < j)
			snprintf(note, size, "-j %zu lowered to %zu: the "
			    "process limit (ulimit -u %llu) allows no more",
			    want, k, (unsigned long long)rl.rlim_cur);
		j = k;
	}
	if (pids_cgroup(&max, &cur, path, sizeof path) == 0) {
		k = fit(j, (size_t)cur, (size_t)max, procs_for);
		if (k == 0)
			return prun_error_set(err, PRUN_EXIT_USAGE, "%s: the "
			    "cgroup's process limit (%lld, %lld in use) is too "
			    "low to run even one test", path, max, cur);
		if (k < j)
			snprintf(note, size, "-j %zu lowered to %zu: %s "
			    "(%lld, %lld in use) allows no more", want, k,
			    path, max, cur);
		j = k;
	}
	*jobs = (int)j;
	return 0;
}
