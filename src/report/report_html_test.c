/*
 * report_html_test: one test of the html page: its line or box with a
 * badge per run, its command, exit code, tries, subtests and (capped)
 * output, spooled as it comes, and what the top of the page keeps of it
 * (the slowest tests, the tests that need a look).  Every string goes
 * through html_esc (rule 1 of report_html.c).
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

/* How long a result took; -1 when it has no end. */
static double
duration(const struct prun_result *r)
{
	if (r == NULL || r->time_end <= 0 || r->time_start <= 0 ||
	    r->time_end < r->time_start)
		return -1;
	return r->time_end - r->time_start;
}

/* Whether a result's output is shown. */
static int
show_output(const struct report *rep, const struct prun_result *r)
{
	switch (rep->opts->show_output) {
	case REPORT_SHOW_ALL:
		return 1;
	case REPORT_SHOW_NONE:
		return 0;
	default:
		return r->status != PRUN_PASS && r->status != PRUN_SKIP &&
		    r->status != PRUN_NOTRUN;
	}
}

/* A status badge, marked with the change from the run before (kind of
 * enum change_kind, -1 for none). */
static int
badge(FILE *o, const struct prun_result *r, int kind)
{
	const char *cls = r != NULL ? status_name(r->status) : "none";
	const char *mark = kind == CHANGE_REGRESSION ? " rg" :
	    kind == CHANGE_FIX ? " fx" : "";

	if (fprintf(o, "<b class=\"s %s%s\"", cls, mark) < 0 ||
	    (kind >= 0 && fprintf(o, " title=\"%s\"",
	    change_kind_name((enum change_kind)kind)) < 0))
		return -1;
	return fprintf(o, ">%s</b>", r != NULL ? cls : "absent") < 0 ? -1 : 0;
}

/* A subtest's badge, marked as badge() marks a test's. */
static int
subtest_badge(FILE *o, const struct prun_subtest *st, int kind)
{
	const char *cls = st != NULL ? status_name(st->status) : "none";

	return fprintf(o, "<b class=\"s %s%s\">%s</b>", cls,
	    kind == CHANGE_REGRESSION ? " rg" : kind == CHANGE_FIX ? " fx" :
	    "", st != NULL ? cls : "absent") < 0 ? -1 : 0;
}

/* The exit code as a person reads it. */
static int
exit_code(FILE *o, const struct prun_result *r)
{
	if (!r->has_returncode)
		return fputs("-", o) == EOF ? -1 : 0;
	if (r->returncode < 0)
		return fprintf(o, "signal %d", -r->returncode) < 0 ? -1 : 0;
	return fprintf(o, "%d", r->returncode) < 0 ? -1 : 0;
}

/* One stream of output, capped in its middle with the cut marked. */
static int
output(FILE *o, size_t max, const char *what, const char *label,
    const char *s, size_t len)
{
	size_t head, tail;

	if (len == 0)
		return 0;
	if (fprintf(o, "<h4>%s", what) < 0 ||
	    (label != NULL && (fputs(" &mdash; ", o) == EOF ||
	    html_escs(o, label) == -1)) || fputs("</h4><pre>", o) == EOF)
		return -1;
	if (max == 0 || len <= max) {
		if (html_esc(o, s, len) == -1)
			return -1;
	} else {
		head = text_utf8_cut_back(s, len, max / 2);
		tail = text_utf8_cut_forward(s, len, len - max / 2);
		if (html_esc(o, s, head) == -1 ||
		    fprintf(o, "<mark class=\"cut\">[%zu bytes not shown: "
		    "--html-max-output]</mark>", tail - head) < 0 ||
		    html_esc(o, s + tail, len - tail) == -1)
			return -1;
	}
	return fputs("</pre>\n", o) == EOF ? -1 : 0;
}

/* How many subtests r has in each status: "12 subtests: 10 pass, 2 skip". */
static int
subtest_counts(FILE *o, const struct prun_result *r)
{
	size_t i, s, counts[PRUN_NSTATUS];
	const char *sep = ": ";

	memset(counts, 0, sizeof counts);
	for (i = 0; i < r->nsubtests; i++)
		counts[r->subtests[i].status]++;
	if (fprintf(o, "%zu subtests", r->nsubtests) < 0)
		return -1;
	for (s = 0; s < NORDER; s++) {
		if (counts[html_order[s]] == 0)
			continue;
		if (fprintf(o, "%s%zu %s", sep, counts[html_order[s]],
		    status_name(html_order[s])) < 0)
			return -1;
		sep = ", ";
	}
	return 0;
}

