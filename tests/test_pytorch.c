/* test_pytorch.c - gradflow's forward pass and backpropagation through time against PyTorch.
 *
 * Each fixture in tests/fixtures/torch_*.safetensors was written by tests/gen_fixtures.py from an
 * unrolled nn.RNNCell / LSTMCell / GRUCell loop (float64) with retain_grad on every h_t and c_t.
 * This suite loads its parameters through weights_parse, runs the core on its inputs and targets,
 * and requires, at every layer l and step t,
 *     max |gradflow - torch| over the (B, H) slice  <=  1e-10 * max(||torch slice||, DBL_MIN)
 * for dL/dh_t, dL/dc_t, h_t and c_t (so a step whose gradient is 1e-200 is held to 1e-210; below
 * DBL_MIN = 2.2e-308 doubles are subnormal and no program can keep 1e-10 relative there), the
 * loss within 1e-10 relative, and every parameter gradient and dL/dx within 1e-10 of its norm.
 * A failure names the fixture, the quantity, the layer, the step and both values. Two fixtures
 * draw their weights in float32 (as a float32 module made float64 holds them), so weight_hh is
 * read from float32 panels there; the rest go through the float64 copies. Two GRU fixtures
 * hold the parameters before an update-gate bias B that PyTorch's reference applied (bias_ih's z
 * chunk = B, bias_hh's = 0): the suite sets it with init_update_bias, as --update-bias does. */
#include <check.h>
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "init.h"
#include "kernels.h"
#include "net.h"
#include "safetensors.h"
#include "testutil.h"
#include "weights.h"

#define TOL 1e-10

static const char *const fixtures[] = {
    "torch_rnn_tanh_adding_l1",     "torch_rnn_relu_recall_l2",  "torch_rnn_tanh_recall_l3",
    "torch_lstm_adding_l1",         "torch_lstm_recall_l2",      "torch_lstm_adding_l3",
    "torch_gru_adding_l1",          "torch_gru_recall_l2",       "torch_gru_adding_l3",
    "torch_rnn_tanh_deep_vanishing", "torch_lstm_deep_vanishing", "torch_gru_deep_vanishing",
    "torch_rnn_relu_exploding",     "torch_rnn_tanh_exploding",
    "torch_gru_f32_scaled",         "torch_lstm_f32_recall_l2",
    "torch_gru_update_bias_l2",     "torch_gru_update_bias_negative",
};
#define N_FIXTURES ((int)(sizeof fixtures / sizeof fixtures[0]))

/* ---------------------------------------------------------------------------------------------
 * comparison
 * ------------------------------------------------------------------------------------------- */

/* Euclidean norm of n values, scaled by the largest magnitude so that 1e-250 entries do not
 * underflow to a zero norm. */
static double scaled_norm(const double *v, size_t n)
{
    double m = 0.0;
    for (size_t i = 0; i < n; i++) m = fmax(m, fabs(v[i]));
    if (m == 0.0 || !isfinite(m)) return m;
    double s = 0.0;
    for (size_t i = 0; i < n; i++) {
        double r = v[i] / m;
        s += r * r;
    }
    return m * sqrt(s);
}

/* The worst (l, t) slice of a per-step quantity. */
typedef struct StepDev {
    double ratio;      /* max |mine - ref| / max(||ref slice||, DBL_MIN); inf for a NaN */
    int layer, t;      /* where */
    double mine, ref;  /* the element of largest difference in that slice */
    double norm;       /* ||ref slice|| */
    int n_bad;         /* slices over the tolerance */
} StepDev;

/* ||ref[l, :, t, :]|| of an (L, B, T, H) array, scaled like scaled_norm. */
static double slice_norm(const double *ref, int l, int t, int B, int T, int H)
{
    double m = 0.0, s = 0.0;
    for (int b = 0; b < B; b++)
        for (int j = 0; j < H; j++)
            m = fmax(m, fabs(ref[(((size_t)l * B + b) * T + t) * H + j]));
    if (m == 0.0 || !isfinite(m)) return m;
    for (int b = 0; b < B; b++) {
        for (int j = 0; j < H; j++) {
            double r = ref[(((size_t)l * B + b) * T + t) * H + j] / m;
            s += r * r;
        }
    }
    return m * sqrt(s);
}

