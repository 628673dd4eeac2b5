/*
 * check_text: unit tests for text, the UTF-8 checks, cut points and the
 * JSON and XML copies of test output.
 *
 * Besides fixed cases from Unicode's table 3-7, the tests push every byte,
 * every pair of bytes and pseudo-random buffers through the copies and check
 * the outputs with an independent decoder, so the fast ASCII paths are
 * exercised at every alignment.
 */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"
#include "unit.h"

/*
 * Check's ck_assert writes to its result pipe on every pass, which makes
 * the loops below over millions of cases take minutes; these only report.
 */
#define EXPECT(expr) do {						\
	if (!(expr))							\
		ck_abort_msg("Assertion '%s' failed", #expr);		\
} while (0)
#define EXPECT_EQ(a, b) do {						\
	unsigned long long a_ = (a), b_ = (b);				\
									\
	if (a_ != b_)							\
		ck_abort_msg("'%s' is %llu, not %llu", #a, a_, b_);	\
} while (0)
#define EXPECT_NONNULL(p) EXPECT((p) != NULL)

/* Bytes with their length, so tests can hold NUL and invalid bytes. */
#define S(lit)	(lit), (sizeof (lit) - 1)

/* A small deterministic generator, so a failure can be replayed. */
static uint32_t
rnd(uint32_t *state)
{
	*state ^= *state << 13;
	*state ^= *state >> 17;
	*state ^= *state << 5;
	return *state;
}

/*
 * A decoder written differently from text.c's: by ranges of code points
 * rather than bounds on the second byte.  Returns the sequence length and
 * the code point, or 0 for an invalid sequence.
 */
static size_t
ref_decode(const unsigned char *s, size_t len, uint32_t *cp)
{
	size_t		n, i;
	uint32_t	v, min;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if ((s[0] & 0xe0) == 0xc0) {
		n = 2; v = s[0] & 0x1f; min = 0x80;
	} else if ((s[0] & 0xf0) == 0xe0) {
		n = 3; v = s[0] & 0x0f; min = 0x800;
	} else if ((s[0] & 0xf8) == 0xf0) {
		n = 4; v = s[0] & 0x07; min = 0x10000;
	} else
		return 0;
	if (len < n)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		v = v << 6 | (s[i] & 0x3f);
	}
	if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
		return 0;
	*cp = v;
	return n;
}

/* Whether s[0..len) is valid UTF-8 by the reference decoder. */
static int
ref_valid(const unsigned char *s, size_t len)
{
	size_t		i, n;
	uint32_t	cp;

	for (i = 0; i < len; i += n)
		if ((n = ref_decode(s + i, len - i, &cp)) == 0)
			return 0;
	return 1;
}

