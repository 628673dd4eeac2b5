/*
 * check_main: the main() of every Check program (see unit.h).
 */
#include <errno.h>
#include <locale.h>
#include <stdlib.h>

#include <check.h>

#include "fixture.h"
#include "unit.h"

/* Take the locale from the environment. */
void
unit_locale(void)
{
	setlocale(LC_ALL, "");
}

/* Run the program's suite in a directory of its own; fails when any test
 * failed. */
int
main(void)
{
	SRunner *sr;
	int failed;

	if (fixture_init(program_invocation_short_name) == -1)
		return EXIT_FAILURE;
	sr = srunner_create(unit_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	fixture_cleanup();
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
