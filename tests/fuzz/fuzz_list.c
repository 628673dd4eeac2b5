/*
 * fuzz_list: the reader of test-list files, fed any bytes.
 *
 * Whatever a list holds, plan_load appends valid tests or reports an error
 * and leaves the plan as it was; every test it accepts has a valid name, a
 * command to execute and "KEY=VALUE" environment entries.  fuzz_profile.c
 * is this harness with another suffix, so plan_load reads a JSON profile.
 */
#include <string.h>

#include "fuzz.h"
#include "plan/plan.h"
#include "core/text.h"

#ifndef FUZZ_SUFFIX
#define FUZZ_SUFFIX	".list"
#endif

/* Check what a successful load promises of every test. */
static void
check_plan(const struct prun_plan *plan)
{
	struct prun_error err;
	char *cmd;
	size_t i, j;

	for (i = 0; i < plan->n; i++) {
		const struct prun_test *t = &(*plan_test(plan, i));

		FUZZ_CHECK(text_valid_name(t->name));
		FUZZ_CHECK(t->argv != NULL && t->argv[0] != NULL &&
		    t->argv[0][0] != '\0');
		FUZZ_CHECK(t->origin != NULL);
		for (j = 0; t->env != NULL && t->env[j] != NULL; j++)
			FUZZ_CHECK(t->env[j][0] != '=' &&
			    strchr(t->env[j], '=') != NULL);
		FUZZ_CHECK((cmd = plan_command_string(t)) != NULL);
		free(cmd);
	}
	/* Duplicates are for plan_check to find, not to crash on. */
	if (plan_check(plan, &err) == -1)
		FUZZ_CHECK(strlen(err.msg) > 0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct prun_error err;
	struct prun_plan plan;
	const char *path = fuzz_file(data, size, FUZZ_SUFFIX);

	plan_init(&plan);
	if (plan_load(&plan, path, &err) == -1) {
		FUZZ_CHECK(strlen(err.msg) > 0);
		FUZZ_CHECK(plan.n == 0);
	} else
		check_plan(&plan);
	plan_free(&plan);
	return 0;
}
