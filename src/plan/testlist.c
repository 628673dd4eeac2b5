/*
 * testlist: tests from a test-list file, one "NAME COMMAND..." a line.
 *
 * Blank lines and lines starting with '#' are skipped; an error names the
 * file and line (plan.c rule 3).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "core/error.h"
#include "core/util.h"
#include "plan/plan.h"
#include "plan/plan_source.h"

/* Append the tests of a test-list file: "NAME COMMAND..." lines. */
int
plan_load_list(struct prun_plan *plan, const char *path, struct prun_error *err)
{
	struct prun_test t;
	char *line = NULL, *name, *cmd, buf[NAME_SHOWN];
	size_t cap = 0, lineno = 0;
	ssize_t len;
	FILE *fp;
	int rv = -1;

	memset(&t, 0, sizeof t);
	if ((fp = fopen(path, "r")) == NULL)
		return prun_error_errno(err, PRUN_EXIT_USAGE, errno, "%s",
		    path);
	while ((len = getline(&line, &cap, fp)) != -1) {
		lineno++;
		if (memchr(line, '\0', (size_t)len) != NULL) {
			prun_error_set(err, PRUN_EXIT_USAGE,
			    "%s:%zu: NUL byte in line", path, lineno);
			goto fail;
		}
		while (len > 0 && strchr(LIST_SPACE "\n", line[len - 1]))
			line[--len] = '\0';
		name = line + strspn(line, LIST_SPACE);
		if (*name == '\0' || *name == '#')
			continue;
		cmd = name + strcspn(name, LIST_SPACE);
		if (*cmd != '\0') {
			*cmd++ = '\0';
			cmd += strspn(cmd, LIST_SPACE);
		}
		if ((t.origin = plan_xprintf("%s:%zu", path, lineno)) == NULL ||
		    (t.name = strdup(name)) == NULL) {
			plan_nomem(err);
			goto fail;
		}
		if (plan_new_name_check(name, t.origin, err) == -1)
			goto fail;
		if (*cmd == '\0') {
			prun_error_set(err, PRUN_EXIT_USAGE,
			    "%s: test '%s' has no command", t.origin,
			    plan_shown(name, buf, sizeof buf));
			goto fail;
		}
		if (plan_set_command(&t, cmd, err) == -1 ||
		    plan_take(plan, &t, err) == -1)
			goto fail;
	}
	if (ferror(fp)) {
		prun_error_errno(err, PRUN_EXIT_USAGE, errno, "%s", path);
		goto fail;
	}
	rv = 0;

fail:
	plan_test_clear(&t);
	free(line);
	fclose(fp);
	return rv;
}
