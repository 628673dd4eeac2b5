/*
 * check_plan: unit tests of the plan module (test lists, profiles,
 * directories, commands, filters and name checks).
 *
 * Fixtures are written below a directory of the test's own (fixture_dir,
 * made on first use), which check_main.c removes at the end.
 */
#include <sys/stat.h>

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <check.h>

#include "fixture.h"
#include "core/error.h"
#include "plan/plan.h"
#include "plan/plan_source.h"
#include "unit.h"

/* This test's fixture directory. */
static char *tmpdir;

/* The path of rel below the fixture directory, in a static buffer. */
static const char *
plan_path(const char *rel)
{
	static char path[PATH_MAX];

	if (tmpdir == NULL)
		tmpdir = fixture_dir();
	snprintf(path, sizeof path, "%s/%s", tmpdir, rel);
	return path;
}

/* Create the directories leading to path. */
static void
make_parents(const char *path)
{
	char buf[PATH_MAX], *p;

	snprintf(buf, sizeof buf, "%s", path);
	for (p = buf + strlen(tmpdir) + 1; (p = strchr(p, '/')) != NULL; p++) {
		*p = '\0';
		ck_assert_msg(mkdir(buf, 0755) == 0 || errno == EEXIST,
		    "mkdir %s: %s", buf, strerror(errno));
		*p = '/';
	}
}

/* Write a fixture file with the given mode; returns its path. */
static const char *
fixture(const char *rel, const char *content, mode_t mode)
{
	const char *path = plan_path(rel);
	FILE *fp;

	make_parents(path);
	ck_assert_ptr_nonnull(fp = fopen(path, "w"));
	ck_assert_int_eq(fputs(content, fp) >= 0, 1);
	ck_assert_int_eq(fclose(fp), 0);
	ck_assert_int_eq(chmod(path, mode), 0);
	return path;
}

/* Assert a test's name, cwd, timeout, exclusive flag and origin. */
static void
assert_settings(const struct prun_test *t, const char *name,
    const char *cwd, double timeout, int exclusive, const char *origin)
{
	ck_assert_str_eq(t->name, name);
	ck_assert_str_eq(t->cwd, cwd);
	ck_assert(t->timeout == timeout);
	ck_assert_int_eq(t->exclusive, exclusive);
	ck_assert_str_eq(t->origin, origin);
}

/* Load path into a fresh plan, expecting success. */
static void
load_ok(struct prun_plan *plan, const char *path)
{
	struct prun_error err;

	plan_init(plan);
	memset(&err, 0, sizeof err);
	ck_assert_msg(plan_load(plan, path, &err) == 0, "%s", err.msg);
}

/* Load path expecting a usage error; returns the message. */
static const char *
load_fails(const char *path)
{
	static struct prun_error err;
	struct prun_plan plan;

	plan_init(&plan);
	memset(&err, 0, sizeof err);
	ck_assert_int_eq(plan_load(&plan, path, &err), -1);
	ck_assert_int_eq(err.code, PRUN_EXIT_USAGE);
	ck_assert_uint_eq(plan.n, 0);
	plan_free(&plan);
	return err.msg;
}

/* A message built with printf, in a static buffer. */
static const char * __attribute__((format(printf, 1, 2)))
fmt(const char *f, ...)
{
	static char buf[4096];
	va_list ap;

	va_start(ap, f);
	vsnprintf(buf, sizeof buf, f, ap);
	va_end(ap);
	return buf;
}

/* Assert that argv is exactly the NULL-terminated list given. */
static void
assert_argv(char **argv, ...)
{
	const char *want;
	va_list ap;
	size_t i = 0;

	ck_assert_ptr_nonnull(argv);
	va_start(ap, argv);
	while ((want = va_arg(ap, const char *)) != NULL) {
		ck_assert_ptr_nonnull(argv[i]);
		ck_assert_str_eq(argv[i], want);
		i++;
	}
	va_end(ap);
	ck_assert_ptr_null(argv[i]);
}

/* Comments, blank lines, indentation, tabs and CRLF are all handled. */
START_TEST(list_basic)
{
	struct prun_plan plan;
	struct prun_error err;
	const char *path;

	path = fixture("basic.list",
	    "# a comment\n"
	    "\n"
	    "   \t\n"
	    "  # indented comment\n"
	    "a ./bin/a --x=1\n"
	    "\tb\t\techo   $HOME  \n"
	    "c ./c arg\r\n"
	    "gpu/shaders/basic   exec ./basic -v\n", 0644);
	load_ok(&plan, path);
	ck_assert_uint_eq(plan.n, 4);

	ck_assert_str_eq((*plan_test(&plan, 0)).name, "a");
	ck_assert_str_eq((*plan_test(&plan, 0)).command, "./bin/a --x=1");
	assert_argv((*plan_test(&plan, 0)).argv, "./bin/a", "--x=1", NULL);
	ck_assert_str_eq((*plan_test(&plan, 0)).origin, fmt("%s:5", path));
	ck_assert_ptr_null((*plan_test(&plan, 0)).env);
	ck_assert_ptr_null((*plan_test(&plan, 0)).cwd);
	ck_assert((*plan_test(&plan, 0)).timeout == 0);
	ck_assert_int_eq((*plan_test(&plan, 0)).exclusive, 0);

	ck_assert_str_eq((*plan_test(&plan, 1)).name, "b");
	ck_assert_str_eq((*plan_test(&plan, 1)).command, "echo   $HOME");
	assert_argv((*plan_test(&plan, 1)).argv, "/bin/sh", "-c", "echo   $HOME",
	    NULL);
	ck_assert_str_eq((*plan_test(&plan, 1)).origin, fmt("%s:6", path));

	ck_assert_str_eq((*plan_test(&plan, 2)).name, "c");
	assert_argv((*plan_test(&plan, 2)).argv, "./c", "arg", NULL);

	ck_assert_str_eq((*plan_test(&plan, 3)).name, "gpu/shaders/basic");
	ck_assert_str_eq((*plan_test(&plan, 3)).command, "exec ./basic -v");
	assert_argv((*plan_test(&plan, 3)).argv, "./basic", "-v", NULL);
	ck_assert_str_eq((*plan_test(&plan, 3)).origin, fmt("%s:8", path));

	ck_assert_int_eq(plan_check(&plan, &err), 0);
	plan_free(&plan);
	ck_assert_uint_eq(plan.n, 0);
	ck_assert_ptr_null(plan.chunks);
}
END_TEST

