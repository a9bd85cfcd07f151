/* platform.c - POSIX implementation of platform.h. */
#define _XOPEN_SOURCE 700 /* POSIX.1-2008: realpath(path, NULL), O_NOFOLLOW, O_NONBLOCK */
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

/* Links followed before a path counts as a loop (Linux's own limit is 40). */
#define LINKS_MAX 40

/* path as a message shows it: whole up to 160 bytes, else its start and its end around "...",
 * so that a very long path leaves room in the one-line message for the reason. */
static const char *shown_(const char *path, char buf[168])
{
    size_t n = strlen(path);
    if (n <= 160) return path;
    memcpy(buf, path, 48);
    memcpy(buf + 48, "...", 3);
    memcpy(buf + 51, path + n - 109, 110); /* the last 109 bytes and the NUL */
    return buf;
}

int platform_read_file(const char *path, uint8_t **buf, size_t *len, GfError *err)
{
    char sh[168];
    *buf = NULL;
    *len = 0;
    /* O_NONBLOCK: opening a FIFO without a writer would otherwise wait forever before the check */
    int fd = open(path, O_RDONLY | O_NONBLOCK);
    if (fd < 0) return gf_error_set(err, GF_ERR_IO, "cannot open '%s': %s", shown_(path, sh), strerror(errno));
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return gf_error_set(err, GF_ERR_IO, "'%s' is not a regular file", shown_(path, sh));
    }
    int fl = fcntl(fd, F_GETFL);
    if (fl >= 0) fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
    size_t size = (size_t)st.st_size;
    uint8_t *p = malloc(size ? size : 1);
    if (!p) {
        close(fd);
        return gf_error_set(err, GF_ERR_NOMEM, "out of memory reading '%s' (%zu bytes)", shown_(path, sh), size);
    }
    size_t got = 0;
    int e = 0;
    while (got < size) {
        ssize_t r = read(fd, p + got, size - got);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) {
            e = r < 0 ? errno : 0;
            break;
        }
        got += (size_t)r;
    }
    close(fd);
    if (got != size) {
        free(p);
        return gf_error_set(err, GF_ERR_IO, "cannot read '%s': %s", shown_(path, sh),
                            e ? strerror(e) : "it ended early");
    }
    *buf = p;
    *len = size;
    return GF_OK;
}

/* The folder part of path ("." when there is none), malloc'ed; NULL when out of memory. */
static char *dir_of_(const char *path)
{
    const char *slash = strrchr(path, '/');
    size_t k = !slash ? 1 : slash == path ? 1 : (size_t)(slash - path);
    char *dir = malloc(k + 1);
    if (!dir) return NULL;
    if (!slash) memcpy(dir, ".", 2);
    else if (slash == path) memcpy(dir, "/", 2);
    else {
        memcpy(dir, path, k);
        dir[k] = '\0';
    }
    return dir;
}

