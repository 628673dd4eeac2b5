/*
 * outparse: reads what a test reports about itself on its stdout, in TAP or
 * in piglit's "PIGLIT: {json}" lines, while the output streams past.
 *
 * The rules it keeps:
 * 1. Stdout may be hundreds of megabytes: a line is copied only when it is
 *    cut by a chunk boundary, and its first bytes decide whether it is read
 *    at all.
 * 2. Only lines starting at column 0 count, so the indented TAP of nested
 *    subtests and YAML blocks are never taken for the test's own report.
 * 3. A line longer than OUTPARSE_LINE_MAX is ignored whole: a prefix of it
 *    could read as a report the test never made.
 * 4. Whatever the test prints is data: malformed TAP or JSON is ignored,
 *    never an error.  The only error is running out of memory.
 * 5. Subtest names are valid UTF-8 and unique.  Every TAP test point is a
 *    subtest of its own, as prove counts it: a point whose description is
 *    already a name, also when compared without case (piglit lowercases
 *    names), is named "DESC (N)" by its number N (its ordinal when it has
 *    none), or failing that "DESC (N, ORD)" by its ordinal, then
 *    "DESC (N, ORD, K)"; the first point keeps the plain name, so the names
 *    of a stream do not change when a repeat is added after them.  A
 *    "PIGLIT:" subtest named twice keeps its worst status, and a real report
 *    (a TAP point too) replaces the "notrun" of a subtest that was only
 *    declared.
 * 6. Memory is bounded whatever the test prints: past OUTPARSE_SUBTESTS_MAX
 *    subtests or OUTPARSE_NAMES_MAX bytes of names, a new subtest is only
 *    counted, and its status still counts for the test's.
 */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "exec/outparse.h"
#include "core/text.h"

#define OUTPARSE_LINE_MAX	(64 * 1024)
#define OUTPARSE_REASON_MAX	256	/* bytes of a bail out reason kept */

enum tap_directive {
	TAP_NONE,
	TAP_SKIP,
	TAP_TODO,
};

static int	parse_line(struct outparse *, const char *, size_t);

/* Set up an empty parser. */
void
outparse_init(struct outparse *p)
{
	memset(p, 0, sizeof *p);
	p->tap_planned = -1;
	p->tap_maxnum = -1;
}

/* Whether c separates words on a TAP line. */
static int
is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* Record the test's own status; a second report cannot make it better. */
static void
set_result(struct outparse *p, enum prun_status st)
{
	if (p->has_result)
		p->result = status_worst(p->result, st);
	else
		p->result = st;
	p->has_result = 1;
}

/*
 * Keep the first reason the report is broken, with raw test output (which
 * may be any bytes) appended as UTF-8.
 */
static int
set_note(struct outparse *p, const char *msg, const char *raw, size_t rawlen)
{
	char	*reason, *note;
	size_t	 len, msglen = strlen(msg);

	if (p->note != NULL)
		return 0;
	if (raw == NULL || rawlen == 0) {
		if ((p->note = strdup(msg)) == NULL)
			return -1;
		return 0;
	}
	if (rawlen > OUTPARSE_REASON_MAX)
		rawlen = OUTPARSE_REASON_MAX;
	if ((reason = text_to_utf8(raw, rawlen, &len)) == NULL)
		return -1;
	if ((note = malloc(msglen + 1 + len + 1)) == NULL) {
		free(reason);
		return -1;
	}
	memcpy(note, msg, msglen);
	note[msglen] = ' ';
	memcpy(note + msglen + 1, reason, len);
	note[msglen + 1 + len] = '\0';
	free(reason);
	p->note = note;
	return 0;
}

/*
 * The code point at *s, which is valid UTF-8 (subtest_name makes it so),
 * and *s moved past it.
 */
