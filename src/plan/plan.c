/*
 * plan: the tests a run executes, read from test sources and filtered.
 *
 * Three kinds of source append tests: test-list files ("NAME COMMAND..."
 * lines, testlist.c), JSON profiles (profile.c) and directories of
 * executables (dirscan.c); shellwords.c makes a command of a shell string
 * and filter.c keeps the tests -t and -x select.  This file holds the plan
 * itself and what they share (plan_source.h).  The rules all of them keep:
 *
 * 1. A source is appended whole or not at all, so a failed plan_load leaves
 *    the plan as it was.
 * 2. A command without shell syntax runs directly, not under /bin/sh -c, so
 *    a test killed by a signal is seen as a crash (dash does not exec the
 *    last command of -c); a leading "exec" is dropped for the same reason.
 * 3. Every error names where the test came from (file and line, profile
 *    index, or path), and bad input is PRUN_EXIT_USAGE.
 * 4. A directory's order is the byte order of the relative paths, so it does
 *    not depend on the file system or on the locale.
 * 5. A million tests cost what their bytes need: each test is one record
 *    in an arena of big blocks (no malloc of its own), reached through
 *    chunks of PLAN_CHUNK record pointers that never move (no doubling
 *    array copied as it grows).  A record is an 8-byte header (flags, and
 *    the origin "FILE:LINE" as a line and an index into the plan's files,
 *    or an origin that is one of those strings whole, as its index: the
 *    "genresults" of a million tests read back from metadata.json), the
 *    name, then the other strings, and, aligned, the timeout and the
 *    argv and env vectors, which point into the record.  The argv of a
 *    command split at blanks, or run by /bin/sh -c, is not kept twice:
 *    plan_test makes it again as it builds the struct prun_test, in a
 *    ring of PLAN_TEST_KEPT.  A test is never freed alone: one dropped or
 *    replaced stays in the arena until the plan is freed.
 */
#include <sys/stat.h>

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/text.h"
#include "core/util.h"
#include "plan/plan.h"
#include "plan/plan_source.h"

/* Report running out of memory; returns -1. */
int
plan_nomem(struct prun_error *err)
{
	return prun_error_errno(err, PRUN_EXIT_IO, ENOMEM, "loading tests");
}

/* A malloc'd printf; NULL when out of memory. */
char *
plan_xprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;
	int len;

	va_start(ap, fmt);
	len = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (len < 0 || (s = malloc((size_t)len + 1)) == NULL)
		return NULL;
	va_start(ap, fmt);
	vsnprintf(s, (size_t)len + 1, fmt, ap);
	va_end(ap);
	return s;
}

/* dir and rel joined by one slash; NULL when out of memory. */
char *
plan_path_join(const char *dir, const char *rel)
{
	size_t len = strlen(dir);

	if (len > 0 && dir[len - 1] == '/')
		return plan_xprintf("%s%s", dir, rel);
	return plan_xprintf("%s/%s", dir, rel);
}

/* Copy s, which may be NULL; -1 when out of memory. */
int
plan_dup_opt(const char *s, char **out)
{
	*out = NULL;
	if (s != NULL && (*out = strdup(s)) == NULL)
		return -1;
	return 0;
}

/* Append s, owned from now on (NULL, a failed strdup, is an error too). */
int
plan_vec_push(struct plan_vec *vec, char *s)
{
	char **v;
	size_t size;

	if (s == NULL)
		return -1;
	if (vec->n + 2 > vec->size) {
		size = vec->size ? vec->size * 2 : 8;
		if (size > SIZE_MAX / sizeof *v ||
		    (v = realloc(vec->v, size * sizeof *v)) == NULL) {
			free(s);
			return -1;
		}
		vec->v = v;
		vec->size = size;
	}
	vec->v[vec->n++] = s;
	vec->v[vec->n] = NULL;
	return 0;
}

/* Hand the vector over (NULL when empty), leaving vec empty. */
char **
plan_vec_transfer(struct plan_vec *vec)
{
	char **v = vec->v;

	memset(vec, 0, sizeof *vec);
	return v;
}

