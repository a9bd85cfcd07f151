/* test_cells.c - the reference cells (src/core/cells.c) and the fast kernels agree.
 *
 * 1. Every backward step of cells.c against central differences of its forward step: every
 *    input, initial state and parameter of one step, every cell, tiny sizes.
 * 2. The kernels (net_forward / net_backward) against BPTT stepped through cells.c (refbptt.c),
 *    on every cell (rnn tanh and relu, lstm, gru), hidden 1, 3, 5, 33 and 64, the tasks' inputs,
 *    1 to 3 layers, batch 1 and 2, and both paths (float32 panels and float64): states, gates,
 *    dL/dh_t, dL/dc_t, every parameter gradient and dL/dx_t, to 1e-12 of each row's largest
 *    entry. The two sum in different orders (and tanh, exp differ by an ulp), so they are not
 *    bit-equal; any wrong term in an equation is far above 1e-12. */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cells.h"
#include "check_main.h"
#include "init.h"
#include "kernels.h"
#include "net.h"
#include "refbptt.h"
#include "rng.h"

/* ---- 1. finite differences of one step ---------------------------------------------------- */

#define FD_EPS 1e-6
#define FD_TOL 1e-8

enum { FD_I = 3, FD_H = 4 };

/* Everything one step reads, in one block so that every entry can be nudged: */
typedef struct StepArgs {
    double x[FD_I], h_prev[FD_H], c_prev[FD_H];
    double w_ih[4 * FD_H * FD_I], b_ih[4 * FD_H], w_hh[4 * FD_H * FD_H], b_hh[4 * FD_H];
} StepArgs;

typedef struct StepCase {
    GfCell cell;
    GfNonlin nonlin;
} StepCase;

static const StepCase step_cases[] = {
    {GF_CELL_RNN, GF_NONLIN_TANH},
    {GF_CELL_RNN, GF_NONLIN_RELU},
    {GF_CELL_LSTM, GF_NONLIN_TANH},
    {GF_CELL_GRU, GF_NONLIN_TANH},
};

/* loss = sum_j wh_j h_j + sum_j wc_j c_j (lstm) of one forward step */
static double step_loss_(const StepCase *sc, const StepArgs *a, const double *wh, const double *wc)
{
    double h[FD_H], c[FD_H] = {0}, gates[4 * FD_H], hn[FD_H];
    switch (sc->cell) {
    case GF_CELL_RNN:
        rnn_step_forward(h, a->x, a->h_prev, a->w_ih, a->b_ih, a->w_hh, a->b_hh, FD_I, FD_H, sc->nonlin);
        break;
    case GF_CELL_LSTM:
        lstm_step_forward(h, c, gates, a->x, a->h_prev, a->c_prev, a->w_ih, a->b_ih, a->w_hh, a->b_hh, FD_I, FD_H);
        break;
    case GF_CELL_GRU:
        gru_step_forward(h, gates, hn, a->x, a->h_prev, a->w_ih, a->b_ih, a->w_hh, a->b_hh, FD_I, FD_H);
        break;
    }
    double loss = 0.0;
    for (int j = 0; j < FD_H; j++) loss += wh[j] * h[j] + wc[j] * c[j];
    return loss;
}

