/*
 * options: defaults of the run settings and their release.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "plan/options.h"

/* The defaults of prun(1): one job per online CPU, 2 attempts, ... */
void
options_defaults(struct prun_options *o)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	memset(o, 0, sizeof *o);
	o->timeout = 0;
	o->kill_after = 5;
	o->max_output = 1024 * 1024;
	o->fsync = 1;
	o->backend = BACKEND_JSON;
	o->jobs = n > 0 ? (int)n : 1;
	o->max_attempts = 2;
	o->progress = PROGRESS_AUTO;
}

/* Free the regex lists and the wrapper. */
void
options_free(struct prun_options *o)
{
	size_t i;

	for (i = 0; o->include != NULL && i < o->ninclude; i++)
		free(o->include[i]);
	for (i = 0; o->exclude != NULL && i < o->nexclude; i++)
		free(o->exclude[i]);
	for (i = 0; o->wrapper != NULL && o->wrapper[i] != NULL; i++)
		free(o->wrapper[i]);
	free(o->include);
	free(o->exclude);
	free(o->wrapper);
	o->include = o->exclude = o->wrapper = NULL;
	o->ninclude = o->nexclude = 0;
}

/* The name of a backend, as --backend and metadata.json spell it. */
const char *
options_backend_name(enum prun_backend b)
{
	return b == BACKEND_JUNIT ? "junit" : "json";
}

/* Parse a backend name. */
int
options_backend_parse(const char *name, enum prun_backend *out)
{
	if (strcmp(name, "json") == 0)
		*out = BACKEND_JSON;
	else if (strcmp(name, "junit") == 0)
		*out = BACKEND_JUNIT;
	else
		return -1;
	return 0;
}
