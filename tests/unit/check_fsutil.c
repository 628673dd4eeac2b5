/*
 * check_fsutil: unit tests of the file-system primitives prun's
 * durability rests on: the atomic write of fragments, the careful read
 * (size cap, no symlinks, no blocking on FIFOs), the temporary names, and
 * the atomic report file of prun summary -o.
 */
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <pthread.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <check.h>

#include "fixture.h"
#include "core/fsutil.h"
#include "core/groupsync.h"
#include "unit.h"

/* A test directory and a descriptor on it. */
struct tdir {
	char	*path;
	int	 fd;
};

/* Make a test directory and open it. */
static void
tdir_open(struct tdir *d)
{
	d->path = fixture_dir();
	d->fd = open(d->path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ck_assert_int_ne(d->fd, -1);
}

/* Close and forget a test directory (main removes the files). */
static void
tdir_close(struct tdir *d)
{
	close(d->fd);
	free(d->path);
}

/* The file d/name as a string, or NULL. */
static char *
slurp(const struct tdir *d, const char *name, size_t *len)
{
	char *p = fixture_path(d->path, name), *buf;

	buf = fixture_read(p, len);
	free(p);
	return buf;
}

/* Plant something at d/name. */
static void
plant_file(const struct tdir *d, const char *name, const char *content)
{
	char *p = fixture_path(d->path, name);

	fixture_write_str(p, content);
	free(p);
}

/* The content is written whole, with a NUL inside, and nothing else is
 * left in the directory. */
START_TEST(write_content)
{
	static const char data[] = "{\"a\":\"b\\u0000c\"}\n\0tail";
	struct prun_error err;
	struct tdir d;
	char *got;
	size_t len;
	int sync;

	for (sync = 0; sync <= 1; sync++) {
		tdir_open(&d);
		memset(&err, 0, sizeof err);
		ck_assert_msg(fsutil_write_atomic(d.fd, d.path, "000000.json",
		    data, sizeof data, sync, &err) == 0, "%s", err.msg);
		got = slurp(&d, "000000.json", &len);
		ck_assert_ptr_nonnull(got);
		ck_assert_uint_eq(len, sizeof data);
		ck_assert_mem_eq(got, data, sizeof data);
		ck_assert_uint_eq(fixture_count(d.path), 1);
		free(got);

		/* An empty file is a file too. */
		ck_assert_int_eq(fsutil_write_atomic(d.fd, d.path, "empty",
		    "", 0, sync, &err), 0);
		got = slurp(&d, "empty", &len);
		ck_assert_ptr_nonnull(got);
		ck_assert_uint_eq(len, 0);
		free(got);
		ck_assert_uint_eq(fixture_count(d.path), 2);
		tdir_close(&d);
	}
}
END_TEST

/* The new file's mode is 0666 less the umask, like any created file. */
START_TEST(write_mode_umask)
{
	static const mode_t masks[] = { 022, 027, 077, 0 };
	struct prun_error err;
	struct stat st;
	struct tdir d;
	char *p;
	size_t i;

	tdir_open(&d);
	p = fixture_path(d.path, "f");
	for (i = 0; i < sizeof masks / sizeof masks[0]; i++) {
		umask(masks[i]);
		ck_assert_int_eq(fsutil_write_atomic(d.fd, d.path, "f", "x", 1,
		    0, &err), 0);
		ck_assert_int_eq(lstat(p, &st), 0);
		ck_assert_msg(S_ISREG(st.st_mode), "not a regular file");
		ck_assert_uint_eq(st.st_mode & 07777, 0666 & ~masks[i]);
	}
	umask(022);
	free(p);
	tdir_close(&d);
}
END_TEST

/* An existing final name (a file, or a symlink) is replaced whole. */
START_TEST(write_replaces)
{
	struct prun_error err;
	struct stat st;
	struct tdir d;
	char *got, *victim, *link;

	tdir_open(&d);
	plant_file(&d, "r", "the old content, longer than the new one\n");
	ck_assert_int_eq(fsutil_write_atomic(d.fd, d.path, "r", "new\n", 4, 1,
	    &err), 0);
	got = slurp(&d, "r", NULL);
	ck_assert_str_eq(got, "new\n");
	free(got);

	/* A symlink at the final name is replaced, its target untouched. */
	victim = fixture_path(d.path, "victim");
	link = fixture_path(d.path, "l");
	fixture_write_str(victim, "keep");
	ck_assert_int_eq(symlink(victim, link), 0);
	ck_assert_int_eq(fsutil_write_atomic(d.fd, d.path, "l", "data", 4, 0,
	    &err), 0);
	ck_assert_int_eq(lstat(link, &st), 0);
	ck_assert_msg(S_ISREG(st.st_mode), "the symlink was followed");
	got = slurp(&d, "victim", NULL);
	ck_assert_str_eq(got, "keep");
	free(got);
	ck_assert_uint_eq(fixture_count(d.path), 3);
	free(victim);
	free(link);
	tdir_close(&d);
}
END_TEST

/* A symlink planted at the temporary name is never written through. */
START_TEST(write_planted_symlink)
{
	struct prun_error err;
	struct stat st;
	struct tdir d;
	char *victim, *tmp, *got;
	int rc;

	tdir_open(&d);
	victim = fixture_path(d.path, "victim");
	tmp = fixture_path(d.path, ".000003.json.tmp");
	fixture_write_str(victim, "precious");
	ck_assert_int_eq(symlink(victim, tmp), 0);
	memset(&err, 0, sizeof err);
	rc = fsutil_write_atomic(d.fd, d.path, "000003.json", "evil", 4, 1,
	    &err);
	got = slurp(&d, "victim", NULL);
	ck_assert_str_eq(got, "precious");
	free(got);
	if (rc == -1) {
		/* Refused: the message names the file; no final name. */
		ck_assert_int_eq(err.code, PRUN_EXIT_IO);
		ck_assert_msg(fixture_has(err.msg, ".000003.json.tmp"),
		    "got: %s", err.msg);
		ck_assert_int_eq(fixture_exists_in(d.path, "000003.json"), 0);
	} else {
		/* Or written as a new file in place of the link. */
		got = slurp(&d, "000003.json", NULL);
		ck_assert_str_eq(got, "evil");
		free(got);
		free(tmp);
		tmp = fixture_path(d.path, "000003.json");
		ck_assert_int_eq(lstat(tmp, &st), 0);
		ck_assert_msg(S_ISREG(st.st_mode), "final name not a file");
	}
	free(victim);
	free(tmp);
	tdir_close(&d);
}
END_TEST

/* A FIFO planted at the temporary name does not block the writer (a test
 * can write in PRUN_RESULTS_DIR; prun must not hang on what it leaves). */
START_TEST(write_planted_fifo)
{
	struct prun_error err;
	struct tdir d;
	char *tmp, *got;

	tdir_open(&d);
	tmp = fixture_path(d.path, ".000004.json.tmp");
	ck_assert_int_eq(mkfifo(tmp, 0644), 0);
	alarm(10);
	memset(&err, 0, sizeof err);
	if (fsutil_write_atomic(d.fd, d.path, "000004.json", "data", 4, 0,
	    &err) == 0) {
		got = slurp(&d, "000004.json", NULL);
		ck_assert_str_eq(got, "data");
		free(got);
	} else
		ck_assert_msg(fixture_has(err.msg, ".000004.json.tmp"),
		    "got: %s", err.msg);
	alarm(0);
	free(tmp);
	tdir_close(&d);
}
END_TEST

/* A stale temporary file from a crash does not stop the next write, and
 * a hard link planted there is not written through. */
START_TEST(write_stale_temporary)
{
	struct prun_error err;
	struct tdir d;
	char *victim, *tmp, *got;

	tdir_open(&d);
	plant_file(&d, ".a.tmp", "half a record");
	ck_assert_msg(fsutil_write_atomic(d.fd, d.path, "a", "whole", 5, 0,
	    &err) == 0, "%s", err.msg);
	got = slurp(&d, "a", NULL);
	ck_assert_str_eq(got, "whole");
	free(got);
	ck_assert_int_eq(fixture_exists_in(d.path, ".a.tmp"), 0);
	/* The name it used is one a resume knows to remove. */
	ck_assert(fsutil_is_temporary(".a.tmp"));

	victim = fixture_path(d.path, "victim");
	tmp = fixture_path(d.path, ".b.tmp");
	fixture_write_str(victim, "precious");
	ck_assert_int_eq(link(victim, tmp), 0);
	memset(&err, 0, sizeof err);
	(void)fsutil_write_atomic(d.fd, d.path, "b", "evil", 4, 0, &err);
	got = slurp(&d, "victim", NULL);
	ck_assert_str_eq(got, "precious");
	free(got);
	free(victim);
	free(tmp);
	tdir_close(&d);
}
END_TEST

/* A write that fails leaves no temporary file and the final name as it
 * was. */
START_TEST(write_failure_cleans)
{
	struct prun_error err;
	struct tdir d;
	char *sub, name[300];

	tdir_open(&d);
	/* A directory at the final name: the rename fails. */
	sub = fixture_path(d.path, "000001.json");
	ck_assert_int_eq(mkdir(sub, 0755), 0);
	memset(&err, 0, sizeof err);
	ck_assert_int_eq(fsutil_write_atomic(d.fd, d.path, "000001.json", "x",
	    1, 1, &err), -1);
	ck_assert_int_eq(err.code, PRUN_EXIT_IO);
	ck_assert_msg(fixture_has(err.msg, d.path) &&
	    fixture_has(err.msg, "000001.json"), "got: %s", err.msg);
	ck_assert_uint_eq(fixture_count(d.path), 1);
	ck_assert_uint_eq(fixture_count(sub), 0);

	/* A name whose temporary name is too long for the file system. */
	memset(name, 'n', 254);
	name[254] = '\0';
	memset(&err, 0, sizeof err);
	ck_assert_int_eq(fsutil_write_atomic(d.fd, d.path, name, "x", 1, 0,
	    &err), -1);
	ck_assert_msg(fixture_has(err.msg, "too long"), "got: %s", err.msg);
	ck_assert_uint_eq(fixture_count(d.path), 1);
	free(sub);
	tdir_close(&d);
}
END_TEST

/* read_file reads a file whole, NUL-terminated; a missing file is 0. */
START_TEST(read_basic)
{
	static const char data[] = "line\n\0after nul";
	struct prun_error err;
	struct tdir d;
	char *p, *buf = NULL;
	size_t len = 99;

	tdir_open(&d);
	p = fixture_path(d.path, "f");
	fixture_write(p, data, sizeof data - 1, 0644);
	ck_assert_int_eq(fsutil_read_file(d.fd, d.path, "f", 1024, &buf, &len,
	    &err), 1);
	ck_assert_uint_eq(len, sizeof data - 1);
	ck_assert_mem_eq(buf, data, sizeof data - 1);
	ck_assert_int_eq(buf[len], '\0');
	free(buf);

	/* Exactly at the cap is allowed. */
	buf = NULL;
	ck_assert_int_eq(fsutil_read_file(d.fd, d.path, "f", sizeof data - 1,
	    &buf, &len, &err), 1);
	free(buf);

	buf = NULL;
	ck_assert_int_eq(fsutil_read_file(d.fd, d.path, "missing", 1024, &buf,
	    &len, &err), 0);
	ck_assert_ptr_null(buf);
	free(p);
	tdir_close(&d);
}
END_TEST

/* A file above the cap is an error naming it and both sizes. */
START_TEST(read_cap)
{
	struct prun_error err;
	struct tdir d;
	char *buf = NULL;
	size_t len;

	tdir_open(&d);
	plant_file(&d, "big", "0123456789");
	memset(&err, 0, sizeof err);
	ck_assert_int_eq(fsutil_read_file(d.fd, d.path, "big", 9, &buf, &len,
	    &err), -1);
	ck_assert_ptr_null(buf);
	/* Not what prun writes there: bad input, not an I/O error. */
	ck_assert_int_eq(err.code, PRUN_EXIT_USAGE);
	ck_assert_msg(fixture_has(err.msg, "/big: 10 bytes") &&
	    fixture_has(err.msg, "limit of 9"), "got: %s", err.msg);
	ck_assert_msg(strncmp(err.msg, d.path, strlen(d.path)) == 0,
	    "got: %s", err.msg);
	tdir_close(&d);
}
END_TEST

/* A FIFO is refused at once, without waiting for a writer. */
START_TEST(read_fifo)
{
	struct prun_error err;
	struct tdir d;
	char *p, *buf = NULL;
	size_t len;

	tdir_open(&d);
	p = fixture_path(d.path, "000002.json");
	ck_assert_int_eq(mkfifo(p, 0644), 0);
	alarm(10);
	memset(&err, 0, sizeof err);
	ck_assert_int_eq(fsutil_read_file(d.fd, d.path, "000002.json", 1024,
	    &buf, &len, &err), -1);
	alarm(0);
	ck_assert_ptr_null(buf);
	ck_assert_msg(fixture_has(err.msg,
	    "000002.json: a FIFO, not a regular file"), "got: %s", err.msg);
	ck_assert_int_eq(err.code, PRUN_EXIT_USAGE);

	/* A directory is not a regular file either. */
	free(p);
	p = fixture_path(d.path, "dir");
	ck_assert_int_eq(mkdir(p, 0755), 0);
	ck_assert_int_eq(fsutil_read_file(d.fd, d.path, "dir", 1024, &buf,
	    &len, &err), -1);
	ck_assert_msg(fixture_has(err.msg, "dir: a directory, not a regular "
	    "file"), "got: %s", err.msg);
	free(p);
	tdir_close(&d);
}
END_TEST

/* A symlink is refused, even to a good file. */
START_TEST(read_symlink)
{
	struct prun_error err;
	struct tdir d;
	char *target, *link, *buf = NULL;
	size_t len;

	tdir_open(&d);
	target = fixture_path(d.path, "target");
	link = fixture_path(d.path, "link");
	fixture_write_str(target, "{}");
	ck_assert_int_eq(symlink(target, link), 0);
	memset(&err, 0, sizeof err);
	ck_assert_int_eq(fsutil_read_file(d.fd, d.path, "link", 1024, &buf,
	    &len, &err), -1);
	ck_assert_ptr_null(buf);
	ck_assert_int_eq(err.code, PRUN_EXIT_USAGE);
	ck_assert_msg(fixture_has(err.msg, "/link: a symbolic link, not "
	    "followed"), "got: %s", err.msg);
	/* A dangling symlink is not "missing" either. */
	ck_assert_int_eq(unlink(target), 0);
	ck_assert_int_eq(fsutil_read_file(d.fd, d.path, "link", 1024, &buf,
	    &len, &err), -1);
	free(target);
	free(link);
	tdir_close(&d);
}
END_TEST

/* The temporary names of write_atomic and atomic_begin, and no others. */
START_TEST(is_temporary)
{
	static const char *const yes[] = {
		".000001.json.tmp", ".metadata.json.tmp", ".x.tmp",
		".report.json.1234.tmp", "..tmp.tmp",
	};
	static const char *const no[] = {
		"000001.json", "metadata.json", ".tmp", "..tmp", "x.tmp",
		".000001.json", ".000001.json.tmp~", ".000001.json.TMP", "",
		".", "..", "tmp",
	};
	size_t i;

	for (i = 0; i < sizeof yes / sizeof yes[0]; i++)
		ck_assert_msg(fsutil_is_temporary(yes[i]), "%s", yes[i]);
	for (i = 0; i < sizeof no / sizeof no[0]; i++)
		ck_assert_msg(!fsutil_is_temporary(no[i]), "%s", no[i]);
}
END_TEST

/* A report is invisible until commit, which renames it into place. */
START_TEST(atomic_commit)
{
	struct fsutil_atomic a;
	struct prun_error err;
	struct stat st;
	char *dir, *path, *got;
	FILE *fp;

	dir = fixture_dir();
	path = fixture_path(dir, "report.json");
	fixture_write_str(path, "old report\n");
	umask(027);
	memset(&err, 0, sizeof err);
	ck_assert_ptr_nonnull(fp = fsutil_atomic_begin(&a, path, &err));
	ck_assert_int_eq(fprintf(fp, "new report %d\n", 42) > 0, 1);
	/* Before commit: the old file, and one temporary beside it. */
	got = fixture_read(path, NULL);
	ck_assert_str_eq(got, "old report\n");
	free(got);
	ck_assert_uint_eq(fixture_count(dir), 2);
	ck_assert_int_eq(fixture_exists(a.tmp), 1);
	ck_assert(fsutil_is_temporary(strrchr(a.tmp, '/') + 1));
	ck_assert_msg(fsutil_atomic_commit(&a, &err) == 0, "%s", err.msg);
	got = fixture_read(path, NULL);
	ck_assert_str_eq(got, "new report 42\n");
	free(got);
	ck_assert_uint_eq(fixture_count(dir), 1);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_uint_eq(st.st_mode & 07777, 0640);
	ck_assert_ptr_null(a.tmp);
	ck_assert_ptr_null(a.fp);
	umask(022);
	free(path);
	free(dir);
}
END_TEST

/* A report file name without a directory goes to the current one. */
START_TEST(atomic_relative)
{
	struct fsutil_atomic a;
	struct prun_error err;
	char *dir, *got;
	FILE *fp;

	dir = fixture_dir();
	ck_assert_int_eq(chdir(dir), 0);
	ck_assert_ptr_nonnull(fp = fsutil_atomic_begin(&a, "out.tap", &err));
	fputs("1..0\n", fp);
	ck_assert_int_eq(fsutil_atomic_commit(&a, &err), 0);
	got = fixture_read("out.tap", NULL);
	ck_assert_str_eq(got, "1..0\n");
	free(got);
	ck_assert_uint_eq(fixture_count("."), 1);
	free(dir);
}
END_TEST

/* abort leaves nothing behind and the old report as it was. */
START_TEST(atomic_abort)
{
	struct fsutil_atomic a;
	struct prun_error err;
	char *dir, *path, *got;
	FILE *fp;

	dir = fixture_dir();
	path = fixture_path(dir, "r.txt");
	ck_assert_ptr_nonnull(fp = fsutil_atomic_begin(&a, path, &err));
	fputs("half", fp);
	fsutil_atomic_abort(&a);
	ck_assert_uint_eq(fixture_count(dir), 0);
	ck_assert_ptr_null(a.path);

	fixture_write_str(path, "old");
	ck_assert_ptr_nonnull(fp = fsutil_atomic_begin(&a, path, &err));
	fputs("new", fp);
	fsutil_atomic_abort(&a);
	ck_assert_uint_eq(fixture_count(dir), 1);
	got = fixture_read(path, NULL);
	ck_assert_str_eq(got, "old");
	free(got);
	/* Aborting twice is harmless. */
	fsutil_atomic_abort(&a);
	free(path);
	free(dir);
}
END_TEST

/* begin in a missing directory, and commit over a directory, fail with
 * the name and leave nothing. */
START_TEST(atomic_errors)
{
	struct fsutil_atomic a;
	struct prun_error err;
	char *dir, *path;
	FILE *fp;

	dir = fixture_dir();
	path = fixture_path(dir, "nodir/r.json");
	memset(&err, 0, sizeof err);
	ck_assert_ptr_null(fsutil_atomic_begin(&a, path, &err));
	ck_assert_int_eq(err.code, PRUN_EXIT_IO);
	ck_assert_msg(fixture_has(err.msg, "nodir/") &&
	    fixture_has(err.msg, "cannot create"), "got: %s", err.msg);
	free(path);

	/* A directory is refused before anything is written (issue 12). */
	path = fixture_path(dir, "isdir");
	ck_assert_int_eq(mkdir(path, 0755), 0);
	memset(&err, 0, sizeof err);
	ck_assert_ptr_null(fp = fsutil_atomic_begin(&a, path, &err));
	ck_assert_int_eq(err.code, PRUN_EXIT_USAGE);
	ck_assert_msg(fixture_has(err.msg, "isdir"), "got: %s", err.msg);
	ck_assert_uint_eq(fixture_count(dir), 1);
	free(path);
	free(dir);
}
END_TEST

/* Temporaries of the same name whose process is gone are removed; a live
 * process's, and other names, are kept (issue 12). */
START_TEST(atomic_stale)
{
	static const char *const keep[] = { ".r.txt.1.tmp", ".r.txt.tmp",
	    ".r.txt.x1.tmp", ".q.txt.%ld.tmp" };
	struct fsutil_atomic a;
	struct prun_error err;
	char *dir, *path, *rel, *p;
	pid_t dead;
	FILE *fp;
	size_t i;

	if ((dead = fork()) == 0)
		_exit(0);
	ck_assert_int_eq(waitpid(dead, NULL, 0), dead);
	dir = fixture_dir();
	path = fixture_path(dir, "r.txt");
	for (i = 0; i < sizeof keep / sizeof keep[0]; i++) {
		ck_assert_int_ne(asprintf(&rel, keep[i], (long)dead), -1);
		fixture_write_str(p = fixture_path(dir, rel), "k");
		free(p);
		free(rel);
	}
	ck_assert_int_ne(asprintf(&rel, ".r.txt.%ld.tmp", (long)dead), -1);
	fixture_write_str(p = fixture_path(dir, rel), "stale");
	memset(&err, 0, sizeof err);
	ck_assert_ptr_nonnull(fp = fsutil_atomic_begin(&a, path, &err));
	ck_assert_int_eq(fsutil_atomic_commit(&a, &err), 0);
	ck_assert_int_eq(fixture_exists(p), 0);
	ck_assert_uint_eq(fixture_count(dir), 5);
	free(p);
	free(rel);
	free(path);
	free(dir);
}
END_TEST

/* fsutil_is_inside: resolved paths, existing or not, against a dir. */
START_TEST(is_inside)
{
	static const struct {
		const char	*path;
		int		 want;
	} cases[] = {
		{ "res", 1 },
		{ "res/metadata.json", 1 },
		{ "res/tests/000000.json", 1 },
		{ "res/new.txt", 1 },
		{ "res/../res/x", 1 },
		{ "resx/a", 0 },
		{ "res.txt", 0 },
		{ "other/a", 0 },
		{ "nodir/a", 0 },
	};
	char *dir, *res, *path;
	size_t i;

	dir = fixture_dir();
	ck_assert_int_eq(mkdir(res = fixture_path(dir, "res"), 0755), 0);
	ck_assert_int_eq(mkdir(path = fixture_path(dir, "res/tests"), 0755),
	    0);
	free(path);
	ck_assert_int_eq(mkdir(path = fixture_path(dir, "resx"), 0755), 0);
	free(path);
	ck_assert_int_eq(mkdir(path = fixture_path(dir, "other"), 0755), 0);
	free(path);
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		path = fixture_path(dir, cases[i].path);
		ck_assert_msg(fsutil_is_inside(path, res) == cases[i].want,
		    "%s", cases[i].path);
		free(path);
	}
	free(res);
	free(dir);
}
END_TEST

