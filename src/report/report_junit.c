/*
 * report_junit: the report as JUnit XML, valid against the Jenkins xUnit
 * schema (shared/schemas/junit-10.xsd) and within GitLab's limits.
 *
 * One <testsuite> per report, inside <testsuites>: the run (or the shards
 * merged) is the suite, and the groups of a test's name are its classname,
 * which is what Jenkins and GitLab group by.  Per-group suites would need
 * the tests of a group to be contiguous in the plan, which they need not
 * be.  The suite's counts come first in the document, so this writer has a
 * scan(): the summary's first pass, which also measures each test's
 * output.
 *
 * The rules kept here:
 *  1. Every string from a test or a fragment (names, output, subtest
 *     names, metadata) goes through text_to_xml (see xmlout.c), and the
 *     writer escapes markup, so no output can break the document.
 *  2. The report holds at most junit_max_output bytes of test output in
 *     all (as written, escapes counted), and no system-out or system-err
 *     over NODE_CAP, below GitLab's 10 MB per text node.  The bytes go
 *     first to the tests that did not pass (failure, error) and to the
 *     earlier tries of rerun tests (Surefire's flaky and rerun elements,
 *     with their own output), shared fairly:
 *     each stream gets min(its size, a level) and the level is as high as
 *     the budget allows; what is left goes the same way to the others.
 *  3. A stream that does not fit keeps its tail, where the error usually
 *     is, cut at a character, after a line saying how much was cut.
 *  4. Memory does not grow with the tests: the first pass keeps counts and
 *     a histogram of stream sizes, not a size per test; the levels are
 *     computed from it with a bound that never overspends, and a hard
 *     count of what is left keeps the total even if fragments change
 *     between the passes (a run still going).
 *  5. With --split N (junit_split), the report is documents of at most N
 *     testcases each (a test and its subtests are never parted; a test
 *     with more than N alone makes a part), written to the files of
 *     junit_parts.c: GitLab refuses a report of more than about 30,000.
 *     The first pass fixes where each part starts, in tests of the plan,
 *     so both passes cut at the same tests; each part has the counts of
 *     its own testcases, and the parts' counts add up to the whole.
 *     Rule 2's budget is for all the parts together.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xmlwriter.h>

#include "report/junit_parts.h"
#include "report/report.h"
#include "core/text.h"
#include "core/xmlout.h"

#define NODE_CAP	(8u << 20)	/* bytes of one system-out/err */
#define NBUCKETS	256
#define MAX_SUBTESTS_LISTED 20

enum { FAILING, OTHER, NCLASS };

/* The sizes of one class of streams, bucketed by size (rule 4). */
struct budget {
	size_t	count[NBUCKETS];
	size_t	sum[NBUCKETS];
	size_t	total;
};

/* The testcases of a document, counted by the first pass. */
struct junit_counts {
	size_t		 rows;		/* tests of the plan */
	size_t		 tests, failures, errors, skipped; /* testcases */
	double		 time_end;
};

struct junit_state {
	xmlTextWriterPtr w;
	struct junit_counts all;	/* the whole report */
	struct junit_counts *parts;	/* with junit_split: each part's */
	size_t		 nparts;
	size_t		 part;		/* the part being written, from 0 */
	size_t		 rows;		/* tests written in it */
	struct budget	 b[NCLASS];
	size_t		 level[NCLASS];
	size_t		 slack;		/* planned for no stream */
	size_t		 left;		/* of the whole budget */
	size_t		 cap;		/* junit_max_output; 0: none */
};

/* The writer's state, made at the first call of scan() or begin(). */
static struct junit_state *
state(struct report *rep)
{
	if (rep->state == NULL)
		rep->state = calloc(1, sizeof(struct junit_state));
	return rep->state;
}

/* The bucket of a size: exact below 8, then four per power of two. */
static size_t
bucket(size_t w)
{
	size_t msb = 0;

	if (w < 8)
		return w;
	while ((w >> msb) > 1)
		msb++;
	return 4 * msb + ((w >> (msb - 2)) & 3);
}

/* a + b, saturating. */
static size_t
add(size_t a, size_t b)
{
	return a > SIZE_MAX - b ? SIZE_MAX : a + b;
}

