/*
 * check_util: unit tests of the util module: the hash, string vectors and
 * the name table.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "core/util.h"
#include "unit.h"

/* FNV-1a's published values, and a hash continued equals one in one go. */
START_TEST(hash_values)
{
	static const struct {
		const char	*s;
		uint64_t	 h;
	} cases[] = {
		{ "", 0xcbf29ce484222325ULL },
		{ "a", 0xaf63dc4c8601ec8cULL },
		{ "foobar", 0x85944171f73967e8ULL },
	};
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		ck_assert_uint_eq(util_hash_str(cases[i].s), cases[i].h);
		ck_assert_uint_eq(util_hash(UTIL_HASH_INIT, cases[i].s,
		    strlen(cases[i].s)), cases[i].h);
	}
	ck_assert_uint_eq(util_hash(util_hash(UTIL_HASH_INIT, "foo", 3),
	    "bar", 3), util_hash_str("foobar"));
}
END_TEST

/* Copies are deep, NULL stays NULL, and the length counts strings. */
/* util_grow: room for one more, the capacity doubled from first; a
 * capacity that would overflow is refused with the array kept. */
START_TEST(grow)
{
	size_t *v = NULL, *p, cap = 0, n;

	for (n = 0; n < 100; n++) {
		ck_assert_ptr_nonnull(p = util_grow(v, &cap, n, sizeof *v, 4));
		v = p;
		ck_assert_uint_gt(cap, n);
		v[n] = n;
	}
	ck_assert_uint_eq(cap, 128);
	for (n = 0; n < 100; n++)
		ck_assert_uint_eq(v[n], n);
	/* Room left: the same array. */
	ck_assert_ptr_eq(util_grow(v, &cap, 100, sizeof *v, 4), v);
	n = cap = SIZE_MAX / 2 + 1;
	ck_assert_ptr_null(util_grow(v, &cap, n, 1, 4));
	ck_assert_uint_eq(cap, SIZE_MAX / 2 + 1);
	free(v);
}
END_TEST

START_TEST(strv)
{
	char *v[] = { "a", "", "ccc", NULL }, **c;

	ck_assert_uint_eq(strv_len(NULL), 0);
	ck_assert_uint_eq(strv_len(v), 3);
	ck_assert_int_eq(strv_copy(NULL, &c), 0);
	ck_assert_ptr_null(c);
	ck_assert_int_eq(strv_copy(v, &c), 0);
	ck_assert_uint_eq(strv_len(c), 3);
	ck_assert_ptr_ne(c[0], v[0]);
	ck_assert_str_eq(c[2], "ccc");
	ck_assert_str_eq(c[1], "");
	strv_free(c);
	strv_free(NULL);
}
END_TEST

/* Many names added as the array under them moves: each found by its own
 * name, absent ones not, through every growth of the table. */
START_TEST(names)
{
	enum { N = 5000 };
	char **v = NULL, buf[32];
	struct nametab t;
	size_t i;

	nametab_init_names(&t, (char *const *const *)&v);
	ck_assert_uint_eq(nametab_find_name(&t, "x"), NAMETAB_NONE);
	for (i = 0; i < N; i++) {
		v = realloc(v, (i + 1) * sizeof *v);
		snprintf(buf, sizeof buf, "group/test-%zu", i);
		v[i] = strdup(buf);
		ck_assert_uint_eq(nametab_find_name(&t, buf), NAMETAB_NONE);
		ck_assert_int_eq(nametab_add_name(&t, v[i], i), 0);
		ck_assert_uint_le(2 * t.n, t.size);
	}
	for (i = 0; i < N; i++) {
		snprintf(buf, sizeof buf, "group/test-%zu", i);
		ck_assert_uint_eq(nametab_find_name(&t, buf), i);
	}
	ck_assert_uint_eq(nametab_find_name(&t, "group/test-"), NAMETAB_NONE);
	ck_assert_uint_eq(nametab_find_name(&t, ""), NAMETAB_NONE);
	nametab_free(&t);
	for (i = 0; i < N; i++)
		free(v[i]);
	free(v);
}
END_TEST

/* Keys of another shape: a name within a parent, compared by length. */
struct scoped {
	size_t		 parent;
	const char	*name;
};

static const struct scoped items[] = {
	{ 0, "a" }, { 1, "a" }, { 0, "b" }, { 2, "a" },
};

static uint64_t
scoped_hash(const void *ctx, size_t id)
{
	const struct scoped *s = (const struct scoped *)ctx + id;

	return util_hash(UTIL_HASH_INIT ^ s->parent, s->name,
	    strlen(s->name));
}

static int
scoped_same(const void *ctx, size_t id, const void *key)
{
	const struct scoped *s = (const struct scoped *)ctx + id, *k = key;

	return s->parent == k->parent && strcmp(s->name, k->name) == 0;
}

START_TEST(scoped_keys)
{
	struct nametab t;
	size_t i;

	nametab_init(&t, scoped_hash, scoped_same, items);
	ck_assert_int_eq(nametab_reserve(&t, 1000), 0);
	for (i = 0; i < 4; i++)
		ck_assert_int_eq(nametab_add(&t, scoped_hash(items, i), i), 0);
	for (i = 0; i < 4; i++)
		ck_assert_uint_eq(nametab_find(&t, scoped_hash(items, i),
		    &items[i]), i);
	{
		struct scoped k = { 1, "b" };

		ck_assert_uint_eq(nametab_find(&t, util_hash(UTIL_HASH_INIT ^
		    1, "b", 1), &k), NAMETAB_NONE);
	}
	nametab_free(&t);
}
END_TEST

/* A misspelling finds its word; a word too far from all finds none. */
START_TEST(closest)
{
	static const char *const words[] = { "run", "summary", "list",
	    "output", "timeout" };
	static const struct {
		const char	*s;
		const char	*want;	/* NULL: none */
	} cases[] = {
		{ "lsit", "list" }, { "rum", "run" }, { "sumary", "summary" },
		{ "outptu", "output" }, { "timout", "timeout" },
		{ "list", "list" }, { "xyz", NULL }, { "", NULL },
		{ "completely-different", NULL },
	};
	size_t i;
	const char *got;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		got = util_closest(cases[i].s, words, 5);
		if (cases[i].want == NULL)
			ck_assert_msg(got == NULL, "%s: %s", cases[i].s, got);
		else
			ck_assert_msg(got != NULL && strcmp(got,
			    cases[i].want) == 0, "%s", cases[i].s);
	}
}
END_TEST

/* The clocks move forward and the real one is after 2020. */
START_TEST(clocks)
{
	double m = util_mono();

	ck_assert(util_now() > 1.5e9);
	ck_assert(util_mono() >= m);
}
END_TEST

Suite *
unit_suite(void)
{
	Suite *s = suite_create("util");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, hash_values);
	tcase_add_test(tc, grow);
	tcase_add_test(tc, strv);
	tcase_add_test(tc, names);
	tcase_add_test(tc, scoped_keys);
	tcase_add_test(tc, closest);
	tcase_add_test(tc, clocks);
	suite_add_tcase(s, tc);
	return s;
}
