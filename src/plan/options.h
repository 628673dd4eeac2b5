/*
 * options: the settings of a run, as given on the command line and frozen
 * into metadata.json.
 */
#ifndef PRUN_OPTIONS_H
#define PRUN_OPTIONS_H

#include <stddef.h>

#include "plan/shard.h"

/* How fragments are written: the backend is frozen into the plan. */
enum prun_backend {
	BACKEND_JSON,		/* tests/NNNNNN.json */
	BACKEND_JUNIT,		/* tests/NNNNNN.xml, each a JUnit document */
};

enum prun_progress {
	PROGRESS_AUTO,		/* a live line on a terminal, lines otherwise */
	PROGRESS_TTY,		/* always the live line */
	PROGRESS_LINES,		/* one line per test that did not pass */
	PROGRESS_NONE,
};

/* --color: statuses in colour on a terminal. */
enum prun_color {
	COLOR_AUTO,		/* on a terminal, unless NO_COLOR is set */
	COLOR_ALWAYS,
	COLOR_NEVER,
};

/* --leaks: what processes that outlive a test's main process do to it. */
enum prun_leaks {
	LEAKS_NOTE,		/* noted in the result only */
	LEAKS_WARN,		/* and a pass becomes warn */
	LEAKS_FAIL,		/* and a pass or warn becomes fail */
};

struct prun_options {
	/* Frozen into the plan: a resume takes them from metadata.json. */
	double		  timeout;	/* seconds; 0: none */
	double		  kill_after;	/* seconds from SIGTERM to SIGKILL */
	size_t		  max_output;	/* bytes per stream; 0: the most */
	int		  fsync;	/* 1: always, 0: never */
	enum prun_backend backend;	/* the fragments' format */
	char		**include;	/* -t regexes */
	size_t		  ninclude;
	char		**exclude;	/* -x regexes */
	size_t		  nexclude;
	struct prun_shard shard;	/* --shard; total 0: the whole plan */
	char		**wrapper;	/* --wrapper words, or NULL */
	int		  rerun_failures; /* reruns of a failing test */
	int		  repeat;	/* --repeat: runs of each test (1: once) */
	int		  until_fail;	/* --until-fail: a test's repetitions
					 * stop at its first failure */
	/* May be given again on resume. */
	double		  overall_timeout; /* seconds to start tests in */
	int		  max_fail;	/* --max-fail: failures before no
					 * more starts; 0: no limit */
	int		  jobs;
	int		  max_attempts;
	int		  verbose;	/* -1 quiet, 0 normal, 1 verbose */
	enum prun_progress progress;
	double		  heartbeat;	/* lines: a line after S silent s */
	int		  failure_lines; /* of stderr under a failure line */
	enum prun_color	  color;
	enum prun_leaks	  leaks;	/* --leaks (default note) */
};

/* The defaults of --heartbeat and --failure-lines. */
#define OPTIONS_HEARTBEAT	60
#define OPTIONS_FAILURE_LINES	5

/*
 * The largest --max-output, also what 0 means.  Output is stored as JSON,
 * where a control byte takes 6 bytes (\u0001), so two streams of 16 MiB
 * and the subtests outparse keeps stay below STORE_FRAGMENT_CAP: every
 * fragment prun writes can be read back.
 */
#define OPTIONS_MAX_OUTPUT_MAX	(16u << 20)

/* The largest -j and --max-attempts, and the most seconds of a timeout. */
#define OPTIONS_COUNT_MAX	100000
#define OPTIONS_SECONDS_MAX	1e9

/* The defaults of SPEC.md: one job per online CPU, 2 attempts, ... */
void	options_defaults(struct prun_options *);
void	options_free(struct prun_options *);

/* Parse a --color mode (auto, always, never); -1 if unknown. */
int	options_color_parse(const char *, enum prun_color *);

/* Whether to colour what goes to fd: always, never, or in auto when fd is
 * a terminal and NO_COLOR is not set (to anything, even empty). */
int	options_color_on(enum prun_color, int fd);

/* The name of a backend ("json", "junit"), and back; -1 if unknown. */
const char *options_backend_name(enum prun_backend);
int	options_backend_parse(const char *, enum prun_backend *);

#endif
