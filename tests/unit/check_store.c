/*
 * check_store: unit tests of the results directory: creating it (absent,
 * empty or left by a prun killed at start-up, never one that holds
 * anything else), the writer's lock, fragments by plan index, reading
 * missing and damaged ones, cleaning temporaries and naming stray files,
 * opening only a directory that has a readable metadata.json, and the
 * start log: records by attempt, a torn tail ignored quietly and cut off
 * before the next append, damage in the middle named by line, and files
 * planted at its name refused; and what state a planned test is in, as a
 * table of cases.
 */
#include <sys/stat.h>
#include <sys/wait.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <check.h>

#include "fixture.h"
#include "store/store.h"
#include "unit.h"

static const char metadata[] = "{\"format\":\"prun-results\"}\n";

/* Create a store at dir/name (sync or not), with metadata.json. */
static char *
new_store(struct prun_store **st, const char *dir, const char *name,
    int sync)
{
	struct prun_error err;
	char *path = fixture_path(dir, name);

	memset(&err, 0, sizeof err);
	ck_assert_msg(store_create(st, path, BACKEND_JSON, sync,
	    &err) == 0, "%s", err.msg);
	ck_assert_msg(store_write_metadata(*st, metadata, sizeof metadata - 1,
	    &err) == 0, "%s", err.msg);
	return path;
}

/* A small finished result of test index; free with result_free. */
static void
make_result(struct prun_result *r, size_t index, const char *name,
    enum prun_status s)
{
	memset(r, 0, sizeof *r);
	r->index = index;
	ck_assert_ptr_nonnull(r->name = strdup(name));
	r->status = s;
	r->attempt = 1;
	r->has_returncode = s != PRUN_INCOMPLETE;
	r->pid = 100 + (long)index;
	r->time_start = 10;
	r->time_end = s == PRUN_INCOMPLETE ? 0 : 11;
	ck_assert_ptr_nonnull(r->out = strdup(name));
	r->out_len = strlen(name);
}

/* The path of a fragment of store st. */
static char *
fragment_path(const struct prun_store *st, size_t index)
{
	char name[32];

	store_fragment_name(index, BACKEND_JSON, name, sizeof name);
	return fixture_path(store_tests_path(st), name);
}

/* A directory that does not exist is made, with tests/ in it; so is one
 * that exists and is empty. */
START_TEST(create_absent_and_empty)
{
	struct prun_store *st;
	struct prun_error err;
	struct stat sb;
	char *dir = fixture_dir(), *path, *tests;
	int sync;

	for (sync = 0; sync <= 1; sync++) {
		path = fixture_path(dir, sync ? "absent-sync" : "absent");
		memset(&err, 0, sizeof err);
		ck_assert_msg(store_create(&st, path, BACKEND_JSON, sync,
		    &err) == 0, "%s", err.msg);
		ck_assert_str_eq(store_path(st), path);
		tests = fixture_path(path, "tests");
		ck_assert_str_eq(store_tests_path(st), tests);
		ck_assert_int_eq(stat(tests, &sb), 0);
		ck_assert(S_ISDIR(sb.st_mode));
		ck_assert_ptr_nonnull(st);
		ck_assert_int_eq(store_syncs(st), sync);
		ck_assert_uint_eq(fixture_count(path), 1);
		store_close(st);
		free(tests);
		free(path);
	}
	path = fixture_path(dir, "empty");
	ck_assert_int_eq(mkdir(path, 0755), 0);
	ck_assert_msg(store_create(&st, path, BACKEND_JSON, 1,
	    &err) == 0, "%s", err.msg);
	store_close(st);
	ck_assert_uint_eq(fixture_count(path), 1);
	free(path);
	free(dir);
}
END_TEST

/* A directory that holds anything is refused (even a hidden file), and
 * is left as it was; a file, a symlink and a missing parent are errors. */
START_TEST(create_refuses)
{
	struct prun_store *st;
	struct prun_error err;
	char *dir = fixture_dir(), *path, *file, *link;

	path = fixture_path(dir, "full");
	ck_assert_int_eq(mkdir(path, 0755), 0);
	file = fixture_path(path, ".hidden");
	fixture_write_str(file, "x");
	memset(&err, 0, sizeof err);
	ck_assert_int_eq(store_create(&st, path, BACKEND_JSON, 0, &err), -1);
	ck_assert_int_eq(err.code, PRUN_EXIT_USAGE);
	ck_assert_msg(fixture_has(err.msg, path) &&
	    fixture_has(err.msg, "not empty") &&
	    fixture_has(err.msg, "no metadata.json"), "got: %s", err.msg);
	ck_assert_uint_eq(fixture_count(path), 1);
	ck_assert_ptr_null(st);
	free(file);

	/* A run's directory is refused, pointing to --resume. */
	free(new_store(&st, dir, "run", 0));
	store_close(st);
	free(path);
	path = fixture_path(dir, "run");
	ck_assert_int_eq(store_create(&st, path, BACKEND_JSON, 0, &err), -1);
	ck_assert_int_eq(err.code, PRUN_EXIT_USAGE);
	ck_assert_msg(fixture_has(err.msg, "holds a run") &&
	    fixture_has(err.msg, "--resume"), "got: %s", err.msg);
	free(path);

	file = fixture_path(dir, "file");
	fixture_write_str(file, "x");
	ck_assert_int_eq(store_create(&st, file, BACKEND_JSON, 0, &err), -1);
	ck_assert_int_eq(err.code, PRUN_EXIT_USAGE);
	ck_assert_msg(fixture_has(err.msg, file), "got: %s", err.msg);

	link = fixture_path(dir, "link");
	path = fixture_path(dir, "target");
	ck_assert_int_eq(mkdir(path, 0755), 0);
	ck_assert_int_eq(symlink(path, link), 0);
	ck_assert_int_eq(store_create(&st, link, BACKEND_JSON, 0, &err), -1);
	ck_assert_uint_eq(fixture_count(path), 0);
	free(path);

	path = fixture_path(dir, "no/such/parent");
	ck_assert_int_eq(store_create(&st, path, BACKEND_JSON, 0, &err), -1);
	ck_assert_int_eq(err.code, PRUN_EXIT_USAGE);
	ck_assert_msg(fixture_has(err.msg, path), "got: %s", err.msg);
	free(path);
	free(file);
	free(link);
	free(dir);
}
END_TEST

/* What a prun killed before writing metadata.json leaves (an empty tests/
 * and its temporary) is taken as empty; a tests/ that holds a file is not. */
