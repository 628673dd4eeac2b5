/*
 * report: the writers of the final report, one per format.
 *
 * The pipeline (pipeline.c) feeds a writer one test at a time, in plan
 * order, so no writer holds more than one test's output in memory.  A
 * writer that needs totals before the tests (JUnit's testsuite counts)
 * declares a scan(): the pipeline then makes a first pass, feeding it
 * every test, before begin().  A writer that can put several runs side by
 * side (html, the text of --compare) takes rows: the same test in each
 * run, from runset.c.
 */
#ifndef PRUN_REPORT_H
#define PRUN_REPORT_H

#include <stdio.h>

#include "report/baseline.h"
#include "core/error.h"
#include "plan/metadata.h"
#include "core/result.h"
#include "core/status.h"

enum report_format {
	REPORT_TEXT,
	REPORT_JSON,
	REPORT_TAP,
	REPORT_BASELINE,
	REPORT_HTML,
	REPORT_JUNIT,
};

/* Whose output the html report shows. */
enum report_show {
	REPORT_SHOW_FAILING,	/* tests that did not pass or skip */
	REPORT_SHOW_ALL,
	REPORT_SHOW_NONE,
};

#define REPORT_SHOW_MAX	16384	/* html: default bytes shown per stream */

/* How to write a report. */
struct report_options {
	enum report_format	 format;
	enum report_show	 show_output;	/* html only */
	size_t			 show_max;	/* html: bytes per stream; 0 all */
	int			 junit_subtests; /* junit: subtests as testcases */
	size_t			 junit_max_output; /* junit: bytes of output in
						    * all; 0: no cap */
	int			 color;		/* text: statuses in colour */
	size_t			 junit_split;	/* junit: testcases per part;
						 * 0: one document */
	struct junit_parts	*junit_parts;	/* junit_split: the files */
	int			 piglit_names;	/* json: groups split by '@' */
};

#define REPORT_JUNIT_MAX_OUTPUT	(20u << 20)	/* junit's default */

/* One run of a comparison: a column of the report. */
struct report_run {
	const struct prun_metadata	*md;	/* its first directory's */
	char *const			*dirs;	/* its shards */
	size_t				 ndirs;
	size_t				 ntests;	/* in its plans */
	size_t				 counts[PRUN_NSTATUS];
	size_t				 regressions;	/* from the run before */
	size_t				 fixes;
	size_t				 duplicates;
	size_t				 damaged;
	double				 time_start;
	double				 time_end;
};

/* What is known of the run(s) being reported. */
struct report_info {
	const struct prun_metadata	*md;	/* the first directory's */
	char *const			*dirs;
	const struct prun_metadata *const *mds;	/* each directory's */
	size_t				 ndirs;
	size_t				 ntests;	/* tests in the plan */
	size_t				 counts[PRUN_NSTATUS];
	size_t				 duplicates;	/* tests found twice */
	size_t				 damaged;	/* unparsable fragments */
	size_t				 flaky;		/* passed on a rerun */
	double				 time_start;	/* over all results */
	double				 time_end;
	/* Against a baseline or flakes list (judged), or every failure
	 * unexpected: */
	int				 judged;
	size_t				 verdicts[BASELINE_NVERDICTS];
	/* of the test in test(): its verdict and baseline status (or
	 * PRUN_NSTATUS) */
	enum baseline_verdict		 verdict;
	enum prun_status		 expected;
	int				 failing;	/* in end(): exit 1 */
	const struct report_run		*runs;	/* columns, when comparing */
	size_t				 nruns;	/* 0: one run, described above */
};

struct report;
struct junit_parts;

struct report_ops {
	/* optional: the first pass, every test in plan order before begin();
	 * a fragment may change between the passes of a run still going */
	int	(*scan)(struct report *, const struct report_info *,
		    const struct prun_result *r);
	int	(*begin)(struct report *, const struct report_info *);
	/* r's status may be notrun for a test without a fragment */
	int	(*test)(struct report *, const struct report_info *,
		    const struct prun_result *r);
	/* info holds the final counts and times */
	int	(*end)(struct report *, const struct report_info *);
	void	(*free)(struct report *);
	/* With info->nruns runs: one test, cells[k] its result in run k or
	 * NULL when run k has no such test; NULL for formats without
	 * columns */
	int	(*row)(struct report *, const struct report_info *,
		    const struct prun_result *const *cells);
};

struct report {
	const struct report_ops		*ops;
	const struct report_options	*opts;
	FILE				*fp;
	void				*state;	/* the writer's own */
	struct prun_error		 err;	/* a writer's error about the
						 * input (code 0: none); else
						 * -1 means fp failed */
};

/* Parse a -f name; returns -1 for an unknown one. */
int	report_format_parse(const char *name, enum report_format *);

/* Fill opts with the defaults for format fmt. */
void	report_options_init(struct report_options *, enum report_format fmt);

/* Set up a writer of opts->format to fp (opts must outlive it). */
int	report_open(struct report *, const struct report_options *opts,
	    FILE *fp, struct prun_error *);

/* The writers. */
extern const struct report_ops report_text_ops;
extern const struct report_ops report_json_ops;
extern const struct report_ops report_tap_ops;
extern const struct report_ops report_baseline_ops;
extern const struct report_ops report_html_ops;
extern const struct report_ops report_junit_ops;
/* The text of --compare: rows only, chosen by pipeline.c. */
extern const struct report_ops report_compare_ops;

/* The group ("a/b") and case ("c") of a test name "a/b/c"; group may be
 * empty.  Returns the length of the group part. */
size_t	report_split_name(const char *name, const char **casename);

#endif
