/*
 * json: prun's fast JSON reader and string writer, beside jansson.
 *
 * Fragments, metadata.json and the JSON report are mostly long strings,
 * which jansson reads and writes a character at a time through a function
 * call.  This module copies plain runs of a string whole.  The rules the
 * reader keeps (check_json walks them as a table; fuzz_json checks them):
 *  1. It accepts only valid JSON: strict UTF-8, no control character in
 *     a string, no lone surrogate, numbers as RFC 8259 spells them,
 *     nesting closed, nothing but white space after a document.  What it
 *     accepts, jansson accepts too and reads the same.
 *  2. It may give up where jansson would not (a number out of range or of
 *     more than 63 characters, nesting deeper than JSON_DEPTH_MAX, U+0000
 *     in a string when told to): its caller then asks jansson, whose
 *     verdict and message are final.  It never reports an error itself.
 *  3. It never reads past the end it is given: no input is NUL-terminated.
 *  4. Duplicate keys are the caller's to find: json_read_object hands each
 *     key to its member function.
 * The writer escapes what JSON requires and no more (\" \\ \b \f \n \r
 * \t, other controls as \u00xx in lower case, where jansson writes upper
 * case; the JSON report has always been written so), so that what it
 * writes reads back exactly.
 *
 * json_scan is the same string and nesting rule fed a byte at a time, for
 * a reader of a stream (metadata.json) that finds where a value ends and
 * leaves the verdict on its bytes to jansson.
 */
#ifndef PRUN_JSON_H
#define PRUN_JSON_H

#include <stddef.h>
#include <stdio.h>
#include <string.h>

/* Nesting deeper than this is given up on (jansson refuses past 2048). */
#define JSON_DEPTH_MAX	512

/* A position in a JSON text: the next byte and the end. */
struct json_in {
	const char	*p, *end;
};

/* Skip white space; whether a byte is left. */
static inline int
json_ws(struct json_in *in)
{
	while (in->p < in->end && (*in->p == ' ' || *in->p == '\n' ||
	    *in->p == '\t' || *in->p == '\r'))
		in->p++;
	return in->p < in->end;
}

/* Consume c after white space: 0, or -1 when something else comes. */
static inline int
json_expect(struct json_in *in, char c)
{
	if (!json_ws(in) || *in->p != c)
		return -1;
	in->p++;
	return 0;
}

/* Consume word (true, false, null) if it comes next: 1, else 0. */
static inline int
json_word(struct json_in *in, const char *word)
{
	size_t n = strlen(word);

	if (!json_ws(in) || (size_t)(in->end - in->p) < n ||
	    memcmp(in->p, word, n) != 0)
		return 0;
	in->p += n;
	return 1;
}

/*
 * A string into a malloc'd NUL-terminated copy, its length in *len (which
 * may be NULL); with nul 0, a string holding U+0000 is given up on (a NUL
 * would hide the rest of a name from strcmp).  0, or -1 (nothing to free).
 */
int	json_read_string(struct json_in *, int nul, char **out, size_t *len);

/*
 * A number, as jansson reads it: an integer when it has neither fraction
 * nor exponent (*is_int, its value in *ll and *d), else a real in *d.
 */
int	json_read_number(struct json_in *, double *d, long long *ll,
	    int *is_int);

/* An integer in [lo, hi]. */
int	json_read_int(struct json_in *, long long lo, long long hi,
	    long long *ll);

/*
 * An object: member(in, key, ctx) is called for each key, after its ':',
 * and reads the value.  -1 as soon as anything, or member, fails.
 */
int	json_read_object(struct json_in *,
	    int (*member)(struct json_in *, const char *key, void *ctx),
	    void *ctx);

/* An array: elem(in, ctx) reads each value.  -1 as soon as anything, or
 * elem, fails. */
int	json_read_array(struct json_in *,
	    int (*elem)(struct json_in *, void *ctx), void *ctx);

/* Skip any one value, checking it by the rules above. */
int	json_skip_value(struct json_in *);

/* Whether buf[0..len) is one JSON value and white space (rules 1, 2). */
int	json_valid(const char *buf, size_t len);

/* Write s[0..len) (valid UTF-8, may hold NUL) as a JSON string to fp,
 * escaped as above; 0, or -1 on a write error. */
int	json_write_string(FILE *fp, const char *s, size_t len);

/* Where a value read a byte at a time ends (see json_scan_byte). */
struct json_scan {
	size_t	depth;
	int	in_string, esc;
};

/*
 * Feed the next byte of a string, array or object (from its first byte
 * on, the state zeroed before): 1 when c ends the value, else 0.  Where
 * it ends is all it finds; whether the bytes are JSON is the parser's.
 */
static inline int
json_scan_byte(struct json_scan *sc, int c)
{
	if (sc->in_string) {
		if (sc->esc)
			sc->esc = 0;
		else if (c == '\\')
			sc->esc = 1;
		else if (c == '"')
			sc->in_string = 0;
	} else if (c == '"')
		sc->in_string = 1;
	else if (c == '{' || c == '[')
		sc->depth++;
	else if (c == '}' || c == ']')
		sc->depth--;
	return !sc->in_string && sc->depth == 0;
}

#endif
