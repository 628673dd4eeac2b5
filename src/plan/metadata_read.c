/*
 * metadata_read: metadata.json back into the frozen plan and options.
 *
 * A resume takes the plan from here alone, so decoding is strict: a
 * damaged file is refused rather than guessed at.  Nothing here holds a
 * JSON tree of the whole file.  The stream reader reads the file a block
 * at a time, finds where each value of it ends (core/json's
 * json_scan_byte: strings, nesting) and gives jansson that value alone,
 * from the block; the header is read first, whatever the place of "tests"
 * among its keys, and then the tests one at a time, so that a summary
 * goes through a plan without holding it.  A test goes first through a
 * fast decoder of what prun writes (below test_release), which leaves
 * whatever it is not sure of to jansson.  metadata_decode reads a whole
 * file in memory through the same reader.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/json.h"
#include "core/util.h"
#include "plan/metadata.h"
#include "plan/plan_source.h"

/* A JSON array of strings as a NULL-terminated vector; NULL if wrong. */
static char **
json_strv(json_t *a, size_t *n)
{
	char **v;
	json_t *s;
	size_t i;

	if (!json_is_array(a))
		return NULL;
	if ((v = calloc(json_array_size(a) + 1, sizeof *v)) == NULL)
		return NULL;
	json_array_foreach(a, i, s) {
		if (!json_is_string(s) ||
		    (v[i] = strdup(json_string_value(s))) == NULL) {
			while (i-- > 0)
				free(v[i]);
			free(v);
			return NULL;
		}
	}
	if (n != NULL)
		*n = json_array_size(a);
	return v;
}

/* One test of metadata.json back into a prun_test. */
static int
test_decode(json_t *o, struct prun_test *t, const char **why,
    struct prun_error *err)
{
	json_t *cmd, *env, *v;
	const char *key;
	size_t i;

	memset(t, 0, sizeof *t);
	if (!json_is_object(o) || !json_is_string(json_object_get(o, "name"))) {
		*why = "a test has no name";
		return -1;
	}
	t->name = (char *)json_string_value(json_object_get(o, "name"));
	cmd = json_object_get(o, "command");
	if (json_is_string(cmd)) {
		if (plan_set_command(t, json_string_value(cmd), err) == -1)
			return -1;
	} else {
		char **argv = json_strv(cmd, &i);

		if (argv == NULL || i == 0) {
			strv_free(argv);
			*why = "a test has no valid command";
			return -1;
		}
		i = plan_set_argv(t, argv, err);
		strv_free(argv);
		if (i != 0)
			return -1;
	}
	if ((env = json_object_get(o, "env")) != NULL) {
		if (!json_is_object(env) ||
		    (t->env = calloc(json_object_size(env) + 1,
		    sizeof *t->env)) == NULL) {
			*why = "a test has an invalid env";
			return -1;
		}
		i = 0;
		json_object_foreach(env, key, v) {
			if (!json_is_string(v) || asprintf(&t->env[i], "%s=%s",
			    key, json_string_value(v)) == -1) {
				t->env[i] = NULL;
				*why = "a test has an invalid env";
				return -1;
			}
			i++;
		}
	}
	if ((v = json_object_get(o, "cwd")) != NULL) {
		if (!json_is_string(v) ||
		    (t->cwd = strdup(json_string_value(v))) == NULL) {
			*why = "a test has an invalid cwd";
			return -1;
		}
	}
	v = json_object_get(o, "timeout");
	if (!json_is_number(v) || json_number_value(v) < 0) {
		*why = "a test has an invalid timeout";
		return -1;
	}
	t->timeout = json_number_value(v);
	t->exclusive = json_is_true(json_object_get(o, "exclusive"));
	v = json_object_get(o, "origin");
	t->origin = (char *)(json_is_string(v) ? json_string_value(v) : NULL);
	return 0;
}

/* Release what test_decode allocated (name and origin are borrowed). */
static void
test_release(struct prun_test *t)
{
	free(t->command);
	strv_free(t->argv);
	strv_free(t->env);
	free(t->cwd);
}

/*
 * The fast decoder of a test: a million tests are a million objects, and
 * jansson builds each with its hash table before test_decode reads five
 * keys of it.  The rule: it decodes what it is sure of, else the jansson
 * path decides.  It takes only the keys test_decode reads, each once, of
 * the types test_decode accepts (name, command as a string or an array
 * of strings, env as an object of strings, cwd, timeout as a number not
 * below 0, exclusive as true or false, origin as a string), through
 * core/json's reader, which accepts only what jansson reads the same
 * (json.h rules 1 and 2; no U+0000, which jansson refuses here).
 * Anything else (an unknown or duplicate key, another type, a number
 * core/json gives up on, a command plan_set_command refuses, the end of
 * the buffer) gives the object to jansson, whose verdict and message are
 * final: the fast decoder never reports an error, so every message, with
 * its FILE:LINE:COL, is what it was.  check_metadata compares the two on
 * damaged and odd tests.
 */

