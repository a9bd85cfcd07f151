/* gf_error.c - status texts and the message buffer (formatting only, no output). */
#include "gf_error.h"

#include <stdarg.h>
#include <stdio.h>

const char *gf_strerror(int code)
{
    switch (code) {
    case GF_OK: return "success";
    case GF_ERR_NOMEM: return "out of memory";
    case GF_ERR_RANGE: return "value out of range";
    case GF_ERR_FORMAT: return "malformed file";
    case GF_ERR_SHAPE: return "tensor shape mismatch";
    case GF_ERR_MISSING: return "missing tensor";
    case GF_ERR_TOOBIG: return "configuration needs too much memory";
    case GF_ERR_IO: return "input/output error";
    case GF_ERR_CANCELLED: return "cancelled";
    default: return "unknown error";
    }
}

int gf_error_set(GfError *err, int code, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        err->code = code;
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
    }
    return code;
}
