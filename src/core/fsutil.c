/*
 * fsutil: atomic, durable writes and careful reads of small files.
 *
 * fsutil_write_atomic, and fsutil_write_atomic_with for a file written as
 * a stream (metadata.json), keep these rules, on which every guarantee of
 * the results directory rests:
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

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
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

/* Create the temporary file of dirfd/name (rule 1), its name into tmp:
 * the descriptor, or -1. */
static int
atomic_open(int dirfd, const char *dirpath, const char *name,
    char tmp[NAME_MAX + 1], struct prun_error *err)
{
	int fd, n;

	n = snprintf(tmp, NAME_MAX + 1, ".%s" TMP_SUFFIX, name);
	if (n < 0 || n >= NAME_MAX + 1)
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
	return fd;
}

/* The bytes of the temporary file tmp are all written to fd: fsync it,
 * close it and publish it as name (rules 2-4), and with syncdir fsync
 * the directory (rule 5).  On failure the temporary is removed. */
static int
atomic_publish(int dirfd, const char *dirpath, const char *name,
    const char *tmp, int fd, int sync, int syncdir, struct prun_error *err)
{
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
	if (sync && syncdir && fsync(dirfd) == -1)
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

/* Write buf to a temporary file and publish it as dirfd/name, with the
 * directory's fsync when syncdir. */
static int
write_buf(int dirfd, const char *dirpath, const char *name, const void *buf,
    size_t len, int sync, int syncdir, struct prun_error *err)
{
	char tmp[NAME_MAX + 1];
	int fd;

	if ((fd = atomic_open(dirfd, dirpath, name, tmp, err)) == -1)
		return -1;
	if (fsutil_write_all(fd, buf, len) == -1) {
		prun_error_errno(err, PRUN_EXIT_IO, errno,
		    "%s/%s: cannot write", dirpath, tmp);
		close(fd);
		unlinkat(dirfd, tmp, 0);
		return -1;
	}
	return atomic_publish(dirfd, dirpath, name, tmp, fd, sync, syncdir,
	    err);
}

/* Replace dirfd/name with buf atomically (see the rules above). */
int
fsutil_write_atomic(int dirfd, const char *dirpath, const char *name,
    const void *buf, size_t len, int sync, struct prun_error *err)
{
	return write_buf(dirfd, dirpath, name, buf, len, sync, 1, err);
}

/* Rules 1-4 of fsutil_write_atomic: the caller makes the entry durable
 * (rule 5). */
int
fsutil_write_renamed(int dirfd, const char *dirpath, const char *name,
    const void *buf, size_t len, int sync, struct prun_error *err)
{
	return write_buf(dirfd, dirpath, name, buf, len, sync, 0, err);
}

/* The temporary file behind a stream of fsutil_write_atomic_with. */
struct atomic_stream {
	int	fd;
	int	errnum;		/* of the first failed write, 0: none */
};

/* The stream's writes go through write(2) by fsutil_write_all, as every
 * other write of a record does (stdio's own would bypass the crash
 * tests' shim, which must see every byte). */
static ssize_t
stream_write(void *cookie, const char *buf, size_t len)
{
	struct atomic_stream *as = cookie;

	if (fsutil_write_all(as->fd, buf, len) == -1) {
		if (as->errnum == 0)
			as->errnum = errno;
		return -1;
	}
	return (ssize_t)len;
}

/* Replace dirfd/name with what writer puts into a stream, atomically (see
 * the rules above): the bytes go straight into the temporary file. */
int
fsutil_write_atomic_with(int dirfd, const char *dirpath, const char *name,
    fsutil_writer writer, void *arg, int sync, struct prun_error *err)
{
	static const cookie_io_functions_t io = { .write = stream_write };
	struct atomic_stream as = { -1, 0 };
	char tmp[NAME_MAX + 1];
	FILE *fp;
	int bad;

	if ((as.fd = atomic_open(dirfd, dirpath, name, tmp, err)) == -1)
		return -1;
	if ((fp = fopencookie(&as, "w", io)) == NULL) {
		prun_error_errno(err, PRUN_EXIT_IO, errno,
		    "%s/%s: cannot write", dirpath, tmp);
		goto fail;
	}
	setvbuf(fp, NULL, _IOFBF, 1 << 16);
	if (writer(fp, arg, err) == -1) {
		fclose(fp);
		goto fail;
	}
	/* Every byte must be in the file (rules 2, 3): a failed write,
	 * then or in the last flush, is an error. */
	bad = ferror(fp);
	if (fclose(fp) == EOF || bad || as.errnum != 0) {
		prun_error_errno(err, PRUN_EXIT_IO, as.errnum ? as.errnum : EIO,
		    "%s/%s: cannot write", dirpath, tmp);
		goto fail;
	}
	return atomic_publish(dirfd, dirpath, name, tmp, as.fd, sync, 1,
	    err);
fail:
	close(as.fd);
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

/* The descriptor a path such as /dev/stdout or /dev/fd/3 names, or -1:
 * opening it again could truncate a file the shell redirected into. */
static int
fd_path(const char *path)
{
	static const char *const prefixes[] = { "/dev/fd/", "/proc/self/fd/" };
	const char *p;
	char *end;
	long n;
	size_t i;

	if (strcmp(path, "/dev/stdout") == 0)
		return 1;
	if (strcmp(path, "/dev/stderr") == 0)
		return 2;
	for (i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++) {
		if (strncmp(path, prefixes[i], strlen(prefixes[i])) != 0)
			continue;
		p = path + strlen(prefixes[i]);
		if (*p < '0' || *p > '9')
			return -1;
		errno = 0;
		n = strtol(p, &end, 10);
		if (*end != '\0' || errno != 0 || n > INT_MAX)
			return -1;
		return (int)n;
	}
	return -1;
}

/*
 * Remove .BASE.PID.tmp in dir for every PID but ours that no process
 * has: what a killed prun summary -o left.  A PID in use again by another
 * process keeps its file; only names of our own pattern are touched.
 */
static void
remove_stale(const char *dir, const char *base)
{
	struct dirent *de;
	const char *p;
	char *end;
	size_t blen = strlen(base);
	long pid;
	DIR *d;

	if ((d = opendir(dir)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		p = de->d_name;
		if (p[0] != '.' || strncmp(p + 1, base, blen) != 0 ||
		    p[1 + blen] != '.')
			continue;
		p += 2 + blen;
		if (*p < '1' || *p > '9')
			continue;
		errno = 0;
		pid = strtol(p, &end, 10);
		if (errno != 0 || strcmp(end, TMP_SUFFIX) != 0 ||
		    pid > INT_MAX || pid == (long)getpid())
			continue;
		if (kill((pid_t)pid, 0) == -1 && errno == ESRCH)
			unlinkat(dirfd(d), de->d_name, 0);
	}
	closedir(d);
}

/* Open path to be written in place: a device, FIFO, socket or fd path. */
static int
open_in_place(struct fsutil_atomic *a, const char *path, int fd,
    struct prun_error *err)
{
	if (fd >= 0)
		fd = fcntl(fd, F_DUPFD_CLOEXEC, 3);
	else
		fd = open(path, O_WRONLY | O_NOCTTY | O_CLOEXEC);
	if (fd == -1)
		return prun_error_errno(err, PRUN_EXIT_IO, errno,
		    "%s: cannot open", path);
	if ((a->fp = fdopen(fd, "w")) == NULL) {
		close(fd);
		return prun_error_errno(err, PRUN_EXIT_IO, errno, "%s", path);
	}
	return 0;
}

/* Open path for a report: in place, or a temporary file beside it (rules
 * 1-2 apply to reports too). */
FILE *
fsutil_atomic_begin(struct fsutil_atomic *a, const char *path,
    struct prun_error *err)
{
	char *copy = NULL, *slash;
	struct stat st;
	int fd;

	memset(a, 0, sizeof *a);
	if ((a->path = strdup(path)) == NULL)
		goto nomem;
	fd = fd_path(path);
	if (fd >= 0 || (stat(path, &st) == 0 && !S_ISREG(st.st_mode))) {
		if (fd < 0 && S_ISDIR(st.st_mode)) {
			prun_error_set(err, PRUN_EXIT_USAGE, "%s: a "
			    "directory, not a file to write", path);
			goto fail;
		}
		if (open_in_place(a, path, fd, err) == -1)
			goto fail;
		return a->fp;
	}
	if ((copy = strdup(path)) == NULL)
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
	remove_stale(slash == NULL ? "." : slash == copy ? "/" : copy,
	    slash ? slash + 1 : copy);
	free(copy);
	fd = open(a->tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
	    0666);
	if (fd == -1) {
		prun_error_errno(err, PRUN_EXIT_IO, errno, "%s: cannot create "
		    "a temporary file beside it", path);
		goto fail;
	}
	if ((a->fp = fdopen(fd, "w")) == NULL) {
		close(fd);
		prun_error_errno(err, PRUN_EXIT_IO, errno, "%s", path);
		goto fail;
	}
	return a->fp;
nomem:
	free(copy);
	prun_error_errno(err, PRUN_EXIT_IO, ENOMEM, "%s", path);
fail:
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
	/* A device or a pipe has nothing to fsync (EINVAL). */
	if (!bad && a->tmp != NULL && fsync(fileno(a->fp)) == -1)
		bad = 1;
	if (bad) {
		prun_error_errno(err, PRUN_EXIT_IO, errno, "%s: cannot write",
		    a->path);
		fsutil_atomic_abort(a);
		return -1;
	}
	bad = fclose(a->fp) == EOF;
	a->fp = NULL;
	if (bad || (a->tmp != NULL && rename(a->tmp, a->path) == -1)) {
		prun_error_errno(err, PRUN_EXIT_IO, errno, "%s: cannot %s",
		    a->path, bad ? "write" : "rename into place");
		fsutil_atomic_abort(a);
		return -1;
	}
	if (a->tmp == NULL) {
		fsutil_atomic_abort(a);
		return 0;
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

/* Resolve path, which need not exist (its directory must), into buf. */
static int
resolve(const char *path, char *buf)
{
	char dir[PATH_MAX], *copy, *slash;
	int n;

	if (realpath(path, buf) != NULL)
		return 0;
	if ((copy = strdup(path)) == NULL)
		return -1;
	slash = strrchr(copy, '/');
	if (slash != NULL)
		*slash = '\0';
	if (realpath(slash == NULL ? "." : slash == copy ? "/" : copy,
	    dir) == NULL) {
		free(copy);
		return -1;
	}
	n = snprintf(buf, PATH_MAX, "%s/%s", strcmp(dir, "/") ? dir : "",
	    slash ? slash + 1 : copy);
	free(copy);
	return n < 0 || n >= PATH_MAX ? -1 : 0;
}

/* Whether path is dir or inside it, both resolved. */
int
fsutil_is_inside(const char *path, const char *dir)
{
	char p[PATH_MAX], d[PATH_MAX];
	size_t len;

	if (resolve(path, p) == -1 || realpath(dir, d) == NULL)
		return 0;
	len = strlen(d);
	if (strcmp(d, "/") == 0)
		return 1;
	return strncmp(p, d, len) == 0 && (p[len] == '\0' || p[len] == '/');
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
