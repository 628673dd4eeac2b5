/*
 * check_capture: unit tests for capture, the head and tail of a test's
 * output kept within a byte cap.
 *
 * Outputs are compared with a reference built from the whole stream: the
 * head cut back and the tail cut forward to character boundaries found by
 * looking at the stream itself, which the capture never sees whole.
 */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "exec/capture.h"
#include "core/text.h"
#include "unit.h"

/*
 * Check's ck_assert writes to its result pipe on every pass, too slow for
 * the loops below; these only report failures.
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

/* Whether a cut before stream[i] keeps characters whole. */
static int
boundary(const char *stream, size_t len, size_t i)
{
	return i == len || ((unsigned char)stream[i] & 0xc0) != 0x80;
}

/* What capture_text must return for this valid UTF-8 stream and cap. */
static char *
reference(const char *stream, size_t len, size_t max, size_t *outlen)
{
	char	 marker[64], *out;
	size_t	 h, t, m;

	if (max == 0 || len <= max) {
		out = malloc(len + 1);
		memcpy(out, stream, len);
		*outlen = len;
		return out;
	}
	for (h = max / 2; !boundary(stream, len, h); h--)
		;
	for (t = len - (max - max / 2); !boundary(stream, len, t); t++)
		;
	m = snprintf(marker, sizeof marker, "\n[prun: %zu bytes dropped]\n",
	    len - h - (len - t));
	out = malloc(h + m + (len - t) + 1);
	memcpy(out, stream, h);
	memcpy(out + h, marker, m);
	memcpy(out + h + m, stream + t, len - t);
	*outlen = h + m + (len - t);
	return out;
}

/* Feed stream to a capture in chunks of at most chunk bytes (0: random). */
static void
feed(struct capture *c, const char *stream, size_t len, size_t chunk,
    uint32_t *st)
{
	size_t	off, n;

	for (off = 0; off < len; off += n) {
		n = chunk != 0 ? chunk : 1 + rnd(st) % 37;
		if (n > len - off)
			n = len - off;
		EXPECT_EQ(capture_append(c, stream + off, n), 0);
	}
	EXPECT_EQ(c->total, len);
}

/* Check the capture's text against the reference for the stream. */
static void
expect_reference(const struct capture *c, const char *stream, size_t len)
{
	char	*got, *want;
	size_t	 gotlen = (size_t)-1, wantlen;

	want = reference(stream, len, c->max, &wantlen);
	got = capture_text(c, &gotlen);
	EXPECT(got != NULL);
	EXPECT_EQ(gotlen, wantlen);
	EXPECT(memcmp(got, want, wantlen) == 0);
	EXPECT_EQ(got[gotlen], '\0');
	EXPECT(text_utf8_valid(got, gotlen));
	free(got);
	free(want);
}

/* Check that the capture's text is exactly want. */
static void
expect_text(const struct capture *c, const char *want, size_t wantlen)
{
	char	*got;
	size_t	 gotlen = (size_t)-1;

	got = capture_text(c, &gotlen);
	EXPECT(got != NULL);
	EXPECT_EQ(gotlen, wantlen);
	ck_assert_msg(memcmp(got, want, wantlen) == 0, "got \"%s\"", got);
	EXPECT_EQ(got[gotlen], '\0');
	free(got);
}

/* A pseudo-random valid UTF-8 stream of len bytes, mostly ASCII lines. */
static char *
make_stream(size_t len, uint32_t *st)
{
	static const char *const chars[] = {
		"\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80", "\n"
	};
	char	*s;
	size_t	 i = 0, n;
	uint32_t r;

	s = malloc(len);
	while (i < len) {
		r = rnd(st);
		if (r % 4 == 0) {
			n = strlen(chars[(r >> 2) % 4]);
			if (n > len - i)
				n = 1;
			memcpy(s + i, n == 1 ? "z" : chars[(r >> 2) % 4], n);
		} else {
			n = 1;
			s[i] = 'a' + (r >> 2) % 26;
		}
		i += n;
	}
	return s;
}

