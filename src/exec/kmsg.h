/*
 * kmsg: the kernel log, read as it grows and never waited for.
 *
 * /dev/kmsg gives one record per read ("PRI,SEQ,TIME,FLAGS;text"); a
 * file or a FIFO (what PRUN_KMSG may name, for testing) gives lines.
 * Either way the reader hears each new line once, its record prefix
 * and its dictionary lines (" KEY=value") taken off.
 */
#ifndef PRUN_KMSG_H
#define PRUN_KMSG_H

#include <stddef.h>

#include "core/error.h"

/* The environment variable that points prun at another kernel log. */
#define KMSG_ENV	"PRUN_KMSG"
#define KMSG_PATH	"/dev/kmsg"

struct kmsg;

/*
 * Open the kernel log at path (NULL: $PRUN_KMSG, else /dev/kmsg) past
 * what it already holds.  A log that cannot be read is a usage error
 * (exit 2) naming the path and the cause.
 */
int	kmsg_open(struct kmsg **, const char *path, struct prun_error *);

/* Call fn for each whole line written since the last call (len bytes,
 * no newline), without blocking.  0, or -1 when the log fails. */
int	kmsg_read(struct kmsg *, void (*fn)(void *ctx, const char *line,
	    size_t len), void *ctx, struct prun_error *);

/* The path being read. */
const char *kmsg_path(const struct kmsg *);

void	kmsg_close(struct kmsg *);

#endif
