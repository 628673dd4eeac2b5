/*
 * util: the small pieces every layer uses, written once (see util.h).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/util.h"

/* FNV-1a over one more byte string. */
uint64_t
util_hash(uint64_t h, const void *buf, size_t len)
{
	const unsigned char *p = buf;

	while (len-- > 0) {
		h ^= *p++;
		h *= 0x100000001b3ULL;
	}
	return h;
}

uint64_t
util_hash_str(const char *s)
{
	return util_hash(UTIL_HASH_INIT, s, strlen(s));
}

/* Seconds on a clock. */
static double
seconds(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

double
util_now(void)
{
	return seconds(CLOCK_REALTIME);
}

double
util_mono(void)
{
	return seconds(CLOCK_MONOTONIC);
}

size_t
strv_len(char *const *v)
{
	size_t n = 0;

	while (v != NULL && v[n] != NULL)
		n++;
	return n;
}

int
strv_copy(char *const *v, char ***out)
{
	size_t i, n = strv_len(v);
	char **copy;

	*out = NULL;
	if (v == NULL)
		return 0;
	if ((copy = calloc(n + 1, sizeof *copy)) == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		if ((copy[i] = strdup(v[i])) == NULL) {
			strv_free(copy);
			return -1;
		}
	}
	*out = copy;
	return 0;
}

void *
util_grow(void *v, size_t *cap, size_t n, size_t size, size_t first)
{
	size_t c;

	if (n < *cap)
		return v;
	c = *cap ? 2 * *cap : first;
	if (c <= *cap || c > SIZE_MAX / size || (v = realloc(v, c * size)) ==
	    NULL)
		return NULL;
	*cap = c;
	return v;
}

void
strv_free(char **v)
{
	size_t i;

	for (i = 0; v != NULL && v[i] != NULL; i++)
		free(v[i]);
	free(v);
}

void
nametab_init(struct nametab *t, uint64_t (*hash)(const void *, size_t),
    int (*same)(const void *, size_t, const void *), const void *ctx)
{
	memset(t, 0, sizeof *t);
	t->hash = hash;
	t->same = same;
	t->ctx = ctx;
}

size_t
nametab_find(const struct nametab *t, uint64_t h, const void *key)
{
	size_t mask = t->size - 1, i;

	if (t->size == 0)
		return NAMETAB_NONE;
	for (i = (size_t)h & mask; t->slots[i] != 0; i = (i + 1) & mask) {
		if (t->same(t->ctx, t->slots[i] - 1, key))
			return t->slots[i] - 1;
	}
	return NAMETAB_NONE;
}

/* Put id into the first free slot of its chain (slots has room). */
static void
put(size_t *slots, size_t size, uint64_t h, size_t id)
{
	size_t mask = size - 1, i;

	for (i = (size_t)h & mask; slots[i] != 0; i = (i + 1) & mask)
		;
	slots[i] = id + 1;
}

int
nametab_reserve(struct nametab *t, size_t n)
{
	size_t size = t->size ? t->size : 64, i, *slots;

	while (size / 2 < n) {
		if (size > SIZE_MAX / 4 / sizeof *slots)
			return -1;
		size *= 2;
	}
	if (size == t->size)
		return 0;
	if ((slots = calloc(size, sizeof *slots)) == NULL)
		return -1;
	for (i = 0; i < t->size; i++) {
		if (t->slots[i] != 0)
			put(slots, size, t->hash(t->ctx, t->slots[i] - 1),
			    t->slots[i] - 1);
	}
	free(t->slots);
	t->slots = slots;
	t->size = size;
	return 0;
}

int
nametab_add(struct nametab *t, uint64_t h, size_t id)
{
	if (t->n == SIZE_MAX / 2 || nametab_reserve(t, t->n + 1) == -1)
		return -1;
	put(t->slots, t->size, h, id);
	t->n++;
	return 0;
}

void
nametab_free(struct nametab *t)
{
	free(t->slots);
	t->slots = NULL;
	t->size = t->n = 0;
}

/* The names of nametab_init_names: ctx is where the array's pointer is. */
static uint64_t
name_hash(const void *ctx, size_t id)
{
	char *const *const *names = ctx;

	return util_hash_str((*names)[id]);
}

static int
name_same(const void *ctx, size_t id, const void *key)
{
	char *const *const *names = ctx;

	return strcmp((*names)[id], key) == 0;
}

void
nametab_init_names(struct nametab *t, char *const *const *names)
{
	nametab_init(t, name_hash, name_same, names);
}

size_t
nametab_find_name(const struct nametab *t, const char *name)
{
	return nametab_find(t, util_hash_str(name), name);
}

int
nametab_add_name(struct nametab *t, const char *name, size_t id)
{
	return nametab_add(t, util_hash_str(name), id);
}

/* The edit distance of a and b (Levenshtein), for "did you mean". */
static size_t
distance(const char *a, const char *b)
{
	size_t row[64], i, j, diag, up, lb = strlen(b);

	if (strlen(a) >= 64 || lb >= 64)
		return SIZE_MAX;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; a[i - 1] != '\0'; i++) {
		diag = row[0];
		row[0] = i;
		for (j = 1; j <= lb; j++) {
			up = row[j];
			row[j] = diag + (a[i - 1] != b[j - 1]);
			if (up + 1 < row[j])
				row[j] = up + 1;
			if (row[j - 1] + 1 < row[j])
				row[j] = row[j - 1] + 1;
			diag = up;
		}
	}
	return row[lb];
}

const char *
util_closest(const char *s, const char *const *v, size_t n)
{
	const char *best = NULL;
	size_t i, d, bestd = SIZE_MAX, max;

	max = strlen(s) <= 3 ? 1 : 2;
	for (i = 0; i < n; i++)
		if ((d = distance(s, v[i])) < bestd) {
			bestd = d;
			best = v[i];
		}
	return bestd <= max ? best : NULL;
}