START_TEST(create_after_killed_start)
{
	struct prun_store *st;
	struct prun_error err;
	char *dir = fixture_dir(), *path, *sub, *file;

	path = fixture_path(dir, "killed");
	sub = fixture_path(path, "tests");
	file = fixture_path(path, ".metadata.json.tmp");
	ck_assert_int_eq(mkdir(path, 0755), 0);
	ck_assert_int_eq(mkdir(sub, 0755), 0);
	fixture_write_str(file, "{\"format\":");
	memset(&err, 0, sizeof err);
	ck_assert_msg(store_create(&st, path, BACKEND_JSON, 0,
	    &err) == 0, "%s", err.msg);
	ck_assert_int_eq(store_write_metadata(st, metadata,
	    sizeof metadata - 1, &err), 0);
	store_close(st);
	ck_assert(fixture_exists_in(path, "metadata.json"));
	free(file);
	free(sub);
	free(path);

	path = fixture_path(dir, "used");
	sub = fixture_path(path, "tests");
	file = fixture_path(sub, "000000.json");
	ck_assert_int_eq(mkdir(path, 0755), 0);
	ck_assert_int_eq(mkdir(sub, 0755), 0);
	fixture_write_str(file, "{}");
	ck_assert_int_eq(store_create(&st, path, BACKEND_JSON, 0, &err), -1);
	ck_assert_int_eq(err.code, PRUN_EXIT_USAGE);
	ck_assert_uint_eq(fixture_count(sub), 1);
	free(file);
	free(sub);
	free(path);

	/* A file named tests is not a tests/ directory. */
	path = fixture_path(dir, "file");
	ck_assert_int_eq(mkdir(path, 0755), 0);
	file = fixture_path(path, "tests");
	fixture_write_str(file, "");
	ck_assert_int_eq(store_create(&st, path, BACKEND_JSON, 0, &err), -1);
	ck_assert_msg(fixture_has(err.msg, "holds no prun run"), "got: %s",
	    err.msg);
	free(file);
	free(path);
	free(dir);
}
END_TEST

/* One writer at a time: a second store_create or writable store_open of
 * the same directory is refused while the first is open; readers are not;
 * closing the first lets the next writer in. */
START_TEST(lock_second_writer)
{
	struct prun_store *a, *b;
	struct prun_error err;
	char *dir = fixture_dir(), *path;

	path = new_store(&a, dir, "r", 0);
	memset(&err, 0, sizeof err);
	ck_assert_int_eq(store_open(&b, path, 1, &err), -1);
	ck_assert_int_eq(err.code, PRUN_EXIT_USAGE);
	ck_assert_msg(fixture_has(err.msg, path) &&
	    fixture_has(err.msg, "another prun"), "got: %s", err.msg);
	ck_assert_int_eq(store_create(&b, path, BACKEND_JSON, 0, &err), -1);
	ck_assert_msg(fixture_has(err.msg, "another prun"), "got: %s",
	    err.msg);

	/* A summary reads a run that is still going. */
	ck_assert_msg(store_open(&b, path, 0, &err) == 0, "%s", err.msg);
	store_close(b);

	store_close(a);
	ck_assert_msg(store_open(&b, path, 1, &err) == 0, "%s", err.msg);
	ck_assert_int_eq(store_open(&a, path, 1, &err), -1);
	store_close(b);
	free(path);
	free(dir);
}
END_TEST

/* The lock also holds against another process. */
START_TEST(lock_other_process)
{
	struct prun_store *a, *b;
	struct prun_error err;
	char *dir = fixture_dir(), *path;
	pid_t pid;
	int st;

	path = new_store(&a, dir, "r", 0);
	pid = fork();
	ck_assert_int_ne(pid, -1);
	if (pid == 0) {
		/* The child inherited the descriptor: close it, which does
		 * not drop the parent's lock. */
		store_close(a);
		_exit(store_open(&b, path, 1, &err) == -1 &&
		    fixture_has(err.msg, "another prun") ? 0 : 1);
	}
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	store_close(a);
	free(path);
	free(dir);
}
END_TEST

/* Fragments are named and found by plan index, and a new record of an
 * index replaces the old one. */
START_TEST(write_read_by_index)
{
	static const size_t idx[] = { 0, 1, 7, 999999, 1000000, 1234567 };
	struct prun_store *st;
	struct prun_result r, back;
	struct prun_error err;
	char *dir = fixture_dir(), *path, name[32], *p;
	size_t i;

	store_fragment_name(0, BACKEND_JSON, name, sizeof name);
	ck_assert_str_eq(name, "000000.json");
	store_fragment_name(42, BACKEND_JSON, name, sizeof name);
	ck_assert_str_eq(name, "000042.json");
	store_fragment_name(1234567, BACKEND_JSON, name, sizeof name);
	ck_assert_str_eq(name, "1234567.json");
	store_fragment_name(42, BACKEND_JUNIT, name, sizeof name);
	ck_assert_str_eq(name, "000042.xml");

	path = new_store(&st, dir, "r", 1);
	for (i = 0; i < sizeof idx / sizeof idx[0]; i++) {
		snprintf(name, sizeof name, "t%zu", idx[i]);
		make_result(&r, idx[i], name, i % 2 ? PRUN_FAIL : PRUN_PASS);
		ck_assert_msg(store_write_result(st, &r, &err) == 0, "%s",
		    err.msg);
		result_free(&r);
	}
	ck_assert_uint_eq(fixture_count(store_tests_path(st)), 6);
	for (i = 0; i < sizeof idx / sizeof idx[0]; i++) {
		snprintf(name, sizeof name, "t%zu", idx[i]);
		ck_assert_int_eq(store_read_result(st, idx[i], &back, &err),
		    1);
		ck_assert_uint_eq(back.index, idx[i]);
		ck_assert_str_eq(back.name, name);
		ck_assert_int_eq(back.status, i % 2 ? PRUN_FAIL : PRUN_PASS);
		ck_assert_str_eq(back.out, name);
		result_free(&back);
	}
	p = fragment_path(st, 7);
	ck_assert_int_eq(fixture_exists(p), 1);
	free(p);

	/* The start record, then the finished result in its place. */
	make_result(&r, 3, "t3", PRUN_INCOMPLETE);
	r.attempt = 2;
	ck_assert_int_eq(store_write_result(st, &r, &err), 0);
	ck_assert_int_eq(store_read_result(st, 3, &back, &err), 1);
	ck_assert_int_eq(back.status, PRUN_INCOMPLETE);
	ck_assert_int_eq(back.attempt, 2);
	result_free(&back);
	r.status = PRUN_TIMEOUT;
	ck_assert_int_eq(store_write_result(st, &r, &err), 0);
	ck_assert_int_eq(store_read_result(st, 3, &back, &err), 1);
	ck_assert_int_eq(back.status, PRUN_TIMEOUT);
	result_free(&back);
	result_free(&r);
	ck_assert_uint_eq(fixture_count(store_tests_path(st)), 7);
	store_close(st);

	/* And again through a read-only open. */
	ck_assert_int_eq(store_open(&st, path, 0, &err), 0);
	ck_assert_int_eq(store_read_result(st, 999999, &back, &err), 1);
	ck_assert_str_eq(back.name, "t999999");
	result_free(&back);
	store_close(st);
	free(path);
	free(dir);
}
END_TEST

