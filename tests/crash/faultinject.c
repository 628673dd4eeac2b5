/*
 * faultinject: an LD_PRELOAD shim for prun's crash tests (built only by
 * make check, never installed).
 *
 * It watches the calls by which a process changes or syncs files below
 * the directory PRUN_FI_ROOT, numbers them 1, 2, ... in the order they
 * happen (an "operation": mkdir, creat, tmpfile, write, trunc, fsync of a
 * file, dirsync, rename, unlink, rmdir, link, syncfs) and, as the
 * environment asks:
 *
 *   PRUN_FI_LOG=FILE       appends one line per completed operation to
 *                          FILE, with paths, inode numbers and the bytes
 *                          written, plus "spawn" and "fail" events (the
 *                          input of the power-loss explorer, alice.py);
 *   PRUN_FI_KILL_AT=N      raises SIGKILL just before operation N;
 *   PRUN_FI_KILL_SIG=S     ... or signal S (a number, say 15) instead, once;
 *   PRUN_FI_FAIL=KIND:N:E  makes the N-th operation of that kind fail
 *                          with errno E (ENOSPC or EIO) without doing it;
 *   PRUN_FI_FAIL_MATCH=S   ... counting only paths that contain S;
 *   PRUN_FI_NO_DIRSYNC=1   skips every directory fsync while reporting
 *                          success: a deliberately broken prun, so the
 *                          explorer can show that it catches one;
 *   PRUN_FI_NO_SYNC_MATCH=S  ... skips the fsyncs and fdatasyncs of the
 *                          files whose path contains S (another one);
 *   PRUN_FI_NO_SYNC_AFTER_LINK=1  ... skips every directory fsync that
 *                          comes right after a link (no other entry
 *                          operation between them): a prun that makes
 *                          its start records durable only when a result
 *                          happens to be written beside them (another);
 *   PRUN_FI_FULL=S         a full disk: from operation PRUN_FI_FULL_AT
 *                          on (default 0), every create and write of a
 *                          path that contains S fails with ENOSPC (space
 *                          allocated before still takes writes; links
 *                          and renames, which need no new space in a
 *                          directory block with room, still work);
 *   PRUN_FI_FULL_MARKS=1   ... and so do the marks of start records (a
 *                          rename to a name ending in ".cut", and the
 *                          removal of a name ending in ".start"): a prun
 *                          that cannot mark, for a negative control.
 *
 * A log line is tab-separated: the operation's number (0 for events), its
 * kind, the size of the process's stderr when the operation ended (-1 if
 * stderr is not a regular file: what was printed by then counts as
 * reported before any cut after the operation), then the kind's fields:
 *
 *   mkdir   PATH INO PARENT          creat  PATH INO PARENT
 *   tmpfile PATH INO                 write  PATH INO OFFSET HEXDATA
 *   trunc   PATH INO LENGTH          fsync  PATH INO
 *   dirsync PATH INO                 rename FROM TO INO FROMDIR TODIR OLD
 *   unlink  PATH INO PARENT          rmdir  PATH INO PARENT
 *   link    PATH INO PARENT          syncfs
 *   spawn   TESTNAME OPS             fail   KIND PATH ERRNO
 *
 * (OPS: how many operations were done when the spawn began).  Operations
 * are numbered and logged under one lock, so that with several threads
 * they follow one order, which is one the file system could have seen.
 *
 * PATH is relative to the root ("." for the root itself).  A call that
 * fails by itself, or changes nothing (mkdir of an existing name, unlink
 * of a missing one), is no operation and gets no number.  The calls are
 * made with raw system calls, so the shim never calls itself; it unsets
 * its variables and LD_PRELOAD at load time so that the tests prun starts
 * run without it.
 */
#define _GNU_SOURCE
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum fi_kind {
	FI_MKDIR, FI_CREAT, FI_TMPFILE, FI_WRITE, FI_TRUNC, FI_FSYNC,
	FI_DIRSYNC, FI_RENAME, FI_UNLINK, FI_RMDIR, FI_LINK, FI_SYNCFS,
	FI_NKINDS
};

static const char *fi_names[FI_NKINDS] = {
	"mkdir", "creat", "tmpfile", "write", "trunc", "fsync", "dirsync",
	"rename", "unlink", "rmdir", "link", "syncfs",
};

