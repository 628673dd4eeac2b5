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
 * words each, never with their output.  The rules kept here:
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

#include "report/report.h"
#include "report/change.h"
#include "core/text.h"
#include "core/util.h"

#include "report/report_html_assets.h"

#define SLOWEST		15	/* tests in the chart of durations */
#define NOTABLE		500	/* tests listed at the top, at most */
#define OPEN_ALL	300	/* a report this small opens every group */
#define CHUNK		500	/* tests of a group shown at once */
#define ABSENT		0xff	/* in spooled.st: not in that run */
#define NONE		SIZE_MAX

/* The statuses in the order the page lists them. */
static const enum prun_status order[] = {
	PRUN_PASS, PRUN_WARN, PRUN_SKIP, PRUN_NOTRUN, PRUN_FAIL,
	PRUN_TIMEOUT, PRUN_CRASH, PRUN_INCOMPLETE,
};
#define NORDER	(sizeof order / sizeof order[0])

/* A group: "b" of "a/b/c", its place in the tree, what it holds. */
struct group {
	char		*name;		/* this component only */
	uint64_t	 hash;		/* of parent and name */
	size_t		 parent;
	size_t		 first, last;	/* its items, as they came */
	size_t		 direct;	/* tests among them */
	size_t		 ntests, nreg, nfix;
	double		 time;		/* of the newest run */
};

/* An entry of a group: a subgroup or a test. */
struct item {
	size_t		 next;
	size_t		 id;		/* group or test */
	int		 group;
};

/* Where a test's markup lies in the spool, and what a chunk counts. */
struct spooled {
	off_t		 off;
	size_t		 len;
	float		 dur;		/* newest run; <0: none */
	unsigned char	 reg, fix;
};

/* A test kept for the top of the page. */
struct kept {
	size_t		 id;
	char		*name;
	double		 dur;		/* in the newest run */
	double		*durs;		/* per run; -1: absent */
	signed char	*st;		/* status per run; -1 absent */
	int		 change;	/* notable: regression or fix */
	int		 verdict;	/* notable: of a baseline */
	int		 flaky;
};

struct html_state {
	FILE		*spool;
	off_t		 spool_len;
	size_t		 ncols;
	char		**labels;	/* per column */
	size_t		 nrows;
	struct spooled	*tests;		/* by row */
	size_t		 tests_size;
	unsigned char	*st;		/* row * ncols: status */
	size_t		 st_size;
	struct group	*groups;	/* 0 is the root */
	uint32_t	*gcounts;	/* group * ncols * PRUN_NSTATUS */
	size_t		 ngroups, groups_size, gcounts_size;
	struct nametab	 tab;		/* groups but the root, by parent
					 * and name */
	struct item	*items;
	size_t		 nitems, items_size;
	size_t		 cur;		/* the last test's group */
	char		*cur_name;	/* and its name */
	size_t		 cur_len, cur_size;
	struct kept	 slow[SLOWEST];
	size_t		 nslow;
	struct kept	*notable;
	size_t		 nnotable, notable_more;
};

/* Write s[0..len) for HTML text or a quoted attribute (rule 1). */
static int
esc(FILE *fp, const char *s, size_t len)
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

/* esc() of a NUL-terminated string. */
static int
escs(FILE *fp, const char *s)
{
	return esc(fp, s, strlen(s));
}

/* Write a JSON value inside <script type="application/json"> (rule 2). */
static int
json_script(FILE *fp, json_t *v)
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
static void
fmt_dur(char *buf, size_t size, double d)
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
static void
fmt_time(char *buf, size_t size, double t)
{
	time_t secs = (time_t)t;
	struct tm tm;

	if (t <= 0 || gmtime_r(&secs, &tm) == NULL ||
	    strftime(buf, size, "%Y-%m-%d %H:%M:%S UTC", &tm) == 0)
		snprintf(buf, size, "-");
}

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

/*
 * Array p of *size elements of elsize, grown (doubling) to hold n: p
 * itself, or a new p with *size updated; NULL when out of memory, p then
 * still being valid.
 */
static void *
grow(void *p, size_t *size, size_t n, size_t elsize)
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

