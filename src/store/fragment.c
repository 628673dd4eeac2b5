/*
 * fragment: one test's result as a standalone JSON document, or as XML by
 * fragment_xml.c for the junit backend.
 *
 * The JSON layout keeps piglit's per-test keys (result, out, err, returncode,
 * command, pid, time, subtests) so the summary copies them as they are,
 * and adds prun's own: format, version, index, name, attempt, and for a
 * test rerun after failing, flaky and the earlier tries (each with the
 * per-run keys: result, returncode, pid, time, out, err, subtests).
 *
 * Reading is on the path of every summary and resume, which read every
 * fragment of a run: mostly long out and err strings, which jansson's
 * lexer takes a byte at a time through a function call.  So a fragment is
 * first read by a fast reader of exactly what prun writes, which copies
 * plain runs of a string whole; it gives up on anything else (an unknown
 * or duplicate key, a number out of range, an escape it does not know, a
 * byte out of place), and jansson then reads the fragment and gives its
 * verdict.  The rules the fast reader keeps:
 *  1. It accepts only valid JSON (strict UTF-8, no control character in a
 *     string, no lone surrogate, no duplicate key, nothing after the
 *     object), a subset of what jansson accepts.
 *  2. What it accepts, it reads into the same result as jansson's reader
 *     (check_fragment compares the two on damaged fragments).
 *  3. It never reports an error itself: every message is jansson's
 *     reader's, so a damaged fragment is named as before.
 */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "store/fragment.h"
#include "store/fragment_xml.h"
#include "core/text.h"

/* Set key to a new value, failing on NULL (out of memory). */
static int
put(json_t *o, const char *key, json_t *v)
{
	return v == NULL ? -1 : json_object_set_new(o, key, v);
}

/* Put the keys of one run of the test: status, exit, time, output. */
static int
put_run(json_t *o, const struct prun_result *r)
{
	json_t *time, *subs;
	size_t i;
	int bad = 0;

	bad |= put(o, "result", json_string(status_name(r->status)));
	bad |= put(o, "returncode", r->has_returncode ?
	    json_integer(r->returncode) : json_null());
	bad |= put(o, "pid", json_integer(r->pid));
	time = json_object();
	bad |= put(o, "time", time);
	if (time != NULL) {
		bad |= put(time, "start", json_real(r->time_start));
		bad |= put(time, "end", json_real(r->time_end));
	}
	bad |= put(o, "out", json_stringn(r->out ? r->out : "", r->out_len));
	bad |= put(o, "err", json_stringn(r->err ? r->err : "", r->err_len));
	subs = json_object();
	bad |= put(o, "subtests", subs);
	for (i = 0; subs != NULL && i < r->nsubtests; i++)
		bad |= put(subs, r->subtests[i].name,
		    json_string(status_name(r->subtests[i].status)));
	return bad ? -1 : 0;
}

/* Put the earlier tries of a rerun test, and whether it is flaky. */
static int
put_tries(json_t *o, const struct prun_result *r)
{
	json_t *tries, *t;
	size_t i;
	int bad = 0;

	if (r->flaky)
		bad |= put(o, "flaky", json_true());
	if (r->ntries == 0)
		return bad ? -1 : 0;
	tries = json_array();
	bad |= put(o, "tries", tries);
	for (i = 0; tries != NULL && i < r->ntries; i++) {
		t = json_object();
		bad |= t == NULL || json_array_append_new(tries, t) == -1 ||
		    put_run(t, &r->tries[i]) == -1;
	}
	return bad ? -1 : 0;
}

/* Ready the encoders for threads; see fragment.h. */
void
fragment_init(void)
{
	fragment_xml_init();
}

/* The file name extension of a backend's fragments. */
const char *
fragment_extension(enum prun_backend backend)
{
	return backend == BACKEND_JUNIT ? "xml" : "json";
}

