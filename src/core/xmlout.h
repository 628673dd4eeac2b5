/*
 * xmlout: what prun's XML writers share (the junit fragments and the
 * JUnit report): text from tests made safe for XML 1.0 on its way into a
 * libxml2 text writer, and numbers written and read the same whatever the
 * locale says.
 */
#ifndef PRUN_XMLOUT_H
#define PRUN_XMLOUT_H

#include <stddef.h>

#include <libxml/xmlwriter.h>

#include "core/status.h"

/* Write attribute name = s, made safe by text_to_xml; 0 or -1. */
/* Start a UTF-8 document, indented by one space, at its root element
 * name: 0 or -1. */
int	xmlout_start(xmlTextWriterPtr, const char *root);

int	xmlout_attr(xmlTextWriterPtr, const char *name, const char *s);

/* Write s[0..len) as character data, made safe by text_to_xml. */
int	xmlout_text(xmlTextWriterPtr, const char *s, size_t len);

/* Write an element holding only s[0..len), made safe. */
int	xmlout_element(xmlTextWriterPtr, const char *name, const char *s,
	    size_t len);

/* Write <property name="prun.KEY" value="VALUE"/>, the value made safe
 * by text_to_xml (a no-op on what is safe already); 0 or -1. */
int	xmlout_prop(xmlTextWriterPtr, const char *key, const char *value);

/* The same holding a double in the C locale, with 17 significant digits
 * (xmlout_format_double) so that it reads back bit for bit. */
int	xmlout_prop_double(xmlTextWriterPtr, const char *key, double);

/*
 * The JUnit classname of a test name "a/b/c": its groups joined by dots,
 * "a.b", or suite (the testsuite's name) for a name without a group.
 * Returns it malloc'd, or NULL; *casename points at "c" in name.
 */
char	*xmlout_classname(const char *name, const char *suite,
	    const char **casename);

/*
 * The Surefire element of an earlier try of a test rerun after failing:
 * flakyFailure or flakyError when the test passed in the end (flaky),
 * rerunFailure or rerunError when it never did; Error for the statuses
 * JUnit calls errors (crash, timeout, incomplete).
 */
const char *xmlout_rerun_element(enum prun_status try_status, int flaky);

/* Seconds as "12.345": milliseconds, never negative, always a dot. */
void	xmlout_seconds(double, char *buf, size_t size);

/* Seconds since the epoch as "2025-11-25T23:28:00", in UTC. */
void	xmlout_timestamp(double, char *buf, size_t size);

/* A double with 17 significant digits (it reads back bit for bit) in the
 * C locale; -1 when out of memory. */
int	xmlout_format_double(double, char *buf, size_t size);

/* Parse a whole string as a finite double in the C locale; 0 or -1. */
int	xmlout_parse_double(const char *, double *);

#endif