static uint32_t
utf8_next(const char **s)
{
	const unsigned char	*u = (const unsigned char *)*s;
	uint32_t		 c = u[0];
	size_t			 n = 1, i;

	if (c >= 0xf0) {
		c &= 0x07;
		n = 4;
	} else if (c >= 0xe0) {
		c &= 0x0f;
		n = 3;
	} else if (c >= 0xc0) {
		c &= 0x1f;
		n = 2;
	}
	for (i = 1; i < n; i++)
		c = c << 6 | (u[i] & 0x3f);
	*s += n;
	return c;
}

/*
 * The lower case of c, as Python's str.lower() gives it (piglit lowercases
 * subtest names) for the letters of ASCII, Latin-1, Latin Extended-A, Greek
 * and Cyrillic; other code points are their own.  U+0130, which lowers to
 * two code points, stays itself.
 */
static uint32_t
fold_cp(uint32_t c)
{
	if (c < 0x80)
		return c >= 'A' && c <= 'Z' ? c + 32 : c;
	if (c >= 0xc0 && c <= 0xde && c != 0xd7)
		return c + 32;
	if ((c >= 0x100 && c <= 0x12f) || (c >= 0x132 && c <= 0x137) ||
	    (c >= 0x14a && c <= 0x177))
		return c | 1;
	if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17e))
		return c & 1 ? c + 1 : c;
	if (c == 0x178)
		return 0xff;
	if (c >= 0x391 && c <= 0x3a9 && c != 0x3a2)
		return c + 32;
	if (c >= 0x410 && c <= 0x42f)
		return c + 32;
	if (c >= 0x400 && c <= 0x40f)
		return c + 80;
	return c;
}

/* FNV-1a of the name, or with icase of it without case. */
static size_t
name_hash(const char *s, int icase)
{
	uint64_t	h = 14695981039346656037ULL;
	uint32_t	c;
	int		i;

	if (!icase) {
		for (; *s != '\0'; s++) {
			h ^= (unsigned char)*s;
			h *= 1099511628211ULL;
		}
		return (size_t)h;
	}
	while (*s != '\0') {
		c = fold_cp(utf8_next(&s));
		for (i = 0; i < 4 && (i == 0 || c != 0); i++, c >>= 8) {
			h ^= c & 0xff;
			h *= 1099511628211ULL;
		}
	}
	return (size_t)h;
}

/* Whether two names are equal without case. */
static int
name_eq_icase(const char *a, const char *b)
{
	while (*a != '\0' && *b != '\0') {
		if (fold_cp(utf8_next(&a)) != fold_cp(utf8_next(&b)))
			return 0;
	}
	return *a == *b;
}

/*
 * Which index index_slot looks in.  Names are unique byte for byte in
 * index; findex holds one subtest (the first) of each name without case,
 * so that "PIGLIT:" names in every mix of case, which a test may print by
 * the hundred thousand, never make one long probe sequence.
 */
enum name_match {
	MATCH_EXACT,	/* index: the same bytes */
	MATCH_ICASE,	/* findex: equal without case */
};

/* The slot of the index holding name, or the empty slot where it would go. */
static size_t *
index_slot(struct outparse *p, const char *name, enum name_match how)
{
	size_t		*tab, mask = p->index_size - 1, i;
	const char	*other;
	int		 icase = how == MATCH_ICASE;

	tab = icase ? p->findex : p->index;
	i = name_hash(name, icase) & mask;
	for (; tab[i] != 0; i = (i + 1) & mask) {
		other = p->subtests[tab[i] - 1].name;
		if (icase ? name_eq_icase(other, name) : strcmp(other, name) == 0)
			break;
	}
	return &tab[i];
}

/* Put subtest i into both indexes (into findex only as the first). */
static void
index_put(struct outparse *p, size_t i)
{
	size_t	*slot;

	*index_slot(p, p->subtests[i].name, MATCH_EXACT) = i + 1;
	slot = index_slot(p, p->subtests[i].name, MATCH_ICASE);
	if (*slot == 0)
		*slot = i + 1;
}

