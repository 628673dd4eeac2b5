/*
 * startrec: the start records of a results directory (store.c rules 3
 * and 11): an entry in tests/ for each test started, a hard link of one
 * empty file named .NNNNNN.START.ATTEMPT.MICROSECONDS.start, renamed to
 * .cut when prun cut that start short; and, read only, the start log
 * DIR/starts.log of an earlier prun.  Only the store calls these
 * functions; store.h includes this header for the record type.
 */
#ifndef PRUN_STARTREC_H
#define PRUN_STARTREC_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "core/groupsync.h"

/* The start log of an earlier prun, read only. */
#define STORE_STARTS		"starts.log"
#define STORE_STARTS_CAP	(256u << 20)
/* The empty file every start record in tests/ is a link of. */
#define STORE_START_ANCHOR	".started"

/* A test's latest start. */
struct store_start {
	size_t	index;
	int	attempt;	/* counted against --max-attempts */
	int	start;		/* 1 for its first start: PRUN_ATTEMPT */
	int	cut;		/* prun cut that start short: not counted */
	double	time;		/* real time it started */
	int	entry;		/* an entry in tests/, not a line of the log */
};

struct startrec;

/* The start records of DIR (open at dirfd) and DIR/tests (at testsfd),
 * paths for messages, with gs the shared fsync of tests/ (all borrowed);
 * nothing is read or written yet.  NULL when out of memory. */
struct startrec	*startrec_new(int dirfd, const char *path, int testsfd,
		    const char *tests_path, struct groupsync *gs);
void		 startrec_free(struct startrec *);

/* Make start number start of test index (attempt attempt, started at
 * time; name for messages) an entry in tests/, not yet durable: *ticket
 * is its change for groupsync_wait (store_start_durable).  Thread-safe. */
int		 startrec_add(struct startrec *, size_t index, int attempt,
		    int start, double time, const char *name, uint64_t *ticket,
		    struct prun_error *);

/* Start number start of test index is durable: its entries of earlier
 * starts go (a later start says all they did). */
void		 startrec_superseded(struct startrec *, size_t index,
		    int start);

/* Mark start number start of test index as cut short by prun, durably
 * with sync: its entry renamed to .cut, or, where even that cannot be
 * written (a full disk), removed.  -1 when neither could
 * be done (the start stays counted, which is safe). */
int		 startrec_cut(struct startrec *, size_t index, int start,
		    const char *name, int sync, struct prun_error *);

/* Test index has a durable finished result: its entries go. */
void		 startrec_done(struct startrec *, size_t index);

/* The writer is done with the directory: where it knows of no start
 * record left (a finished run), the anchor goes too, so that tests/
 * holds fragments only.  A start record it did not know of stays valid:
 * it is a name of its own. */
void		 startrec_tidy(struct startrec *);

/* Whether name (in tests/) is the anchor or a start record; when the
 * records are being gathered (startrec_load not yet called), one is
 * taken in.  For the scan of tests/ that a resume makes anyway. */
int		 startrec_take_name(struct startrec *, const char *name,
		    size_t ntests);

/* tests/ was scanned through startrec_take_name (a resume's clean): load
 * need not scan it again. */
void		 startrec_gathered(struct startrec *);

/* Read the start records of a plan of ntests tests: see
 * store_load_starts. */
int		 startrec_load(struct startrec *, size_t ntests,
		    void (*warn)(void *, const char *), void *ctx,
		    struct prun_error *);

/* The latest start of test index that was read, or NULL. */
const struct store_start *startrec_find(const struct startrec *, size_t);

#endif
