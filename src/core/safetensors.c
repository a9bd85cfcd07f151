/* safetensors.c - a defensive .safetensors reader and a writer, both in memory.
 *
 * The reader treats every byte as hostile: it checks the 8-byte header length against the buffer
 * and a cap, parses the JSON header with cJSON from a NUL-terminated private copy, validates every
 * entry (dtype, shape, byte range, size, name) and then checks that no two byte ranges overlap and
 * no name repeats. Tensor data is never copied: StTensor.data points into the caller's buffer, and
 * st_to_f64 decodes it byte by byte (little-endian), so unaligned data is fine.
 * The writer builds the header with cJSON (byte offsets inserted as raw integers, never as
 * doubles), pads it with spaces to a multiple of 8 bytes and appends the tensors in order. */
#include "safetensors.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The writer copies native doubles as they are; the format is little-endian. */
#if defined(__BYTE_ORDER__) && defined(__ORDER_LITTLE_ENDIAN__) && \
    __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "gradflow writes .safetensors data by copying native numbers: it needs a little-endian machine"
#endif

/* A header longer than this is refused before any allocation (the real ones are a few KB). */
#define ST_HEADER_CAP ((uint64_t)100 * 1024 * 1024)
/* Shape extents and byte offsets must be integers below 2^53, which a double holds exactly (a
 * larger literal may have been rounded by the JSON parser). */
#define ST_INT_MAX 9007199254740992.0 /* 2^53 */
#define ST_META_KEY "__metadata__"

/* ---------------------------------------------------------------------------------------------
 * dtypes
 * ------------------------------------------------------------------------------------------- */

static const char *const dtype_names[] = {"F64", "F32", "F16", "BF16", "I64",
                                          "I32", "I16", "I8",  "U8",   "BOOL"};
static const size_t dtype_sizes[] = {8, 4, 2, 2, 8, 4, 2, 1, 1, 1};
#define ST_NUM_DTYPES ((int)(sizeof dtype_sizes / sizeof dtype_sizes[0]))

size_t st_dtype_size(StDtype dtype)
{
    return (unsigned)dtype < (unsigned)ST_NUM_DTYPES ? dtype_sizes[dtype] : 0;
}

const char *st_dtype_name(StDtype dtype)
{
    return (unsigned)dtype < (unsigned)ST_NUM_DTYPES ? dtype_names[dtype] : "?";
}

static int dtype_parse_(const char *s, StDtype *out)
{
    for (int i = 0; i < ST_NUM_DTYPES; i++) {
        if (strcmp(s, dtype_names[i]) == 0) {
            *out = (StDtype)i;
            return 0;
        }
    }
    return -1;
}

/* ---------------------------------------------------------------------------------------------
 * small helpers
 * ------------------------------------------------------------------------------------------- */

static uint64_t load_u64_le_(const uint8_t *p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--) v = (v << 8) | p[i];
    return v;
}

static uint32_t load_u32_le_(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static char *str_dup_(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d) memcpy(d, s, n);
    return d;
}

/* A JSON number that is an integer in [0, 2^53): stores it in *out and returns 0. */
static int json_uint_(const cJSON *item, uint64_t *out)
{
    if (!cJSON_IsNumber(item)) return -1;
    double v = item->valuedouble;
    if (!(v >= 0.0) || v >= ST_INT_MAX || floor(v) != v) return -1;
    *out = (uint64_t)v;
    return 0;
}

/* For messages: src with control characters shown as '?' (a message stays on one line), cut to
 * fit cap bytes with "..." when longer. */
static void printable_(char *dst, size_t cap, const char *src)
{
    size_t n = strlen(src), i = 0;
    for (; i < n && i + 1 < cap; i++) {
        unsigned char c = (unsigned char)src[i];
        dst[i] = c < 0x20 || c == 0x7f ? '?' : (char)c;
    }
    dst[i] = '\0';
    if (i < n && cap >= 4) memcpy(dst + cap - 4, "...", 4);
}

static int has_control_(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f) return 1;
    return 0;
}

/* For messages: a JSON value printed in at most ~40 characters. */
static void json_snippet_(const cJSON *item, char *buf, size_t cap)
{
    char *s = item ? cJSON_PrintUnformatted(item) : NULL;
    if (!s) {
        snprintf(buf, cap, "%s", item ? "(unprintable)" : "(missing)");
        return;
    }
    if (strlen(s) > 40) snprintf(buf, cap, "%.37s...", s);
    else snprintf(buf, cap, "%s", s);
    cJSON_free(s);
}