/* Make room for one more name, keeping the indexes at most half full. */
static int
index_reserve(struct outparse *p)
{
	size_t	*tab, *ftab, size, i;

	if (p->nsubtests < p->index_size / 2)
		return 0;
	size = p->index_size != 0 ? p->index_size * 2 : 64;
	if (size > SIZE_MAX / 2 / sizeof *p->index) {
		errno = ENOMEM;
		return -1;
	}
	if ((tab = calloc(size, sizeof *tab)) == NULL)
		return -1;
	if ((ftab = calloc(size, sizeof *ftab)) == NULL) {
		free(tab);
		return -1;
	}
	free(p->index);
	free(p->findex);
	p->index = tab;
	p->findex = ftab;
	p->index_size = size;
	for (i = 0; i < p->nsubtests; i++)
		index_put(p, i);
	return 0;
}

/*
 * A subtest name from raw bytes: valid UTF-8, and without NUL bytes so that
 * the C string holds the whole name.
 */
static char *
subtest_name(const char *raw, size_t len)
{
	char	*name;
	size_t	 outlen, i;

	if ((name = text_to_utf8(raw, len, &outlen)) == NULL)
		return NULL;
	for (i = 0; i < outlen; i++) {
		if (name[i] == '\0')
			name[i] = '?';
	}
	return name;
}

/* Count a new subtest past the cap: only its status is kept. */
static void
subtest_drop(struct outparse *p, enum prun_status st)
{
	p->dropped_worst = p->dropped == 0 ? st :
	    status_worst(p->dropped_worst, st);
	p->dropped++;
}

/*
 * Whether a new subtest named name would pass the caps (rule 6).
 */
static int
subtest_fits(const struct outparse *p, const char *name)
{
	return p->nsubtests < OUTPARSE_SUBTESTS_MAX &&
	    strlen(name) <= OUTPARSE_NAMES_MAX - p->names_len;
}

/*
 * Add a subtest that fits and whose name is new, taking name; the caller
 * made room with index_reserve.
 */
static int
subtest_add(struct outparse *p, char *name, enum prun_status st, int todo)
{
	struct prun_subtest	*s, *tmp;
	size_t			 size;

	if (p->nsubtests == p->subtests_size) {
		size = p->subtests_size != 0 ? p->subtests_size * 2 : 16;
		if (size > SIZE_MAX / 2 / sizeof *tmp) {
			errno = ENOMEM;
			return -1;
		}
		if ((tmp = realloc(p->subtests, size * sizeof *tmp)) == NULL)
			return -1;
		p->subtests = tmp;
		p->subtests_size = size;
	}
	s = &p->subtests[p->nsubtests++];
	s->name = name;
	p->names_len += strlen(name);
	s->status = st;
	s->todo = todo;
	index_put(p, p->nsubtests - 1);
	return 0;
}

/*
 * A "PIGLIT:" subtest, or with declare only announce it (it stays notrun
 * unless reported); a name seen before is merged into its first entry.
 */
static int
subtest_set(struct outparse *p, const char *raw, size_t len,
    enum prun_status st, int declare)
{
	struct prun_subtest	*s;
	size_t			*slot;
	char			*name;

	if ((name = subtest_name(raw, len)) == NULL)
		return -1;
	if (index_reserve(p) == -1)
		goto fail;
	slot = index_slot(p, name, MATCH_EXACT);
	if (*slot != 0) {
		free(name);
		s = &p->subtests[*slot - 1];
		if (declare)
			return 0;
		if (s->status == PRUN_NOTRUN)
			s->status = st;
		else
			s->status = status_worst(s->status, st);
		return 0;
	}
	if (!subtest_fits(p, name)) {
		free(name);
		if (!declare)
			subtest_drop(p, st);
		return 0;
	}
	if (subtest_add(p, name, declare ? PRUN_NOTRUN : st, 0) == -1)
		goto fail;
	return 0;

fail:
	free(name);
	return -1;
}

