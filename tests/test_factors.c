/* test_factors.c - the per-step factors, the theory lines, the saliency ||dL/dx_t|| and the task's
 * informative steps, each against a computation of its own: Jacobians by finite differences of the
 * reference cells (cells.c), their singular values by a dense symmetric eigen solve (Jacobi), the
 * spectral radius of a 2x2 weight in closed form, the loss's derivative in every input by central
 * differences, the marks against what the target is made of. */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cells.h"
#include "factors.h"
#include "net.h"
#include "sim.h"
#include "task.h"
#include "check_main.h"

#define EPS 1e-6

/* A small run of one cell whose weights, data and states the checks read. */
static void run_(Sim *sim, SimConfig *cfg, GfCell cell, GfTask task, int B, int T, int H, double scale)
{
    sim_init(sim);
    sim_config_default(cfg);
    cfg->cells = 1u << cell;
    cfg->task = task;
    cfg->batch = B;
    cfg->seq_len = T;
    cfg->hidden = H;
    cfg->weight_scale = scale;
    cfg->seed = 5;
    GfError err;
    ck_assert_int_eq(sim_run(sim, cfg, &err), GF_OK);
    ck_assert(sim->result[cell].factor && sim->result[cell].factor_max && sim->result[cell].grad_x_norm);
}

/* Largest eigenvalue of the symmetric n x n matrix a (destroyed), by cyclic Jacobi rotations. */
static double sym_eig_max_(double *a, int n)
{
    for (int sweep = 0; sweep < 100; sweep++) {
        double off = 0;
        for (int p = 0; p < n; p++)
            for (int q = p + 1; q < n; q++) off += a[p * n + q] * a[p * n + q];
        if (off < 1e-30) break;
        for (int p = 0; p < n; p++)
            for (int q = p + 1; q < n; q++) {
                if (fabs(a[p * n + q]) < 1e-300) continue;
                double th = (a[q * n + q] - a[p * n + p]) / (2 * a[p * n + q]);
                double t = (th >= 0 ? 1.0 : -1.0) / (fabs(th) + sqrt(th * th + 1));
                double c = 1 / sqrt(t * t + 1), s = t * c;
                for (int k = 0; k < n; k++) { /* columns p, q */
                    double akp = a[k * n + p], akq = a[k * n + q];
                    a[k * n + p] = c * akp - s * akq;
                    a[k * n + q] = s * akp + c * akq;
                }
                for (int k = 0; k < n; k++) { /* rows p, q */
                    double apk = a[p * n + k], aqk = a[q * n + k];
                    a[p * n + k] = c * apk - s * aqk;
                    a[q * n + k] = s * apk + c * aqk;
                }
            }
    }
    double m = a[0];
    for (int i = 1; i < n; i++) m = fmax(m, a[i * n + i]);
    return m;
}

/* The rnn's step Jacobian J[i][j] = dh_t[i] / dh_{t-1}[j] by central differences of the reference
 * forward step; J (H, H). */
static void rnn_jacobian_fd_(double *J, const CellResult *r, GfNonlin nl, int b, int t)
{
    const int H = r->H, I = r->I;
    double hp[16], hplus[16], hminus[16];
    const double *x = r->x + ((size_t)b * r->T + t) * I;
    for (int j = 0; j < H; j++) hp[j] = t > 0 ? cell_at(r, r->h, 0, b, t - 1)[j] : 0.0;
    for (int j = 0; j < H; j++) {
        double keep = hp[j];
        hp[j] = keep + EPS;
        rnn_step_forward(hplus, x, hp, r->params.weight_ih[0], r->params.bias_ih[0], r->params.weight_hh[0],
                         r->params.bias_hh[0], I, H, nl);
        hp[j] = keep - EPS;
        rnn_step_forward(hminus, x, hp, r->params.weight_ih[0], r->params.bias_ih[0], r->params.weight_hh[0],
                         r->params.bias_hh[0], I, H, nl);
        hp[j] = keep;
        for (int i = 0; i < H; i++) J[i * H + j] = (hplus[i] - hminus[i]) / (2 * EPS);
    }
}

