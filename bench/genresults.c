/*
 * genresults: a results directory as a long run leaves it, for bench/run.
 *
 *     genresults [-m MISSING] N DIR
 *
 * Writes DIR/metadata.json for a plan of N tests and a finished fragment
 * for each but the last MISSING of them, through prun's own library, so
 * the files are exactly what prun writes.  Nine tests in ten pass with
 * about 1 KB of output; one in ten fails with about 20 KB (16 KB of
 * stdout, 4 KB of stderr) and a few subtests.  Nothing is fsync'd: this
 * only prepares input for the summary and resume benchmarks.
 */
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "plan/metadata.h"
#include "plan/options.h"
#include "plan/plan.h"
#include "core/result.h"
#include "store/store.h"

/* Fill buf with len bytes of lines that look like a test's chatter. */
static char *
chatter(size_t index, size_t len, const char *what)
{
	char *buf, line[128];
	size_t off = 0, n, i = 0;

	if ((buf = malloc(len + 1)) == NULL)
		err(1, NULL);
	while (off < len) {
		n = (size_t)snprintf(line, sizeof line, "[%06zu] %s %zu: "
		    "checked %zu values, max error 0.%03zu ulp\n", index, what,
		    i, (index * 7 + i * 13) % 4096, (index + i) % 1000);
		if (n > len - off)
			n = len - off;
		memcpy(buf + off, line, n);
		off += n;
		i++;
	}
	buf[len] = '\0';
	return buf;
}

int
main(int argc, char **argv)
{
	struct prun_error e = { 0 };
	struct prun_metadata md;
	struct prun_options opts;
	struct prun_plan plan;
	struct prun_store *st;
	struct prun_test t;
	struct prun_result r;
	struct prun_subtest subs[3];
	char name[128], cmd[128], *buf, *args[] = { "prun", "run", NULL };
	size_t n, missing = 0, i, len;
	int c;

	while ((c = getopt(argc, argv, "m:")) != -1) {
		if (c != 'm')
			errx(2, "usage: genresults [-m MISSING] N DIR");
		missing = strtoul(optarg, NULL, 10);
	}
	if (argc - optind != 2)
		errx(2, "usage: genresults [-m MISSING] N DIR");
	n = strtoul(argv[optind], NULL, 10);
	plan_init(&plan);
	for (i = 0; i < n; i++) {
		memset(&t, 0, sizeof t);
		snprintf(name, sizeof name, "suite%02zu/group%03zu/test%06zu",
		    i % 7, i / 1000, i);
		snprintf(cmd, sizeof cmd, "./bin/case-runner --quick %06zu", i);
		t.name = name;
		t.origin = "genresults";
		if (plan_set_command(&t, cmd, &e) == -1 ||
		    plan_append(&plan, &t, &e) == -1)
			errx(1, "%s", e.msg);
		free(t.command);
		for (c = 0; t.argv[c] != NULL; c++)
			free(t.argv[c]);
		free(t.argv);
	}
	options_defaults(&opts);
	opts.fsync = 0;
	if (metadata_init(&md, &plan, &opts, 2, args, "bench", &e) == -1 ||
	    store_create(&st, argv[optind + 1], opts.backend, opts.fsync,
	    &e) == -1 ||
	    (buf = metadata_encode(&md, &len, &e)) == NULL ||
	    store_write_metadata(st, buf, len, &e) == -1)
		errx(1, "%s", e.msg);
	free(buf);
	for (i = 0; i + missing < n; i++) {
		int failing = i % 10 == 3;

		memset(&r, 0, sizeof r);
		r.index = i;
		r.name = (*plan_test(&plan, i)).name;
		r.command = (*plan_test(&plan, i)).command;
		r.attempt = 1;
		r.status = failing ? PRUN_FAIL : PRUN_PASS;
		r.has_returncode = 1;
		r.returncode = failing ? 1 : 0;
		r.pid = 10000 + (long)i;
		r.time_start = md.time_start + i * 0.01;
		r.time_end = r.time_start + 0.25;
		r.out = chatter(i, failing ? 16384 : 1024, "out");
		r.out_len = strlen(r.out);
		r.err = chatter(i, failing ? 4096 : 0, "err");
		r.err_len = strlen(r.err);
		if (failing) {
			subs[0].name = "basic";
			subs[0].status = PRUN_PASS;
			subs[1].name = "stress";
			subs[1].status = PRUN_FAIL;
			subs[2].name = "corner";
			subs[2].status = PRUN_SKIP;
			r.subtests = subs;
			r.nsubtests = 3;
		}
		if (store_write_result(st, &r, &e) == -1)
			errx(1, "%s", e.msg);
		free(r.out);
		free(r.err);
	}
	store_close(st);
	metadata_free(&md);
	plan_free(&plan);
	return 0;
}
