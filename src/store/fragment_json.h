/*
 * fragment_json: one test's result as a standalone JSON document, the
 * fragments of the json backend (tests/NNNNNN.json).  fragment.h chooses
 * this codec by the run's backend.
 */
#ifndef PRUN_FRAGMENT_JSON_H
#define PRUN_FRAGMENT_JSON_H

#include <stddef.h>

#include "core/error.h"
#include "core/result.h"

/* Serialize r as one line of JSON; a malloc'd buffer and its length, or
 * NULL. */
char	*fragment_json_encode(const struct prun_result *r, size_t *len,
	    struct prun_error *);

/* Parse buf[0..len) into r (the caller frees it with result_free): the
 * fast reader, else jansson's verdict.  what names the file in messages. */
int	 fragment_json_decode(const char *buf, size_t len, const char *what,
	    struct prun_result *r, struct prun_error *);

/* The same with jansson alone, never the fast reader: for tests that
 * check both agree. */
int	 fragment_json_decode_jansson(const char *buf, size_t len,
	    const char *what, struct prun_result *r, struct prun_error *);

#endif