/* mine and ref are (L, B, T, H); the slice of (l, t) is the (B, H) block. */
static StepDev compare_steps(const double *mine, const double *ref, int L, int B, int T, int H,
                             double tol)
{
    StepDev w = {.ratio = -1.0};
    for (int l = 0; l < L; l++) {
        for (int t = 0; t < T; t++) {
            double dmax = 0.0, m_at = 0.0, r_at = 0.0;
            for (int b = 0; b < B; b++) {
                for (int j = 0; j < H; j++) {
                    size_t i = (((size_t)l * B + b) * T + t) * H + j;
                    double d = fabs(mine[i] - ref[i]);
                    if (!(d <= dmax)) { /* also takes a NaN */
                        dmax = d;
                        m_at = mine[i];
                        r_at = ref[i];
                    }
                }
            }
            double norm = slice_norm(ref, l, t, B, T, H);
            double ratio;
            if (dmax == 0.0) ratio = 0.0;
            else if (!(dmax == dmax)) ratio = INFINITY;
            else ratio = dmax / fmax(norm, DBL_MIN);
            if (ratio > tol) w.n_bad++;
            if (ratio > w.ratio) {
                w.ratio = ratio;
                w.layer = l;
                w.t = t;
                w.mine = m_at;
                w.ref = r_at;
                w.norm = norm;
            }
        }
    }
    if (w.ratio < 0.0) w.ratio = 0.0;
    return w;
}

/* max |mine - ref| / ||ref|| over n values (0 when equal, inf when ref is 0 and mine is not). */
static double compare_whole(const double *mine, const double *ref, size_t n, size_t *at)
{
    double dmax = 0.0;
    *at = 0;
    for (size_t i = 0; i < n; i++) {
        double d = fabs(mine[i] - ref[i]);
        if (!(d <= dmax)) {
            dmax = d;
            *at = i;
        }
    }
    if (dmax == 0.0) return 0.0;
    double norm = scaled_norm(ref, n);
    return norm > 0.0 && dmax == dmax ? dmax / norm : INFINITY;
}

/* ---------------------------------------------------------------------------------------------
 * one fixture
 * ------------------------------------------------------------------------------------------- */

/* A fixture's F64 tensor by name, converted to a fresh array; its shape must have ndim entries
 * equal to want (want may be NULL to skip the check). */
static double *fixture_tensor(const StFile *f, const char *fix, const char *name, int ndim,
                              const int64_t *want, size_t *numel)
{
    const StTensor *t = st_find(f, name);
    ck_assert_msg(t != NULL, "%s: the fixture has no tensor %s", fix, name);
    ck_assert_msg(t->ndim == ndim, "%s: %s has %d dimensions, expected %d", fix, name, t->ndim,
                  ndim);
    for (int d = 0; want && d < ndim; d++)
        ck_assert_msg(t->shape[d] == want[d], "%s: %s dimension %d is %lld, expected %lld", fix,
                      name, d, (long long)t->shape[d], (long long)want[d]);
    double *v = malloc((t->numel ? t->numel : 1) * sizeof *v);
    ck_assert_ptr_nonnull(v);
    GfError err = {0};
    ck_assert_msg(st_to_f64(t, v, &err) == GF_OK, "%s: %s", fix, err.msg);
    if (numel) *numel = t->numel;
    return v;
}

static void check_steps(const char *fix, const char *what, const double *mine, const StFile *f,
                        const NetShape *s)
{
    const int64_t shape[4] = {s->L, s->B, s->T, s->H};
    double *ref = fixture_tensor(f, fix, what, 4, shape, NULL);
    StepDev w = compare_steps(mine, ref, s->L, s->B, s->T, s->H, TOL);
    free(ref);
#ifdef PT_VERBOSE /* the margins, for a report: -DPT_VERBOSE */
    fprintf(stderr, "%-30s %-7s worst %.3g of the step norm (layer %d, t %d, norm %.3g)\n", fix,
            what, w.ratio, w.layer, w.t, w.norm);
#endif
    ck_assert_msg(w.n_bad == 0,
                  "%s: %s differs from PyTorch at %d of %d steps; worst at layer %d, step t=%d: "
                  "gradflow %.17g, torch %.17g, |diff| = %.3g times the step's norm %.6g "
                  "(tolerance %g)", fix, what, w.n_bad, s->L * s->T, w.layer, w.t, w.mine, w.ref,
                  w.ratio, w.norm, TOL);
}

