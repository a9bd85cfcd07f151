/* sim.c - one run of every requested cell on one task: config checks, weights, forward, BPTT,
 * per-step norms and the spectra of the recurrent weights. */
#define _POSIX_C_SOURCE 200809L /* clock_gettime's monotonic clock, where the system has one */
#include "sim.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "factors.h"
#include "init.h"
#include "linalg.h"
#include "net.h"
#include "simnet.h"

void sim_config_default(SimConfig *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->cells = GF_CELLS_ALL;
    cfg->task = GF_TASK_ADDING;
    cfg->seq_len = 200;
    cfg->hidden = 64;
    cfg->layers = 1;
    cfg->batch = 1;
    cfg->weight_scale = 1.0;
    cfg->init = GF_INIT_PYTORCH;
    cfg->forget_bias = NAN;
    cfg->update_bias = NAN;
    cfg->nonlinearity = GF_NONLIN_TANH;
    cfg->seed = 1;
    cfg->weights = NULL;
    cfg->want_param_grads = 0;
    cfg->want_spectra = 1;
    cfg->want_factors = 1;
}

NetShape sim_net_shape(const SimConfig *cfg, GfCell cell)
{
    NetShape s;
    s.cell = cell;
    s.nonlin = cfg->nonlinearity;
    s.L = cfg->layers;
    s.H = cfg->hidden;
    s.I = gf_task_inputs(cfg->task);
    s.O = gf_task_outputs(cfg->task);
    s.B = cfg->batch;
    s.T = gf_task_steps(cfg->task, cfg->seq_len);
    s.per_step = gf_task_per_step(cfg->task);
    s.bidir = cfg->bidirectional != 0;
    return s;
}

size_t sim_config_memory(const SimConfig *cfg)
{
    size_t bytes = 0;
    for (int c = 0; c < GF_NUM_CELLS; c++) {
        if (!(cfg->cells & (1u << c))) continue;
        NetShape s = sim_net_shape(cfg, (GfCell)c);
        bytes += net_memory_for(&s, cfg->want_param_grads); /* dpre only for parameter gradients */
        bytes += sizeof(double) * (2 * (size_t)net_dirs(&s) * s.L * s.T + s.T); /* norms, grad_x norm */
        if (cfg->want_factors && !cfg->bidirectional) /* factor and factor_max, the rnn's power-iteration work */
            bytes += sizeof(double) * (2 * (size_t)s.L * s.T + (c == GF_CELL_RNN ? factors_rnn_work(s.H) + s.H + s.T : 0));
        size_t n_params = net_param_count(&s);
        if (n_params <= GF_INIT_CACHE_MAX) bytes += sizeof(double) * n_params; /* init cache */
    }
    size_t B = cfg->batch, T = gf_task_steps(cfg->task, cfg->seq_len);
    bytes += sizeof(double) * B * T * gf_task_inputs(cfg->task); /* task data */
    if (gf_task_per_step(cfg->task)) bytes += sizeof(int64_t) * B * T; /* per-step targets */
    return bytes;
}

/* Range check of an int option: message names the option and the accepted range. */
static int check_int_(int v, int lo, int hi, const char *opt, GfError *err)
{
    if (v < lo || v > hi)
        return gf_error_set(err, GF_ERR_RANGE, "%s %d is out of range: accepted %d to %d", opt, v, lo, hi);
    return GF_OK;
}

