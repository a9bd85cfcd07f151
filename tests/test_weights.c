/* test_weights.c - loading PyTorch state_dicts of nn.RNN / nn.LSTM / nn.GRU: every cell with 1 to
 * 3 layers in F32 and F64, biases and head present or absent, run-file extras ignored, and every
 * shape mismatch reported with the tensor, the shape found and the shape expected. The files are
 * built in memory with the safetensors writer. */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "safetensors.h"
#include "testutil.h"
#include "weights.h"

/* ---------------------------------------------------------------------------------------------
 * a state_dict under construction
 * ------------------------------------------------------------------------------------------- */

#define SD_MAX 64

typedef struct StateDict {
    StWriter w;
    void *data[SD_MAX]; /* owned element buffers, one per tensor */
    int n;
} StateDict;

/* Element i of the tensor added n-th: exact in F32 as well as F64. */
static double pattern(int n, size_t i) { return (double)(n + 1) + (double)(i % 512) / 64.0; }

static void sd_init(StateDict *sd)
{
    memset(sd, 0, sizeof *sd);
    st_writer_init(&sd->w);
}

/* Adds a tensor of shape (d0[, d1]) (ndim 1 or 2) filled with pattern(index, i). */
static void sd_add(StateDict *sd, const char *name, StDtype dtype, int ndim, int64_t d0, int64_t d1)
{
    ck_assert_int_lt(sd->n, SD_MAX);
    const int64_t shape[2] = {d0, d1};
    size_t numel = (size_t)d0 * (ndim == 2 ? (size_t)d1 : 1);
    size_t es = st_dtype_size(dtype);
    uint8_t *buf = malloc(numel * es + 1);
    ck_assert_ptr_nonnull(buf);
    for (size_t i = 0; i < numel; i++) {
        double v = pattern(sd->n, i);
        if (dtype == ST_F64) {
            memcpy(buf + 8 * i, &v, 8);
        } else if (dtype == ST_F32) {
            float f = (float)v;
            memcpy(buf + 4 * i, &f, 4);
        } else {
            int64_t k = (int64_t)i;
            memcpy(buf + 8 * i, &k, 8);
        }
    }
    GfError err = {0};
    ck_assert_msg(st_writer_add(&sd->w, name, dtype, ndim, shape, buf, &err) == GF_OK, "%s",
                  err.msg);
    sd->data[sd->n++] = buf;
}

/* The four tensors of layer k of a G-gate cell; bias_mask bit 0 = bias_ih, bit 1 = bias_hh. */
static void sd_add_layer(StateDict *sd, int k, int G, int H, int Ik, StDtype dt, int bias_mask)
{
    char name[32];
    snprintf(name, sizeof name, "weight_ih_l%d", k);
    sd_add(sd, name, dt, 2, (int64_t)G * H, Ik);
    snprintf(name, sizeof name, "weight_hh_l%d", k);
    sd_add(sd, name, dt, 2, (int64_t)G * H, H);
    if (bias_mask & 1) {
        snprintf(name, sizeof name, "bias_ih_l%d", k);
        sd_add(sd, name, dt, 1, (int64_t)G * H, 0);
    }
    if (bias_mask & 2) {
        snprintf(name, sizeof name, "bias_hh_l%d", k);
        sd_add(sd, name, dt, 1, (int64_t)G * H, 0);
    }
}

/* A whole model: L layers, biases per bias_mask, head (O outputs) when O > 0. */
static void sd_add_model(StateDict *sd, int G, int L, int H, int I, int O, StDtype dt,
                         int bias_mask)
{
    for (int k = 0; k < L; k++) sd_add_layer(sd, k, G, H, k == 0 ? I : H, dt, bias_mask);
    if (O > 0) {
        sd_add(sd, "head.weight", dt, 2, O, H);
        sd_add(sd, "head.bias", dt, 1, O, 0);
    }
}

/* Index in the writer of the tensor called name, or -1. */
static int sd_index(const StateDict *sd, const char *name)
{
    for (int i = 0; i < sd->w.n_tensors; i++)
        if (strcmp(sd->w.tensors[i].name, name) == 0) return i;
    return -1;
}

