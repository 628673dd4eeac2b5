/*
 * fragment_xml: one test's result as a standalone JUnit XML document, the
 * fragments of the junit backend (tests/NNNNNN.xml).
 *
 * A fragment is a <testsuite> of one <testcase>, valid against the Jenkins
 * xUnit schema, so a CI service can read tests/ directly when no summary
 * was made.  Everything the JSON fragment holds is in the suite's
 * <properties> (prun.index, prun.result, ...) and the testcase's
 * <system-out> and <system-err>; those, not the JUnit attributes, are
 * what is read back, and they give back exactly what was written.
 */
#ifndef PRUN_FRAGMENT_XML_H
#define PRUN_FRAGMENT_XML_H

#include <stddef.h>

#include "core/error.h"
#include "core/result.h"

/* Larger documents are refused before they are parsed. */
#define FRAGMENT_XML_MAX	(256u << 20)

/* Set libxml2 up once, before threads use it (see fragment_init). */
void	 fragment_xml_init(void);

/* Serialize r; returns a malloc'd buffer with its length, or NULL. */
char	*fragment_xml_encode(const struct prun_result *r, size_t *len,
	    struct prun_error *);

/*
 * Parse buf[0..len) into r (which the caller frees with result_free);
 * what names the file in messages.  A document with a DOCTYPE is refused
 * as soon as the parser meets it: no DTD, no entity and no file or
 * network resource is ever read.
 */
int	 fragment_xml_decode(const char *buf, size_t len, const char *what,
	    struct prun_result *r, struct prun_error *);

#endif
