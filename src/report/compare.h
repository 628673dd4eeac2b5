/*
 * compare: what changed between two runs, with piglit's definitions.
 *
 * Each side is a results directory (or a JSON report, piglit's or prun's).
 * Every test is compared, and every subtest as a test of its own ("NAME
 * [SUBTEST]"), as piglit does; unlike piglit, a test that has subtests is
 * compared itself too, so a crash after its last subtest is not lost.
 * A test missing from a side counts as notrun there.
 */
#ifndef PRUN_COMPARE_H
#define PRUN_COMPARE_H

#include <stddef.h>
#include <stdio.h>

#include "core/error.h"
#include "core/status.h"

/* The kinds of change; each changed test has exactly one. */
enum compare_kind {
	COMPARE_REGRESSION,	/* worse; neither status skip nor notrun */
	COMPARE_FIX,		/* better; neither status skip nor notrun */
	COMPARE_NEW,		/* notrun or absent before, run now */
	COMPARE_REMOVED,	/* run before, notrun or absent now */
	COMPARE_CHANGE,		/* another change, but skip <-> notrun */
	COMPARE_NKINDS
};

/* A side without the test: piglit's KeyError, notrun for comparisons. */
#define COMPARE_ABSENT	PRUN_NSTATUS

struct compare_outcome {
	size_t	counts[COMPARE_NKINDS];
	size_t	old_tests, new_tests;	/* tests and subtests per side */
	size_t	old_subtests, new_subtests;	/* of which subtests */
};

/* The kind of change from old to new (either may be COMPARE_ABSENT);
 * -1 when nothing changed. */
int		 compare_classify(enum prun_status old_status,
		    enum prun_status new_status);

/* "regression", "fix", ... */
const char	*compare_kind_name(enum compare_kind);

/*
 * Compare the runs at old and new (directories or JSON reports) and write
 * one line per changed test, then the counts, to fp.  warn(ctx, msg) is
 * called for fragments left out and entries that cannot be read.
 */
int		 compare_write(const char *old, const char *new, FILE *fp,
		    void (*warn)(void *, const char *), void *ctx,
		    struct compare_outcome *, struct prun_error *);

#endif