/* rnn: the gain ||J^T g|| / ||g|| and the spectral norm ||J||_2 of every step, from Jacobians by
 * finite differences, against the core's. */
START_TEST(test_rnn_factors)
{
    static const GfNonlin nls[] = {GF_NONLIN_TANH, GF_NONLIN_RELU};
    for (int k = 0; k < 2; k++) {
        Sim sim;
        SimConfig cfg;
        const int B = 2, T = 7, H = 5;
        sim_init(&sim);
        sim_config_default(&cfg);
        cfg.cells = 1u << GF_CELL_RNN, cfg.batch = B, cfg.seq_len = T, cfg.hidden = H, cfg.seed = 5;
        cfg.weight_scale = 1.7, cfg.nonlinearity = nls[k];
        ck_assert_int_eq(sim_run(&sim, &cfg, NULL), GF_OK);
        const CellResult *r = &sim.result[GF_CELL_RNN];
        double J[25], JtJ[25], tight[7], tight_max[7], work[25 + 4 * 5];
        ck_assert_int_eq(factors_rnn_jacobian_norms(tight, tight_max, r->h, r->params.weight_hh[0], B, T, H, nls[k],
                                                    5000, 1e-15, work), GF_OK);
        for (int t = 0; t < T; t++) {
            double num = 0, den = 0, smax = 0;
            for (int b = 0; b < B; b++) {
                rnn_jacobian_fd_(J, r, nls[k], b, t);
                const double *g = cell_at(r, r->grad_h, 0, b, t);
                for (int j = 0; j < H; j++) { /* (J^T g)_j */
                    double s = 0;
                    for (int i = 0; i < H; i++) s += J[i * H + j] * g[i];
                    num += s * s;
                }
                for (int i = 0; i < H; i++) den += g[i] * g[i];
                for (int i = 0; i < H; i++)
                    for (int j = 0; j < H; j++) {
                        double s = 0;
                        for (int q = 0; q < H; q++) s += J[q * H + i] * J[q * H + j];
                        JtJ[i * H + j] = s;
                    }
                smax = fmax(smax, sqrt(fmax(sym_eig_max_(JtJ, H), 0)));
            }
            double gain = sqrt(num / den);
            ck_assert_msg(fabs(r->factor[t] - gain) <= 1e-7 * gain + 1e-9, "%s t=%d gain %.12g fd %.12g",
                          gf_nonlin_name(nls[k]), t, r->factor[t], gain);
            ck_assert_msg(fabs(tight_max[t] - smax) <= 1e-7 * smax + 1e-9, "t=%d ||J|| %.12g dense %.12g", t,
                          tight_max[t], smax);
            /* the window's few warm-started iterations: a lower estimate within 1% here */
            ck_assert_msg(r->factor_max[t] <= smax * (1 + 1e-7) + 1e-9 && r->factor_max[t] >= 0.99 * smax,
                          "t=%d sim's ||J|| %.12g dense %.12g", t, r->factor_max[t], smax);
        }
        sim_free(&sim);
    }
}
END_TEST

/* With an orthogonal W_hh scaled by s, ||diag(d) W_hh||_2 = s * max |d| exactly: the spectral norms
 * of a saturating run (units whose tanh' is 0 at one step and the largest at the next) against it. */
START_TEST(test_rnn_norm_orthogonal)
{
    Sim sim;
    SimConfig cfg;
    sim_init(&sim);
    sim_config_default(&cfg);
    const int H = 16, T = 120;
    cfg.cells = 1u << GF_CELL_RNN, cfg.hidden = H, cfg.seq_len = T, cfg.init = GF_INIT_ORTHOGONAL;
    cfg.weight_scale = 1.5;
    ck_assert_int_eq(sim_run(&sim, &cfg, NULL), GF_OK);
    const CellResult *r = &sim.result[GF_CELL_RNN];
    double tight[120], work[16 * 16 + 4 * 16], mean_err = 0;
    factors_rnn_jacobian_norms(tight, NULL, r->h, r->params.weight_hh[0], 1, T, H, GF_NONLIN_TANH, 5000, 1e-15, work);
    for (int t = 0; t < T; t++) {
        double md = 0;
        for (int i = 0; i < H; i++) md = fmax(md, 1 - cell_at(r, r->h, 0, 0, t)[i] * cell_at(r, r->h, 0, 0, t)[i]);
        double exact = 1.5 * md;
        ck_assert_msg(fabs(tight[t] - exact) <= 1e-3 * exact, "t=%d %.12g exact %.12g", t, tight[t], exact);
        ck_assert(r->factor_max[t] <= exact * (1 + 1e-12)); /* a lower estimate */
        mean_err += (exact - r->factor_max[t]) / exact / T;
    }
    ck_assert_msg(mean_err < 0.05, "the window's estimate is %.3g low on average", mean_err);
    sim_free(&sim);
}
END_TEST

