/* test_ui_views_logic.c - what the views inside the cells compute, without drawing: the colour maps
 * and their inverse, the states copied out of a real run (against the core's tensors through
 * net_at), h_n[-1] = output[:, -1] and the head that reads it, PyTorch's shapes, the elided grid,
 * and the keys and command lines of the views. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cells.h"
#include "colormap.h"
#include "plotdata.h"
#include "settings.h"
#include "view_anatomy.h"
#include "view_states.h"
#include "check_main.h"

/* ---------------------------------------------------------------- colour maps ---------------- */

START_TEST(test_colormap_inverts)
{
    for (int k = 0; k < 3; k++) {
        Colormap cm;
        colormap_init(&cm, (CmapKind)k);
        /* every entry of the table reads back as its own position (entries are distinct) */
        for (int i = 0; i < CMAP_N; i++) {
            int d2 = -1;
            double u = colormap_invert(&cm, cm.lut[i], &d2);
            ck_assert_int_eq(d2, 0);
            ck_assert_msg(fabs(u - (double)i / (CMAP_N - 1)) < 1.5 / (CMAP_N - 1), "map %d entry %d reads as %g", k, i, u);
        }
        /* a value through a scale and back, within one entry */
        ColorScale sc = {(CmapKind)k, -2.5, 2.5};
        for (double v = -2.5; v <= 2.5; v += 0.37) {
            double back = colorscale_value(&sc, colormap_invert(&cm, colormap_at(&cm, colorscale_pos(&sc, v)), NULL));
            ck_assert_msg(fabs(back - v) <= 1.5 * colorscale_resolution(&sc), "%g reads back as %g", v, back);
        }
        ck_assert(isnan(colorscale_pos(&sc, NAN)));
        ck_assert(isnan(colorscale_pos(&sc, INFINITY)));
        ck_assert_double_eq(colorscale_pos(&sc, 99), 1);
        ck_assert_double_eq(colorscale_pos(&sc, -99), 0);
    }
}
END_TEST

START_TEST(test_colormap_perceptual)
{
    Colormap v, d;
    colormap_init(&v, CMAP_VIRIDIS);
    colormap_init(&d, CMAP_DIVERGING);
    /* viridis: its published ends, and lightness rising all the way (it reads in grey-scale) */
    ck_assert(v.lut[0].r == 0x44 && v.lut[0].g == 0x01 && v.lut[0].b == 0x54);
    ck_assert(v.lut[CMAP_N - 1].r == 0xFD && v.lut[CMAP_N - 1].g == 0xE7 && v.lut[CMAP_N - 1].b == 0x25);
    double prev = -1;
    for (int i = 0; i < CMAP_N; i++) {
        double lab[3];
        colormap_rgb_to_lab(v.lut[i], lab);
        ck_assert_msg(lab[0] > prev - 0.3, "viridis lightness falls at %d", i);
        prev = lab[0];
    }
    /* diverging: lightest at 0, darker the farther from it on either side, blue below, red above */
    double lab_mid[3], lab_lo[3], lab_hi[3];
    colormap_rgb_to_lab(colormap_at(&d, 0.5), lab_mid);
    colormap_rgb_to_lab(colormap_at(&d, 0.0), lab_lo);
    colormap_rgb_to_lab(colormap_at(&d, 1.0), lab_hi);
    ck_assert(lab_mid[0] > 90 && lab_lo[0] < 50 && lab_hi[0] < 50);
    for (int i = 1; i < CMAP_N / 2; i++) {
        double a[3], b[3];
        colormap_rgb_to_lab(d.lut[i - 1], a);
        colormap_rgb_to_lab(d.lut[i], b);
        ck_assert_msg(b[0] >= a[0] - 0.3, "the blue half darkens towards 0 at %d", i);
        colormap_rgb_to_lab(d.lut[CMAP_N - i], a);
        colormap_rgb_to_lab(d.lut[CMAP_N - 1 - i], b);
        ck_assert_msg(b[0] >= a[0] - 0.3, "the red half darkens towards 0 at %d", i);
    }
    ck_assert(d.lut[0].b > d.lut[0].r && d.lut[CMAP_N - 1].r > d.lut[CMAP_N - 1].b);
    /* its dark-theme twin: darkest at 0, brighter the farther from it, the same hues at the ends */
    Colormap dk;
    colormap_init(&dk, CMAP_DIVERGING_DARK);
    colormap_rgb_to_lab(colormap_at(&dk, 0.5), lab_mid);
    colormap_rgb_to_lab(colormap_at(&dk, 0.0), lab_lo);
    colormap_rgb_to_lab(colormap_at(&dk, 1.0), lab_hi);
    ck_assert(lab_mid[0] < 25 && lab_lo[0] > 60 && lab_hi[0] > 60);
    for (int i = 1; i < CMAP_N / 2; i++) {
        double a[3], b[3];
        colormap_rgb_to_lab(dk.lut[i - 1], a);
        colormap_rgb_to_lab(dk.lut[i], b);
        ck_assert_msg(b[0] <= a[0] + 0.3, "the dark map's blue half brightens towards 0 at %d", i);
    }
    ck_assert(dk.lut[0].b > dk.lut[0].r && dk.lut[CMAP_N - 1].r > dk.lut[CMAP_N - 1].b);
    /* Lab round trip of a few colours */
    UiColor cs[] = {{0, 0, 0, 255}, {255, 255, 255, 255}, {213, 94, 0, 255}, {0, 114, 178, 255}};
    for (size_t i = 0; i < sizeof cs / sizeof *cs; i++) {
        double lab[3];
        colormap_rgb_to_lab(cs[i], lab);
        UiColor back = colormap_lab_to_rgb(lab);
        ck_assert(back.r == cs[i].r && back.g == cs[i].g && back.b == cs[i].b);
    }
}
END_TEST

