/*
 * startlog: the start log, DIR/starts.log.  A start is a line appended and
 * made durable by one fdatasync, "INDEX ATTEMPT TIME START CHECK", and a
 * start prun cut short gets a second line, its mark, "INDEX ATTEMPT TIME
 * START cut CHECK", written into space reserved ahead; the rules it keeps
 * are store.c's rules 3 and 11 (the list lives there, once).  This file
 * writes lines under one lock, keeps the reserve, reads the log back
 * keeping each test's latest start, and cuts off a torn tail before
 * appending.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <linux/falloc.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/fsutil.h"
#include "store/startrec.h"

/*
 * The start log.  Its writers: threads append and flush a line at a time,
 * under one lock, so that no flush ever runs beside a write.  After a
 * failed write or flush nothing more is written or flushed (a flush that
 * follows a failed one may succeed without the lost data), and every later
 * start fails.  Appends beside a flush would let one flush cover several
 * lines, but each start waits on its own line anyway, and that could not
 * keep the rule; the flush is hidden behind the previous test's result
 * instead (run.c).
 */
struct startrec {
	int		 dirfd;		/* DIR, borrowed from the store */
	const char	*path;		/* DIR, borrowed */
	int		 fd;		/* open to append, or -1 */
	pthread_mutex_t	 lock;		/* its writers' lock */
	int		 broken;	/* errno of a failure, or 0 */
	struct store_start *starts;	/* what startrec_load read */
	size_t		 nstarts;
	int		 loaded;
	size_t		 end;		/* end of the last whole record */
	off_t		 size;		/* the log's size, once open */
	off_t		 reserved;	/* blocks reserved up to here */
	size_t		 room;		/* kept free for marks: rule 11 */
	int		 noreserve;	/* the file system cannot reserve */
};

static int reserve(struct startrec *, size_t);

/* An empty start log of DIR. */
struct startrec *
startrec_new(int dirfd, const char *path)
{
	struct startrec *sl;

	if ((sl = calloc(1, sizeof *sl)) == NULL)
		return NULL;
	sl->dirfd = dirfd;
	sl->path = path;
	sl->fd = -1;
	pthread_mutex_init(&sl->lock, NULL);
	return sl;
}

/* Close the log and free what was read of it. */
void
startrec_free(struct startrec *sl)
{
	if (sl == NULL)
		return;
	if (sl->fd != -1)
		close(sl->fd);
	pthread_mutex_destroy(&sl->lock);
	free(sl->starts);
	free(sl);
}

/* The check of a start log line: FNV-1a over its first len bytes. */
static uint32_t
start_check(const char *line, size_t len)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= (unsigned char)line[i];
		h *= 16777619u;
	}
	return h;
}

/*
 * Open the start log to append (store.c rule 11): create it the first
 * time, with its name made durable; else cut off what follows its last
 * whole record (known when it was read), or at least end a torn last
 * line.  O_NOFOLLOW and O_NONBLOCK: a symlink or a FIFO planted there is
 * refused, not used.
 */
int
startrec_open(struct startrec *sl, int sync, size_t inflight,
    struct prun_error *err)
{
	struct stat sb;
	char last;
	int fd, created = 0;

