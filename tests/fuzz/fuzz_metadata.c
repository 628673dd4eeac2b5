/*
 * fuzz_metadata: the reader of metadata.json, fed any bytes.
 *
 * A resume and a summary take the whole plan from metadata.json.  Whatever
 * it holds, metadata_decode returns a plan that passes plan_check, or an
 * error; a plan it accepts encodes back to a file that decodes to the same
 * tests and options.  Its fast decoder of tests and jansson alone
 * (metadata_decode_jansson) give the same verdict, and the same plan or
 * the same message.
 */
#include <string.h>

#include "fuzz.h"
#include "plan/metadata.h"

/* Whether two NULL-terminated vectors (either may be NULL) are equal. */
static int
same_strv(char *const *a, char *const *b)
{
	size_t i;

	if (a == NULL || b == NULL)
		return a == b;
	for (i = 0; a[i] != NULL && b[i] != NULL; i++)
		if (strcmp(a[i], b[i]) != 0)
			return 0;
	return a[i] == NULL && b[i] == NULL;
}

/* Whether two strings (either may be NULL) are equal. */
static int
same_str(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

/* Whether two plans run the same tests the same way. */
static int
same_plan(const struct prun_plan *a, const struct prun_plan *b)
{
	size_t i;

	if (a->n != b->n)
		return 0;
	for (i = 0; i < a->n; i++) {
		const struct prun_test *x = plan_test(a, i), *y = plan_test(b, i);

		if (!same_str(x->name, y->name) ||
		    !same_str(x->command, y->command) ||
		    !same_strv(x->argv, y->argv) ||
		    !same_strv(x->env, y->env) || !same_str(x->cwd, y->cwd) ||
		    x->timeout != y->timeout || x->exclusive != y->exclusive ||
		    !same_str(x->origin, y->origin))
			return 0;
	}
	return 1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct prun_error err, jerr;
	struct prun_metadata md, again, slow;
	char *buf;
	size_t len, i;
	int rc;

	rc = metadata_decode(&md, (const char *)data, size, "fuzz", &err);
	FUZZ_CHECK(metadata_decode_jansson(&slow, (const char *)data, size,
	    "fuzz", &jerr) == rc);
	if (rc == -1) {
		FUZZ_CHECK(strlen(err.msg) > 0);
		FUZZ_CHECK(strcmp(err.msg, jerr.msg) == 0);
		return 0;
	}
	FUZZ_CHECK(same_plan(&md.plan, &slow.plan));
	metadata_free(&slow);
	FUZZ_CHECK(plan_check(&md.plan, &err) == 0);
	for (i = 0; i < md.plan.n; i++)
		FUZZ_CHECK((*plan_test(&md.plan, i)).argv != NULL &&
		    (*plan_test(&md.plan, i)).argv[0] != NULL);
	FUZZ_CHECK(md.options.jobs >= 1 && md.options.max_attempts >= 1);
	buf = metadata_encode(&md, &len, &err);
	FUZZ_CHECK(buf != NULL);
	FUZZ_CHECK(metadata_decode(&again, buf, len, "again", &err) == 0);
	FUZZ_CHECK(same_plan(&md.plan, &again.plan));
	FUZZ_CHECK(md.options.timeout == again.options.timeout &&
	    md.options.kill_after == again.options.kill_after &&
	    md.options.max_output == again.options.max_output &&
	    md.options.fsync == again.options.fsync &&
	    md.options.jobs == again.options.jobs &&
	    md.options.max_attempts == again.options.max_attempts &&
	    md.options.ninclude == again.options.ninclude &&
	    md.options.nexclude == again.options.nexclude);
	FUZZ_CHECK(strcmp(md.plan_id, again.plan_id) == 0);
	free(buf);
	metadata_free(&again);
	metadata_free(&md);
	return 0;
}