/* A write error (a full disk) is reported by commit, not lost. */
START_TEST(atomic_full_disk)
{
	struct fsutil_atomic a;
	struct prun_error err;
	FILE *fp;
	char *dir, *path;
	int i;

	if (access("/dev/full", W_OK) == -1)
		return;
	dir = fixture_dir();
	path = fixture_path(dir, "r");
	ck_assert_ptr_nonnull(fp = fsutil_atomic_begin(&a, path, &err));
	/* Swap the stream's descriptor for /dev/full. */
	i = open("/dev/full", O_WRONLY | O_CLOEXEC);
	ck_assert_int_ne(i, -1);
	ck_assert_int_ne(dup2(i, fileno(fp)), -1);
	close(i);
	for (i = 0; i < 1000; i++)
		fputs("some report text\n", fp);
	memset(&err, 0, sizeof err);
	ck_assert_int_eq(fsutil_atomic_commit(&a, &err), -1);
	ck_assert_int_eq(err.code, PRUN_EXIT_IO);
	ck_assert_msg(fixture_has(err.msg, "cannot write"), "got: %s",
	    err.msg);
	ck_assert_uint_eq(fixture_count(dir), 0);
	free(path);
	free(dir);
}
END_TEST

/* groupsync: a wait issues an fsync only when none since its change
 * covers it; changes made before one fsync share it. */