/* Serialize r as one JSON document ending in a newline. */
static char *
encode_json(const struct prun_result *r, size_t *len, struct prun_error *err)
{
	json_t *o;
	char *buf = NULL;
	int bad = 0;

	if ((o = json_object()) == NULL)
		goto nomem;
	bad |= put(o, "format", json_string(FRAGMENT_FORMAT));
	bad |= put(o, "version", json_integer(FRAGMENT_VERSION));
	bad |= put(o, "index", json_integer((json_int_t)r->index));
	bad |= put(o, "name", json_string(r->name));
	bad |= put(o, "attempt", json_integer(r->attempt));
	if (r->interrupted)
		bad |= put(o, "interrupted", json_true());
	if (r->command != NULL)
		bad |= put(o, "command", json_string(r->command));
	bad |= put_run(o, r);
	bad |= put_tries(o, r);
	if (bad)
		goto nomem;
	if ((*len = json_dumpb(o, NULL, 0, JSON_COMPACT)) == 0)
		goto nomem;
	if ((buf = malloc(*len + 1)) == NULL)
		goto nomem;
	json_dumpb(o, buf, *len, JSON_COMPACT);
	buf[(*len)++] = '\n';
	json_decref(o);
	return buf;
nomem:
	json_decref(o);
	prun_error_set(err, PRUN_EXIT_IO,
	    "test %s: cannot encode its result (out of memory or invalid "
	    "UTF-8)", r->name ? r->name : "?");
	return NULL;
}

/*
 * Copy a string member (which must exist and be a string) into *out.
 * Only out and err, read with their len, may hold NUL: in a name, a NUL
 * would hide what follows it from every strcmp.
 */
static int
get_string(json_t *o, const char *key, char **out, size_t *len)
{
	json_t *v = json_object_get(o, key);

	if (!json_is_string(v))
		return -1;
	if (len == NULL &&
	    strlen(json_string_value(v)) != json_string_length(v))
		return -1;
	if (len != NULL)
		*len = json_string_length(v);
	*out = malloc(json_string_length(v) + 1);
	if (*out == NULL)
		return -1;
	memcpy(*out, json_string_value(v), json_string_length(v) + 1);
	return 0;
}

/* The number at key, which must be an integer or a real. */
static int
get_number(json_t *o, const char *key, double *out)
{
	json_t *v = json_object_get(o, key);

	if (!json_is_number(v))
		return -1;
	*out = json_number_value(v);
	return 0;
}

/* Fill r->subtests from a {"name": "status"} object. */
static int
get_subtests(json_t *subs, struct prun_result *r, const char **why)
{
	const char *key;
	json_t *v;
	size_t i = 0;

	if (!json_is_object(subs)) {
		*why = "subtests is not an object";
		return -1;
	}
	if (json_object_size(subs) == 0)
		return 0;
	r->subtests = calloc(json_object_size(subs), sizeof *r->subtests);
	if (r->subtests == NULL) {
		*why = strerror(errno);
		return -1;
	}
	json_object_foreach(subs, key, v) {
		if (!json_is_string(v) ||
		    status_parse(json_string_value(v),
		    &r->subtests[i].status) == -1) {
			*why = "a subtest has no valid status";
			return -1;
		}
		if ((r->subtests[i].name = strdup(key)) == NULL) {
			*why = strerror(errno);
			return -1;
		}
		r->nsubtests = ++i;
	}
	return 0;
}

/* Get the keys of one run of the test into r. */
static int
get_run(json_t *o, struct prun_result *r, const char **why)
{
	json_t *v, *time;
	char *s = NULL;

	if (get_string(o, "result", &s, NULL) == -1 ||
	    status_parse(s, &r->status) == -1) {
		free(s);
		*why = "no valid result";
		return -1;
	}
	free(s);
	v = json_object_get(o, "returncode");
	if (json_is_integer(v) && json_integer_value(v) >= INT_MIN &&
	    json_integer_value(v) <= INT_MAX) {
		r->has_returncode = 1;
		r->returncode = (int)json_integer_value(v);
	} else if (!json_is_null(v)) {
		*why = "returncode is not an integer or null";
		return -1;
	}
	/* An integer, as prun writes it: a real like 1e300 has no long. */
	v = json_object_get(o, "pid");
	if (!json_is_integer(v) || json_integer_value(v) < 0 ||
	    json_integer_value(v) > INT_MAX) {
		*why = "no valid pid";
		return -1;
	}
	r->pid = (long)json_integer_value(v);
	time = json_object_get(o, "time");
	if (!json_is_object(time) ||
	    get_number(time, "start", &r->time_start) == -1 ||
	    get_number(time, "end", &r->time_end) == -1) {
		*why = "no valid time";
		return -1;
	}
	if (get_string(o, "out", &r->out, &r->out_len) == -1 ||
	    get_string(o, "err", &r->err, &r->err_len) == -1) {
		*why = "no out or err";
		return -1;
	}
	return get_subtests(json_object_get(o, "subtests"), r, why);
}

