/*
 * fsutil: the file-system primitives prun's durability rests on.
 *
 * Writing a file atomically (temporary name, write, fsync, rename, fsync
 * of the directory), reading a file without following symlinks or
 * blocking on FIFOs and within a size cap, and making directories.
 */
#ifndef PRUN_FSUTIL_H
#define PRUN_FSUTIL_H

#include <stddef.h>
#include <stdio.h>

#include "core/error.h"

/* Write all of buf to fd, retrying short writes and EINTR. */
int	fsutil_write_all(int fd, const void *buf, size_t len);

/*
 * Replace dirfd/name with buf[0..len) atomically: a reader sees the old
 * file or the new one, never a part.  With sync, the new file and its
 * directory entry are durable when this returns 0.  dirpath names the
 * directory in messages.  Never follows a symlink at the temporary name;
 * on failure the temporary file is removed and name is untouched.
 */
int	fsutil_write_atomic(int dirfd, const char *dirpath, const char *name,
	    const void *buf, size_t len, int sync, struct prun_error *);

/* fsutil_write_atomic but for the fsync of the directory: the new name is
 * in place, and durable once the caller has fsync'd dirfd after this
 * returned (a group commit: groupsync.h). */
int	fsutil_write_renamed(int dirfd, const char *dirpath, const char *name,
	    const void *buf, size_t len, int sync, struct prun_error *);
/*
 * A writer of a file's bytes into fp: 0, or -1 with err filled when it
 * cannot make them (a write error of fp is fsutil's to find and name).
 */
typedef int (*fsutil_writer)(FILE *fp, void *arg, struct prun_error *);

/*
 * fsutil_write_atomic of what writer(fp, arg) puts into a stream: the
 * bytes go straight into the temporary file, never all held in memory.
 */
int	fsutil_write_atomic_with(int dirfd, const char *dirpath,
	    const char *name, fsutil_writer writer, void *arg, int sync,
	    struct prun_error *);

/* Whether name is one of the temporary names fsutil_write_atomic uses. */
int	fsutil_is_temporary(const char *name);

/*
 * Read dirfd/name (a regular file, not a symlink, at most cap bytes) into
 * a malloc'd buffer with a NUL after the last byte.  Returns 1 when read,
 * 0 when the file does not exist, -1 on error: PRUN_EXIT_USAGE when what
 * is there is not such a file (bad input), PRUN_EXIT_IO when it cannot be
 * read.
 */
int	fsutil_read_file(int dirfd, const char *dirpath, const char *name,
	    size_t cap, char **buf, size_t *len, struct prun_error *);

/* Open dirfd/name, the same file as fsutil_read_file, to read it as a
 * stream: the descriptor, -2 when it does not exist, or -1 on error. */
int	fsutil_open_file(int dirfd, const char *dirpath, const char *name,
	    size_t cap, struct prun_error *);

/* fsync a directory by fd; path names it in messages. */
int	fsutil_sync_dir(int dirfd, const char *path, struct prun_error *);

/*
 * A report file being written.  A regular file (or a new name) is written
 * under a temporary name and renamed into place; anything else that exists
 * there (a device, a FIFO, a socket) and /dev/stdout, /dev/stderr,
 * /dev/fd/N, /proc/self/fd/N are written into, never replaced.
 */
struct fsutil_atomic {
	char	*path;		/* final name, as the user gave it */
	char	*tmp;		/* temporary name beside it; NULL: in place */
	FILE	*fp;
};

/* Open path for writing a report; returns its stream.  Temporaries of
 * path that a dead process left (.NAME.PID.tmp) are removed first. */
FILE	*fsutil_atomic_begin(struct fsutil_atomic *, const char *path,
	    struct prun_error *);

/* Flush, check, fsync, close and rename the file to its final name,
 * then fsync its directory (written in place: flush, check and close).
 * On failure the temporary file is removed.  Errors name a->path. */
int	 fsutil_atomic_commit(struct fsutil_atomic *, struct prun_error *);

/* Whether path, once resolved, is dir or inside it (1), or not (0). */
int	 fsutil_is_inside(const char *path, const char *dir);

/* Remove the temporary file and free everything. */
void	 fsutil_atomic_abort(struct fsutil_atomic *);

#endif