/* Free the strings and the vector. */
void
plan_vec_clear(struct plan_vec *vec)
{
	strv_free(plan_vec_transfer(vec));
}

/* Free what a test owns and zero it. */
void
plan_test_clear(struct prun_test *t)
{
	free(t->name);
	free(t->command);
	strv_free(t->argv);
	strv_free(t->env);
	free(t->cwd);
	free(t->origin);
	memset(t, 0, sizeof *t);
}

/* Records a chunk points to, and bytes an arena block holds at least. */
#define PLAN_CHUNK	4096
#define PLAN_BLOCK	(256u << 10)

/* A record's header: its flags, and where it came from. */
#define REC_COMMAND	0x01u	/* a command string follows the name */
#define REC_ENV		0x02u	/* an env vector follows argv */
#define REC_CWD		0x04u	/* a cwd string follows */
#define REC_ORIGIN	0x08u	/* an origin string follows */
#define REC_LINE	0x10u	/* the origin is FILE:LINE from the header */
#define REC_TIMEOUT	0x20u	/* a timeout follows the strings */
#define REC_EXCLUSIVE	0x40u
#define REC_SPLIT	0x80u	/* argv is the command split at blanks */
#define REC_SH		0x100u	/* argv is /bin/sh -c COMMAND */
#define REC_NAMED	0x200u	/* the origin is a string of the header's
				 * index, whole (no line) */
#define REC_FLAGS(h)	((unsigned)((h) & 0x3ff))
#define REC_SOURCE(h)	((size_t)(((h) >> 10) & 0xffff))
#define REC_LINENO(h)	((unsigned long)((h) >> 32))
#define SOURCES_MAX	0xffff

/* A block of the arena: the blocks are a list, the newest first. */
struct plan_block {
	struct plan_block	*next;
	size_t			 used, size;
	_Alignas(max_align_t) char data[];
};

/* The longest command, and the most words, whose argv a record leaves
 * to be split again (a longer one keeps its argv). */
#define SPLIT_BYTES	1024
#define SPLIT_WORDS	64

/* What plan_test returns: the last PLAN_TEST_KEPT tests it built. */
struct plan_ring {
	atomic_uint	next;
	struct {
		struct prun_test	t;
		char			origin[PATH_MAX + 24];
		char			words[SPLIT_BYTES + 1];
		char			*argv[SPLIT_WORDS + 1];
	}		e[PLAN_TEST_KEPT];
};

/* argv[0] and argv[1] of a command run by the shell (never written). */
static char sh_path[] = "/bin/sh", sh_c[] = "-c";

/*
 * Split cmd at blanks into buf (at least SPLIT_BYTES + 1 bytes) and vec
 * (SPLIT_WORDS + 1), dropping a leading "exec" that other words follow,
 * as shellwords.c does to a command without shell syntax: the number of
 * words, or 0 when cmd is empty or does not fit.
 */
static size_t
split_blank(const char *cmd, char *buf, char **vec)
{
	const char *p = cmd;
	size_t n = 0, len;

	if (strlen(cmd) > SPLIT_BYTES)
		return 0;
	for (;; p += len) {
		p += strspn(p, " \t");
		if ((len = strcspn(p, " \t")) == 0)
			break;
		if (n == SPLIT_WORDS)
			return 0;
		memcpy(buf, p, len);
		buf[len] = '\0';
		vec[n++] = buf;
		buf += len + 1;
	}
	vec[n] = NULL;
	if (n > 1 && strcmp(vec[0], "exec") == 0) {
		memmove(vec, vec + 1, n * sizeof *vec);
		n--;
	}
	return n;
}

/* How t's argv can be made again from its command, without keeping it:
 * REC_SPLIT, REC_SH, or 0 (the record keeps argv). */
