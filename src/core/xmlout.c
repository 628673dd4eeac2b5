/*
 * xmlout: safe text and locale-proof numbers for libxml2's text writer.
 *
 * Every string a test controls (output, subtest names, and names and
 * commands read back from fragments) goes through text_to_xml before the
 * writer sees it: the writer escapes markup (so "]]>" is written "]]&gt;")
 * but would copy a NUL, an ESC or invalid UTF-8 into a document no parser
 * accepts.  Numbers never go through the locale's decimal separator: a CI
 * job that runs with LC_ALL=de_DE.UTF-8 must still write "1.5".
 */
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/text.h"
#include "core/xmlout.h"

/* Start a document, indented by one space, at its root element. */
int
xmlout_start(xmlTextWriterPtr w, const char *root)
{
	if (xmlTextWriterSetIndent(w, 1) < 0 ||
	    xmlTextWriterSetIndentString(w, BAD_CAST " ") < 0 ||
	    xmlTextWriterStartDocument(w, NULL, "UTF-8", NULL) < 0 ||
	    xmlTextWriterStartElement(w, BAD_CAST root) < 0)
		return -1;
	return 0;
}

/* Write attribute name = s, made safe. */
int
xmlout_attr(xmlTextWriterPtr w, const char *name, const char *s)
{
	char *safe;
	int rc;

	if ((safe = text_to_xml(s, strlen(s), NULL)) == NULL)
		return -1;
	rc = xmlTextWriterWriteAttribute(w, BAD_CAST name, BAD_CAST safe);
	free(safe);
	return rc < 0 ? -1 : 0;
}

/* One <property name="prun.KEY" value="..."/>, the value made safe. */
int
xmlout_prop(xmlTextWriterPtr w, const char *key, const char *value)
{
	char name[128];

	snprintf(name, sizeof name, "prun.%s", key);
	if (xmlTextWriterStartElement(w, BAD_CAST "property") < 0 ||
	    xmlTextWriterWriteAttribute(w, BAD_CAST "name",
	    BAD_CAST name) < 0 ||
	    xmlout_attr(w, "value", value) == -1 ||
	    xmlTextWriterEndElement(w) < 0)
		return -1;
	return 0;
}

/* A property holding a double, in the C locale. */
int
xmlout_prop_double(xmlTextWriterPtr w, const char *key, double d)
{
	char buf[64];

	if (xmlout_format_double(d, buf, sizeof buf) == -1)
		return -1;
	return xmlout_prop(w, key, buf);
}

/* Write s[0..len) as character data, made safe. */
int
xmlout_text(xmlTextWriterPtr w, const char *s, size_t len)
{
	char *safe;
	int rc;

	if (len == 0)
		return 0;
	if ((safe = text_to_xml(s, len, NULL)) == NULL)
		return -1;
	rc = xmlTextWriterWriteString(w, BAD_CAST safe);
	free(safe);
	return rc < 0 ? -1 : 0;
}

/* Write an element holding only s[0..len), made safe. */
int
xmlout_element(xmlTextWriterPtr w, const char *name, const char *s,
    size_t len)
{
	if (xmlTextWriterStartElement(w, BAD_CAST name) < 0 ||
	    xmlout_text(w, s, len) == -1 ||
	    xmlTextWriterFullEndElement(w) < 0)
		return -1;
	return 0;
}

/* The classname of a test: its groups, dotted (SPEC.md). */
char *
xmlout_classname(const char *name, const char *suite, const char **casename)
{
	const char *slash = strrchr(name, '/');
	char *cn, *p;

	if (slash == NULL) {
		*casename = name;
		return strdup(suite);
	}
	*casename = slash + 1;
	if ((cn = strndup(name, (size_t)(slash - name))) == NULL)
		return NULL;
	for (p = cn; *p != '\0'; p++)
		if (*p == '/')
			*p = '.';
	return cn;
}

/* The element of an earlier try (see xmlout.h). */
const char *
xmlout_rerun_element(enum prun_status try_status, int flaky)
{
	const char *elem = status_junit_element(try_status);
	int error = elem != NULL && strcmp(elem, "error") == 0;

	if (flaky)
		return error ? "flakyError" : "flakyFailure";
	return error ? "rerunError" : "rerunFailure";
}

/* Seconds with three decimals, by integer arithmetic: no locale. */
void
xmlout_seconds(double s, char *buf, size_t size)
{
	long long ms;

	if (!isfinite(s) || s <= 0 || s > 1e12)
		ms = 0;
	else
		ms = llround(s * 1000);
	snprintf(buf, size, "%lld.%03lld", ms / 1000, ms % 1000);
}

/* An epoch time in ISO 8601, UTC, without a zone (as Ant writes it). */
void
xmlout_timestamp(double t, char *buf, size_t size)
{
	struct tm tm;
	time_t tt;

	tt = isfinite(t) && t > 0 && t < 1e12 ? (time_t)t : 0;
	if (gmtime_r(&tt, &tm) == NULL ||
	    strftime(buf, size, "%Y-%m-%dT%H:%M:%S", &tm) == 0)
		snprintf(buf, size, "1970-01-01T00:00:00");
}

/* A double in the C locale, whatever the thread's locale is. */
int
xmlout_format_double(double d, char *buf, size_t size)
{
	locale_t c, old;

	if ((c = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0)) == (locale_t)0)
		return -1;
	old = uselocale(c);
	snprintf(buf, size, "%.17g", d);
	uselocale(old);
	freelocale(c);
	return 0;
}

/* Parse a whole string as a finite double in the C locale. */
int
xmlout_parse_double(const char *s, double *out)
{
	locale_t c, old;
	char *end;
	double d;

	if (*s == '\0' || strchr("0123456789-+.", *s) == NULL)
		return -1;
	if ((c = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0)) == (locale_t)0)
		return -1;
	old = uselocale(c);
	d = strtod(s, &end);
	uselocale(old);
	freelocale(c);
	/* Overflow gives infinity; underflow (ERANGE too) is still the
	 * closest double, which is what was written. */
	if (end == s || *end != '\0' || !isfinite(d))
		return -1;
	*out = d;
	return 0;
}
