/*
 * report_html: one self-contained page for a person, of one run or of
 * several side by side: totals per status with bars, the slowest tests,
 * the tests that need a look, filters, and every test in collapsible
 * groups that follow the "/" of the names, with its command, exit code,
 * duration, subtests and (capped) output.
 *
 * Tests arrive one at a time, but the page starts with what is only known
 * at the end (totals, charts, each group's counts in its header), and a
 * group's tests need not be next to each other in the plan.  So each
 * test's markup goes to a temporary spool as it comes, the tree of groups
 * is kept in memory (a group, and where each of its tests lies in the
 * spool), and end() writes the head of the page, then walks the tree,
 * copying each test from the spool.  Memory grows with the tests by a few
 * words each, never with their output.  This file writes the page around
 * the tests; report_html_test.c one test's markup, report_html_tree.c the
 * groups, report_html_data.c the escaping (report_html.h, private, is
 * what they share).  The rules kept by all four:
 *
 * 1. Every string that comes from a test, a plan, a directory or the host
 *    (names, commands, output, labels) reaches the page through esc(),
 *    the one escape for HTML text and quoted attribute values.
 * 2. Data for the script is JSON in <script type="application/json">,
 *    with <, >, &, U+2028 and U+2029 escaped (json_script()); no script
 *    is ever built from data.
 * 3. Attribute values are double-quoted; ids and classes are made only of
 *    numbers and status names.
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
#include "report/report_html_assets.h"

/* Set up the state and the spool. */
static int
html_begin(struct report *rep, const struct report_info *info)
{
	struct html_state *hs;
	char *const *dirs;
	size_t k, d, ndirs, len;

	if ((hs = calloc(1, sizeof *hs)) == NULL)
		return -1;
	rep->state = hs;
	html_tree_init(hs);
	hs->ncols = info->nruns > 0 ? info->nruns : 1;
	if ((hs->labels = calloc(hs->ncols, sizeof *hs->labels)) == NULL ||
	    (hs->notable = calloc(NOTABLE, sizeof *hs->notable)) == NULL ||
	    (hs->spool = tmpfile()) == NULL || html_group_add(hs, NONE, "", 0) ==
	    NONE)
		return -1;
	for (k = 0; k < hs->ncols; k++) {
		dirs = info->nruns > 0 ? info->runs[k].dirs : info->dirs;
		ndirs = info->nruns > 0 ? info->runs[k].ndirs : info->ndirs;
		for (d = 0, len = 1; d < ndirs; d++)
			len += strlen(dirs[d]) + 1;
		if ((hs->labels[k] = calloc(1, len)) == NULL)
			return -1;
		for (d = 0; d < ndirs; d++) {
			if (d > 0)
				strcat(hs->labels[k], ",");
			strcat(hs->labels[k], dirs[d]);
		}
	}
	return 0;
}

/* One test of a single run, from summary.c. */
static int
html_test(struct report *rep, const struct report_info *info,
    const struct prun_result *r)
{
	const struct prun_result *cells[1] = { r };

	return html_row(rep, info, cells);
}

/* What the page says of each column, from info at the end. */
static void
columns(const struct report_info *info, struct report_run *one,
    const struct report_run **runs, size_t *n)
{
	if (info->nruns > 0) {
		*runs = info->runs;
		*n = info->nruns;
		return;
	}
	memset(one, 0, sizeof *one);
	one->md = info->md;
	one->dirs = info->dirs;
	one->ndirs = info->ndirs;
	one->ntests = info->ntests;
	memcpy(one->counts, info->counts, sizeof one->counts);
	one->duplicates = info->duplicates;
	one->damaged = info->damaged;
	one->time_start = info->time_start;
	one->time_end = info->time_end;
	*runs = one;
	*n = 1;
}