/* The last component of path. */
static const char *base_of_(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

/* a + b as a new string (malloc'ed), b joined to the folder a with a '/' when sep. */
static char *join_(const char *a, const char *b, int sep)
{
    size_t na = strlen(a), nb = strlen(b);
    char *s = malloc(na + nb + 2);
    if (!s) return NULL;
    memcpy(s, a, na);
    if (sep) s[na++] = '/';
    memcpy(s + na, b, nb + 1);
    return s;
}

int platform_check_output_dir(const char *path, GfError *err)
{
    char sh[168];
    struct stat st;
    if (!path || !*path) return gf_error_set(err, GF_ERR_IO, "the output path is empty");
    if (path[strlen(path) - 1] == '/')
        return gf_error_set(err, GF_ERR_IO, "output '%s' names a folder: give a file name", shown_(path, sh));
    char *dir = dir_of_(path);
    if (!dir) return gf_error_set(err, GF_ERR_NOMEM, "out of memory");
    int rc = GF_OK;
    int e = stat(dir, &st) != 0 ? errno : 0;
    if (e && e != ENOENT && e != ENOTDIR) /* a name too long, a loop of links, ... */
        rc = gf_error_set(err, GF_ERR_IO, "cannot write '%s': %s", shown_(path, sh), strerror(e));
    else if (e || !S_ISDIR(st.st_mode))
        rc = gf_error_set(err, GF_ERR_IO, "output folder '%s' does not exist (gradflow creates no "
                          "folders): create it or choose another -o path", shown_(dir, sh));
    else {
        e = stat(path, &st) != 0 ? errno : 0;
        if (!e && S_ISDIR(st.st_mode))
            rc = gf_error_set(err, GF_ERR_IO, "output '%s' is a folder: give a file name", shown_(path, sh));
        else if (e && e != ENOENT) /* a loop of links, a name too long: said before any work */
            rc = gf_error_set(err, GF_ERR_IO, "cannot write '%s': %s", shown_(path, sh), strerror(e));
    }
    free(dir);
    return rc;
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

/* What writing to path really writes to (*target, malloc'ed): path itself, or at the end of its
 * chain of symbolic links (a dangling link is followed one step at a time, so its target is
 * created); *st its status there and *exists whether it exists. A loop, a name too long or any
 * other failure of the system is an error naming path, never a guess. */
static int resolve_target_(const char *path, char **target, struct stat *st, int *exists, GfError *err)
{
    char sh[168];
    char *t = malloc(strlen(path) + 1);
    if (!t) return gf_error_set(err, GF_ERR_NOMEM, "out of memory");
    strcpy(t, path);
    *exists = 0;
    for (int depth = 0;; depth++) {
        if (lstat(t, st) != 0) {
            int e = errno;
            if (e == ENOENT) break; /* a new file */
            free(t);
            return gf_error_set(err, GF_ERR_IO, "cannot write '%s': %s", shown_(path, sh), strerror(e));
        }
        if (!S_ISLNK(st->st_mode)) {
            *exists = 1;
            break;
        }
        if (depth >= LINKS_MAX) {
            free(t);
            return gf_error_set(err, GF_ERR_IO, "cannot write '%s': %s", shown_(path, sh), strerror(ELOOP));
        }
        char *next = realpath(t, NULL);
        if (!next) {
            if (errno != ENOENT) {
                int e = errno;
                free(t);
                return gf_error_set(err, GF_ERR_IO, "cannot write '%s': %s", shown_(path, sh), strerror(e));
            }
            /* dangling: one step along the link */
            size_t cap = (size_t)st->st_size + 1 > 256 ? (size_t)st->st_size + 1 : 256;
            char *link = malloc(cap + 1);
            ssize_t n = link ? readlink(t, link, cap) : -1;
            if (n < 0 || (size_t)n >= cap) {
                int e = link ? (n < 0 ? errno : ENAMETOOLONG) : ENOMEM;
                free(link);
                free(t);
                return gf_error_set(err, GF_ERR_IO, "cannot follow the link '%s': %s", shown_(path, sh), strerror(e));
            }
            link[n] = '\0';
            char *dir = link[0] == '/' ? NULL : dir_of_(t);
            next = link[0] == '/' ? join_(link, "", 0) : dir ? join_(dir, link, 1) : NULL;
            free(dir);
            free(link);
            if (!next) {
                free(t);
                return gf_error_set(err, GF_ERR_NOMEM, "out of memory");
            }
        }
        free(t);
        t = next;
    }
    *target = t;
    return GF_OK;
}

void platform_output_init(PlatformOutput *o) { memset(o, 0, sizeof *o); }

int platform_output_stage(PlatformOutput *o, const char *path, const void *data, size_t len, GfError *err)
{
    char sh[168];
    struct stat st;
    int exists = 0, rc;
    platform_output_init(o);
    o->path = path;
    if ((rc = platform_check_output_dir(path, err))) return rc;
    if ((rc = resolve_target_(path, &o->target, &st, &exists, err))) return rc;
    if (strcmp(o->target, path) != 0 && (rc = platform_check_output_dir(o->target, err))) goto fail;
    if (exists && S_ISDIR(st.st_mode)) {
        rc = gf_error_set(err, GF_ERR_IO, "output '%s' is a folder: give a file name", shown_(path, sh));
        goto fail;
    }
    if (exists && !S_ISREG(st.st_mode)) {
        /* a device, pipe or socket (/dev/stdout, a FIFO): written into at commit, never replaced */
        o->direct = 1;
        o->data = data;
        o->len = len;
        return GF_OK;
    }
    /* A hidden sibling of the target, unique by process, clock and attempt (O_EXCL never reuses
       one); the target's name in it is cut to 64 bytes so it stays within the system's name
       length whatever the target's. */
    char *dir = dir_of_(o->target);
    const char *base = base_of_(o->target);
    size_t cap = (dir ? strlen(dir) : 0) + 128;
    o->tmp = dir ? malloc(cap) : NULL;
    if (!o->tmp) {
        free(dir);
        rc = gf_error_set(err, GF_ERR_NOMEM, "out of memory");
        goto fail;
    }
    int fd = -1;
    for (int attempt = 0; attempt < 100 && fd < 0; attempt++) {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        snprintf(o->tmp, cap, "%s/.%.64s.%ld.%ld.%d.tmp", dir, base, (long)getpid(), (long)ts.tv_nsec, attempt);
        fd = open(o->tmp, O_WRONLY | O_CREAT | O_EXCL, 0666);
        if (fd < 0 && errno != EEXIST) {
            int e = errno;
            free(dir);
            free(o->tmp);
            o->tmp = NULL;
            rc = gf_error_set(err, GF_ERR_IO, "cannot write '%s': %s", shown_(path, sh), strerror(e));
            goto fail;
        }
    }
    free(dir);
    if (fd < 0) {
        free(o->tmp);
        o->tmp = NULL;
        rc = gf_error_set(err, GF_ERR_IO, "cannot create a temporary file beside '%s'", shown_(path, sh));
        goto fail;
    }
    int e = write_all_(fd, data, len);
    if (!e && fsync(fd) != 0 && errno != EINVAL) e = errno;
    if (close(fd) != 0 && !e) e = errno;
    if (e) {
        rc = gf_error_set(err, GF_ERR_IO, "cannot write '%s': %s", shown_(path, sh), strerror(e));
        goto fail;
    }
    return GF_OK;
fail:
    platform_output_discard(o);
    return rc;
}

/* Puts one staged output in place: the write into a device or pipe, or the rename. */
static int commit_one_(PlatformOutput *o, GfError *err)
{
    char sh[168];
    int e = 0;
    if (o->direct) {
        int fd = open(o->target, O_WRONLY);
        if (fd < 0) e = errno;
        else {
            e = write_all_(fd, o->data, o->len);
            close(fd);
        }
    } else if (rename(o->tmp, o->target) != 0) {
        e = errno;
    } else {
        free(o->tmp);
        o->tmp = NULL;
    }
    if (e) return gf_error_set(err, GF_ERR_IO, "cannot write '%s': %s", shown_(o->path, sh), strerror(e));
    return GF_OK;
}

int platform_output_commit(PlatformOutput *o, int n, GfError *err)
{
    int rc = GF_OK;
    /* the writes that can fail for lack of room first (devices, pipes), then the renames, which
       only move names: a failure in the first round leaves every file of the user as it was */
    for (int round = 0; round < 2 && !rc; round++)
        for (int i = 0; i < n && !rc; i++)
            if (o[i].direct == (round == 0)) rc = commit_one_(&o[i], err);
    for (int i = 0; i < n; i++) platform_output_discard(&o[i]);
    return rc;
}

void platform_output_discard(PlatformOutput *o)
{
    if (o->tmp) unlink(o->tmp); /* only the temporary this process created */
    free(o->tmp);
    free(o->target);
    platform_output_init(o);
}

int platform_write_atomic(const char *path, const void *data, size_t len, GfError *err)
{
    PlatformOutput o;
    int rc = platform_output_stage(&o, path, data, len, err);
    return rc ? rc : platform_output_commit(&o, 1, err);
}

/* The identity of what writing to path would write: the file's device and inode when it exists,
 * else its folder's and its name. 0, or -1 when it cannot be known. */
static int identity_(const char *path, dev_t *dev, ino_t *ino, char **name)
{
    char *target = NULL;
    struct stat st;
    int exists = 0;
    *name = NULL;
    if (resolve_target_(path, &target, &st, &exists, NULL)) return -1;
    int rc = 0;
    if (exists && stat(target, &st) == 0) {
        *dev = st.st_dev;
        *ino = st.st_ino;
    } else {
        char *dir = dir_of_(target);
        rc = dir && stat(dir, &st) == 0 ? 0 : -1;
        *dev = st.st_dev;
        *ino = st.st_ino;
        *name = rc ? NULL : join_(base_of_(target), "", 0);
        if (!rc && !*name) rc = -1;
        free(dir);
    }
    free(target);
    return rc;
}

int platform_same_file(const char *a, const char *b)
{
    if (!strcmp(a, b)) return 1;
    dev_t da = 0, db = 0;
    ino_t ia = 0, ib = 0;
    char *na = NULL, *nb = NULL;
    int same = identity_(a, &da, &ia, &na) == 0 && identity_(b, &db, &ib, &nb) == 0 && da == db && ia == ib &&
               (!na) == (!nb) && (!na || !strcmp(na, nb));
    free(na);
    free(nb);
    return same;
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