/* The subtests of every column, by name in order of first appearance. */
static int
subtests(struct html_state *hs, const struct prun_result *const *cells,
    int detailed)
{
	FILE *o = hs->spool;
	size_t k, i, total = 0;
	const struct prun_subtest *st, *prev;
	int kind;

	for (k = 0; k < hs->ncols; k++)
		if (cells[k] != NULL)
			total += cells[k]->nsubtests;
	if (total == 0)
		return 0;
	if (!detailed) {
		/* A test that passed: how many subtests, not each. */
		for (k = 0; k < hs->ncols; k++) {
			if (cells[k] == NULL || cells[k]->nsubtests == 0)
				continue;
			if (fputs("<p>", o) == EOF || (hs->ncols > 1 &&
			    (html_escs(o, hs->labels[k]) == -1 ||
			    fputs(": ", o) == EOF)) ||
			    subtest_counts(o, cells[k]) == -1 ||
			    fputs("</p>\n", o) == EOF)
				return -1;
		}
		return 0;
	}
	if (fputs("<table class=\"sub\"><tr><th>subtest</th>", o) == EOF)
		return -1;
	for (k = 0; hs->ncols > 1 && k < hs->ncols; k++)
		if (fputs("<th>", o) == EOF || html_escs(o, hs->labels[k]) == -1 ||
		    fputs("</th>", o) == EOF)
			return -1;
	if (hs->ncols == 1 && fputs("<th>status</th>", o) == EOF)
		return -1;
	if (fputs("</tr>\n", o) == EOF)
		return -1;
	/*
	 * One row per distinct name, where it first appears.  Runs of one
	 * test mostly list the same subtests in the same order, so a name is
	 * looked for at the same index first.
	 */
	for (k = 0; k < hs->ncols; k++) {
		for (i = 0; cells[k] != NULL && i < cells[k]->nsubtests; i++) {
			const char *name = cells[k]->subtests[i].name;
			size_t c;

			for (c = 0; c < k; c++)
				if (change_subtest(cells[c], name, i) != NULL)
					break;
			if (c < k)
				continue;
			if (fputs("<tr><td>", o) == EOF ||
			    html_escs(o, name) == -1 || fputs("</td>", o) == EOF)
				return -1;
			for (c = 0, prev = NULL; c < hs->ncols; c++) {
				st = change_subtest(cells[c], name, i);
				kind = c == 0 ? -1 : change_status(prev ?
				    prev->status : CHANGE_ABSENT, st ?
				    st->status : CHANGE_ABSENT);
				prev = st;
				if (fputs("<td>", o) == EOF ||
				    subtest_badge(o, st, kind) == -1 ||
				    fputs("</td>", o) == EOF)
					return -1;
			}
			if (fputs("</tr>\n", o) == EOF)
				return -1;
		}
	}
	return fputs("</table>\n", o) == EOF ? -1 : 0;
}

/* Keep a test for the chart of the slowest: a small sorted array. */
static int
keep_slow(struct html_state *hs, size_t id, const char *name, double dur,
    const struct prun_result *const *cells)
{
	struct kept *sl = hs->slow, tmp;
	size_t i, k;

	if (dur < 0 || (hs->nslow == SLOWEST && dur <= sl[SLOWEST - 1].dur))
		return 0;
	if (hs->nslow == SLOWEST) {
		free(sl[SLOWEST - 1].name);
		free(sl[SLOWEST - 1].durs);
		hs->nslow--;
	}
	memset(&tmp, 0, sizeof tmp);
	tmp.id = id;
	tmp.dur = dur;
	if ((tmp.name = strdup(name)) == NULL ||
	    (tmp.durs = calloc(hs->ncols, sizeof *tmp.durs)) == NULL) {
		free(tmp.name);
		return -1;
	}
	for (k = 0; k < hs->ncols; k++)
		tmp.durs[k] = duration(cells[k]);
	for (i = hs->nslow; i > 0 && sl[i - 1].dur < dur; i--)
		sl[i] = sl[i - 1];
	sl[i] = tmp;
	hs->nslow++;
	return 0;
}

