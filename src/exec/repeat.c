/*
 * repeat: the repetitions of a test, folded into its one result (see
 * repeat.h for the rule).
 */
#include <stdlib.h>
#include <string.h>

#include "core/status.h"
#include "exec/repeat.h"

/* Whether r, a repetition, is one that decides (the first failing). */
static int
failing(const struct prun_result *r)
{
	return status_is_failure(r->status) && r->status != PRUN_INCOMPLETE;
}

/* Whether the repetition r ends the test's repetitions. */
int
repeat_is_last(const struct repeat *rp, const struct prun_result *r, int n,
    int until_fail)
{
	return rp->nreps + 1 >= (size_t)n || r->status == PRUN_INCOMPLETE ||
	    (until_fail && status_is_failure(r->status));
}

/* Note r as the next repetition; the first failing one is kept whole. */
int
repeat_add(struct repeat *rp, struct prun_result *r)
{
	struct prun_repetition *grown, *p;

	if ((grown = realloc(rp->reps, (rp->nreps + 1) * sizeof *grown)) ==
	    NULL)
		return -1;
	rp->reps = grown;
	p = &rp->reps[rp->nreps];
	memset(p, 0, sizeof *p);
	p->status = r->status;
	p->returncode = r->returncode;
	p->has_returncode = r->has_returncode;
	p->duration = r->time_end > r->time_start ?
	    r->time_end - r->time_start : 0;
	if (!rp->has_fail && failing(r)) {
		rp->first_fail = *r;
		memset(r, 0, sizeof *r);
		rp->has_fail = 1;
		rp->fail_at = rp->nreps;
	}
	rp->nreps++;
	return 0;
}

/* A copy of len bytes of s, NUL-terminated; NULL for NULL. */
static int
copy(char **dst, const char *s, size_t len)
{
	*dst = NULL;
	if (s == NULL)
		return 0;
	if ((*dst = malloc(len + 1)) == NULL)
		return -1;
	memcpy(*dst, s, len);
	(*dst)[len] = '\0';
	return 0;
}

/* Give repetition p the output of r: copied, or taken over (move). */
static int
keep_output(struct prun_repetition *p, struct prun_result *r, int move)
{
	if (move) {
		p->out = r->out;
		p->out_len = r->out_len;
		p->err = r->err;
		p->err_len = r->err_len;
		r->out = r->err = NULL;
		r->out_len = r->err_len = 0;
		return 0;
	}
	if (copy(&p->out, r->out, r->out_len) == -1 ||
	    copy(&p->err, r->err, r->err_len) == -1) {
		free(p->out);
		p->out = NULL;
		return -1;
	}
	p->out_len = r->out_len;
	p->err_len = r->err_len;
	return 0;
}

/* The test's record from its repetitions, r the last of them. */
int
repeat_result(struct repeat *rp, struct prun_result *r)
{
	struct prun_repetition *last;
	enum prun_status worst;
	size_t i;

	if (rp->nreps == 0)
		return 0;
	last = &rp->reps[rp->nreps - 1];
	if (rp->has_fail && rp->fail_at == rp->nreps - 1) {
		/* The last is the first failing: it is the record. */
		if (keep_output(last, &rp->first_fail, 0) == -1)
			return -1;
		result_free(r);
		*r = rp->first_fail;
	} else if (rp->has_fail && r->status != PRUN_INCOMPLETE) {
		/* An earlier failure decides; the last keeps its output. */
		if (keep_output(&rp->reps[rp->fail_at], &rp->first_fail,
		    0) == -1)
			return -1;
		keep_output(last, r, 1);
		result_free(r);
		*r = rp->first_fail;
	} else {
		/* None failed, or prun cut the last short: the last
		 * decides, and the first failing one keeps its output. */
		if (keep_output(last, r, 0) == -1)
			return -1;
		if (rp->has_fail) {
			keep_output(&rp->reps[rp->fail_at], &rp->first_fail,
			    1);
			result_free(&rp->first_fail);
		}
	}
	memset(&rp->first_fail, 0, sizeof rp->first_fail);
	rp->has_fail = 0;
	worst = rp->reps[0].status;
	for (i = 1; i < rp->nreps; i++)
		worst = status_worst(worst, rp->reps[i].status);
	r->status = worst;
	r->reps = rp->reps;
	r->nreps = rp->nreps;
	rp->reps = NULL;
	rp->nreps = 0;
	return 0;
}

/* Release the repetitions kept so far. */
void
repeat_free(struct repeat *rp)
{
	size_t i;

	for (i = 0; i < rp->nreps; i++) {
		free(rp->reps[i].out);
		free(rp->reps[i].err);
	}
	free(rp->reps);
	if (rp->has_fail)
		result_free(&rp->first_fail);
	memset(rp, 0, sizeof *rp);
}
