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
#include "report/change.h"

struct compare_outcome {
	size_t	counts[CHANGE_NKINDS];
	size_t	old_tests, new_tests;	/* tests and subtests per side */
};

/*
 * Compare the runs at old and new (directories or JSON reports) and write
 * one line per changed test, then the counts, to fp.  warn(ctx, msg) is
 * called for fragments left out and entries that cannot be read.
 */
int		 compare_write(const char *old, const char *new, FILE *fp,
		    void (*warn)(void *, const char *), void *ctx,
		    struct compare_outcome *, struct prun_error *);

#endif
