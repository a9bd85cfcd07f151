/* test_optim.c - torch.optim's update rules and clip_grad_norm_, against values worked out by
 * hand from the equations in PyTorch's documentation (a few steps on two parameters). */
#include <check.h>
#include <math.h>
#include <string.h>

#include "check_main.h"
#include "optim.h"

#define TOL 1e-15

/* Runs `steps` updates of kind with gradients g[step][2] from p0, into p. */
static void run_(const OptimConfig *cfg, const double p0[2], const double g[][2], int steps, double p[2])
{
    Optim o;
    ck_assert_int_eq(optim_init(&o, cfg, 2, NULL), GF_OK);
    p[0] = p0[0], p[1] = p0[1];
    for (int s = 0; s < steps; s++) optim_step(&o, p, g[s]);
    ck_assert_int_eq(o.steps, steps);
    optim_free(&o);
}

static const double P0[2] = {1.0, -2.0};
static const double G[3][2] = {{0.5, -1.0}, {0.25, 2.0}, {-1.0, 0.5}};

START_TEST(test_sgd)
{
    OptimConfig c;
    optim_config_default(&c, GF_OPT_SGD, 0.1);
    double p[2];
    run_(&c, P0, G, 3, p);
    /* no momentum: p -= lr * g, three times */
    ck_assert_double_eq_tol(p[0], 1.0 - 0.1 * (0.5 + 0.25 - 1.0), TOL);
    ck_assert_double_eq_tol(p[1], -2.0 - 0.1 * (-1.0 + 2.0 + 0.5), TOL);
    c.momentum = 0.9;
    run_(&c, P0, G, 3, p);
    /* buf1 = g1; buf2 = 0.9 buf1 + g2; buf3 = 0.9 buf2 + g3; p -= lr (buf1 + buf2 + buf3) */
    double b1 = 0.5, b2 = 0.9 * b1 + 0.25, b3 = 0.9 * b2 - 1.0;
    ck_assert_double_eq_tol(p[0], 1.0 - 0.1 * (b1 + b2 + b3), TOL);
    b1 = -1.0, b2 = 0.9 * b1 + 2.0, b3 = 0.9 * b2 + 0.5;
    ck_assert_double_eq_tol(p[1], -2.0 - 0.1 * (b1 + b2 + b3), TOL);
}
END_TEST

START_TEST(test_rmsprop)
{
    OptimConfig c;
    optim_config_default(&c, GF_OPT_RMSPROP, 0.01);
    ck_assert_double_eq(c.alpha, 0.99);
    ck_assert_double_eq(c.eps, 1e-8);
    double p[2];
    run_(&c, P0, G, 2, p);
    /* v1 = 0.01 g1^2, p1 = p0 - lr g1 / (sqrt(v1) + eps); v2 = 0.99 v1 + 0.01 g2^2 ... */
    for (int i = 0; i < 2; i++) {
        double v = 0.01 * G[0][i] * G[0][i], q = P0[i] - 0.01 * G[0][i] / (sqrt(v) + 1e-8);
        v = 0.99 * v + 0.01 * G[1][i] * G[1][i];
        q -= 0.01 * G[1][i] / (sqrt(v) + 1e-8);
        ck_assert_double_eq_tol(p[i], q, TOL);
    }
    /* the first step moves every parameter by lr / sqrt(1 - alpha) = 0.1, whatever g's size */
    run_(&c, P0, G, 1, p);
    ck_assert_double_eq_tol(p[0], 1.0 - 0.1, 1e-6);
    ck_assert_double_eq_tol(p[1], -2.0 + 0.1, 1e-6);
    c.momentum = 0.5;
    run_(&c, P0, G, 2, p);
    for (int i = 0; i < 2; i++) {
        double v = 0.01 * G[0][i] * G[0][i], b = G[0][i] / (sqrt(v) + 1e-8);
        double q = P0[i] - 0.01 * b;
        v = 0.99 * v + 0.01 * G[1][i] * G[1][i];
        b = 0.5 * b + G[1][i] / (sqrt(v) + 1e-8);
        q -= 0.01 * b;
        ck_assert_double_eq_tol(p[i], q, TOL);
    }
}
END_TEST

