/* test_ui_mechanism.c - the strips under the gradients plot and the theory lines beside the bound,
 * drawn headless: each cell's per-step factor and the line at 1, ||dL/dx_t||, the task's
 * informative steps on every time axis, the rnn's typical rate and the lstm's product of forget
 * gates where values worked out here put them; J hides the strips. */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lessons.h"
#include "theme.h"
#include "uitest.h"
#include "check_main.h"

#define T_STEPS 200
#define RATE_RHO 0.8  /* the rnn's spectral radius ... */
#define RATE_D 0.9    /* ... and mean tanh' here: a typical rate of 0.72 a step */
#define LSTM_F 0.95   /* the lstm's mean forget gate */

/* rnn falls 0.05 decade per step back from 1; lstm h, c stay at 1e-2, 1e-1; gru falls 0.02. */
static double norms_(int c, int l, int t, int is_c)
{
    (void)l;
    double back = T_STEPS - 1 - t;
    if (c == GF_CELL_RNN) return pow(10.0, -0.05 * back);
    if (c == GF_CELL_LSTM) return is_c ? 1e-1 : 1e-2;
    return pow(10.0, -0.02 * back);
}

/* A result whose factors, saliency and marks are known: rnn gain 0.5 (norm 2), lstm f 0.95
 * (largest 0.99), gru z 0.7 (largest 0.8); ||dL/dx_t|| 10^(-0.1 (T-1-t)) for every cell; the
 * informative steps 30 and 150 (sequence 0) and 60 (sequence 1). */
static void data_(PlotData *pd)
{
    ut_plotdata(pd, GF_CELLS_ALL, 1, T_STEPS, norms_, 1.2);
    static const double mean[] = {0.5, LSTM_F, 0.7}, max[] = {2.0, 0.99, 0.8};
    for (int c = 0; c < GF_NUM_CELLS; c++) {
        PlotCell *pc = &pd->cell[c];
        pc->has_factors = 1;
        for (int t = 0; t < T_STEPS; t++) {
            pc->factor[t] = mean[c];
            pc->factor_max[t] = max[c];
            pc->grad_x[t] = pow(10.0, -0.1 * (T_STEPS - 1 - t));
        }
    }
    pd->cell[GF_CELL_RNN].spectral_radius[0][0] = RATE_RHO;
    pd->cell[GF_CELL_RNN].deriv_mean[0] = RATE_D;
    pd->mark_seqs = 2;
    pd->nmarks[0] = 2, pd->marks[0][0] = 30, pd->marks[0][1] = 150;
    pd->nmarks[1] = 1, pd->marks[1][0] = 60;
}

/* Pixels of colour c within r px of (x, y). */
static int near_(SDL_Surface *s, int x, int y, int r, UiColor c, int tol)
{
    return ut_count(s, ui_rect(x - r, y - r, 2 * r + 1, 2 * r + 1), c, tol);
}

