/*
 * reason: why a test did not pass, in words a person reads: how it ended
 * (exit status, signal, timeout), which subtests failed, and the last
 * lines of its standard error made safe for a terminal.  The failure
 * lines of a run (progress) and the text report say it the same way.
 */
#ifndef PRUN_REASON_H
#define PRUN_REASON_H

#include <stddef.h>

#include "core/result.h"

/* The failing subtests a reason names; the rest are counted. */
#define REASON_SUBTESTS	3

/*
 * Describe how r ended into buf: "exit status 1", "killed by SIGSEGV",
 * "timed out", "stopped by prun", "never started", each followed by the
 * failing subtests, "; 2 of 9 subtests failed: a, b" (after, for --repeat,
 * "; failed 3 of 100 repetitions"); "" when r passed
 * with nothing to say.  Subtest names are made safe for a terminal.
 */
void	reason_describe(const struct prun_result *r, char *buf, size_t size);

/* The bytes of one line of stderr a tail shows; the rest is counted. */
#define REASON_LINE_MAX	1024

/*
 * The last n lines of r's standard error, each made safe for a terminal
 * (text_to_terminal) and ending in '\n', prun's own notes included; a
 * line longer than REASON_LINE_MAX bytes is cut there and says how much
 * more it had.  Malloc'd, "" when there are none or n is 0; NULL when
 * out of memory.
 */
char	*reason_err_tail(const struct prun_result *r, size_t n);

#endif
