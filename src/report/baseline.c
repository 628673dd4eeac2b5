/*
 * baseline: expected failures and known flakes, and the verdict on a test.
 *
 * The baseline is a table of names (util.h's nametab), the only thing
 * here that grows with the suite; flakes are a short list of compiled
 * regexes.  Names may hold blanks, so the status of a baseline line is its
 * last word and the name everything before it.
 */
#include <ctype.h>
#include <errno.h>
#include <regex.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/util.h"
#include "report/baseline.h"

struct entry {
	enum prun_status	 status;
	int			 seen;
	size_t			 line;
};

struct baseline {
	char		**names;	/* by id, in the order listed */
	struct entry	 *entries;	/* by id */
	size_t		  n, size;
	struct nametab	  tab;		/* ids, by name */
	regex_t		*flakes;
	size_t		 nflakes;
};

static const char *const verdict_names[BASELINE_NVERDICTS] = {
	[BASELINE_OK] = "ok",
	[BASELINE_EXPECTED] = "expected",
	[BASELINE_FLAKE] = "flake",
	[BASELINE_FIXED] = "fixed",
	[BASELINE_UNEXPECTED] = "unexpected",
};

/* Room for one more entry: 0 or -1. */
static int
grow(struct baseline *bl)
{
	size_t size = bl->size ? 2 * bl->size : 256;
	char **names;
	struct entry *entries;

	if (bl->n < bl->size)
		return 0;
	if ((names = realloc(bl->names, size * sizeof *names)) == NULL)
		return -1;
	bl->names = names;
	if ((entries = realloc(bl->entries, size * sizeof *entries)) == NULL)
		return -1;
	bl->entries = entries;
	bl->size = size;
	return 0;
}

/* An empty baseline. */
struct baseline *
baseline_new(void)
{
	struct baseline *bl;

	if ((bl = calloc(1, sizeof *bl)) != NULL)
		nametab_init_names(&bl->tab, (char *const *const *)&bl->names);
	return bl;
}

/* Free the table and the regexes. */
void
baseline_free(struct baseline *bl)
{
	size_t i;

	if (bl == NULL)
		return;
	for (i = 0; i < bl->n; i++)
		free(bl->names[i]);
	for (i = 0; i < bl->nflakes; i++)
		regfree(&bl->flakes[i]);
	nametab_free(&bl->tab);
	free(bl->names);
	free(bl->entries);
	free(bl->flakes);
	free(bl);
}

/* Parse a status name in any case ("Fail", as deqp-runner writes it). */
static int
parse_status(const char *s, enum prun_status *out)
{
	char low[32];
	size_t i;

	for (i = 0; s[i] != '\0' && i < sizeof low - 1; i++)
		low[i] = (char)tolower((unsigned char)s[i]);
	low[i] = '\0';
	return s[i] != '\0' ? -1 : status_parse(low, out);
}

/* The next line of text into *line (NUL-terminated in place of '\n'),
 * with trailing blanks and a CR cut; NULL at the end. */
static char *
next_line(char **text)
{
	char *line = *text, *end;
	size_t len;

	if (*line == '\0')
		return NULL;
	if ((end = strchr(line, '\n')) != NULL) {
		*end = '\0';
		*text = end + 1;
	} else
		*text = line + strlen(line);
	len = strlen(line);
	while (len > 0 && strchr(" \t\r", line[len - 1]) != NULL)
		line[--len] = '\0';
	return line;
}

/* Add one "NAME STATUS" (or "NAME,Status") line. */
static int
add_line(struct baseline *bl, char *line, const char *what, size_t lineno,
    struct prun_error *err)
{
	enum prun_status status;
	struct entry *e;
	char *sep, *name;
	size_t len, id;

