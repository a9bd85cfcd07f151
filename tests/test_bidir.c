/* test_bidir.c - bidirectional networks (PyTorch's bidirectional=True) against PyTorch and against
 * finite differences.
 *
 * Each fixture in tests/fixtures/torch_bidir_*.safetensors was written by
 * tests/gen_bidir_fixtures.py from nn.RNN / nn.LSTM / nn.GRU(bidirectional=True) unrolled as
 * nn.*Cell loops (float64), retain_grad on every h_t and c_t. This suite loads the file through
 * weights_parse (the "_reverse" tensors by their names), runs the core, and requires, for every
 * layer, step and direction,
 *     max |gradflow - torch| over the (B, H) slice  <=  1e-10 * max(||torch slice||, DBL_MIN)
 * for h_t, c_t, dL/dh_t and dL/dc_t; the loss, every parameter gradient (the reverse ones and the
 * (O, 2H) head included) and dL/dx within 1e-10 of their norm; and PyTorch's h_n (c_n) at the
 * places the layout says: h_n[2l] the forward state at t = T-1, h_n[2l+1] the reverse one at t = 0.
 * Then central differences of the loss against every parameter gradient and dL/dx of small nets. */
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
#include "output.h"
#include "rng.h"
#include "sim.h"
#include "safetensors.h"
#include "testutil.h"
#include "weights.h"

#define TOL 1e-10

static const char *const fixtures[] = {
    "torch_bidir_rnn_adding_l1",  "torch_bidir_rnn_recall_l2", "torch_bidir_lstm_adding_l1",
    "torch_bidir_lstm_recall_l2", "torch_bidir_gru_adding_l1", "torch_bidir_gru_recall_l2",
    "torch_bidir_lstm_vanishing_l2", "torch_bidir_gru_wide_l2",
};
#define N_FIXTURES ((int)(sizeof fixtures / sizeof fixtures[0]))

/* A fixture's tensor as doubles (malloc'ed), its element count checked. */
static double *tensor_(const StFile *f, const char *fix, const char *name, size_t n)
{
    const StTensor *t = st_find(f, name);
    ck_assert_msg(t != NULL, "%s: no %s", fix, name);
    size_t numel = 1;
    for (int k = 0; k < t->ndim; k++) numel *= (size_t)t->shape[k];
    ck_assert_msg(numel == n, "%s: %s has %zu elements, expected %zu", fix, name, numel, n);
    double *v = malloc((n ? n : 1) * sizeof *v);
    ck_assert_ptr_nonnull(v);
    GfError err = {0};
    ck_assert_msg(st_to_f64(t, v, &err) == GF_OK, "%s: %s", fix, err.msg);
    return v;
}

/* Norm scaled by the largest entry (no underflow), of n values at stride apart in rows of w. */
static double norm_(const double *v, size_t rows, size_t w, size_t stride)
{
    double m = 0.0, s = 0.0;
    for (size_t r = 0; r < rows; r++)
        for (size_t j = 0; j < w; j++) m = fmax(m, fabs(v[r * stride + j]));
    if (m == 0.0 || !isfinite(m)) return m;
    for (size_t r = 0; r < rows; r++)
        for (size_t j = 0; j < w; j++) s += (v[r * stride + j] / m) * (v[r * stride + j] / m);
    return m * sqrt(s);
}

/* Every (l, t, d) slice of an (L, B, T, 2H) tensor against the reference's. */
static void check_steps_(const char *fix, const char *what, const double *mine, const double *ref, const NetShape *s)
{
    const int L = s->L, B = s->B, T = s->T, H = s->H;
    for (int l = 0; l < L; l++)
        for (int t = 0; t < T; t++)
            for (int d = 0; d < 2; d++) {
                const size_t at = ((size_t)l * B * T + t) * 2 * H + (size_t)d * H, stride = (size_t)T * 2 * H;
                double nr = fmax(norm_(ref + at, B, H, stride), DBL_MIN), worst = 0.0;
                for (int b = 0; b < B; b++)
                    for (int j = 0; j < H; j++) {
                        double dv = fabs(mine[at + b * stride + j] - ref[at + b * stride + j]);
                        worst = dv > worst || isnan(dv) ? dv : worst;
                    }
                ck_assert_msg(worst <= TOL * nr, "%s: %s layer %d step %d %s: max diff %.3g, slice norm %.3g",
                              fix, what, l, t, d ? "reverse" : "forward", worst, nr);
            }
}

