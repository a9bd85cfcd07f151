/* test_ui_draw.c - the view drawn headless (software renderer on a surface): curves where the data
 * puts them, text where the labels go, the floor and inf/NaN strips, themes, layers, the bound,
 * the hover readout, and sizes from 1080p to 4K. */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "theme.h"
#include "uitest.h"
#include "check_main.h"

#define T_STEPS 200

/* rnn falls 0.1 decade per step back from 1 at t = T-1; lstm h stays at 1e-2, its c at 1e-1;
 * gru falls 0.05 decade per step. */
static double norms_(int c, int l, int t, int is_c)
{
    double back = T_STEPS - 1 - t;
    if (c == GF_CELL_RNN) return pow(10.0, -0.1 * back - l);
    if (c == GF_CELL_LSTM) return is_c ? 1e-1 : 1e-2;
    return pow(10.0, -0.05 * back);
}

static const Theme *light_(void) { return theme_get(UI_THEME_LIGHT); }

/* The pixel holding a point is (floor x, floor y): pixel (i, j) covers [i, i+1) x [j, j+1). */

/* 1 if a pixel within r px of (x, y) has colour c */
static int near_colour_(SDL_Surface *s, int x, int y, int r, UiColor c, int tol)
{
    return ut_count(s, ui_rect(x - r, y - r, 2 * r + 1, 2 * r + 1), c, tol) > 0;
}

START_TEST(test_curves_where_the_data_says)
{
    PlotData pd;
    ut_plotdata(&pd, GF_CELLS_ALL, 1, T_STEPS, norms_, 0.9);
    UiSettings s = ut_settings(T_STEPS);
    s.theory = 0;
    UtDraw d;
    ut_draw(&d, &pd, &s, 1920, 1080, 0);
    const PlotMap *m = &d.vs.gradients.map;
    const Theme *th = light_();
    /* the solid rnn curve: its colour exactly at (x(t), y(g_t)) for several t, and not 40 px off */
    for (int t = 20; t < T_STEPS; t += 37) {
        int x = (int)floorf(axis_x(m, t)), y = (int)floorf(axis_y(m, norms_(GF_CELL_RNN, 0, t, 0)));
        ck_assert_msg(ut_near(ut_pixel(d.surf, x, y), th->cell[GF_CELL_RNN], 12), "rnn not at t = %d", t);
        ck_assert(!near_colour_(d.surf, x, y - 40, 3, th->cell[GF_CELL_RNN], 40));
        ck_assert(!near_colour_(d.surf, x, y + 40, 3, th->cell[GF_CELL_RNN], 40));
    }
    /* dashed curves: their colour along their row within one dash period */
    int yl = (int)floorf(axis_y(m, 1e-2)), yc = (int)floorf(axis_y(m, 1e-1));
    UiRect row_l = ui_rect((int)axis_x(m, 50), yl - 1, 60, 3), row_c = ui_rect((int)axis_x(m, 50), yc - 1, 60, 3);
    ck_assert_int_gt(ut_count(d.surf, row_l, th->cell[GF_CELL_LSTM], 12), 20);
    /* the cell state's curve in its own shade, so it stands apart where it runs on the h curve */
    ck_assert_int_gt(ut_count(d.surf, row_c, th->lstm_c, 12), 5);
    ck_assert_int_eq(ut_count(d.surf, row_c, th->cell[GF_CELL_LSTM], 40), 0);
    ck_assert_int_eq(ut_count(d.surf, row_l, th->lstm_c, 12), 0);
    /* ... with gaps (a dashed line, not solid) */
    ck_assert_int_lt(ut_count(d.surf, ui_rect(row_l.x, yl, 60, 1), th->cell[GF_CELL_LSTM], 12), 58);
    int tg = 120, xg = (int)floorf(axis_x(m, tg)), yg = (int)floorf(axis_y(m, norms_(GF_CELL_GRU, 0, tg, 0)));
    ck_assert(near_colour_(d.surf, xg, yg, 12, th->cell[GF_CELL_GRU], 12));
    /* the y axis spans the data: 1e-19.9 .. 1 */
    ck_assert(m->lo <= -20 && m->hi >= 0 && m->hi <= 5);
    ut_draw_free(&d);
    plotdata_free(&pd);
}
END_TEST

