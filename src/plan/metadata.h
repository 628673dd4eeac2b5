/*
 * metadata: the frozen plan of a run, metadata.json, to and from bytes.
 *
 * It holds everything a resume or a summary needs without the original
 * command line: format version, prun version, argv, every frozen option,
 * every test (name, command, env, cwd, timeout), the host and start time.
 *
 * A plan may hold a million tests: metadata.json is written a test a line
 * and can be read as a stream, the header first and then the tests one at
 * a time, so that a summary goes through them without holding the plan.
 */
#ifndef PRUN_METADATA_H
#define PRUN_METADATA_H

#include <sys/types.h>

#include <stddef.h>
#include <stdio.h>

#include "core/error.h"
#include "plan/options.h"
#include "plan/plan.h"
#include "plan/schedule.h"

#define METADATA_FORMAT		"prun-results"
#define METADATA_VERSION	1

struct prun_metadata {
	struct prun_plan	 plan;
	struct prun_options	 options;
	char			*name;		/* the run's name (DIR's base) */
	char			*plan_id;	/* hash of names and commands */
	char			*hostname;
	char			*uname;		/* "sysname release machine" */
	char			*prun_version;
	double			 time_start;	/* seconds since the epoch */
	char			**argv;		/* prun's command line */
	int			 argc;
	size_t			 ntests;	/* tests in the plan */
	struct prun_schedule	 sched;		/* --history: start order, cut
						 * of the shards (expected
						 * NULL: none) */
};

/* ntests of a file written before it was recorded (read to count). */
#define METADATA_NTESTS_UNKNOWN	((size_t)-1)

/* A metadata.json being read a test at a time (see metadata_open). */
struct metadata_reader {
	FILE		*fp;
	char		*what;		/* the file, for messages */
	char		*buf;		/* the file's bytes, read a block at
					 * a time */
	size_t		 off, len, size; /* next byte, end, room of buf */
	off_t		 at;		/* where buf[0] is in the file */
	size_t		 index;		/* of the next test */
	size_t		 line, col;	/* of the next byte, for messages */
	int		 done;
	int		 fast;		/* tests through the fast decoder */
};

/* Fill md from a fresh run: takes ownership of nothing. */
int	 metadata_init(struct prun_metadata *, const struct prun_plan *,
	    const struct prun_options *, int argc, char *const *argv,
	    const char *name, struct prun_error *);

/* Refuse a plan that metadata.json cannot hold exactly (a command, cwd
 * or env that is not UTF-8): before anything is written. */
int	 metadata_check(const struct prun_metadata *, struct prun_error *);

/* Write md to fp, a test at a time, never all of it in memory: 0, or -1
 * when something could not be encoded; a write error of fp is left in it
 * for the caller (ferror). */
int	 metadata_write(const struct prun_metadata *, FILE *fp,
	    struct prun_error *);

/* metadata_check, then md serialized into a malloc'd buffer and its
 * length, or NULL. */
char	*metadata_encode(const struct prun_metadata *, size_t *len,
	    struct prun_error *);

/* Give md the plan (moved: *plan is left empty), and its plan_id. */
int	 metadata_take_plan(struct prun_metadata *, struct prun_plan *plan,
	    struct prun_error *);

/* Parse metadata.json with its whole plan; what names the file in
 * messages. */
int	 metadata_decode(struct prun_metadata *, const char *buf, size_t len,
	    const char *what, struct prun_error *);

/* The same from fp (taken and closed), a stream: a resume does not hold
 * the file's bytes beside the plan they decode to. */
int	 metadata_read(struct prun_metadata *, FILE *fp, const char *what,
	    struct prun_error *);

/* metadata_decode with every test decoded by jansson, never by the fast
 * decoder (metadata_read.c): for tests that check both agree. */
int	 metadata_decode_jansson(struct prun_metadata *, const char *buf,
	    size_t len, const char *what, struct prun_error *);

/*
 * Read the header of metadata.json from fp (seekable; the reader owns it,
 * and closes it on error too) into md, leaving md's plan empty and
 * ntests as the file says (METADATA_NTESTS_UNKNOWN in older files).
 * Then metadata_next gives the tests one at a time: 1 with *t (free it
 * with metadata_test_free), 0 after the last one, -1 on error.
 */
int	 metadata_open(struct prun_metadata *, struct metadata_reader *,
	    FILE *fp, const char *what, struct prun_error *);
int	 metadata_next(struct metadata_reader *, struct prun_test *t,
	    struct prun_error *);
/* The rest of the tests into md's plan, checked as metadata_decode does. */
int	 metadata_read_plan(struct prun_metadata *, struct metadata_reader *,
	    struct prun_error *);
void	 metadata_close(struct metadata_reader *);
void	 metadata_test_free(struct prun_test *);

void	 metadata_free(struct prun_metadata *);

#endif