/* Get the earlier tries of a rerun test, if any. */
static int
get_tries(json_t *o, struct prun_result *r, const char **why)
{
	json_t *tries = json_object_get(o, "tries"), *t;
	size_t i;

	r->flaky = json_is_true(json_object_get(o, "flaky"));
	if (tries == NULL)
		return 0;
	if (!json_is_array(tries)) {
		*why = "tries is not an array";
		return -1;
	}
	if (json_array_size(tries) == 0)
		return 0;
	r->tries = calloc(json_array_size(tries), sizeof *r->tries);
	if (r->tries == NULL) {
		*why = strerror(errno);
		return -1;
	}
	json_array_foreach(tries, i, t) {
		r->ntries = i + 1;
		r->tries[i].index = r->index;
		r->tries[i].attempt = r->attempt;
		if (!json_is_object(t)) {
			*why = "a try is not an object";
			return -1;
		}
		if (get_run(t, &r->tries[i], why) == -1)
			return -1;
	}
	return 0;
}

/* Parse a JSON fragment into r with jansson; every key prun wrote must be
 * there. */
int
fragment_decode_jansson(const char *buf, size_t len, const char *what,
    struct prun_result *r, struct prun_error *err)
{
	json_error_t jerr;
	json_t *o, *v;
	const char *why = NULL;
	char *s = NULL;

	memset(r, 0, sizeof *r);
	o = json_loadb(buf, len, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL,
	    &jerr);
	if (o == NULL)
		return prun_error_set(err, PRUN_EXIT_IO, "%s:%d:%d: %s", what,
		    jerr.line, jerr.column, jerr.text);
	if (!json_is_object(o) || get_string(o, "format", &s, NULL) == -1 ||
	    strcmp(s, FRAGMENT_FORMAT) != 0) {
		why = "not a prun fragment";
		goto fail;
	}
	v = json_object_get(o, "version");
	if (!json_is_integer(v) || json_integer_value(v) != FRAGMENT_VERSION) {
		why = "unsupported fragment version";
		goto fail;
	}
	v = json_object_get(o, "index");
	if (!json_is_integer(v) || json_integer_value(v) < 0) {
		why = "no valid index";
		goto fail;
	}
	r->index = (size_t)json_integer_value(v);
	if (get_string(o, "name", &r->name, NULL) == -1) {
		why = "no valid name";
		goto fail;
	}
	v = json_object_get(o, "attempt");
	if (!json_is_integer(v) || json_integer_value(v) < 1 ||
	    json_integer_value(v) > 1000000) {
		why = "no valid attempt";
		goto fail;
	}
	r->attempt = (int)json_integer_value(v);
	v = json_object_get(o, "interrupted");
	if (v != NULL && !json_is_boolean(v)) {
		why = "interrupted is not a boolean";
		goto fail;
	}
	r->interrupted = json_is_true(v);
	if (json_object_get(o, "command") != NULL &&
	    get_string(o, "command", &r->command, NULL) == -1) {
		why = "command is not a string without NUL";
		goto fail;
	}
	if (get_run(o, r, &why) == -1 || get_tries(o, r, &why) == -1)
		goto fail;
	free(s);
	json_decref(o);
	return 0;
fail:
	free(s);
	json_decref(o);
	result_free(r);
	return prun_error_set(err, PRUN_EXIT_IO, "%s: %s", what, why);
}

