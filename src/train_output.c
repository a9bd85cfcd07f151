/* train_output.c - the training CSV and the train file (formats in train_output.h, DESIGN.md). */
#include "train_output.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/safetensors.h"
#include "gf_config.h"
#include "output.h"

int output_train_csv(const Trainer *tr, char **text, size_t *len, GfError *err)
{
    const int acc = tr->cfg.sim.task != GF_TASK_ADDING;
    /* a row is at most 4 + 20 + 3 * 24 + 1 + 5 separators: 160 bytes is room enough */
    size_t rows = 0;
    for (int c = 0; c < GF_NUM_CELLS; c++) rows += tr->cell[c].active ? tr->cell[c].hist.n : 0;
    size_t cap = 64 + rows * 160, n = 0;
    char *p = malloc(cap);
    if (!p) return gf_error_set(err, GF_ERR_NOMEM, "out of memory building the training CSV");
    n += (size_t)snprintf(p, cap, "cell,step,loss,grad_norm,clipped%s\n", acc ? ",accuracy" : "");
    for (int c = 0; c < GF_NUM_CELLS; c++) {
        const TrainCell *tc = &tr->cell[c];
        if (!tc->active) continue;
        for (size_t s = 0; s < tc->hist.n; s++) {
            n += (size_t)snprintf(p + n, cap - n, "%s,%zu,%.17g,%.17g,%d", gf_cell_name((GfCell)c), s,
                                  tc->hist.loss[s], tc->hist.grad_norm[s], tc->hist.clipped[s]);
            if (acc) n += (size_t)snprintf(p + n, cap - n, ",%.17g", tc->hist.accuracy[s]);
            n += (size_t)snprintf(p + n, cap - n, "\n");
        }
    }
    *text = p;
    *len = n;
    return GF_OK;
}

/* Every parameter tensor of cell's network under cfg, read from block (the weights now, or the
 * initial ones), under PyTorch's names with prefix. */
static int add_params_(StWriter *w, const SimConfig *cfg, GfCell cell, const double *block, const char *prefix,
                       GfError *err)
{
    CellParams p;
    sim_cell_params(cfg, cell, block, &p);
    const int L = cfg->layers, D = cfg->bidirectional ? 2 : 1;
    const int64_t H = cfg->hidden, GH = (int64_t)gf_cell_gates(cell) * cfg->hidden, O = gf_task_outputs(cfg->task);
    char name[ST_MAX_NAME];
    int rc = GF_OK;
    for (int l = 0; l < L && !rc; l++)
        for (int d = 0; d < D && !rc; d++) { /* d = 1: the reverse direction's, "_reverse" */
            const char *sfx = d ? "_reverse" : "";
            int64_t s_ih[2] = {GH, l == 0 ? gf_task_inputs(cfg->task) : D * H}, s_hh[2] = {GH, H}, s_b[1] = {GH};
            snprintf(name, sizeof name, "%sweight_ih_l%d%s", prefix, l, sfx);
            rc = st_writer_add(w, name, ST_F64, 2, s_ih, d ? p.weight_ih_reverse[l] : p.weight_ih[l], err);
            snprintf(name, sizeof name, "%sweight_hh_l%d%s", prefix, l, sfx);
            if (!rc) rc = st_writer_add(w, name, ST_F64, 2, s_hh, d ? p.weight_hh_reverse[l] : p.weight_hh[l], err);
            snprintf(name, sizeof name, "%sbias_ih_l%d%s", prefix, l, sfx);
            if (!rc) rc = st_writer_add(w, name, ST_F64, 1, s_b, d ? p.bias_ih_reverse[l] : p.bias_ih[l], err);
            snprintf(name, sizeof name, "%sbias_hh_l%d%s", prefix, l, sfx);
            if (!rc) rc = st_writer_add(w, name, ST_F64, 1, s_b, d ? p.bias_hh_reverse[l] : p.bias_hh[l], err);
        }
    int64_t s_hw[2] = {O, D * H}, s_hb[1] = {O};
    snprintf(name, sizeof name, "%shead.weight", prefix);
    if (!rc) rc = st_writer_add(w, name, ST_F64, 2, s_hw, p.head_weight, err);
    snprintf(name, sizeof name, "%shead.bias", prefix);
    if (!rc) rc = st_writer_add(w, name, ST_F64, 1, s_hb, p.head_bias, err);
    return rc;
}

