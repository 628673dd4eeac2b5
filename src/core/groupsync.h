/*
 * groupsync: one directory's fsync, shared by the threads that change it.
 *
 * A thread that made an entry (a rename, a link) takes a ticket, then
 * waits until an fsync of the directory that began after its change has
 * completed; it issues that fsync itself when none is under way, and
 * otherwise waits for the one that is.  So changes made while an fsync
 * runs are covered together by the next one (a group commit): a start
 * record linked while the previous result's fsync is on its way costs no
 * flush of its own.  After a failed fsync every wait fails (fsutil.c
 * rule 3: a failed flush is never retried and trusted).
 */
#ifndef PRUN_GROUPSYNC_H
#define PRUN_GROUPSYNC_H

#include <stdint.h>

#include "core/error.h"

struct groupsync;

/* The shared fsync of the directory open at dirfd (borrowed; path for
 * messages, borrowed).  NULL when out of memory. */
struct groupsync *groupsync_new(int dirfd, const char *path);
void		  groupsync_free(struct groupsync *);

/* The ticket of a change to the directory that has just been made. */
uint64_t	  groupsync_changed(struct groupsync *);

/* Wait until the change of ticket is durable (see above).  what names
 * the change in the error message.  Thread-safe. */
int		  groupsync_wait(struct groupsync *, uint64_t ticket,
		    const char *what, struct prun_error *);

/* How many fsyncs were issued: for tests and benchmarks. */
uint64_t	  groupsync_count(struct groupsync *);

#endif