/* The fast reader's position in a fragment (see the rules at the top). */
struct fast {
	const char	*p, *end;
};

/* The keys of a run (a fragment's, or one of its tries'), as bits. */
enum {
	KEY_RESULT = 1 << 0,
	KEY_RETURNCODE = 1 << 1,
	KEY_PID = 1 << 2,
	KEY_TIME = 1 << 3,
	KEY_OUT = 1 << 4,
	KEY_ERR = 1 << 5,
	KEY_SUBTESTS = 1 << 6,
	KEY_RUN = (1 << 7) - 1,		/* every key of a run */
	KEY_FORMAT = 1 << 7,
	KEY_VERSION = 1 << 8,
	KEY_INDEX = 1 << 9,
	KEY_NAME = 1 << 10,
	KEY_ATTEMPT = 1 << 11,
	KEY_INTERRUPTED = 1 << 12,
	KEY_COMMAND = 1 << 13,
	KEY_FLAKY = 1 << 14,
	KEY_TRIES = 1 << 15,
	KEY_NEEDED = KEY_RUN | KEY_FORMAT | KEY_VERSION | KEY_INDEX |
	    KEY_NAME | KEY_ATTEMPT,
};

/* Skip white space; whether a byte is left. */
static int
fast_ws(struct fast *f)
{
	while (f->p < f->end && (*f->p == ' ' || *f->p == '\n' ||
	    *f->p == '\t' || *f->p == '\r'))
		f->p++;
	return f->p < f->end;
}

/* Consume c after white space: 0, or -1 when something else comes. */
static int
fast_char(struct fast *f, char c)
{
	if (!fast_ws(f) || *f->p != c)
		return -1;
	f->p++;
	return 0;
}

/* Consume word (true, false, null) if it comes next: 1, else 0. */
static int
fast_word(struct fast *f, const char *word)
{
	size_t n = strlen(word);

	if (!fast_ws(f) || (size_t)(f->end - f->p) < n ||
	    memcmp(f->p, word, n) != 0)
		return 0;
	f->p += n;
	return 1;
}

/* Four hex digits of a \u escape. */
static int
fast_hex4(struct fast *f, uint32_t *cp)
{
	int i, c;

	if (f->end - f->p < 4)
		return -1;
	for (*cp = 0, i = 0; i < 4; i++) {
		c = (unsigned char)*f->p++;
		if (c >= '0' && c <= '9')
			c -= '0';
		else if (c >= 'a' && c <= 'f')
			c -= 'a' - 10;
		else if (c >= 'A' && c <= 'F')
			c -= 'A' - 10;
		else
			return -1;
		*cp = *cp << 4 | (uint32_t)c;
	}
	return 0;
}

/* Append code point cp as UTF-8 at q; the new end. */
static char *
fast_utf8(char *q, uint32_t cp)
{
	if (cp < 0x80)
		*q++ = (char)cp;
	else if (cp < 0x800) {
		*q++ = (char)(0xc0 | cp >> 6);
		*q++ = (char)(0x80 | (cp & 0x3f));
	} else if (cp < 0x10000) {
		*q++ = (char)(0xe0 | cp >> 12);
		*q++ = (char)(0x80 | (cp >> 6 & 0x3f));
		*q++ = (char)(0x80 | (cp & 0x3f));
	} else {
		*q++ = (char)(0xf0 | cp >> 18);
		*q++ = (char)(0x80 | (cp >> 12 & 0x3f));
		*q++ = (char)(0x80 | (cp >> 6 & 0x3f));
		*q++ = (char)(0x80 | (cp & 0x3f));
	}
	return q;
}

/* The end of a run of bytes a JSON string holds as they are. */
static const char *
fast_plain(const char *p, const char *end)
{
	while (p < end && *p != '"' && *p != '\\' &&
	    (unsigned char)*p >= 0x20)
		p++;
	return p;
}