static int check_weights_(const SimConfig *cfg, GfError *err)
{
    const GfWeights *w = cfg->weights;
    const char *kind = gf_cell_name(w->cell);
    if (cfg->cells != (1u << w->cell))
        return gf_error_set(err, GF_ERR_SHAPE,
                            "--weights holds an %s (weight_hh_l0 has %d rows for hidden %d), so "
                            "--cell must be %s", kind, w->G * w->H, w->H, kind);
    if (cfg->hidden != w->H)
        return gf_error_set(err, GF_ERR_SHAPE, "--hidden %d does not match --weights: weight_hh_l0 has "
                            "shape [%d, %d], expected [%d, %d]", cfg->hidden, w->G * w->H, w->H,
                            w->G * cfg->hidden, cfg->hidden);
    if (cfg->layers != w->L)
        return gf_error_set(err, GF_ERR_SHAPE, "--layers %d does not match --weights, which has %d "
                            "layer%s (weight_hh_l0 .. weight_hh_l%d)", cfg->layers, w->L,
                            w->L == 1 ? "" : "s", w->L - 1);
    if ((cfg->bidirectional != 0) != (w->D > 1))
        return gf_error_set(err, GF_ERR_SHAPE, w->D > 1 ? "--weights holds a bidirectional model "
                            "(weight_hh_l0_reverse): add --bidirectional" : "--bidirectional needs "
                            "the reverse direction's weights, which --weights does not hold "
                            "(weight_hh_l0_reverse ...): leave out --bidirectional");
    int I = gf_task_inputs(cfg->task);
    if (w->I != I)
        return gf_error_set(err, GF_ERR_SHAPE, "weight_ih_l0 has shape [%d, %d], expected [%d, %d]: "
                            "the %s task has %d input%s", w->G * w->H, w->I, w->G * w->H, I,
                            gf_task_name(cfg->task), I, I == 1 ? "" : "s");
    int O = gf_task_outputs(cfg->task);
    if (w->has_head && w->O != O)
        return gf_error_set(err, GF_ERR_SHAPE, "head.weight has shape [%d, %d], expected [%d, %d]: the "
                            "%s task has %d output%s", w->O, w->D * w->H, O, w->D * w->H,
                            gf_task_name(cfg->task), O, O == 1 ? "" : "s");
    return GF_OK;
}

int sim_config_check(const SimConfig *cfg, GfError *err)
{
    int rc;
    if (cfg->cells == 0 || (cfg->cells & ~GF_CELLS_ALL))
        return gf_error_set(err, GF_ERR_RANGE, "no cell selected: accepted rnn, lstm, gru or all");
    if ((unsigned)cfg->task >= GF_NUM_TASKS)
        return gf_error_set(err, GF_ERR_RANGE, "unknown task: accepted adding, recall, copy");
    if (cfg->init != GF_INIT_PYTORCH && cfg->init != GF_INIT_ORTHOGONAL && cfg->init != GF_INIT_IDENTITY)
        return gf_error_set(err, GF_ERR_RANGE, "unknown init: accepted pytorch, orthogonal, identity");
    if (cfg->nonlinearity != GF_NONLIN_TANH && cfg->nonlinearity != GF_NONLIN_RELU)
        return gf_error_set(err, GF_ERR_RANGE, "unknown nonlinearity: accepted tanh, relu");
    if ((rc = check_int_(cfg->seq_len, GF_SEQ_LEN_MIN, GF_SEQ_LEN_MAX, "--seq-len", err))) return rc;
    if ((rc = check_int_(cfg->hidden, GF_HIDDEN_MIN, GF_HIDDEN_MAX, "--hidden", err))) return rc;
    if ((rc = check_int_(cfg->layers, GF_LAYERS_MIN, GF_LAYERS_MAX, "--layers", err))) return rc;
    if ((rc = check_int_(cfg->batch, GF_BATCH_MIN, GF_BATCH_MAX, "--batch", err))) return rc;
    if (!(cfg->weight_scale >= 0.0 && cfg->weight_scale <= GF_WEIGHT_SCALE_MAX))
        return gf_error_set(err, GF_ERR_RANGE, "--weight-scale %g is out of range: accepted 0 to %g",
                            cfg->weight_scale, GF_WEIGHT_SCALE_MAX);
    if (!isnan(cfg->forget_bias) && !(fabs(cfg->forget_bias) <= GF_FORGET_BIAS_MAX))
        return gf_error_set(err, GF_ERR_RANGE, "--forget-bias %g is out of range: accepted -%g to %g",
                            cfg->forget_bias, GF_FORGET_BIAS_MAX, GF_FORGET_BIAS_MAX);
    if (!isnan(cfg->update_bias) && !(fabs(cfg->update_bias) <= GF_UPDATE_BIAS_MAX))
        return gf_error_set(err, GF_ERR_RANGE, "--update-bias %g is out of range: accepted -%g to %g",
                            cfg->update_bias, GF_UPDATE_BIAS_MAX, GF_UPDATE_BIAS_MAX);
    if (cfg->task == GF_TASK_ADDING && cfg->seq_len < 2)
        return gf_error_set(err, GF_ERR_RANGE, "--seq-len 1 is too short for the adding task (one "
                            "marker in each half): accepted 2 to %d, or use --task recall", GF_SEQ_LEN_MAX);
    if (cfg->weights && (rc = check_weights_(cfg, err))) return rc;
    /* Where size_t has 32 bits (wasm32) the byte count below would wrap for the largest sizes: a
     * generous bound in double (three cells of four gates, inputs as wide as the widest) refuses
     * those first. With a 64-bit size_t it never does. */
    double L = cfg->layers, B = cfg->batch, H = cfg->hidden, T = gf_task_steps(cfg->task, cfg->seq_len);
    double I = fmax(H, (double)gf_task_inputs(cfg->task));
    double bound = 2.0 * 3 * 8 * (4 * L * 4 * H * (I + H + 2) + 32 * L * B * T * H) + 16 * B * T * (I + 1);
    if (bound >= (double)SIZE_MAX)
        return gf_error_set(err, GF_ERR_TOOBIG, "this configuration needs more memory than this build can address "
                            "(seq-len %d x batch %d x hidden %d x layers %d), over the %.0f GiB limit: make one "
                            "of them smaller", cfg->seq_len, cfg->batch, cfg->hidden, cfg->layers,
                            (double)GF_MEMORY_CAP / (1u << 30));
    size_t bytes = sim_config_memory(cfg);
    if (bytes > GF_MEMORY_CAP)
        return gf_error_set(err, GF_ERR_TOOBIG, "this configuration needs %.1f GiB (seq-len %d x batch %d "
                            "x hidden %d x layers %d), over the %.0f GiB limit: make one of them smaller",
                            (double)bytes / (1u << 30), cfg->seq_len, cfg->batch, cfg->hidden,
                            cfg->layers, (double)GF_MEMORY_CAP / (1u << 30));
    return GF_OK;
}

