/*
 * capture: one output stream of a running test, kept within a byte cap.
 *
 * A test may print gigabytes.  The capture keeps the first half of the cap
 * (the head) and a ring of the last half (the tail), counts what falls in
 * between, and on finish joins head and tail with a line saying how many
 * bytes were dropped, never cutting inside a UTF-8 sequence.
 */
#ifndef PRUN_CAPTURE_H
#define PRUN_CAPTURE_H

#include <stddef.h>

struct capture {
	size_t	 max;		/* cap in bytes; 0 means no cap */
	size_t	 total;		/* bytes appended so far */
	char	*head;		/* first bytes, up to head_max */
	size_t	 head_len, head_size, head_max;
	char	*tail;		/* ring of the last tail_max bytes */
	size_t	 tail_pos, tail_len, tail_max;
};

/* Start an empty capture that keeps at most max bytes (0: everything). */
void	 capture_init(struct capture *, size_t max);

/* Append len bytes; returns 0, or -1 with errno ENOMEM. */
int	 capture_append(struct capture *, const char *buf, size_t len);

/*
 * The captured text: every byte if total <= max, else the head cut back
 * to a UTF-8 boundary, the line "\n[prun: N bytes dropped]\n", and the tail
 * cut forward to a UTF-8 boundary.  Returns a malloc'd NUL-terminated
 * buffer (it may hold NUL bytes) with its length in *len, or NULL when out
 * of memory.  The capture stays valid and must still be freed.
 */
char	*capture_text(const struct capture *, size_t *len);

/* Release the buffers; the capture may be initialised again. */
void	 capture_free(struct capture *);

#endif