/* The page's head: style, title, what was run where. */
static int
head(struct report *rep, const struct report_run *runs, size_t n)
{
	struct html_state *hs = rep->state;
	FILE *o = rep->fp;
	char start[64], dur[64];
	size_t k, i;
	const char *const *line;

	if (fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset="
	    "\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width"
	    ", initial-scale=1\">\n<meta name=\"generator\" content=\"prun "
	    PACKAGE_VERSION "\">\n<title>", o) == EOF ||
	    fputs(n > 1 ? "prun comparison: " : "prun report: ", o) == EOF)
		return -1;
	for (k = 0; k < n; k++)
		if ((k > 0 && fputs(" vs ", o) == EOF) ||
		    html_escs(o, hs->labels[k]) == -1)
			return -1;
	if (fputs("</title>\n<style>\n", o) == EOF)
		return -1;
	for (line = report_html_css; *line != NULL; line++)
		if (fputs(*line, o) == EOF)
			return -1;
	if (fputs("</style>\n</head>\n<body>\n<header><h1>", o) == EOF ||
	    fputs(n > 1 ? "prun: comparison of runs" : "prun report", o) ==
	    EOF || fputs("</h1>\n<table class=\"meta\">\n", o) == EOF)
		return -1;
	for (k = 0; k < n; k++) {
		const struct prun_metadata *md = runs[k].md;

		html_fmt_time(start, sizeof start, runs[k].time_start);
		html_fmt_dur(dur, sizeof dur, runs[k].time_end >
		    runs[k].time_start ? runs[k].time_end -
		    runs[k].time_start : -1);
		if (fputs("<tr><td>", o) == EOF ||
		    (n > 1 && fprintf(o, "run %zu", k + 1) < 0) ||
		    (n == 1 && fputs("run", o) == EOF) ||
		    fputs("</td><td><code>", o) == EOF ||
		    html_escs(o, hs->labels[k]) == -1 ||
		    fputs("</code></td><td>", o) == EOF ||
		    html_escs(o, md->hostname ? md->hostname : "") == -1 ||
		    fputs(" (", o) == EOF ||
		    html_escs(o, md->uname ? md->uname : "") == -1 ||
		    fprintf(o, ")</td><td>%s</td><td>%s</td><td>prun ", start,
		    dur) < 0 ||
		    html_escs(o, md->prun_version ? md->prun_version : "") == -1 ||
		    fputs("</td></tr>\n", o) == EOF)
			return -1;
		for (i = 0; n == 1 && i < (size_t)md->argc; i++)
			if ((i == 0 && fputs("<tr><td>command</td>"
			    "<td colspan=\"5\"><code>", o) == EOF) ||
			    (i > 0 && fputc(' ', o) == EOF) ||
			    html_escs(o, md->argv[i]) == -1)
				return -1;
		if (n == 1 && md->argc > 0 &&
		    fputs("</code></td></tr>\n", o) == EOF)
			return -1;
	}
	return fputs("</table></header>\n", o) == EOF ? -1 : 0;
}

/* The totals: a row per status, a column per run, bars below. */
static int
totals(struct report *rep, const struct report_info *info,
    const struct report_run *runs, size_t n)
{
	struct html_state *hs = rep->state;
	FILE *o = rep->fp;
	size_t k, s;

	if (fputs("<section id=\"totals\"><h2>Totals</h2>\n"
	    "<table class=\"totals\"><tr><th>status</th>", o) == EOF)
		return -1;
	for (k = 0; k < n; k++)
		if (fputs("<th class=\"num\">", o) == EOF ||
		    html_escs(o, hs->labels[k]) == -1 || fputs("</th>", o) == EOF)
			return -1;
	if (fputs("</tr>\n", o) == EOF)
		return -1;
	for (s = 0; s < NORDER; s++) {
		if (fprintf(o, "<tr id=\"total-%s\"><td><b class=\"s %s\">%s"
		    "</b></td>", status_name(html_order[s]), status_name(html_order[s]),
		    status_name(html_order[s])) < 0)
			return -1;
		for (k = 0; k < n; k++)
			if (fprintf(o, "<td class=\"num c\">%zu</td>",
			    runs[k].counts[html_order[s]]) < 0)
				return -1;
		if (fputs("</tr>\n", o) == EOF)
			return -1;
	}
	if (fputs("<tr id=\"total-all\"><td>total</td>", o) == EOF)
		return -1;
	for (k = 0; k < n; k++)
		if (fprintf(o, "<td class=\"num c\">%zu</td>", runs[k].ntests) <
		    0)
			return -1;
	if (fputs("</tr>\n", o) == EOF)
		return -1;
	if (n > 1) {
		if (fputs("<tr id=\"total-reg\"><td>regressions "
		    "<b class=\"rg\"></b></td>", o) == EOF)
			return -1;
		for (k = 0; k < n; k++)
			if (fprintf(o, "<td class=\"num c\">%zu</td>",
			    runs[k].regressions) < 0)
				return -1;
		if (fputs("</tr>\n<tr id=\"total-fix\"><td>fixes <b class="
		    "\"fx\"></b></td>", o) == EOF)
			return -1;
		for (k = 0; k < n; k++)
			if (fprintf(o, "<td class=\"num c\">%zu</td>",
			    runs[k].fixes) < 0)
				return -1;
		if (fputs("</tr>\n", o) == EOF)
			return -1;
	}
	for (k = 0; k < n; k++) {
		if (runs[k].duplicates == 0 && runs[k].damaged == 0)
			continue;
		if (fputs("<tr><td>", o) == EOF ||
		    html_escs(o, hs->labels[k]) == -1 ||
		    fprintf(o, "</td><td colspan=\"%zu\">%zu tests with "
		    "results in two shards, %zu unreadable fragments</td>"
		    "</tr>\n", n,
		    runs[k].duplicates, runs[k].damaged) < 0)
			return -1;
	}
	if (fputs("<tr><td></td>", o) == EOF)
		return -1;
	for (k = 0; k < n; k++)
		if (fputs("<td>", o) == EOF || html_bar(o, runs[k].counts) == -1 ||
		    fputs("</td>", o) == EOF)
			return -1;
	if (fputs("</tr></table>\n", o) == EOF)
		return -1;
	if (n == 1 && info->judged && fprintf(o, "<p id=\"verdicts\">Against "
	    "the baseline: %zu unexpected, %zu expected, %zu known flake%s, "
	    "%zu fixed</p>\n", info->verdicts[BASELINE_UNEXPECTED],
	    info->verdicts[BASELINE_EXPECTED], info->verdicts[BASELINE_FLAKE],
	    info->verdicts[BASELINE_FLAKE] == 1 ? "" : "s",
	    info->verdicts[BASELINE_FIXED]) < 0)
		return -1;
	return fputs("</section>\n", o) == EOF ? -1 : 0;
}

