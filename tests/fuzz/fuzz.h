/*
 * fuzz: what the libFuzzer harnesses of tests/fuzz/ share.
 *
 * Each harness feeds one reader of outside input with the fuzzer's bytes
 * and checks, beyond "no crash, no leak", the properties the reader
 * promises (valid UTF-8 out, a decoded record encodes back to itself).
 * A broken property aborts, which libFuzzer reports as a crash with the
 * input that caused it.
 */
#ifndef PRUN_FUZZ_H
#define PRUN_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* Abort with the place and the property when cond is false. */
#define FUZZ_CHECK(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "%s:%d: property broken: %s\n",		\
		    __FILE__, __LINE__, #cond);				\
		abort();						\
	}								\
} while (0)

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);
int	LLVMFuzzerInitialize(int *, char ***);

/*
 * The readers of test sources take a path: write the input to a file of
 * the given suffix in a private directory (made once, removed at exit)
 * and return its path.
 */
const char	*fuzz_file(const uint8_t *data, size_t size, const char *suffix);

#endif
