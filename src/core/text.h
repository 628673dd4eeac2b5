/*
 * text: byte strings from tests made safe for JSON, XML and names.
 *
 * Tests print anything: invalid UTF-8, NUL bytes, escape sequences.  These
 * functions decide where a byte string may be cut and how it is turned into
 * text that a JSON or XML 1.0 document can hold.  UTF-8 is checked strictly
 * (no overlong forms, no surrogates, nothing above U+10FFFF), as jansson
 * and libxml2 check it.
 */
#ifndef PRUN_TEXT_H
#define PRUN_TEXT_H

#include <stddef.h>

/* Whether s[0..len) is strictly valid UTF-8 (NUL bytes allowed). */
int	 text_utf8_valid(const char *s, size_t len);

/* The largest cut <= at that does not split a UTF-8 sequence of s[0..len)
 * (a cut before a byte that is not a continuation byte, or at len). */
size_t	 text_utf8_cut_back(const char *s, size_t len, size_t at);

/* The smallest cut >= at that does not split a UTF-8 sequence. */
size_t	 text_utf8_cut_forward(const char *s, size_t len, size_t at);

/*
 * Copy s[0..len) as valid UTF-8 for a JSON string: each byte that is not
 * part of a valid sequence becomes U+FFFD; NUL bytes are kept (JSON writes
 * them as \u0000).  Returns a malloc'd NUL-terminated copy, its length in
 * *outlen, or NULL when out of memory.
 */
char	*text_to_utf8(const char *s, size_t len, size_t *outlen);

/*
 * Copy s[0..len) as text XML 1.0 can hold: invalid UTF-8 becomes U+FFFD;
 * characters XML forbids (C0 controls but tab, LF and CR; U+FFFE, U+FFFF)
 * are written visibly as \xNN or \uFFFE.  Markup characters are NOT escaped
 * here (the XML writer does that).  Returns a malloc'd NUL-terminated copy
 * or NULL when out of memory.
 */
char	*text_to_xml(const char *s, size_t len, size_t *outlen);

/*
 * The size of s[0..len) once in an XML document: text_to_xml's copy, with
 * the markup an XML writer escapes counted as written (&lt; &gt; &amp;
 * &quot; &#13;).  Returns the smallest cut c, at a character of that copy,
 * such that s[c..len) takes at most max bytes (0 when all of it fits, len
 * when nothing does), and its size in *size: the tail of a test's output
 * that fits a report of bounded size.  Nothing is allocated.
 */
size_t	 text_xml_tail(const char *s, size_t len, size_t max, size_t *size);

/* The size text_xml_tail gives s[0..len) whole, or once it passes cap,
 * some value above cap (the count stops there). */
size_t	 text_xml_size(const char *s, size_t len, size_t cap);

/*
 * Copy s[0..len) as text safe to print on a terminal: no byte of a test
 * can move the cursor, change colours or set the title.  Tab and
 * printable characters are kept; every other control (C0 including ESC,
 * CR and LF, DEL, and the C1 controls U+0080..U+009F) is written visibly
 * as \xNN or \u00NN; invalid UTF-8 becomes U+FFFD.  Returns a malloc'd
 * NUL-terminated copy or NULL when out of memory.
 */
char	*text_to_terminal(const char *s, size_t len, size_t *outlen);

/* Whether name is a valid test name: non-empty, valid UTF-8, without
 * control characters (C0, DEL, C1). */
int	 text_valid_name(const char *name);

#endif