START_TEST(test_step_gradcheck)
{
    const StepCase *sc = &step_cases[_i];
    const int G = gf_cell_gates(sc->cell);
    StepArgs a, g; /* the arguments, and the analytic dL/d(each of them) */
    memset(&a, 0, sizeof a);
    memset(&g, 0, sizeof g);
    Rng r;
    rng_seed(&r, 5 + (uint64_t)_i);
    double *pa = (double *)&a;
    for (size_t i = 0; i < sizeof a / sizeof(double); i++) pa[i] = rng_uniform_range(&r, -0.9, 0.9);
    double wh[FD_H], wc[FD_H] = {0};
    for (int j = 0; j < FD_H; j++) {
        wh[j] = rng_uniform_range(&r, -1, 1);
        if (sc->cell == GF_CELL_LSTM) wc[j] = rng_uniform_range(&r, -1, 1);
    }
    if (sc->nonlin == GF_NONLIN_RELU) /* some units on, some off, none near the kink */
        for (int j = 0; j < FD_H; j++) a.b_ih[j] = j % 2 ? 1.5 : -1.5;

    /* analytic: the forward step's saved activations, then the backward step from dh = wh,
       dc_next = wc */
    double h[FD_H], c[FD_H], gates[4 * FD_H], hn[FD_H], dc[FD_H];
    switch (sc->cell) {
    case GF_CELL_RNN:
        rnn_step_forward(h, a.x, a.h_prev, a.w_ih, a.b_ih, a.w_hh, a.b_hh, FD_I, FD_H, sc->nonlin);
        rnn_step_backward(g.h_prev, g.x, g.w_ih, g.b_ih, g.w_hh, g.b_hh, wh, h, a.x, a.h_prev, a.w_ih, a.w_hh,
                          FD_I, FD_H, sc->nonlin);
        break;
    case GF_CELL_LSTM:
        lstm_step_forward(h, c, gates, a.x, a.h_prev, a.c_prev, a.w_ih, a.b_ih, a.w_hh, a.b_hh, FD_I, FD_H);
        lstm_step_backward(g.h_prev, g.c_prev, g.x, dc, g.w_ih, g.b_ih, g.w_hh, g.b_hh, wh, wc, gates, c,
                           a.c_prev, a.x, a.h_prev, a.w_ih, a.w_hh, FD_I, FD_H);
        break;
    case GF_CELL_GRU:
        gru_step_forward(h, gates, hn, a.x, a.h_prev, a.w_ih, a.b_ih, a.w_hh, a.b_hh, FD_I, FD_H);
        gru_step_backward(g.h_prev, g.x, g.w_ih, g.b_ih, g.w_hh, g.b_hh, wh, gates, hn, a.x, a.h_prev, a.w_ih,
                          a.w_hh, FD_I, FD_H);
        break;
    }

    /* numeric, for every entry the cell reads (gate blocks beyond G*H are not read: both 0) */
    struct {
        const char *name;
        double *p, *gp;
        int n;
    } parts[] = {
        {"x", a.x, g.x, FD_I},
        {"h_prev", a.h_prev, g.h_prev, FD_H},
        {"c_prev", a.c_prev, g.c_prev, sc->cell == GF_CELL_LSTM ? FD_H : 0},
        {"w_ih", a.w_ih, g.w_ih, G * FD_H * FD_I},
        {"b_ih", a.b_ih, g.b_ih, G * FD_H},
        {"w_hh", a.w_hh, g.w_hh, G * FD_H * FD_H},
        {"b_hh", a.b_hh, g.b_hh, G * FD_H},
    };
    int nonzero = 0;
    for (size_t q = 0; q < sizeof parts / sizeof *parts; q++)
        for (int i = 0; i < parts[q].n; i++) {
            double keep = parts[q].p[i];
            parts[q].p[i] = keep + FD_EPS;
            double lp = step_loss_(sc, &a, wh, wc);
            parts[q].p[i] = keep - FD_EPS;
            double lm = step_loss_(sc, &a, wh, wc);
            parts[q].p[i] = keep;
            double numeric = (lp - lm) / (2 * FD_EPS), analytic = parts[q].gp[i];
            nonzero += analytic != 0.0;
            ck_assert_msg(fabs(numeric - analytic) <= FD_TOL * fmax(1.0, fabs(numeric)),
                          "%s %s d%s[%d]: analytic %.12g numeric %.12g", gf_cell_name(sc->cell),
                          gf_nonlin_name(sc->nonlin), parts[q].name, i, analytic, numeric);
        }
    ck_assert_int_gt(nonzero, 10); /* the check saw real gradients */
}
END_TEST

/* ---- 2. the kernels against the reference BPTT -------------------------------------------- */

#define REF_TOL 1e-12
#define REF_T 24

static const int hiddens[] = {1, 3, 5, 33, 64};
#define N_HIDDEN ((int)(sizeof hiddens / sizeof *hiddens))
/* the cells: rnn tanh, rnn relu, lstm, gru */
#define N_KINDS 4
static const double scales[] = {1.0, 0.5, 1.5};

typedef struct RefCase {
    GfCell cell;
    GfNonlin nonlin;
    GfTask task;
    int L, B, H;
    double scale; /* of weight_hh: the float32 panels carry it as panel_scale */
} RefCase;

/* Case k of N_KINDS * N_HIDDEN: every kind at every hidden size, the layers, batch, task and
 * scale varied along. */
static RefCase ref_case_(int k)
{
    RefCase c;
    const int kind = k % N_KINDS, hi = k / N_KINDS;
    c.cell = kind <= 1 ? GF_CELL_RNN : kind == 2 ? GF_CELL_LSTM : GF_CELL_GRU;
    c.nonlin = kind == 1 ? GF_NONLIN_RELU : GF_NONLIN_TANH;
    c.H = hiddens[hi];
    c.L = 1 + (k % 3);
    c.B = 1 + (hi % 2);
    c.task = (k / 2) % 2 ? GF_TASK_RECALL : GF_TASK_ADDING;
    c.scale = scales[(k / 3) % 3];
    return c;
}

