/* test_panels.c - weight_hh read from float32 panels gives the numbers of the float64 copies.
 *
 * A weight_hh whose entries are s times float32 numbers (PyTorch's float32 init, then the weight
 * scale) is streamed as those float32 numbers. Against the same net forced onto the float64
 * copies (f64_only):
 *   - at s = 1 every state, per-step gradient, parameter gradient and dL/dx is identical, bit
 *     for bit (the same fused multiply-adds in the same order);
 *   - at s != 1 the panels compute s (F^T a) instead of (s F)^T a: each step's dL/dh_t within
 *     1e-13 of its norm;
 * on sizes that leave partial 32-column panels, partial 4-column groups and single columns.
 * Also: panels only where exact (a weight off by one ulp, NaN, orthogonal blocks, f64_only: none)
 * and for factors within [1/256, 256]; no overflow the float64 path does not have;
 * pytorch init draws float32 numbers inside [-k, k], and the profile-only backward (which keeps no
 * per-step dpre for one layer) gives the full backward's dL/dh_t and dL/dc_t bit for bit. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "init.h"
#include "kernels.h"
#include "net.h"
#include "rng.h"

typedef struct Pair {
    Net a, b;              /* a: panels where exact; b: f64_only */
    double *target_real;   /* (B, O) */
    int64_t *target_class; /* (B) */
    GfTask task;
} Pair;

/* Both nets of cell c, L layers, hidden H, batch 2, T steps, pytorch init times scale. */
static void pair_make_(Pair *p, GfCell c, GfTask task, int L, int H, int T, double scale)
{
    memset(p, 0, sizeof *p);
    NetShape s = {c, GF_NONLIN_TANH, L, H, gf_task_inputs(task), gf_task_outputs(task), 2, T, 0, 0};
    Net *nets[2] = {&p->a, &p->b};
    Rng r;
    for (int k = 0; k < 2; k++) {
        ck_assert_int_eq(net_init(nets[k], &s, NULL), GF_OK);
        init_net(nets[k], GF_INIT_PYTORCH, 5);
        init_scale_recurrent(nets[k], scale);
        rng_seed(&r, 8);
        for (size_t i = 0; i < (size_t)s.B * s.T * s.I; i++) nets[k]->x[i] = rng_uniform_range(&r, -1, 1);
    }
    p->b.f64_only = 1;
    p->task = task;
    p->target_real = calloc((size_t)s.B * s.O, sizeof(double));
    p->target_class = calloc((size_t)s.B, sizeof(int64_t));
    for (int i = 0; i < s.B * s.O; i++) p->target_real[i] = rng_uniform_range(&r, 0, 2);
    for (int b = 0; b < s.B; b++) p->target_class[b] = (int64_t)rng_below(&r, (uint64_t)s.O);
}

static void pair_run_(Pair *p, int full)
{
    Net *nets[2] = {&p->a, &p->b};
    for (int k = 0; k < 2; k++) {
        net_prepare(nets[k]);
        net_forward(nets[k]);
        net_loss(nets[k], p->task, p->target_real, p->target_class);
        net_backward(nets[k], full);
    }
}

static void pair_free_(Pair *p)
{
    net_free(&p->a);
    net_free(&p->b);
    free(p->target_real);
    free(p->target_class);
}

static const GfCell cells[] = {GF_CELL_RNN, GF_CELL_LSTM, GF_CELL_GRU};
/* H: single columns only, a 4-group and a single, one panel and a single, two whole panels */
static const int hiddens[] = {3, 5, 33, 64};

#define SAME_(what, x, y, n)                                                                        \
    ck_assert_msg(memcmp((x), (y), sizeof(double) * (n)) == 0, "%s H=%d %s: panels differ from the float64 copies", \
                  gf_cell_name(c), H, what)

START_TEST(bitwise_at_scale_one)
{
    if (!kern_f32_supported()) return; /* no panels on this processor: nothing to compare */
    for (int ci = 0; ci < 3; ci++)
        for (int hi = 0; hi < 4; hi++) {
            const GfCell c = cells[ci];
            const int H = hiddens[hi], L = 2, T = 13;
            Pair p;
            pair_make_(&p, c, hi % 2 ? GF_TASK_RECALL : GF_TASK_ADDING, L, H, T, 1.0);
            pair_run_(&p, 1);
            for (int l = 0; l < L; l++) {
                ck_assert_msg(p.a.whF[l] && p.a.whB[l], "%s H=%d: layer %d has no panels", gf_cell_name(c), H, l);
                ck_assert(p.b.whF[l] == NULL && p.b.whB[l] == NULL);
            }
            const size_t st = (size_t)L * 2 * T * H;
            SAME_("h", p.a.h, p.b.h, st);
            SAME_("grad_h", p.a.grad_h, p.b.grad_h, st);
            if (c == GF_CELL_LSTM) SAME_("grad_c", p.a.grad_c, p.b.grad_c, st);
            SAME_("parameter gradients", p.a.grads, p.b.grads, p.a.n_params);
            SAME_("grad_x", p.a.grad_x, p.b.grad_x, (size_t)2 * T * p.a.s.I);
            ck_assert(p.a.loss == p.b.loss);
            pair_free_(&p);
        }
}
END_TEST