static void check_vector_(const char *fix, const char *what, const double *mine, const double *ref, size_t n)
{
    double nr = fmax(norm_(ref, 1, n, 0), DBL_MIN), worst = 0.0;
    for (size_t i = 0; i < n; i++) {
        double dv = fabs(mine[i] - ref[i]);
        worst = dv > worst || isnan(dv) ? dv : worst;
    }
    ck_assert_msg(worst <= TOL * nr, "%s: %s max diff %.3g, norm %.3g", fix, what, worst, nr);
}

static void run_fixture_(int i, int f64_only)
{
    const char *fix = fixtures[i];
    char file[256], name[64];
    snprintf(file, sizeof file, "%s.safetensors", fix);
    size_t len;
    uint8_t *buf = (uint8_t *)tu_read_file(tu_fixture_path(file), &len);
    ck_assert_msg(buf != NULL, "cannot read %s (run tests/gen_bidir_fixtures.py)", tu_fixture_path(file));
    GfWeights w;
    GfError err = {0};
    ck_assert_msg(weights_parse(&w, buf, len, &err) == GF_OK, "%s: %s", fix, err.msg);
    ck_assert_int_eq(w.D, 2);
    ck_assert(w.has_head);
    StFile f;
    ck_assert_int_eq(st_parse(&f, buf, len, &err), GF_OK);
    GfTask task;
    ck_assert_int_eq(gf_task_parse(st_meta(&f, "task"), &task), 0);
    const StTensor *tin = st_find(&f, "inputs");
    ck_assert(tin && tin->ndim == 3);
    NetShape s = {.cell = w.cell, .nonlin = GF_NONLIN_TANH, .L = w.L, .H = w.H, .I = w.I, .O = w.O,
                  .B = (int)tin->shape[0], .T = (int)tin->shape[1], .bidir = 1};
    const int L = s.L, B = s.B, T = s.T, H = s.H;
    Net net;
    ck_assert_int_eq(net_init(&net, &s, &err), GF_OK);
    net.f64_only = f64_only;
    init_from_weights(&net, &w, 0); /* the loader's path: every unit, the (O, 2H) head */
    ck_assert_int_eq(st_to_f64(tin, net.x, &err), GF_OK);
    double *t_real = NULL;
    int64_t *t_class = NULL;
    if (task == GF_TASK_ADDING) {
        t_real = tensor_(&f, fix, "targets", (size_t)B * s.O);
    } else {
        const StTensor *tt = st_find(&f, "targets");
        ck_assert(tt && tt->dtype == ST_I64 && tt->shape[0] == B);
        t_class = malloc((size_t)B * sizeof *t_class);
        ck_assert_ptr_nonnull(t_class);
        memcpy(t_class, tt->data, (size_t)B * sizeof *t_class); /* little-endian, as this machine */
    }
    net_prepare(&net);
    if (!f64_only && strstr(fix, "wide") && kern_f32_supported()) /* drawn in float32: panels in use */
        for (int u = 0; u < 2 * L; u++)
            ck_assert_msg(net.whF[u] && net.whB[u] && (u < 2 || (net.wiF[u] && net.wiB[u])),
                          "%s: unit %d does not read its float32 panels", fix, u);
    net_forward(&net);
    double loss = net_loss(&net, task, t_real, t_class);
    net_backward(&net, 1);

    double *ref_loss = tensor_(&f, fix, "loss", 1);
    ck_assert_msg(tu_rel_diff(loss, ref_loss[0], 1e-300) <= TOL, "%s: loss %.17g, torch %.17g", fix, loss, ref_loss[0]);
    free(ref_loss);
    const size_t n_state = (size_t)L * B * T * 2 * H;
    static const char *const states[] = {"h", "grad_h", "c", "grad_c"};
    const double *mine[] = {net.h, net.grad_h, net.c, net.grad_c};
    for (int q = 0; q < (s.cell == GF_CELL_LSTM ? 4 : 2); q++) {
        double *ref = tensor_(&f, fix, states[q], n_state);
        check_steps_(fix, states[q], mine[q], ref, &s);
        free(ref);
    }
    /* h_n (2L, B, H): layer l's forward state at t = T-1, then its reverse state at t = 0 */
    for (int q = 0; q < (s.cell == GF_CELL_LSTM ? 2 : 1); q++) {
        double *hn = tensor_(&f, fix, q ? "c_n" : "h_n", (size_t)2 * L * B * H);
        const double *st = q ? net.c : net.h;
        for (int l = 0; l < L; l++)
            for (int b = 0; b < B; b++)
                for (int j = 0; j < H; j++) {
                    double fw = net_at(&net, st, l, b, T - 1)[j], rv = net_at(&net, st, l, b, 0)[H + j];
                    ck_assert_msg(fabs(fw - hn[((size_t)(2 * l) * B + b) * H + j]) <= 1e-12, "%s: h_n[%d]", fix, 2 * l);
                    ck_assert_msg(fabs(rv - hn[((size_t)(2 * l + 1) * B + b) * H + j]) <= 1e-12, "%s: h_n[%d]", fix, 2 * l + 1);
                }
        free(hn);
    }
    /* every parameter's gradient by its PyTorch name */
    const size_t GH = (size_t)w.G * H;
    for (int u = 0; u < 2 * L; u++) {
        const char *sfx = u % 2 ? "_reverse" : "";
        const int l = u / 2;
        const size_t in = (size_t)net_layer_inputs(&net, l);
        const struct { const char *base; const double *g; size_t n; } p[4] = {
            {"weight_ih", net.g_w_ih[u], GH * in}, {"weight_hh", net.g_w_hh[u], GH * H},
            {"bias_ih", net.g_b_ih[u], GH}, {"bias_hh", net.g_b_hh[u], GH}};
        for (int k = 0; k < 4; k++) {
            snprintf(name, sizeof name, "grad.%s_l%d%s", p[k].base, l, sfx);
            double *ref = tensor_(&f, fix, name, p[k].n);
            check_vector_(fix, name, p[k].g, ref, p[k].n);
            free(ref);
        }
    }
    double *ref = tensor_(&f, fix, "grad.head.weight", (size_t)s.O * 2 * H);
    check_vector_(fix, "grad.head.weight", net.g_head_w, ref, (size_t)s.O * 2 * H);
    free(ref);
    ref = tensor_(&f, fix, "grad.head.bias", (size_t)s.O);
    check_vector_(fix, "grad.head.bias", net.g_head_b, ref, (size_t)s.O);
    free(ref);
    ref = tensor_(&f, fix, "grad.inputs", (size_t)B * T * s.I);
    check_vector_(fix, "grad.inputs", net.grad_x, ref, (size_t)B * T * s.I);
    free(ref);
    /* the profile-only backward gives the same per-step gradients */
    double *gh = malloc(n_state * sizeof *gh);
    ck_assert_ptr_nonnull(gh);
    memcpy(gh, net.grad_h, n_state * sizeof *gh);
    net_backward(&net, 0);
    ck_assert_int_eq(memcmp(gh, net.grad_h, n_state * sizeof *gh), 0);
    free(gh);
    free(t_real);
    free(t_class);
    net_free(&net);
    st_free(&f);
    weights_free(&w);
    free(buf);
}

