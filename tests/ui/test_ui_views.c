/* test_ui_views.c - the states and anatomy views drawn headless (dummy video driver, software
 * renderer): heatmap pixels that read back as the core's numbers, layouts from a small window to
 * 4K, the anatomy's highlights and printed shapes, curves where the data puts them, exports at
 * 1080p and 4K that are the size asked and identical twice over, and Tab in the real event loop
 * switching views without recomputing. */
#define _POSIX_C_SOURCE 200809L /* setenv, unsetenv */
#include <check.h>
#include <SDL_image.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pngtext.h"
#include "testutil.h"
#include "theme.h"
#include "ui.h"
#include "uitest.h"
#include "window.h"
#include "check_main.h"

/* A real run of every cell (sequence 0 of B is what the views show), copied as the window does. */
static void run_(Sim *sim, PlotData *pd, int T, int H, int L, int B)
{
    SimConfig c;
    sim_config_default(&c);
    c.seq_len = T;
    c.hidden = H;
    c.layers = L;
    c.batch = B;
    c.forget_bias = 1.0;
    GfError err = {0};
    sim_init(sim);
    memset(pd, 0, sizeof *pd);
    ck_assert_msg(sim_run(sim, &c, &err) == 0, "%s", err.msg);
    ck_assert_int_eq(plotdata_copy_sim(pd, sim), 0);
}

static UiSettings settings_(const PlotData *pd, UiView view, int inside)
{
    UiSettings s;
    settings_init(&s, &pd->config, UI_THEME_LIGHT);
    s.view = view;
    s.inside_cell = inside;
    return s;
}

/* The core's value shown by map m at (layer l, unit u, step t) of sequence 0. */
static double core_value_(const CellResult *net, GfCell cell, int m, int l, int u, int t)
{
    if (m == 0) return cell_at(net, net->h, l, 0, t)[u];
    if (cell == GF_CELL_LSTM && m == 1) return cell_at(net, net->c, l, 0, t)[u];
    int k = cell == GF_CELL_LSTM ? m - 2 : m - 1; /* gate block k, PyTorch's order */
    return cell_gate_at(net, l, 0, t)[k * net->H + u];
}

/* Probes heatmap m of the states view drawn in d at unit u and step t: the pixel in the middle of
 * that cell, read back through the colour map (*dist2: how far its colour is from the map's). */
static double probe_value_(const UtDraw *d, const PlotCell *pc, int m, int u, int t, int *dist2)
{
    const StatesGeom *g = &d->vs.states;
    UiRect R = g->map[m];
    int x = (int)floorf(axis_x(&g->xmap, t));
    int y = R.y + (int)(((double)u + 0.5) * R.h / pc->st.rows);
    UiColor c = ut_pixel(d->surf, x, y);
    /* viridis for gates; the diverging map of the theme for signed values */
    const Colormap *cm = g->scale[m].kind == CMAP_VIRIDIS ? &d->vs.dc.cmap_viridis
                         : d->vs.dc.theme == UI_THEME_DARK  ? &d->vs.dc.cmap_diverging_dark
                                                          : &d->vs.dc.cmap_diverging;
    return colorscale_value(&g->scale[m], colormap_invert(cm, c, dist2));
}

START_TEST(test_heatmap_pixels_are_the_cores_values)
{
    Sim sim;
    PlotData pd;
    run_(&sim, &pd, 50, 8, 2, 2);
    for (int run = 0; run < GF_NUM_CELLS + 1; run++) {
        int c = run < GF_NUM_CELLS ? run : GF_CELL_LSTM; /* every cell, then the lstm on the dark theme */
        UiSettings s = settings_(&pd, UI_VIEW_STATES, c);
        if (run == GF_NUM_CELLS) s.theme = UI_THEME_DARK;
        UtDraw d;
        ut_draw(&d, &pd, &s, 1920, 1080, 0);
        const StatesGeom *g = &d.vs.states;
        const PlotCell *pc = &pd.cell[c];
        const CellResult *net = &sim.result[c];
        ck_assert_int_eq(g->cell, c);
        ck_assert_int_eq(g->layer, 1); /* "every layer": the top one */
        ck_assert_int_eq(g->nmaps, pc->st.nmaps);
        int probed = 0;
        for (int m = 0; m < g->nmaps; m++) {
            double res = colorscale_resolution(&g->scale[m]);
            for (int u = 0; u < 8; u += 3)
                for (int t = 0; t < 50; t += 7) {
                    int d2 = -1;
                    double got = probe_value_(&d, pc, m, u, t, &d2);
                    double want = core_value_(net, (GfCell)c, m, 1, u, t);
                    /* the colour is the map's own, and reads back within the map's resolution */
                    ck_assert_msg(d2 <= 3, "cell %d map %d (%d, %d): colour %d off the map", c, m, u, t, d2);
                    ck_assert_msg(fabs(got - want) <= 2.5 * res, "cell %d map %d unit %d step %d: pixel says %g, core %g (res %g)",
                                  c, m, u, t, got, want, res);
                    probed++;
                }
        }
        ck_assert_int_gt(probed, 20);
        ut_draw_free(&d);
    }
    plotdata_free(&pd);
    sim_free(&sim);
}
END_TEST

START_TEST(test_layer_drawn_is_the_layer_shown)
{
    Sim sim;
    PlotData pd;
    run_(&sim, &pd, 40, 8, 3, 1);
    UiSettings s = settings_(&pd, UI_VIEW_STATES, GF_CELL_LSTM);
    s.layer_shown = 0;
    UtDraw d;
    ut_draw(&d, &pd, &s, 1920, 1080, 0);
    ck_assert_int_eq(d.vs.states.layer, 0);
    const CellResult *net = &sim.result[GF_CELL_LSTM];
    int hits = 0;
    for (int t = 1; t < 40; t += 6) {
        double want = core_value_(net, GF_CELL_LSTM, 0, 0, 5, t);
        double other = core_value_(net, GF_CELL_LSTM, 0, 2, 5, t);
        double got = probe_value_(&d, &pd.cell[GF_CELL_LSTM], 0, 5, t, NULL);
        ck_assert(fabs(got - want) <= 2.5 * colorscale_resolution(&d.vs.states.scale[0]));
        hits += fabs(want - other) > 0.05 && fabs(got - other) > 0.02; /* and not layer 2's */
    }
    ck_assert_int_gt(hits, 0);
    ut_draw_free(&d);
    plotdata_free(&pd);
    sim_free(&sim);
}
END_TEST

