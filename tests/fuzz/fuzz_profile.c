/*
 * fuzz_profile: the reader of JSON profiles, fed any bytes.
 *
 * The same harness and properties as fuzz_list.c: only the file's suffix
 * differs, and it makes plan_load read the input as a profile.
 */
#define FUZZ_SUFFIX	".json"
#include "fuzz_list.c"
