/*
 * text: strict UTF-8 checking, safe cut points, and the copies of test
 * output that JSON and XML documents can hold.
 *
 * These functions run over every byte a test prints, often megabytes, so
 * runs of plain ASCII are skipped eight bytes at a time and the copies are
 * sized by a counting pass instead of a worst-case allocation.  The rules
 * kept here:
 *
 * 1. UTF-8 is valid only as Unicode's table 3-7 allows: no overlong forms,
 *    no surrogates (U+D800-U+DFFF), nothing above U+10FFFF, no truncated
 *    sequence.  NUL is a valid character.
 * 2. A cut is allowed before any byte that is not a continuation byte, and
 *    at the end.  Finding one never moves more than 3 bytes: a longer run of
 *    continuation bytes is not UTF-8 anyway, and nothing would be gained by
 *    throwing it away.
 * 3. A byte that does not belong to a valid sequence becomes one U+FFFD.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"

#define ONES	UINT64_C(0x0101010101010101)
#define HIGHS	UINT64_C(0x8080808080808080)

/* U+FFFD REPLACEMENT CHARACTER, for bytes that are not UTF-8. */
static const char repl[3] = { '\xef', '\xbf', '\xbd' };

static const char hexdigits[] = "0123456789abcdef";

/* Write byte c as "\\xNN" at out + o, unless out is NULL (counting only);
 * return its length, 4. */
static size_t
put_hex_byte(char *out, size_t o, unsigned char c)
{
	if (out != NULL) {
		out[o] = '\\';
		out[o + 1] = 'x';
		out[o + 2] = hexdigits[c >> 4];
		out[o + 3] = hexdigits[c & 0xf];
	}
	return 4;
}

/* Whether c continues a sequence rather than starting one. */
static int
is_cont(unsigned char c)
{
	return (c & 0xc0) == 0x80;
}

/* Load 8 bytes without caring for alignment; compilers make this one load. */
static uint64_t
load8(const unsigned char *s)
{
	uint64_t	w;

	memcpy(&w, s, sizeof w);
	return w;
}

/* The end of the run of ASCII bytes (NUL included) that starts at i. */
static size_t
ascii_run(const unsigned char *s, size_t len, size_t i)
{
	while (len - i >= 8 && (load8(s + i) & HIGHS) == 0)
		i += 8;
	while (i < len && s[i] < 0x80)
		i++;
	return i;
}

/* Whether XML 1.0 takes the ASCII byte c as it is. */
static int
xml_plain(unsigned char c)
{
	return (c >= 0x20 && c < 0x80) || c == '\t' || c == '\n' || c == '\r';
}

/* The end of the run of bytes XML takes as they are, starting at i. */
static size_t
xml_run(const unsigned char *s, size_t len, size_t i)
{
	uint64_t	w;
	size_t		end;

	/*
	 * A word passes when no byte has its high bit set and no byte is
	 * below 0x20 (the borrow trick is exact once high bits are clear).
	 * Tab, LF and CR fail it, so a word that fails is looked at byte by
	 * byte, and words resume after it: output is mostly short lines.
	 */
	for (;;) {
		while (len - i >= 8) {
			w = load8(s + i);
			if ((w | ((w - ONES * 0x20) & ~w)) & HIGHS)
				break;
			i += 8;
		}
		end = len - i >= 8 ? i + 8 : len;
		while (i < end && xml_plain(s[i]))
			i++;
		if (i < end || i == len)
			return i;
	}
}

/*
 * Decode the sequence at s (avail bytes left) into *cp; returns its length,
 * or 0 when s[0] does not start a valid sequence.  The bounds on the second
 * byte are what exclude overlong forms, surrogates and values past U+10FFFF.
 */
static size_t
utf8_decode(const unsigned char *s, size_t avail, uint32_t *cp)
{
	unsigned char	c = s[0], lo = 0x80, hi = 0xbf;
	size_t		n, i;
	uint32_t	v;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c < 0xc2)
		return 0;
	if (c < 0xe0) {
		n = 2;
		v = c & 0x1f;
	} else if (c < 0xf0) {
		n = 3;
		v = c & 0x0f;
		if (c == 0xe0)
			lo = 0xa0;
		else if (c == 0xed)
			hi = 0x9f;
	} else if (c < 0xf5) {
		n = 4;
		v = c & 0x07;
		if (c == 0xf0)
			lo = 0x90;
		else if (c == 0xf4)
			hi = 0x8f;
	} else
		return 0;
	if (avail < n || s[1] < lo || s[1] > hi)
		return 0;
	v = v << 6 | (s[1] & 0x3f);
	for (i = 2; i < n; i++) {
		if (!is_cont(s[i]))
			return 0;
		v = v << 6 | (s[i] & 0x3f);
	}
	*cp = v;
	return n;
}

/* Whether s[0..len) is strictly valid UTF-8 (NUL bytes allowed). */
int
text_utf8_valid(const char *s, size_t len)
{
	const unsigned char	*u = (const unsigned char *)s;
	size_t			 i = 0, n;
	uint32_t		 cp;

	for (;;) {
		i = ascii_run(u, len, i);
		if (i == len)
			return 1;
		if ((n = utf8_decode(u + i, len - i, &cp)) == 0)
			return 0;
		i += n;
	}
}