/* Whether s[0..len) holds only characters XML 1.0 allows. */
static int
xml_clean(const char *s, size_t len)
{
	const unsigned char	*u = (const unsigned char *)s;
	size_t			 i, n;
	uint32_t		 cp;

	for (i = 0; i < len; i += n) {
		if ((n = ref_decode(u + i, len - i, &cp)) == 0)
			return 0;
		if (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r')
			return 0;
		if (cp == 0xfffe || cp == 0xffff)
			return 0;
	}
	return 1;
}

/*
 * The copies done the slow, obvious way, one character at a time: xml
 * nonzero for text_to_xml, else text_to_utf8.  out must hold 4 * len.
 */
static size_t
ref_copy(const unsigned char *s, size_t len, int xml, char *out)
{
	size_t		i, n, o = 0;
	uint32_t	cp;

	for (i = 0; i < len; i += n) {
		if ((n = ref_decode(s + i, len - i, &cp)) == 0) {
			memcpy(out + o, "\xef\xbf\xbd", 3);
			o += 3;
			n = 1;
		} else if (xml && cp < 0x20 && cp != '\t' && cp != '\n' &&
		    cp != '\r')
			o += sprintf(out + o, "\\x%02x", (unsigned)cp);
		else if (xml && (cp == 0xfffe || cp == 0xffff))
			o += sprintf(out + o, "\\u%04X", (unsigned)cp);
		else {
			memcpy(out + o, s + i, n);
			o += n;
		}
	}
	return o;
}

/* Run both copies over s and check what every output must satisfy. */
static void
check_copies(const char *s, size_t len)
{
	char	*u, *x, *want;
	size_t	 ulen = (size_t)-1, xlen = (size_t)-1, wantlen;

	want = malloc(4 * len + 1);
	EXPECT_NONNULL(want);

	u = text_to_utf8(s, len, &ulen);
	EXPECT_NONNULL(u);
	EXPECT(text_utf8_valid(u, ulen));
	EXPECT(ref_valid((const unsigned char *)u, ulen));
	EXPECT_EQ(u[ulen], '\0');
	EXPECT(ulen >= len);
	if (text_utf8_valid(s, len)) {
		EXPECT_EQ(ulen, len);
		EXPECT(memcmp(u, s, len) == 0);
	}

	x = text_to_xml(s, len, &xlen);
	EXPECT_NONNULL(x);
	EXPECT(xml_clean(x, xlen));
	EXPECT_EQ(x[xlen], '\0');
	EXPECT(xlen >= len);

	wantlen = ref_copy((const unsigned char *)s, len, 0, want);
	EXPECT_EQ(ulen, wantlen);
	EXPECT(memcmp(u, want, wantlen) == 0);
	wantlen = ref_copy((const unsigned char *)s, len, 1, want);
	EXPECT_EQ(xlen, wantlen);
	EXPECT(memcmp(x, want, wantlen) == 0);
	free(want);
	free(u);
	free(x);
}

/* A copy of s that must be exactly want (lengths for the NULs). */
struct copy_case {
	const char	*s;
	size_t		 len;
	const char	*want;
	size_t		 wantlen;
};

/* Check that copy (text_to_utf8 or text_to_xml) of s is exactly want. */
static void
check_out(char *(*copy)(const char *, size_t, size_t *), const char *s,
    size_t len, const char *want, size_t wantlen)
{
	char	*out;
	size_t	 outlen;

	out = copy(s, len, &outlen);
	EXPECT_NONNULL(out);
	EXPECT_EQ(outlen, wantlen);
	ck_assert_msg(memcmp(out, want, wantlen) == 0, "got \"%s\"", out);
	EXPECT_EQ(out[outlen], '\0');
	free(out);
}

/* check_out of each of the n cases. */
static void
check_outs(char *(*copy)(const char *, size_t, size_t *),
    const struct copy_case *c, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		check_out(copy, c[i].s, c[i].len, c[i].want, c[i].wantlen);
}

/* Every byte alone: only ASCII is UTF-8; each copy maps it as specified. */
START_TEST(test_every_byte)
{
	char	 b[1], want[8];
	int	 c;

	for (c = 0; c < 256; c++) {
		b[0] = (char)c;
		EXPECT_EQ(text_utf8_valid(b, 1), c < 0x80);
		check_copies(b, 1);
		if (c < 0x80)
			check_out(text_to_utf8, b, 1, b, 1);
		else
			check_out(text_to_utf8, b, 1, S("\xef\xbf\xbd"));
		if (c >= 0x80)
			check_out(text_to_xml, b, 1, S("\xef\xbf\xbd"));
		else if ((c >= 0x20 && c <= 0x7f) || c == '\t' || c == '\n' ||
		    c == '\r')
			check_out(text_to_xml, b, 1, b, 1);
		else {
			snprintf(want, sizeof want, "\\x%02x", c);
			check_out(text_to_xml, b, 1, want, 4);
		}
	}
	EXPECT(text_utf8_valid("", 0));
	check_out(text_to_utf8, "", 0, "", 0);
	check_out(text_to_xml, "", 0, "", 0);
}
END_TEST

/* Valid 1 to 4 byte characters at the edges of each range. */
START_TEST(test_valid_chars)
{
	EXPECT(text_utf8_valid(S("a\0b")));
	EXPECT(text_utf8_valid(S("\x7f")));
	EXPECT(text_utf8_valid(S("\xc2\x80")));		/* U+0080 */
	EXPECT(text_utf8_valid(S("\xc3\xa9")));		/* U+00E9 */
	EXPECT(text_utf8_valid(S("\xdf\xbf")));		/* U+07FF */
	EXPECT(text_utf8_valid(S("\xe0\xa0\x80")));		/* U+0800 */
	EXPECT(text_utf8_valid(S("\xe2\x82\xac")));		/* U+20AC */
	EXPECT(text_utf8_valid(S("\xed\x9f\xbf")));		/* U+D7FF */
	EXPECT(text_utf8_valid(S("\xee\x80\x80")));		/* U+E000 */
	EXPECT(text_utf8_valid(S("\xef\xbf\xbf")));		/* U+FFFF */
	EXPECT(text_utf8_valid(S("\xf0\x90\x80\x80")));	/* U+10000 */
	EXPECT(text_utf8_valid(S("\xf0\x9f\x98\x80")));	/* U+1F600 */
	EXPECT(text_utf8_valid(S("\xf4\x8f\xbf\xbf")));	/* U+10FFFF */
	EXPECT(text_utf8_valid(S("caf\xc3\xa9 \xe2\x82\xac 10 "
	    "\xf0\x9f\x98\x80 and a long ascii tail after it")));
	check_out(text_to_utf8, S("\xf0\x9f\x98\x80x"), S("\xf0\x9f\x98\x80x"));
}
END_TEST

/* Overlong forms, surrogates and values past U+10FFFF are rejected. */
START_TEST(test_invalid_forms)
{
	static const struct {
		const char	*s;
		size_t		 len;
	} bad[] = {
		{ S("\xc0\x80") },		/* overlong NUL */
		{ S("\xc1\xbf") },		/* overlong U+007F */
		{ S("\xe0\x80\x80") },		/* overlong NUL */
		{ S("\xe0\x9f\xbf") },		/* overlong U+07FF */
		{ S("\xf0\x80\x80\x80") },	/* overlong NUL */
		{ S("\xf0\x8f\xbf\xbf") },	/* overlong U+FFFF */
		{ S("\xed\xa0\x80") },		/* U+D800 */
		{ S("\xed\xbf\xbf") },		/* U+DFFF */
		{ S("\xed\xa0\xbd\xed\xb8\x80") }, /* CESU-8 pair */
		{ S("\xf4\x90\x80\x80") },	/* U+110000 */
		{ S("\xf5\x80\x80\x80") },
		{ S("\xf7\xbf\xbf\xbf") },
		{ S("\xf8\x88\x80\x80\x80") },	/* old 5-byte form */
		{ S("\xfc\x84\x80\x80\x80\x80") },
		{ S("\xc3") },			/* truncated at the end */
		{ S("\xe2\x82") },
		{ S("\xe2") },
		{ S("\xf0\x9f\x98") },
		{ S("\xf0\x9f") },
		{ S("ok so far \xf0\x9f\x98") },
		{ S("\xe2\x82" "abc") },	/* truncated in the middle */
		{ S("\xc3\xc3\xa9") },
		{ S("\x80") },			/* stray continuation */
		{ S("\xc3\xa9\x80") },
	};
	/* One U+FFFD for each byte not in a valid sequence. */
	static const struct copy_case replaced[] = {
		{ S("\xc0\x80"), S("\xef\xbf\xbd\xef\xbf\xbd") },
		{ S("\xed\xa0\x80"),
		    S("\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd") },
		{ S("\xf4\x90\x80\x80"),
		    S("\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd") },
		{ S("a\xe2\x82"), S("a\xef\xbf\xbd\xef\xbf\xbd") },
		{ S("\xe2\x82" "b\xe2\x82\xac"),
		    S("\xef\xbf\xbd\xef\xbf\xbd" "b\xe2\x82\xac") },
		{ S("a\xff" "b"), S("a\xef\xbf\xbd" "b") },
		{ S("a\0b"), S("a\0b") },
	};
	size_t	i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		ck_assert_msg(!text_utf8_valid(bad[i].s, bad[i].len),
		    "case %zu accepted", i);
		check_copies(bad[i].s, bad[i].len);
	}

	check_outs(text_to_utf8, replaced,
	    sizeof replaced / sizeof replaced[0]);
}
END_TEST

