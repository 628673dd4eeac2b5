/*
 * history: the expected time of each planned test from earlier runs.
 *
 * Each source is opened alone, so that an error names it; its rows are
 * matched to the plan by name, since another run's plan may differ.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "report/history.h"
#include "report/runset.h"

/* Add the finished times of one source to sum[] and count[]. */
static int
add_source(char *src, const struct nametab *tab, double *sum,
    size_t *count, void (*warn)(void *, const char *), void *ctx,
    struct prun_error *err)
{
	const struct prun_result *cell;
	struct runset *rs;
	size_t id;
	int rc;

	if ((rs = runset_open(&src, 1, RUNSET_JSON, warn, ctx, err)) == NULL)
		goto fail;
	while ((rc = runset_next(rs, &cell, err)) == 1) {
		if (cell == NULL || cell->name == NULL ||
		    cell->status == PRUN_NOTRUN ||
		    cell->status == PRUN_INCOMPLETE ||
		    cell->time_end < cell->time_start)
			continue;
		if ((id = nametab_find_name(tab, cell->name)) == NAMETAB_NONE)
			continue;
		sum[id] += cell->time_end - cell->time_start;
		count[id]++;
	}
	runset_close(rs);
	if (rc == -1)
		goto fail;
	return 0;
fail:
	/* Whatever the reader's reason, it is the user's input: exit 2. */
	err->code = PRUN_EXIT_USAGE;
	return prun_error_wrap(err, "--history %s", src);
}

/* Add the tests of one source that did not pass or skip to sel. */
static int
add_failed(char *src, struct prun_selection *sel,
    void (*warn)(void *, const char *), void *ctx, struct prun_error *err)
{
	const struct prun_result *cell;
	struct runset *rs;
	int rc;

	if ((rs = runset_open(&src, 1, RUNSET_JSON, warn, ctx, err)) == NULL)
		goto fail;
	while ((rc = runset_next(rs, &cell, err)) == 1)
		if (cell != NULL && cell->name != NULL &&
		    cell->status != PRUN_PASS && cell->status != PRUN_SKIP &&
		    select_add(sel, cell->name, NULL, err) == -1) {
			rc = -1;
			break;
		}
	runset_close(rs);
	if (rc == -1)
		goto fail;
	/* Nothing failed: the selection is empty, not absent. */
	sel->used = 1;
	return 0;
fail:
	if (err->code != PRUN_EXIT_IO)
		err->code = PRUN_EXIT_USAGE;
	return prun_error_wrap(err, "--failed-from %s", src);
}

/* See history.h. */
int
history_failed(char *const *srcs, size_t nsrcs, struct prun_selection *sel,
    void (*warn)(void *, const char *), void *ctx, struct prun_error *err)
{
	size_t i;

	for (i = 0; i < nsrcs; i++)
		if (add_failed(srcs[i], sel, warn, ctx, err) == -1)
			return -1;
	return 0;
}

/* See history.h. */
int
history_expected(char *const *srcs, size_t nsrcs,
    const struct prun_plan *plan, double **expected,
    void (*warn)(void *, const char *), void *ctx, struct prun_error *err)
{
	size_t i, n = plan_size(plan), *count = NULL;
	struct nametab tab;
	double *sum = NULL;
	char **names;
	int rc = -1;

	*expected = NULL;
	nametab_init_names(&tab, (char *const *const *)&names);
	if ((names = malloc((n ? n : 1) * sizeof *names)) == NULL ||
	    (sum = calloc(n ? n : 1, sizeof *sum)) == NULL ||
	    (count = calloc(n ? n : 1, sizeof *count)) == NULL ||
	    nametab_reserve(&tab, n) == -1) {
		prun_error_errno(err, PRUN_EXIT_IO, ENOMEM, "--history");
		goto out;
	}
	for (i = 0; i < n; i++) {
		names[i] = (char *)plan_name(plan, i);
		if (nametab_add_name(&tab, names[i], i) == -1) {
			prun_error_errno(err, PRUN_EXIT_IO, ENOMEM,
			    "--history");
			goto out;
		}
	}
	for (i = 0; i < nsrcs; i++)
		if (add_source(srcs[i], &tab, sum, count, warn, ctx, err) == -1)
			goto out;
	for (i = 0; i < n; i++)
		sum[i] = count[i] ? sum[i] / (double)count[i] : -1;
	*expected = sum;
	sum = NULL;
	rc = 0;
out:
	nametab_free(&tab);
	free(names);
	free(sum);
	free(count);
	return rc;
}