/* The largest cut <= at that does not split a UTF-8 sequence. */
size_t
text_utf8_cut_back(const char *s, size_t len, size_t at)
{
	const unsigned char	*u = (const unsigned char *)s;
	size_t			 p;

	if (at >= len)
		return len;
	for (p = at; p > 0 && at - p < 3 && is_cont(u[p]); p--)
		;
	return is_cont(u[p]) ? at : p;
}

/* The smallest cut >= at that does not split a UTF-8 sequence. */
size_t
text_utf8_cut_forward(const char *s, size_t len, size_t at)
{
	const unsigned char	*u = (const unsigned char *)s;
	size_t			 p;

	if (at >= len)
		return len;
	for (p = at; p < len && p - at < 3 && is_cont(u[p]); p++)
		;
	if (p < len && is_cont(u[p]))
		return at;
	return p;
}

/* Write the UTF-8 copy of s to out, or only count it when out is NULL. */
static size_t
utf8_copy(const unsigned char *s, size_t len, char *out)
{
	size_t		i = 0, o = 0, start, n;
	uint32_t	cp;

	for (;;) {
		start = i;
		i = ascii_run(s, len, i);
		if (out != NULL)
			memcpy(out + o, s + start, i - start);
		o += i - start;
		if (i == len)
			return o;
		if ((n = utf8_decode(s + i, len - i, &cp)) == 0) {
			if (out != NULL)
				memcpy(out + o, repl, sizeof repl);
			o += sizeof repl;
			i++;
		} else {
			if (out != NULL)
				memcpy(out + o, s + i, n);
			o += n;
			i += n;
		}
	}
}

/*
 * Run copy once to size the result and once to fill it.  Both copies only
 * ever expand what they change, so a size equal to len means nothing
 * changed and one memcpy does.  worst is the largest expansion per byte.
 */
static char *
copy_sized(size_t (*copy)(const unsigned char *, size_t, char *),
    size_t worst, const char *s, size_t len, size_t *outlen)
{
	const unsigned char	*u = (const unsigned char *)s;
	char			*out;
	size_t			 n;

	if (len > (SIZE_MAX - 1) / worst) {
		errno = ENOMEM;
		return NULL;
	}
	n = copy(u, len, NULL);
	if ((out = malloc(n + 1)) == NULL)
		return NULL;
	if (n == len)
		memcpy(out, s, len);
	else
		copy(u, len, out);
	out[n] = '\0';
	if (outlen != NULL)
		*outlen = n;
	return out;
}

/* Copy s[0..len) as valid UTF-8 for a JSON string. */
char *
text_to_utf8(const char *s, size_t len, size_t *outlen)
{
	/* A replacement is 3 bytes per input byte at worst. */
	return copy_sized(utf8_copy, 3, s, len, outlen);
}

/* Write the terminal copy of s to out, or only count it when out is
 * NULL: tab and printable characters as they are, every other control
 * (C0, DEL, C1) as \\xNN or \\u00NN, invalid UTF-8 as U+FFFD. */
static size_t
terminal_copy(const unsigned char *s, size_t len, char *out)
{
	size_t		i = 0, o = 0, n;
	uint32_t	cp;

	while (i < len) {
		if (s[i] == '\t' || (s[i] >= 0x20 && s[i] < 0x7f)) {
			if (out != NULL)
				out[o] = (char)s[i];
			o++;
			i++;
		} else if (s[i] < 0x80) {
			o += put_hex_byte(out, o, s[i]);
			i++;
		} else if ((n = utf8_decode(s + i, len - i, &cp)) == 0) {
			if (out != NULL)
				memcpy(out + o, repl, sizeof repl);
			o += sizeof repl;
			i++;
		} else if (cp < 0xa0) {
			/* C1: 0x9b is a CSI to many terminals */
			if (out != NULL) {
				memcpy(out + o, "\\u00", 4);
				out[o + 4] = hexdigits[cp >> 4];
				out[o + 5] = hexdigits[cp & 0xf];
			}
			o += 6;
			i += n;
		} else {
			if (out != NULL)
				memcpy(out + o, s + i, n);
			o += n;
			i += n;
		}
	}
	return o;
}

/* Copy s[0..len) as text a terminal shows without obeying any of it. */
char *
text_to_terminal(const char *s, size_t len, size_t *outlen)
{
	/* A control byte becomes 4 bytes, a C1 of 2 bytes 6. */
	return copy_sized(terminal_copy, 4, s, len, outlen);
}