/* A test without a fragment reads as 0. */
START_TEST(read_missing)
{
	struct prun_store *st;
	struct prun_result r;
	struct prun_error err;
	char *dir = fixture_dir(), *path;

	path = new_store(&st, dir, "r", 0);
	memset(&r, 0, sizeof r);
	ck_assert_int_eq(store_read_result(st, 0, &r, &err), 0);
	ck_assert_int_eq(store_read_result(st, 5, &r, &err), 0);
	ck_assert_ptr_null(r.name);
	store_close(st);
	free(path);
	free(dir);
}
END_TEST

/* A fragment that does not parse is -1 and the message names its file. */
START_TEST(read_damaged)
{
	static const char *const bad[] = {
		"", "{\"format\":\"prun-fragment\",\"version\":1,",
		"\x00\x00\x00\x00", "{\"format\":\"other\"}",
	};
	struct prun_store *st;
	struct prun_result r, good;
	struct prun_error err;
	char *dir = fixture_dir(), *path, *p;
	size_t i;

	path = new_store(&st, dir, "r", 0);
	p = fragment_path(st, 2);
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		fixture_write(p, bad[i], i == 2 ? 4 : strlen(bad[i]), 0644);
		memset(&err, 0, sizeof err);
		ck_assert_int_eq(store_read_result(st, 2, &r, &err), -1);
		ck_assert_int_eq(err.code, PRUN_EXIT_IO);
		ck_assert_msg(fixture_has(err.msg, p), "no file name in: %s",
		    err.msg);
		ck_assert_ptr_null(r.name);
	}
	/* A fragment cut at every length is refused, never misread. */
	make_result(&good, 2, "cut", PRUN_PASS);
	ck_assert_int_eq(store_write_result(st, &good, &err), 0);
	{
		size_t len;
		char *whole = fixture_read(p, &len);

		for (i = 0; i + 1 < len; i++) {
			fixture_write(p, whole, i, 0644);
			ck_assert_msg(store_read_result(st, 2, &r, &err) == -1,
			    "accepted %zu of %zu bytes", i, len);
		}
		free(whole);
	}
	/* A FIFO or a directory at a fragment's name is damaged too. */
	ck_assert_int_eq(unlink(p), 0);
	ck_assert_int_eq(mkfifo(p, 0644), 0);
	ck_assert_int_eq(store_read_result(st, 2, &r, &err), -1);
	ck_assert_msg(fixture_has(err.msg, p), "got: %s", err.msg);
	result_free(&good);
	store_close(st);
	free(p);
	free(path);
	free(dir);
}
END_TEST

/* A fragment of another index at this index's name is refused. */
START_TEST(read_other_index)
{
	struct prun_store *st;
	struct prun_result r;
	struct prun_error err;
	char *dir = fixture_dir(), *path, *from, *to;

	path = new_store(&st, dir, "r", 0);
	make_result(&r, 4, "four", PRUN_PASS);
	ck_assert_int_eq(store_write_result(st, &r, &err), 0);
	result_free(&r);
	from = fragment_path(st, 4);
	to = fragment_path(st, 1);
	ck_assert_int_eq(rename(from, to), 0);
	memset(&err, 0, sizeof err);
	ck_assert_int_eq(store_read_result(st, 1, &r, &err), -1);
	ck_assert_int_eq(err.code, PRUN_EXIT_IO);
	ck_assert_msg(fixture_has(err.msg, to) &&
	    fixture_has(err.msg, "index 4"), "got: %s", err.msg);
	ck_assert_ptr_null(r.name);
	ck_assert_int_eq(store_read_result(st, 4, &r, &err), 0);
	store_close(st);
	free(from);
	free(to);
	free(path);
	free(dir);
}
END_TEST

/* clean removes the temporary files of tests/ and nothing else. */
START_TEST(clean_temporaries)
{
	static const char *const tmps[] = {
		".000001.json.tmp", ".000002.json.tmp", ".x.tmp",
	};
	static const char *const keep[] = {
		"000001.json", "notes.txt", ".hidden", "x.tmp", ".tmp",
	};
	struct prun_store *st;
	struct prun_error err;
	char *dir = fixture_dir(), *path, *p;
	size_t i;
	int sync;

	for (sync = 0; sync <= 1; sync++) {
		path = new_store(&st, dir, sync ? "s" : "n", sync);
		for (i = 0; i < sizeof tmps / sizeof tmps[0]; i++) {
			p = fixture_path(store_tests_path(st), tmps[i]);
			fixture_write_str(p, "half");
			free(p);
		}
		for (i = 0; i < sizeof keep / sizeof keep[0]; i++) {
			p = fixture_path(store_tests_path(st), keep[i]);
			fixture_write_str(p, "keep");
			free(p);
		}
		/* metadata.json's temporary goes too. */
		p = fixture_path(path, ".metadata.json.tmp");
		fixture_write_str(p, "half");
		free(p);
		memset(&err, 0, sizeof err);
		ck_assert_int_eq(store_clean(st, 2, NULL, NULL, &err), 4);
		ck_assert_uint_eq(fixture_count(store_tests_path(st)), 5);
		for (i = 0; i < sizeof keep / sizeof keep[0]; i++) {
			p = fixture_path(store_tests_path(st), keep[i]);
			ck_assert_msg(fixture_exists(p), "%s removed", keep[i]);
			free(p);
		}
		ck_assert_int_eq(store_clean(st, 2, NULL, NULL, &err), 0);
		ck_assert_uint_eq(fixture_count(path), 2);
		store_close(st);
		free(path);
	}
	free(dir);
}
END_TEST

/* Count the warnings of store_clean, keeping the last. */
struct strays {
	int	 n;
	char	 last[512];
};

static void
stray_cb(void *ctx, const char *msg)
{
	struct strays *w = ctx;

	w->n++;
	snprintf(w->last, sizeof w->last, "%s", msg);
}

/* clean names each entry of tests/ that is no fragment of the plan, and
 * leaves it alone. */
