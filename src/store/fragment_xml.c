/*
 * fragment_xml: one test's result as a standalone JUnit XML document.
 *
 * The rules kept here:
 *  1. Strings come back exactly.  A string XML 1.0 cannot hold (NUL, C0
 *     controls but tab, LF and CR, U+FFFE, U+FFFF) is written escaped:
 *     "\\" for a backslash, "\xNN", "\uFFFE", "\uFFFF".  Property values
 *     are always escaped; system-out and system-err only when they need
 *     it, which prun.out.escaped and prun.err.escaped say, so that
 *     ordinary output reads as it was printed.  The writer keeps CR as
 *     &#13;, which parsers do not fold into LF.
 *  2. Numbers are written in the C locale, times with 17 significant
 *     digits, so that they read back bit for bit.
 *  3. Parsing refuses before it reads: the size cap is checked first; a
 *     DOCTYPE stops the parser the moment it is met, before its internal
 *     subset or any entity it names is read; no network (XML_PARSE_NONET),
 *     no entity substitution, no DTD loading; libxml2's messages go into
 *     the error, never to stderr.
 *  4. XML_PARSE_HUGE lifts libxml2's 10 MB limit on one text node, since
 *     --max-output is the user's to choose; by rule 3 no entity exists to
 *     amplify anything.
 *
 * The reversible escape of rule 1 (escape/unescape) stays here rather
 * than beside core/text's escapes: it is part of this file format (the
 * prun.*.escaped properties say where it applies, and only this codec
 * reads it back), while text_to_xml is a one-way, visible sanitizer for
 * reports.  A second user would be a second format to keep in step.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/xmlwriter.h>

#include "store/fragment_version.h"
#include "store/fragment_xml.h"
#include "core/text.h"
#include "core/xmlout.h"

#define PROP		"prun."
#define ESCAPED		"true"

/* A growing buffer that libxml2's output writes into. */
struct sink {
	char	*buf;
	size_t	 len, size;
};

static const char hexdigits[] = "0123456789abcdef";

/* libxml2's write callback: append, doubling the buffer. */
static int
sink_write(void *ctx, const char *data, int n)
{
	struct sink *s = ctx;
	size_t want;
	char *p;

	if (n < 0)
		return -1;
	if (s->len + (size_t)n + 1 > s->size) {
		want = s->size ? s->size : 4096;
		while (want < s->len + (size_t)n + 1)
			want *= 2;
		if ((p = realloc(s->buf, want)) == NULL)
			return -1;
		s->buf = p;
		s->size = want;
	}
	memcpy(s->buf + s->len, data, (size_t)n);
	s->len += (size_t)n;
	return n;
}

/* libxml2's close callback: the buffer stays for the caller. */
static int
sink_close(void *ctx)
{
	(void)ctx;
	return 0;
}

/* Whether valid UTF-8 s holds a character XML 1.0 cannot hold. */
static int
needs_escape(const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i;

	for (i = 0; i < len; i++) {
		if (u[i] < 0x20 && u[i] != '\t' && u[i] != '\n' &&
		    u[i] != '\r')
			return 1;
		if (u[i] == 0xef && i + 2 < len && u[i + 1] == 0xbf &&
		    (u[i + 2] == 0xbe || u[i + 2] == 0xbf))
			return 1;
	}
	return 0;
}

/*
 * Write the escaped copy of valid UTF-8 s (rule 1) to out, or only count
 * its size when out is NULL.  In valid UTF-8, 0xef always starts a
 * character, so U+FFFE and U+FFFF are found by their bytes.
 */
static size_t
escape_copy(const unsigned char *u, size_t len, char *out)
{
	size_t i, o = 0;

	for (i = 0; i < len; i++) {
		if (u[i] == '\\') {
			if (out != NULL)
				memcpy(out + o, "\\\\", 2);
			o += 2;
		} else if (u[i] < 0x20 && u[i] != '\t' && u[i] != '\n' &&
		    u[i] != '\r') {
			if (out != NULL) {
				out[o] = '\\';
				out[o + 1] = 'x';
				out[o + 2] = hexdigits[u[i] >> 4];
				out[o + 3] = hexdigits[u[i] & 0xf];
			}
			o += 4;
		} else if (u[i] == 0xef && i + 2 < len && u[i + 1] == 0xbf &&
		    (u[i + 2] == 0xbe || u[i + 2] == 0xbf)) {
			if (out != NULL)
				memcpy(out + o, u[i + 2] == 0xbe ? "\\uFFFE" :
				    "\\uFFFF", 6);
			o += 6;
			i += 2;
		} else {
			if (out != NULL)
				out[o] = (char)u[i];
			o++;
		}
	}
	return o;
}

/* The escaped copy of s, NUL-terminated; s is made valid UTF-8 first
 * (results are; a byte that is not becomes U+FFFD). */
static char *
escape(const char *s, size_t len)
{
	char *valid = NULL, *out;
	size_t n;

	if (!text_utf8_valid(s, len)) {
		if ((valid = text_to_utf8(s, len, &len)) == NULL)
			return NULL;
		s = valid;
	}
	n = escape_copy((const unsigned char *)s, len, NULL);
	if ((out = malloc(n + 1)) != NULL) {
		escape_copy((const unsigned char *)s, len, out);
		out[n] = '\0';
	}
	free(valid);
	return out;
}

