/*
 * report_compare: the text of prun summary --compare OLD NEW, a writer of
 * rows (old, new) from the pipeline, in NEW's order.
 *
 * Each changed test and each changed subtest ("NAME [SUBTEST]") has a
 * line "KIND NAME: OLD -> NEW", with its own kind (change_status); what
 * NEW no longer has (tests, or subtests of a test it still has) comes
 * after, in OLD's order, so those lines wait in memory until the end.
 * The counts then count tests, each once, by change_test (change.h says
 * why), and the last line says whether a test regressed.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/change.h"
#include "report/report.h"

/* A line about what NEW no longer has, to write at the end. */
struct gone {
	size_t	 index;		/* of its test in OLD */
	size_t	 seq;		/* order among the lines */
	char	*line;
};

struct compare_state {
	size_t		 counts[CHANGE_NKINDS];
	size_t		 old_tests, new_tests;	/* tests */
	size_t		 old_subtests, new_subtests;
	int		 changed;		/* a line was written */
	struct gone	*gone;
	size_t		 ngone, gone_size;
};

/* The name of a status, or "none" for a side without it. */
static const char *
shown(enum prun_status s)
{
	return s == CHANGE_ABSENT ? "none" : status_name(s);
}

/* "KIND NAME [SUB]: OLD -> NEW\n" into a new string, or NULL when nothing
 * changed (*line then NULL too): 0, or -1 when out of memory. */
static int
format(char **line, const char *name, const char *sub, enum prun_status o,
    enum prun_status n)
{
	int kind = change_status(o, n);

	*line = NULL;
	if (kind == -1)
		return 0;
	return asprintf(line, "%-10s %s%s%s%s: %s -> %s\n",
	    change_kind_name((enum change_kind)kind), name, sub ? " [" : "",
	    sub ? sub : "", sub ? "]" : "", shown(o), shown(n)) == -1 ?
	    -1 : 0;
}

/* Write a line now, or keep it for the end (gone: of OLD's test index). */
static int
put(struct compare_state *cs, FILE *fp, char *line, int gone, size_t index)
{
	struct gone *g;
	size_t size;
	int rc = 0;

	if (line == NULL)
		return 0;
	cs->changed = 1;
	if (!gone) {
		rc = fputs(line, fp) == EOF ? -1 : 0;
		free(line);
		return rc;
	}
	if (cs->ngone == cs->gone_size) {
		size = cs->gone_size ? 2 * cs->gone_size : 64;
		if ((g = realloc(cs->gone, size * sizeof *g)) == NULL) {
			free(line);
			return -1;
		}
		cs->gone = g;
		cs->gone_size = size;
	}
	g = &cs->gone[cs->ngone];
	g->index = index;
	g->seq = cs->ngone++;
	g->line = line;
	return 0;
}

/* OLD's order, then the order the lines came in. */
static int
gone_cmp(const void *a, const void *b)
{
	const struct gone *x = a, *y = b;

	if (x->index != y->index)
		return x->index < y->index ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Set up the state. */
static int
compare_begin(struct report *rep, const struct report_info *info)
{
	(void)info;
	if ((rep->state = calloc(1, sizeof(struct compare_state))) == NULL)
		return -1;
	return 0;
}

/* One test: its line and its subtests', now or for the end. */
static int
compare_row(struct report *rep, const struct report_info *info,
    const struct prun_result *const *cells)
{
	struct compare_state *cs = rep->state;
	const struct prun_result *o = cells[0], *n = cells[info->nruns - 1];
	const struct prun_subtest *s;
	char *line;
	size_t i, at = o != NULL ? o->index : 0;
	int kind;

	if (o != NULL) {
		cs->old_tests++;
		cs->old_subtests += o->nsubtests;
	}
	if (n != NULL) {
		cs->new_tests++;
		cs->new_subtests += n->nsubtests;
	}
	if ((kind = change_test(o, n)) >= 0)
		cs->counts[kind]++;
	if (format(&line, n != NULL ? n->name : o->name, NULL,
	    o != NULL ? o->status : CHANGE_ABSENT,
	    n != NULL ? n->status : CHANGE_ABSENT) == -1 ||
	    put(cs, rep->fp, line, n == NULL, at) == -1)
		return -1;
	for (i = 0; n != NULL && i < n->nsubtests; i++) {
		s = change_subtest(o, n->subtests[i].name, i);
		if (format(&line, n->name, n->subtests[i].name,
		    s != NULL ? s->status : CHANGE_ABSENT,
		    n->subtests[i].status) == -1 ||
		    put(cs, rep->fp, line, 0, at) == -1)
			return -1;
	}
	for (i = 0; o != NULL && i < o->nsubtests; i++) {
		if (change_subtest(n, o->subtests[i].name, i) != NULL)
			continue;
		if (format(&line, o->name, o->subtests[i].name,
		    o->subtests[i].status, CHANGE_ABSENT) == -1 ||
		    put(cs, rep->fp, line, 1, at) == -1)
			return -1;
	}
	return 0;
}

/* What is gone, the counts, and the verdict. */
static int
compare_end(struct report *rep, const struct report_info *info)
{
	struct compare_state *cs = rep->state;
	FILE *fp = rep->fp;
	size_t i;

	/* qsort must not be given NULL, even for no elements. */
	if (cs->ngone > 0)
		qsort(cs->gone, cs->ngone, sizeof *cs->gone, gone_cmp);
	for (i = 0; i < cs->ngone; i++)
		if (fputs(cs->gone[i].line, fp) == EOF)
			return -1;
	if (cs->changed && fputc('\n', fp) == EOF)
		return -1;
	for (i = 0; i < CHANGE_NKINDS; i++)
		if (fprintf(fp, "%-10s %8zu\n", change_kind_name(i),
		    cs->counts[i]) < 0)
			return -1;
	/* Tests and subtests apart: a 7-test run is not "11 tests". */
	return fprintf(fp, "%s: %zu tests (%zu subtests) in %s, %zu tests "
	    "(%zu subtests) in %s\n",
	    cs->counts[CHANGE_REGRESSION] ? "REGRESSED" : "OK",
	    cs->old_tests, cs->old_subtests, info->dirs[0], cs->new_tests,
	    cs->new_subtests, info->dirs[info->nruns - 1]) < 0 ? -1 : 0;
}

/* Free the state. */
static void
compare_free(struct report *rep)
{
	struct compare_state *cs = rep->state;
	size_t i;

	if (cs == NULL)
		return;
	for (i = 0; i < cs->ngone; i++)
		free(cs->gone[i].line);
	free(cs->gone);
	free(cs);
	rep->state = NULL;
}

const struct report_ops report_compare_ops = {
	.begin = compare_begin,
	.end = compare_end,
	.free = compare_free,
	.row = compare_row,
};
