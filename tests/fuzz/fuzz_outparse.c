/*
 * fuzz_outparse: the parser of TAP and PIGLIT: lines, fed any stdout.
 *
 * What a test prints is data: outparse never fails on it, keeps subtest
 * names valid UTF-8 without NUL and unique, and reaches the same report
 * however the output is cut into reads.  The first input byte picks the
 * chunk size; the rest is the test's stdout.
 */
#include <string.h>

#include "fuzz.h"
#include "exec/outparse.h"
#include "core/text.h"

/* Feed s in chunks of chunk bytes (0: at once) and finish. */
static void
parse(struct outparse *p, const char *s, size_t len, size_t chunk)
{
	size_t off, n;

	outparse_init(p);
	if (chunk == 0)
		chunk = len;
	for (off = 0; off < len; off += n) {
		n = len - off < chunk ? len - off : chunk;
		FUZZ_CHECK(outparse_feed(p, s + off, n) == 0);
	}
	FUZZ_CHECK(outparse_finish(p) == 0);
}

/* Whether two parsers reached the same report. */
static int
same(const struct outparse *a, const struct outparse *b)
{
	size_t i;
	int st;

	if (a->has_result != b->has_result ||
	    (a->has_result && a->result != b->result) ||
	    a->nsubtests != b->nsubtests || a->dropped != b->dropped ||
	    a->tap_planned != b->tap_planned || a->tap_seen != b->tap_seen ||
	    a->tap_bailout != b->tap_bailout ||
	    (a->note == NULL) != (b->note == NULL) ||
	    (a->note != NULL && strcmp(a->note, b->note) != 0))
		return 0;
	for (i = 0; i < a->nsubtests; i++)
		if (strcmp(a->subtests[i].name, b->subtests[i].name) != 0 ||
		    a->subtests[i].status != b->subtests[i].status)
			return 0;
	for (st = 0; st < PRUN_NSTATUS; st++)
		if (outparse_status(a, st) != outparse_status(b, st))
			return 0;
	return 1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct outparse whole, cut;
	struct prun_subtest *subs;
	const char *s = (const char *)data + 1;
	size_t len, chunk, n, i, j;
	int st;

	if (size == 0)
		return 0;
	chunk = data[0] % 17;
	len = size - 1;
	parse(&whole, s, len, 0);
	parse(&cut, s, len, chunk);
	FUZZ_CHECK(same(&whole, &cut));
	for (st = 0; st < PRUN_NSTATUS; st++) {
		/* A test that failed on exit cannot report its way out. */
		if (st != PRUN_PASS)
			FUZZ_CHECK(outparse_status(&whole, st) ==
			    status_worst(outparse_status(&whole, st), st));
	}
	if (whole.note != NULL)
		FUZZ_CHECK(text_utf8_valid(whole.note, strlen(whole.note)));
	subs = outparse_take_subtests(&whole, &n);
	for (i = 0; i < n; i++) {
		FUZZ_CHECK(text_utf8_valid(subs[i].name, strlen(subs[i].name)));
		FUZZ_CHECK(subs[i].status < PRUN_NSTATUS);
		for (j = 0; j < i && n < 256; j++)
			FUZZ_CHECK(strcmp(subs[i].name, subs[j].name) != 0);
	}
	for (i = 0; i < n; i++)
		free(subs[i].name);
	free(subs);
	outparse_free(&whole);
	outparse_free(&cut);
	return 0;
}