/* Every buffer of two bytes, and of three with a lead byte first. */
START_TEST(test_all_pairs)
{
	unsigned char	b[3];
	int		i, j, k;

	for (i = 0; i < 256; i++) {
		for (j = 0; j < 256; j++) {
			b[0] = i;
			b[1] = j;
			EXPECT_EQ(text_utf8_valid((char *)b, 2),
			    ref_valid(b, 2));
			check_copies((char *)b, 2);
		}
	}
	for (i = 0xe0; i < 0xf8; i++) {
		for (j = 0x70; j < 0xd0; j++) {
			for (k = 0x70; k < 0xd0; k++) {
				b[0] = i;
				b[1] = j;
				b[2] = k;
				EXPECT_EQ(
				    text_utf8_valid((char *)b, 3),
				    ref_valid(b, 3));
			}
		}
	}
}
END_TEST

/* An invalid byte at every offset of an ASCII run, past several words. */
START_TEST(test_fast_path_offsets)
{
	char	 buf[70], *out;
	size_t	 i, len = sizeof buf, outlen;

	for (i = 0; i < len; i++) {
		memset(buf, 'a', len);
		buf[i] = '\xff';
		EXPECT(!text_utf8_valid(buf, len));
		check_copies(buf, len);
		out = text_to_utf8(buf, len, &outlen);
		EXPECT_EQ(outlen, len + 2);
		EXPECT(memcmp(out + i, "\xef\xbf\xbd", 3) == 0);
		free(out);

		memset(buf, 'a', len);
		buf[i] = '\x1b';
		EXPECT(text_utf8_valid(buf, len));
		out = text_to_xml(buf, len, &outlen);
		EXPECT_EQ(outlen, len + 3);
		EXPECT(memcmp(out + i, "\\x1b", 4) == 0);
		free(out);

		/* Truncated sequence at the very end, after i ASCII bytes. */
		if (i + 4 > len)
			continue;
		memset(buf, 'a', len);
		memcpy(buf + i, "\xf0\x9f\x98\x80", 4);
		EXPECT(!text_utf8_valid(buf, i + 1));
		EXPECT(!text_utf8_valid(buf, i + 2));
		EXPECT(!text_utf8_valid(buf, i + 3));
		EXPECT(text_utf8_valid(buf, i + 4));
		EXPECT(text_utf8_valid(buf, len));
	}
}
END_TEST