/*
 * A string into a malloc'd NUL-terminated copy, its length in *len; with
 * nul 0, a string holding U+0000 is given up on (jansson's reader refuses
 * it in a name).  Plain runs are checked and copied whole.
 */
static int
fast_string(struct fast *f, int nul, char **out, size_t *len)
{
	const char *run, *p;
	char *buf, *q;
	uint32_t cp, lo;

	*out = NULL;
	if (fast_char(f, '"') == -1)
		return -1;
	run = f->p;
	p = fast_plain(run, f->end);
	/* Most strings hold no escape: their size is known now.  A decoded
	 * string is never longer than its JSON text. */
	if ((buf = malloc((p < f->end && *p == '"' ? (size_t)(p - run) :
	    (size_t)(f->end - run)) + 1)) == NULL)
		return -1;
	q = buf;
	for (;;) {
		if (!text_utf8_valid(run, (size_t)(p - run)))
			goto fail;
		memcpy(q, run, (size_t)(p - run));
		q += p - run;
		if (p >= f->end || (unsigned char)*p < 0x20)
			goto fail;
		if (*p == '"')
			break;
		/* A backslash. */
		if (++p >= f->end)
			goto fail;
		switch (*p++) {
		case '"': cp = '"'; break;
		case '\\': cp = '\\'; break;
		case '/': cp = '/'; break;
		case 'b': cp = '\b'; break;
		case 'f': cp = '\f'; break;
		case 'n': cp = '\n'; break;
		case 'r': cp = '\r'; break;
		case 't': cp = '\t'; break;
		case 'u':
			f->p = p;
			if (fast_hex4(f, &cp) == -1 ||
			    (cp >= 0xdc00 && cp <= 0xdfff) || (cp == 0 && !nul))
				goto fail;
			if (cp >= 0xd800 && cp <= 0xdbff) {
				if (f->end - f->p < 2 || f->p[0] != '\\' ||
				    f->p[1] != 'u')
					goto fail;
				f->p += 2;
				if (fast_hex4(f, &lo) == -1 || lo < 0xdc00 ||
				    lo > 0xdfff)
					goto fail;
				cp = 0x10000 + ((cp - 0xd800) << 10) +
				    (lo - 0xdc00);
			}
			p = f->p;
			break;
		default:
			goto fail;
		}
		q = fast_utf8(q, cp);
		run = p;
		p = fast_plain(run, f->end);
	}
	f->p = p + 1;
	*q = '\0';
	*out = buf;
	if (len != NULL)
		*len = (size_t)(q - buf);
	return 0;
fail:
	free(buf);
	return -1;
}

/* A string that must be one of prun's statuses. */
static int
fast_status(struct fast *f, enum prun_status *st)
{
	char *s;
	int rc;

	if (fast_string(f, 0, &s, NULL) == -1)
		return -1;
	rc = status_parse(s, st);
	free(s);
	return rc;
}

/*
 * A number, as jansson reads it: an integer when it has neither fraction
 * nor exponent (*is_int), else a real; one out of range is given up on.
 */
static int
fast_number(struct fast *f, double *d, long long *ll, int *is_int)
{
	const char *s;
	char tok[64], *e;
	size_t n;

	if (!fast_ws(f))
		return -1;
	s = f->p;
	*is_int = 1;
	if (*f->p == '-')
		f->p++;
	if (f->p < f->end && *f->p == '0')
		f->p++;
	else if (f->p < f->end && *f->p >= '1' && *f->p <= '9')
		while (f->p < f->end && *f->p >= '0' && *f->p <= '9')
			f->p++;
	else
		return -1;
	if (f->p < f->end && *f->p == '.') {
		*is_int = 0;
		if (++f->p >= f->end || *f->p < '0' || *f->p > '9')
			return -1;
		while (f->p < f->end && *f->p >= '0' && *f->p <= '9')
			f->p++;
	}
	if (f->p < f->end && (*f->p == 'e' || *f->p == 'E')) {
		*is_int = 0;
		if (++f->p < f->end && (*f->p == '+' || *f->p == '-'))
			f->p++;
		if (f->p >= f->end || *f->p < '0' || *f->p > '9')
			return -1;
		while (f->p < f->end && *f->p >= '0' && *f->p <= '9')
			f->p++;
	}
	if ((n = (size_t)(f->p - s)) >= sizeof tok)
		return -1;
	memcpy(tok, s, n);
	tok[n] = '\0';
	errno = 0;
	if (*is_int) {
		*ll = strtoll(tok, &e, 10);
		*d = (double)*ll;
	} else
		*d = strtod(tok, &e);
	return errno != 0 || *e != '\0' ? -1 : 0;
}

