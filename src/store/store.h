/*
 * store: the results directory and its crash-consistency protocol.
 *
 *     DIR/metadata.json     the frozen plan and options
 *     DIR/tests/.NNNNNN.S.A.T.start  a start record (rule 11)
 *     DIR/tests/NNNNNN.json one fragment per test, by plan index
 *                           (NNNNNN.xml with the junit backend)
 *
 * One prun process at a time writes a results directory (a lock on it);
 * a reader can tell that one is, without taking the lock.  The store is
 * opaque: its backend and sync are the run's, given once, and the start
 * log behind it is private (startrec.c).  What a planned test is (not
 * run, started, running, finished, damaged) is store_test_state's alone
 * to say.
 */
#ifndef PRUN_STORE_H
#define PRUN_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "core/result.h"
#include "plan/options.h"
#include "store/startrec.h"

#define STORE_METADATA		"metadata.json"
#define STORE_TESTS		"tests"
#define STORE_FRAGMENT_CAP	(256u << 20)	/* bytes read at most */
#define STORE_METADATA_CAP	(1024u << 20)
/* Why a run was halted because the machine needs attention (exit 4). */
#define STORE_ABORT		"abort.txt"


/* A results directory, open (store.c). */
struct prun_store;

/*
 * Create a new results directory (absent or unused) and lock it; its
 * fragments are written in backend, with fsync at every step if sync
 * (the run's options, frozen in its metadata).  *stp is NULL on error.
 */
int	store_create(struct prun_store **stp, const char *path,
	    enum prun_backend backend, int sync, struct prun_error *);

/* Open an existing results directory; lock it when writable.  Until
 * store_set_run, fragments are read as JSON first and written synced. */
int	store_open(struct prun_store **stp, const char *path, int writable,
	    struct prun_error *);

/* Take an opened run's backend and sync from its metadata.json: once,
 * right after store_read_metadata, before any fragment is touched; they
 * do not change afterwards. */
void	store_set_run(struct prun_store *, enum prun_backend backend,
	    int sync);

/* Close the directories (which drops the lock) and free the store; NULL
 * is fine. */
void	store_close(struct prun_store *);

/* DIR as given, and DIR/tests. */
const char *store_path(const struct prun_store *);
const char *store_tests_path(const struct prun_store *);

/* Whether every step is fsynced (--fsync always). */
int	store_syncs(const struct prun_store *);

/* The path of test index's fragment in the store's backend, into buf. */
void	store_fragment_path(const struct prun_store *, size_t index,
	    char *buf, size_t size);

/* Write metadata.json atomically (before any test starts). */
int	store_write_metadata(struct prun_store *, const char *buf, size_t len,
	    struct prun_error *);

/* The same of md, written as a stream (metadata_write), never held whole
 * in memory; md passed metadata_check. */
struct prun_metadata;
int	store_write_plan(struct prun_store *, const struct prun_metadata *,
	    struct prun_error *);

/*
 * Who holds the lock (rule 7): DIR/STORE_OWNER, "HOST PID TIME", written
 * by the locking prun once its plan is recorded, so that a reader (prun
 * status) can name it without taking the lock.  It stays after the run:
 * whether a prun holds the directory now is store_held's to say.
 */
#define STORE_OWNER		"owner"

struct store_owner {
	char	host[256];
	long	pid;
	double	since;		/* seconds since the epoch */
};

/* Write DIR/STORE_OWNER for this process (a store that holds the lock). */
int	store_write_owner(struct prun_store *, struct prun_error *);

/* Read DIR/STORE_OWNER: 1 and *o filled, 0 when there is none or it is
 * not a whole record. */
int	store_read_owner(struct prun_store *, struct store_owner *o);

/* Whether another process holds the directory's lock now (rule 7). */
int	store_held(struct prun_store *);

/* Read DIR/STORE_ABORT into a malloc'd string; NULL when there is none. */
char	*store_read_abort(struct prun_store *);

/* Remove DIR/STORE_ABORT (a resume continues the halted run); 0 when
 * it is gone. */
int	store_clear_abort(struct prun_store *, struct prun_error *);

/* Write DIR/STORE_ABORT, the cause of a halt, atomically (rule 2). */
int	store_write_abort(struct prun_store *, const char *cause,
	    struct prun_error *);

/* Read metadata.json; returns 0, or -1 when absent or unreadable. */
int	store_read_metadata(struct prun_store *, char **buf, size_t *len,
	    struct prun_error *);

/* Open metadata.json to stream it: a descriptor, or -1 when absent or
 * unreadable. */
int	store_open_metadata(struct prun_store *, struct prun_error *);

/*
 * Record r (a start record or a finished result) as tests/NNNNNN.json, or
 * .xml when the store's backend is junit.
 * When this returns 0 the record is durable (with sync), and only then
 * may the caller act on it: spawn the test, or report the result.
 */
int	store_write_result(struct prun_store *, const struct prun_result *r,
	    struct prun_error *);

/*
 * The same in two steps, so that the writing can be done by another
 * thread: encode r (in the calling thread), then write the encoding as
 * the fragment of test index (name is for messages).
 */
char	*store_encode_result(const struct prun_store *,
	    const struct prun_result *r, size_t *len, struct prun_error *);
int	store_write_encoded(struct prun_store *, size_t index,
	    const char *name, const char *buf, size_t len,
	    struct prun_error *);