/* Every rectangle of the states view inside the content, and none over another. */
static void check_states_layout_(const UtDraw *d, int w, int h)
{
    const StatesGeom *g = &d->vs.states;
    UiRect content = d->vs.frame.content;
    UiRect all[2 * PLOT_MAPS_MAX + 3];
    int n = 0;
    for (int m = 0; m < g->nmaps; m++) {
        all[n++] = g->map[m];
        all[n++] = g->bar[m];
        ck_assert_msg(g->map[m].h >= 20, "heatmap %d only %d px high at %dx%d", m, g->map[m].h, w, h);
        ck_assert(g->map[m].x >= g->xmap.area.x && g->map[m].x + g->map[m].w <= g->xmap.area.x + g->xmap.area.w);
    }
    if (g->gate_plot.area.w) all[n++] = g->gate_plot.area;
    all[n++] = g->grad_plot.area;
    if (g->side.w) all[n++] = g->side; /* the lstm's cell diagram: beside everything else */
    for (int i = 0; i < n; i++) {
        ck_assert_msg(ui_rect_inside(all[i], content), "part %d outside the content at %dx%d", i, w, h);
        ck_assert_msg(!ui_rect_overlaps(all[i], d->vs.frame.title), "part %d over the title at %dx%d", i, w, h);
        for (int j = i + 1; j < n; j++)
            ck_assert_msg(!ui_rect_overlaps(all[i], all[j]), "parts %d and %d overlap at %dx%d", i, j, w, h);
    }
    ck_assert_msg(g->grad_plot.area.h >= h / 10, "gradient plot %d px high at %dx%d", g->grad_plot.area.h, w, h);
    ck_assert(g->grad_plot.area.y + g->grad_plot.area.h <= d->vs.frame.xlabel.y + d->vs.frame.xlabel.h);
}

START_TEST(test_states_layout_from_small_to_4k)
{
    Sim sim;
    PlotData pd;
    run_(&sim, &pd, 120, 16, 2, 1);
    int sizes[][2] = {{1024, 640}, {1280, 720}, {1920, 1080}, {3840, 2160}};
    int map_h[4] = {0}, font[4] = {0};
    for (int c = 0; c < GF_NUM_CELLS; c++)
        for (int k = 0; k < 4; k++) {
            UiSettings s = settings_(&pd, UI_VIEW_STATES, c);
            UtDraw d;
            ut_draw(&d, &pd, &s, sizes[k][0], sizes[k][1], 0);
            check_states_layout_(&d, sizes[k][0], sizes[k][1]);
            /* labels left of every heatmap, ticks beside every colour bar */
            const Theme *th = theme_get(UI_THEME_LIGHT);
            for (int m = 0; m < d.vs.states.nmaps; m++) {
                UiRect R = d.vs.states.map[m], B = d.vs.states.bar[m];
                ck_assert_msg(ut_ink(d.surf, ui_rect(d.vs.frame.content.x, R.y, R.x - d.vs.frame.content.x - 4, R.h), th->bg,
                                     40) > 30, "no label left of heatmap %d of cell %d at %dx%d", m, c, sizes[k][0], sizes[k][1]);
                ck_assert_msg(ut_count(d.surf, ui_rect(B.x + B.w + 2, B.y - 4, B.w * 3, B.h + 8), th->fg, 60) > 10,
                              "no ticks beside colour bar %d of cell %d at %dx%d", m, c, sizes[k][0], sizes[k][1]);
            }
            if (c == GF_CELL_LSTM) {
                map_h[k] = d.vs.states.map[0].h;
                font[k] = d.vs.dc.metrics.font_body;
            }
            ut_draw_free(&d);
        }
    /* drawn at the size asked: 4K is twice 1080p, not a blown-up copy */
    ck_assert_int_eq(font[3], 2 * font[2]);
    ck_assert_msg(abs(map_h[3] - 2 * map_h[2]) <= 4, "heatmap %d px at 4K, %d at 1080p", map_h[3], map_h[2]);
    plotdata_free(&pd);
    sim_free(&sim);
}
END_TEST

/* ||v|| of n values, scaled so that tiny entries keep their norm. */
static double norm_of_(const double *v, int n)
{
    double big = 0, s = 0;
    for (int i = 0; i < n; i++) big = fmax(big, fabs(v[i]));
    if (big == 0) return 0;
    for (int i = 0; i < n; i++) s += (v[i] / big) * (v[i] / big);
    return big * sqrt(s);
}

/* The LSTM's cell diagram beside the states view quotes this run's numbers at its step, computed
 * here from the core's tensors; on the recall task it traces the unit with the largest
 * |c_0| * prod_{s>=1} f_s, chosen here the same way from the core's c and f. */
