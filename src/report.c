/*
 * report: choosing a report writer, and what the writers share.
 */
#include <string.h>

#include "report.h"

static const struct {
	const char		*name;
	enum report_format	 fmt;
	const struct report_ops	*ops;
} formats[] = {
	{ "text", REPORT_TEXT, &report_text_ops },
	{ "json", REPORT_JSON, &report_json_ops },
	{ "tap", REPORT_TAP, &report_tap_ops },
	{ "baseline", REPORT_BASELINE, &report_baseline_ops },
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

/* Set up a writer of format fmt to fp. */
int
report_open(struct report *rep, enum report_format fmt, FILE *fp,
    struct prun_error *err)
{
	size_t i;

	memset(rep, 0, sizeof *rep);
	rep->fp = fp;
	for (i = 0; i < sizeof formats / sizeof formats[0]; i++) {
		if (formats[i].fmt == fmt) {
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