/* An integer in [lo, hi]. */
static int
fast_int(struct fast *f, long long lo, long long hi, long long *ll)
{
	double d;
	int is_int;

	if (fast_number(f, &d, ll, &is_int) == -1 || !is_int || *ll < lo ||
	    *ll > hi)
		return -1;
	return 0;
}

/*
 * Go through an object: for each key, call member(f, key, ctx), which
 * reads the value.  Keys that member() tells apart are checked for
 * duplicates by it; the others (subtest names) here.
 */
static int
fast_object(struct fast *f, int (*member)(struct fast *, const char *,
    void *), void *ctx)
{
	char *key;
	int rc;

	if (fast_char(f, '{') == -1)
		return -1;
	if (fast_ws(f) && *f->p == '}') {
		f->p++;
		return 0;
	}
	for (;;) {
		if (fast_string(f, 0, &key, NULL) == -1)
			return -1;
		rc = fast_char(f, ':') == -1 ? -1 : member(f, key, ctx);
		free(key);
		if (rc == -1 || !fast_ws(f))
			return -1;
		if (*f->p == '}') {
			f->p++;
			return 0;
		}
		if (*f->p++ != ',')
			return -1;
	}
}

/* What is read into one run (the fragment's or a try's). */
struct fast_run {
	struct prun_result	*r;
	unsigned		 seen;		/* KEY_ bits */
	size_t			 subs_size;
	unsigned		 time_seen;	/* 1: start, 2: end */
};

/* A member of "time": start and end, each a number. */
static int
fast_time_member(struct fast *f, const char *key, void *ctx)
{
	struct fast_run *fr = ctx;
	long long ll;
	int is_int, bit;

	if (strcmp(key, "start") == 0)
		bit = 1;
	else if (strcmp(key, "end") == 0)
		bit = 2;
	else
		return -1;
	if (fr->time_seen & bit)
		return -1;
	fr->time_seen |= bit;
	return fast_number(f, bit == 1 ? &fr->r->time_start :
	    &fr->r->time_end, &ll, &is_int);
}

/* Order subtests by name, for subtests_unique. */
static int
subtest_cmp(const void *a, const void *b)
{
	return strcmp(((const struct prun_subtest *const *)a)[0]->name,
	    ((const struct prun_subtest *const *)b)[0]->name);
}

/*
 * Whether no two subtests of r have the same name: by sorting pointers,
 * as a test may report 100,000 subtests (outparse keeps that many), and
 * comparing each name with all those before it took seconds.  0 when
 * unique, -1 otherwise (or out of memory: then jansson decides too).
 */
static int
subtests_unique(const struct prun_result *r)
{
	const struct prun_subtest **v;
	size_t i;
	int rc = 0;

	if (r->nsubtests < 2)
		return 0;
	if ((v = malloc(r->nsubtests * sizeof *v)) == NULL)
		return -1;
	for (i = 0; i < r->nsubtests; i++)
		v[i] = &r->subtests[i];
	qsort(v, r->nsubtests, sizeof *v, subtest_cmp);
	for (i = 1; i < r->nsubtests && rc == 0; i++)
		if (strcmp(v[i - 1]->name, v[i]->name) == 0)
			rc = -1;
	free(v);
	return rc;
}