/* lstm: dc_t/dc_{t-1} by finite differences of the reference step is diag(f_t); its mean and
 * largest entry over the batch and units are the core's factor and factor_max. gru: z_t of the
 * reference step. Also the forget-gate product line against its sum by hand. */
START_TEST(test_gate_factors)
{
    for (int cell = GF_CELL_LSTM; cell <= GF_CELL_GRU; cell++) {
        Sim sim;
        SimConfig cfg;
        const int B = 2, T = 6, H = 4;
        run_(&sim, &cfg, (GfCell)cell, GF_TASK_ADDING, B, T, H, 1.3);
        const CellResult *r = &sim.result[cell];
        const int I = r->I, G = r->G;
        const double *wi = r->params.weight_ih[0], *bi = r->params.bias_ih[0], *wh = r->params.weight_hh[0],
                     *bh = r->params.bias_hh[0];
        double mean_f[6];
        for (int t = 0; t < T; t++) {
            double sum = 0, mx = -1;
            for (int b = 0; b < B; b++) {
                const double *x = r->x + ((size_t)b * T + t) * I;
                double hp[4] = {0}, cp[4] = {0}, h[4], c[4], gates[16], hn[4];
                if (t > 0)
                    for (int j = 0; j < H; j++) {
                        hp[j] = cell_at(r, r->h, 0, b, t - 1)[j];
                        if (r->c) cp[j] = cell_at(r, r->c, 0, b, t - 1)[j];
                    }
                if (cell == GF_CELL_LSTM) {
                    for (int j = 0; j < H; j++) { /* column j of dc_t / dc_{t-1} */
                        double keep = cp[j], cplus[4], cminus[4];
                        cp[j] = keep + EPS;
                        lstm_step_forward(h, cplus, gates, x, hp, cp, wi, bi, wh, bh, I, H);
                        cp[j] = keep - EPS;
                        lstm_step_forward(h, cminus, gates, x, hp, cp, wi, bi, wh, bh, I, H);
                        cp[j] = keep;
                        for (int i = 0; i < H; i++) {
                            double d = (cplus[i] - cminus[i]) / (2 * EPS);
                            if (i != j) ck_assert(fabs(d) < 1e-9); /* the direct path is diagonal */
                            else sum += d, mx = fmax(mx, d);
                        }
                    }
                } else {
                    gru_step_forward(h, gates, hn, x, hp, wi, bi, wh, bh, I, H);
                    for (int i = 0; i < H; i++) sum += gates[H + i], mx = fmax(mx, gates[H + i]); /* z */
                }
                (void)c;
                (void)G;
            }
            mean_f[t] = sum / (B * H);
            double tol = cell == GF_CELL_LSTM ? 1e-8 : 1e-13;
            ck_assert_msg(fabs(r->factor[t] - mean_f[t]) <= tol, "%s t=%d mean %.15g ref %.15g", gf_cell_name((GfCell)cell),
                          t, r->factor[t], mean_f[t]);
            ck_assert_msg(fabs(r->factor_max[t] - mx) <= tol, "%s t=%d max %.15g ref %.15g", gf_cell_name((GfCell)cell), t,
                          r->factor_max[t], mx);
        }
        if (cell == GF_CELL_LSTM) { /* prod_{s>t} f_s times ||dL/dc_{T-1}||, in log10 */
            double line[6], g = r->grad_c_norm[T - 1];
            ck_assert_int_eq(factors_product_log10(line, g, r->factor, T), 0);
            for (int t = 0; t < T; t++) {
                double p = g;
                for (int s = t + 1; s < T; s++) p *= mean_f[s];
                ck_assert_msg(fabs(line[t] - log10(p)) < 1e-8, "t=%d line %.12g hand %.12g", t, line[t], log10(p));
            }
        }
        sim_free(&sim);
    }
}
END_TEST

