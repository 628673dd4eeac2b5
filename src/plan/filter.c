/*
 * filter: keep the tests of a plan whose names match -t and not -x
 * (POSIX extended regular expressions).
 */
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/error.h"
#include "core/util.h"
#include "plan/plan.h"
#include "plan/plan_source.h"

/* Whether name matches one of the n compiled regexes. */
static int
matches_any(const regex_t *re, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (regexec(&re[i], name, 0, NULL, 0) == 0)
			return 1;
	}
	return 0;
}

/* Keep the tests that match an include (if any) and no exclude. */
int
plan_filter(struct prun_plan *plan, char *const *include, size_t ninclude,
    char *const *exclude, size_t nexclude, struct prun_error *err)
{
	regex_t *re = NULL;
	const char *pattern, *name;
	char msg[256];
	size_t i, kept, ncompiled = 0, n = ninclude + nexclude;
	int rc, keep, rv = -1;

	if (n > 0 && (re = calloc(n, sizeof *re)) == NULL)
		return plan_nomem(err);
	for (i = 0; i < n; i++) {
		pattern = i < ninclude ? include[i] : exclude[i - ninclude];
		rc = regcomp(&re[i], pattern, REG_EXTENDED | REG_NOSUB);
		if (rc != 0) {
			regerror(rc, &re[i], msg, sizeof msg);
			prun_error_set(err, PRUN_EXIT_USAGE,
			    "invalid regex '%s': %s", pattern, msg);
			goto fail;
		}
		ncompiled++;
	}
	for (i = kept = 0; i < plan_size(plan); i++) {
		name = plan_name(plan, i);
		keep = (ninclude == 0 || matches_any(re, ninclude, name)) &&
		    !matches_any(re + ninclude, nexclude, name);
		if (keep)
			plan_move(plan, kept++, i);
	}
	plan_keep(plan, kept);
	rv = 0;

fail:
	for (i = 0; i < ncompiled; i++)
		regfree(&re[i]);
	free(re);
	return rv;
}