START_TEST(test_adam)
{
    OptimConfig c;
    optim_config_default(&c, GF_OPT_ADAM, 0.001);
    double p[2];
    /* the first step with bias correction moves every parameter by lr * sign(g) (up to eps) */
    run_(&c, P0, G, 1, p);
    ck_assert_double_eq_tol(p[0], 1.0 - 0.001, 1e-10);
    ck_assert_double_eq_tol(p[1], -2.0 + 0.001, 1e-10);
    run_(&c, P0, G, 3, p);
    for (int i = 0; i < 2; i++) {
        /* PyTorch's documented algorithm: m_hat = m / (1 - beta1^k), v_hat = v / (1 - beta2^k),
           p -= lr * m_hat / (sqrt(v_hat) + eps) */
        double m = 0, v = 0, q = P0[i];
        for (int k = 1; k <= 3; k++) {
            m = 0.9 * m + 0.1 * G[k - 1][i];
            v = 0.999 * v + 0.001 * G[k - 1][i] * G[k - 1][i];
            double mhat = m / (1 - pow(0.9, k)), vhat = v / (1 - pow(0.999, k));
            q -= 0.001 * mhat / (sqrt(vhat) + 1e-8);
        }
        ck_assert_double_eq_tol(p[i], q, TOL);
    }
}
END_TEST

START_TEST(test_reset)
{
    OptimConfig c;
    optim_config_default(&c, GF_OPT_ADAM, 0.01);
    Optim o;
    ck_assert_int_eq(optim_init(&o, &c, 2, NULL), GF_OK);
    double a[2] = {1, 2}, b[2] = {1, 2};
    optim_step(&o, a, G[0]);
    optim_step(&o, a, G[1]);
    optim_reset(&o);
    double a2[2] = {1, 2};
    optim_step(&o, a2, G[0]);
    Optim o2;
    ck_assert_int_eq(optim_init(&o2, &c, 2, NULL), GF_OK);
    optim_step(&o2, b, G[0]);
    ck_assert(memcmp(a2, b, sizeof b) == 0); /* after a reset, the same as a fresh optimizer */
    optim_free(&o);
    optim_free(&o2);
}
END_TEST

START_TEST(test_clip)
{
    double g[3] = {3.0, 4.0, 0.0};
    int clipped = -1;
    /* total 5 > 1: scaled by 1 / (5 + 1e-6) */
    double total = optim_clip(g, 3, 1.0, &clipped);
    ck_assert_double_eq_tol(total, 5.0, TOL);
    ck_assert_int_eq(clipped, 1);
    ck_assert_double_eq_tol(g[0], 3.0 / (5.0 + 1e-6), TOL);
    ck_assert_double_eq_tol(g[1], 4.0 / (5.0 + 1e-6), TOL);
    /* total under the threshold: untouched */
    double h[2] = {0.3, 0.4};
    total = optim_clip(h, 2, 1.0, &clipped);
    ck_assert_double_eq_tol(total, 0.5, TOL);
    ck_assert_int_eq(clipped, 0);
    ck_assert_double_eq(h[0], 0.3);
    /* 0 = off, even for a huge gradient; the norm is still reported */
    double k[2] = {3e200, 4e200};
    total = optim_clip(k, 2, 0.0, &clipped);
    ck_assert_double_eq_tol(total / 5e200, 1.0, TOL);
    ck_assert_int_eq(clipped, 0);
    ck_assert_double_eq(k[0], 3e200);
}
END_TEST

START_TEST(test_names)
{
    GfOptimizer k;
    ck_assert_int_eq(gf_optimizer_parse("rmsprop", &k), 0);
    ck_assert_int_eq(k, GF_OPT_RMSPROP);
    ck_assert_int_eq(gf_optimizer_parse("adamw", &k), -1);
    ck_assert_str_eq(gf_optimizer_name(GF_OPT_ADAM), "adam");
}
END_TEST

static Suite *suite_(void)
{
    Suite *s = suite_create("optim");
    TCase *tc = tcase_create("optim");
    tcase_add_test(tc, test_sgd);
    tcase_add_test(tc, test_rmsprop);
    tcase_add_test(tc, test_adam);
    tcase_add_test(tc, test_reset);
    tcase_add_test(tc, test_clip);
    tcase_add_test(tc, test_names);
    suite_add_tcase(s, tc);
    return s;
}

GF_CHECK_MAIN(suite_)
