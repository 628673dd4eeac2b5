/*
 * signals: prun's own signals, which ones stop a run and who sent them.
 *
 * 1. Every signal of handled[] is blocked before anything else runs, and
 *    stays blocked to the exit: a pending SIGTERM must never take its
 *    default action between two steps (issue 12, the storm).
 * 2. A stop signal ignored at start stays ignored: the signalfd would
 *    otherwise undo what the parent asked for (nohup, `cmd &` in sh).
 * 3. SIGHUP, SIGTSTP and SIGCONT sent by a process of the run (a test
 *    signalling $PPID) are ignored; from the terminal, a person or a
 *    supervisor, SIGHUP stops the run and SIGTSTP stops prun.  A sender
 *    that exited before prun could look (a test's subshell, /bin/kill, a
 *    shell passing on its hangup) cannot be told: its SIGHUP stops the
 *    run, its SIGTSTP is ignored, so that prun never stops for nobody to
 *    continue it.  A test's main process is prun's child, a zombie until
 *    prun reaps it: always told.  SIGINT, SIGTERM and SIGQUIT stop the
 *    run whoever sent them: a test may mean to stop its runner.
 * 4. SIGTTIN, SIGTTOU, SIGUSR1, SIGUSR2 and SIGALRM stay blocked and are
 *    never read: a blocked SIGTTOU also lets a background prun write to
 *    its terminal.  SIGSTOP cannot be caught: prun learns of it from the
 *    SIGCONT that ends it.
 */
#include <signal.h>
#include <stddef.h>

#include "exec/signals.h"

static const int stops[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };
static const int handled[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGTSTP,
    SIGCONT, SIGCHLD, SIGTTIN, SIGTTOU, SIGUSR1, SIGUSR2, SIGALRM };

#define NELEM(a)	(sizeof (a) / sizeof (a)[0])

/* Block them all (rule 1). */
void
signals_block(sigset_t *old)
{
	sigset_t set;
	size_t i;

	sigemptyset(&set);
	for (i = 0; i < NELEM(handled); i++)
		sigaddset(&set, handled[i]);
	sigprocmask(SIG_BLOCK, &set, old);
}

/* The stop signals not ignored at start (rule 2). */
void
signals_stop_set(sigset_t *set)
{
	struct sigaction sa;
	size_t i;

	sigemptyset(set);
	for (i = 0; i < NELEM(stops); i++)
		if (sigaction(stops[i], NULL, &sa) == -1 ||
		    sa.sa_handler != SIG_IGN)
			sigaddset(set, stops[i]);
}

/* What the scheduler's signalfd reads. */
void
signals_listen_set(sigset_t *set)
{
	signals_stop_set(set);
	sigaddset(set, SIGTSTP);
	sigaddset(set, SIGCONT);
	sigaddset(set, SIGCHLD);
}

/* A stop signal pending, or 0. */
int
signals_stop_pending(void)
{
	sigset_t pending, stop;
	size_t i;

	if (sigpending(&pending) == -1)
		return 0;
	signals_stop_set(&stop);
	for (i = 0; i < NELEM(stops); i++)
		if (sigismember(&stop, stops[i]) &&
		    sigismember(&pending, stops[i]))
			return stops[i];
	return 0;
}

/* The sender's pid, 0 for the kernel. */
pid_t
signals_sender(const struct signalfd_siginfo *si)
{
	switch (si->ssi_code) {
	case SI_USER:
	case SI_QUEUE:
	case SI_TKILL:
		return (pid_t)si->ssi_pid;
	default:
		return 0;
	}
}

/* What si asks for (rule 3). */
enum signals_act
signals_classify(const struct signalfd_siginfo *si, enum signals_from from)
{
	int from_test = from == SIGNALS_FROM_RUN;

	switch (si->ssi_signo) {
	case SIGCHLD:
		return SIGNALS_CHILD;
	case SIGCONT:
		return from_test ? SIGNALS_IGNORE : SIGNALS_CONTINUED;
	case SIGTSTP:
		return from == SIGNALS_FROM_OUTSIDE ? SIGNALS_SUSPEND :
		    SIGNALS_IGNORE;
	case SIGHUP:
		return from_test ? SIGNALS_IGNORE : SIGNALS_STOP;
	case SIGINT:
	case SIGTERM:
	case SIGQUIT:
		return SIGNALS_STOP;
	default:
		return SIGNALS_IGNORE;
	}
}
