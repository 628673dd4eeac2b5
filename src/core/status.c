/*
 * status: names and order of piglit's test statuses.
 */
#include <string.h>

#include "core/status.h"

static const char *const names[PRUN_NSTATUS] = {
	[PRUN_SKIP] = "skip",
	[PRUN_NOTRUN] = "notrun",
	[PRUN_PASS] = "pass",
	[PRUN_WARN] = "warn",
	[PRUN_DMESG_WARN] = "dmesg-warn",
	[PRUN_FAIL] = "fail",
	[PRUN_DMESG_FAIL] = "dmesg-fail",
	[PRUN_TIMEOUT] = "timeout",
	[PRUN_CRASH] = "crash",
	[PRUN_INCOMPLETE] = "incomplete",
};

/* SGR colours on a terminal: green passes, yellow warnings, red
 * failures, bold red the worst; a status missing here is not coloured. */
static const char *const colors[PRUN_NSTATUS] = {
	[PRUN_SKIP] = "36",
	[PRUN_NOTRUN] = "2",
	[PRUN_PASS] = "32",
	[PRUN_WARN] = "33",
	[PRUN_DMESG_WARN] = "1;33",
	[PRUN_FAIL] = "31",
	[PRUN_DMESG_FAIL] = "4;31",
	[PRUN_TIMEOUT] = "35",
	[PRUN_CRASH] = "1;31",
	[PRUN_INCOMPLETE] = "1;35",
};

/* The status's name as piglit spells it. */
const char *
status_name(enum prun_status s)
{
	if ((unsigned)s >= PRUN_NSTATUS)
		return "unknown";
	return names[s];
}

/* Parse a status name. */
int
status_parse(const char *name, enum prun_status *out)
{
	int i;

	for (i = 0; i < PRUN_NSTATUS; i++) {
		if (strcmp(name, names[i]) == 0) {
			*out = i;
			return 0;
		}
	}
	return -1;
}

/* The worse of two statuses. */
enum prun_status
status_worst(enum prun_status a, enum prun_status b)
{
	return a > b ? a : b;
}

/* Whether this status makes the run fail: warn, dmesg-warn, skip and
 * notrun do not. */
int
status_is_failure(enum prun_status s)
{
	return s >= PRUN_FAIL;
}

/*
 * The JUnit element that says a status (SPEC.md): failure for fail,
 * dmesg-fail, warn and dmesg-warn, error for crash, timeout and
 * incomplete, skipped for skip and notrun, none for pass.
 */
const char *
status_junit_element(enum prun_status s)
{
	switch (s) {
	case PRUN_PASS:
		return NULL;
	case PRUN_WARN:
	case PRUN_DMESG_WARN:
	case PRUN_FAIL:
	case PRUN_DMESG_FAIL:
		return "failure";
	case PRUN_SKIP:
	case PRUN_NOTRUN:
		return "skipped";
	default:
		return "error";
	}
}

/* The SGR parameters of a status's colour ("31"), or NULL for none. */
const char *
status_color(enum prun_status s)
{
	if ((unsigned)s >= PRUN_NSTATUS)
		return NULL;
	return colors[s];
}