/* The XML copy: controls as \xNN, U+FFFE/U+FFFF as \uFFFE, markup kept. */
START_TEST(test_xml)
{
	static const struct copy_case xml[] = {
		{ S("\x1b[31mred\x1b[0m"), S("\\x1b[31mred\\x1b[0m") },
		{ S("a\0b"), S("a\\x00b") },
		{ S("\x01\x08\x0b\x0c\x1f"), S("\\x01\\x08\\x0b\\x0c\\x1f") },
		{ S("tab\there\nline\r\n"), S("tab\there\nline\r\n") },
		{ S("del\x7f"), S("del\x7f") },
		{ S("<a href=\"x\">&amp;</a>]]>"),
		    S("<a href=\"x\">&amp;</a>]]>") },
		{ S("\xef\xbf\xbe"), S("\\uFFFE") },
		{ S("x\xef\xbf\xbfy"), S("x\\uFFFFy") },
		{ S("\xef\xbf\xbd"), S("\xef\xbf\xbd") },	/* U+FFFD */
		{ S("\xc2\x85"), S("\xc2\x85") },		/* C1 NEL */
		{ S("\xf4\x8f\xbf\xbf"), S("\xf4\x8f\xbf\xbf") },
		{ S("\xed\xa0\x80"),
		    S("\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd") },
		{ S("\xc0\x80"), S("\xef\xbf\xbd\xef\xbf\xbd") },
		{ S("ok\xe2\x82"), S("ok\xef\xbf\xbd\xef\xbf\xbd") },
	};

	check_outs(text_to_xml, xml, sizeof xml / sizeof xml[0]);
}
END_TEST

