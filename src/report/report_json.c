/*
 * report_json: the report in piglit's results_version 10 layout.
 *
 * The document is written as a stream: the header keys, then each test
 * as it comes (encoded by jansson), then totals and time_elapsed, which
 * are only known at the end (JSON does not order keys).  Totals follow
 * piglit: "root" and every group, counted per test, or per subtest for a
 * test that has subtests, with a count for every piglit status.  A test
 * with subtests is a group of its own, so a plan of 100,000 tests may have
 * tens of thousands of groups: the totals of those are written to a
 * temporary file as their test comes (they are final then), and only the
 * groups above tests are kept in memory.  prun's
 * own keys (attempt, flaky, tries, verdict, expected, and "prun" at the
 * top) sit beside piglit's, which piglit's loader ignores.
 *
 * piglit separates groups with '@' (grouptools.SEPARATOR), so its summary
 * html shows prun's "a/b/c" as one flat list.  With piglit_names the
 * names of the tests and of the groups of the totals are written with
 * '@' for '/'; the groups are still counted on prun's names, and a test
 * whose name holds '@' already is an error, since its groups would be
 * wrong.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/json.h"
#include "core/util.h"
#include "plan/plan.h"
#include "report/report.h"

/* piglit's statuses, in the order its Totals lists them. */
static const char *const piglit_statuses[] = {
	"pass", "fail", "warn", "crash", "skip", "dmesg-warn", "dmesg-fail",
	"timeout", "notrun", "incomplete",
};

struct group {
	char	*name;
	size_t	 counts[PRUN_NSTATUS];
};

struct json_state {
	struct group	*groups;	/* by id */
	size_t		 ngroups, size;
	struct nametab	 tab;		/* ids, by name */
	size_t		 root[PRUN_NSTATUS];
	FILE		*spill;		/* totals of tests with subtests */
	int		 first;		/* no test written yet */
};

/* A record of the spill file, followed by the test's name. */
struct spilled {
	size_t	counts[PRUN_NSTATUS];
	size_t	len;
};

/* A name that is not NUL-terminated, as looked for. */
struct key {
	const char	*name;
	size_t		 len;
};

/* The hash of group id's name. */
static uint64_t
group_hash(const void *ctx, size_t id)
{
	const struct json_state *js = ctx;

	return util_hash_str(js->groups[id].name);
}

/* Whether group id is called key. */
static int
group_same(const void *ctx, size_t id, const void *key)
{
	const struct json_state *js = ctx;
	const struct key *k = key;

	return strncmp(js->groups[id].name, k->name, k->len) == 0 &&
	    js->groups[id].name[k->len] == '\0';
}

/* The group of this name, or NULL. */
static struct group *
group_find(struct json_state *js, const char *name, size_t len)
{
	struct key k = { name, len };
	size_t id;

	id = nametab_find(&js->tab, util_hash(UTIL_HASH_INIT, name, len), &k);
	return id == NAMETAB_NONE ? NULL : &js->groups[id];
}

/* The group of this name, added when new; NULL when out of memory. */
static struct group *
group_get(struct json_state *js, const char *name, size_t len)
{
	struct group *g;
	size_t n;

	/* Grown before the lookup, as the table always was: its slots are
	 * the order of the totals (json_end). */
	if (nametab_reserve(&js->tab, js->ngroups + 1) == -1)
		return NULL;
	if ((g = group_find(js, name, len)) != NULL)
		return g;
	if (js->ngroups == js->size) {
		n = js->size ? 2 * js->size : 64;
		if ((g = realloc(js->groups, n * sizeof *g)) == NULL)
			return NULL;
		js->groups = g;
		js->size = n;
	}
	g = &js->groups[js->ngroups];
	memset(g, 0, sizeof *g);
	if ((g->name = strndup(name, len)) == NULL)
		return NULL;
	if (nametab_add(&js->tab, util_hash(UTIL_HASH_INIT, name, len),
	    js->ngroups) == -1) {
		free(g->name);
		return NULL;
	}
	js->ngroups++;
	return g;
}

/* Count status s in name's group and every group above it. */
static int
count(struct json_state *js, const char *name, size_t len,
    enum prun_status s)
{
	struct group *g;