/* ---------------------------------------------------------------------------------------------
 * parsing
 * ------------------------------------------------------------------------------------------- */

/* A tensor's byte range, for the overlap check. */
typedef struct StRange_ {
    uint64_t begin, end;
    int index;
} StRange_;

static int range_cmp_(const void *a, const void *b)
{
    const StRange_ *x = a, *y = b;
    if (x->begin != y->begin) return x->begin < y->begin ? -1 : 1;
    if (x->end != y->end) return x->end < y->end ? -1 : 1;
    return x->index - y->index;
}

static int name_cmp_(const void *a, const void *b)
{
    const StTensor *const *x = a, *const *y = b;
    return strcmp((*x)->name, (*y)->name);
}

/* Validates the entry `item` (called name) and fills t. data is the data section (data_len bytes);
 * *range receives the byte range. */
static int parse_tensor_(StTensor *t, StRange_ *range, const cJSON *item, const char *name,
                         const uint8_t *data, uint64_t data_len, GfError *err)
{
    char snip[64], shown[48];
    printable_(shown, sizeof shown, name);
    if (strlen(name) >= ST_MAX_NAME)
        return gf_error_set(err, GF_ERR_FORMAT,
                            "tensor name \"%s\" is %zu bytes long; at most %d are accepted",
                            shown, strlen(name), ST_MAX_NAME - 1);
    if (has_control_(name))
        return gf_error_set(err, GF_ERR_FORMAT,
                            "tensor name \"%s\" contains control characters", shown);
    if (!cJSON_IsObject(item)) {
        json_snippet_(item, snip, sizeof snip);
        return gf_error_set(err, GF_ERR_FORMAT,
                            "tensor \"%s\": entry is %s, expected an object with dtype, shape and "
                            "data_offsets", name, snip);
    }
    memcpy(t->name, name, strlen(name) + 1);

    /* dtype: one of the known names */
    const cJSON *jd = cJSON_GetObjectItemCaseSensitive(item, "dtype");
    if (!cJSON_IsString(jd) || dtype_parse_(jd->valuestring, &t->dtype) != 0) {
        json_snippet_(jd, snip, sizeof snip);
        return gf_error_set(err, GF_ERR_FORMAT,
                            "tensor \"%s\": dtype %s is not one of F64, F32, F16, BF16, I64, I32, "
                            "I16, I8, U8, BOOL", name, snip);
    }

    /* shape: a list of at most ST_MAX_DIMS integers >= 0; numel = product without overflow */
    const cJSON *js = cJSON_GetObjectItemCaseSensitive(item, "shape");
    if (!cJSON_IsArray(js)) {
        json_snippet_(js, snip, sizeof snip);
        return gf_error_set(err, GF_ERR_FORMAT, "tensor \"%s\": shape %s is not a list", name,
                            snip);
    }
    int ndim = cJSON_GetArraySize(js);
    if (ndim > ST_MAX_DIMS)
        return gf_error_set(err, GF_ERR_FORMAT,
                            "tensor \"%s\": shape has %d dimensions; at most %d are accepted", name,
                            ndim, ST_MAX_DIMS);
    t->ndim = ndim;
    uint64_t numel = 1;
    int d = 0;
    for (const cJSON *e = js->child; e; e = e->next, d++) {
        uint64_t extent;
        if (json_uint_(e, &extent) != 0) {
            json_snippet_(e, snip, sizeof snip);
            return gf_error_set(err, GF_ERR_FORMAT,
                                "tensor \"%s\": shape entry %d is %s, expected an integer >= 0",
                                name, d, snip);
        }
        if (extent != 0 && numel > UINT64_MAX / extent)
            return gf_error_set(err, GF_ERR_FORMAT,
                                "tensor \"%s\": shape has too many elements (the product overflows)",
                                name);
        numel *= extent;
        t->shape[d] = (int64_t)extent;
    }
    size_t esize = st_dtype_size(t->dtype);
    if (numel > UINT64_MAX / esize || numel * esize > data_len)
        return gf_error_set(err, GF_ERR_FORMAT,
                            "tensor \"%s\": shape holds %llu elements of %s, more than the %llu "
                            "bytes of the data section", name, (unsigned long long)numel,
                            dtype_names[t->dtype], (unsigned long long)data_len);
    t->numel = (size_t)numel;

    /* data_offsets: [begin, end], integers, begin <= end <= data_len, end - begin = numel*esize */
    const cJSON *jo = cJSON_GetObjectItemCaseSensitive(item, "data_offsets");
    uint64_t begin, end;
    if (!cJSON_IsArray(jo) || cJSON_GetArraySize(jo) != 2 || json_uint_(jo->child, &begin) != 0 ||
        json_uint_(jo->child->next, &end) != 0) {
        json_snippet_(jo, snip, sizeof snip);
        return gf_error_set(err, GF_ERR_FORMAT,
                            "tensor \"%s\": data_offsets %s is not a list of two integers >= 0",
                            name, snip);
    }
    if (begin > end)
        return gf_error_set(err, GF_ERR_FORMAT,
                            "tensor \"%s\": data_offsets [%llu, %llu] end before they begin", name,
                            (unsigned long long)begin, (unsigned long long)end);
    if (end > data_len)
        return gf_error_set(err, GF_ERR_FORMAT,
                            "tensor \"%s\": data_offsets [%llu, %llu] lie outside the data section "
                            "of %llu bytes", name, (unsigned long long)begin,
                            (unsigned long long)end, (unsigned long long)data_len);
    if (end - begin != numel * esize)
        return gf_error_set(err, GF_ERR_FORMAT,
                            "tensor \"%s\": data_offsets [%llu, %llu] span %llu bytes, but %llu "
                            "elements of %s need %llu", name, (unsigned long long)begin,
                            (unsigned long long)end, (unsigned long long)(end - begin),
                            (unsigned long long)numel, dtype_names[t->dtype],
                            (unsigned long long)(numel * esize));
    t->data = data + begin;
    range->begin = begin;
    range->end = end;
    return GF_OK;
}