/* The typical-rate line of an rnn whose weight_hh is given: rho from the 2x2 matrix's
 * characteristic polynomial, the mean tanh' from the states, against the core's line. */
START_TEST(test_rate_line)
{
    Sim sim;
    SimConfig cfg;
    sim_init(&sim);
    sim_config_default(&cfg);
    const int H = 2, T = 40;
    cfg.cells = 1u << GF_CELL_RNN, cfg.hidden = H, cfg.seq_len = T, cfg.batch = 3;
    size_t n = sim_param_count(&cfg, GF_CELL_RNN);
    double *block = calloc(n, sizeof *block);
    CellParams p;
    sim_cell_params(&cfg, GF_CELL_RNN, block, &p);
    double *w_ih = (double *)p.weight_ih[0], *w_hh = (double *)p.weight_hh[0], *hw = (double *)p.head_weight;
    const double W[4] = {0.9, 0.3, 0.1, 0.4}; /* eigenvalues (1.3 +- sqrt(0.37)) / 2 */
    memcpy(w_hh, W, sizeof W);
    w_ih[0] = 0.8, w_ih[1] = -0.5, w_ih[2] = 0.3, w_ih[3] = 0.9;
    hw[0] = 1.0, hw[1] = -0.7;
    cfg.params[GF_CELL_RNN] = block;
    ck_assert_int_eq(sim_run(&sim, &cfg, NULL), GF_OK);
    const CellResult *r = &sim.result[GF_CELL_RNN];
    double tr = W[0] + W[3], det = W[0] * W[3] - W[1] * W[2];
    double rho = (fabs(tr) + sqrt(tr * tr - 4 * det)) / 2; /* real eigenvalues here */
    double md = 0;
    for (int b = 0; b < 3; b++)
        for (int t = 0; t < T; t++)
            for (int i = 0; i < H; i++) {
                double h = cell_at(r, r->h, 0, b, t)[i];
                md += (1 - h * h) / (3.0 * T * H);
            }
    ck_assert_double_eq_tol(r->deriv_mean[0], md, 1e-14);
    double line[40], g = r->grad_h_norm[T - 1];
    ck_assert_int_eq(factors_rate_log10(line, g, r->spectral_radius[0][0] * r->deriv_mean[0], T), 0);
    for (int t = 0; t < T; t++) {
        double want = log10(g) + (T - 1 - t) * log10(rho * md);
        ck_assert_msg(fabs(line[t] - want) < 1e-8, "t=%d line %.12g closed form %.12g", t, line[t], want);
    }
    double bad[3];
    ck_assert_int_eq(factors_rate_log10(bad, 0.0, 0.5, 3), -1);
    ck_assert(isnan(bad[0]) && isnan(bad[2]));
    free(block);
    sim_free(&sim);
}
END_TEST

/* ||dL/dx_t|| against central differences of the loss in every input of step t, each cell and
 * task, from the profile-only backward the window runs. */
