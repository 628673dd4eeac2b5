/*
 * change: the kind of change of a test or subtest between two runs.
 * piglit's definitions: a status that runs (not notrun, not absent) after
 * one that did not is new, and the reverse removed; skip <-> notrun is no
 * change; between two run statuses neither of which is skip, a higher
 * status (status.h orders them by gravity) is a regression; anything else
 * that differs is a change.  The subtest rule is in change.h.
 */
#include <string.h>

#include "report/change.h"

static const char *const kind_names[CHANGE_NKINDS] = {
	[CHANGE_REGRESSION] = "regression",
	[CHANGE_FIX] = "fix",
	[CHANGE_NEW] = "new",
	[CHANGE_REMOVED] = "removed",
	[CHANGE_OTHER] = "change",
};

/* The kind of change of one status; -1 for none. */
int
change_status(enum prun_status o, enum prun_status n)
{
	int o_run = o != CHANGE_ABSENT && o != PRUN_NOTRUN;
	int n_run = n != CHANGE_ABSENT && n != PRUN_NOTRUN;

	if (o == CHANGE_ABSENT)
		o = PRUN_NOTRUN;
	if (n == CHANGE_ABSENT)
		n = PRUN_NOTRUN;
	if (!o_run && n_run)
		return CHANGE_NEW;
	if (o_run && !n_run)
		return CHANGE_REMOVED;
	if (o == n || (o == PRUN_SKIP && n == PRUN_NOTRUN) ||
	    (o == PRUN_NOTRUN && n == PRUN_SKIP))
		return -1;
	if (o != PRUN_SKIP && n != PRUN_SKIP)
		return n > o ? CHANGE_REGRESSION : CHANGE_FIX;
	return CHANGE_OTHER;
}

/* A test's kind from its own and its subtests'; see change.h. */
int
change_fold(int own, unsigned subs)
{
	if (own == CHANGE_REGRESSION || own == CHANGE_NEW ||
	    own == CHANGE_REMOVED)
		return own;
	if (subs & (1u << CHANGE_REGRESSION))
		return CHANGE_REGRESSION;
	if (own >= 0)
		return own;
	if (subs & (1u << CHANGE_FIX))
		return CHANGE_FIX;
	return subs != 0 ? CHANGE_OTHER : -1;
}

/* The status of r for change_status: CHANGE_ABSENT for none. */
static enum prun_status
status_of(const struct prun_result *r)
{
	return r != NULL ? r->status : CHANGE_ABSENT;
}

/* How a test changed, subtests included. */
int
change_test(const struct prun_result *a, const struct prun_result *b)
{
	const struct prun_subtest *s;
	unsigned subs = 0;
	size_t i;
	int own, k;

	own = change_status(status_of(a), status_of(b));
	if (a == NULL || b == NULL)
		return own;
	for (i = 0; i < b->nsubtests; i++) {
		s = change_subtest(a, b->subtests[i].name, i);
		k = change_status(s != NULL ? s->status : CHANGE_ABSENT,
		    b->subtests[i].status);
		if (k >= 0)
			subs |= 1u << k;
	}
	for (i = 0; i < a->nsubtests; i++)
		if (change_subtest(b, a->subtests[i].name, i) == NULL &&
		    (k = change_status(a->subtests[i].status,
		    CHANGE_ABSENT)) >= 0)
			subs |= 1u << k;
	return change_fold(own, subs);
}

/* The subtest called name of r, looked for at index hint first. */
const struct prun_subtest *
change_subtest(const struct prun_result *r, const char *name, size_t hint)
{
	size_t i;

	if (r == NULL)
		return NULL;
	if (hint < r->nsubtests && strcmp(r->subtests[hint].name, name) == 0)
		return &r->subtests[hint];
	for (i = 0; i < r->nsubtests; i++)
		if (strcmp(r->subtests[i].name, name) == 0)
			return &r->subtests[i];
	return NULL;
}

/* The name of a kind. */
const char *
change_kind_name(enum change_kind k)
{
	if ((unsigned)k >= CHANGE_NKINDS)
		return "unknown";
	return kind_names[k];
}