START_TEST(test_text_where_labels_go)
{
    PlotData pd;
    ut_plotdata(&pd, GF_CELLS_ALL, 1, T_STEPS, norms_, 0.9);
    UiSettings s = ut_settings(T_STEPS);
    UtDraw d;
    ut_draw(&d, &pd, &s, 1920, 1080, 0);
    const Theme *th = light_();
    const UiFrame *f = &d.vs.frame;
    /* title, axis titles, tick labels and every legend entry hold dark text pixels */
    ck_assert_int_gt(ut_count(d.surf, f->title, th->fg, 60), 400);
    ck_assert_int_gt(ut_count(d.surf, f->xlabel, th->fg, 60), 40);
    ck_assert_int_gt(ut_count(d.surf, f->annot, th->fg, 60), 80);
    ck_assert_int_gt(ut_count(d.surf, f->yticks, th->fg, 60), 100);
    ck_assert_int_gt(ut_count(d.surf, f->xticks, th->fg, 60), 50);
    ck_assert_int_ge(d.vs.gradients.nlegend, 4); /* rnn, bound, lstm h, lstm c, gru */
    for (int i = 0; i < d.vs.gradients.nlegend; i++) {
        UiRect r = d.vs.gradients.legend_item[i];
        ck_assert_msg(ut_count(d.surf, r, th->fg, 60) > 150, "legend entry %d has no text", i);
        ck_assert(ui_rect_inside(r, f->legend));
    }
    /* the legend's line samples are in the curves' colours */
    ck_assert_int_gt(ut_count(d.surf, d.vs.gradients.legend_item[0], th->cell[GF_CELL_RNN], 10), 40);
    /* the panel is drawn, with its widgets */
    ck_assert(d.vs.panel_shown);
    ck_assert_int_gt(ut_ink(d.surf, d.vs.panel.widget[PANEL_SCALE], th->panel_bg, 10), 100);
    ut_draw_free(&d);
    plotdata_free(&pd);
}
END_TEST

static double zeros_and_inf_(int c, int l, int t, int is_c)
{
    (void)l;
    (void)is_c;
    if (c == GF_CELL_RNN) return t < 30 ? 0.0 : pow(10.0, -(T_STEPS - 1 - t) * 0.5);
    if (c == GF_CELL_GRU) return t < 15 ? INFINITY : t < 20 ? NAN : 10.0 + t;
    return 1.0;
}

START_TEST(test_floor_and_overflow_strips)
{
    PlotData pd;
    ut_plotdata(&pd, 1u << GF_CELL_RNN | 1u << GF_CELL_GRU, 1, T_STEPS, zeros_and_inf_, 1.2);
    pd.cell[GF_CELL_GRU].nonfinite = 1;
    UiSettings s = ut_settings(T_STEPS);
    s.sim.cells = GF_CELLS_ALL;
    UtDraw d;
    ut_draw(&d, &pd, &s, 1920, 1080, 0);
    const PlotMap *m = &d.vs.gradients.map;
    const Theme *th = light_();
    ck_assert(m->floor_band && m->top_band);
    /* zeros are drawn in the floor strip, inf/NaN in the top strip */
    int x = (int)floorf(axis_x(m, 10));
    int yf = (m->floor_y0 + m->floor_y1) / 2, yt = (m->top_y0 + m->top_y1) / 2;
    ck_assert(near_colour_(d.surf, x, yf, 2, th->cell[GF_CELL_RNN], 12));
    ck_assert(near_colour_(d.surf, x, yt, 14, th->cell[GF_CELL_GRU], 12));
    /* both strips carry a label */
    UiRect fs = ui_rect(m->area.x, m->floor_y0, m->area.w, m->floor_y1 - m->floor_y0);
    UiRect ts = ui_rect(m->area.x, m->top_y0, m->area.w, m->top_y1 - m->top_y0);
    ck_assert_int_gt(ut_count(d.surf, fs, th->fg_muted, 40), 100);
    ck_assert_int_gt(ut_count(d.surf, ts, th->warn, 40), 100);
    /* the range itself holds the finite data: 1e-84.5 .. 218 */
    ck_assert(m->lo <= -85 && m->hi >= 3);
    ut_draw_free(&d);
    plotdata_free(&pd);
}
END_TEST

static double all_nan_(int c, int l, int t, int is_c)
{
    (void)c, (void)l, (void)t, (void)is_c;
    return NAN;
}