/* The keys of a test, as bits of what the fast decoder has seen. */
#define KEY_NAME	0x01u
#define KEY_COMMAND	0x02u
#define KEY_ENV		0x04u
#define KEY_CWD		0x08u
#define KEY_TIMEOUT	0x10u
#define KEY_EXCLUSIVE	0x20u
#define KEY_ORIGIN	0x40u

/* What the fast decoder reads a test into. */
struct fast_test {
	struct prun_test	*t;
	unsigned		 seen;
	char			*shell;		/* command as a string */
	struct plan_vec		 argv;		/* command as an array */
	struct plan_vec		 keys;		/* env's, for duplicates */
	struct plan_vec		 env;
};

/* A string of an array of strings, the command's. */
static int
fast_word(struct json_in *in, void *ctx)
{
	struct fast_test *ft = ctx;
	char *s;

	if (json_read_string(in, 0, &s, NULL) == -1)
		return -1;
	return plan_vec_push(&ft->argv, s);
}

/* A member of env: a string, under a key seen once. */
static int
fast_env(struct json_in *in, const char *key, void *ctx)
{
	struct fast_test *ft = ctx;
	char *v, *kv;
	size_t i;
	int rc;

	for (i = 0; i < ft->keys.n; i++)
		if (strcmp(ft->keys.v[i], key) == 0)
			return -1;
	if (plan_vec_push(&ft->keys, strdup(key)) == -1 ||
	    json_read_string(in, 0, &v, NULL) == -1)
		return -1;
	rc = asprintf(&kv, "%s=%s", key, v);
	free(v);
	return rc == -1 ? -1 : plan_vec_push(&ft->env, kv);
}

/* The keys of a test, known by their bytes in the file: a million tests
 * are five million keys, matched in place, never copied. */
static const struct {
	const char	*key;
	size_t		 len;
	unsigned	 bit;
} fast_keys[] = {
	{ "name", 4, KEY_NAME }, { "command", 7, KEY_COMMAND },
	{ "timeout", 7, KEY_TIMEOUT }, { "exclusive", 9, KEY_EXCLUSIVE },
	{ "origin", 6, KEY_ORIGIN }, { "env", 3, KEY_ENV },
	{ "cwd", 3, KEY_CWD },
};

/* The key that comes next, and its ':': its bit, or 0 for any other (a
 * key spelled with an escape too, which jansson reads). */
static unsigned
fast_key(struct json_in *in)
{
	size_t i, n;

	if (json_expect(in, '"') == -1)
		return 0;
	for (i = 0; i < sizeof fast_keys / sizeof fast_keys[0]; i++) {
		n = fast_keys[i].len;
		if ((size_t)(in->end - in->p) > n && in->p[n] == '"' &&
		    memcmp(in->p, fast_keys[i].key, n) == 0) {
			in->p += n + 1;
			return json_expect(in, ':') == -1 ? 0 :
			    fast_keys[i].bit;
		}
	}
	return 0;
}

/* The value of the key bit. */
static int
fast_value(struct json_in *in, unsigned bit, struct fast_test *ft)
{
	struct prun_test *t = ft->t;
	long long ll;
	int is_int;

	if (!json_ws(in))
		return -1;
	switch (bit) {
	case KEY_NAME:
		return json_read_string(in, 0, &t->name, NULL);
	case KEY_COMMAND:
		if (*in->p == '[')
			return json_read_array(in, fast_word, ft);
		return json_read_string(in, 0, &ft->shell, NULL);
	case KEY_ENV:
		return json_read_object(in, fast_env, ft);
	case KEY_CWD:
		return json_read_string(in, 0, &t->cwd, NULL);
	case KEY_TIMEOUT:
		if (json_read_number(in, &t->timeout, &ll, &is_int) == -1 ||
		    !(t->timeout >= 0))
			return -1;
		return 0;
	case KEY_EXCLUSIVE:
		if (json_word(in, "true"))
			t->exclusive = 1;
		else if (!json_word(in, "false"))
			return -1;
		return 0;
	default:
		return json_read_string(in, 0, &t->origin, NULL);
	}
}

/*
 * A test from in->p on, the fast way: 0 with *t (its strings malloc'd,
 * as metadata_next's) and in->p past the object, or -1 to leave the
 * object to jansson (t empty, in->p anywhere).
 */