/*
 * The name of a TAP point whose description desc is taken (rule 5): desc
 * with its number, or its number and ordinal, then a counter, until no
 * name is the same without case.  Each form is tried once but the last,
 * whose names hold the ordinal, which no other point has: only names a
 * test printed itself can be in the way, so the search stays linear in
 * the output.
 */
static char *
tap_unique_name(struct outparse *p, const char *desc, long num, long ord)
{
	char	*name;
	long	 k;

	if (asprintf(&name, "%s (%ld)", desc, num) == -1)
		return NULL;
	if (*index_slot(p, name, MATCH_ICASE) == 0)
		return name;
	for (k = 1; k < LONG_MAX; k++) {
		free(name);
		if ((k == 1 ? asprintf(&name, "%s (%ld, %ld)", desc, num, ord) :
		    asprintf(&name, "%s (%ld, %ld, %ld)", desc, num, ord, k)) ==
		    -1)
			return NULL;
		if (*index_slot(p, name, MATCH_ICASE) == 0)
			return name;
	}
	free(name);
	errno = ENOMEM;
	return NULL;
}

/*
 * A TAP point named desc (taken), always a subtest of its own (rule 5):
 * it takes over only a name that a "PIGLIT:" line declared and nothing
 * reported yet.
 */
static int
tap_add(struct outparse *p, char *desc, long num, long ord,
    enum prun_status st, int todo)
{
	struct prun_subtest	*s;
	size_t			*slot;
	char			*name;

	if (index_reserve(p) == -1)
		goto fail;
	slot = index_slot(p, desc, MATCH_EXACT);
	if (*slot != 0 && p->subtests[*slot - 1].status == PRUN_NOTRUN) {
		s = &p->subtests[*slot - 1];
		s->status = st;
		s->todo = todo;
		free(desc);
		return 0;
	}
	if (*slot == 0 && *index_slot(p, desc, MATCH_ICASE) == 0)
		name = desc;
	else {
		name = tap_unique_name(p, desc, num, ord);
		free(desc);
		if (name == NULL)
			return -1;
	}
	if (!subtest_fits(p, name)) {
		free(name);
		subtest_drop(p, st);
		return 0;
	}
	if (subtest_add(p, name, st, todo) == -1) {
		free(name);
		return -1;
	}
	return 0;

fail:
	free(desc);
	return -1;
}

/* Read a decimal number, saturating: a huge one is still "beyond the plan". */
static int
parse_number(const char **s, size_t *n, long *out)
{
	long	v = 0;

	if (*n == 0 || **s < '0' || **s > '9')
		return -1;
	for (; *n > 0 && **s >= '0' && **s <= '9'; (*s)++, (*n)--) {
		if (v > (LONG_MAX - 9) / 10)
			v = LONG_MAX;
		else
			v = v * 10 + (**s - '0');
	}
	*out = v;
	return 0;
}

/* Skip spaces and tabs. */
static void
skip_blanks(const char **s, size_t *n)
{
	while (*n > 0 && is_blank(**s)) {
		(*s)++;
		(*n)--;
	}
}

/* Whether s[0..n) starts with word, ignoring case. */
static int
has_prefix_icase(const char *s, size_t n, const char *word)
{
	size_t	i, len = strlen(word);

	if (n < len)
		return 0;
	for (i = 0; i < len; i++) {
		if ((s[i] | 0x20) != word[i])
			return 0;
	}
	return 1;
}

/*
 * Find the directive of a test point: as in TAP::Parser, only the first
 * '#' not escaped by a backslash may start one, and a '#' that starts no
 * directive is part of the description.
 */