START_TEST(test_all_nan_is_not_blank)
{
    PlotData pd;
    ut_plotdata(&pd, 1u << GF_CELL_RNN, 1, 50, all_nan_, NAN);
    UiSettings s = ut_settings(50);
    UtDraw d;
    ut_draw(&d, &pd, &s, 1280, 720, 1);
    const PlotMap *m = &d.vs.gradients.map;
    ck_assert(m->top_band);
    ck_assert_int_gt(ut_count(d.surf, ui_rect(m->area.x, m->top_y0, m->area.w, m->top_y1 - m->top_y0),
                              light_()->warn, 40), 50);
    ck_assert_int_gt(ut_count(d.surf, d.vs.gradients.legend_item[0], light_()->warn, 40), 30);
    ut_draw_free(&d);
    plotdata_free(&pd);
}
END_TEST

START_TEST(test_theory_bound_and_shading)
{
    PlotData pd;
    ut_plotdata(&pd, 1u << GF_CELL_RNN, 1, T_STEPS, norms_, pow(10.0, -0.05)); /* bound falls 0.05 dec/step */
    UiSettings s = ut_settings(T_STEPS);
    s.sim.cells = 1u << GF_CELL_RNN;
    UtDraw d;
    ut_draw(&d, &pd, &s, 1920, 1080, 1);
    const PlotMap *m = &d.vs.gradients.map;
    const Theme *th = light_();
    /* the dashed bound passes through 10^(-0.05 (T-1-t)) */
    int t = 60, x = (int)floorf(axis_x(m, t)), y = (int)floorf(axis_y(m, pow(10.0, -0.05 * (T_STEPS - 1 - t))));
    UiRect seg = ui_rect(x - 30, y - 20, 60, 40);
    ck_assert_int_gt(ut_count(d.surf, seg, th->cell[GF_CELL_RNN], 12), 15);
    /* far below 1e-7 of the top gradient the background is the vanishing shade */
    int yb = m->main_y1 - 3;
    ck_assert(ut_near(ut_pixel(d.surf, m->area.x + m->area.w / 2 + 7, yb), th->shade_vanish, 2));
    /* theory off: no bound, plain background there */
    s.theory = 0;
    ut_redraw(&d, &pd, &s, 0, -1, -1);
    ck_assert_int_eq(ut_count(d.surf, seg, th->cell[GF_CELL_RNN], 12), 0);
    ck_assert(ut_near(ut_pixel(d.surf, m->area.x + m->area.w / 2 + 7, yb), th->plot_bg, 2));
    ut_draw_free(&d);
    plotdata_free(&pd);
}
END_TEST

START_TEST(test_hidden_cells_and_layers)
{
    PlotData pd;
    ut_plotdata(&pd, GF_CELLS_ALL, 2, T_STEPS, norms_, 0.9);
    UiSettings s = ut_settings(T_STEPS);
    s.sim.layers = 2;
    s.sim.cells = 1u << GF_CELL_RNN | 1u << GF_CELL_LSTM; /* gru hidden */
    s.theory = 0;
    UtDraw d;
    ut_draw(&d, &pd, &s, 1920, 1080, 1);
    const PlotMap *m = &d.vs.gradients.map;
    const Theme *th = light_();
    ck_assert_int_eq(ut_count(d.surf, m->area, th->cell[GF_CELL_GRU], 6), 0);
    /* every layer: layer 1 in full colour, layer 0 (a decade lower) faded */
    int t = 150, x = (int)floorf(axis_x(m, t));
    int y1 = (int)floorf(axis_y(m, norms_(GF_CELL_RNN, 1, t, 0))), y0 = (int)floorf(axis_y(m, norms_(GF_CELL_RNN, 0, t, 0)));
    ck_assert(ut_near(ut_pixel(d.surf, x, y1), th->cell[GF_CELL_RNN], 12));
    UiColor faded = ui_color_mix(th->cell[GF_CELL_RNN], th->plot_bg, 0.6);
    ck_assert(ut_near(ut_pixel(d.surf, x, y0), faded, 14));
    /* only layer 0 */
    s.layer_shown = 0;
    ut_redraw(&d, &pd, &s, 0, -1, -1);
    m = &d.vs.gradients.map;
    y0 = (int)floorf(axis_y(m, norms_(GF_CELL_RNN, 0, t, 0)));
    ck_assert(ut_near(ut_pixel(d.surf, x, y0), th->cell[GF_CELL_RNN], 12));
    ut_draw_free(&d);
    plotdata_free(&pd);
}
END_TEST