/* Regenerates every step's batch (the trainer keeps only the last) into inputs (S, B, T, I) and
 * the targets: real (S, B, O) or class (S, B) / (S, B, T). */
static int record_batches_(const Trainer *tr, long S, double *inputs, double *real, int64_t *cls, GfError *err)
{
    TaskData d = {0};
    for (long s = 0; s < S; s++) {
        int rc = train_make_batch(&d, &tr->cfg.sim, s, err);
        if (rc) {
            task_free(&d);
            return rc;
        }
        size_t nx = (size_t)d.B * d.T * d.I;
        memcpy(inputs + (size_t)s * nx, d.x, nx * sizeof(double));
        if (real) memcpy(real + (size_t)s * d.B * d.O, d.target_real, sizeof(double) * d.B * d.O);
        if (cls) {
            size_t nc = (size_t)d.B * (gf_task_per_step(d.task) ? d.T : 1);
            memcpy(cls + (size_t)s * nc, d.target_class, sizeof(int64_t) * nc);
        }
    }
    task_free(&d);
    return GF_OK;
}

size_t output_train_file_size(const TrainConfig *cfg, long steps, int record)
{
    const SimConfig *c = &cfg->sim;
    const size_t B = c->batch, T = gf_task_steps(c->task, c->seq_len), I = gf_task_inputs(c->task);
    const size_t O = gf_task_outputs(c->task);
    size_t bytes = 2 * sim_param_count(c, GF_CELL_LSTM) * sizeof(double) + 2 * (size_t)steps * sizeof(double);
    if (record) { /* the LSTM, the largest cell */
        size_t per = B * T * I * sizeof(double) + B * T * sizeof(int64_t) + B * O * sizeof(double);
        bytes += (size_t)steps * per * 2; /* the buffers, then the serialised file */
    }
    return bytes + 65536;
}

/* The shortest of %.15g, %.16g, %.17g that reads back as v: 0.9 stays "0.9". */
static void shortest_(char *buf, size_t size, double v)
{
    for (int digits = 15; digits <= 17; digits++) {
        snprintf(buf, size, "%.*g", digits, v);
        if (strtod(buf, NULL) == v) return;
    }
}

static int meta_num_(StWriter *w, const char *key, double v, GfError *err)
{
    char buf[64];
    shortest_(buf, sizeof buf, v);
    return st_writer_meta(w, key, buf, err);
}

