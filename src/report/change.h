/*
 * change: what changed in a test between two runs, with piglit's
 * definitions; the one place that decides it, for the text comparison,
 * the html page and the counts of regressions and fixes.
 *
 * The rule for subtests (text and html agree on it): a test is the unit
 * that changes.  Each test and each subtest has its own kind of change
 * (change_status), which the text comparison writes on its own line; a
 * test's kind (change_test) is its own status's kind when that is a
 * regression, new or removed, else a regression when a subtest regressed,
 * else its own kind, else a fix when a subtest got fixed, else a change
 * when any other subtest changed.  Counts of regressions and fixes count
 * tests by that kind, once each.  This rule won over counting every
 * subtest as a test of its own because a count is read as "how many tests
 * need a look": the exit status, the html totals and its list of notable
 * tests were already per test, and one failing subtest of a failing test
 * is one thing to fix, not two.
 */
#ifndef PRUN_CHANGE_H
#define PRUN_CHANGE_H

#include "core/result.h"
#include "core/status.h"

/* The kinds of change; each changed test has exactly one. */
enum change_kind {
	CHANGE_REGRESSION,	/* worse; neither status skip nor notrun */
	CHANGE_FIX,		/* better; neither status skip nor notrun */
	CHANGE_NEW,		/* notrun or absent before, run now */
	CHANGE_REMOVED,		/* run before, notrun or absent now */
	CHANGE_OTHER,		/* another change, but skip <-> notrun */
	CHANGE_NKINDS
};

/* A side without the test: piglit's KeyError, notrun for comparisons. */
#define CHANGE_ABSENT	PRUN_NSTATUS

/* The kind of change from old to new status (either may be
 * CHANGE_ABSENT); -1 when nothing changed. */
int		 change_status(enum prun_status old_status,
		    enum prun_status new_status);

/* A test's kind from its own (change_status, or -1) and the set of its
 * subtests' kinds (bit 1 << kind for each); -1 for none. */
int		 change_fold(int own, unsigned subs);

/* How test before changed into after (NULL: absent), subtests
 * included: a kind, or -1 for none. */
int		 change_test(const struct prun_result *before,
		    const struct prun_result *after);

/* The subtest called name of r (NULL: none), looked for at index hint
 * first: runs of one test mostly list the same subtests in one order. */
const struct prun_subtest *change_subtest(const struct prun_result *r,
		    const char *name, size_t hint);

/* "regression", "fix", "new", "removed", "change". */
const char	*change_kind_name(enum change_kind);

#endif
