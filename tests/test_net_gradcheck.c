/* test_net_gradcheck.c - finite-difference checks of the backward pass: every parameter, every
 * input, and the total derivatives dL/dh_t (and dL/dc_t for the LSTM) at every layer and step,
 * for every cell, 1 to 3 layers, batch 2, every task (copy: the head at every step).
 *
 * Parameters and inputs are nudged in the network the runs use. dL/dh_t and dL/dc_t are the
 * derivatives of the loss in an offset added to h_t (c_t): those offsets are added in the
 * reference network (refbptt.c, the cells of cells.c stepped through time, which test_cells holds
 * equal to the kernels), whose states then go through the same head and loss (net_loss).
 *
 * Central differences (f(x+e) - f(x-e)) / 2e with e = 1e-6 have truncation error ~e^2 and
 * rounding error ~1e-16/e, so analytic and numeric gradients agree to ~1e-9 relative. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "init.h"
#include "net.h"
#include "refbptt.h"
#include "rng.h"
#include "check_main.h"
#include "testutil.h"

#define EPS 1e-6
#define TOL 1e-7 /* relative, with an absolute floor of TOL * (largest gradient of the tensor) */

typedef struct Case {
    GfCell cell;
    GfNonlin nonlin;
    GfTask task;
    int L, B, T, H;
} Case;

static const Case cases[] = {
    {GF_CELL_RNN, GF_NONLIN_TANH, GF_TASK_ADDING, 1, 2, 6, 4},
    {GF_CELL_RNN, GF_NONLIN_TANH, GF_TASK_RECALL, 2, 2, 5, 3},
    {GF_CELL_RNN, GF_NONLIN_RELU, GF_TASK_ADDING, 3, 2, 5, 4},
    {GF_CELL_LSTM, GF_NONLIN_TANH, GF_TASK_ADDING, 1, 2, 6, 4},
    {GF_CELL_LSTM, GF_NONLIN_TANH, GF_TASK_RECALL, 2, 2, 5, 3},
    {GF_CELL_LSTM, GF_NONLIN_TANH, GF_TASK_ADDING, 3, 2, 4, 3},
    {GF_CELL_GRU, GF_NONLIN_TANH, GF_TASK_ADDING, 1, 2, 6, 4},
    {GF_CELL_GRU, GF_NONLIN_TANH, GF_TASK_RECALL, 2, 2, 5, 3},
    {GF_CELL_GRU, GF_NONLIN_TANH, GF_TASK_ADDING, 3, 2, 4, 3},
    {GF_CELL_RNN, GF_NONLIN_TANH, GF_TASK_COPY, 2, 2, 5, 3},
    {GF_CELL_LSTM, GF_NONLIN_TANH, GF_TASK_COPY, 2, 2, 5, 3},
    {GF_CELL_GRU, GF_NONLIN_TANH, GF_TASK_COPY, 1, 2, 5, 3},
};

typedef struct Fixture {
    Net net;
    GfTask task;
    double *target_real;   /* (B, O) */
    int64_t *target_class; /* (B), or (B, T) for copy */
    double *h_off, *c_off; /* (L, B, T, H) */
    RefRun ref;            /* the reference network, where the offsets are added */
} Fixture;

static void fixture_make_(Fixture *f, const Case *c)
{
    memset(f, 0, sizeof *f);
    NetShape s = {c->cell, c->nonlin, c->L, c->H, gf_task_inputs(c->task), gf_task_outputs(c->task),
                  c->B, c->T, gf_task_per_step(c->task), 0};
    ck_assert_int_eq(net_init(&f->net, &s, NULL), GF_OK);
    init_net(&f->net, GF_INIT_PYTORCH, 7);
    /* Larger recurrent weights and random inputs exercise every term; the relu RNN gets a
       positive bias so that units are active. */
    init_scale_recurrent(&f->net, 1.5);
    Rng r;
    rng_seed(&r, 99);
    size_t nx = (size_t)s.B * s.T * s.I;
    for (size_t i = 0; i < nx; i++) f->net.x[i] = rng_uniform_range(&r, -1.0, 1.0);
    if (c->nonlin == GF_NONLIN_RELU)
        for (int l = 0; l < s.L; l++)
            for (int j = 0; j < s.H; j++) f->net.b_ih[l][j] += 0.3;
    f->task = c->task;
    f->target_real = calloc((size_t)s.B * s.O, sizeof(double));
    const int n_class = s.B * net_head_steps(&s);
    f->target_class = calloc((size_t)n_class, sizeof(int64_t));
    for (int i = 0; i < s.B * s.O; i++) f->target_real[i] = rng_uniform_range(&r, 0.0, 2.0);
    for (int i = 0; i < n_class; i++) f->target_class[i] = (int64_t)rng_below(&r, (uint64_t)s.O);
    size_t nst = (size_t)s.L * s.B * s.T * s.H;
    f->h_off = calloc(nst, sizeof(double));
    f->c_off = calloc(nst, sizeof(double));
    ref_init(&f->ref, &f->net);
}

