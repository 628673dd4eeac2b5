/*
 * baseline: which failures are expected, as deqp-runner's baselines and
 * flake lists say, and what a test's status means against them.
 *
 * A baseline file lists the tests known to fail, one "NAME STATUS" line
 * each (what prun summary -f baseline writes); a flakes file holds POSIX
 * extended regexes of tests known to fail now and then.  A summary judges
 * every test against them: an expected failure or a known flake does not
 * fail the summary; a listed test that now passes is fixed, and fails it
 * until the baseline is updated (or --allow-fixes).
 */
#ifndef PRUN_BASELINE_H
#define PRUN_BASELINE_H

#include <stddef.h>

#include "core/error.h"
#include "core/status.h"

enum baseline_verdict {
	BASELINE_OK,		/* no failure, and none expected */
	BASELINE_EXPECTED,	/* failed with the status the baseline says */
	BASELINE_FLAKE,		/* failed, or passes only now, but is a known
				 * flake */
	BASELINE_FIXED,		/* the baseline says it fails; it passes */
	BASELINE_UNEXPECTED,	/* failed, and not as the baseline says */
	BASELINE_NVERDICTS
};

struct baseline;

/* An empty baseline: every failure is unexpected. */
struct baseline	*baseline_new(void);
void		 baseline_free(struct baseline *);

/*
 * Add the lines of a baseline file ("NAME STATUS"; deqp-runner's
 * "NAME,Status" is read too) or of a flakes file (one regex a line) from
 * text; blank lines and lines starting with '#' are skipped.  what names
 * the file in messages, which give its line.
 */
int		 baseline_parse(struct baseline *, const char *text,
		    const char *what, struct prun_error *);
int		 baseline_parse_flakes(struct baseline *, const char *text,
		    const char *what, struct prun_error *);

/* The same from files. */
int		 baseline_read(struct baseline *, const char *path,
		    struct prun_error *);
int		 baseline_read_flakes(struct baseline *, const char *path,
		    struct prun_error *);

/*
 * Judge a test's status; flaky says it passed only after a rerun.  When
 * the baseline lists the test, *expected is set to its status, else to
 * PRUN_NSTATUS.  Marks the baseline entry as seen.  bl may be NULL.
 */
enum baseline_verdict baseline_judge(struct baseline *bl, const char *name,
		    enum prun_status status, int flaky,
		    enum prun_status *expected);

/* How many baseline entries no judged test had; *first is one of them. */
size_t		 baseline_unseen(const struct baseline *, const char **first);

/* "expected", "flake", ... */
const char	*baseline_verdict_name(enum baseline_verdict);

#endif