START_TEST(test_symmetric_range)
{
    ck_assert_double_eq(colorscale_symmetric_range(0.93), 1);
    ck_assert_double_eq(colorscale_symmetric_range(1.0), 1);
    ck_assert_double_eq(colorscale_symmetric_range(1.3), 2);
    ck_assert_double_eq(colorscale_symmetric_range(3.7), 5);
    ck_assert_double_eq(colorscale_symmetric_range(7), 10);
    ck_assert_double_eq_tol(colorscale_symmetric_range(0.042), 0.05, 1e-15);
    ck_assert_double_eq(colorscale_symmetric_range(0), 1);
    ck_assert_double_eq(colorscale_symmetric_range(NAN), 1);
}
END_TEST

/* ---------------------------------------------------------------- the states of a real run --- */

static int run_(Sim *sim, PlotData *pd, int T, int H, int L, int B)
{
    SimConfig c;
    sim_config_default(&c);
    c.seq_len = T;
    c.hidden = H;
    c.layers = L;
    c.batch = B;
    c.forget_bias = 1.0;
    c.want_spectra = 0;
    GfError err = {0};
    sim_init(sim);
    memset(pd, 0, sizeof *pd);
    int rc = sim_run(sim, &c, &err);
    ck_assert_msg(rc == 0, "%s", err.msg);
    return plotdata_copy_sim(pd, sim);
}

/* The value of map m at (layer l, unit u, step t) straight from the core's tensors. */
static double core_value_(const CellResult *net, GfCell cell, int m, int l, int u, int t)
{
    if (m == 0) return cell_at(net, net->h, l, 0, t)[u];
    if (cell == GF_CELL_LSTM && m == 1) return cell_at(net, net->c, l, 0, t)[u];
    int k = cell == GF_CELL_LSTM ? m - 2 : m - 1; /* gate block k (PyTorch's order) */
    return cell_gate_at(net, l, 0, t)[k * net->H + u];
}

