/*
 * status: the test statuses of piglit, ordered from best to worst.
 */
#ifndef PRUN_STATUS_H
#define PRUN_STATUS_H

/* Order matters: a larger value is a worse status (see status_worst). */
enum prun_status {
	PRUN_SKIP = 0,
	PRUN_NOTRUN,
	PRUN_PASS,
	PRUN_WARN,
	PRUN_DMESG_WARN,	/* pass, with kernel log lines that matched */
	PRUN_FAIL,
	PRUN_DMESG_FAIL,	/* warn or fail, with matching kernel lines */
	PRUN_TIMEOUT,
	PRUN_CRASH,
	PRUN_INCOMPLETE,
	PRUN_NSTATUS
};

/* The status's name as piglit spells it ("pass", "fail", ...). */
const char	*status_name(enum prun_status);

/* Parse a status name.  Returns -1 for an unknown name. */
int		 status_parse(const char *name, enum prun_status *out);

/* The worse of two statuses. */
enum prun_status status_worst(enum prun_status, enum prun_status);

/* Whether a test with this status makes the run fail (exit status 1). */
int		 status_is_failure(enum prun_status);

/* The JUnit element of a status: "failure", "error", "skipped", or NULL
 * for pass. */
const char	*status_junit_element(enum prun_status);

/* The SGR parameters of the status's colour on a terminal ("31" for
 * red), or NULL when it has none. */
const char	*status_color(enum prun_status);

#endif