/* The value of a hex digit, or -1. */
static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * Undo escape() on the NUL-terminated s into a malloc'd copy and its
 * length.  Only what escape() writes is accepted, and \xNN only for ASCII,
 * so the copy is valid UTF-8 like the parsed text it comes from.
 */
static int
unescape(const char *s, char **out, size_t *outlen)
{
	size_t i, o = 0, len = strlen(s);
	char *p;
	int hi, lo;

	if ((p = malloc(len + 1)) == NULL)
		return -1;
	for (i = 0; i < len; i++) {
		if (s[i] != '\\') {
			p[o++] = s[i];
			continue;
		}
		if (s[i + 1] == '\\') {
			p[o++] = '\\';
			i++;
		} else if (s[i + 1] == 'x' && (hi = hexval(s[i + 2])) >= 0 &&
		    hi < 8 && (lo = hexval(s[i + 3])) >= 0) {
			p[o++] = (char)(hi << 4 | lo);
			i += 3;
		} else if (strncmp(s + i, "\\uFFFE", 6) == 0 ||
		    strncmp(s + i, "\\uFFFF", 6) == 0) {
			p[o++] = '\xef';
			p[o++] = '\xbf';
			p[o++] = s[i + 5] == 'E' ? '\xbe' : '\xbf';
			i += 5;
		} else {
			free(p);
			return -1;
		}
	}
	p[o] = '\0';
	*out = p;
	*outlen = o;
	return 0;
}

/* An attribute whose value is already safe (ASCII, or escaped). */
static int
attr(xmlTextWriterPtr w, const char *name, const char *value)
{
	return xmlTextWriterWriteAttribute(w, BAD_CAST name,
	    BAD_CAST value) < 0 ? -1 : 0;
}

/* A property whose value is a string, escaped (rule 1), after a prefix. */
static int
prop_string(xmlTextWriterPtr w, const char *key, const char *prefix,
    const char *s, size_t len)
{
	char *esc, *value;
	int rc;

	if ((esc = escape(s, len)) == NULL)
		return -1;
	if (asprintf(&value, "%s%s", prefix, esc) == -1) {
		free(esc);
		return -1;
	}
	rc = xmlout_prop(w, key, value);
	free(esc);
	free(value);
	return rc;
}

/* system-out or system-err: as it is, or escaped when it must be. */
static int
stream(xmlTextWriterPtr w, const char *elem, const char *s, size_t len,
    int escaped)
{
	char *esc = NULL;
	int rc;

	if (escaped && (esc = escape(s, len)) == NULL)
		return -1;
	if (xmlTextWriterStartElement(w, BAD_CAST elem) < 0)
		rc = -1;
	else if (esc != NULL)
		rc = xmlTextWriterWriteString(w, BAD_CAST esc) < 0 ? -1 : 0;
	else
		rc = xmlout_text(w, s, len);
	if (rc == 0 && xmlTextWriterFullEndElement(w) < 0)
		rc = -1;
	free(esc);
	return rc;
}

/* Whether a stream must be written escaped (rule 1). */
static int
must_escape(const char *s, size_t len)
{
	return !text_utf8_valid(s ? s : "", len) || needs_escape(s, len);
}

/* "prefix" "key" into buf, the name of a property. */
static const char *
key(char *buf, size_t size, const char *prefix, const char *k)
{
	snprintf(buf, size, "%s%s", prefix, k);
	return buf;
}

/* The properties of one run, the test's own (prefix "") or an earlier
 * try's ("try.N."): status, exit, pid, times, subtests, escapes. */
static int
run_properties(xmlTextWriterPtr w, const char *prefix,
    const struct prun_result *r)
{
	char k[64], buf[64];
	size_t i;

	if (xmlout_prop(w, key(k, sizeof k, prefix, "result"),
	    status_name(r->status)) == -1)
		return -1;
	if (r->has_returncode) {
		snprintf(buf, sizeof buf, "%d", r->returncode);
		if (xmlout_prop(w, key(k, sizeof k, prefix, "returncode"), buf) == -1)
			return -1;
	}
	snprintf(buf, sizeof buf, "%ld", r->pid);
	if (xmlout_prop(w, key(k, sizeof k, prefix, "pid"), buf) == -1 ||
	    xmlout_prop_double(w, key(k, sizeof k, prefix, "time.start"),
	    r->time_start) == -1 ||
	    xmlout_prop_double(w, key(k, sizeof k, prefix, "time.end"),
	    r->time_end) == -1)
		return -1;
	for (i = 0; i < r->nsubtests; i++) {
		snprintf(buf, sizeof buf, "%s ",
		    status_name(r->subtests[i].status));
		if (prop_string(w, key(k, sizeof k, prefix, "subtest"), buf,
		    r->subtests[i].name, strlen(r->subtests[i].name)) == -1)
			return -1;
	}
	for (i = 0; i < r->nsubtests; i++)
		if (r->subtests[i].todo && prop_string(w, key(k, sizeof k,
		    prefix, "todo"), "", r->subtests[i].name,
		    strlen(r->subtests[i].name)) == -1)
			return -1;
	if ((must_escape(r->out, r->out_len) && xmlout_prop(w, key(k, sizeof k,
	    prefix, "out.escaped"), ESCAPED) == -1) ||
	    (must_escape(r->err, r->err_len) && xmlout_prop(w, key(k, sizeof k,
	    prefix, "err.escaped"), ESCAPED) == -1))
		return -1;
	return 0;
}

