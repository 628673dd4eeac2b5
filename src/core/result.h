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
};

/* Release every member and zero the struct. */
void	result_free(struct prun_result *);

#endif