static unsigned
argv_from_command(const struct prun_test *t)
{
	char buf[SPLIT_BYTES + 1], *vec[SPLIT_WORDS + 1];
	size_t i, n;

	if (t->command == NULL)
		return 0;
	if ((n = split_blank(t->command, buf, vec)) > 0) {
		for (i = 0; i < n && t->argv[i] != NULL; i++)
			if (strcmp(vec[i], t->argv[i]) != 0)
				break;
		if (i == n && t->argv[n] == NULL)
			return REC_SPLIT;
	}
	if (t->argv[0] != NULL && strcmp(t->argv[0], sh_path) == 0 &&
	    t->argv[1] != NULL && strcmp(t->argv[1], sh_c) == 0 &&
	    t->argv[2] != NULL && strcmp(t->argv[2], t->command) == 0 &&
	    t->argv[3] == NULL)
		return REC_SH;
	return 0;
}

/* size bytes of the arena, aligned for a pointer and a double; NULL when
 * out of memory. */
static void *
arena_alloc(struct prun_plan *plan, size_t size)
{
	struct plan_block *b = plan->arena;
	size_t off, bsize;

	size = (size + 7) & ~(size_t)7;
	if (b != NULL) {
		off = b->used;
		if (b->size - off >= size) {
			b->used = off + size;
			return b->data + off;
		}
	}
	bsize = size > PLAN_BLOCK / 4 ? size : PLAN_BLOCK - sizeof *b;
	if (bsize > SIZE_MAX - sizeof *b ||
	    (b = malloc(sizeof *b + bsize)) == NULL)
		return NULL;
	b->size = bsize;
	b->used = size;
	/* A block made for one big record goes behind the current one,
	 * whose room stays for the small ones. */
	if (size > PLAN_BLOCK / 4 && plan->arena != NULL) {
		b->next = plan->arena->next;
		plan->arena->next = b;
	} else {
		b->next = plan->arena;
		plan->arena = b;
	}
	return b->data;
}

/* The length of a NULL-terminated vector and the bytes of its strings. */
static size_t
vec_len(char *const *v, size_t *bytes)
{
	size_t n;

	for (n = 0; v != NULL && v[n] != NULL; n++)
		*bytes += strlen(v[n]) + 1;
	return n;
}

/* Copy s to *p, which moves past it; the copy. */
static char *
put_str(char **p, const char *s)
{
	char *d = *p;
	size_t len = strlen(s) + 1;

	memcpy(d, s, len);
	*p += len;
	return d;
}

/* Copy the n strings of v to *p (moving past them), pointed to by vec. */
static void
put_vec(char **vec, char *const *v, size_t n, char **p)
{
	size_t i;

	for (i = 0; i < n; i++)
		vec[i] = put_str(p, v[i]);
	vec[n] = NULL;
}

/* The record of test i. */
static char *
rec_of(const struct prun_plan *plan, size_t i)
{
	return plan->chunks[i / PLAN_CHUNK][i % PLAN_CHUNK];
}

/* Whether origin is FILE:LINE (LINE as %lu writes it, below 2^32), with
 * its file interned in the plan's table: the header holds it then. */
static int
origin_line(struct prun_plan *plan, const char *origin, uint64_t *h)
{
	const char *colon, *d;
	unsigned long line;
	size_t i, flen;
	char **v;

	if (origin == NULL || (colon = strrchr(origin, ':')) == NULL ||
	    colon[1] < '1' || colon[1] > '9' || strlen(colon + 1) > 9)
		return 0;
	for (d = colon + 1, line = 0; *d != '\0'; d++) {
		if (*d < '0' || *d > '9')
			return 0;
		line = line * 10 + (unsigned long)(*d - '0');
	}
	flen = (size_t)(colon - origin);
	if (flen + 16 > PATH_MAX)
		return 0;
	/* Most tests come from the file of the test before them. */
	for (i = plan->nsources; i-- > 0;)
		if (strncmp(plan->sources[i], origin, flen) == 0 &&
		    plan->sources[i][flen] == '\0')
			break;
	if (i == (size_t)-1) {
		if (plan->nsources == SOURCES_MAX || (v = realloc(plan->sources,
		    (plan->nsources + 1) * sizeof *v)) == NULL)
			return 0;
		plan->sources = v;
		if ((v[plan->nsources] = strndup(origin, flen)) == NULL)
			return 0;
		i = plan->nsources++;
	}
	*h |= REC_LINE | (uint64_t)i << 10 | (uint64_t)line << 32;
	return 1;
}

