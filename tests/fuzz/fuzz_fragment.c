/*
 * fuzz_fragment: the JSON fragment reader, fed any bytes.
 *
 * A fragment is read from a results directory that a crash, a test or a
 * person may have damaged.  Whatever it holds, fragment_decode returns a
 * result or an error; a result it accepts encodes back to a fragment that
 * decodes to the same result, so a resume cannot change what was recorded.
 */
#include <string.h>

#include "fragment.h"
#include "fuzz.h"
#include "text.h"

/* Whether two results hold the same record. */
static int
same(const struct prun_result *a, const struct prun_result *b)
{
	size_t i;

	if (a->index != b->index || a->status != b->status ||
	    a->attempt != b->attempt || a->interrupted != b->interrupted ||
	    a->has_returncode != b->has_returncode ||
	    (a->has_returncode && a->returncode != b->returncode) ||
	    a->pid != b->pid || a->time_start != b->time_start ||
	    a->time_end != b->time_end || strcmp(a->name, b->name) != 0 ||
	    (a->command == NULL) != (b->command == NULL) ||
	    (a->command != NULL && strcmp(a->command, b->command) != 0) ||
	    a->out_len != b->out_len || a->err_len != b->err_len ||
	    memcmp(a->out, b->out, a->out_len) != 0 ||
	    memcmp(a->err, b->err, a->err_len) != 0 ||
	    a->nsubtests != b->nsubtests)
		return 0;
	for (i = 0; i < a->nsubtests; i++)
		if (strcmp(a->subtests[i].name, b->subtests[i].name) != 0 ||
		    a->subtests[i].status != b->subtests[i].status)
			return 0;
	return 1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct prun_error err;
	struct prun_result r, again;
	char *buf;
	size_t len, i;

	if (fragment_decode((const char *)data, size, "fuzz", &r, &err) == -1) {
		FUZZ_CHECK(strlen(err.msg) > 0);
		return 0;
	}
	FUZZ_CHECK(r.name != NULL && r.out != NULL && r.err != NULL);
	FUZZ_CHECK(r.status < PRUN_NSTATUS && r.attempt >= 1);
	FUZZ_CHECK(text_utf8_valid(r.out, r.out_len));
	FUZZ_CHECK(text_utf8_valid(r.err, r.err_len));
	for (i = 0; i < r.nsubtests; i++)
		FUZZ_CHECK(r.subtests[i].name != NULL &&
		    r.subtests[i].status < PRUN_NSTATUS);
	buf = fragment_encode(&r, &len, &err);
	FUZZ_CHECK(buf != NULL);
	FUZZ_CHECK(fragment_decode(buf, len, "again", &again, &err) == 0);
	FUZZ_CHECK(same(&r, &again));
	free(buf);
	result_free(&again);
	result_free(&r);
	return 0;
}
