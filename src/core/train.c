/* train.c - the training loop: batches, BPTT, clipping, optimizer steps (see train.h). */
#include "train.h"

#include "net.h"
#include "simnet.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

uint64_t train_batch_seed(uint64_t seed, long step)
{
    /* splitmix64 of (seed, step): a different stream for every step, none equal to seed's own */
    uint64_t z = seed ^ 0x7EA1B47C4E5D0F13ull;
    z += 0x9E3779B97F4A7C15ull * ((uint64_t)step + 1);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

int train_make_batch(TaskData *d, const SimConfig *cfg, long step, GfError *err)
{
    return task_make(d, cfg->task, cfg->batch, cfg->seq_len, train_batch_seed(cfg->seed, step), err);
}

int train_config_check(const TrainConfig *cfg, GfError *err)
{
    SimConfig sim = cfg->sim;
    sim.want_param_grads = 1; /* training keeps what the parameter gradients need */
    int rc = sim_config_check(&sim, err);
    if (rc) return rc;
    const OptimConfig *o = &cfg->optim;
    if ((unsigned)o->kind >= GF_NUM_OPTIMIZERS)
        return gf_error_set(err, GF_ERR_RANGE, "unknown optimizer: accepted sgd, rmsprop, adam");
    if (!(o->lr > 0.0 && o->lr <= 10.0))
        return gf_error_set(err, GF_ERR_RANGE, "--lr %g is out of range: accepted above 0, up to 10", o->lr);
    if (!(o->momentum >= 0.0 && o->momentum < 1.0))
        return gf_error_set(err, GF_ERR_RANGE, "--momentum %g is out of range: accepted 0 to below 1",
                            o->momentum);
    if (o->kind == GF_OPT_ADAM && o->momentum != 0.0)
        return gf_error_set(err, GF_ERR_RANGE, "--momentum is for sgd and rmsprop: adam's betas are "
                            "0.9 and 0.999");
    if (!(cfg->clip >= 0.0 && cfg->clip <= 1e6))
        return gf_error_set(err, GF_ERR_RANGE, "--clip %g is out of range: accepted 0 (off) to 1e6",
                            cfg->clip);
    return GF_OK;
}

static void history_free_(TrainHistory *h)
{
    free(h->block);
    memset(h, 0, sizeof *h);
}

/* Grows h to hold cap steps, keeping what it holds. */
static int history_grow_(TrainHistory *h, size_t cap, GfError *err)
{
    if (cap <= h->cap) return GF_OK;
    const size_t per = 4 * sizeof(double) + 1;
    void *block = malloc(cap * per);
    if (!block) return gf_error_set(err, GF_ERR_NOMEM, "out of memory for the training history");
    double *p = block;
    double *loss = p, *gn = p + cap, *acc = p + 2 * cap, *gate = p + 3 * cap;
    unsigned char *clipped = (unsigned char *)(p + 4 * cap);
    if (h->n) {
        memcpy(loss, h->loss, h->n * sizeof(double));
        memcpy(gn, h->grad_norm, h->n * sizeof(double));
        memcpy(acc, h->accuracy, h->n * sizeof(double));
        memcpy(gate, h->gate_mean, h->n * sizeof(double));
        memcpy(clipped, h->clipped, h->n);
    }
    free(h->block);
    h->block = block;
    h->loss = loss, h->grad_norm = gn, h->accuracy = acc, h->gate_mean = gate, h->clipped = clipped;
    h->cap = cap;
    return GF_OK;
}

void trainer_free(Trainer *tr)
{
    if (!tr) return;
    for (int c = 0; c < GF_NUM_CELLS; c++) {
        TrainCell *tc = &tr->cell[c];
        net_free(tc->net);
        free(tc->net);
        optim_free(&tc->opt);
        free(tc->init);
        history_free_(&tc->hist);
    }
    task_free(&tr->batch);
    memset(tr, 0, sizeof *tr);
}

int trainer_init(Trainer *tr, const TrainConfig *cfg, GfError *err)
{
    memset(tr, 0, sizeof *tr);
    int rc = train_config_check(cfg, err);
    if (rc) return rc;
    tr->cfg = *cfg;
    tr->cfg.sim.want_param_grads = 1;
    for (int c = 0; c < GF_NUM_CELLS; c++) {
        if (!(cfg->sim.cells & (1u << c))) continue;
        TrainCell *tc = &tr->cell[c];
        NetShape s = sim_net_shape(&cfg->sim, (GfCell)c);
        tc->net = calloc(1, sizeof *tc->net);
        if (!tc->net) {
            rc = gf_error_set(err, GF_ERR_NOMEM, "out of memory for the network");
            goto error;
        }
        if ((rc = net_init(tc->net, &s, err)) ||
            (rc = optim_init(&tc->opt, &cfg->optim, tc->net->n_params, err)))
            goto error;
        tc->params = tc->net->params;
        tc->n_params = tc->net->n_params;
        tc->init = malloc(sizeof(double) * tc->net->n_params);
        if (!tc->init) {
            rc = gf_error_set(err, GF_ERR_NOMEM, "out of memory for the initial weights");
            goto error;
        }
        sim_net_initial(tc->net, &cfg->sim);
        memcpy(tc->init, tc->net->params, sizeof(double) * tc->net->n_params);
        tc->init_w_hh_scale = tc->net->w_hh_scale;
        tc->active = 1;
    }
    return GF_OK;
error:
    trainer_free(tr);
    return rc;
}

int trainer_reserve(Trainer *tr, size_t n, GfError *err)
{
    for (int c = 0; c < GF_NUM_CELLS; c++) {
        if (!tr->cell[c].active) continue;
        int rc = history_grow_(&tr->cell[c].hist, n, err);
        if (rc) return rc;
    }
    return GF_OK;
}

void trainer_rewind(Trainer *tr)
{
    for (int c = 0; c < GF_NUM_CELLS; c++) {
        TrainCell *tc = &tr->cell[c];
        if (!tc->active) continue;
        memcpy(tc->net->params, tc->init, sizeof(double) * tc->net->n_params);
        tc->net->w_hh_scale = tc->init_w_hh_scale;
        optim_reset(&tc->opt);
        tc->hist.n = 0;
    }
    tr->step = 0;
}

/* Index of the largest of y (O). */
static int argmax_(const double *y, int O)
{
    int k = 0;
    for (int o = 1; o < O; o++)
        if (y[o] > y[k]) k = o;
    return k;
}

/* recall: share of the batch whose largest score is the target; copy: share of the recalled
 * symbols (the last GF_COPY_LEN steps) predicted right; adding: NaN. */
static double accuracy_(const Net *net, const TaskData *d)
{
    const int B = net->s.B, O = net->s.O, Th = net_head_steps(&net->s);
    if (d->task == GF_TASK_ADDING) return NAN;
    const int from = d->task == GF_TASK_COPY ? Th - GF_COPY_LEN : 0;
    long right = 0, total = 0;
    for (int b = 0; b < B; b++)
        for (int j = from; j < Th; j++, total++)
            right += argmax_(net->y + ((size_t)b * Th + j) * O, O) == d->target_class[(size_t)b * Th + j];
    return (double)right / (double)total;
}

/* Mean of gate block 1 (lstm f, gru z) over (L, B, T, D, H); NaN for the rnn. */
static double gate_mean_(const Net *net)
{
    if (net->s.cell == GF_CELL_RNN) return NAN;
    const int H = net->s.H, G = net->G;
    const size_t rows = (size_t)net->s.L * net->s.B * net->s.T * net_dirs(&net->s); /* each direction's gates */
    double sum = 0.0;
    for (size_t r = 0; r < rows; r++) {
        const double *g = net->gate + r * (size_t)G * H + H; /* block 1 of row r */
        for (int j = 0; j < H; j++) sum += g[j];
    }
    return sum / ((double)rows * H);
}

int trainer_step(Trainer *tr, GfError *err)
{
    const SimConfig *cfg = &tr->cfg.sim;
    int rc = train_make_batch(&tr->batch, cfg, tr->step, err);
    if (rc) return rc;
    for (int c = 0; c < GF_NUM_CELLS; c++) {
        TrainCell *tc = &tr->cell[c];
        if (!tc->active) continue;
        TrainHistory *h = &tc->hist;
        if (h->n == h->cap && (rc = history_grow_(h, h->cap ? 2 * h->cap : 1024, err))) return rc;
        Net *net = tc->net;
        net_prepare(net); /* the weights changed since the last step */
        memcpy(net->x, tr->batch.x, sizeof(double) * (size_t)net->s.B * net->s.T * net->s.I);
        net_forward(net);
        double loss = net_loss(net, cfg->task, tr->batch.target_real, tr->batch.target_class);
        net_backward(net, 1);
        int clipped = 0;
        double norm = optim_clip(net->grads, net->n_params, tr->cfg.clip, &clipped);
        h->loss[h->n] = loss;
        h->grad_norm[h->n] = norm;
        h->clipped[h->n] = (unsigned char)clipped;
        h->accuracy[h->n] = accuracy_(net, &tr->batch);
        h->gate_mean[h->n] = gate_mean_(net);
        h->n++;
        optim_step(&tc->opt, net->params, net->grads);
    }
    tr->step++;
    return GF_OK;
}