static int key_cmp_(const void *a, const void *b)
{
    const char *const *x = a, *const *y = b;
    return strcmp(*x, *y);
}

/* Copies the "__metadata__" object (string values only) into f. */
static int parse_meta_(StFile *f, const cJSON *meta, GfError *err)
{
    char snip[64];
    if (!cJSON_IsObject(meta)) {
        json_snippet_(meta, snip, sizeof snip);
        return gf_error_set(err, GF_ERR_FORMAT,
                            "__metadata__ is %s, expected an object of strings", snip);
    }
    int n = cJSON_GetArraySize(meta);
    if (n == 0) return GF_OK;
    f->meta_keys = calloc((size_t)n, sizeof *f->meta_keys);
    f->meta_vals = calloc((size_t)n, sizeof *f->meta_vals);
    if (!f->meta_keys || !f->meta_vals)
        return gf_error_set(err, GF_ERR_NOMEM, "out of memory reading __metadata__");
    for (const cJSON *e = meta->child; e; e = e->next) {
        if (!cJSON_IsString(e)) {
            char key[64];
            printable_(key, sizeof key, e->string ? e->string : "");
            json_snippet_(e, snip, sizeof snip);
            return gf_error_set(err, GF_ERR_FORMAT,
                                "__metadata__ entry \"%s\" is %s, expected a string", key, snip);
        }
        f->meta_keys[f->n_meta] = str_dup_(e->string);
        f->meta_vals[f->n_meta] = str_dup_(e->valuestring);
        if (!f->meta_keys[f->n_meta] || !f->meta_vals[f->n_meta]) {
            free(f->meta_keys[f->n_meta]);
            free(f->meta_vals[f->n_meta]);
            f->meta_keys[f->n_meta] = f->meta_vals[f->n_meta] = NULL;
            return gf_error_set(err, GF_ERR_NOMEM, "out of memory reading __metadata__");
        }
        f->n_meta++;
    }
    /* Repeated keys, found by sorting a copy of the key pointers. */
    char **keys = malloc((size_t)f->n_meta * sizeof *keys);
    if (!keys) return gf_error_set(err, GF_ERR_NOMEM, "out of memory reading __metadata__");
    memcpy(keys, f->meta_keys, (size_t)f->n_meta * sizeof *keys);
    qsort(keys, (size_t)f->n_meta, sizeof *keys, key_cmp_);
    int rc = GF_OK;
    for (int i = 1; i < f->n_meta && rc == GF_OK; i++) {
        if (strcmp(keys[i - 1], keys[i]) == 0) {
            char key[64];
            printable_(key, sizeof key, keys[i]);
            rc = gf_error_set(err, GF_ERR_FORMAT, "__metadata__ names the key \"%s\" twice", key);
        }
    }
    free(keys);
    return rc;
}