/* Random bytes: the copies are always clean; valid input is unchanged. */
START_TEST(test_random_buffers)
{
	static const unsigned char	 pick[] = {
		'a', 'Z', ' ', '\n', '\t', '\r', 0x00, 0x1b, 0x7f, 0x80, 0xbf,
		0xc0, 0xc2, 0xc3, 0xdf, 0xe0, 0xe2, 0xed, 0xef, 0xbe, 0xf0,
		0xf4, 0xf5, 0xff, 0x8f, 0x90, 0x9f, 0xa0
	};
	unsigned char	 buf[200];
	uint32_t	 st = 12345, cp, r;
	size_t		 i, len, n;
	int		 round;

	for (round = 0; round < 20000; round++) {
		len = rnd(&st) % sizeof buf;
		for (i = 0; i < len; i++) {
			r = rnd(&st);
			/* Every other round is mostly ASCII, as output is. */
			if (round % 2 == 1 && r % 16 != 0)
				buf[i] = 'a' + (r >> 4) % 26;
			else
				buf[i] = r & 16 ? pick[(r >> 5) % sizeof pick] :
				    (unsigned char)(r >> 8);
		}
		EXPECT_EQ(text_utf8_valid((char *)buf, len),
		    ref_valid(buf, len));
		check_copies((char *)buf, len);
	}

	/* Random valid text: encode random code points, expect no change. */
	for (round = 0; round < 5000; round++) {
		len = 0;
		while (len < sizeof buf - 4) {
			r = rnd(&st);
			switch (r % 4) {
			case 0:
				cp = (r >> 2) % 0x80;
				break;
			case 1:
				cp = 0x80 + (r >> 2) % 0x780;
				break;
			case 2:
				cp = 0x800 + (r >> 2) % 0xf800;
				if (cp >= 0xd800 && cp <= 0xdfff)
					cp = 'x';
				break;
			default:
				cp = 0x10000 + (r >> 2) % 0x100000;
				break;
			}
			if (cp < 0x80)
				buf[len++] = cp;
			else if (cp < 0x800) {
				buf[len++] = 0xc0 | cp >> 6;
				buf[len++] = 0x80 | (cp & 0x3f);
			} else if (cp < 0x10000) {
				buf[len++] = 0xe0 | cp >> 12;
				buf[len++] = 0x80 | (cp >> 6 & 0x3f);
				buf[len++] = 0x80 | (cp & 0x3f);
			} else {
				buf[len++] = 0xf0 | cp >> 18;
				buf[len++] = 0x80 | (cp >> 12 & 0x3f);
				buf[len++] = 0x80 | (cp >> 6 & 0x3f);
				buf[len++] = 0x80 | (cp & 0x3f);
			}
		}
		EXPECT(text_utf8_valid((char *)buf, len));
		check_copies((char *)buf, len);
		/* Every cut the functions return lies on a boundary. */
		for (i = 0; i <= len; i++) {
			n = text_utf8_cut_back((char *)buf, len, i);
			EXPECT(n <= i && i - n <= 3);
			EXPECT(text_utf8_valid((char *)buf, n));
			EXPECT(text_utf8_valid((char *)buf + n, len - n));
			n = text_utf8_cut_forward((char *)buf, len, i);
			EXPECT(n >= i && n - i <= 3);
			EXPECT(text_utf8_valid((char *)buf, n));
			EXPECT(text_utf8_valid((char *)buf + n, len - n));
		}
	}
}
END_TEST

