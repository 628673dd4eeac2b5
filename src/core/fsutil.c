/*
 * fsutil: atomic, durable writes and careful reads of small files.
 *
 * fsutil_write_atomic keeps these rules, on which every guarantee of the
 * results directory rests:
 *  1. The data goes to a new file at a temporary name in the same
 *     directory: whatever was left at that name (a crash's half record, or
 *     a symlink, hard link or FIFO a test planted) is removed first, and
 *     the file is created O_EXCL | O_NOFOLLOW, so nothing can redirect the
 *     write or block it.
 *  2. Every byte is written and, with sync, fsync'd before the rename: a
 *     rename must never publish data that is not yet durable.
 *  3. A failed write, fsync or close is an error, never retried and
 *     trusted: after a failed fsync the kernel may have dropped the dirty
 *     pages, so the file's contents are unknown.
 *  4. rename() publishes the file: the final name holds the old file or
 *     the new one, never a part.
 *  5. With sync, the directory is fsync'd after the rename, so the new
 *     entry survives a power cut; only then may the caller report it.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/fsutil.h"

#define TMP_SUFFIX	".tmp"

/* Write all of buf to fd, retrying short writes and EINTR. */
int
fsutil_write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;
	ssize_t n;

	while (len > 0) {
		if ((n = write(fd, p, len)) == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= n;
	}
	return 0;
}

/* Whether name is a temporary name of fsutil_write_atomic. */
int
fsutil_is_temporary(const char *name)
{
	size_t len = strlen(name), slen = strlen(TMP_SUFFIX);

	return name[0] == '.' && len > slen + 1 &&
	    strcmp(name + len - slen, TMP_SUFFIX) == 0;
}

/* Replace dirfd/name with buf atomically (see the rules above). */
int
fsutil_write_atomic(int dirfd, const char *dirpath, const char *name,
    const void *buf, size_t len, int sync, struct prun_error *err)
{
	char tmp[NAME_MAX + 1];
	int fd, n;

	n = snprintf(tmp, sizeof tmp, ".%s" TMP_SUFFIX, name);
	if (n < 0 || (size_t)n >= sizeof tmp)
		return prun_error_set(err, PRUN_EXIT_IO,
		    "%s/%s: name too long", dirpath, name);
	/* A stale temporary (a crash's) is removed and the create tried
	 * again; unlinking first every time would cost a directory lock. */
	fd = openat(dirfd, tmp,
	    O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
	if (fd == -1 && errno == EEXIST) {
		if (unlinkat(dirfd, tmp, 0) == -1 && errno != ENOENT)
			return prun_error_errno(err, PRUN_EXIT_IO, errno,
			    "%s/%s: cannot remove", dirpath, tmp);
		fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL |
		    O_NOFOLLOW | O_CLOEXEC, 0666);
	}
	if (fd == -1)
		return prun_error_errno(err, PRUN_EXIT_IO, errno,
		    "%s/%s: cannot create", dirpath, tmp);
	if (fsutil_write_all(fd, buf, len) == -1) {
		prun_error_errno(err, PRUN_EXIT_IO, errno,
		    "%s/%s: cannot write", dirpath, tmp);
		goto fail;
	}
	if (sync && fsync(fd) == -1) {
		prun_error_errno(err, PRUN_EXIT_IO, errno,
		    "%s/%s: cannot fsync", dirpath, tmp);
		goto fail;
	}
	if (close(fd) == -1) {
		fd = -1;
		prun_error_errno(err, PRUN_EXIT_IO, errno,
		    "%s/%s: cannot close", dirpath, tmp);
		goto fail;
	}
	fd = -1;
	if (renameat(dirfd, tmp, dirfd, name) == -1) {
		prun_error_errno(err, PRUN_EXIT_IO, errno,
		    "%s/%s: cannot rename to %s", dirpath, tmp, name);
		goto fail;
	}
	if (sync && fsync(dirfd) == -1)
		return prun_error_errno(err, PRUN_EXIT_IO, errno,
		    "%s: cannot fsync directory after writing %s", dirpath,
		    name);
	return 0;
fail:
	if (fd != -1)
		close(fd);
	unlinkat(dirfd, tmp, 0);
	return -1;
}

/* Open dirfd/name, a regular file of at most cap bytes, for reading. */
int
fsutil_open_file(int dirfd, const char *dirpath, const char *name, size_t cap,
    struct prun_error *err)
{
	struct stat st;
	int fd;

	/* O_NONBLOCK: a FIFO planted at a fragment's name must not block. */
	fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd == -1) {
		if (errno == ENOENT)
			return -2;
		/* A symlink planted there is bad input, not an I/O error. */
		if (errno == ELOOP)
			return prun_error_set(err, PRUN_EXIT_USAGE, "%s/%s: a "
			    "symbolic link, not followed", dirpath, name);
		return prun_error_errno(err, PRUN_EXIT_IO, errno,
		    "%s/%s: cannot open", dirpath, name);
	}
	if (fstat(fd, &st) == -1) {
		prun_error_errno(err, PRUN_EXIT_IO, errno, "%s/%s: cannot stat",
		    dirpath, name);
		goto fail;
	}
	if (!S_ISREG(st.st_mode)) {
		prun_error_set(err, PRUN_EXIT_USAGE, "%s/%s: %s, not a "
		    "regular file", dirpath, name, S_ISDIR(st.st_mode) ?
		    "a directory" : S_ISFIFO(st.st_mode) ? "a FIFO" :
		    S_ISSOCK(st.st_mode) ? "a socket" : "a device");
		goto fail;
	}
	if ((size_t)st.st_size > cap) {
		prun_error_set(err, PRUN_EXIT_USAGE,
		    "%s/%s: %lld bytes, larger than the limit of %zu",
		    dirpath, name, (long long)st.st_size, cap);
		goto fail;
	}
	return fd;
