/* gf_error.h - status codes of the gradflow core and a one-line message buffer.
 *
 * The core never prints and never exits: every fallible function returns GF_OK (0) or one of the
 * negative codes below, and, when the caller passes a GfError, a sentence naming the problem and
 * what is accepted. main and the ui turn that into a line on stderr or on screen. */
#ifndef GF_ERROR_H
#define GF_ERROR_H

#include <stddef.h>

enum {
    GF_OK = 0,
    GF_ERR_NOMEM = -1,   /* an allocation failed */
    GF_ERR_RANGE = -2,   /* a configuration value is out of its accepted range */
    GF_ERR_FORMAT = -3,  /* a file is malformed (header, JSON, dtype, byte ranges) */
    GF_ERR_SHAPE = -4,   /* a tensor's shape does not match the configuration */
    GF_ERR_MISSING = -5, /* a required tensor is absent */
    GF_ERR_TOOBIG = -6,  /* the memory estimate exceeds GF_MEMORY_CAP */
    GF_ERR_IO = -7,      /* reading or writing failed (used by callers of the core) */
    GF_ERR_CANCELLED = -8, /* the caller's cancel flag stopped a run */
};

#define GF_ERROR_MSG_LEN 384

typedef struct GfError {
    int code;                   /* the status that was returned, GF_OK if none */
    char msg[GF_ERROR_MSG_LEN]; /* one sentence, no trailing newline */
} GfError;

/* A short generic text for a code ("out of memory", ...). Never NULL. */
const char *gf_strerror(int code);

/* Stores code and a printf-style message in err (if err is not NULL); returns code, so that
 * `return gf_error_set(err, GF_ERR_RANGE, "...")` reads naturally. */
int gf_error_set(GfError *err, int code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

#endif