static enum tap_directive
tap_directive(const char *s, size_t n, size_t *desclen)
{
	const char	*d;
	size_t		 i, dn;
	char		 c;

	*desclen = n;
	for (i = 0; i < n; i++) {
		if (s[i] == '\\') {
			i++;
			continue;
		}
		if (s[i] == '#')
			break;
	}
	if (i >= n)
		return TAP_NONE;
	d = s + i + 1;
	dn = n - i - 1;
	skip_blanks(&d, &dn);
	/*
	 * A whole word, as TAP::Parser's "(SKIP|TODO)\b" (prove counts by
	 * it): "# skipped: no GPU" and "# todos" are no directives.
	 */
	if (dn > 4) {
		c = d[4];
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '_')
			return TAP_NONE;
	}
	if (has_prefix_icase(d, dn, "skip")) {
		*desclen = i;
		return TAP_SKIP;
	}
	if (has_prefix_icase(d, dn, "todo")) {
		*desclen = i;
		return TAP_TODO;
	}
	return TAP_NONE;
}

/*
 * The subtest name of a TAP description, with its \# and \\ escapes
 * undone.
 */
static char *
tap_name(const char *desc, size_t n)
{
	char	*buf, *name;
	size_t	 i, len = 0;

	if (memchr(desc, '\\', n) == NULL)
		return subtest_name(desc, n);
	if ((buf = malloc(n)) == NULL)
		return NULL;
	for (i = 0; i < n; i++) {
		if (desc[i] == '\\' && i + 1 < n &&
		    (desc[i + 1] == '#' || desc[i + 1] == '\\'))
			i++;
		buf[len++] = desc[i];
	}
	name = subtest_name(buf, len);
	free(buf);
	return name;
}

/* A test point, "ok" or "not ok" already read: "[N] [- ]desc [# dir]". */
static int
tap_point(struct outparse *p, const char *s, size_t n, int ok)
{
	enum tap_directive	 dir;
	enum prun_status	 st;
	char			 numbuf[32], *name;
	long			 num;
	size_t			 dlen;

	/* Points after "Bail out!" still count, as prove counts them. */
	skip_blanks(&s, &n);
	if (parse_number(&s, &n, &num) == -1)
		num = -1;
	skip_blanks(&s, &n);

	dir = tap_directive(s, n, &dlen);
	n = dlen;
	st = ok ? PRUN_PASS : PRUN_FAIL;
	if (dir == TAP_SKIP)
		st = PRUN_SKIP;
	else if (dir == TAP_TODO)	/* a failing TODO is expected */
		st = ok ? PRUN_PASS : PRUN_SKIP;

	if (p->tap_seen < LONG_MAX)
		p->tap_seen++;
	if (num == -1)
		num = p->tap_seen;
	if (num > p->tap_maxnum)
		p->tap_maxnum = num;

	if (n > 0 && s[0] == '-' && (n == 1 || is_blank(s[1]))) {
		s++;
		n--;
	}
	skip_blanks(&s, &n);
	while (n > 0 && is_blank(s[n - 1]))
		n--;
	if (n == 0) {
		n = (size_t)snprintf(numbuf, sizeof numbuf, "%ld", num);
		s = numbuf;
	}
	if ((name = tap_name(s, n)) == NULL)
		return -1;
	return tap_add(p, name, num, p->tap_seen, st, dir == TAP_TODO);
}

/* A plan, "1.." already read: "N", then maybe "# SKIP reason". */
static int
tap_plan(struct outparse *p, const char *s, size_t n)
{
	long	num;

	if (p->tap_bailout)
		return 0;
	if (parse_number(&s, &n, &num) == -1)
		return 0;
	skip_blanks(&s, &n);
	if (n > 0 && s[0] != '#')
		return 0;
	/* TAP::Parser fails a stream with two plans; so does prove. */
	if (p->tap_planned >= 0)
		return set_note(p, "TAP: more than one plan", NULL, 0);
	p->tap_planned = num;
	if (num == 0)	/* "1..0", with or without "# SKIP why" */
		set_result(p, PRUN_SKIP);
	return 0;
}