static void fixture_free_(Fixture *f)
{
    net_free(&f->net);
    free(f->target_real);
    free(f->target_class);
    free(f->h_off);
    free(f->c_off);
    ref_free(&f->ref);
}

static double loss_(Fixture *f)
{
    net_prepare(&f->net);
    net_forward(&f->net);
    return net_loss(&f->net, f->task, f->target_real, f->target_class);
}

/* The loss with the offsets h_off, c_off added to the states: the reference network's forward,
 * its states into net->h, then the head and loss. */
static double loss_offsets_(Fixture *f)
{
    ref_forward(&f->ref, f->h_off, f->net.s.cell == GF_CELL_LSTM ? f->c_off : NULL);
    const NetShape *s = &f->net.s;
    memcpy(f->net.h, f->ref.h, sizeof(double) * (size_t)s->L * s->B * s->T * s->H);
    return net_loss(&f->net, f->task, f->target_real, f->target_class);
}

/* Compares analytic (n values) with central differences of the loss (computed by lossf) in the n
 * values at p. */
static void check_tensor_(Fixture *f, double (*lossf)(Fixture *), double *p, const double *analytic,
                          size_t n, const char *what, const Case *c)
{
    double scale = 0.0;
    for (size_t i = 0; i < n; i++) scale = fmax(scale, fabs(analytic[i]));
    for (size_t i = 0; i < n; i++) {
        double keep = p[i];
        p[i] = keep + EPS;
        double lp = lossf(f);
        p[i] = keep - EPS;
        double lm = lossf(f);
        p[i] = keep;
        double numeric = (lp - lm) / (2 * EPS);
        double diff = fabs(numeric - analytic[i]);
        /* rounding in the differences is ~1e-16 * loss / EPS ~ 1e-10: an absolute floor of 2e-9 */
        double bound = TOL * fmax(fabs(numeric), scale) + 2e-9;
        ck_assert_msg(diff <= bound, "%s %s L=%d %s[%zu]: analytic %.12g numeric %.12g",
                      gf_cell_name(c->cell), gf_task_name(c->task), c->L, what, i, analytic[i], numeric);
    }
}

START_TEST(test_gradcheck)
{
    const Case *c = &cases[_i];
    Fixture f;
    fixture_make_(&f, c);
    Net *net = &f.net;
    loss_(&f);
    net_backward(net, 1);
    /* Copy the analytic gradients: the finite differences rerun the forward pass. */
    double *g = malloc(sizeof(double) * net->n_params);
    memcpy(g, net->grads, sizeof(double) * net->n_params);
    size_t nst = (size_t)c->L * c->B * c->T * c->H, nx = (size_t)c->B * c->T * net->s.I;
    double *gh = malloc(sizeof(double) * nst), *gc = malloc(sizeof(double) * nst);
    double *gx = malloc(sizeof(double) * nx);
    memcpy(gh, net->grad_h, sizeof(double) * nst);
    if (net->grad_c) memcpy(gc, net->grad_c, sizeof(double) * nst);
    memcpy(gx, net->grad_x, sizeof(double) * nx);

    check_tensor_(&f, loss_, net->params, g, net->n_params, "params", c);
    check_tensor_(&f, loss_, net->x, gx, nx, "inputs", c);
    check_tensor_(&f, loss_offsets_, f.h_off, gh, nst, "dL/dh_t", c);
    if (c->cell == GF_CELL_LSTM) check_tensor_(&f, loss_offsets_, f.c_off, gc, nst, "dL/dc_t", c);

    /* The profile-only backward gives the same per-step gradients as the full one. */
    loss_(&f);
    net_backward(net, 0);
    for (size_t i = 0; i < nst; i++) ck_assert_double_eq(net->grad_h[i], gh[i]);
    for (size_t i = 0; i < nx; i++) ck_assert_double_eq(net->grad_x[i], gx[i]); /* the saliency too */
    free(g);
    free(gh);
    free(gc);
    free(gx);
    fixture_free_(&f);
}
END_TEST

