/*
 * util: the small pieces every layer uses, written once: a hash, string
 * vectors, a table of names by id, and the clocks.
 */
#ifndef PRUN_UTIL_H
#define PRUN_UTIL_H

#include <stddef.h>
#include <stdint.h>

/* FNV-1a: names are short and tables only need them spread. */
#define UTIL_HASH_INIT	0xcbf29ce484222325ULL

/* The hash of buf[0..len), continuing from h (UTIL_HASH_INIT at first). */
uint64_t	 util_hash(uint64_t h, const void *buf, size_t len);

/* The hash of a NUL-terminated string, from UTIL_HASH_INIT. */
uint64_t	 util_hash_str(const char *s);

/* Seconds since the epoch, and on the monotonic clock. */
double		 util_now(void);
double		 util_mono(void);

/* The name of v[0..n) closest to s by edit distance, when close enough
 * to be a misspelling of it ("did you mean"); NULL otherwise. */
const char	*util_closest(const char *s, const char *const *v, size_t n);

/*
 * Room for one more item after the n of the array v of *cap items of size
 * bytes (its capacity doubled, first items at first): v itself when there
 * was room, the grown array (and *cap) when not, NULL when out of memory
 * (v and *cap as they were).
 */
void		*util_grow(void *v, size_t *cap, size_t n, size_t size,
		    size_t first);

/* The length of a NULL-terminated string vector (0 for NULL). */
size_t		 strv_len(char *const *v);

/* Copy a NULL-terminated string vector into *out (NULL stays NULL);
 * 0, or -1 when out of memory (*out is then NULL). */
int		 strv_copy(char *const *v, char ***out);

/* Free a NULL-terminated string vector and its strings (NULL is fine). */
void		 strv_free(char **v);

/*
 * nametab: an open-addressing index of items by name.  The items live
 * in the caller's arrays and are known by id (0, 1, ...); the table keeps
 * only ids.  The caller says how to hash an item and whether an item is
 * the one looked for, so the same table serves plain names, names within
 * a parent, or names that are not NUL-terminated.  It stays at most half
 * full.
 */
#define NAMETAB_NONE	((size_t)-1)

struct nametab {
	size_t		 *slots;	/* id + 1; 0: empty */
	size_t		  size;		/* a power of two, or 0 */
	size_t		  n;		/* ids in the table */
	/* the hash of item id (as given to nametab_add when it was added) */
	uint64_t	(*hash)(const void *ctx, size_t id);
	/* whether item id is the one key stands for */
	int		(*same)(const void *ctx, size_t id, const void *key);
	const void	 *ctx;
};

void	nametab_init(struct nametab *,
	    uint64_t (*hash)(const void *ctx, size_t id),
	    int (*same)(const void *ctx, size_t id, const void *key),
	    const void *ctx);

/* The id of the item that key (hashing to h) stands for, or
 * NAMETAB_NONE. */
size_t	nametab_find(const struct nametab *, uint64_t h, const void *key);

/* Add item id, whose hash is h and which is not in the table yet: 0, or
 * -1 when out of memory (the table is unchanged). */
int	nametab_add(struct nametab *, uint64_t h, size_t id);

/* Room for n ids in all without growing again: 0 or -1. */
int	nametab_reserve(struct nametab *, size_t n);

void	nametab_free(struct nametab *);

/*
 * The common case: items are the strings of an array of names (names[id]
 * a NUL-terminated string) that may move as it grows, so the table holds
 * where the array's pointer is.  Find and add by the name itself.
 */
void	nametab_init_names(struct nametab *, char *const *const *names);
size_t	nametab_find_name(const struct nametab *, const char *name);
int	nametab_add_name(struct nametab *, const char *name, size_t id);

#endif
