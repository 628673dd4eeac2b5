/*
 * report_html (private): what the files of the html writer share: its
 * state, and the helpers of report_html_data.c (escaping, formatting),
 * report_html_tree.c (the groups) and report_html_test.c (one test's
 * markup) that report_html.c (the page around them) calls.
 * The rules of escaping are listed in report_html.c.
 */
#ifndef PRUN_REPORT_HTML_H
#define PRUN_REPORT_HTML_H

#include <sys/types.h>

#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#include "report/report.h"
#include "core/util.h"

#define SLOWEST		15	/* tests in the chart of durations */
#define NOTABLE		500	/* tests listed at the top, at most */
#define OPEN_ALL	300	/* a report this small opens every group */
#define CHUNK		500	/* tests of a group shown at once */
#define ABSENT		0xff	/* in spooled.st: not in that run */
#define NONE		SIZE_MAX

/* The statuses in the order the page lists them. */
#define NORDER	10
extern const enum prun_status html_order[NORDER];

/* A group: "b" of "a/b/c", its place in the tree, what it holds. */
struct group {
	char		*name;		/* this component only */
	uint64_t	 hash;		/* of parent and name */
	size_t		 parent;
	size_t		 first, last;	/* its items, as they came */
	size_t		 direct;	/* tests among them */
	size_t		 ntests, nreg, nfix;
	double		 time;		/* of the newest run */
};

/* An entry of a group: a subgroup or a test. */
struct item {
	size_t		 next;
	size_t		 id;		/* group or test */
	int		 group;
};

/* Where a test's markup lies in the spool, and what a chunk counts. */
struct spooled {
	off_t		 off;
	size_t		 len;
	float		 dur;		/* newest run; <0: none */
	unsigned char	 reg, fix;
};

/* A test kept for the top of the page. */
struct kept {
	size_t		 id;
	char		*name;
	double		 dur;		/* in the newest run */
	double		*durs;		/* per run; -1: absent */
	signed char	*st;		/* status per run; -1 absent */
	int		 change;	/* notable: regression or fix */
	int		 verdict;	/* notable: of a baseline */
	int		 flaky;
};

struct html_state {
	FILE		*spool;
	off_t		 spool_len;
	size_t		 ncols;
	char		**labels;	/* per column */
	size_t		 nrows;
	struct spooled	*tests;		/* by row */
	size_t		 tests_size;
	unsigned char	*st;		/* row * ncols: status */
	size_t		 st_size;
	struct group	*groups;	/* 0 is the root */
	uint32_t	*gcounts;	/* group * ncols * PRUN_NSTATUS */
	size_t		 ngroups, groups_size, gcounts_size;
	struct nametab	 tab;		/* groups but the root, by parent
					 * and name */
	struct item	*items;
	size_t		 nitems, items_size;
	size_t		 cur;		/* the last test's group */
	char		*cur_name;	/* and its name */
	size_t		 cur_len, cur_size;
	struct kept	 slow[SLOWEST];
	size_t		 nslow;
	struct kept	*notable;
	size_t		 nnotable, notable_more;
};

/* report_html_data.c: escaping (the rules above) and formatting. */
int	 html_esc(FILE *, const char *s, size_t len);
int	 html_escs(FILE *, const char *s);
int	 html_json_script(FILE *, json_t *v);
void	 html_fmt_dur(char *buf, size_t size, double d);
void	 html_fmt_time(char *buf, size_t size, double t);
void	*html_grow(void *p, size_t *size, size_t n, size_t elsize);
int	 html_bar(FILE *, const size_t *counts);

/* report_html_tree.c: the groups, and the page's tree of them. */
void	 html_tree_init(struct html_state *);
size_t	 html_group_add(struct html_state *, size_t parent, const char *name,
	    size_t len);
size_t	 html_group_of(struct html_state *, const char *name, size_t glen);
int	 html_item_add(struct html_state *, size_t g, size_t id, int group);
void	 html_count(struct html_state *, size_t g,
	    const struct prun_result *const *cells, int reg, int fix,
	    double dur);
int	 html_write_tree(struct report *, int open_all);

/* report_html_test.c: one test (one row of runs), spooled. */
int	 html_row(struct report *, const struct report_info *,
	    const struct prun_result *const *cells);
int	 html_tags(FILE *, int verdict, enum prun_status expected,
	    const struct prun_result *r);

#endif