void sim_init(Sim *sim) { memset(sim, 0, sizeof *sim); }

void sim_free(Sim *sim)
{
    if (!sim) return;
    for (int c = 0; c < GF_NUM_CELLS; c++) {
        net_free(sim->nets[c]);
        free(sim->nets[c]);
        free(sim->init_cache[c].params);
    }
    task_free(&sim->data);
    free(sim->norms);
    memset(sim, 0, sizeof *sim);
}

/* A clock for the run's timings: monotonic where POSIX offers one (it never steps back, and in a
 * browser it is performance.now(), to the microsecond, where C11's TIME_UTC is Date.now(), to the
 * millisecond: a small run read 0.0 ms there); C11's wall clock otherwise. */
static double now_ms_(void)
{
    struct timespec ts;
#if defined(CLOCK_MONOTONIC)
    if (clock_gettime(CLOCK_MONOTONIC, &ts) == 0) return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec * 1e-6;
#endif
    timespec_get(&ts, TIME_UTC);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec * 1e-6;
}

static int same_shape_(const NetShape *a, const NetShape *b)
{
    return a->cell == b->cell && a->nonlin == b->nonlin && a->L == b->L && a->H == b->H &&
           a->I == b->I && a->O == b->O && a->B == b->B && a->T == b->T && a->per_step == b->per_step &&
           a->bidir == b->bidir;
}

/* The spectra depend only on what sets weight_hh before scaling. */
static int spectra_key_equal_(const SimConfig *a, const SimConfig *b)
{
    return a->init == b->init && a->seed == b->seed && a->hidden == b->hidden &&
           a->layers == b->layers && a->task == b->task && a->weights == b->weights &&
           a->bidirectional == b->bidirectional;
}

/* The initial weights of cell c: from the file, from the cache, or drawn (and cached). */
static void init_params_(Sim *sim, GfCell c, const SimConfig *cfg)
{
    Net *net = sim->nets[c];
    if (cfg->weights) {
        init_from_weights(net, cfg->weights, cfg->seed);
        return;
    }
    size_t n = net->n_params;
    if (sim->init_cache[c].params && sim->init_cache[c].n == n && spectra_key_equal_(&sim->init_cache[c].key, cfg)) {
        memcpy(net->params, sim->init_cache[c].params, sizeof(double) * n);
        net->w_hh_scale = 1.0;
        return;
    }
    init_net(net, cfg->init, cfg->seed);
    if (n > GF_INIT_CACHE_MAX) return;
    if (sim->init_cache[c].n != n) {
        free(sim->init_cache[c].params);
        sim->init_cache[c].params = malloc(sizeof(double) * n);
        sim->init_cache[c].n = sim->init_cache[c].params ? n : 0;
    }
    if (!sim->init_cache[c].params) return; /* no memory for the cache: draw every time */
    memcpy(sim->init_cache[c].params, net->params, sizeof(double) * n);
    sim->init_cache[c].key = *cfg;
}