/* The kernel log and the leaks of the test (version 2). */
static int
machine_properties(xmlTextWriterPtr w, const struct prun_result *r)
{
	char buf[64];
	size_t i;

	if (r->dmesg != NULL && prop_string(w, "dmesg", "", r->dmesg,
	    r->dmesg_len) == -1)
		return -1;
	if (r->dmesg_shared && xmlout_prop(w, "dmesg_shared", "true") == -1)
		return -1;
	if (r->leaked == 0)
		return 0;
	snprintf(buf, sizeof buf, "%zu", r->leaked);
	if (xmlout_prop(w, "leaks", buf) == -1)
		return -1;
	for (i = 0; i < r->nleak_commands; i++)
		if (prop_string(w, "leak", "", r->leak_commands[i],
		    strlen(r->leak_commands[i])) == -1)
			return -1;
	return 0;
}

/* The repetitions of --repeat: "rep.N.KEY" after their number. */
static int
rep_properties(xmlTextWriterPtr w, const struct prun_result *r)
{
	const struct prun_repetition *p;
	char buf[64], k[64];
	size_t i;

	if (r->nreps == 0)
		return 0;
	snprintf(buf, sizeof buf, "%zu", r->nreps);
	if (xmlout_prop(w, "repetitions", buf) == -1)
		return -1;
	for (i = 0; i < r->nreps; i++) {
		p = &r->reps[i];
		snprintf(k, sizeof k, "rep.%zu.result", i);
		if (xmlout_prop(w, k, status_name(p->status)) == -1)
			return -1;
		snprintf(k, sizeof k, "rep.%zu.returncode", i);
		snprintf(buf, sizeof buf, "%d", p->returncode);
		if (p->has_returncode && xmlout_prop(w, k, buf) == -1)
			return -1;
		snprintf(k, sizeof k, "rep.%zu.duration", i);
		if (xmlout_prop_double(w, k, p->duration) == -1)
			return -1;
		snprintf(k, sizeof k, "rep.%zu.out", i);
		if (p->out != NULL && prop_string(w, k, "", p->out,
		    p->out_len) == -1)
			return -1;
		snprintf(k, sizeof k, "rep.%zu.err", i);
		if (p->err != NULL && prop_string(w, k, "", p->err,
		    p->err_len) == -1)
			return -1;
	}
	return 0;
}

/* The properties that hold the result (what the JSON fragment holds). */
static int
properties(xmlTextWriterPtr w, const struct prun_result *r)
{
	char buf[64], prefix[64];
	size_t i;

	if (xmlTextWriterStartElement(w, BAD_CAST "properties") < 0 ||
	    xmlout_prop(w, "format", FRAGMENT_FORMAT) == -1)
		return -1;
	snprintf(buf, sizeof buf, "%d", FRAGMENT_VERSION);
	if (xmlout_prop(w, "version", buf) == -1)
		return -1;
	snprintf(buf, sizeof buf, "%zu", r->index);
	if (xmlout_prop(w, "index", buf) == -1 ||
	    prop_string(w, "name", "", r->name, strlen(r->name)) == -1)
		return -1;
	snprintf(buf, sizeof buf, "%d", r->attempt);
	if (xmlout_prop(w, "attempt", buf) == -1)
		return -1;
	if (r->interrupted && xmlout_prop(w, "interrupted", "true") == -1)
		return -1;
	if (r->command != NULL && prop_string(w, "command", "", r->command,
	    strlen(r->command)) == -1)
		return -1;
	if (run_properties(w, "", r) == -1)
		return -1;
	if (r->flaky && xmlout_prop(w, "flaky", "true") == -1)
		return -1;
	if (r->ntries > 0) {
		snprintf(buf, sizeof buf, "%zu", r->ntries);
		if (xmlout_prop(w, "tries", buf) == -1)
			return -1;
	}
	for (i = 0; i < r->ntries; i++) {
		snprintf(prefix, sizeof prefix, "try.%zu.", i);
		if (run_properties(w, prefix, &r->tries[i]) == -1)
			return -1;
	}
	if (machine_properties(w, r) == -1 || rep_properties(w, r) == -1)
		return -1;
	return xmlTextWriterEndElement(w) < 0 ? -1 : 0;
}

/* system-out and system-err of a run. */
static int
streams(xmlTextWriterPtr w, const struct prun_result *r)
{
	if (stream(w, "system-out", r->out ? r->out : "", r->out_len,
	    must_escape(r->out, r->out_len)) == -1 ||
	    stream(w, "system-err", r->err ? r->err : "", r->err_len,
	    must_escape(r->err, r->err_len)) == -1)
		return -1;
	return 0;
}

/* The testcase, as a JUnit reader sees it: the earlier tries are
 * Surefire's flaky or rerun elements, each with its own output. */
