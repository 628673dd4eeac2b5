/*
 * fuzz_file: a scratch file for the harnesses whose reader takes a path.
 *
 * The directory is made once per process under TMPDIR and removed at
 * exit; each input rewrites the same file, so a long run costs no space.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"

static char	dir[PATH_MAX];
static char	path[PATH_MAX];

/* Remove the file and the directory. */
static void
cleanup(void)
{
	if (path[0] != '\0')
		unlink(path);
	if (dir[0] != '\0')
		rmdir(dir);
}

/* Write data to DIR/input<suffix>; abort when the system says no. */
const char *
fuzz_file(const uint8_t *data, size_t size, const char *suffix)
{
	const char *tmp;
	size_t off = 0;
	ssize_t n;
	int fd;

	if (dir[0] == '\0') {
		tmp = getenv("TMPDIR");
		snprintf(dir, sizeof dir, "%s/prun-fuzz-XXXXXX",
		    tmp != NULL && *tmp != '\0' ? tmp : "/tmp");
		if (mkdtemp(dir) == NULL) {
			perror(dir);
			abort();
		}
		atexit(cleanup);
	}
	if (path[0] != '\0')
		unlink(path);
	snprintf(path, sizeof path, "%s/input%s", dir, suffix);
	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600)) == -1) {
		perror(path);
		abort();
	}
	while (off < size) {
		if ((n = write(fd, data + off, size - off)) == -1) {
			if (errno == EINTR)
				continue;
			perror(path);
			abort();
		}
		off += (size_t)n;
	}
	close(fd);
	return path;
}
