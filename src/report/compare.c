/*
 * compare: two runs side by side.
 *
 * The old run is read into a table of names and statuses (the index of
 * names a comparison cannot do without); the new run is then streamed
 * against it, so the changes come out in the new run's order, followed by
 * the tests only the old run had.  A results directory is read fragment
 * by fragment; a JSON report is loaded whole (jansson has no stream).
 */
#include <sys/stat.h>

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "report/compare.h"
#include "report/summary.h"

/* Between a test's name and a subtest's in a key: names hold no control
 * characters, so a key cannot be confused with another test's name. */
#define SUBTEST_SEP	'\x1f'

struct entry {
	char			*key;
	enum prun_status	 status;
	int			 seen;
};

struct table {
	struct entry	*entries;	/* in the order of the run */
	size_t		 n, size;
	size_t		*index;		/* open addressing, entry + 1 */
	size_t		 index_size;
};

/* What the walk over a side calls for each test and subtest. */
typedef int (*each_fn)(void *ctx, const char *key, enum prun_status);

static const char *const kind_names[COMPARE_NKINDS] = {
	[COMPARE_REGRESSION] = "regression",
	[COMPARE_FIX] = "fix",
	[COMPARE_NEW] = "new",
	[COMPARE_REMOVED] = "removed",
	[COMPARE_CHANGE] = "change",
};

/* The kind of change, with piglit's definitions; -1 for none. */
int
compare_classify(enum prun_status o, enum prun_status n)
{
	int o_run = o != COMPARE_ABSENT && o != PRUN_NOTRUN;
	int n_run = n != COMPARE_ABSENT && n != PRUN_NOTRUN;

	if (o == COMPARE_ABSENT)
		o = PRUN_NOTRUN;
	if (n == COMPARE_ABSENT)
		n = PRUN_NOTRUN;
	if (!o_run && n_run)
		return COMPARE_NEW;
	if (o_run && !n_run)
		return COMPARE_REMOVED;
	if (o == n || (o == PRUN_SKIP && n == PRUN_NOTRUN) ||
	    (o == PRUN_NOTRUN && n == PRUN_SKIP))
		return -1;
	if (o != PRUN_SKIP && n != PRUN_SKIP)
		return n > o ? COMPARE_REGRESSION : COMPARE_FIX;
	return COMPARE_CHANGE;
}

/* The name of a kind. */
const char *
compare_kind_name(enum compare_kind k)
{
	if ((unsigned)k >= COMPARE_NKINDS)
		return "unknown";
	return kind_names[k];
}

/* FNV-1a of a key. */
static uint64_t
hash(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	while (*s != '\0') {
		h ^= (unsigned char)*s++;
		h *= 0x100000001b3ULL;
	}
	return h;
}

/* The index slot of key: holding its entry + 1, or 0 where it would go. */
static size_t *
lookup(const struct table *t, const char *key)
{
	size_t i = hash(key) & (t->index_size - 1);

	while (t->index[i] != 0 &&
	    strcmp(t->entries[t->index[i] - 1].key, key) != 0)
		i = (i + 1) & (t->index_size - 1);
	return &t->index[i];
}

/* Rebuild the index at twice the size. */
static int
grow_index(struct table *t)
{
	size_t i, *old = t->index, oldsize = t->index_size;

	t->index_size = oldsize ? oldsize * 2 : 1024;
	if ((t->index = calloc(t->index_size, sizeof *t->index)) == NULL) {
		t->index = old;
		t->index_size = oldsize;
		return -1;
	}
	for (i = 0; i < t->n; i++)
		*lookup(t, t->entries[i].key) = i + 1;
	free(old);
	return 0;
}

/* Add a test of the old run; a key seen twice keeps its first status. */
static int
table_add(void *ctx, const char *key, enum prun_status status)
{
	struct table *t = ctx;
	struct entry *e;
	size_t *slot;

	if (2 * (t->n + 1) > t->index_size && grow_index(t) == -1)
		return -1;
	if (*(slot = lookup(t, key)) != 0)
		return 0;
	if (t->n == t->size) {
		size_t size = t->size ? 2 * t->size : 1024;

		if ((e = realloc(t->entries, size * sizeof *e)) == NULL)
			return -1;
		t->entries = e;
		t->size = size;
	}
	e = &t->entries[t->n];
	if ((e->key = strdup(key)) == NULL)
		return -1;
	e->status = status;
	e->seen = 0;
	*slot = ++t->n;
	return 0;
}

/* Free a table. */
static void
table_free(struct table *t)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		free(t->entries[i].key);
	free(t->entries);
	free(t->index);
	memset(t, 0, sizeof *t);
}

