/* testutil.h - small helpers shared by the check suites. */
#ifndef GF_TESTUTIL_H
#define GF_TESTUTIL_H

#include <stddef.h>

/* Reads a whole file (malloc'ed, NUL-terminated past *len); NULL if it cannot. */
char *tu_read_file(const char *path, size_t *len);
/* Path of a committed fixture: $GF_FIXTURES/name (static buffer, valid until the next call). */
const char *tu_fixture_path(const char *name);
/* A fresh empty temporary directory (static buffer); NULL on failure. */
const char *tu_temp_dir(void);
/* Relative difference |a - b| / max(|a|, |b|, floor). */
double tu_rel_diff(double a, double b, double floor);

#endif