START_TEST(test_themes_and_plot_only)
{
    PlotData pd;
    ut_plotdata(&pd, GF_CELLS_ALL, 1, T_STEPS, norms_, 0.9);
    UiSettings s = ut_settings(T_STEPS);
    s.theme = UI_THEME_DARK;
    UtDraw d;
    ut_draw(&d, &pd, &s, 1600, 900, 1);
    const Theme *dk = theme_get(UI_THEME_DARK);
    ck_assert(ut_near(ut_pixel(d.surf, 2, 2), dk->bg, 0));
    ck_assert(ut_near(ut_pixel(d.surf, 1598, 450), dk->bg, 0)); /* no panel */
    ck_assert(!d.vs.panel_shown);
    ck_assert_int_gt(ut_count(d.surf, d.vs.frame.title, dk->fg, 60), 300);
    /* the plot takes the panel's room */
    ck_assert_int_gt(d.vs.gradients.map.area.w, 1600 * 80 / 100);
    ut_draw_free(&d);
    plotdata_free(&pd);
}
END_TEST

START_TEST(test_4k_is_drawn_not_scaled)
{
    PlotData pd;
    ut_plotdata(&pd, 1u << GF_CELL_RNN, 1, T_STEPS, norms_, 0.9);
    UiSettings s = ut_settings(T_STEPS);
    s.sim.cells = 1u << GF_CELL_RNN;
    s.theory = 0;
    UtDraw a, b;
    ut_draw(&a, &pd, &s, 1920, 1080, 1);
    ut_draw(&b, &pd, &s, 3840, 2160, 1);
    const Theme *th = light_();
    /* the same curve at the same relative place, twice as thick, at both sizes */
    int t = 100;
    int xa = (int)floorf(axis_x(&a.vs.gradients.map, t)), xb = (int)floorf(axis_x(&b.vs.gradients.map, t));
    int ra = ut_count(a.surf, ui_rect(xa, 0, 1, 1080), th->cell[GF_CELL_RNN], 100);
    int rb = ut_count(b.surf, ui_rect(xb, 0, 1, 2160), th->cell[GF_CELL_RNN], 100);
    ck_assert_msg(rb >= 2 * ra - 2 && rb <= 2 * ra + 3, "curve %d px thick at 1080p, %d at 4K", ra, rb);
    ck_assert_int_ge(ra, 3); /* at least two pixels wide at 1080p (3.2 px pen) */
    ck_assert_int_eq(b.vs.dc.metrics.font_body, 2 * a.vs.dc.metrics.font_body);
    double fa = (double)(a.vs.gradients.map.area.y) / 1080, fb = (double)(b.vs.gradients.map.area.y) / 2160;
    ck_assert(fabs(fa - fb) < 0.01);
    ut_draw_free(&a);
    ut_draw_free(&b);
    plotdata_free(&pd);
}
END_TEST

START_TEST(test_hover_readout)
{
    PlotData pd;
    ut_plotdata(&pd, GF_CELLS_ALL, 1, T_STEPS, norms_, 0.9);
    UiSettings s = ut_settings(T_STEPS);
    UtDraw d;
    ut_draw(&d, &pd, &s, 1920, 1080, 0);
    ck_assert_int_eq(d.vs.hover_box.w, 0); /* not interactive: no hover */
    const PlotMap *m = &d.vs.gradients.map;
    int x = (int)floorf(axis_x(m, 77));
    ut_redraw(&d, &pd, &s, 1, x, m->area.y + m->area.h / 2);
    UiRect hb = d.vs.hover_box;
    ck_assert_int_gt(hb.w, 50);
    ck_assert(ui_rect_inside(hb, m->area));
    const Theme *th = light_();
    ck_assert_int_gt(ut_count(d.surf, hb, th->fg, 60), 100);
    ck_assert_int_gt(ut_count(d.surf, hb, th->cell[GF_CELL_RNN], 40), 40);
    /* mouse outside the plot: none */
    ut_redraw(&d, &pd, &s, 1, 5, 5);
    ck_assert_int_eq(d.vs.hover_box.w, 0);
    /* help overlay */
    s.help = 1;
    ut_redraw(&d, &pd, &s, 1, -1, -1);
    ck_assert_int_gt(d.vs.help_box.w, 200);
    ck_assert_int_gt(ut_count(d.surf, d.vs.help_box, th->fg, 60), 2000);
    ut_draw_free(&d);
    /* at the largest text size every key still fits in the window, none cut off */
    ut_draw_at(&d, &pd, &s, 1280, 720, 0, 0.8 * UI_TEXT_SCALE_MAX);
    ut_redraw(&d, &pd, &s, 1, -1, -1);
    ck_assert_msg(ui_rect_inside(d.vs.help_box, ui_rect(0, 0, 1280, 720)), "help %dx%d at %d,%d", d.vs.help_box.w,
                  d.vs.help_box.h, d.vs.help_box.x, d.vs.help_box.y);
    ck_assert_int_gt(ut_count(d.surf, d.vs.help_box, th->fg, 60), 2000);
    ut_draw_free(&d);
    plotdata_free(&pd);
}
END_TEST