/*
 * An upper bound of what streams spend at a level: a bucket spends at most
 * its sum, and at most the level for each of its streams.
 */
static size_t
spend(const struct budget *b, size_t level)
{
	size_t k, s = 0, per;

	for (k = 0; k < NBUCKETS; k++) {
		if (b->count[k] == 0)
			continue;
		per = level > SIZE_MAX / b->count[k] ? SIZE_MAX :
		    level * b->count[k];
		s = add(s, per < b->sum[k] ? per : b->sum[k]);
	}
	return s;
}

/* The highest level at which the streams of b spend at most budget. */
static size_t
level_for(const struct budget *b, size_t budget, size_t *spent)
{
	size_t lo = 0, hi = budget, mid;

	if (b->total <= budget) {
		*spent = b->total;
		return SIZE_MAX;
	}
	while (lo < hi) {
		mid = lo + (hi - lo + 1) / 2;
		if (spend(b, mid) <= budget)
			lo = mid;
		else
			hi = mid - 1;
	}
	*spent = spend(b, lo);
	return lo;
}

/* The class of a test for the budget: did it fail in some way? */
static int
class_of(enum prun_status s)
{
	return s == PRUN_PASS || s == PRUN_SKIP || s == PRUN_NOTRUN ? OTHER :
	    FAILING;
}

/* The size of a stream once written, at most NODE_CAP. */
static size_t
stream_size(const char *s, size_t len)
{
	size_t w = text_xml_size(s ? s : "", len, NODE_CAP);

	return w < NODE_CAP ? w : NODE_CAP;
}

/* Add the sizes of a run's two streams to a class. */
static void
measure(struct budget *b, const struct prun_result *run)
{
	size_t i, w[2];

	w[0] = stream_size(run->out, run->out_len);
	w[1] = stream_size(run->err, run->err_len);
	for (i = 0; i < 2; i++) {
		b->count[bucket(w[i])]++;
		b->sum[bucket(w[i])] += w[i];
		b->total = add(b->total, w[i]);
	}
}

/* Count a testcase of status s. */
static void
count(struct junit_counts *c, enum prun_status s)
{
	const char *elem = status_junit_element(s);

	c->tests++;
	if (elem == NULL)
		return;
	if (strcmp(elem, "failure") == 0)
		c->failures++;
	else if (strcmp(elem, "error") == 0)
		c->errors++;
	else
		c->skipped++;
}

/* Count test r and its subtests' testcases. */
static void
count_test(struct junit_counts *c, const struct prun_result *r,
    int subtests)
{
	size_t i;

	c->rows++;
	count(c, r->status);
	if (subtests)
		for (i = 0; i < r->nsubtests; i++)
			count(c, r->subtests[i].status);
	if (r->time_end > c->time_end)
		c->time_end = r->time_end;
}

/* The part test r goes to: the last, or a new one if it would hold more
 * than split testcases with r (rule 5); NULL on no memory. */
static struct junit_counts *
part_for(struct junit_state *js, const struct prun_result *r, size_t split,
    int subtests)
{
	struct junit_counts *np;
	size_t cases = 1 + (subtests ? r->nsubtests : 0);

	if (js->nparts > 0 && (js->parts[js->nparts - 1].tests == 0 ||
	    js->parts[js->nparts - 1].tests + cases <= split))
		return &js->parts[js->nparts - 1];
	if ((np = realloc(js->parts, (js->nparts + 1) * sizeof *np)) == NULL)
		return NULL;
	js->parts = np;
	memset(&np[js->nparts], 0, sizeof *np);
	return &np[js->nparts++];
}

/* First pass: counts, the end time and the sizes of the output. */
static int
junit_scan(struct report *rep, const struct report_info *info,
    const struct prun_result *r)
{
	struct junit_state *js = state(rep);
	struct junit_counts *part;
	int subtests = rep->opts->junit_subtests;
	size_t i;

	(void)info;
	if (js == NULL)
		return -1;
	count_test(&js->all, r, subtests);
	if (rep->opts->junit_split > 0) {
		if ((part = part_for(js, r, rep->opts->junit_split,
		    subtests)) == NULL)
			return -1;
		count_test(part, r, subtests);
	}
	if (rep->opts->junit_max_output == 0)
		return 0;
	measure(&js->b[class_of(r->status)], r);
	/* The earlier tries failed: their output is a failure's. */
	for (i = 0; i < r->ntries; i++)
		measure(&js->b[FAILING], &r->tries[i]);
	return 0;
}