START_TEST(test_cell_diagram_numbers_are_the_cores)
{
    Sim sim;
    sim_init(&sim);
    SimConfig c;
    sim_config_default(&c);
    c.cells = 1u << GF_CELL_LSTM, c.task = GF_TASK_RECALL, c.seq_len = 60, c.hidden = 8, c.forget_bias = 3;
    GfError err = {0};
    ck_assert_msg(sim_run(&sim, &c, &err) == 0, "%s", err.msg);
    PlotData pd = {0};
    ck_assert_int_eq(plotdata_copy_sim(&pd, &sim), 0);
    UiSettings s = settings_(&pd, UI_VIEW_STATES, GF_CELL_LSTM);
    UtDraw d;
    ut_draw(&d, &pd, &s, 1920, 1080, 0);
    const StatesGeom *g = &d.vs.states;
    const CellResult *r = &sim.result[GF_CELL_LSTM];
    const int H = 8, T = 60, t = g->diag_t;
    ck_assert_int_gt(g->side.w, 0);
    ck_assert_int_eq(t, T / 2); /* not hovered: the middle step */
    const double *gate = cell_gate_at(r, 0, 0, t); /* i f g o */
    double f = 0, i = 0, o = 0, ig = 0, tp = 0;
    for (int u = 0; u < H; u++) {
        double cu = cell_at(r, r->c, 0, 0, t)[u];
        i += gate[u], f += gate[H + u], ig += gate[u] * gate[2 * H + u], o += gate[3 * H + u];
        tp += 1 - tanh(cu) * tanh(cu);
    }
    const StatesCellNumbers *n = &g->num;
    ck_assert_double_eq_tol(n->f, f / H, 1e-12);
    ck_assert_double_eq_tol(n->i, i / H, 1e-6);
    ck_assert_double_eq_tol(n->ig, ig / H, 1e-6);
    ck_assert_double_eq_tol(n->o, o / H, 1e-6);
    ck_assert_double_eq_tol(n->tanh_prime, tp / H, 1e-6);
    double gc = norm_of_(cell_at(r, r->grad_c, 0, 0, t), H), gc1 = norm_of_(cell_at(r, r->grad_c, 0, 0, t - 1), H);
    ck_assert_double_eq_tol(n->grad_c, gc, 1e-12 * gc);
    ck_assert_double_eq_tol(n->grad_h, norm_of_(cell_at(r, r->grad_h, 0, 0, t), H), 1e-12 * gc);
    ck_assert_double_eq_tol(n->c_ratio, gc1 / gc, 1e-9);
    /* the diagram's text quotes them */
    char want[32];
    snprintf(want, sizeof want, "means: f %.2f", f / H);
    ck_assert_msg(strstr(g->diag_line[1], want), "'%s' not in '%s'", want, g->diag_line[1]);
    snprintf(want, sizeof want, "means: o %.2f", o / H);
    ck_assert_msg(strstr(g->diag_line[4], want), "'%s' not in '%s'", want, g->diag_line[4]);
    /* the traced unit, and its c_t and h_t */
    int best_u = -1;
    double best = -INFINITY;
    for (int u = 0; u < H; u++) {
        double lg = log(fabs(cell_at(r, r->c, 0, 0, 0)[u]));
        for (int k = 1; k < T; k++) lg += log(cell_gate_at(r, 0, 0, k)[H + u]);
        if (lg > best) best = lg, best_u = u;
    }
    ck_assert_int_eq(g->trace_unit, best_u);
    for (int k = 0; k < T; k += 7) {
        ck_assert_double_eq_tol(g->trace_v[0][k], cell_at(r, r->c, 0, 0, k)[best_u], 1e-5);
        ck_assert_double_eq_tol(g->trace_v[1][k], cell_at(r, r->h, 0, 0, k)[best_u], 1e-5);
    }
    /* something is drawn there: the c path in the cell state's shade */
    const Theme *th = theme_get(UI_THEME_LIGHT);
    ck_assert_int_gt(ut_ink(d.surf, g->diag, th->bg, 40), 200);
    ck_assert_int_gt(ut_ink(d.surf, g->trace_plot.area, th->plot_bg, 40), 50);
    ut_draw_free(&d);
    /* the adding task: the diagram, no trace; the GRU: neither */
    plotdata_free(&pd);
    c.task = GF_TASK_ADDING;
    c.cells = GF_CELLS_ALL;
    ck_assert_msg(sim_run(&sim, &c, &err) == 0, "%s", err.msg);
    ck_assert_int_eq(plotdata_copy_sim(&pd, &sim), 0);
    s = settings_(&pd, UI_VIEW_STATES, GF_CELL_LSTM);
    ut_draw(&d, &pd, &s, 1920, 1080, 0);
    ck_assert(d.vs.states.side.w > 0 && d.vs.states.trace_unit < 0);
    ut_draw_free(&d);
    s = settings_(&pd, UI_VIEW_STATES, GF_CELL_GRU);
    ut_draw(&d, &pd, &s, 1920, 1080, 0);
    ck_assert_int_eq(d.vs.states.side.w, 0);
    ut_draw_free(&d);
    plotdata_free(&pd);
    sim_free(&sim);
}
END_TEST

