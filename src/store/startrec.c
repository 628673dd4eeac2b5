/*
 * startrec: the start records (store.c rules 3 and 11; the list lives
 * there, once).  A start is an entry in tests/, a hard link of one empty
 * file (no inode, no data, no flush of its own: the fsync of tests/ that
 * the previous result issues anyway makes it durable, groupsync.h); a
 * start prun cut short has its entry renamed to .cut; a later start or a
 * durable finished result makes a test's entries go.  This file writes
 * and removes entries under one lock, keeps the list of those that exist
 * (this run's and those a resume found), reads them back with the start
 * log DIR/starts.log that an earlier prun appended to, and keeps each
 * test's latest start.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/fsutil.h"
#include "core/util.h"
#include "store/startrec.h"

/* Bytes an entry's name takes at most. */
#define ENTRY_NAME_MAX	96

/* A start record that is an entry of tests/. */
struct entry {
	size_t		index;
	int		attempt;
	int		start;
	int		cut;
	long long	us;		/* real time it started, microseconds */
};

/*
 * The start records.  live: the entries known to exist in tests/ (this
 * run's, and those load found), under lock; few at any time (a test has
 * one at most once its latest start is durable).  starts: what load read,
 * each test's latest start, by index.
 */
struct startrec {
	int		 dirfd;		/* DIR, borrowed from the store */
	const char	*path;
	int		 testsfd;	/* DIR/tests, borrowed */
	const char	*tests_path;
	struct groupsync *gs;		/* the shared fsync of tests/ */
	pthread_mutex_t	 lock;
	int		 anchored;	/* the anchor is there */
	struct entry	*live;
	size_t		 nlive, caplive;
	int		 gathered;	/* tests/ was scanned for entries */
	struct store_start *starts;
	size_t		 nstarts;
	int		 loaded;
};

/* The start records of DIR. */
struct startrec *
startrec_new(int dirfd, const char *path, int testsfd, const char *tests_path,
    struct groupsync *gs)
{
	struct startrec *sr;

	if ((sr = calloc(1, sizeof *sr)) == NULL)
		return NULL;
	sr->dirfd = dirfd;
	sr->path = path;
	sr->testsfd = testsfd;
	sr->tests_path = tests_path;
	sr->gs = gs;
	pthread_mutex_init(&sr->lock, NULL);
	return sr;
}

/* Free what was read and kept. */
void
startrec_free(struct startrec *sr)
{
	if (sr == NULL)
		return;
	pthread_mutex_destroy(&sr->lock);
	free(sr->live);
	free(sr->starts);
	free(sr);
}

/* The name of an entry. */
static void
entry_name(const struct entry *e, char *buf, size_t size)
{
	snprintf(buf, size, ".%06zu.%d.%d.%lld.%s", e->index, e->start,
	    e->attempt, e->us, e->cut ? "cut" : "start");
}

/* Parse the name of an entry of a plan of ntests tests: 0 and *e filled,
 * or -1.  Only the form entry_name writes is one (so its name can be
 * made again from *e). */
static int
entry_parse(const char *name, size_t ntests, struct entry *e)
{
	char want[ENTRY_NAME_MAX], *end;
	unsigned long long index;
	long v;

	if (name[0] != '.' || name[1] < '0' || name[1] > '9' ||
	    strlen(name) >= sizeof want)
		return -1;
	errno = 0;
	index = strtoull(name + 1, &end, 10);
	if (*end != '.' || errno != 0 || index >= ntests)
		return -1;
	e->index = (size_t)index;
	v = strtol(end + 1, &end, 10);
	if (*end != '.' || errno != 0 || v < 1 || v > INT_MAX)
		return -1;
	e->start = (int)v;
	v = strtol(end + 1, &end, 10);
	if (*end != '.' || errno != 0 || v < 1 || v > e->start)
		return -1;
	e->attempt = (int)v;
	e->us = strtoll(end + 1, &end, 10);
	if (*end != '.' || errno != 0 || e->us < 0)
		return -1;
	if (strcmp(end + 1, "start") == 0)
		e->cut = 0;
	else if (strcmp(end + 1, "cut") == 0)
		e->cut = 1;
	else
		return -1;
	entry_name(e, want, sizeof want);
	return strcmp(want, name) == 0 ? 0 : -1;
}