static uint8_t *sd_serialize(StateDict *sd, size_t *len)
{
    uint8_t *buf;
    GfError err = {0};
    ck_assert_msg(st_writer_serialize(&sd->w, &buf, len, &err) == GF_OK, "%s", err.msg);
    return buf;
}

static void sd_free(StateDict *sd)
{
    for (int i = 0; i < sd->n; i++) free(sd->data[i]);
    st_writer_free(&sd->w);
    memset(sd, 0, sizeof *sd);
}

/* Parses sd; expects rc and, on failure, a message containing want (if not NULL). */
static void expect_parse(StateDict *sd, int rc_want, const char *want)
{
    size_t len;
    uint8_t *buf = sd_serialize(sd, &len);
    GfWeights w;
    GfError err = {0};
    int rc = weights_parse(&w, buf, len, &err);
    ck_assert_msg(rc == rc_want, "expected code %d, got %d (%s)", rc_want, rc, err.msg);
    if (rc != GF_OK) {
        ck_assert_ptr_null(w.block);
        ck_assert_int_eq(w.L, 0);
    }
    if (want)
        ck_assert_msg(strstr(err.msg, want) != NULL, "message \"%s\" lacks \"%s\"", err.msg, want);
    ck_assert_msg(strchr(err.msg, '\n') == NULL, "message \"%s\" is not one line", err.msg);
    weights_free(&w);
    free(buf);
}

/* Checks that dst (numel doubles) holds the pattern of the tensor called name, or zeros when
 * the state_dict has no such tensor. */
static void expect_values(const StateDict *sd, const char *name, const double *dst, size_t numel)
{
    int idx = sd_index(sd, name);
    ck_assert_ptr_nonnull(dst);
    for (size_t i = 0; i < numel; i++) {
        double want = idx >= 0 ? pattern(idx, i) : 0.0;
        ck_assert_msg(dst[i] == want, "%s[%zu] = %g, expected %g", name, i, dst[i], want);
    }
}

/* ---------------------------------------------------------------------------------------------
 * loading
 * ------------------------------------------------------------------------------------------- */

START_TEST(loads_every_cell_layers_and_dtype)
{
    static const GfCell cells[3] = {GF_CELL_RNN, GF_CELL_LSTM, GF_CELL_GRU};
    static const int gates[3] = {1, 4, 3};
    static const StDtype dtypes[2] = {ST_F64, ST_F32};
    for (int c = 0; c < 3; c++)
        for (int L = 1; L <= 3; L++)
            for (int d = 0; d < 2; d++)
                for (int head = 0; head < 2; head++) {
                    const int G = gates[c], H = 3 + c, I = 2 + L, O = head ? 1 + L : 0;
                    StateDict sd;
                    sd_init(&sd);
                    sd_add_model(&sd, G, L, H, I, O, dtypes[d], 3);
                    size_t len;
                    uint8_t *buf = sd_serialize(&sd, &len);
                    GfWeights w;
                    GfError err = {0};
                    ck_assert_msg(weights_parse(&w, buf, len, &err) == GF_OK, "%s", err.msg);
                    ck_assert_int_eq(w.cell, cells[c]);
                    ck_assert_int_eq(w.G, G);
                    ck_assert_int_eq(w.L, L);
                    ck_assert_int_eq(w.H, H);
                    ck_assert_int_eq(w.I, I);
                    ck_assert_int_eq(w.has_head, head);
                    ck_assert_int_eq(w.has_nonlin, 0);
                    char name[32];
                    for (int k = 0; k < L; k++) {
                        const size_t Ik = k == 0 ? (size_t)I : (size_t)H, GH = (size_t)(G * H);
                        snprintf(name, sizeof name, "weight_ih_l%d", k);
                        expect_values(&sd, name, w.w_ih[k], GH * Ik);
                        snprintf(name, sizeof name, "weight_hh_l%d", k);
                        expect_values(&sd, name, w.w_hh[k], GH * (size_t)H);
                        snprintf(name, sizeof name, "bias_ih_l%d", k);
                        expect_values(&sd, name, w.b_ih[k], GH);
                        snprintf(name, sizeof name, "bias_hh_l%d", k);
                        expect_values(&sd, name, w.b_hh[k], GH);
                    }
                    for (int k = L; k < GF_LAYERS_MAX; k++) ck_assert_ptr_null(w.w_ih[k]);
                    if (head) {
                        ck_assert_int_eq(w.O, O);
                        expect_values(&sd, "head.weight", w.head_w, (size_t)(O * H));
                        expect_values(&sd, "head.bias", w.head_b, (size_t)O);
                    } else {
                        ck_assert_ptr_null(w.head_w);
                        ck_assert_ptr_null(w.head_b);
                    }
                    weights_free(&w);
                    ck_assert_ptr_null(w.block);
                    free(buf);
                    sd_free(&sd);
                }
}
END_TEST