START_TEST(groupsync_shared)
{
	struct prun_error err;
	struct groupsync *g;
	uint64_t a, b, c;
	char *dir = fixture_dir();
	int fd;

	ck_assert_int_ne(fd = open(dir, O_RDONLY | O_DIRECTORY), -1);
	ck_assert_ptr_nonnull(g = groupsync_new(fd, dir));
	a = groupsync_changed(g);
	b = groupsync_changed(g);
	ck_assert(b > a);
	ck_assert_int_eq(groupsync_wait(g, b, "b", &err), 0);
	ck_assert_uint_eq(groupsync_count(g), 1);
	/* a was covered by the same fsync, and b is not synced twice. */
	ck_assert_int_eq(groupsync_wait(g, a, "a", &err), 0);
	ck_assert_int_eq(groupsync_wait(g, b, "b", &err), 0);
	ck_assert_uint_eq(groupsync_count(g), 1);
	c = groupsync_changed(g);
	ck_assert_int_eq(groupsync_wait(g, c, "c", &err), 0);
	ck_assert_uint_eq(groupsync_count(g), 2);
	groupsync_free(g);
	close(fd);
	free(dir);
}
END_TEST

struct gs_thread {
	struct groupsync *g;
	int		  failed;
};

/* Make 200 changes, waiting for each. */
static void *
gs_worker(void *arg)
{
	struct gs_thread *t = arg;
	struct prun_error err;
	int i;

	for (i = 0; i < 200; i++)
		if (groupsync_wait(t->g, groupsync_changed(t->g), "x",
		    &err) != 0)
			t->failed++;
	return NULL;
}