/*
 * Record the start of r (a test about to be spawned: its index, attempt
 * and start time), start number start, as an entry of tests/ and, when r
 * carries earlier tries or the test already has a fragment, as its
 * fragment too (rule 3); *ticket is for store_start_durable.  May be
 * called from several threads at once, each for a different test, as
 * may store_write_result and store_write_encoded.
 */
int	store_write_start(struct prun_store *, const struct prun_result *r,
	    int start, uint64_t *ticket, struct prun_error *);

/*
 * Wait until the start record of ticket (start number start of test
 * index, named name) is durable: by the fsync of tests/ that a result
 * written meanwhile issues, or else by one of its own (rule 3).  Only
 * when this returns 0 may the caller spawn the test.
 */
int	store_start_durable(struct prun_store *, size_t index, int start,
	    uint64_t ticket, const char *name, struct prun_error *);

/* Test index's finished result is durable (store_write_encoded returned
 * 0 for it, or a resume found it): its start records go (rule 11). */
void	store_forget_starts(struct prun_store *, size_t index);

/*
 * Mark start number start of test index, named name,
 * as cut short by prun (it could not record, could not spawn, or gave the
 * test up): a resume runs that attempt again without counting it (rules
 * 3 and 11).
 */
int	store_mark_cut(struct prun_store *, size_t index, const char *name,
	    int start, struct prun_error *);

/*
 * Read the start records of a plan of ntests tests, for store_started:
 * the entries of tests/ and the start log of an earlier prun.  A line of
 * that log that is not a whole start record is ignored: silently after
 * the last whole record (what a crash during an append leaves), else
 * warn(ctx, msg) is told of it.  A log that cannot be read at all is
 * warned of and taken as empty.  Returns 0 or -1 (tests/ cannot be read,
 * out of memory).
 */
int	store_load_starts(struct prun_store *, size_t ntests,
	    void (*warn)(void *, const char *), void *ctx,
	    struct prun_error *);

/* The latest start of test index that was read, or NULL.  It
 * counts only for a test without a fragment (rule 3): ask
 * store_test_state what a test is. */
const struct store_start *store_started(const struct prun_store *,
	    size_t index);

/*
 * Read the fragment of test index, in the store's backend or else in the
 * other: 1 and *r filled when it parses, 0 when there is none, -1 when it
 * exists but cannot be read or parsed (the error names the file and why;
 * the caller reports it and treats the test as having no result).
 */
int	store_read_result(struct prun_store *, size_t index,
	    struct prun_result *r, struct prun_error *);

/* What a planned test is in a results directory. */
enum store_state_kind {
	STORE_NOTRUN,		/* no fragment, no start */
	STORE_STARTED,		/* started, no finished result */
	STORE_RUNNING,		/* the same, while a live prun holds DIR */
	STORE_FINISHED,		/* a finished result */
	STORE_DAMAGED		/* a fragment that cannot be taken */
};

struct store_state {
	enum store_state_kind kind;
	/* FINISHED: the result; STARTED or RUNNING with has_result: the
	 * start record that is its fragment (status incomplete).  Owned
	 * by the state: store_state_free, or take it and clear has_result. */
	struct prun_result result;
	int		has_result;
	int		attempt;	/* STARTED, RUNNING: the attempt tried */
	int		start;		/* ... its latest start number */
	int		interrupted;	/* ... and prun stopped it itself */
	double		time_start;	/* ... real time it started, or 0 */
	int		directory;	/* DAMAGED: a directory at its name */
	struct prun_error reason;	/* DAMAGED: why, naming the file */
};

/*
 * Say what test index, planned as name, is (store.c rule 3): its
 * fragment if it has one (DAMAGED when it cannot be read, parsed, or
 * holds another test than name), else its start in the start log
 * (store_load_starts, when it was called), else NOTRUN.  A started test
 * is RUNNING when another live process holds the directory's writer's
 * lock (rule 7).  A test's own trouble is a state, not an error: this
 * returns 0; -1 (with err) is kept for a failure of the store itself,
 * which callers treat as fatal.
 */
int	store_test_state(struct prun_store *, size_t index, const char *name,
	    struct store_state *, struct prun_error *);

/* Free what a state holds. */
void	store_state_free(struct store_state *);

/*
 * Remove the temporary files a crash left in DIR and DIR/tests; returns
 * how many, or -1.  warn(ctx, msg) is told of each entry of DIR/tests that
 * is not the fragment of one of nfragments tests (it is left alone).
 * The same walk lists which tests have a fragment name: until
 * store_listing_drop, store_test_state does not look for the fragment of
 * a test without one, so a resume decides such tests from the walk and
 * their start records alone.  Drop the listing before any fragment is
 * written by another thread than the caller's (a write drops it).
 */
int	store_clean(struct prun_store *, size_t nfragments,
	    void (*warn)(void *, const char *), void *ctx,
	    struct prun_error *);

/* Whether the walk found a fragment name of test index (either format);
 * 1 when there is no listing. */
int	store_listed(const struct prun_store *, size_t index);

/* 1 and *index when the walk found a directory at the fragment name, in
 * the store's backend, of a test (the first such): it could never be
 * recorded (rename cannot replace a directory). */
int	store_listed_directory(const struct prun_store *, size_t *index);

/* Forget the walk's listing (also done by store_clean and store_close). */
void	store_listing_drop(struct prun_store *);

/* The fragment's file name of a test index in a backend, into buf (at
 * least 32 bytes). */
void	store_fragment_name(size_t index, enum prun_backend, char *buf,
	    size_t size);

#endif