START_TEST(missing_biases_are_zero)
{
    /* bias_mask 0: bias=False; 1: only bias_ih; 2: only bias_hh */
    for (int mask = 0; mask < 3; mask++) {
        StateDict sd;
        sd_init(&sd);
        sd_add_model(&sd, 4, 2, 3, 2, 1, ST_F32, mask);
        size_t len;
        uint8_t *buf = sd_serialize(&sd, &len);
        GfWeights w;
        GfError err = {0};
        ck_assert_msg(weights_parse(&w, buf, len, &err) == GF_OK, "%s", err.msg);
        ck_assert_int_eq(w.cell, GF_CELL_LSTM);
        expect_values(&sd, "bias_ih_l0", w.b_ih[0], 12);
        expect_values(&sd, "bias_hh_l1", w.b_hh[1], 12);
        expect_values(&sd, "weight_hh_l1", w.w_hh[1], 36);
        weights_free(&w);
        free(buf);
        sd_free(&sd);
    }
}
END_TEST

START_TEST(head_weight_without_bias)
{
    StateDict sd;
    sd_init(&sd);
    sd_add_model(&sd, 3, 1, 4, 9, 0, ST_F64, 3);
    sd_add(&sd, "head.weight", ST_F64, 2, 8, 4);
    size_t len;
    uint8_t *buf = sd_serialize(&sd, &len);
    GfWeights w;
    GfError err = {0};
    ck_assert_msg(weights_parse(&w, buf, len, &err) == GF_OK, "%s", err.msg);
    ck_assert_int_eq(w.has_head, 1);
    ck_assert_int_eq(w.O, 8);
    expect_values(&sd, "head.weight", w.head_w, 32);
    expect_values(&sd, "head.bias", w.head_b, 8); /* absent: zeros */
    weights_free(&w);
    free(buf);
    sd_free(&sd);
}
END_TEST