/* After every entry passed on its own: no name repeats, no two non-empty byte ranges overlap. */
static int check_ranges_and_names_(const StFile *f, StRange_ *ranges, GfError *err)
{
    int n = f->n_tensors, rc = GF_OK;
    if (n < 2) return GF_OK;
    const StTensor **byname = malloc((size_t)n * sizeof *byname);
    if (!byname) return gf_error_set(err, GF_ERR_NOMEM, "out of memory checking tensor names");
    for (int i = 0; i < n; i++) byname[i] = &f->tensors[i];
    qsort(byname, (size_t)n, sizeof *byname, name_cmp_);
    for (int i = 1; i < n && rc == GF_OK; i++)
        if (strcmp(byname[i - 1]->name, byname[i]->name) == 0)
            rc = gf_error_set(err, GF_ERR_FORMAT, "tensor \"%s\" appears twice in the header",
                              byname[i]->name);
    free(byname);
    if (rc != GF_OK) return rc;

    qsort(ranges, (size_t)n, sizeof *ranges, range_cmp_);
    int prev = -1; /* index in ranges of the non-empty range reaching furthest so far */
    for (int i = 0; i < n; i++) {
        if (ranges[i].begin == ranges[i].end) continue; /* an empty tensor owns no bytes */
        if (prev >= 0 && ranges[i].begin < ranges[prev].end) {
            const StRange_ *a = &ranges[prev], *b = &ranges[i];
            return gf_error_set(err, GF_ERR_FORMAT,
                                "tensors \"%s\" [%llu, %llu] and \"%s\" [%llu, %llu] overlap in "
                                "the data section", f->tensors[a->index].name,
                                (unsigned long long)a->begin, (unsigned long long)a->end,
                                f->tensors[b->index].name, (unsigned long long)b->begin,
                                (unsigned long long)b->end);
        }
        if (prev < 0 || ranges[i].end > ranges[prev].end) prev = i;
    }
    return GF_OK;
}