static void check_whole(const char *fix, const char *what, const double *mine, const StFile *f,
                        size_t numel_want)
{
    size_t numel;
    double *ref = fixture_tensor(f, fix, what, st_find(f, what) ? st_find(f, what)->ndim : 0,
                                 NULL, &numel);
    ck_assert_msg(numel == numel_want, "%s: %s has %zu elements, gradflow %zu", fix, what, numel,
                  numel_want);
    size_t at;
    double ratio = compare_whole(mine, ref, numel, &at);
#ifdef PT_VERBOSE
    fprintf(stderr, "%-30s %-18s worst %.3g of the tensor norm\n", fix, what, ratio);
#endif
    ck_assert_msg(ratio <= TOL,
                  "%s: %s differs from PyTorch: element %zu gradflow %.17g, torch %.17g, |diff| = "
                  "%.3g times the tensor's norm (tolerance %g)", fix, what, at, mine[at], ref[at],
                  ratio, TOL);
    free(ref);
}

START_TEST(agrees_with_pytorch)
{
    const char *fix = fixtures[_i];
    char file[256];
    snprintf(file, sizeof file, "%s.safetensors", fix);
    size_t len;
    uint8_t *buf = (uint8_t *)tu_read_file(tu_fixture_path(file), &len);
    ck_assert_msg(buf != NULL, "cannot read %s (run tests/gen_fixtures.py)", tu_fixture_path(file));

    /* the parameters, through the loader users rely on */
    GfWeights w;
    GfError err = {0};
    ck_assert_msg(weights_parse(&w, buf, len, &err) == GF_OK, "%s: %s", fix, err.msg);
    ck_assert_msg(w.has_head, "%s: no head", fix);
    StFile f;
    ck_assert_msg(st_parse(&f, buf, len, &err) == GF_OK, "%s: %s", fix, err.msg);
    GfTask task;
    ck_assert_msg(gf_task_parse(st_meta(&f, "task"), &task) == 0, "%s: no task metadata", fix);
    const StTensor *tin = st_find(&f, "inputs");
    ck_assert_msg(tin && tin->ndim == 3, "%s: inputs must be (B, T, I)", fix);

    NetShape s = {
        .cell = w.cell,
        .nonlin = w.has_nonlin ? w.nonlin : GF_NONLIN_TANH,
        .L = w.L, .H = w.H, .I = w.I, .O = w.O,
        .B = (int)tin->shape[0], .T = (int)tin->shape[1],
    };
    ck_assert_int_eq(s.I, gf_task_inputs(task));
    ck_assert_int_eq(s.O, gf_task_outputs(task));
    ck_assert_int_eq(tin->shape[2], s.I);
    Net net = {0};
    ck_assert_msg(net_init(&net, &s, &err) == GF_OK, "%s: %s", fix, err.msg);

    /* parameters: PyTorch's layout is the core's */
    const size_t GH = (size_t)w.G * w.H;
    for (int k = 0; k < s.L; k++) {
        const size_t Ik = (size_t)net_layer_inputs(&net, k);
        memcpy(net.w_ih[k], w.w_ih[k], GH * Ik * sizeof(double));
        memcpy(net.w_hh[k], w.w_hh[k], GH * (size_t)s.H * sizeof(double));
        memcpy(net.b_ih[k], w.b_ih[k], GH * sizeof(double));
        memcpy(net.b_hh[k], w.b_hh[k], GH * sizeof(double));
    }
    memcpy(net.head_w, w.head_w, (size_t)s.O * s.H * sizeof(double));
    memcpy(net.head_b, w.head_b, (size_t)s.O * sizeof(double));
    ck_assert_int_eq(st_to_f64(tin, net.x, &err), GF_OK);
    const char *update_bias = st_meta(&f, "update_bias");
    if (update_bias) init_update_bias(&net, strtod(update_bias, NULL));

    /* targets: adding (B, O) F64; recall (B) I64 */
    double *t_real = NULL;
    int64_t *t_class = NULL;
    const StTensor *tt = st_find(&f, "targets");
    ck_assert_msg(tt != NULL, "%s: no targets", fix);
    if (task == GF_TASK_ADDING) {
        const int64_t want[2] = {s.B, s.O};
        t_real = fixture_tensor(&f, fix, "targets", 2, want, NULL);
    } else {
        ck_assert_msg(tt->dtype == ST_I64 && tt->ndim == 1 && tt->shape[0] == s.B,
                      "%s: recall targets must be I64 (B)", fix);
        t_class = malloc((size_t)s.B * sizeof *t_class);
        ck_assert_ptr_nonnull(t_class);
        for (int b = 0; b < s.B; b++) {
            uint64_t u = 0;
            for (int k = 7; k >= 0; k--) u = (u << 8) | tt->data[8 * b + k];
            t_class[b] = (int64_t)u;
        }
    }

    /* A weight_hh drawn in float32 (times the scale) is read from float32 panels: the fixture
       names the factor, the way a run file does, and the panels must be in use. */
    const char *f32_scale = st_meta(&f, "weight_hh_float32_scale");
    if (f32_scale) net.w_hh_scale = strtod(f32_scale, NULL);
    net_prepare(&net);
    if (f32_scale && kern_f32_supported())
        for (int k = 0; k < s.L; k++)
            ck_assert_msg(net.whF[k] && net.whB[k], "%s: layer %d does not use its float32 panels", fix, k);
    net_forward(&net);
    double loss = net_loss(&net, task, t_real, t_class);
    net_backward(&net, 1);

    /* loss */
    double *ref_loss = fixture_tensor(&f, fix, "loss", 0, NULL, NULL);
    ck_assert_msg(tu_rel_diff(loss, ref_loss[0], 1e-300) <= TOL,
                  "%s: loss gradflow %.17g, torch %.17g", fix, loss, ref_loss[0]);
    ck_assert_msg(net.loss == loss, "%s: net->loss %.17g but net_loss returned %.17g", fix,
                  net.loss, loss);
    free(ref_loss);

    /* per-step states and total derivatives */
    check_steps(fix, "h", net.h, &f, &s);
    check_steps(fix, "grad_h", net.grad_h, &f, &s);
    if (s.cell == GF_CELL_LSTM) {
        check_steps(fix, "c", net.c, &f, &s);
        check_steps(fix, "grad_c", net.grad_c, &f, &s);
    } else {
        ck_assert_msg(st_find(&f, "grad_c") == NULL, "%s: grad_c in a non-LSTM fixture", fix);
    }

    /* parameter gradients and dL/dx */
    char name[64];
    for (int k = 0; k < s.L; k++) {
        const size_t Ik = (size_t)net_layer_inputs(&net, k);
        snprintf(name, sizeof name, "grad.weight_ih_l%d", k);
        check_whole(fix, name, net.g_w_ih[k], &f, GH * Ik);
        snprintf(name, sizeof name, "grad.weight_hh_l%d", k);
        check_whole(fix, name, net.g_w_hh[k], &f, GH * (size_t)s.H);
        snprintf(name, sizeof name, "grad.bias_ih_l%d", k);
        check_whole(fix, name, net.g_b_ih[k], &f, GH);
        snprintf(name, sizeof name, "grad.bias_hh_l%d", k);
        check_whole(fix, name, net.g_b_hh[k], &f, GH);
    }
    check_whole(fix, "grad.head.weight", net.g_head_w, &f, (size_t)s.O * s.H);
    check_whole(fix, "grad.head.bias", net.g_head_b, &f, (size_t)s.O);
    check_whole(fix, "grad.inputs", net.grad_x, &f, (size_t)s.B * s.T * s.I);

    /* the profile-only backward (the window's case) gives the same per-step gradients */
    net_backward(&net, 0);
    check_steps(fix, "grad_h", net.grad_h, &f, &s);
    if (s.cell == GF_CELL_LSTM) check_steps(fix, "grad_c", net.grad_c, &f, &s);

    free(t_real);
    free(t_class);
    net_free(&net);
    st_free(&f);
    weights_free(&w);
    free(buf);
}
END_TEST