static int
fast_decode(struct json_in *in, struct prun_test *t)
{
	struct fast_test ft;
	struct prun_error err;
	unsigned bit;
	int rc = -1;

	memset(t, 0, sizeof *t);
	memset(&ft, 0, sizeof ft);
	ft.t = t;
	if (json_expect(in, '{') == -1)
		goto out;
	do {
		if ((bit = fast_key(in)) == 0 || (ft.seen & bit) ||
		    fast_value(in, bit, &ft) == -1 || !json_ws(in))
			goto out;
		ft.seen |= bit;
	} while (*in->p++ == ',');
	if (in->p[-1] != '}' || (ft.seen & (KEY_NAME | KEY_COMMAND |
	    KEY_TIMEOUT)) != (KEY_NAME | KEY_COMMAND | KEY_TIMEOUT))
		goto out;
	if (ft.shell != NULL) {
		if (plan_set_command(t, ft.shell, &err) == -1)
			goto out;
	} else if (ft.argv.n == 0 || plan_set_argv(t, ft.argv.v, &err) == -1)
		goto out;
	/* An empty env is a vector all the same, as test_decode's. */
	if ((ft.seen & KEY_ENV) && (t->env = ft.env.n > 0 ?
	    plan_vec_transfer(&ft.env) : calloc(1, sizeof *t->env)) == NULL)
		goto out;
	rc = 0;
out:
	free(ft.shell);
	plan_vec_clear(&ft.argv);
	plan_vec_clear(&ft.keys);
	plan_vec_clear(&ft.env);
	if (rc == -1)
		metadata_test_free(t);
	return rc;
}

/* The frozen options back from JSON. */
static int
options_decode(json_t *o, struct prun_options *opts)
{
	const char *fsync = NULL, *backend = NULL;
	json_int_t max_output = 0;
	json_t *inc = NULL, *exc = NULL, *v;
	size_t n;

	options_defaults(opts);
	/* backend is optional: directories older than it are json. */
	if (json_unpack(o, "{s:F, s:F, s:I, s:s, s?s, s:o, s:o, s:i, s:i}",
	    "timeout", &opts->timeout,
	    "kill_after", &opts->kill_after,
	    "max_output", &max_output,
	    "fsync", &fsync,
	    "backend", &backend,
	    "include", &inc,
	    "exclude", &exc,
	    "jobs", &opts->jobs,
	    "max_attempts", &opts->max_attempts) == -1)
		return -1;
	/* The bounds of the command line: a damaged file must not make
	 * prun allocate a slot per job for billions of jobs. */
	if (opts->timeout < 0 || opts->timeout > OPTIONS_SECONDS_MAX ||
	    opts->kill_after < 0 || opts->kill_after > OPTIONS_SECONDS_MAX ||
	    max_output < 0 || opts->jobs < 1 ||
	    opts->jobs > OPTIONS_COUNT_MAX || opts->max_attempts < 1 ||
	    opts->max_attempts > OPTIONS_COUNT_MAX)
		return -1;
	opts->max_output = (size_t)max_output;
	if (strcmp(fsync, "always") == 0)
		opts->fsync = 1;
	else if (strcmp(fsync, "never") == 0)
		opts->fsync = 0;
	else
		return -1;
	if (backend != NULL &&
	    options_backend_parse(backend, &opts->backend) == -1)
		return -1;
	opts->include = json_strv(inc, &opts->ninclude);
	opts->exclude = json_strv(exc, &opts->nexclude);
	if (opts->include == NULL || opts->exclude == NULL)
		return -1;
	/* Keys added after the first format: absent means off. */
	if ((v = json_object_get(o, "rerun_failures")) != NULL) {
		if (!json_is_integer(v) || json_integer_value(v) < 0 ||
		    json_integer_value(v) > 100000)
			return -1;
		opts->rerun_failures = (int)json_integer_value(v);
	}
	if ((v = json_object_get(o, "overall_timeout")) != NULL) {
		if (!json_is_number(v) || json_number_value(v) < 0)
			return -1;
		opts->overall_timeout = json_number_value(v);
	}
	if ((v = json_object_get(o, "max_fail")) != NULL) {
		if (!json_is_integer(v) || json_integer_value(v) < 0 ||
		    json_integer_value(v) > 100000)
			return -1;
		opts->max_fail = (int)json_integer_value(v);
	}
	if ((v = json_object_get(o, "repeat")) != NULL) {
		if (!json_is_integer(v) || json_integer_value(v) < 1 ||
		    json_integer_value(v) > OPTIONS_COUNT_MAX)
			return -1;
		opts->repeat = (int)json_integer_value(v);
	}
	if ((v = json_object_get(o, "until_fail")) != NULL) {
		if (!json_is_boolean(v))
			return -1;
		opts->until_fail = json_is_true(v);
	}
	if ((v = json_object_get(o, "wrapper")) != NULL &&
	    ((opts->wrapper = json_strv(v, &n)) == NULL || n == 0))
		return -1;
	return 0;
}