/* Keep a test for the list at the top (the first NOTABLE of them). */
static int
keep_notable(struct html_state *hs, size_t id, const char *name,
    const struct prun_result *const *cells, int change, int verdict)
{
	struct kept *n;
	size_t k;

	if (hs->nnotable == NOTABLE) {
		hs->notable_more++;
		return 0;
	}
	n = &hs->notable[hs->nnotable];
	memset(n, 0, sizeof *n);
	if ((n->name = strdup(name)) == NULL ||
	    (n->st = calloc(hs->ncols, sizeof *n->st)) == NULL) {
		free(n->name);
		return -1;
	}
	n->id = id;
	n->change = change;
	n->verdict = verdict;
	n->flaky = hs->ncols == 1 && cells[0]->flaky;
	for (k = 0; k < hs->ncols; k++)
		n->st[k] = cells[k] != NULL ? (signed char)cells[k]->status :
		    -1;
	hs->nnotable++;
	return 0;
}

/*
 * The failed tries of a test that --rerun-failures ran again: status,
 * exit code, duration, and the output of each that shows it.
 */
static int
tries(struct report *rep, const struct prun_result *r, const char *label)
{
	struct html_state *hs = rep->state;
	FILE *o = hs->spool;
	const struct prun_result *t;
	char buf[64], what[64];
	size_t i;

	if (r->ntries == 0)
		return 0;
	if (fputs("<h4>earlier tries", o) == EOF || (label != NULL &&
	    (fputs(" &mdash; ", o) == EOF || html_escs(o, label) == -1)) ||
	    fputs("</h4><table class=\"ti\"><tr><th>try</th><th>status</th>"
	    "<th>exit code</th><th>duration</th></tr>\n", o) == EOF)
		return -1;
	for (i = 0; i < r->ntries; i++) {
		t = &r->tries[i];
		html_fmt_dur(buf, sizeof buf, duration(t));
		if (fprintf(o, "<tr><td>%zu</td><td><b class=\"s %s\">%s</b>"
		    "</td><td>", i + 1, status_name(t->status),
		    status_name(t->status)) < 0 || exit_code(o, t) == -1 ||
		    fprintf(o, "</td><td>%s</td></tr>\n", buf) < 0)
			return -1;
	}
	if (fputs("</table>\n", o) == EOF)
		return -1;
	for (i = 0; i < r->ntries; i++) {
		t = &r->tries[i];
		if (!show_output(rep, t))
			continue;
		snprintf(what, sizeof what, "stdout of try %zu", i + 1);
		if (output(o, rep->opts->show_max, what, label, t->out,
		    t->out_len) == -1)
			return -1;
		snprintf(what, sizeof what, "stderr of try %zu", i + 1);
		if (output(o, rep->opts->show_max, what, label, t->err,
		    t->err_len) == -1)
			return -1;
	}
	return 0;
}

