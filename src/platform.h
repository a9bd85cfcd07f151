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
 * written into, never replaced. A path the system cannot take whole (too long, a loop of links)
 * is an error, never shortened. Every output file gradflow writes goes through here or through
 * the staged outputs below. */
int platform_write_atomic(const char *path, const void *data, size_t len, GfError *err);

/* Several outputs that must all be written or none: each is staged (written in full to a
 * temporary beside its target, or for a device or pipe only checked), then all are committed
 * together; a failure anywhere leaves every file of the user as it was and removes only the
 * temporaries made here. */
typedef struct PlatformOutput {
    const char *path;       /* as the user gave it (messages) */
    char *target;           /* the file written: path, or the end of its links (malloc'ed) */
    char *tmp;              /* the temporary holding the new bytes, NULL when none (malloc'ed) */
    int direct;             /* a device or pipe: written into at commit */
    const void *data;       /* direct only: the bytes (not owned; valid until commit) */
    size_t len;
} PlatformOutput;

void platform_output_init(PlatformOutput *o);
/* Stages len bytes for path (the checks and messages of platform_write_atomic). On failure o is
 * left empty. */
int platform_output_stage(PlatformOutput *o, const char *path, const void *data, size_t len, GfError *err);
/* Commits the n staged outputs o[0..n): writes into devices and pipes first, then renames the
 * temporaries over their targets; then discards what is left. */
int platform_output_commit(PlatformOutput *o, int n, GfError *err);
/* Removes o's temporary (if any) and frees it; o is empty after. */
void platform_output_discard(PlatformOutput *o);

/* Would writing to a and to b write the same file? Compared by identity: the device and inode of
 * the file (through its links) when it exists, else of its folder with its name. */
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
