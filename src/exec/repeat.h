/*
 * repeat: a test run N times (--repeat N, --until-fail), its repetitions
 * folded into the one result recorded for it.
 *
 * The rule: the test's status is the worst of its repetitions' statuses;
 * its top-level output, exit and times are those of the repetition that
 * decided it, the first failing one, else the last (a repetition prun cut
 * short ends them and decides, so that a resume runs the test again).
 * Every repetition's status, exit and duration is kept; the output only
 * of the first failing one and of the last, so that the record stays
 * small whatever N is.  The scheduler (run.c) runs the repetitions; this
 * module only keeps them, and holds at most one repetition's output.
 */
#ifndef PRUN_REPEAT_H
#define PRUN_REPEAT_H

#include <stddef.h>

#include "core/result.h"

/* The repetitions of one test so far (zeroed: none). */
struct repeat {
	struct prun_repetition	*reps;
	size_t			 nreps;
	struct prun_result	 first_fail;	/* whole, when has_fail */
	int			 has_fail;
	size_t			 fail_at;	/* its place in reps */
};

/*
 * Whether a repetition whose result is r ends a test's repetitions, of
 * n asked for: it is the n-th, or (until_fail) the first failure, or
 * prun cut it short (incomplete).
 */
int	repeat_is_last(const struct repeat *, const struct prun_result *r,
	    int n, int until_fail);

/*
 * Note r as the next repetition.  r is taken over when it is the first
 * failing one (kept whole until repeat_result) and left empty; else it
 * stays the caller's.  -1 when out of memory (r is then untouched).
 */
int	repeat_add(struct repeat *, struct prun_result *r);

/*
 * The test's result, from its repetitions and r, the last of them (as
 * repeat_add left it): r becomes the record, holding every repetition.
 * The state is emptied.  -1 when out of memory (r and the state are then
 * the caller's to free).
 */
int	repeat_result(struct repeat *, struct prun_result *r);

/* Release the state and zero it. */
void	repeat_free(struct repeat *);

#endif