START_TEST(test_saliency)
{
    static const GfTask tasks[] = {GF_TASK_ADDING, GF_TASK_RECALL, GF_TASK_COPY};
    for (int cell = 0; cell < GF_NUM_CELLS; cell++)
        for (int k = 0; k < 3; k++) {
            Sim sim;
            SimConfig cfg;
            const int B = 2, H = 3, T = tasks[k] == GF_TASK_COPY ? 2 : 6;
            run_(&sim, &cfg, (GfCell)cell, tasks[k], B, T, H, 1.4);
            const CellResult *r = &sim.result[cell];
            NetShape s = {(GfCell)cell, cfg.nonlinearity, 1, H, r->I, r->O, B, r->T, gf_task_per_step(tasks[k]), 0};
            Net net;
            ck_assert_int_eq(net_init(&net, &s, NULL), GF_OK);
            memcpy(net.params, r->params.weight_ih[0], sizeof(double) * net.n_params); /* the block starts there */
            memcpy(net.x, r->x, sizeof(double) * (size_t)B * r->T * r->I);
            net_prepare(&net);
            for (int t = 0; t < r->T; t++) {
                double ss = 0;
                for (int b = 0; b < B; b++)
                    for (int i = 0; i < r->I; i++) {
                        double *p = net.x + ((size_t)b * r->T + t) * r->I + i, keep = *p;
                        *p = keep + EPS;
                        net_forward(&net);
                        double lp = net_loss(&net, tasks[k], sim.data.target_real, sim.data.target_class);
                        *p = keep - EPS;
                        net_forward(&net);
                        double lm = net_loss(&net, tasks[k], sim.data.target_real, sim.data.target_class);
                        *p = keep;
                        double d = (lp - lm) / (2 * EPS);
                        ss += d * d;
                    }
                double fd = sqrt(ss);
                ck_assert_msg(fabs(r->grad_x_norm[t] - fd) <= 1e-6 * fd + 1e-9, "%s %s t=%d ||dL/dx|| %.12g fd %.12g",
                              gf_cell_name((GfCell)cell), gf_task_name(tasks[k]), t, r->grad_x_norm[t], fd);
            }
            net_free(&net);
            sim_free(&sim);
        }
}
END_TEST

/* The informative steps: adding's two are where the marker is and their values make the target;
 * recall's is t = 0, the symbol the target names; copy's are the ten symbols repeated at the end. */
START_TEST(test_marks)
{
    TaskData d;
    memset(&d, 0, sizeof d);
    int m[GF_TASK_MARKS_MAX];
    ck_assert_int_eq(task_make(&d, GF_TASK_ADDING, 5, 50, 11, NULL), GF_OK);
    for (int b = 0; b < 5; b++) {
        ck_assert_int_eq(task_marks(&d, b, m, GF_TASK_MARKS_MAX), 2);
        ck_assert(m[0] < 25 && m[1] >= 25);
        const double *x = d.x + (size_t)b * 50 * 2;
        ck_assert_double_eq(x[m[0] * 2] + x[m[1] * 2], d.target_real[b]);
    }
    ck_assert_int_eq(task_marks(&d, 5, m, GF_TASK_MARKS_MAX), 0); /* no such sequence */
    ck_assert_int_eq(task_marks(&d, 0, m, 1), 2);                  /* counted past the room */
    ck_assert_int_eq(task_make(&d, GF_TASK_RECALL, 3, 20, 11, NULL), GF_OK);
    for (int b = 0; b < 3; b++) {
        ck_assert_int_eq(task_marks(&d, b, m, GF_TASK_MARKS_MAX), 1);
        ck_assert_double_eq(d.x[(size_t)b * 20 * d.I + m[0] * d.I + (int)d.target_class[b]], 1.0);
    }
    ck_assert_int_eq(task_make(&d, GF_TASK_COPY, 2, 7, 11, NULL), GF_OK);
    for (int b = 0; b < 2; b++) {
        int n = task_marks(&d, b, m, GF_TASK_MARKS_MAX);
        ck_assert_int_eq(n, GF_COPY_LEN);
        for (int k = 0; k < n; k++) { /* the symbol at the mark is the target GF_COPY_LEN from the end */
            int64_t want = d.target_class[(size_t)b * d.T + d.T - GF_COPY_LEN + k];
            ck_assert_double_eq(d.x[((size_t)b * d.T + m[k]) * d.I + want], 1.0);
        }
    }
    task_free(&d);
}
END_TEST

static Suite *suite_(void)
{
    Suite *s = suite_create("factors");
    TCase *tc = tcase_create("factors");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_rnn_factors);
    tcase_add_test(tc, test_rnn_norm_orthogonal);
    tcase_add_test(tc, test_gate_factors);
    tcase_add_test(tc, test_rate_line);
    tcase_add_test(tc, test_saliency);
    tcase_add_test(tc, test_marks);
    suite_add_tcase(s, tc);
    return s;
}

GF_CHECK_MAIN(suite_)
