/*
 * fuzz_json: the fast JSON module (core/json), fed any bytes.
 *
 * Its promises (json.h): what the reader accepts, jansson accepts too
 * and reads the same; it never reads past the end it is given (libFuzzer's
 * buffer is exactly the input, so ASan sees any over-read); a string it
 * writes reads back to the same bytes; and the stream scanner ends a
 * value where the reader does.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "fuzz.h"
#include "core/json.h"
#include "core/text.h"

/* Accepted by the reader: jansson accepts it; a string reads the same. */
static void
check_document(const char *buf, size_t len)
{
	struct json_in in = { buf, buf + len };
	json_error_t jerr;
	json_t *v;
	char *s;
	size_t slen;

	if (!json_valid(buf, len))
		return;
	v = json_loadb(buf, len, JSON_DECODE_ANY | JSON_ALLOW_NUL, &jerr);
	FUZZ_CHECK(v != NULL);
	if (json_is_string(v)) {
		FUZZ_CHECK(json_read_string(&in, 1, &s, &slen) == 0);
		FUZZ_CHECK(slen == json_string_length(v));
		FUZZ_CHECK(memcmp(s, json_string_value(v), slen) == 0);
		free(s);
	}
	json_decref(v);
}

/* A valid string, array or object: the scanner ends it where the reader
 * does. */
static void
check_scan(const char *buf, size_t len)
{
	struct json_in in = { buf, buf + len };
	struct json_scan sc;
	size_t n;

	if (len == 0 || (buf[0] != '{' && buf[0] != '[' && buf[0] != '"') ||
	    json_skip_value(&in) == -1)
		return;
	memset(&sc, 0, sizeof sc);
	for (n = 0; n < len; n++)
		if (json_scan_byte(&sc, (unsigned char)buf[n]))
			break;
	FUZZ_CHECK(n + 1 == (size_t)(in.p - buf));
}

/* Any bytes, made valid UTF-8, written as a string read back exactly by
 * both readers. */
static void
check_round_trip(const char *buf, size_t len)
{
	struct json_in in;
	json_t *v;
	char *text, *u, *back;
	size_t size, ulen, blen;
	FILE *fp;

	if ((u = text_to_utf8(buf, len, &ulen)) == NULL)
		return;
	if ((fp = open_memstream(&text, &size)) == NULL) {
		free(u);
		return;
	}
	FUZZ_CHECK(json_write_string(fp, u, ulen) == 0);
	FUZZ_CHECK(fclose(fp) == 0);
	in.p = text;
	in.end = text + size;
	FUZZ_CHECK(json_read_string(&in, 1, &back, &blen) == 0);
	FUZZ_CHECK(in.p == in.end);
	FUZZ_CHECK(blen == ulen && memcmp(back, u, ulen) == 0);
	FUZZ_CHECK(json_valid(text, size));
	v = json_loadb(text, size, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
	FUZZ_CHECK(v != NULL && json_string_length(v) == ulen &&
	    memcmp(json_string_value(v), u, ulen) == 0);
	json_decref(v);
	free(back);
	free(text);
	free(u);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *buf = (const char *)data;

	check_document(buf, size);
	check_scan(buf, size);
	check_round_trip(buf, size);
	return 0;
}