	if (sl->fd != -1)
		return 0;
	fd = openat(sl->dirfd, STORE_STARTS, O_WRONLY | O_APPEND | O_CREAT |
	    O_EXCL | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0666);
	if (fd != -1)
		created = 1;
	else if (errno == EEXIST)
		fd = openat(sl->dirfd, STORE_STARTS, O_RDWR | O_APPEND |
		    O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd == -1 && errno == ELOOP)
		return prun_error_set(err, PRUN_EXIT_IO, "%s/%s: a symbolic "
		    "link, not followed: remove it to go on", sl->path,
		    STORE_STARTS);
	if (fd == -1)
		return prun_error_errno(err, PRUN_EXIT_IO, errno,
		    "%s/%s: cannot open", sl->path, STORE_STARTS);
	if (fstat(fd, &sb) == -1 || !S_ISREG(sb.st_mode)) {
		close(fd);
		return prun_error_set(err, PRUN_EXIT_IO, "%s/%s: not a regular "
		    "file", sl->path, STORE_STARTS);
	}
	if (sl->loaded && (size_t)sb.st_size > sl->end) {
		if (ftruncate(fd, (off_t)sl->end) == -1 ||
		    (sync && fdatasync(fd) == -1)) {
			prun_error_errno(err, PRUN_EXIT_IO, errno, "%s/%s: "
			    "cannot cut off a torn record", sl->path,
			    STORE_STARTS);
			close(fd);
			return -1;
		}
	} else if (sb.st_size > 0 && (pread(fd, &last, 1, sb.st_size - 1) !=
	    1 || (last != '\n' && write(fd, "\n", 1) != 1))) {
		prun_error_errno(err, PRUN_EXIT_IO, errno, "%s/%s: cannot "
		    "end its last line", sl->path, STORE_STARTS);
		close(fd);
		return -1;
	}
	if (created && sync &&
	    fsutil_sync_dir(sl->dirfd, sl->path, err) == -1) {
		close(fd);
		return -1;
	}
	sl->fd = fd;
	if (fstat(fd, &sb) == -1) {
		sl->fd = -1;
		close(fd);
		return prun_error_errno(err, PRUN_EXIT_IO, errno, "%s/%s",
		    sl->path, STORE_STARTS);
	}
	sl->size = sl->reserved = sb.st_size;
	sl->room = (inflight > 0 ? inflight : 1) * STARTREC_LINE_MAX;
	/* Best effort now: a full disk refuses the first start instead. */
	reserve(sl, 0);
	return 0;
}

/*
 * Keep need bytes and then the room of every mark reserved past the end
 * of the log (store.c rule 11): blocks allocated beyond its size, which a
 * full disk cannot take back.  Returns 0, or the errno of a file system
 * that is full (one that cannot reserve at all is written as before).
 */
static int
reserve(struct startrec *sl, size_t need)
{
	off_t want = (off_t)(need + sl->room);
	struct stat sb;
	int e;

	if (sl->noreserve || sl->reserved - sl->size >= want)
		return 0;
	if (fallocate(sl->fd, FALLOC_FL_KEEP_SIZE, sl->size,
	    want + STARTREC_RESERVE) == 0) {
		sl->reserved = sl->size + want + STARTREC_RESERVE;
		return 0;
	}
	if ((e = errno) == EOPNOTSUPP || e == ENOSYS) {
		sl->noreserve = 1;
		return 0;
	}
	/* Full: what an earlier prun reserved may be left (the log has no
	 * holes, so its blocks past its size are that reserve). */
	if (fstat(sl->fd, &sb) == 0 && (off_t)sb.st_blocks * 512 > sl->reserved)
		sl->reserved = (off_t)sb.st_blocks * 512;
	return sl->reserved - sl->size >= want ? 0 : e;
}

/* Append a line to the start log and make it durable (store.c rule 11):
 * see struct startrec.  A start (mark 0) is written only when the room
 * of the marks stays reserved after it; a mark uses that room.  Returns
 * 0 or an errno. */
static int
log_append(struct startrec *sl, const char *line, size_t len, int mark,
    int sync)
{
	int e = 0;

	pthread_mutex_lock(&sl->lock);
	if (sl->broken) {
		e = sl->broken;
	} else if (!mark && (e = reserve(sl, len)) != 0) {
		/* Nothing written: the log stays whole. */
	} else if ((errno = 0, write(sl->fd, line, len)) != (ssize_t)len) {
		/* A short write left a torn line: the next process to
		 * append cuts it off first (store.c rule 11). */
		e = sl->broken = errno ? errno : EIO;
	} else {
		sl->size += (off_t)len;
		if (sync && fdatasync(sl->fd) == -1)
			e = sl->broken = errno;
	}
	pthread_mutex_unlock(&sl->lock);
	return e;
}

/* Format a start (or with mark, its mark) and append it. */
static int
put_line(struct startrec *sl, size_t index, int attempt, int start,
    double time, int mark, int sync)
{
	char line[STARTREC_LINE_MAX];
	int n, m;

	n = snprintf(line, sizeof line, "%zu %d %.6f %d%s", index, attempt,
	    time, start, mark ? " cut" : "");
	m = snprintf(line + n, sizeof line - n, " %08x\n",
	    (unsigned)start_check(line, (size_t)n));
	return log_append(sl, line, (size_t)(n + m), mark, sync);
}