int st_parse(StFile *f, const uint8_t *buf, size_t len, GfError *err)
{
    cJSON *root = NULL;
    char *header = NULL;
    StRange_ *ranges = NULL;
    int rc = GF_OK;
    memset(f, 0, sizeof *f);

    /* [0, 8): header length N (u64 LE); [8, 8+N): JSON; [8+N, len): data section */
    if (!buf || len < 8) {
        rc = gf_error_set(err, GF_ERR_FORMAT,
                          "file is %zu bytes long, too short for the 8-byte header length", len);
        goto fail;
    }
    uint64_t n_header = load_u64_le_(buf);
    if (n_header > len - 8) {
        rc = gf_error_set(err, GF_ERR_FORMAT,
                          "header length %llu runs past the end of the file (%zu bytes after the "
                          "length field)", (unsigned long long)n_header, len - 8);
        goto fail;
    }
    if (n_header > ST_HEADER_CAP) {
        rc = gf_error_set(err, GF_ERR_FORMAT,
                          "header length %llu is over the %llu bytes accepted",
                          (unsigned long long)n_header, (unsigned long long)ST_HEADER_CAP);
        goto fail;
    }
    if (n_header < 2) {
        rc = gf_error_set(err, GF_ERR_FORMAT,
                          "header length %llu is too short for a JSON object",
                          (unsigned long long)n_header);
        goto fail;
    }
    const uint8_t *data = buf + 8 + n_header;
    uint64_t data_len = (uint64_t)(len - 8 - n_header);

    /* A private NUL-terminated copy: cJSON never reads past it whatever the header holds. */
    header = malloc((size_t)n_header + 1);
    if (!header) {
        rc = gf_error_set(err, GF_ERR_NOMEM, "out of memory for a header of %llu bytes",
                          (unsigned long long)n_header);
        goto fail;
    }
    memcpy(header, buf + 8, (size_t)n_header);
    header[n_header] = '\0';
    const char *end = NULL;
    root = cJSON_ParseWithLengthOpts(header, (size_t)n_header, &end, 0);
    if (!root) {
        size_t at = end && end >= header ? (size_t)(end - header) : 0;
        rc = gf_error_set(err, GF_ERR_FORMAT, "header is not valid JSON (error near byte %zu)",
                          at);
        goto fail;
    }
    /* Only padding may follow the JSON value. */
    for (const char *p = end; p < header + n_header; p++) {
        if (*p != ' ' && *p != '\t' && *p != '\n' && *p != '\r') {
            rc = gf_error_set(err, GF_ERR_FORMAT,
                              "header has bytes after its JSON object (at byte %zu); only spaces "
                              "may pad it", (size_t)(p - header));
            goto fail;
        }
    }
    if (!cJSON_IsObject(root)) {
        rc = gf_error_set(err, GF_ERR_FORMAT,
                          "header is JSON but not an object of tensors");
        goto fail;
    }

    int n_entries = cJSON_GetArraySize(root), n_meta_objects = 0;
    if (n_entries > 0) {
        f->tensors = calloc((size_t)n_entries, sizeof *f->tensors);
        ranges = calloc((size_t)n_entries, sizeof *ranges);
        if (!f->tensors || !ranges) {
            rc = gf_error_set(err, GF_ERR_NOMEM, "out of memory for %d header entries",
                              n_entries);
            goto fail;
        }
    }
    for (const cJSON *e = root->child; e; e = e->next) {
        const char *name = e->string ? e->string : "";
        if (strcmp(name, ST_META_KEY) == 0) {
            if (++n_meta_objects > 1) {
                rc = gf_error_set(err, GF_ERR_FORMAT, "header has __metadata__ twice");
                goto fail;
            }
            rc = parse_meta_(f, e, err);
            if (rc != GF_OK) goto fail;
            continue;
        }
        int i = f->n_tensors;
        rc = parse_tensor_(&f->tensors[i], &ranges[i], e, name, data, data_len, err);
        if (rc != GF_OK) goto fail;
        ranges[i].index = i;
        f->n_tensors++;
    }
    rc = check_ranges_and_names_(f, ranges, err);
    if (rc != GF_OK) goto fail;

    free(ranges);
    free(header);
    cJSON_Delete(root);
    return GF_OK;

fail:
    free(ranges);
    free(header);
    cJSON_Delete(root);
    st_free(f);
    return rc;
}

const StTensor *st_find(const StFile *f, const char *name)
{
    for (int i = 0; i < f->n_tensors; i++)
        if (strcmp(f->tensors[i].name, name) == 0) return &f->tensors[i];
    return NULL;
}

const char *st_meta(const StFile *f, const char *key)
{
    for (int i = 0; i < f->n_meta; i++)
        if (strcmp(f->meta_keys[i], key) == 0) return f->meta_vals[i];
    return NULL;
}

int st_to_f64(const StTensor *t, double *out, GfError *err)
{
    /* Bit patterns decoded from little-endian bytes, then reinterpreted (IEEE 754). */
    if (t->dtype == ST_F64) {
        for (size_t i = 0; i < t->numel; i++) {
            uint64_t bits = load_u64_le_(t->data + 8 * i);
            memcpy(&out[i], &bits, sizeof bits);
        }
        return GF_OK;
    }
    if (t->dtype == ST_F32) {
        for (size_t i = 0; i < t->numel; i++) {
            uint32_t bits = load_u32_le_(t->data + 4 * i);
            float v;
            memcpy(&v, &bits, sizeof v);
            out[i] = (double)v;
        }
        return GF_OK;
    }
    return gf_error_set(err, GF_ERR_FORMAT, "tensor \"%s\" has dtype %s; only F64 and F32 are "
                        "accepted here", t->name, st_dtype_name(t->dtype));
}

void st_free(StFile *f)
{
    if (!f) return;
    for (int i = 0; i < f->n_meta; i++) {
        free(f->meta_keys[i]);
        free(f->meta_vals[i]);
    }
    free(f->meta_keys);
    free(f->meta_vals);
    free(f->tensors);
    memset(f, 0, sizeof *f);
}

/* ---------------------------------------------------------------------------------------------
 * writing
 * ------------------------------------------------------------------------------------------- */