/* The chart of the slowest tests of the newest run. */
static int
slowest(struct report *rep)
{
	struct html_state *hs = rep->state;
	FILE *o = rep->fp;
	char buf[64];
	double max, prev;
	size_t i, k;

	if (hs->nslow == 0)
		return 0;
	max = hs->slow[0].dur > 0 ? hs->slow[0].dur : 1;
	if (fprintf(o, "<section id=\"slowest\"><h2>The %zu slowest tests%s"
	    "</h2>\n<table class=\"slow\">\n", hs->nslow, hs->ncols > 1 ?
	    " of the newest run" : "") < 0)
		return -1;
	for (i = 0; i < hs->nslow; i++) {
		const struct kept *t = &hs->slow[i];

		/* The run before the newest one that has the test. */
		for (k = hs->ncols - 1; k > 0 && t->durs[k] < 0; k--)
			;
		prev = k > 0 ? t->durs[k - 1] : -1;
		html_fmt_dur(buf, sizeof buf, t->dur);
		if (fprintf(o, "<tr><td class=\"num\">%s</td><td class=\"sb\">"
		    "<i style=\"width:%.2f%%\"></i>", buf,
		    100.0 * t->dur / max) < 0 ||
		    (prev >= 0 && fprintf(o, "<i class=\"prev\" style=\"width:"
		    "%.2f%%\" title=\"the run before\"></i>",
		    100.0 * (prev < max ? prev : max) / max) < 0) ||
		    fprintf(o, "</td><td><a href=\"#t%zu\">", t->id) < 0 ||
		    html_escs(o, t->name) == -1 || fputs("</a>", o) == EOF)
			return -1;
		html_fmt_dur(buf, sizeof buf, prev);
		if ((prev >= 0 && fprintf(o, " <span class=\"more\">(was %s)"
		    "</span>", buf) < 0) || fputs("</td></tr>\n", o) == EOF)
			return -1;
	}
	return fputs("</table></section>\n", o) == EOF ? -1 : 0;
}

