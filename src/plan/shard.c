/*
 * shard: choosing the tests of one shard (shard_env.c parses --shard).
 */
#include <string.h>

#include "plan/shard.h"

static const char *const source_names[] = {
	[SHARD_GIVEN] = "given",
	[SHARD_GITLAB] = "gitlab",
	[SHARD_SLURM] = "slurm",
	[SHARD_KUBERNETES] = "kubernetes",
	[SHARD_BAZEL] = "bazel",
	[SHARD_BUILDKITE] = "buildkite",
	[SHARD_CIRCLECI] = "circleci",
	[SHARD_NOMAD] = "nomad",
	[SHARD_LIT] = "lit",
};

/* Whether test index is in the shard: by the cut of time, or round-robin
 * over the plan. */
int
shard_member(const struct prun_shard *sh, size_t index)
{
	if (sh == NULL || sh->total <= 1)
		return 1;
	if (sh->owner != NULL)
		return sh->owner[index] == sh->index - 1;
	return index % sh->total == sh->index - 1;
}

/* The number of indices i < n with i mod N == K - 1. */
size_t
shard_size(const struct prun_shard *sh, size_t n)
{
	size_t i, size = 0;

	if (sh == NULL || sh->total <= 1)
		return n;
	if (sh->owner != NULL) {
		for (i = 0; i < n; i++)
			size += shard_member(sh, i);
		return size;
	}
	if (n < sh->index)
		return 0;
	return (n - sh->index) / sh->total + 1;
}

/* Keep the shard's tests of a todo list, in order. */
size_t
shard_select(const struct prun_shard *sh, struct run_todo *todo, size_t n)
{
	size_t i, kept = 0;

	for (i = 0; i < n; i++)
		if (shard_member(sh, todo[i].index))
			todo[kept++] = todo[i];
	return kept;
}

/* The name of a source, as metadata.json records it. */
const char *
shard_source_name(enum shard_source s)
{
	if ((unsigned)s >= sizeof source_names / sizeof source_names[0])
		return "given";
	return source_names[s];
}

/* A source back from its name. */
int
shard_source_parse(const char *name, enum shard_source *out)
{
	size_t i;

	for (i = 0; i < sizeof source_names / sizeof source_names[0]; i++) {
		if (strcmp(name, source_names[i]) == 0) {
			*out = (enum shard_source)i;
			return 0;
		}
	}
	return -1;
}