void st_writer_init(StWriter *w) { memset(w, 0, sizeof *w); }

int st_writer_add(StWriter *w, const char *name, StDtype dtype, int ndim, const int64_t *shape,
                  const void *data, GfError *err)
{
    if (!name || strlen(name) >= ST_MAX_NAME || strcmp(name, ST_META_KEY) == 0)
        return gf_error_set(err, GF_ERR_RANGE,
                            "tensor name \"%.60s\" is not accepted (1 to %d bytes, not %s)",
                            name ? name : "", ST_MAX_NAME - 1, ST_META_KEY);
    if (st_dtype_size(dtype) == 0)
        return gf_error_set(err, GF_ERR_RANGE, "tensor \"%s\": unknown dtype %d", name,
                            (int)dtype);
    if (ndim < 0 || ndim > ST_MAX_DIMS || (ndim > 0 && !shape))
        return gf_error_set(err, GF_ERR_RANGE,
                            "tensor \"%s\": %d dimensions; 0 to %d are accepted", name, ndim,
                            ST_MAX_DIMS);
    uint64_t numel = 1;
    for (int d = 0; d < ndim; d++) {
        if (shape[d] < 0 || (double)shape[d] >= ST_INT_MAX)
            return gf_error_set(err, GF_ERR_RANGE,
                                "tensor \"%s\": extent %lld of dimension %d is out of range", name,
                                (long long)shape[d], d);
        if (shape[d] != 0 && numel > (UINT64_MAX / 8) / (uint64_t)shape[d])
            return gf_error_set(err, GF_ERR_RANGE, "tensor \"%s\" is too large", name);
        numel *= (uint64_t)shape[d];
    }
    if (numel > SIZE_MAX / 8)
        return gf_error_set(err, GF_ERR_RANGE, "tensor \"%s\" is too large", name);
    if (numel > 0 && !data)
        return gf_error_set(err, GF_ERR_RANGE, "tensor \"%s\" has no data", name);
    for (int i = 0; i < w->n_tensors; i++)
        if (strcmp(w->tensors[i].name, name) == 0)
            return gf_error_set(err, GF_ERR_RANGE, "tensor \"%s\" was added twice", name);
    if (w->n_tensors == w->cap_tensors) {
        int cap = w->cap_tensors ? 2 * w->cap_tensors : 16;
        StTensor *bigger = realloc(w->tensors, (size_t)cap * sizeof *bigger);
        if (!bigger) return gf_error_set(err, GF_ERR_NOMEM, "out of memory adding \"%s\"", name);
        w->tensors = bigger;
        w->cap_tensors = cap;
    }
    StTensor *t = &w->tensors[w->n_tensors++];
    memset(t, 0, sizeof *t);
    memcpy(t->name, name, strlen(name) + 1);
    t->dtype = dtype;
    t->ndim = ndim;
    for (int d = 0; d < ndim; d++) t->shape[d] = shape[d];
    t->numel = (size_t)numel;
    t->data = data;
    return GF_OK;
}

int st_writer_meta(StWriter *w, const char *key, const char *value, GfError *err)
{
    if (!key || !value)
        return gf_error_set(err, GF_ERR_RANGE, "metadata key and value must not be NULL");
    char *v = str_dup_(value);
    if (!v) return gf_error_set(err, GF_ERR_NOMEM, "out of memory for metadata \"%.60s\"", key);
    for (int i = 0; i < w->n_meta; i++) {
        if (strcmp(w->meta_keys[i], key) == 0) { /* a key set again takes the new value */
            free(w->meta_vals[i]);
            w->meta_vals[i] = v;
            return GF_OK;
        }
    }
    if (w->n_meta == w->cap_meta) {
        int cap = w->cap_meta ? 2 * w->cap_meta : 16;
        char **k2 = realloc(w->meta_keys, (size_t)cap * sizeof *k2);
        if (k2) w->meta_keys = k2;
        char **v2 = k2 ? realloc(w->meta_vals, (size_t)cap * sizeof *v2) : NULL;
        if (v2) w->meta_vals = v2;
        if (!k2 || !v2) {
            free(v);
            return gf_error_set(err, GF_ERR_NOMEM, "out of memory for metadata \"%.60s\"", key);
        }
        w->cap_meta = cap;
    }
    char *k = str_dup_(key);
    if (!k) {
        free(v);
        return gf_error_set(err, GF_ERR_NOMEM, "out of memory for metadata \"%.60s\"", key);
    }
    w->meta_keys[w->n_meta] = k;
    w->meta_vals[w->n_meta] = v;
    w->n_meta++;
    return GF_OK;
}

