/*
 * result: what is recorded about one test, in memory.
 *
 * The same struct holds a start record (status incomplete, no end) and a
 * finished result, and the earlier tries of a test that was rerun after
 * failing; the fragment codecs turn it into a file and back.  This module
 * owns the result and subtest types, so that every layer above core can
 * hold a result without knowing who made it (outparse) or stored it
 * (fragment).
 */
#ifndef PRUN_RESULT_H
#define PRUN_RESULT_H

#include <stddef.h>

#include "core/status.h"

/* One test point a test reported about itself (see outparse.h). */
struct prun_subtest {
	char			*name;	/* valid UTF-8 */
	enum prun_status	 status;
	int			 todo;	/* a TAP TODO point (status skip or
					 * the point's own verdict) */
};

/*
 * One repetition of a test run with --repeat: every repetition's verdict
 * is kept; the output only of the first that failed and of the last
 * (NULL otherwise), so a fragment stays small.
 */
struct prun_repetition {
	enum prun_status	 status;
	int			 returncode;	/* exit code, or -signal */
	int			 has_returncode;
	double			 duration;	/* seconds */
	char			*out;		/* NULL when not kept */
	size_t			 out_len;
	char			*err;
	size_t			 err_len;
};

struct prun_result {
	size_t			 index;		/* position in the plan */
	char			*name;
	enum prun_status	 status;
	int			 attempt;	/* 1 for the first try */
	int			 interrupted;	/* stopped by a signal to prun */
	int			 running;	/* a start record while a live
						 * prun holds its directory */
	char			*command;	/* display string */
	int			 returncode;	/* exit code, or -signal */
	int			 has_returncode;
	long			 pid;		/* 0 when never spawned */
	double			 time_start;	/* seconds since the epoch */
	double			 time_end;	/* 0 for a start record */
	char			*out;		/* valid UTF-8, may hold NUL */
	size_t			 out_len;
	char			*err;
	size_t			 err_len;
	struct prun_subtest	*subtests;
	size_t			 nsubtests;
	/*
	 * --rerun-failures: the earlier tries of this attempt, oldest first,
	 * each a failure that was run again (their own tries and name are
	 * empty).  flaky: it failed, then passed on a rerun.
	 */
	struct prun_result	*tries;
	size_t			 ntries;
	int			 flaky;
	/*
	 * What prun saw of the machine while the test ran (--dmesg, leaks):
	 * the kernel log lines, valid UTF-8 (NULL when none); dmesg_shared:
	 * other tests ran beside it while they were read, so a line may be
	 * theirs.  leaked: how many of its processes outlived its main
	 * process; leak_commands their command names (at most
	 * RESULT_LEAK_NAMES of them).
	 */
	char			*dmesg;
	size_t			 dmesg_len;
	int			 dmesg_shared;
	size_t			 leaked;
	char			**leak_commands;
	size_t			 nleak_commands;
	/* --repeat: each repetition, in order (nreps 0 without it). */
	struct prun_repetition	*reps;
	size_t			 nreps;
};

#define RESULT_LEAK_NAMES	16

/*
 * Mark the subtest of r named name as a TODO point; -1 when none has that
 * name.  Readers of a list of names in the subtests' order pass the same
 * *from (start at 0): the search goes on from there, so that reading n
 * names costs n steps, and wraps round for names out of order.
 */
int	result_mark_todo(struct prun_result *r, const char *name, size_t *from);

/* Release every member and zero the struct. */
void	result_free(struct prun_result *);

#endif