int output_train_file(const Trainer *tr, GfCell cell, int record, const char *command_line,
                      uint8_t **bytes, size_t *len, GfError *err)
{
    const TrainCell *tc = &tr->cell[cell];
    if (!tc->active)
        return gf_error_set(err, GF_ERR_RANGE, "the %s cell was not trained", gf_cell_name(cell));
    const SimConfig *cfg = &tr->cfg.sim;
    const OptimConfig *oc = &tr->cfg.optim;
    const int64_t S = (int64_t)tc->hist.n, B = cfg->batch, T = gf_task_steps(cfg->task, cfg->seq_len);
    const int64_t I = gf_task_inputs(cfg->task), O = gf_task_outputs(cfg->task);
    double *inputs = NULL, *real = NULL;
    int64_t *cls = NULL;
    StWriter w;
    st_writer_init(&w);
    int rc = add_params_(&w, cfg, cell, tc->params, "", err);
    if (!rc) rc = add_params_(&w, cfg, cell, tc->init, "init.", err);
    int64_t s_S[1] = {S};
    if (!rc) rc = st_writer_add(&w, "train.loss", ST_F64, 1, s_S, tc->hist.loss, err);
    if (!rc) rc = st_writer_add(&w, "train.grad_norm", ST_F64, 1, s_S, tc->hist.grad_norm, err);
    if (!rc && record && S > 0) {
        inputs = malloc(sizeof(double) * (size_t)(S * B * T * I));
        if (cfg->task == GF_TASK_ADDING)
            real = malloc(sizeof(double) * (size_t)(S * B * O));
        else
            cls = malloc(sizeof(int64_t) * (size_t)(S * B * (gf_task_per_step(cfg->task) ? T : 1)));
        if (!inputs || (!real && !cls))
            rc = gf_error_set(err, GF_ERR_NOMEM, "out of memory recording %lld batches", (long long)S);
        if (!rc) rc = record_batches_(tr, (long)S, inputs, real, cls, err);
        int64_t s_x[4] = {S, B, T, I}, s_r[3] = {S, B, O}, s_c[3] = {S, B, T};
        if (!rc) rc = st_writer_add(&w, "train.inputs", ST_F64, 4, s_x, inputs, err);
        if (!rc && real) rc = st_writer_add(&w, "train.targets", ST_F64, 3, s_r, real, err);
        if (!rc && cls)
            rc = st_writer_add(&w, "train.targets", ST_I64, gf_task_per_step(cfg->task) ? 3 : 2, s_c, cls, err);
    }
    char buf[64];
    if (!rc) rc = st_writer_meta(&w, "format", "gradflow train", err);
    if (!rc) rc = st_writer_meta(&w, "version", GF_VERSION, err);
    if (!rc) rc = st_writer_meta(&w, "cell", gf_cell_name(cell), err);
    if (!rc) rc = st_writer_meta(&w, "task", gf_task_name(cfg->task), err);
    if (!rc) rc = meta_num_(&w, "layers", cfg->layers, err);
    if (!rc) rc = meta_num_(&w, "hidden", cfg->hidden, err);
    if (!rc) rc = st_writer_meta(&w, "nonlinearity", gf_nonlin_name(cfg->nonlinearity), err);
    if (!rc && cfg->bidirectional) rc = st_writer_meta(&w, "bidirectional", "1", err);
    if (!rc) rc = meta_num_(&w, "seq_len", cfg->seq_len, err);
    if (!rc) rc = meta_num_(&w, "batch", cfg->batch, err);
    snprintf(buf, sizeof buf, "%llu", (unsigned long long)cfg->seed);
    if (!rc) rc = st_writer_meta(&w, "seed", buf, err);
    if (!rc) rc = st_writer_meta(&w, "init", cfg->weights ? "weights file" : gf_init_name(cfg->init), err);
    if (!rc) rc = meta_num_(&w, "weight_scale", cfg->weight_scale, err);
    if (isnan(cfg->forget_bias))
        snprintf(buf, sizeof buf, "as initialised");
    else
        shortest_(buf, sizeof buf, cfg->forget_bias);
    if (!rc) rc = st_writer_meta(&w, "forget_bias", buf, err);
    if (isnan(cfg->update_bias))
        snprintf(buf, sizeof buf, "as initialised");
    else
        shortest_(buf, sizeof buf, cfg->update_bias);
    if (!rc) rc = st_writer_meta(&w, "update_bias", buf, err);
    if (!rc) rc = st_writer_meta(&w, "optimizer", gf_optimizer_name(oc->kind), err);
    if (!rc) rc = meta_num_(&w, "lr", oc->lr, err);
    if (!rc) rc = meta_num_(&w, "momentum", oc->momentum, err);
    if (!rc) rc = meta_num_(&w, "alpha", oc->alpha, err);
    char b2[32];
    shortest_(buf, 32, oc->beta1);
    shortest_(b2, sizeof b2, oc->beta2);
    strcat(buf, ",");
    strcat(buf, b2);
    if (!rc) rc = st_writer_meta(&w, "betas", buf, err);
    if (!rc) rc = meta_num_(&w, "eps", oc->eps, err);
    if (!rc) rc = meta_num_(&w, "clip", tr->cfg.clip, err);
    if (!rc) rc = meta_num_(&w, "steps", (double)S, err);
    if (!rc && command_line) rc = st_writer_meta(&w, "command_line", command_line, err);
    if (!rc) rc = st_writer_serialize(&w, bytes, len, err);
    st_writer_free(&w);
    free(inputs);
    free(real);
    free(cls);
    return rc;
}
