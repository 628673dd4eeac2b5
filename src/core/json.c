/*
 * json: the fast JSON reader and string writer; the rules are in json.h.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "core/text.h"

/* Four hex digits of a \u escape. */
static int
hex4(struct json_in *in, uint32_t *cp)
{
	int i, c;

	if (in->end - in->p < 4)
		return -1;
	for (*cp = 0, i = 0; i < 4; i++) {
		c = (unsigned char)*in->p++;
		if (c >= '0' && c <= '9')
			c -= '0';
		else if (c >= 'a' && c <= 'f')
			c -= 'a' - 10;
		else if (c >= 'A' && c <= 'F')
			c -= 'A' - 10;
		else
			return -1;
		*cp = *cp << 4 | (uint32_t)c;
	}
	return 0;
}

/* Append code point cp as UTF-8 at q; the new end. */
static char *
put_utf8(char *q, uint32_t cp)
{
	if (cp < 0x80)
		*q++ = (char)cp;
	else if (cp < 0x800) {
		*q++ = (char)(0xc0 | cp >> 6);
		*q++ = (char)(0x80 | (cp & 0x3f));
	} else if (cp < 0x10000) {
		*q++ = (char)(0xe0 | cp >> 12);
		*q++ = (char)(0x80 | (cp >> 6 & 0x3f));
		*q++ = (char)(0x80 | (cp & 0x3f));
	} else {
		*q++ = (char)(0xf0 | cp >> 18);
		*q++ = (char)(0x80 | (cp >> 12 & 0x3f));
		*q++ = (char)(0x80 | (cp >> 6 & 0x3f));
		*q++ = (char)(0x80 | (cp & 0x3f));
	}
	return q;
}

/* The end of a run of bytes a JSON string holds as they are. */
static inline const char *
plain(const char *p, const char *end)
{
	while (p < end && *p != '"' && *p != '\\' &&
	    (unsigned char)*p >= 0x20)
		p++;
	return p;
}

/* A string into a malloc'd copy; plain runs are checked and copied whole. */
int
json_read_string(struct json_in *in, int nul, char **out, size_t *len)
{
	const char *run, *p;
	char *buf, *q;
	uint32_t cp, lo;

	*out = NULL;
	if (json_expect(in, '"') == -1)
		return -1;
	run = in->p;
	p = plain(run, in->end);
	/* Most strings hold no escape: their size is known now.  A decoded
	 * string is never longer than its JSON text. */
	if ((buf = malloc((p < in->end && *p == '"' ? (size_t)(p - run) :
	    (size_t)(in->end - run)) + 1)) == NULL)
		return -1;
	q = buf;
	for (;;) {
		if (!text_utf8_valid(run, (size_t)(p - run)))
			goto fail;
		memcpy(q, run, (size_t)(p - run));
		q += p - run;
		if (p >= in->end || (unsigned char)*p < 0x20)
			goto fail;
		if (*p == '"')
			break;
		/* A backslash. */
		if (++p >= in->end)
			goto fail;
		switch (*p++) {
		case '"': cp = '"'; break;
		case '\\': cp = '\\'; break;
		case '/': cp = '/'; break;
		case 'b': cp = '\b'; break;
		case 'f': cp = '\f'; break;
		case 'n': cp = '\n'; break;
		case 'r': cp = '\r'; break;
		case 't': cp = '\t'; break;
		case 'u':
			in->p = p;
			if (hex4(in, &cp) == -1 ||
			    (cp >= 0xdc00 && cp <= 0xdfff) || (cp == 0 && !nul))
				goto fail;
			if (cp >= 0xd800 && cp <= 0xdbff) {
				if (in->end - in->p < 2 || in->p[0] != '\\' ||
				    in->p[1] != 'u')
					goto fail;
				in->p += 2;
				if (hex4(in, &lo) == -1 || lo < 0xdc00 ||
				    lo > 0xdfff)
					goto fail;
				cp = 0x10000 + ((cp - 0xd800) << 10) +
				    (lo - 0xdc00);
			}
			p = in->p;
			break;
		default:
			goto fail;
		}
		q = put_utf8(q, cp);
		run = p;
		p = plain(run, in->end);
	}
	in->p = p + 1;
	*q = '\0';
	*out = buf;
	if (len != NULL)
		*len = (size_t)(q - buf);
	return 0;
fail:
	free(buf);
	return -1;
}

/* Skip the digits at in->p; whether there was one. */
static int
digits(struct json_in *in)
{
	const char *s = in->p;

	while (in->p < in->end && *in->p >= '0' && *in->p <= '9')
		in->p++;
	return in->p > s;
}