/* Output under the cap comes back unchanged, NULs included. */
START_TEST(test_under_cap)
{
	struct capture	c;

	capture_init(&c, 100);
	EXPECT_EQ(c.head_max, 50);
	EXPECT_EQ(c.tail_max, 50);
	expect_text(&c, "", 0);
	EXPECT_EQ(capture_append(&c, S("hello\0world\n")), 0);
	EXPECT_EQ(capture_append(&c, "", 0), 0);
	EXPECT_EQ(c.total, 12);
	EXPECT(c.tail == NULL);
	expect_text(&c, S("hello\0world\n"));
	capture_free(&c);
}
END_TEST

/* Exactly max bytes: all kept, split across head and tail, no marker. */
START_TEST(test_at_cap)
{
	struct capture	 c;
	char		 buf[101];
	size_t		 i;
	uint32_t	 st = 1;

	for (i = 0; i < sizeof buf; i++)
		buf[i] = 'A' + i % 26;
	capture_init(&c, 100);
	feed(&c, buf, 100, 7, &st);
	EXPECT_EQ(c.head_len, 50);
	EXPECT_EQ(c.tail_len, 50);
	expect_text(&c, buf, 100);

	/* One more byte and exactly one is dropped, from the middle. */
	EXPECT_EQ(capture_append(&c, buf + 100, 1), 0);
	expect_text(&c, S("ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNOPQRSTUVWX"
	    "\n[prun: 1 bytes dropped]\n"
	    "ZABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNOPQRSTUVW"));
	capture_free(&c);

	/* An odd cap gives the extra byte to the tail. */
	capture_init(&c, 7);
	EXPECT_EQ(c.head_max, 3);
	EXPECT_EQ(c.tail_max, 4);
	capture_free(&c);
}
END_TEST

/* Far over the cap with many small appends of multibyte text. */
START_TEST(test_many_small_appends)
{
	static const size_t	 caps[] = { 1, 2, 3, 5, 8, 13, 64, 999, 1000,
	    4097 };
	struct capture		 c;
	char			*stream;
	size_t			 i, len = 1 << 20;
	uint32_t		 st = 7;

	stream = make_stream(len, &st);
	for (i = 0; i < sizeof caps / sizeof caps[0]; i++) {
		capture_init(&c, caps[i]);
		feed(&c, stream, len, 0, &st);
		EXPECT_EQ(c.head_len, c.head_max);
		EXPECT_EQ(c.tail_len, c.tail_max);
		EXPECT(c.head_size <= c.head_max);
		expect_reference(&c, stream, len);
		capture_free(&c);
	}
	free(stream);
}
END_TEST

/* One huge append, alone and after small ones, wraps the ring right. */
START_TEST(test_huge_append)
{
	struct capture	 c;
	char		*stream, *got;
	size_t		 len = 16 << 20, gotlen;
	uint32_t	 st = 99;

	stream = make_stream(len, &st);
	capture_init(&c, 4096);
	EXPECT_EQ(capture_append(&c, stream, len), 0);
	expect_reference(&c, stream, len);
	capture_free(&c);

	/* Small appends fill the head and wrap the ring, then a huge one. */
	capture_init(&c, 1001);
	feed(&c, stream, 3000, 0, &st);
	EXPECT_EQ(capture_append(&c, stream + 3000, len - 3000), 0);
	EXPECT_EQ(c.total, len);
	expect_reference(&c, stream, len);

	/* And small ones after it, so the ring starts mid-buffer. */
	EXPECT_EQ(capture_append(&c, S("tail!")), 0);
	EXPECT_EQ(capture_append(&c, S("\xe2\x82\xac")), 0);
	EXPECT_EQ(c.total, len + 8);
	got = capture_text(&c, &gotlen);
	EXPECT(got != NULL);
	EXPECT(text_utf8_valid(got, gotlen));
	EXPECT(gotlen > 8 && memcmp(got + gotlen - 8, "tail!\xe2\x82\xac", 8) == 0);
	EXPECT(memcmp(got, stream, 500) == 0);
	free(got);
	capture_free(&c);
	free(stream);
}
END_TEST