/* Keep e in the live list (under the lock, or before threads). */
static int
live_add(struct startrec *sr, const struct entry *e)
{
	struct entry *grown;

	if ((grown = util_grow(sr->live, &sr->caplive, sr->nlive,
	    sizeof *grown, 16)) == NULL)
		return -1;
	sr->live = grown;
	sr->live[sr->nlive++] = *e;
	return 0;
}

/*
 * The anchor, an empty regular file in tests/, made once.  Anything else
 * at its name (a test may plant a symlink or a FIFO there) is removed
 * first.  Its name need not be durable: an entry is a name of its inode.
 */
static int
anchor(struct startrec *sr, struct prun_error *err)
{
	struct stat sb;
	int fd;

	if (sr->anchored)
		return 0;
	if (fstatat(sr->testsfd, STORE_START_ANCHOR, &sb,
	    AT_SYMLINK_NOFOLLOW) == 0 && !S_ISREG(sb.st_mode) &&
	    unlinkat(sr->testsfd, STORE_START_ANCHOR, S_ISDIR(sb.st_mode) ?
	    AT_REMOVEDIR : 0) == -1)
		return prun_error_errno(err, PRUN_EXIT_IO, errno, "%s/%s: "
		    "cannot remove what is there", sr->tests_path,
		    STORE_START_ANCHOR);
	fd = openat(sr->testsfd, STORE_START_ANCHOR, O_WRONLY | O_CREAT |
	    O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0444);
	if (fd == -1)
		return prun_error_errno(err, PRUN_EXIT_IO, errno,
		    "%s/%s: cannot create", sr->tests_path,
		    STORE_START_ANCHOR);
	close(fd);
	sr->anchored = 1;
	return 0;
}

/* Make the entry name: a link of the anchor, or where the file system
 * will not (too many links, no hard links), an empty file of its own. */
static int
make_entry(struct startrec *sr, const char *name)
{
	int fd;

	if (linkat(sr->testsfd, STORE_START_ANCHOR, sr->testsfd, name,
	    0) == 0 || errno == EEXIST)
		return 0;
	if (errno != EMLINK && errno != EPERM && errno != EOPNOTSUPP &&
	    errno != ENOSYS)
		return -1;
	fd = openat(sr->testsfd, name, O_WRONLY | O_CREAT | O_EXCL |
	    O_NOFOLLOW | O_CLOEXEC, 0444);
	if (fd == -1)
		return errno == EEXIST ? 0 : -1;
	close(fd);
	return 0;
}

/* Record a start as an entry of tests/ (store.c rule 3). */
int
startrec_add(struct startrec *sr, size_t index, int attempt, int start,
    double time, const char *name, uint64_t *ticket, struct prun_error *err)
{
	struct entry e = { index, attempt, start, 0, 0 };
	char ename[ENTRY_NAME_MAX];
	int rc = 0;

	e.us = time > 0 && time < 9e12 ? (long long)(time * 1e6) : 0;
	entry_name(&e, ename, sizeof ename);
	pthread_mutex_lock(&sr->lock);
	if (anchor(sr, err) == -1) {
		prun_error_wrap(err, "test %s", name);
		rc = -1;
	} else if (make_entry(sr, ename) == -1) {
		prun_error_errno(err, PRUN_EXIT_IO, errno, "test %s: %s/%s: "
		    "cannot record its start", name, sr->tests_path, ename);
		rc = -1;
	} else {
		/* One the list cannot keep (out of memory) stays on disk,
		 * which is safe: a later start or a result outranks it. */
		(void)live_add(sr, &e);
		*ticket = groupsync_changed(sr->gs);
	}
	pthread_mutex_unlock(&sr->lock);
	return rc;
}