/* Append the start of a test, durably (store.c rules 3 and 11). */
int
startrec_append(struct startrec *sl, size_t index, int attempt, int start,
    double time, const char *name, int sync, struct prun_error *err)
{
	int e;

	if (sl->fd == -1 && startrec_open(sl, sync, 1, err) == -1)
		return prun_error_wrap(err, "test %s", name);
	if ((e = put_line(sl, index, attempt, start, time, 0, sync)) != 0)
		return prun_error_errno(err, PRUN_EXIT_IO, e, "test %s: "
		    "%s/%s: cannot record its start", name, sl->path,
		    STORE_STARTS);
	return 0;
}

/* Mark a start as cut short by prun, durably (store.c rules 3 and 11). */
int
startrec_mark(struct startrec *sl, size_t index, int attempt, int start,
    double time, const char *name, int sync, struct prun_error *err)
{
	int e;

	if (sl->fd == -1 && startrec_open(sl, sync, 1, err) == -1)
		return prun_error_wrap(err, "test %s", name);
	if ((e = put_line(sl, index, attempt, start, time, 1, sync)) != 0)
		return prun_error_errno(err, PRUN_EXIT_IO, e, "test %s: "
		    "%s/%s: cannot mark its start cut short", name, sl->path,
		    STORE_STARTS);
	return 0;
}

/* Parse one start log line of len bytes (no newline) into *sp. */
static int
parse_start(const char *line, size_t len, size_t ntests,
    struct store_start *sp)
{
	char buf[128], *end;
	unsigned long long index;
	unsigned long check;
	long attempt;
	size_t body;

	if (len < 12 || len >= sizeof buf)
		return -1;
	memcpy(buf, line, len);
	buf[len] = '\0';
	body = len - 9;
	if (buf[body] != ' ' || buf[0] < '0' || buf[0] > '9')
		return -1;
	errno = 0;
	check = strtoul(buf + body + 1, &end, 16);
	if (*end != '\0' || errno != 0 || check != start_check(buf, body))
		return -1;
	buf[body] = '\0';
	index = strtoull(buf, &end, 10);
	if (*end != ' ' || errno != 0 || index >= ntests)
		return -1;
	attempt = strtol(end + 1, &end, 10);
	if (*end != ' ' || errno != 0 || attempt < 1 || attempt > INT_MAX)
		return -1;
	sp->time = strtod(end + 1, &end);
	if (!isfinite(sp->time))
		return -1;
	sp->index = (size_t)index;
	sp->attempt = (int)attempt;
	/* A line of a prun before start numbers: each start an attempt. */
	sp->start = (int)attempt;
	sp->cut = 0;
	if (*end == '\0')
		return 0;
	if (*end != ' ' || end[1] < '1' || end[1] > '9')
		return -1;
	attempt = strtol(end + 1, &end, 10);
	if (errno != 0 || attempt < sp->attempt || attempt > INT_MAX)
		return -1;
	sp->start = (int)attempt;
	if (strcmp(end, " cut") == 0)
		sp->cut = 1;
	else if (*end != '\0')
		return -1;
	return 0;
}

/* Order starts by index, the latest start first, its mark before it. */
static int
start_cmp(const void *a, const void *b)
{
	const struct store_start *x = a, *y = b;

	if (x->index != y->index)
		return x->index < y->index ? -1 : 1;
	if (x->start != y->start)
		return x->start < y->start ? 1 : -1;
	if (x->cut != y->cut)
		return x->cut ? -1 : 1;
	return (x->attempt < y->attempt) - (x->attempt > y->attempt);
}

struct starts_reader {
	struct store_start	*v;
	size_t			 n, cap;
	size_t			 lineno, offset, end;
	size_t			 bad, first_bad;	/* before a whole one */
	size_t			 tail, first_tail;	/* after every whole one */
};

/* A line of the start log that is not a whole record. */
static void
starts_bad(struct starts_reader *sr)
{
	if (sr->tail++ == 0)
		sr->first_tail = sr->lineno;
}

/* Take one line of the start log, of len bytes and ended by a newline
 * unless it is the last. */
