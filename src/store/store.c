/*
 * store: the results directory and the rules that keep it crash-safe.
 *
 * These are the crash-consistency rules of prun; every other module relies
 * on them and none repeats them:
 *  1. metadata.json is durable before any fragment exists, so a directory
 *     with fragments always has its plan (store_write_metadata is called
 *     before the first store_write_result).
 *  2. A final name (metadata.json, tests/NNNNNN.json or .xml) is only ever
 *     written by fsutil_write_atomic: it holds a whole record or nothing.
 *  3. A test's start record (its attempt number) is durable before its
 *     process is spawned: the caller spawns only after store_write_start
 *     returned 0.  The record is a line appended to the start log and
 *     made durable by one fdatasync (no new inode, no directory to
 *     sync), unless it must carry the earlier tries of a rerun or the
 *     test already has a fragment: then it is that fragment, with status
 *     incomplete.  A test's state is its fragment when it has one, else
 *     its latest line in the log (incomplete), else notrun; since a start
 *     goes to the log only while the test has no fragment, the log never
 *     contradicts a fragment.
 *  4. A finished result is written to the test's final name (rule 2),
 *     and is reported (printed, counted) only after store_write_result
 *     returned 0: nothing prun has reported can be lost by a crash.
 *  5. Fragments are named by plan index, never by a count of files, so a
 *     resume cannot overwrite a finished test's fragment (piglit's bug);
 *     a resume schedules only tests without a finished result.
 *  6. Temporary files start with '.' and end in ".tmp"; readers never
 *     read them and a resume removes them.
 *  7. One process writes a results directory at a time (flock on it).
 *  8. With sync off (--fsync never) rules 2-7 still hold; only power-cut
 *     durability is given up.
 *  9. By rule 1, a directory without metadata.json holds no result: a new
 *     run may take over one that holds only temporary files and an empty
 *     tests/, which is what a run leaves that died before its plan was
 *     durable.  A directory with anything else is never taken over.
 * 10. A directory's fragments are all in its backend's format (frozen in
 *     metadata.json), so a test never has both a .json and an .xml; a
 *     reader that finds none in the backend's format looks for the other.
 * 11. The start log is only ever appended to, one line per start:
 *     "INDEX ATTEMPT TIME CHECK", CHECK an FNV-1a sum of the rest.  A
 *     line is durable only with every line before it (fdatasync covers
 *     the whole file), so whatever follows the last whole line was never
 *     durable (a power cut can leave it short, zeroed or stale) and its
 *     test never started: readers ignore it, and a writer that read the
 *     log cuts it off before appending.  The log is created (and its
 *     name made durable) after metadata.json, by rule 1.
 */
#include <sys/file.h>
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/fragment.h"
#include "core/fsutil.h"
#include "store/store.h"

/*
 * The start log's writers: threads append and flush a line at a time,
 * under one lock, so that no flush ever runs beside a write.  After a
 * failed write or flush nothing more is written or flushed (a flush that
 * follows a failed one may succeed without the lost data), and every later
 * start fails.  Appends beside a flush would let one flush cover several
 * lines, but each start waits on its own line anyway, and that could not
 * keep the rule; the flush is hidden behind the previous test's result
 * instead (run.c).
 */
struct store_log {
	pthread_mutex_t	lock;
	int		broken;		/* errno of a failure, or 0 */
};

/* The fragment's file name of a test index in a backend. */
void
store_fragment_name(size_t index, enum prun_backend backend, char *buf,
    size_t size)
{
	snprintf(buf, size, "%06zu.%s", index, fragment_extension(backend));
}

/* Take the writer's lock of the results directory. */
static int
lock_dir(struct prun_store *st, struct prun_error *err)
{
	if (flock(st->dirfd, LOCK_EX | LOCK_NB) == -1) {
		if (errno == EWOULDBLOCK)
			return prun_error_set(err, PRUN_EXIT_USAGE,
			    "%s: another prun is writing this results "
			    "directory", st->path);
		return prun_error_errno(err, PRUN_EXIT_IO, errno,
		    "%s: cannot lock", st->path);
	}
	return 0;
}

/* Fill the paths of a store and zero its descriptors. */
static int
init_paths(struct prun_store *st, const char *path, int sync,
    struct prun_error *err)
{
	memset(st, 0, sizeof *st);
	st->dirfd = st->testsfd = st->startsfd = -1;
	st->sync = sync;
	if ((st->path = strdup(path)) == NULL ||
	    asprintf(&st->tests_path, "%s/%s", path, STORE_TESTS) == -1) {
		st->tests_path = NULL;
		return prun_error_errno(err, PRUN_EXIT_IO, errno, "%s", path);
	}
	return 0;
}