	while (len > 0) {
		if ((g = group_get(js, name, len)) == NULL)
			return -1;
		g->counts[s]++;
		while (len > 0 && name[len - 1] != '/')
			len--;
		if (len > 0)
			len--;
	}
	js->root[s]++;
	return 0;
}

/*
 * Count the subtests of r: in the groups above it, and in its own group,
 * whose totals are final now and go to the spill file (or, when there is
 * none, to the table).
 */
static int
count_subtests(struct json_state *js, const struct prun_result *r)
{
	struct spilled sp;
	size_t i, len = strlen(r->name), up = len;

	if (js->spill == NULL) {
		for (i = 0; i < r->nsubtests; i++)
			if (count(js, r->name, len, r->subtests[i].status) ==
			    -1)
				return -1;
		return 0;
	}
	memset(&sp, 0, sizeof sp);
	sp.len = len;
	for (i = 0; i < r->nsubtests; i++)
		sp.counts[r->subtests[i].status]++;
	if (fwrite(&sp, sizeof sp, 1, js->spill) != 1 ||
	    fwrite(r->name, 1, len, js->spill) != len)
		return -1;
	/* The groups above: the name up to its last '/'. */
	while (up > 0 && r->name[up - 1] != '/')
		up--;
	if (up > 0)
		up--;
	for (i = 0; i < r->nsubtests; i++)
		if (count(js, r->name, up, r->subtests[i].status) == -1)
			return -1;
	return 0;
}

/* A test's or group's name as written: '/' is '@' with piglit_names. */
static json_t *
name_json(int piglit, const char *name, size_t len)
{
	json_t *v;
	char *p;
	size_t i;

	if (!piglit)
		return json_stringn(name, len);
	if ((p = strndup(name, len)) == NULL)
		return NULL;
	for (i = 0; i < len; i++)
		if (p[i] == '/')
			p[i] = '@';
	v = json_stringn(p, len);
	free(p);
	return v;
}

/* Write a JSON value with jansson, compactly. */
static int
dump(FILE *fp, json_t *v)
{
	int rc;

	if (v == NULL)
		return -1;
	rc = json_dumpf(v, fp, JSON_COMPACT | JSON_ENCODE_ANY);
	json_decref(v);
	return rc;
}

/* A piglit TimeAttribute. */
static json_t *
time_attr(double start, double end)
{
	return json_pack("{s:s, s:f, s:f}", "__type__", "TimeAttribute",
	    "start", start, "end", end);
}

/* The run's options as piglit's "options" (plus prun's own). */
static json_t *
options_json(const struct prun_metadata *md)
{
	const struct prun_options *o = &md->options;
	json_t *inc = json_array(), *exc = json_array(), *argv = json_array();
	size_t i;

	for (i = 0; i < o->ninclude; i++)
		json_array_append_new(inc, json_string(o->include[i]));
	for (i = 0; i < o->nexclude; i++)
		json_array_append_new(exc, json_string(o->exclude[i]));
	for (i = 0; i < (size_t)md->argc; i++)
		json_array_append_new(argv, json_string(md->argv[i]));
	return json_pack("{s:o, s:o, s:f, s:f, s:I, s:s, s:s, s:i, s:i, s:o}",
	    "include_filter", inc, "exclude_filter", exc,
	    "timeout", o->timeout, "kill_after", o->kill_after,
	    "max_output", (json_int_t)o->max_output,
	    "fsync", o->fsync ? "always" : "never",
	    "backend", options_backend_name(o->backend),
	    "jobs", o->jobs, "max_attempts", o->max_attempts,
	    "argv", argv);
}

/* The header keys and the opening of "tests". */
static int
json_begin(struct report *rep, const struct report_info *info)
{
	const struct prun_metadata *md = info->md;
	struct json_state *js;

	if ((js = calloc(1, sizeof *js)) == NULL)
		return -1;
	nametab_init(&js->tab, group_hash, group_same, js);
	js->first = 1;
	/* Without a temporary file, the totals all stay in memory. */
	js->spill = tmpfile();
	rep->state = js;
	if (fputs("{\"__type__\":\"TestrunResult\",\"results_version\":10,"
	    "\"name\":", rep->fp) == EOF ||
	    dump(rep->fp, json_string(md->name)) == -1 ||
	    fputs(",\"options\":", rep->fp) == EOF ||
	    dump(rep->fp, options_json(md)) == -1 ||
	    fputs(",\"info\":", rep->fp) == EOF ||
	    dump(rep->fp, json_pack("{s:{s:s}, s:s, s:s, s:s, s:s}",
	    "system", "uname", md->uname, "hostname", md->hostname,
	    "prun_version", md->prun_version, "plan_id", md->plan_id,
	    "uname", md->uname)) == -1 ||
	    fputs(",\"tests\":{", rep->fp) == EOF)
		return -1;
	return 0;
}