/* The shard of metadata.json, if the run was sharded. */
static int
shard_decode(json_t *o, struct prun_shard *sh)
{
	const char *from = "given";
	int index, total;

	memset(sh, 0, sizeof *sh);
	if (o == NULL)
		return 0;
	if (json_unpack(o, "{s:i, s:i, s?s}", "index", &index, "total", &total,
	    "from", &from) == -1 || total < 1 || total > SHARD_MAX ||
	    index < 1 || index > total ||
	    shard_source_parse(from, &sh->source) == -1)
		return -1;
	sh->index = (unsigned)index;
	sh->total = (unsigned)total;
	return 0;
}

/*
 * The schedule of a run with --history (schedule.h), if it has one: the
 * recorded order is taken as it is, and the shards' cut recomputed from
 * the recorded times, so that every reader agrees with the writer.
 */
static int
schedule_decode(json_t *o, struct prun_metadata *md, const char **why)
{
	struct prun_error err = { 0 };
	json_t *exp, *order, *v;
	const char *cut, *digest;
	double *e = NULL;
	size_t *ord = NULL, i, n;
	json_int_t known = -1;

	if (o == NULL)
		return 0;
	*why = "invalid schedule";
	if (json_unpack(o, "{s:s, s:s, s?I, s:o, s:o}", "cut", &cut,
	    "history", &digest, "known", &known, "expected", &exp,
	    "order", &order) == -1 || !json_is_array(exp) ||
	    !json_is_array(order) ||
	    (n = json_array_size(exp)) != json_array_size(order) ||
	    (md->ntests != METADATA_NTESTS_UNKNOWN && n != md->ntests) ||
	    (strcmp(cut, "time") == 0) != (md->options.shard.total > 1))
		return -1;
	if ((e = malloc((n ? n : 1) * sizeof *e)) == NULL ||
	    (ord = malloc((n ? n : 1) * sizeof *ord)) == NULL) {
		free(e);
		*why = strerror(ENOMEM);
		return -1;
	}
	for (i = 0; i < n; i++) {
		v = json_array_get(order, i);
		if (!json_is_number(json_array_get(exp, i)) ||
		    !json_is_integer(v) || json_integer_value(v) < 0) {
			free(e);
			free(ord);
			return -1;
		}
		e[i] = json_number_value(json_array_get(exp, i));
		ord[i] = (size_t)json_integer_value(v);
	}
	if (schedule_restore(&md->sched, e, ord, n, &md->options.shard,
	    &err) == -1)
		return -1;
	/* Times that do not give the recorded digest were changed by hand. */
	if (strcmp(md->sched.digest, digest) != 0) {
		*why = "schedule: the expected times do not match their digest";
		return -1;
	}
	if (known >= 0 && (size_t)known <= n)
		md->sched.known = (size_t)known;
	return 0;
}

/* The buffer's first size and the most it grows to unless a value needs
 * more (a small file is not given a megabyte), and the most the fast
 * decoder tries a test in before the test's end is known. */
#define RD_FIRST	((size_t)16 << 10)
#define RD_BLOCK	((size_t)1 << 20)
#define FAST_WINDOW	((size_t)4 << 10)

/*
 * Read more of the file after rd->buf[rd->len - 1], keeping the bytes
 * from keep on (moved to the front; the buffer doubles up to RD_BLOCK,
 * and past it only when they fill half of it): 1, 0 at the end of the
 * file (or a read error, which getc took for the end too), -1 when out
 * of memory.
 */
static int
rd_fill(struct metadata_reader *rd, size_t keep)
{
	size_t n, size;
	char *p;

	if (keep > 0) {
		memmove(rd->buf, rd->buf + keep, rd->len - keep);
		rd->len -= keep;
		rd->off -= keep;
		rd->at += (off_t)keep;
	}
	/* Out of memory is an error only when no room is left: a byte at a
	 * time (rd_more) always has some. */
	if (rd->size < RD_BLOCK || rd->len > rd->size / 2) {
		size = 2 * rd->size;
		if ((p = realloc(rd->buf, size)) != NULL) {
			rd->buf = p;
			rd->size = size;
		} else if (rd->len == rd->size)
			return -1;
	}
	n = fread(rd->buf + rd->len, 1, rd->size - rd->len, rd->fp);
	rd->len += n;
	return n > 0;
}

/* Whether a byte is left to read (filling the buffer if need be). */
static int
rd_more(struct metadata_reader *rd)
{
	return rd->off < rd->len || rd_fill(rd, rd->off) == 1;
}