START_TEST(close_at_other_scales)
{
    if (!kern_f32_supported()) return;
    static const double scales[] = {0.7, 1.9, 0.05};
    for (int ci = 0; ci < 3; ci++)
        for (int hi = 0; hi < 4; hi++)
            for (int si = 0; si < 3; si++) {
                const GfCell c = cells[ci];
                const int H = hiddens[hi], L = 2, T = 40;
                Pair p;
                pair_make_(&p, c, GF_TASK_ADDING, L, H, T, scales[si]);
                pair_run_(&p, 0);
                ck_assert(p.a.whF[0] && p.a.panel_scale == scales[si]);
                double worst = 0.0;
                for (size_t i = 0; i < (size_t)L * 2 * T; i++) { /* every (layer, sequence, step) */
                    const double *x = p.a.grad_h + i * H, *y = p.b.grad_h + i * H;
                    double d = 0.0, n = 0.0;
                    for (int j = 0; j < H; j++) {
                        d = fmax(d, fabs(x[j] - y[j]));
                        n = fmax(n, fabs(y[j]));
                    }
                    ck_assert_msg(n > 0.0, "a zero gradient step proves nothing");
                    worst = fmax(worst, d / n);
                }
                ck_assert_msg(worst <= 1e-13, "%s H=%d scale %g: dL/dh_t off by %.3g of its size",
                              gf_cell_name(c), H, scales[si], worst);
                pair_free_(&p);
            }
}
END_TEST

START_TEST(panels_only_where_exact)
{
    if (!kern_f32_supported()) return;
    Pair p;
    pair_make_(&p, GF_CELL_LSTM, GF_TASK_ADDING, 3, 6, 4, 0.8);
    /* one entry of layer 1 off by one ulp: that layer falls back, the others keep their panels */
    p.a.w_hh[1][7] = nextafter(p.a.w_hh[1][7], 1.0);
    net_prepare(&p.a);
    ck_assert(p.a.whF[0] && p.a.whF[1] == NULL && p.a.whB[1] == NULL && p.a.whF[2]);
    p.a.w_hh[1][7] = NAN;
    net_prepare(&p.a);
    ck_assert(p.a.whF[1] == NULL);
    p.a.w_hh[1][7] = 1e300; /* beyond float32's range */
    net_prepare(&p.a);
    ck_assert(p.a.whF[1] == NULL);
    p.a.w_hh[1][7] = 0.8 * 0x1p-140; /* a float32 subnormal times the scale: exact, panels */
    net_prepare(&p.a);
    ck_assert(p.a.whF[1] != NULL);
    net_prepare(&p.b); /* f64_only */
    for (int l = 0; l < 3; l++) ck_assert(p.b.whF[l] == NULL && p.b.whB[l] == NULL);
    pair_free_(&p);

    /* orthogonal blocks are float64 numbers; identity blocks are float32 (0 and 1) */
    NetShape s = {GF_CELL_GRU, GF_NONLIN_TANH, 1, 16, 2, 1, 1, 3, 0, 0};
    Net n;
    ck_assert_int_eq(net_init(&n, &s, NULL), GF_OK);
    init_net(&n, GF_INIT_ORTHOGONAL, 3);
    net_prepare(&n);
    ck_assert(n.whF[0] == NULL);
    init_net(&n, GF_INIT_IDENTITY, 3);
    init_scale_recurrent(&n, 0.3);
    net_prepare(&n);
    ck_assert(n.whF[0] != NULL && n.panel_scale == 0.3);
    /* scale 0: zeros, read at scale 1 */
    init_net(&n, GF_INIT_PYTORCH, 3);
    init_scale_recurrent(&n, 0.0);
    net_prepare(&n);
    ck_assert(n.whF[0] != NULL && n.panel_scale == 1.0);
    net_free(&n);
}
END_TEST

/* Near the top of the double range the panels overflow exactly where the float64 path does:
 * weight_hh = 2 I read as 40 I at scale 0.05 (40 x h would overflow while 2 h does not), a relu
 * RNN whose state doubles every step until it is inf. */