/* A gradflow run file: parameters plus inputs, targets, loss, per-step tensors and metadata. */
START_TEST(run_file_extras_ignored_and_metadata_read)
{
    StateDict sd;
    sd_init(&sd);
    sd_add_model(&sd, 1, 2, 5, 2, 1, ST_F64, 3);
    const int64_t in_shape[3] = {2, 7, 2}, gh_shape[4] = {2, 2, 7, 5};
    double *inputs = calloc(28, sizeof *inputs), *grad_h = calloc(140, sizeof *grad_h);
    ck_assert_ptr_nonnull(inputs);
    ck_assert_ptr_nonnull(grad_h);
    const double loss = 0.25;
    GfError err = {0};
    ck_assert_int_eq(st_writer_add(&sd.w, "inputs", ST_F64, 3, in_shape, inputs, &err), GF_OK);
    ck_assert_int_eq(st_writer_add(&sd.w, "grad_h", ST_F64, 4, gh_shape, grad_h, &err), GF_OK);
    ck_assert_int_eq(st_writer_add(&sd.w, "loss", ST_F64, 0, NULL, &loss, &err), GF_OK);
    sd_add(&sd, "targets", ST_I64, 1, 2, 0);
    ck_assert_int_eq(st_writer_meta(&sd.w, "cell", "rnn", &err), GF_OK);
    ck_assert_int_eq(st_writer_meta(&sd.w, "nonlinearity", "relu", &err), GF_OK);
    ck_assert_int_eq(st_writer_meta(&sd.w, "seq_len", "7", &err), GF_OK);
    size_t len;
    uint8_t *buf = sd_serialize(&sd, &len);
    GfWeights w;
    ck_assert_msg(weights_parse(&w, buf, len, &err) == GF_OK, "%s", err.msg);
    ck_assert_int_eq(w.cell, GF_CELL_RNN);
    ck_assert_int_eq(w.L, 2);
    ck_assert_int_eq(w.has_nonlin, 1);
    ck_assert_int_eq(w.nonlin, GF_NONLIN_RELU);
    expect_values(&sd, "weight_ih_l1", w.w_ih[1], 25);
    weights_free(&w);
    free(buf);

    ck_assert_int_eq(st_writer_meta(&sd.w, "nonlinearity", "sigmoid", &err), GF_OK);
    expect_parse(&sd, GF_ERR_FORMAT, "nonlinearity \"sigmoid\"");
    ck_assert_int_eq(st_writer_meta(&sd.w, "nonlinearity", "re\nlu", &err), GF_OK);
    expect_parse(&sd, GF_ERR_FORMAT, "nonlinearity \"re?lu\"");
    ck_assert_int_eq(st_writer_meta(&sd.w, "nonlinearity", "tanh", &err), GF_OK);
    ck_assert_int_eq(st_writer_meta(&sd.w, "cell", "lstm", &err), GF_OK);
    expect_parse(&sd, GF_ERR_FORMAT, "cell \"lstm\" does not match");
    free(inputs);
    free(grad_h);
    sd_free(&sd);
}
END_TEST

/* ---------------------------------------------------------------------------------------------
 * refusals
 * ------------------------------------------------------------------------------------------- */