static char	 fi_root[PATH_MAX];
static size_t	 fi_rootlen;
static int	 fi_active;
static int	 fi_log = -1;
static long	 fi_kill_at;
static int	 fi_kill_sig = SIGKILL;
static long	 fi_seq;			/* operations so far */
static int	 fi_fail_kind = -1;
static long	 fi_fail_nth;
static long	 fi_fail_seen;
static int	 fi_fail_errno;
static char	*fi_fail_match;
static int	 fi_no_dirsync;
static char	 fi_no_sync_match[256];
static char	 fi_full_match[256];
static long	 fi_full_at;
static int	 fi_full_marks;
static int	 fi_no_sync_after_link;
/* The last entry operation was a link (for PRUN_FI_NO_SYNC_AFTER_LINK). */
static int	 fi_after_link;
/* Held from the numbering of an operation to its log line, so that the
 * numbers and the log follow one order when several threads write. */
static pthread_mutex_t fi_lock = PTHREAD_MUTEX_INITIALIZER;

extern char **environ;

/* Read the configuration and hide it from the processes prun starts. */
__attribute__((constructor)) static void
fi_init(void)
{
	const char *root, *v;
	char *copy, *p;
	int k;

	if ((root = getenv("PRUN_FI_ROOT")) == NULL ||
	    realpath(root, fi_root) == NULL)
		goto hide;
	fi_rootlen = strlen(fi_root);
	fi_active = 1;
	if ((v = getenv("PRUN_FI_LOG")) != NULL)
		fi_log = (int)syscall(SYS_openat, AT_FDCWD, v,
		    O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0666);
	if ((v = getenv("PRUN_FI_KILL_AT")) != NULL)
		fi_kill_at = strtol(v, NULL, 10);
	if ((v = getenv("PRUN_FI_KILL_SIG")) != NULL && atoi(v) > 0)
		fi_kill_sig = atoi(v);
	if ((v = getenv("PRUN_FI_FAIL")) != NULL && (copy = strdup(v)) != NULL) {
		/* KIND:N:ERRNO */
		if ((p = strchr(copy, ':')) != NULL) {
			*p++ = '\0';
			for (k = 0; k < FI_NKINDS; k++)
				if (strcmp(copy, fi_names[k]) == 0)
					fi_fail_kind = k;
			fi_fail_nth = strtol(p, &p, 10);
			if (*p == ':')
				p++;
			fi_fail_errno = strcmp(p, "EIO") == 0 ? EIO :
			    strcmp(p, "ENOSPC") == 0 ? ENOSPC :
			    strcmp(p, "EDQUOT") == 0 ? EDQUOT : atoi(p);
		}
		free(copy);
	}
	if ((v = getenv("PRUN_FI_FAIL_MATCH")) != NULL)
		fi_fail_match = strdup(v);
	fi_no_dirsync = getenv("PRUN_FI_NO_DIRSYNC") != NULL;
	if ((v = getenv("PRUN_FI_NO_SYNC_MATCH")) != NULL)
		snprintf(fi_no_sync_match, sizeof fi_no_sync_match, "%s", v);
	if ((v = getenv("PRUN_FI_FULL")) != NULL)
		snprintf(fi_full_match, sizeof fi_full_match, "%s", v);
	if ((v = getenv("PRUN_FI_FULL_AT")) != NULL)
		fi_full_at = strtol(v, NULL, 10);
	fi_full_marks = getenv("PRUN_FI_FULL_MARKS") != NULL;
	fi_no_sync_after_link = getenv("PRUN_FI_NO_SYNC_AFTER_LINK") != NULL;
hide:
	unsetenv("LD_PRELOAD");
	unsetenv("PRUN_FI_ROOT");
	unsetenv("PRUN_FI_LOG");
	unsetenv("PRUN_FI_KILL_AT");
	unsetenv("PRUN_FI_KILL_SIG");
	unsetenv("PRUN_FI_FAIL");
	unsetenv("PRUN_FI_FAIL_MATCH");
	unsetenv("PRUN_FI_NO_DIRSYNC");
	unsetenv("PRUN_FI_NO_SYNC_MATCH");
	unsetenv("PRUN_FI_FULL");
	unsetenv("PRUN_FI_FULL_AT");
	unsetenv("PRUN_FI_FULL_MARKS");
	unsetenv("PRUN_FI_NO_SYNC_AFTER_LINK");
}