/* Share the budget: failing tests first, then the others (rule 2). */
static void
plan_budget(struct junit_state *js, size_t cap)
{
	size_t spent;

	js->cap = js->left = cap;
	if (cap == 0)
		return;
	js->level[FAILING] = level_for(&js->b[FAILING], cap, &spent);
	cap -= spent;
	js->level[OTHER] = level_for(&js->b[OTHER], cap, &spent);
	js->slack = cap - spent;
}

/*
 * The most a stream of class cls may keep, plus one: allowance() gives
 * any stream at least this big the same, so a stream is measured only
 * that far (most of a long run's output is never written).
 */
static size_t
allowance_bound(const struct junit_state *js, int cls)
{
	size_t a = js->level[cls] < NODE_CAP ? js->level[cls] : NODE_CAP;

	a = add(a, js->slack);
	return (a < NODE_CAP ? a : NODE_CAP) + 1;
}

/* How many bytes a stream of size w may keep. */
static size_t
allowance(struct junit_state *js, int cls, size_t w)
{
	size_t a, extra;

	if (js->cap == 0)
		return w;
	a = w < js->level[cls] ? w : js->level[cls];
	if (a > NODE_CAP)
		a = NODE_CAP;
	if (w > a && js->slack > 0) {
		extra = w - a < js->slack ? w - a : js->slack;
		if (extra > NODE_CAP - a)
			extra = NODE_CAP - a;
		a += extra;
		js->slack -= extra;
	}
	if (a > js->left)
		a = js->left;
	js->left -= a;
	return a;
}

/* Write an attribute whose value is a number or other plain ASCII. */
static int
attr(xmlTextWriterPtr w, const char *name, const char *value)
{
	return xmlTextWriterWriteAttribute(w, BAD_CAST name,
	    BAD_CAST value) < 0 ? -1 : 0;
}

/* Write an attribute holding a count. */
static int
attr_count(xmlTextWriterPtr w, const char *name, size_t n)
{
	char buf[32];

	snprintf(buf, sizeof buf, "%zu", n);
	return attr(w, name, buf);
}

/* A property holding a time as an ISO 8601 timestamp. */
static int
prop_time(xmlTextWriterPtr w, const char *key, double t)
{
	char buf[64];

	xmlout_timestamp(t, buf, sizeof buf);
	return xmlout_prop(w, key, buf);
}

/* A property holding words joined by spaces (argv, the wrapper). */
static int
prop_words(xmlTextWriterPtr w, const char *key, char *const *v, size_t n)
{
	size_t len = 1, i;
	char *s;
	int rc;

	for (i = 0; i < n; i++)
		len += strlen(v[i]) + 1;
	if ((s = calloc(1, len)) == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		if (i > 0)
			strcat(s, " ");
		strcat(s, v[i]);
	}
	rc = xmlout_prop(w, key, s);
	free(s);
	return rc;
}

/* Each results directory: its path, host, start and part of the plan. */
static int
prop_shards(xmlTextWriterPtr w, const struct report_info *info)
{
	const struct prun_shard *sh;
	char key[64], buf[64];
	size_t i;

	snprintf(buf, sizeof buf, "%zu", info->ndirs);
	if (xmlout_prop(w, "shards", buf) == -1)
		return -1;
	for (i = 0; i < info->ndirs; i++) {
		snprintf(key, sizeof key, "shard.%zu.dir", i);
		if (xmlout_prop(w, key, info->dirs[i]) == -1)
			return -1;
		if (info->mds == NULL)
			continue;
		snprintf(key, sizeof key, "shard.%zu.hostname", i);
		if (xmlout_prop(w, key, info->mds[i]->hostname) == -1)
			return -1;
		snprintf(key, sizeof key, "shard.%zu.time_start", i);
		if (prop_time(w, key, info->mds[i]->time_start) == -1)
			return -1;
		sh = &info->mds[i]->options.shard;
		if (sh->total == 0)
			continue;
		snprintf(key, sizeof key, "shard.%zu.part", i);
		snprintf(buf, sizeof buf, "%u/%u", sh->index, sh->total);
		if (xmlout_prop(w, key, buf) == -1)
			return -1;
		snprintf(key, sizeof key, "shard.%zu.part_source", i);
		if (xmlout_prop(w, key, shard_source_name(sh->source)) == -1)
			return -1;
	}
	return 0;
}