START_TEST(test_states_plots_where_the_data_says)
{
    Sim sim;
    PlotData pd;
    run_(&sim, &pd, 60, 8, 1, 1);
    UiSettings s = settings_(&pd, UI_VIEW_STATES, GF_CELL_LSTM);
    UtDraw d;
    ut_draw(&d, &pd, &s, 1920, 1080, 0);
    const StatesGeom *g = &d.vs.states;
    const PlotCell *pc = &pd.cell[GF_CELL_LSTM];
    const Theme *th = theme_get(UI_THEME_LIGHT);
    /* the mean forget gate on a linear axis over [0, 1], a solid curve at (x(t), y(mean f_t)) */
    ck_assert(!g->gate_plot.log && g->gate_plot.lo == 0 && g->gate_plot.hi == 1);
    ck_assert(g->grad_plot.log);
    for (int t = 3; t < 60; t += 11) {
        int x = (int)floorf(axis_x(&g->gate_plot, t)), y = (int)floorf(axis_y(&g->gate_plot, pc->st.gate_mean[t]));
        ck_assert_msg(ut_count(d.surf, ui_rect(x - 1, y - 1, 3, 3), th->cell[GF_CELL_LSTM], 30) > 0, "mean f not at t = %d", t);
        /* ... and only there: not 12 px above or below */
        ck_assert(ut_count(d.surf, ui_rect(x - 1, y - 14, 3, 3), th->cell[GF_CELL_LSTM], 30) == 0);
        ck_assert(ut_count(d.surf, ui_rect(x - 1, y + 12, 3, 3), th->cell[GF_CELL_LSTM], 30) == 0);
    }
    /* the gradient plot holds the lstm's dashed h curve and dotted c curve near their values, and
       the rnn's for contrast */
    int near_h = 0, near_c = 0, near_r = 0, in_r = 0, out_r = 0;
    const PlotCell *rn = &pd.cell[GF_CELL_RNN];
    UiColor faded = ui_color_mix(th->cell[GF_CELL_RNN], th->plot_bg, 0.45);
    for (int t = 2; t < 58; t += 3) {
        int x = (int)floorf(axis_x(&g->grad_plot, t));
        near_h += ut_count(d.surf, ui_rect(x - 2, (int)axis_y(&g->grad_plot, pc->grad_h[t]) - 2, 5, 5), th->cell[GF_CELL_LSTM], 40) > 0;
        near_c += ut_count(d.surf, ui_rect(x - 2, (int)axis_y(&g->grad_plot, pc->grad_c[t]) - 2, 5, 5), th->lstm_c, 40) > 0;
        /* the rnn's curve sets no range: inside it, it is drawn; below it, it leaves the plot */
        if (log10(rn->grad_h[t]) >= g->grad_plot.lo) {
            in_r++;
            near_r += ut_count(d.surf, ui_rect(x - 2, (int)axis_y(&g->grad_plot, rn->grad_h[t]) - 2, 5, 5), faded, 40) > 0;
        } else {
            out_r++;
            UiRect col = ui_rect(x - 1, g->grad_plot.area.y, 3, g->grad_plot.area.h);
            ck_assert_msg(ut_count(d.surf, col, faded, 10) == 0, "the rnn is drawn at t = %d, below the plot", t);
        }
    }
    ck_assert(in_r > 3 && out_r > 3);
    near_r = near_r * 19 / in_r; /* as a share of the 19 probes */
    ck_assert_int_gt(near_h, 10); /* dashes leave gaps: most probes, not all */
    ck_assert_int_gt(near_c, 6);
    ck_assert_int_gt(near_r, 15);
    ut_draw_free(&d);
    plotdata_free(&pd);
    sim_free(&sim);
}
END_TEST

/* Bidirectional: PyTorch's shapes with two directions, h_n's reverse half at t = 0 marked, the
 * pitfall stated with the run's own numbers (h_n[-1] and output[:, -1, H:] differ), the head's
 * input recomputed from [h_n[-2], h_n[-1]] equal to the core's y, the reverse curves drawn, and
 * the layers in colours of their own, not the cells'. */
START_TEST(test_anatomy_bidirectional)
{
    Sim sim;
    PlotData pd;
    SimConfig cfg;
    sim_config_default(&cfg);
    cfg.seq_len = 40, cfg.hidden = 8, cfg.layers = 2, cfg.batch = 3, cfg.bidirectional = 1;
    GfError err = {0};
    sim_init(&sim);
    memset(&pd, 0, sizeof pd);
    ck_assert_msg(sim_run(&sim, &cfg, &err) == 0, "%s", err.msg);
    ck_assert_int_eq(plotdata_copy_sim(&pd, &sim), 0);
    const Theme *th = theme_get(UI_THEME_LIGHT);
    for (int c = 0; c < GF_NUM_CELLS; c++) {
        UiSettings s = settings_(&pd, UI_VIEW_ANATOMY, c);
        UtDraw d;
        ut_draw(&d, &pd, &s, 1920, 1080, 0);
        const AnatomyGeom *g = &d.vs.anatomy;
        const PlotStates *st = &pd.cell[c].st;
        const CellResult *r = &sim.result[c];
        ck_assert_int_eq(g->bidir, 1);
        ck_assert_str_eq(g->shape_output, "torch.Size([3, 40, 16])");
        ck_assert_str_eq(g->shape_hn, "torch.Size([4, 3, 8])");
        ck_assert_ptr_nonnull(strstr(g->head_text, "bidirectional=True"));
        ck_assert_ptr_nonnull(strstr(g->hn_equals, "reverse direction at t = 0"));
        /* h_n[-1] is the reverse state at t = 0, and not output[:, -1, H:] */
        double differ = 0;
        for (int u = 0; u < 8; u++) {
            ck_assert_double_eq(st->h_n_rev[8 + u], cell_at(r, r->h, 1, 0, 0)[8 + u]);
            ck_assert_double_eq(st->out_last_rev[u], cell_at(r, r->h, 1, 0, 39)[8 + u]);
            differ = fmax(differ, fabs(st->h_n_rev[8 + u] - st->out_last_rev[u]));
        }
        ck_assert(differ > 1e-6);
        ck_assert_double_eq_tol(st->y_check[0], r->y[0], 1e-12);
        /* both ends of h_n marked: the first column's boxes in the reverse band */
        ck_assert(ui_rect_inside(g->box[0][0], g->hn_band_rev));
        ck_assert(ui_rect_inside(g->box[1][0], g->hn_band_rev));
        ck_assert(!ui_rect_overlaps(g->box[0][1], g->hn_band_rev));
        ck_assert(g->shared_rev.x == g->box[1][0].x);
        /* forward solid, reverse dashed, every layer's colour the same in both and none a cell's */
        ck_assert_int_eq(g->nseries, 4);
        ck_assert_ptr_eq(g->series[2].v, pd.cell[c].grad_h_rev);
        ck_assert(g->series[0].style.dash[0] == 0 && g->series[2].style.dash[0] > 0);
        for (int k = 0; k < 4; k++)
            for (int cc = 0; cc < GF_NUM_CELLS; cc++) {
                UiColor a = g->series[k].color, b = th->cell[cc];
                ck_assert(abs(a.r - b.r) + abs(a.g - b.g) + abs(a.b - b.b) > 40);
            }
        ck_assert(memcmp(&g->series[0].color, &g->series[1].color, sizeof(UiColor)) != 0);
        ut_draw_free(&d);
    }
    plotdata_free(&pd);
    sim_free(&sim);
}
END_TEST