void st_int_list(char *buf, size_t cap, const int64_t *v, int n, const char *sep)
{
    size_t used = (size_t)snprintf(buf, cap, "[");
    for (int i = 0; i < n && used < cap; i++)
        used += (size_t)snprintf(buf + used, cap - used, "%s%lld", i ? sep : "", (long long)v[i]);
    if (used < cap) snprintf(buf + used, cap - used, "]");
}

int st_writer_serialize(const StWriter *w, uint8_t **out, size_t *len, GfError *err)
{
    int rc = GF_OK;
    cJSON *root = NULL;
    char *json = NULL;
    uint8_t *file = NULL;
    *out = NULL;
    *len = 0;

    root = cJSON_CreateObject();
    if (!root) goto nomem;
    if (w->n_meta > 0) {
        cJSON *meta = cJSON_AddObjectToObject(root, ST_META_KEY);
        if (!meta) goto nomem;
        for (int i = 0; i < w->n_meta; i++)
            if (!cJSON_AddStringToObject(meta, w->meta_keys[i], w->meta_vals[i])) goto nomem;
    }
    /* Tensors back to back in the order added: tensor i occupies [offset_i, offset_i + bytes_i). */
    uint64_t offset = 0;
    char list[ST_MAX_DIMS * 24 + 8];
    for (int i = 0; i < w->n_tensors; i++) {
        const StTensor *t = &w->tensors[i];
        uint64_t bytes = (uint64_t)t->numel * st_dtype_size(t->dtype);
        cJSON *entry = cJSON_AddObjectToObject(root, t->name);
        if (!entry || !cJSON_AddStringToObject(entry, "dtype", st_dtype_name(t->dtype))) goto nomem;
        st_int_list(list, sizeof list, t->shape, t->ndim, ",");
        if (!cJSON_AddRawToObject(entry, "shape", list)) goto nomem;
        int64_t range[2] = {(int64_t)offset, (int64_t)(offset + bytes)};
        st_int_list(list, sizeof list, range, 2, ",");
        if (!cJSON_AddRawToObject(entry, "data_offsets", list)) goto nomem;
        offset += bytes;
    }
    json = cJSON_PrintUnformatted(root);
    if (!json) goto nomem;

    /* [0, 8) N; [8, 8+N) JSON padded with spaces so that N % 8 == 0; then the data */
    size_t n_json = strlen(json);
    size_t n_header = (n_json + 7) / 8 * 8;
    if (offset > SIZE_MAX - 8 - n_header) {
        rc = gf_error_set(err, GF_ERR_TOOBIG, "the file would be larger than memory can hold");
        goto fail;
    }
    size_t total = 8 + n_header + (size_t)offset;
    file = malloc(total);
    if (!file) goto nomem;
    for (int b = 0; b < 8; b++) file[b] = (uint8_t)((uint64_t)n_header >> (8 * b));
    memcpy(file + 8, json, n_json);
    memset(file + 8 + n_json, ' ', n_header - n_json);
    uint8_t *dst = file + 8 + n_header;
    for (int i = 0; i < w->n_tensors; i++) {
        const StTensor *t = &w->tensors[i];
        size_t bytes = t->numel * st_dtype_size(t->dtype);
        if (bytes) memcpy(dst, t->data, bytes);
        dst += bytes;
    }
    *out = file;
    *len = total;
    cJSON_free(json);
    cJSON_Delete(root);
    return GF_OK;

nomem:
    rc = gf_error_set(err, GF_ERR_NOMEM, "out of memory writing a .safetensors file");
fail:
    free(file);
    cJSON_free(json);
    cJSON_Delete(root);
    return rc;
}

void st_writer_free(StWriter *w)
{
    if (!w) return;
    for (int i = 0; i < w->n_meta; i++) {
        free(w->meta_keys[i]);
        free(w->meta_vals[i]);
    }
    free(w->meta_keys);
    free(w->meta_vals);
    free(w->tensors);
    memset(w, 0, sizeof *w);
}