START_TEST(test_strips_where_the_data_says)
{
    PlotData pd;
    data_(&pd);
    UiSettings s = ut_settings(T_STEPS);
    s.theory = 0;
    UtDraw d;
    ut_draw(&d, &pd, &s, 1920, 1080, 0);
    const GradientsGeom *g = &d.vs.gradients;
    const Theme *th = theme_get(UI_THEME_LIGHT);
    ck_assert(g->strips);
    const PlotMap *m = &g->map, *fm = &g->fac_map, *sm = &g->sal_map;
    /* one time axis: a step falls on the same column in the plot and both strips */
    for (int t = 0; t < T_STEPS; t += 33) {
        ck_assert_float_eq_tol(axis_x(fm, t), axis_x(m, t), 0.01);
        ck_assert_float_eq_tol(axis_x(sm, t), axis_x(m, t), 0.01);
    }
    /* the strips lie under the plot, in order, inside the frame's plot box */
    ck_assert_int_ge(fm->area.y, m->area.y + m->area.h);
    ck_assert_int_ge(sm->area.y, fm->area.y + fm->area.h);
    ck_assert_int_le(sm->area.y + sm->area.h, d.vs.frame.plot.y + d.vs.frame.plot.h);
    /* the range takes in 1 and every factor */
    ck_assert(fm->lo <= log10(0.5) && fm->hi >= log10(2.0));
    for (int t = 45; t < T_STEPS - 10; t += 41) {
        int x = (int)floorf(axis_x(fm, t));
        /* the rnn's gain (solid) at 0.5, its norm faint at 2; the gru's z at 0.7 */
        ck_assert_msg(near_(d.surf, x, (int)floorf(axis_y(fm, 0.5)), 1, th->cell[GF_CELL_RNN], 14) > 0, "rnn gain t=%d", t);
        ck_assert(near_(d.surf, x, (int)floorf(axis_y(fm, 0.5)) - 12, 2, th->cell[GF_CELL_RNN], 14) == 0);
        UiColor faint = ui_color_mix(th->cell[GF_CELL_RNN], th->plot_bg, 0.55);
        ck_assert_msg(near_(d.surf, x, (int)floorf(axis_y(fm, 2.0)), 1, faint, 14) > 0, "rnn norm t=%d", t);
        /* the saliency: every cell's at 10^(-0.1 (T-1-t)); the rnn's, drawn last, on top */
        int ys = (int)floorf(axis_y(sm, pd.cell[GF_CELL_RNN].grad_x[t]));
        ck_assert_msg(near_(d.surf, (int)floorf(axis_x(sm, t)), ys, 2, th->cell[GF_CELL_RNN], 14) > 0, "saliency t=%d", t);
    }
    int tg = 100, xg = (int)floorf(axis_x(fm, tg));
    ck_assert(near_(d.surf, xg, (int)floorf(axis_y(fm, 0.7)), 3, th->cell[GF_CELL_GRU], 14) > 0);
    /* the informative steps: dotted lines down the plot and both strips at 30 and 150, none at 90 */
    UiColor mark = ui_color_mix(th->fg, th->plot_bg, 0.35);
    const PlotMap *maps[] = {m, fm, sm};
    for (int k = 0; k < 3; k++) {
        const PlotMap *p = maps[k];
        for (int i = 0; i < 3; i++) {
            int t = i == 0 ? 30 : i == 1 ? 150 : 90, x = (int)floorf(axis_x(p, t));
            int n = ut_count(d.surf, ui_rect(x - 1, p->area.y + 2, 3, p->area.h - 4), mark, 20);
            if (i < 2) ck_assert_msg(n > p->area.h / 8, "no mark at t=%d in plot %d (%d px)", t, k, n);
            else ck_assert_msg(n == 0, "a mark at t=90 in plot %d", k);
        }
    }
    /* sequence 1's step 60: a tick at the bottom of the last strip only */
    int x60 = (int)floorf(axis_x(sm, 60));
    UiColor tick = ui_color_mix(th->fg, th->plot_bg, 0.55);
    ck_assert_int_gt(ut_count(d.surf, ui_rect(x60 - 1, sm->area.y + sm->area.h - 5, 3, 4), tick, 12), 0);
    ck_assert_int_eq(ut_count(d.surf, ui_rect(x60 - 1, sm->area.y + 2, 3, sm->area.h / 2), tick, 12), 0);
    ut_draw_free(&d);
    plotdata_free(&pd);
}
END_TEST

/* Both theory lines of data_ drawn in d, each probed at six steps where
 * 10^(log10 g_{T-1} + (T-1-t) log10(rho d)) and ||dL/dc_{T-1}|| f^(T-1-t) put them, in the
 * cells' colours; dashed, so some probes fall in gaps: three of each must find it. */
static void theory_lines_found_(const UtDraw *d)
{
    const PlotMap *m = &d->vs.gradients.map;
    const Theme *th = theme_get(UI_THEME_LIGHT);
    int found_rate = 0, found_prod = 0;
    for (int t = 100; t < 190; t += 15) {
        int x = (int)floorf(axis_x(m, t));
        double rate = norms_(GF_CELL_RNN, 0, T_STEPS - 1, 0) * pow(RATE_RHO * RATE_D, T_STEPS - 1 - t);
        double prod = norms_(GF_CELL_LSTM, 0, T_STEPS - 1, 1) * pow(LSTM_F, T_STEPS - 1 - t);
        if (log10(rate) > m->lo + 0.5) found_rate += near_(d->surf, x, (int)floorf(axis_y(m, rate)), 3, th->cell[GF_CELL_RNN], 14) > 0;
        if (log10(prod) > m->lo + 0.5) found_prod += near_(d->surf, x, (int)floorf(axis_y(m, prod)), 3, th->cell[GF_CELL_LSTM], 14) > 0;
    }
    ck_assert_int_ge(found_rate, 3);
    ck_assert_int_ge(found_prod, 3);
}

/* The theory lines where 10^(log10 g_{T-1} + (T-1-t) log10(rho d)) and ||dL/dc_{T-1}|| f^(T-1-t)
 * put them, in the cells' colours, and gone with the theory off. */