START_TEST(test_states_are_the_cores)
{
    Sim sim;
    PlotData pd;
    ck_assert_int_eq(run_(&sim, &pd, 50, 8, 2, 3), 0);
    for (int c = 0; c < GF_NUM_CELLS; c++) {
        const PlotCell *pc = &pd.cell[c];
        const CellResult *net = &sim.result[c];
        ck_assert(pc->ran);
        ck_assert_ptr_nonnull(pc->st.maps);
        ck_assert_int_eq(pc->st.nmaps, c == GF_CELL_LSTM ? 6 : c == GF_CELL_GRU ? 4 : 1);
        ck_assert_int_eq(pc->st.rows, 8);
        ck_assert_int_eq(pc->st.cols, 50);
        ck_assert_int_eq(pc->st.steps_per_col, 1);
        ck_assert_int_eq(pc->st.unit_step, 1);
        /* one column per step, one row per unit: every heatmap cell is the core's number */
        for (int l = 0; l < 2; l++)
            for (int m = 0; m < pc->st.nmaps; m++) {
                const float *map = plotdata_map(pc, l, m);
                for (int u = 0; u < 8; u++)
                    for (int t = 0; t < 50; t++) {
                        double want = core_value_(net, (GfCell)c, m, l, u, t);
                        ck_assert_msg(fabs(map[u * 50 + t] - want) <= 1e-6 * fmax(1, fabs(want)),
                                      "cell %d layer %d map %d unit %d step %d: %g, core %g", c, l, m, u, t,
                                      (double)map[u * 50 + t], want);
                    }
            }
        ck_assert_ptr_null(plotdata_map(pc, 2, 0));
        ck_assert_ptr_null(plotdata_map(pc, 0, pc->st.nmaps));
        /* the mean forget (lstm) / update (gru) gate: gate block 1 averaged over the units */
        if (c == GF_CELL_RNN) {
            ck_assert_ptr_null(pc->st.gate_mean);
        } else {
            for (int l = 0; l < 2; l++)
                for (int t = 0; t < 50; t++) {
                    double s = 0;
                    for (int u = 0; u < 8; u++) s += cell_gate_at(net, l, 0, t)[8 + u];
                    ck_assert_double_eq_tol(pc->st.gate_mean[l * 50 + t], s / 8, 1e-15);
                }
        }
    }
    plotdata_free(&pd);
    sim_free(&sim);
}
END_TEST

START_TEST(test_states_downsampled)
{
    /* T = 4100 > 2000 columns: 3 steps a column (the last holds 2); H = 200 > 128 rows: every
       2nd unit */
    Sim sim;
    PlotData pd;
    ck_assert_int_eq(run_(&sim, &pd, 4100, 200, 1, 1), 0);
    const PlotCell *pc = &pd.cell[GF_CELL_LSTM];
    const CellResult *net = &sim.result[GF_CELL_LSTM];
    ck_assert_int_eq(pc->st.steps_per_col, 3);
    ck_assert_int_eq(pc->st.cols, 1367);
    ck_assert_int_eq(pc->st.unit_step, 2);
    ck_assert_int_eq(pc->st.rows, 100);
    int probes[][2] = {{0, 0}, {17, 5}, {99, 700}, {50, 1366}}; /* (row, column) */
    for (int m = 0; m < 6; m++)
        for (size_t i = 0; i < sizeof probes / sizeof *probes; i++) {
            int r = probes[i][0], j = probes[i][1];
            int t0 = 3 * j, t1 = t0 + 3 < 4100 ? t0 + 3 : 4100;
            double s = 0;
            for (int t = t0; t < t1; t++) s += core_value_(net, GF_CELL_LSTM, m, 0, 2 * r, t);
            double want = s / (t1 - t0);
            double got = plotdata_map(pc, 0, m)[(size_t)r * pc->st.cols + j];
            ck_assert_msg(fabs(got - want) <= 1e-6 * fmax(1, fabs(want)), "map %d row %d column %d: %g, want %g", m, r, j,
                          got, want);
        }
    /* the grid maths on its own */
    PlotStates st;
    plotdata_map_grid(&st, 2000, 128);
    ck_assert(st.cols == 2000 && st.steps_per_col == 1 && st.rows == 128 && st.unit_step == 1);
    plotdata_map_grid(&st, 100000, 1024);
    ck_assert(st.cols == 2000 && st.steps_per_col == 50 && st.rows == 128 && st.unit_step == 8);
    plotdata_map_grid(&st, 2001, 129);
    ck_assert(st.cols == 1001 && st.steps_per_col == 2 && st.rows == 65 && st.unit_step == 2);
    plotdata_free(&pd);
    sim_free(&sim);
}
END_TEST