/* The hash of a group's name within its parent. */
static uint64_t
group_hash(size_t parent, const char *name, size_t len)
{
	return util_hash(UTIL_HASH_INIT ^ (uint64_t)parent, name, len);
}

/* A group's name as looked for: within parent, not NUL-terminated. */
struct group_key {
	size_t		 parent;
	const char	*name;
	size_t		 len;
};

/* The hash of group id, for the table. */
static uint64_t
group_id_hash(const void *ctx, size_t id)
{
	const struct html_state *hs = ctx;

	return hs->groups[id].hash;
}

/* Whether group id is the one key stands for. */
static int
group_same(const void *ctx, size_t id, const void *key)
{
	const struct html_state *hs = ctx;
	const struct group *c = &hs->groups[id];
	const struct group_key *k = key;

	return c->parent == k->parent && strncmp(c->name, k->name,
	    k->len) == 0 && c->name[k->len] == '\0';
}

/* Append an item (a group or a test) to group g. */
static int
item_add(struct html_state *hs, size_t g, size_t id, int group)
{
	struct item *it;

	if ((it = grow(hs->items, &hs->items_size, hs->nitems + 1,
	    sizeof *hs->items)) == NULL)
		return -1;
	hs->items = it;
	it = &hs->items[hs->nitems];
	it->next = NONE;
	it->id = id;
	it->group = group;
	if (!group)
		hs->groups[g].direct++;
	if (hs->groups[g].last == NONE)
		hs->groups[g].first = hs->nitems;
	else
		hs->items[hs->groups[g].last].next = hs->nitems;
	hs->groups[g].last = hs->nitems++;
	return 0;
}

/* A new group name[0..len) in parent (NONE: the root); NONE on error. */
static size_t
group_add(struct html_state *hs, size_t parent, const char *name,
    size_t len)
{
	struct group *g;
	uint32_t *c;
	size_t id = hs->ngroups;

	if ((g = grow(hs->groups, &hs->groups_size, id + 1,
	    sizeof *hs->groups)) == NULL)
		return NONE;
	hs->groups = g;
	if ((c = grow(hs->gcounts, &hs->gcounts_size, (id + 1) * hs->ncols *
	    PRUN_NSTATUS, sizeof *hs->gcounts)) == NULL)
		return NONE;
	hs->gcounts = c;
	g = &hs->groups[id];
	memset(g, 0, sizeof *g);
	memset(&hs->gcounts[id * hs->ncols * PRUN_NSTATUS], 0,
	    hs->ncols * PRUN_NSTATUS * sizeof *hs->gcounts);
	g->parent = parent;
	g->first = g->last = NONE;
	g->hash = group_hash(parent, name, len);
	if ((g->name = strndup(name, len)) == NULL)
		return NONE;
	hs->ngroups++;
	if (parent != NONE && nametab_add(&hs->tab, g->hash, id) == -1)
		return NONE;
	if (parent != NONE && item_add(hs, parent, id, 1) == -1)
		return NONE;
	return id;
}