/*
 * Files that do not load: content, written to bad.json when it starts
 * like JSON (with '{' or '['), else to bad.list, and the message: the
 * file's path followed by msg.
 */
static const struct {
	const char	*content, *msg;
} bad_files[] = {
	/* A name without a command names the file and its line. */
	{ "ok true\nlonely   \nlater true\n",
	  ":2: test 'lonely' has no command" },
	/* A name that is not valid UTF-8 is refused where it is read. */
	{ "good true\n# \xff comment is fine\ncaf\xc3\xa9 true\n"
	    "bad\xff\xfe true\n",
	  ":4: invalid test name 'bad\\xff\\xfe': not valid UTF-8" },
	/* Control characters (C0, DEL, C1) in names are refused and
	 * escaped. */
	{ "a\x01z true\n",
	  ":1: invalid test name 'a\\x01z': contains a control character" },
	{ "ok true\nx\xc2\x85y true\n",
	  ":2: invalid test name 'x\\xc2\\x85y': contains a control "
	  "character" },
	/* Unknown keys are errors, so a typo does not silently do
	 * nothing. */
	{ "{\"tests\": [{\"name\": \"a\", \"command\": \"true\"}, "
	    "{\"name\": \"slow\", \"command\": \"true\", \"tmeout\": 3}]}",
	  ":tests[1] 'slow': unknown key \"tmeout\"" },
	{ "{\"defaults\": {\"exclusiv\": true}, \"tests\": []}",
	  ": defaults: unknown key \"exclusiv\"" },
	{ "{\"test\": []}", ": unknown key \"test\"" },
	{ "{\"defaults\": {\"command\": \"x\"}, \"tests\": []}",
	  ": defaults: unknown key \"command\"" },
	/* Values of the wrong type name the file, the test and the key. */
	{ "{\"tests\": [{\"name\": \"a\", \"command\": \"x\", "
	    "\"timeout\": \"5\"}]}",
	  ":tests[0] 'a': \"timeout\" must be a number, not a string" },
	{ "{\"tests\": [{\"name\": \"a\", \"command\": \"x\", "
	    "\"exclusive\": 1}]}",
	  ":tests[0] 'a': \"exclusive\" must be a boolean, not an "
	  "integer" },
	{ "{\"tests\": [{\"name\": \"a\", \"command\": \"x\", "
	    "\"env\": {\"K\": 1}}]}",
	  ":tests[0] 'a': env \"K\" must be a string, not an integer" },
	{ "{\"tests\": [{\"name\": \"a\", \"command\": \"x\", "
	    "\"env\": [\"K=1\"]}]}",
	  ":tests[0] 'a': \"env\" must be an object, not an array" },
	{ "{\"tests\": [{\"name\": \"a\", \"command\": \"x\", "
	    "\"env\": {\"K=\": \"1\"}}]}",
	  ":tests[0] 'a': invalid environment variable name 'K='" },
	{ "{\"tests\": [{\"name\": \"a\", \"command\": \"x\", "
	    "\"cwd\": null}]}",
	  ":tests[0] 'a': \"cwd\" must be a string, not null" },
	{ "{\"tests\": [{\"name\": \"a\", \"command\": \"x\", "
	    "\"cwd\": \"\"}]}",
	  ":tests[0] 'a': \"cwd\" must not be empty" },
	{ "{\"tests\": [{\"name\": \"a\", \"command\": \"x\", "
	    "\"timeout\": -1}]}",
	  ":tests[0] 'a': \"timeout\" must not be negative" },
	{ "{\"tests\": [{\"name\": \"a\", \"command\": 7}]}",
	  ":tests[0] 'a': \"command\" must be a string or an array of "
	  "strings, not an integer" },
	{ "{\"tests\": [{\"name\": \"a\", \"command\": [\"x\", 2]}]}",
	  ":tests[0] 'a': \"command\"[1] must be a string, not an "
	  "integer" },
	{ "{\"tests\": [{\"name\": \"a\", \"command\": []}]}",
	  ":tests[0]: test 'a': empty command" },
	{ "{\"tests\": [{\"name\": \"a\", \"command\": \"  \"}]}",
	  ":tests[0]: test 'a': empty command" },
	{ "{\"tests\": [{\"name\": \"a\"}]}",
	  ":tests[0] 'a': missing \"command\"" },
	{ "{\"tests\": [{\"command\": \"x\"}]}",
	  ":tests[0]: missing \"name\"" },
	{ "{\"tests\": [{\"name\": 3, \"command\": \"x\"}]}",
	  ":tests[0]: \"name\" must be a string, not an integer" },
	{ "{\"tests\": [{\"name\": \"\", \"command\": \"x\"}]}",
	  ":tests[0]: invalid test name '': the name is empty" },
	{ "{\"tests\": [{\"name\": \"a\\u0007\", \"command\": \"x\"}]}",
	  ":tests[0]: invalid test name 'a\\x07': contains a control "
	  "character" },
	{ "{\"tests\": [\"a\"]}",
	  ":tests[0]: must be an object, not a string" },
	{ "{\"tests\": {}}",
	  ": \"tests\" must be an array, not an object" },
	{ "{\"defaults\": [], \"tests\": []}",
	  ": \"defaults\" must be an object, not an array" },
	{ "{\"defaults\": {\"timeout\": true}, \"tests\": []}",
	  ": defaults: \"timeout\" must be a number, not a boolean" },
	{ "{}", ": missing \"tests\"" },
	{ "[]", ": must be a JSON object, not an array" },
};