/* The last states of sequence 0 computed again from the run's weights and inputs by the reference
 * cells of cells.c (plain loops, independent of the kernels that made the run): hn (L, H) every
 * layer's h at t = T-1, cn (L, H) the lstm's c there. */
static void reference_last_states_(const CellResult *r, double *hn, double *cn)
{
    const int L = r->L, T = r->T, H = r->H, G = r->G;
    double *h = calloc((size_t)T * H, sizeof(double)), *c = calloc((size_t)T * H, sizeof(double)); /* (T, H) */
    double *below = calloc((size_t)T * H, sizeof(double)), *g = calloc((size_t)G * H, sizeof(double));
    double *hn_scratch = calloc((size_t)H, sizeof(double)), *zeros = calloc((size_t)H, sizeof(double));
    ck_assert(h && c && below && g && hn_scratch && zeros);
    for (int l = 0; l < L; l++) {
        const int in = l == 0 ? r->I : H;
        for (int t = 0; t < T; t++) {
            const double *x = l == 0 ? r->x + (size_t)t * r->I : below + (size_t)t * H; /* sequence 0 */
            const double *hp = t > 0 ? h + (size_t)(t - 1) * H : zeros, *cp = t > 0 ? c + (size_t)(t - 1) * H : zeros;
            const CellParams *p = &r->params;
            if (r->cell == GF_CELL_RNN)
                rnn_step_forward(h + (size_t)t * H, x, hp, p->weight_ih[l], p->bias_ih[l], p->weight_hh[l],
                                 p->bias_hh[l], in, H, GF_NONLIN_TANH);
            else if (r->cell == GF_CELL_LSTM)
                lstm_step_forward(h + (size_t)t * H, c + (size_t)t * H, g, x, hp, cp, p->weight_ih[l],
                                  p->bias_ih[l], p->weight_hh[l], p->bias_hh[l], in, H);
            else
                gru_step_forward(h + (size_t)t * H, g, hn_scratch, x, hp, p->weight_ih[l], p->bias_ih[l],
                                 p->weight_hh[l], p->bias_hh[l], in, H);
        }
        memcpy(hn + (size_t)l * H, h + (size_t)(T - 1) * H, sizeof(double) * H);
        memcpy(cn + (size_t)l * H, c + (size_t)(T - 1) * H, sizeof(double) * H);
        memcpy(below, h, sizeof(double) * (size_t)T * H);
    }
    free(h), free(c), free(below), free(g), free(hn_scratch), free(zeros);
}

START_TEST(test_hn_is_output_last_and_the_head_reads_it)
{
    Sim sim;
    PlotData pd;
    int L = 3, B = 4, H = 6, T = 20;
    ck_assert_int_eq(run_(&sim, &pd, T, H, L, B), 0);
    for (int c = 0; c < GF_NUM_CELLS; c++) {
        const PlotStates *st = &pd.cell[c].st;
        const CellResult *net = &sim.result[c];
        double hn[3 * 6], cn[3 * 6]; /* (L, H) */
        reference_last_states_(net, hn, cn);
        for (int u = 0; u < H; u++) {
            /* output[0, -1] (the top layer at the last step) and h_n[l][0] (layer l there), as the
               view shows them, against the reference cells run on the same weights and inputs */
            ck_assert_double_eq_tol(st->out_last[u], hn[(size_t)(L - 1) * H + u], 1e-12);
            for (int l = 0; l < L; l++) ck_assert_double_eq_tol(st->h_n[(size_t)l * H + u], hn[(size_t)l * H + u], 1e-12);
            if (c == GF_CELL_LSTM) ck_assert_double_eq_tol(st->c_n[(size_t)(L - 1) * H + u], cn[(size_t)(L - 1) * H + u], 1e-12);
        }
        /* the layers' last states differ: h_n[-1] is not just any layer's */
        int differ = 0;
        for (int u = 0; u < H; u++) differ |= fabs(hn[u] - hn[(size_t)(L - 1) * H + u]) > 1e-6;
        ck_assert(differ);
        /* the head reads h_n[-1]: head.weight h_n[-1][0] + head.bias, from the reference's state,
           is the core's output y and the one the view shows */
        ck_assert_int_eq(st->O, 1);
        double y = net->params.head_bias[0];
        for (int u = 0; u < H; u++) y += net->params.head_weight[u] * hn[(size_t)(L - 1) * H + u];
        ck_assert_double_eq_tol(net->y[0], y, 1e-12);
        ck_assert_double_eq_tol(st->y0[0], y, 1e-12);
    }
    ck_assert_ptr_null(pd.cell[GF_CELL_GRU].st.c_n);
    plotdata_free(&pd);
    sim_free(&sim);
}
END_TEST