/* The origin string a record holds (REC_ORIGIN), or NULL. */
static const char *
rec_origin(const char *rec)
{
	const char *p = rec + 8;
	uint64_t h;

	memcpy(&h, rec, sizeof h);
	if (!(REC_FLAGS(h) & REC_ORIGIN))
		return NULL;
	p += strlen(p) + 1;
	if (REC_FLAGS(h) & REC_COMMAND)
		p += strlen(p) + 1;
	if (REC_FLAGS(h) & REC_CWD)
		p += strlen(p) + 1;
	return p;
}

/*
 * Whether origin (not FILE:LINE) is a string of the plan's table whole,
 * or becomes one as the origin of test i - 1 too: the header holds its
 * index then, so that a million tests of one origin do not hold it a
 * million times.  An origin seen once is not interned: a profile's or a
 * directory's differ from test to test.
 */
static int
origin_named(struct prun_plan *plan, size_t i, const char *origin,
    uint64_t *h)
{
	const char *prev;
	size_t k;
	char **v;

	for (k = plan->nsources; k-- > 0;)
		if (strcmp(plan->sources[k], origin) == 0)
			break;
	if (k == (size_t)-1) {
		if (i == 0 || (prev = rec_origin(rec_of(plan, i - 1))) ==
		    NULL || strcmp(prev, origin) != 0)
			return 0;
		if (plan->nsources == SOURCES_MAX || (v = realloc(plan->sources,
		    (plan->nsources + 1) * sizeof *v)) == NULL)
			return 0;
		plan->sources = v;
		if ((v[plan->nsources] = strdup(origin)) == NULL)
			return 0;
		k = plan->nsources++;
	}
	*h |= REC_NAMED | (uint64_t)k << 10;
	return 1;
}

/* t as record i in the plan's arena; NULL when out of memory. */
static char *
rec_make(struct prun_plan *plan, size_t i, const struct prun_test *t)
{
	uint64_t h = 0;
	size_t strs = 0, words = 0, nargv, nenv, nvec, size, pad;
	char *rec, *p, **vec;

	if (t->command != NULL)
		h |= REC_COMMAND;
	if (t->env != NULL)
		h |= REC_ENV;
	if (t->cwd != NULL)
		h |= REC_CWD;
	if (t->timeout != 0)
		h |= REC_TIMEOUT;
	if (t->exclusive)
		h |= REC_EXCLUSIVE;
	if (t->origin != NULL && !origin_line(plan, t->origin, &h) &&
	    !origin_named(plan, i, t->origin, &h))
		h |= REC_ORIGIN;
	/* A plain command's argv is its words again: not kept twice. */
	h |= argv_from_command(t);
	strs = strlen(t->name) + 1;
	strs += t->command ? strlen(t->command) + 1 : 0;
	strs += t->cwd ? strlen(t->cwd) + 1 : 0;
	strs += h & REC_ORIGIN ? strlen(t->origin) + 1 : 0;
	nargv = h & (REC_SPLIT | REC_SH) ? 0 : vec_len(t->argv, &words);
	nenv = vec_len(t->env, &words);
	pad = (8 - (8 + strs) % 8) % 8;
	nvec = (h & (REC_SPLIT | REC_SH) ? 0 : nargv + 1) +
	    (t->env ? nenv + 1 : 0);
	size = 8 + strs + pad + (h & REC_TIMEOUT ? 8 : 0) +
	    nvec * sizeof(char *) + words;
	if ((rec = arena_alloc(plan, size)) == NULL)
		return NULL;
	memcpy(rec, &h, sizeof h);
	p = rec + 8;
	put_str(&p, t->name);
	if (t->command != NULL)
		put_str(&p, t->command);
	if (t->cwd != NULL)
		put_str(&p, t->cwd);
	if (h & REC_ORIGIN)
		put_str(&p, t->origin);
	memset(p, 0, pad);
	p += pad;
	if (h & REC_TIMEOUT) {
		memcpy(p, &t->timeout, sizeof t->timeout);
		p += 8;
	}
	vec = (char **)(void *)p;
	p += nvec * sizeof(char *);
	if (!(h & (REC_SPLIT | REC_SH))) {
		put_vec(vec, t->argv, nargv, &p);
		vec += nargv + 1;
	}
	if (t->env != NULL)
		put_vec(vec, t->env, nenv, &p);
	return rec;
}