/* JSON syntax errors give the file and line (then jansson's words, of
 * which a row may give a part) and column. */
static const struct {
	const char	*content, *line, *also;
} bad_syntax[] = {
	{ "{\n  \"tests\": [\n    {\"name\": \"a\",, \"command\": \"x\"}\n"
	    "  ]\n}\n", ":3:", "" },
	{ "{\"tests\": [\n{\"name\": \"a\", \"name\": \"b\", \"command\": "
	    "\"x\"}]}", ":2:", "duplicate" },
	{ "{\"tests\": [{\"name\": \"\xff\", \"command\": \"x\"}]}", ":1:",
	    "" },
};

/* Load content from bad.json or bad.list, expecting a usage error;
 * returns the file's path and the message. */
static const char *
load_bad(const char *content, const char **path)
{
	*path = fixture(content[0] == '{' || content[0] == '[' ?
	    "bad.json" : "bad.list", content, 0644);
	return load_fails(*path);
}

/* One row of bad_files (a loop test: _i is the row). */
START_TEST(bad_file)
{
	const char *path, *msg;

	msg = load_bad(bad_files[_i].content, &path);
	ck_assert_str_eq(msg, fmt("%s%s", path, bad_files[_i].msg));
}
END_TEST

/* One row of bad_syntax (a loop test: _i is the row). */
START_TEST(bad_json)
{
	const char *path, *msg, *want;

	msg = load_bad(bad_syntax[_i].content, &path);
	want = fmt("%s%s", path, bad_syntax[_i].line);
	ck_assert_msg(strncmp(msg, want, strlen(want)) == 0, "got: %s", msg);
	ck_assert_ptr_nonnull(strstr(msg, bad_syntax[_i].also));
}
END_TEST

/* Duplicate names are found by plan_check, with both lines. */
START_TEST(list_duplicates)
{
	struct prun_plan plan;
	struct prun_error err;
	const char *path;

	path = fixture("dup.list",
	    "foo true\nbar true\nbaz true\nbar false\nfoo false\nfoo x\n",
	    0644);
	load_ok(&plan, path);
	ck_assert_uint_eq(plan.n, 6);
	ck_assert_int_eq(plan_check(&plan, &err), -1);
	ck_assert_int_eq(err.code, PRUN_EXIT_USAGE);
	/* The first duplicate in plan order is reported. */
	ck_assert_str_eq(err.msg, fmt("%s:4: duplicate test name 'bar' "
	    "(first at %s:2)", path, path));
	plan_free(&plan);
}
END_TEST

/* Duplicates across two sources name both files. */
START_TEST(dup_across_sources)
{
	struct prun_plan plan;
	struct prun_error err;
	const char *a, *b;
	char pa[PATH_MAX];

	a = fixture("across1.list", "one true\nshared true\n", 0644);
	snprintf(pa, sizeof pa, "%s", a);
	b = fixture("across2.list", "# x\nshared false\n", 0644);
	load_ok(&plan, pa);
	ck_assert_int_eq(plan_load(&plan, b, &err), 0);
	ck_assert_uint_eq(plan.n, 3);
	ck_assert_int_eq(plan_check(&plan, &err), -1);
	ck_assert_str_eq(err.msg, fmt("%s:2: duplicate test name 'shared' "
	    "(first at %s:2)", b, pa));
	plan_free(&plan);
}
END_TEST

/* plan_check refuses empty and control-character names it is given. */
START_TEST(check_names)
{
	struct prun_plan plan;
	struct prun_test t;
	struct prun_error err;
	char *argv[] = { "true", NULL };

	plan_init(&plan);
	memset(&t, 0, sizeof t);
	t.argv = argv;
	t.name = "fine";
	t.origin = "here:1";
	ck_assert_int_eq(plan_append(&plan, &t, &err), 0);
	t.name = "esc\033[31m";
	t.origin = "here:2";
	ck_assert_int_eq(plan_append(&plan, &t, &err), 0);
	ck_assert_int_eq(plan_check(&plan, &err), -1);
	ck_assert_int_eq(err.code, PRUN_EXIT_USAGE);
	ck_assert_str_eq(err.msg, "here:2: invalid test name "
	    "'esc\\x1b[31m': contains a control character");
	plan_free(&plan);

	plan_init(&plan);
	t.name = "";
	t.origin = NULL;
	ck_assert_int_eq(plan_append(&plan, &t, &err), 0);
	ck_assert_int_eq(plan_check(&plan, &err), -1);
	ck_assert_str_eq(err.msg, "test 0: invalid test name '': "
	    "the name is empty");
	plan_free(&plan);

	/* An empty plan is the caller's business. */
	plan_init(&plan);
	ck_assert_int_eq(plan_check(&plan, &err), 0);
}
END_TEST