START_TEST(test_linear_axis_and_small_window)
{
    PlotData pd;
    ut_plotdata(&pd, GF_CELLS_ALL, 1, T_STEPS, norms_, 0.9);
    UiSettings s = ut_settings(T_STEPS);
    s.log_y = 0;
    s.preset = 2; /* with a caption */
    UtDraw d;
    ut_draw(&d, &pd, &s, 1024, 640, 0);
    const PlotMap *m = &d.vs.gradients.map;
    ck_assert(!m->log);
    ck_assert_double_eq(m->lo, 0);
    /* the rnn reaches 1 at t = T-1 */
    int x = (int)floorf(axis_x(m, T_STEPS - 1)), y = (int)floorf(axis_y(m, 1.0));
    /* (steep there, and over the gru's end: a 2.6 px pen leaves few pure pixels) */
    ck_assert(near_colour_(d.surf, x, y, 3, light_()->cell[GF_CELL_RNN], 20));
    ck_assert_int_gt(ut_count(d.surf, d.vs.frame.caption, light_()->accent, 60), 100);
    ck_assert(d.vs.frame.plot.h > 200);
    ut_draw_free(&d);
    plotdata_free(&pd);
}
END_TEST

/* A long caption at a large text size wraps onto lines of its own, each holding text, and pushes
 * the legend and plot down rather than being cut; the title wraps too when it must. */
START_TEST(test_long_caption_wraps)
{
    PlotData pd;
    ut_plotdata(&pd, GF_CELLS_ALL, 1, T_STEPS, norms_, 0.9);
    UiSettings s = ut_settings(T_STEPS);
    s.preset = UI_NUM_PRESETS; /* the first training lesson: the longest caption */
    UtDraw d;
    for (int k = 0; k < 2; k++) {
        double scale = k ? 0.5 * 2.0 : 0.5 * 1.5; /* 960x540's scale times the text size */
        ut_draw_at(&d, &pd, &s, 960, 540, 0, scale);
        const UiFrame *f = &d.vs.frame;
        const UiMetrics *mt = &d.vs.dc.metrics;
        int lh = layout_caption_line_h(mt);
        ck_assert_int_ge(f->caption.h, 2 * lh);
        ck_assert_int_ge(f->legend.y, f->caption.y + f->caption.h);
        for (int y = f->caption.y; y + lh <= f->caption.y + f->caption.h; y += lh)
            ck_assert_int_gt(ut_count(d.surf, ui_rect(f->caption.x, y, f->caption.w, lh), light_()->accent, 60), 20);
        if (k) { /* at twice the text size even the short title takes two lines */
            ck_assert_int_ge(f->title.h, 2 * layout_title_line_h(mt));
            ck_assert_int_gt(ut_count(d.surf, ui_rect(f->title.x, f->title.y + f->title.h / 2, f->title.w, f->title.h / 2),
                                      light_()->fg, 60), 50);
        }
        ut_draw_free(&d);
    }
    /* the window at its largest text size: the text grows only as far as the plot keeps its room */
    s.text_scale = UI_TEXT_SCALE_MAX;
    ut_draw_at(&d, &pd, &s, 1280, 720, 0, 0.8 * UI_TEXT_SCALE_MAX);
    ck_assert_msg(d.vs.gradients.map.area.h >= 720 * 25 / 100, "plot %d px high", d.vs.gradients.map.area.h);
    ut_draw_free(&d);
    plotdata_free(&pd);
}
END_TEST