/* After the draw or the load: the forget and update biases and the weight scale. */
static void finish_params_(Net *net, const SimConfig *cfg)
{
    if (!isnan(cfg->forget_bias)) init_forget_bias(net, cfg->forget_bias);
    if (!isnan(cfg->update_bias)) init_update_bias(net, cfg->update_bias);
    init_scale_recurrent(net, cfg->weight_scale);
}

size_t sim_param_count(const SimConfig *cfg, GfCell cell)
{
    NetShape s = sim_net_shape(cfg, cell);
    return net_param_count(&s);
}

/* The tensors of a parameter block of a network of shape sh (PyTorch's order, as net.c carves
 * it: per layer weight_ih, weight_hh, bias_ih, bias_hh, then the same _reverse when
 * bidirectional; then the head). */
static void param_views_(CellParams *out, const NetShape *sh, const double *block)
{
    const size_t GH = (size_t)gf_cell_gates(sh->cell) * sh->H, D = (size_t)net_dirs(sh);
    memset(out, 0, sizeof *out);
    for (int l = 0; l < sh->L; l++)
        for (size_t d = 0; d < D; d++) {
            const double **w_ih = d ? out->weight_ih_reverse : out->weight_ih;
            const double **w_hh = d ? out->weight_hh_reverse : out->weight_hh;
            const double **b_ih = d ? out->bias_ih_reverse : out->bias_ih;
            const double **b_hh = d ? out->bias_hh_reverse : out->bias_hh;
            w_ih[l] = block, block += GH * (l == 0 ? (size_t)sh->I : D * sh->H);
            w_hh[l] = block, block += GH * (size_t)sh->H;
            b_ih[l] = block, block += GH;
            b_hh[l] = block, block += GH;
        }
    out->head_weight = block, block += (size_t)sh->O * D * sh->H;
    out->head_bias = block;
}

void sim_cell_params(const SimConfig *cfg, GfCell cell, const double *block, CellParams *out)
{
    NetShape s = sim_net_shape(cfg, cell);
    param_views_(out, &s, block);
}

void sim_net_initial(Net *net, const SimConfig *cfg)
{
    if (cfg->weights)
        init_from_weights(net, cfg->weights, cfg->seed);
    else
        init_net(net, cfg->init, cfg->seed);
    finish_params_(net, cfg);
}

/* sigma_max and the spectral radius of every gate block, before the weight scale (given
 * parameters: of the weights as they are, never cached). */
static int spectra_(Sim *sim, GfCell c, const SimConfig *cfg, GfError *err)
{
    const Net *net = sim->nets[c];
    const int H = net->s.H, G = net->G;
    const int given = cfg->params[c] != NULL;
    if (!given && sim->spectra[c].valid && spectra_key_equal_(&sim->spectra[c].key, cfg)) return GF_OK;
    sim->spectra[c].valid = 0;
    double *work = malloc(sizeof(double) * ((size_t)H * H + 2 * (size_t)H)); /* (H*H + 2H) */
    if (!work) return gf_error_set(err, GF_ERR_NOMEM, "out of memory for the spectra");
    for (int l = 0; l < net->s.L; l++)
        for (int g = 0; g < G; g++) {
            if (gf_cancelled(cfg->cancel)) {
                free(work);
                return gf_error_set(err, GF_ERR_CANCELLED, "the run was cancelled");
            }
            /* (H, H) gate block of the forward direction's weight_hh_l{l} */
            const double *block = net->w_hh[l * net_dirs(&net->s)] + (size_t)g * H * H;
            sim->spectra[c].sigma[l][g] = linalg_sigma_max(block, H, work);
            sim->spectra[c].rho[l][g] = linalg_spectral_radius(block, H, work);
        }
    free(work);
    sim->spectra[c].key = *cfg;
    sim->spectra[c].valid = !given;
    return GF_OK;
}

/* Power iterations per step for the rnn's ||dh_t/dh_{t-1}||_2, warm started from the step before
 * (a first step gets ten times as many): a budget of about FACTOR_FLOPS multiply-adds, 2 to 200
 * iterations (H = 64: 2, a lower estimate about 0.5% low at scale 1 and about 8% low on average
 * where units saturate, at scale 3 or orthogonal at 1.5), and the relative change that ends them. */
#define FACTOR_FLOPS 16384.0
#define FACTOR_TOL 1e-4