/*
 * An origin that is not FILE:LINE comes back as it was given; one that
 * is a string of the plan's table whole (a file of a FILE:LINE, or the
 * origin of the test before) is kept as its index, so that a million
 * tests of one origin do not hold a million copies of it.
 */
START_TEST(origins_compact)
{
	static const struct {
		const char	*origin[6];
		size_t		 n;
		size_t		 nsources;	/* after them */
		unsigned	 shared;	/* bit i: test i's origin is
						 * the table's */
	} cases[] = {
		{ { "genresults", "genresults", "genresults", "genresults" },
		  4, 1, 0xe },
		{ { "a.list:3", "a.list", "a.list:4", "a.list" }, 4, 1, 0xa },
		{ { "p.json: test 0", "p.json: test 1", "p.json: test 2" }, 3,
		  0, 0 },
		{ { "g", NULL, "g", "g", NULL, "g" }, 6, 1, 0x28 },
		{ { "x:0", "x:0", "x:00", "x:1", "x" }, 5, 2, 0x12 },
		{ { "", "", "" }, 3, 1, 0x6 },
		{ { "a", "b", "b", "a", "b" }, 5, 1, 0x14 },
	};
	struct prun_plan plan, copy;
	struct prun_test t;
	struct prun_error err;
	const struct prun_test *got;
	char *argv[] = { "true", NULL }, name[16];
	size_t i, j, n;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		plan_init(&plan);
		memset(&t, 0, sizeof t);
		t.argv = argv;
		for (n = 0; n < cases[i].n; n++) {
			snprintf(name, sizeof name, "t%zu", n);
			t.name = name;
			t.origin = (char *)cases[i].origin[n];
			ck_assert_int_eq(plan_append(&plan, &t, &err), 0);
		}
		ck_assert_uint_eq(plan.nsources, cases[i].nsources);
		for (j = 0; j < n; j++) {
			got = plan_test(&plan, j);
			if (cases[i].origin[j] == NULL) {
				ck_assert_ptr_null(got->origin);
				continue;
			}
			ck_assert_str_eq(got->origin, cases[i].origin[j]);
			ck_assert_msg(((plan.nsources > 0 && got->origin ==
			    plan.sources[0]) || (plan.nsources > 1 &&
			    got->origin == plan.sources[1])) ==
			    !!(cases[i].shared & 1u << j),
			    "case %zu, test %zu: %s", i, j, got->origin);
		}
		/* Copied into another plan, and wrapped: the same. */
		plan_init(&copy);
		ck_assert_int_eq(plan_append(&copy, plan_test(&plan, 0), &err),
		    0);
		ck_assert_int_eq(plan_transfer(&copy, &plan, &err), 0);
		ck_assert_int_eq(plan_wrap(&copy, argv, &err), 0);
		for (j = 0; j < n; j++) {
			got = plan_test(&copy, j + 1);
			if (cases[i].origin[j] == NULL)
				ck_assert_ptr_null(got->origin);
			else
				ck_assert_str_eq(got->origin,
				    cases[i].origin[j]);
		}
		plan_free(&copy);
		plan_free(&plan);
	}
}
END_TEST

/* A million tests of one origin: their origins are shared, and a
 * duplicate name among them is named with it. */
START_TEST(origins_many)
{
	struct prun_plan plan;
	struct prun_test t;
	struct prun_error err;
	char *argv[] = { "true", NULL }, name[32];
	size_t i, n = 1000000;

	plan_init(&plan);
	memset(&t, 0, sizeof t);
	t.argv = argv;
	t.origin = "genresults";
	t.name = name;
	for (i = 0; i < n; i++) {
		snprintf(name, sizeof name, "s%zu/t%zu", i % 7, i);
		ck_assert_int_eq(plan_append(&plan, &t, &err), 0);
	}
	ck_assert_uint_eq(plan.nsources, 1);
	ck_assert_ptr_eq(plan_test(&plan, n - 1)->origin, plan.sources[0]);
	ck_assert_int_eq(plan_check(&plan, &err), 0);
	snprintf(name, sizeof name, "s%zu/t%zu", (size_t)500005 % 7,
	    (size_t)500005);
	ck_assert_int_eq(plan_append(&plan, &t, &err), 0);
	ck_assert_int_eq(plan_check(&plan, &err), -1);
	ck_assert_str_eq(err.msg, "genresults: duplicate test name "
	    "'s2/t500005' (first at genresults)");
	plan_free(&plan);
}
END_TEST

/* Of all duplicates, plan_check names the one that comes first in the
 * plan, and the test before it of that name. */