/* The earlier tries of a rerun test: piglit's per-run keys for each. */
static json_t *
tries_json(const struct prun_result *r)
{
	json_t *a = json_array(), *subs;
	const struct prun_result *t;
	size_t i, j;

	for (i = 0; a != NULL && i < r->ntries; i++) {
		t = &r->tries[i];
		subs = json_object();
		for (j = 0; subs != NULL && j < t->nsubtests; j++)
			json_object_set_new(subs, t->subtests[j].name,
			    json_string(status_name(t->subtests[j].status)));
		json_array_append_new(a, json_pack("{s:s, s:s%, s:s%, s:o, "
		    "s:I, s:o, s:o}",
		    "result", status_name(t->status),
		    "out", t->out ? t->out : "", t->out_len,
		    "err", t->err ? t->err : "", t->err_len,
		    "returncode", t->has_returncode ?
		    json_integer(t->returncode) : json_null(),
		    "pid", (json_int_t)t->pid,
		    "time", time_attr(t->time_start, t->time_end),
		    "subtests", subs));
	}
	return a;
}

/*
 * The names of the TAP TODO points of r, or NULL when it has none: piglit
 * knows no status for them, so they are skip or pass in "subtests" and
 * told apart here.
 */
static json_t *
todo_json(const struct prun_result *r)
{
	json_t *a = NULL;
	size_t i;

	for (i = 0; i < r->nsubtests; i++) {
		if (!r->subtests[i].todo)
			continue;
		if (a == NULL && (a = json_array()) == NULL)
			return NULL;
		json_array_append_new(a, json_string(r->subtests[i].name));
	}
	return a;
}

/* {"count": N, "commands": [names]}: what outlived the test (--leaks). */
static json_t *
leaks_json(const struct prun_result *r)
{
	json_t *names = json_array();
	size_t i;

	for (i = 0; names != NULL && i < r->nleak_commands; i++)
		json_array_append_new(names, json_string(r->leak_commands[i]));
	return json_pack("{s:I, s:o}", "count", (json_int_t)r->leaked,
	    "commands", names != NULL ? names : json_array());
}

/* {"count": N, "failed": K, "results": [status, ...]}: the repetitions
 * of --repeat, in order. */
static json_t *
reps_json(const struct prun_result *r)
{
	json_t *a = json_array();
	size_t i, failed = 0;

	for (i = 0; a != NULL && i < r->nreps; i++) {
		json_array_append_new(a,
		    json_string(status_name(r->reps[i].status)));
		failed += status_is_failure(r->reps[i].status) != 0;
	}
	return json_pack("{s:I, s:I, s:o}", "count", (json_int_t)r->nreps,
	    "failed", (json_int_t)failed, "results", a != NULL ? a :
	    json_array());
}

/*
 * prun's keys of a test beside piglit's: TODO points, flakiness and the
 * verdict.
 */
static void
prun_keys(json_t *t, const struct report_info *info,
    const struct prun_result *r)
{
	json_t *todo;

	if ((todo = todo_json(r)) != NULL)
		json_object_set_new(t, "todo", todo);
	if (r->flaky)
		json_object_set_new(t, "flaky", json_true());
	if (r->ntries > 0)
		json_object_set_new(t, "tries", tries_json(r));
	if (r->dmesg != NULL)
		json_object_set_new(t, "dmesg", json_stringn(r->dmesg,
		    r->dmesg_len));
	if (r->dmesg_shared)
		json_object_set_new(t, "dmesg_shared", json_true());
	if (r->leaked > 0)
		json_object_set_new(t, "leaks", leaks_json(r));
	if (r->nreps > 0)
		json_object_set_new(t, "repetitions", reps_json(r));
	if (!info->judged)
		return;
	json_object_set_new(t, "verdict",
	    json_string(baseline_verdict_name(info->verdict)));
	if (info->expected != PRUN_NSTATUS)
		json_object_set_new(t, "expected",
		    json_string(status_name(info->expected)));
}