/* A member of "subtests": a name and its status. */
static int
fast_subtest_member(struct fast *f, const char *key, void *ctx)
{
	struct fast_run *fr = ctx;
	struct prun_result *r = fr->r;
	struct prun_subtest *p;

	/* Duplicates are looked for once all are read (subtests_unique). */
	if (r->nsubtests == fr->subs_size) {
		fr->subs_size = fr->subs_size ? 2 * fr->subs_size : 8;
		if ((p = realloc(r->subtests, fr->subs_size *
		    sizeof *p)) == NULL)
			return -1;
		r->subtests = p;
	}
	p = &r->subtests[r->nsubtests];
	if (fast_status(f, &p->status) == -1 ||
	    (p->name = strdup(key)) == NULL)
		return -1;
	r->nsubtests++;
	return 0;
}

/* A key of a run into fr; 1 when key is not one of a run's. */
static int
fast_run_member(struct fast *f, const char *key, struct fast_run *fr)
{
	struct prun_result *r = fr->r;
	long long ll;
	unsigned bit;

	if (strcmp(key, "result") == 0)
		bit = KEY_RESULT;
	else if (strcmp(key, "returncode") == 0)
		bit = KEY_RETURNCODE;
	else if (strcmp(key, "pid") == 0)
		bit = KEY_PID;
	else if (strcmp(key, "time") == 0)
		bit = KEY_TIME;
	else if (strcmp(key, "out") == 0)
		bit = KEY_OUT;
	else if (strcmp(key, "err") == 0)
		bit = KEY_ERR;
	else if (strcmp(key, "subtests") == 0)
		bit = KEY_SUBTESTS;
	else
		return 1;
	if (fr->seen & bit)
		return -1;
	fr->seen |= bit;
	switch (bit) {
	case KEY_RESULT:
		return fast_status(f, &r->status);
	case KEY_RETURNCODE:
		if (fast_word(f, "null"))
			return 0;
		if (fast_int(f, INT_MIN, INT_MAX, &ll) == -1)
			return -1;
		r->has_returncode = 1;
		r->returncode = (int)ll;
		return 0;
	case KEY_PID:
		if (fast_int(f, 0, INT_MAX, &ll) == -1)
			return -1;
		r->pid = (long)ll;
		return 0;
	case KEY_TIME:
		if (fast_object(f, fast_time_member, fr) == -1 ||
		    fr->time_seen != 3)
			return -1;
		return 0;
	case KEY_OUT:
		return fast_string(f, 1, &r->out, &r->out_len);
	case KEY_ERR:
		return fast_string(f, 1, &r->err, &r->err_len);
	default:
		if (fast_object(f, fast_subtest_member, fr) == -1)
			return -1;
		return subtests_unique(r);
	}
}

/* A member of a try: only a run's keys. */
static int
fast_try_member(struct fast *f, const char *key, void *ctx)
{
	return fast_run_member(f, key, ctx) == 0 ? 0 : -1;
}

/* The earlier tries of a rerun test: an array of runs. */
static int
fast_tries(struct fast *f, struct prun_result *r)
{
	struct fast_run fr;
	struct prun_result *p;
	size_t size = 0;

	if (fast_char(f, '[') == -1)
		return -1;
	if (fast_ws(f) && *f->p == ']') {
		f->p++;
		return 0;
	}
	for (;;) {
		if (r->ntries == size) {
			size = size ? 2 * size : 4;
			if ((p = realloc(r->tries, size * sizeof *p)) == NULL)
				return -1;
			r->tries = p;
		}
		memset(&fr, 0, sizeof fr);
		fr.r = &r->tries[r->ntries++];
		memset(fr.r, 0, sizeof *fr.r);
		if (fast_object(f, fast_try_member, &fr) == -1 ||
		    fr.seen != KEY_RUN || !fast_ws(f))
			return -1;
		if (*f->p == ']') {
			f->p++;
			return 0;
		}
		if (*f->p++ != ',')
			return -1;
	}
}

