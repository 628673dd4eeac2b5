/*
 * select: the tests a run is limited to by name (--tests-from FILE,
 * --failed-from SRC), as a set of names, and the plan cut to it.
 *
 * The selection cuts the plan like -t and -x, before them: the plan and
 * its plan_id are those of the selected tests, so shards given the same
 * selection agree, and shards given another are refused as another plan.
 */
#ifndef PRUN_SELECT_H
#define PRUN_SELECT_H

#include <stddef.h>

#include "core/error.h"
#include "core/util.h"
#include "plan/plan.h"

struct prun_selection {
	char		**names;	/* each once */
	char		**origins;	/* "FILE:LINE", or NULL: not checked
					 * against the plan */
	size_t		  n, size;
	struct nametab	  tab;
	int		  used;		/* a selection was given */
};

void	select_init(struct prun_selection *);

/* Add name (origin "FILE:LINE", or NULL); a name given twice is kept
 * once. */
int	select_add(struct prun_selection *, const char *name,
	    const char *origin, struct prun_error *);

/* Add the names of a file, one a line ("-": standard input); blank lines
 * are skipped. */
int	select_read(struct prun_selection *, const char *path,
	    struct prun_error *);

/*
 * Keep the tests of plan that s names (all, when s is not used).  A name
 * with an origin that the plan lacks is a usage error naming its file
 * and line.
 */
int	select_plan(const struct prun_selection *, struct prun_plan *,
	    struct prun_error *);

/* Whether s names the test. */
int	select_has(const struct prun_selection *, const char *name);

void	select_free(struct prun_selection *);

#endif