START_TEST(test_anatomy_drawn)
{
    Sim sim;
    PlotData pd;
    run_(&sim, &pd, 50, 16, 2, 3); /* B = 3, T = 50, H = 16, L = 2 */
    const Theme *th = theme_get(UI_THEME_LIGHT);
    for (int c = 0; c < GF_NUM_CELLS; c++) {
        UiSettings s = settings_(&pd, UI_VIEW_ANATOMY, c);
        UtDraw d;
        ut_draw(&d, &pd, &s, 1920, 1080, 0);
        const AnatomyGeom *g = &d.vs.anatomy;
        ck_assert_int_eq(g->cell, c);
        /* the shapes PyTorch prints for these options */
        ck_assert_str_eq(g->shape_output, "torch.Size([3, 50, 16])");
        ck_assert_str_eq(g->shape_hn, "torch.Size([2, 3, 16])");
        ck_assert_str_eq(g->shape_cn, c == GF_CELL_LSTM ? "torch.Size([2, 3, 16])" : "");
        /* what h_n[-1] is, stated as PyTorch defines it (no buffer compared with itself) */
        ck_assert_ptr_nonnull(strstr(g->hn_equals, "by PyTorch's definition"));
        ck_assert_int_eq(g->bidir, 0);
        ck_assert_int_eq(g->nseries, 2);
        /* the grid: first steps, a gap, the last ones */
        ck_assert_int_ge(g->ncols, 5);
        ck_assert_int_ge(g->gap_after, 1);
        ck_assert_int_eq(g->step[0], 0);
        ck_assert_int_eq(g->step[g->ncols - 1], 49);
        for (int k = 0; k < g->ncols; k++) {
            /* the top row is output, the last column h_n */
            ck_assert(ui_rect_inside(g->box[1][k], g->output_band));
            ck_assert(!ui_rect_overlaps(g->box[0][k], g->output_band));
            ck_assert(g->box[1][k].y < g->box[0][k].y && g->box[0][k].y < g->input[k].y);
            if (k) ck_assert(g->box[0][k].x > g->box[0][k - 1].x + g->box[0][k - 1].w);
        }
        ck_assert(ui_rect_inside(g->box[0][g->ncols - 1], g->hn_band));
        ck_assert(ui_rect_inside(g->box[1][g->ncols - 1], g->hn_band));
        ck_assert(!ui_rect_overlaps(g->box[0][g->ncols - 2], g->hn_band));
        /* the shared box is in both, and the head and loss follow it to the right */
        ck_assert(g->shared.x == g->box[1][g->ncols - 1].x && g->shared.y == g->box[1][g->ncols - 1].y);
        ck_assert(g->head.x > g->shared.x + g->shared.w && g->loss.x > g->head.x + g->head.w);
        ck_assert(ui_rect_inside(g->loss, d.vs.frame.content));
        /* the bands are painted: their colour between the boxes */
        UiRect ob = g->output_band;
        int between = g->box[1][0].x + g->box[1][0].w + 1;
        UiColor band = ut_pixel(d.surf, between, ob.y + 2);
        ck_assert_msg(band.b > band.r + 10, "the output band is not blue-ish: %d %d %d", band.r, band.g, band.b);
        UiColor hn = ut_pixel(d.surf, g->hn_band.x + 2, g->box[0][g->ncols - 1].y + 2); /* beside the box, over its arrow */
        ck_assert_msg(hn.r > hn.b + 30, "the h_n band is not orange-ish: %d %d %d", hn.r, hn.g, hn.b);
        /* text inside the head and loss boxes */
        ck_assert_int_gt(ut_count(d.surf, g->head, th->fg, 80), 30);
        ck_assert_int_gt(ut_count(d.surf, g->loss, th->fg, 80), 30);
        /* every layer's gradient where the data puts it */
        const PlotCell *pc = &pd.cell[c];
        const PlotMap *m = &g->grad_plot;
        int near = 0;
        for (int t = 2; t < 48; t += 4) {
            int x = (int)floorf(axis_x(m, t)), y = (int)floorf(axis_y(m, pc->grad_h[1 * 50 + t]));
            near += ut_count(d.surf, ui_rect(x - 2, y - 2, 5, 5), g->series[1].color, 40) > 0; /* layer 1's colour */
        }
        ck_assert_int_gt(near, 6);
        ut_draw_free(&d);
    }
    plotdata_free(&pd);
    sim_free(&sim);
}
END_TEST

/* In a narrow window (the page at 1024 x 640, at the window's minimum scale) the head's and the
 * loss's boxes keep room for their names: the arrow before them gets short and the mark
 * h_n[-1] = output[:, -1] goes above them, instead of the boxes shrinking to a squiggle. */
START_TEST(test_anatomy_head_readable_in_a_narrow_window)
{
    Sim sim;
    PlotData pd;
    run_(&sim, &pd, 200, 64, 2, 1);
    UiSettings s = settings_(&pd, UI_VIEW_ANATOMY, GF_CELL_LSTM);
    UtDraw d;
    ut_draw_at(&d, &pd, &s, 1024, 640, 0, 0.8);
    ut_redraw(&d, &pd, &s, 1, -1, -1);
    const AnatomyGeom *g = &d.vs.anatomy;
    int w = 0, h = 0, px = d.vs.dc.metrics.font_small;
    text_measure(&d.vs.dc.text, g->head_t, px, 1, &w, &h);
    ck_assert_msg(g->head.w >= w, "head box %d px for '%s' (%d px)", g->head.w, g->head_t, w);
    text_measure(&d.vs.dc.text, g->loss_t, px, 1, &w, &h);
    ck_assert_msg(g->loss.w >= w, "loss box %d px for '%s' (%d px)", g->loss.w, g->loss_t, w);
    ck_assert(g->mark_above);
    ck_assert(g->loss.x + g->loss.w <= g->x1);
    ut_draw_free(&d);
    /* a full window keeps the mark over the arrow */
    ut_draw(&d, &pd, &s, 1920, 1080, 0);
    ck_assert(!d.vs.anatomy.mark_above);
    ut_draw_free(&d);
    plotdata_free(&pd);
    sim_free(&sim);
}
END_TEST