/* The per-step factors of r (factor, factor_max, deriv_mean) from net's states and gates. */
static int factors_(CellResult *r, const Net *net, GfError *err)
{
    const int L = net->s.L, B = net->s.B, T = net->s.T, H = net->s.H, G = net->G;
    const size_t slab = (size_t)B * T * H; /* one layer's (B, T, H) */
    if (net->s.cell != GF_CELL_RNN) {
        for (int l = 0; l < L; l++)
            factors_gate_stats((double *)r->factor + (size_t)l * T, (double *)r->factor_max + (size_t)l * T,
                               net->gate + (size_t)l * slab * G, B, T, H, G, 1); /* lstm f, gru z */
        return GF_OK;
    }
    double *work = malloc(sizeof(double) * (factors_rnn_work(H) + (size_t)H + T)); /* (H) + (T) + power iteration's */
    if (!work) return gf_error_set(err, GF_ERR_NOMEM, "out of memory for the per-step factors");
    const int iters = (int)fmin(200.0, fmax(2.0, FACTOR_FLOPS / (2.0 * H * H))); /* 2 H^2 an iteration */
    for (int l = 0; l < L && !gf_cancelled(net->cancel); l++) {
        const double *h = net->h + (size_t)l * slab;
        factors_rnn_gradient_gains((double *)r->factor + (size_t)l * T, h, net->grad_h + (size_t)l * slab, net->w_hh[l],
                                   B, T, H, net->s.nonlin, work);
        double *mean_norm = work + (size_t)H; /* (T) the spectral norms' mean over the batch, unused */
        factors_rnn_jacobian_norms(mean_norm, (double *)r->factor_max + (size_t)l * T, h, net->w_hh[l], B, T, H,
                                   net->s.nonlin, iters, FACTOR_TOL, work + (size_t)H + T);
        r->deriv_mean[l] = factors_mean_deriv(h, slab, net->s.nonlin);
    }
    free(work);
    if (gf_cancelled(net->cancel)) return gf_error_set(err, GF_ERR_CANCELLED, "the run was cancelled");
    return GF_OK;
}

/* The read-only views of net's tensors a result hands out. */
static void result_views_(CellResult *r, const Net *net)
{
    r->x = net->x;
    r->h = net->h;
    r->c = net->c;
    r->gate = net->gate;
    r->y = net->y;
    r->grad_h = net->grad_h;
    r->grad_c = net->grad_c;
    r->grad_x = net->grad_x;
    param_views_(&r->params, &net->s, net->params);
    param_views_(&r->grads, &net->s, net->grads);
    int panels = 0;
    for (int u = 0; u < net->s.L * net_dirs(&net->s); u++) panels |= net->whF[u] != NULL;
    r->float32_scale = panels ? net->panel_scale : 0.0;
}

