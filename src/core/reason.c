/*
 * reason: how a test ended and what it said last, for a person.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/reason.h"
#include "core/status.h"
#include "core/text.h"

/* Append a printf'd string to buf, which holds len bytes; the new len. */
static size_t __attribute__((format(printf, 4, 5)))
append(char *buf, size_t size, size_t len, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (len + 1 >= size)
		return len;
	va_start(ap, fmt);
	n = vsnprintf(buf + len, size - len, fmt, ap);
	va_end(ap);
	if (n < 0)
		return len;
	return (size_t)n >= size - len ? size - 1 : len + (size_t)n;
}

/* How r's process ended, as the status and return code say. */
static size_t
describe_end(const struct prun_result *r, char *buf, size_t size)
{
	int rc = r->returncode;

	if (r->status == PRUN_NOTRUN)
		return append(buf, size, 0, "never started");
	if (r->status == PRUN_INCOMPLETE && r->running)
		return append(buf, size, 0, "running");
	if (r->status == PRUN_INCOMPLETE)
		return append(buf, size, 0, r->interrupted ?
		    "stopped by prun (interrupted)" :
		    "started, but no result was recorded");
	if (r->status == PRUN_TIMEOUT)
		return append(buf, size, 0, "timed out");
	if (!r->has_returncode)
		return r->pid == 0 && status_is_failure(r->status) ?
		    append(buf, size, 0, "could not be started") : 0;
	if (rc < 0 && sigabbrev_np(-rc) != NULL)
		return append(buf, size, 0, "killed by SIG%s",
		    sigabbrev_np(-rc));
	if (rc < 0)
		return append(buf, size, 0, "killed by signal %d", -rc);
	if (r->status == PRUN_CRASH && rc > 128 && rc < 128 + 65 &&
	    sigabbrev_np(rc - 128) != NULL)
		return append(buf, size, 0, "exit status %d (SIG%s under the "
		    "shell)", rc, sigabbrev_np(rc - 128));
	if (rc == 0 && !status_is_failure(r->status))
		return 0;
	return append(buf, size, 0, "exit status %d", rc);
}

/* Describe how r ended and its failing subtests. */
void
reason_describe(const struct prun_result *r, char *buf, size_t size)
{
	size_t i, len, nfail = 0, named = 0;
	char *safe;

	if (size == 0)
		return;
	buf[0] = '\0';
	len = describe_end(r, buf, size);
	/* --repeat: how often it failed, for a stress run's reader. */
	for (i = 0; i < r->nreps; i++)
		if (status_is_failure(r->reps[i].status))
			nfail++;
	if (nfail > 0)
		len = append(buf, size, len, "%sfailed %zu of %zu repetition%s",
		    len > 0 ? "; " : "", nfail, r->nreps,
		    r->nreps == 1 ? "" : "s");
	nfail = 0;
	for (i = 0; i < r->nsubtests; i++)
		if (status_is_failure(r->subtests[i].status))
			nfail++;
	if (nfail == 0)
		return;
	len = append(buf, size, len, "%s%zu of %zu subtests failed: ",
	    len > 0 ? "; " : "", nfail, r->nsubtests);
	for (i = 0; i < r->nsubtests && named < REASON_SUBTESTS; i++) {
		if (!status_is_failure(r->subtests[i].status))
			continue;
		safe = text_to_terminal(r->subtests[i].name,
		    strlen(r->subtests[i].name), NULL);
		len = append(buf, size, len, "%s%s", named > 0 ? ", " : "",
		    safe != NULL ? safe : "?");
		free(safe);
		named++;
	}
	if (nfail > named)
		append(buf, size, len, " and %zu more", nfail - named);
}

/* The last n lines of r's standard error, safe for a terminal. */
char *
reason_err_tail(const struct prun_result *r, size_t n)
{
	const char *s = r->err != NULL ? r->err : "";
	size_t len = r->err != NULL ? r->err_len : 0, start, lines = 0;
	size_t end, linelen, outlen, total = 0, safelen;
	char *out, *safe, *p, more[48];

	/* Leave out a last newline, then walk back n lines. */
	end = len > 0 && s[len - 1] == '\n' ? len - 1 : len;
	start = end;
	while (n > 0 && start > 0 && lines < n) {
		start--;
		if (s[start] == '\n' && ++lines == n) {
			start++;
			break;
		}
	}
	if (n == 0 || len == 0)
		return strdup("");
	/* One line at a time: a newline is kept, every other control is
	 * shown, so no line of a test reads as two or redraws the screen. */
	if ((out = malloc(1)) == NULL)
		return NULL;
	out[0] = '\0';
	while (start < end) {
		p = memchr(s + start, '\n', end - start);
		linelen = (p != NULL ? (size_t)(p - s) : end) - start;
		/* A line of megabytes would flood the terminal. */
		outlen = linelen <= REASON_LINE_MAX ? linelen :
		    text_utf8_cut_back(s + start, linelen, REASON_LINE_MAX);
		more[0] = '\0';
		if (outlen < linelen)
			snprintf(more, sizeof more, " [%zu bytes more]",
			    linelen - outlen);
		if ((safe = text_to_terminal(s + start, outlen, &safelen)) ==
		    NULL || (p = realloc(out, total + safelen + sizeof more +
		    2)) == NULL) {
			free(safe);
			free(out);
			errno = ENOMEM;
			return NULL;
		}
		out = p;
		memcpy(out + total, safe, safelen);
		total += safelen;
		total += (size_t)sprintf(out + total, "%s\n", more);
		free(safe);
		start += linelen + 1;
	}
	return out;
}
