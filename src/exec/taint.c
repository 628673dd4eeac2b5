/*
 * taint: reading and naming the kernel's taint flags (see taint.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exec/taint.h"

/* The kernel's names of its taint bits (Documentation/admin-guide/
 * tainted-kernels.rst), by bit. */
static const char *const names[] = {
	"P, proprietary module", "F, module force-loaded",
	"S, kernel out of specification", "R, module force-unloaded",
	"M, machine check", "B, bad page", "U, taint requested by user",
	"D, kernel died (oops)", "A, ACPI table overridden",
	"W, kernel warning", "C, staging driver", "I, firmware workaround",
	"O, out-of-tree module", "E, unsigned module", "L, soft lockup",
	"K, kernel live-patched", "X, auxiliary", "T, structural randomization",
	"N, in-kernel test",
};

const char *
taint_path(void)
{
	const char *p = getenv(TAINT_ENV);

	return p != NULL && *p != '\0' ? p : TAINT_PATH;
}

/* Read the taint flags; see taint.h. */
int
taint_read(const char *path, unsigned long *bits, struct prun_error *err)
{
	char buf[64], *end;
	FILE *fp;
	size_t n;

	if (path == NULL)
		path = taint_path();
	if ((fp = fopen(path, "re")) == NULL)
		return prun_error_errno(err, PRUN_EXIT_USAGE, errno,
		    "cannot read the kernel's taint flags %s", path);
	n = fread(buf, 1, sizeof buf - 1, fp);
	fclose(fp);
	buf[n] = '\0';
	errno = 0;
	*bits = strtoul(buf, &end, 10);
	if (end == buf || errno != 0 || buf[strspn(buf, "0123456789\n")] !=
	    '\0')
		return prun_error_set(err, PRUN_EXIT_USAGE, "%s: not a "
		    "number of taint flags: '%.20s'", path, buf);
	return 0;
}

/* Describe bits into buf; see taint.h. */
void
taint_describe(unsigned long bits, char *buf, size_t size)
{
	size_t len = 0, b;

	buf[0] = '\0';
	for (b = 0; b < sizeof bits * 8 && len + 1 < size; b++) {
		if (!(bits & (1ul << b)))
			continue;
		len += (size_t)snprintf(buf + len, size - len, "%s%zu (%s)",
		    len > 0 ? ", " : "", b, b < sizeof names / sizeof *names ?
		    names[b] : "unknown");
	}
}
