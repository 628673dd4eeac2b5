/*
 * metadata: the frozen plan of a run, metadata.json, to and from bytes.
 *
 * It holds everything a resume or a summary needs without the original
 * command line: format version, prun version, argv, every frozen option,
 * every test (name, command, env, cwd, timeout), the host and start time.
 */
#ifndef PRUN_METADATA_H
#define PRUN_METADATA_H

#include <stddef.h>

#include "error.h"
#include "options.h"
#include "plan.h"

#define METADATA_FORMAT		"prun-results"
#define METADATA_VERSION	1

struct prun_metadata {
	struct prun_plan	 plan;
	struct prun_options	 options;
	char			*name;		/* the run's name (DIR's base) */
	char			*plan_id;	/* hash of names and commands */
	char			*hostname;
	char			*uname;		/* "sysname release machine" */
	char			*prun_version;
	double			 time_start;	/* seconds since the epoch */
	char			**argv;		/* prun's command line */
	int			 argc;
};

/* Fill md from a fresh run: takes ownership of nothing. */
int	 metadata_init(struct prun_metadata *, const struct prun_plan *,
	    const struct prun_options *, int argc, char *const *argv,
	    const char *name, struct prun_error *);

/* Serialize md; returns a malloc'd buffer and its length, or NULL. */
char	*metadata_encode(const struct prun_metadata *, size_t *len,
	    struct prun_error *);

/* Parse metadata.json; what names the file in messages. */
int	 metadata_decode(struct prun_metadata *, const char *buf, size_t len,
	    const char *what, struct prun_error *);

void	 metadata_free(struct prun_metadata *);

#endif