/* Remove the live entries of test index below start number below (all of
 * them when below is INT_MAX): under the lock.  A name that cannot be
 * removed stays, which is safe (a later start or a result outranks it). */
static void
live_remove(struct startrec *sr, size_t index, int below)
{
	char ename[ENTRY_NAME_MAX];
	size_t i = 0;

	while (i < sr->nlive) {
		if (sr->live[i].index != index || sr->live[i].start >= below) {
			i++;
			continue;
		}
		entry_name(&sr->live[i], ename, sizeof ename);
		unlinkat(sr->testsfd, ename, 0);
		sr->live[i] = sr->live[--sr->nlive];
	}
}

/* A later start of test index is durable. */
void
startrec_superseded(struct startrec *sr, size_t index, int start)
{
	pthread_mutex_lock(&sr->lock);
	live_remove(sr, index, start);
	pthread_mutex_unlock(&sr->lock);
}

/* Test index has a durable finished result. */
void
startrec_done(struct startrec *sr, size_t index)
{
	pthread_mutex_lock(&sr->lock);
	live_remove(sr, index, INT_MAX);
	pthread_mutex_unlock(&sr->lock);
}

/* Mark a start as cut short (store.c rule 3). */
int
startrec_cut(struct startrec *sr, size_t index, int start, const char *name,
    int sync, struct prun_error *err)
{
	char from[ENTRY_NAME_MAX], to[ENTRY_NAME_MAX];
	struct entry *e = NULL;
	uint64_t ticket;
	size_t i;
	int rc = 0;

	pthread_mutex_lock(&sr->lock);
	for (i = 0; i < sr->nlive; i++)
		if (sr->live[i].index == index && sr->live[i].start == start &&
		    !sr->live[i].cut)
			e = &sr->live[i];
	if (e == NULL) {
		/* Never recorded (or marked already): nothing counts. */
		pthread_mutex_unlock(&sr->lock);
		return 0;
	}
	entry_name(e, from, sizeof from);
	e->cut = 1;
	entry_name(e, to, sizeof to);
	if (renameat(sr->testsfd, from, sr->testsfd, to) == -1) {
		/* No room for the new name: without its record the start
		 * does not count either (its number may be given again). */
		if (unlinkat(sr->testsfd, from, 0) == -1) {
			e->cut = 0;
			rc = prun_error_errno(err, PRUN_EXIT_IO, errno, "test "
			    "%s: %s/%s: cannot mark its start cut short", name,
			    sr->tests_path, from);
		} else {
			*e = sr->live[--sr->nlive];
		}
	}
	ticket = groupsync_changed(sr->gs);
	pthread_mutex_unlock(&sr->lock);
	if (rc == 0 && sync && groupsync_wait(sr->gs, ticket, to, err) == -1)
		return prun_error_wrap(err, "test %s", name);
	return rc;
}

/* The writer is done: the anchor goes when no start record is left. */
void
startrec_tidy(struct startrec *sr)
{
	pthread_mutex_lock(&sr->lock);
	if ((sr->anchored || sr->loaded) && sr->nlive == 0) {
		unlinkat(sr->testsfd, STORE_START_ANCHOR, 0);
		sr->anchored = 0;
	}
	pthread_mutex_unlock(&sr->lock);
}

/* Whether name is a start record's (or the anchor's); see startrec.h. */
int
startrec_take_name(struct startrec *sr, const char *name, size_t ntests)
{
	struct entry e;

	if (strcmp(name, STORE_START_ANCHOR) == 0)
		return 1;
	if (name[0] != '.' || entry_parse(name, ntests, &e) == -1)
		return 0;
	/* One the list cannot keep stays on disk, which is safe. */
	if (!sr->loaded)
		(void)live_add(sr, &e);
	return 1;
}