int sim_run(Sim *sim, const SimConfig *cfg, GfError *err)
{
    int rc;
    for (int c = 0; c < GF_NUM_CELLS; c++) sim->result[c].ran = 0;
    if ((rc = sim_config_check(cfg, err))) return rc;
    if ((rc = task_make(&sim->data, cfg->task, cfg->batch, cfg->seq_len, cfg->seed, err))) return rc;

    const size_t Ts = (size_t)gf_task_steps(cfg->task, cfg->seq_len), LT = (size_t)cfg->layers * Ts;
    const size_t D = cfg->bidirectional ? 2 : 1;
    const int factors = cfg->want_factors && !cfg->bidirectional; /* the mechanism: one direction only */
    size_t need = 0;
    for (int c = 0; c < GF_NUM_CELLS; c++)
        if (cfg->cells & (1u << c)) /* grad_h (, grad_c) per direction, grad_x norms (, factor, factor_max) */
            need += D * LT * (c == GF_CELL_LSTM ? 2 : 1) + Ts + (factors ? 2 * LT : 0);
    if (need > sim->norms_cap) {
        double *p = malloc(need * sizeof(double));
        if (!p) return gf_error_set(err, GF_ERR_NOMEM, "out of memory allocating the gradient norms");
        free(sim->norms);
        sim->norms = p;
        sim->norms_cap = need;
    }
    double *norm_out = sim->norms;

    for (int c = 0; c < GF_NUM_CELLS; c++) {
        if (!(cfg->cells & (1u << c))) continue;
        if (!sim->nets[c] && !(sim->nets[c] = calloc(1, sizeof(Net))))
            return gf_error_set(err, GF_ERR_NOMEM, "out of memory allocating the network");
        Net *net = sim->nets[c];
        NetShape s = sim_net_shape(cfg, (GfCell)c);
        if (!net->params || !same_shape_(&net->s, &s) || net->full != (cfg->want_param_grads != 0)) {
            net_free(net);
            if ((rc = net_init_for(net, &s, cfg->want_param_grads, err))) return rc;
        }
        if (cfg->params[c]) {
            memcpy(net->params, cfg->params[c], sizeof(double) * net->n_params);
            net->w_hh_scale = 1.0;
        } else {
            init_params_(sim, (GfCell)c, cfg);
        }
        if (cfg->want_spectra && (rc = spectra_(sim, (GfCell)c, cfg, err))) return rc;
        if (!cfg->params[c]) finish_params_(net, cfg);
        net_prepare(net);
        net->cancel = cfg->cancel;
        memcpy(net->x, sim->data.x, sizeof(double) * (size_t)s.B * s.T * s.I);

        CellResult *r = &sim->result[c];
        memset(r, 0, sizeof *r);
        double t0 = now_ms_();
        net_forward(net);
        double t1 = now_ms_();
        r->loss = net_loss(net, cfg->task, sim->data.target_real, sim->data.target_class);
        net_backward(net, cfg->want_param_grads);
        double t2 = now_ms_();
        if (gf_cancelled(cfg->cancel)) {
            for (int k = 0; k < GF_NUM_CELLS; k++) sim->result[k].ran = 0;
            return gf_error_set(err, GF_ERR_CANCELLED, "the run was cancelled");
        }

        /* ||dL/dh_t|| of layer l (direction d) = norm of the (B, H) slice at (l, :, t, d*H:(d+1)*H)
           of (L, B, T, D*H) */
        const size_t B = s.B, T = s.T, H = s.H, S = D * H;
        double *gh_norm[2] = {NULL, NULL}, *gc_norm[2] = {NULL, NULL};
        for (size_t d = 0; d < D; d++) {
            gh_norm[d] = norm_out, norm_out += LT;
            if (c == GF_CELL_LSTM) gc_norm[d] = norm_out, norm_out += LT;
            for (int l = 0; l < s.L; l++)
                for (size_t t = 0; t < T; t++) {
                    size_t at = ((size_t)l * B * T + t) * S + d * H;
                    gh_norm[d][(size_t)l * T + t] = linalg_norm_strided(net->grad_h + at, B, H, T * S);
                    if (gc_norm[d]) gc_norm[d][(size_t)l * T + t] = linalg_norm_strided(net->grad_c + at, B, H, T * S);
                }
            for (size_t i = 0; i < LT; i++)
                if (!isfinite(gh_norm[d][i]) || (gc_norm[d] && !isfinite(gc_norm[d][i]))) r->nonfinite = 1;
        }
        /* ||dL/dx_t|| = norm of the (B, I) slice at (:, t, :) of (B, T, I) */
        double *gx_norm = norm_out;
        norm_out += T;
        for (size_t t = 0; t < T; t++) gx_norm[t] = linalg_norm_strided(net->grad_x + t * s.I, B, s.I, T * s.I);
        r->grad_x_norm = gx_norm;
        if (factors) {
            r->factor = norm_out;
            r->factor_max = norm_out + LT;
            norm_out += 2 * LT;
            if ((rc = factors_(r, net, err))) {
                for (int k = 0; k < GF_NUM_CELLS; k++) sim->result[k].ran = 0;
                return rc;
            }
        }
        if (!isfinite(r->loss)) r->nonfinite = 1;

        r->ran = 1;
        r->cell = (GfCell)c;
        r->L = s.L, r->B = s.B, r->T = s.T, r->H = s.H, r->I = s.I, r->O = s.O, r->G = net->G;
        r->bidirectional = s.bidir;
        r->grad_h_norm = gh_norm[0];
        r->grad_c_norm = gc_norm[0];
        r->grad_h_norm_reverse = gh_norm[1];
        r->grad_c_norm_reverse = gc_norm[1];
        if (cfg->want_spectra)
            for (int l = 0; l < s.L; l++)
                for (int g = 0; g < net->G; g++) {
                    const double scale = cfg->params[c] ? 1.0 : cfg->weight_scale;
                    r->sigma_max[l][g] = sim->spectra[c].sigma[l][g] * scale;
                    r->spectral_radius[l][g] = sim->spectra[c].rho[l][g] * scale;
                }
        r->ms_forward = t1 - t0;
        r->ms_backward = t2 - t1;
        result_views_(r, net);
    }
    sim->config = *cfg;
    return GF_OK;
}