/* The fixtures reach the regimes they are meant for (so a regenerated set cannot silently lose
 * its deep vanishing or exploding case). */
START_TEST(fixtures_cover_the_regimes)
{
    double smallest = INFINITY, largest_growth = 0.0;
    for (int i = 0; i < N_FIXTURES; i++) {
        char file[256];
        snprintf(file, sizeof file, "%s.safetensors", fixtures[i]);
        size_t len;
        uint8_t *buf = (uint8_t *)tu_read_file(tu_fixture_path(file), &len);
        ck_assert_msg(buf != NULL, "cannot read %s", tu_fixture_path(file));
        StFile f;
        GfError err = {0};
        ck_assert_msg(st_parse(&f, buf, len, &err) == GF_OK, "%s: %s", fixtures[i], err.msg);
        const StTensor *g = st_find(&f, "grad_h");
        ck_assert_ptr_nonnull(g);
        size_t n;
        double *v = fixture_tensor(&f, fixtures[i], "grad_h", 4, NULL, &n);
        const int L = (int)g->shape[0], B = (int)g->shape[1], T = (int)g->shape[2],
                  H = (int)g->shape[3];
        for (int l = 0; l < L; l++) {
            double first = 0.0, last = 0.0;
            for (int t = 0; t < T; t++) {
                double norm = slice_norm(v, l, t, B, T, H);
                if (norm > 0.0) smallest = fmin(smallest, norm);
                if (t == 0) first = norm;
                if (t == T - 1) last = norm;
            }
            if (last > 0.0) largest_growth = fmax(largest_growth, first / last);
        }
        free(v);
        st_free(&f);
        free(buf);
    }
    ck_assert_msg(smallest < 1e-154, "no fixture goes below 1e-154 (smallest %g)", smallest);
    ck_assert_msg(largest_growth > 1e3, "no fixture explodes (largest ||g_0|| / ||g_T-1|| %g)",
                  largest_growth);
}
END_TEST