START_TEST(clean_names_strays)
{
	static const char *const names[] = {
		"000001.json", "000009.json", "0001.json", "notes",
	};
	struct prun_store *st;
	struct prun_error err;
	struct strays w = { 0, "" };
	char *dir = fixture_dir(), *path, *p;
	size_t i;

	path = new_store(&st, dir, "r", 0);
	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		p = fixture_path(store_tests_path(st), names[i]);
		fixture_write_str(p, "{}");
		free(p);
	}
	memset(&err, 0, sizeof err);
	/* A plan of 5: 000009.json is beyond it, 0001.json not prun's. */
	ck_assert_int_eq(store_clean(st, 5, stray_cb, &w, &err), 0);
	ck_assert_int_eq(w.n, 3);
	ck_assert_msg(fixture_has(w.last, store_tests_path(st)) &&
	    fixture_has(w.last, "not a fragment"), "got: %s", w.last);
	ck_assert_uint_eq(fixture_count(store_tests_path(st)), 4);
	store_close(st);
	free(path);
	free(dir);
}
END_TEST

/* A metadata.json that is a symlink or a FIFO is bad input (exit 2),
 * named in the message. */
START_TEST(metadata_not_a_file)
{
	struct prun_store *st;
	struct prun_error err;
	char *dir = fixture_dir(), *path, *p, *buf;
	size_t len;
	int fifo;

	for (fifo = 0; fifo <= 1; fifo++) {
		path = new_store(&st, dir, fifo ? "f" : "s", 0);
		store_close(st);
		p = fixture_path(path, "metadata.json");
		ck_assert_int_eq(unlink(p), 0);
		if (fifo)
			ck_assert_int_eq(mkfifo(p, 0644), 0);
		else
			ck_assert_int_eq(symlink("/etc/passwd", p), 0);
		memset(&err, 0, sizeof err);
		ck_assert_msg(store_open(&st, path, 0, &err) == 0, "%s",
		    err.msg);
		ck_assert_int_eq(store_read_metadata(st, &buf, &len, &err), -1);
		ck_assert_int_eq(err.code, PRUN_EXIT_USAGE);
		ck_assert_msg(fixture_has(err.msg, p), "got: %s", err.msg);
		store_close(st);
		free(p);
		free(path);
	}
	free(dir);
}
END_TEST

/* open refuses a directory without metadata.json, a missing one, and one
 * without tests/; metadata.json reads back. */
START_TEST(open_needs_metadata)
{
	struct prun_store *st;
	struct prun_error err;
	char *dir = fixture_dir(), *path, *p, *buf;
	size_t len;

	path = fixture_path(dir, "bare");
	ck_assert_int_eq(mkdir(path, 0755), 0);
	p = fixture_path(path, "tests");
	ck_assert_int_eq(mkdir(p, 0755), 0);
	free(p);
	memset(&err, 0, sizeof err);
	ck_assert_int_eq(store_open(&st, path, 0, &err), -1);
	ck_assert_int_eq(err.code, PRUN_EXIT_USAGE);
	ck_assert_msg(fixture_has(err.msg, path) &&
	    fixture_has(err.msg, "metadata.json"), "got: %s", err.msg);
	ck_assert_int_eq(store_open(&st, path, 1, &err), -1);
	ck_assert_msg(fixture_has(err.msg, "metadata.json"), "got: %s",
	    err.msg);
	/* The failed writable open dropped its lock. */
	p = fixture_path(path, "metadata.json");
	fixture_write_str(p, metadata);
	free(p);
	ck_assert_msg(store_open(&st, path, 1, &err) == 0, "%s", err.msg);
	ck_assert_int_eq(store_read_metadata(st, &buf, &len, &err), 0);
	ck_assert_uint_eq(len, sizeof metadata - 1);
	ck_assert_str_eq(buf, metadata);
	free(buf);
	store_close(st);
	free(path);

	path = fixture_path(dir, "missing");
	ck_assert_int_eq(store_open(&st, path, 0, &err), -1);
	ck_assert_int_eq(err.code, PRUN_EXIT_USAGE);
	ck_assert_msg(fixture_has(err.msg, path), "got: %s", err.msg);
	free(path);

	path = fixture_path(dir, "notests");
	ck_assert_int_eq(mkdir(path, 0755), 0);
	p = fixture_path(path, "metadata.json");
	fixture_write_str(p, metadata);
	free(p);
	ck_assert_int_eq(store_open(&st, path, 0, &err), -1);
	ck_assert_msg(fixture_has(err.msg, "notests/tests"), "got: %s",
	    err.msg);
	free(path);
	free(dir);
}
END_TEST

/* A record that cannot be written names the test and the file. */
START_TEST(write_error_names_test)
{
	struct prun_store *st;
	struct prun_result r;
	struct prun_error err;
	char *dir = fixture_dir(), *path, *p;

	path = new_store(&st, dir, "r", 0);
	make_result(&r, 6, "gpu/six", PRUN_PASS);
	p = fragment_path(st, 6);
	ck_assert_int_eq(mkdir(p, 0755), 0);
	memset(&err, 0, sizeof err);
	ck_assert_int_eq(store_write_result(st, &r, &err), -1);
	ck_assert_int_eq(err.code, PRUN_EXIT_IO);
	ck_assert_msg(fixture_has(err.msg, "test gpu/six") &&
	    fixture_has(err.msg, "000006.json"), "got: %s", err.msg);
	result_free(&r);
	store_close(st);
	free(p);
	free(path);
	free(dir);
}
END_TEST

static void put_line(FILE *, const char *);

/* A start record of test index, attempt, for store_write_start. */
static void
make_start(struct prun_result *r, size_t index, int attempt)
{
	char name[32];

	snprintf(name, sizeof name, "t/%zu", index);
	make_result(r, index, name, PRUN_INCOMPLETE);
	r->attempt = attempt;
	r->time_start = 1000.5 + (double)index;
}

/* Record the start of r, start number start, and wait until it is
 * durable, as a launch does. */
static void
start_durably(struct prun_store *st, const struct prun_result *r, int start)
{
	struct prun_error err;
	uint64_t ticket;

	memset(&err, 0, sizeof err);
	ck_assert_msg(store_write_start(st, r, start, &ticket, &err) == 0,
	    "%s", err.msg);
	ck_assert_msg(store_start_durable(st, r->index, start, ticket, r->name,
	    &err) == 0, "%s", err.msg);
}

/* Write the start log lines of an earlier prun to DIR/starts.log. */
static void
write_log(const char *path, const char *const *lines, size_t n)
{
	char *log = fixture_path(path, STORE_STARTS);
	size_t i;
	FILE *f;

	ck_assert_ptr_nonnull(f = fopen(log, "w"));
	for (i = 0; i < n; i++)
		put_line(f, lines[i]);
	fclose(f);
	free(log);
}

/* The names in DIR/tests that begin with prefix. */
static size_t
count_names(const char *tests, const char *prefix)
{
	struct dirent *de;
	size_t n = 0;
	DIR *d;

	ck_assert_ptr_nonnull(d = opendir(tests));
	while ((de = readdir(d)) != NULL)
		if (strncmp(de->d_name, prefix, strlen(prefix)) == 0)
			n++;
	closedir(d);
	return n;
}

