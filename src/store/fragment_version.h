/*
 * fragment_version: what the fragment codecs share, the format's name and
 * the versions they write and read.
 *
 * A fragment says its version; each codec reads it first among the
 * fragment's keys and decides by it what the fragment must hold.  A later
 * format (more statuses, an attempt counter) is FRAGMENT_VERSION + 1: the
 * writers write it, and the readers accept it as one more case beside the
 * older ones, which stay readable from FRAGMENT_VERSION_MIN on.
 */
#ifndef PRUN_FRAGMENT_VERSION_H
#define PRUN_FRAGMENT_VERSION_H

#define FRAGMENT_FORMAT		"prun-fragment"
#define FRAGMENT_VERSION	1	/* the version written */
#define FRAGMENT_VERSION_MIN	1	/* the oldest version read */

/* Whether a fragment of version v can be read. */
static inline int
fragment_version_known(long long v)
{
	return v >= FRAGMENT_VERSION_MIN && v <= FRAGMENT_VERSION;
}

#endif