START_TEST(test_busy_indicator)
{
    PlotData pd;
    ut_plotdata(&pd, GF_CELLS_ALL, 1, T_STEPS, norms_, 0.9);
    UiSettings s = ut_settings(T_STEPS);
    UtDraw d;
    ut_draw(&d, &pd, &s, 1920, 1080, 0);
    UiRect tr = d.vs.frame.title;
    UiRect right = ui_rect(tr.x + tr.w * 3 / 4, tr.y, tr.w / 4, tr.h);
    const Theme *th = light_();
    ut_redraw(&d, &pd, &s, 1, -1, -1);
    int idle = ut_count(d.surf, right, th->accent, 30);
    ut_redraw_busy(&d, &pd, &s);
    int busy = ut_count(d.surf, right, th->accent, 30);
    ck_assert_int_gt(busy, idle + 50); /* "computing..." and its dots, in the accent colour */
    /* the last picture stays while computing */
    int x = (int)floorf(axis_x(&d.vs.gradients.map, 100)), y = (int)floorf(axis_y(&d.vs.gradients.map, norms_(GF_CELL_RNN, 0, 100, 0)));
    ck_assert(ut_near(ut_pixel(d.surf, x, y), th->cell[GF_CELL_RNN], 12));
    ut_draw_free(&d);
    plotdata_free(&pd);
}
END_TEST

START_TEST(test_no_data_yet)
{
    PlotData pd;
    memset(&pd, 0, sizeof pd);
    UiSettings s = ut_settings(T_STEPS);
    UtDraw d;
    ut_draw(&d, &pd, &s, 1280, 720, 0);
    /* a message in the plot, not a crash or a blank */
    ck_assert_int_gt(ut_count(d.surf, d.vs.gradients.map.area, light_()->fg_muted, 40), 50);
    ut_draw_free(&d);
}
END_TEST

/* rnn overflowed everywhere (inf), gru vanished to 0 everywhere, lstm finite: both strips hold a
 * curve along their middle, right under their labels. */
static double strips_full_(int c, int l, int t, int is_c)
{
    (void)l, (void)is_c;
    if (c == GF_CELL_RNN) return INFINITY;
    if (c == GF_CELL_GRU) return 0.0;
    return pow(10.0, -0.1 * (T_STEPS - 1 - t));
}

START_TEST(test_strip_labels_on_boxes_clear_of_the_marker)
{
    PlotData pd;
    ut_plotdata(&pd, GF_CELLS_ALL, 1, T_STEPS, strips_full_, 1.5);
    pd.cell[GF_CELL_RNN].loss = NAN;
    UiSettings s = ut_settings(T_STEPS);
    UtDraw d;
    ut_draw(&d, &pd, &s, 1920, 1080, 0);
    const PlotMap *m = &d.vs.gradients.map;
    const Theme *th = light_();
    ck_assert(m->top_band && m->floor_band);
    int right = axis_label_right(m, d.vs.dc.metrics.gap), marker = (int)floorf(axis_x(m, T_STEPS - 1));
    ck_assert_int_lt(right, marker - 2);
    int yt = (m->top_y0 + m->top_y1) / 2, yf = (m->floor_y0 + m->floor_y1) / 2;
    /* the curves run along the strips ... */
    ck_assert_int_gt(ut_count(d.surf, ui_rect(m->area.x + 20, yt - 1, 100, 3), th->cell[GF_CELL_RNN], 12), 100);
    ck_assert_int_gt(ut_count(d.surf, ui_rect(m->area.x + 20, yf - 1, 100, 3), th->cell[GF_CELL_GRU], 12), 50);
    /* ... but not through their labels, which sit on boxes of the strip's colour */
    UiRect lt = ui_rect(right - 150, m->top_y0, 150, m->top_y1 - m->top_y0);
    UiRect lf = ui_rect(right - 150, m->floor_y0, 150, m->floor_y1 - m->floor_y0);
    ck_assert_int_gt(ut_count(d.surf, lt, th->warn, 40), 100);
    ck_assert_int_gt(ut_count(d.surf, lf, th->fg_muted, 40), 60);
    ck_assert_int_eq(ut_count(d.surf, lt, th->cell[GF_CELL_RNN], 40), 0);
    ck_assert_int_eq(ut_count(d.surf, lf, th->cell[GF_CELL_GRU], 40), 0);
    /* and they end before the dotted loss marker at t = T-1 */
    UiRect gap_t = ui_rect(right + 1, m->top_y0, marker - 1 - right - 1, m->top_y1 - m->top_y0);
    UiRect gap_f = ui_rect(right + 1, m->floor_y0, marker - 1 - right - 1, m->floor_y1 - m->floor_y0);
    ck_assert_int_eq(ut_count(d.surf, gap_t, th->warn, 60), 0);
    ck_assert_int_eq(ut_count(d.surf, gap_f, th->fg_muted, 30), 0);
    ut_draw_free(&d);
    plotdata_free(&pd);
}
END_TEST

