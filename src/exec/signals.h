/*
 * signals: what prun does with the signals sent to it.
 *
 * prun takes SIGINT, SIGTERM, SIGHUP and SIGQUIT as requests to stop the
 * run (each unless it was ignored when prun started: nohup, a background
 * job of a script).  They, and the signals whose default action would
 * kill or stop prun for no reason of its own (SIGTSTP, SIGTTIN, SIGTTOU,
 * SIGUSR1, SIGUSR2, SIGALRM), are blocked from the first line of main and
 * never unblocked: the scheduler reads the ones it acts on from a
 * signalfd, so no signal, however many arrive and whenever they arrive,
 * takes its default action.  What a signal read there asks for depends
 * on who sent it: a test that signals its parent is not the terminal.
 */
#ifndef PRUN_SIGNALS_H
#define PRUN_SIGNALS_H

#include <sys/signalfd.h>
#include <sys/types.h>

#include <signal.h>

/* What a signal read from the signalfd asks of the scheduler. */
enum signals_act {
	SIGNALS_IGNORE,		/* nothing: a test's SIGHUP, SIGTSTP, SIGCONT */
	SIGNALS_STOP,		/* stop the run, exit 128+N */
	SIGNALS_SUSPEND,	/* stop prun itself, as SIGTSTP would */
	SIGNALS_CONTINUED,	/* prun was stopped and runs again */
	SIGNALS_CHILD,		/* a child changed state */
};

/* Block every signal prun handles or ignores (the first line of main);
 * the mask before is put in old, for commands that do not run tests. */
void	signals_block(sigset_t *old);

/* The stop signals that were not ignored at start. */
void	signals_stop_set(sigset_t *);

/* The signals the scheduler reads from its signalfd: the stop set,
 * SIGTSTP, SIGCONT and SIGCHLD. */
void	signals_listen_set(sigset_t *);

/* A stop signal pending (left pending), or 0. */
int	signals_stop_pending(void);

/* Who sent a signal, as far as prun can tell when it reads it. */
enum signals_from {
	SIGNALS_FROM_OUTSIDE,	/* the kernel, or a live process not of the run */
	SIGNALS_FROM_RUN,	/* a test, or a process a test started */
	SIGNALS_FROM_GONE,	/* a process that exited before prun looked */
};

/* What si, sent by from, asks for. */
enum signals_act signals_classify(const struct signalfd_siginfo *si,
	    enum signals_from from);

/* The pid of a process that sent si (kill, sigqueue, tgkill), or 0 when
 * the kernel did (a terminal's Ctrl-C, Ctrl-Z, hangup). */
pid_t	signals_sender(const struct signalfd_siginfo *si);

#endif
