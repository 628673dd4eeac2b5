/*
 * fuzz_fragment: the JSON fragment reader, fed any bytes.
 *
 * A fragment is read from a results directory that a crash, a test or a
 * person may have damaged.  Whatever it holds, fragment_decode returns a
 * result or an error; a result it accepts encodes back to a fragment that
 * decodes to the same result, so a resume cannot change what was recorded.
 * fuzz_fragment_xml.c is this harness for the XML fragments of the junit
 * backend.
 */
#include <string.h>

#include "store/fragment.h"
#include "fuzz.h"
#include "core/text.h"

#ifndef FUZZ_BACKEND
#define FUZZ_BACKEND	BACKEND_JSON
#endif

/* Whether two strings, either of which may be NULL, are equal. */
static int
same_str(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

/* Whether two records hold the same run: status, exit, output, subtests. */
static int
same_run(const struct prun_result *a, const struct prun_result *b)
{
	size_t i;

	if (a->status != b->status ||
	    a->has_returncode != b->has_returncode ||
	    (a->has_returncode && a->returncode != b->returncode) ||
	    a->pid != b->pid || a->time_start != b->time_start ||
	    a->time_end != b->time_end ||
	    a->out_len != b->out_len || a->err_len != b->err_len ||
	    (a->out_len > 0 && memcmp(a->out, b->out, a->out_len) != 0) ||
	    (a->err_len > 0 && memcmp(a->err, b->err, a->err_len) != 0) ||
	    a->nsubtests != b->nsubtests)
		return 0;
	for (i = 0; i < a->nsubtests; i++)
		if (strcmp(a->subtests[i].name, b->subtests[i].name) != 0 ||
		    a->subtests[i].status != b->subtests[i].status)
			return 0;
	return 1;
}

/* Whether two results hold the same record, earlier tries included. */
static int
same(const struct prun_result *a, const struct prun_result *b)
{
	size_t i;

	if (!same_run(a, b) || a->index != b->index ||
	    a->attempt != b->attempt || a->interrupted != b->interrupted ||
	    !same_str(a->name, b->name) || !same_str(a->command, b->command) ||
	    a->flaky != b->flaky || a->ntries != b->ntries)
		return 0;
	for (i = 0; i < a->ntries; i++)
		if (!same_run(&a->tries[i], &b->tries[i]))
			return 0;
	return 1;
}

/* Check what a decoded record promises. */
static void
check_run(const struct prun_result *r)
{
	size_t i;

	FUZZ_CHECK(r->status < PRUN_NSTATUS);
	FUZZ_CHECK(r->out_len == 0 || text_utf8_valid(r->out, r->out_len));
	FUZZ_CHECK(r->err_len == 0 || text_utf8_valid(r->err, r->err_len));
	for (i = 0; i < r->nsubtests; i++)
		FUZZ_CHECK(r->subtests[i].name != NULL &&
		    r->subtests[i].status < PRUN_NSTATUS);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct prun_error err;
	struct prun_result r, again;
	char *buf;
	size_t len, i;

	if (fragment_decode((const char *)data, size, FUZZ_BACKEND, "fuzz", &r,
	    &err) == -1) {
		FUZZ_CHECK(strlen(err.msg) > 0);
		return 0;
	}
	FUZZ_CHECK(r.name != NULL && r.attempt >= 1);
	check_run(&r);
	for (i = 0; i < r.ntries; i++)
		check_run(&r.tries[i]);
	buf = fragment_encode(&r, FUZZ_BACKEND, &len, &err);
	FUZZ_CHECK(buf != NULL);
	FUZZ_CHECK(fragment_decode(buf, len, FUZZ_BACKEND, "again", &again,
	    &err) == 0);
	FUZZ_CHECK(same(&r, &again));
	free(buf);
	result_free(&again);
	result_free(&r);
	return 0;
}