/* "Bail out!" already read: the test gave up, whatever it reported. */
static int
tap_bail(struct outparse *p, const char *s, size_t n)
{
	if (p->tap_bailout)
		return 0;
	p->tap_bailout = 1;
	skip_blanks(&s, &n);
	while (n > 0 && is_blank(s[n - 1]))
		n--;
	return set_note(p, "TAP: Bail out!", s, n);
}

/* Take the statuses of one "PIGLIT: " object; anything unexpected is not
 * a report. */
static int
piglit_line(struct outparse *p, const char *s, size_t n)
{
	json_error_t		 jerr;
	json_t			*root, *v, *sv;
	const char		*key;
	enum prun_status	 st;
	size_t			 i;
	int			 rv = 0;

	if ((root = json_loadb(s, n, 0, &jerr)) == NULL)
		return 0;
	if (!json_is_object(root))
		goto out;

	v = json_object_get(root, "result");
	if (json_is_string(v) && status_parse(json_string_value(v), &st) == 0)
		set_result(p, st);

	v = json_object_get(root, "enumerate subtests");
	if (json_is_array(v)) {
		json_array_foreach(v, i, sv) {
			if (!json_is_string(sv))
				continue;
			if (subtest_set(p, json_string_value(sv),
			    json_string_length(sv), PRUN_NOTRUN, 1) == -1) {
				rv = -1;
				goto out;
			}
		}
	}

	v = json_object_get(root, "subtest");
	if (json_is_object(v)) {
		json_object_foreach(v, key, sv) {
			if (!json_is_string(sv) ||
			    status_parse(json_string_value(sv), &st) == -1)
				continue;
			if (subtest_set(p, key, strlen(key), st, 0) == -1) {
				rv = -1;
				goto out;
			}
		}
	}
out:
	json_decref(root);
	return rv;
}

/* One whole line, without its '\n': only a few prefixes are worth a look. */
static int
parse_line(struct outparse *p, const char *s, size_t n)
{
	if (n > 0 && s[n - 1] == '\r')
		n--;
	if (n < 2)
		return 0;
	switch (s[0]) {
	case 'o':
		if (s[1] == 'k' && (n == 2 || is_blank(s[2])))
			return tap_point(p, s + 2, n - 2, 1);
		break;
	case 'n':
		if (n >= 6 && memcmp(s, "not ok", 6) == 0 &&
		    (n == 6 || is_blank(s[6])))
			return tap_point(p, s + 6, n - 6, 0);
		break;
	case '1':
		if (n >= 3 && s[1] == '.' && s[2] == '.')
			return tap_plan(p, s + 3, n - 3);
		break;
	case 'B':
		if (n >= 9 && memcmp(s, "Bail out!", 9) == 0)
			return tap_bail(p, s + 9, n - 9);
		break;
	case 'P':
		if (n >= 8 && memcmp(s, "PIGLIT: ", 8) == 0)
			return piglit_line(p, s + 8, n - 8);
		break;
	}
	return 0;
}

/* Keep the start of a line cut by the end of a chunk, unless too long. */
static int
line_append(struct outparse *p, const char *s, size_t n)
{
	char	*tmp;
	size_t	 size;

	if (p->line_overflow)
		return 0;
	if (n > OUTPARSE_LINE_MAX - p->line_len) {
		p->line_overflow = 1;
		p->line_len = 0;
		return 0;
	}
	if (p->line_len + n > p->line_size) {
		size = p->line_size != 0 ? p->line_size : 256;
		while (size < p->line_len + n)
			size *= 2;
		if ((tmp = realloc(p->line, size)) == NULL)
			return -1;
		p->line = tmp;
		p->line_size = size;
	}
	memcpy(p->line + p->line_len, s, n);
	p->line_len += n;
	return 0;
}