static int
testcase(xmlTextWriterPtr w, const struct prun_result *r)
{
	const char *elem = status_junit_element(r->status), *casename;
	char secs[64], msg[64], *cn;
	size_t i;
	int rc;

	if ((cn = xmlout_classname(r->name, r->name, &casename)) == NULL)
		return -1;
	xmlout_seconds(r->time_end - r->time_start, secs, sizeof secs);
	rc = xmlTextWriterStartElement(w, BAD_CAST "testcase") < 0 ||
	    xmlout_attr(w, "classname", cn) == -1 ||
	    xmlout_attr(w, "name", casename) == -1 ||
	    attr(w, "time", secs) == -1 ? -1 : 0;
	free(cn);
	if (rc == -1)
		return -1;
	if (elem != NULL && (xmlTextWriterStartElement(w, BAD_CAST elem) < 0 ||
	    attr(w, "type", status_name(r->status)) == -1 ||
	    attr(w, "message", status_name(r->status)) == -1 ||
	    xmlTextWriterEndElement(w) < 0))
		return -1;
	for (i = 0; i < r->ntries; i++) {
		elem = xmlout_rerun_element(r->tries[i].status, r->flaky);
		snprintf(msg, sizeof msg, "try %zu: %s", i + 1,
		    status_name(r->tries[i].status));
		if (xmlTextWriterStartElement(w, BAD_CAST elem) < 0 ||
		    attr(w, "type", status_name(r->tries[i].status)) == -1 ||
		    attr(w, "message", msg) == -1 ||
		    streams(w, &r->tries[i]) == -1 ||
		    xmlTextWriterEndElement(w) < 0)
			return -1;
	}
	if (streams(w, r) == -1)
		return -1;
	return xmlTextWriterEndElement(w) < 0 ? -1 : 0;
}

/* The whole document into a text writer. */
static int
document(xmlTextWriterPtr w, const struct prun_result *r)
{
	int failed = r->status == PRUN_WARN || r->status == PRUN_FAIL;
	int errored = status_is_failure(r->status) && !failed;
	int skipped = r->status == PRUN_SKIP || r->status == PRUN_NOTRUN;
	char secs[64], stamp[64];

	xmlout_seconds(r->time_end - r->time_start, secs, sizeof secs);
	xmlout_timestamp(r->time_start, stamp, sizeof stamp);
	if (xmlout_start(w, "testsuite") == -1 ||
	    xmlout_attr(w, "name", r->name) == -1 ||
	    attr(w, "tests", "1") == -1 ||
	    attr(w, "failures", failed ? "1" : "0") == -1 ||
	    attr(w, "errors", errored ? "1" : "0") == -1 ||
	    attr(w, "skipped", skipped ? "1" : "0") == -1 ||
	    attr(w, "time", secs) == -1 ||
	    attr(w, "timestamp", stamp) == -1 ||
	    properties(w, r) == -1 || testcase(w, r) == -1 ||
	    xmlTextWriterEndElement(w) < 0 ||
	    xmlTextWriterEndDocument(w) < 0)
		return -1;
	return 0;
}

/*
 * Set libxml2's globals up now: on first use it does so lazily, without
 * a lock, and worker threads encoding their first fragments at once race
 * on them (ThreadSanitizer saw it).  xmlInitParser is idempotent.
 */
void
fragment_xml_init(void)
{
	xmlInitParser();
}

/* Serialize r as one JUnit XML document. */
char *
fragment_xml_encode(const struct prun_result *r, size_t *len,
    struct prun_error *err)
{
	struct sink s = { NULL, 0, 0 };
	xmlOutputBufferPtr ob;
	xmlTextWriterPtr w = NULL;
	int rc = -1;

	if ((ob = xmlOutputBufferCreateIO(sink_write, sink_close, &s,
	    NULL)) != NULL && (w = xmlNewTextWriter(ob)) == NULL)
		xmlOutputBufferClose(ob);
	if (w != NULL) {
		rc = document(w, r);
		if (xmlTextWriterFlush(w) < 0)
			rc = -1;
		xmlFreeTextWriter(w);	/* closes ob */
	}
	if (rc == -1 || s.buf == NULL) {
		free(s.buf);
		prun_error_set(err, PRUN_EXIT_IO, "test %s: cannot encode its "
		    "result as XML (out of memory)", r->name ? r->name : "?");
		return NULL;
	}
	s.buf[s.len] = '\0';
	*len = s.len;
	return s.buf;
}

/* SAX hook: a DOCTYPE stops the parse before anything in it is read. */
static void
refuse_doctype(void *ctx, const xmlChar *name, const xmlChar *external_id,
    const xmlChar *system_id)
{
	xmlParserCtxtPtr ctxt = ctx;

	(void)name;
	(void)external_id;
	(void)system_id;
	*(int *)ctxt->_private = 1;
	xmlStopParser(ctxt);
}

/* What decoding has found of one run: the test's own, or a try's. */
struct seen_run {
	int	result, returncode, pid, start, end, out_esc, err_esc;
	size_t	subtests_size;
	size_t	todo_from;	/* where to look for the next TODO point */
};

/* What decoding has found of one repetition. */
struct seen_rep {
	int	result, returncode, duration, out, err;
};

/* What decoding has found so far. */
struct seen {
	int		 format, version, index, name, attempt, interrupted;
	int		 command, flaky, tries;
	int		 dmesg, dmesg_shared, leaks, reps;
	struct seen_rep	*rep;		/* one per repetition */
	struct seen_run	 run;
	struct seen_run	*try_runs;	/* one per try */
};