/* Cuts at every offset inside 2, 3 and 4 byte characters. */
START_TEST(test_cuts)
{
	static const char *const chars[] = {
		"\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80"
	};
	char	 buf[16];
	size_t	 i, k, n, len;

	for (i = 0; i < 3; i++) {
		n = strlen(chars[i]);
		len = 0;
		memcpy(buf + len, "ab", 2);
		len += 2;
		memcpy(buf + len, chars[i], n);
		len += n;
		memcpy(buf + len, "cd", 2);
		len += 2;
		for (k = 0; k <= len; k++) {
			if (k > 2 && k < 2 + n) {
				EXPECT_EQ(
				    text_utf8_cut_back(buf, len, k), 2);
				EXPECT_EQ(
				    text_utf8_cut_forward(buf, len, k), 2 + n);
			} else {
				EXPECT_EQ(
				    text_utf8_cut_back(buf, len, k), k);
				EXPECT_EQ(
				    text_utf8_cut_forward(buf, len, k), k);
			}
		}
		/* The character at the very start and at the very end. */
		for (k = 1; k < n; k++) {
			EXPECT_EQ(text_utf8_cut_back(chars[i], n, k), 0);
			EXPECT_EQ(
			    text_utf8_cut_forward(chars[i], n, k), n);
		}
		/* Truncated: forward stops at the end of the buffer. */
		EXPECT_EQ(text_utf8_cut_forward(chars[i], n - 1, 1),
		    n - 1);
		EXPECT_EQ(text_utf8_cut_back(chars[i], n - 1, n - 2),
		    0);
	}

	/* A window that starts inside a character skips its remainder. */
	EXPECT_EQ(text_utf8_cut_forward(S("\x82\xac" "ab"), 0), 2);
	EXPECT_EQ(text_utf8_cut_forward(S("\x98\x80" "ab"), 0), 2);
	EXPECT_EQ(text_utf8_cut_forward(S("\x9f\x98\x80" "ab"), 0),
	    3);

	/* Positions past the end clamp to it; empty buffers work. */
	EXPECT_EQ(text_utf8_cut_back(S("abc"), 10), 3);
	EXPECT_EQ(text_utf8_cut_forward(S("abc"), 10), 3);
	EXPECT_EQ(text_utf8_cut_back("", 0, 0), 0);
	EXPECT_EQ(text_utf8_cut_forward("", 0, 0), 0);

	/* Runs of continuation bytes are not UTF-8: move at most 3 bytes. */
	EXPECT_EQ(text_utf8_cut_back(S("a\x80\x80\x80\x80\x80"), 5),
	    5);
	EXPECT_EQ(text_utf8_cut_back(S("a\x80\x80\x80\x80\x80"), 3),
	    0);
	EXPECT_EQ(text_utf8_cut_back(S("a\x80\x80\x80\x80"), 4), 4);
	EXPECT_EQ(text_utf8_cut_forward(S("\x80\x80\x80\x80z"), 0),
	    0);
	EXPECT_EQ(text_utf8_cut_forward(S("\x80\x80\x80z"), 0), 3);
	EXPECT_EQ(text_utf8_cut_forward(S("\x80\x80\x80"), 1), 3);
}
END_TEST

/* Test names: non-empty UTF-8 without C0, DEL or C1 controls. */
START_TEST(test_valid_name)
{
	char	 name[4];
	int	 c;

	EXPECT(text_valid_name("a"));
	EXPECT(text_valid_name("gpu/shaders/basic"));
	EXPECT(text_valid_name("spaces are fine [1/3] <x>&y"));
	EXPECT(text_valid_name("caf\xc3\xa9"));
	EXPECT(text_valid_name("\xe2\x82\xac-\xf0\x9f\x98\x80"));
	EXPECT(text_valid_name("nbsp\xc2\xa0ok"));		/* U+00A0 */
	EXPECT(!text_valid_name(""));
	EXPECT(!text_valid_name(NULL));
	EXPECT(!text_valid_name("tab\there"));
	EXPECT(!text_valid_name("line\n"));
	EXPECT(!text_valid_name("esc\x1b[0m"));
	EXPECT(!text_valid_name("del\x7f"));
	EXPECT(!text_valid_name("c1\xc2\x80"));		/* U+0080 */
	EXPECT(!text_valid_name("nel\xc2\x85"));		/* U+0085 */
	EXPECT(!text_valid_name("c1\xc2\x9f"));		/* U+009F */
	EXPECT(!text_valid_name("bad\xff"));
	EXPECT(!text_valid_name("overlong\xc0\xaf"));
	EXPECT(!text_valid_name("surrogate\xed\xa0\x80"));
	EXPECT(!text_valid_name("truncated\xe2\x82"));

	for (c = 1; c < 256; c++) {
		name[0] = 'x';
		name[1] = (char)c;
		name[2] = '\0';
		EXPECT_EQ(text_valid_name(name), c >= 0x20 && c < 0x7f);
	}
}
END_TEST