/* The run's metadata: prun, host, options and shards. */
static int
properties(struct report *rep, const struct report_info *info)
{
	const struct prun_metadata *md = info->md;
	const struct prun_options *o = &md->options;
	const struct junit_state *js = rep->state;
	xmlTextWriterPtr w = js->w;
	char buf[64];
	size_t i;

	if (xmlTextWriterStartElement(w, BAD_CAST "properties") < 0 ||
	    xmlout_prop(w, "version", md->prun_version) == -1 ||
	    xmlout_prop(w, "hostname", md->hostname) == -1 ||
	    xmlout_prop(w, "uname", md->uname) == -1 ||
	    xmlout_prop(w, "plan_id", md->plan_id) == -1 ||
	    prop_words(w, "argv", md->argv, (size_t)md->argc) == -1 ||
	    prop_time(w, "time_start", info->time_start) == -1 ||
	    xmlout_prop_double(w, "timeout", o->timeout) == -1 ||
	    xmlout_prop_double(w, "kill_after", o->kill_after) == -1 ||
	    xmlout_prop_double(w, "max_output", (double)o->max_output) == -1 ||
	    xmlout_prop(w, "fsync", o->fsync ? "always" : "never") == -1 ||
	    xmlout_prop(w, "backend", options_backend_name(o->backend)) == -1 ||
	    xmlout_prop_double(w, "jobs", o->jobs) == -1 ||
	    xmlout_prop_double(w, "max_attempts", o->max_attempts) == -1 ||
	    xmlout_prop_double(w, "rerun_failures", o->rerun_failures) == -1 ||
	    xmlout_prop_double(w, "overall_timeout", o->overall_timeout) == -1)
		return -1;
	/* Only when given, as in metadata.json. */
	if (o->repeat > 1 && (xmlout_prop_double(w, "repeat", o->repeat) ==
	    -1 || xmlout_prop(w, "until_fail", o->until_fail ? "true" :
	    "false") == -1))
		return -1;
	if (o->wrapper != NULL) {
		for (i = 0; o->wrapper[i] != NULL; i++)
			;
		if (prop_words(w, "wrapper", o->wrapper, i) == -1)
			return -1;
	}
	for (i = 0; i < o->ninclude; i++)
		if (xmlout_prop(w, "include", o->include[i]) == -1)
			return -1;
	for (i = 0; i < o->nexclude; i++)
		if (xmlout_prop(w, "exclude", o->exclude[i]) == -1)
			return -1;
	if (prop_shards(w, info) == -1)
		return -1;
	snprintf(buf, sizeof buf, "%zu", rep->opts->junit_max_output);
	if (xmlout_prop(w, "junit.subtests", rep->opts->junit_subtests ? "true" :
	    "false") == -1 || xmlout_prop(w, "junit.max_output", buf) == -1)
		return -1;
	if (rep->opts->junit_split > 0) {
		snprintf(buf, sizeof buf, "%zu/%zu", js->part + 1, js->nparts);
		if (xmlout_prop(w, "junit.part", buf) == -1)
			return -1;
	}
	return xmlTextWriterEndElement(w) < 0 ? -1 : 0;
}

/* A document's start on rep->fp: testsuites and the testsuite with the
 * counts c. */
