/*
 * startlog: the start log of a results directory, DIR/starts.log, a line
 * for each test started and for each start prun cut short (store.c rules
 * 3 and 11), written into space reserved ahead.  Only the store calls
 * these functions; store.h includes this header for the record type.
 */
#ifndef PRUN_STARTREC_H
#define PRUN_STARTREC_H

#include <stddef.h>

#include "core/error.h"

#define STORE_STARTS		"starts.log"
#define STORE_STARTS_CAP	(256u << 20)

/* Bytes a start log line takes at most. */
#define STARTREC_LINE_MAX	96
/* Bytes reserved past the end of the log at least (rule 11). */
#define STARTREC_RESERVE	(64u << 10)

/* A test's latest start in the start log. */
struct store_start {
	size_t	index;
	int	attempt;	/* counted against --max-attempts */
	int	start;		/* 1 for its first start: PRUN_ATTEMPT */
	int	cut;		/* prun cut that start short: not counted */
	double	time;		/* real time it started */
};

struct startrec;

/* An empty start log of the directory open at dirfd (path for messages);
 * nothing is read or opened yet.  NULL when out of memory. */
struct startrec	*startrec_new(int dirfd, const char *path);
void		 startrec_free(struct startrec *);

/* Open the log to append, once (store_open_starts); sync: fdatasync
 * every line and make a new log's name durable.  inflight: how many
 * tests may be started and not yet settled at once (each may need its
 * mark: see startrec_mark); at least 1. */
int		 startrec_open(struct startrec *, int sync, size_t inflight,
		    struct prun_error *);

/* Append the start number start of test index, counted as attempt (name
 * for messages), and make it durable; opens the log first if needed.
 * Fails, writing nothing, when the reserve cannot keep room for the
 * marks of every test in flight.  Thread-safe once open. */
int		 startrec_append(struct startrec *, size_t index, int attempt,
		    int start, double time, const char *name, int sync,
		    struct prun_error *);

/* Append the mark that start number start of test index (attempt
 * attempt) was cut short by prun and does not count, into the reserved
 * space, durably.  Thread-safe once open. */
int		 startrec_mark(struct startrec *, size_t index, int attempt,
		    int start, double time, const char *name, int sync,
		    struct prun_error *);

/* Read the log of a plan of ntests tests: see store_load_starts. */
int		 startrec_load(struct startrec *, size_t ntests,
		    void (*warn)(void *, const char *), void *ctx,
		    struct prun_error *);

/* The latest start of test index in the loaded log, or NULL. */
const struct store_start *startrec_find(const struct startrec *, size_t);

#endif