/* Call each for a test and then for each of its subtests. */
static int
each_test(each_fn each, void *ctx, const char *name, enum prun_status status,
    const char *const *subs, const enum prun_status *substatus, size_t nsubs)
{
	char *key;
	size_t i, len = strlen(name);
	int rc;

	if (each(ctx, name, status) == -1)
		return -1;
	for (i = 0; i < nsubs; i++) {
		if ((key = malloc(len + strlen(subs[i]) + 2)) == NULL)
			return -1;
		memcpy(key, name, len);
		key[len] = SUBTEST_SEP;
		strcpy(key + len + 1, subs[i]);
		rc = each(ctx, key, substatus[i]);
		free(key);
		if (rc == -1)
			return -1;
	}
	return 0;
}

/* Walk the merged results of a results directory. */
static int
walk_dir(const char *path, each_fn each, void *ctx,
    void (*warn)(void *, const char *), void *wctx, struct prun_error *err)
{
	char *dirs[1] = { (char *)path };
	struct summary *sum;
	struct prun_result r;
	const char **subs = NULL;
	enum prun_status *st = NULL;
	size_t i;
	int more, rc = 0;

	if (summary_open(&sum, dirs, 1, warn, wctx, err) == -1)
		return -1;
	while (rc == 0 && (more = summary_next(sum, &r, err)) == 1) {
		subs = calloc(r.nsubtests + 1, sizeof *subs);
		st = calloc(r.nsubtests + 1, sizeof *st);
		for (i = 0; subs != NULL && st != NULL && i < r.nsubtests;
		    i++) {
			subs[i] = r.subtests[i].name;
			st[i] = r.subtests[i].status;
		}
		if (subs == NULL || st == NULL || each_test(each, ctx, r.name,
		    r.status, subs, st, r.nsubtests) == -1)
			rc = prun_error_errno(err, PRUN_EXIT_IO, ENOMEM,
			    "%s", path);
		free(subs);
		free(st);
		result_free(&r);
	}
	summary_close(sum);
	return more == -1 ? -1 : rc;
}

/* A warning about one entry of a JSON report. */
static void
warn_entry(void (*warn)(void *, const char *), void *wctx, const char *path,
    const char *name, const char *why)
{
	char msg[1024];

	if (warn == NULL)
		return;
	snprintf(msg, sizeof msg, "%s: test %s: %s; left out", path, name,
	    why);
	warn(wctx, msg);
}

/* Walk the tests of a JSON report (piglit's results file, or prun's). */
static int
walk_json(const char *path, each_fn each, void *ctx,
    void (*warn)(void *, const char *), void *wctx, struct prun_error *err)
{
	json_error_t jerr;
	json_t *root, *tests, *t, *subs, *v;
	const char *name, *sub, **subnames = NULL;
	enum prun_status status, *substatus = NULL;
	size_t n;
	int rc = 0;

	if ((root = json_load_file(path, JSON_ALLOW_NUL, &jerr)) == NULL)
		return prun_error_set(err, PRUN_EXIT_USAGE, "%s:%d:%d: %s",
		    path, jerr.line, jerr.column, jerr.text);
	tests = json_object_get(root, "tests");
	if (!json_is_object(tests)) {
		json_decref(root);
		return prun_error_set(err, PRUN_EXIT_USAGE, "%s: not a results "
		    "directory or a JSON report (no \"tests\" object)", path);
	}
	json_object_foreach(tests, name, t) {
		v = json_object_get(t, "result");
		if (!json_is_string(v) ||
		    status_parse(json_string_value(v), &status) == -1) {
			warn_entry(warn, wctx, path, name, "no known result");
			continue;
		}
		subs = json_object_get(t, "subtests");
		n = json_is_object(subs) ? json_object_size(subs) : 0;
		subnames = calloc(n + 1, sizeof *subnames);
		substatus = calloc(n + 1, sizeof *substatus);
		if (subnames == NULL || substatus == NULL) {
			rc = prun_error_errno(err, PRUN_EXIT_IO, ENOMEM, "%s",
			    path);
			break;
		}
		n = 0;
		if (json_is_object(subs)) {
			json_object_foreach(subs, sub, v) {
				/* piglit's "__type__": "Subtests" */
				if (strncmp(sub, "__", 2) == 0)
					continue;
				if (!json_is_string(v) ||
				    status_parse(json_string_value(v),
				    &substatus[n]) == -1) {
					warn_entry(warn, wctx, path, name,
					    "a subtest has no known result");
					continue;
				}
				subnames[n++] = sub;
			}
		}
		if (each_test(each, ctx, name, status, subnames, substatus,
		    n) == -1) {
			rc = prun_error_errno(err, PRUN_EXIT_IO, ENOMEM, "%s",
			    path);
			break;
		}
		free(subnames);
		free(substatus);
		subnames = NULL;
		substatus = NULL;
	}
	free(subnames);
	free(substatus);
	json_decref(root);
	return rc;
}

