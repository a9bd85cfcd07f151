/* platform.h - the few operating-system calls gradflow needs, in one place so a port is one
 * file's work: reading a whole file, writing one atomically, a monotonic clock. */
#ifndef GF_PLATFORM_H
#define GF_PLATFORM_H

#include <stddef.h>
#include <stdint.h>

#include "core/gf_error.h"

/* Reads the whole file at path into *buf (malloc'ed; *len bytes). Errors name the path. */
int platform_read_file(const char *path, uint8_t **buf, size_t *len, GfError *err);
/* Checks that the folder path would be written into exists (gradflow creates no folders). */
int platform_check_output_dir(const char *path, GfError *err);
/* Writes len bytes to path through a temporary file in the same folder and a rename, so readers
 * see either the old file or the whole new one, and a failure leaves nothing behind. The file
 * gets the usual permissions (0666 less the umask). A symbolic link is followed (the file it
 * points to is replaced, the link stays); a device, pipe or socket (/dev/stdout, a FIFO) is
 * written into, never replaced. */
int platform_write_atomic(const char *path, const void *data, size_t len, GfError *err);
/* Do a and b name the same file: the same string, or an existing file reached through links or
 * relative paths? */
int platform_same_file(const char *a, const char *b);
/* Milliseconds from a monotonic clock. */
double platform_now_ms(void);
/* 1 if standard error is a terminal (a live progress line makes sense there). */
int platform_stderr_is_terminal(void);
/* From now on Ctrl+C (SIGINT) and SIGTERM only raise a flag that platform_interrupted reads, so
 * a long computation can stop cleanly and leave no partial file. */
void platform_catch_interrupt(void);
int platform_interrupted(void);

#endif
