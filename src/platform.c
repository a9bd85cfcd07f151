/* platform.c - POSIX implementation of platform.h. */
#include "platform.h"

#include <errno.h>
#include <fcntl.h>
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

int platform_write_atomic(const char *path, const void *data, size_t len, GfError *err)
{
    int rc = platform_check_output_dir(path, err);
    if (rc) return rc;
    char tmp[4200];
    int fd = -1;
    /* A hidden sibling of path, unique by process, clock and attempt; O_EXCL never reuses one. */
    for (int attempt = 0; attempt < 100 && fd < 0; attempt++) {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        char dir[4096];
        dir_of_(path, dir, sizeof dir);
        const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
        snprintf(tmp, sizeof tmp, "%s/.%s.%ld.%ld.%d.tmp", dir, base, (long)getpid(), (long)ts.tv_nsec, attempt);
        fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL, 0666);
        if (fd < 0 && errno != EEXIST)
            return gf_error_set(err, GF_ERR_IO, "cannot write '%s': %s", path, strerror(errno));
    }
    if (fd < 0) return gf_error_set(err, GF_ERR_IO, "cannot create a temporary file beside '%s'", path);
    const uint8_t *p = data;
    size_t left = len;
    while (left > 0) {
        ssize_t w = write(fd, p, left);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) {
            int e = errno;
            close(fd);
            unlink(tmp);
            return gf_error_set(err, GF_ERR_IO, "cannot write '%s': %s", path, strerror(e));
        }
        p += w;
        left -= (size_t)w;
    }
    if (fsync(fd) != 0 && errno != EINVAL) {
        int e = errno;
        close(fd);
        unlink(tmp);
        return gf_error_set(err, GF_ERR_IO, "cannot write '%s': %s", path, strerror(e));
    }
    if (close(fd) != 0) {
        int e = errno;
        unlink(tmp);
        return gf_error_set(err, GF_ERR_IO, "cannot write '%s': %s", path, strerror(e));
    }
    if (rename(tmp, path) != 0) {
        int e = errno;
        unlink(tmp);
        return gf_error_set(err, GF_ERR_IO, "cannot write '%s': %s", path, strerror(e));
    }
    return GF_OK;
}

double platform_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec * 1e-6;
}
