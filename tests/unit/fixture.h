/*
 * fixture: what the Check programs of prun share to build files on disk.
 *
 * Each program makes one directory with mkdtemp in main and removes it at
 * the end; each test makes its own directory below it, so tests that Check
 * runs in forked children never see each other's files.
 */
#ifndef PRUN_FIXTURE_H
#define PRUN_FIXTURE_H

#include <sys/types.h>

#include <stddef.h>

#include "plan/plan.h"

/* Make the program's directory (prefix names the program); 0 or -1. */
int		 fixture_init(const char *prefix);

/* Remove the program's directory and everything below it. */
void		 fixture_cleanup(void);

/* A new empty directory for one test; malloc'd path. */
char		*fixture_dir(void);

/* dir/rel in a malloc'd string. */
char		*fixture_path(const char *dir, const char *rel);

/* Write len bytes to path (created or truncated) with mode. */
void		 fixture_write(const char *path, const void *buf, size_t len,
		    mode_t mode);

/* Write a NUL-terminated string to path with mode 0644. */
void		 fixture_write_str(const char *path, const char *s);

/* The whole file at path, NUL-terminated, or NULL when absent. */
char		*fixture_read(const char *path, size_t *len);

/* Whether path exists (without following a final symlink). */
int		 fixture_exists(const char *path);

/* Whether dir/rel exists (without following a final symlink). */
int		 fixture_exists_in(const char *dir, const char *rel);

/* How many entries (but . and ..) the directory path holds. */
size_t		 fixture_count(const char *path);

/* Whether s contains sub (for messages). */
int		 fixture_has(const char *s, const char *sub);

/* Append a test named name running the shell string sh to plan. */
void		 fixture_test(struct prun_plan *, const char *name,
		    const char *sh);

/* The warnings a library call reported through its warn callback. */
struct fixture_warnings {
	char	*msg[16];
	size_t	 n;
};

/* A warn callback (ctx: a struct fixture_warnings) keeping each message. */
void		 fixture_warn(void *ctx, const char *msg);

/* Free the kept warnings. */
void		 fixture_warnings_free(struct fixture_warnings *);

/*
 * Parse the XML document buf[0..len) and check it against
 * tests/data/junit-10.xsd: 1 when valid, 0 when not.  Under make check
 * (top_srcdir set) a schema that cannot be loaded fails the test, so that
 * a moved file cannot turn the check off; run by hand elsewhere, the
 * schema is not checked (1).  Fails the test if buf is not well-formed.
 */
int		 fixture_junit_valid(const char *buf, size_t len);

#endif
