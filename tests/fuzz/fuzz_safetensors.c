/* fuzz_safetensors.c - libFuzzer target: the .safetensors reader on hostile bytes.
 *
 * Parse only (no simulation), so it runs tens of thousands of inputs a second. Beyond "no crash,
 * no leak, no undefined behaviour" it checks what the reader promises: a refusal leaves the file
 * empty and says why; an accepted file's tensors lie inside the buffer with the byte count their
 * dtype and shape imply; and writing an accepted file back out and reading it again gives the same
 * tensors and metadata. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/safetensors.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Stops the run with libFuzzer's crash report when a promise is broken. */
#define FUZZ_REQUIRE(cond) \
    do {                   \
        if (!(cond)) abort(); \
    } while (0)

static void check_tensor_(const StTensor *t, const uint8_t *buf, size_t len)
{
    size_t bytes = t->numel * st_dtype_size(t->dtype);
    FUZZ_REQUIRE(st_dtype_size(t->dtype) > 0);
    FUZZ_REQUIRE(t->ndim >= 0 && t->ndim <= ST_MAX_DIMS);
    FUZZ_REQUIRE(memchr(t->name, '\0', sizeof t->name) != NULL);
    size_t numel = 1;
    for (int d = 0; d < t->ndim; d++) {
        FUZZ_REQUIRE(t->shape[d] >= 0);
        numel *= (size_t)t->shape[d];
    }
    FUZZ_REQUIRE(numel == t->numel);
    FUZZ_REQUIRE(t->data >= buf && (size_t)(t->data - buf) <= len);
    FUZZ_REQUIRE(bytes <= len - (size_t)(t->data - buf));
    /* touch every byte (ASan sees a read past the buffer) */
    volatile uint8_t sum = 0;
    for (size_t i = 0; i < bytes; i++) sum ^= t->data[i];
    (void)sum;
    if (t->dtype == ST_F64 || t->dtype == ST_F32) {
        double *out = malloc((t->numel ? t->numel : 1) * sizeof *out); /* (numel) */
        FUZZ_REQUIRE(out != NULL);
        GfError err = {0};
        FUZZ_REQUIRE(st_to_f64(t, out, &err) == 0);
        free(out);
    }
}

/* Serialises f with the writer and parses the result: the same tensors, bytes and metadata. */
static void check_round_trip_(const StFile *f)
{
    StWriter w;
    st_writer_init(&w);
    GfError err = {0};
    int rc = 0;
    for (int i = 0; i < f->n_tensors && !rc; i++) {
        const StTensor *t = &f->tensors[i];
        rc = st_writer_add(&w, t->name, t->dtype, t->ndim, t->shape, t->data, &err);
    }
    for (int i = 0; i < f->n_meta && !rc; i++) rc = st_writer_meta(&w, f->meta_keys[i], f->meta_vals[i], &err);
    /* the writer may refuse names the reader took (it is stricter about what it produces); what
       it accepts must read back */
    uint8_t *out = NULL;
    size_t len = 0;
    if (!rc) rc = st_writer_serialize(&w, &out, &len, &err);
    if (!rc) {
        StFile g;
        FUZZ_REQUIRE(st_parse(&g, out, len, &err) == 0);
        FUZZ_REQUIRE(g.n_tensors == f->n_tensors && g.n_meta == f->n_meta);
        for (int i = 0; i < f->n_tensors; i++) {
            const StTensor *a = &f->tensors[i];
            const StTensor *b = st_find(&g, a->name);
            FUZZ_REQUIRE(b != NULL && b->dtype == a->dtype && b->ndim == a->ndim);
            FUZZ_REQUIRE(memcmp(a->shape, b->shape, (size_t)a->ndim * sizeof a->shape[0]) == 0);
            size_t bytes = a->numel * st_dtype_size(a->dtype);
            FUZZ_REQUIRE(bytes == 0 || memcmp(a->data, b->data, bytes) == 0);
        }
        for (int i = 0; i < f->n_meta; i++) {
            const char *v = st_meta(&g, f->meta_keys[i]);
            FUZZ_REQUIRE(v != NULL && strcmp(v, f->meta_vals[i]) == 0);
        }
        st_free(&g);
    }
    free(out);
    st_writer_free(&w);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    StFile f;
    GfError err = {0};
    int rc = st_parse(&f, data, size, &err);
    if (rc) {
        FUZZ_REQUIRE(rc < 0 && err.msg[0] != '\0' && strchr(err.msg, '\n') == NULL);
        FUZZ_REQUIRE(f.n_tensors == 0 && f.tensors == NULL && f.n_meta == 0);
        st_free(&f);
        return 0;
    }
    for (int i = 0; i < f.n_tensors; i++) {
        check_tensor_(&f.tensors[i], data, size);
        FUZZ_REQUIRE(st_find(&f, f.tensors[i].name) == &f.tensors[i]); /* names are unique */
    }
    for (int i = 0; i < f.n_meta; i++) FUZZ_REQUIRE(st_meta(&f, f.meta_keys[i]) != NULL);
    check_round_trip_(&f);
    st_free(&f);
    FUZZ_REQUIRE(f.tensors == NULL && f.n_tensors == 0);
    return 0;
}