START_TEST(shape_mismatch_messages)
{
    StateDict sd;
    /* the example a user sees: a 2-layer LSTM of hidden 64 whose second layer is of hidden 32 */
    sd_init(&sd);
    sd_add_layer(&sd, 0, 4, 64, 2, ST_F32, 3);
    sd_add(&sd, "weight_ih_l1", ST_F32, 2, 256, 64);
    sd_add(&sd, "weight_hh_l1", ST_F32, 2, 256, 32);
    expect_parse(&sd, GF_ERR_SHAPE,
                 "weight_hh_l1 has shape [256, 32], expected [256, 64] (lstm, hidden 64)");
    sd_free(&sd);

    sd_init(&sd); /* layer 1 reads H inputs, not I */
    sd_add_layer(&sd, 0, 3, 4, 2, ST_F64, 3);
    sd_add_layer(&sd, 1, 3, 4, 2, ST_F64, 3);
    expect_parse(&sd, GF_ERR_SHAPE, "weight_ih_l1 has shape [12, 2], expected [12, 4] (gru, "
                                    "hidden 4)");
    sd_free(&sd);

    sd_init(&sd);
    sd_add(&sd, "weight_ih_l0", ST_F64, 2, 8, 2);
    sd_add(&sd, "weight_hh_l0", ST_F64, 2, 12, 3);
    expect_parse(&sd, GF_ERR_SHAPE, "weight_ih_l0 has shape [8, 2], expected [12, I]");
    sd_free(&sd);

    sd_init(&sd);
    sd_add(&sd, "weight_ih_l0", ST_F64, 2, 5, 2);
    sd_add(&sd, "weight_hh_l0", ST_F64, 2, 5, 2);
    expect_parse(&sd, GF_ERR_SHAPE, "weight_hh_l0 has shape [5, 2], expected [G*H, H]");
    sd_free(&sd);

    sd_init(&sd);
    sd_add(&sd, "weight_ih_l0", ST_F64, 2, 4, 2);
    sd_add(&sd, "weight_hh_l0", ST_F64, 2, 4, 2);
    expect_parse(&sd, GF_ERR_SHAPE, "weight_hh_l0 has shape [4, 2]: 2 rows per hidden unit");
    sd_free(&sd);

    sd_init(&sd);
    sd_add(&sd, "weight_ih_l0", ST_F64, 2, 4, 2);
    sd_add(&sd, "weight_hh_l0", ST_F64, 1, 4, 0);
    expect_parse(&sd, GF_ERR_SHAPE, "weight_hh_l0 has shape [4], expected [G*H, H]");
    sd_free(&sd);

    sd_init(&sd);
    sd_add_layer(&sd, 0, 1, 3, 2, ST_F64, 2);
    sd_add(&sd, "bias_ih_l0", ST_F64, 1, 11, 0);
    expect_parse(&sd, GF_ERR_SHAPE, "bias_ih_l0 has shape [11], expected [3] (rnn, hidden 3)");
    sd_free(&sd);

    sd_init(&sd);
    sd_add_layer(&sd, 0, 3, 4, 2, ST_F64, 3);
    sd_add_layer(&sd, 1, 3, 4, 4, ST_F64, 1);
    sd_add(&sd, "bias_hh_l1", ST_F64, 2, 12, 1);
    expect_parse(&sd, GF_ERR_SHAPE, "bias_hh_l1 has shape [12, 1], expected [12] (gru, hidden 4)");
    sd_free(&sd);

    sd_init(&sd);
    sd_add_model(&sd, 1, 1, 3, 2, 0, ST_F64, 3);
    sd_add(&sd, "head.weight", ST_F64, 2, 1, 4);
    sd_add(&sd, "head.bias", ST_F64, 1, 1, 0);
    expect_parse(&sd, GF_ERR_SHAPE, "head.weight has shape [1, 4], expected [O, 3] (rnn, "
                                    "hidden 3)");
    sd_free(&sd);

    sd_init(&sd);
    sd_add_model(&sd, 1, 1, 3, 2, 0, ST_F64, 3);
    sd_add(&sd, "head.weight", ST_F64, 1, 3, 0);
    expect_parse(&sd, GF_ERR_SHAPE, "head.weight has shape [3], expected [O, 3]");
    sd_free(&sd);

    sd_init(&sd);
    sd_add_model(&sd, 1, 1, 3, 2, 0, ST_F64, 3);
    sd_add(&sd, "head.weight", ST_F64, 2, 1, 3);
    sd_add(&sd, "head.bias", ST_F64, 1, 2, 0);
    expect_parse(&sd, GF_ERR_SHAPE, "head.bias has shape [2], expected [1]");
    sd_free(&sd);
}
END_TEST

START_TEST(missing_tensors_and_gaps)
{
    StateDict sd;
    sd_init(&sd);
    sd_add(&sd, "weight_ih_l0", ST_F64, 2, 4, 2);
    expect_parse(&sd, GF_ERR_MISSING, "weight_hh_l0 is missing");
    sd_free(&sd);

    sd_init(&sd);
    sd_add(&sd, "weight_hh_l0", ST_F64, 2, 4, 1);
    expect_parse(&sd, GF_ERR_MISSING, "weight_ih_l0 is missing (lstm, hidden 1)");
    sd_free(&sd);

    sd_init(&sd);
    sd_add_layer(&sd, 0, 1, 3, 2, ST_F64, 3);
    sd_add(&sd, "weight_hh_l1", ST_F64, 2, 3, 3);
    expect_parse(&sd, GF_ERR_MISSING, "weight_ih_l1 is missing (rnn, hidden 3, 2 layers)");
    sd_free(&sd);

    sd_init(&sd); /* layer 2 without layer 1 */
    sd_add_layer(&sd, 0, 1, 3, 2, ST_F64, 3);
    sd_add_layer(&sd, 2, 1, 3, 3, ST_F64, 3);
    expect_parse(&sd, GF_ERR_MISSING, "weight_ih_l2 is present but weight_hh_l2 is missing");
    sd_free(&sd);

    sd_init(&sd);
    sd_add_layer(&sd, 0, 1, 3, 2, ST_F64, 3);
    sd_add(&sd, "bias_hh_l1", ST_F64, 1, 3, 0);
    expect_parse(&sd, GF_ERR_MISSING, "bias_hh_l1 is present but weight_hh_l1 is missing");
    sd_free(&sd);

    sd_init(&sd);
    sd_add_model(&sd, 1, 1, 3, 2, 0, ST_F64, 3);
    sd_add(&sd, "head.bias", ST_F64, 1, 1, 0);
    expect_parse(&sd, GF_ERR_MISSING, "head.bias is present but head.weight is missing");
    sd_free(&sd);

    /* names that only look like layer tensors are ignored */
    sd_init(&sd);
    sd_add_model(&sd, 1, 1, 3, 2, 0, ST_F64, 3);
    sd_add(&sd, "weight_ih_l01", ST_F64, 1, 1, 0);
    sd_add(&sd, "bias_ih_l1x", ST_F64, 1, 1, 0);
    sd_add(&sd, "weight_ih_l", ST_F64, 1, 1, 0);
    expect_parse(&sd, GF_OK, NULL);
    sd_free(&sd);
}
END_TEST