/* The tests that need a look: regressions and fixes, or failures. */
static int
notable(struct report *rep)
{
	struct html_state *hs = rep->state;
	FILE *o = rep->fp;
	size_t i, k;

	if (fprintf(o, "<section id=\"notable\"><h2>%s: %zu</h2>\n",
	    hs->ncols > 1 ? "Regressions and fixes" :
	    "Tests that need a look", hs->nnotable + hs->notable_more) < 0)
		return -1;
	if (hs->nnotable == 0)
		return fputs("</section>\n", o) == EOF ? -1 : 0;
	if (fputs("<ul class=\"notable\">\n", o) == EOF)
		return -1;
	for (i = 0; i < hs->nnotable; i++) {
		const struct kept *t = &hs->notable[i];

		if (fputs("<li>", o) == EOF)
			return -1;
		for (k = 0; k < hs->ncols; k++) {
			const char *s = t->st[k] < 0 ? "none" :
			    status_name((enum prun_status)t->st[k]);

			if (fprintf(o, "<b class=\"s %s\">%s</b> ", s,
			    t->st[k] < 0 ? "absent" : s) < 0)
				return -1;
		}
		if ((hs->ncols > 1 && fputs(t->change == CHANGE_REGRESSION ?
		    "<b class=\"rg\">regression</b> " :
		    "<b class=\"fx\">fixed</b> ", o) == EOF) ||
		    fprintf(o, "<a href=\"#t%zu\">", t->id) < 0 ||
		    html_escs(o, t->name) == -1 || fputs("</a>", o) == EOF ||
		    html_tags(o, t->verdict, PRUN_NSTATUS, NULL) == -1 ||
		    fputs("</li>\n", o) == EOF)
			return -1;
	}
	if (hs->notable_more > 0 && fprintf(o, "<li class=\"more\">and %zu "
	    "more: use the filters below</li>\n", hs->notable_more) < 0)
		return -1;
	return fputs("</ul></section>\n", o) == EOF ? -1 : 0;
}

/* The filter inputs (siblings before main, for the CSS) and the bar. */
static int
filters(struct report *rep, size_t ntests)
{
	struct html_state *hs = rep->state;
	FILE *o = rep->fp;
	static const char *const changes[][2] = {
		{ "all", "all tests" }, { "chg", "changed" },
		{ "reg", "regressions" }, { "fix", "fixes" },
	};
	size_t s;

	for (s = 0; s < NORDER; s++)
		if (fprintf(o, "<input type=\"checkbox\" class=\"fi\" "
		    "id=\"f-%s\" checked>\n", status_name(html_order[s])) < 0)
			return -1;
	if (hs->ncols > 1) {
		if (fputs("<input type=\"checkbox\" class=\"fi\" id=\"f-none\" "
		    "checked>\n", o) == EOF)
			return -1;
		for (s = 0; s < 4; s++)
			if (fprintf(o, "<input type=\"radio\" class=\"fi\" "
			    "name=\"change\" id=\"c-%s\" value=\"%s\"%s>\n",
			    changes[s][0], changes[s][0], s == 0 ?
			    " checked" : "") < 0)
				return -1;
	}
	if (fputs("<nav id=\"filters\"><div><span>Show:</span>", o) == EOF)
		return -1;
	for (s = 0; s < NORDER; s++)
		if (fprintf(o, "<label class=\"s %s\" for=\"f-%s\">%s</label>",
		    status_name(html_order[s]), status_name(html_order[s]),
		    status_name(html_order[s])) < 0)
			return -1;
	if (hs->ncols > 1) {
		if (fputs("<label class=\"s none\" for=\"f-none\">absent"
		    "</label><span>&nbsp;</span>", o) == EOF)
			return -1;
		for (s = 0; s < 4; s++)
			if (fprintf(o, "<label class=\"ch\" for=\"c-%s\">%s"
			    "</label>", changes[s][0], changes[s][1]) < 0)
				return -1;
	}
	if (fputs("<input type=\"search\" id=\"q\" placeholder=\"filter by "
	    "name\" aria-label=\"filter by name\" hidden><span id=\"nojs\" "
	    "class=\"nojs\">(the name filter needs JavaScript)</span>", o) ==
	    EOF || fprintf(o, "<span id=\"shown\">%zu tests</span></div>"
	    "</nav>\n", ntests) < 0)
		return -1;
	return 0;
}

/* The data the script reads, as JSON. */
static json_t *
page_data(const struct report_run *runs, size_t n, size_t ntests,
    struct html_state *hs)
{
	json_t *root, *jruns, *run, *counts, *dirs, *sts;
	size_t k, s;

