/*
 * junit_parts: the files of a JUnit report split in parts (-f junit
 * --split N): -o junit.xml gives junit-1.xml, junit-2.xml, ...
 *
 * Each part is written to a temporary name and all are renamed to their
 * final names only when the whole report is written, so a failed summary
 * leaves the parts of the last one that succeeded.  Parts of an earlier,
 * longer report beyond the new last one are removed, so a glob such as
 * junit-*.xml collects this report alone.
 */
#ifndef PRUN_JUNIT_PARTS_H
#define PRUN_JUNIT_PARTS_H

#include <stddef.h>
#include <stdio.h>

#include "core/error.h"

struct junit_parts;

/* The parts of the report path names; NULL (err set) on no memory. */
struct junit_parts *junit_parts_new(const char *path, struct prun_error *);

/* The final name of part k (from 1) in a malloc'd string. */
char		*junit_parts_name(const char *path, size_t k);

/* Open part k (from 1, each once, in order) for writing; NULL with the
 * error kept for junit_parts_error(). */
FILE		*junit_parts_open(struct junit_parts *, size_t k);

/* Rename every opened part to its final name and remove stale ones. */
int		 junit_parts_commit(struct junit_parts *, struct prun_error *);

/* The error of the last junit_parts_open that failed, or NULL. */
const struct prun_error *junit_parts_error(const struct junit_parts *);

/* Remove what was not committed and free everything. */
void		 junit_parts_free(struct junit_parts *);

#endif
