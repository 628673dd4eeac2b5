/*
 * taint: the kernel's taint flags (/proc/sys/kernel/tainted), read and
 * named.
 */
#ifndef PRUN_TAINT_H
#define PRUN_TAINT_H

#include <stddef.h>

#include "core/error.h"

/* The environment variable that points prun at another taint file. */
#define TAINT_ENV	"PRUN_TAINTED"
#define TAINT_PATH	"/proc/sys/kernel/tainted"

/*
 * The bits that mean the kernel is damaged, as IGT's runner takes them:
 * bad page (5, B), died (7, D: an oops), warning (9, W), soft lockup (14,
 * L).  Module taints (out-of-tree, unsigned, ...) are not among them.
 */
#define TAINT_DAMAGED	((1ul << 5) | (1ul << 7) | (1ul << 9) | (1ul << 14))

/* Read the flags from path (NULL: $PRUN_TAINTED, else TAINT_PATH). */
int	taint_read(const char *path, unsigned long *bits, struct prun_error *);

/* The path taint_read(NULL) reads. */
const char *taint_path(void);

/* Describe bits ("9 (W, warning), 7 (D, died)") into buf. */
void	taint_describe(unsigned long bits, char *buf, size_t size);

#endif