START_TEST(test_anatomy_layout_from_small_to_4k)
{
    Sim sim;
    PlotData pd;
    int sizes[][2] = {{960, 540}, {1024, 640}, {1920, 1080}, {3840, 2160}};
    int Ls[] = {1, 4, 8};
    for (int i = 0; i < 3; i++) {
        run_(&sim, &pd, 500, 8, Ls[i], 1);
        for (int k = 0; k < 4; k++) {
            UiSettings s = settings_(&pd, UI_VIEW_ANATOMY, GF_CELL_LSTM);
            UtDraw d;
            ut_draw(&d, &pd, &s, sizes[k][0], sizes[k][1], 0);
            const AnatomyGeom *g = &d.vs.anatomy;
            UiRect content = d.vs.frame.content;
            ck_assert_int_eq(g->L, Ls[i]);
            for (int l = 0; l < g->L; l++)
                for (int j = 0; j < g->ncols; j++) {
                    ck_assert_msg(ui_rect_inside(g->box[l][j], content), "box %d,%d outside at %dx%d L=%d", l, j,
                                  sizes[k][0], sizes[k][1], Ls[i]);
                    ck_assert(g->box[l][j].h >= 8);
                    ck_assert(!ui_rect_overlaps(g->box[l][j], g->grad_plot.area));
                }
            ck_assert(ui_rect_inside(g->head, content) && ui_rect_inside(g->loss, content));
            ck_assert(!ui_rect_overlaps(g->head, g->hn_band) && !ui_rect_overlaps(g->loss, g->head));
            ck_assert(ui_rect_inside(g->grad_plot.area, content));
            ck_assert_msg(g->grad_plot.area.h >= sizes[k][1] / 6, "plot %d px at %dx%d L=%d", g->grad_plot.area.h,
                          sizes[k][0], sizes[k][1], Ls[i]);
            /* the per-layer legend above the plot stays inside the content: nothing in the margin */
            int lh = (int)lround(d.vs.dc.metrics.font_body * 1.45), pad = d.vs.dc.metrics.pad;
            UiRect margin = ui_rect(content.x + content.w - pad + 2, g->grad_plot.area.y - lh, pad - 2, lh);
            ck_assert_msg(ut_ink(d.surf, margin, theme_get(UI_THEME_LIGHT)->bg, 30) == 0,
                          "the legend runs past the edge at %dx%d L=%d", sizes[k][0], sizes[k][1], Ls[i]);
            ut_draw_free(&d);
        }
        plotdata_free(&pd);
        sim_free(&sim);
    }
}
END_TEST

START_TEST(test_no_data_says_so)
{
    PlotData pd;
    memset(&pd, 0, sizeof pd);
    for (int v = UI_VIEW_STATES; v <= UI_VIEW_ANATOMY; v++) {
        SimConfig c;
        sim_config_default(&c);
        UiSettings s;
        settings_init(&s, &c, UI_THEME_LIGHT);
        s.view = (UiView)v;
        UtDraw d;
        ut_draw(&d, &pd, &s, 1280, 720, 0); /* "computing...": nothing drawn, nothing crashes */
        ck_assert_int_eq(v == UI_VIEW_STATES ? d.vs.states.cell : d.vs.anatomy.cell, -1);
        ck_assert_int_gt(ut_ink(d.surf, d.vs.frame.content, theme_get(UI_THEME_LIGHT)->bg, 10), 200);
        ut_draw_free(&d);
    }
}
END_TEST


/* Any size the window system gives, down to 1x1, in every view, at the export's scale and at the
 * window's (which keeps a readable minimum): nothing crashes or draws outside the picture, every
 * rectangle of the layout has a size >= 0, and below the smallest drawable size the view says it
 * is too small instead of drawing a squashed plot. */
static void check_rect_(UiRect r, int w, int h, const char *what, int v, double sc)
{
    ck_assert_msg(r.w >= 0 && r.h >= 0, "%s %dx%d at %d,%d in view %d at %dx%d, scale %g", what, r.w, r.h, r.x,
                  r.y, v, w, h, sc);
}

START_TEST(test_every_view_at_any_size)
{
    Sim sim;
    PlotData pd;
    run_(&sim, &pd, 60, 8, 2, 1);
    static const int sizes[][2] = {{1, 1}, {2, 3}, {1, 700}, {900, 1}, {17, 9}, {60, 40}, {150, 100},
                                   {250, 160}, {319, 199}, {320, 200}, {330, 520}, {400, 240},
                                   {480, 300}, {640, 200}, {799, 499}};
    const double scales[] = {0.0, 1.0, 2.0};
    const Theme *th = theme_get(UI_THEME_LIGHT);
    for (int v = UI_VIEW_GRADIENTS; v <= UI_VIEW_ANATOMY; v++)
        for (size_t k = 0; k < sizeof sizes / sizeof *sizes; k++)
            for (int sc = 0; sc < 3; sc++)
                for (int po = 0; po < 2; po++) {
                    int w = sizes[k][0], h = sizes[k][1];
                    UiSettings s = settings_(&pd, (UiView)v, GF_CELL_LSTM);
                    UtDraw d;
                    ut_draw_at(&d, &pd, &s, w, h, po, scales[sc]);
                    ut_redraw(&d, &pd, &s, 1, w / 2, h / 2); /* the window: hover and status line */
                    int small = w < VIEW_MIN_W || h < VIEW_MIN_H;
                    ck_assert_int_eq(d.vs.too_small, small);
                    const UiFrame *f = &d.vs.frame;
                    UiRect all[] = {f->panel, f->content, f->title, f->caption, f->legend, f->annot,
                                    f->yticks, f->plot, f->xticks, f->xlabel, f->status};
                    if (!small) {
                        for (size_t i = 0; i < sizeof all / sizeof *all; i++)
                            check_rect_(all[i], w, h, "frame part", v, scales[sc]);
                        if (v == UI_VIEW_STATES)
                            for (int m = 0; m < d.vs.states.nmaps; m++) {
                                check_rect_(d.vs.states.map[m], w, h, "heatmap", v, scales[sc]);
                                check_rect_(d.vs.states.bar[m], w, h, "colour bar", v, scales[sc]);
                            }
                    } else if (w >= 150 && h >= 40) { /* room for the words: they are there */
                        ck_assert_msg(ut_ink(d.surf, ui_rect(0, 0, w, h), th->bg, 40) > 20,
                                      "no 'too small' at %dx%d in view %d", w, h, v);
                    }
                    ut_draw_free(&d);
                }
    plotdata_free(&pd);
    sim_free(&sim);
}
END_TEST