/* The details of one test: a line per run, subtests, output. */
static int
body(struct report *rep, const struct prun_result *const *cells,
    int detailed)
{
	struct html_state *hs = rep->state;
	FILE *o = hs->spool;
	const struct prun_result *r;
	const char *label;
	char buf[64];
	size_t k;

	if (fputs("<div class=\"tb\"><table class=\"ti\"><tr>", o) == EOF ||
	    (hs->ncols > 1 && fputs("<th>run</th>", o) == EOF) ||
	    fputs("<th>status</th><th>exit code</th><th>duration</th>"
	    "<th>command</th></tr>\n", o) == EOF)
		return -1;
	for (k = 0; k < hs->ncols; k++) {
		r = cells[k];
		if (fputs("<tr>", o) == EOF || (hs->ncols > 1 &&
		    (fputs("<td>", o) == EOF || html_escs(o, hs->labels[k]) == -1 ||
		    fputs("</td>", o) == EOF)))
			return -1;
		if (r == NULL) {
			if (fputs("<td><b class=\"s none\">absent</b></td>"
			    "<td></td><td></td><td></td></tr>\n", o) == EOF)
				return -1;
			continue;
		}
		html_fmt_dur(buf, sizeof buf, duration(r));
		if (fprintf(o, "<td><b class=\"s %s\">%s</b>",
		    status_name(r->status), status_name(r->status)) < 0 ||
		    (r->attempt > 1 && fprintf(o, " (attempt %d)",
		    r->attempt) < 0) || fputs("</td><td>", o) == EOF ||
		    exit_code(o, r) == -1 ||
		    fprintf(o, "</td><td>%s</td><td><code>", buf) < 0 ||
		    html_escs(o, r->command != NULL ? r->command : "") == -1 ||
		    fputs("</code></td></tr>\n", o) == EOF)
			return -1;
	}
	if (fputs("</table>\n", o) == EOF || subtests(hs, cells, detailed) ==
	    -1)
		return -1;
	for (k = 0; k < hs->ncols; k++) {
		r = cells[k];
		if (r == NULL || !show_output(rep, r))
			continue;
		label = hs->ncols > 1 ? hs->labels[k] : NULL;
		if (output(o, rep->opts->show_max, "stdout", label, r->out,
		    r->out_len) == -1 || output(o, rep->opts->show_max,
		    "stderr", label, r->err, r->err_len) == -1)
			return -1;
	}
	for (k = 0; k < hs->ncols; k++)
		if (cells[k] != NULL && tries(rep, cells[k],
		    hs->ncols > 1 ? hs->labels[k] : NULL) == -1)
			return -1;
	return fputs("</div>", o) == EOF ? -1 : 0;
}

/*
 * What a baseline says of a test (verdict and expected as report_info
 * has them) and whether it passed only on a rerun, as small tags.
 */
int
html_tags(FILE *o, int verdict, enum prun_status expected,
    const struct prun_result *r)
{
	const char *name;

	if (verdict != BASELINE_OK) {
		name = baseline_verdict_name((enum baseline_verdict)verdict);
		if (fprintf(o, "<i class=\"vd %s\"", name) < 0 ||
		    (expected < PRUN_NSTATUS && fprintf(o, " title=\"the "
		    "baseline says %s\"", status_name(expected)) < 0) ||
		    fprintf(o, ">%s</i>", name) < 0)
			return -1;
	}
	if (r != NULL && r->flaky && fprintf(o, "<i class=\"vd flaky\" "
	    "title=\"passed after %zu failed tr%s\">flaky</i>", r->ntries,
	    r->ntries == 1 ? "y" : "ies") < 0)
		return -1;
	return 0;
}

/*
 * What a test that needs no box says on its line: exit code, subtests,
 * command (of the newest run).
 */
static int
line_details(struct html_state *hs, const struct prun_result *r)
{
	FILE *o = hs->spool;

	if (fputs("<span class=\"cm\">exit code ", o) == EOF ||
	    exit_code(o, r) == -1 || (r->attempt > 1 &&
	    fprintf(o, " &middot; attempt %d", r->attempt) < 0) ||
	    (r->nsubtests > 0 && (fputs(" &middot; ", o) == EOF ||
	    subtest_counts(o, r) == -1)))
		return -1;
	if (fputs(" &middot; ", o) == EOF ||
	    html_escs(o, r->command != NULL ? r->command : "") == -1)
		return -1;
	return fputs("</span>", o) == EOF ? -1 : 0;
}

/*
 * One test: the same test in each column.  A test with something to
 * open (a failure, output, a change between runs) is a <details>; one
 * without, most tests of a big run, is a line: fewer nodes for the
 * browser to build, and nothing to click for.
 */
