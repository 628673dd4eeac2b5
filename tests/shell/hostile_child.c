/*
 * hostile_child: the misbehaving tests of the hostile integration tests.
 *
 * Each mode does one thing a broken test does to its runner: stop itself,
 * ignore SIGTERM, leave a daemon behind, leave its process group, signal
 * prun, flood its output.  Modes that leave processes behind write their
 * pids to a file, so the shell test can check that none survives the run.
 * It is a helper run by prun, not a test of its own.
 */
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Print why and exit 2, which the shell tests never expect. */
static void __attribute__((noreturn))
die(const char *what)
{
	fprintf(stderr, "hostile_child: %s: %s\n", what, strerror(errno));
	exit(2);
}

/* Sleep until killed. */
static void __attribute__((noreturn))
forever(void)
{
	for (;;)
		pause();
}

/* Append our pid as one line to path, and make it durable enough. */
static void
note_pid(const char *path)
{
	char line[32];
	int fd, n;

	if ((fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0666)) == -1)
		die(path);
	n = snprintf(line, sizeof line, "%ld\n", (long)getpid());
	if (write(fd, line, n) != n)
		die(path);
	close(fd);
}

/* Point stdin, stdout and stderr at /dev/null, as a daemon does. */
static void
detach_stdio(void)
{
	int fd;

	if ((fd = open("/dev/null", O_RDWR)) == -1)
		die("/dev/null");
	dup2(fd, 0);
	dup2(fd, 1);
	dup2(fd, 2);
	if (fd > 2)
		close(fd);
}

/*
 * Start a daemon that writes its pid to pidfile and sleeps; return once it
 * has, so the test exits with the daemon surely running.  With keep, the
 * daemon keeps the test's stdout and stderr open (prun's pipes).
 */
static void
daemon_child(const char *pidfile, int keep, int twice)
{
	int sync[2], st;
	pid_t pid;
	char c;

	if (pipe(sync) == -1)
		die("pipe");
	if ((pid = fork()) == -1)
		die("fork");
	if (pid == 0) {
		close(sync[0]);
		if (setsid() == -1)
			die("setsid");
		if (twice) {
			if ((pid = fork()) == -1)
				die("fork");
			if (pid != 0)
				_exit(0);
		}
		note_pid(pidfile);
		if (!keep)
			detach_stdio();
		if (write(sync[1], "x", 1) != 1)
			die("write");
		close(sync[1]);
		forever();
	}
	close(sync[1]);
	if (read(sync[0], &c, 1) != 1)
		die("the daemon did not start");
	if (twice && waitpid(pid, &st, 0) == -1)
		die("waitpid");
}

/*
 * Fail when a descriptor other than 0, 1 and 2 is open, or stdin is not
 * at its end (/dev/null), or a signal is blocked or ignored.
 */
static int
check_clean(void)
{
	struct dirent *de;
	struct sigaction sa;
	sigset_t mask;
	DIR *d;
	char c;
	int fd, sig, bad = 0;

	if ((d = opendir("/proc/self/fd")) == NULL)
		die("/proc/self/fd");
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		fd = atoi(de->d_name);
		if (fd > 2 && fd != dirfd(d)) {
			printf("open descriptor %d\n", fd);
			bad = 1;
		}
	}
	closedir(d);
	for (fd = 3; fd < 1024; fd++) {
		if (fcntl(fd, F_GETFD) != -1 || errno != EBADF) {
			printf("descriptor %d is usable\n", fd);
			bad = 1;
		}
	}
	if (read(0, &c, 1) != 0) {
		printf("stdin is not /dev/null\n");
		bad = 1;
	}
	sigprocmask(SIG_SETMASK, NULL, &mask);
	for (sig = 1; sig < NSIG; sig++) {
		if (sig == SIGKILL || sig == SIGSTOP)
			continue;
		if (sigismember(&mask, sig) == 1) {
			printf("signal %d is blocked\n", sig);
			bad = 1;
		}
		if (sigaction(sig, NULL, &sa) == 0 &&
		    sa.sa_handler == SIG_IGN) {
			printf("signal %d is ignored\n", sig);
			bad = 1;
		}
	}
	if (!bad)
		printf("clean\n");
	return bad;
}