	for (sep = line + strlen(line); sep > line && sep[-1] != ' ' &&
	    sep[-1] != '\t'; sep--)
		;
	if (sep == line)
		sep = strrchr(line, ',');
	else
		sep--;
	if (sep == NULL || sep == line)
		return prun_error_set(err, PRUN_EXIT_USAGE, "%s:%zu: not a "
		    "'NAME STATUS' line", what, lineno);
	if (parse_status(sep + 1, &status) == -1)
		return prun_error_set(err, PRUN_EXIT_USAGE, "%s:%zu: unknown "
		    "status '%s'", what, lineno, sep + 1);
	for (len = (size_t)(sep - line); len > 0 &&
	    strchr(" \t,", line[len - 1]) != NULL; len--)
		;
	if ((name = strndup(line, len)) == NULL)
		return prun_error_errno(err, PRUN_EXIT_IO, errno, "%s", what);
	if ((id = nametab_find_name(&bl->tab, name)) != NAMETAB_NONE) {
		prun_error_set(err, PRUN_EXIT_USAGE, "%s:%zu: test '%s' is "
		    "already listed on line %zu", what, lineno, name,
		    bl->entries[id].line);
		free(name);
		return -1;
	}
	if (grow(bl) == -1 || nametab_add_name(&bl->tab, name, bl->n) == -1) {
		free(name);
		return prun_error_errno(err, PRUN_EXIT_IO, ENOMEM, "%s", what);
	}
	bl->names[bl->n] = name;
	e = &bl->entries[bl->n++];
	e->status = status;
	e->seen = 0;
	e->line = lineno;
	return 0;
}

/* Add the lines of a baseline file. */
int
baseline_parse(struct baseline *bl, const char *text, const char *what,
    struct prun_error *err)
{
	char *copy, *p, *line;
	size_t lineno = 0;
	int rc = 0;

	if ((copy = strdup(text)) == NULL)
		return prun_error_errno(err, PRUN_EXIT_IO, errno, "%s", what);
	for (p = copy; rc == 0 && (line = next_line(&p)) != NULL; ) {
		lineno++;
		line += strspn(line, " \t");
		if (*line == '\0' || *line == '#')
			continue;
		rc = add_line(bl, line, what, lineno, err);
	}
	free(copy);
	return rc;
}

/* Add the regexes of a flakes file. */
int
baseline_parse_flakes(struct baseline *bl, const char *text,
    const char *what, struct prun_error *err)
{
	char *copy, *p, *line, msg[256];
	regex_t *v;
	size_t lineno = 0;
	int rc = 0, rerr;

	if ((copy = strdup(text)) == NULL)
		return prun_error_errno(err, PRUN_EXIT_IO, errno, "%s", what);
	for (p = copy; rc == 0 && (line = next_line(&p)) != NULL; ) {
		lineno++;
		line += strspn(line, " \t");
		if (*line == '\0' || *line == '#')
			continue;
		v = realloc(bl->flakes, (bl->nflakes + 1) * sizeof *v);
		if (v == NULL) {
			rc = prun_error_errno(err, PRUN_EXIT_IO, errno, "%s",
			    what);
			break;
		}
		bl->flakes = v;
		rerr = regcomp(&v[bl->nflakes], line, REG_EXTENDED | REG_NOSUB);
		if (rerr != 0) {
			regerror(rerr, &v[bl->nflakes], msg, sizeof msg);
			rc = prun_error_set(err, PRUN_EXIT_USAGE, "%s:%zu: "
			    "invalid regex '%s': %s", what, lineno, line, msg);
			break;
		}
		bl->nflakes++;
	}
	free(copy);
	return rc;
}