/* tests/ was scanned through startrec_take_name: load need not again. */
void
startrec_gathered(struct startrec *sr)
{
	sr->gathered = 1;
}

/* Scan tests/ for the start records. */
static int
gather(struct startrec *sr, size_t ntests, struct prun_error *err)
{
	struct dirent *de;
	DIR *d;
	int fd;

	if ((fd = dup(sr->testsfd)) == -1 || (d = fdopendir(fd)) == NULL) {
		if (fd != -1)
			close(fd);
		return prun_error_errno(err, PRUN_EXIT_IO, errno,
		    "%s: cannot read", sr->tests_path);
	}
	rewinddir(d);
	while ((errno = 0, de = readdir(d)) != NULL)
		if (de->d_name[0] == '.')
			startrec_take_name(sr, de->d_name, ntests);
	if (errno != 0) {
		prun_error_errno(err, PRUN_EXIT_IO, errno, "%s: cannot read",
		    sr->tests_path);
		closedir(d);
		return -1;
	}
	closedir(d);
	sr->gathered = 1;
	return 0;
}

/* The check of a line of the start log of an earlier prun: FNV-1a over its first len bytes. */
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
	sp->entry = 0;
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

/* Read the start log of an earlier prun into *srp, a line at a time (a
 * torn last line is a crash's, ignored quietly; other damage is warned
 * of by line). */
static int
read_log(struct startrec *sl, size_t ntests, struct starts_reader *srp,
    void (*warn)(void *, const char *), void *ctx, struct prun_error *err)
{
#define sr (*srp)
	struct prun_error rerr;
	char buf[65536], msg[PATH_MAX + 160], *p, *nl;
	size_t have = 0;
	ssize_t got;
	int fd, skipping = 0;

	fd = fsutil_open_file(sl->dirfd, sl->path, STORE_STARTS,
	    STORE_STARTS_CAP, &rerr);
	if (fd == -2)
		return 0;
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
	return 0;
nomem:
	close(fd);
	return prun_error_errno(err, PRUN_EXIT_IO, ENOMEM, "%s/%s", sl->path,
	    STORE_STARTS);
#undef sr
}

/* Read the start records (store.c rules 3 and 11); see store_load_starts
 * in store.h. */
int
startrec_load(struct startrec *sl, size_t ntests,
    void (*warn)(void *, const char *), void *ctx, struct prun_error *err)
{
	struct starts_reader sr;
	struct store_start *sp;
	size_t i, k;

	free(sl->starts);
	sl->starts = NULL;
	sl->nstarts = 0;
	memset(&sr, 0, sizeof sr);
	if (!sl->gathered && gather(sl, ntests, err) == -1)
		return -1;
	if (read_log(sl, ntests, &sr, warn, ctx, err) == -1)
		goto fail;
	/* Writers may be adding to the live list meanwhile. */
	pthread_mutex_lock(&sl->lock);
	sl->loaded = 1;
	for (i = 0; i < sl->nlive; i++) {
		if (sr.n == sr.cap) {
			sr.cap = sr.cap ? 2 * sr.cap : 256;
			if ((sp = realloc(sr.v, sr.cap * sizeof *sp)) == NULL)
				goto nomem;
			sr.v = sp;
		}
		sp = &sr.v[sr.n++];
		sp->index = sl->live[i].index;
		sp->attempt = sl->live[i].attempt;
		sp->start = sl->live[i].start;
		sp->cut = sl->live[i].cut;
		sp->time = sl->live[i].us / 1e6;
		sp->entry = 1;
	}
	pthread_mutex_unlock(&sl->lock);
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
	pthread_mutex_unlock(&sl->lock);
	prun_error_errno(err, PRUN_EXIT_IO, ENOMEM, "%s", sl->tests_path);
fail:
	free(sr.v);
	return -1;
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
