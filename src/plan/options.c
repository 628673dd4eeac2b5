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
	o->repeat = 1;
	o->progress = PROGRESS_AUTO;
	o->heartbeat = OPTIONS_HEARTBEAT;
	o->failure_lines = OPTIONS_FAILURE_LINES;
	o->color = COLOR_AUTO;
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

/* Parse a --color mode. */
int
options_color_parse(const char *name, enum prun_color *out)
{
	if (strcmp(name, "auto") == 0)
		*out = COLOR_AUTO;
	else if (strcmp(name, "always") == 0)
		*out = COLOR_ALWAYS;
	else if (strcmp(name, "never") == 0)
		*out = COLOR_NEVER;
	else
		return -1;
	return 0;
}

/* Whether to colour what goes to fd (no-color.org: NO_COLOR set to
 * anything turns auto off). */
int
options_color_on(enum prun_color mode, int fd)
{
	if (mode != COLOR_AUTO)
		return mode == COLOR_ALWAYS;
	return getenv("NO_COLOR") == NULL && isatty(fd);
}