/* A number, as jansson reads it; one out of range is given up on. */
int
json_read_number(struct json_in *in, double *d, long long *ll, int *is_int)
{
	const char *s;
	char tok[64], *e;
	size_t n;

	if (!json_ws(in))
		return -1;
	s = in->p;
	*is_int = 1;
	if (*in->p == '-')
		in->p++;
	if (in->p < in->end && *in->p == '0')
		in->p++;
	else if (in->p >= in->end || *in->p < '1' || *in->p > '9' ||
	    !digits(in))
		return -1;
	if (in->p < in->end && *in->p == '.') {
		*is_int = 0;
		in->p++;
		if (!digits(in))
			return -1;
	}
	if (in->p < in->end && (*in->p == 'e' || *in->p == 'E')) {
		*is_int = 0;
		if (++in->p < in->end && (*in->p == '+' || *in->p == '-'))
			in->p++;
		if (!digits(in))
			return -1;
	}
	if ((n = (size_t)(in->p - s)) >= sizeof tok)
		return -1;
	memcpy(tok, s, n);
	tok[n] = '\0';
	errno = 0;
	if (*is_int) {
		*ll = strtoll(tok, &e, 10);
		*d = (double)*ll;
	} else
		*d = strtod(tok, &e);
	return errno != 0 || *e != '\0' ? -1 : 0;
}

/* An integer in [lo, hi]. */
int
json_read_int(struct json_in *in, long long lo, long long hi, long long *ll)
{
	double d;
	int is_int;

	if (json_read_number(in, &d, ll, &is_int) == -1 || !is_int ||
	    *ll < lo || *ll > hi)
		return -1;
	return 0;
}

/* Go through an object, member() reading each value. */
int
json_read_object(struct json_in *in,
    int (*member)(struct json_in *, const char *, void *), void *ctx)
{
	char *key;
	int rc;

	if (json_expect(in, '{') == -1)
		return -1;
	if (json_ws(in) && *in->p == '}') {
		in->p++;
		return 0;
	}
	for (;;) {
		if (json_read_string(in, 0, &key, NULL) == -1)
			return -1;
		rc = json_expect(in, ':') == -1 ? -1 : member(in, key, ctx);
		free(key);
		if (rc == -1 || !json_ws(in))
			return -1;
		if (*in->p == '}') {
			in->p++;
			return 0;
		}
		if (*in->p++ != ',')
			return -1;
	}
}

/* Go through an array, elem() reading each value. */
int
json_read_array(struct json_in *in, int (*elem)(struct json_in *, void *),
    void *ctx)
{
	if (json_expect(in, '[') == -1)
		return -1;
	if (json_ws(in) && *in->p == ']') {
		in->p++;
		return 0;
	}
	for (;;) {
		if (elem(in, ctx) == -1 || !json_ws(in))
			return -1;
		if (*in->p == ']') {
			in->p++;
			return 0;
		}
		if (*in->p++ != ',')
			return -1;
	}
}

static int skip(struct json_in *, int);

/* A member of an object being skipped: its value. */
static int
skip_member(struct json_in *in, const char *key, void *ctx)
{
	(void)key;
	return skip(in, *(int *)ctx);
}

/* An element of an array being skipped. */
static int
skip_elem(struct json_in *in, void *ctx)
{
	return skip(in, *(int *)ctx);
}

/* Skip one value at nesting depth. */
static int
skip(struct json_in *in, int depth)
{
	long long ll;
	double d;
	char *s;
	int is_int;

	if (!json_ws(in))
		return -1;
	if (depth >= JSON_DEPTH_MAX && (*in->p == '{' || *in->p == '['))
		return -1;
	depth++;
	switch (*in->p) {
	case '{':
		/* Keys are read without NUL (rule 2): jansson takes them. */
		return json_read_object(in, skip_member, &depth);
	case '[':
		return json_read_array(in, skip_elem, &depth);
	case '"':
		if (json_read_string(in, 1, &s, NULL) == -1)
			return -1;
		free(s);
		return 0;
	case 't':
		return json_word(in, "true") ? 0 : -1;
	case 'f':
		return json_word(in, "false") ? 0 : -1;
	case 'n':
		return json_word(in, "null") ? 0 : -1;
	default:
		return json_read_number(in, &d, &ll, &is_int);
	}
}

/* Skip any one value. */
int
json_skip_value(struct json_in *in)
{
	return skip(in, 0);
}

/* Whether buf[0..len) is one value and white space. */
int
json_valid(const char *buf, size_t len)
{
	struct json_in in = { buf, buf + len };

	return json_skip_value(&in) == 0 && !json_ws(&in);
}

/* Write s[0..len) as a JSON string: plain runs whole. */
int
json_write_string(FILE *fp, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	const char *run = s, *end = s + len;
	char esc[8];
	size_t n;

	if (putc('"', fp) == EOF)
		return -1;
	for (; s < end; s++) {
		unsigned char c = (unsigned char)*s;

		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		n = (size_t)(s - run);
		if (n > 0 && fwrite(run, 1, n, fp) != n)
			return -1;
		run = s + 1;
		esc[0] = '\\';
		n = 2;
		switch (c) {
		case '"': esc[1] = '"'; break;
		case '\\': esc[1] = '\\'; break;
		case '\b': esc[1] = 'b'; break;
		case '\f': esc[1] = 'f'; break;
		case '\n': esc[1] = 'n'; break;
		case '\r': esc[1] = 'r'; break;
		case '\t': esc[1] = 't'; break;
		default:
			memcpy(esc + 1, "u00", 3);
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 15];
			n = 6;
		}
		if (fwrite(esc, 1, n, fp) != n)
			return -1;
	}
	n = (size_t)(end - run);
	if (n > 0 && fwrite(run, 1, n, fp) != n)
		return -1;
	return putc('"', fp) == EOF ? -1 : 0;
}