/* the rnn alone, falling 0.1 decade per step back from 1 (19.9 decades in all) */
static double rnn_falls_(int c, int l, int t, int is_c)
{
    (void)c, (void)is_c;
    return pow(10.0, -0.1 * (T_STEPS - 1 - t) - l);
}

/* pixels of the rnn's colour in a w x h box centred on the bound at step t */
static int bound_ink_(UtDraw *d, double lg, int t)
{
    const PlotMap *m = &d->vs.gradients.map;
    int x = (int)floorf(axis_x(m, t)), y = (int)floorf(axis_y_log10(m, lg));
    return ut_count(d->surf, ui_rect(x - 30, y - 6, 60, 13), light_()->cell[GF_CELL_RNN], 40);
}

START_TEST(test_bound_shows_when_sigma_above_one)
{
    PlotData pd;
    /* sigma_max = 10^0.02: the bound rises 0.02 decade per step back, 4 decades above the data at t = 0 */
    ut_plotdata(&pd, 1u << GF_CELL_RNN, 1, T_STEPS, rnn_falls_, pow(10.0, 0.02));
    UiSettings s = ut_settings(T_STEPS);
    s.sim.cells = 1u << GF_CELL_RNN;
    UtDraw d;
    ut_draw(&d, &pd, &s, 1920, 1080, 1);
    const PlotMap *m = &d.vs.gradients.map;
    ck_assert_msg(m->hi >= 0.02 * (T_STEPS - 1), "the range ends at 1e%g, under the bound", m->hi);
    ck_assert_int_gt(bound_ink_(&d, 0.02 * (T_STEPS - 1 - 30), 30), 20);
    ck_assert_int_gt(bound_ink_(&d, 0.02 * (T_STEPS - 1 - 120), 120), 20);
    /* no note: it is all in view */
    UiColor note = ui_color_mix(light_()->cell[GF_CELL_RNN], light_()->fg, 0.3);
    UiRect top = ui_rect(m->area.x, m->main_y0, m->area.w, d.vs.dc.metrics.font_small * 2);
    ck_assert_int_lt(ut_count(d.surf, top, note, 20), 10);
    ut_draw_free(&d);
    plotdata_free(&pd);

    /* 10^0.2 per step: 40 decades up, more than the range may grow (half the data's 20): the bound
       leaves through the top, and a note says where and why */
    ut_plotdata(&pd, 1u << GF_CELL_RNN, 1, T_STEPS, rnn_falls_, pow(10.0, 0.2));
    ut_draw(&d, &pd, &s, 1920, 1080, 1);
    m = &d.vs.gradients.map;
    ck_assert(m->hi >= 5 && m->hi <= 0.2 * (T_STEPS - 1) / 2);
    ck_assert_int_gt(bound_ink_(&d, 0.2 * (T_STEPS - 1 - 190), 190), 8); /* steep: a short stretch in the box */
    ck_assert_int_gt(ut_count(d.surf, top, note, 20), 150);
    ut_draw_free(&d);
    plotdata_free(&pd);
}
END_TEST