/* A top-level key of a fragment. */
static int
fast_member(struct fast *f, const char *key, void *ctx)
{
	struct fast_run *fr = ctx;
	struct prun_result *r = fr->r;
	long long ll;
	unsigned bit;
	char *s;
	int rc;

	if ((rc = fast_run_member(f, key, fr)) != 1)
		return rc;
	if (strcmp(key, "format") == 0)
		bit = KEY_FORMAT;
	else if (strcmp(key, "version") == 0)
		bit = KEY_VERSION;
	else if (strcmp(key, "index") == 0)
		bit = KEY_INDEX;
	else if (strcmp(key, "name") == 0)
		bit = KEY_NAME;
	else if (strcmp(key, "attempt") == 0)
		bit = KEY_ATTEMPT;
	else if (strcmp(key, "interrupted") == 0)
		bit = KEY_INTERRUPTED;
	else if (strcmp(key, "command") == 0)
		bit = KEY_COMMAND;
	else if (strcmp(key, "flaky") == 0)
		bit = KEY_FLAKY;
	else if (strcmp(key, "tries") == 0)
		bit = KEY_TRIES;
	else
		return -1;
	if (fr->seen & bit)
		return -1;
	fr->seen |= bit;
	switch (bit) {
	case KEY_FORMAT:
		if (fast_string(f, 0, &s, NULL) == -1)
			return -1;
		rc = strcmp(s, FRAGMENT_FORMAT) == 0 ? 0 : -1;
		free(s);
		return rc;
	case KEY_VERSION:
		return fast_int(f, FRAGMENT_VERSION, FRAGMENT_VERSION, &ll);
	case KEY_INDEX:
		if (fast_int(f, 0, LLONG_MAX, &ll) == -1)
			return -1;
		r->index = (size_t)ll;
		return 0;
	case KEY_NAME:
		return fast_string(f, 0, &r->name, NULL);
	case KEY_ATTEMPT:
		if (fast_int(f, 1, 1000000, &ll) == -1)
			return -1;
		r->attempt = (int)ll;
		return 0;
	case KEY_INTERRUPTED:
	case KEY_FLAKY:
		if (fast_word(f, "true"))
			rc = 1;
		else if (fast_word(f, "false"))
			rc = 0;
		else
			return -1;
		if (bit == KEY_FLAKY)
			r->flaky = rc;
		else
			r->interrupted = rc;
		return 0;
	case KEY_COMMAND:
		return fast_string(f, 0, &r->command, NULL);
	default:
		return fast_tries(f, r);
	}
}

/* Read a JSON fragment the fast way: 0, or -1 to leave it to jansson. */
static int
fast_decode(const char *buf, size_t len, struct prun_result *r)
{
	struct fast f = { buf, buf + len };
	struct fast_run fr;
	size_t i;

	memset(r, 0, sizeof *r);
	memset(&fr, 0, sizeof fr);
	fr.r = r;
	if (fast_object(&f, fast_member, &fr) == -1 || fast_ws(&f) ||
	    (fr.seen & KEY_NEEDED) != KEY_NEEDED) {
		result_free(r);
		return -1;
	}
	for (i = 0; i < r->ntries; i++) {
		r->tries[i].index = r->index;
		r->tries[i].attempt = r->attempt;
	}
	return 0;
}

/* Parse a JSON fragment: the fast reader, else jansson's verdict. */
static int
decode_json(const char *buf, size_t len, const char *what,
    struct prun_result *r, struct prun_error *err)
{
	if (fast_decode(buf, len, r) == 0)
		return 0;
	return fragment_decode_jansson(buf, len, what, r, err);
}

/* Serialize r in a backend's format. */
char *
fragment_encode(const struct prun_result *r, enum prun_backend backend,
    size_t *len, struct prun_error *err)
{
	if (backend == BACKEND_JUNIT)
		return fragment_xml_encode(r, len, err);
	return encode_json(r, len, err);
}

/* Parse a fragment in a backend's format. */
int
fragment_decode(const char *buf, size_t len, enum prun_backend backend,
    const char *what, struct prun_result *r, struct prun_error *err)
{
	if (backend == BACKEND_JUNIT)
		return fragment_xml_decode(buf, len, what, r, err);
	return decode_json(buf, len, what, r, err);
}
