/*
 * check_signals: unit tests of the signals module: what each signal asks
 * of the scheduler by who sent it, who a siginfo names as its sender, and
 * that the stop set keeps a signal ignored at start ignored.
 */
#include <signal.h>
#include <string.h>

#include <check.h>

#include "exec/signals.h"
#include "unit.h"

/* Every signal the scheduler reads, by sender: one row a case. */
START_TEST(classify_table)
{
	static const struct {
		int			 sig;
		enum signals_from	 from;
		enum signals_act	 want;
	} rows[] = {
		{ SIGCHLD, SIGNALS_FROM_OUTSIDE, SIGNALS_CHILD },
		{ SIGCHLD, SIGNALS_FROM_RUN, SIGNALS_CHILD },
		{ SIGINT, SIGNALS_FROM_OUTSIDE, SIGNALS_STOP },
		{ SIGINT, SIGNALS_FROM_RUN, SIGNALS_STOP },
		{ SIGTERM, SIGNALS_FROM_RUN, SIGNALS_STOP },
		{ SIGTERM, SIGNALS_FROM_GONE, SIGNALS_STOP },
		{ SIGQUIT, SIGNALS_FROM_OUTSIDE, SIGNALS_STOP },
		{ SIGQUIT, SIGNALS_FROM_RUN, SIGNALS_STOP },
		{ SIGHUP, SIGNALS_FROM_OUTSIDE, SIGNALS_STOP },
		{ SIGHUP, SIGNALS_FROM_GONE, SIGNALS_STOP },
		{ SIGHUP, SIGNALS_FROM_RUN, SIGNALS_IGNORE },
		{ SIGTSTP, SIGNALS_FROM_OUTSIDE, SIGNALS_SUSPEND },
		{ SIGTSTP, SIGNALS_FROM_RUN, SIGNALS_IGNORE },
		{ SIGTSTP, SIGNALS_FROM_GONE, SIGNALS_IGNORE },
		{ SIGCONT, SIGNALS_FROM_OUTSIDE, SIGNALS_CONTINUED },
		{ SIGCONT, SIGNALS_FROM_GONE, SIGNALS_CONTINUED },
		{ SIGCONT, SIGNALS_FROM_RUN, SIGNALS_IGNORE },
		{ SIGUSR1, SIGNALS_FROM_OUTSIDE, SIGNALS_IGNORE },
		{ SIGALRM, SIGNALS_FROM_OUTSIDE, SIGNALS_IGNORE },
	};
	struct signalfd_siginfo si;
	size_t i;

	for (i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		memset(&si, 0, sizeof si);
		si.ssi_signo = (unsigned)rows[i].sig;
		ck_assert_msg(signals_classify(&si, rows[i].from) ==
		    rows[i].want, "row %zu: SIG%s", i,
		    sigabbrev_np(rows[i].sig));
	}
}
END_TEST

/* A process's kill names it; the kernel's tty signals name nobody. */
START_TEST(sender)
{
	struct signalfd_siginfo si;

	memset(&si, 0, sizeof si);
	si.ssi_pid = 4242;
	si.ssi_code = SI_USER;
	ck_assert_int_eq(signals_sender(&si), 4242);
	si.ssi_code = SI_QUEUE;
	ck_assert_int_eq(signals_sender(&si), 4242);
	si.ssi_code = SI_KERNEL;
	ck_assert_int_eq(signals_sender(&si), 0);
}
END_TEST

/* A stop signal ignored at start is not in the stop set, nor pending. */
START_TEST(ignored_at_start)
{
	sigset_t set, old;

	signal(SIGHUP, SIG_IGN);
	signals_stop_set(&set);
	ck_assert(!sigismember(&set, SIGHUP));
	ck_assert(sigismember(&set, SIGTERM));
	signals_listen_set(&set);
	ck_assert(sigismember(&set, SIGCHLD));
	ck_assert(sigismember(&set, SIGCONT));
	signal(SIGHUP, SIG_DFL);
	signals_block(&old);
	ck_assert_int_eq(signals_stop_pending(), 0);
	raise(SIGQUIT);
	ck_assert_int_eq(signals_stop_pending(), SIGQUIT);
	/* Still pending: consume it before the mask goes back. */
	sigemptyset(&set);
	sigaddset(&set, SIGQUIT);
	ck_assert_int_eq(sigwaitinfo(&set, NULL), SIGQUIT);
	sigprocmask(SIG_SETMASK, &old, NULL);
}
END_TEST

/* The suite of signals tests. */
Suite *
unit_suite(void)
{
	Suite *s = suite_create("signals");
	TCase *tc = tcase_create("exec");

	tcase_add_test(tc, classify_table);
	tcase_add_test(tc, sender);
	tcase_add_test(tc, ignored_at_start);
	suite_add_tcase(s, tc);
	return s;
}