START_TEST(test_states_digest_follows_the_data)
{
    Sim sim;
    PlotData pd;
    ck_assert_int_eq(run_(&sim, &pd, 30, 4, 1, 1), 0);
    uint64_t d0 = pd.states_digest;
    ck_assert(d0 != 0);
    pd.cell[GF_CELL_GRU].st.maps[7] += 0.5f;
    plotdata_states_digest(&pd);
    ck_assert(pd.states_digest != d0);
    plotdata_free(&pd);
    sim_free(&sim);
}
END_TEST

/* ---------------------------------------------------------------- anatomy -------------------- */

START_TEST(test_shapes_as_pytorch_prints_them)
{
    char buf[64];
    /* B = 3, T = 50, H = 16, L = 2 (batch_first): output (B, T, H), h_n and c_n (L, B, H) */
    anatomy_shape(buf, sizeof buf, 3, 50, 16);
    ck_assert_str_eq(buf, "torch.Size([3, 50, 16])");
    anatomy_shape(buf, sizeof buf, 2, 3, 16);
    ck_assert_str_eq(buf, "torch.Size([2, 3, 16])");
}
END_TEST

START_TEST(test_grid_columns)
{
    int steps[ANAT_COLS_MAX], gap;
    ck_assert_int_eq(anatomy_columns(5, 9, steps, &gap), 5);
    ck_assert_int_eq(gap, -1);
    for (int k = 0; k < 5; k++) ck_assert_int_eq(steps[k], k);
    /* 300 steps in 8 columns: 0 1 2 3 ... 297 298 299 */
    ck_assert_int_eq(anatomy_columns(300, 8, steps, &gap), 7);
    ck_assert_int_eq(gap, 3);
    int want[] = {0, 1, 2, 3, 297, 298, 299};
    for (int k = 0; k < 7; k++) ck_assert_int_eq(steps[k], want[k]);
    /* never more than the grid holds, never fewer than first, gap, last */
    ck_assert_int_eq(anatomy_columns(100000, 50, steps, &gap), ANAT_COLS_MAX - 1);
    ck_assert_int_eq(steps[ANAT_COLS_MAX - 2], 99999);
    ck_assert_int_eq(anatomy_columns(100, 1, steps, &gap), 2);
    ck_assert(steps[0] == 0 && steps[1] == 99 && gap == 0);
    ck_assert_int_eq(anatomy_columns(1, 8, steps, &gap), 1);
}
END_TEST

/* ---------------------------------------------------------------- keys and command lines ----- */

