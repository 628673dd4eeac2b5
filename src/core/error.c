/*
 * error: filling a struct prun_error with an exit class and a message.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/error.h"

/* Fill err with code and the message of fmt and ap. */
static void
error_vset(struct prun_error *err, enum prun_exit code, const char *fmt,
    va_list ap)
{
	err->code = code;
	vsnprintf(err->msg, sizeof err->msg, fmt, ap);
}

/* Fill err with code and a printf-style message; returns -1. */
int
prun_error_set(struct prun_error *err, enum prun_exit code, const char *fmt,
    ...)
{
	va_list ap;

	if (err == NULL)
		return -1;
	va_start(ap, fmt);
	error_vset(err, code, fmt, ap);
	va_end(ap);
	return -1;
}

/* Like prun_error_set, with ": strerror(errnum)" appended. */
int
prun_error_errno(struct prun_error *err, enum prun_exit code, int errnum,
    const char *fmt, ...)
{
	va_list ap;
	size_t len;

	if (err == NULL)
		return -1;
	va_start(ap, fmt);
	error_vset(err, code, fmt, ap);
	va_end(ap);
	len = strlen(err->msg);
	snprintf(err->msg + len, sizeof err->msg - len, ": %s",
	    strerror(errnum));
	return -1;
}

/* Prepend context to an error already set; returns -1. */
int
prun_error_wrap(struct prun_error *err, const char *fmt, ...)
{
	char prefix[512];
	size_t plen, mlen;
	va_list ap;

	if (err == NULL)
		return -1;
	va_start(ap, fmt);
	vsnprintf(prefix, sizeof prefix - 2, fmt, ap);
	va_end(ap);
	strcat(prefix, ": ");
	plen = strlen(prefix);
	mlen = strnlen(err->msg, sizeof err->msg - 1);
	if (plen + mlen >= sizeof err->msg)
		mlen = sizeof err->msg - 1 - plen;
	memmove(err->msg + plen, err->msg, mlen);
	memcpy(err->msg, prefix, plen);
	err->msg[plen + mlen] = '\0';
	return -1;
}