/* The next n buffered bytes consumed, counted for messages. */
static void
rd_skip(struct metadata_reader *rd, size_t n)
{
	const char *p = rd->buf + rd->off, *end = p + n, *nl;

	while ((nl = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		rd->line++;
		rd->col = 0;
		p = nl + 1;
	}
	rd->col += (size_t)(end - p);
	rd->off += n;
}

/* The next byte, counted for messages. */
static int
rd_get(struct metadata_reader *rd)
{
	if (!rd_more(rd))
		return EOF;
	rd_skip(rd, 1);
	return (unsigned char)rd->buf[rd->off - 1];
}

/* Skip white space; the next byte, left unread (or EOF). */
static int
rd_peek(struct metadata_reader *rd)
{
	int c;

	while (rd_more(rd)) {
		c = (unsigned char)rd->buf[rd->off];
		if (c != ' ' && c != '\n' && c != '\t' && c != '\r')
			return c;
		rd_skip(rd, 1);
	}
	return EOF;
}

/* Where the next byte is in the file. */
static off_t
rd_tell(struct metadata_reader *rd)
{
	return rd->at + (off_t)rd->off;
}

/* Read on from offset at of the file. */
static int
rd_seek(struct metadata_reader *rd, off_t at)
{
	if (fseeko(rd->fp, at, SEEK_SET) == -1)
		return -1;
	rd->at = at;
	rd->off = rd->len = 0;
	return 0;
}

/* Fail with the place in the file; returns -1. */
static int
rd_fail(struct metadata_reader *rd, struct prun_error *err, const char *why)
{
	return prun_error_set(err, PRUN_EXIT_USAGE, "%s:%zu:%zu: damaged: %s",
	    rd->what, rd->line, rd->col, why);
}

/* A growing buffer for the bytes of one scalar. */
struct chunk {
	char	*buf;
	size_t	 len, size;
};

/* Append c to a chunk (NULL: the value is skipped). */
static int
chunk_put(struct chunk *ch, int c)
{
	char *p;

	if (ch == NULL)
		return 0;
	if (ch->len + 1 >= ch->size) {
		if ((p = realloc(ch->buf, ch->size ? 2 * ch->size : 256)) ==
		    NULL)
			return -1;
		ch->buf = p;
		ch->size = ch->size ? 2 * ch->size : 256;
	}
	ch->buf[ch->len++] = (char)c;
	return 0;
}

/*
 * Feed sc the bytes from p on: past the byte that ends the value, or NULL
 * when it goes on after end.  json_scan_byte's rule, with the plain runs
 * of a string passed over whole.
 */
static const char *
scan_run(struct json_scan *sc, const char *p, const char *end)
{
	const char *q;

	while (p < end) {
		if (sc->in_string && !sc->esc) {
			if ((q = memchr(p, '"', (size_t)(end - p))) == NULL)
				q = end;
			if ((p = memchr(p, '\\', (size_t)(q - p))) == NULL)
				p = q;
			if (p == end)
				break;
		}
		if (json_scan_byte(sc, (unsigned char)*p++))
			return p;
	}
	return NULL;
}

/*
 * The bytes of the value that comes next, consumed: in *val and *len, or
 * skipped when ch is NULL.  Where it ends is found here (strings,
 * nesting); whether it is JSON, jansson says when it parses them.  A
 * string, array or object is left in the buffer, whole, until the next
 * read; a scalar is gathered in ch (up to the next delimiter).
 */
static int
scan_value(struct metadata_reader *rd, struct chunk *ch, const char **val,
    size_t *len, struct prun_error *err)
{
	struct json_scan sc = { 0, 0, 0 };
	const char *end;
	size_t done = 0;
	int c, rc;

	c = rd_peek(rd);
	if (c != '{' && c != '[' && c != '"') {
		if (ch != NULL)
			ch->len = 0;
		/* A scalar: up to the next delimiter. */
		while ((c = rd_peek(rd)) != EOF && c != ',' && c != '}' &&
		    c != ']' && c != ':' && c != ' ' && c != '\n' &&
		    c != '\t' && c != '\r') {
			if (chunk_put(ch, rd_get(rd)) == -1)
				goto nomem;
		}
		if (ch != NULL && ch->len == 0)
			return rd_fail(rd, err, c == EOF ? "unexpected end of "
			    "file" : "a value is missing");
		if (ch != NULL) {
			*val = ch->buf;
			*len = ch->len;
		}
		return 0;
	}
	/* done: the bytes of the value scanned, from rd->off on. */
	while ((end = scan_run(&sc, rd->buf + rd->off + done,
	    rd->buf + rd->len)) == NULL) {
		if (ch == NULL)
			rd_skip(rd, rd->len - rd->off);
		else
			done = rd->len - rd->off;
		if ((rc = rd_fill(rd, rd->off)) == -1)
			goto nomem;
		if (rc == 0) {
			rd_skip(rd, rd->len - rd->off);
			return rd_fail(rd, err, "unexpected end of file");
		}
	}
	if (ch != NULL) {
		*val = rd->buf + rd->off;
		*len = (size_t)(end - *val);
	}
	rd_skip(rd, (size_t)(end - (rd->buf + rd->off)));
	return 0;
nomem:
	return prun_error_errno(err, PRUN_EXIT_IO, ENOMEM, "%s", rd->what);
}

/* The value val[0..len), which began at line and col, parsed by jansson
 * (NULL, err set, if not). */
static json_t *
parse_value(struct metadata_reader *rd, const char *val, size_t len,
    size_t line, size_t col, struct prun_error *err)
{
	json_error_t jerr;
	json_t *v;

	v = json_loadb(val, len, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES,
	    &jerr);
	if (v == NULL)
		prun_error_set(err, PRUN_EXIT_USAGE, "%s:%zu:%zu: damaged: %s",
		    rd->what, line + jerr.line - 1, jerr.line == 1 ?
		    col + (size_t)jerr.column : (size_t)jerr.column, jerr.text);
	return v;
}

/* The value that comes next, parsed by jansson (NULL, err set, if not). */
static json_t *
read_value(struct metadata_reader *rd, struct chunk *ch,
    struct prun_error *err)
{
	const char *val;
	size_t line, col, len;

	rd_peek(rd);
	line = rd->line;
	col = rd->col;
	if (scan_value(rd, ch, &val, &len, err) == -1)
		return NULL;
	return parse_value(rd, val, len, line, col, err);
}

/* Consume c after white space, or fail saying why. */
static int
expect(struct metadata_reader *rd, int c, const char *why,
    struct prun_error *err)
{
	if (rd_peek(rd) != c)
		return rd_fail(rd, err, why);
	rd_get(rd);
	return 0;
}

/* Check the header keys and copy them into md. */
static int
header_decode(struct prun_metadata *md, json_t *root, const char **why,
    char *reason, size_t size)
{
	json_error_t jerr;
	const char *format = NULL, *version_s = NULL, *name = NULL,
	    *plan_id = NULL, *host = NULL, *un = NULL;
	json_t *argv = NULL, *options = NULL, *ntests;
	size_t n;
	int version = 0;

	if (json_unpack_ex(root, &jerr, 0, "{s:s, s:i}", "format", &format,
	    "version", &version) == -1 || strcmp(format, METADATA_FORMAT)) {
		*why = "not a prun metadata.json";
		return -1;
	}
	if (version != METADATA_VERSION) {
		*why = "written by an incompatible version of prun";
		return -1;
	}
	if (json_unpack_ex(root, &jerr, 0, "{s:s, s:s, s:s, s:o, s:o, "
	    "s:{s:s, s:s}, s:F}",
	    "prun_version", &version_s, "name", &name, "plan_id", &plan_id,
	    "argv", &argv, "options", &options,
	    "host", "hostname", &host, "uname", &un,
	    "time_start", &md->time_start) == -1) {
		snprintf(reason, size, "%s", jerr.text);
		*why = reason;
		return -1;
	}
	/* Files written before the count: it is found by reading. */
	md->ntests = METADATA_NTESTS_UNKNOWN;
	if ((ntests = json_object_get(root, "ntests")) != NULL) {
		if (!json_is_integer(ntests) || json_integer_value(ntests) < 0) {
			*why = "invalid ntests";
			return -1;
		}
		md->ntests = (size_t)json_integer_value(ntests);
	}
	if (options_decode(options, &md->options) == -1) {
		*why = "invalid options";
		return -1;
	}
	if (shard_decode(json_object_get(root, "shard"),
	    &md->options.shard) == -1) {
		*why = "invalid shard";
		return -1;
	}
	if (schedule_decode(json_object_get(root, "schedule"), md, why) == -1)
		return -1;
	if ((md->argv = json_strv(argv, &n)) == NULL) {
		*why = "invalid argv";
		return -1;
	}
	md->argc = (int)n;
	if ((md->name = strdup(name)) == NULL ||
	    (md->plan_id = strdup(plan_id)) == NULL ||
	    (md->hostname = strdup(host)) == NULL ||
	    (md->uname = strdup(un)) == NULL ||
	    (md->prun_version = strdup(version_s)) == NULL) {
		*why = strerror(ENOMEM);
		return -1;
	}
	return 0;
}

/*
 * Read the header keys, wherever "tests" is among them (it is skipped
 * over, and its place kept), then stand before the first test.
 */
static int
read_header(struct prun_metadata *md, struct metadata_reader *rd,
    struct prun_error *err)
{
	struct chunk ch = { NULL, 0, 0 };
	json_t *root, *key = NULL, *v;
	const char *why = NULL;
	char reason[JSON_ERROR_TEXT_LENGTH];
	off_t tests_at = -1;
	size_t line = 0, col = 0;
	int c, rc = -1;

	if ((root = json_object()) == NULL)
		return prun_error_errno(err, PRUN_EXIT_IO, ENOMEM, "%s",
		    rd->what);
	if (rd_peek(rd) != '{') {
		if (rd_peek(rd) == EOF)
			rd_fail(rd, err, "empty, or not JSON");
		else if ((v = read_value(rd, &ch, err)) != NULL) {
			json_decref(v);
			prun_error_set(err, PRUN_EXIT_USAGE, "%s: damaged: %s",
			    rd->what, "not a prun metadata.json");
		}
		goto out;
	}
	rd_get(rd);
	if (rd_peek(rd) == '}')
		rd_get(rd);
	else for (;;) {
		if (rd_peek(rd) != '"') {
			rd_fail(rd, err, "a key is missing");
			goto out;
		}
		if ((key = read_value(rd, &ch, err)) == NULL ||
		    expect(rd, ':', "':' is missing", err) == -1)
			goto out;
		if (json_object_get(root, json_string_value(key)) != NULL ||
		    (tests_at != -1 &&
		    strcmp(json_string_value(key), "tests") == 0)) {
			rd_fail(rd, err, "duplicate key");
			goto out;
		}
		if (strcmp(json_string_value(key), "tests") == 0) {
			if (rd_peek(rd) != '[') {
				prun_error_set(err, PRUN_EXIT_USAGE, "%s: "
				    "damaged: tests is not an array", rd->what);
				goto out;
			}
			line = rd->line;
			col = rd->col;
			tests_at = rd_tell(rd);
			if (scan_value(rd, NULL, NULL, NULL, err) == -1)
				goto out;
		} else {
			if ((v = read_value(rd, &ch, err)) == NULL)
				goto out;
			json_object_set_new(root, json_string_value(key), v);
		}
		json_decref(key);
		key = NULL;
		if ((c = rd_peek(rd)) == ',') {
			rd_get(rd);
			continue;
		}
		if (expect(rd, '}', "',' or '}' is missing", err) == -1)
			goto out;
		break;
	}
	if (rd_peek(rd) != EOF) {
		rd_fail(rd, err, "data after the end");
		goto out;
	}
	if (header_decode(md, root, &why, reason, sizeof reason) == -1)
		;
	else if (tests_at == -1)
		why = "object item not found: tests";
	else if (rd_seek(rd, tests_at) == -1) {
		prun_error_errno(err, PRUN_EXIT_IO, errno, "%s", rd->what);
		goto out;
	} else {
		rd->line = line;
		rd->col = col;
		rd_get(rd);	/* '[' */
		rc = 0;
	}
	if (why != NULL)
		prun_error_set(err, PRUN_EXIT_USAGE, "%s: damaged: %s",
		    rd->what, why);
out:
	json_decref(key);
	json_decref(root);
	free(ch.buf);
	return rc;
}

/* Read the header of metadata.json from fp; see metadata.h. */
int
metadata_open(struct prun_metadata *md, struct metadata_reader *rd,
    FILE *fp, const char *what, struct prun_error *err)
{
	memset(md, 0, sizeof *md);
	plan_init(&md->plan);
	memset(rd, 0, sizeof *rd);
	rd->fp = fp;
	rd->line = 1;
	rd->fast = 1;
	if ((rd->what = strdup(what)) == NULL ||
	    (rd->buf = malloc(RD_FIRST)) == NULL) {
		free(rd->what);
		fclose(fp);
		return prun_error_errno(err, PRUN_EXIT_IO, ENOMEM, "%s", what);
	}
	rd->size = RD_FIRST;
	/* Offsets are the stream's, as ftello gives them. */
	if ((rd->at = ftello(fp)) == -1)
		rd->at = 0;
	if (read_header(md, rd, err) == -1) {
		metadata_close(rd);
		metadata_free(md);
		return -1;
	}
	return 0;
}

/* The next test of the plan; see metadata.h. */
int
metadata_next(struct metadata_reader *rd, struct prun_test *t,
    struct prun_error *err)
{
	struct chunk ch = { NULL, 0, 0 };
	struct json_in in;
	json_t *o;
	const char *why = NULL, *val;
	char reason[sizeof err->msg];
	size_t line, col, len;
	int c, rc;

	memset(t, 0, sizeof *t);
	if (rd->done)
		return 0;
	c = rd_peek(rd);
	if (c == ']') {
		rd_get(rd);
		rd->done = 1;
		return 0;
	}
	if (rd->index > 0 && expect(rd, ',', "',' or ']' is missing",
	    err) == -1)
		return -1;
	/* The fast decoder on what is buffered, FAST_WINDOW bytes at most (a
	 * string with an escape is decoded into room for the rest of its
	 * input); if it gives up, perhaps at the window's end, it tries the
	 * whole value again, then jansson decides. */
	if (rd->fast && rd_peek(rd) == '{') {
		in.p = rd->buf + rd->off;
		in.end = rd->buf + (rd->len - rd->off > FAST_WINDOW ?
		    rd->off + FAST_WINDOW : rd->len);
		if (fast_decode(&in, t) == 0) {
			rd_skip(rd, (size_t)(in.p - (rd->buf + rd->off)));
			rd->index++;
			return 1;
		}
	}
	rd_peek(rd);
	line = rd->line;
	col = rd->col;
	if (scan_value(rd, &ch, &val, &len, err) == -1) {
		free(ch.buf);
		return -1;
	}
	in.p = val;
	in.end = val + len;
	if (rd->fast && *val == '{' && fast_decode(&in, t) == 0 &&
	    in.p == in.end) {
		free(ch.buf);
		rd->index++;
		return 1;
	}
	metadata_test_free(t);
	o = parse_value(rd, val, len, line, col, err);
	free(ch.buf);
	if (o == NULL)
		return -1;
	rc = test_decode(o, t, &why, err);
	/* name and origin are borrowed from o: own them now. */
	if (rc == 0) {
		t->name = strdup(t->name);
		if (t->origin != NULL)
			t->origin = strdup(t->origin);
		if (t->name == NULL || (t->origin == NULL &&
		    json_is_string(json_object_get(o, "origin")))) {
			why = strerror(ENOMEM);
			rc = -1;
		}
	} else
		t->name = t->origin = NULL;
	json_decref(o);
	if (rc == -1) {
		if (why == NULL) {
			snprintf(reason, sizeof reason, "%s", err->msg);
			why = reason;
		}
		metadata_test_free(t);
		return prun_error_set(err, PRUN_EXIT_USAGE, "%s: damaged: %s",
		    rd->what, why);
	}
	rd->index++;
	return 1;
}

/* Close a reader. */
void
metadata_close(struct metadata_reader *rd)
{
	if (rd->fp != NULL)
		fclose(rd->fp);
	free(rd->what);
	free(rd->buf);
	memset(rd, 0, sizeof *rd);
}

/* Free a test from metadata_next. */
void
metadata_test_free(struct prun_test *t)
{
	test_release(t);
	free(t->name);
	free(t->origin);
	memset(t, 0, sizeof *t);
}

/* Read the rest of the plan into md->plan; see metadata.h. */
int
metadata_read_plan(struct prun_metadata *md, struct metadata_reader *rd,
    struct prun_error *err)
{
	struct prun_test t;
	int rc;

	while ((rc = metadata_next(rd, &t, err)) == 1) {
		rc = plan_append(&md->plan, &t, err);
		metadata_test_free(&t);
		if (rc == -1)
			return -1;
	}
	if (rc == -1)
		return -1;
	if (md->ntests != METADATA_NTESTS_UNKNOWN && md->ntests != md->plan.n)
		return prun_error_set(err, PRUN_EXIT_USAGE, "%s: damaged: %zu "
		    "tests, not %zu", rd->what, md->plan.n, md->ntests);
	md->ntests = md->plan.n;
	if (plan_check(&md->plan, err) == -1)
		return prun_error_wrap(err, "%s: damaged", rd->what);
	return 0;
}

/* metadata_read, the tests through the fast decoder or not. */
static int
read_all(struct prun_metadata *md, FILE *fp, const char *what, int fast,
    struct prun_error *err)
{
	struct metadata_reader rd;
	int rc;

	memset(md, 0, sizeof *md);
	plan_init(&md->plan);
	if (metadata_open(md, &rd, fp, what, err) == -1)
		return -1;
	rd.fast = fast;
	rc = metadata_read_plan(md, &rd, err);
	metadata_close(&rd);
	if (rc == -1)
		metadata_free(md);
	return rc;
}

/* Parse metadata.json strictly from fp (taken), with the whole plan. */
int
metadata_read(struct prun_metadata *md, FILE *fp, const char *what,
    struct prun_error *err)
{
	return read_all(md, fp, what, 1, err);
}

/* metadata_decode, the tests through the fast decoder or not. */
static int
decode_all(struct prun_metadata *md, const char *buf, size_t len,
    const char *what, int fast, struct prun_error *err)
{
	FILE *fp;

	memset(md, 0, sizeof *md);
	plan_init(&md->plan);
	if (len == 0)
		return prun_error_set(err, PRUN_EXIT_USAGE, "%s:1:0: damaged: "
		    "empty", what);
	if ((fp = fmemopen((void *)buf, len, "r")) == NULL)
		return prun_error_errno(err, PRUN_EXIT_IO, errno, "%s", what);
	return read_all(md, fp, what, fast, err);
}

/* Parse metadata.json strictly, with the whole plan. */
int
metadata_decode(struct prun_metadata *md, const char *buf, size_t len,
    const char *what, struct prun_error *err)
{
	return decode_all(md, buf, len, what, 1, err);
}

/* The same with jansson alone; see metadata.h. */
int
metadata_decode_jansson(struct prun_metadata *md, const char *buf,
    size_t len, const char *what, struct prun_error *err)
{
	return decode_all(md, buf, len, what, 0, err);
}