/* The name of test i, without building the test. */
const char *
plan_name(const struct prun_plan *plan, size_t i)
{
	return rec_of(plan, i) + 8;
}

/* Whether test i runs alone, without building the test. */
int
plan_exclusive(const struct prun_plan *plan, size_t i)
{
	uint64_t h;

	memcpy(&h, rec_of(plan, i), sizeof h);
	return (REC_FLAGS(h) & REC_EXCLUSIVE) != 0;
}

/* Copy s into buf for a message: control characters and bytes that are not
 * valid UTF-8 become \xNN, and a long name is cut with "...". */
const char *
plan_shown(const char *s, char *buf, size_t size)
{
	size_t i, o, len, seq;
	unsigned char c;
	int bad;

	len = strlen(s);
	for (i = o = 0; i < len; i += seq) {
		c = (unsigned char)s[i];
		seq = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
		if (o + 8 > size) {
			snprintf(buf + o, size - o, "...");
			return buf;
		}
		if (c < 0x20 || c == 0x7f)
			bad = 1;
		else if (c < 0x80)
			bad = 0;
		else {
			/* C1 controls, U+0080..U+009F, are C2 80..C2 9F. */
			bad = i + seq > len || !text_utf8_valid(s + i, seq) ||
			    (c == 0xc2 && (unsigned char)s[i + 1] < 0xa0);
		}
		if (bad) {
			o += snprintf(buf + o, size - o, "\\x%02x", c);
			seq = 1;
		} else {
			memcpy(buf + o, s + i, seq);
			o += seq;
		}
	}
	buf[o] = '\0';
	return buf;
}

/* Why name is not a valid test name, or NULL when it is. */
static const char *
name_problem(const char *name)
{
	if (name == NULL || *name == '\0')
		return "the name is empty";
	if (text_valid_name(name))
		return NULL;
	if (!text_utf8_valid(name, strlen(name)))
		return "not valid UTF-8";
	return "contains a control character";
}

/* Fill err if name is not a valid test name; where says where it is from. */
int
plan_name_check(const char *name, const char *where, struct prun_error *err)
{
	char buf[NAME_SHOWN];
	const char *problem;

	if ((problem = name_problem(name)) == NULL)
		return 0;
	return prun_error_set(err, PRUN_EXIT_USAGE,
	    "%s: invalid test name '%s': %s", where,
	    plan_shown(name ? name : "", buf, sizeof buf), problem);
}

/* plan_name_check for the names of a new run: also no empty group or case
 * name ("a/", "a//b", "/x"); a results directory holding one still
 * resumes, since metadata is checked by plan_name_check alone. */
int
plan_new_name_check(const char *name, const char *where,
    struct prun_error *err)
{
	char buf[NAME_SHOWN];

	if (plan_name_check(name, where, err) == -1)
		return -1;
	if (name[0] != '/' && name[strlen(name) - 1] != '/' &&
	    strstr(name, "//") == NULL)
		return 0;
	return prun_error_set(err, PRUN_EXIT_USAGE, "%s: invalid test name "
	    "'%s': an empty group or case name (a '/' at the start or the "
	    "end, or '//')", where, plan_shown(name, buf, sizeof buf));
}