START_TEST(test_theory_lines_where_the_numbers_say)
{
    PlotData pd;
    data_(&pd);
    UiSettings s = ut_settings(T_STEPS);
    s.sim.cells = 1u << GF_CELL_RNN | 1u << GF_CELL_LSTM;
    UtDraw d;
    ut_draw(&d, &pd, &s, 1920, 1080, 1);
    const PlotMap *m = &d.vs.gradients.map;
    const Theme *th = theme_get(UI_THEME_LIGHT);
    theory_lines_found_(&d);
    s.theory = 0;
    ut_redraw(&d, &pd, &s, 0, -1, -1);
    int left = 0;
    for (int t = 100; t < 190; t += 15) {
        double prod = norms_(GF_CELL_LSTM, 0, T_STEPS - 1, 1) * pow(LSTM_F, T_STEPS - 1 - t);
        left += near_(d.surf, (int)floorf(axis_x(m, t)), (int)floorf(axis_y(m, prod)), 3, th->cell[GF_CELL_LSTM], 14) > 0;
    }
    ck_assert_int_eq(left, 0);
    ut_draw_free(&d);
    plotdata_free(&pd);
}
END_TEST

/* The theory lines do not need the strips: a view whose first picture has them hidden (J, or a
 * window too small for them) still draws both lines. */
START_TEST(test_theory_lines_without_strips)
{
    PlotData pd;
    data_(&pd);
    UiSettings s = ut_settings(T_STEPS);
    s.sim.cells = 1u << GF_CELL_RNN | 1u << GF_CELL_LSTM;
    s.strips = 0;
    UtDraw d;
    ut_draw(&d, &pd, &s, 1920, 1080, 1);
    ck_assert(!d.vs.gradients.strips);
    theory_lines_found_(&d);
    ut_draw_free(&d);
    plotdata_free(&pd);
}
END_TEST

/* The strips never squeeze the plot they explain below 40% of the box they share with it, at any
 * window size and text scale (the window's minimum scale of 0.8 makes small windows' text large);
 * where they fit at 1920x1080 they are shown. */
START_TEST(test_strips_leave_the_plot_room)
{
    PlotData pd;
    data_(&pd);
    static const int sizes[][2] = {{800, 500}, {1024, 640}, {1280, 720}, {1366, 768}, {1600, 900}, {1920, 1080}};
    static const double text[] = {0.5, 1.0, 1.5};
    int shown = 0;
    for (int i = 0; i < 6; i++)
        for (int k = 0; k < 3; k++) {
            UiSettings s = ut_settings(T_STEPS);
            s.text_scale = text[k];
            double fit = fmin(sizes[i][0] / 1920.0, sizes[i][1] / 1080.0);
            UtDraw d;
            ut_draw_at(&d, &pd, &s, sizes[i][0], sizes[i][1], 0, fmax(fit, 0.8) * text[k]);
            if (d.vs.gradients.strips) {
                shown++;
                ck_assert_msg(5 * d.vs.gradients.map.area.h >= 2 * d.vs.frame.plot.h, "%dx%d at text %.1f: plot %d of %d",
                              sizes[i][0], sizes[i][1], text[k], d.vs.gradients.map.area.h, d.vs.frame.plot.h);
            }
            if (i == 5 && k == 1) ck_assert(d.vs.gradients.strips);
            ut_draw_free(&d);
        }
    ck_assert_int_ge(shown, 3);
    plotdata_free(&pd);
}
END_TEST

/* The labels inside the plot (theory lines, the bound's note, the bands' explanations) never lie
 * over one another, however little room the window leaves: real runs (the default, and the
 * lessons whose lines and bands differ most) at sizes from 800x500 to 1920x1080 and text scales
 * 0.5 to 1.5, at the window's minimum scale. A small plot keeps fewer of them. */