/* A 2, 3 or 4 byte character split by the head's end is dropped whole. */
START_TEST(test_head_boundary)
{
	static const char *const chars[] = {
		"\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80"
	};
	struct capture	 c;
	char		 stream[64], want[128];
	size_t		 i, k, n, len, wlen, keep;

	/* cap 20: head 10, tail 10. */
	for (i = 0; i < 3; i++) {
		n = strlen(chars[i]);
		for (k = 0; k <= n; k++) {
			/* The character starts k bytes before the head's end. */
			len = 0;
			memset(stream, 'a', 10 - k);
			len = 10 - k;
			memcpy(stream + len, chars[i], n);
			len += n;
			memset(stream + len, 'b', 30);
			len += 30;

			capture_init(&c, 20);
			EXPECT_EQ(capture_append(&c, stream, len), 0);
			keep = k == 0 || k == n ? 10 : 10 - k;
			wlen = 0;
			memcpy(want, stream, keep);
			wlen = keep;
			wlen += sprintf(want + wlen,
			    "\n[prun: %zu bytes dropped]\n", len - keep - 10);
			memset(want + wlen, 'b', 10);
			wlen += 10;
			expect_text(&c, want, wlen);
			expect_reference(&c, stream, len);
			capture_free(&c);
		}
	}
}
END_TEST

/* A character split by the tail's start is dropped whole. */
START_TEST(test_tail_boundary)
{
	static const char *const chars[] = {
		"\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80"
	};
	struct capture	 c;
	char		 stream[64], want[128];
	size_t		 i, k, n, len, wlen, skip;
	uint32_t	 st = 3;

	/* cap 20: head 10, tail 10, the last 10 bytes start k into a char. */
	for (i = 0; i < 3; i++) {
		n = strlen(chars[i]);
		for (k = 0; k < n; k++) {
			memset(stream, 'a', 30);
			len = 30 - k;
			memcpy(stream + len, chars[i], n);
			len += n;
			memset(stream + len, 'c', 10 - (n - k));
			len += 10 - (n - k);
			EXPECT_EQ(len, 40);

			capture_init(&c, 20);
			feed(&c, stream, len, 0, &st);
			skip = k == 0 ? 0 : n - k;
			wlen = 10;
			memset(want, 'a', 10);
			wlen += sprintf(want + wlen,
			    "\n[prun: %zu bytes dropped]\n", 20 + skip);
			memcpy(want + wlen, stream + 30 + skip, 10 - skip);
			wlen += 10 - skip;
			expect_text(&c, want, wlen);
			expect_reference(&c, stream, len);
			capture_free(&c);
		}
	}
}
END_TEST

/* The count of dropped bytes goes past 32 bits (both ends cut at once:
 * see appends). */
START_TEST(test_dropped_count)
{
	struct capture	c;

	/* Counts past 32 bits, as from a test that printed for days. */
	if (SIZE_MAX > UINT32_MAX) {
		capture_init(&c, 4);
		c.total = (size_t)UINT32_MAX + 1;
		EXPECT_EQ(capture_append(&c, S("abcdef")), 0);
		expect_text(&c, S("ab\n[prun: 4294967298 bytes dropped]\nef"));
		capture_free(&c);
	}
}
END_TEST

/* Bytes that are not UTF-8 are kept: a cut moves at most 3 bytes. */
START_TEST(test_invalid_bytes)
{
	struct capture	 c;
	static const char bytes[] = "\x80\xff";
	const char	*b;
	char		 buf[1000], want[200];
	size_t		 wlen;

	/* A continuation byte or one that is never UTF-8, over and over. */
	for (b = bytes; *b != '\0'; b++) {
		memset(buf, *b, sizeof buf);
		capture_init(&c, 100);
		EXPECT_EQ(capture_append(&c, buf, sizeof buf), 0);
		memset(want, *b, 50);
		wlen = 50 + sprintf(want + 50, "\n[prun: 900 bytes dropped]\n");
		memset(want + wlen, *b, 50);
		wlen += 50;
		expect_text(&c, want, wlen);
		capture_free(&c);
	}
}
END_TEST