/* Write the start records of (index, attempt) pairs to st. */
static void
write_starts(struct prun_store *st, const int (*v)[2], size_t n)
{
	struct prun_result r;
	size_t i;

	for (i = 0; i < n; i++) {
		make_start(&r, (size_t)v[i][0], v[i][1]);
		start_durably(st, &r, r.attempt);
		result_free(&r);
	}
}

/* A start log line with its check, as startrec.c writes it. */
static void
put_line(FILE *f, const char *body)
{
	uint32_t h = 2166136261u;
	const char *p;

	for (p = body; *p != '\0'; p++) {
		h ^= (unsigned char)*p;
		h *= 16777619u;
	}
	fprintf(f, "%s %08x\n", body, (unsigned)h);
}

/*
 * The lines of the start log (store.c rules 3 and 11), read back: an
 * older prun's (no start number: the attempt), starts and the marks of
 * starts cut short, each test's latest start winning, and the state and
 * next start number a resume takes from them.
 */
START_TEST(starts_numbers_and_marks)
{
	static const struct {
		const char *lines[4];
		int attempt, start, cut;	/* of the latest; 0: none */
		int interrupted;		/* store_test_state */
	} cases[] = {
		{ { "0 1 1.5" }, 1, 1, 0, 0 },
		{ { "0 2 1.5" }, 2, 2, 0, 0 },
		{ { "0 1 1.5 1" }, 1, 1, 0, 0 },
		{ { "0 1 1.5 1", "0 1 1.5 1 cut" }, 1, 1, 1, 1 },
		{ { "0 1 1.5 1 cut", "0 1 1.5 1" }, 1, 1, 1, 1 },
		{ { "0 1 1.5 1", "0 1 1.5 1 cut", "0 1 2.5 2" }, 1, 2, 0, 0 },
		{ { "0 1 1.5 3", "0 2 2.5 4", "0 1 1.5 2" }, 2, 4, 0, 0 },
		{ { "0 1 1.5", "0 2 2.5 3" }, 2, 3, 0, 0 },
		/* Not records: a start below its attempt, another word. */
		{ { "0 2 1.5 1" }, 0, 0, 0, 0 },
		{ { "0 1 1.5 1 done" }, 0, 0, 0, 0 },
		{ { "0 1 1.5 0" }, 0, 0, 0, 0 },
	};
	struct prun_store *st, *rd;
	struct prun_error err;
	struct store_state ts;
	const struct store_start *sp;
	char *dir = fixture_dir(), *path, *log, name[16];
	size_t i, j;
	FILE *f;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		snprintf(name, sizeof name, "r%zu", i);
		path = new_store(&st, dir, name, 0);
		store_close(st);
		log = fixture_path(path, STORE_STARTS);
		ck_assert_ptr_nonnull(f = fopen(log, "w"));
		for (j = 0; j < 4 && cases[i].lines[j] != NULL; j++)
			put_line(f, cases[i].lines[j]);
		fclose(f);
		ck_assert_int_eq(store_open(&rd, path, 0, &err), 0);
		ck_assert_int_eq(store_load_starts(rd, 1, NULL, NULL, &err), 0);
		sp = store_started(rd, 0);
		ck_assert_int_eq(store_test_state(rd, 0, "t/0", &ts, &err), 0);
		if (cases[i].attempt == 0) {
			ck_assert_msg(sp == NULL, "case %zu: read", i);
			ck_assert_int_eq(ts.kind, STORE_NOTRUN);
		} else {
			ck_assert_msg(sp != NULL, "case %zu: not read", i);
			ck_assert_int_eq(sp->attempt, cases[i].attempt);
			ck_assert_int_eq(sp->start, cases[i].start);
			ck_assert_int_eq(sp->cut, cases[i].cut);
			ck_assert_int_eq(ts.kind, STORE_STARTED);
			ck_assert_int_eq(ts.attempt, cases[i].attempt);
			ck_assert_int_eq(ts.start, cases[i].start);
			ck_assert_int_eq(ts.interrupted, cases[i].interrupted);
		}
		store_state_free(&ts);
		store_close(rd);
		free(log);
		free(path);
	}
	free(dir);
}
END_TEST

/* A start is an entry of tests/ with its start number; a mark of that
 * start renames it to .cut and makes it uncounted. */
START_TEST(starts_marked)
{
	struct prun_store *st, *rd;
	struct prun_result r;
	struct prun_error err;
	struct store_state ts;
	char *dir = fixture_dir(), *path;

	path = new_store(&st, dir, "r", 1);
	make_start(&r, 0, 1);
	start_durably(st, &r, 5);
	ck_assert_uint_eq(count_names(store_tests_path(st), ".000000.5.1."),
	    1);
	ck_assert_int_eq(store_mark_cut(st, 0, "t/0", 5, &err), 0);
	ck_assert_uint_eq(count_names(store_tests_path(st), ".000000.5.1."),
	    1);
	ck_assert_uint_eq(count_names(store_tests_path(st),
	    ".000000.5.1.1000500000.cut"), 1);
	result_free(&r);
	store_close(st);
	ck_assert_int_eq(store_open(&rd, path, 0, &err), 0);
	ck_assert_int_eq(store_load_starts(rd, 1, NULL, NULL, &err), 0);
	ck_assert_int_eq(store_test_state(rd, 0, "t/0", &ts, &err), 0);
	ck_assert_int_eq(ts.kind, STORE_STARTED);
	ck_assert_int_eq(ts.attempt, 1);
	ck_assert_int_eq(ts.start, 5);
	ck_assert_int_eq(ts.interrupted, 1);
	store_state_free(&ts);
	store_close(rd);
	free(path);
	free(dir);
}
END_TEST

/* A test's start records go once a later start of it is durable, and all
 * of them once its finished result is: a test has one at most.  A resume
 * removes those a crash left beside a finished result. */
START_TEST(starts_removed)
{
	struct prun_store *st;
	struct prun_result r;
	struct prun_error err;
	char *dir = fixture_dir(), *path;
	const char *tests;
	int k;

	path = new_store(&st, dir, "r", 1);
	tests = store_tests_path(st);
	make_start(&r, 2, 1);
	for (k = 1; k <= 3; k++) {
		start_durably(st, &r, k);
		ck_assert_uint_eq(count_names(tests, ".000002."), 1);
	}
	result_free(&r);
	make_result(&r, 2, "t/2", PRUN_PASS);
	ck_assert_int_eq(store_write_result(st, &r, &err), 0);
	store_forget_starts(st, 2);
	ck_assert_uint_eq(count_names(tests, ".000002."), 0);
	/* The anchor stays, with no other name. */
	ck_assert_uint_eq(count_names(tests, STORE_START_ANCHOR), 1);
	result_free(&r);
	/* Found at a load, then forgotten: the name goes. */
	make_start(&r, 4, 1);
	start_durably(st, &r, 1);
	result_free(&r);
	store_close(st);
	ck_assert_int_eq(store_open(&st, path, 1, &err), 0);
	ck_assert_int_eq(store_load_starts(st, 5, NULL, NULL, &err), 0);
	ck_assert_ptr_nonnull(store_started(st, 4));
	store_forget_starts(st, 4);
	ck_assert_uint_eq(count_names(store_tests_path(st), ".000004."), 0);
	store_close(st);
	free(path);
	free(dir);
}
END_TEST