/* The peak resident size of process pid in kB, from /proc; -1 if unknown. */
static long
peak_rss(pid_t pid)
{
	char path[64], line[256];
	long kb = -1;
	FILE *fp;

	snprintf(path, sizeof path, "/proc/%ld/status", (long)pid);
	if ((fp = fopen(path, "r")) == NULL)
		return -1;
	while (fgets(line, sizeof line, fp) != NULL)
		if (sscanf(line, "VmHWM: %ld", &kb) == 1)
			break;
	fclose(fp);
	return kb;
}

/* Write all of buf to fd; a full pipe is waited out, not an error. */
static void
write_all(int fd, const char *buf, size_t len)
{
	ssize_t n;

	while (len > 0) {
		if ((n = write(fd, buf, len)) == -1) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			die("write");
		}
		buf += n;
		len -= n;
	}
}

/*
 * Write mib MiB to stdout and to stderr: lines of TAP test points with
 * distinct names when tap, else NUL bytes (no newline, the worst case of JSON escaping).  Then
 * record in report how much prun's peak memory grew meanwhile.
 */
static void
flood(long mib, int tap, const char *report)
{
	static char buf[1 << 16];
	long long total = mib << 20, done = 0, n = 0;
	long before, after;
	size_t len;
	FILE *fp;

	before = peak_rss(getppid());
	while (done < total) {
		if (tap) {
			for (len = 0; len < sizeof buf - 64; n++)
				len += (size_t)snprintf(buf + len,
				    sizeof buf - len, "ok %lld - case %lld\n",
				    n + 1, n);
		} else {
			memset(buf, 0, sizeof buf);
			len = sizeof buf;
		}
		write_all(1, buf, len);
		write_all(2, buf, len);
		done += len;
	}
	after = peak_rss(getppid());
	if ((fp = fopen(report, "w")) == NULL)
		die(report);
	fprintf(fp, "%ld %ld %lld\n", before, after, n);
	if (fclose(fp) == EOF)
		die(report);
}

/* Do as told once: the flag file says whether it was done already. */
static int
first_time(const char *flag)
{
	int fd;

	if ((fd = open(flag, O_WRONLY | O_CREAT | O_EXCL, 0666)) == -1) {
		if (errno == EEXIST)
			return 0;
		die(flag);
	}
	close(fd);
	return 1;
}

int
main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";

	setvbuf(stdout, NULL, _IONBF, 0);
	if (strcmp(mode, "stop") == 0) {
		printf("stopping\n");
		raise(SIGSTOP);
		forever();
	} else if (strcmp(mode, "ignore-term") == 0) {
		signal(SIGTERM, SIG_IGN);
		printf("ignoring SIGTERM\n");
		forever();
	} else if (strcmp(mode, "daemon") == 0 && argc == 4) {
		daemon_child(argv[2], strcmp(argv[3], "keep") == 0, 0);
		printf("daemon started\n");
		return 0;
	} else if (strcmp(mode, "double-fork") == 0 && argc == 4) {
		daemon_child(argv[2], strcmp(argv[3], "keep") == 0, 1);
		printf("grandchild started\n");
		return 0;
	} else if (strcmp(mode, "fds") == 0) {
		return check_clean();
	} else if (strcmp(mode, "leave-group") == 0) {
		/* Into prun's own group: it is in our session. */
		if (setpgid(0, getpgid(getppid())) == -1)
			die("setpgid");
		printf("left the group\n");
		forever();
	} else if (strcmp(mode, "kill-prun") == 0 && argc == 4) {
		if (!first_time(argv[3]))
			return 0;
		if (kill(getppid(), strcmp(argv[2], "INT") == 0 ? SIGINT :
		    SIGTERM) == -1)
			die("kill");
		forever();
	} else if (strcmp(mode, "flood") == 0 && argc == 5) {
		flood(atol(argv[2]), strcmp(argv[3], "tap") == 0, argv[4]);
		return 0;
	} else if (strcmp(mode, "sleep") == 0) {
		forever();
	}
	fprintf(stderr, "usage: hostile_child stop | ignore-term | "
	    "daemon PIDFILE keep|detach | double-fork PIDFILE keep|detach | "
	    "fds | leave-group | kill-prun TERM|INT FLAG | "
	    "flood MIB tap|raw REPORT | sleep\n");
	return 2;
}
