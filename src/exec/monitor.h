/*
 * monitor: an observer (observer.h) that watches the machine under test:
 * the kernel log of each test (--dmesg), and a kernel that needs
 * attention (--abort-on-taint, --abort-on), which halts the run.
 */
#ifndef PRUN_MONITOR_H
#define PRUN_MONITOR_H

#include "core/error.h"
#include "exec/observer.h"

/*
 * The default --dmesg-regex: the lines of a kernel in trouble (warnings,
 * BUGs, oopses, lockdep splats, lockups, taints), not every line, since a
 * shared machine logs lines of its own.
 */
#define MONITOR_DMESG_REGEX \
	"WARNING:|BUG:|kernel BUG|Oops|general protection fault|" \
	"Call Trace:|possible circular locking|possible recursive locking|" \
	"lockdep|soft lockup|hard LOCKUP|rcu_.*stall|KASAN|UBSAN|" \
	"Kernel panic|Tainted: "

struct monitor_config {
	int		 dmesg;		/* --dmesg */
	const char	*dmesg_regex;	/* NULL: MONITOR_DMESG_REGEX */
	const char	*abort_on;	/* --abort-on REGEX, or NULL */
	int		 abort_taint;	/* --abort-on-taint */
	unsigned long	 taint_mask;	/* its bits */
};

struct monitor;

/*
 * Start watching as cfg asks: open the kernel log ($PRUN_KMSG or
 * /dev/kmsg) and read the taint flags ($PRUN_TAINTED or /proc); either
 * not readable is a usage error (exit 2) naming the cause.  *out is NULL
 * when cfg asks for nothing.
 */
int	monitor_new(struct monitor **out, const struct monitor_config *cfg,
	    struct prun_error *);

/* Link the monitor into a list of observers: o->next is set to next. */
void	monitor_observer(struct monitor *, struct run_observer *o,
	    const struct run_observer *next);

/* Why the monitor halted the run (the machine needs attention), or NULL. */
const char *monitor_cause(const struct monitor *);

void	monitor_free(struct monitor *);

#endif