/* The loss itself, by hand, for one tiny case of each task: a wrong reduction (sum instead of
 * mean, or missing softmax) would pass the finite-difference check but not this. */
START_TEST(test_loss_reduction)
{
    NetShape s = {GF_CELL_RNN, GF_NONLIN_TANH, 1, 1, 2, 1, 2, 1, 0, 0};
    Net net;
    ck_assert_int_eq(net_init(&net, &s, NULL), GF_OK);
    net.w_ih[0][0] = 0.5, net.w_ih[0][1] = -0.25;
    net.head_w[0] = 2.0, net.head_b[0] = 0.1;
    net.x[0] = 1.0, net.x[1] = 0.0, net.x[2] = 0.0, net.x[3] = 2.0;
    net_prepare(&net);
    net_forward(&net);
    double targets[2] = {1.0, -1.0};
    double loss = net_loss(&net, GF_TASK_ADDING, targets, NULL);
    double y0 = 2.0 * tanh(0.5) + 0.1, y1 = 2.0 * tanh(-0.5) + 0.1;
    double want = ((y0 - 1.0) * (y0 - 1.0) + (y1 + 1.0) * (y1 + 1.0)) / 2.0;
    ck_assert_double_eq_tol(loss, want, 1e-15);
    net_free(&net);

    NetShape s2 = {GF_CELL_RNN, GF_NONLIN_TANH, 1, 1, 1, 3, 1, 1, 0, 0};
    ck_assert_int_eq(net_init(&net, &s2, NULL), GF_OK);
    net.w_ih[0][0] = 1.0;
    net.head_w[0] = 1.0, net.head_w[1] = -1.0, net.head_w[2] = 0.5;
    net.x[0] = 0.7;
    net_prepare(&net);
    net_forward(&net);
    int64_t cls = 2;
    loss = net_loss(&net, GF_TASK_RECALL, NULL, &cls);
    double h = tanh(0.7), y[3] = {h, -h, 0.5 * h};
    want = log(exp(y[0]) + exp(y[1]) + exp(y[2])) - y[2];
    ck_assert_double_eq_tol(loss, want, 1e-15);
    net_free(&net);

    /* copy: the head at every step, cross-entropy averaged over B*T = 2 steps */
    NetShape s3 = {GF_CELL_RNN, GF_NONLIN_TANH, 1, 1, 1, 2, 1, 2, 1, 0};
    ck_assert_int_eq(net_init(&net, &s3, NULL), GF_OK);
    net.w_ih[0][0] = 1.0;
    net.head_w[0] = 1.0, net.head_w[1] = -1.0;
    net.x[0] = 0.7, net.x[1] = -0.3;
    net_prepare(&net);
    net_forward(&net);
    int64_t cls2[2] = {0, 1};
    loss = net_loss(&net, GF_TASK_COPY, NULL, cls2);
    double h0 = tanh(0.7), h1 = tanh(-0.3);
    want = (log(exp(h0) + exp(-h0)) - h0 + log(exp(h1) + exp(-h1)) + h1) / 2.0;
    ck_assert_double_eq_tol(loss, want, 1e-15);
    net_free(&net);
}
END_TEST

static Suite *suite_(void)
{
    Suite *s = suite_create("net_gradcheck");
    TCase *tc = tcase_create("gradcheck");
    tcase_set_timeout(tc, 120);
    tcase_add_loop_test(tc, test_gradcheck, 0, (int)(sizeof cases / sizeof *cases));
    tcase_add_test(tc, test_loss_reduction);
    suite_add_tcase(s, tc);
    return s;
}

GF_CHECK_MAIN(suite_)