static int
starts_line(struct starts_reader *sr, const char *line, size_t len,
    int ended, size_t ntests)
{
	struct store_start *grown;

	sr->lineno++;
	sr->offset += len + (ended ? 1 : 0);
	if (sr->n == sr->cap) {
		sr->cap = sr->cap ? 2 * sr->cap : 256;
		if ((grown = realloc(sr->v, sr->cap * sizeof *grown)) == NULL)
			return -1;
		sr->v = grown;
	}
	if (!ended || parse_start(line, len, ntests, &sr->v[sr->n]) == -1) {
		starts_bad(sr);
		return 0;
	}
	sr->n++;
	sr->end = sr->offset;
	/* Damage before a whole record is not a torn tail: it counts. */
	if (sr->tail > 0 && sr->bad == 0)
		sr->first_bad = sr->first_tail;
	sr->bad += sr->tail;
	sr->tail = 0;
	return 0;
}

/* Read the start log (store.c rule 11), a line at a time; see
 * store_load_starts in store.h. */
int
startrec_load(struct startrec *sl, size_t ntests,
    void (*warn)(void *, const char *), void *ctx, struct prun_error *err)
{
	struct starts_reader sr;
	struct prun_error rerr;
	char buf[65536], msg[PATH_MAX + 160], *p, *nl;
	size_t have = 0, i, k;
	ssize_t got;
	int fd, skipping = 0;

	free(sl->starts);
	sl->starts = NULL;
	sl->nstarts = 0;
	sl->loaded = 0;
	memset(&sr, 0, sizeof sr);
	fd = fsutil_open_file(sl->dirfd, sl->path, STORE_STARTS,
	    STORE_STARTS_CAP, &rerr);
	if (fd == -2) {
		sl->loaded = 1;
		sl->end = 0;
		return 0;
	}
	if (fd == -1) {
		/* Taken as empty: its tests run again, uncounted. */
		if (warn != NULL)
			warn(ctx, rerr.msg);
		return 0;
	}
	for (;;) {
		got = read(fd, buf + have, sizeof buf - have);
		if (got == -1 && errno == EINTR)
			continue;
		if (got == -1) {
			snprintf(msg, sizeof msg, "%s/%s: cannot read: %s; "
			    "read as far as line %zu", sl->path, STORE_STARTS,
			    strerror(errno), sr.lineno);
			if (warn != NULL)
				warn(ctx, msg);
			got = 0;
		}
		have += (size_t)got;
		p = buf;
		while ((nl = memchr(p, '\n', have - (size_t)(p - buf))) !=
		    NULL) {
			if (skipping) {
				/* The rest of a long line. */
				sr.offset += (size_t)(nl - p) + 1;
				sr.lineno++;
			} else if (starts_line(&sr, p, (size_t)(nl - p), 1,
			    ntests) == -1)
				goto nomem;
			skipping = 0;
			p = nl + 1;
		}
		have -= (size_t)(p - buf);
		memmove(buf, p, have);
		if (got == 0)
			break;
		if (have == sizeof buf) {
			/* No record is this long: a bad line, skipped. */
			if (!skipping) {
				sr.lineno++;
				starts_bad(&sr);
				sr.lineno--;	/* counted at its newline */
			}
			sr.offset += have;
			skipping = 1;
			have = 0;
		}
	}
	if (have > 0 && !skipping &&
	    starts_line(&sr, buf, have, 0, ntests) == -1)
		goto nomem;
	close(fd);
	if (sr.bad > 0 && warn != NULL) {
		snprintf(msg, sizeof msg, "%s/%s:%zu: not a start record; "
		    "ignored (%zu damaged line%s in all; a crash can cut the "
		    "last one short)", sl->path, STORE_STARTS, sr.first_bad,
		    sr.bad, sr.bad > 1 ? "s" : "");
		warn(ctx, msg);
	}
	sl->loaded = 1;
	sl->end = sr.end;
	/* Keep each test's latest start (or its mark) only. */
	if (sr.n > 0)
		qsort(sr.v, sr.n, sizeof *sr.v, start_cmp);
	for (i = k = 0; i < sr.n; i++)
		if (k == 0 || sr.v[k - 1].index != sr.v[i].index)
			sr.v[k++] = sr.v[i];
	sl->starts = sr.v;
	sl->nstarts = k;
	return 0;
nomem:
	close(fd);
	free(sr.v);
	return prun_error_errno(err, PRUN_EXIT_IO, ENOMEM, "%s/%s", sl->path,
	    STORE_STARTS);
}

/* The latest start of test index, by binary search. */
const struct store_start *
startrec_find(const struct startrec *sl, size_t index)
{
	size_t lo = 0, hi = sl->nstarts, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (sl->starts[mid].index == index)
			return &sl->starts[mid];
		if (sl->starts[mid].index < index)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}
