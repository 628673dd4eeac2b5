/*
 * fuzz_capture: the capture of a test's output under a byte cap, fed any
 * output in any reads.
 *
 * Up to the cap the capture keeps every byte; past it, a head that is a
 * prefix of the output, the "[prun: N bytes dropped]" line with the right
 * N, and a tail that is a suffix, never cutting a UTF-8 sequence of valid
 * text.  The first input byte picks the cap, the second the read size.
 */
#include <stdio.h>
#include <string.h>

#include "exec/capture.h"
#include "fuzz.h"
#include "core/text.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct capture c;
	const char *s = (const char *)data + 2;
	char *out, marker[64];
	size_t len, max, chunk, off, n, outlen, head, tail, dropped;
	int mlen, found;

	if (size < 2)
		return 0;
	max = data[0] % 64;
	chunk = data[1] % 9 + 1;
	len = size - 2;
	capture_init(&c, max);
	for (off = 0; off < len; off += n) {
		n = len - off < chunk ? len - off : chunk;
		FUZZ_CHECK(capture_append(&c, s + off, n) == 0);
	}
	FUZZ_CHECK(c.total == len);
	out = capture_text(&c, &outlen);
	FUZZ_CHECK(out != NULL);
	if (max == 0 || len <= max) {
		FUZZ_CHECK(outlen == len && memcmp(out, s, len) == 0);
		goto done;
	}
	/* head, "\n[prun: N bytes dropped]\n", tail: the head may hold a
	 * line like the marker, so try each head length it could have. */
	for (head = 0, found = 0; head <= max / 2 && !found; head++) {
		if (head > outlen)
			break;
		for (tail = 0; tail <= max - max / 2 && tail <= len - head;
		    tail++) {
			dropped = len - head - tail;
			mlen = snprintf(marker, sizeof marker,
			    "\n[prun: %zu bytes dropped]\n", dropped);
			if (head + (size_t)mlen + tail == outlen &&
			    memcmp(out, s, head) == 0 &&
			    memcmp(out + head, marker, (size_t)mlen) == 0 &&
			    memcmp(out + head + mlen, s + len - tail,
			    tail) == 0) {
				found = 1;
				break;
			}
		}
	}
	FUZZ_CHECK(found);
	head--;
	if (text_utf8_valid(s, len)) {
		FUZZ_CHECK(text_utf8_valid(out, outlen));
		/* A cut moves at most 3 bytes to stay on a boundary. */
		FUZZ_CHECK(head + 3 >= max / 2);
		FUZZ_CHECK(tail + 3 >= max - max / 2);
	}
done:
	free(out);
	capture_free(&c);
	return 0;
}
