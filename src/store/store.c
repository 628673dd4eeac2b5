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
 *  3. A test's start record is durable before its process is spawned:
 *     the caller spawns only after store_start_durable returned 0.  Every
 *     start is an entry made in tests/ (rule 11), durable by an fsync of
 *     tests/ that began after it was made: the one the result of a test
 *     that ended meanwhile issues anyway, or else one of its own (a group
 *     commit: no flush of its own in a steady run).  It carries two
 *     numbers: its start number (1 for the test's first start, one more
 *     for every later one: rerun, repetition, resume; what the test sees
 *     as PRUN_ATTEMPT) and its attempt (what --max-attempts bounds: one
 *     more only after a start that nothing but a crash cut short).  When
 *     the record must carry the earlier tries of a rerun, or the test
 *     already has a fragment, the fragment is written first as well,
 *     with status incomplete.  A start that prun itself cut short (it
 *     could not record, could not spawn, or gave the test up when the
 *     run stopped) gets a mark: its entry renamed to .cut, so that its
 *     attempt runs again uncounted.  A test's state is its fragment when
 *     it has one, else its latest start record (incomplete; not counted
 *     when it is a mark), else notrun; its start number is its latest
 *     start record's, never below its fragment's attempt.
 *     store_test_state alone decides it.
 *  4. A finished result is written to the test's final name (rule 2),
 *     and is reported (printed, counted) only after store_write_result
 *     returned 0: nothing prun has reported can be lost by a crash.
 *  5. Fragments are named by plan index, never by a count of files, so a
 *     resume cannot overwrite a finished test's fragment (piglit's bug);
 *     a resume schedules only tests without a finished result.
 *  6. Temporary files start with '.' and end in ".tmp"; readers never
 *     read them and a resume removes them.
 *  7. One process writes a results directory at a time (flock on it).
 *     A reader tells a running test from a started one by that lock,
 *     tested without being taken (a reader must never make a writer
 *     fail to lock).
 *  8. With sync off (--fsync never) rules 2-7 still hold; only power-cut
 *     durability is given up.
 *  9. By rule 1, a directory without metadata.json holds no result: a new
 *     run may take over one that holds only temporary files and an empty
 *     tests/, which is what a run leaves that died before its plan was
 *     durable.  A directory with anything else is never taken over.
 * 10. A directory's fragments are all in its backend's format (frozen in
 *     metadata.json), so a test never has both a .json and an .xml; a
 *     reader that finds none in the backend's format looks for the other.
 * 11. A start record is a name in tests/, .NNNNNN.S.A.T.start (index,
 *     start number, attempt, microseconds since the epoch), made as a
 *     hard link of one empty file, tests/.started (no inode, no data:
 *     only the name needs the fsync of rule 3), or as an empty file of
 *     its own where the file system refuses the link; a mark renames it
 *     to .cut.  A name is there or not, whatever a crash cut short, so
 *     there is nothing torn to read.  Names go once they say nothing
 *     more: a test's older ones once a later start of it is durable, all
 *     of them once its finished result is (rule 4, and at a resume), so
 *     a test has one at most and the link count stays small.  A mark
 *     needs no new space where the name fits beside the old one; where a
 *     full disk refuses even that, the start record is removed instead:
 *     the start does not count either way (only its number may be given
 *     again).  The start log DIR/starts.log of an earlier prun, "INDEX
 *     ATTEMPT TIME START CHECK" lines (CHECK an FNV-1a sum of the rest;
 *     "... START cut CHECK" a mark; "INDEX ATTEMPT TIME CHECK" with START
 *     = ATTEMPT), is still read, never written; a line after its last
 *     whole record is a crash's torn tail and is ignored.
 */
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <assert.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/fsutil.h"
#include "core/groupsync.h"
#include "core/util.h"
#include "plan/metadata.h"
#include "store/fragment.h"
#include "store/startrec.h"
#include "store/store.h"

/* An open results directory. */
struct prun_store {
	char	*path;		/* DIR as given */
	char	*tests_path;	/* DIR/tests */
	int	 dirfd;
	int	 testsfd;
	int	 sync;		/* fsync at every step (--fsync always) */
	enum prun_backend backend;	/* the format fragments are written in */
	int	 fresh;		/* made by store_create: no fragment yet */
	int	 locked;	/* this store holds the writer's lock */
	int	 other;		/* another holds it: 1, 0, or -1 not known */
	int	 run_set;	/* backend and sync are the run's */
	struct groupsync *gs;	/* the shared fsync of tests/ */
	struct startrec *rec;	/* the start records (startrec.c) */
	/* What store_clean's walk of tests/ found, until store_listing_drop:
	 * a bit per planned test that has a fragment name, and the first
	 * test whose name in the backend is a directory (SIZE_MAX: none). */
	unsigned char *listed;
	size_t	 nlisted;
	size_t	 listed_dir;
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
	st->locked = 1;
	return 0;
}