START_TEST(check_first_duplicate)
{
	struct prun_plan plan;
	struct prun_test t;
	struct prun_error err;
	char *argv[] = { "true", NULL }, name[32], origin[32];
	static const size_t names[] = { 7, 3, 900, 3, 7, 900 };
	size_t i;

	plan_init(&plan);
	memset(&t, 0, sizeof t);
	t.argv = argv;
	t.name = name;
	t.origin = origin;
	for (i = 0; i < 1000 + sizeof names / sizeof names[0]; i++) {
		snprintf(name, sizeof name, "n%zu", i < 1000 ? i :
		    names[i - 1000]);
		snprintf(origin, sizeof origin, "l:%zu", i + 1);
		ck_assert_int_eq(plan_append(&plan, &t, &err), 0);
	}
	ck_assert_int_eq(plan_check(&plan, &err), -1);
	ck_assert_str_eq(err.msg, "l:1001: duplicate test name 'n7' "
	    "(first at l:8)");
	plan_free(&plan);
}
END_TEST

/* Set a command and return the test (static, cleared each call). */
static struct prun_test *
command(const char *shell)
{
	static struct prun_test t;
	struct prun_error err;

	free(t.command);
	if (t.argv != NULL) {
		for (size_t i = 0; t.argv[i] != NULL; i++)
			free(t.argv[i]);
		free(t.argv);
	}
	memset(&t, 0, sizeof t);
	if (shell == NULL)
		return NULL;
	ck_assert_msg(plan_set_command(&t, shell, &err) == 0, "%s", err.msg);
	ck_assert_str_eq(t.command, shell);
	return &t;
}

/* Commands without shell syntax run directly, others under sh -c. */
START_TEST(shell_detection)
{
	static const char *const shell[] = {
		"echo $HOME", "a | b", "a; b", "a && b", "a > out", "a < in",
		"echo 'x'", "echo \"x\"", "echo `id`", "echo \\n", "(a)",
		"{ a; }", "ls *.c", "ls ?", "ls [ab]", "cd ~", "a # c",
		"! a", "a\nb", "a &", "FOO=1 ./t", "cd dir", "exec",
		"exec FOO=1 ./t", "if", ". ./env", ": nothing", "exec -a x y",
		"caf\xc3\xa9",
	};
	struct prun_test *t;
	struct prun_error err;
	struct prun_test empty;
	size_t i;

	t = command("./t --a=b  x");
	assert_argv(t->argv, "./t", "--a=b", "x", NULL);
	t = command("  \tprog\t1 ");
	assert_argv(t->argv, "prog", "1", NULL);
	t = command("exec ./t 1");
	assert_argv(t->argv, "./t", "1", NULL);
	ck_assert_str_eq(t->command, "exec ./t 1");
	t = command("/usr/bin/env A=1 x@y%z+w:v,u.t/s-r_q");
	assert_argv(t->argv, "/usr/bin/env", "A=1", "x@y%z+w:v,u.t/s-r_q",
	    NULL);
	t = command("exec exec ./t");
	assert_argv(t->argv, "/bin/sh", "-c", "exec exec ./t", NULL);
	for (i = 0; i < sizeof shell / sizeof *shell; i++) {
		t = command(shell[i]);
		assert_argv(t->argv, "/bin/sh", "-c", shell[i], NULL);
	}
	command(NULL);

	memset(&empty, 0, sizeof empty);
	empty.origin = "x.list:3";
	empty.name = "blank";
	ck_assert_int_eq(plan_set_command(&empty, " \t ", &err), -1);
	ck_assert_int_eq(err.code, PRUN_EXIT_USAGE);
	ck_assert_str_eq(err.msg, "x.list:3: test 'blank': empty command");
	ck_assert_ptr_null(empty.argv);
}
END_TEST

/* plan_set_argv copies and forgets the shell string. */
START_TEST(set_argv)
{
	struct prun_plan plan;
	struct prun_test t;
	struct prun_error err;
	char a0[] = "prog", a1[] = "x y";
	char *argv[] = { a0, a1, NULL }, *none[] = { NULL };

	memset(&t, 0, sizeof t);
	ck_assert_int_eq(plan_set_command(&t, "echo $X", &err), 0);
	ck_assert_int_eq(plan_set_argv(&t, argv, &err), 0);
	ck_assert_ptr_null(t.command);
	a0[0] = 'X';
	assert_argv(t.argv, "prog", "x y", NULL);
	ck_assert_int_eq(plan_set_argv(&t, none, &err), -1);
	ck_assert_int_eq(err.code, PRUN_EXIT_USAGE);
	assert_argv(t.argv, "prog", "x y", NULL);

	/* Hand it to a plan so plan_free releases it. */
	t.name = "n";
	plan_init(&plan);
	ck_assert_int_eq(plan_append(&plan, &t, &err), 0);
	free(t.argv[0]);
	free(t.argv[1]);
	free(t.argv);
	assert_argv((*plan_test(&plan, 0)).argv, "prog", "x y", NULL);
	plan_free(&plan);
}
END_TEST

/* The display string quotes what the shell would split or expand. */
START_TEST(command_string)
{
	struct prun_test t;
	char *argv[] = { "/bin/echo", "", "a$b", "plain-x=1", "it's",
	    "two words", NULL };
	char *argv2[] = { "FOO=1", "x", NULL };
	char *s;

	memset(&t, 0, sizeof t);
	t.argv = argv;
	ck_assert_ptr_nonnull(s = plan_command_string(&t));
	ck_assert_str_eq(s, "/bin/echo '' 'a$b' plain-x=1 'it'\\''s' "
	    "'two words'");
	free(s);

	t.argv = argv2;
	ck_assert_ptr_nonnull(s = plan_command_string(&t));
	ck_assert_str_eq(s, "'FOO=1' x");
	free(s);

	t.command = "exec ./x   --y  # comment";
	ck_assert_ptr_nonnull(s = plan_command_string(&t));
	ck_assert_str_eq(s, "exec ./x   --y  # comment");
	free(s);
}
END_TEST