/* Walk a side: a directory is a results directory, anything else JSON. */
static int
walk(const char *path, each_fn each, void *ctx,
    void (*warn)(void *, const char *), void *wctx, struct prun_error *err)
{
	struct stat sb;

	if (stat(path, &sb) == -1)
		return prun_error_errno(err, PRUN_EXIT_USAGE, errno, "%s",
		    path);
	if (S_ISDIR(sb.st_mode))
		return walk_dir(path, each, ctx, warn, wctx, err);
	return walk_json(path, each, ctx, warn, wctx, err);
}

/* Write one changed test: "KIND NAME [SUB]: OLD -> NEW". */
static int
put_change(FILE *fp, enum compare_kind kind, const char *key,
    enum prun_status o, enum prun_status n)
{
	const char *sep = strchr(key, SUBTEST_SEP);
	int len = sep ? (int)(sep - key) : (int)strlen(key);

	if (fprintf(fp, "%-10s %.*s", compare_kind_name(kind), len, key) < 0)
		return -1;
	if (sep != NULL && fprintf(fp, " [%s]", sep + 1) < 0)
		return -1;
	return fprintf(fp, ": %s -> %s\n", o == COMPARE_ABSENT ? "none" :
	    status_name(o), n == COMPARE_ABSENT ? "none" :
	    status_name(n)) < 0 ? -1 : 0;
}

struct stream {
	struct table		*old;
	FILE			*fp;
	struct compare_outcome	*out;
	int			 write_errno;	/* the report failed */
};

/* A test of the new run against the old one. */
static int
stream_new(void *ctx, const char *key, enum prun_status status)
{
	struct stream *st = ctx;
	enum prun_status o = COMPARE_ABSENT;
	size_t *slot;
	int kind;

	st->out->new_tests++;
	st->out->new_subtests += strchr(key, SUBTEST_SEP) != NULL;
	slot = lookup(st->old, key);
	if (*slot != 0) {
		if (st->old->entries[*slot - 1].seen)
			return 0;	/* the same key twice: first wins */
		st->old->entries[*slot - 1].seen = 1;
		o = st->old->entries[*slot - 1].status;
	}
	if ((kind = compare_classify(o, status)) == -1)
		return 0;
	st->out->counts[kind]++;
	if (put_change(st->fp, kind, key, o, status) == -1) {
		st->write_errno = errno ? errno : EIO;
		return -1;
	}
	return 0;
}

/* Compare old and new; see compare.h. */
int
compare_write(const char *old, const char *new, FILE *fp,
    void (*warn)(void *, const char *), void *ctx,
    struct compare_outcome *out, struct prun_error *err)
{
	struct table t;
	struct stream st;
	struct entry *e;
	size_t i;
	int kind, rc = -1;

	memset(out, 0, sizeof *out);
	memset(&t, 0, sizeof t);
	if (grow_index(&t) == -1)
		return prun_error_errno(err, PRUN_EXIT_IO, errno, "compare");
	if (walk(old, table_add, &t, warn, ctx, err) == -1)
		goto done;
	out->old_tests = t.n;
	st.old = &t;
	st.fp = fp;
	st.out = out;
	st.write_errno = 0;
	errno = 0;
	if (walk(new, stream_new, &st, warn, ctx, err) == -1) {
		if (st.write_errno != 0)
			prun_error_errno(err, PRUN_EXIT_IO, st.write_errno,
			    "cannot write the report");
		goto done;
	}
	for (i = 0; i < t.n; i++) {
		e = &t.entries[i];
		out->old_subtests += strchr(e->key, SUBTEST_SEP) != NULL;
		if (e->seen ||
		    (kind = compare_classify(e->status, COMPARE_ABSENT)) == -1)
			continue;
		out->counts[kind]++;
		if (put_change(fp, kind, e->key, e->status,
		    COMPARE_ABSENT) == -1)
			goto write_error;
	}
	if (fprintf(fp, "%s", out->counts[COMPARE_REGRESSION] +
	    out->counts[COMPARE_FIX] + out->counts[COMPARE_NEW] +
	    out->counts[COMPARE_REMOVED] + out->counts[COMPARE_CHANGE] ?
	    "\n" : "") < 0)
		goto write_error;
	for (i = 0; i < COMPARE_NKINDS; i++)
		if (fprintf(fp, "%-10s %8zu\n", compare_kind_name(i),
		    out->counts[i]) < 0)
			goto write_error;
	/* Tests and subtests apart: a 7-test run is not "11 tests". */
	if (fprintf(fp, "%s: %zu tests (%zu subtests) in %s, %zu tests (%zu "
	    "subtests) in %s\n", out->counts[COMPARE_REGRESSION] ?
	    "REGRESSED" : "OK", out->old_tests - out->old_subtests,
	    out->old_subtests, old, out->new_tests - out->new_subtests,
	    out->new_subtests, new) < 0 || fflush(fp) == EOF)
		goto write_error;
	rc = 0;
	goto done;
write_error:
	prun_error_errno(err, PRUN_EXIT_IO, errno, "cannot write the report");
done:
	table_free(&t);
	return rc;
}