/* The group g[0..glen) of a test name, made when new; NONE on error. */
static size_t
group_of(struct html_state *hs, const char *name, size_t glen)
{
	struct group_key k;
	size_t g = 0, start, end, c;
	char *p;

	if (glen == 0)
		return 0;
	/* Tests of one group mostly come together: the last one's group. */
	if (hs->cur_name != NULL && glen == hs->cur_len &&
	    memcmp(name, hs->cur_name, glen) == 0)
		return hs->cur;
	for (start = 0; start <= glen; start = end + 1) {
		for (end = start; end < glen && name[end] != '/'; end++)
			;
		k.parent = g;
		k.name = name + start;
		k.len = end - start;
		c = nametab_find(&hs->tab, group_hash(g, k.name, k.len), &k);
		if (c == NAMETAB_NONE &&
		    (c = group_add(hs, g, k.name, k.len)) == NONE)
			return NONE;
		g = c;
	}
	if ((p = grow(hs->cur_name, &hs->cur_size, glen + 1, 1)) == NULL)
		return NONE;
	hs->cur_name = p;
	memcpy(hs->cur_name, name, glen);
	hs->cur_len = glen;
	hs->cur = g;
	return g;
}

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
	nametab_init(&hs->tab, group_id_hash, group_same, hs);
	hs->ncols = info->nruns > 0 ? info->nruns : 1;
	if ((hs->labels = calloc(hs->ncols, sizeof *hs->labels)) == NULL ||
	    (hs->notable = calloc(NOTABLE, sizeof *hs->notable)) == NULL ||
	    (hs->spool = tmpfile()) == NULL || group_add(hs, NONE, "", 0) ==
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
	    escs(o, label) == -1)) || fputs("</h4><pre>", o) == EOF)
		return -1;
	if (max == 0 || len <= max) {
		if (esc(o, s, len) == -1)
			return -1;
	} else {
		head = text_utf8_cut_back(s, len, max / 2);
		tail = text_utf8_cut_forward(s, len, len - max / 2);
		if (esc(o, s, head) == -1 ||
		    fprintf(o, "<mark class=\"cut\">[%zu bytes not shown: "
		    "--html-max-output]</mark>", tail - head) < 0 ||
		    esc(o, s + tail, len - tail) == -1)
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
		if (counts[order[s]] == 0)
			continue;
		if (fprintf(o, "%s%zu %s", sep, counts[order[s]],
		    status_name(order[s])) < 0)
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
			    (escs(o, hs->labels[k]) == -1 ||
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
		if (fputs("<th>", o) == EOF || escs(o, hs->labels[k]) == -1 ||
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
			    escs(o, name) == -1 || fputs("</td>", o) == EOF)
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
	    (fputs(" &mdash; ", o) == EOF || escs(o, label) == -1)) ||
	    fputs("</h4><table class=\"ti\"><tr><th>try</th><th>status</th>"
	    "<th>exit code</th><th>duration</th></tr>\n", o) == EOF)
		return -1;
	for (i = 0; i < r->ntries; i++) {
		t = &r->tries[i];
		fmt_dur(buf, sizeof buf, duration(t));
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
		    (fputs("<td>", o) == EOF || escs(o, hs->labels[k]) == -1 ||
		    fputs("</td>", o) == EOF)))
			return -1;
		if (r == NULL) {
			if (fputs("<td><b class=\"s none\">absent</b></td>"
			    "<td></td><td></td><td></td></tr>\n", o) == EOF)
				return -1;
			continue;
		}
		fmt_dur(buf, sizeof buf, duration(r));
		if (fprintf(o, "<td><b class=\"s %s\">%s</b>",
		    status_name(r->status), status_name(r->status)) < 0 ||
		    (r->attempt > 1 && fprintf(o, " (attempt %d)",
		    r->attempt) < 0) || fputs("</td><td>", o) == EOF ||
		    exit_code(o, r) == -1 ||
		    fprintf(o, "</td><td>%s</td><td><code>", buf) < 0 ||
		    escs(o, r->command != NULL ? r->command : "") == -1 ||
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

/* Count a test in its group g and every group above. */
static void
count(struct html_state *hs, size_t g, const struct prun_result *const *cells,
    int reg, int fix, double dur)
{
	size_t k;

	for (; g != NONE; g = hs->groups[g].parent) {
		hs->groups[g].ntests++;
		hs->groups[g].nreg += reg;
		hs->groups[g].nfix += fix;
		for (k = 0; k < hs->ncols; k++)
			if (cells[k] != NULL)
				hs->gcounts[(g * hs->ncols + k) * PRUN_NSTATUS +
				    cells[k]->status]++;
		if (dur > 0)
			hs->groups[g].time += dur;
	}
}

/*
 * What a baseline says of a test (verdict and expected as report_info
 * has them) and whether it passed only on a rerun, as small tags.
 */
static int
tags(FILE *o, int verdict, enum prun_status expected,
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
	    escs(o, r->command != NULL ? r->command : "") == -1)
		return -1;
	return fputs("</span>", o) == EOF ? -1 : 0;
}

/*
 * One test: the same test in each column.  A test with something to
 * open (a failure, output, a change between runs) is a <details>; one
 * without, most tests of a big run, is a line: fewer nodes for the
 * browser to build, and nothing to click for.
 */
