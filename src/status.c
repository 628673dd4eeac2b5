/*
 * status: names and order of piglit's test statuses.
 */
#include <string.h>

#include "status.h"

static const char *const names[PRUN_NSTATUS] = {
	[PRUN_SKIP] = "skip",
	[PRUN_NOTRUN] = "notrun",
	[PRUN_PASS] = "pass",
	[PRUN_WARN] = "warn",
	[PRUN_FAIL] = "fail",
	[PRUN_TIMEOUT] = "timeout",
	[PRUN_CRASH] = "crash",
	[PRUN_INCOMPLETE] = "incomplete",
};

/* The status's name as piglit spells it. */
const char *
status_name(enum prun_status s)
{
	if ((unsigned)s >= PRUN_NSTATUS)
		return "unknown";
	return names[s];
}

/* Parse a status name; dmesg-warn and dmesg-fail fold into warn and fail. */
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
	if (strcmp(name, "dmesg-warn") == 0) {
		*out = PRUN_WARN;
		return 0;
	}
	if (strcmp(name, "dmesg-fail") == 0) {
		*out = PRUN_FAIL;
		return 0;
	}
	return -1;
}

/* The worse of two statuses. */
enum prun_status
status_worst(enum prun_status a, enum prun_status b)
{
	return a > b ? a : b;
}

/* Whether this status makes the run fail: warn, skip and notrun do not. */
int
status_is_failure(enum prun_status s)
{
	return s >= PRUN_FAIL;
}
