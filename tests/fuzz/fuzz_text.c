/*
 * fuzz_text: the text sanitizer, fed any bytes a test may print.
 *
 * text_to_utf8 and text_to_xml must turn anything into text a JSON or XML
 * 1.0 document can hold, leave valid input as it is, and be idempotent;
 * the cut points must never split a UTF-8 sequence of valid text.  The
 * first two input bytes pick a cut position; the rest is the text.
 */
#include <stdint.h>
#include <string.h>

#include "fuzz.h"
#include "core/text.h"

/* Decode one UTF-8 sequence of valid text; returns its length. */
static size_t
decode(const unsigned char *s, uint32_t *cp)
{
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] < 0xe0) {
		*cp = (uint32_t)(s[0] & 0x1f) << 6 | (s[1] & 0x3f);
		return 2;
	}
	if (s[0] < 0xf0) {
		*cp = (uint32_t)(s[0] & 0x0f) << 12 |
		    (uint32_t)(s[1] & 0x3f) << 6 | (s[2] & 0x3f);
		return 3;
	}
	*cp = (uint32_t)(s[0] & 0x07) << 18 | (uint32_t)(s[1] & 0x3f) << 12 |
	    (uint32_t)(s[2] & 0x3f) << 6 | (s[3] & 0x3f);
	return 4;
}

/* Whether valid UTF-8 s holds only characters XML 1.0 allows. */
static int
xml_chars(const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	uint32_t cp;
	size_t i;

	for (i = 0; i < len; i += decode(u + i, &cp)) {
		decode(u + i, &cp);
		if (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r')
			return 0;
		if (cp == 0xfffe || cp == 0xffff)
			return 0;
	}
	return 1;
}

/* Whether at is a place valid UTF-8 s may be cut. */
static int
boundary(const char *s, size_t len, size_t at)
{
	return at == len || ((unsigned char)s[at] & 0xc0) != 0x80;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data + 2;
	char *u, *u2, *x, *name;
	size_t len, ulen, u2len, xlen, at, back, fwd;
	int valid;

	if (size < 2)
		return 0;
	len = size - 2;
	at = ((size_t)data[0] << 8 | data[1]) % (len + 1);
	valid = text_utf8_valid(s, len);

	u = text_to_utf8(s, len, &ulen);
	FUZZ_CHECK(u != NULL && u[ulen] == '\0');
	FUZZ_CHECK(text_utf8_valid(u, ulen));
	if (valid)
		FUZZ_CHECK(ulen == len && memcmp(u, s, len) == 0);
	else
		FUZZ_CHECK(ulen > len || memcmp(u, s, len) != 0);
	u2 = text_to_utf8(u, ulen, &u2len);
	FUZZ_CHECK(u2 != NULL && u2len == ulen && memcmp(u, u2, ulen) == 0);

	x = text_to_xml(s, len, &xlen);
	FUZZ_CHECK(x != NULL && x[xlen] == '\0');
	FUZZ_CHECK(text_utf8_valid(x, xlen));
	FUZZ_CHECK(xml_chars(x, xlen));

	back = text_utf8_cut_back(s, len, at);
	fwd = text_utf8_cut_forward(s, len, at);
	FUZZ_CHECK(back <= at && fwd >= at && fwd <= len);
	if (valid) {
		FUZZ_CHECK(boundary(s, len, back) && boundary(s, len, fwd));
		FUZZ_CHECK(at - back <= 3 && fwd - at <= 3);
		FUZZ_CHECK(text_utf8_valid(s, back) &&
		    text_utf8_valid(s + fwd, len - fwd));
	}

	/* A name is valid exactly when it is UTF-8 without controls. */
	if ((name = strndup(s, len)) != NULL) {
		if (text_valid_name(name))
			FUZZ_CHECK(name[0] != '\0' &&
			    text_utf8_valid(name, strlen(name)) &&
			    strpbrk(name, "\n\r\t\x1b\x7f") == NULL);
		free(name);
	}
	free(u);
	free(u2);
	free(x);
	return 0;
}