/* Whether the full disk (PRUN_FI_FULL) refuses a create or a write of
 * iov (NULL for a create) to rel. */
static int
fi_full(const char *rel, const struct iovec *iov, int iovcnt)
{
	if (fi_full_match[0] == '\0' || fi_seq < fi_full_at)
		return 0;
	(void)iov;
	(void)iovcnt;
	return strstr(rel, fi_full_match) != NULL;
}

/* Whether the full disk refuses to mark a start record: a rename to
 * .cut or the removal of a .start (PRUN_FI_FULL_MARKS). */
static int
fi_full_mark(const char *rel, const char *suffix)
{
	size_t n = strlen(rel), k = strlen(suffix);

	return fi_full_marks && fi_full_match[0] != '\0' &&
	    fi_seq >= fi_full_at && n >= k && strcmp(rel + n - k, suffix) == 0;
}

/* Drop "/./" and "//" from an absolute path, in place. */
static void
fi_clean(char *p)
{
	char *r = p, *w = p;

	while (*r != '\0') {
		if (r[0] == '/' && r[1] == '/') {
			r++;
			continue;
		}
		if (r[0] == '/' && r[1] == '.' && (r[2] == '/' || r[2] == '\0')) {
			r += 2;
			continue;
		}
		*w++ = *r++;
	}
	*w = '\0';
	if (w == p) {
		p[0] = '/';
		p[1] = '\0';
	}
}

/* The absolute path that a descriptor refers to now. */
static int
fi_fd_path(int fd, char *buf, size_t size)
{
	char link[64];
	long n;

	snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
	n = readlink(link, buf, size - 1);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	return 0;
}

/* The absolute path of name relative to dirfd. */
static int
fi_at_path(int dirfd, const char *name, char *buf, size_t size)
{
	char base[PATH_MAX];

	if (name == NULL)
		return -1;
	if (name[0] == '/') {
		snprintf(buf, size, "%s", name);
	} else {
		if (dirfd == AT_FDCWD) {
			if (getcwd(base, sizeof base) == NULL)
				return -1;
		} else if (fi_fd_path(dirfd, base, sizeof base) == -1)
			return -1;
		if (snprintf(buf, size, "%s/%s", base, name) >= (int)size)
			return -1;
	}
	fi_clean(buf);
	return 0;
}

/* The path relative to the root, or NULL when it is not below it. */
static const char *
fi_rel(const char *abs)
{
	if (!fi_active || strncmp(abs, fi_root, fi_rootlen) != 0)
		return NULL;
	if (abs[fi_rootlen] == '\0')
		return ".";
	if (abs[fi_rootlen] != '/')
		return NULL;
	return abs + fi_rootlen + 1;
}

/* Inode number of a path (without following a last symlink), or 0. */
static unsigned long long
fi_ino(const char *abs)
{
	struct stat sb;

	if (fstatat(AT_FDCWD, abs, &sb, AT_SYMLINK_NOFOLLOW) == -1)
		return 0;
	return (unsigned long long)sb.st_ino;
}

/* Inode number of the directory holding abs. */
static unsigned long long
fi_parent_ino(const char *abs)
{
	char dir[PATH_MAX], *slash;

	snprintf(dir, sizeof dir, "%s", abs);
	if ((slash = strrchr(dir, '/')) == NULL)
		return 0;
	if (slash == dir)
		slash[1] = '\0';
	else
		*slash = '\0';
	return fi_ino(dir);
}

/* Inode number and type of a descriptor. */
static unsigned long long
fi_fd_ino(int fd, int *isdir)
{
	struct stat sb;

	if (fstat(fd, &sb) == -1)
		return 0;
	if (isdir != NULL)
		*isdir = S_ISDIR(sb.st_mode);
	return (unsigned long long)sb.st_ino;
}

/* How much the process has printed on stderr (a regular file), or -1. */
static long long
fi_reported(void)
{
	struct stat sb;

	if (fstat(2, &sb) == -1 || !S_ISREG(sb.st_mode))
		return -1;
	return (long long)sb.st_size;
}

/* Write one log line (fields already formatted) with one write(2). */
static void
fi_emit(const char *line, size_t len)
{
	while (fi_log != -1 && len > 0) {
		long n = syscall(SYS_write, fi_log, line, len);

		if (n <= 0)
			break;
		line += n;
		len -= (size_t)n;
	}
}