/* Starts are entries of tests/, not fragments nor lines of a log; a
 * reader finds each test's latest attempt and its start time. */
START_TEST(starts_recorded)
{
	static const int v[][2] = { { 0, 1 }, { 2, 1 }, { 0, 2 }, { 4, 1 } };
	struct prun_store *st, *rd;
	struct prun_error err;
	struct fixture_warnings w = { { NULL }, 0 };
	const struct store_start *sp;
	char *dir = fixture_dir(), *path, frag[32];
	size_t i;

	path = new_store(&st, dir, "r", 1);
	write_starts(st, v, 4);
	for (i = 0; i < 5; i++) {
		store_fragment_name(i, BACKEND_JSON, frag, sizeof frag);
		ck_assert(!fixture_exists_in(store_tests_path(st), frag));
	}
	/* The anchor and one name for each of tests 0, 2 and 4. */
	ck_assert_uint_eq(fixture_count(store_tests_path(st)), 4);
	ck_assert(!fixture_exists_in(path, STORE_STARTS));
	ck_assert_int_eq(store_open(&rd, path, 0, &err), 0);
	ck_assert_int_eq(store_load_starts(rd, 5, fixture_warn, &w, &err), 0);
	ck_assert_uint_eq(w.n, 0);
	ck_assert_ptr_nonnull(sp = store_started(rd, 0));
	ck_assert_int_eq(sp->attempt, 2);
	ck_assert_ptr_nonnull(sp = store_started(rd, 4));
	ck_assert_int_eq(sp->attempt, 1);
	ck_assert(sp->time > 1004.4 && sp->time < 1004.6);
	ck_assert_ptr_null(store_started(rd, 1));
	ck_assert_ptr_null(store_started(rd, 3));
	store_close(rd);
	/* A plan of 3 tests: test 4's record is not of this plan. */
	ck_assert_int_eq(store_open(&rd, path, 0, &err), 0);
	ck_assert_int_eq(store_load_starts(rd, 3, fixture_warn, &w, &err), 0);
	ck_assert_ptr_null(store_started(rd, 4));
	ck_assert_uint_eq(w.n, 0);
	store_close(rd);
	store_close(st);
	fixture_warnings_free(&w);
	free(path);
	free(dir);
}
END_TEST

/* Names in tests/ that are not start records (a start number below its
 * attempt, another word, not the form prun writes) are none. */
START_TEST(starts_names_checked)
{
	static const char *const bad[] = {
		".000001.1.2.1000.start", ".000001.1.1.1000.done",
		".1.1.1.1000.start", ".000001.0.1.1000.start",
		".000001.1.1.1000.start.tmp", ".000001.1.1.-5.start",
		".000009.1.1.1000.start",
	};
	struct prun_store *st;
	struct prun_error err;
	char *dir = fixture_dir(), *path, *p;
	size_t i;

	path = new_store(&st, dir, "r", 0);
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		p = fixture_path(store_tests_path(st), bad[i]);
		fixture_write_str(p, "");
		free(p);
	}
	p = fixture_path(store_tests_path(st), ".000002.3.2.1500000.start");
	fixture_write_str(p, "");
	free(p);
	store_close(st);
	ck_assert_int_eq(store_open(&st, path, 0, &err), 0);
	ck_assert_int_eq(store_load_starts(st, 5, NULL, NULL, &err), 0);
	ck_assert_ptr_null(store_started(st, 1));
	ck_assert_int_eq(store_started(st, 2)->start, 3);
	ck_assert_int_eq(store_started(st, 2)->attempt, 2);
	ck_assert(store_started(st, 2)->time > 1.4 &&
	    store_started(st, 2)->time < 1.6);
	store_close(st);
	free(path);
	free(dir);
}
END_TEST

/* What a crash left after the last whole record of an earlier prun's
 * start log (a line cut short, zeros, garbage) is ignored without a
 * word; the log is never written again (starts are entries now). */
START_TEST(starts_torn_tail)
{
	static const char *const lines[] = { "1 1 1001.500000 1" };
	static const int more[][2] = { { 3, 1 } };
	static const char *const tails[] = {
		"2 1 1002.5", "\0\0\0\0\0\0\0\0\0\0\0\0", "2 1 1002.500000 "
		"00000000\n", "garbage\nmore garbage",
	};
	static const size_t tail_len[] = { 10, 12, 25, 20 };
	struct prun_store *st, *rd;
	struct prun_error err;
	struct fixture_warnings w = { { NULL }, 0 };
	char *dir = fixture_dir(), *path, *log, *body, *after, name[16];
	size_t i, len, len2;
	FILE *f;

	for (i = 0; i < sizeof tails / sizeof tails[0]; i++) {
		snprintf(name, sizeof name, "r%zu", i);
		path = new_store(&st, dir, name, 0);
		store_close(st);
		write_log(path, lines, 1);
		log = fixture_path(path, STORE_STARTS);
		ck_assert_ptr_nonnull(f = fopen(log, "a"));
		ck_assert_uint_eq(fwrite(tails[i], 1, tail_len[i], f),
		    tail_len[i]);
		fclose(f);
		body = fixture_read(log, &len);
		/* Read: test 1 started, test 2 not, nothing to say. */
		ck_assert_int_eq(store_open(&rd, path, 1, &err), 0);
		ck_assert_int_eq(store_load_starts(rd, 5, fixture_warn, &w,
		    &err), 0);
		ck_assert_msg(w.n == 0, "tail %zu: %s", i, w.n ? w.msg[0] : "");
		ck_assert_ptr_nonnull(store_started(rd, 1));
		ck_assert_ptr_null(store_started(rd, 2));
		/* A start now: an entry; the log is left as it was. */
		write_starts(rd, more, 1);
		store_close(rd);
		after = fixture_read(log, &len2);
		ck_assert(len2 == len && memcmp(body, after, len) == 0);
		ck_assert_int_eq(store_open(&rd, path, 0, &err), 0);
		ck_assert_int_eq(store_load_starts(rd, 5, fixture_warn, &w,
		    &err), 0);
		ck_assert_uint_eq(w.n, 0);
		ck_assert_ptr_nonnull(store_started(rd, 1));
		ck_assert_ptr_nonnull(store_started(rd, 3));
		store_close(rd);
		free(after);
		free(body);
		free(log);
		free(path);
	}
	fixture_warnings_free(&w);
	free(dir);
}
END_TEST