size_t
plan_size(const struct prun_plan *plan)
{
	return plan->n;
}

/* Test i built from its record into the next place of the ring. */
const struct prun_test *
plan_test(const struct prun_plan *plan, size_t i)
{
	struct plan_ring *ring = plan->ring;
	struct prun_test *t;
	const char *rec = rec_of(plan, i);
	char *p, **vec;
	unsigned k;
	uint64_t h;

	k = atomic_fetch_add(&ring->next, 1) % PLAN_TEST_KEPT;
	t = &ring->e[k].t;
	memcpy(&h, rec, sizeof h);
	memset(t, 0, sizeof *t);
	p = (char *)rec + 8;
	t->name = p;
	p += strlen(p) + 1;
	if (REC_FLAGS(h) & REC_COMMAND) {
		t->command = p;
		p += strlen(p) + 1;
	}
	if (REC_FLAGS(h) & REC_CWD) {
		t->cwd = p;
		p += strlen(p) + 1;
	}
	if (REC_FLAGS(h) & REC_ORIGIN) {
		t->origin = p;
		p += strlen(p) + 1;
	} else if (REC_FLAGS(h) & REC_LINE) {
		snprintf(ring->e[k].origin, sizeof ring->e[k].origin, "%s:%lu",
		    plan->sources[REC_SOURCE(h)], REC_LINENO(h));
		t->origin = ring->e[k].origin;
	} else if (REC_FLAGS(h) & REC_NAMED)
		t->origin = plan->sources[REC_SOURCE(h)];
	p += (8 - (size_t)(p - rec) % 8) % 8;
	if (REC_FLAGS(h) & REC_TIMEOUT) {
		memcpy(&t->timeout, p, sizeof t->timeout);
		p += 8;
	}
	t->exclusive = (REC_FLAGS(h) & REC_EXCLUSIVE) != 0;
	vec = (char **)(void *)p;
	if (REC_FLAGS(h) & REC_SPLIT) {
		split_blank(t->command, ring->e[k].words, ring->e[k].argv);
		t->argv = ring->e[k].argv;
	} else if (REC_FLAGS(h) & REC_SH) {
		ring->e[k].argv[0] = sh_path;
		ring->e[k].argv[1] = sh_c;
		ring->e[k].argv[2] = t->command;
		ring->e[k].argv[3] = NULL;
		t->argv = ring->e[k].argv;
	} else {
		t->argv = vec;
		while (*vec != NULL)
			vec++;
		vec++;
	}
	if (REC_FLAGS(h) & REC_ENV)
		t->env = vec;
	return t;
}

/* Keep a copy of t beyond plan_test's ring. */
int
plan_test_keep(struct prun_test *dst, const struct prun_test *t)
{
	*dst = *t;
	dst->argv = NULL;
	dst->origin = NULL;
	if (strv_copy(t->argv, &dst->argv) == -1 ||
	    plan_dup_opt(t->origin, &dst->origin) == -1) {
		plan_test_drop(dst);
		return -1;
	}
	return 0;
}

/* Free what plan_test_keep copied. */
void
plan_test_drop(struct prun_test *t)
{
	strv_free(t->argv);
	free(t->origin);
	memset(t, 0, sizeof *t);
}

/* Make test src test dst. */
void
plan_move(struct prun_plan *plan, size_t dst, size_t src)
{
	plan->chunks[dst / PLAN_CHUNK][dst % PLAN_CHUNK] = rec_of(plan, src);
}

/* Keep the first n tests; chunks past them are freed. */
void
plan_keep(struct prun_plan *plan, size_t n)
{
	size_t need = (n + PLAN_CHUNK - 1) / PLAN_CHUNK;

	while (plan->nchunks > need)
		free(plan->chunks[--plan->nchunks]);
	plan->n = n;
}

