/* lineplot.c - mapping, interior painting and axes of the small time-series plots. */
#include "lineplot.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "gfx.h"

void lineplot_build(PlotMap *m, UiRect area, int log, double lo, double hi, double step,
                    const LpSeries *s, int n, int T, const UiMetrics *mt, int min_gap_x_px,
                    double min_decades)
{
    AxisFit fit;
    axis_fit_init(&fit);
    int fixed = !log && lo < hi;
    if (fixed) {
        fit.vmin = lo;
        fit.vmax = hi;
        fit.any = 1;
    } else {
        for (int i = 0; i < n; i++)
            if (s[i].v && !s[i].guest) axis_fit_add(&fit, s[i].v, (size_t)s[i].T);
        /* a nearly flat curve still gets a few decades around it, so it reads as flat */
        if (log && fit.any && log10(fit.vmax) - log10(fit.vmin) < min_decades)
            axis_fit_add_log10(&fit, log10(fit.vmax) - min_decades);
    }
    axis_build(m, &fit, log, area, T, mt->band_h, (int)lround(mt->font_tick * 2.0), min_gap_x_px);
    if (fixed) { /* exactly [lo, hi], whatever the series hold */
        m->lo = lo;
        m->hi = hi;
        m->major = step > 0 ? step : hi - lo;
        m->minor = 0;
        m->top_band = 0;
        m->main_y0 = area.y;
        m->main_y1 = area.y + area.h;
    }
}

static int reserve_(LpScratch *sc, size_t pts)
{
    if (pts <= sc->cap) return 0;
    float *p = realloc(sc->xy, pts * 2 * sizeof *p);
    if (!p) return -1;
    sc->xy = p;
    sc->cap = pts;
    return 0;
}

/* Row y kept inside the plot's rows [y0, y1]: the canvas is shared with the panels around it. */
static float clampy_(float y, float y0, float y1) { return y < y0 ? y0 : y > y1 ? y1 : y; }

/* Row of value v, or NaN (a break) when outside_breaks and v lies outside a log plot's range (or
 * is not finite). */
static float row_(const PlotMap *m, double v, const LpRows *rows)
{
    if (rows->outside_breaks && m->log && !(v > 0 && isfinite(v) && log10(v) >= m->lo && log10(v) <= m->hi))
        return NAN;
    return clampy_(axis_y(m, v) - rows->oy, rows->y0, rows->y1);
}

int lineplot_envelope(float *xy, const PlotMap *m, const double *v, int T, int x0, const LpRows *rows, int nan_breaks)
{
    int w = m->area.w;
    int n = 0, t = 0;
    for (int col = 0; col < w && t < T; col++) {
        float lo = 1e9f, hi = -1e9f;
        int t0 = t;
        int gone = 0; /* some value of the column left the plot */
        while (t < T && axis_x(m, t) - (float)m->area.x < (float)col + 1) {
            float y = row_(m, v[t], rows);
            if (isnan(y)) gone = 1;
            else {
                lo = fminf(lo, y);
                hi = fmaxf(hi, y);
            }
            t++;
        }
        if (t == t0) continue;
        if (nan_breaks && gone && lo > hi) { /* the whole column is out: a break */
            lo = hi = NAN;
        }
        float x = (float)(x0 + col) + 0.5f;
        xy[2 * n] = x;
        xy[2 * n + 1] = lo;
        n++;
        if (hi > lo) {
            xy[2 * n] = x;
            xy[2 * n + 1] = hi;
            n++;
        }
    }
    return n;
}

int lineplot_points(const PlotMap *m, const double *v, int T, int ox, int oy, int outside_breaks, LpScratch *sc)
{
    int w = m->area.w;
    if (w <= 0 || m->area.h <= 0 || T <= 0) return 0; /* no room: no line (never a size from a negative) */
    LpRows rows = {(float)oy, (float)(m->area.y - oy), (float)(m->area.y + m->area.h - oy), outside_breaks};
    if (T <= 3 * w) {
        if (reserve_(sc, (size_t)T)) return 0;
        for (int t = 0; t < T; t++) {
            sc->xy[2 * t] = axis_x(m, t) - (float)ox;
            sc->xy[2 * t + 1] = row_(m, v[t], &rows);
        }
        return T;
    }
    if (reserve_(sc, (size_t)w * 2 + 2)) return 0;
    return lineplot_envelope(sc->xy, m, v, T, m->area.x - ox, &rows, 1);
}