START_TEST(test_plot_labels_never_overlap)
{
    static const char *lessons[] = {NULL, "exploding", "lstm-remembers", "irnn"};
    static const int sizes[][2] = {{800, 500}, {1024, 640}, {1280, 720}, {1366, 768}, {1600, 900}, {1920, 1080}};
    static const double text[] = {0.5, 1.0, 1.5};
    int most = 0;
    for (int li = 0; li < 4; li++) {
        SimConfig cfg;
        sim_config_default(&cfg);
        UiSettings s = ut_settings(cfg.seq_len);
        if (lessons[li]) lesson_apply(lesson_at(lesson_index(lessons[li])), &s.sim, NULL, NULL);
        cfg = s.sim;
        Sim sim;
        sim_init(&sim);
        GfError err;
        ck_assert_msg(sim_run(&sim, &cfg, &err) == GF_OK, "%s", err.msg);
        PlotData pd = {0};
        ck_assert_int_eq(plotdata_copy_sim(&pd, &sim), GF_OK);
        for (int i = 0; i < 6; i++)
            for (int k = 0; k < 3; k++) {
                s.text_scale = text[k];
                double fit = fmin(sizes[i][0] / 1920.0, sizes[i][1] / 1080.0);
                UtDraw d;
                ut_draw_at(&d, &pd, &s, sizes[i][0], sizes[i][1], 0, fmax(fit, 0.8) * text[k]);
                ut_redraw(&d, &pd, &s, 1, -1, -1); /* as the window draws it: its key line under the plot */
                const GradientsGeom *g = &d.vs.gradients;
                for (int a = 0; a < g->nlabel_box; a++)
                    for (int b = a + 1; b < g->nlabel_box; b++)
                        ck_assert_msg(!ui_rect_overlaps(g->label_box[a], g->label_box[b]),
                                      "%s at %dx%d, text %.1f: labels %d and %d overlap", lessons[li] ? lessons[li] : "default",
                                      sizes[i][0], sizes[i][1], text[k], a, b);
                most = g->nlabel_box > most ? g->nlabel_box : most;
                ut_draw_free(&d);
            }
        plotdata_free(&pd);
        sim_free(&sim);
    }
    ck_assert_int_ge(most, 4); /* a large plot shows them */
}
END_TEST

/* In a short window (a laptop's browser: 1280 x 570) the legend's lines take at most 2/9 of the
 * height, two to a row at three quarters of their size, and leave the plot the room; a full
 * 1920 x 1080 keeps the legend's full size. */
START_TEST(test_short_window_legend_leaves_the_plot_room)
{
    SimConfig cfg;
    sim_config_default(&cfg);
    Sim sim;
    sim_init(&sim);
    GfError err;
    ck_assert_msg(sim_run(&sim, &cfg, &err) == GF_OK, "%s", err.msg);
    PlotData pd = {0};
    ck_assert_int_eq(plotdata_copy_sim(&pd, &sim), GF_OK);
    UiSettings s = ut_settings(cfg.seq_len);
    UtDraw d;
    ut_draw_at(&d, &pd, &s, 1280, 570, 0, 0.8);
    ut_redraw(&d, &pd, &s, 1, -1, -1);
    ck_assert_msg(9 * d.vs.frame.legend.h <= 2 * 570, "legend %d px of 570", d.vs.frame.legend.h);
    ck_assert_int_ge(d.vs.gradients.map.area.h, 200);
    int small_px = d.vs.gradients.legend_px;
    ut_draw_free(&d);
    ut_draw_at(&d, &pd, &s, 1920, 1080, 0, 1.0);
    ut_redraw(&d, &pd, &s, 1, -1, -1);
    ck_assert_int_gt(d.vs.gradients.legend_px, small_px);
    ut_draw_free(&d);
    plotdata_free(&pd);
    sim_free(&sim);
}
END_TEST

/* J hides the strips: the plot takes the whole box again; a result without factors still draws. */
START_TEST(test_strips_toggle)
{
    PlotData pd;
    data_(&pd);
    UiSettings s = ut_settings(T_STEPS);
    UtDraw d;
    ut_draw(&d, &pd, &s, 1280, 720, 0);
    ck_assert(d.vs.gradients.strips);
    int h_with = d.vs.gradients.map.area.h;
    ck_assert_int_eq(settings_apply_key(&s, UI_KEY_J, 0), UI_CHANGED_VIEW);
    ut_redraw(&d, &pd, &s, 0, -1, -1);
    ck_assert(!d.vs.gradients.strips);
    ck_assert_int_eq(d.vs.gradients.map.area.h, d.vs.frame.plot.h);
    ck_assert_int_gt(d.vs.gradients.map.area.h, h_with);
    settings_apply_key(&s, UI_KEY_J, 0);
    for (int c = 0; c < GF_NUM_CELLS; c++) pd.cell[c].has_factors = 0;
    ut_redraw(&d, &pd, &s, 0, -1, -1);
    ck_assert(d.vs.gradients.strips);
    ut_draw_free(&d);
    plotdata_free(&pd);
}
END_TEST

static Suite *suite_(void)
{
    Suite *s = suite_create("ui_mechanism");
    TCase *tc = tcase_create("mechanism");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_strips_where_the_data_says);
    tcase_add_test(tc, test_theory_lines_where_the_numbers_say);
    tcase_add_test(tc, test_strips_toggle);
    tcase_add_test(tc, test_theory_lines_without_strips);
    tcase_add_test(tc, test_strips_leave_the_plot_room);
    tcase_add_test(tc, test_plot_labels_never_overlap);
    tcase_add_test(tc, test_short_window_legend_leaves_the_plot_room);
    suite_add_tcase(s, tc);
    return s;
}

GF_CHECK_MAIN(suite_)
