/*
 * fixture: temporary directories and small files for the Check programs.
 *
 * Failures are Check assertions, so a test that cannot build its fixture
 * fails where it tried, with the reason.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <check.h>
#include <libxml/parser.h>
#include <libxml/xmlschemas.h>

#include "fixture.h"

static char base[PATH_MAX];

/* Make the program's directory below $TMPDIR (or /tmp). */
int
fixture_init(const char *prefix)
{
	const char *tmp = getenv("TMPDIR");

	if (tmp == NULL || *tmp == '\0')
		tmp = "/tmp";
	snprintf(base, sizeof base, "%s/%s.XXXXXX", tmp, prefix);
	if (mkdtemp(base) == NULL) {
		perror(base);
		return -1;
	}
	return 0;
}

/* Remove one entry (nftw callback); a directory made read-only by a test
 * is given its permissions back first. */
static int
rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (flag == FTW_DP)
		chmod(path, 0700);
	return remove(path);
}

/* Remove the program's directory and everything below it. */
void
fixture_cleanup(void)
{
	if (base[0] != '\0')
		nftw(base, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* A new empty directory for one test. */
char *
fixture_dir(void)
{
	char *dir;

	ck_assert_int_ne(asprintf(&dir, "%s/t.XXXXXX", base), -1);
	ck_assert_msg(mkdtemp(dir) != NULL, "mkdtemp %s: %s", dir,
	    strerror(errno));
	return dir;
}

/* dir/rel in a malloc'd string. */
char *
fixture_path(const char *dir, const char *rel)
{
	char *p;

	ck_assert_int_ne(asprintf(&p, "%s/%s", dir, rel), -1);
	return p;
}

/* Write len bytes to path with mode. */
void
fixture_write(const char *path, const void *buf, size_t len, mode_t mode)
{
	int fd;

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	ck_assert_msg(fd != -1, "open %s: %s", path, strerror(errno));
	ck_assert_int_eq(write(fd, buf, len), (ssize_t)len);
	ck_assert_int_eq(fchmod(fd, mode), 0);
	ck_assert_int_eq(close(fd), 0);
}

/* Write a string to path. */
void
fixture_write_str(const char *path, const char *s)
{
	fixture_write(path, s, strlen(s), 0644);
}

/* The whole file at path, or NULL when absent. */
char *
fixture_read(const char *path, size_t *len)
{
	struct stat st;
	char *buf;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		ck_assert_msg(errno == ENOENT, "open %s: %s", path,
		    strerror(errno));
		return NULL;
	}
	ck_assert_int_eq(fstat(fd, &st), 0);
	ck_assert_ptr_nonnull(buf = malloc((size_t)st.st_size + 1));
	ck_assert_int_eq(read(fd, buf, (size_t)st.st_size), st.st_size);
	buf[st.st_size] = '\0';
	close(fd);
	if (len != NULL)
		*len = (size_t)st.st_size;
	return buf;
}

/* Whether path exists, as itself. */
int
fixture_exists(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0;
}

/* Whether dir/rel exists, as itself. */
int
fixture_exists_in(const char *dir, const char *rel)
{
	char *p = fixture_path(dir, rel);
	int rc = fixture_exists(p);

	free(p);
	return rc;
}

/* How many entries the directory holds. */
size_t
fixture_count(const char *path)
{
	struct dirent *de;
	size_t n = 0;
	DIR *d;

	ck_assert_msg((d = opendir(path)) != NULL, "opendir %s: %s", path,
	    strerror(errno));
	while ((de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
			n++;
	closedir(d);
	return n;
}

/* Whether s contains sub. */
int
fixture_has(const char *s, const char *sub)
{
	return s != NULL && strstr(s, sub) != NULL;
}

/* Append a test running a shell string. */
void
fixture_test(struct prun_plan *plan, const char *name, const char *sh)
{
	struct prun_test t;
	struct prun_error err;
	size_t i;

	memset(&t, 0, sizeof t);
	memset(&err, 0, sizeof err);
	ck_assert_ptr_nonnull(t.name = strdup(name));
	ck_assert_msg(plan_set_command(&t, sh, &err) == 0, "%s", err.msg);
	ck_assert_msg(plan_append(plan, &t, &err) == 0, "%s", err.msg);
	free(t.name);
	free(t.command);
	for (i = 0; t.argv[i] != NULL; i++)
		free(t.argv[i]);
	free(t.argv);
}

/* A warn callback keeping a copy of each message. */
void
fixture_warn(void *ctx, const char *msg)
{
	struct fixture_warnings *w = ctx;

	ck_assert_uint_lt(w->n, 16);
	ck_assert_ptr_nonnull(w->msg[w->n++] = strdup(msg));
}

/* Free the kept warnings. */
void
fixture_warnings_free(struct fixture_warnings *w)
{
	while (w->n > 0)
		free(w->msg[--w->n]);
}

int
fixture_junit_valid(const char *buf, size_t len)
{
	static xmlSchemaPtr schema;
	xmlSchemaParserCtxtPtr pc;
	xmlSchemaValidCtxtPtr vc;
	const char *top = getenv("top_srcdir");
	char path[4096];
	xmlDocPtr doc;
	int rc;

	doc = xmlReadMemory(buf, (int)len, NULL, NULL, XML_PARSE_NONET |
	    XML_PARSE_HUGE);
	ck_assert_msg(doc != NULL, "not well-formed XML");
	if (schema == NULL && top != NULL) {
		snprintf(path, sizeof path, "%s/tests/data/junit-10.xsd", top);
		pc = xmlSchemaNewParserCtxt(path);
		schema = xmlSchemaParse(pc);
		xmlSchemaFreeParserCtxt(pc);
		ck_assert_msg(schema != NULL, "cannot load %s", path);
	}
	if (schema == NULL) {
		xmlFreeDoc(doc);
		return 1;
	}
	vc = xmlSchemaNewValidCtxt(schema);
	rc = xmlSchemaValidateDoc(vc, doc);
	xmlSchemaFreeValidCtxt(vc);
	xmlFreeDoc(doc);
	return rc == 0;
}