START_TEST(layer_and_hidden_limits)
{
    StateDict sd;
    sd_init(&sd); /* GF_LAYERS_MAX + 1 layers */
    for (int k = 0; k <= GF_LAYERS_MAX; k++) sd_add_layer(&sd, k, 1, 2, 2, ST_F32, 0);
    expect_parse(&sd, GF_ERR_RANGE, "more than 8 layers");
    sd_free(&sd);

    sd_init(&sd); /* exactly GF_LAYERS_MAX is fine */
    for (int k = 0; k < GF_LAYERS_MAX; k++) sd_add_layer(&sd, k, 1, 2, 2, ST_F32, 0);
    expect_parse(&sd, GF_OK, NULL);
    sd_free(&sd);

    sd_init(&sd);
    sd_add(&sd, "weight_ih_l0", ST_F32, 2, GF_HIDDEN_MAX + 1, 1);
    sd_add(&sd, "weight_hh_l0", ST_F32, 2, GF_HIDDEN_MAX + 1, GF_HIDDEN_MAX + 1);
    expect_parse(&sd, GF_ERR_RANGE, "hidden size 1025, at most 1024");
    sd_free(&sd);
}
END_TEST

START_TEST(unsupported_models_and_dtypes)
{
    StateDict sd;
    sd_init(&sd);
    sd_add_model(&sd, 4, 1, 3, 2, 0, ST_F64, 3);
    sd_add(&sd, "weight_ih_l0_reverse", ST_F64, 2, 12, 2); /* a reverse direction half there */
    expect_parse(&sd, GF_ERR_MISSING, "weight_ih_l0_reverse belongs to a bidirectional model, but "
                 "weight_hh_l0_reverse is missing");
    sd_free(&sd);

    sd_init(&sd);
    sd_add_model(&sd, 4, 1, 3, 2, 0, ST_F64, 3);
    sd_add(&sd, "weight_hr_l0", ST_F64, 2, 2, 3);
    expect_parse(&sd, GF_ERR_FORMAT, "weight_hr_l0 belongs to an LSTM with proj_size");
    sd_free(&sd);

    sd_init(&sd);
    sd_add_layer(&sd, 0, 3, 2, 2, ST_F64, 0);
    sd_add(&sd, "bias_ih_l0", ST_I64, 1, 6, 0);
    expect_parse(&sd, GF_ERR_FORMAT, "\"bias_ih_l0\" has dtype I64; only F64 and F32");
    sd_free(&sd);

    /* a malformed container is reported as such */
    GfWeights w;
    GfError err = {0};
    const uint8_t junk[12] = {4, 0, 0, 0, 0, 0, 0, 0, '[', ']', ' ', ' '};
    ck_assert_int_eq(weights_parse(&w, junk, sizeof junk, &err), GF_ERR_FORMAT);
    ck_assert_ptr_nonnull(strstr(err.msg, "not an object"));
    weights_free(&w);
    GfWeights zero = {0};
    weights_free(&zero);
    ck_assert_ptr_null(zero.block);
}
END_TEST