/* Room for one more test at the end. */
static int
plan_grow(struct prun_plan *plan, struct prun_error *err)
{
	char ***chunks;

	if (plan->ring == NULL &&
	    (plan->ring = calloc(1, sizeof *plan->ring)) == NULL)
		return plan_nomem(err);
	if (plan->n < plan->nchunks * PLAN_CHUNK)
		return 0;
	/* The table of chunks is small: a million tests, 245. */
	if ((chunks = realloc(plan->chunks, (plan->nchunks + 1) *
	    sizeof *chunks)) == NULL)
		return plan_nomem(err);
	plan->chunks = chunks;
	if ((chunks[plan->nchunks] = malloc(PLAN_CHUNK * sizeof **chunks)) ==
	    NULL)
		return plan_nomem(err);
	plan->nchunks++;
	return 0;
}

/* Replace test i with a copy of t. */
int
plan_replace(struct prun_plan *plan, size_t i, const struct prun_test *t,
    struct prun_error *err)
{
	char *rec;

	if ((rec = rec_make(plan, i, t)) == NULL)
		return plan_nomem(err);
	plan->chunks[i / PLAN_CHUNK][i % PLAN_CHUNK] = rec;
	return 0;
}

/* Append a copy of t as a record. */
int
plan_append(struct prun_plan *plan, const struct prun_test *t,
    struct prun_error *err)
{
	if (plan_grow(plan, err) == -1 ||
	    plan_replace(plan, plan->n, t, err) == -1)
		return -1;
	plan->n++;
	return 0;
}

/* Append t: copied into a record, and what t held freed. */
int
plan_take(struct prun_plan *plan, struct prun_test *t, struct prun_error *err)
{
	int rc;

	rc = plan_append(plan, t, err);
	plan_test_clear(t);
	return rc;
}

/* Move every test of src to the end of dst, all or none. */
int
plan_transfer(struct prun_plan *dst, struct prun_plan *src,
    struct prun_error *err)
{
	size_t i, n = dst->n;

	if (src->n == 0)
		return 0;
	if (dst->n == 0) {
		/* The usual case, one source: moved, not copied, so a
		 * million tests are never held twice. */
		plan_free(dst);
		*dst = *src;
		plan_init(src);
		return 0;
	}
	/* Copied: a record's origin is an index into its own plan's
	 * files. */
	for (i = 0; i < src->n; i++)
		if (plan_append(dst, plan_test(src, i), err) == -1) {
			plan_keep(dst, n);
			return -1;
		}
	plan_free(src);
	return 0;
}

/* Start an empty plan. */
void
plan_init(struct prun_plan *plan)
{
	memset(plan, 0, sizeof *plan);
}

/* Free the records, their chunks, the arena and the files. */
void
plan_free(struct prun_plan *plan)
{
	struct plan_block *b, *next;

	plan_keep(plan, 0);
	free(plan->chunks);
	for (b = plan->arena; b != NULL; b = next) {
		next = b->next;
		free(b);
	}
	while (plan->nsources > 0)
		free(plan->sources[--plan->nsources]);
	free(plan->sources);
	free(plan->ring);
	plan_init(plan);
}

/* Append the tests of one source: a directory, a profile or a list. */
int
plan_load(struct prun_plan *plan, const char *path, struct prun_error *err)
{
	struct prun_plan tmp;
	struct stat st;
	size_t len = strlen(path);
	int rv;

	if (stat(path, &st) == -1)
		return prun_error_errno(err, PRUN_EXIT_USAGE, errno, "%s",
		    path);
	plan_init(&tmp);
	if (S_ISDIR(st.st_mode))
		rv = plan_load_dir(&tmp, path, err);
	else if (len > 5 && strcmp(path + len - 5, ".json") == 0)
		rv = plan_load_profile(&tmp, path, err);
	else
		rv = plan_load_list(&tmp, path, err);
	if (rv == 0)
		rv = plan_transfer(plan, &tmp, err);
	plan_free(&tmp);
	return rv;
}

/* Run every test through a launcher: its argv becomes wrapper + argv, and
 * its shell string is dropped so that the plan shows what is executed.
 * Each test gets a new record (the old ones stay in the arena unused). */
