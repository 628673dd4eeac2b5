/*
 * shard_env: which shard K of N this job is, from --shard and from the
 * environment a job scheduler gives its parallel jobs (--shard auto).
 *
 * shard.h says which tests a shard runs; this module only finds K and N.
 */
#ifndef PRUN_SHARD_ENV_H
#define PRUN_SHARD_ENV_H

#include "core/error.h"
#include "plan/shard.h"

/*
 * Parse --shard: "K/N", "auto" or "auto/N".  auto reads the environment
 * through get (getenv, or a fake in tests) and tries every scheduler of
 * prun(1), SHARDS, in its order: Slurm, Kubernetes, GitLab, Bazel,
 * Buildkite, CircleCI, Nomad, LLVM lit.  Of those whose variables are
 * set, one that says 1 of 1 does not count when another is set; two that
 * remain and disagree are an error naming both.  Bazel's
 * TEST_SHARD_STATUS_FILE is touched when it is set.  Errors are usage
 * errors saying which variables were looked for, or an I/O error naming
 * the status file.
 */
int		 shard_parse(struct prun_shard *, const char *arg,
		    char *(*get)(const char *), struct prun_error *);

#endif
