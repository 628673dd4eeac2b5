/*
 * limits: how many tests at once the process's limits allow, asked
 * before anything starts, so that a limit lowers -j (or refuses the run)
 * instead of failing tests half way (issue 12, item 6).
 */
#ifndef PRUN_LIMITS_H
#define PRUN_LIMITS_H

#include <stddef.h>

#include "core/error.h"

/*
 * Fit *jobs to the open-file limit (raising the soft limit toward the
 * hard one first), the process limit (RLIMIT_NPROC, which root is not
 * held to) and the pids cgroup prun is in (pids.max, v1 or v2).  Returns
 * 0, with *jobs lowered and note (of size bytes) saying why when a limit
 * took some away, else note empty; -1 (PRUN_EXIT_USAGE) naming the limit
 * when not even one test can run.
 */
int	limits_fit_jobs(int *jobs, char *note, size_t size,
	    struct prun_error *);

#endif