	root = json_object();
	jruns = json_array();
	sts = json_array();
	if (root == NULL || jruns == NULL || sts == NULL) {
		json_decref(root);
		json_decref(jruns);
		json_decref(sts);
		return NULL;
	}
	for (s = 0; s < NORDER; s++)
		json_array_append_new(sts, json_string(status_name(html_order[s])));
	for (k = 0; k < n; k++) {
		counts = json_object();
		for (s = 0; counts != NULL && s < NORDER; s++)
			json_object_set_new(counts, status_name(html_order[s]),
			    json_integer((json_int_t)runs[k].counts[html_order[s]]));
		dirs = json_array();
		for (s = 0; dirs != NULL && s < runs[k].ndirs; s++)
			json_array_append_new(dirs,
			    json_string(runs[k].dirs[s]));
		run = json_pack("{s:s?, s:o*, s:s?, s:I, s:o*, s:I, s:I, s:f, "
		    "s:f}", "label", hs->labels[k], "dirs", dirs,
		    "host", runs[k].md->hostname,
		    "tests", (json_int_t)runs[k].ntests, "counts", counts,
		    "regressions", (json_int_t)runs[k].regressions,
		    "fixes", (json_int_t)runs[k].fixes,
		    "time_start", runs[k].time_start,
		    "time_end", runs[k].time_end);
		json_array_append_new(jruns, run);
	}
	json_object_set_new(root, "format", json_string("prun-html"));
	json_object_set_new(root, "version", json_integer(1));
	json_object_set_new(root, "tests", json_integer((json_int_t)ntests));
	json_object_set_new(root, "statuses", sts);
	json_object_set_new(root, "runs", jruns);
	return root;
}

/* Write the page: head, totals, charts, filters, the spool, script. */
static int
html_end(struct report *rep, const struct report_info *info)
{
	struct html_state *hs = rep->state;
	FILE *o = rep->fp;
	const struct report_run *runs;
	struct report_run one;
	const char *const *line;
	size_t n;

	columns(info, &one, &runs, &n);
	if (head(rep, runs, n) == -1 ||
	    fputs("<div class=\"top\">\n", o) == EOF ||
	    totals(rep, info, runs, n) == -1 || slowest(rep) == -1 ||
	    fputs("</div>\n", o) == EOF || notable(rep) == -1 ||
	    filters(rep, hs->nrows) == -1)
		return -1;
	if (fputs("<main id=\"tests\">\n", o) == EOF ||
	    html_write_tree(rep, hs->nrows <= OPEN_ALL) == -1 ||
	    fputs("</main>\n<footer>", o) == EOF)
		return -1;
	if (rep->opts->show_output == REPORT_SHOW_FAILING &&
	    fputs("The output of tests that passed or skipped is left out "
	    "(prun summary --html-output all keeps it). ", o) == EOF)
		return -1;
	if (rep->opts->show_max > 0 && fprintf(o, "Each stream shows at most "
	    "%zu bytes (--html-max-output). ", rep->opts->show_max) < 0)
		return -1;
	if (fputs("Written by prun " PACKAGE_VERSION ".</footer>\n"
	    "<script type=\"application/json\" id=\"prun-data\">", o) == EOF ||
	    html_json_script(o, page_data(runs, n, hs->nrows, hs)) == -1 ||
	    fputs("</script>\n<script>\n", o) == EOF)
		return -1;
	for (line = report_html_js; *line != NULL; line++)
		if (fputs(*line, o) == EOF)
			return -1;
	return fputs("</script>\n</body>\n</html>\n", o) == EOF ? -1 : 0;
}

/* Free the state and the spool. */
static void
html_free(struct report *rep)
{
	struct html_state *hs = rep->state;
	size_t i;

	if (hs == NULL)
		return;
	if (hs->spool != NULL)
		fclose(hs->spool);
	for (i = 0; hs->labels != NULL && i < hs->ncols; i++)
		free(hs->labels[i]);
	free(hs->labels);
	for (i = 0; i < hs->nslow; i++) {
		free(hs->slow[i].name);
		free(hs->slow[i].durs);
	}
	for (i = 0; i < hs->nnotable; i++) {
		free(hs->notable[i].name);
		free(hs->notable[i].st);
	}
	free(hs->notable);
	for (i = 0; i < hs->ngroups; i++)
		free(hs->groups[i].name);
	free(hs->groups);
	free(hs->gcounts);
	nametab_free(&hs->tab);
	free(hs->items);
	free(hs->tests);
	free(hs->st);
	free(hs->cur_name);
	free(hs);
	rep->state = NULL;
}

const struct report_ops report_html_ops = {
	.begin = html_begin,
	.test = html_test,
	.end = html_end,
	.free = html_free,
	.row = html_row,
};