/* Log an operation or event: number, kind, stderr size, fields. */
__attribute__((format(printf, 4, 5))) static void
fi_logf(long seq, const char *kind, long long rep, const char *fmt, ...)
{
	char line[PATH_MAX * 3];
	va_list ap;
	int n;

	if (fi_log == -1)
		return;
	n = snprintf(line, sizeof line, "%ld\t%s\t%lld\t", seq, kind, rep);
	va_start(ap, fmt);
	n += vsnprintf(line + n, sizeof line - n - 1, fmt, ap);
	va_end(ap);
	if (n > (int)sizeof line - 2)
		n = sizeof line - 2;
	line[n++] = '\n';
	fi_emit(line, (size_t)n);
}

/* Log a completed operation and let the next one begin: the stderr size
 * is taken now, so what was printed while it ran counts as printed before
 * any cut that follows it. */
__attribute__((format(printf, 3, 4))) static void
fi_done(long seq, const char *kind, const char *fmt, ...)
{
	char line[PATH_MAX * 3];
	va_list ap;
	int n;

	if (strcmp(kind, "link") == 0)
		fi_after_link = 1;
	else if (strcmp(kind, "creat") == 0 || strcmp(kind, "mkdir") == 0 ||
	    strcmp(kind, "rename") == 0 || strcmp(kind, "unlink") == 0 ||
	    strcmp(kind, "rmdir") == 0)
		fi_after_link = 0;
	if (fi_log != -1) {
		n = snprintf(line, sizeof line, "%ld\t%s\t%lld\t", seq, kind,
		    fi_reported());
		va_start(ap, fmt);
		n += vsnprintf(line + n, sizeof line - n - 1, fmt, ap);
		va_end(ap);
		if (n > (int)sizeof line - 2)
			n = sizeof line - 2;
		line[n++] = '\n';
		fi_emit(line, (size_t)n);
	}
	pthread_mutex_unlock(&fi_lock);
}

/*
 * An operation of kind on path is about to happen: take the lock, number
 * it, and kill the process or make it fail when asked.  Returns the errno
 * to fail with (the lock released), or 0 to go on, *seq its number; the
 * caller ends with fi_done or fi_undo.
 */
static int
fi_begin(enum fi_kind kind, const char *rel, long *seq)
{
	pthread_mutex_lock(&fi_lock);
	*seq = ++fi_seq;
	if (fi_kill_at > 0 && *seq == fi_kill_at)
		kill(getpid(), fi_kill_sig);
	if ((int)kind == fi_fail_kind &&
	    (fi_fail_match == NULL || strstr(rel, fi_fail_match) != NULL) &&
	    ++fi_fail_seen == fi_fail_nth) {
		/* A failed operation did not happen: it has no number. */
		fi_seq--;
		fi_logf(0, "fail", fi_reported(), "%s\t%s\t%d",
		    fi_names[kind], rel, fi_fail_errno);
		pthread_mutex_unlock(&fi_lock);
		return fi_fail_errno;
	}
	return 0;
}

/* The operation that was numbered did not happen after all. */
static void
fi_undo(void)
{
	fi_seq--;
	pthread_mutex_unlock(&fi_lock);
}

/* Fail a call with e as libc would. */
static int
fi_errno(int e)
{
	errno = e;
	return -1;
}

/* Every open: creating a file, truncating one, or an unnamed tmpfile. */
static int
fi_open(int dirfd, const char *name, int flags, mode_t mode)
{
	char abs[PATH_MAX];
	const char *rel = NULL;
	unsigned long long ino;
	enum fi_kind kind = FI_NKINDS;
	long seq = 0;
	int fd, e, existed = 0;

	if (fi_active && fi_at_path(dirfd, name, abs, sizeof abs) == 0 &&
	    (rel = fi_rel(abs)) != NULL) {
		if ((flags & O_TMPFILE) == O_TMPFILE)
			kind = FI_TMPFILE;
		else if (flags & (O_CREAT | O_TRUNC)) {
			existed = fi_ino(abs) != 0;
			if (!existed && (flags & O_CREAT))
				kind = FI_CREAT;
			else if (existed && (flags & O_TRUNC) &&
			    (flags & O_ACCMODE) != O_RDONLY)
				kind = FI_TRUNC;
		}
	}
	if ((kind == FI_CREAT || kind == FI_TMPFILE) && fi_full(rel, NULL, 0))
		return fi_errno(ENOSPC);
	if (kind != FI_NKINDS && (e = fi_begin(kind, rel, &seq)) != 0)
		return fi_errno(e);
	fd = (int)syscall(SYS_openat, dirfd, name, flags, mode);
	if (fd == -1 && kind != FI_NKINDS)
		fi_undo();
	if (fd == -1 || kind == FI_NKINDS)
		return fd;
	ino = fi_fd_ino(fd, NULL);
	if (kind == FI_CREAT)
		fi_done(seq, "creat", "%s\t%llu\t%llu", rel, ino,
		    fi_parent_ino(abs));
	else if (kind == FI_TRUNC)
		fi_done(seq, "trunc", "%s\t%llu\t0", rel, ino);
	else
		fi_done(seq, "tmpfile", "%s\t%llu", rel, ino);
	return fd;
}

