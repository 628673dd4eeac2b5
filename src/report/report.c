/*
 * report: choosing a report writer, and what the writers share.
 */
#include <string.h>

#include "report/report.h"

static const struct {
	const char		*name;
	enum report_format	 fmt;
	const struct report_ops	*ops;
} formats[] = {
	{ "text", REPORT_TEXT, &report_text_ops },
	{ "json", REPORT_JSON, &report_json_ops },
	{ "tap", REPORT_TAP, &report_tap_ops },
	{ "baseline", REPORT_BASELINE, &report_baseline_ops },
	{ "html", REPORT_HTML, &report_html_ops },
	{ "junit", REPORT_JUNIT, &report_junit_ops },
};

/* Parse a -f name. */
int
report_format_parse(const char *name, enum report_format *out)
{
	size_t i;

	for (i = 0; i < sizeof formats / sizeof formats[0]; i++) {
		if (strcmp(name, formats[i].name) == 0) {
			*out = formats[i].fmt;
			return 0;
		}
	}
	return -1;
}

/* The defaults: html shows the output of failing tests, 16 KiB of each
 * stream; junit holds 20 MiB of output in all. */
void
report_options_init(struct report_options *opts, enum report_format fmt)
{
	memset(opts, 0, sizeof *opts);
	opts->format = fmt;
	opts->show_output = REPORT_SHOW_FAILING;
	opts->show_max = REPORT_SHOW_MAX;
	opts->junit_max_output = REPORT_JUNIT_MAX_OUTPUT;
}

/* Set up a writer of opts->format to fp. */
int
report_open(struct report *rep, const struct report_options *opts,
    FILE *fp, struct prun_error *err)
{
	size_t i;

	memset(rep, 0, sizeof *rep);
	rep->fp = fp;
	rep->opts = opts;
	for (i = 0; i < sizeof formats / sizeof formats[0]; i++) {
		if (formats[i].fmt == opts->format) {
			rep->ops = formats[i].ops;
			return 0;
		}
	}
	return prun_error_set(err, PRUN_EXIT_USAGE, "unknown report format");
}

/* Split "a/b/c" into group "a/b" (its length is returned) and case "c". */
size_t
report_split_name(const char *name, const char **casename)
{
	const char *slash = strrchr(name, '/');

	if (slash == NULL) {
		*casename = name;
		return 0;
	}
	*casename = slash + 1;
	return (size_t)(slash - name);
}