/* plan_append copies deeply: the source can change or go away. */
START_TEST(append_copies)
{
	struct prun_plan plan;
	struct prun_test t;
	struct prun_error err;
	char name[] = "n", a0[] = "prog", env0[] = "A=1", cwd[] = "/tmp",
	    origin[] = "o:1";
	char *argv[] = { a0, NULL }, *env[] = { env0, NULL };
	size_t i;

	memset(&t, 0, sizeof t);
	t.name = name;
	t.argv = argv;
	t.env = env;
	t.cwd = cwd;
	t.origin = origin;
	t.timeout = 2.5;
	t.exclusive = 1;
	plan_init(&plan);
	for (i = 0; i < 100; i++)
		ck_assert_int_eq(plan_append(&plan, &t, &err), 0);
	name[0] = a0[0] = env0[0] = cwd[0] = origin[0] = 'Z';
	ck_assert_uint_eq(plan.n, 100);
	for (i = 0; i < plan.n; i++) {
		ck_assert_ptr_null((*plan_test(&plan, i)).command);
		assert_argv((*plan_test(&plan, i)).argv, "prog", NULL);
		assert_argv((*plan_test(&plan, i)).env, "A=1", NULL);
		assert_settings(&(*plan_test(&plan, i)), "n", "/tmp", 2.5, 1, "o:1");
	}
	plan_free(&plan);
}
END_TEST

/* Defaults apply unless a test overrides them; env merges. */
START_TEST(profile_defaults)
{
	struct prun_plan plan;
	const char *path;

	path = fixture("defaults.json",
	    "{\"defaults\": {\"timeout\": 5, \"env\": {\"A\": \"1\", "
	    "\"B\": \"2\"}, \"cwd\": \"/tmp\", \"exclusive\": true},\n"
	    " \"tests\": [\n"
	    "  {\"name\": \"plain\", \"command\": \"./t --q\"},\n"
	    "  {\"name\": \"over\", \"command\": \"echo $B\", \"timeout\": 1.5,"
	    " \"env\": {\"B\": \"3\", \"C\": \"4\"}, \"cwd\": \"sub/dir\","
	    " \"exclusive\": false}\n"
	    " ]}\n", 0644);
	load_ok(&plan, path);
	ck_assert_uint_eq(plan.n, 2);

	ck_assert_str_eq((*plan_test(&plan, 0)).command, "./t --q");
	assert_argv((*plan_test(&plan, 0)).argv, "./t", "--q", NULL);
	assert_argv((*plan_test(&plan, 0)).env, "A=1", "B=2", NULL);
	assert_settings(&(*plan_test(&plan, 0)), "plain", "/tmp", 5, 1,
	    fmt("%s:tests[0]", path));

	assert_argv((*plan_test(&plan, 1)).argv, "/bin/sh", "-c", "echo $B", NULL);
	assert_argv((*plan_test(&plan, 1)).env, "A=1", "B=3", "C=4", NULL);
	assert_settings(&(*plan_test(&plan, 1)), "over", "sub/dir", 1.5, 0,
	    fmt("%s:tests[1]", path));
	plan_free(&plan);
}
END_TEST

/* Without defaults, a test has no env, cwd or timeout of its own. */
START_TEST(profile_argv)
{
	struct prun_plan plan;
	const char *path;

	path = fixture("argv.json",
	    "{\"tests\": [{\"name\": \"a\", \"command\": [\"prog\", \"a b\","
	    " \"$X\"], \"env\": {\"K\": \"v=w\"}},"
	    " {\"name\": \"b\", \"command\": \"true\"}]}", 0644);
	load_ok(&plan, path);
	ck_assert_uint_eq(plan.n, 2);
	ck_assert_ptr_null((*plan_test(&plan, 0)).command);
	assert_argv((*plan_test(&plan, 0)).argv, "prog", "a b", "$X", NULL);
	assert_argv((*plan_test(&plan, 0)).env, "K=v=w", NULL);
	ck_assert_ptr_null((*plan_test(&plan, 1)).env);
	ck_assert_ptr_null((*plan_test(&plan, 1)).cwd);
	ck_assert((*plan_test(&plan, 1)).timeout == 0);
	assert_argv((*plan_test(&plan, 1)).argv, "true", NULL);
	plan_free(&plan);

	path = fixture("empty.json", "{\"tests\": []}", 0644);
	load_ok(&plan, path);
	ck_assert_uint_eq(plan.n, 0);
	plan_free(&plan);
}
END_TEST

/* A file that cannot be read is an error with the reason. */
START_TEST(unreadable)
{
	const char *msg, *path;

	path = plan_path("missing.list");
	msg = load_fails(path);
	ck_assert_str_eq(msg, fmt("%s: %s", path, strerror(ENOENT)));
	path = plan_path("missing.json");
	msg = load_fails(path);
	ck_assert_str_eq(msg, fmt("%s: %s", path, strerror(ENOENT)));

	if (geteuid() != 0) {
		path = fixture("noread.list", "a true\n", 0200);
		msg = load_fails(path);
		ck_assert_str_eq(msg, fmt("%s: %s", path, strerror(EACCES)));
	}
}
END_TEST