/* The mode argument of an open, present only with O_CREAT or O_TMPFILE. */
#define FI_MODE(flags, ap, mode) do {					\
	(mode) = 0;							\
	if ((flags) & O_CREAT || ((flags) & O_TMPFILE) == O_TMPFILE) {	\
		va_start(ap, flags);					\
		(mode) = va_arg(ap, mode_t);				\
		va_end(ap);						\
	}								\
} while (0)

int
open(const char *path, int flags, ...)
{
	va_list ap;
	mode_t mode;

	FI_MODE(flags, ap, mode);
	return fi_open(AT_FDCWD, path, flags, mode);
}

int
open64(const char *path, int flags, ...)
{
	va_list ap;
	mode_t mode;

	FI_MODE(flags, ap, mode);
	return fi_open(AT_FDCWD, path, flags, mode);
}

int
openat(int dirfd, const char *path, int flags, ...)
{
	va_list ap;
	mode_t mode;

	FI_MODE(flags, ap, mode);
	return fi_open(dirfd, path, flags, mode);
}

int
openat64(int dirfd, const char *path, int flags, ...)
{
	va_list ap;
	mode_t mode;

	FI_MODE(flags, ap, mode);
	return fi_open(dirfd, path, flags, mode);
}

int
creat(const char *path, mode_t mode)
{
	return fi_open(AT_FDCWD, path, O_WRONLY | O_CREAT | O_TRUNC, mode);
}

int
creat64(const char *path, mode_t mode)
{
	return fi_open(AT_FDCWD, path, O_WRONLY | O_CREAT | O_TRUNC, mode);
}

/* A write of iov at off (-1: the file offset) to fd. */
static ssize_t
fi_write(int fd, const struct iovec *iov, int iovcnt, off_t off)
{
	char abs[PATH_MAX], *line, *p;
	const char *rel = NULL;
	unsigned long long ino = 0;
	struct stat sb;
	size_t total = 0, i, j;
	long seq = 0, n;
	off_t at = off;
	int e;

	if (fi_active && fi_fd_path(fd, abs, sizeof abs) == 0)
		rel = fi_rel(abs);
	if (rel != NULL && fi_full(rel, iov, iovcnt))
		return fi_errno(ENOSPC);
	if (rel != NULL) {
		if ((e = fi_begin(FI_WRITE, rel, &seq)) != 0)
			return fi_errno(e);
		ino = fi_fd_ino(fd, NULL);
		/* O_APPEND writes at the end, wherever the offset is. */
		if (at == -1 && (fcntl(fd, F_GETFL) & O_APPEND) &&
		    fstat(fd, &sb) == 0)
			at = sb.st_size;
		else if (at == -1)
			at = lseek(fd, 0, SEEK_CUR);
	}
	if (off == -1)
		n = syscall(SYS_writev, fd, iov, iovcnt);
	else
		n = syscall(SYS_pwritev, fd, iov, iovcnt, (long)off, 0L);
	if (rel == NULL)
		return n;
	if (n <= 0) {
		fi_undo();
		return n;
	}
	/* Log the bytes that were written, in hex. */
	if (fi_log == -1 ||
	    (line = malloc(strlen(rel) + 2 * (size_t)n + 128)) == NULL) {
		pthread_mutex_unlock(&fi_lock);
		return n;
	}
	p = line + sprintf(line, "%ld\twrite\t%lld\t%s\t%llu\t%lld\t", seq,
	    fi_reported(), rel, ino, (long long)at);
	for (i = 0; i < (size_t)iovcnt && total < (size_t)n; i++)
		for (j = 0; j < iov[i].iov_len && total < (size_t)n; j++) {
			p += sprintf(p, "%02x",
			    ((const unsigned char *)iov[i].iov_base)[j]);
			total++;
		}
	*p++ = '\n';
	fi_emit(line, (size_t)(p - line));
	free(line);
	pthread_mutex_unlock(&fi_lock);
	return n;
}

