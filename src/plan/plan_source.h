/*
 * plan_source: what plan.c shares with the readers of test sources
 * (testlist.c, profile.c, dirscan.c), shellwords.c and filter.c, and
 * nothing outside the plan layer uses.  The rules they keep are plan.c's.
 */
#ifndef PRUN_PLAN_SOURCE_H
#define PRUN_PLAN_SOURCE_H

#include <stddef.h>

#include "core/error.h"

/* plan.h's, which includes nothing of this internal header. */
struct prun_plan;
struct prun_test;

/* What separates the fields of a test-list line. */
#define LIST_SPACE	" \t\r\f\v"

/* How many bytes of a bad name a message shows. */
#define NAME_SHOWN	160

/* A growing NULL-terminated string vector. */
struct plan_vec {
	char	**v;
	size_t	  n, size;
};

/* Report running out of memory; returns -1. */
int	 plan_nomem(struct prun_error *);

/* A malloc'd printf; NULL when out of memory. */
char	*plan_xprintf(const char *fmt, ...)
	    __attribute__((format(printf, 1, 2)));

/* dir and rel joined by one slash; NULL when out of memory. */
char	*plan_path_join(const char *dir, const char *rel);

/* Copy s, which may be NULL; -1 when out of memory. */
int	 plan_dup_opt(const char *s, char **out);

/* Append s, owned from now on (NULL, a failed strdup, is an error too). */
int	 plan_vec_push(struct plan_vec *, char *s);
/* Hand the vector over (NULL when empty), leaving it empty. */
char	**plan_vec_transfer(struct plan_vec *);
/* Free the strings and the vector. */
void	 plan_vec_clear(struct plan_vec *);

/* Free what a test owns and zero it. */
void	 plan_test_clear(struct prun_test *);

/* s fit for a message in buf: bad bytes as \xNN, cut with "...". */
const char *plan_shown(const char *s, char *buf, size_t size);

/* Fill err if name is not a valid test name; where says where it is from. */
int	 plan_name_check(const char *name, const char *where,
	    struct prun_error *);

/* The same for a name of a new run, which must also have no empty group
 * or case name ("a/", "a//b", "/x"). */
int	 plan_new_name_check(const char *name, const char *where,
	    struct prun_error *);

/* Make test src test dst (dst <= src: filter.c and select.c keep some
 * tests, moved down in order). */
void	 plan_move(struct prun_plan *, size_t dst, size_t src);

/* Replace test i with a copy of t (which may be plan_test's of this plan:
 * the old record stays in the arena, unused, until the plan is freed). */
int	 plan_replace(struct prun_plan *, size_t i, const struct prun_test *t,
	    struct prun_error *);

/* Keep the first n tests (n <= plan_size): the others were dropped or
 * moved down by plan_move. */
void	 plan_keep(struct prun_plan *, size_t n);

/* Append t: the plan copies what t holds into its arena and t is left
 * empty (what t held freed). */
int	 plan_take(struct prun_plan *, struct prun_test *t,
	    struct prun_error *);

/* Move every test of src to the end of dst, all or none. */
int	 plan_transfer(struct prun_plan *dst, struct prun_plan *src,
	    struct prun_error *);

/* The sources: append the tests of a test-list file, a JSON profile, a
 * directory of executables (on error the plan may hold some of them:
 * plan_load appends into a plan of its own, then transfers: rule 1). */
int	 plan_load_list(struct prun_plan *, const char *path,
	    struct prun_error *);
int	 plan_load_profile(struct prun_plan *, const char *path,
	    struct prun_error *);
int	 plan_load_dir(struct prun_plan *, const char *dir,
	    struct prun_error *);

#endif