/* Eight threads at once: every wait succeeds, none issues more than its
 * own fsync, and they share some. */
START_TEST(groupsync_threads)
{
	struct gs_thread t[8];
	pthread_t th[8];
	struct groupsync *g;
	char *dir = fixture_dir();
	int fd, i;

	ck_assert_int_ne(fd = open(dir, O_RDONLY | O_DIRECTORY), -1);
	ck_assert_ptr_nonnull(g = groupsync_new(fd, dir));
	for (i = 0; i < 8; i++) {
		t[i].g = g;
		t[i].failed = 0;
		ck_assert_int_eq(pthread_create(&th[i], NULL, gs_worker,
		    &t[i]), 0);
	}
	for (i = 0; i < 8; i++) {
		pthread_join(th[i], NULL);
		ck_assert_int_eq(t[i].failed, 0);
	}
	ck_assert_uint_le(groupsync_count(g), 1600);
	ck_assert_uint_ge(groupsync_count(g), 1);
	groupsync_free(g);
	close(fd);
	free(dir);
}
END_TEST

/* A failed fsync fails its waiters and every later one, naming the
 * directory and the change: it is never retried and trusted. */
START_TEST(groupsync_failure_sticks)
{
	struct prun_error err;
	struct groupsync *g;
	uint64_t a;

	/* fsync of a descriptor that is not open fails (EBADF). */
	ck_assert_ptr_nonnull(g = groupsync_new(1000, "/nowhere"));
	a = groupsync_changed(g);
	ck_assert_int_eq(groupsync_wait(g, a, "000001.json", &err), -1);
	ck_assert_msg(strstr(err.msg, "/nowhere: cannot fsync directory "
	    "after writing 000001.json") != NULL, "got: %s", err.msg);
	ck_assert_int_eq(groupsync_wait(g, groupsync_changed(g), "y", &err),
	    -1);
	ck_assert_uint_eq(groupsync_count(g), 1);
	groupsync_free(g);
}
END_TEST