int
html_row(struct report *rep, const struct report_info *info,
    const struct prun_result *const *cells)
{
	struct html_state *hs = rep->state;
	FILE *o = hs->spool;
	const struct prun_result *last = NULL;
	const char *name = NULL, *casename;
	struct spooled *sp;
	unsigned char *st;
	int c;
	size_t k, d, glen, id, g;
	double dur;
	off_t end;
	unsigned seen = 0;
	int reg = 0, fix = 0, chg = 0, absent = 0, detailed = 0, boxed;
	int subs = 0, verdict = BASELINE_OK;
	char buf[64];

	/* Verdicts come with the single run of a summary. */
	if (hs->ncols == 1 && info->judged)
		verdict = (int)info->verdict;
	for (k = 0; k < hs->ncols; k++) {
		if (cells[k] == NULL) {
			absent = 1;
			continue;
		}
		name = cells[k]->name;
		last = cells[k];
		seen |= 1u << cells[k]->status;
		subs |= cells[k]->nsubtests > 0;
		if (show_output(rep, cells[k]) || cells[k]->status ==
		    PRUN_WARN || cells[k]->status == PRUN_DMESG_WARN ||
		    status_is_failure(cells[k]->status) ||
		    cells[k]->ntries > 0)
			detailed = 1;
	}
	if (name == NULL)
		return 0;
	for (k = 0; k < hs->ncols; k++) {
		c = k == 0 ? -1 : change_test(cells[k - 1], cells[k]);
		reg |= c == CHANGE_REGRESSION;
		fix |= c == CHANGE_FIX;
		chg |= c >= 0;
	}
	boxed = detailed || chg || (subs && hs->ncols > 1);
	glen = report_split_name(name, &casename);
	if ((g = html_group_of(hs, name, glen)) == NONE ||
	    (sp = html_grow(hs->tests, &hs->tests_size, hs->nrows + 1,
	    sizeof *hs->tests)) == NULL)
		return -1;
	hs->tests = sp;
	if ((st = html_grow(hs->st, &hs->st_size, (hs->nrows + 1) * hs->ncols,
	    1)) == NULL)
		return -1;
	hs->st = st;
	for (k = 0; k < hs->ncols; k++)
		st[hs->nrows * hs->ncols + k] = cells[k] != NULL ?
		    (unsigned char)cells[k]->status : ABSENT;
	id = hs->nrows;
	if (fputs(boxed ? "<details class=\"t" : "<div class=\"t", o) == EOF)
		return -1;
	for (d = 0; d < NORDER; d++)
		if ((seen & (1u << html_order[d])) &&
		    fprintf(o, " x-%s", status_name(html_order[d])) < 0)
			return -1;
	if ((absent && fputs(" x-none", o) == EOF) ||
	    (chg && fputs(" chg", o) == EOF) ||
	    (reg && fputs(" reg", o) == EOF) ||
	    (fix && fputs(" fix", o) == EOF) ||
	    fprintf(o, "\" id=\"t%zu\">%s<span class=\"n\">", id, boxed ?
	    "<summary>" : "") < 0 || html_escs(o, casename) == -1 ||
	    fputs("</span>", o) == EOF ||
	    (!boxed && line_details(hs, last) == -1))
		return -1;
	for (k = 0; k < hs->ncols; k++)
		if (badge(o, cells[k], k == 0 ? -1 :
		    change_test(cells[k - 1], cells[k])) == -1)
			return -1;
	if (html_tags(o, verdict, info->expected, hs->ncols == 1 ? last : NULL) ==
	    -1)
		return -1;
	html_fmt_dur(buf, sizeof buf, duration(last));
	if (fprintf(o, "<span class=\"du\">%s</span>", buf) < 0 ||
	    (boxed && (fputs("</summary>", o) == EOF ||
	    body(rep, cells, detailed) == -1)) ||
	    fputs(boxed ? "</details>\n" : "</div>\n", o) == EOF ||
	    (end = ftello(o)) == -1 || html_item_add(hs, g, id, 0) == -1)
		return -1;
	dur = duration(cells[hs->ncols - 1]);
	hs->tests[id].off = hs->spool_len;
	hs->tests[id].len = (size_t)(end - hs->spool_len);
	hs->tests[id].dur = (float)dur;
	hs->tests[id].reg = (unsigned char)reg;
	hs->tests[id].fix = (unsigned char)fix;
	hs->spool_len = end;
	hs->nrows++;
	html_count(hs, g, cells, reg, fix, dur);
	/* The chart is of the newest run: a test it lacks is not in it. */
	if (keep_slow(hs, id, name, dur, cells) == -1)
		return -1;
	if (hs->ncols > 1 ? (reg || fix) : (last->status == PRUN_WARN ||
	    last->status == PRUN_DMESG_WARN ||
	    status_is_failure(last->status) || last->flaky ||
	    verdict == BASELINE_FIXED))
		return keep_notable(hs, id, name, cells, reg ?
		    CHANGE_REGRESSION : CHANGE_FIX, verdict);
	return 0;
}
