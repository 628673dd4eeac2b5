/*
 * cli: prun's command line, parsed into what each command needs.
 */
#ifndef PRUN_CLI_H
#define PRUN_CLI_H

#include <stddef.h>

#include "core/error.h"
#include "plan/options.h"
#include "report/report.h"

enum cli_command {
	CLI_NONE,
	CLI_RUN,
	CLI_SUMMARY,
	CLI_LIST,
	CLI_STATUS,
};

struct cli {
	enum cli_command	 cmd;
	int			 help;		/* --help was asked for */
	int			 version;	/* --version */
	struct prun_options	 opts;
	unsigned		 given;		/* options of the plan given */
	int			 jobs_given;
	int			 attempts_given;
	int			 overall_given;	/* --overall-timeout */
	int			 max_fail_given;	/* --max-fail */
	int			 repeat_given;	/* --repeat */
	char			*output;	/* run: DIR; summary: FILE */
	char			*resume;	/* --resume DIR */
	enum report_format	 format;
	int			 format_given;
	char			*baseline;	/* summary --baseline FILE */
	char			*flakes;	/* summary --flakes FILE */
	int			 allow_fixes;
	int			 compare;	/* summary --compare: runs */
	enum report_show	 show_output;	/* --html-output */
	size_t			 show_max;	/* --html-max-output */
	int			 html_given;	/* one of those two given */
	int			 junit_subtests;	/* --junit-subtests */
	size_t			 junit_max_output; /* --junit-max-output */
	int			 junit_given;	/* one of those two given */
	size_t			 junit_split;	/* --split N; 0: one report */
	int			 piglit_names;	/* --piglit-names */
	char			**history;	/* --history SRC, each */
	size_t			 nhistory;
	char			**tests_from;	/* --tests-from FILE, each */
	size_t			 ntests_from;
	char			**failed_from;	/* --failed-from SRC, each */
	size_t			 nfailed_from;
	/* run: watching the machine (not frozen: give them on resume) */
	int			 dmesg;		/* --dmesg */
	char			*dmesg_regex;	/* --dmesg-regex, or NULL */
	char			*abort_on;	/* --abort-on REGEX, or NULL */
	int			 abort_taint;	/* --abort-on-taint */
	unsigned long		 taint_mask;	/* its MASK */
	char			*events;	/* --events FILE, or NULL */
	int			 json;		/* status --json */
	char			**args;		/* TESTS or DIRs */
	size_t			 nargs;
};

/* Parse argv; errors are usage errors naming the option. */
int		 cli_parse(struct cli *, int argc, char **argv,
		    struct prun_error *);
void		 cli_free(struct cli *);

/* The usage text of a command (CLI_NONE: the whole program). */
const char	*cli_usage(enum cli_command);

/* The --help text of a command: its usage and one line per option. */
const char	*cli_help(enum cli_command);

/* Parse "1.5" seconds, or "64K" bytes; -1 when invalid. */
int		 cli_parse_seconds(const char *, double *);
int		 cli_parse_bytes(const char *, size_t *);

#endif