/* Split stdout into lines; only a line cut by a chunk end is copied. */
int
outparse_feed(struct outparse *p, const char *buf, size_t len)
{
	const char	*nl;
	size_t		 n;
	int		 rv;

	while (len > 0) {
		if ((nl = memchr(buf, '\n', len)) == NULL)
			return line_append(p, buf, len);
		n = nl - buf;
		if (p->line_overflow)
			p->line_overflow = 0;
		else if (p->line_len > 0) {
			if (line_append(p, buf, n) == -1)
				return -1;
			rv = 0;
			if (!p->line_overflow)
				rv = parse_line(p, p->line, p->line_len);
			p->line_len = 0;
			p->line_overflow = 0;
			if (rv == -1)
				return -1;
		} else if (n <= OUTPARSE_LINE_MAX) {
			if (parse_line(p, buf, n) == -1)
				return -1;
		}
		buf = nl + 1;
		len -= n + 1;
	}
	return 0;
}

/* Read the last line even without its '\n', then hold TAP to its plan. */
int
outparse_finish(struct outparse *p)
{
	char	msg[128];
	int	rv = 0;

	if (p->line_len > 0 && !p->line_overflow)
		rv = parse_line(p, p->line, p->line_len);
	p->line_len = 0;
	p->line_overflow = 0;
	if (rv == -1)
		return -1;

	/* After a bail out, the missing test points are no news. */
	if (p->tap_bailout || p->tap_planned < 0)
		return 0;
	if (p->tap_seen < p->tap_planned)
		snprintf(msg, sizeof msg, "TAP: planned 1..%ld but only %ld "
		    "test points", p->tap_planned, p->tap_seen);
	else if (p->tap_maxnum > p->tap_planned)
		snprintf(msg, sizeof msg, "TAP: test point %ld beyond the "
		    "plan 1..%ld", p->tap_maxnum, p->tap_planned);
	else if (p->tap_seen > p->tap_planned)
		snprintf(msg, sizeof msg, "TAP: planned 1..%ld but %ld test "
		    "points", p->tap_planned, p->tap_seen);
	else
		return 0;
	return set_note(p, msg, NULL, 0);
}

/*
 * A test that exits 0 knows best what it did (all subtests skipped means
 * skip), but a test that failed on exit cannot report its way out of it.
 */
enum prun_status
outparse_status(const struct outparse *p, enum prun_status from_exit)
{
	enum prun_status	st = PRUN_SKIP;
	size_t			i;
	int			reported = 0;

	if (p->has_result) {
		st = status_worst(st, p->result);
		reported = 1;
	}
	for (i = 0; i < p->nsubtests; i++) {
		st = status_worst(st, p->subtests[i].status);
		reported = 1;
	}
	if (p->dropped > 0) {
		st = status_worst(st, p->dropped_worst);
		reported = 1;
	}
	if (p->note != NULL) {
		st = status_worst(st, PRUN_FAIL);
		reported = 1;
	}
	if (!reported)
		return from_exit;
	if (from_exit == PRUN_PASS)
		return st;
	return status_worst(from_exit, st);
}

/* Hand the subtests over; the parser is left with none. */
struct prun_subtest *
outparse_take_subtests(struct outparse *p, size_t *n)
{
	struct prun_subtest	*s = p->subtests;

	*n = p->nsubtests;
	p->subtests = NULL;
	p->nsubtests = p->subtests_size = 0;
	p->names_len = 0;
	free(p->index);
	free(p->findex);
	p->index = p->findex = NULL;
	p->index_size = 0;
	return s;
}

/* Free what the parser still owns; it is left empty and reusable. */
void
outparse_free(struct outparse *p)
{
	size_t	i;

	for (i = 0; i < p->nsubtests; i++)
		free(p->subtests[i].name);
	free(p->subtests);
	free(p->index);
	free(p->findex);
	free(p->line);
	free(p->note);
	outparse_init(p);
}