/* Each row (row entries) of got within tol of want, relative to the row's largest |want|. */
static void compare_(const double *got, const double *want, size_t n, size_t row, const char *what,
                     const RefCase *c, int f64)
{
    for (size_t r0 = 0; r0 < n; r0 += row) {
        const size_t end = r0 + row < n ? r0 + row : n;
        double m = 0.0;
        for (size_t i = r0; i < end; i++) m = fmax(m, fabs(want[i]));
        for (size_t i = r0; i < end; i++)
            ck_assert_msg(fabs(got[i] - want[i]) <= REF_TOL * m,
                          "%s %s H=%d L=%d B=%d %s %s path: %s[%zu] kernel %.17g reference %.17g",
                          gf_cell_name(c->cell), gf_nonlin_name(c->nonlin), c->H, c->L, c->B,
                          gf_task_name(c->task), f64 ? "float64" : "float32-panel", what, i, got[i], want[i]);
    }
}

static void check_against_reference_(const RefCase *c, int f64)
{
    const int I = gf_task_inputs(c->task), O = gf_task_outputs(c->task);
    NetShape s = {c->cell, c->nonlin, c->L, c->H, I, O, c->B, REF_T, 0, 0};
    Net net;
    ck_assert_int_eq(net_init(&net, &s, NULL), GF_OK);
    net.f64_only = f64;
    init_net(&net, GF_INIT_PYTORCH, 17 + (uint64_t)c->H);
    init_scale_recurrent(&net, c->scale);
    Rng r;
    rng_seed(&r, 23);
    for (size_t i = 0; i < (size_t)c->B * REF_T * I; i++) net.x[i] = rng_uniform_range(&r, -1.0, 1.0);
    if (c->nonlin == GF_NONLIN_RELU)
        for (int l = 0; l < c->L; l++)
            for (int j = 0; j < c->H; j++) net.b_ih[l][j] += 0.2;
    double target_real[2 * 8];
    int64_t target_class[2];
    for (int i = 0; i < c->B * O; i++) target_real[i] = rng_uniform_range(&r, 0.0, 2.0);
    for (int b = 0; b < c->B; b++) target_class[b] = (int64_t)rng_below(&r, (uint64_t)O);

    net_prepare(&net);
    if (!f64 && kern_f32_supported()) ck_assert_ptr_nonnull(net.whF[0]); /* the panel path is taken */
    if (f64) ck_assert_ptr_null(net.whF[0]);
    net_forward(&net);
    net_loss(&net, c->task, target_real, target_class);
    net_backward(&net, 1);

    RefRun ref;
    ref_init(&ref, &net);
    ref_forward(&ref, NULL, NULL);
    ref_backward(&ref, net.dy);

    const size_t LBT = (size_t)c->L * c->B * REF_T, H = c->H, GH = (size_t)net.G * c->H;
    compare_(net.h, ref.h, LBT * H, H, "h", c, f64);
    if (net.c) compare_(net.c, ref.c, LBT * H, H, "c", c, f64);
    if (net.gate) compare_(net.gate, ref.gate, LBT * GH, GH, "gates", c, f64);
    if (net.hn) compare_(net.hn, ref.hn, LBT * H, H, "W_hn h + b_hn", c, f64);
    compare_(net.grad_h, ref.grad_h, LBT * H, H, "grad_h", c, f64);
    if (net.grad_c) compare_(net.grad_c, ref.grad_c, LBT * H, H, "grad_c", c, f64);
    for (int l = 0; l < c->L; l++) {
        const size_t in = (size_t)net_layer_inputs(&net, l);
        compare_(net.g_w_ih[l], ref.grads + (net.w_ih[l] - net.params), GH * in, GH * in, "grad weight_ih", c, f64);
        compare_(net.g_w_hh[l], ref.grads + (net.w_hh[l] - net.params), GH * H, GH * H, "grad weight_hh", c, f64);
        compare_(net.g_b_ih[l], ref.grads + (net.b_ih[l] - net.params), GH, GH, "grad bias_ih", c, f64);
        compare_(net.g_b_hh[l], ref.grads + (net.b_hh[l] - net.params), GH, GH, "grad bias_hh", c, f64);
    }
    compare_(net.grad_x, ref.grad_x, (size_t)c->B * REF_T * I, I, "grad inputs", c, f64);
    ref_free(&ref);
    net_free(&net);
}

START_TEST(test_kernels_vs_reference)
{
    const RefCase c = ref_case_(_i);
    check_against_reference_(&c, 0);
    check_against_reference_(&c, 1);
}
END_TEST

static Suite *suite_(void)
{
    Suite *s = suite_create("cells");
    TCase *tc = tcase_create("step_gradcheck");
    tcase_add_loop_test(tc, test_step_gradcheck, 0, (int)(sizeof step_cases / sizeof *step_cases));
    suite_add_tcase(s, tc);
    tc = tcase_create("kernels_vs_reference");
    tcase_set_timeout(tc, 60);
    tcase_add_loop_test(tc, test_kernels_vs_reference, 0, N_KINDS * N_HIDDEN);
    suite_add_tcase(s, tc);
    return s;
}

GF_CHECK_MAIN(suite_)