static int
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
		    PRUN_WARN || status_is_failure(cells[k]->status) ||
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
	if ((g = group_of(hs, name, glen)) == NONE ||
	    (sp = grow(hs->tests, &hs->tests_size, hs->nrows + 1,
	    sizeof *hs->tests)) == NULL)
		return -1;
	hs->tests = sp;
	if ((st = grow(hs->st, &hs->st_size, (hs->nrows + 1) * hs->ncols,
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
		if ((seen & (1u << order[d])) &&
		    fprintf(o, " x-%s", status_name(order[d])) < 0)
			return -1;
	if ((absent && fputs(" x-none", o) == EOF) ||
	    (chg && fputs(" chg", o) == EOF) ||
	    (reg && fputs(" reg", o) == EOF) ||
	    (fix && fputs(" fix", o) == EOF) ||
	    fprintf(o, "\" id=\"t%zu\">%s<span class=\"n\">", id, boxed ?
	    "<summary>" : "") < 0 || escs(o, casename) == -1 ||
	    fputs("</span>", o) == EOF ||
	    (!boxed && line_details(hs, last) == -1))
		return -1;
	for (k = 0; k < hs->ncols; k++)
		if (badge(o, cells[k], k == 0 ? -1 :
		    change_test(cells[k - 1], cells[k])) == -1)
			return -1;
	if (tags(o, verdict, info->expected, hs->ncols == 1 ? last : NULL) ==
	    -1)
		return -1;
	fmt_dur(buf, sizeof buf, duration(last));
	if (fprintf(o, "<span class=\"du\">%s</span>", buf) < 0 ||
	    (boxed && (fputs("</summary>", o) == EOF ||
	    body(rep, cells, detailed) == -1)) ||
	    fputs(boxed ? "</details>\n" : "</div>\n", o) == EOF ||
	    (end = ftello(o)) == -1 || item_add(hs, g, id, 0) == -1)
		return -1;
	dur = duration(cells[hs->ncols - 1]);
	hs->tests[id].off = hs->spool_len;
	hs->tests[id].len = (size_t)(end - hs->spool_len);
	hs->tests[id].dur = (float)dur;
	hs->tests[id].reg = (unsigned char)reg;
	hs->tests[id].fix = (unsigned char)fix;
	hs->spool_len = end;
	hs->nrows++;
	count(hs, g, cells, reg, fix, dur);
	/* The chart is of the newest run: a test it lacks is not in it. */
	if (keep_slow(hs, id, name, dur, cells) == -1)
		return -1;
	if (hs->ncols > 1 ? (reg || fix) : (last->status == PRUN_WARN ||
	    status_is_failure(last->status) || last->flaky ||
	    verdict == BASELINE_FIXED))
		return keep_notable(hs, id, name, cells, reg ?
		    CHANGE_REGRESSION : CHANGE_FIX, verdict);
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

/* A stacked bar of counts; total 0 draws an empty bar. */
static int
bar(FILE *o, const size_t *counts)
{
	size_t s, total = 0;

	for (s = 0; s < NORDER; s++)
		total += counts[order[s]];
	if (fputs("<span class=\"bar\">", o) == EOF)
		return -1;
	for (s = 0; total > 0 && s < NORDER; s++) {
		size_t c = counts[order[s]];

		if (c > 0 && fprintf(o, "<i class=\"%s\" style=\"width:"
		    "%.3f%%\" title=\"%zu %s\"></i>", status_name(order[s]),
		    100.0 * (double)c / (double)total, c,
		    status_name(order[s])) < 0)
			return -1;
	}
	return fputs("</span>", o) == EOF ? -1 : 0;
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
		    escs(o, hs->labels[k]) == -1)
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

		fmt_time(start, sizeof start, runs[k].time_start);
		fmt_dur(dur, sizeof dur, runs[k].time_end >
		    runs[k].time_start ? runs[k].time_end -
		    runs[k].time_start : -1);
		if (fputs("<tr><td>", o) == EOF ||
		    (n > 1 && fprintf(o, "run %zu", k + 1) < 0) ||
		    (n == 1 && fputs("run", o) == EOF) ||
		    fputs("</td><td><code>", o) == EOF ||
		    escs(o, hs->labels[k]) == -1 ||
		    fputs("</code></td><td>", o) == EOF ||
		    escs(o, md->hostname ? md->hostname : "") == -1 ||
		    fputs(" (", o) == EOF ||
		    escs(o, md->uname ? md->uname : "") == -1 ||
		    fprintf(o, ")</td><td>%s</td><td>%s</td><td>prun ", start,
		    dur) < 0 ||
		    escs(o, md->prun_version ? md->prun_version : "") == -1 ||
		    fputs("</td></tr>\n", o) == EOF)
			return -1;
		for (i = 0; n == 1 && i < (size_t)md->argc; i++)
			if ((i == 0 && fputs("<tr><td>command</td>"
			    "<td colspan=\"5\"><code>", o) == EOF) ||
			    (i > 0 && fputc(' ', o) == EOF) ||
			    escs(o, md->argv[i]) == -1)
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
		    escs(o, hs->labels[k]) == -1 || fputs("</th>", o) == EOF)
			return -1;
	if (fputs("</tr>\n", o) == EOF)
		return -1;
	for (s = 0; s < NORDER; s++) {
		if (fprintf(o, "<tr id=\"total-%s\"><td><b class=\"s %s\">%s"
		    "</b></td>", status_name(order[s]), status_name(order[s]),
		    status_name(order[s])) < 0)
			return -1;
		for (k = 0; k < n; k++)
			if (fprintf(o, "<td class=\"num c\">%zu</td>",
			    runs[k].counts[order[s]]) < 0)
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
		    escs(o, hs->labels[k]) == -1 ||
		    fprintf(o, "</td><td colspan=\"%zu\">%zu tests with "
		    "results in two shards, %zu unreadable fragments</td>"
		    "</tr>\n", n,
		    runs[k].duplicates, runs[k].damaged) < 0)
			return -1;
	}
	if (fputs("<tr><td></td>", o) == EOF)
		return -1;
	for (k = 0; k < n; k++)
		if (fputs("<td>", o) == EOF || bar(o, runs[k].counts) == -1 ||
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
		fmt_dur(buf, sizeof buf, t->dur);
		if (fprintf(o, "<tr><td class=\"num\">%s</td><td class=\"sb\">"
		    "<i style=\"width:%.2f%%\"></i>", buf,
		    100.0 * t->dur / max) < 0 ||
		    (prev >= 0 && fprintf(o, "<i class=\"prev\" style=\"width:"
		    "%.2f%%\" title=\"the run before\"></i>",
		    100.0 * (prev < max ? prev : max) / max) < 0) ||
		    fprintf(o, "</td><td><a href=\"#t%zu\">", t->id) < 0 ||
		    escs(o, t->name) == -1 || fputs("</a>", o) == EOF)
			return -1;
		fmt_dur(buf, sizeof buf, prev);
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
		    escs(o, t->name) == -1 || fputs("</a>", o) == EOF ||
		    tags(o, t->verdict, PRUN_NSTATUS, NULL) == -1 ||
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
		    "id=\"f-%s\" checked>\n", status_name(order[s])) < 0)
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
		    status_name(order[s]), status_name(order[s]),
		    status_name(order[s])) < 0)
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