/* fsync the directory that holds path, so a new entry in it is durable. */
static int
sync_parent(const char *path, struct prun_error *err)
{
	char *copy, *parent;
	int fd, rc = 0;

	if ((copy = strdup(path)) == NULL)
		return prun_error_errno(err, PRUN_EXIT_IO, errno, "%s", path);
	parent = dirname(copy);
	if ((fd = open(parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		rc = prun_error_errno(err, PRUN_EXIT_IO, errno,
		    "%s: cannot open", parent);
	else {
		rc = fsutil_sync_dir(fd, parent, err);
		close(fd);
	}
	free(copy);
	return rc;
}

/*
 * Walk the directory open at fd: count the entries that are not temporary
 * files (rule 6) and, for each, call other(ctx, path, name) if not NULL;
 * with remove, unlink the temporary files.  Returns the count, or -1.
 */
static int
scan_dir(int fd, const char *path, int remove, size_t *removed,
    void (*other)(void *, const char *, const char *), void *ctx,
    struct prun_error *err)
{
	struct dirent *de;
	DIR *d;
	int dfd, n = 0;

	if ((dfd = dup(fd)) == -1 || (d = fdopendir(dfd)) == NULL) {
		if (dfd != -1)
			close(dfd);
		return prun_error_errno(err, PRUN_EXIT_IO, errno,
		    "%s: cannot read", path);
	}
	rewinddir(d);
	while ((errno = 0, de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		if (!fsutil_is_temporary(de->d_name)) {
			if (other != NULL)
				other(ctx, path, de->d_name);
			n++;
			continue;
		}
		if (!remove)
			continue;
		/* The name is prun's, whatever sits there: a test may have
		 * made a directory of it, which an empty one can lose. */
		if (unlinkat(fd, de->d_name, 0) == -1 && (errno != EISDIR ||
		    unlinkat(fd, de->d_name, AT_REMOVEDIR) == -1)) {
			prun_error_errno(err, PRUN_EXIT_IO, errno,
			    "%s/%s: cannot remove this temporary name", path,
			    de->d_name);
			closedir(d);
			return -1;
		}
		(*removed)++;
	}
	if (errno != 0) {
		prun_error_errno(err, PRUN_EXIT_IO, errno, "%s: cannot read",
		    path);
		closedir(d);
		return -1;
	}
	closedir(d);
	return n;
}

/* Whether the directory open at fd has no entries. */
static int
dir_is_empty(int fd)
{
	struct dirent *de;
	DIR *d;
	int dup_fd, empty = 1;

	if ((dup_fd = dup(fd)) == -1 || (d = fdopendir(dup_fd)) == NULL) {
		if (dup_fd != -1)
			close(dup_fd);
		return 0;
	}
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") != 0 &&
		    strcmp(de->d_name, "..") != 0) {
			empty = 0;
			break;
		}
	}
	closedir(d);
	return empty;
}

/*
 * Whether the directory open at fd holds nothing but what a prun killed
 * before its plan was durable may have left: an empty tests/ and the
 * temporary of metadata.json (rule 6).  No test starts before
 * metadata.json exists (rule 1), so such a directory holds no result and
 * is free for a run; refusing it would leave a crash at start-up neither
 * resumable nor restartable.
 */
static int
dir_is_unused(int fd)
{
	struct dirent *de;
	DIR *d;
	int dup_fd, tfd, unused = 1;

	if ((dup_fd = dup(fd)) == -1 || (d = fdopendir(dup_fd)) == NULL) {
		if (dup_fd != -1)
			close(dup_fd);
		return 0;
	}
	while (unused && (de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0 ||
		    fsutil_is_temporary(de->d_name))
			continue;
		if (strcmp(de->d_name, STORE_TESTS) != 0) {
			unused = 0;
			continue;
		}
		tfd = openat(fd, STORE_TESTS,
		    O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		unused = tfd != -1 && dir_is_empty(tfd);
		if (tfd != -1)
			close(tfd);
	}
	closedir(d);
	return unused;
}

/*
 * Open the results directory at path to write in it: O_NOFOLLOW, since a
 * symlink planted at DIR could send prun's writes anywhere; the error
 * says so rather than the ENOTDIR or ELOOP the kernel gives.  Other
 * errors exit with code.
 */
static int
open_for_writing(struct prun_store *st, const char *path,
    enum prun_exit code, struct prun_error *err)
{
	struct stat sb;
	int saved;

	st->dirfd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (st->dirfd != -1)
		return 0;
	saved = errno;
	if (lstat(path, &sb) == 0 && S_ISLNK(sb.st_mode))
		return prun_error_set(err, PRUN_EXIT_USAGE, "%s: the results "
		    "directory is a symbolic link, which prun does not write "
		    "through: give the directory it points to", path);
	return prun_error_errno(err, saved == ENOTDIR || saved == ELOOP ?
	    PRUN_EXIT_USAGE : code, saved, "%s: cannot open results "
	    "directory", path);
}

/* Create a new results directory (absent or unused) and lock it. */
int
store_create(struct prun_store *st, const char *path, int sync,
    struct prun_error *err)
{
	if (init_paths(st, path, sync, err) == -1)
		goto fail;
	if (mkdir(path, 0777) == -1 && errno != EEXIST) {
		/* A path through something missing is the user's to fix. */
		prun_error_errno(err, errno == ENOENT || errno == ENOTDIR ?
		    PRUN_EXIT_USAGE : PRUN_EXIT_IO, errno,
		    "%s: cannot create results directory", path);
		goto fail;
	}
	if (open_for_writing(st, path, PRUN_EXIT_IO, err) == -1)
		goto fail;
	if (lock_dir(st, err) == -1)
		goto fail;
	if (!dir_is_unused(st->dirfd)) {
		if (faccessat(st->dirfd, STORE_METADATA, F_OK,
		    AT_SYMLINK_NOFOLLOW) == 0)
			prun_error_set(err, PRUN_EXIT_USAGE, "%s: results "
			    "directory holds a run (use --resume %s to "
			    "continue it)", path, path);
		else
			prun_error_set(err, PRUN_EXIT_USAGE, "%s: results "
			    "directory is not empty and holds no prun run "
			    "(no %s)", path, STORE_METADATA);
		goto fail;
	}
	if (mkdirat(st->dirfd, STORE_TESTS, 0777) == -1 && errno != EEXIST) {
		prun_error_errno(err, PRUN_EXIT_IO, errno,
		    "%s: cannot create", st->tests_path);
		goto fail;
	}
	st->testsfd = openat(st->dirfd, STORE_TESTS,
	    O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (st->testsfd == -1) {
		prun_error_errno(err, PRUN_EXIT_IO, errno, "%s: cannot open",
		    st->tests_path);
		goto fail;
	}
	if (sync && (fsutil_sync_dir(st->dirfd, path, err) == -1 ||
	    sync_parent(path, err) == -1))
		goto fail;
	st->fresh = 1;
	return 0;
fail:
	store_close(st);
	return -1;
}

/* Open an existing results directory; lock it when writable. */
int
store_open(struct prun_store *st, const char *path, int writable,
    struct prun_error *err)
{
	struct stat sb;

	if (init_paths(st, path, 1, err) == -1)
		goto fail;
	if (writable) {
		if (open_for_writing(st, path, PRUN_EXIT_USAGE, err) == -1)
			goto fail;
	} else if ((st->dirfd = open(path, O_RDONLY | O_DIRECTORY |
	    O_CLOEXEC)) == -1) {
		prun_error_errno(err, PRUN_EXIT_USAGE, errno,
		    "%s: cannot open results directory", path);
		goto fail;
	}
	if (writable && lock_dir(st, err) == -1)
		goto fail;
	if (fstatat(st->dirfd, STORE_METADATA, &sb, AT_SYMLINK_NOFOLLOW) == -1) {
		prun_error_set(err, PRUN_EXIT_USAGE, "%s: not a prun results "
		    "directory (no %s; if a run died before writing it, no "
		    "test ran: start that run again)", path, STORE_METADATA);
		goto fail;
	}
	st->testsfd = openat(st->dirfd, STORE_TESTS,
	    O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (st->testsfd == -1) {
		prun_error_errno(err, PRUN_EXIT_USAGE, errno,
		    "%s: cannot open", st->tests_path);
		goto fail;
	}
	return 0;
fail:
	store_close(st);
	return -1;
}

/* Close the directories (which drops the lock) and free the paths. */
void
store_close(struct prun_store *st)
{
	if (st->startsfd != -1)
		close(st->startsfd);
	if (st->log != NULL) {
		pthread_mutex_destroy(&st->log->lock);
		free(st->log);
	}
	if (st->testsfd != -1)
		close(st->testsfd);
	if (st->dirfd != -1)
		close(st->dirfd);
	free(st->path);
	free(st->tests_path);
	free(st->starts);
	memset(st, 0, sizeof *st);
	st->dirfd = st->testsfd = st->startsfd = -1;
}

/* Write metadata.json atomically (rule 1). */
int
store_write_metadata(struct prun_store *st, const char *buf, size_t len,
    struct prun_error *err)
{
	return fsutil_write_atomic(st->dirfd, st->path, STORE_METADATA, buf,
	    len, st->sync, err);
}

/* Read metadata.json. */
int
store_read_metadata(struct prun_store *st, char **buf, size_t *len,
    struct prun_error *err)
{
	int rc;

	rc = fsutil_read_file(st->dirfd, st->path, STORE_METADATA,
	    STORE_METADATA_CAP, buf, len, err);
	if (rc == 0)
		return prun_error_set(err, PRUN_EXIT_USAGE,
		    "%s/%s: no such file", st->path, STORE_METADATA);
	return rc == 1 ? 0 : -1;
}

/* Encode r as its fragment, in the store's backend. */
char *
store_encode_result(const struct prun_store *st, const struct prun_result *r,
    size_t *len, struct prun_error *err)
{
	return fragment_encode(r, st->backend, len, err);
}

/* Write an encoded fragment of test index, named name (rules 2 and 4). */
int
store_write_encoded(struct prun_store *st, size_t index, const char *name,
    const char *buf, size_t len, struct prun_error *err)
{
	char fname[32];

	store_fragment_name(index, st->backend, fname, sizeof fname);
	if (fsutil_write_atomic(st->testsfd, st->tests_path, fname, buf, len,
	    st->sync, err) == -1)
		return prun_error_wrap(err, "test %s", name);
	return 0;
}

/* Record r as the test's fragment (rules 2-4). */
int
store_write_result(struct prun_store *st, const struct prun_result *r,
    struct prun_error *err)
{
	char *buf;
	size_t len;
	int rc;

	if ((buf = store_encode_result(st, r, &len, err)) == NULL)
		return -1;
	rc = store_write_encoded(st, r->index, r->name, buf, len, err);
	free(buf);
	return rc;
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
 * Open the start log to append (rule 11): create it the first time, with
 * its name made durable; else cut off what follows its last whole record
 * (known when it was read), or at least end a torn last line.  O_NOFOLLOW
 * and O_NONBLOCK: a symlink or a FIFO planted there is refused, not used.
 */
static int
open_starts(struct prun_store *st, struct prun_error *err)
{
	struct stat sb;
	char last;
	int fd, created = 0;

	fd = openat(st->dirfd, STORE_STARTS, O_WRONLY | O_APPEND | O_CREAT |
	    O_EXCL | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0666);
	if (fd != -1)
		created = 1;
	else if (errno == EEXIST)
		fd = openat(st->dirfd, STORE_STARTS, O_RDWR | O_APPEND |
		    O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd == -1 && errno == ELOOP)
		return prun_error_set(err, PRUN_EXIT_IO, "%s/%s: a symbolic "
		    "link, not followed: remove it to go on", st->path,
		    STORE_STARTS);
	if (fd == -1)
		return prun_error_errno(err, PRUN_EXIT_IO, errno,
		    "%s/%s: cannot open", st->path, STORE_STARTS);
	if (fstat(fd, &sb) == -1 || !S_ISREG(sb.st_mode)) {
		close(fd);
		return prun_error_set(err, PRUN_EXIT_IO, "%s/%s: not a regular "
		    "file", st->path, STORE_STARTS);
	}
	if (st->starts_loaded && (size_t)sb.st_size > st->starts_end) {
		if (ftruncate(fd, (off_t)st->starts_end) == -1 ||
		    (st->sync && fdatasync(fd) == -1)) {
			prun_error_errno(err, PRUN_EXIT_IO, errno, "%s/%s: "
			    "cannot cut off a torn record", st->path,
			    STORE_STARTS);
			close(fd);
			return -1;
		}
	} else if (sb.st_size > 0 && (pread(fd, &last, 1, sb.st_size - 1) !=
	    1 || (last != '\n' && write(fd, "\n", 1) != 1))) {
		prun_error_errno(err, PRUN_EXIT_IO, errno, "%s/%s: cannot "
		    "end its last line", st->path, STORE_STARTS);
		close(fd);
		return -1;
	}
	if (created && st->sync &&
	    fsutil_sync_dir(st->dirfd, st->path, err) == -1) {
		close(fd);
		return -1;
	}
	if ((st->log = calloc(1, sizeof *st->log)) == NULL) {
		close(fd);
		return prun_error_errno(err, PRUN_EXIT_IO, errno, "%s/%s",
		    st->path, STORE_STARTS);
	}
	pthread_mutex_init(&st->log->lock, NULL);
	st->startsfd = fd;
	return 0;
}

/* Append a line to the start log and make it durable (rule 11): see
 * struct store_log.  Returns 0 or an errno. */
static int
log_append(struct prun_store *st, const char *line, size_t len)
{
	struct store_log *lg = st->log;
	int e = 0;

	pthread_mutex_lock(&lg->lock);
	if (lg->broken) {
		e = lg->broken;
	} else if ((errno = 0, write(st->startsfd, line, len)) !=
	    (ssize_t)len) {
		/* A short write left a torn line: the next process to
		 * append cuts it off first (rule 11). */
		e = lg->broken = errno ? errno : EIO;
	} else if (st->sync && fdatasync(st->startsfd) == -1) {
		e = lg->broken = errno;
	}
	pthread_mutex_unlock(&lg->lock);
	return e;
}

/* Whether test index has a fragment, in either format (rule 10). */
static int
has_fragment(struct prun_store *st, size_t index)
{
	char name[32];
	struct stat sb;

	store_fragment_name(index, BACKEND_JSON, name, sizeof name);
	if (fstatat(st->testsfd, name, &sb, AT_SYMLINK_NOFOLLOW) == 0)
		return 1;
	store_fragment_name(index, BACKEND_JUNIT, name, sizeof name);
	return fstatat(st->testsfd, name, &sb, AT_SYMLINK_NOFOLLOW) == 0;
}

/* Open the start log now (see store.h). */
int
store_open_starts(struct prun_store *st, struct prun_error *err)
{
	return st->startsfd == -1 ? open_starts(st, err) : 0;
}

/* Make the start record of r durable (rules 3 and 11). */
int
store_write_start(struct prun_store *st, const struct prun_result *r,
    struct prun_error *err)
{
	char line[128];
	int n, m, e;

	/* In a fresh run a test starts before it has any fragment (a rerun
	 * has tries): no need to look. */
	if (r->ntries > 0 || (!st->fresh && has_fragment(st, r->index)))
		return store_write_result(st, r, err);
	if (st->startsfd == -1 && open_starts(st, err) == -1)
		return prun_error_wrap(err, "test %s", r->name);
	n = snprintf(line, sizeof line, "%zu %d %.6f", r->index, r->attempt,
	    r->time_start);
	m = snprintf(line + n, sizeof line - n, " %08x\n",
	    (unsigned)start_check(line, (size_t)n));
	if ((e = log_append(st, line, (size_t)(n + m))) != 0)
		return prun_error_errno(err, PRUN_EXIT_IO, e, "test %s: "
		    "%s/%s: cannot record its start", r->name, st->path,
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
	if (*end != '\0' || !isfinite(sp->time))
		return -1;
	sp->index = (size_t)index;
	sp->attempt = (int)attempt;
	return 0;
}

/* Order starts by index, the latest attempt first. */
static int
start_cmp(const void *a, const void *b)
{
	const struct store_start *x = a, *y = b;

	if (x->index != y->index)
		return x->index < y->index ? -1 : 1;
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

/* Read the start log (rule 11), a line at a time; see store.h. */
int
store_load_starts(struct prun_store *st, size_t ntests,
    void (*warn)(void *, const char *), void *ctx, struct prun_error *err)
{
	struct starts_reader sr;
	struct prun_error rerr;
	char buf[65536], msg[PATH_MAX + 160], *p, *nl;
	size_t have = 0, i, k;
	ssize_t got;
	int fd, skipping = 0;

	free(st->starts);
	st->starts = NULL;
	st->nstarts = 0;
	st->starts_loaded = 0;
	memset(&sr, 0, sizeof sr);
	fd = fsutil_open_file(st->dirfd, st->path, STORE_STARTS,
	    STORE_STARTS_CAP, &rerr);
	if (fd == -2) {
		st->starts_loaded = 1;
		st->starts_end = 0;
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
			    "read as far as line %zu", st->path, STORE_STARTS,
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
		    "last one short)", st->path, STORE_STARTS, sr.first_bad,
		    sr.bad, sr.bad > 1 ? "s" : "");
		warn(ctx, msg);
	}
	st->starts_loaded = 1;
	st->starts_end = sr.end;
	/* Keep each test's latest attempt only. */
	if (sr.n > 0)
		qsort(sr.v, sr.n, sizeof *sr.v, start_cmp);
	for (i = k = 0; i < sr.n; i++)
		if (k == 0 || sr.v[k - 1].index != sr.v[i].index)
			sr.v[k++] = sr.v[i];
	st->starts = sr.v;
	st->nstarts = k;
	return 0;
nomem:
	close(fd);
	free(sr.v);
	return prun_error_errno(err, PRUN_EXIT_IO, ENOMEM, "%s/%s", st->path,
	    STORE_STARTS);
}

/* The latest start of test index, by binary search. */
const struct store_start *
store_started(const struct prun_store *st, size_t index)
{
	size_t lo = 0, hi = st->nstarts, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (st->starts[mid].index == index)
			return &st->starts[mid];
		if (st->starts[mid].index < index)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* Read and parse the fragment of a test index (rule 9). */
int
store_read_result(struct prun_store *st, size_t index, struct prun_result *r,
    struct prun_error *err)
{
	enum prun_backend backend = st->backend;
	char name[32], what[4096], *buf;
	size_t len;
	int rc;

	store_fragment_name(index, backend, name, sizeof name);
	rc = fsutil_read_file(st->testsfd, st->tests_path, name,
	    STORE_FRAGMENT_CAP, &buf, &len, err);
	if (rc == 0) {
		backend = backend == BACKEND_JSON ? BACKEND_JUNIT : BACKEND_JSON;
		store_fragment_name(index, backend, name, sizeof name);
		rc = fsutil_read_file(st->testsfd, st->tests_path, name,
		    STORE_FRAGMENT_CAP, &buf, &len, err);
	}
	if (rc != 1)
		return rc;
	snprintf(what, sizeof what, "%s/%s", st->tests_path, name);
	rc = fragment_decode(buf, len, backend, what, r, err);
	free(buf);
	if (rc == -1)
		return -1;
	if (r->index != index) {
		prun_error_set(err, PRUN_EXIT_IO, "%s: holds index %zu",
		    what, r->index);
		result_free(r);
		return -1;
	}
	return 1;
}

/* Whether name is a fragment's name, NNNNNN.json or NNNNNN.xml (rule 10:
 * readers take either), of an index below n. */
static int
is_fragment_name(const char *name, size_t n)
{
	enum prun_backend backend;
	char want[32];
	unsigned long long index;
	char *end;

	if (name[0] < '0' || name[0] > '9')
		return 0;
	errno = 0;
	index = strtoull(name, &end, 10);
	if (errno != 0 || index >= n)
		return 0;
	if (strcmp(end, ".json") == 0)
		backend = BACKEND_JSON;
	else if (strcmp(end, ".xml") == 0)
		backend = BACKEND_JUNIT;
	else
		return 0;
	store_fragment_name((size_t)index, backend, want, sizeof want);
	return strcmp(want, name) == 0;
}

struct clean_ctx {
	size_t	  nfragments;
	void	(*warn)(void *, const char *);
	void	 *ctx;
};

/* An entry of tests/ that is not temporary: fine if it is a fragment. */
static void
clean_other(void *ctx, const char *path, const char *name)
{
	struct clean_ctx *cc = ctx;
	char msg[PATH_MAX + 128];

	if (is_fragment_name(name, cc->nfragments) || cc->warn == NULL)
		return;
	snprintf(msg, sizeof msg, "%s/%s: not a fragment of this run's plan; "
	    "left alone", path, name);
	cc->warn(cc->ctx, msg);
}

/* Remove temporary files a crash left in DIR and DIR/tests (rule 6). */
int
store_clean(struct prun_store *st, size_t nfragments,
    void (*warn)(void *, const char *), void *ctx, struct prun_error *err)
{
	struct clean_ctx cc = { nfragments, warn, ctx };
	size_t top = 0, tests = 0;

	if (scan_dir(st->dirfd, st->path, 1, &top, NULL, NULL, err) == -1 ||
	    scan_dir(st->testsfd, st->tests_path, 1, &tests, clean_other, &cc,
	    err) == -1)
		return -1;
	if (st->sync && top > 0 &&
	    fsutil_sync_dir(st->dirfd, st->path, err) == -1)
		return -1;
	if (st->sync && tests > 0 &&
	    fsutil_sync_dir(st->testsfd, st->tests_path, err) == -1)
		return -1;
	return (int)(top + tests);
}