/* A failed load leaves the plan as it was. */
START_TEST(load_all_or_nothing)
{
	struct prun_plan plan;
	struct prun_error err;
	const char *path;
	char first[PATH_MAX];

	snprintf(first, sizeof first, "%s",
	    fixture("aon1.list", "a true\nb true\n", 0644));
	path = fixture("aon2.list", "c true\nd true\ne\n", 0644);
	load_ok(&plan, first);
	ck_assert_int_eq(plan_load(&plan, path, &err), -1);
	ck_assert_str_eq(err.msg, fmt("%s:3: test 'e' has no command", path));
	ck_assert_uint_eq(plan.n, 2);
	ck_assert_str_eq((*plan_test(&plan, 1)).name, "b");
	plan_free(&plan);
}
END_TEST

/* Directories: executables below it, sorted by path bytes, hidden and
 * non-executable files and symlinked directories skipped. */
START_TEST(directory)
{
	struct prun_plan plan;
	struct prun_error err;
	char dir[PATH_MAX], link[PATH_MAX], target[PATH_MAX];

	fixture("dir/b", "#!/bin/sh\n", 0755);
	fixture("dir/a/z", "#!/bin/sh\n", 0700);
	fixture("dir/a/y.txt", "data\n", 0644);
	fixture("dir/a-x", "#!/bin/sh\n", 0751);
	fixture("dir/a/deep/er/t", "#!/bin/sh\n", 0755);
	fixture("dir/.hidden", "#!/bin/sh\n", 0755);
	fixture("dir/.hdir/x", "#!/bin/sh\n", 0755);
	fixture("dir/c/.x", "#!/bin/sh\n", 0755);
	fixture("dir/C", "#!/bin/sh\n", 0755);
	fixture("dir/noexec", "#!/bin/sh\n", 0644);
	fixture("outside/o", "#!/bin/sh\n", 0755);
	snprintf(dir, sizeof dir, "%s", plan_path("dir"));
	snprintf(target, sizeof target, "%s", plan_path("outside"));
	snprintf(link, sizeof link, "%s", plan_path("dir/linkdir"));
	ck_assert_int_eq(symlink(target, link), 0);
	snprintf(target, sizeof target, "%s", plan_path("dir/b"));
	snprintf(link, sizeof link, "%s", plan_path("dir/linkfile"));
	ck_assert_int_eq(symlink(target, link), 0);
	snprintf(link, sizeof link, "%s", plan_path("dir/dangling"));
	ck_assert_int_eq(symlink("/nonexistent/x", link), 0);

	load_ok(&plan, dir);
	ck_assert_uint_eq(plan.n, 6);
	/* Byte order of whole paths: "a-x" < "a/..." since '-' < '/'. */
	ck_assert_str_eq((*plan_test(&plan, 0)).name, "C");
	ck_assert_str_eq((*plan_test(&plan, 1)).name, "a-x");
	ck_assert_str_eq((*plan_test(&plan, 2)).name, "a/deep/er/t");
	ck_assert_str_eq((*plan_test(&plan, 3)).name, "a/z");
	ck_assert_str_eq((*plan_test(&plan, 4)).name, "b");
	ck_assert_str_eq((*plan_test(&plan, 5)).name, "linkfile");
	assert_argv((*plan_test(&plan, 3)).argv, fmt("%s/a/z", dir), NULL);
	ck_assert_ptr_null((*plan_test(&plan, 3)).command);
	ck_assert_str_eq((*plan_test(&plan, 3)).origin, fmt("%s/a/z", dir));
	ck_assert_int_eq(plan_check(&plan, &err), 0);
	plan_free(&plan);

	/* A trailing slash does not double. */
	strcat(dir, "/");
	load_ok(&plan, dir);
	ck_assert_uint_eq(plan.n, 6);
	assert_argv((*plan_test(&plan, 0)).argv, fmt("%sC", dir), NULL);
	plan_free(&plan);
}
END_TEST

/* A file name that is not valid UTF-8 is refused with its path. */
START_TEST(directory_bad_name)
{
	const char *msg;
	char dir[PATH_MAX];

	fixture("baddir/ok", "", 0755);
	fixture("baddir/x\xff", "", 0755);
	snprintf(dir, sizeof dir, "%s", plan_path("baddir"));
	msg = load_fails(dir);
	ck_assert_str_eq(msg, fmt("%s/x\xff: invalid test name 'x\\xff': "
	    "not valid UTF-8", dir));
}
END_TEST

/* Build a plan of the given names for filter tests. */
static void
names_plan(struct prun_plan *plan, ...)
{
	struct prun_test t;
	struct prun_error err;
	char *argv[] = { "true", NULL };
	va_list ap;

	plan_init(plan);
	memset(&t, 0, sizeof t);
	t.argv = argv;
	va_start(ap, plan);
	while ((t.name = va_arg(ap, char *)) != NULL)
		ck_assert_int_eq(plan_append(plan, &t, &err), 0);
	va_end(ap);
}