START_TEST(test_view_keys)
{
    SimConfig c;
    sim_config_default(&c);
    UiSettings s;
    settings_init(&s, &c, UI_THEME_LIGHT);
    ck_assert_int_eq(s.view, UI_VIEW_GRADIENTS);
    ck_assert_int_eq(s.inside_cell, GF_CELL_LSTM);
    /* Tab: gradients -> states -> anatomy -> training -> gradients, no recomputation; Shift+Tab back */
    ck_assert_int_eq(settings_apply_key(&s, UI_KEY_TAB, 0), UI_CHANGED_VIEW);
    ck_assert_int_eq(s.view, UI_VIEW_STATES);
    settings_apply_key(&s, UI_KEY_TAB, 0);
    ck_assert_int_eq(s.view, UI_VIEW_ANATOMY);
    settings_apply_key(&s, UI_KEY_TAB, 0);
    ck_assert_int_eq(s.view, UI_VIEW_TRAINING);
    ck_assert_str_eq(settings_view_name(s.view), "training");
    settings_apply_key(&s, UI_KEY_TAB, 0);
    ck_assert_int_eq(s.view, UI_VIEW_GRADIENTS);
    settings_apply_key(&s, UI_KEY_TAB, UI_MOD_SHIFT);
    ck_assert_int_eq(s.view, UI_VIEW_TRAINING);
    settings_apply_key(&s, UI_KEY_TAB, UI_MOD_SHIFT);
    ck_assert_int_eq(s.view, UI_VIEW_ANATOMY);
    ck_assert_str_eq(settings_view_name(s.view), "anatomy");
    /* C: lstm -> gru -> rnn; no recomputation while the cell is computed */
    ck_assert_int_eq(settings_apply_key(&s, UI_KEY_C, 0), UI_CHANGED_VIEW);
    ck_assert_int_eq(s.inside_cell, GF_CELL_GRU);
    settings_apply_key(&s, UI_KEY_C, 0);
    ck_assert_int_eq(s.inside_cell, GF_CELL_RNN);
    settings_apply_key(&s, UI_KEY_C, UI_MOD_SHIFT);
    ck_assert_int_eq(s.inside_cell, GF_CELL_GRU);
    /* a hidden cell is turned on to be looked inside: that recomputes */
    s.sim.cells = 1u << GF_CELL_GRU;
    int f = settings_apply_key(&s, UI_KEY_C, UI_MOD_SHIFT);
    ck_assert_int_eq(s.inside_cell, GF_CELL_LSTM);
    ck_assert(f & UI_CHANGED_SIM);
    ck_assert(s.sim.cells & (1u << GF_CELL_LSTM));
    /* D is the layer drawn now */
    s.sim.layers = 2;
    settings_apply_key(&s, UI_KEY_D, 0);
    ck_assert_int_eq(s.layer_shown, 0);
    /* the default inside cell follows the cells computed */
    ck_assert_int_eq(settings_default_inside(GF_CELLS_ALL), GF_CELL_LSTM);
    ck_assert_int_eq(settings_default_inside(1u << GF_CELL_RNN | 1u << GF_CELL_GRU), GF_CELL_GRU);
    ck_assert_int_eq(settings_default_inside(1u << GF_CELL_RNN), GF_CELL_RNN);
    /* what the panel marks is the cell the views show: a lesson of the RNN alone leaves the choice
       of LSTM standing, but the views (and so the panel) show the RNN */
    s.inside_cell = GF_CELL_LSTM;
    s.sim.cells = 1u << GF_CELL_RNN;
    ck_assert_int_eq(settings_inside_shown(&s), GF_CELL_RNN);
    s.sim.cells = 1u << GF_CELL_RNN | 1u << GF_CELL_GRU;
    ck_assert_int_eq(settings_inside_shown(&s), GF_CELL_GRU);
    s.sim.cells = GF_CELLS_ALL;
    ck_assert_int_eq(settings_inside_shown(&s), GF_CELL_LSTM);
    s.inside_cell = GF_CELL_RNN;
    ck_assert_int_eq(settings_inside_shown(&s), GF_CELL_RNN);
    /* the help lists the new keys */
    int tab = 0, ckey = 0;
    for (const UiKeyHelp *k = settings_key_help(); k->keys; k++) {
        tab |= strstr(k->keys, "Tab") && strstr(k->what, "states") && strstr(k->what, "anatomy");
        ckey |= strncmp(k->keys, "C", 1) == 0 && strstr(k->what, "inside");
    }
    ck_assert(tab && ckey);
}
END_TEST