/* ---------------------------------------------------------------- export --------------------- */

START_TEST(test_export_views_1080p_and_4k)
{
    const char *dir = tu_temp_dir();
    ck_assert_ptr_nonnull(dir);
    UiOptions o;
    memset(&o, 0, sizeof o);
    sim_config_default(&o.sim);
    o.sim.seq_len = 300;
    o.sim.layers = 2;
    o.sim.forget_bias = 2;
    o.command_line = "gradflow export --view states";
    int sizes[][2] = {{1920, 1080}, {3840, 2160}};
    size_t first_len[2] = {0};
    char *first[2] = {NULL, NULL};
    for (int v = UI_VIEW_STATES; v <= UI_VIEW_ANATOMY; v++)
        for (int k = 0; k < 2; k++) {
            o.view = (UiView)v;
            o.width = sizes[k][0];
            o.height = sizes[k][1];
            GfError err = {0};
            char a[64], b[64];
            snprintf(a, sizeof a, "v%d-%d-a.png", v, k);
            snprintf(b, sizeof b, "v%d-%d-b.png", v, k);
            ck_assert_msg(ui_export(&o, ut_path(dir, a), &err) == 0, "%s", err.msg);
            ck_assert_msg(ui_export(&o, ut_path(dir, b), &err) == 0, "%s", err.msg);
            SDL_Surface *img = IMG_Load(ut_path(dir, a));
            ck_assert_ptr_nonnull(img);
            ck_assert_int_eq(img->w, sizes[k][0]);
            ck_assert_int_eq(img->h, sizes[k][1]);
            SDL_FreeSurface(img);
            size_t na = 0, nb = 0;
            char *pa = tu_read_file(ut_path(dir, a), &na), *pb = tu_read_file(ut_path(dir, b), &nb);
            ck_assert(pa && pb && na > 10000);
            ck_assert_uint_eq(na, nb);
            ck_assert_msg(memcmp(pa, pb, na) == 0, "view %d at %dx%d: two exports differ", v, sizes[k][0], sizes[k][1]);
            free(pb);
            if (k == 0) {
                if (v == UI_VIEW_STATES) {
                    first[0] = pa;
                    first_len[0] = na;
                } else {
                    first[1] = pa;
                    first_len[1] = na;
                }
            } else {
                free(pa);
            }
        }
    /* and the two views are different pictures */
    ck_assert(first_len[0] != first_len[1] || memcmp(first[0], first[1], first_len[0]) != 0);
    free(first[0]);
    free(first[1]);
}
END_TEST

/* ---------------------------------------------------------------- the window ----------------- */

typedef struct Script {
    int step;
    uint64_t gen0;      /* requests made when the first picture arrived */
    unsigned results0;  /* results taken by then */
    uint32_t hash[4];   /* the content's pixels in each view */
    char saved[1100];   /* the PNG S saved */
    char failure[256];
} Script;

/* FNV-1a over the content's pixels as the renderer has them this frame (above the status line,
 * whose messages come and go). */
static uint32_t content_hash_(UiWindow *w)
{
    UiRect a = w->vs.frame.content;
    if (w->vs.frame.status.h > 0) a.h = w->vs.frame.status.y - a.y;
    return ut_pixels_hash(w->ren, a);
}

static void fail_(Script *s, const char *what)
{
    if (!s->failure[0]) snprintf(s->failure, sizeof s->failure, "%s (step %d)", what, s->step);
}

/* Switching views recomputes nothing: no new request, no new result. */
static void no_recompute_(Script *s, UiWindow *w)
{
    if (w->gen_requested != s->gen0 || w->results != s->results0) fail_(s, "switching views recomputed");
}

static int script_(void *user, UiWindow *w)
{
    Script *s = user;
    if (s->failure[0] || w->frame > 3000) {
        fail_(s, "frame cap reached");
        return 1;
    }
    switch (s->step) {
    case 0: /* the first picture, in the gradients view */
        if (!w->shown.valid || w->gen_done != w->gen_requested) return 0;
        if (w->vs.view != UI_VIEW_GRADIENTS) fail_(s, "the window does not start in the gradients view");
        s->gen0 = w->gen_requested;
        s->results0 = w->results;
        s->hash[0] = content_hash_(w);
        ut_key(SDLK_TAB, KMOD_NONE);
        s->step = 1;
        return 0;
    case 1: /* Tab: the states view, inside the lstm */
        if (w->set.view != UI_VIEW_STATES) fail_(s, "Tab did not switch to the states view");
        if (w->vs.view != UI_VIEW_STATES || w->vs.states.cell != GF_CELL_LSTM || w->vs.states.nmaps != 6)
            fail_(s, "the states view was not drawn for the LSTM");
        no_recompute_(s, w);
        s->hash[1] = content_hash_(w);
        if (s->hash[1] == s->hash[0]) fail_(s, "the picture did not change with the view");
        ut_key(SDLK_TAB, KMOD_NONE);
        s->step = 2;
        return 0;
    case 2: /* Tab: the anatomy */
        if (w->set.view != UI_VIEW_ANATOMY || w->vs.view != UI_VIEW_ANATOMY || w->vs.anatomy.cell != GF_CELL_LSTM)
            fail_(s, "Tab did not switch to the anatomy view");
        no_recompute_(s, w);
        s->hash[2] = content_hash_(w);
        if (s->hash[2] == s->hash[1] || s->hash[2] == s->hash[0]) fail_(s, "the anatomy looks like another view");
        ut_key(SDLK_c, KMOD_NONE); /* look inside the gru */
        s->step = 3;
        return 0;
    case 3:
        if (w->set.inside_cell != GF_CELL_GRU || w->vs.anatomy.cell != GF_CELL_GRU) fail_(s, "C did not pick the GRU");
        no_recompute_(s, w);
        if (content_hash_(w) == s->hash[2]) fail_(s, "the picture did not change with the cell");
        ut_key(SDLK_TAB, KMOD_SHIFT); /* back to the states, now of the gru */
        s->step = 4;
        return 0;
    case 4:
        if (w->vs.view != UI_VIEW_STATES || w->vs.states.cell != GF_CELL_GRU || w->vs.states.nmaps != 4)
            fail_(s, "Shift+Tab did not go back to the states view of the GRU");
        no_recompute_(s, w);
        ut_key(SDLK_s, KMOD_NONE); /* save this view */
        s->step = 40;
        return 0;
    case 40: /* the PNG names the view and rebuilds it from its command line */
        if (!w->last_saved[0]) return 0;
        snprintf(s->saved, sizeof s->saved, "%s", w->last_saved);
        ut_key(SDLK_TAB, KMOD_NONE); /* anatomy, training, gradients */
        ut_key(SDLK_TAB, KMOD_NONE);
        ut_key(SDLK_TAB, KMOD_NONE);
        s->step = 5;
        return 0;
    case 5: /* round the circle: the gradients view, the same picture as before */
        if (w->vs.view != UI_VIEW_GRADIENTS) fail_(s, "Tab did not come back to the gradients view");
        no_recompute_(s, w);
        if (content_hash_(w) != s->hash[0]) fail_(s, "the gradients view changed after a round of views");
        ut_key(SDLK_q, KMOD_NONE);
        s->step = 6;
        return 0;
    default:
        fail_(s, "Q did not quit");
        return 1;
    }
}

