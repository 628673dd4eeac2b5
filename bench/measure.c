/*
 * measure: run one command and say how long it took and how much memory
 * it held at most, for bench/run.
 *
 *     measure [-i SECONDS] [-w FILE] COMMAND ARGS...
 *
 * The command's standard output and error go to /dev/null (what is
 * measured is the work, not a terminal).  One line goes to standard
 * output: wall seconds, peak resident set in KiB of the largest process
 * the command ran (getrusage of the children), and its exit status.  With
 * -i the command gets SIGINT after that many seconds, to measure a long
 * run's memory without waiting for its end.  With -w a fourth figure
 * follows: the seconds until FILE existed (-1 if it never did), polled
 * every millisecond: given a test's fragment, the time to the first test
 * (its result, a millisecond after its start for "true"); -i then counts
 * from that moment, not from the start.
 */
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

/* Seconds on the monotonic clock. */
static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int
main(int argc, char **argv)
{
	struct rusage ru;
	struct timespec nap = { 0, 1000 * 1000 };
	struct stat sb;
	const char *watch = NULL;
	double start, interrupt = 0, end, seen = -1;
	pid_t pid;
	int c, fd, st, sent = 0;

	while ((c = getopt(argc, argv, "+i:w:")) != -1) {
		if (c == 'i')
			interrupt = atof(optarg);
		else if (c == 'w')
			watch = optarg;
		else
			errx(2, "usage: measure [-i SECONDS] [-w FILE] "
			    "COMMAND ARGS...");
	}
	if (optind >= argc)
		errx(2, "usage: measure [-i SECONDS] [-w FILE] COMMAND ARGS...");
	start = now();
	if ((pid = fork()) == -1)
		err(1, "fork");
	if (pid == 0) {
		if ((fd = open("/dev/null", O_WRONLY)) == -1 ||
		    dup2(fd, 1) == -1 || dup2(fd, 2) == -1)
			_exit(126);
		execvp(argv[optind], argv + optind);
		_exit(127);
	}
	for (;;) {
		int polling = (interrupt > 0 && !sent) ||
		    (watch != NULL && seen < 0);
		pid_t w = waitpid(pid, &st, polling ? WNOHANG : 0);

		if (w == pid)
			break;
		if (w == -1 && errno != EINTR)
			err(1, "waitpid");
		if (w == 0 && watch != NULL && seen < 0 &&
		    stat(watch, &sb) == 0)
			seen = now() - start;
		if (w == 0 && interrupt > 0 && !sent &&
		    (watch == NULL || seen >= 0) &&
		    now() - start - (seen > 0 ? seen : 0) >= interrupt) {
			kill(pid, SIGINT);
			sent = 1;
		} else if (w == 0)
			nanosleep(&nap, NULL);
	}
	end = now();
	if (getrusage(RUSAGE_CHILDREN, &ru) == -1)
		err(1, "getrusage");
	printf("%.4f %ld %d", end - start, ru.ru_maxrss,
	    WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
	if (watch != NULL)
		printf(" %.4f", seen);
	printf("\n");
	return 0;
}
