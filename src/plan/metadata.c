/*
 * metadata: the frozen plan and options of a run, in memory: made for a
 * fresh run, given its plan, and freed.  metadata.json is written by
 * metadata_write.c and read by metadata_read.c; the plan's id is
 * plan_id.c's.
 */
#include <sys/utsname.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/util.h"
#include "plan/metadata.h"
#include "plan/plan_id.h"

/* Copy the options, with their own regex vectors. */
static int
options_copy(struct prun_options *dst, const struct prun_options *src)
{
	*dst = *src;
	dst->include = dst->exclude = dst->wrapper = NULL;
	if (strv_copy(src->include, &dst->include) == -1 ||
	    strv_copy(src->exclude, &dst->exclude) == -1 ||
	    strv_copy(src->wrapper, &dst->wrapper) == -1)
		return -1;
	return 0;
}

/* Fill md for a fresh run. */
int
metadata_init(struct prun_metadata *md, const struct prun_plan *plan,
    const struct prun_options *opts, int argc, char *const *argv,
    const char *name, struct prun_error *err)
{
	struct utsname u;
	char host[256];
	size_t i;

	memset(md, 0, sizeof *md);
	plan_init(&md->plan);
	for (i = 0; i < plan_size(plan); i++)
		if (plan_append(&md->plan, plan_test(plan, i), err) == -1)
			goto fail;
	if (options_copy(&md->options, opts) == -1)
		goto nomem;
	if (gethostname(host, sizeof host) == -1)
		strcpy(host, "unknown");
	host[sizeof host - 1] = '\0';
	if (uname(&u) == -1)
		memset(&u, 0, sizeof u);
	md->time_start = util_now();
	md->argc = argc;
	if (strv_copy(argv, &md->argv) == -1 ||
	    (md->name = strdup(name)) == NULL ||
	    (md->hostname = strdup(host)) == NULL ||
	    asprintf(&md->uname, "%s %s %s", u.sysname, u.release,
	    u.machine) == -1 ||
	    (md->prun_version = strdup(PACKAGE_VERSION)) == NULL ||
	    (md->plan_id = plan_id(&md->plan)) == NULL)
		goto nomem;
	md->ntests = plan_size(&md->plan);
	return 0;
nomem:
	prun_error_errno(err, PRUN_EXIT_IO, ENOMEM, "metadata");
fail:
	metadata_free(md);
	return -1;
}

/* Give md the plan without copying it (100,000 tests are tens of MB). */
int
metadata_take_plan(struct prun_metadata *md, struct prun_plan *plan,
    struct prun_error *err)
{
	char *id;

	if ((id = plan_id(plan)) == NULL)
		return prun_error_errno(err, PRUN_EXIT_IO, ENOMEM, "metadata");
	plan_free(&md->plan);
	md->plan = *plan;
	plan_init(plan);
	free(md->plan_id);
	md->plan_id = id;
	md->ntests = plan_size(&md->plan);
	return 0;
}

/* Free every member. */
void
metadata_free(struct prun_metadata *md)
{
	plan_free(&md->plan);
	schedule_free(&md->sched);
	options_free(&md->options);
	strv_free(md->argv);
	free(md->name);
	free(md->plan_id);
	free(md->hostname);
	free(md->uname);
	free(md->prun_version);
	memset(md, 0, sizeof *md);
}
