/*
 * report_html_data: the html writer's escaping and formatting: text and
 * attributes (rule 1 of report_html.c), JSON for the script (rule 2),
 * durations, times and the stacked bar of counts.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "core/text.h"
#include "core/util.h"
#include "report/change.h"
#include "report/report.h"
#include "report/report_html.h"

/* The statuses in the order the page lists them. */
const enum prun_status html_order[NORDER] = {
	PRUN_PASS, PRUN_WARN, PRUN_DMESG_WARN, PRUN_SKIP, PRUN_NOTRUN,
	PRUN_FAIL, PRUN_DMESG_FAIL, PRUN_TIMEOUT, PRUN_CRASH, PRUN_INCOMPLETE,
};

/* Write s[0..len) for HTML text or a quoted attribute (rule 1). */
int
html_esc(FILE *fp, const char *s, size_t len)
{
	const char *p, *run, *end, *ent;
	char *copy;
	size_t n;
	int rc = 0;

	if ((copy = text_to_xml(s, len, &n)) == NULL)
		return -1;
	end = copy + n;
	for (p = run = copy; p < end; p++) {
		switch (*p) {
		case '&':
			ent = "&amp;";
			break;
		case '<':
			ent = "&lt;";
			break;
		case '>':
			ent = "&gt;";
			break;
		case '"':
			ent = "&quot;";
			break;
		case '\'':
			ent = "&#39;";
			break;
		default:
			continue;
		}
		if ((p > run && fwrite(run, 1, (size_t)(p - run), fp) !=
		    (size_t)(p - run)) || fputs(ent, fp) == EOF)
			rc = -1;
		run = p + 1;
	}
	if (p > run && fwrite(run, 1, (size_t)(p - run), fp) !=
	    (size_t)(p - run))
		rc = -1;
	free(copy);
	return rc;
}

/* html_esc() of a NUL-terminated string. */
int
html_escs(FILE *fp, const char *s)
{
	return html_esc(fp, s, strlen(s));
}

/* Write a JSON value inside <script type="application/json"> (rule 2). */
int
html_json_script(FILE *fp, json_t *v)
{
	const unsigned char *p;
	char *text;
	int rc = 0;

	if (v == NULL)
		return -1;
	text = json_dumps(v, JSON_COMPACT);
	json_decref(v);
	if (text == NULL)
		return -1;
	for (p = (const unsigned char *)text; *p != '\0' && rc == 0; p++) {
		if (*p == '<' || *p == '>' || *p == '&')
			rc = fprintf(fp, "\\u%04x", *p) < 0 ? -1 : 0;
		else if (p[0] == 0xe2 && p[1] == 0x80 &&
		    (p[2] == 0xa8 || p[2] == 0xa9)) {
			rc = fprintf(fp, "\\u%04x", p[2] == 0xa8 ? 0x2028 :
			    0x2029) < 0 ? -1 : 0;
			p += 2;
		} else
			rc = putc(*p, fp) == EOF ? -1 : 0;
	}
	free(text);
	return rc;
}

/* A duration as the page shows it. */
void
html_fmt_dur(char *buf, size_t size, double d)
{
	if (d < 0)
		snprintf(buf, size, "-");
	else if (d < 10)
		snprintf(buf, size, "%.3f s", d);
	else if (d < 3600)
		snprintf(buf, size, "%.1f s", d);
	else
		snprintf(buf, size, "%dh%02dm%02ds", (int)(d / 3600),
		    (int)(d / 60) % 60, (int)d % 60);
}

/* A point in time as the page shows it (UTC, ISO 8601). */
void
html_fmt_time(char *buf, size_t size, double t)
{
	time_t secs = (time_t)t;
	struct tm tm;

	if (t <= 0 || gmtime_r(&secs, &tm) == NULL ||
	    strftime(buf, size, "%Y-%m-%d %H:%M:%S UTC", &tm) == 0)
		snprintf(buf, size, "-");
}

/*
 * Array p of *size elements of elsize, grown (doubling) to hold n: p
 * itself, or a new p with *size updated; NULL when out of memory, p then
 * still being valid.
 */
void *
html_grow(void *p, size_t *size, size_t n, size_t elsize)
{
	size_t want = *size ? *size : 64;

	if (n <= *size)
		return p;
	while (want < n)
		want *= 2;
	if (want > SIZE_MAX / elsize || (p = realloc(p, want * elsize)) ==
	    NULL)
		return NULL;
	*size = want;
	return p;
}

/* A stacked bar of counts; total 0 draws an empty bar. */
int
html_bar(FILE *o, const size_t *counts)
{
	size_t s, total = 0;

	for (s = 0; s < NORDER; s++)
		total += counts[html_order[s]];
	if (fputs("<span class=\"bar\">", o) == EOF)
		return -1;
	for (s = 0; total > 0 && s < NORDER; s++) {
		size_t c = counts[html_order[s]];

		if (c > 0 && fprintf(o, "<i class=\"%s\" style=\"width:"
		    "%.3f%%\" title=\"%zu %s\"></i>", status_name(html_order[s]),
		    100.0 * (double)c / (double)total, c,
		    status_name(html_order[s])) < 0)
			return -1;
	}
	return fputs("</span>", o) == EOF ? -1 : 0;
}