static int
begin_doc(struct report *rep, const struct report_info *info,
    const struct junit_counts *c)
{
	struct junit_state *js = rep->state;
	xmlOutputBufferPtr ob;
	char secs[64], stamp[64];
	xmlTextWriterPtr w;

	if ((ob = xmlOutputBufferCreateFile(rep->fp, NULL)) == NULL)
		return -1;
	if ((js->w = w = xmlNewTextWriter(ob)) == NULL) {
		xmlOutputBufferClose(ob);
		return -1;
	}
	xmlout_seconds(c->time_end > info->time_start ? c->time_end -
	    info->time_start : 0, secs, sizeof secs);
	xmlout_timestamp(info->time_start, stamp, sizeof stamp);
	if (xmlout_start(w, "testsuites") == -1 ||
	    xmlout_attr(w, "name", info->md->name) == -1 ||
	    attr_count(w, "tests", c->tests) == -1 ||
	    attr_count(w, "failures", c->failures) == -1 ||
	    attr_count(w, "errors", c->errors) == -1 ||
	    attr(w, "time", secs) == -1 ||
	    xmlTextWriterStartElement(w, BAD_CAST "testsuite") < 0 ||
	    xmlout_attr(w, "name", info->md->name) == -1 ||
	    attr_count(w, "tests", c->tests) == -1 ||
	    attr_count(w, "failures", c->failures) == -1 ||
	    attr_count(w, "errors", c->errors) == -1 ||
	    attr_count(w, "skipped", c->skipped) == -1 ||
	    attr(w, "time", secs) == -1 ||
	    attr(w, "timestamp", stamp) == -1 ||
	    xmlout_attr(w, "hostname", info->md->hostname) == -1)
		return -1;
	return properties(rep, info);
}

/* Close the document being written and push it out. */
static int
end_doc(struct junit_state *js)
{
	int rc = 0;

	if (xmlTextWriterEndDocument(js->w) < 0 ||
	    xmlTextWriterFlush(js->w) < 0)
		rc = -1;
	xmlFreeTextWriter(js->w);
	js->w = NULL;
	return rc;
}

/* Start part k (from 0) of a split report in its own file. */
static int
begin_part(struct report *rep, const struct report_info *info, size_t k)
{
	struct junit_state *js = rep->state;
	FILE *fp;

	if ((fp = junit_parts_open(rep->opts->junit_parts, k + 1)) == NULL)
		return -1;
	rep->fp = fp;
	js->part = k;
	js->rows = 0;
	return begin_doc(rep, info, &js->parts[k]);
}

/* The report's start: its document, or the first part's (rule 5). */
static int
junit_begin(struct report *rep, const struct report_info *info)
{
	struct junit_state *js = state(rep);

	if (js == NULL)
		return -1;
	plan_budget(js, rep->opts->junit_max_output);
	if (rep->opts->junit_split == 0)
		return begin_doc(rep, info, &js->all);
	/* No tests: one empty part, so the glob finds a report. */
	if (js->nparts == 0 && (js->parts = calloc(1,
	    sizeof *js->parts)) == NULL)
		return -1;
	js->nparts += js->nparts == 0;
	return begin_part(rep, info, 0);
}

/* How the test ended, in words: "exit status 1", "killed by signal 11". */
static void
describe_exit(const struct prun_result *r, char *buf, size_t size)
{
	const char *abbrev;

	if (r->status == PRUN_TIMEOUT) {
		snprintf(buf, size, "stopped by prun after its timeout");
	} else if (r->has_returncode && r->returncode >= 0) {
		snprintf(buf, size, "exit status %d", r->returncode);
	} else if (r->has_returncode) {
		abbrev = sigabbrev_np(-r->returncode);
		snprintf(buf, size, "killed by signal %d%s%s%s", -r->returncode,
		    abbrev ? " (SIG" : "", abbrev ? abbrev : "",
		    abbrev ? ")" : "");
	} else if (r->status == PRUN_NOTRUN)
		snprintf(buf, size, "never started");
	else if (r->status == PRUN_INCOMPLETE)
		snprintf(buf, size, "attempt %d started, its end was never "
		    "recorded%s", r->attempt, r->interrupted ?
		    " (prun was stopped)" : "");
	else
		snprintf(buf, size, "no exit status");
}

/*
 * The <failure>, <error> or <skipped> of a test, with what is known; with
 * a baseline, its verdict ("expected", "flake") is told in the message:
 * the element stays the status's, as SPEC.md maps it.
 */
