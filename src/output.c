/* output.c - the CSV and run-file writers (formats in output.h and in the README's "The CSV" and
 * "The run file" sections). */
#include "output.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/safetensors.h"
#include "gf_config.h"

/* A growing text buffer. */
typedef struct StrBuf {
    char *p;     /* (cap) bytes, NUL-terminated at len */
    size_t len, cap;
    int failed;  /* an allocation failed: the text is incomplete */
} StrBuf;

static void sb_printf_(StrBuf *sb, const char *fmt, ...)
{
    if (sb->failed) return;
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        size_t room = sb->cap - sb->len;
        int n = vsnprintf(sb->p ? sb->p + sb->len : NULL, sb->p ? room : 0, fmt, ap);
        va_end(ap);
        if (n < 0) {
            sb->failed = 1;
            return;
        }
        if (sb->p && (size_t)n < room) {
            sb->len += (size_t)n;
            return;
        }
        size_t cap = sb->cap ? sb->cap : 4096;
        while (cap - sb->len <= (size_t)n) cap *= 2;
        char *q = realloc(sb->p, cap);
        if (!q) {
            sb->failed = 1;
            return;
        }
        sb->p = q;
        sb->cap = cap;
    }
}

/* %.17g, with non-finite values spelled inf, -inf and nan on every platform. */
static void sb_number_(StrBuf *sb, double v)
{
    if (isnan(v))
        sb_printf_(sb, "nan");
    else if (isinf(v))
        sb_printf_(sb, v > 0 ? "inf" : "-inf");
    else
        sb_printf_(sb, "%.17g", v);
}

int output_csv(const Sim *sim, char **text, size_t *len, GfError *err)
{
    StrBuf sb = {0};
    /* informative (T): how many sequences of the batch carry what the target needs at step t */
    const int T = sim->data.T;
    int *informative = T > 0 ? calloc((size_t)T, sizeof *informative) : NULL;
    if (T > 0 && !informative) return gf_error_set(err, GF_ERR_NOMEM, "out of memory building the CSV");
    for (int b = 0; b < sim->data.B; b++) {
        int marks[GF_TASK_MARKS_MAX];
        int n = task_marks(&sim->data, b, marks, GF_TASK_MARKS_MAX);
        for (int k = 0; k < n && k < GF_TASK_MARKS_MAX; k++)
            if (marks[k] >= 0 && marks[k] < T) informative[marks[k]]++;
    }
    /* bidirectional: the reverse direction's norms in two more columns at the end */
    const int bidir = sim->config.bidirectional != 0;
    sb_printf_(&sb, bidir ? "cell,layer,t,grad_h_norm,grad_c_norm,factor,factor_max,grad_x_norm,informative,"
                            "grad_h_norm_reverse,grad_c_norm_reverse\n"
                          : "cell,layer,t,grad_h_norm,grad_c_norm,factor,factor_max,grad_x_norm,informative\n");
    for (int c = 0; c < GF_NUM_CELLS; c++) {
        const CellResult *r = &sim->result[c];
        if (!r->ran) continue;
        for (int l = 0; l < r->L; l++)
            for (int t = 0; t < r->T; t++) {
                size_t i = (size_t)l * r->T + t;
                sb_printf_(&sb, "%s,%d,%d,", gf_cell_name(r->cell), l, t);
                sb_number_(&sb, r->grad_h_norm[i]);
                sb_printf_(&sb, ",");
                if (r->grad_c_norm) sb_number_(&sb, r->grad_c_norm[i]);
                sb_printf_(&sb, ",");
                if (r->factor) sb_number_(&sb, r->factor[i]);
                sb_printf_(&sb, ",");
                if (r->factor_max) sb_number_(&sb, r->factor_max[i]);
                sb_printf_(&sb, ",");
                if (l == 0 && r->grad_x_norm) sb_number_(&sb, r->grad_x_norm[t]); /* the input enters layer 0 */
                sb_printf_(&sb, ",%d", t < T && informative ? informative[t] : 0);
                if (bidir && r->grad_h_norm_reverse) {
                    sb_printf_(&sb, ",");
                    sb_number_(&sb, r->grad_h_norm_reverse[i]);
                    sb_printf_(&sb, ",");
                    if (r->grad_c_norm_reverse) sb_number_(&sb, r->grad_c_norm_reverse[i]);
                }
                sb_printf_(&sb, "\n");
            }
    }
    free(informative);
    if (sb.failed) {
        free(sb.p);
        return gf_error_set(err, GF_ERR_NOMEM, "out of memory building the CSV");
    }
    *text = sb.p;
    *len = sb.len;
    return GF_OK;
}

