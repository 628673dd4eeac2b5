/*
 * fragment: one test's result to and from the bytes of its fragment file.
 *
 * A fragment is a standalone document holding everything known about one
 * attempt of one test: JSON (fragment_json.h), or with the junit backend a
 * JUnit XML document (fragment_xml.h); this module only chooses the codec.
 * Both hold the same things and give back the same result.  Parsing is strict: anything that is not a well-formed fragment
 * of the expected test is an error, so that a damaged file is reported and
 * its test run again.
 */
#ifndef PRUN_FRAGMENT_H
#define PRUN_FRAGMENT_H

#include <stddef.h>

#include "core/error.h"
#include "core/result.h"
#include "plan/options.h"
#include "store/fragment_version.h"

/* Before fragments are encoded or decoded in several threads at once:
 * libxml2 sets its globals up on first use, which two threads race. */
void	 fragment_init(void);

/* Serialize r in a backend's format; returns a malloc'd buffer with its
 * length, or NULL. */
char	*fragment_encode(const struct prun_result *r, enum prun_backend,
	    size_t *len, struct prun_error *);

/* Parse buf[0..len), in a backend's format, into r (which the caller frees
 * with result_free).  what names the file in messages. */
int	 fragment_decode(const char *buf, size_t len, enum prun_backend,
	    const char *what, struct prun_result *r, struct prun_error *);

/* The file name extension of a backend's fragments: "json" or "xml". */
const char *fragment_extension(enum prun_backend);

#endif