START_TEST(agrees_with_pytorch) { run_fixture_(_i, 1); }
END_TEST

START_TEST(agrees_with_pytorch_fast_paths) { run_fixture_(_i, 0); }
END_TEST

/* ---- finite differences -------------------------------------------------------------------- */

static double loss_of_(Net *net, GfTask task, const double *tr, const int64_t *tc)
{
    net_prepare(net);
    net_forward(net);
    return net_loss(net, task, tr, tc);
}

START_TEST(parameter_gradients_match_finite_differences)
{
    const GfCell cell = (GfCell)(_i % 3);
    const int L = 1 + _i / 3;
    const GfTask task = GF_TASK_ADDING;
    NetShape s = {.cell = cell, .nonlin = GF_NONLIN_TANH, .L = L, .H = 3, .I = 2, .O = 1, .B = 2, .T = 6, .bidir = 1};
    Net net;
    ck_assert_int_eq(net_init(&net, &s, NULL), GF_OK);
    net.f64_only = 1;
    init_net(&net, GF_INIT_PYTORCH, 5 + (uint64_t)_i);
    Rng r;
    rng_seed(&r, 99 + (uint64_t)_i);
    for (int i = 0; i < s.B * s.T * s.I; i++) net.x[i] = rng_uniform_range(&r, -1, 1);
    double target[2] = {0.3, -0.7};
    loss_of_(&net, task, target, NULL);
    net_backward(&net, 1);
    double *g = malloc(net.n_params * sizeof *g), *gx = malloc((size_t)s.B * s.T * s.I * sizeof *gx);
    ck_assert(g && gx);
    memcpy(g, net.grads, net.n_params * sizeof *g);
    memcpy(gx, net.grad_x, (size_t)s.B * s.T * s.I * sizeof *gx);
    const double eps = 1e-6;
    double worst = 0;
    for (size_t k = 0; k < net.n_params; k++) {
        const double p0 = net.params[k];
        net.params[k] = p0 + eps;
        double lp = loss_of_(&net, task, target, NULL);
        net.params[k] = p0 - eps;
        double lm = loss_of_(&net, task, target, NULL);
        net.params[k] = p0;
        double fd = (lp - lm) / (2 * eps), dv = fabs(fd - g[k]) / fmax(fabs(g[k]), 1e-3);
        worst = fmax(worst, dv);
        ck_assert_msg(dv < 1e-6, "%s L=%d parameter %zu: analytic %.10g, finite differences %.10g",
                      gf_cell_name(cell), L, k, g[k], fd);
    }
    for (int i = 0; i < s.B * s.T * s.I; i++) {
        const double x0 = net.x[i];
        net.x[i] = x0 + eps;
        double lp = loss_of_(&net, task, target, NULL);
        net.x[i] = x0 - eps;
        double lm = loss_of_(&net, task, target, NULL);
        net.x[i] = x0;
        double fd = (lp - lm) / (2 * eps);
        ck_assert_msg(fabs(fd - gx[i]) / fmax(fabs(gx[i]), 1e-3) < 1e-6, "%s L=%d dL/dx[%d]: analytic %.10g, fd %.10g",
                      gf_cell_name(cell), L, i, gx[i], fd);
    }
    free(g);
    free(gx);
    net_free(&net);
}
END_TEST