/* A row is at most "cell,layer,t," (5 + 2 + 7 bytes with commas), five %.17g numbers of at most
 * 24 bytes with their commas, a count of at most 5 digits and a newline; bidirectional, two more
 * numbers and commas. */
#define CSV_ROW_MAX 160
#define CSV_ROW_REVERSE_MAX 50

size_t output_csv_bytes(const SimConfig *cfg)
{
    size_t rows = 0;
    for (int c = 0; c < GF_NUM_CELLS; c++)
        if (cfg->cells & (1u << c)) rows += (size_t)cfg->layers * (size_t)gf_task_steps(cfg->task, cfg->seq_len);
    return 128 + rows * (CSV_ROW_MAX + (cfg->bidirectional ? CSV_ROW_REVERSE_MAX : 0));
}

size_t output_run_file_bytes(const SimConfig *cfg, GfCell cell, size_t command_line_len)
{
    const size_t D = cfg->bidirectional ? 2 : 1;
    const size_t L = cfg->layers, B = cfg->batch, T = gf_task_steps(cfg->task, cfg->seq_len), H = D * cfg->hidden;
    const size_t I = gf_task_inputs(cfg->task), O = gf_task_outputs(cfg->task);
    size_t doubles = sim_param_count(cfg, cell) * (cfg->want_param_grads ? 2 : 1); /* weights (and grad.) */
    doubles += B * T * I * (cfg->want_param_grads ? 2 : 1);                 /* inputs (, grad.inputs) */
    doubles += B * (O > 1 ? O : 1) + B * T + 1;                             /* targets, loss */
    doubles += L * B * T * H * (cell == GF_CELL_LSTM ? 4 : 2);              /* h, grad_h (, c, grad_c) */
    /* the JSON header: a line per tensor (two per layer's parameter) and the metadata, the
       command line escaped at worst 6 bytes for 1 */
    size_t header = 4096 + 256 * (8 * D * L + 16) + 6 * command_line_len;
    return sizeof(double) * doubles + header;
}

/* Adds an F64 tensor; names are built from fmt. */
static int add_f64_(StWriter *w, const double *data, int ndim, const int64_t *shape, GfError *err,
                    const char *fmt, ...)
{
    char name[ST_MAX_NAME];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(name, sizeof name, fmt, ap);
    va_end(ap);
    return st_writer_add(w, name, ST_F64, ndim, shape, data, err);
}