/* Megabytes go through in one piece; the output length is exact. */
/* text_to_terminal: nothing a test prints can drive the terminal. */
START_TEST(test_terminal)
{
	static const struct {
		const char	*in;
		size_t		 len;
		const char	*want;
	} cases[] = {
		{ "plain\ttext", 10, "plain\ttext" },
		{ "\033[31mred\033[0m", 12, "\\x1b[31mred\\x1b[0m" },
		{ "\033]0;title\007", 10, "\\x1b]0;title\\x07" },
		{ "a\rb\nc\bd", 7, "a\\x0db\\x0ac\\x08d" },
		{ "nul\0x", 5, "nul\\x00x" },
		{ "del\177", 4, "del\\x7f" },
		/* C1: CSI (U+009B) is ESC [ to many terminals. */
		{ "\xc2\x9b" "2J", 4, "\\u009b2J" },
		{ "\xc2\x85", 2, "\\u0085" },
		/* Printable UTF-8 stays; invalid bytes become U+FFFD. */
		{ "\xc3\xa9t\xc3\xa9", 5, "\xc3\xa9t\xc3\xa9" },
		{ "\xc2\xa0", 2, "\xc2\xa0" },
		{ "x\xff\x9b", 3, "x\xef\xbf\xbd\xef\xbf\xbd" },
		{ "", 0, "" },
	};
	size_t i, len;
	char *out;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		out = text_to_terminal(cases[i].in, cases[i].len, &len);
		ck_assert_ptr_nonnull(out);
		ck_assert_msg(strcmp(out, cases[i].want) == 0,
		    "case %zu: got '%s'", i, out);
		ck_assert_uint_eq(len, strlen(cases[i].want));
		free(out);
	}
}
END_TEST

START_TEST(test_large)
{
	size_t	 len = 8 << 20, outlen, i;
	char	*buf, *out;

	buf = malloc(len);
	EXPECT_NONNULL(buf);
	for (i = 0; i < len; i++)
		buf[i] = i % 81 == 80 ? '\n' : 'a' + i % 26;
	EXPECT(text_utf8_valid(buf, len));
	out = text_to_xml(buf, len, &outlen);
	EXPECT_NONNULL(out);
	EXPECT_EQ(outlen, len);
	EXPECT(memcmp(out, buf, len) == 0);
	free(out);

	buf[len - 1] = '\xe2';
	EXPECT(!text_utf8_valid(buf, len));
	out = text_to_utf8(buf, len, &outlen);
	EXPECT_NONNULL(out);
	EXPECT_EQ(outlen, len + 2);
	EXPECT(memcmp(out, buf, len - 1) == 0);
	EXPECT(memcmp(out + len - 1, "\xef\xbf\xbd", 4) == 0);
	free(out);
	free(buf);
}
END_TEST

/* The suite of every text test. */
/* The size text_xml_tail should find: the copy, escaped as libxml2 does. */
static size_t
written_size(const char *s, size_t len)
{
	char *x = text_to_xml(s, len, &len);
	size_t i, n = 0;

	for (i = 0; i < len; i++) {
		switch (x[i]) {
		case '<': case '>': n += 4; break;
		case '&': case '\r': n += 5; break;
		case '"': n += 6; break;
		default: n++;
		}
	}
	free(x);
	return n;
}

START_TEST(test_text_xml_tail)
{
	const char s[] = "a<\x01\xff\xc3\xa9\xef\xbf\xbe\"\r&>z";
	size_t len = sizeof s - 1, size, cut, max, w, prev;

	ck_assert_uint_eq(text_xml_tail(s, len, SIZE_MAX, &size), 0);
	/* a 1, < 4, \x01 4, \xff 3, é 2, U+FFFE 6, " 6, \r 5, & 5, > 4, z 1 */
	ck_assert_uint_eq(size, 41);
	ck_assert_uint_eq(size, written_size(s, len));
	ck_assert_uint_eq(text_xml_tail(s, len, 0, &size), len);
	ck_assert_uint_eq(size, 0);
	ck_assert_uint_eq(text_xml_tail("", 0, 0, &size), 0);
	ck_assert_uint_eq(text_xml_tail(s, len, 41, &size), 0);
	ck_assert_uint_eq(size, 41);
	/* Every budget: the tail fits, is as long as possible, and starts
	 * at a character. */
	for (max = 0; max <= 41; max++) {
		cut = text_xml_tail(s, len, max, &size);
		ck_assert_uint_le(size, max);
		ck_assert_uint_eq(size, written_size(s + cut, len - cut));
		ck_assert((s[cut] & 0xc0) != 0x80);
		if (cut == 0)
			continue;
		/* One character more would not fit. */
		for (prev = cut - 1; (s[prev] & 0xc0) == 0x80; prev--)
			;
		w = written_size(s + prev, len - prev);
		ck_assert_uint_gt(w, max);
	}
}
END_TEST