/* Write the XML copy of s to out, or only count it when out is NULL. */
static size_t
xml_copy(const unsigned char *s, size_t len, char *out)
{
	size_t		i = 0, o = 0, start, n;
	uint32_t	cp;

	for (;;) {
		start = i;
		i = xml_run(s, len, i);
		if (out != NULL)
			memcpy(out + o, s + start, i - start);
		o += i - start;
		if (i == len)
			return o;
		if (s[i] < 0x80) {
			/* A C0 control XML cannot hold at all, even as &#..; */
			o += put_hex_byte(out, o, s[i]);
			i++;
		} else if ((n = utf8_decode(s + i, len - i, &cp)) == 0) {
			if (out != NULL)
				memcpy(out + o, repl, sizeof repl);
			o += sizeof repl;
			i++;
		} else if (cp == 0xfffe || cp == 0xffff) {
			if (out != NULL)
				memcpy(out + o, cp == 0xfffe ? "\\uFFFE" :
				    "\\uFFFF", 6);
			o += 6;
			i += n;
		} else {
			if (out != NULL)
				memcpy(out + o, s + i, n);
			o += n;
			i += n;
		}
	}
}

/* Copy s[0..len) as text XML 1.0 can hold. */
char *
text_to_xml(const char *s, size_t len, size_t *outlen)
{
	/* A control written as \xNN is 4 bytes per input byte at worst. */
	return copy_sized(xml_copy, 4, s, len, outlen);
}

/*
 * The unit of text_to_xml's copy that starts at s[i]: returns how many
 * bytes of s it takes and sets *width to its size once written in XML.
 */
static size_t
xml_unit(const unsigned char *s, size_t len, size_t i, size_t *width)
{
	size_t		n;
	uint32_t	cp;

	if (s[i] < 0x80) {
		switch (s[i]) {
		case '<':
		case '>':
			*width = 4;
			break;
		case '&':
		case '\r':
			*width = 5;
			break;
		case '"':
			*width = 6;
			break;
		default:
			*width = xml_plain(s[i]) ? 1 : 4;
		}
		return 1;
	}
	if ((n = utf8_decode(s + i, len - i, &cp)) == 0) {
		*width = sizeof repl;
		return 1;
	}
	*width = cp == 0xfffe || cp == 0xffff ? 6 : n;
	return n;
}

/* Whether some byte of w is zero. */
static int
has_zero(uint64_t w)
{
	return ((w - ONES) & ~w & HIGHS) != 0;
}

/*
 * The size in XML of s[i..len) as far as it goes before its size passes
 * cap (all of it when it never does), added to *total; returns where it
 * stopped, at a unit.  Words of bytes that are written as they are (no
 * high bit, no control, no markup) count eight at a time.
 */
static size_t
xml_measure(const unsigned char *s, size_t len, size_t i, size_t *total,
    size_t cap)
{
	uint64_t	w;
	size_t		n, width;

	while (i < len && *total <= cap) {
		while (len - i >= 8 && *total <= cap) {
			w = load8(s + i);
			/* '<' and '>' differ only in bit 1, cleared here. */
			if (((w | ((w - ONES * 0x20) & ~w)) & HIGHS) ||
			    has_zero((w ^ ONES * '<') & ~(ONES * 2)) ||
			    has_zero(w ^ ONES * '&') ||
			    has_zero(w ^ ONES * '"'))
				break;
			*total += 8;
			i += 8;
		}
		if (i >= len || *total > cap)
			break;
		n = xml_unit(s, len, i, &width);
		*total += width;
		i += n;
	}
	return i;
}

/* The size of s once in XML, or a value above cap once it passes cap. */
size_t
text_xml_size(const char *s, size_t len, size_t cap)
{
	size_t	total = 0;

	xml_measure((const unsigned char *)s, len, 0, &total, cap);
	return total;
}

/*
 * The tail of s that fits max bytes of XML, and its size.  A unit is never
 * written smaller than its bytes, so that tail starts at len - max or
 * later: the count starts at a unit at or before it.  Any byte that does
 * not continue a sequence starts a unit, and so does one with three
 * continuation bytes before it (no valid sequence is longer).
 */
size_t
text_xml_tail(const char *s, size_t len, size_t max, size_t *size)
{
	const unsigned char	*u = (const unsigned char *)s;
	size_t			 i = 0, n, w, total = 0, k;

	if (max < len) {
		i = len - max;
		for (k = 0; k < 3 && i - k > 0 && is_cont(u[i - k]); k++)
			;
		if (!is_cont(u[i - k]) || i - k == 0)
			i -= k;
	}
	xml_measure(u, len, i, &total, SIZE_MAX);
	for (; i < len && total > max; i += n) {
		n = xml_unit(u, len, i, &w);
		total -= w;
	}
	*size = total;
	return i;
}

/* Whether name is a valid test name: non-empty UTF-8 without controls. */
int
text_valid_name(const char *name)
{
	const unsigned char	*u = (const unsigned char *)name;
	size_t			 len, i, n;
	uint32_t		 cp;

	if (name == NULL || (len = strlen(name)) == 0)
		return 0;
	for (i = 0; i < len; i += n) {
		if (u[i] < 0x80) {
			if (u[i] < 0x20 || u[i] == 0x7f)
				return 0;
			n = 1;
			continue;
		}
		if ((n = utf8_decode(u + i, len - i, &cp)) == 0)
			return 0;
		if (cp <= 0x9f)
			return 0;	/* C1 controls, U+0080-U+009F */
	}
	return 1;
}