int output_run_file(const Sim *sim, GfCell cell, const char *command_line, uint8_t **bytes,
                    size_t *len, GfError *err)
{
    const CellResult *r = &sim->result[cell];
    if (!r->ran)
        return gf_error_set(err, GF_ERR_RANGE, "the %s cell was not run", gf_cell_name(cell));
    const SimConfig *cfg = &sim->config;
    const int64_t L = r->L, B = r->B, T = r->T, H = r->H, I = r->I, O = r->O, GH = (int64_t)r->G * r->H;
    const int64_t D = cell_dirs(r); /* a step's state: [forward h_t, reverse h_t], D*H wide */
    const int full = cfg->want_param_grads;
    StWriter w;
    st_writer_init(&w);
    int rc = GF_OK;
    char meta[64];
    for (int l = 0; l < L && !rc; l++) {
        int64_t in = l == 0 ? I : D * H;
        int64_t s_ih[2] = {GH, in}, s_hh[2] = {GH, H}, s_b[1] = {GH};
        if (!rc) rc = add_f64_(&w, r->params.weight_ih[l], 2, s_ih, err, "weight_ih_l%d", l);
        if (!rc) rc = add_f64_(&w, r->params.weight_hh[l], 2, s_hh, err, "weight_hh_l%d", l);
        if (!rc) rc = add_f64_(&w, r->params.bias_ih[l], 1, s_b, err, "bias_ih_l%d", l);
        if (!rc) rc = add_f64_(&w, r->params.bias_hh[l], 1, s_b, err, "bias_hh_l%d", l);
        if (D < 2) continue;
        if (!rc) rc = add_f64_(&w, r->params.weight_ih_reverse[l], 2, s_ih, err, "weight_ih_l%d_reverse", l);
        if (!rc) rc = add_f64_(&w, r->params.weight_hh_reverse[l], 2, s_hh, err, "weight_hh_l%d_reverse", l);
        if (!rc) rc = add_f64_(&w, r->params.bias_ih_reverse[l], 1, s_b, err, "bias_ih_l%d_reverse", l);
        if (!rc) rc = add_f64_(&w, r->params.bias_hh_reverse[l], 1, s_b, err, "bias_hh_l%d_reverse", l);
    }
    int64_t s_hw[2] = {O, D * H}, s_hb[1] = {O};
    if (!rc) rc = add_f64_(&w, r->params.head_weight, 2, s_hw, err, "head.weight");
    if (!rc) rc = add_f64_(&w, r->params.head_bias, 1, s_hb, err, "head.bias");
    int64_t s_x[3] = {B, T, I};
    if (!rc) rc = add_f64_(&w, r->x, 3, s_x, err, "inputs");
    if (!rc) {
        if (cfg->task == GF_TASK_ADDING) {
            int64_t s_t[2] = {B, O};
            rc = add_f64_(&w, sim->data.target_real, 2, s_t, err, "targets");
        } else {
            /* recall: the class of each sequence (B); copy: of every step (B, T) */
            int64_t s_t[2] = {B, T};
            rc = st_writer_add(&w, "targets", ST_I64, gf_task_per_step(cfg->task) ? 2 : 1, s_t,
                               sim->data.target_class, err);
        }
    }
    if (!rc) rc = add_f64_(&w, &r->loss, 0, NULL, err, "loss");
    int64_t s_st[4] = {L, B, T, D * H};
    if (!rc) rc = add_f64_(&w, r->grad_h, 4, s_st, err, "grad_h");
    if (!rc && r->grad_c) rc = add_f64_(&w, r->grad_c, 4, s_st, err, "grad_c");
    if (!rc) rc = add_f64_(&w, r->h, 4, s_st, err, "h");
    if (!rc && r->c) rc = add_f64_(&w, r->c, 4, s_st, err, "c");
    if (full) {
        for (int l = 0; l < L && !rc; l++) {
            int64_t in = l == 0 ? I : D * H;
            int64_t s_ih[2] = {GH, in}, s_hh[2] = {GH, H}, s_b[1] = {GH};
            if (!rc) rc = add_f64_(&w, r->grads.weight_ih[l], 2, s_ih, err, "grad.weight_ih_l%d", l);
            if (!rc) rc = add_f64_(&w, r->grads.weight_hh[l], 2, s_hh, err, "grad.weight_hh_l%d", l);
            if (!rc) rc = add_f64_(&w, r->grads.bias_ih[l], 1, s_b, err, "grad.bias_ih_l%d", l);
            if (!rc) rc = add_f64_(&w, r->grads.bias_hh[l], 1, s_b, err, "grad.bias_hh_l%d", l);
            if (D < 2) continue;
            if (!rc) rc = add_f64_(&w, r->grads.weight_ih_reverse[l], 2, s_ih, err, "grad.weight_ih_l%d_reverse", l);
            if (!rc) rc = add_f64_(&w, r->grads.weight_hh_reverse[l], 2, s_hh, err, "grad.weight_hh_l%d_reverse", l);
            if (!rc) rc = add_f64_(&w, r->grads.bias_ih_reverse[l], 1, s_b, err, "grad.bias_ih_l%d_reverse", l);
            if (!rc) rc = add_f64_(&w, r->grads.bias_hh_reverse[l], 1, s_b, err, "grad.bias_hh_l%d_reverse", l);
        }
        if (!rc) rc = add_f64_(&w, r->grads.head_weight, 2, s_hw, err, "grad.head.weight");
        if (!rc) rc = add_f64_(&w, r->grads.head_bias, 1, s_hb, err, "grad.head.bias");
        if (!rc) rc = add_f64_(&w, r->grad_x, 3, s_x, err, "grad.inputs");
    }
    /* metadata: strings, as safetensors requires */
    if (!rc) rc = st_writer_meta(&w, "format", "gradflow run", err);
    if (!rc) rc = st_writer_meta(&w, "version", GF_VERSION, err);
    if (!rc) rc = st_writer_meta(&w, "cell", gf_cell_name(cell), err);
    if (!rc) rc = st_writer_meta(&w, "task", gf_task_name(cfg->task), err);
    snprintf(meta, sizeof meta, "%d", cfg->layers);
    if (!rc) rc = st_writer_meta(&w, "layers", meta, err);
    snprintf(meta, sizeof meta, "%d", cfg->hidden);
    if (!rc) rc = st_writer_meta(&w, "hidden", meta, err);
    if (!rc) rc = st_writer_meta(&w, "nonlinearity", gf_nonlin_name(cfg->nonlinearity), err);
    if (!rc && D > 1) rc = st_writer_meta(&w, "bidirectional", "1", err);
    snprintf(meta, sizeof meta, "%d", cfg->seq_len);
    if (!rc) rc = st_writer_meta(&w, "seq_len", meta, err);
    snprintf(meta, sizeof meta, "%d", cfg->batch);
    if (!rc) rc = st_writer_meta(&w, "batch", meta, err);
    snprintf(meta, sizeof meta, "%llu", (unsigned long long)cfg->seed);
    if (!rc) rc = st_writer_meta(&w, "seed", meta, err);
    snprintf(meta, sizeof meta, "%.17g", cfg->weight_scale);
    if (!rc) rc = st_writer_meta(&w, "weight_scale", meta, err);
    if (!rc) rc = st_writer_meta(&w, "init", cfg->weights ? "weights file" : gf_init_name(cfg->init), err);
    if (isnan(cfg->forget_bias))
        snprintf(meta, sizeof meta, "as initialised");
    else
        snprintf(meta, sizeof meta, "%.17g", cfg->forget_bias);
    if (!rc) rc = st_writer_meta(&w, "forget_bias", meta, err);
    if (isnan(cfg->update_bias))
        snprintf(meta, sizeof meta, "as initialised");
    else
        snprintf(meta, sizeof meta, "%.17g", cfg->update_bias);
    if (!rc) rc = st_writer_meta(&w, "update_bias", meta, err);
    if (!rc) rc = st_writer_meta(&w, "weights_note", "weights are the values used: weight_hh already "
                                 "multiplied by weight_scale, the forget and update biases already set", err);
    /* the factor by which weight_hh was read as float32 numbers (PyTorch's float32 init times the
       scale), in the layers where that is exact: reloading the file takes the same path in every
       layer and computes the same products, bit for bit */
    snprintf(meta, sizeof meta, "%.17g", r->float32_scale);
    if (!rc && r->float32_scale != 0.0) rc = st_writer_meta(&w, "weight_hh_float32_scale", meta, err);
    if (!rc && command_line) rc = st_writer_meta(&w, "command_line", command_line, err);
    if (!rc) rc = st_writer_serialize(&w, bytes, len, err);
    st_writer_free(&w);
    return rc;
}
