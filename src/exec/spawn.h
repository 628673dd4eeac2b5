/*
 * spawn: starting one test in its own process group, and stopping it.
 *
 * The test runs with stdin from /dev/null, stdout and stderr on pipes the
 * caller drains, no other descriptor open, default signal dispositions and
 * an empty signal mask, and PRUN_TEST_NAME, PRUN_RESULTS_DIR and
 * PRUN_ATTEMPT (its start number) set.
 */
#ifndef PRUN_SPAWN_H
#define PRUN_SPAWN_H

#include <sys/types.h>

#include "core/error.h"
#include "plan/plan.h"

struct prun_child {
	pid_t	pid;		/* also the process group id */
	int	out_fd;		/* read ends, non-blocking, close-on-exec */
	int	err_fd;
};

/* Make prun the reaper of its orphaned descendants (call once). */
int	spawn_init(struct prun_error *);

/*
 * Start test t as its start number start.  Returns 0 with *child filled;
 * 1 when the command cannot be executed (*exec_errno set: missing, not
 * executable; the test fails, prun goes on); -1 when prun itself cannot
 * start processes (out of descriptors, processes, memory).
 */
int	spawn_start(const struct prun_test *t, const char *results_dir,
	    int start, struct prun_child *child, int *exec_errno,
	    struct prun_error *);

/*
 * Send sig to the test's process group and to its main process, which may
 * have left the group (setpgid to another group): call only while the main
 * process has not been reaped, so its pid cannot have been reused.
 */
void	spawn_signal(const struct prun_child *, int sig);

/* Send sig to the test's process group only (its main process is reaped). */
void	spawn_signal_group(const struct prun_child *, int sig);

/*
 * The processes left in the test's process group after its main process
 * was reaped (zombies aside): how many, and the command names of the
 * first max of them in names (malloc'd; *nnames of them).  Costs nothing
 * when the group is gone, the common case.  -1 when out of memory.
 */
int	spawn_group_leftovers(const struct prun_child *, size_t *count,
	    char **names, size_t max, size_t *nnames);

/*
 * Kill prun's children that do not belong to a running test: daemons a
 * test left behind (setsid, double fork) are reparented to prun and would
 * outlive the test.  running(name, ctx) tells whether the test named in
 * an orphan's PRUN_TEST_NAME still runs; NULL kills every orphan except
 * those in the known process groups.  Returns how many were signalled.
 */
int	spawn_kill_orphans(const pid_t *groups, size_t ngroups,
	    int (*running)(const char *name, void *ctx), void *ctx);

/* Whether pid is a process of the run into results_dir: 1 for a child
 * of prun (a test's main process, even a zombie, or a daemon prun took
 * over) or one whose environment says PRUN_RESULTS_DIR=results_dir
 * (anything a test started), 0 for another process, -1 when it cannot
 * be told (gone, a zombie not prun's, in the middle of an execve). */
int	spawn_of_run(pid_t pid, const char *results_dir);

#endif