/*
 * What a group or chunk holds, for its header: a bar per run, the number
 * of tests, those that did not pass in the newest run, the changes, the
 * time.  c is ncols * PRUN_NSTATUS counts.
 */
static int
counts_html(struct report *rep, const uint32_t *c, size_t ntests,
    size_t nreg, size_t nfix, double time)
{
	struct html_state *hs = rep->state;
	FILE *o = rep->fp;
	size_t k, s, counts[PRUN_NSTATUS];
	char buf[64];

	if (fputs("<span class=\"gk\">", o) == EOF)
		return -1;
	for (k = 0; k < hs->ncols; k++) {
		for (s = 0; s < PRUN_NSTATUS; s++)
			counts[s] = c[k * PRUN_NSTATUS + s];
		if (bar(o, counts) == -1)
			return -1;
	}
	if (fprintf(o, "%zu test%s", ntests, ntests == 1 ? "" : "s") < 0)
		return -1;
	c += (hs->ncols - 1) * PRUN_NSTATUS;
	for (s = 0; s < NORDER; s++) {
		if (order[s] == PRUN_PASS || c[order[s]] == 0)
			continue;
		if (fprintf(o, " &middot; %u %s", (unsigned)c[order[s]],
		    status_name(order[s])) < 0)
			return -1;
	}
	if ((nreg > 0 && fprintf(o, " &middot; <b class=\"rg\">%zu "
	    "regression%s</b>", nreg, nreg == 1 ? "" : "s") < 0) ||
	    (nfix > 0 && fprintf(o, " &middot; <b class=\"fx\">%zu "
	    "fix%s</b>", nfix, nfix == 1 ? "" : "es") < 0))
		return -1;
	fmt_dur(buf, sizeof buf, time);
	return fprintf(o, " &middot; %s</span>", buf) < 0 ? -1 : 0;
}