/* One test, under its name, in piglit's TestResult layout. */
static int
json_test(struct report *rep, const struct report_info *info,
    const struct prun_result *r)
{
	struct json_state *js = rep->state;
	json_t *t, *subs;
	char *buf;
	size_t i;
	int rc;

	subs = json_pack("{s:s}", "__type__", "Subtests");
	for (i = 0; subs != NULL && i < r->nsubtests; i++)
		json_object_set_new(subs, r->subtests[i].name,
		    json_string(status_name(r->subtests[i].status)));
	/* out and err are written apart (json_write_string), before these. */
	t = json_pack("{s:s, s:s, s:o, s:s, s:[I], s:o, s:o, "
	    "s:s, s:s, s:n, s:n, s:i}",
	    "__type__", "TestResult",
	    "result", status_name(r->status),
	    "returncode", r->has_returncode ? json_integer(r->returncode) :
	    json_null(),
	    "command", r->command ? r->command : "",
	    "pid", (json_int_t)r->pid,
	    "time", time_attr(r->time_start, r->time_end),
	    "subtests", subs,
	    "dmesg", "", "environment", "",
	    "exception", "traceback",
	    "attempt", r->attempt);
	if (t == NULL)
		return -1;
	if (r->pid == 0)
		json_array_clear(json_object_get(t, "pid"));
	prun_keys(t, info, r);
	if (rep->opts->piglit_names && strchr(r->name, '@') != NULL) {
		prun_error_set(&rep->err, PRUN_EXIT_USAGE, "summary "
		    "--piglit-names: test '%s' has an '@' in its name, which "
		    "piglit reads as a group separator; leave out "
		    "--piglit-names", r->name);
		goto fail;
	}
	if (!js->first && fputc(',', rep->fp) == EOF)
		goto fail;
	js->first = 0;
	if (fputc('\n', rep->fp) == EOF ||
	    dump(rep->fp, name_json(rep->opts->piglit_names, r->name,
	    strlen(r->name))) == -1 ||
	    fputs(":{\"out\":", rep->fp) == EOF ||
	    json_write_string(rep->fp, r->out ? r->out : "", r->out_len) == -1 ||
	    fputs(",\"err\":", rep->fp) == EOF ||
	    json_write_string(rep->fp, r->err ? r->err : "", r->err_len) == -1 ||
	    fputc(',', rep->fp) == EOF)
		goto fail;
	/* The other keys: jansson's object without its opening brace. */
	if ((buf = json_dumps(t, JSON_COMPACT)) == NULL)
		goto fail;
	json_decref(t);
	rc = fputs(buf + 1, rep->fp);
	free(buf);
	if (rc == EOF)
		return -1;
	if (r->nsubtests > 0) {
		if (count_subtests(js, r) == -1)
			return -1;
	} else {
		const char *casename;
		size_t glen = report_split_name(r->name, &casename);

		if (count(js, r->name, glen, r->status) == -1)
			return -1;
	}
	return 0;
fail:
	json_decref(t);
	return -1;
}

/* One Totals object with a count for every piglit status. */
static json_t *
totals_json(const size_t *counts)
{
	json_t *o = json_pack("{s:s}", "__type__", "Totals");
	enum prun_status s;
	size_t i;

	for (i = 0; o != NULL && i < sizeof piglit_statuses /
	    sizeof piglit_statuses[0]; i++) {
		json_int_t n = 0;

		if (status_parse(piglit_statuses[i], &s) == 0)
			n = (json_int_t)counts[s];
		json_object_set_new(o, piglit_statuses[i], json_integer(n));
	}
	return o;
}

/* One group's totals, after a comma. */
static int
put_totals(FILE *fp, int piglit, const char *name, size_t len,
    const size_t *counts)
{
	if (fputc(',', fp) == EOF ||
	    dump(fp, name_json(piglit, name, len)) == -1 ||
	    fputc(':', fp) == EOF ||
	    dump(fp, totals_json(counts)) == -1)
		return -1;
	return 0;
}