START_TEST(test_pick_cell_and_export_cells)
{
    PlotData pd;
    memset(&pd, 0, sizeof pd);
    SimConfig c;
    sim_config_default(&c);
    UiSettings s;
    settings_init(&s, &c, UI_THEME_LIGHT);
    ck_assert_int_eq(states_pick_cell(&s, &pd), -1); /* nothing computed yet */
    ck_assert_int_eq(plotdata_alloc(&pd, 1u << GF_CELL_RNN | 1u << GF_CELL_GRU, 2, 10), 0);
    s.inside_cell = GF_CELL_LSTM; /* not computed: the next in line */
    ck_assert_int_eq(states_pick_cell(&s, &pd), GF_CELL_GRU);
    s.inside_cell = GF_CELL_RNN;
    ck_assert_int_eq(states_pick_cell(&s, &pd), GF_CELL_RNN);
    s.layer_shown = -1;
    ck_assert_int_eq(states_pick_layer(&s, &pd.cell[GF_CELL_RNN]), 1); /* every layer: the top */
    s.layer_shown = 0;
    ck_assert_int_eq(states_pick_layer(&s, &pd.cell[GF_CELL_RNN]), 0);
    s.layer_shown = 5;
    ck_assert_int_eq(states_pick_layer(&s, &pd.cell[GF_CELL_RNN]), 1);
    plotdata_free(&pd);
    /* an export looks inside the same cell: the cells preferred to it are left out */
    unsigned all = GF_CELLS_ALL;
    ck_assert_uint_eq(settings_export_cells(all, UI_VIEW_GRADIENTS, GF_CELL_RNN), all);
    ck_assert_uint_eq(settings_export_cells(all, UI_VIEW_STATES, GF_CELL_LSTM), all);
    unsigned g = settings_export_cells(all, UI_VIEW_STATES, GF_CELL_GRU);
    ck_assert_uint_eq(g, 1u << GF_CELL_RNN | 1u << GF_CELL_GRU);
    ck_assert_int_eq(settings_default_inside(g), GF_CELL_GRU);
    unsigned r = settings_export_cells(all, UI_VIEW_ANATOMY, GF_CELL_RNN);
    ck_assert_uint_eq(r, 1u << GF_CELL_RNN);
    ck_assert_int_eq(settings_default_inside(r), GF_CELL_RNN);
    /* and the command line names the view */
    char buf[1024];
    c.cells = g;
    settings_command_line(&c, UI_THEME_LIGHT, UI_VIEW_STATES, -1, 0, 1920, 1080, "s.png", buf, sizeof buf);
    ck_assert_ptr_nonnull(strstr(buf, " --view states "));
    ck_assert_ptr_nonnull(strstr(buf, "--cell rnn,gru"));
    settings_command_line(&c, UI_THEME_LIGHT, UI_VIEW_GRADIENTS, -1, 0, 1920, 1080, "s.png", buf, sizeof buf);
    ck_assert_ptr_null(strstr(buf, "--view"));
}
END_TEST