fail:
	close(fd);
	return -1;
}

/* Read dirfd/name, a regular file of at most cap bytes, into *buf. */
int
fsutil_read_file(int dirfd, const char *dirpath, const char *name, size_t cap,
    char **buf, size_t *len, struct prun_error *err)
{
	struct stat st;
	char *p = NULL;
	size_t off = 0;
	ssize_t n;
	int fd;

	if ((fd = fsutil_open_file(dirfd, dirpath, name, cap, err)) < 0)
		return fd == -2 ? 0 : -1;
	if (fstat(fd, &st) == -1) {
		prun_error_errno(err, PRUN_EXIT_IO, errno, "%s/%s: cannot stat",
		    dirpath, name);
		goto fail;
	}
	if ((p = malloc((size_t)st.st_size + 1)) == NULL) {
		prun_error_errno(err, PRUN_EXIT_IO, errno, "%s/%s", dirpath,
		    name);
		goto fail;
	}
	/* Read what fstat promised; a file that grows meanwhile is cut. */
	while (off < (size_t)st.st_size) {
		n = read(fd, p + off, (size_t)st.st_size - off);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			prun_error_errno(err, PRUN_EXIT_IO, errno,
			    "%s/%s: cannot read", dirpath, name);
			goto fail;
		}
		if (n == 0)
			break;
		off += n;
	}
	close(fd);
	p[off] = '\0';
	*buf = p;
	*len = off;
	return 1;
fail:
	free(p);
	close(fd);
	return -1;
}

/* fsync a directory. */
int
fsutil_sync_dir(int dirfd, const char *path, struct prun_error *err)
{
	if (fsync(dirfd) == -1)
		return prun_error_errno(err, PRUN_EXIT_IO, errno,
		    "%s: cannot fsync directory", path);
	return 0;
}

/* Open a temporary file beside path (rules 1-2 apply to reports too). */
FILE *
fsutil_atomic_begin(struct fsutil_atomic *a, const char *path,
    struct prun_error *err)
{
	char *copy = NULL, *slash;
	int fd;

	memset(a, 0, sizeof *a);
	if ((a->path = strdup(path)) == NULL || (copy = strdup(path)) == NULL)
		goto nomem;
	slash = strrchr(copy, '/');
	if (slash != NULL)
		*slash = '\0';
	if (asprintf(&a->tmp, "%s%s.%s.%ld" TMP_SUFFIX,
	    slash ? copy : "", slash ? "/" : "", slash ? slash + 1 : copy,
	    (long)getpid()) == -1) {
		a->tmp = NULL;
		goto nomem;
	}
	free(copy);
	fd = open(a->tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
	    0666);
	if (fd == -1) {
		prun_error_errno(err, PRUN_EXIT_IO, errno, "%s: cannot create",
		    a->tmp);
		fsutil_atomic_abort(a);
		return NULL;
	}
	if ((a->fp = fdopen(fd, "w")) == NULL) {
		close(fd);
		prun_error_errno(err, PRUN_EXIT_IO, errno, "%s", a->tmp);
		fsutil_atomic_abort(a);
		return NULL;
	}
	return a->fp;
nomem:
	free(copy);
	prun_error_errno(err, PRUN_EXIT_IO, ENOMEM, "%s", path);
	fsutil_atomic_abort(a);
	return NULL;
}

/* Make the report durable and give it its final name. */
int
fsutil_atomic_commit(struct fsutil_atomic *a, struct prun_error *err)
{
	char *copy, *slash;
	int fd, bad;

	bad = fflush(a->fp) == EOF || ferror(a->fp);
	if (!bad && fsync(fileno(a->fp)) == -1)
		bad = 1;
	if (bad) {
		prun_error_errno(err, PRUN_EXIT_IO, errno, "%s: cannot write",
		    a->tmp);
		fsutil_atomic_abort(a);
		return -1;
	}
	bad = fclose(a->fp) == EOF;
	a->fp = NULL;
	if (bad || rename(a->tmp, a->path) == -1) {
		prun_error_errno(err, PRUN_EXIT_IO, errno, "%s: cannot %s",
		    bad ? a->tmp : a->path, bad ? "close" : "rename into place");
		fsutil_atomic_abort(a);
		return -1;
	}
	free(a->tmp);
	a->tmp = NULL;
	if ((copy = strdup(a->path)) != NULL) {
		slash = strrchr(copy, '/');
		if (slash == copy)
			slash[1] = '\0';
		else if (slash != NULL)
			*slash = '\0';
		fd = open(slash ? copy : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd != -1) {
			bad = fsutil_sync_dir(fd, slash ? copy : ".", err);
			close(fd);
		}
		free(copy);
	}
	fsutil_atomic_abort(a);
	return bad == -1 ? -1 : 0;
}

/* Remove the temporary file (if any) and free everything. */
void
fsutil_atomic_abort(struct fsutil_atomic *a)
{
	if (a->fp != NULL)
		fclose(a->fp);
	if (a->tmp != NULL)
		unlink(a->tmp);
	free(a->tmp);
	free(a->path);
	memset(a, 0, sizeof *a);
}