/* max 0 keeps everything and never allocates a ring. */
START_TEST(test_no_cap)
{
	struct capture	 c;
	char		*stream;
	size_t		 len = 3 << 20;
	uint32_t	 st = 11;

	stream = make_stream(len, &st);
	capture_init(&c, 0);
	feed(&c, stream, len, 65536, &st);
	EXPECT(c.tail == NULL);
	EXPECT_EQ(c.tail_len, 0);
	EXPECT_EQ(c.head_len, len);
	EXPECT(c.head_size >= len && c.head_size < 2 * len);
	expect_reference(&c, stream, len);
	capture_free(&c);
	free(stream);
}
END_TEST

/* The smallest caps still keep what they can. */
START_TEST(test_tiny_caps)
{
	struct capture	c;

	capture_init(&c, 1);
	EXPECT_EQ(c.head_max, 0);
	EXPECT_EQ(c.tail_max, 1);
	EXPECT_EQ(capture_append(&c, S("a")), 0);
	expect_text(&c, S("a"));
	EXPECT_EQ(capture_append(&c, S("bc")), 0);
	expect_text(&c, S("\n[prun: 2 bytes dropped]\nc"));
	EXPECT(c.head == NULL);
	capture_free(&c);

}
END_TEST

/*
 * One append of in to a capture of max bytes gives want (both strings
 * without NULs).
 */
static const struct {
	size_t		 max;
	const char	*in, *want;
} appends[] = {
	/* An odd cap gives the extra byte to the tail. */
	{ 7, "0123456789", "012\n[prun: 3 bytes dropped]\n6789" },
	/* The head ends inside one euro sign, the tail starts inside
	 * another: both cut, and the count includes the bytes cut. */
	{ 6, "ab\xe2\x82\xac" "12345\xe2\x82\xac" "xy",
	    "ab\n[prun: 11 bytes dropped]\nxy" },
	/* Three continuation bytes then ASCII: those three are skipped. */
	{ 8, "abcdxxxx\x80\x80\x80z", "abcd\n[prun: 7 bytes dropped]\nz" },
	/* The smallest caps still keep what they can... */
	{ 2, "abc", "a\n[prun: 1 bytes dropped]\nc" },
	/* ... but a 4-byte character cannot fit in a 1-byte tail. */
	{ 2, "\xf0\x9f\x98\x80\xf0\x9f\x98\x80",
	    "\n[prun: 8 bytes dropped]\n" },
};

/* One row of appends (a loop test: _i is the row). */
START_TEST(test_one_append)
{
	struct capture	c;

	capture_init(&c, appends[_i].max);
	EXPECT_EQ(capture_append(&c, appends[_i].in, strlen(appends[_i].in)),
	    0);
	expect_text(&c, appends[_i].want, strlen(appends[_i].want));
	capture_free(&c);
}
END_TEST

/* The text may be taken while appends go on, and a freed capture reused. */
START_TEST(test_reuse)
{
	struct capture	c;

	capture_init(&c, 10);
	EXPECT_EQ(capture_append(&c, S("hello")), 0);
	expect_text(&c, S("hello"));
	EXPECT_EQ(capture_append(&c, S(" world, again")), 0);
	expect_text(&c, S("hello\n[prun: 8 bytes dropped]\nagain"));
	expect_text(&c, S("hello\n[prun: 8 bytes dropped]\nagain"));
	capture_free(&c);
	EXPECT(c.head == NULL && c.tail == NULL);
	capture_free(&c);

	capture_init(&c, 10);
	EXPECT_EQ(capture_append(&c, S("fresh")), 0);
	expect_text(&c, S("fresh"));
	capture_free(&c);
}
END_TEST