static uint64_t xorshift(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

/* Mutated headers of a valid 2-layer LSTM with a head: weights_parse answers OK or an error,
 * never crashes (run under ASan/UBSan), and what it accepts is self-consistent. */
START_TEST(mutation_fuzz_never_crashes)
{
    StateDict sd;
    sd_init(&sd);
    sd_add_model(&sd, 4, 2, 3, 2, 1, ST_F32, 3);
    size_t len;
    uint8_t *orig = sd_serialize(&sd, &len);
    size_t n_header = (size_t)orig[0] | (size_t)orig[1] << 8;
    uint8_t *m = malloc(len);
    ck_assert_ptr_nonnull(m);
    static const char digits[] = "0123456789,[]";
    uint64_t state = 0x2545F4914F6CDD1Dull;
    int n_ok = 0;
    for (int iter = 0; iter < 4000; iter++) {
        memcpy(m, orig, len);
        int flips = 1 + (int)(xorshift(&state) % 3);
        for (int k = 0; k < flips; k++) {
            uint64_t r = xorshift(&state);
            size_t pos = 8 + (size_t)((r >> 8) % n_header);
            m[pos] = (r & 1) ? (uint8_t)digits[(r >> 40) % (sizeof digits - 1)] : (uint8_t)(r >> 48);
        }
        GfWeights w;
        GfError err = {0};
        int rc = weights_parse(&w, m, len, &err);
        ck_assert_msg(rc == GF_OK || rc == GF_ERR_FORMAT || rc == GF_ERR_SHAPE ||
                          rc == GF_ERR_MISSING || rc == GF_ERR_RANGE,
                      "iteration %d: code %d (%s)", iter, rc, err.msg);
        if (rc == GF_OK) {
            n_ok++;
            ck_assert(w.L >= 1 && w.L <= GF_LAYERS_MAX && w.H >= 1 && w.H <= GF_HIDDEN_MAX);
            ck_assert_int_eq(w.G, gf_cell_gates(w.cell));
            for (int k = 0; k < w.L; k++) ck_assert_ptr_nonnull(w.w_hh[k]);
        } else {
            ck_assert_ptr_null(w.block);
            ck_assert_msg(err.msg[0] != '\0', "iteration %d: empty message", iter);
        }
        weights_free(&w);
    }
    ck_assert_int_gt(n_ok, 10);
    free(m);
    free(orig);
    sd_free(&sd);
}
END_TEST

/* Random state_dicts whose tensors are occasionally missing, reshaped, of another rank or
 * dtype: weights_parse never crashes, and whatever it accepts holds exactly the file's values in
 * the slots its shapes promise (a shape check that let a tensor through would overflow a slot,
 * which ASan reports, or misplace values, which the comparison reports). */
START_TEST(random_state_dicts)
{
    static const int gate_choices[5] = {1, 3, 4, 2, 5};
    static const char *const parts[4] = {"weight_ih_l", "weight_hh_l", "bias_ih_l", "bias_hh_l"};
    uint64_t state = 0x9E3779B97F4A7C15ull;
    int n_ok = 0, n_refused = 0;
    for (int iter = 0; iter < 3000; iter++) {
        uint64_t r = xorshift(&state);
        const int G = gate_choices[r % 5 < 3 ? r % 5 : (r >> 3) % 5], H = 1 + (int)((r >> 8) % 4),
                  I = 1 + (int)((r >> 12) % 3), L = 1 + (int)((r >> 16) % 3);
        StateDict sd;
        sd_init(&sd);
        char name[32];
        for (int k = 0; k < L; k++) {
            for (int p = 0; p < 4; p++) {
                uint64_t q = xorshift(&state);
                if (q % 16 == 0) continue; /* missing */
                int64_t d0 = (int64_t)G * H, d1 = p == 0 ? (k == 0 ? I : H) : H;
                int ndim = p < 2 ? 2 : 1;
                switch ((q >> 4) % 12) {
                case 0: d0 += (q >> 8) % 2 ? 1 : -1; break;
                case 1: d1 += (q >> 8) % 2 ? 1 : -1; break;
                case 2: ndim = 3 - ndim; break;
                default: break;
                }
                if (d0 < 1) d0 = 1;
                if (d1 < 1) d1 = 1;
                StDtype dt = (q >> 12) % 20 == 0 ? ST_I64 : ((q >> 12) % 2 ? ST_F32 : ST_F64);
                snprintf(name, sizeof name, "%s%d", parts[p], k);
                sd_add(&sd, name, dt, ndim, d0, d1);
            }
        }
        uint64_t q = xorshift(&state);
        if (q % 2) {
            int64_t O = 1 + (int64_t)(q >> 4) % 3, Hh = H + ((q >> 8) % 8 == 0 ? 1 : 0);
            sd_add(&sd, "head.weight", ST_F64, 2, O, Hh);
            if ((q >> 12) % 4) sd_add(&sd, "head.bias", ST_F32, 1, O + ((q >> 16) % 8 == 0), 0);
        }
        size_t len;
        uint8_t *buf = sd_serialize(&sd, &len);
        GfWeights w;
        GfError err = {0};
        int rc = weights_parse(&w, buf, len, &err);
        if (rc == GF_OK) {
            n_ok++;
            /* (a reshaped weight_hh_l0 may describe another cell: G and H come from the file) */
            ck_assert_int_eq(w.G, gf_cell_gates(w.cell));
            for (int k = 0; k < w.L; k++) {
                const size_t GH = (size_t)w.G * w.H, Ik = k == 0 ? (size_t)w.I : (size_t)w.H;
                snprintf(name, sizeof name, "weight_ih_l%d", k);
                expect_values(&sd, name, w.w_ih[k], GH * Ik);
                snprintf(name, sizeof name, "weight_hh_l%d", k);
                expect_values(&sd, name, w.w_hh[k], GH * (size_t)w.H);
                snprintf(name, sizeof name, "bias_ih_l%d", k);
                expect_values(&sd, name, w.b_ih[k], GH);
                snprintf(name, sizeof name, "bias_hh_l%d", k);
                expect_values(&sd, name, w.b_hh[k], GH);
            }
            if (w.has_head) {
                expect_values(&sd, "head.weight", w.head_w, (size_t)w.O * (size_t)w.H);
                expect_values(&sd, "head.bias", w.head_b, (size_t)w.O);
            }
        } else {
            n_refused++;
            ck_assert_msg(rc == GF_ERR_FORMAT || rc == GF_ERR_SHAPE || rc == GF_ERR_MISSING,
                          "iteration %d: code %d (%s)", iter, rc, err.msg);
            ck_assert_ptr_null(w.block);
        }
        weights_free(&w);
        free(buf);
        sd_free(&sd);
    }
    ck_assert_int_gt(n_ok, 100);
    ck_assert_int_gt(n_refused, 100);
}
END_TEST

static Suite *weights_suite(void)
{
    Suite *s = suite_create("weights");
    TCase *tc = tcase_create("load");
    tcase_set_timeout(tc, 120); /* the mutation loops run for seconds under sanitizers */
    tcase_add_test(tc, loads_every_cell_layers_and_dtype);
    tcase_add_test(tc, missing_biases_are_zero);
    tcase_add_test(tc, head_weight_without_bias);
    tcase_add_test(tc, run_file_extras_ignored_and_metadata_read);
    suite_add_tcase(s, tc);
    tc = tcase_create("refuse");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, shape_mismatch_messages);
    tcase_add_test(tc, missing_tensors_and_gaps);
    tcase_add_test(tc, layer_and_hidden_limits);
    tcase_add_test(tc, unsupported_models_and_dtypes);
    tcase_add_test(tc, mutation_fuzz_never_crashes);
    tcase_add_test(tc, random_state_dicts);
    suite_add_tcase(s, tc);
    return s;
}

GF_CHECK_MAIN(weights_suite)
