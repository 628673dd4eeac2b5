/*
 * plan: the tests a run executes, in order.
 *
 * A plan is built from test sources (test-list files, JSON profiles,
 * directories of executables), then filtered; its order is the run's order
 * and a test's position is its index, the name of its fragment.
 */
#ifndef PRUN_PLAN_H
#define PRUN_PLAN_H

#include <stddef.h>

#include "core/error.h"

struct prun_test {
	char	 *name;		/* unique, valid UTF-8, no control chars */
	char	 *command;	/* the shell string as given, or NULL */
	char	**argv;		/* NULL-terminated argv that is executed */
	char	**env;		/* NULL-terminated "KEY=VALUE" extras, or NULL */
	char	 *cwd;		/* working directory, or NULL */
	double	  timeout;	/* seconds; 0: the run's --timeout */
	int	  exclusive;	/* runs alone */
	char	 *origin;	/* "FILE:LINE" it came from, for messages */
};

/* A test of the plan to run now, and its attempt: the scheduler's todo
 * list, made by resume and cut by shard. */
struct run_todo {
	size_t	index;		/* into the plan */
	int	attempt;	/* 1 for a first run */
	int	start;		/* its start number (PRUN_ATTEMPT), from 1 */
};

/*
 * The plan's storage is the plan layer's own: every other layer reaches
 * its tests through plan_size and plan_test, so that the plan can change
 * how it keeps a million tests without touching them.  A test is kept as
 * one compact record in the plan's arena (plan.c rule 5), and plan_test
 * builds the struct prun_test it returns from it.
 */
struct plan_block;
struct plan_ring;
struct prun_plan {
	char			***chunks;	/* PLAN_CHUNK records each,
						 * never moved once made */
	size_t			  n, nchunks;
	struct plan_block	 *arena;	/* the records (plan.c) */
	char			**sources;	/* origins' files, and origins
						 * many tests share, interned */
	size_t			  nsources;
	struct plan_ring	 *ring;		/* what plan_test returns */
};

/* The number of tests. */
size_t	 plan_size(const struct prun_plan *);

/*
 * Test i (i < plan_size).  The struct, its argv and its origin are built
 * for this call and stay valid for the next PLAN_TEST_KEPT - 1 calls of
 * plan_test on the plan; its other strings and vectors (name, command,
 * env, cwd) are the plan's and live until the plan changes.  Whoever
 * holds a test longer (a running test's slot) keeps it by plan_test_keep.
 */
#define PLAN_TEST_KEPT	16
const struct prun_test *plan_test(const struct prun_plan *, size_t i);

/* A copy of t into *dst that lives as long as the plan: its argv and
 * origin malloc'd (-1 when out of memory, *dst then empty).  Free it with
 * plan_test_drop, which leaves it empty (an empty one is fine). */
int	 plan_test_keep(struct prun_test *dst, const struct prun_test *t);
void	 plan_test_drop(struct prun_test *);

/* What plan_test(plan, i) would say of its name and of whether it runs
 * alone, without building the test: for loops over every test.  The name
 * lives until the plan changes. */
const char *plan_name(const struct prun_plan *, size_t i);
int	 plan_exclusive(const struct prun_plan *, size_t i);

void	 plan_init(struct prun_plan *);
void	 plan_free(struct prun_plan *);

/*
 * Append the tests of one source: a directory (every executable regular
 * file below it, sorted, run directly), a JSON profile (a name ending in
 * ".json") or a test-list file.  Errors name the file and line.
 */
int	 plan_load(struct prun_plan *, const char *path, struct prun_error *);

/*
 * Set a test's command from a shell string: a string without shell syntax
 * is split into words and executed directly (so a signal that kills the
 * program is seen as a crash); anything else runs under /bin/sh -c.
 */
int	 plan_set_command(struct prun_test *, const char *shell,
	    struct prun_error *);

/* Set a test's command from an argv array (copied; no shell). */
int	 plan_set_argv(struct prun_test *, char *const *argv,
	    struct prun_error *);

/* Whether prun runs the test's command under its own /bin/sh -c (the
 * command has shell syntax), directly or through a wrapper. */
int	 plan_uses_shell(const struct prun_test *);

/* The command as one display string (the shell string, or argv joined
 * with shell quoting where needed); malloc'd. */
char	*plan_command_string(const struct prun_test *);

/* Append a copy of test t into the plan's arena (takes ownership of
 * nothing). */
int	 plan_append(struct prun_plan *, const struct prun_test *t,
	    struct prun_error *);

/*
 * Keep the tests whose name matches one of the include regexes (all when
 * there are none) and none of the exclude regexes (POSIX extended).
 */
int	 plan_filter(struct prun_plan *, char *const *include, size_t ninclude,
	    char *const *exclude, size_t nexclude, struct prun_error *);

/*
 * Run every test through a launcher (srun, valgrind, ssh): its argv becomes
 * the wrapper's words followed by its own, and it is executed without a
 * shell of prun's (a shell string runs as wrapper /bin/sh -c STRING).
 */
int	 plan_wrap(struct prun_plan *, char *const *wrapper,
	    struct prun_error *);

/* Refuse empty, invalid or duplicate names, naming the origins. */
int	 plan_check(const struct prun_plan *, struct prun_error *);

#endif
