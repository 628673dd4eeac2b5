/*
 * report_html_tree: the groups of the html page.  A test "a/b/c" is in
 * group "b" of group "a"; groups are kept in memory (an index of names
 * within their parent, util.h's nametab) with their items in the order
 * they came, and at the end the tree is walked, each group with its
 * counts and each test copied from the spool, in chunks of CHUNK.
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
int
html_item_add(struct html_state *hs, size_t g, size_t id, int group)
{
	struct item *it;

	if ((it = html_grow(hs->items, &hs->items_size, hs->nitems + 1,
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
size_t
html_group_add(struct html_state *hs, size_t parent, const char *name,
    size_t len)
{
	struct group *g;
	uint32_t *c;
	size_t id = hs->ngroups;

	if ((g = html_grow(hs->groups, &hs->groups_size, id + 1,
	    sizeof *hs->groups)) == NULL)
		return NONE;
	hs->groups = g;
	if ((c = html_grow(hs->gcounts, &hs->gcounts_size, (id + 1) * hs->ncols *
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
	if (parent != NONE && html_item_add(hs, parent, id, 1) == -1)
		return NONE;
	return id;
}

/* The group g[0..glen) of a test name, made when new; NONE on error. */
size_t
html_group_of(struct html_state *hs, const char *name, size_t glen)
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
		    (c = html_group_add(hs, g, k.name, k.len)) == NONE)
			return NONE;
		g = c;
	}
	if ((p = html_grow(hs->cur_name, &hs->cur_size, glen + 1, 1)) == NULL)
		return NONE;
	hs->cur_name = p;
	memcpy(hs->cur_name, name, glen);
	hs->cur_len = glen;
	hs->cur = g;
	return g;
}

/* Count a test in its group g and every group above. */
void
html_count(struct html_state *hs, size_t g, const struct prun_result *const *cells,
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
		if (html_bar(o, counts) == -1)
			return -1;
	}
	if (fprintf(o, "%zu test%s", ntests, ntests == 1 ? "" : "s") < 0)
		return -1;
	c += (hs->ncols - 1) * PRUN_NSTATUS;
	for (s = 0; s < NORDER; s++) {
		if (html_order[s] == PRUN_PASS || c[html_order[s]] == 0)
			continue;
		if (fprintf(o, " &middot; %u %s", (unsigned)c[html_order[s]],
		    status_name(html_order[s])) < 0)
			return -1;
	}
	if ((nreg > 0 && fprintf(o, " &middot; <b class=\"rg\">%zu "
	    "regression%s</b>", nreg, nreg == 1 ? "" : "s") < 0) ||
	    (nfix > 0 && fprintf(o, " &middot; <b class=\"fx\">%zu "
	    "fix%s</b>", nfix, nfix == 1 ? "" : "es") < 0))
		return -1;
	html_fmt_dur(buf, sizeof buf, time);
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
	    html_esc(o, path, path_len) == -1 || fputc('"', o) == EOF)) ||
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
int
html_write_tree(struct report *rep, int open_all)
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
		if ((p = html_grow(stack, &stack_size, depth + 1,
		    sizeof *stack)) == NULL)
			goto done;
		stack = p;
		if ((p = html_grow(path, &path_size, path_len + n + 2, 1)) == NULL)
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
		    html_esc(o, path, path_len) == -1 ||
		    fprintf(o, "\"%s><summary><span class=\"gn\">",
		    open_all ? " open" : "") < 0 || html_escs(o, g->name) == -1 ||
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

/* An empty index of groups (the root is added by the caller). */
void
html_tree_init(struct html_state *hs)
{
	nametab_init(&hs->tab, group_id_hash, group_same, hs);
}
