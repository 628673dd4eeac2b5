/*
 * outparse: what a test says about itself on stdout.
 *
 * Tests may report a status and subtests in TAP ("1..N", "ok", "not ok",
 * "# SKIP", "# TODO", "Bail out!") or with piglit's lines
 * "PIGLIT: {"result": "pass"}" and "PIGLIT: {"subtest": {"name": "fail"}}".
 * The parser is fed stdout as it arrives, so it sees every line even when
 * the stored output is cut.
 */
#ifndef PRUN_OUTPARSE_H
#define PRUN_OUTPARSE_H

#include <stddef.h>

#include "core/result.h"
#include "core/status.h"

struct outparse {
	char			*line;		/* the partial line being read */
	size_t			 line_len, line_size;
	int			 line_overflow;	/* current line too long: ignored */
	int			 has_result;	/* the test reported a status */
	enum prun_status	 result;
	struct prun_subtest	*subtests;	/* in order of first report */
	size_t			 nsubtests, subtests_size;
	long			 tap_planned;	/* -1: no plan seen */
	long			 tap_seen;	/* TAP test points seen */
	long			 tap_maxnum;	/* largest TAP test number seen */
	int			 tap_bailout;
	char			*note;		/* why the report failed, or NULL */
	size_t			 dropped;	/* new subtests past the cap */
	enum prun_status	 dropped_worst;	/* the worst status of those */
	size_t			 names_len;	/* bytes of the names kept */
	size_t			*index;		/* private: hash of subtest names */
	size_t			*findex;	/* private: the same, without case */
	size_t			 index_size;	/* of both */
};

/*
 * At most this many subtests, holding at most this many bytes of names, are
 * kept per test: a test printing millions of distinct test points must not
 * exhaust prun's memory or make a fragment too large to read back.  Past
 * the cap, new subtests are only counted (dropped) and their worst status
 * still counts in outparse_status; known subtests are still updated.
 */
#define OUTPARSE_SUBTESTS_MAX	100000
#define OUTPARSE_NAMES_MAX	(4u << 20)

void	outparse_init(struct outparse *);

/* Feed bytes of stdout; returns 0, or -1 with errno ENOMEM. */
int	outparse_feed(struct outparse *, const char *buf, size_t len);

/* Parse the last unterminated line and check the TAP plan; call once. */
int	outparse_finish(struct outparse *);

/*
 * The test's status from its exit-derived status and its report: a test
 * that exited 0 and reported something gets the worst of what it reported;
 * otherwise the worst of both.
 */
enum prun_status outparse_status(const struct outparse *,
	    enum prun_status from_exit);

/* Give the subtests to the caller (who frees each name and the array). */
struct prun_subtest *outparse_take_subtests(struct outparse *, size_t *n);

void	outparse_free(struct outparse *);

#endif