/* A damaged line before a whole record is not a crash's tail: it is
 * named by its line and ignored, and the records around it count. */
START_TEST(starts_damaged_middle)
{
	static const char *const v[] = { "0 1 1000.500000 1",
	    "1 1 1001.500000 1", "2 1 1002.500000 1" };
	static const int more[][2] = { { 4, 2 } };
	struct prun_store *st, *rd;
	struct prun_error err;
	struct fixture_warnings w = { { NULL }, 0 };
	char *dir = fixture_dir(), *path, *log, *body, *nl;
	char longline[70000];
	size_t len;
	FILE *f;

	path = new_store(&st, dir, "r", 0);
	store_close(st);
	write_log(path, v, 3);
	log = fixture_path(path, STORE_STARTS);
	body = fixture_read(log, &len);
	/* Line 2: one digit of its sum changed; then a line too long to
	 * be a record, and one more whole record. */
	nl = strchr(body, '\n') + 1;
	nl[strcspn(nl, "\n") - 1] ^= 1;
	memset(longline, 'x', sizeof longline - 1);
	longline[sizeof longline - 1] = '\0';
	ck_assert_ptr_nonnull(f = fopen(log, "w"));
	fprintf(f, "%s%s\n", body, longline);
	put_line(f, "3 1 1003.500000 1");
	fclose(f);
	ck_assert_int_eq(store_open(&st, path, 1, &err), 0);
	write_starts(st, more, 1);
	store_close(st);
	ck_assert_int_eq(store_open(&rd, path, 0, &err), 0);
	ck_assert_int_eq(store_load_starts(rd, 5, fixture_warn, &w, &err), 0);
	ck_assert_uint_eq(w.n, 1);
	ck_assert_msg(fixture_has(w.msg[0], "starts.log:2: not a start "
	    "record") && fixture_has(w.msg[0], "2 damaged lines"), "got: %s",
	    w.msg[0]);
	ck_assert_ptr_nonnull(store_started(rd, 0));
	ck_assert_ptr_null(store_started(rd, 1));
	ck_assert_ptr_nonnull(store_started(rd, 2));
	ck_assert_ptr_nonnull(store_started(rd, 3));
	ck_assert_int_eq(store_started(rd, 4)->attempt, 2);
	store_close(rd);
	fixture_warnings_free(&w);
	free(body);
	free(log);
	free(path);
	free(dir);
}
END_TEST

/* A symlink or a FIFO planted at the start log: a reader warns and reads
 * none (without blocking); a start never writes it.  One planted at the
 * anchor is replaced by an empty file, never followed. */
START_TEST(starts_not_a_file)
{
	struct prun_store *st;
	struct prun_result r;
	struct prun_error err;
	struct fixture_warnings w = { { NULL }, 0 };
	struct stat sb;
	char *dir = fixture_dir(), *path, *log, *target, *anchor;
	int i;

	for (i = 0; i < 2; i++) {
		path = new_store(&st, dir, i ? "fifo" : "link", 0);
		log = fixture_path(path, STORE_STARTS);
		anchor = fixture_path(store_tests_path(st),
		    STORE_START_ANCHOR);
		target = fixture_path(dir, "elsewhere");
		if (i) {
			ck_assert_int_eq(mkfifo(log, 0644), 0);
			ck_assert_int_eq(mkfifo(anchor, 0644), 0);
		} else {
			ck_assert_int_eq(symlink(target, log), 0);
			ck_assert_int_eq(symlink(target, anchor), 0);
		}
		ck_assert_int_eq(store_load_starts(st, 5, fixture_warn, &w,
		    &err), 0);
		ck_assert_uint_eq(w.n, (size_t)i + 1);
		ck_assert_msg(fixture_has(w.msg[i], STORE_STARTS), "got: %s",
		    w.msg[i]);
		make_start(&r, 0, 1);
		start_durably(st, &r, 1);
		result_free(&r);
		ck_assert(!fixture_exists(target));
		ck_assert_int_eq(lstat(anchor, &sb), 0);
		ck_assert(S_ISREG(sb.st_mode));
		store_close(st);
		free(anchor);
		free(target);
		free(log);
		free(path);
	}
	fixture_warnings_free(&w);
	free(dir);
}
END_TEST

/* A test that has a fragment (an interrupted record) gets its next start
 * record as its fragment, so that the fragment never contradicts it, and
 * a line in the log for its start number. */
START_TEST(starts_after_fragment)
{
	struct prun_store *st, *rd;
	struct prun_result r;
	struct prun_error err;
	char *dir = fixture_dir(), *path;

	path = new_store(&st, dir, "r", 0);
	make_start(&r, 1, 1);
	r.interrupted = 1;
	ck_assert_int_eq(store_write_result(st, &r, &err), 0);
	result_free(&r);
	store_close(st);
	ck_assert_int_eq(store_open(&st, path, 1, &err), 0);
	make_start(&r, 1, 1);
	start_durably(st, &r, 1);
	result_free(&r);
	ck_assert_uint_eq(count_names(store_tests_path(st), ".000001.1.1."),
	    1);
	store_close(st);
	ck_assert_int_eq(store_open(&rd, path, 0, &err), 0);
	ck_assert_int_eq(store_read_result(rd, 1, &r, &err), 1);
	ck_assert_int_eq(r.status, PRUN_INCOMPLETE);
	ck_assert_int_eq(r.interrupted, 0);
	result_free(&r);
	store_close(rd);
	free(path);
	free(dir);
}
END_TEST

/* What a case of state_table puts in the store for test 3, "t/3". */
enum state_setup {
	SETUP_NONE,		/* nothing */
	SETUP_START,		/* a start record, attempt 2 */
	SETUP_INTERRUPTED,	/* an incomplete fragment prun stopped, 3 */
	SETUP_PASS,		/* a finished fragment */
	SETUP_JUNK,		/* a fragment cut short */
	SETUP_OTHER,		/* the fragment of another test, "t/9" */
	SETUP_DIRECTORY		/* a directory at the fragment's name */
};