/* Random bytes: text_xml_tail measures what a writer would write. */
START_TEST(test_xml_tail_random)
{
	static const char	 pick[] = "a<>&\"\r\n\t\x01\x1b\x80\xc3\xa9"
	    "\xef\xbf\xbe\xed\xa0\xff";
	char			 buf[300];
	size_t			 i, len, size, cut;
	uint32_t		 state = 7;
	int			 round;

	for (round = 0; round < 2000; round++) {
		len = rnd(&state) % sizeof buf;
		for (i = 0; i < len; i++)
			buf[i] = pick[rnd(&state) % (sizeof pick - 1)];
		ck_assert_uint_eq(text_xml_tail(buf, len, SIZE_MAX, &size), 0);
		ck_assert_uint_eq(size, written_size(buf, len));
		cut = text_xml_tail(buf, len, size / 2, &size);
		ck_assert_uint_le(size, written_size(buf, len) / 2);
		ck_assert_uint_eq(size, written_size(buf + cut, len - cut));
	}
}
END_TEST

/* The length of the unit of text_to_xml's copy at s[i]: a valid sequence,
 * or one byte. */
static size_t
unit_len(const char *s, size_t len, size_t i)
{
	unsigned char c = (unsigned char)s[i];
	size_t n = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;

	return i + n <= len && text_utf8_valid(s + i, n) ? n : 1;
}

/*
 * text_xml_tail starts counting near the end and text_xml_size counts
 * words at a time: both against a plain walk of the units from the
 * start, on text mostly plain (long words) with odd bytes among it.
 */
START_TEST(test_xml_tail_reference)
{
	static const char	 pick[] = "abcdefghijklmnop <>&\"\r\n\x01\x80"
	    "\xbf\xc3\xa9\xe2\x82\xac\xf0\x9f\x90\xa7\xef\xbf\xbe\xff";
	char			 buf[200];
	size_t			 i, len, size, cut, ref, total, max;
	uint32_t		 state = 11;
	int			 round;

	for (round = 0; round < 3000; round++) {
		len = rnd(&state) % sizeof buf;
		for (i = 0; i < len; i++)
			buf[i] = pick[rnd(&state) % (round % 2 ? 17 :
			    sizeof pick - 1)];
		total = written_size(buf, len);
		ck_assert_uint_eq(text_xml_size(buf, len, SIZE_MAX), total);
		max = rnd(&state) % (total + 2);
		size = text_xml_size(buf, len, max);
		ck_assert(total <= max ? size == total : size > max);
		for (ref = 0; ref < len; ref += unit_len(buf, len, ref))
			if (written_size(buf + ref, len - ref) <= max)
				break;
		cut = text_xml_tail(buf, len, max, &size);
		ck_assert_uint_eq(cut, ref);
		ck_assert_uint_eq(size, written_size(buf + cut, len - cut));
	}
}
END_TEST

Suite *
unit_suite(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("text");
	tc = tcase_create("core");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_every_byte);
	tcase_add_test(tc, test_valid_chars);
	tcase_add_test(tc, test_invalid_forms);
	tcase_add_test(tc, test_all_pairs);
	tcase_add_test(tc, test_fast_path_offsets);
	tcase_add_test(tc, test_xml);
	tcase_add_test(tc, test_random_buffers);
	tcase_add_test(tc, test_cuts);
	tcase_add_test(tc, test_valid_name);
	tcase_add_test(tc, test_large);
	tcase_add_test(tc, test_terminal);
	tcase_add_test(tc, test_text_xml_tail);
	tcase_add_test(tc, test_xml_tail_reference);
	tcase_add_test(tc, test_xml_tail_random);
	suite_add_tcase(s, tc);
	return s;
}