/*
 * Open a chunk of a group's tests (path NULL: the top of the page): the
 * next CHUNK at most from item cur on, up to the next subgroup, numbered
 * from first; returns how many, or -1.  A group
 * (or the top of the page) with thousands of tests is a list of closed
 * chunks, so that no container makes the browser lay out more than
 * CHUNK lines at once.
 */
static int
chunk_open(struct report *rep, const char *path, size_t path_len,
    size_t cur, size_t first, size_t total, uint32_t *c)
{
	struct html_state *hs = rep->state;
	FILE *o = rep->fp;
	const struct spooled *t;
	size_t n = 0, nreg = 0, nfix = 0, k;
	unsigned char st;
	double time = 0;

	memset(c, 0, hs->ncols * PRUN_NSTATUS * sizeof *c);
	for (; cur != NONE && !hs->items[cur].group && n < CHUNK;
	    cur = hs->items[cur].next, n++) {
		t = &hs->tests[hs->items[cur].id];
		for (k = 0; k < hs->ncols; k++) {
			st = hs->st[hs->items[cur].id * hs->ncols + k];
			if (st != ABSENT)
				c[k * PRUN_NSTATUS + st]++;
		}
		nreg += t->reg;
		nfix += t->fix;
		if (t->dur > 0)
			time += t->dur;
	}
	if (fputs("<details class=\"g k\"", o) == EOF ||
	    (path != NULL && (fputs(" data-g=\"", o) == EOF ||
	    esc(o, path, path_len) == -1 || fputc('"', o) == EOF)) ||
	    fprintf(o, "><summary><span class=\"gn\">tests %zu&ndash;%zu of "
	    "%zu</span>", first, first + n - 1, total) < 0 ||
	    counts_html(rep, c, n, nreg, nfix, time) == -1 ||
	    fputs("</summary><div class=\"gc\">\n", o) == EOF)
		return -1;
	return (int)n;
}

/* Copy spool[off..off+len) to the page. */
static int
copy_spooled(struct html_state *hs, FILE *o, off_t off, size_t len)
{
	char buf[65536];
	ssize_t got;

	while (len > 0) {
		got = pread(fileno(hs->spool), buf, len < sizeof buf ? len :
		    sizeof buf, off);
		if (got <= 0) {
			if (got == 0)
				errno = EIO;
			return -1;
		}
		if (fwrite(buf, 1, (size_t)got, o) != (size_t)got)
			return -1;
		off += got;
		len -= (size_t)got;
	}
	return 0;
}

/* Tests waiting to be copied: one range of the spool. */
struct pending {
	off_t	off;
	size_t	len;
};

/* Copy what is pending. */
static int
flush_pending(struct html_state *hs, FILE *o, struct pending *pd)
{
	if (pd->len > 0 && copy_spooled(hs, o, pd->off, pd->len) == -1)
		return -1;
	pd->len = 0;
	return 0;
}

/* Add test t to what is pending: tests one after the other in the spool
 * are copied in one go. */
static int
add_pending(struct html_state *hs, FILE *o, struct pending *pd,
    const struct spooled *t)
{
	if (pd->len > 0 && pd->off + (off_t)pd->len != t->off &&
	    flush_pending(hs, o, pd) == -1)
		return -1;
	if (pd->len == 0)
		pd->off = t->off;
	pd->len += t->len;
	return 0;
}