static int
verdict(struct junit_state *js, const struct report_info *info,
    const struct prun_result *r)
{
	const char *elem = status_junit_element(r->status);
	char how[256], msg[400], line[512];
	size_t i, listed = 0;
	xmlTextWriterPtr w = js->w;

	if (elem == NULL)
		return 0;
	describe_exit(r, how, sizeof how);
	if (info->judged && info->verdict != BASELINE_OK)
		snprintf(msg, sizeof msg, "%s: %s (baseline: %s)",
		    status_name(r->status), how,
		    baseline_verdict_name(info->verdict));
	else
		snprintf(msg, sizeof msg, "%s: %s", status_name(r->status),
		    how);
	if (xmlTextWriterStartElement(w, BAD_CAST elem) < 0 ||
	    attr(w, "type", status_name(r->status)) == -1 ||
	    attr(w, "message", msg) == -1)
		return -1;
	snprintf(line, sizeof line, "%s\nattempt %d\n", msg, r->attempt);
	if (xmlout_text(w, line, strlen(line)) == -1 ||
	    (r->command != NULL && (xmlout_text(w, "command: ", 9) == -1 ||
	    xmlout_text(w, r->command, strlen(r->command)) == -1 ||
	    xmlout_text(w, "\n", 1) == -1)))
		return -1;
	for (i = 0; i < r->nsubtests; i++) {
		if (!status_is_failure(r->subtests[i].status) &&
		    r->subtests[i].status != PRUN_WARN)
			continue;
		if (listed++ == MAX_SUBTESTS_LISTED)
			break;
		snprintf(line, sizeof line, "subtest %s: ",
		    status_name(r->subtests[i].status));
		if (xmlout_text(w, line, strlen(line)) == -1 ||
		    xmlout_text(w, r->subtests[i].name,
		    strlen(r->subtests[i].name)) == -1 ||
		    xmlout_text(w, "\n", 1) == -1)
			return -1;
	}
	if (i < r->nsubtests && xmlout_text(w, "more subtests did not pass\n",
	    27) == -1)
		return -1;
	return xmlTextWriterFullEndElement(w) < 0 ? -1 : 0;
}

/* system-out or system-err within the budget (rules 2 and 3). */
static int
stream(struct junit_state *js, const char *elem, int cls, const char *s,
    size_t len)
{
	char marker[160];
	size_t w, a, cut, kept;

	if (s == NULL)
		s = "";
	if (js->cap == 0)
		return xmlout_element(js->w, elem, s, len);
	w = text_xml_size(s, len, allowance_bound(js, cls));
	a = allowance(js, cls, w);
	if (w <= a)
		return xmlout_element(js->w, elem, s, len);
	cut = text_xml_tail(s, len, a, &kept);
	/* Give back what the cut at a character did not use. */
	js->left += a - kept;
	js->slack += a - kept;
	snprintf(marker, sizeof marker, "[prun: the first %zu of %zu bytes "
	    "are cut; the fragment has them all]\n", cut, len);
	if (xmlTextWriterStartElement(js->w, BAD_CAST elem) < 0 ||
	    xmlout_text(js->w, marker, strlen(marker)) == -1 ||
	    xmlout_text(js->w, s + cut, len - cut) == -1 ||
	    xmlTextWriterFullEndElement(js->w) < 0)
		return -1;
	return 0;
}

/*
 * The earlier tries of a test rerun after failing, oldest first, as
 * Surefire writes them: flakyFailure/flakyError when it passed in the
 * end, rerunFailure/rerunError when it did not, each with its output.
 */
static int
tries(struct junit_state *js, const struct prun_result *r)
{
	const struct prun_result *t;
	char how[256], msg[320];
	size_t i;

	for (i = 0; i < r->ntries; i++) {
		t = &r->tries[i];
		describe_exit(t, how, sizeof how);
		snprintf(msg, sizeof msg, "try %zu: %s: %s", i + 1,
		    status_name(t->status), how);
		if (xmlTextWriterStartElement(js->w, BAD_CAST
		    xmlout_rerun_element(t->status, r->flaky)) < 0 ||
		    attr(js->w, "type", status_name(t->status)) == -1 ||
		    attr(js->w, "message", msg) == -1 ||
		    stream(js, "system-out", FAILING, t->out,
		    t->out_len) == -1 ||
		    stream(js, "system-err", FAILING, t->err,
		    t->err_len) == -1 ||
		    xmlTextWriterEndElement(js->w) < 0)
			return -1;
	}
	return 0;
}

