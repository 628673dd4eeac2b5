/*
 * unit: what every Check program shares.  Each program defines
 * unit_suite(), the suite of its module's tests; the one main() of
 * check_main.c makes the program's fixture directory, runs the suite and
 * exits non-zero when a test failed.
 */
#ifndef PRUN_UNIT_H
#define PRUN_UNIT_H

#include <check.h>

/* The suite of this program's tests. */
Suite	*unit_suite(void);

/* Take the locale from the environment, for a suite whose output must not
 * depend on it (tests/shell/junit_locale.sh runs it under a comma-decimal
 * one); call it from unit_suite(), before Check forks the tests. */
void	 unit_locale(void);

#endif
