/*
 * kmsg: the kernel log, read without blocking (see kmsg.h).
 *
 * A character device is /dev/kmsg: a read returns one whole record, EPIPE
 * says records were overwritten before we read them (we go on with the
 * next), EAGAIN that there is none.  Anything else is read as a byte
 * stream whose last, unfinished line waits in a buffer for its end.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "exec/kmsg.h"

/* The longest line kept whole; a longer one is cut there. */
#define KMSG_LINE_MAX	8192

struct kmsg {
	char	*path;
	int	 fd;
	int	 records;		/* /dev/kmsg: one record per read */
	char	 buf[KMSG_LINE_MAX];	/* an unfinished line */
	size_t	 len;
};

/* Open the kernel log; see kmsg.h. */
int
kmsg_open(struct kmsg **out, const char *path, struct prun_error *err)
{
	struct kmsg *k;
	struct stat st;
	int e;

	*out = NULL;
	if (path == NULL && (path = getenv(KMSG_ENV)) == NULL)
		path = KMSG_PATH;
	if ((k = calloc(1, sizeof *k)) == NULL ||
	    (k->path = strdup(path)) == NULL) {
		free(k);
		return prun_error_errno(err, PRUN_EXIT_IO, errno,
		    "kernel log");
	}
	/* A FIFO opens at once this way, with or without a writer. */
	if ((k->fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)) == -1) {
		e = errno;
		kmsg_close(k);
		return prun_error_errno(err, PRUN_EXIT_USAGE, e,
		    "cannot read the kernel log %s%s", path, e == EPERM ||
		    e == EACCES ? " (kernel.dmesg_restrict, or not root?)" :
		    "");
	}
	if (fstat(k->fd, &st) == -1) {
		e = errno;
		kmsg_close(k);
		return prun_error_errno(err, PRUN_EXIT_USAGE, e,
		    "cannot read the kernel log %s", path);
	}
	k->records = S_ISCHR(st.st_mode);
	/* Only what is written from now on: a FIFO has no past. */
	if (!S_ISFIFO(st.st_mode) && lseek(k->fd, 0, SEEK_END) == -1) {
		e = errno;
		kmsg_close(k);
		return prun_error_errno(err, PRUN_EXIT_USAGE, e,
		    "cannot read the kernel log %s", path);
	}
	*out = k;
	return 0;
}

/* Hand one line to fn, without /dev/kmsg's "PRI,SEQ,TIME,FLAGS;". */
static void
emit(const char *line, size_t len, void (*fn)(void *, const char *,
    size_t), void *ctx)
{
	size_t i = strspn(line, "0123456789,-+cs");

	/* A dictionary line continues the record before it. */
	if (len > 0 && line[0] == ' ')
		return;
	if (i < len && line[i] == ';' && i > 0 && memchr(line, ',', i)) {
		line += i + 1;
		len -= i + 1;
	}
	fn(ctx, line, len);
}

/* Read the lines written since the last call; see kmsg.h. */
int
kmsg_read(struct kmsg *k, void (*fn)(void *, const char *, size_t),
    void *ctx, struct prun_error *err)
{
	char rec[KMSG_LINE_MAX + 1];
	size_t start, i;
	ssize_t n;

	for (;;) {
		if (k->records) {
			if ((n = read(k->fd, rec, KMSG_LINE_MAX)) > 0) {
				rec[n] = '\0';
				for (start = 0; start < (size_t)n; start = i + 1) {
					i = start + strcspn(rec + start, "\n");
					emit(rec + start, i - start, fn, ctx);
				}
				continue;
			}
		} else if ((n = read(k->fd, k->buf + k->len,
		    sizeof k->buf - k->len)) > 0) {
			k->len += (size_t)n;
			for (start = 0, i = 0; i < k->len; i++)
				if (k->buf[i] == '\n') {
					k->buf[i] = '\0';
					emit(k->buf + start, i - start, fn, ctx);
					start = i + 1;
				}
			/* A line too long for the buffer is cut there. */
			if (start == 0 && k->len == sizeof k->buf) {
				k->buf[k->len - 1] = '\0';
				emit(k->buf, k->len - 1, fn, ctx);
				start = k->len;
			}
			memmove(k->buf, k->buf + start, k->len - start);
			k->len -= start;
			continue;
		}
		if (n == 0 || errno == EAGAIN)
			return 0;
		if (errno == EINTR || errno == EPIPE)
			continue;
		return prun_error_errno(err, PRUN_EXIT_IO, errno,
		    "cannot read the kernel log %s", k->path);
	}
}

const char *
kmsg_path(const struct kmsg *k)
{
	return k->path;
}

void
kmsg_close(struct kmsg *k)
{
	if (k == NULL)
		return;
	if (k->path != NULL && k->fd > 0)
		close(k->fd);
	free(k->path);
	free(k);
}