ssize_t
write(int fd, const void *buf, size_t len)
{
	struct iovec iov = { (void *)buf, len };

	return fi_write(fd, &iov, 1, -1);
}

ssize_t
writev(int fd, const struct iovec *iov, int iovcnt)
{
	return fi_write(fd, iov, iovcnt, -1);
}

ssize_t
pwrite(int fd, const void *buf, size_t len, off_t off)
{
	struct iovec iov = { (void *)buf, len };

	return fi_write(fd, &iov, 1, off);
}

ssize_t
pwrite64(int fd, const void *buf, size_t len, off_t off)
{
	struct iovec iov = { (void *)buf, len };

	return fi_write(fd, &iov, 1, off);
}

ssize_t
pwritev(int fd, const struct iovec *iov, int iovcnt, off_t off)
{
	return fi_write(fd, iov, iovcnt, off);
}

/* ftruncate of a watched file. */
static int
fi_ftruncate(int fd, off_t len)
{
	char abs[PATH_MAX];
	const char *rel = NULL;
	long seq;
	long rc;
	int e;

	if (fi_active && fi_fd_path(fd, abs, sizeof abs) == 0)
		rel = fi_rel(abs);
	if (rel != NULL && (e = fi_begin(FI_TRUNC, rel, &seq)) != 0)
		return fi_errno(e);
	rc = syscall(SYS_ftruncate, fd, (long)len);
	if (rc == 0 && rel != NULL)
		fi_done(seq, "trunc", "%s\t%llu\t%lld", rel,
		    fi_fd_ino(fd, NULL), (long long)len);
	else if (rel != NULL)
		fi_undo();
	return (int)rc;
}

int
ftruncate(int fd, off_t len)
{
	return fi_ftruncate(fd, len);
}

int
ftruncate64(int fd, off_t len)
{
	return fi_ftruncate(fd, len);
}

/* fsync and fdatasync: of a file (its data) or a directory (entries). */
static int
fi_sync(int fd, long nr)
{
	char abs[PATH_MAX];
	const char *rel = NULL;
	unsigned long long ino = 0;
	long seq, rc;
	int e, isdir = 0;

	if (fi_active && fi_fd_path(fd, abs, sizeof abs) == 0)
		rel = fi_rel(abs);
	if (rel == NULL)
		return (int)syscall(nr, fd);
	ino = fi_fd_ino(fd, &isdir);
	if (isdir && fi_no_dirsync)
		return 0;
	if (isdir && fi_no_sync_after_link && fi_after_link)
		return 0;
	if (!isdir && fi_no_sync_match[0] != '\0' &&
	    strstr(rel, fi_no_sync_match) != NULL)
		return 0;
	if ((e = fi_begin(isdir ? FI_DIRSYNC : FI_FSYNC, rel, &seq)) != 0)
		return fi_errno(e);
	rc = syscall(nr, fd);
	if (rc == 0)
		fi_done(seq, isdir ? "dirsync" : "fsync", "%s\t%llu", rel,
		    ino);
	else
		fi_undo();
	return (int)rc;
}

int
fsync(int fd)
{
	return fi_sync(fd, SYS_fsync);
}

int
fdatasync(int fd)
{
	return fi_sync(fd, SYS_fdatasync);
}

/* syncfs and sync make everything durable. */
int
syncfs(int fd)
{
	long seq;
	int e;

	if (!fi_active)
		return (int)syscall(SYS_syncfs, fd);
	if ((e = fi_begin(FI_SYNCFS, ".", &seq)) != 0)
		return fi_errno(e);
	if (syscall(SYS_syncfs, fd) == -1) {
		fi_undo();
		return -1;
	}
	fi_done(seq, "syncfs", "%s", ".");
	return 0;
}

