/*
 * error: how prun's library reports what went wrong.
 *
 * Every function that can fail takes a struct prun_error and returns -1
 * after filling it with an exit class and a message that names the file,
 * the test and the reason.  Only main.c prints it and exits.
 */
#ifndef PRUN_ERROR_H
#define PRUN_ERROR_H

/* Exit statuses of the prun command (see prun(1), EXIT STATUS). */
enum prun_exit {
	PRUN_EXIT_OK = 0,	/* every test passed or skipped */
	PRUN_EXIT_FAIL = 1,	/* some test failed (data, not an error) */
	PRUN_EXIT_USAGE = 2,	/* usage or input error, nothing was run */
	PRUN_EXIT_IO = 3,	/* results could not be recorded or read */
	PRUN_EXIT_ATTENTION = 4,	/* the machine needs attention (a
					 * tainted kernel, --abort-on) */
	PRUN_EXIT_SIGINT = 130,
	PRUN_EXIT_SIGTERM = 143,
};

struct prun_error {
	enum prun_exit	code;
	char		msg[1024];
};

/* Fill err (if not NULL) with code and a printf-style message; returns -1. */
int	prun_error_set(struct prun_error *err, enum prun_exit code,
	    const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Like prun_error_set, with ": strerror(errnum)" appended. */
int	prun_error_errno(struct prun_error *err, enum prun_exit code,
	    int errnum, const char *fmt, ...)
	    __attribute__((format(printf, 4, 5)));

/* Prepend "prefix: " to an error already set, to add context; returns -1. */
int	prun_error_wrap(struct prun_error *err, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

#endif
