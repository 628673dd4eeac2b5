/*
 * schedule: longest processing time first, for the start order and for
 * shards by time; see schedule.h.
 *
 * Everything here is a pure function of the plan and the expected times,
 * with ties broken by plan index, so two machines given the same history
 * agree to the test.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "plan/schedule.h"

/* The plan and times qsort's comparators see (qsort has no context). */
static const double *sort_expected;
static const struct prun_plan *sort_plan;

/* Exclusive tests first, then longest first, then plan order. */
static int
by_lpt(const void *a, const void *b)
{
	size_t i = *(const size_t *)a, j = *(const size_t *)b;
	int xi = plan_exclusive(sort_plan, i);
	int xj = plan_exclusive(sort_plan, j);

	if (xi != xj)
		return xi ? -1 : 1;
	if (sort_expected[i] != sort_expected[j])
		return sort_expected[i] > sort_expected[j] ? -1 : 1;
	return i < j ? -1 : i > j;
}

static int
by_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Unknown times (< 0) become the median of the known ones (1 s when
 * none is known); returns how many were known. */
static size_t
fill_median(double *expected, size_t n, struct prun_error *err, int *failed)
{
	double *known, median = 1.0;
	size_t i, k = 0;

	*failed = 0;
	if ((known = malloc((n ? n : 1) * sizeof *known)) == NULL) {
		prun_error_errno(err, PRUN_EXIT_IO, errno, "schedule");
		*failed = 1;
		return 0;
	}
	for (i = 0; i < n; i++)
		if (expected[i] >= 0)
			known[k++] = expected[i];
	if (k > 0) {
		qsort(known, k, sizeof *known, by_double);
		median = k % 2 ? known[k / 2] :
		    (known[k / 2 - 1] + known[k / 2]) / 2;
	}
	free(known);
	for (i = 0; i < n; i++)
		if (expected[i] < 0)
			expected[i] = median;
	return k;
}

/* The digest of the expected times, as metadata.json records them (ms),
 * so a digest read back equals the one computed. */
static void
digest(struct prun_schedule *s)
{
	uint64_t h = UTIL_HASH_INIT;
	long long ms;
	size_t i;

	for (i = 0; i < s->n; i++) {
		ms = (long long)(s->expected[i] * 1000 + 0.5);
		h = util_hash(h, &ms, sizeof ms);
	}
	snprintf(s->digest, sizeof s->digest, "%016llx", (unsigned long long)h);
}

/* Greedy: each test in LPT order onto the least-loaded shard. */
static int
cut(struct prun_schedule *s, unsigned total, struct prun_error *err)
{
	double *load;
	size_t i, best;
	unsigned k;

	if ((load = calloc(total, sizeof *load)) == NULL ||
	    (s->owner = malloc((s->n ? s->n : 1) * sizeof *s->owner)) ==
	    NULL) {
		free(load);
		return prun_error_errno(err, PRUN_EXIT_IO, errno, "schedule");
	}
	for (i = 0; i < s->n; i++) {
		best = 0;
		for (k = 1; k < total; k++)
			if (load[k] < load[best])
				best = k;
		load[best] += s->expected[s->order[i]];
		s->owner[s->order[i]] = (unsigned)best;
	}
	free(load);
	return 0;
}

/* Cut the shards of shard (when there are several) by s's times. */
static int
cut_shard(struct prun_schedule *s, struct prun_shard *shard,
    struct prun_error *err)
{
	if (shard == NULL || shard->total <= 1)
		return 0;
	if (cut(s, shard->total, err) == -1)
		return -1;
	shard->owner = s->owner;
	return 0;
}

/* Build the schedule; see schedule.h. */
int
schedule_build(struct prun_schedule *s, const struct prun_plan *plan,
    double *expected, struct prun_shard *shard, struct prun_error *err)
{
	size_t i;
	int failed;

	memset(s, 0, sizeof *s);
	s->expected = expected;
	s->n = plan_size(plan);
	s->known = fill_median(expected, s->n, err, &failed);
	if (failed)
		goto fail;
	digest(s);
	if ((s->order = malloc((s->n ? s->n : 1) * sizeof *s->order)) ==
	    NULL) {
		prun_error_errno(err, PRUN_EXIT_IO, errno, "schedule");
		goto fail;
	}
	for (i = 0; i < s->n; i++)
		s->order[i] = i;
	sort_expected = expected;
	sort_plan = plan;
	qsort(s->order, s->n, sizeof *s->order, by_lpt);
	if (cut_shard(s, shard, err) == -1)
		goto fail;
	return 0;
fail:
	schedule_free(s);
	return -1;
}

/* Take a schedule back from metadata.json; see schedule.h. */
int
schedule_restore(struct prun_schedule *s, double *expected, size_t *order,
    size_t n, struct prun_shard *shard, struct prun_error *err)
{
	unsigned char *seen;
	size_t i;

	memset(s, 0, sizeof *s);
	s->expected = expected;
	s->order = order;
	s->n = n;
	s->known = n;
	/* The order must be a permutation of the plan, or shards and resumes
	 * would run a test twice or never. */
	if ((seen = calloc(n ? n : 1, 1)) == NULL) {
		prun_error_errno(err, PRUN_EXIT_IO, errno, "schedule");
		goto fail;
	}
	for (i = 0; i < n; i++) {
		if (order[i] >= n || seen[order[i]] || expected[i] < 0) {
			free(seen);
			prun_error_set(err, PRUN_EXIT_USAGE, "schedule: the "
			    "order is not one of the plan's %zu tests", n);
			goto fail;
		}
		seen[order[i]] = 1;
	}
	free(seen);
	digest(s);
	if (cut_shard(s, shard, err) == -1)
		goto fail;
	return 0;
fail:
	schedule_free(s);
	return -1;
}

/* Stable sort of a todo list by start rank. */
void
schedule_sort(const struct prun_schedule *s, struct run_todo *todo,
    size_t n)
{
	struct run_todo *sorted;
	size_t *slot, i, k = 0;

	if (s == NULL || s->order == NULL || n < 2)
		return;
	/* Where each plan index stands in the todo list, if it is there. */
	if ((slot = malloc(s->n * sizeof *slot)) == NULL ||
	    (sorted = malloc(n * sizeof *sorted)) == NULL) {
		/* Out of memory: plan order is still a correct run. */
		free(slot);
		return;
	}
	for (i = 0; i < s->n; i++)
		slot[i] = SIZE_MAX;
	for (i = 0; i < n; i++)
		if (todo[i].index < s->n)
			slot[todo[i].index] = i;
	for (i = 0; i < s->n; i++)
		if (slot[s->order[i]] != SIZE_MAX)
			sorted[k++] = todo[slot[s->order[i]]];
	/* Indices outside the plan (none in practice) keep their place. */
	for (i = 0; i < n; i++)
		if (todo[i].index >= s->n)
			sorted[k++] = todo[i];
	memcpy(todo, sorted, n * sizeof *todo);
	free(sorted);
	free(slot);
}

/* The expected time of a shard's tests. */
double
schedule_shard_total(const struct prun_schedule *s,
    const struct prun_shard *sh)
{
	double sum = 0;
	size_t i;

	for (i = 0; s->expected != NULL && i < s->n; i++)
		if (shard_member(sh, i))
			sum += s->expected[i];
	return sum;
}

void
schedule_free(struct prun_schedule *s)
{
	free(s->expected);
	free(s->order);
	free(s->owner);
	memset(s, 0, sizeof *s);
}