START_TEST(test_map_names_and_scales)
{
    ck_assert_str_eq(states_map_what(GF_CELL_LSTM, 1), "cell state");
    ck_assert_str_eq(states_map_what(GF_CELL_LSTM, 3), "forget gate");
    ck_assert_str_eq(states_map_what(GF_CELL_GRU, 2), "update gate");
    ck_assert_str_eq(states_map_what(GF_CELL_RNN, 0), "hidden state");
    ck_assert_str_eq(states_map_what(GF_CELL_RNN, 1), "");
    ck_assert_int_eq(plotdata_gate_map(GF_CELL_LSTM, 1), 3); /* f */
    ck_assert_int_eq(plotdata_gate_map(GF_CELL_GRU, 1), 2);  /* z */
    /* scales: gates in [0, 1] on viridis; tanh values on [-1, 1]; c from its data, symmetric */
    Sim sim;
    PlotData pd;
    ck_assert_int_eq(run_(&sim, &pd, 40, 8, 1, 1), 0);
    PlotCell *pc = &pd.cell[GF_CELL_LSTM];
    ColorScale sc = states_map_scale(pc, GF_NONLIN_TANH, 0, 3, NULL);
    ck_assert(sc.kind == CMAP_VIRIDIS && sc.lo == 0 && sc.hi == 1);
    sc = states_map_scale(pc, GF_NONLIN_TANH, 0, 4, NULL); /* g */
    ck_assert(sc.kind == CMAP_DIVERGING && sc.lo == -1 && sc.hi == 1);
    sc = states_map_scale(pc, GF_NONLIN_TANH, 0, 0, NULL); /* h */
    ck_assert(sc.kind == CMAP_DIVERGING && sc.lo == -1 && sc.hi == 1);
    float *cmap = (float *)plotdata_map(pc, 0, 1);
    cmap[3] = -3.2f; /* c beyond the others: the range follows */
    int nf = 1;
    sc = states_map_scale(pc, GF_NONLIN_TANH, 0, 1, &nf);
    ck_assert(sc.kind == CMAP_DIVERGING && sc.lo == -5 && sc.hi == 5);
    ck_assert_int_eq(nf, 0);
    cmap[4] = NAN;
    states_map_scale(pc, GF_NONLIN_TANH, 0, 1, &nf);
    ck_assert_int_eq(nf, 1);
    plotdata_free(&pd);
    sim_free(&sim);
}
END_TEST

/* The recall trace follows the unit with the largest |c_0| * prod_{s>=1} f_s: neither the largest
 * |c_0| alone (unit 0) nor the largest prod f alone (unit 1), but unit 2 here. */
START_TEST(test_trace_row_rule)
{
    PlotData pd;
    memset(&pd, 0, sizeof pd);
    ck_assert_int_eq(plotdata_alloc(&pd, 1u << GF_CELL_LSTM, 1, 4), 0);
    PlotCell *pc = &pd.cell[GF_CELL_LSTM];
    pc->H = 3;
    ck_assert_int_eq(plotdata_alloc_states(&pd), 0);
    float *c = (float *)plotdata_map(pc, 0, 1), *f = (float *)plotdata_map(pc, 0, 3);
    const float c0[3] = {1.0f, 0.1f, 0.6f}, fv[3] = {0.5f, 0.99f, 0.9f};
    for (int r = 0; r < 3; r++) {
        c[r * 4] = c0[r];
        for (int t = 0; t < 4; t++) f[r * 4 + t] = fv[r];
    }
    double prod = 0;
    ck_assert_int_eq(states_trace_row(pc, 0, &prod), 2); /* 0.6 * 0.9^3 = 0.437 > 0.125, 0.097 */
    ck_assert_double_eq_tol(prod, pow(0.9f, 3), 1e-6);
    plotdata_free(&pd);
}
END_TEST

static Suite *suite_(void)
{
    Suite *s = suite_create("ui_views_logic");
    TCase *t = tcase_create("colormap");
    tcase_add_test(t, test_colormap_inverts);
    tcase_add_test(t, test_colormap_perceptual);
    tcase_add_test(t, test_symmetric_range);
    suite_add_tcase(s, t);
    t = tcase_create("states");
    tcase_set_timeout(t, 60);
    tcase_add_test(t, test_states_are_the_cores);
    tcase_add_test(t, test_states_downsampled);
    tcase_add_test(t, test_hn_is_output_last_and_the_head_reads_it);
    tcase_add_test(t, test_states_digest_follows_the_data);
    tcase_add_test(t, test_map_names_and_scales);
    tcase_add_test(t, test_trace_row_rule);
    suite_add_tcase(s, t);
    t = tcase_create("anatomy");
    tcase_add_test(t, test_shapes_as_pytorch_prints_them);
    tcase_add_test(t, test_grid_columns);
    suite_add_tcase(s, t);
    t = tcase_create("keys");
    tcase_add_test(t, test_view_keys);
    tcase_add_test(t, test_pick_cell_and_export_cells);
    suite_add_tcase(s, t);
    return s;
}

GF_CHECK_MAIN(suite_)
