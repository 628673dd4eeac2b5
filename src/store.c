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
 *  3. A test's start record (status incomplete, its attempt number) is
 *     durable before its process is spawned: the caller spawns only after
 *     store_write_result returned 0.
 *  4. A finished result replaces the start record by rename, and is
 *     reported (printed, counted) only after store_write_result returned
 *     0: nothing prun has reported can be lost by a crash.
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
 */
#include <sys/file.h>
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fragment.h"
#include "fsutil.h"
#include "store.h"

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
	st->dirfd = st->testsfd = -1;
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
	if (st->testsfd != -1)
		close(st->testsfd);
	if (st->dirfd != -1)
		close(st->dirfd);
	free(st->path);
	free(st->tests_path);
	memset(st, 0, sizeof *st);
	st->dirfd = st->testsfd = -1;
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

/* Record r as the test's fragment (rules 2-4). */
int
store_write_result(struct prun_store *st, const struct prun_result *r,
    struct prun_error *err)
{
	char name[32], *buf;
	size_t len;
	int rc;

	store_fragment_name(r->index, st->backend, name, sizeof name);
	if ((buf = fragment_encode(r, st->backend, &len, err)) == NULL)
		return -1;
	rc = fsutil_write_atomic(st->testsfd, st->tests_path, name, buf, len,
	    st->sync, err);
	free(buf);
	if (rc == -1)
		prun_error_wrap(err, "test %s", r->name);
	return rc;
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