START_TEST(test_bound_of_one_layer)
{
    PlotData pd;
    /* three layers; layer l ends at 10^-l, the bound of layer l falls from there by 0.9 per step */
    ut_plotdata(&pd, 1u << GF_CELL_RNN, 3, T_STEPS, rnn_falls_, 0.9);
    UiSettings s = ut_settings(T_STEPS);
    s.sim.cells = 1u << GF_CELL_RNN;
    s.sim.layers = 3;
    UtDraw d;
    ut_draw(&d, &pd, &s, 1920, 1080, 1);
    int t = 120;
    double fall = (T_STEPS - 1 - t) * log10(0.9);
    UiColor faded = ui_color_mix(light_()->cell[GF_CELL_RNN], light_()->plot_bg, 0.6);
    const PlotMap *m = &d.vs.gradients.map;
    int x = (int)floorf(axis_x(m, t));
    /* every layer drawn: the bound is the top layer's (2), and only that one */
    ck_assert_int_gt(bound_ink_(&d, -2 + fall, t), 20);
    ck_assert_int_eq(bound_ink_(&d, 0 + fall, t), 0);
    ck_assert_int_eq(ut_count(d.surf, ui_rect(x - 30, (int)axis_y_log10(m, fall) - 6, 60, 13), faded, 30), 0);
    /* layer 0 chosen (D): its bound instead */
    s.layer_shown = 0;
    ut_redraw(&d, &pd, &s, 0, -1, -1);
    ck_assert_int_gt(bound_ink_(&d, 0 + fall, t), 20);
    ck_assert_int_eq(bound_ink_(&d, -2 + fall, t), 0);
    ut_draw_free(&d);
    plotdata_free(&pd);
}
END_TEST

/* lstm flat at 1; rnn growing back in time: 1e-19.9 at t = T-1 (the bottom right), 1 at t = 0 */
static double low_at_the_end_(int c, int l, int t, int is_c)
{
    (void)l, (void)is_c;
    return c == GF_CELL_RNN ? pow(10.0, -0.1 * t) : 1.0;
}

START_TEST(test_label_goes_where_no_curve_runs)
{
    PlotData pd;
    ut_plotdata(&pd, 1u << GF_CELL_RNN | 1u << GF_CELL_LSTM, 1, T_STEPS, low_at_the_end_, 0.9);
    UiSettings s = ut_settings(T_STEPS);
    s.sim.cells = 1u << GF_CELL_RNN | 1u << GF_CELL_LSTM;
    UtDraw d;
    ut_draw(&d, &pd, &s, 1920, 1080, 1);
    const PlotMap *m = &d.vs.gradients.map;
    const Theme *th = light_();
    int lh = d.vs.dc.metrics.font_small * 2, right = axis_label_right(m, d.vs.dc.metrics.gap);
    /* "vanishing: ..." belongs at the bottom right, where the rnn's curve ends: it goes left instead */
    UiRect left = ui_rect(m->area.x, m->main_y1 - lh, m->area.w / 2, lh);
    UiRect rightr = ui_rect(right - m->area.w / 3, m->main_y1 - lh, m->area.w / 3, lh);
    ck_assert_int_gt(ut_count(d.surf, left, th->fg_muted, 30), 100);
    ck_assert_int_lt(ut_count(d.surf, rightr, th->fg_muted, 30), 10);
    ck_assert_int_gt(ut_count(d.surf, rightr, th->cell[GF_CELL_RNN], 20), 20); /* the curve, uncovered */
    ut_draw_free(&d);
    plotdata_free(&pd);
}
END_TEST

static Suite *suite_(void)
{
    Suite *s = suite_create("ui_draw");
    TCase *t = tcase_create("draw");
    tcase_set_timeout(t, 60);
    tcase_add_test(t, test_curves_where_the_data_says);
    tcase_add_test(t, test_text_where_labels_go);
    tcase_add_test(t, test_long_caption_wraps);
    tcase_add_test(t, test_floor_and_overflow_strips);
    tcase_add_test(t, test_all_nan_is_not_blank);
    tcase_add_test(t, test_theory_bound_and_shading);
    tcase_add_test(t, test_hidden_cells_and_layers);
    tcase_add_test(t, test_themes_and_plot_only);
    tcase_add_test(t, test_4k_is_drawn_not_scaled);
    tcase_add_test(t, test_hover_readout);
    tcase_add_test(t, test_linear_axis_and_small_window);
    tcase_add_test(t, test_no_data_yet);
    tcase_add_test(t, test_busy_indicator);
    tcase_add_test(t, test_strip_labels_on_boxes_clear_of_the_marker);
    tcase_add_test(t, test_bound_shows_when_sigma_above_one);
    tcase_add_test(t, test_bound_of_one_layer);
    tcase_add_test(t, test_label_goes_where_no_curve_runs);
    suite_add_tcase(s, t);
    return s;
}

GF_CHECK_MAIN(suite_)