/* The suite of fsutil tests. */
Suite *
unit_suite(void)
{
	Suite *s = suite_create("fsutil");
	TCase *tc;

	tc = tcase_create("write_atomic");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, write_content);
	tcase_add_test(tc, groupsync_shared);
	tcase_add_test(tc, groupsync_threads);
	tcase_add_test(tc, groupsync_failure_sticks);
	tcase_add_test(tc, write_mode_umask);
	tcase_add_test(tc, write_replaces);
	tcase_add_test(tc, write_planted_symlink);
	tcase_add_test(tc, write_planted_fifo);
	tcase_add_test(tc, write_stale_temporary);
	tcase_add_test(tc, write_failure_cleans);
	suite_add_tcase(s, tc);

	tc = tcase_create("read_file");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, read_basic);
	tcase_add_test(tc, read_cap);
	tcase_add_test(tc, read_fifo);
	tcase_add_test(tc, read_symlink);
	suite_add_tcase(s, tc);

	tc = tcase_create("names");
	tcase_add_test(tc, is_temporary);
	suite_add_tcase(s, tc);

	tc = tcase_create("atomic report");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, atomic_commit);
	tcase_add_test(tc, atomic_relative);
	tcase_add_test(tc, atomic_abort);
	tcase_add_test(tc, atomic_errors);
	tcase_add_test(tc, atomic_stale);
	tcase_add_test(tc, is_inside);
	tcase_add_test(tc, atomic_full_disk);
	suite_add_tcase(s, tc);
	return s;
}