int
plan_wrap(struct prun_plan *plan, char *const *wrapper,
    struct prun_error *err)
{
	struct prun_test t;
	char **argv;
	size_t i, j, nw, na;
	int rc;

	for (nw = 0; wrapper != NULL && wrapper[nw] != NULL; nw++)
		;
	if (nw == 0)
		return 0;
	for (i = 0; i < plan->n; i++) {
		t = *plan_test(plan, i);
		for (na = 0; t.argv[na] != NULL; na++)
			;
		if ((argv = calloc(nw + na + 1, sizeof *argv)) == NULL)
			return plan_nomem(err);
		for (j = 0; j < nw + na; j++)
			argv[j] = j < nw ? wrapper[j] : t.argv[j - nw];
		t.argv = argv;
		t.command = NULL;
		rc = plan_replace(plan, i, &t, err);
		free(argv);
		if (rc == -1)
			return -1;
	}
	return 0;
}

/* Where test i came from, for messages: into buf. */
static const char *
origin_of(const struct prun_plan *plan, size_t i, char *buf, size_t size)
{
	const char *o = plan_test(plan, i)->origin;

	if (o != NULL)
		snprintf(buf, size, "%s", o);
	else
		snprintf(buf, size, "test %zu", i);
	return buf;
}

/* Refuse invalid or duplicate names, naming the origins. */
int
plan_check(const struct prun_plan *plan, struct prun_error *err)
{
	char buf[NAME_SHOWN], o1[PATH_MAX + 32], o2[PATH_MAX + 32];
	size_t i, j, size, dup = SIZE_MAX, first = 0;
	const char *name;
	uint32_t *seen, mask, tag;
	uint64_t h;
	int bits;

	for (i = 0; i < plan->n; i++) {
		if (text_valid_name(plan_name(plan, i)))
			continue;
		if (plan_name_check(plan_name(plan, i), origin_of(plan, i, o1,
		    sizeof o1), err) == -1)
			return -1;
	}
	if (plan->n < 2)
		return 0;
	/* The names seen, as indexes of 4 bytes in a table at most half
	 * full (a million tests, 8 MB at the peak of a resume), looked up
	 * in the plan's order: the first name found again is the duplicate
	 * that comes first, and the one it finds is the test before it of
	 * that name.  The bits above an index hold bits of its name's hash,
	 * so that most slots of other names are passed without reading
	 * their names. */
	for (size = 2; size < 2 * plan->n; size *= 2)
		;
	for (bits = 1; bits < 32 && ((size_t)1 << bits) <= plan->n; bits++)
		;
	mask = bits == 32 ? UINT32_MAX : ((uint32_t)1 << bits) - 1;
	if (plan->n >= UINT32_MAX || size > SIZE_MAX / sizeof *seen ||
	    (seen = malloc(size * sizeof *seen)) == NULL)
		return plan_nomem(err);
	/* No index is all ones: n < 2^bits. */
	memset(seen, 0xff, size * sizeof *seen);
	for (i = 0; i < plan->n && dup == SIZE_MAX; i++) {
		name = plan_name(plan, i);
		h = util_hash_str(name);
		tag = (uint32_t)(h >> 32) & ~mask;
		for (j = h & (size - 1); seen[j] != UINT32_MAX;
		    j = (j + 1) & (size - 1)) {
			if ((seen[j] & ~mask) == tag && strcmp(plan_name(plan,
			    seen[j] & mask), name) == 0) {
				dup = i;
				first = seen[j] & mask;
				break;
			}
		}
		seen[j] = tag | (uint32_t)i;
	}
	free(seen);
	if (dup == SIZE_MAX)
		return 0;
	return prun_error_set(err, PRUN_EXIT_USAGE,
	    "%s: duplicate test name '%s' (first at %s)",
	    origin_of(plan, dup, o2, sizeof o2),
	    plan_shown(plan_name(plan, dup), buf, sizeof buf),
	    origin_of(plan, first, o1, sizeof o1));
}
