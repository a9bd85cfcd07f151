/* platform.c - POSIX implementation of platform.h. */
#define _XOPEN_SOURCE 700 /* POSIX.1-2008 with realpath */
#include "platform.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

int platform_read_file(const char *path, uint8_t **buf, size_t *len, GfError *err)
{
    *buf = NULL;
    *len = 0;
    FILE *f = fopen(path, "rb");
    if (!f) return gf_error_set(err, GF_ERR_IO, "cannot open '%s': %s", path, strerror(errno));
    struct stat st;
    if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
        fclose(f);
        return gf_error_set(err, GF_ERR_IO, "'%s' is not a regular file", path);
    }
    size_t size = (size_t)st.st_size;
    uint8_t *p = malloc(size ? size : 1);
    if (!p) {
        fclose(f);
        return gf_error_set(err, GF_ERR_NOMEM, "out of memory reading '%s' (%zu bytes)", path, size);
    }
    size_t got = fread(p, 1, size, f);
    int bad = ferror(f) || got != size;
    fclose(f);
    if (bad) {
        free(p);
        return gf_error_set(err, GF_ERR_IO, "cannot read '%s'", path);
    }
    *buf = p;
    *len = size;
    return GF_OK;
}

/* The folder part of path ("." when there is none), into dir (size n). */
static void dir_of_(const char *path, char *dir, size_t n)
{
    const char *slash = strrchr(path, '/');
    if (!slash) {
        snprintf(dir, n, ".");
    } else if (slash == path) {
        snprintf(dir, n, "/");
    } else {
        size_t k = (size_t)(slash - path);
        if (k >= n) k = n - 1;
        memcpy(dir, path, k);
        dir[k] = '\0';
    }
}

int platform_check_output_dir(const char *path, GfError *err)
{
    char dir[4096];
    struct stat st;
    if (!path || !*path) return gf_error_set(err, GF_ERR_IO, "the output path is empty");
    if (path[strlen(path) - 1] == '/')
        return gf_error_set(err, GF_ERR_IO, "output '%s' names a folder: give a file name", path);
    dir_of_(path, dir, sizeof dir);
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
        return gf_error_set(err, GF_ERR_IO, "output folder '%s' does not exist (gradflow creates no "
                            "folders): create it or choose another -o path", dir);
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
        return gf_error_set(err, GF_ERR_IO, "output '%s' is a folder: give a file name", path);
    return GF_OK;
}

/* Writes all of data to an open descriptor; 0 or errno. */
static int write_all_(int fd, const uint8_t *p, size_t left)
{
    while (left > 0) {
        ssize_t w = write(fd, p, left);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return w < 0 ? errno : EIO;
        p += w;
        left -= (size_t)w;
    }
    return 0;
}

/* The regular-file case: a temporary sibling, fsync, rename. */
static int write_replace_(const char *path, const void *data, size_t len, GfError *err)
{
    char tmp[4200], dir[4096];
    int fd = -1;
    dir_of_(path, dir, sizeof dir);
    const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    /* A hidden sibling of path, unique by process, clock and attempt; O_EXCL never reuses one. */
    for (int attempt = 0; attempt < 100 && fd < 0; attempt++) {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        snprintf(tmp, sizeof tmp, "%.2048s/.%.1024s.%ld.%ld.%d.tmp", dir, base, (long)getpid(),
                 (long)ts.tv_nsec, attempt);
        fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL, 0666);
        if (fd < 0 && errno != EEXIST)
            return gf_error_set(err, GF_ERR_IO, "cannot write '%s': %s", path, strerror(errno));
    }
    if (fd < 0) return gf_error_set(err, GF_ERR_IO, "cannot create a temporary file beside '%s'", path);
    int e = write_all_(fd, data, len);
    if (!e && fsync(fd) != 0 && errno != EINVAL) e = errno;
    if (close(fd) != 0 && !e) e = errno;
    if (!e && rename(tmp, path) != 0) e = errno;
    if (e) {
        unlink(tmp);
        return gf_error_set(err, GF_ERR_IO, "cannot write '%s': %s", path, strerror(e));
    }
    return GF_OK;
}

int platform_write_atomic(const char *path, const void *data, size_t len, GfError *err)
{
    int rc = platform_check_output_dir(path, err);
    if (rc) return rc;
    char target[4096];
    snprintf(target, sizeof target, "%s", path);
    /* A symbolic link stays a link: what it points to is written (realpath resolves chains; a
       dangling link is followed one step at a time). */
    for (int depth = 0; depth < 16; depth++) {
        struct stat st;
        if (lstat(target, &st) != 0) break; /* a new file */
        if (S_ISLNK(st.st_mode)) {
            char resolved[4096];
            if (realpath(target, resolved)) {
                snprintf(target, sizeof target, "%s", resolved);
                continue;
            }
            char link[4096], dir[4096];
            ssize_t n = readlink(target, link, sizeof link - 1);
            if (n < 0) return gf_error_set(err, GF_ERR_IO, "cannot follow the link '%s': %s", path, strerror(errno));
            link[n] = '\0';
            dir_of_(target, dir, sizeof dir);
            if (link[0] == '/')
                snprintf(target, sizeof target, "%s", link);
            else
                snprintf(target, sizeof target, "%.2000s/%.2000s", dir, link);
            continue;
        }
        if (S_ISDIR(st.st_mode)) return gf_error_set(err, GF_ERR_IO, "output '%s' is a folder: give a file name", path);
        if (!S_ISREG(st.st_mode)) {
            /* a device, pipe or socket (/dev/stdout, a FIFO): written into, never replaced */
            int fd = open(target, O_WRONLY);
            if (fd < 0) return gf_error_set(err, GF_ERR_IO, "cannot write '%s': %s", path, strerror(errno));
            int e = write_all_(fd, data, len);
            close(fd);
            if (e) return gf_error_set(err, GF_ERR_IO, "cannot write '%s': %s", path, strerror(e));
            return GF_OK;
        }
        break; /* a regular file: replaced atomically */
    }
    if (strcmp(target, path) != 0 && (rc = platform_check_output_dir(target, err))) return rc;
    return write_replace_(target, data, len, err);
}

int platform_same_file(const char *a, const char *b)
{
    if (!strcmp(a, b)) return 1;
    char ra[4096], rb[4096];
    return realpath(a, ra) && realpath(b, rb) && !strcmp(ra, rb);
}

double platform_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec * 1e-6;
}

int platform_stderr_is_terminal(void) { return isatty(STDERR_FILENO); }

/* The one flag a signal handler may set (C11: a volatile sig_atomic_t). */
static volatile sig_atomic_t interrupted_;

static void on_interrupt_(int sig)
{
    (void)sig;
    interrupted_ = 1;
}

void platform_catch_interrupt(void)
{
    interrupted_ = 0;
    signal(SIGINT, on_interrupt_);
    signal(SIGTERM, on_interrupt_);
}

int platform_interrupted(void) { return interrupted_ != 0; }