/* Read a whole text file into a malloc'd string. */
static char *
slurp(const char *path, struct prun_error *err)
{
	FILE *fp;
	char *buf = NULL, *nbuf;
	size_t len = 0, size = 0, n;

	if ((fp = fopen(path, "r")) == NULL) {
		prun_error_errno(err, errno == ENOENT || errno == EACCES ?
		    PRUN_EXIT_USAGE : PRUN_EXIT_IO, errno, "%s", path);
		return NULL;
	}
	do {
		if (size - len < 4096) {
			size = size ? size * 2 : 8192;
			if ((nbuf = realloc(buf, size + 1)) == NULL) {
				prun_error_errno(err, PRUN_EXIT_IO, errno,
				    "%s", path);
				goto fail;
			}
			buf = nbuf;
		}
		n = fread(buf + len, 1, size - len, fp);
		len += n;
	} while (n > 0);
	if (ferror(fp)) {
		prun_error_errno(err, PRUN_EXIT_IO, errno, "%s: cannot read",
		    path);
		goto fail;
	}
	fclose(fp);
	buf[len] = '\0';
	if (strlen(buf) != len) {
		free(buf);
		prun_error_set(err, PRUN_EXIT_USAGE, "%s: holds a NUL byte: "
		    "not a text file", path);
		return NULL;
	}
	return buf;
fail:
	free(buf);
	fclose(fp);
	return NULL;
}

/* Add the file at path, read whole, with parse. */
static int
read_file(struct baseline *bl, const char *path,
    int (*parse)(struct baseline *, const char *, const char *,
    struct prun_error *), struct prun_error *err)
{
	char *text;
	int rc;

	if ((text = slurp(path, err)) == NULL)
		return -1;
	rc = parse(bl, text, path, err);
	free(text);
	return rc;
}

/* Add a baseline file. */
int
baseline_read(struct baseline *bl, const char *path, struct prun_error *err)
{
	return read_file(bl, path, baseline_parse, err);
}

/* Add a flakes file. */
int
baseline_read_flakes(struct baseline *bl, const char *path,
    struct prun_error *err)
{
	return read_file(bl, path, baseline_parse_flakes, err);
}

/* Whether name matches a known flake. */
static int
is_flake(const struct baseline *bl, const char *name)
{
	size_t i;

	for (i = 0; i < bl->nflakes; i++)
		if (regexec(&bl->flakes[i], name, 0, NULL, 0) == 0)
			return 1;
	return 0;
}

/* Judge a test; see baseline.h. */
enum baseline_verdict
baseline_judge(struct baseline *bl, const char *name, enum prun_status status,
    int flaky, enum prun_status *expected)
{
	struct entry *e = NULL;
	size_t id;
	int listed_failing;

	*expected = PRUN_NSTATUS;
	if (bl == NULL)
		return status_is_failure(status) ? BASELINE_UNEXPECTED :
		    BASELINE_OK;
	if ((id = nametab_find_name(&bl->tab, name)) != NAMETAB_NONE) {
		e = &bl->entries[id];
		e->seen = 1;
		*expected = e->status;
	}
	listed_failing = e != NULL && status_is_failure(e->status);
	if (status_is_failure(status)) {
		if (e != NULL && e->status == status)
			return BASELINE_EXPECTED;
		return is_flake(bl, name) ? BASELINE_FLAKE :
		    BASELINE_UNEXPECTED;
	}
	/* Skipped or not run says nothing about a listed failure. */
	if (!listed_failing || (status != PRUN_PASS && status != PRUN_WARN &&
	    status != PRUN_DMESG_WARN))
		return BASELINE_OK;
	return flaky || is_flake(bl, name) ? BASELINE_FLAKE : BASELINE_FIXED;
}

/* Count the entries that were never judged. */
size_t
baseline_unseen(const struct baseline *bl, const char **first)
{
	size_t i, n = 0, firstline = 0;

	*first = NULL;
	for (i = 0; bl != NULL && i < bl->n; i++) {
		if (bl->entries[i].seen)
			continue;
		if (n++ == 0 || bl->entries[i].line < firstline) {
			*first = bl->names[i];
			firstline = bl->entries[i].line;
		}
	}
	return n;
}

/* The name of a verdict. */
const char *
baseline_verdict_name(enum baseline_verdict v)
{
	if ((unsigned)v >= BASELINE_NVERDICTS)
		return "unknown";
	return verdict_names[v];
}