void
sync(void)
{
	long seq;

	if (fi_active && fi_begin(FI_SYNCFS, ".", &seq) != 0)
		return;
	syscall(SYS_sync);
	if (fi_active)
		fi_done(seq, "syncfs", "%s", ".");
}

/* renameat2, which every rename comes down to. */
static int
fi_rename(int odir, const char *from, int ndir, const char *to,
    unsigned flags)
{
	char oabs[PATH_MAX], nabs[PATH_MAX];
	const char *orel = NULL, *nrel = NULL;
	unsigned long long ino = 0, old = 0, opino = 0, npino = 0;
	long seq, rc;
	int e;

	if (fi_active && fi_at_path(odir, from, oabs, sizeof oabs) == 0 &&
	    fi_at_path(ndir, to, nabs, sizeof nabs) == 0) {
		orel = fi_rel(oabs);
		nrel = fi_rel(nabs);
	}
	if (orel == NULL || nrel == NULL)
		return (int)syscall(SYS_renameat2, odir, from, ndir, to, flags);
	if (fi_full_mark(nrel, ".cut"))
		return fi_errno(ENOSPC);
	if ((e = fi_begin(FI_RENAME, nrel, &seq)) != 0)
		return fi_errno(e);
	ino = fi_ino(oabs);
	old = fi_ino(nabs);
	opino = fi_parent_ino(oabs);
	npino = fi_parent_ino(nabs);
	rc = syscall(SYS_renameat2, odir, from, ndir, to, flags);
	if (rc == 0)
		fi_done(seq, "rename", "%s\t%s\t%llu\t%llu\t%llu\t%llu",
		    orel, nrel, ino, opino, npino, old);
	else
		fi_undo();
	return (int)rc;
}

int
rename(const char *from, const char *to)
{
	return fi_rename(AT_FDCWD, from, AT_FDCWD, to, 0);
}

int
renameat(int odir, const char *from, int ndir, const char *to)
{
	return fi_rename(odir, from, ndir, to, 0);
}

int
renameat2(int odir, const char *from, int ndir, const char *to,
    unsigned flags)
{
	return fi_rename(odir, from, ndir, to, flags);
}

/* unlinkat, for files and (AT_REMOVEDIR) directories. */
static int
fi_unlink(int dirfd, const char *name, int flags)
{
	char abs[PATH_MAX];
	const char *rel = NULL;
	unsigned long long ino = 0, pino = 0;
	enum fi_kind kind = flags & AT_REMOVEDIR ? FI_RMDIR : FI_UNLINK;
	long seq, rc;
	int e;

	if (fi_active && fi_at_path(dirfd, name, abs, sizeof abs) == 0)
		rel = fi_rel(abs);
	/* A name that does not exist is no operation (ENOENT). */
	if (rel == NULL || fi_ino(abs) == 0)
		return (int)syscall(SYS_unlinkat, dirfd, name, flags);
	if (fi_full_mark(rel, ".start"))
		return fi_errno(ENOSPC);
	if ((e = fi_begin(kind, rel, &seq)) != 0)
		return fi_errno(e);
	ino = fi_ino(abs);
	pino = fi_parent_ino(abs);
	rc = syscall(SYS_unlinkat, dirfd, name, flags);
	if (rc == 0)
		fi_done(seq, fi_names[kind], "%s\t%llu\t%llu", rel, ino,
		    pino);
	else
		fi_undo();
	return (int)rc;
}

int
unlink(const char *path)
{
	return fi_unlink(AT_FDCWD, path, 0);
}

int
unlinkat(int dirfd, const char *path, int flags)
{
	return fi_unlink(dirfd, path, flags);
}

int
rmdir(const char *path)
{
	return fi_unlink(AT_FDCWD, path, AT_REMOVEDIR);
}

/* mkdirat. */
static int
fi_mkdir(int dirfd, const char *name, mode_t mode)
{
	char abs[PATH_MAX];
	const char *rel = NULL;
	long seq, rc;
	int e;

	if (fi_active && fi_at_path(dirfd, name, abs, sizeof abs) == 0)
		rel = fi_rel(abs);
	/* An existing name is no operation (mkdir fails with EEXIST). */
	if (rel == NULL || fi_ino(abs) != 0)
		return (int)syscall(SYS_mkdirat, dirfd, name, mode);
	if ((e = fi_begin(FI_MKDIR, rel, &seq)) != 0)
		return fi_errno(e);
	rc = syscall(SYS_mkdirat, dirfd, name, mode);
	if (rc == 0)
		fi_done(seq, "mkdir", "%s\t%llu\t%llu", rel, fi_ino(abs),
		    fi_parent_ino(abs));
	else
		fi_undo();
	return (int)rc;
}