/* A new store of path, with its paths filled and no descriptor. */
static struct prun_store *
store_new(const char *path, enum prun_backend backend, int sync,
    struct prun_error *err)
{
	struct prun_store *st;

	if ((st = calloc(1, sizeof *st)) == NULL) {
		prun_error_errno(err, PRUN_EXIT_IO, errno, "%s", path);
		return NULL;
	}
	st->dirfd = st->testsfd = -1;
	st->backend = backend;
	st->sync = sync;
	st->other = -1;
	st->listed_dir = SIZE_MAX;
	if ((st->path = strdup(path)) == NULL ||
	    asprintf(&st->tests_path, "%s/%s", path, STORE_TESTS) == -1) {
		st->tests_path = NULL;
		prun_error_errno(err, PRUN_EXIT_IO, errno, "%s", path);
		store_close(st);
		return NULL;
	}
	return st;
}

/* The start records and the shared fsync of tests/ of a store whose
 * directories are open. */
static int
open_log(struct prun_store *st, struct prun_error *err)
{
	if ((st->gs = groupsync_new(st->testsfd, st->tests_path)) == NULL ||
	    (st->rec = startrec_new(st->dirfd, st->path, st->testsfd,
	    st->tests_path, st->gs)) == NULL)
		return prun_error_errno(err, PRUN_EXIT_IO, errno, "%s",
		    st->tests_path);
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
 * files (rule 6) and, for each, call other(ctx, path, name, d_type) if not
 * NULL;
 * with remove, unlink the temporary files.  Returns the count, or -1.
 */
static int
scan_dir(int fd, const char *path, int remove, size_t *removed,
    void (*other)(void *, const char *, const char *, unsigned char),
    void *ctx, struct prun_error *err)
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
				other(ctx, path, de->d_name, de->d_type);
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
store_create(struct prun_store **stp, const char *path,
    enum prun_backend backend, int sync, struct prun_error *err)
{
	struct prun_store *st;

	if ((*stp = st = store_new(path, backend, sync, err)) == NULL)
		return -1;
	st->run_set = 1;
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
	if (open_log(st, err) == -1)
		goto fail;
	st->fresh = 1;
	return 0;
fail:
	store_close(st);
	*stp = NULL;
	return -1;
}

/* Open an existing results directory; lock it when writable. */
int
store_open(struct prun_store **stp, const char *path, int writable,
    struct prun_error *err)
{
	struct prun_store *st;
	struct stat sb;

	if ((*stp = st = store_new(path, BACKEND_JSON, 1, err)) == NULL)
		return -1;
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
	if (open_log(st, err) == -1)
		goto fail;
	return 0;
fail:
	store_close(st);
	*stp = NULL;
	return -1;
}

/* Take the run's backend and sync from its metadata. */
void
store_set_run(struct prun_store *st, enum prun_backend backend, int sync)
{
	assert(!st->run_set);
	st->run_set = 1;
	st->backend = backend;
	st->sync = sync;
}

/* DIR as given. */
const char *
store_path(const struct prun_store *st)
{
	return st->path;
}

/* DIR/tests. */
const char *
store_tests_path(const struct prun_store *st)
{
	return st->tests_path;
}

/* Whether every step is fsynced. */
int
store_syncs(const struct prun_store *st)
{
	return st->sync;
}

/* The path of a test's fragment in the store's backend. */
void
store_fragment_path(const struct prun_store *st, size_t index, char *buf,
    size_t size)
{
	char name[32];

	store_fragment_name(index, st->backend, name, sizeof name);
	snprintf(buf, size, "%s/%s", st->tests_path, name);
}

/* Close the directories (which drops the lock) and free the store. */
void
store_close(struct prun_store *st)
{
	if (st == NULL)
		return;
	if (st->locked && st->rec != NULL)
		startrec_tidy(st->rec);
	startrec_free(st->rec);
	groupsync_free(st->gs);
	if (st->testsfd != -1)
		close(st->testsfd);
	if (st->dirfd != -1)
		close(st->dirfd);
	free(st->listed);
	free(st->path);
	free(st->tests_path);
	free(st);
}

/* Write metadata.json atomically (rule 1). */
int
store_write_metadata(struct prun_store *st, const char *buf, size_t len,
    struct prun_error *err)
{
	return fsutil_write_atomic(st->dirfd, st->path, STORE_METADATA, buf,
	    len, st->sync, err);
}

/* metadata_write as an fsutil_writer. */
static int
write_plan(FILE *fp, void *md, struct prun_error *err)
{
	return metadata_write(md, fp, err);
}

/* Write md as metadata.json atomically, streamed into the temporary file
 * (rule 2): a million tests' plan is never held as bytes. */
int
store_write_plan(struct prun_store *st, const struct prun_metadata *md,
    struct prun_error *err)
{
	return fsutil_write_atomic_with(st->dirfd, st->path, STORE_METADATA,
	    write_plan, (void *)md, st->sync, err);
}

/* Write the cause of a halt into the directory. */
int
store_write_abort(struct prun_store *st, const char *cause,
    struct prun_error *err)
{
	return fsutil_write_atomic(st->dirfd, st->path, STORE_ABORT, cause,
	    strlen(cause), st->sync, err);
}

/* Write DIR/STORE_OWNER for this process; see store.h. */
int
store_write_owner(struct prun_store *st, struct prun_error *err)
{
	char host[256], buf[384];
	int len;

	if (gethostname(host, sizeof host) == -1)
		snprintf(host, sizeof host, "unknown");
	host[sizeof host - 1] = '\0';
	/* A host name has no blank; keep the record one line of words. */
	host[strcspn(host, " \t\n")] = '\0';
	len = snprintf(buf, sizeof buf, "%s %ld %.3f\n", host,
	    (long)getpid(), util_now());
	return fsutil_write_atomic(st->dirfd, st->path, STORE_OWNER, buf,
	    (size_t)len, st->sync, err);
}

/* Read DIR/STORE_OWNER; see store.h. */
int
store_read_owner(struct prun_store *st, struct store_owner *o)
{
	struct prun_error err;
	char *buf, fmt[32];
	size_t len;
	int n;

	memset(o, 0, sizeof *o);
	if (fsutil_read_file(st->dirfd, st->path, STORE_OWNER, 4096, &buf,
	    &len, &err) != 1)
		return 0;
	snprintf(fmt, sizeof fmt, "%%%zus %%ld %%lf", sizeof o->host - 1);
	n = sscanf(buf, fmt, o->host, &o->pid, &o->since);
	free(buf);
	return n == 3 ? 1 : 0;
}

/* Remove DIR/STORE_ABORT; see store.h. */
int
store_clear_abort(struct prun_store *st, struct prun_error *err)
{
	if (unlinkat(st->dirfd, STORE_ABORT, 0) == -1 && errno != ENOENT)
		return prun_error_errno(err, PRUN_EXIT_IO, errno, "%s/%s",
		    st->path, STORE_ABORT);
	return 0;
}

/* Read DIR/STORE_ABORT; see store.h. */
char *
store_read_abort(struct prun_store *st)
{
	struct prun_error err;
	char *buf;
	size_t len;

	if (fsutil_read_file(st->dirfd, st->path, STORE_ABORT, 65536, &buf,
	    &len, &err) != 1)
		return NULL;
	return buf;
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

/* Open metadata.json to stream it. */
int
store_open_metadata(struct prun_store *st, struct prun_error *err)
{
	int fd;

	fd = fsutil_open_file(st->dirfd, st->path, STORE_METADATA,
	    STORE_METADATA_CAP, err);
	if (fd == -2)
		return prun_error_set(err, PRUN_EXIT_USAGE,
		    "%s/%s: no such file", st->path, STORE_METADATA);
	return fd;
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

	/* The listing says nothing of what is written: gone (a resume
	 * drops it before its first write, store.h). */
	if (st->listed != NULL)
		store_listing_drop(st);
	store_fragment_name(index, st->backend, fname, sizeof fname);
	/* The fsync of tests/ is shared with the start records and results
	 * written meanwhile (a group commit). */
	if (fsutil_write_renamed(st->testsfd, st->tests_path, fname, buf, len,
	    st->sync, err) == -1 || (st->sync && groupsync_wait(st->gs,
	    groupsync_changed(st->gs), fname, err) == -1))
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

/* Record the start of r, start number start (rules 3 and 11): see
 * store.h. */
int
store_write_start(struct prun_store *st, const struct prun_result *r,
    int start, uint64_t *ticket, struct prun_error *err)
{
	/* In a fresh run a test starts before it has any fragment (a rerun
	 * has tries): no need to look. */
	if ((r->ntries > 0 || (!st->fresh && has_fragment(st, r->index))) &&
	    store_write_result(st, r, err) == -1)
		return -1;
	return startrec_add(st->rec, r->index, r->attempt, start,
	    r->time_start, r->name, ticket, err);
}

/* Wait until the start record of ticket is durable (rule 3). */
int
store_start_durable(struct prun_store *st, size_t index, int start,
    uint64_t ticket, const char *name, struct prun_error *err)
{
	if (st->sync && groupsync_wait(st->gs, ticket, "a start record",
	    err) == -1)
		return prun_error_wrap(err, "test %s", name);
	startrec_superseded(st->rec, index, start);
	return 0;
}

/* Test index has a finished result on disk, durable (rule 11). */
void
store_forget_starts(struct prun_store *st, size_t index)
{
	startrec_done(st->rec, index);
}

/* Mark start number start of test index as cut short (rules 3, 11). */
int
store_mark_cut(struct prun_store *st, size_t index, const char *name,
    int start, struct prun_error *err)
{
	return startrec_cut(st->rec, index, start, name, st->sync, err);
}

/* Read the start records (rule 11); see store.h. */
int
store_load_starts(struct prun_store *st, size_t ntests,
    void (*warn)(void *, const char *), void *ctx, struct prun_error *err)
{
	return startrec_load(st->rec, ntests, warn, ctx, err);
}

/* The latest start of test index that was read. */
const struct store_start *
store_started(const struct prun_store *st, size_t index)
{
	return startrec_find(st->rec, index);
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

/*
 * Whether another process holds the writer's lock of DIR (rule 7): read
 * from /proc/locks, which tests a flock without taking one (taking it,
 * even shared and briefly, could make a starting prun fail to lock, and
 * fcntl's F_GETLK does not see flocks).
 * Unknown (no /proc) is taken as no.  Asked once per store.
 */
static int
locked_by_other(struct prun_store *st)
{
	struct stat sb;
	char line[256], want[64];
	FILE *fp;

	if (st->locked)
		return 0;
	if (st->other != -1)
		return st->other;
	st->other = 0;
	if (fstat(st->dirfd, &sb) == -1 ||
	    (fp = fopen("/proc/locks", "re")) == NULL)
		return 0;
	snprintf(want, sizeof want, " %02x:%02x:%llu ", major(sb.st_dev),
	    minor(sb.st_dev), (unsigned long long)sb.st_ino);
	while (fgets(line, sizeof line, fp) != NULL)
		if (strstr(line, " FLOCK ") != NULL &&
		    strstr(line, want) != NULL) {
			st->other = 1;
			break;
		}
	fclose(fp);
	return st->other;
}

/* Whether the fragment name of test index is taken by a directory. */
static int
is_directory(struct prun_store *st, size_t index)
{
	struct stat sb;
	char name[32];

	store_fragment_name(index, st->backend, name, sizeof name);
	return fstatat(st->testsfd, name, &sb, AT_SYMLINK_NOFOLLOW) == 0 &&
	    S_ISDIR(sb.st_mode);
}

/* Say what a planned test is (rule 3); see store.h. */
int
store_test_state(struct prun_store *st, size_t index, const char *name,
    struct store_state *ts, struct prun_error *err)
{
	const struct store_start *sp;
	struct prun_result *r = &ts->result;
	char path[4096];
	int rc;

	(void)err;
	memset(ts, 0, sizeof *ts);
	rc = store_listed(st, index) ? store_read_result(st, index, r,
	    &ts->reason) : 0;
	if (rc == 1 && strcmp(r->name, name) != 0) {
		/* Not its name: a file may hold control characters. */
		result_free(r);
		store_fragment_path(st, index, path, sizeof path);
		prun_error_set(&ts->reason, PRUN_EXIT_IO, "%s: holds another "
		    "test than '%s' of the plan", path, name);
		rc = -1;
	}
	if (rc == -1) {
		memset(r, 0, sizeof *r);
		ts->kind = STORE_DAMAGED;
		/* rename() cannot replace it: the test can never be
		 * recorded. */
		ts->directory = is_directory(st, index);
		return 0;
	}
	if (rc == 1 && r->status != PRUN_INCOMPLETE) {
		ts->kind = STORE_FINISHED;
		ts->has_result = 1;
		return 0;
	}
	sp = store_started(st, index);
	if (rc == 1) {
		ts->has_result = 1;
		ts->attempt = r->attempt;
		/* Its mark, if the start it records was cut short. */
		ts->interrupted = r->interrupted || (sp != NULL && sp->cut &&
		    sp->attempt == r->attempt);
		ts->time_start = r->time_start;
	} else if (sp != NULL) {
		ts->attempt = sp->attempt;
		ts->interrupted = sp->cut;
		ts->time_start = sp->time;
	} else {
		ts->kind = STORE_NOTRUN;
		return 0;
	}
	ts->start = sp != NULL && sp->start > ts->attempt ? sp->start :
	    ts->attempt;
	ts->kind = locked_by_other(st) ? STORE_RUNNING : STORE_STARTED;
	return 0;
}

/* Whether another process holds the lock; see store.h. */
int
store_held(struct prun_store *st)
{
	return locked_by_other(st);
}

/* Free what a state holds. */
void
store_state_free(struct store_state *ts)
{
	if (ts->has_result)
		result_free(&ts->result);
	ts->has_result = 0;
}

/* Whether name is a fragment's name, NNNNNN.json or NNNNNN.xml (rule 10:
 * readers take either), of an index below n: its index and backend. */
static int
is_fragment_name(const char *name, size_t n, size_t *ip,
    enum prun_backend *bp)
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
	if (strcmp(want, name) != 0)
		return 0;
	*ip = (size_t)index;
	*bp = backend;
	return 1;
}

/* A fragment name found by the walk of tests/: listed, and a directory
 * at the backend's name noted (the test could never be recorded). */
static void
list_fragment(struct prun_store *st, const char *name, size_t index,
    enum prun_backend backend, unsigned char type)
{
	struct stat sb;

	if (st->listed != NULL)
		st->listed[index / 8] |= (unsigned char)(1u << index % 8);
	if (backend != st->backend || index >= st->listed_dir)
		return;
	if (type == DT_DIR || (type == DT_UNKNOWN && fstatat(st->testsfd,
	    name, &sb, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(sb.st_mode)))
		st->listed_dir = index;
}

struct clean_ctx {
	struct prun_store *st;
	size_t	  nfragments;
	void	(*warn)(void *, const char *);
	void	 *ctx;
};

/* An entry of tests/ that is not temporary: fine if it is a fragment. */
static void
clean_other(void *ctx, const char *path, const char *name,
    unsigned char type)
{
	struct clean_ctx *cc = ctx;
	enum prun_backend backend;
	char msg[PATH_MAX + 128];
	size_t index;

	if (is_fragment_name(name, cc->nfragments, &index, &backend)) {
		list_fragment(cc->st, name, index, backend, type);
		return;
	}
	if (startrec_take_name(cc->st->rec, name, cc->nfragments) ||
	    cc->warn == NULL)
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
	struct clean_ctx cc = { st, nfragments, warn, ctx };
	size_t top = 0, tests = 0;

	/* The walk lists the fragments too: a test without one need not be
	 * looked for again (store_test_state), until a write. */
	store_listing_drop(st);
	if (nfragments > 0 &&
	    (st->listed = calloc(nfragments / 8 + 1, 1)) == NULL)
		return prun_error_errno(err, PRUN_EXIT_IO, errno, "%s",
		    st->tests_path);
	st->nlisted = nfragments;
	if (scan_dir(st->dirfd, st->path, 1, &top, NULL, NULL, err) == -1 ||
	    scan_dir(st->testsfd, st->tests_path, 1, &tests, clean_other, &cc,
	    err) == -1)
		return -1;
	/* That scan found the start records too (rule 11). */
	startrec_gathered(st->rec);
	if (st->sync && top > 0 &&
	    fsutil_sync_dir(st->dirfd, st->path, err) == -1)
		return -1;
	if (st->sync && tests > 0 &&
	    fsutil_sync_dir(st->testsfd, st->tests_path, err) == -1)
		return -1;
	return (int)(top + tests);
}

/* Whether test index has a fragment name, as store_clean's walk found;
 * 1 also when there is no such listing. */
int
store_listed(const struct prun_store *st, size_t index)
{
	if (st->listed == NULL || index >= st->nlisted)
		return 1;
	return (st->listed[index / 8] >> index % 8) & 1;
}

/* The first test whose fragment name is a directory, as the walk found. */
int
store_listed_directory(const struct prun_store *st, size_t *index)
{
	if (st->listed == NULL || st->listed_dir == SIZE_MAX)
		return 0;
	*index = st->listed_dir;
	return 1;
}

/* Forget the listing: from here on a fragment is looked for. */
void
store_listing_drop(struct prun_store *st)
{
	free(st->listed);
	st->listed = NULL;
	st->nlisted = 0;
	st->listed_dir = SIZE_MAX;
}