/* One <testcase> element's start, with classname, name and time. */
static int
start_case(struct junit_state *js, const char *classname, const char *name,
    const char *secs)
{
	if (xmlTextWriterStartElement(js->w, BAD_CAST "testcase") < 0 ||
	    xmlout_attr(js->w, "classname", classname) == -1 ||
	    xmlout_attr(js->w, "name", name) == -1 ||
	    (secs != NULL && attr(js->w, "time", secs) == -1))
		return -1;
	return 0;
}

/* With --junit-subtests: each subtest as a testcase of its own. */
static int
subtest_cases(struct junit_state *js, const struct prun_result *r)
{
	const char *elem;
	char *cn, *p, msg[64];
	size_t i;
	int rc = 0;

	if ((cn = strdup(r->name)) == NULL)
		return -1;
	for (p = cn; *p != '\0'; p++)
		if (*p == '/')
			*p = '.';
	for (i = 0; rc == 0 && i < r->nsubtests; i++) {
		elem = status_junit_element(r->subtests[i].status);
		snprintf(msg, sizeof msg, "%s: %s",
		    status_name(r->subtests[i].status),
		    r->subtests[i].todo ? "TODO subtest" : "subtest");
		if (start_case(js, cn, r->subtests[i].name, NULL) == -1 ||
		    (elem != NULL && (xmlTextWriterStartElement(js->w,
		    BAD_CAST elem) < 0 ||
		    attr(js->w, "type",
		    status_name(r->subtests[i].status)) == -1 ||
		    attr(js->w, "message", msg) == -1 ||
		    xmlTextWriterEndElement(js->w) < 0)) ||
		    xmlTextWriterEndElement(js->w) < 0)
			rc = -1;
	}
	free(cn);
	return rc;
}

/* One test: its testcase, then its subtests' if asked for. */
static int
junit_test(struct report *rep, const struct report_info *info,
    const struct prun_result *r)
{
	struct junit_state *js = rep->state;
	const char *casename;
	char secs[64], *cn;
	int cls = class_of(r->status), rc;

	/* The first pass said where the next part starts (rule 5). */
	if (rep->opts->junit_split > 0 && js->part + 1 < js->nparts &&
	    js->rows == js->parts[js->part].rows &&
	    (end_doc(js) == -1 || begin_part(rep, info, js->part + 1) == -1))
		return -1;
	js->rows++;
	if ((cn = xmlout_classname(r->name, info->md->name, &casename)) ==
	    NULL)
		return -1;
	xmlout_seconds(r->time_end - r->time_start, secs, sizeof secs);
	rc = start_case(js, cn, casename, secs);
	free(cn);
	if (rc == -1 || verdict(js, info, r) == -1 || tries(js, r) == -1 ||
	    stream(js, "system-out", cls, r->out, r->out_len) == -1 ||
	    stream(js, "system-err", cls, r->err, r->err_len) == -1 ||
	    xmlTextWriterEndElement(js->w) < 0)
		return -1;
	if (rep->opts->junit_subtests && subtest_cases(js, r) == -1)
		return -1;
	return 0;
}

/* Close the document and push it out. */
static int
junit_end(struct report *rep, const struct report_info *info)
{
	(void)info;
	return end_doc(rep->state);
}

/* Free the writer (closing its buffer, not fp) and the state. */
static void
junit_free(struct report *rep)
{
	struct junit_state *js = rep->state;

	if (js == NULL)
		return;
	if (js->w != NULL)
		xmlFreeTextWriter(js->w);
	free(js->parts);
	free(js);
	rep->state = NULL;
}

const struct report_ops report_junit_ops = {
	.scan = junit_scan,
	.begin = junit_begin,
	.test = junit_test,
	.end = junit_end,
	.free = junit_free,
};
