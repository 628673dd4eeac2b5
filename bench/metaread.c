/*
 * metaread: how long reading a results directory's metadata.json takes,
 * plan and all, as a resume does before its first test.
 *
 *     metaread FILE
 *
 * One line goes to standard output: wall seconds of metadata_read (open
 * to the checked plan), the number of tests, and the peak resident set
 * of the process in KiB.  Run it warm (the file read once before) and in
 * turns with another build to compare them.
 */
#include <sys/resource.h>

#include <err.h>
#include <stdio.h>
#include <time.h>

#include "plan/metadata.h"

/* Seconds on the monotonic clock. */
static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int
main(int argc, char **argv)
{
	struct prun_error e = { 0 };
	struct prun_metadata md;
	struct rusage ru;
	FILE *fp;
	double t0, t1;

	if (argc != 2)
		errx(2, "usage: metaread FILE");
	if ((fp = fopen(argv[1], "r")) == NULL)
		err(1, "%s", argv[1]);
	t0 = now();
	if (metadata_read(&md, fp, argv[1], &e) == -1)
		errx(1, "%s", e.msg);
	t1 = now();
	getrusage(RUSAGE_SELF, &ru);
	printf("%.3f %zu %ld\n", t1 - t0, plan_size(&md.plan), ru.ru_maxrss);
	metadata_free(&md);
	return 0;
}