/*
 * Walk the tree of groups depth first, writing each group's header (now
 * that its counts are known) and copying its tests from the spool, in
 * chunks where a group holds many.
 */
static int
write_tree(struct report *rep, int open_all)
{
	struct html_state *hs = rep->state;
	FILE *o = rep->fp;
	struct frame {
		size_t	item;		/* the group, in parent */
		size_t	group;		/* the parent */
		size_t	path_len;	/* the parent's path */
		size_t	done;		/* the parent's tests done */
	} *stack = NULL;
	size_t stack_size = 0, depth = 0, cur, path_len = 0, path_size = 0;
	size_t n, gid = 0, done = 0, left = 0;
	struct pending pd = { 0, 0 };
	uint32_t *cc;
	char *path = NULL;
	void *p;
	const struct group *g;
	int rc = -1, got;

	if (fflush(hs->spool) == EOF ||
	    (cc = calloc(hs->ncols * PRUN_NSTATUS, sizeof *cc)) == NULL)
		return -1;
	for (cur = hs->groups[0].first;;) {
		if (cur != NONE && !hs->items[cur].group) {
			if (hs->groups[gid].direct > CHUNK && left == 0) {
				if (flush_pending(hs, o, &pd) == -1 ||
				    (got = chunk_open(rep, depth > 0 ? path :
				    NULL, path_len, cur, done + 1,
				    hs->groups[gid].direct, cc)) == -1)
					goto done;
				left = (size_t)got;
			}
			if (add_pending(hs, o, &pd,
			    &hs->tests[hs->items[cur].id]) == -1)
				goto done;
			done++;
			if (left > 0 && --left == 0 && (flush_pending(hs, o,
			    &pd) == -1 || fputs("</div></details>\n", o) ==
			    EOF))
				goto done;
			cur = hs->items[cur].next;
			continue;
		}
		if (flush_pending(hs, o, &pd) == -1)
			goto done;
		if (cur == NONE) {
			if (depth == 0)
				break;
			if (fputs("</div></details>\n", o) == EOF)
				goto done;
			depth--;
			cur = hs->items[stack[depth].item].next;
			gid = stack[depth].group;
			path_len = stack[depth].path_len;
			done = stack[depth].done;
			continue;
		}
		g = &hs->groups[hs->items[cur].id];
		n = strlen(g->name);
		if ((p = grow(stack, &stack_size, depth + 1,
		    sizeof *stack)) == NULL)
			goto done;
		stack = p;
		if ((p = grow(path, &path_size, path_len + n + 2, 1)) == NULL)
			goto done;
		path = p;
		stack[depth].item = cur;
		stack[depth].group = gid;
		stack[depth].path_len = path_len;
		stack[depth].done = done;
		if (depth++ > 0)
			path[path_len++] = '/';
		memcpy(path + path_len, g->name, n);
		path_len += n;
		if (fputs("<details class=\"g\" data-g=\"", o) == EOF ||
		    esc(o, path, path_len) == -1 ||
		    fprintf(o, "\"%s><summary><span class=\"gn\">",
		    open_all ? " open" : "") < 0 || escs(o, g->name) == -1 ||
		    fputs("/</span>", o) == EOF ||
		    counts_html(rep, &hs->gcounts[hs->items[cur].id *
		    hs->ncols * PRUN_NSTATUS], g->ntests, g->nreg, g->nfix,
		    g->time) == -1 ||
		    fputs("</summary><div class=\"gc\">\n", o) == EOF)
			goto done;
		gid = hs->items[cur].id;
		done = 0;
		cur = g->first;
	}
	rc = 0;
done:
	free(cc);
	free(stack);
	free(path);
	return rc;
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
		json_array_append_new(sts, json_string(status_name(order[s])));
	for (k = 0; k < n; k++) {
		counts = json_object();
		for (s = 0; counts != NULL && s < NORDER; s++)
			json_object_set_new(counts, status_name(order[s]),
			    json_integer((json_int_t)runs[k].counts[order[s]]));
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
	    write_tree(rep, hs->nrows <= OPEN_ALL) == -1 ||
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
	    json_script(o, page_data(runs, n, hs->nrows, hs)) == -1 ||
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