/* A big cap costs memory only as output arrives. */
START_TEST(test_lazy_allocation)
{
	struct capture	c;

	capture_init(&c, (size_t)1 << 30);
	EXPECT(c.head == NULL && c.tail == NULL);
	EXPECT_EQ(capture_append(&c, S("a line of output\n")), 0);
	EXPECT(c.head_size >= 17 && c.head_size <= 4096);
	EXPECT(c.tail == NULL);
	capture_free(&c);
}
END_TEST

/* 100 MB in 64 KiB chunks: memory stays at the cap, the ring is reused. */
START_TEST(test_bounded_memory)
{
	struct capture	 c;
	const size_t	 chunk = 64 << 10, total = (size_t)100 << 20;
	const size_t	 max = (size_t)1 << 20;
	char		*buf, *tail = NULL, *got, want[64];
	size_t		 off, i, len, m;

	buf = malloc(chunk);
	capture_init(&c, max);
	for (off = 0; off < total; off += chunk) {
		/* Each chunk differs, so a stale ring would show. */
		memset(buf, 'a' + (off / chunk) % 26, chunk);
		memcpy(buf, &off, sizeof off);
		buf[sizeof off] = '\n';
		EXPECT_EQ(capture_append(&c, buf, chunk), 0);
		EXPECT(c.head_size <= c.head_max);
		if (c.tail != NULL && tail == NULL)
			tail = c.tail;
		EXPECT(tail == NULL || c.tail == tail);
	}
	EXPECT_EQ(c.total, total);
	EXPECT_EQ(c.head_len, c.head_max);
	EXPECT_EQ(c.head_size, c.head_max);
	EXPECT_EQ(c.tail_len, c.tail_max);
	EXPECT(c.tail != NULL);
#ifdef __GLIBC__
	/* The allocator's rounding, not a second ring. */
	EXPECT(malloc_usable_size(c.tail) >= c.tail_max);
	EXPECT(malloc_usable_size(c.tail) < c.tail_max + 8192);
	EXPECT(malloc_usable_size(c.head) < c.head_max + 8192);
#endif

	got = capture_text(&c, &len);
	EXPECT(got != NULL);
	m = sprintf(want, "\n[prun: %zu bytes dropped]\n", total - max);
	EXPECT_EQ(len, max + m);
	EXPECT(memcmp(got + c.head_max, want, m) == 0);
	/* The head is the first chunks, the tail the last ones. */
	memcpy(&off, got, sizeof off);
	EXPECT_EQ(off, 0);
	memcpy(&off, got + chunk, sizeof off);
	EXPECT_EQ(off, chunk);
	for (i = 0; i < c.tail_max; i += chunk) {
		memcpy(&off, got + c.head_max + m + i, sizeof off);
		EXPECT_EQ(off, total - c.tail_max + i);
	}
	EXPECT_EQ(got[len - 1], 'a' + (total / chunk - 1) % 26);
	free(got);
	capture_free(&c);
	free(buf);
}
END_TEST

/* The suite of every capture test. */
Suite *
unit_suite(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("capture");
	tc = tcase_create("core");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_under_cap);
	tcase_add_test(tc, test_at_cap);
	tcase_add_test(tc, test_many_small_appends);
	tcase_add_test(tc, test_huge_append);
	tcase_add_test(tc, test_head_boundary);
	tcase_add_test(tc, test_tail_boundary);
	tcase_add_test(tc, test_dropped_count);
	tcase_add_test(tc, test_invalid_bytes);
	tcase_add_test(tc, test_no_cap);
	tcase_add_test(tc, test_tiny_caps);
	tcase_add_loop_test(tc, test_one_append, 0,
	    sizeof appends / sizeof appends[0]);
	tcase_add_test(tc, test_reuse);
	tcase_add_test(tc, test_lazy_allocation);
	tcase_add_test(tc, test_bounded_memory);
	suite_add_tcase(s, tc);
	return s;
}