START_TEST(test_tab_switches_views_without_recomputing)
{
    UiOptions o;
    memset(&o, 0, sizeof o);
    sim_config_default(&o.sim);
    o.sim.seq_len = 100;
    o.sim.hidden = 16;
    o.sim.layers = 2;
    o.width = 1280;
    o.height = 720;
    const char *dir = tu_temp_dir();
    ck_assert_ptr_nonnull(dir);
    setenv("GRADFLOW_SAVE_DIR", dir, 1);
    static Script s;
    memset(&s, 0, sizeof s);
    UiHooks h = {&s, script_};
    GfError err = {0};
    ck_assert_msg(window_run(&o, &h, &err) == 0, "window_run: %s", err.msg);
    ck_assert_msg(s.failure[0] == 0, "%s", s.failure);
    ck_assert_int_eq(s.step, 6);
    /* S in the states view of the GRU: a picture named after the view, whose command line draws
       the states view looking inside the GRU (the LSTM left out so it is the one picked) */
    ck_assert_ptr_nonnull(strstr(s.saved, "-states-"));
    size_t n = 0;
    char *png = tu_read_file(s.saved, &n);
    ck_assert_ptr_nonnull(png);
    char text[1400];
    ck_assert_int_eq(png_find_text((const uint8_t *)png, n, "Comment", text, sizeof text), 0);
    ck_assert_ptr_nonnull(strstr(text, " --view states "));
    ck_assert_ptr_nonnull(strstr(text, "--cell rnn,gru "));
    free(png);
}
END_TEST

static int start_view_(void *user, UiWindow *w)
{
    int *seen = user;
    if (w->shown.valid && w->gen_done == w->gen_requested) {
        *seen = (int)w->vs.view * 10 + (w->vs.anatomy.cell >= 0);
        return 1;
    }
    return w->frame > 3000;
}

START_TEST(test_window_starts_in_the_view_asked)
{
    UiOptions o;
    memset(&o, 0, sizeof o);
    sim_config_default(&o.sim);
    o.sim.seq_len = 60;
    o.sim.hidden = 8;
    o.view = UI_VIEW_ANATOMY; /* gradflow --view anatomy */
    o.width = 1024;
    o.height = 640;
    int seen = -1;
    UiHooks h = {&seen, start_view_};
    GfError err = {0};
    ck_assert_msg(window_run(&o, &h, &err) == 0, "%s", err.msg);
    ck_assert_int_eq(seen, UI_VIEW_ANATOMY * 10 + 1);
}
END_TEST

static Suite *suite_(void)
{
    Suite *s = suite_create("ui_views");
    TCase *t = tcase_create("states");
    tcase_set_timeout(t, 60);
    tcase_add_test(t, test_heatmap_pixels_are_the_cores_values);
    tcase_add_test(t, test_layer_drawn_is_the_layer_shown);
    tcase_add_test(t, test_states_layout_from_small_to_4k);
    tcase_add_test(t, test_cell_diagram_numbers_are_the_cores);
    tcase_add_test(t, test_states_plots_where_the_data_says);
    tcase_add_test(t, test_no_data_says_so);
    suite_add_tcase(s, t);
    t = tcase_create("sizes");
    tcase_set_timeout(t, 120);
    tcase_add_test(t, test_every_view_at_any_size);
    suite_add_tcase(s, t);
    t = tcase_create("anatomy");
    tcase_set_timeout(t, 60);
    tcase_add_test(t, test_anatomy_drawn);
    tcase_add_test(t, test_anatomy_head_readable_in_a_narrow_window);
    tcase_add_test(t, test_anatomy_bidirectional);
    tcase_add_test(t, test_anatomy_layout_from_small_to_4k);
    suite_add_tcase(s, t);
    t = tcase_create("export");
    tcase_set_timeout(t, 120);
    tcase_add_test(t, test_export_views_1080p_and_4k);
    suite_add_tcase(s, t);
    t = tcase_create("window");
    tcase_set_timeout(t, 60);
    tcase_add_test(t, test_tab_switches_views_without_recomputing);
    tcase_add_test(t, test_window_starts_in_the_view_asked);
    suite_add_tcase(s, t);
    return s;
}

GF_CHECK_MAIN(suite_)