/* Include and exclude regexes keep the order of what remains. */
START_TEST(filters)
{
	struct prun_plan plan;
	struct prun_error err;
	char *inc[] = { "^gpu/", "basic$" }, *exc[] = { "slow", "a{2}" };
	char *bad[] = { "(" };

	names_plan(&plan, "gpu/basic", "cpu/basic", "gpu/slow", "net/x",
	    "gpu/aa", "gpu/ok", "disk/basic-slow", NULL);
	ck_assert_int_eq(plan_filter(&plan, inc, 2, exc, 2, &err), 0);
	ck_assert_uint_eq(plan.n, 3);
	ck_assert_str_eq((*plan_test(&plan, 0)).name, "gpu/basic");
	ck_assert_str_eq((*plan_test(&plan, 1)).name, "cpu/basic");
	ck_assert_str_eq((*plan_test(&plan, 2)).name, "gpu/ok");
	plan_free(&plan);

	names_plan(&plan, "a", "b", "c", NULL);
	ck_assert_int_eq(plan_filter(&plan, NULL, 0, NULL, 0, &err), 0);
	ck_assert_uint_eq(plan.n, 3);
	ck_assert_int_eq(plan_filter(&plan, NULL, 0, exc, 1, &err), 0);
	ck_assert_uint_eq(plan.n, 3);
	ck_assert_int_eq(plan_filter(&plan, NULL, 0, (char *[]){ "b|c" }, 1,
	    &err), 0);
	ck_assert_uint_eq(plan.n, 1);
	ck_assert_str_eq((*plan_test(&plan, 0)).name, "a");
	ck_assert_int_eq(plan_filter(&plan, inc, 1, NULL, 0, &err), 0);
	ck_assert_uint_eq(plan.n, 0);
	plan_free(&plan);

	names_plan(&plan, "a", NULL);
	ck_assert_int_eq(plan_filter(&plan, inc, 1, bad, 1, &err), -1);
	ck_assert_int_eq(err.code, PRUN_EXIT_USAGE);
	ck_assert_msg(strncmp(err.msg, "invalid regex '(': ", 19) == 0 &&
	    strlen(err.msg) > 19, "got: %s", err.msg);
	ck_assert_uint_eq(plan.n, 1);
	plan_free(&plan);
}
END_TEST

/* A wrapper goes before every test's argv, and a shell string's test runs
 * as wrapper /bin/sh -c STRING, shown as such. */
START_TEST(wrap)
{
	struct prun_plan plan;
	struct prun_error err;
	struct prun_test t;
	char *wrapper[] = { "srun", "-n1", NULL }, *cmd;
	size_t i;

	names_plan(&plan, "a", NULL);
	memset(&t, 0, sizeof t);
	t.name = "b";
	ck_assert_int_eq(plan_set_command(&t, "echo x && echo y", &err), 0);
	ck_assert_int_eq(plan_append(&plan, &t, &err), 0);
	free(t.command);
	for (i = 0; t.argv[i] != NULL; i++)
		free(t.argv[i]);
	free(t.argv);
	ck_assert_int_eq(plan_wrap(&plan, NULL, &err), 0);
	ck_assert_str_eq((*plan_test(&plan, 0)).argv[0], "true");
	ck_assert_int_eq(plan_wrap(&plan, wrapper, &err), 0);
	ck_assert_str_eq((*plan_test(&plan, 0)).argv[0], "srun");
	ck_assert_str_eq((*plan_test(&plan, 0)).argv[1], "-n1");
	ck_assert_str_eq((*plan_test(&plan, 0)).argv[2], "true");
	ck_assert_ptr_null((*plan_test(&plan, 0)).argv[3]);
	ck_assert_ptr_null((*plan_test(&plan, 1)).command);
	ck_assert_str_eq((*plan_test(&plan, 1)).argv[2], "/bin/sh");
	ck_assert_str_eq((*plan_test(&plan, 1)).argv[4], "echo x && echo y");
	ck_assert_ptr_nonnull(cmd = plan_command_string(&(*plan_test(&plan, 1))));
	ck_assert_str_eq(cmd, "srun -n1 /bin/sh -c 'echo x && echo y'");
	free(cmd);
	plan_free(&plan);
}
END_TEST

/* The suite of plan tests. */
Suite *
unit_suite(void)
{
	Suite *s = suite_create("plan");
	TCase *tc;

	tc = tcase_create("lists");
	tcase_add_test(tc, list_basic);
	tcase_add_test(tc, list_duplicates);
	tcase_add_test(tc, dup_across_sources);
	tcase_add_loop_test(tc, bad_file, 0,
	    sizeof bad_files / sizeof bad_files[0]);
	tcase_add_loop_test(tc, bad_json, 0,
	    sizeof bad_syntax / sizeof bad_syntax[0]);
	tcase_add_test(tc, check_names);
	tcase_add_test(tc, check_first_duplicate);
	tcase_add_test(tc, unreadable);
	tcase_add_test(tc, load_all_or_nothing);
	suite_add_tcase(s, tc);

	tc = tcase_create("commands");
	tcase_add_test(tc, shell_detection);
	tcase_add_test(tc, set_argv);
	tcase_add_test(tc, command_string);
	tcase_add_test(tc, append_copies);
	suite_add_tcase(s, tc);

	tc = tcase_create("origins");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, origins_compact);
	tcase_add_test(tc, origins_many);
	suite_add_tcase(s, tc);

	tc = tcase_create("profiles");
	tcase_add_test(tc, profile_defaults);
	tcase_add_test(tc, profile_argv);
	suite_add_tcase(s, tc);

	tc = tcase_create("directories");
	tcase_add_test(tc, directory);
	tcase_add_test(tc, directory_bad_name);
	suite_add_tcase(s, tc);

	tc = tcase_create("filters");
	tcase_add_test(tc, filters);
	tcase_add_test(tc, wrap);
	suite_add_tcase(s, tc);
	return s;
}