static const struct state_case {
	const char		*what;
	enum state_setup	 setup;
	int			 live;	/* the writer keeps DIR locked */
	enum store_state_kind	 kind;
	int			 attempt, interrupted, directory;
	const char		*reason;	/* DAMAGED: in the reason */
} state_cases[] = {
	{ "nothing", SETUP_NONE, 0, STORE_NOTRUN, 0, 0, 0, NULL },
	{ "start line", SETUP_START, 0, STORE_STARTED, 2, 0, 0, NULL },
	{ "interrupted", SETUP_INTERRUPTED, 0, STORE_STARTED, 3, 1, 0, NULL },
	{ "finished", SETUP_PASS, 0, STORE_FINISHED, 0, 0, 0, NULL },
	{ "damaged", SETUP_JUNK, 0, STORE_DAMAGED, 0, 0, 0, "000003.json" },
	{ "another test", SETUP_OTHER, 0, STORE_DAMAGED, 0, 0, 0,
	    "/tests/000003.json: holds another test than 't/3' of the plan" },
	{ "directory", SETUP_DIRECTORY, 0, STORE_DAMAGED, 0, 0, 1,
	    "000003.json" },
	{ "live start", SETUP_START, 1, STORE_RUNNING, 2, 0, 0, NULL },
	{ "live interrupted", SETUP_INTERRUPTED, 1, STORE_RUNNING, 3, 1, 0,
	    NULL },
	{ "live finished", SETUP_PASS, 1, STORE_FINISHED, 0, 0, 0, NULL },
	{ "live nothing", SETUP_NONE, 1, STORE_NOTRUN, 0, 0, 0, NULL },
};

/* Put what case c says in st for test 3. */
static void
state_setup(struct prun_store *st, const struct state_case *c)
{
	struct prun_result r;
	struct prun_error err;
	char *p;

	memset(&err, 0, sizeof err);
	switch (c->setup) {
	case SETUP_NONE:
		return;
	case SETUP_START:
		make_start(&r, 3, 2);
		start_durably(st, &r, r.attempt);
		break;
	case SETUP_INTERRUPTED:
		make_start(&r, 3, 3);
		r.interrupted = 1;
		ck_assert_msg(store_write_result(st, &r, &err) == 0, "%s",
		    err.msg);
		break;
	case SETUP_PASS:
	case SETUP_OTHER:
		make_result(&r, 3, c->setup == SETUP_PASS ? "t/3" : "t/9",
		    PRUN_PASS);
		ck_assert_msg(store_write_result(st, &r, &err) == 0, "%s",
		    err.msg);
		break;
	case SETUP_JUNK:
	case SETUP_DIRECTORY:
		p = fragment_path(st, 3);
		if (c->setup == SETUP_JUNK)
			fixture_write_str(p, "{\"format\":\"prun-fragm");
		else
			ck_assert_int_eq(mkdir(p, 0755), 0);
		free(p);
		return;
	}
	result_free(&r);
}

/* store_test_state, one case of state_cases per iteration: a reader
 * says what test 3 is, and so does the writer when it is live (never
 * running: it holds the lock itself). */
START_TEST(state_table)
{
	const struct state_case *c = &state_cases[_i];
	struct prun_store *st, *rd;
	struct prun_error err;
	struct store_state ts;
	char *dir = fixture_dir(), *path;

	memset(&err, 0, sizeof err);
	path = new_store(&st, dir, "r", 0);
	state_setup(st, c);
	if (!c->live)
		store_close(st);
	ck_assert_msg(store_open(&rd, path, 0, &err) == 0, "%s", err.msg);
	ck_assert_int_eq(store_load_starts(rd, 5, NULL, NULL, &err), 0);
	ck_assert_int_eq(store_test_state(rd, 3, "t/3", &ts, &err), 0);
	ck_assert_msg(ts.kind == c->kind, "%s: kind %d, not %d", c->what,
	    ts.kind, c->kind);
	ck_assert_int_eq(ts.attempt, c->attempt);
	ck_assert_int_eq(ts.interrupted, c->interrupted);
	ck_assert_int_eq(ts.directory, c->directory);
	ck_assert_int_eq(ts.has_result, c->setup == SETUP_PASS ||
	    c->setup == SETUP_INTERRUPTED);
	if (c->setup == SETUP_START)
		ck_assert(ts.time_start == 1003.5);
	if (c->kind == STORE_FINISHED) {
		ck_assert_int_eq(ts.result.status, PRUN_PASS);
		ck_assert_str_eq(ts.result.name, "t/3");
	}
	if (c->reason != NULL)
		ck_assert_msg(fixture_has(ts.reason.msg, path) &&
		    fixture_has(ts.reason.msg, c->reason), "%s: got: %s",
		    c->what, ts.reason.msg);
	store_state_free(&ts);
	ck_assert_int_eq(ts.has_result, 0);
	if (c->live) {
		ck_assert_int_eq(store_load_starts(st, 5, NULL, NULL, &err),
		    0);
		ck_assert_int_eq(store_test_state(st, 3, "t/3", &ts, &err), 0);
		ck_assert_int_eq(ts.kind, c->kind == STORE_RUNNING ?
		    STORE_STARTED : c->kind);
		store_state_free(&ts);
		store_close(st);
	}
	store_close(rd);
	free(path);
	free(dir);
}
END_TEST

/* The suite of store tests. */
Suite *
unit_suite(void)
{
	Suite *s = suite_create("store");
	TCase *tc;

	tc = tcase_create("directory");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, create_absent_and_empty);
	tcase_add_test(tc, create_refuses);
	tcase_add_test(tc, create_after_killed_start);
	tcase_add_test(tc, lock_second_writer);
	tcase_add_test(tc, lock_other_process);
	tcase_add_test(tc, open_needs_metadata);
	suite_add_tcase(s, tc);

	tc = tcase_create("fragments");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, write_read_by_index);
	tcase_add_test(tc, read_missing);
	tcase_add_test(tc, read_damaged);
	tcase_add_test(tc, read_other_index);
	tcase_add_test(tc, clean_temporaries);
	tcase_add_test(tc, clean_names_strays);
	tcase_add_test(tc, metadata_not_a_file);
	tcase_add_test(tc, write_error_names_test);
	suite_add_tcase(s, tc);

	tc = tcase_create("starts");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, starts_recorded);
	tcase_add_test(tc, starts_names_checked);
	tcase_add_test(tc, starts_removed);
	tcase_add_test(tc, starts_numbers_and_marks);
	tcase_add_test(tc, starts_marked);
	tcase_add_test(tc, starts_torn_tail);
	tcase_add_test(tc, starts_damaged_middle);
	tcase_add_test(tc, starts_not_a_file);
	tcase_add_test(tc, starts_after_fragment);
	suite_add_tcase(s, tc);

	tc = tcase_create("state");
	tcase_set_timeout(tc, 30);
	tcase_add_loop_test(tc, state_table, 0,
	    sizeof state_cases / sizeof state_cases[0]);
	suite_add_tcase(s, tc);
	return s;
}