int
mkdir(const char *path, mode_t mode)
{
	return fi_mkdir(AT_FDCWD, path, mode);
}

int
mkdirat(int dirfd, const char *path, mode_t mode)
{
	return fi_mkdir(dirfd, path, mode);
}

/* linkat (also how an O_TMPFILE file gets its name). */
int
linkat(int odir, const char *from, int ndir, const char *to, int flags)
{
	char oabs[PATH_MAX], nabs[PATH_MAX];
	const char *nrel = NULL;
	unsigned long long ino = 0;
	struct stat sb;
	long seq, rc;
	int e;

	if (fi_active && fi_at_path(ndir, to, nabs, sizeof nabs) == 0)
		nrel = fi_rel(nabs);
	if (nrel == NULL)
		return (int)syscall(SYS_linkat, odir, from, ndir, to, flags);
	if ((e = fi_begin(FI_LINK, nrel, &seq)) != 0)
		return fi_errno(e);
	if ((flags & AT_EMPTY_PATH) && from[0] == '\0') {
		if (fstat(odir, &sb) == 0)
			ino = (unsigned long long)sb.st_ino;
	} else if (fi_at_path(odir, from, oabs, sizeof oabs) == 0)
		ino = fi_ino(oabs);
	rc = syscall(SYS_linkat, odir, from, ndir, to, flags);
	if (rc == 0)
		fi_done(seq, "link", "%s\t%llu\t%llu", nrel, ino,
		    fi_parent_ino(nabs));
	else
		fi_undo();
	return (int)rc;
}

int
link(const char *from, const char *to)
{
	return linkat(AT_FDCWD, from, AT_FDCWD, to, 0);
}

/* The test name a spawned process gets, from its environment. */
static const char *
fi_test_name(char *const envp[])
{
	size_t i;

	for (i = 0; envp != NULL && envp[i] != NULL; i++)
		if (strncmp(envp[i], "PRUN_TEST_NAME=", 15) == 0)
			return envp[i] + 15;
	return "?";
}

typedef int (*fi_spawn_fn)(pid_t *, const char *,
    const posix_spawn_file_actions_t *, const posix_spawnattr_t *,
    char *const[], char *const[]);

/* A spawn through the real function, logged when it succeeded. */
static int
fi_spawn(const char *sym, pid_t *pid, const char *path,
    const posix_spawn_file_actions_t *fa, const posix_spawnattr_t *attr,
    char *const argv[], char *const envp[])
{
	static fi_spawn_fn real[2];
	fi_spawn_fn *fn = &real[sym[11] == 'p'];
	long long rep;
	long pos;
	int rc;

	/* prun spawns from several threads: look the real one up under the
	 * lock. */
	pthread_mutex_lock(&fi_lock);
	if (*fn == NULL && (*fn = (fi_spawn_fn)dlsym(RTLD_NEXT, sym)) == NULL) {
		pthread_mutex_unlock(&fi_lock);
		return ENOSYS;
	}
	/* The test may act as soon as it exists: where it began counts. */
	pos = fi_seq;
	rep = fi_reported();
	pthread_mutex_unlock(&fi_lock);
	rc = (*fn)(pid, path, fa, attr, argv, envp);
	if (rc == 0 && fi_active) {
		pthread_mutex_lock(&fi_lock);
		fi_logf(0, "spawn", rep, "%s\t%ld", fi_test_name(envp), pos);
		pthread_mutex_unlock(&fi_lock);
	}
	return rc;
}

int
posix_spawn(pid_t *pid, const char *path,
    const posix_spawn_file_actions_t *fa, const posix_spawnattr_t *attr,
    char *const argv[], char *const envp[])
{
	return fi_spawn("posix_spawn", pid, path, fa, attr, argv, envp);
}

int
posix_spawnp(pid_t *pid, const char *path,
    const posix_spawn_file_actions_t *fa, const posix_spawnattr_t *attr,
    char *const argv[], char *const envp[])
{
	return fi_spawn("posix_spawnp", pid, path, fa, attr, argv, envp);
}