/* A bidirectional run file: PyTorch's _reverse names and shapes, loadable again as --weights
 * (the same tensors), states (L, B, T, 2H); the CSV with the reverse direction's norms at the end. */
START_TEST(run_file_and_csv)
{
    SimConfig cfg;
    sim_config_default(&cfg);
    cfg.cells = 1u << GF_CELL_LSTM, cfg.seq_len = 9, cfg.hidden = 3, cfg.layers = 2, cfg.batch = 2;
    cfg.bidirectional = 1, cfg.want_param_grads = 1;
    Sim sim;
    sim_init(&sim);
    GfError err = {0};
    ck_assert_msg(sim_run(&sim, &cfg, &err) == GF_OK, "%s", err.msg);
    const CellResult *r = &sim.result[GF_CELL_LSTM];
    uint8_t *bytes = NULL;
    size_t len = 0;
    ck_assert_int_eq(output_run_file(&sim, GF_CELL_LSTM, NULL, &bytes, &len, &err), GF_OK);
    GfWeights w;
    ck_assert_msg(weights_parse(&w, bytes, len, &err) == GF_OK, "%s", err.msg);
    ck_assert_int_eq(w.D, 2);
    ck_assert_int_eq(w.L, 2);
    ck_assert_int_eq(memcmp(w.w_ih[3], r->params.weight_ih_reverse[1], sizeof(double) * 12 * 6), 0); /* (4H, 2H) */
    ck_assert_int_eq(memcmp(w.w_hh[1], r->params.weight_hh_reverse[0], sizeof(double) * 12 * 3), 0);
    ck_assert_int_eq(memcmp(w.head_w, r->params.head_weight, sizeof(double) * 6), 0);
    StFile f;
    ck_assert_int_eq(st_parse(&f, bytes, len, &err), GF_OK);
    const StTensor *t = st_find(&f, "grad_h");
    ck_assert(t && t->ndim == 4 && t->shape[3] == 6);
    ck_assert_ptr_nonnull(st_find(&f, "grad.weight_hh_l1_reverse"));
    ck_assert_str_eq(st_meta(&f, "bidirectional"), "1");
    st_free(&f);
    weights_free(&w);
    free(bytes);
    char *text = NULL;
    ck_assert_int_eq(output_csv(&sim, &text, &len, &err), GF_OK);
    ck_assert_ptr_nonnull(strstr(text, "cell,layer,t,grad_h_norm,grad_c_norm,factor,factor_max,grad_x_norm,"
                                       "informative,grad_h_norm_reverse,grad_c_norm_reverse\n"));
    /* layer 1, t = 0: the forward norms first, the reverse ones last, as the result holds them
       (no per-step factors for a bidirectional run; dL/dx only on layer 0's rows) */
    ck_assert_ptr_null(r->factor);
    char row[256];
    snprintf(row, sizeof row, "\nlstm,1,0,%.17g,%.17g,,,,", r->grad_h_norm[9], r->grad_c_norm[9]);
    const char *at = strstr(text, row);
    ck_assert_msg(at != NULL, "no row %s", row);
    char tail[128];
    snprintf(tail, sizeof tail, ",%.17g,%.17g\n", r->grad_h_norm_reverse[9], r->grad_c_norm_reverse[9]);
    const char *end = strchr(at + 1, '\n');
    ck_assert_ptr_nonnull(end);
    ck_assert_msg((size_t)(end + 1 - at) > strlen(tail) && strncmp(end + 1 - strlen(tail), tail, strlen(tail)) == 0,
                  "row %.*s does not end with %s", (int)(end - at), at, tail);
    free(text);
    sim_free(&sim);
}
END_TEST

static Suite *suite_(void)
{
    Suite *s = suite_create("bidir");
    TCase *t = tcase_create("pytorch");
    tcase_set_timeout(t, 120);
    tcase_add_loop_test(t, agrees_with_pytorch, 0, N_FIXTURES);
    tcase_add_loop_test(t, agrees_with_pytorch_fast_paths, 0, N_FIXTURES);
    suite_add_tcase(s, t);
    t = tcase_create("finite_differences");
    tcase_set_timeout(t, 120);
    tcase_add_loop_test(t, parameter_gradients_match_finite_differences, 0, 6);
    suite_add_tcase(s, t);
    t = tcase_create("files");
    tcase_add_test(t, run_file_and_csv);
    suite_add_tcase(s, t);
    return s;
}

GF_CHECK_MAIN(suite_)
