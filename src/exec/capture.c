/*
 * capture: one output stream of a running test, kept within a byte cap.
 *
 * The first head_max bytes go to a head buffer that grows geometrically,
 * since most tests print little and a cap is a limit, not a size.  Bytes
 * past the head go to a ring of the last tail_max bytes, allocated once,
 * only when the head overflows.  tail_pos is where the next byte goes in
 * the ring and tail_len how many of it hold data; the ring is never resized,
 * so a test that prints forever costs a fixed amount of memory.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exec/capture.h"
#include "core/text.h"

#define CAPTURE_HEAD_MIN	1024

/* Start an empty capture that keeps at most max bytes (0: everything). */
void
capture_init(struct capture *c, size_t max)
{
	memset(c, 0, sizeof *c);
	c->max = max;
	if (max == 0) {
		c->head_max = SIZE_MAX;
		c->tail_max = 0;
	} else {
		c->head_max = max / 2;
		c->tail_max = max - c->head_max;
	}
}

/* Make room for need bytes in the head, doubling so appends stay linear. */
static int
capture_grow_head(struct capture *c, size_t need)
{
	size_t	 size;
	char	*p;

	if (need <= c->head_size)
		return 0;
	size = c->head_size != 0 ? c->head_size : CAPTURE_HEAD_MIN;
	while (size < need && size <= SIZE_MAX / 2)
		size *= 2;
	if (size < need)
		size = need;
	if (size > c->head_max)
		size = c->head_max;	/* need never exceeds it */
	if ((p = realloc(c->head, size)) == NULL) {
		errno = ENOMEM;
		return -1;
	}
	c->head = p;
	c->head_size = size;
	return 0;
}

/* Put buf[0..len) into the tail ring, keeping only its last tail_max. */
static void
capture_ring(struct capture *c, const char *buf, size_t len)
{
	size_t	n;

	if (len > c->tail_max) {
		buf += len - c->tail_max;
		len = c->tail_max;
	}
	while (len > 0) {
		n = c->tail_max - c->tail_pos;
		if (n > len)
			n = len;
		memcpy(c->tail + c->tail_pos, buf, n);
		c->tail_pos = (c->tail_pos + n) % c->tail_max;
		if (c->tail_len < c->tail_max)
			c->tail_len = c->tail_len + n > c->tail_max ?
			    c->tail_max : c->tail_len + n;
		buf += n;
		len -= n;
	}
}

/* Append len bytes; returns 0, or -1 with errno ENOMEM. */
int
capture_append(struct capture *c, const char *buf, size_t len)
{
	size_t	nhead;

	if (len == 0)
		return 0;
	nhead = c->head_max - c->head_len;
	if (nhead > len)
		nhead = len;

	/* Allocate everything first so a failure changes nothing. */
	if (nhead > 0 && capture_grow_head(c, c->head_len + nhead) == -1)
		return -1;
	if (len > nhead && c->tail == NULL) {
		if ((c->tail = malloc(c->tail_max)) == NULL) {
			errno = ENOMEM;
			return -1;
		}
	}

	if (nhead > 0) {
		memcpy(c->head + c->head_len, buf, nhead);
		c->head_len += nhead;
	}
	if (len > nhead)
		capture_ring(c, buf + nhead, len - nhead);
	c->total = SIZE_MAX - c->total < len ? SIZE_MAX : c->total + len;
	return 0;
}

/*
 * How much of the head to keep when bytes follow it that are not kept: the
 * bytes after the head are lost, so a sequence that starts in the head but
 * is not complete there would be split.  Only a lead byte starts one, and
 * bytes that never start one (C0, C1, F5-FF) are kept like other garbage.
 */
static size_t
capture_head_cut(const struct capture *c)
{
	size_t		p;
	unsigned char	lead;

	if (c->head_len == 0)
		return 0;
	p = text_utf8_cut_back(c->head, c->head_len, c->head_len - 1);
	lead = (unsigned char)c->head[p];
	if (lead >= 0xc2 && lead <= 0xf4 &&
	    !text_utf8_valid(c->head + p, c->head_len - p))
		return p;
	return c->head_len;
}

/* How many bytes at the start of the tail ring to skip to a boundary. */
static size_t
capture_tail_cut(const struct capture *c)
{
	char	first[4];
	size_t	i, n, start;

	/* A cut moves at most 3 bytes, so the first 4 decide it. */
	n = c->tail_len < sizeof first ? c->tail_len : sizeof first;
	start = (c->tail_pos + c->tail_max - c->tail_len) % c->tail_max;
	for (i = 0; i < n; i++)
		first[i] = c->tail[(start + i) % c->tail_max];
	return text_utf8_cut_forward(first, n, 0);
}

/* Copy n ring bytes starting skip bytes after the oldest one into out. */
static void
capture_ring_copy(const struct capture *c, size_t skip, char *out)
{
	size_t	start, n, len;

	len = c->tail_len - skip;
	if (len == 0)
		return;
	start = (c->tail_pos + c->tail_max - c->tail_len + skip) % c->tail_max;
	n = c->tail_max - start;
	if (n > len)
		n = len;
	memcpy(out, c->tail + start, n);
	memcpy(out + n, c->tail, len - n);
}

/* The captured text, with a drop marker if bytes fell out of the cap. */
char *
capture_text(const struct capture *c, size_t *len)
{
	char	 marker[64], *out;
	size_t	 hlen, skip, tlen, mlen = 0, n;
	int	 m;

	if (c->total == c->head_len + c->tail_len) {
		hlen = c->head_len;
		skip = 0;
	} else {
		hlen = capture_head_cut(c);
		skip = c->tail_len > 0 ? capture_tail_cut(c) : 0;
		m = snprintf(marker, sizeof marker,
		    "\n[prun: %zu bytes dropped]\n",
		    c->total - hlen - (c->tail_len - skip));
		if (m < 0 || (size_t)m >= sizeof marker)
			return NULL;	/* cannot happen for a size_t */
		mlen = m;
	}
	tlen = c->tail_len - skip;

	n = hlen + mlen + tlen;
	if ((out = malloc(n + 1)) == NULL)
		return NULL;
	if (hlen > 0)
		memcpy(out, c->head, hlen);
	memcpy(out + hlen, marker, mlen);
	capture_ring_copy(c, skip, out + hlen + mlen);
	out[n] = '\0';
	if (len != NULL)
		*len = n;
	return out;
}

/* Release the buffers; the capture may be initialised again. */
void
capture_free(struct capture *c)
{
	free(c->head);
	free(c->tail);
	c->head = c->tail = NULL;
	c->head_len = c->head_size = 0;
	c->tail_pos = c->tail_len = 0;
	c->total = 0;
}
