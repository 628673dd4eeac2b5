/*
 * fragment_version: what the fragment codecs share, the format's name and
 * the versions they write and read.
 *
 * A fragment says its version; each codec reads it first among the
 * fragment's keys and decides by it what the fragment must hold.  A later
 * format (more statuses, an attempt counter) is FRAGMENT_VERSION + 1: the
 * writers write it, and the readers accept it as one more case beside the
 * older ones, which stay readable from FRAGMENT_VERSION_MIN on.
 *
 * Version 2 (prun 2026-12) adds, each written only when it says
 * something: the statuses dmesg-warn and dmesg-fail (before, a reader
 * folded them into warn and fail); TAP TODO points of a run ("todo": the
 * names of its subtests that are TODO); the kernel log of the test
 * ("dmesg", "dmesg_shared"); processes that outlived it ("leaks": count
 * and command names); and the repetitions of --repeat ("repetitions").
 * A version 1 fragment holds none of them and reads as before.
 */
#ifndef PRUN_FRAGMENT_VERSION_H
#define PRUN_FRAGMENT_VERSION_H

#define FRAGMENT_FORMAT		"prun-fragment"
#define FRAGMENT_VERSION	2	/* the version written */
#define FRAGMENT_VERSION_MIN	1	/* the oldest version read */

/* Whether a fragment of version v can be read. */
static inline int
fragment_version_known(long long v)
{
	return v >= FRAGMENT_VERSION_MIN && v <= FRAGMENT_VERSION;
}

#endif
