/*
 * fragbench: what one flat tests/ directory costs at N fragments, for
 * bench/RESULTS.md (issue #15, item 2).
 *
 *     fragbench [-s SAMPLE] DIR N
 *
 * DIR/tests is made and filled with N fragment-sized files named as prun
 * names them (NNNNNN.json), then, with N files in it, SAMPLE more records
 * are written the way store.c writes one (fsutil's rules: a temporary
 * ".NNNNNN.json.tmp" created O_EXCL, written, fsync'd, renamed, and the
 * directory fsync'd), each step timed on its own.  Then the directory is
 * scanned whole (readdir, as a resume's clean-up and a CI glob do) and
 * SAMPLE fragments are opened and read by name at random (as store.c
 * finds a test's fragment by its index).  One line per step: microseconds
 * per operation (median and 99th percentile of the sample, or the mean
 * for the fill and the scan).
 */
#include <sys/stat.h>

#include <dirent.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* A fragment's worth of bytes (a passing test of "true" is ~230). */
static const char body[] = "{\"format\":\"prun-fragment\",\"version\":1,"
    "\"index\":0,\"name\":\"t0000000\",\"attempt\":1,\"command\":\"true\","
    "\"result\":\"pass\",\"returncode\":0,\"pid\":1,\"time\":{\"start\":"
    "1.0,\"end\":1.0},\"out\":\"\",\"err\":\"\",\"subtests\":{}}";

/* Microseconds on the monotonic clock. */
static double
now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Print the median and 99th percentile of n timings (sorted here). */
static void
report(const char *what, double *v, size_t n, size_t nfiles)
{
	qsort(v, n, sizeof *v, cmp_double);
	printf("%-28s %9zu %10.1f %10.1f\n", what, nfiles, v[n / 2],
	    v[n * 99 / 100]);
}

/* Create name in dirfd and write one fragment to it. */
static int
write_file(int dirfd, const char *name, int flags)
{
	int fd;

	if ((fd = openat(dirfd, name, O_WRONLY | O_CREAT | O_EXCL |
	    O_NOFOLLOW | O_CLOEXEC | flags, 0666)) == -1)
		return -1;
	if (write(fd, body, sizeof body - 1) != (ssize_t)(sizeof body - 1)) {
		close(fd);
		return -1;
	}
	return fd;
}

int
main(int argc, char **argv)
{
	char path[4096], name[64], tmp[64], buf[4096];
	double *tc, *tf, *tr, *td, *to, t0, t1;
	size_t n, sample = 1000, i, k, seen;
	struct dirent *de;
	DIR *d;
	int c, dirfd, fd;

	while ((c = getopt(argc, argv, "s:")) != -1) {
		if (c != 's')
			errx(2, "usage: fragbench [-s SAMPLE] DIR N");
		sample = strtoul(optarg, NULL, 10);
	}
	if (argc - optind != 2 || sample == 0)
		errx(2, "usage: fragbench [-s SAMPLE] DIR N");
	n = strtoul(argv[optind + 1], NULL, 10);
	snprintf(path, sizeof path, "%s/tests", argv[optind]);
	if (mkdir(argv[optind], 0777) == -1 && errno != EEXIST)
		err(1, "%s", argv[optind]);
	if (mkdir(path, 0777) == -1)
		err(1, "%s", path);
	if ((dirfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		err(1, "%s", path);
	if ((tc = calloc(sample, sizeof *tc)) == NULL ||
	    (tf = calloc(sample, sizeof *tf)) == NULL ||
	    (tr = calloc(sample, sizeof *tr)) == NULL ||
	    (td = calloc(sample, sizeof *td)) == NULL ||
	    (to = calloc(sample, sizeof *to)) == NULL)
		err(1, "calloc");

	/* The fill: N records without fsync (a --fsync never run). */
	t0 = now_us();
	for (i = 0; i < n; i++) {
		snprintf(tmp, sizeof tmp, ".%06zu.json.tmp", i);
		snprintf(name, sizeof name, "%06zu.json", i);
		if ((fd = write_file(dirfd, tmp, 0)) == -1 || close(fd) == -1)
			err(1, "%s/%s", path, tmp);
		if (renameat(dirfd, tmp, dirfd, name) == -1)
			err(1, "%s/%s", path, name);
	}
	t1 = now_us();
	printf("%-28s %9s %10s %10s\n", "step (us per operation)", "files",
	    "median", "p99");
	printf("%-28s %9zu %10.1f %10s\n", "fill: create+write+rename", n,
	    n ? (t1 - t0) / n : 0.0, "(mean)");
	sync();

	/* SAMPLE records more, the way fsutil_write_atomic writes one. */
	for (i = 0; i < sample; i++) {
		snprintf(tmp, sizeof tmp, ".%06zu.json.tmp", n + i);
		snprintf(name, sizeof name, "%06zu.json", n + i);
		t0 = now_us();
		if ((fd = write_file(dirfd, tmp, 0)) == -1)
			err(1, "%s/%s", path, tmp);
		t1 = now_us();
		tc[i] = t1 - t0;
		if (fsync(fd) == -1 || close(fd) == -1)
			err(1, "%s/%s: fsync", path, tmp);
		t0 = now_us();
		tf[i] = t0 - t1;
		if (renameat(dirfd, tmp, dirfd, name) == -1)
			err(1, "%s/%s", path, name);
		t1 = now_us();
		tr[i] = t1 - t0;
		if (fsync(dirfd) == -1)
			err(1, "%s: fsync", path);
		td[i] = now_us() - t1;
	}
	report("create+write (O_EXCL)", tc, sample, n);
	report("fsync of the file", tf, sample, n);
	report("rename", tr, sample, n);
	report("fsync of tests/", td, sample, n);

	/* A whole scan: every name, as a resume's clean-up reads them. */
	t0 = now_us();
	if ((fd = dup(dirfd)) == -1 || (d = fdopendir(fd)) == NULL)
		err(1, "%s", path);
	for (seen = 0; (de = readdir(d)) != NULL; )
		seen += de->d_name[0] != '.';
	closedir(d);
	t1 = now_us();
	printf("%-28s %9zu %10.3f %10s  (%.0f ms in all)\n",
	    "scan: readdir", seen, seen ? (t1 - t0) / seen : 0.0,
	    "(mean)", (t1 - t0) / 1e3);

	/* Found by index: open and read a fragment named by its number. */
	srand(1);
	for (i = 0; i < sample; i++) {
		k = ((size_t)rand() * RAND_MAX + (size_t)rand()) % (n + sample);
		snprintf(name, sizeof name, "%06zu.json", k);
		t0 = now_us();
		if ((fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC)) == -1 ||
		    read(fd, buf, sizeof buf) <= 0 || close(fd) == -1)
			err(1, "%s/%s", path, name);
		to[i] = now_us() - t0;
	}
	report("open+read by index", to, sample, n + sample);
	/* And a name that is not there, as for a test not run yet. */
	for (i = 0; i < sample; i++) {
		snprintf(name, sizeof name, "%06zu.json", n + sample + i);
		t0 = now_us();
		if (openat(dirfd, name, O_RDONLY | O_CLOEXEC) != -1 ||
		    errno != ENOENT)
			errx(1, "%s/%s: there", path, name);
		to[i] = now_us() - t0;
	}
	report("open of a missing name", to, sample, n + sample);
	close(dirfd);
	return 0;
}