/* Parse a decimal integer in [min, max] that is the whole of s. */
static int
parse_int(const char *s, long long min, long long max, long long *out)
{
	char *end;
	long long v;

	if (*s != '-' && (*s < '0' || *s > '9'))
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

/* Append a subtest to run from "STATUS NAME" (NAME escaped). */
static int
add_subtest(struct prun_result *run, struct seen_run *seen,
    const char *value, const char **why)
{
	struct prun_subtest *p;
	const char *sp = strchr(value, ' ');
	char status[32];
	size_t n;

	if (sp == NULL || (size_t)(sp - value) >= sizeof status) {
		*why = "a subtest is not \"STATUS NAME\"";
		return -1;
	}
	memcpy(status, value, (size_t)(sp - value));
	status[sp - value] = '\0';
	if (run->nsubtests == seen->subtests_size) {
		n = seen->subtests_size ? 2 * seen->subtests_size : 8;
		if ((p = realloc(run->subtests, n * sizeof *p)) == NULL) {
			*why = strerror(errno);
			return -1;
		}
		run->subtests = p;
		seen->subtests_size = n;
	}
	p = &run->subtests[run->nsubtests];
	p->todo = 0;
	if (status_parse(status, &p->status) == -1) {
		*why = "a subtest has no valid status";
		return -1;
	}
	if (unescape(sp + 1, &p->name, &n) == -1) {
		*why = "a subtest has an invalid name";
		return -1;
	}
	/* A NUL inside the name: refuse it, and free the copy not kept. */
	if (strlen(p->name) != n) {
		free(p->name);
		p->name = NULL;
		*why = "a subtest has an invalid name";
		return -1;
	}
	run->nsubtests++;
	return 0;
}

/* Whether a single-valued property was already seen (then *why says so). */
static int
twice(int *flag, const char **why)
{
	if ((*flag)++ == 0)
		return 0;
	*why = "a property is given twice";
	return 1;
}

/* Mark a run's subtest, given before, as a TODO point. */
static int
take_todo(struct prun_result *run, struct seen_run *seen, const char *value,
    const char **why)
{
	char *name;
	size_t n;
	int rc;

	if (unescape(value, &name, &n) == -1) {
		*why = "a todo has an invalid name";
		return -1;
	}
	rc = result_mark_todo(run, name, &seen->todo_from);
	free(name);
	if (rc == -1)
		*why = "todo names no subtest given before it";
	return rc;
}

/* Take a property of one run (see run_properties); others are ignored. */
static int
take_run_property(struct prun_result *run, struct seen_run *seen,
    const char *key, const char *value, const char **why)
{
	long long v = 0;

	if (strcmp(key, "subtest") == 0)
		return add_subtest(run, seen, value, why);
	if (strcmp(key, "todo") == 0)
		return take_todo(run, seen, value, why);
	if (strcmp(key, "result") == 0) {
		if (!twice(&seen->result, why) &&
		    status_parse(value, &run->status) == -1)
			*why = "no valid result";
	} else if (strcmp(key, "returncode") == 0) {
		if (twice(&seen->returncode, why))
			return -1;
		if (parse_int(value, INT_MIN, INT_MAX, &v) == -1)
			*why = "returncode is not an integer";
		else {
			run->returncode = (int)v;
			run->has_returncode = 1;
		}
	} else if (strcmp(key, "pid") == 0) {
		if (twice(&seen->pid, why))
			return -1;
		if (parse_int(value, 0, LONG_MAX, &v) == -1)
			*why = "no valid pid";
		else
			run->pid = (long)v;
	} else if (strcmp(key, "time.start") == 0) {
		if (!twice(&seen->start, why) &&
		    xmlout_parse_double(value, &run->time_start) == -1)
			*why = "no valid time";
	} else if (strcmp(key, "time.end") == 0) {
		if (!twice(&seen->end, why) &&
		    xmlout_parse_double(value, &run->time_end) == -1)
			*why = "no valid time";
	} else if (strcmp(key, "out.escaped") == 0)
		twice(&seen->out_esc, why);
	else if (strcmp(key, "err.escaped") == 0)
		twice(&seen->err_esc, why);
	return *why == NULL ? 0 : -1;
}

/* Parse "true" or "false". */
static int
parse_bool(const char *s, int *out)
{
	if (strcmp(s, "true") == 0)
		*out = 1;
	else if (strcmp(s, "false") == 0)
		*out = 0;
	else
		return -1;
	return 0;
}

/* Take "tries": how many earlier tries there are, before their keys. */
static int
take_tries(struct prun_result *r, struct seen *seen, const char *value,
    const char **why)
{
	long long v;

	if (twice(&seen->tries, why))
		return -1;
	if (parse_int(value, 1, 100000, &v) == -1) {
		*why = "no valid number of tries";
		return -1;
	}
	r->tries = calloc((size_t)v, sizeof *r->tries);
	seen->try_runs = calloc((size_t)v, sizeof *seen->try_runs);
	if (r->tries == NULL || seen->try_runs == NULL) {
		*why = strerror(errno);
		return -1;
	}
	r->ntries = (size_t)v;
	return 0;
}

/* Take "try.N.KEY", a property of the earlier try N. */
static int
take_try_property(struct prun_result *r, struct seen *seen, const char *k,
    const char *value, const char **why)
{
	char *end;
	unsigned long long n;

	if (*k < '0' || *k > '9' || (n = strtoull(k, &end, 10),
	    *end != '.') || n >= r->ntries) {
		*why = "a try's property names no try given in prun.tries";
		return -1;
	}
	return take_run_property(&r->tries[n], &seen->try_runs[n], end + 1,
	    value, why);
}

/* Take "leaks", then each "leak": the leaked processes' names. */
static int
take_leak(struct prun_result *r, struct seen *seen, const char *key,
    const char *value, const char **why)
{
	long long v;
	size_t n;

	if (strcmp(key, "leaks") == 0) {
		if (twice(&seen->leaks, why))
			return -1;
		if (parse_int(value, 1, LLONG_MAX, &v) == -1) {
			*why = "no valid leaks";
			return -1;
		}
		r->leaked = (size_t)v;
		return 0;
	}
	if (!seen->leaks || r->nleak_commands >= RESULT_LEAK_NAMES ||
	    r->nleak_commands >= r->leaked) {
		*why = "a leak is not counted in prun.leaks";
		return -1;
	}
	if (r->leak_commands == NULL && (r->leak_commands = calloc(
	    RESULT_LEAK_NAMES, sizeof *r->leak_commands)) == NULL) {
		*why = strerror(errno);
		return -1;
	}
	if (unescape(value, &r->leak_commands[r->nleak_commands], &n) == -1) {
		*why = "a leak has an invalid name";
		return -1;
	}
	r->nleak_commands++;
	return 0;
}

/* Take "repetitions": how many there are, before their keys. */
static int
take_reps(struct prun_result *r, struct seen *seen, const char *value,
    const char **why)
{
	long long v;

	if (twice(&seen->reps, why))
		return -1;
	if (parse_int(value, 1, 1000000, &v) == -1) {
		*why = "no valid number of repetitions";
		return -1;
	}
	r->reps = calloc((size_t)v, sizeof *r->reps);
	seen->rep = calloc((size_t)v, sizeof *seen->rep);
	if (r->reps == NULL || seen->rep == NULL) {
		*why = strerror(errno);
		return -1;
	}
	r->nreps = (size_t)v;
	return 0;
}

/* Take "rep.N.KEY", a property of repetition N. */
static int
take_rep_property(struct prun_result *r, struct seen *seen, const char *k,
    const char *value, const char **why)
{
	struct prun_repetition *p;
	struct seen_rep *s;
	unsigned long long n;
	long long v;
	char *end;

	if (*k < '0' || *k > '9' || (n = strtoull(k, &end, 10),
	    *end != '.') || n >= r->nreps) {
		*why = "a repetition's property names no repetition given "
		    "in prun.repetitions";
		return -1;
	}
	p = &r->reps[n];
	s = &seen->rep[n];
	k = end + 1;
	if (strcmp(k, "result") == 0) {
		if (!twice(&s->result, why) &&
		    status_parse(value, &p->status) == -1)
			*why = "a repetition has no valid result";
	} else if (strcmp(k, "returncode") == 0) {
		if (twice(&s->returncode, why))
			return -1;
		if (parse_int(value, INT_MIN, INT_MAX, &v) == -1)
			*why = "a repetition's returncode is not an integer";
		p->returncode = (int)v;
		p->has_returncode = 1;
	} else if (strcmp(k, "duration") == 0) {
		if (!twice(&s->duration, why) &&
		    xmlout_parse_double(value, &p->duration) == -1)
			*why = "a repetition has no valid duration";
	} else if (strcmp(k, "out") == 0) {
		if (!twice(&s->out, why) &&
		    unescape(value, &p->out, &p->out_len) == -1)
			*why = "a repetition's out is not a valid string";
	} else if (strcmp(k, "err") == 0) {
		if (!twice(&s->err, why) &&
		    unescape(value, &p->err, &p->err_len) == -1)
			*why = "a repetition's err is not a valid string";
	}
	return *why == NULL ? 0 : -1;
}

/* Take one property into r; *why says what is wrong. */
static int
take_property(struct prun_result *r, struct seen *seen, const char *key,
    const char *value, const char **why)
{
	long long v = 0;
	size_t n;

	*why = NULL;
	if (strncmp(key, "try.", 4) == 0)
		return take_try_property(r, seen, key + 4, value, why);
	if (strcmp(key, "tries") == 0)
		return take_tries(r, seen, value, why);
	if (strcmp(key, "leaks") == 0 || strcmp(key, "leak") == 0)
		return take_leak(r, seen, key, value, why);
	if (strcmp(key, "repetitions") == 0)
		return take_reps(r, seen, value, why);
	if (strncmp(key, "rep.", 4) == 0)
		return take_rep_property(r, seen, key + 4, value, why);
	if (strcmp(key, "format") == 0) {
		if (!twice(&seen->format, why) &&
		    strcmp(value, FRAGMENT_FORMAT) != 0)
			*why = "not a prun fragment";
	} else if (strcmp(key, "version") == 0) {
		if (!twice(&seen->version, why) &&
		    (parse_int(value, 0, INT_MAX, &v) == -1 ||
		    !fragment_version_known(v)))
			*why = "unsupported fragment version";
	} else if (strcmp(key, "index") == 0) {
		if (twice(&seen->index, why))
			return -1;
		if (parse_int(value, 0, LLONG_MAX, &v) == -1)
			*why = "no valid index";
		else
			r->index = (size_t)v;
	} else if (strcmp(key, "name") == 0) {
		if (!twice(&seen->name, why) &&
		    (unescape(value, &r->name, &n) == -1 ||
		    strlen(r->name) != n))
			*why = "no valid name";
	} else if (strcmp(key, "attempt") == 0) {
		if (twice(&seen->attempt, why))
			return -1;
		if (parse_int(value, 1, 1000000, &v) == -1)
			*why = "no valid attempt";
		else
			r->attempt = (int)v;
	} else if (strcmp(key, "interrupted") == 0) {
		if (!twice(&seen->interrupted, why) &&
		    parse_bool(value, &r->interrupted) == -1)
			*why = "interrupted is not a boolean";
	} else if (strcmp(key, "dmesg") == 0) {
		if (!twice(&seen->dmesg, why) &&
		    unescape(value, &r->dmesg, &r->dmesg_len) == -1)
			*why = "dmesg is not a valid string";
	} else if (strcmp(key, "dmesg_shared") == 0) {
		if (!twice(&seen->dmesg_shared, why) &&
		    parse_bool(value, &r->dmesg_shared) == -1)
			*why = "dmesg_shared is not a boolean";
	} else if (strcmp(key, "flaky") == 0) {
		if (!twice(&seen->flaky, why) &&
		    parse_bool(value, &r->flaky) == -1)
			*why = "flaky is not a boolean";
	} else if (strcmp(key, "command") == 0) {
		if (!twice(&seen->command, why) &&
		    (unescape(value, &r->command, &n) == -1 ||
		    strlen(r->command) != n))
			*why = "command is not a valid string";
	} else
		return take_run_property(r, &seen->run, key, value, why);
	return *why == NULL ? 0 : -1;
}

/* Whether the required properties of a run were all given. */
static const char *
run_missing(const struct seen_run *seen)
{
	if (!seen->result)
		return "no valid result";
	if (!seen->pid)
		return "no pid";
	if (!seen->start || !seen->end)
		return "no valid time";
	return NULL;
}

/* Read every <property> of <properties>. */
static int
read_properties(xmlNodePtr props, struct prun_result *r, struct seen *seen,
    const char **why)
{
	xmlNodePtr n;
	xmlChar *name, *value;
	size_t i;
	int rc;

	for (n = props->children; n != NULL; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (!xmlStrEqual(n->name, BAD_CAST "property")) {
			*why = "properties holds something else than property";
			return -1;
		}
		name = xmlGetNoNsProp(n, BAD_CAST "name");
		value = xmlGetNoNsProp(n, BAD_CAST "value");
		if (name == NULL || value == NULL) {
			*why = "a property has no name or value";
			rc = -1;
		} else if (strncmp((char *)name, PROP, strlen(PROP)) != 0)
			rc = 0;		/* not ours: a user's tool added it */
		else
			rc = take_property(r, seen,
			    (char *)name + strlen(PROP), (char *)value, why);
		xmlFree(name);
		xmlFree(value);
		if (rc == -1)
			return -1;
	}
	if (!seen->format)
		*why = "not a prun fragment";
	else if (!seen->version)
		*why = "unsupported fragment version";
	else if (!seen->index)
		*why = "no valid index";
	else if (!seen->name)
		*why = "no name";
	else if (!seen->attempt)
		*why = "no valid attempt";
	else
		*why = run_missing(&seen->run);
	for (i = 0; *why == NULL && i < r->ntries; i++)
		*why = run_missing(&seen->try_runs[i]);
	for (i = 0; *why == NULL && i < r->nreps; i++)
		if (!seen->rep[i].result || !seen->rep[i].duration)
			*why = "a repetition has no valid result or duration";
	return *why == NULL ? 0 : -1;
}

/* The text of system-out or system-err, unescaped when flagged. */
static int
read_stream(xmlNodePtr n, int escaped, char **out, size_t *len)
{
	xmlChar *copy = NULL;
	const char *text;
	int rc = 0;

	/* One text node (the usual case) is read in place: output may be
	 * a hundred megabytes, better not held three times. */
	if (n->children == NULL)
		text = "";
	else if (n->children->next == NULL &&
	    n->children->type == XML_TEXT_NODE)
		text = (const char *)n->children->content;
	else if ((copy = xmlNodeGetContent(n)) == NULL)
		return -1;
	else
		text = (const char *)copy;
	if (escaped)
		rc = unescape(text, out, len);
	else if ((*out = strdup(text)) == NULL)
		rc = -1;
	else
		*len = strlen(*out);
	xmlFree(copy);
	return rc;
}

/* Whether an element is one of Surefire's earlier-try elements. */
static int
is_rerun(xmlNodePtr n)
{
	return xmlStrEqual(n->name, BAD_CAST "flakyFailure") ||
	    xmlStrEqual(n->name, BAD_CAST "flakyError") ||
	    xmlStrEqual(n->name, BAD_CAST "rerunFailure") ||
	    xmlStrEqual(n->name, BAD_CAST "rerunError");
}

/* Read the system-out and system-err children of el into run, one of
 * each. */
static int
read_streams(xmlNodePtr el, struct prun_result *run,
    const struct seen_run *seen, const char **why)
{
	xmlNodePtr n;
	char **out;
	size_t *len;
	int esc;

	for (n = el->children; n != NULL; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (xmlStrEqual(n->name, BAD_CAST "system-out")) {
			out = &run->out;
			len = &run->out_len;
			esc = seen->out_esc;
		} else if (xmlStrEqual(n->name, BAD_CAST "system-err")) {
			out = &run->err;
			len = &run->err_len;
			esc = seen->err_esc;
		} else
			continue;
		if (*out != NULL) {
			*why = "two system-out or system-err";
			return -1;
		}
		if (read_stream(n, esc, out, len) == -1) {
			*why = "system-out or system-err is not valid";
			return -1;
		}
	}
	if (run->out == NULL || run->err == NULL) {
		*why = "no out or err";
		return -1;
	}
	return 0;
}

/* Read the testcase: its output, and each earlier try's in order. */
static int
read_testcase(xmlNodePtr tc, struct prun_result *r, const struct seen *seen,
    const char **why)
{
	xmlNodePtr n;
	size_t i = 0;

	if (read_streams(tc, r, &seen->run, why) == -1)
		return -1;
	for (n = tc->children; n != NULL; n = n->next) {
		if (n->type != XML_ELEMENT_NODE || !is_rerun(n))
			continue;
		if (i == r->ntries) {
			*why = "more tries than prun.tries says";
			return -1;
		}
		r->tries[i].index = r->index;
		r->tries[i].attempt = r->attempt;
		if (read_streams(n, &r->tries[i], &seen->try_runs[i],
		    why) == -1)
			return -1;
		i++;
	}
	if (i != r->ntries) {
		*why = "fewer tries than prun.tries says";
		return -1;
	}
	return 0;
}

/* The result in a parsed document. */
static int
read_document(xmlDocPtr doc, struct prun_result *r, const char **why)
{
	struct seen seen;
	xmlNodePtr root, n, props = NULL, tc = NULL;
	int rc;

	memset(&seen, 0, sizeof seen);
	root = xmlDocGetRootElement(doc);
	if (root == NULL || !xmlStrEqual(root->name, BAD_CAST "testsuite")) {
		*why = "not a prun fragment (no testsuite)";
		return -1;
	}
	for (n = root->children; n != NULL; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (xmlStrEqual(n->name, BAD_CAST "properties")) {
			if (props != NULL) {
				*why = "two properties";
				return -1;
			}
			props = n;
		} else if (xmlStrEqual(n->name, BAD_CAST "testcase")) {
			if (tc != NULL) {
				*why = "more than one testcase";
				return -1;
			}
			tc = n;
		}
	}
	if (props == NULL || tc == NULL) {
		*why = "not a prun fragment (no properties or testcase)";
		return -1;
	}
	rc = read_properties(props, r, &seen, why);
	if (rc == 0)
		rc = read_testcase(tc, r, &seen, why);
	free(seen.try_runs);
	free(seen.rep);
	return rc;
}

/* Parse an XML fragment into r (rules 3 and 4). */
int
fragment_xml_decode(const char *buf, size_t len, const char *what,
    struct prun_result *r, struct prun_error *err)
{
	xmlParserCtxtPtr ctxt;
	xmlDocPtr doc;
	const xmlError *xe;
	const char *why = NULL;
	int doctype = 0, rc;

	memset(r, 0, sizeof *r);
	if (len > FRAGMENT_XML_MAX || len > INT_MAX)
		return prun_error_set(err, PRUN_EXIT_IO, "%s: larger than %u "
		    "bytes, not parsed", what, FRAGMENT_XML_MAX);
	if ((ctxt = xmlNewParserCtxt()) == NULL)
		return prun_error_errno(err, PRUN_EXIT_IO, ENOMEM, "%s", what);
	ctxt->_private = &doctype;
	ctxt->sax->internalSubset = refuse_doctype;
	doc = xmlCtxtReadMemory(ctxt, buf, (int)len, NULL, NULL,
	    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
	    XML_PARSE_HUGE);
	if (doctype || (doc != NULL && (doc->intSubset != NULL ||
	    doc->extSubset != NULL)))
		why = "has a DOCTYPE (DTDs and entities are refused)";
	else if (doc == NULL || !ctxt->wellFormed) {
		xe = xmlCtxtGetLastError(ctxt);
		if (xe != NULL && xe->message != NULL) {
			prun_error_set(err, PRUN_EXIT_IO, "%s:%d: not "
			    "well-formed XML: %.*s", what, xe->line,
			    (int)strcspn(xe->message, "\n"), xe->message);
		} else
			prun_error_set(err, PRUN_EXIT_IO, "%s: not "
			    "well-formed XML", what);
		xmlFreeDoc(doc);
		xmlFreeParserCtxt(ctxt);
		return -1;
	}
	xmlFreeParserCtxt(ctxt);
	rc = why == NULL ? read_document(doc, r, &why) : -1;
	xmlFreeDoc(doc);
	if (rc == -1) {
		result_free(r);
		return prun_error_set(err, PRUN_EXIT_IO, "%s: %s", what, why);
	}
	return 0;
}