START_TEST(no_early_overflow)
{
    if (!kern_f32_supported()) return;
    NetShape s = {GF_CELL_RNN, GF_NONLIN_RELU, 1, 3, 2, 1, 1, 1100, 0, 0};
    Net n[2];
    for (int k = 0; k < 2; k++) {
        ck_assert_int_eq(net_init(&n[k], &s, NULL), GF_OK);
        memset(n[k].params, 0, sizeof(double) * n[k].n_params);
        for (int j = 0; j < 3; j++) {
            n[k].w_hh[0][j * 3 + j] = 40.0f * 0.05; /* = 2, exactly 0.05 times the float32 40 */
            n[k].b_ih[0][j] = 1.0;
        }
        n[k].w_hh_scale = 0.05;
        n[k].f64_only = k;
        net_prepare(&n[k]);
        net_forward(&n[k]);
    }
    ck_assert(n[0].whF[0] != NULL && n[0].panel_scale == 0.05 && n[1].whF[0] == NULL);
    int finite_steps = 0;
    for (int t = 0; t < s.T; t++) {
        const double a = n[0].h[t * 3], b = n[1].h[t * 3];
        ck_assert_msg(isfinite(a) == isfinite(b), "t=%d: panels %g, float64 path %g", t, a, b);
        if (isfinite(b)) {
            finite_steps++;
            ck_assert_msg(fabs(a - b) <= 1e-12 * b, "t=%d: %.17g vs %.17g", t, a, b);
        }
    }
    ck_assert_int_gt(finite_steps, 1000); /* it did run up to the edge */
    ck_assert_int_lt(finite_steps, 1100);
    net_free(&n[0]);
    net_free(&n[1]);
}
END_TEST

/* A factor far from 1 (a run file may name any) keeps the float64 path: panels only for
 * factors within [1/256, 256]. */
START_TEST(factor_in_range_only)
{
    if (!kern_f32_supported()) return;
    static const double factors[] = {0x1p-100, 1.0 / 300, 1.0 / 256, 0.5, 3.0, 256.0, 300.0, 0x1p100};
    static const int want[] = {0, 0, 1, 1, 1, 1, 0, 0};
    NetShape s = {GF_CELL_GRU, GF_NONLIN_TANH, 1, 5, 2, 1, 1, 3, 0, 0};
    Net n;
    ck_assert_int_eq(net_init(&n, &s, NULL), GF_OK);
    for (int i = 0; i < 8; i++) {
        init_net(&n, GF_INIT_PYTORCH, 2);
        for (size_t k = 0; k < (size_t)3 * 5 * 5; k++) n.w_hh[0][k] *= 0.5; /* stays float32 */
        init_scale_recurrent(&n, factors[i]);
        net_prepare(&n);
        ck_assert_msg((n.whF[0] != NULL) == want[i], "factor %g: panels %s", factors[i], n.whF[0] ? "used" : "not used");
    }
    net_free(&n);
}
END_TEST

START_TEST(pytorch_init_is_float32)
{
    NetShape s = {GF_CELL_LSTM, GF_NONLIN_TANH, 2, 10, 2, 1, 1, 2, 0, 0};
    Net n;
    ck_assert_int_eq(net_init(&n, &s, NULL), GF_OK);
    init_net(&n, GF_INIT_PYTORCH, 12);
    const double k = 1.0 / sqrt(10.0);
    double largest = 0.0;
    for (size_t i = 0; i < n.n_params; i++) {
        double w = n.params[i];
        ck_assert_msg((double)(float)w == w, "parameter %zu = %.17g is not a float32 number", i, w);
        ck_assert_msg(fabs(w) <= k, "parameter %zu = %.17g outside [-%g, %g]", i, w, k, k);
        largest = fmax(largest, fabs(w));
    }
    ck_assert_double_gt(largest, 0.95 * k); /* the draws do fill the range */
    net_free(&n);
}
END_TEST

START_TEST(profile_backward_is_the_full_one)
{
    for (int ci = 0; ci < 3; ci++)
        for (int L = 1; L <= 2; L++) {
            const GfCell c = cells[ci];
            const int H = 9, T = 11;
            Pair p;
            pair_make_(&p, c, GF_TASK_RECALL, L, H, T, 1.3);
            pair_run_(&p, 1);
            const size_t st = (size_t)L * 2 * T * H;
            double *gh = malloc(sizeof(double) * st), *gc = malloc(sizeof(double) * st);
            memcpy(gh, p.a.grad_h, sizeof(double) * st);
            if (c == GF_CELL_LSTM) memcpy(gc, p.a.grad_c, sizeof(double) * st);
            memset(p.a.grad_h, 0, sizeof(double) * st);
            net_backward(&p.a, 0);
            SAME_("grad_h (profile)", p.a.grad_h, gh, st);
            if (c == GF_CELL_LSTM) SAME_("grad_c (profile)", p.a.grad_c, gc, st);
            free(gh);
            free(gc);
            pair_free_(&p);
        }
}
END_TEST

static Suite *suite_(void)
{
    Suite *s = suite_create("panels");
    TCase *tc = tcase_create("panels");
    tcase_add_test(tc, bitwise_at_scale_one);
    tcase_add_test(tc, close_at_other_scales);
    tcase_add_test(tc, panels_only_where_exact);
    tcase_add_test(tc, no_early_overflow);
    tcase_add_test(tc, factor_in_range_only);
    tcase_add_test(tc, pytorch_init_is_float32);
    tcase_add_test(tc, profile_backward_is_the_full_one);
    suite_add_tcase(s, tc);
    return s;
}

GF_CHECK_MAIN(suite_)
