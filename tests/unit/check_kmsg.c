/*
 * check_kmsg: unit tests of the kernel log reader and the taint flags:
 * what is already in the log is skipped, /dev/kmsg's record prefix and
 * dictionary lines are taken off, a line written in pieces is heard once
 * whole, an unreadable log is a usage error naming it; and the taint
 * flags are read and named.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <check.h>

#include "exec/kmsg.h"
#include "exec/taint.h"
#include "fixture.h"
#include "unit.h"

/* The lines a read heard, each followed by '|'. */
static char heard[4096];

static void
hear(void *ctx, const char *line, size_t len)
{
	(void)ctx;
	strncat(heard, line, len);
	strcat(heard, "|");
}

/* Append s to path. */
static void
append(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_APPEND);

	ck_assert_int_ne(fd, -1);
	ck_assert_int_eq(write(fd, s, strlen(s)), (ssize_t)strlen(s));
	close(fd);
}

/* Each write to the log, and what the read after it hears. */
START_TEST(lines_as_written)
{
	static const struct {
		const char *write, *heard;
	} table[] = {
		{ "plain line\n", "plain line|" },
		{ "6,12,3456,-;with a prefix\n", "with a prefix|" },
		{ "4,13,3457,c;continued\n SUBSYSTEM=usb\n DEVICE=c189\n",
		    "continued|" },
		{ "half a ", "" },
		{ "line\n", "half a line|" },
		{ "a,b;not a prefix\n", "a,b;not a prefix|" },
		{ "two\nlines\n", "two|lines|" },
		{ "", "" },
	};
	struct prun_error err;
	struct kmsg *k;
	char *dir = fixture_dir(), *path = fixture_path(dir, "log");
	size_t i;

	fixture_write(path, "old line\n", 9, 0644);
	ck_assert_int_eq(kmsg_open(&k, path, &err), 0);
	ck_assert_str_eq(kmsg_path(k), path);
	for (i = 0; i < sizeof table / sizeof table[0]; i++) {
		append(path, table[i].write);
		heard[0] = '\0';
		ck_assert_int_eq(kmsg_read(k, hear, NULL, &err), 0);
		ck_assert_msg(strcmp(heard, table[i].heard) == 0,
		    "write %zu: heard '%s', want '%s'", i, heard,
		    table[i].heard);
	}
	kmsg_close(k);
	free(path);
	free(dir);
}
END_TEST

/* PRUN_KMSG points the reader elsewhere; a missing log names itself. */
START_TEST(env_and_errors)
{
	struct prun_error err;
	struct kmsg *k;
	char *dir = fixture_dir(), *path = fixture_path(dir, "log");

	fixture_write(path, "", 0, 0644);
	setenv(KMSG_ENV, path, 1);
	ck_assert_int_eq(kmsg_open(&k, NULL, &err), 0);
	ck_assert_str_eq(kmsg_path(k), path);
	kmsg_close(k);
	free(path);
	path = fixture_path(dir, "absent");
	ck_assert_int_eq(kmsg_open(&k, path, &err), -1);
	ck_assert_ptr_null(k);
	ck_assert_int_eq(err.code, PRUN_EXIT_USAGE);
	ck_assert_ptr_nonnull(strstr(err.msg, "cannot read the kernel log"));
	ck_assert_ptr_nonnull(strstr(err.msg, path));
	free(path);
	free(dir);
}
END_TEST

/* The taint flags: a number read, garbage refused, bits named. */
START_TEST(taint_flags)
{
	static const struct {
		const char *file;
		int rc;
		unsigned long bits;
	} table[] = {
		{ "0\n", 0, 0 },
		{ "512\n", 0, 512 },
		{ "17056", 0, TAINT_DAMAGED },
		{ "", -1, 0 },
		{ "0x10\n", -1, 0 },
		{ "-1\n", -1, 0 },
	};
	struct prun_error err;
	char *dir = fixture_dir(), *path = fixture_path(dir, "tainted");
	char buf[256];
	unsigned long bits;
	size_t i;

	for (i = 0; i < sizeof table / sizeof table[0]; i++) {
		fixture_write(path, table[i].file, strlen(table[i].file),
		    0644);
		bits = 99;
		ck_assert_int_eq(taint_read(path, &bits, &err), table[i].rc);
		if (table[i].rc == 0)
			ck_assert_uint_eq(bits, table[i].bits);
		else
			ck_assert_ptr_nonnull(strstr(err.msg, path));
	}
	setenv(TAINT_ENV, path, 1);
	ck_assert_str_eq(taint_path(), path);
	taint_describe(TAINT_DAMAGED, buf, sizeof buf);
	ck_assert_str_eq(buf, "5 (B, bad page), 7 (D, kernel died (oops)), "
	    "9 (W, kernel warning), 14 (L, soft lockup)");
	taint_describe(1ul << 40, buf, sizeof buf);
	ck_assert_str_eq(buf, "40 (unknown)");
	free(path);
	free(dir);
}
END_TEST

/* The suite of kmsg and taint tests. */
Suite *
unit_suite(void)
{
	Suite *s = suite_create("kmsg");
	TCase *tc = tcase_create("exec");

	tcase_add_test(tc, lines_as_written);
	tcase_add_test(tc, env_and_errors);
	tcase_add_test(tc, taint_flags);
	suite_add_tcase(s, tc);
	return s;
}