void lineplot_paint(Canvas *cv, int ox, int oy, const PlotMap *m, const LpSeries *s, int n,
                    int loss_marker, const Theme *th, const UiMetrics *mt, LpScratch *sc)
{
    UiRect a = ui_rect(m->area.x - ox, m->area.y - oy, m->area.w, m->area.h);
    canvas_fill_rect(cv, a, th->plot_bg);
    int gw = mt->grid_w;
    /* grid: minor decades, major ticks, then the x ticks */
    if (m->log && m->minor > 0)
        for (double v = ceil(m->lo / m->minor) * m->minor; v <= m->hi + 1e-9; v += m->minor) {
            int y = (int)lroundf(axis_y_log10(m, v)) - oy;
            canvas_fill_rect(cv, ui_rect(a.x, y - gw / 2, a.w, gw), th->grid_minor);
        }
    for (double v = ceil(m->lo / m->major - 1e-9) * m->major; v <= m->hi + 1e-9; v += m->major) {
        int y = (int)lroundf(m->log ? axis_y_log10(m, v) : axis_y(m, v)) - oy;
        canvas_fill_rect(cv, ui_rect(a.x, y - gw / 2, a.w, gw), th->grid);
    }
    for (int t = 0; t <= m->T - 1; t += m->x_major) {
        int x = (int)lroundf(axis_x(m, t)) - ox;
        canvas_fill_rect(cv, ui_rect(x - gw / 2, m->main_y0 - oy, gw, m->main_y1 - m->main_y0), th->grid_minor);
    }
    if (m->floor_band) canvas_fill_rect(cv, ui_rect(a.x, m->floor_y0 - oy, a.w, m->floor_y1 - m->floor_y0), th->band);
    if (m->top_band) canvas_fill_rect(cv, ui_rect(a.x, m->top_y0 - oy, a.w, m->top_y1 - m->top_y0), th->band);
    if (loss_marker) {
        float xl = axis_x(m, m->T - 1) - (float)ox;
        float marker[4] = {xl, (float)a.y, xl, (float)(a.y + a.h)};
        LineStyle dash = {{2.0f, 2.0f, 0, 0}};
        canvas_draw_polyline(cv, marker, 2, mt->line_thin * 0.75f, &dash, th->fg_muted);
    }
    for (int i = 0; i < n; i++) {
        if (!s[i].v) continue;
        int np = lineplot_points(m, s[i].v, s[i].T, ox, oy, s[i].guest, sc);
        canvas_draw_polyline(cv, sc->xy, np, s[i].width, &s[i].style, s[i].color);
    }
}

int lineplot_spine_width(const UiMetrics *mt) { return mt->s < 1.4 ? 2 : (int)lround(1.4 * mt->s); }

int lineplot_tick_length(const UiMetrics *mt) { return mt->gap / 2 > 3 ? mt->gap / 2 : 3; }

void lineplot_frame(SDL_Renderer *r, TextCache *tc, const PlotMap *m, const Theme *th,
                    const UiMetrics *mt, UiRect yticks)
{
    UiRect a = m->area;
    int aw = lineplot_spine_width(mt), tick = lineplot_tick_length(mt);
    /* left and bottom spines in the text colour, top and right lighter */
    gfx_box(r, ui_rect(a.x - aw / 2, a.y - aw / 2, a.w + aw, a.h + aw), th->grid, 1 > aw / 2 ? 1 : aw / 2);
    gfx_fill(r, ui_rect(a.x - aw, a.y, aw, a.h + aw), th->fg);
    gfx_fill(r, ui_rect(a.x - aw, a.y + a.h, a.w + aw, aw), th->fg);
    char buf[64];
    for (double v = ceil(m->lo / m->major - 1e-9) * m->major; v <= m->hi + 1e-9; v += m->major) {
        int y = (int)lroundf(m->log ? axis_y_log10(m, v) : axis_y(m, v));
        gfx_fill(r, ui_rect(a.x - aw - tick, y - aw / 2, tick, aw), th->fg);
        axis_format_y(m, v, buf, sizeof buf);
        text_draw_in(tc, buf, mt->font_tick, 0, th->fg,
                     ui_rect(yticks.x, y - mt->font_tick, yticks.w - tick - aw, 2 * mt->font_tick), UI_ALIGN_RIGHT);
    }
}

void lineplot_axes(SDL_Renderer *r, TextCache *tc, const PlotMap *m, const Theme *th,
                   const UiMetrics *mt, UiRect yticks, int x_labels)
{
    UiRect a = m->area;
    int aw = lineplot_spine_width(mt), tick = lineplot_tick_length(mt);
    lineplot_frame(r, tc, m, th, mt, yticks);
    char buf[64];
    int xh = (int)lround(mt->font_tick * 1.55);
    for (int t = 0; t <= m->T - 1; t += m->x_major) {
        int x = (int)lroundf(axis_x(m, t));
        gfx_fill(r, ui_rect(x - aw / 2, a.y + a.h + aw, aw, tick), th->fg);
        if (!x_labels) continue;
        snprintf(buf, sizeof buf, "%d", t);
        text_draw_in(tc, buf, mt->font_tick, 0, th->fg, ui_rect(x - 100, a.y + a.h + aw + tick, 200, xh - tick),
                     UI_ALIGN_CENTER);
    }
}

void lineplot_strip_labels(TextCache *tc, const PlotMap *m, const Theme *th, const UiMetrics *mt)
{
    UiRect a = m->area;
    int pad = mt->gap, right = axis_label_right(m, pad), hp = mt->gap / 3;
    /* on boxes of the strip's colour, so a curve in the strip does not strike them through */
    if (m->floor_band)
        text_draw_boxed(tc, "floor: 0 or below 1e-300", mt->font_small, 0, th->fg_muted, th->band,
                        ui_rect(a.x + pad, m->floor_y0, right - a.x - pad, m->floor_y1 - m->floor_y0), UI_ALIGN_RIGHT, hp);
    if (m->top_band)
        text_draw_boxed(tc, "inf / NaN", mt->font_small, 1, th->warn, th->band,
                        ui_rect(a.x + pad, m->top_y0, right - a.x - pad, m->top_y1 - m->top_y0), UI_ALIGN_RIGHT, hp);
}