/*
 * The totals of the tests with subtests, back from the spill file; one
 * that is also a group above other tests is added to that group's.
 */
static int
put_spilled(struct json_state *js, FILE *fp, int piglit)
{
	struct spilled sp;
	struct group *g;
	char *name = NULL, *p;
	size_t size = 0, k;
	int rc = -1;

	if (fflush(js->spill) == EOF || fseeko(js->spill, 0, SEEK_SET) == -1)
		return -1;
	while (fread(&sp, sizeof sp, 1, js->spill) == 1) {
		if (sp.len + 1 > size) {
			if ((p = realloc(name, sp.len + 1)) == NULL)
				goto out;
			name = p;
			size = sp.len + 1;
		}
		if (fread(name, 1, sp.len, js->spill) != sp.len)
			goto out;
		name[sp.len] = '\0';
		if ((g = group_find(js, name, sp.len)) != NULL) {
			for (k = 0; k < PRUN_NSTATUS; k++)
				g->counts[k] += sp.counts[k];
			continue;
		}
		if (put_totals(fp, piglit, name, sp.len, sp.counts) == -1)
			goto out;
	}
	rc = ferror(js->spill) ? -1 : 0;
out:
	free(name);
	return rc;
}

/* Totals, time_elapsed and prun's own keys, then the end. */
static int
json_end(struct report *rep, const struct report_info *info)
{
	struct json_state *js = rep->state;
	json_t *counts, *verdicts = NULL;
	struct group *g;
	size_t i;

	/* One group at a time: a tree of them all would grow with the
	 * tests that have subtests. */
	if (fputs("\n},\"totals\":{\"root\":", rep->fp) == EOF ||
	    dump(rep->fp, totals_json(js->root)) == -1 ||
	    (js->spill != NULL && put_spilled(js, rep->fp,
	    rep->opts->piglit_names) == -1))
		return -1;
	/* In the order of the table's slots, as they always came. */
	for (i = 0; i < js->tab.size; i++) {
		if (js->tab.slots[i] == 0)
			continue;
		g = &js->groups[js->tab.slots[i] - 1];
		if (put_totals(rep->fp, rep->opts->piglit_names, g->name,
		    strlen(g->name), g->counts) == -1)
			return -1;
	}
	counts = json_object();
	for (i = 0; counts != NULL && i < PRUN_NSTATUS; i++)
		json_object_set_new(counts, status_name(i),
		    json_integer((json_int_t)info->counts[i]));
	if (info->judged)
		verdicts = json_object();
	for (i = 0; verdicts != NULL && i < BASELINE_NVERDICTS; i++)
		json_object_set_new(verdicts, baseline_verdict_name(i),
		    json_integer((json_int_t)info->verdicts[i]));
	if (fputs("}", rep->fp) == EOF ||
	    fputs(",\n\"time_elapsed\":", rep->fp) == EOF ||
	    dump(rep->fp, time_attr(info->time_start, info->time_end)) == -1 ||
	    fputs(",\n\"prun\":", rep->fp) == EOF ||
	    dump(rep->fp, json_pack("{s:I, s:o, s:I, s:I, s:i, s:I, s:b, "
	    "s:o*}",
	    "tests", (json_int_t)info->ntests, "counts", counts,
	    "duplicates", (json_int_t)info->duplicates,
	    "damaged", (json_int_t)info->damaged,
	    "shards", (int)info->ndirs,
	    "flaky", (json_int_t)info->flaky,
	    "failing", info->failing,
	    "verdicts", verdicts)) == -1 ||
	    fputs("}\n", rep->fp) == EOF)
		return -1;
	return 0;
}

/* Free the group table. */
static void
json_free(struct report *rep)
{
	struct json_state *js = rep->state;
	size_t i;

	if (js == NULL)
		return;
	for (i = 0; i < js->ngroups; i++)
		free(js->groups[i].name);
	free(js->groups);
	nametab_free(&js->tab);
	if (js->spill != NULL)
		fclose(js->spill);
	free(js);
	rep->state = NULL;
}

const struct report_ops report_json_ops = {
	.begin = json_begin,
	.test = json_test,
	.end = json_end,
	.free = json_free,
};