/* The comparison itself: a deviation of 1e-9 of a deep step's norm is caught even though it is
 * 1e-200 in absolute terms; one of 1e-12 passes. */
START_TEST(comparison_catches_small_deviations)
{
    enum { L = 2, B = 2, T = 3, H = 2 };
    double ref[L * B * T * H], mine[L * B * T * H];
    for (int i = 0; i < L * B * T * H; i++) ref[i] = mine[i] = (i % 5 + 1) * 1e-200;
    StepDev w = compare_steps(mine, ref, L, B, T, H, TOL);
    ck_assert_int_eq(w.n_bad, 0);
    ck_assert(w.ratio == 0.0);
    size_t at = (((size_t)1 * B + 1) * T + 2) * H + 1; /* layer 1, b 1, t 2, j 1 */
    mine[at] = ref[at] * (1 + 1e-12);
    w = compare_steps(mine, ref, L, B, T, H, TOL);
    ck_assert_int_eq(w.n_bad, 0);
    mine[at] = ref[at] * (1 + 1e-8);
    w = compare_steps(mine, ref, L, B, T, H, TOL);
    ck_assert_int_eq(w.n_bad, 1);
    ck_assert_int_eq(w.layer, 1);
    ck_assert_int_eq(w.t, 2);
    ck_assert(w.ref == ref[at] && w.mine == mine[at]);
    mine[at] = NAN;
    w = compare_steps(mine, ref, L, B, T, H, TOL);
    ck_assert_int_eq(w.n_bad, 1);
    mine[at] = ref[at];
    for (int b = 0; b < B; b++) /* an all-zero slice (layer 0, t 1) must be matched exactly */
        for (int j = 0; j < H; j++) ref[((size_t)b * T + 1) * H + j] = mine[((size_t)b * T + 1) * H + j] = 0.0;
    w = compare_steps(mine, ref, L, B, T, H, TOL);
    ck_assert_int_eq(w.n_bad, 0);
    mine[((size_t)1 * T + 1) * H] = 1e-300;
    w = compare_steps(mine, ref, L, B, T, H, TOL);
    ck_assert_int_eq(w.n_bad, 1);
    ck_assert(w.ratio > 1e7);
    /* subnormal steps: a difference of a few units of the last place passes, more does not */
    mine[((size_t)1 * T + 1) * H] = 0.0;
    ref[((size_t)1 * T + 1) * H] = 2e-322;
    mine[((size_t)1 * T + 1) * H] = 1.5e-322;
    w = compare_steps(mine, ref, L, B, T, H, TOL);
    ck_assert_int_eq(w.n_bad, 0);
    mine[((size_t)1 * T + 1) * H] = 1e-317;
    w = compare_steps(mine, ref, L, B, T, H, TOL);
    ck_assert_int_eq(w.n_bad, 1);
}
END_TEST

static Suite *pytorch_suite(void)
{
    Suite *s = suite_create("pytorch");
    TCase *tc = tcase_create("agreement");
    tcase_set_timeout(tc, 120);
    tcase_add_loop_test(tc, agrees_with_pytorch, 0, N_FIXTURES);
    tcase_add_test(tc, fixtures_cover_the_regimes);
    tcase_add_test(tc, comparison_catches_small_deviations);
    suite_add_tcase(s, tc);
    return s;
}

GF_CHECK_MAIN(pytorch_suite)
