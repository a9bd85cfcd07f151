/* draw.c - the view: title, legend with the orders of magnitude fallen, the log-scale plot of
 * ||dL/dh_t|| (curves painted with coverage anti-aliasing on a canvas), axes, theory bound and
 * shading, floor and inf/NaN strips, the control panel, and the window's overlays. */
#include "draw.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gfx.h"
#include "theme.h"

/* UTF-8 of the symbols used in labels */
#define S_NORM "\xE2\x80\x96"   /* U+2016 double vertical line */
#define S_PARTIAL "\xE2\x88\x82" /* U+2202 */
#define S_SUB_T "\xE2\x82\x9C"   /* U+209C subscript t */
#define S_SUB_TM1 "\xE2\x82\x9C\xE2\x82\x8B\xE2\x82\x81" /* t-1 in subscripts */
#define S_SIGMA "\xCF\x83"
#define S_RHO "\xCF\x81"
#define S_MINUS "\xE2\x88\x92"
#define S_DOT " \xC2\xB7 "
#define S_DOWN "\xE2\x86\x93"
#define S_UP "\xE2\x86\x91"
#define S_TIMES "\xC3\x97"
#define S_ELLIPSIS "\xE2\x80\xA6"

#define LSTM_C_WIDTH 0.7f /* the lstm's dL/dc line, relative to the curves' width */

static const char *const cell_label[GF_NUM_CELLS] = {"RNN", "LSTM", "GRU"};

/* ================================================================ what is shown =============== */

static int cell_shown_(const ViewModel *vm, int c)
{
    const PlotData *pd = vm->data;
    return pd && pd->valid && pd->cell[c].ran && (vm->set->sim.cells & (1u << c));
}

/* Layers drawn for cell pc: [*l0, *l1). */
static void layers_shown_(const ViewModel *vm, const PlotCell *pc, int *l0, int *l1)
{
    int ls = vm->set->layer_shown;
    if (ls >= 0 && ls < pc->L) {
        *l0 = ls;
        *l1 = ls + 1;
    } else {
        *l0 = 0;
        *l1 = pc->L;
    }
}

/* Colour of layer l of L when every layer is drawn: lower layers fade towards the background. */
static UiColor layer_color_(const Theme *th, UiColor c, int l, int L, int all)
{
    if (!all || L <= 1) return c;
    return ui_color_mix(c, th->plot_bg, 0.6 * (L - 1 - l) / (L - 1));
}

/* Largest step with a non-finite norm in any shown curve of pc, or -1. */
static int last_nonfinite_(const PlotCell *pc, int l0, int l1)
{
    int worst = -1;
    for (int l = l0; l < l1; l++) {
        const double *g = pc->grad_h + (size_t)l * (size_t)pc->T;
        for (int t = pc->T - 1; t > worst; t--)
            if (!isfinite(g[t])) {
                worst = t;
                break;
            }
    }
    return worst;
}

/* ================================================================ legend ====================== */

typedef struct LegendEntry {
    UiColor color;
    LineStyle style;
    float width;
    char short_name[40]; /* for the one-line legend of a small window */
    char name[112];
    char line2[160];
    UiColor line2_color;
    char line3[160];
} LegendEntry;

static void orders_text_(const PlotCell *pc, const double *g, char *buf, size_t n, int *bad)
{
    PlotCell one = *pc;
    one.grad_h = (double *)g;
    double o;
    const char *why;
    *bad = 0;
    if (plotdata_orders(&one, 0, &o, &why) == 0) {
        if (fabs(o) < 0.05)
            snprintf(buf, n, "flat: no change from t = T" S_MINUS "1 to t = 0");
        else
            snprintf(buf, n, "%s %.1f orders of magnitude", o > 0 ? S_DOWN " fell" : S_UP " grew", fabs(o));
    } else {
        snprintf(buf, n, "%s", why);
        *bad = why && (why[0] == 'N' || why[0] == 'o');
    }
}

/* Which layer the legend's numbers describe, said in words when there is more than one layer:
 * "top layer 2: " when every layer is drawn, "layer 1: " when one is chosen, "" for one layer. */
static void layer_words_(const ViewModel *vm, const PlotCell *pc, char *buf, size_t n)
{
    int ll = plotdata_legend_layer(pc, vm->set->layer_shown);
    if (pc->L <= 1) snprintf(buf, n, "%s", "");
    else if (vm->set->layer_shown < 0 || vm->set->layer_shown >= pc->L) snprintf(buf, n, "top layer %d: ", ll);
    else snprintf(buf, n, "layer %d: ", ll);
}

/* buf = prefix + buf (cut to fit n). */
static void prepend_(char *buf, size_t n, const char *prefix)
{
    size_t a = strlen(prefix), b = strlen(buf);
    if (!a || n == 0) return;
    if (a >= n) a = n - 1;
    if (a + b >= n) b = n - 1 - a;
    memmove(buf + a, buf, b);
    memcpy(buf, prefix, a);
    buf[a + b] = '\0';
}

static int legend_build_(const ViewModel *vm, const Theme *th, const UiMetrics *m, LegendEntry *e)
{
    int n = 0;
    const PlotData *pd = vm->data;
    for (int c = 0; c < GF_NUM_CELLS && n < 6; c++) {
        if (!cell_shown_(vm, c)) continue;
        const PlotCell *pc = &pd->cell[c];
        int ll = plotdata_legend_layer(pc, vm->set->layer_shown);
        char which[32];
        layer_words_(vm, pc, which, sizeof which);
        const double *g = pc->grad_h + (size_t)ll * (size_t)pc->T;
        LegendEntry *x = &e[n++];
        memset(x, 0, sizeof *x);
        x->color = th->cell[c];
        x->style = theme_line_style((GfCell)c, 0);
        x->width = m->line_w;
        char lays[48] = "";
        if (pc->L > 1 && vm->set->layer_shown < 0)
            snprintf(lays, sizeof lays, "  (layers 0" "\xE2\x80\x93" "%d, faded = lower)", pc->L - 1);
        snprintf(x->name, sizeof x->name, "%s  " S_NORM S_PARTIAL "L/" S_PARTIAL "h" S_SUB_T S_NORM "%s",
                 cell_label[c], lays);
        snprintf(x->short_name, sizeof x->short_name, "%s h" S_SUB_T, cell_label[c]);
        int bad;
        orders_text_(pc, g, x->line2, sizeof x->line2, &bad);
        int tbad = last_nonfinite_(pc, ll, ll + 1);
        if (tbad >= 0) {
            snprintf(x->line2, sizeof x->line2, "overflowed: inf/NaN for t " "\xE2\x89\xA4" " %d", tbad);
            bad = 1;
        }
        prepend_(x->line2, sizeof x->line2, which);
        x->line2_color = bad ? th->warn : th->fg;
        /* sigma_max / spectral radius of weight_hh; for gated cells the largest over gate blocks */
        double sg = 0, rh = 0;
        for (int k = 0; k < pc->G && k < 4; k++) {
            sg = fmax(sg, pc->sigma_max[ll][k]);
            rh = fmax(rh, pc->spectral_radius[ll][k]);
        }
        char sgt[24], rht[24], losst[24];
        axis_format_number(sgt, sizeof sgt, "%.3g", sg);
        axis_format_number(rht, sizeof rht, "%.3g", rh);
        axis_format_number(losst, sizeof losst, "%.4g", pc->loss);
        snprintf(x->line3, sizeof x->line3, "%s" S_SIGMA "_max %s" S_DOT S_RHO " %s%s" S_DOT "loss %s", which,
                 sgt, rht, pc->G > 1 ? " (gates' max)" : "", losst);
        if (c == GF_CELL_LSTM && pc->grad_c && n < 6) {
            LegendEntry *y = &e[n++];
            memset(y, 0, sizeof *y);
            y->color = th->lstm_c;
            y->style = theme_line_style(GF_CELL_LSTM, 1);
            y->width = m->line_w * LSTM_C_WIDTH;
            snprintf(y->name, sizeof y->name, "LSTM  " S_NORM S_PARTIAL "L/" S_PARTIAL "c" S_SUB_T S_NORM "  (cell state)");
            snprintf(y->short_name, sizeof y->short_name, "LSTM c" S_SUB_T);
            orders_text_(pc, pc->grad_c + (size_t)ll * (size_t)pc->T, y->line2, sizeof y->line2, &bad);
            prepend_(y->line2, sizeof y->line2, which);
            y->line2_color = bad ? th->warn : th->fg;
            snprintf(y->line3, sizeof y->line3, "c" S_SUB_T " = f" S_SUB_T "\xC2\xB7" "c" S_SUB_TM1 " + i" S_SUB_T "\xC2\xB7" "g" S_SUB_T);
        }
    }
    /* the bound last: it is the widest entry, and rows pack better without it in the middle */
    if (cell_shown_(vm, GF_CELL_RNN) && vm->set->theory && vm->set->log_y && n < 6) {
        const PlotCell *pc = &pd->cell[GF_CELL_RNN];
        int ll = plotdata_legend_layer(pc, vm->set->layer_shown);
        if (!isnan(plotdata_bound_log10(pc, ll, 0))) {
            LegendEntry *b = &e[n++];
            memset(b, 0, sizeof *b);
            b->color = th->cell[GF_CELL_RNN];
            b->style = theme_theory_style();
            b->width = m->line_thin;
            snprintf(b->name, sizeof b->name, "bound  " S_NORM S_PARTIAL "L/" S_PARTIAL "h_{T" S_MINUS "1}" S_NORM
                     S_DOT S_SIGMA "_max^(T" S_MINUS "1" S_MINUS "t)");
            snprintf(b->short_name, sizeof b->short_name, "RNN bound");
            b->line2_color = th->fg_muted;
            /* drawn for one layer only: the one the legend's numbers describe */
            char which[32];
            layer_words_(vm, pc, which, sizeof which);
            size_t wl = strlen(which);
            if (wl >= 2) which[wl - 2] = 0; /* no ": " */
            char who[96];
            snprintf(who, sizeof who, "RNN%s%s, " "\xCE\xB3" " = 1 (%s)", *which ? " " : "", which,
                     gf_nonlin_name(pd->config.nonlinearity));
            /* sigma_max > 1: the bound grows going back in time, so it promises no vanishing; that
               is the line to read (the compact legend shows only it) */
            double sg = pc->sigma_max[ll][0];
            if (sg > 1) {
                char sgt[24];
                axis_format_number(sgt, sizeof sgt, "%.3g", sg);
                snprintf(b->line2, sizeof b->line2, S_SIGMA "_max %s > 1: it rises back in time, no vanishing guaranteed", sgt);
                snprintf(b->line3, sizeof b->line3, "Pascanu, Mikolov & Bengio 2013" S_DOT "%s", who);
            } else {
                snprintf(b->line2, sizeof b->line2, "Pascanu, Mikolov & Bengio 2013");
                snprintf(b->line3, sizeof b->line3, "%s", who);
            }
        }
    }
    return n;
}

/* ================================================================ the plot canvas ============= */

static int xy_reserve_(ViewState *vs, size_t pts)
{
    if (pts <= vs->xy_cap) return 0;
    float *p = realloc(vs->xy, pts * 2 * sizeof *p);
    if (!p) return -1;
    vs->xy = p;
    vs->xy_cap = pts;
    return 0;
}

static float clampf_(float v) { return v < -1e5f ? -1e5f : v > 1e5f ? 1e5f : v; }

/* Polyline points (canvas coordinates) of the T values v; when T is much larger than the width,
 * each pixel column keeps only its extreme values. Returns the number of points. */
static int curve_points_(ViewState *vs, const PlotMap *m, const double *v, int T)
{
    int w = m->area.w;
    float ox = (float)m->area.x, oy = (float)m->area.y;
    if (T <= 3 * w) {
        if (xy_reserve_(vs, (size_t)T)) return 0;
        for (int t = 0; t < T; t++) {
            vs->xy[2 * t] = axis_x(m, t) - ox;
            vs->xy[2 * t + 1] = clampf_(axis_y(m, v[t]) - oy);
        }
        return T;
    }
    if (xy_reserve_(vs, (size_t)w * 2 + 2)) return 0;
    LpRows rows = {oy, -1e5f, 1e5f, 0}; /* clampf_'s bounds; a column of NaN rows is no break here */
    return lineplot_envelope(vs->xy, m, v, T, 0, &rows, 0);
}

/* Log10 of the reference gradient for the shading: the largest ||dL/dh_{T-1}|| shown. */
static double shading_ref_(const ViewModel *vm)
{
    double best = NAN;
    for (int c = 0; c < GF_NUM_CELLS; c++) {
        if (!cell_shown_(vm, c)) continue;
        const PlotCell *pc = &vm->data->cell[c];
        int ll = plotdata_legend_layer(pc, vm->set->layer_shown);
        double g = pc->grad_h[(size_t)ll * (size_t)pc->T + (size_t)(pc->T - 1)];
        if (g > 0 && isfinite(g) && !(log10(g) <= best)) best = log10(g);
    }
    return best;
}

#define VANISH_DECADES 7.0  /* below 1e-7 of the loss's gradient: lost in float32 rounding */
#define EXPLODE_DECADES 3.0 /* above 1000 x the loss's gradient */

static uint64_t fnv64_(uint64_t h, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++) h = (h ^ b[i]) * 1099511628211ull;
    return h;
}

static uint64_t canvas_key_(const ViewModel *vm, const PlotMap *m)
{
    uint64_t h = 1469598103934665603ull;
    const UiSettings *s = vm->set;
    int ints[] = {s->layer_shown, s->log_y, s->theory, (int)s->theme, (int)s->sim.cells,
                  m->area.w, m->area.h, vm->data ? vm->data->valid : 0};
    h = fnv64_(h, ints, sizeof ints);
    h = fnv64_(h, &vm->scale, sizeof vm->scale);
    h = fnv64_(h, &m->lo, sizeof m->lo);
    h = fnv64_(h, &m->hi, sizeof m->hi);
    if (vm->data && vm->data->valid) {
        for (int c = 0; c < GF_NUM_CELLS; c++) {
            const PlotCell *pc = &vm->data->cell[c];
            if (!pc->ran) continue;
            size_t n = (size_t)pc->L * (size_t)pc->T;
            h = fnv64_(h, pc->grad_h, n * sizeof *pc->grad_h);
            if (pc->grad_c) h = fnv64_(h, pc->grad_c, n * sizeof *pc->grad_c);
            h = fnv64_(h, pc->sigma_max, sizeof pc->sigma_max);
        }
    }
    return h ? h : 1;
}

static void canvas_paint_(ViewState *vs, const ViewModel *vm, const Theme *th, const UiMetrics *mt)
{
    Canvas *cv = &vs->canvas;
    const PlotMap *m = &vs->map;
    int ox = m->area.x, oy = m->area.y;
    canvas_fill(cv, th->plot_bg);
    const PlotData *pd = vm->data;
    int have = pd && pd->valid;

    /* shading: vanishing / exploding relative to the gradient where the loss enters */
    if (have && vm->set->theory && m->log) {
        double ref = shading_ref_(vm);
        if (isfinite(ref)) {
            int yv = (int)lroundf(axis_y_log10(m, ref - VANISH_DECADES)) - oy;
            int ye = (int)lroundf(axis_y_log10(m, ref + EXPLODE_DECADES)) - oy;
            int top = m->main_y0 - oy, bot = m->main_y1 - oy;
            if (yv < bot) canvas_fill_rect(cv, ui_rect(0, yv > top ? yv : top, cv->w, bot - (yv > top ? yv : top)), th->shade_vanish);
            if (ye > top) canvas_fill_rect(cv, ui_rect(0, top, cv->w, (ye < bot ? ye : bot) - top), th->shade_explode);
        }
    }
    /* grid: minor then major decades, and x ticks */
    int gw = mt->grid_w;
    if (m->minor > 0) {
        for (double v = ceil(m->lo / m->minor) * m->minor; v <= m->hi + 1e-9; v += m->minor) {
            int y = (int)lroundf(axis_y_log10(m, m->log ? v : log10(v > 0 ? v : 1e-300))) - oy;
            if (!m->log) y = (int)lroundf(axis_y(m, v)) - oy;
            canvas_fill_rect(cv, ui_rect(0, y - gw / 2, cv->w, gw), th->grid_minor);
        }
    }
    for (double v = ceil(m->lo / m->major - 1e-9) * m->major; v <= m->hi + 1e-9; v += m->major) {
        int y = (int)lroundf(m->log ? axis_y_log10(m, v) : axis_y(m, v)) - oy;
        canvas_fill_rect(cv, ui_rect(0, y - gw / 2, cv->w, gw), th->grid);
    }
    for (int t = 0; t <= m->T - 1; t += m->x_major) {
        int x = (int)lroundf(axis_x(m, t)) - ox;
        canvas_fill_rect(cv, ui_rect(x - gw / 2, m->main_y0 - oy, gw, m->main_y1 - m->main_y0), th->grid_minor);
    }
    /* the floor and inf/NaN strips */
    if (m->floor_band) canvas_fill_rect(cv, ui_rect(0, m->floor_y0 - oy, cv->w, m->floor_y1 - m->floor_y0), th->band);
    if (m->top_band) canvas_fill_rect(cv, ui_rect(0, m->top_y0 - oy, cv->w, m->top_y1 - m->top_y0), th->band);
    if (!have) return;

    /* the loss enters at t = T-1 */
    float xl = axis_x(m, m->T - 1) - ox;
    float marker[4] = {xl, 0, xl, (float)cv->h};
    LineStyle dash = {{2.0f, 2.0f, 0, 0}};
    canvas_draw_polyline(cv, marker, 2, mt->line_thin * 0.75f, &dash, th->fg_muted);

    /* the bound, under the curves: for the layer the legend describes only (the top one when
       every layer is drawn), one line rather than one per layer */
    if (vm->set->theory && cell_shown_(vm, GF_CELL_RNN)) {
        const PlotCell *pc = &pd->cell[GF_CELL_RNN];
        int ll = plotdata_legend_layer(pc, vm->set->layer_shown);
        LineStyle ts = theme_theory_style();
        for (int l = ll; l < ll + 1; l++) {
            int T = pc->T, n = T < 2 * cv->w ? T : 2 * cv->w;
            if (n < 2 || xy_reserve_(vs, (size_t)n)) continue;
            int ok = 1;
            for (int i = 0; i < n; i++) {
                double t = n == T ? i : (double)i * (T - 1) / (n - 1);
                double lg = plotdata_bound_log10(pc, l, (int)lround(t));
                if (isnan(lg)) {
                    ok = 0;
                    break;
                }
                vs->xy[2 * i] = axis_x(m, t) - ox;
                double y = m->log ? axis_y_log10(m, lg) : (lg > 300 ? -1e9 : axis_y(m, pow(10.0, lg)));
                vs->xy[2 * i + 1] = clampf_((float)y - oy);
            }
            if (ok) canvas_draw_polyline(cv, vs->xy, n, mt->line_thin, &ts, th->cell[GF_CELL_RNN]);
        }
    }
    /* the curves: gru, the lstm's h, the lstm's c over it (thinner, dotted, its own shade: where
     * the two run together its dots show inside the h curve's dashes), then the rnn (the one that
     * falls) on top; lower layers first and faded */
    static const int order[][2] = {{GF_CELL_GRU, 0}, {GF_CELL_LSTM, 0}, {GF_CELL_LSTM, 1}, {GF_CELL_RNN, 0}};
    for (int k = 0; k < 4; k++) {
        int c = order[k][0], is_c = order[k][1];
        if (!cell_shown_(vm, c)) continue;
        const PlotCell *pc = &pd->cell[c];
        if (is_c && !pc->grad_c) continue;
        int l0, l1;
        layers_shown_(vm, pc, &l0, &l1);
        for (int l = l0; l < l1; l++) {
            const double *v = (is_c ? pc->grad_c : pc->grad_h) + (size_t)l * (size_t)pc->T;
            int n = curve_points_(vs, m, v, pc->T);
            LineStyle st = theme_line_style((GfCell)c, is_c);
            float w = mt->line_w * (is_c ? LSTM_C_WIDTH : 1.0f) * (l == l1 - 1 ? 1.0f : 0.8f);
            UiColor col = is_c ? th->lstm_c : th->cell[c];
            canvas_draw_polyline(cv, vs->xy, n, w, &st, layer_color_(th, col, l, pc->L, l1 - l0 > 1));
        }
    }
}

/* Paints the canvas if what it shows changed and copies it to the plot rectangle. */
static void plot_blit_(ViewState *vs, const ViewModel *vm, const Theme *th, const UiMetrics *mt)
{
    const UiRect a = vs->map.area;
    uint64_t key = canvas_key_(vm, &vs->map);
    if (key != vs->canvas_key || !vs->plot_tex || vs->tex_w != a.w || vs->tex_h != a.h) {
        if (canvas_resize(&vs->canvas, a.w, a.h)) return;
        canvas_paint_(vs, vm, th, mt);
        if (!vs->plot_tex || vs->tex_w != a.w || vs->tex_h != a.h) {
            if (vs->plot_tex) SDL_DestroyTexture(vs->plot_tex);
            vs->plot_tex = SDL_CreateTexture(vs->ren, SDL_PIXELFORMAT_ARGB8888,
                                             SDL_TEXTUREACCESS_STREAMING, a.w, a.h);
            if (!vs->plot_tex) return;
            vs->tex_w = a.w;
            vs->tex_h = a.h;
            SDL_SetTextureBlendMode(vs->plot_tex, SDL_BLENDMODE_NONE);
        }
        SDL_UpdateTexture(vs->plot_tex, NULL, vs->canvas.px, a.w * 4);
        vs->canvas_key = key;
    }
    SDL_Rect dst = {a.x, a.y, a.w, a.h};
    SDL_RenderCopy(vs->ren, vs->plot_tex, NULL, &dst);
}

/* ================================================================ axes and labels ============= */

/* The bound of the layer the legend describes, where sigma_max > 1 sends it above the plot. */
typedef struct BoundExit {
    int t_exit;   /* the bound is above the plot's top for t < t_exit */
    double sigma; /* its sigma_max */
} BoundExit;

static int bound_exit_(const ViewModel *vm, const PlotMap *m, BoundExit *be)
{
    if (!vm->set->theory || !m->log || !cell_shown_(vm, GF_CELL_RNN)) return 0;
    const PlotCell *pc = &vm->data->cell[GF_CELL_RNN];
    int ll = plotdata_legend_layer(pc, vm->set->layer_shown);
    double first = plotdata_bound_log10(pc, ll, 0), last = plotdata_bound_log10(pc, ll, pc->T - 1);
    double sg = pc->sigma_max[ll][0];
    if (isnan(first) || isnan(last) || !(sg > 1) || first <= m->hi + 1e-9) return 0;
    /* log10 g_{T-1} + (T-1-t) log10 sigma_max = hi  <=>  t = T-1 - (hi - log10 g_{T-1}) / log10 sigma_max */
    double t = (pc->T - 1) - (m->hi - last) / log10(sg);
    be->t_exit = t < 0 ? 0 : t > pc->T - 1 ? pc->T - 1 : (int)ceil(t);
    be->sigma = sg;
    return 1;
}

/* How far the y range may reach above the data to take the bound in: half the data's own span,
 * and at least a few decades. Above that the bound leaves the plot, with a note saying so. */
#define BOUND_MIN_DECADES 3.0
#define BOUND_SHARE 0.5

/* Widens fit so the bound (where sigma_max > 1 it rises going back in time) shows, within reason. */
static void bound_fit_(const ViewModel *vm, AxisFit *fit)
{
    if (!vm->set->theory || !vm->set->log_y || !cell_shown_(vm, GF_CELL_RNN) || !fit->any) return;
    const PlotCell *pc = &vm->data->cell[GF_CELL_RNN];
    int ll = plotdata_legend_layer(pc, vm->set->layer_shown);
    double top = fmax(plotdata_bound_log10(pc, ll, 0), plotdata_bound_log10(pc, ll, pc->T - 1));
    double hi = log10(fit->vmax), lo = log10(fit->vmin);
    if (!(top > hi)) return; /* NaN too */
    double room = fmax(BOUND_MIN_DECADES, BOUND_SHARE * (hi - lo));
    axis_fit_add_log10(fit, fmin(top, hi + room));
}

/* The plot's background at pixel row y, as the canvas paints it: the strips, the shading, or plain. */
static UiColor plot_bg_at_(const ViewModel *vm, const PlotMap *m, const Theme *th, int y)
{
    if (m->floor_band && y >= m->floor_y0 && y < m->floor_y1) return th->band;
    if (m->top_band && y >= m->top_y0 && y < m->top_y1) return th->band;
    if (vm->data && vm->data->valid && vm->set->theory && m->log && y >= m->main_y0 && y < m->main_y1) {
        double ref = shading_ref_(vm);
        if (isfinite(ref)) {
            if (y >= (int)lroundf(axis_y_log10(m, ref - VANISH_DECADES))) return th->shade_vanish;
            if (y < (int)lroundf(axis_y_log10(m, ref + EXPLODE_DECADES))) return th->shade_explode;
        }
    }
    return th->plot_bg;
}

/* The labels placed inside the plot so far this frame. */
typedef struct PlotLabels {
    UiRect box[8];
    int n;
} PlotLabels;

/* Pixels of box b (output pixels) where the plot's canvas holds ink: a curve or the bound, that is
 * anything far from the background, grid and shading colours. */
static int canvas_ink_(const ViewState *vs, const Theme *th, UiRect b)
{
    const Canvas *cv = &vs->canvas;
    const UiRect a = vs->map.area;
    if (!cv->px || cv->w != a.w || cv->h != a.h) return 0;
    const UiColor calm[] = {th->plot_bg, th->grid, th->grid_minor, th->band, th->shade_vanish, th->shade_explode};
    int n = 0;
    for (int y = b.y; y < b.y + b.h; y++)
        for (int x = b.x; x < b.x + b.w; x++) {
            if (x < a.x || y < a.y || x >= a.x + a.w || y >= a.y + a.h) continue;
            uint32_t p = canvas_get(cv, x - a.x, y - a.y);
            int r = (int)(p >> 16 & 255), g = (int)(p >> 8 & 255), bl = (int)(p & 255), far = 1;
            for (size_t k = 0; k < sizeof calm / sizeof *calm && far; k++)
                far = abs(r - calm[k].r) > 24 || abs(g - calm[k].g) > 24 || abs(bl - calm[k].b) > 24;
            n += far;
        }
    return n;
}

/* Draws a small label in row on a box of the background under it. It goes where it covers fewer
 * curve pixels: aligned al, or (flip) at the other end of the row when that covers less than half
 * as many; where it would cover a
 * label already placed it moves a line down (dir > 0) or up (dir < 0), staying inside the plot's
 * range. */
static void plot_label_(ViewState *vs, const ViewModel *vm, PlotLabels *pl, const char *text, int bold, UiColor fg,
                        UiRect row, UiAlign al, int dir, int flip)
{
    const UiMetrics *mt = &vs->metrics;
    const PlotMap *m = &vs->map;
    const Theme *th = theme_get(vm->set->theme);
    int bp = mt->gap / 3;
    int px = text_fit_px(&vs->text, text, mt->font_small, bold, row.w - 2 * bp, 0.6);
    UiAlign cand[2] = {al, al == UI_ALIGN_RIGHT ? UI_ALIGN_LEFT : UI_ALIGN_RIGHT};
    UiRect best_row = row;
    UiAlign best_al = al;
    long best = -1;
    for (int k = 0; k < (flip ? 2 : 1); k++) {
        UiRect r = row;
        int clash = 0;
        for (int tries = 0; tries < 6; tries++) {
            UiRect b = text_box_in(&vs->text, text, px, bold, r, cand[k], bp);
            clash = 0;
            for (int i = 0; i < pl->n; i++) clash |= ui_rect_overlaps(b, pl->box[i]);
            if (!clash || dir == 0) break;
            UiRect next = r;
            next.y += (dir > 0 ? 1 : -1) * (b.h + bp);
            if (next.y < m->main_y0 || next.y + next.h > m->main_y1) break;
            r = next;
        }
        long score = canvas_ink_(vs, th, text_box_in(&vs->text, text, px, bold, r, cand[k], bp)) + (clash ? 1000000L : 0);
        if (best < 0 || 2 * score < best) { /* the other end only when it is clearly clearer */
            best = score;
            best_row = r;
            best_al = cand[k];
        }
        if (score == 0) break;
    }
    UiRect b = text_draw_boxed(&vs->text, text, px, bold, fg, plot_bg_at_(vm, m, th, best_row.y + best_row.h / 2),
                               best_row, best_al, bp);
    if (pl->n < 8 && b.w > 0) pl->box[pl->n++] = b;
}

static void axes_draw_(ViewState *vs, const ViewModel *vm, const Theme *th, const UiMetrics *mt)
{
    SDL_Renderer *r = vs->ren;
    TextCache *tc = &vs->text;
    const PlotMap *m = &vs->map;
    const UiFrame *f = &vs->frame;
    UiRect a = m->area;
    int aw = lineplot_spine_width(mt), tick = lineplot_tick_length(mt);
    /* the main plot's left spine is a little heavier: half a spine inside the box too */
    gfx_fill(r, ui_rect(a.x, a.y, aw / 2 > 0 ? aw / 2 : 1, a.h), th->fg);
    lineplot_frame(r, tc, m, th, mt, f->yticks);

    char buf[64];
    /* x ticks */
    for (int t = 0; t <= m->T - 1; t += m->x_major) {
        int x = (int)lroundf(axis_x(m, t));
        gfx_fill(r, ui_rect(x - aw / 2, a.y + a.h + aw, aw, tick), th->fg);
        snprintf(buf, sizeof buf, "%d", t);
        text_draw_in(tc, buf, mt->font_tick, 0, th->fg, ui_rect(x - 100, f->xticks.y + tick, 200,
                     f->xticks.h - tick), UI_ALIGN_CENTER);
    }
    /* axis titles */
    text_draw_in(tc, "time step t", mt->font_body, 0, th->fg, f->xlabel, UI_ALIGN_CENTER);
    snprintf(buf, sizeof buf, "gradient norm " S_NORM S_PARTIAL "L/" S_PARTIAL "h" S_SUB_T S_NORM "  (%s)",
             m->log ? "log scale" : "linear scale");
    text_draw_in(tc, buf, mt->font_body, 0, th->fg, f->annot, UI_ALIGN_LEFT);

    const PlotData *pd = vm->data;
    if (!(pd && pd->valid)) return;
    /* the loss marker's label above the plot, ending at t = T-1 */
    int xl = (int)lroundf(axis_x(m, m->T - 1));
    snprintf(buf, sizeof buf, "loss at t = T" S_MINUS "1 = %d  " "\xE2\x96\xBC", m->T - 1); /* U+25BC */
    int tw, th_;
    text_measure(tc, buf, mt->font_small, 0, &tw, &th_);
    text_draw_in(tc, buf, mt->font_small, 0, th->fg_muted,
                 ui_rect(xl - tw + mt->font_small * 2 / 5, f->annot.y, tw, f->annot.h), UI_ALIGN_LEFT);

    /* labels inside the plot: on boxes of the background under them, ending left of the loss
       marker, none over another */
    PlotLabels pl;
    pl.n = 0;
    int pad = mt->gap, right = axis_label_right(m, pad), bp = mt->gap / 3;
    if (m->floor_band)
        plot_label_(vs, vm, &pl, "floor: 0 or below 1e-300", 0, th->fg_muted,
                    ui_rect(a.x + pad, m->floor_y0, right - a.x - pad, m->floor_y1 - m->floor_y0), UI_ALIGN_RIGHT, 0, 1);
    if (m->top_band) {
        char txt[200] = "inf / NaN:";
        size_t used = strlen(txt);
        for (int c = 0; c < GF_NUM_CELLS; c++) {
            if (!cell_shown_(vm, c)) continue;
            int l0, l1;
            layers_shown_(vm, &pd->cell[c], &l0, &l1);
            int tb = last_nonfinite_(&pd->cell[c], l0, l1);
            if (tb >= 0 && used < sizeof txt)
                used += (size_t)snprintf(txt + used, sizeof txt - used, "  %s for t " "\xE2\x89\xA4" " %d%s",
                                         cell_label[c], tb, isfinite(pd->cell[c].loss) ? "" : " (the forward pass overflowed: loss NaN)");
        }
        plot_label_(vs, vm, &pl, txt, 1, th->warn, ui_rect(a.x + pad, m->top_y0, right - a.x - pad, m->top_y1 - m->top_y0),
                    UI_ALIGN_RIGHT, 0, 1);
    }
    int lh = mt->font_small * 3 / 2;
    /* the bound above the top of the plot: say where it went and what that means */
    BoundExit be;
    if (bound_exit_(vm, m, &be)) {
        char note[200], sg[24];
        axis_format_number(sg, sizeof sg, "%.3g", be.sigma);
        snprintf(note, sizeof note, "bound above the plot for t < %d  (" S_SIGMA "_max %s > 1)", be.t_exit, sg);
        int xe = (int)lroundf(axis_x(m, be.t_exit));
        int w, h;
        text_measure(tc, note, mt->font_small, 0, &w, &h);
        UiColor col = ui_color_mix(th->cell[GF_CELL_RNN], th->fg, 0.3);
        UiRect row = ui_rect(xe + pad, m->main_y0 + pad / 2, right - xe - pad, lh);
        UiAlign al = UI_ALIGN_LEFT;
        if (row.w < w + 2 * bp) { /* no room right of where it leaves: end there instead */
            row = ui_rect(a.x + pad, m->main_y0 + pad / 2, xe - pad - a.x - pad, lh);
            al = UI_ALIGN_RIGHT;
        }
        if (row.w < w + 2 * bp) /* room on neither side: at the right, where the bound has come down */
            row = ui_rect(a.x + pad, row.y, right - a.x - pad, lh), al = UI_ALIGN_RIGHT;
        plot_label_(vs, vm, &pl, note, 0, col, row, al, 1, 0);
    }
    if (vm->set->theory && m->log) {
        double ref = shading_ref_(vm);
        if (isfinite(ref)) {
            int yv = (int)lroundf(axis_y_log10(m, ref - VANISH_DECADES));
            int ye = (int)lroundf(axis_y_log10(m, ref + EXPLODE_DECADES));
            if (m->main_y1 - yv > 2 * lh)
                plot_label_(vs, vm, &pl, "vanishing: below 1e" S_MINUS "7 " S_TIMES " the gradient at t = T" S_MINUS "1", 0,
                            th->fg_muted, ui_rect(a.x + pad, m->main_y1 - lh - pad / 2, right - a.x - pad, lh),
                            UI_ALIGN_RIGHT, -1, 1);
            if (ye - m->main_y0 > 2 * lh)
                plot_label_(vs, vm, &pl, "exploding: above 1000 " S_TIMES " the gradient at t = T" S_MINUS "1", 0,
                            th->fg_muted, ui_rect(a.x + pad, m->main_y0 + pad / 2, right - a.x - pad, lh),
                            UI_ALIGN_RIGHT, 1, 1);
        }
    }
}

/* ================================================================ legend drawing ============== */

static void legend_draw_(ViewState *vs, const LegendEntry *e, int n, const Theme *th, const UiMetrics *mt)
{
    TextCache *tc = &vs->text;
    int fb = vs->legend_px, fs = vs->legend_small_px;
    for (int i = 0; i < n && i < 8; i++) {
        UiRect r = vs->legend_item[i];
        if (vs->legend_compact) { /* one line: sample, name, the change */
            int sw = fb * 2;
            gfx_hline_styled(vs->ren, r.x, r.x + sw, r.y + r.h / 2, e[i].width, &e[i].style, e[i].color);
            int tx = r.x + sw + mt->gap / 2, w, h;
            text_draw_in(tc, e[i].short_name, fb, 1, th->fg, ui_rect(tx, r.y, r.w, r.h), UI_ALIGN_LEFT);
            text_measure(tc, e[i].short_name, fb, 1, &w, &h);
            text_draw_in(tc, e[i].line2, fb, 0, e[i].line2_color, ui_rect(tx + w + fb / 2, r.y, r.w, r.h),
                         UI_ALIGN_LEFT);
            continue;
        }
        int sw = fb * 2;
        int lh = (int)lround(fb * 1.25);
        gfx_hline_styled(vs->ren, r.x, r.x + sw, r.y + lh / 2, e[i].width, &e[i].style, e[i].color);
        int tx = r.x + sw + mt->gap;
        text_draw_in(tc, e[i].name, fb, 1, th->fg, ui_rect(tx, r.y, r.w, lh), UI_ALIGN_LEFT);
        text_draw_in(tc, e[i].line2, fb, 0, e[i].line2_color, ui_rect(tx, r.y + lh, r.w, lh), UI_ALIGN_LEFT);
        text_draw_in(tc, e[i].line3, fs, 0, th->fg_muted, ui_rect(tx, r.y + 2 * lh, r.w, (int)lround(fs * 1.3)),
                     UI_ALIGN_LEFT);
    }
}

/* Widths of the legend entries at text sizes fb / fs; returns the widest. */
static int legend_widths_(ViewState *vs, const LegendEntry *e, int n, const UiMetrics *mt, int fb, int fs, int *w)
{
    TextCache *tc = &vs->text;
    int widest = 0;
    for (int i = 0; i < n && i < 8; i++) {
        int a, b, c, h;
        if (vs->legend_compact) {
            text_measure(tc, e[i].short_name, fb, 1, &a, &h);
            text_measure(tc, e[i].line2, fb, 0, &b, &h);
            w[i] = fb * 2 + mt->gap / 2 + a + fb / 2 + b;
            if (w[i] > widest) widest = w[i];
            continue;
        }
        text_measure(tc, e[i].name, fb, 1, &a, &h);
        text_measure(tc, e[i].line2, fb, 0, &b, &h);
        text_measure(tc, e[i].line3, fs, 0, &c, &h);
        int tw = a > b ? a : b;
        tw = tw > c ? tw : c;
        w[i] = fb * 2 + mt->gap + tw;
        if (w[i] > widest) widest = w[i];
    }
    return widest;
}

static int legend_layout_(ViewState *vs, const LegendEntry *e, int n, const UiMetrics *mt, int x0, int y0, int max_w)
{
    int w[8];
    int fb = mt->font_body, fs = mt->font_small;
    int widest = legend_widths_(vs, e, n, mt, fb, fs, w);
    if (widest > max_w && widest > 0) { /* a narrow window: smaller legend text, down to 70 % */
        double f = fmax(0.7, (double)max_w / widest);
        fb = (int)(fb * f);
        fs = (int)(fs * f);
        legend_widths_(vs, e, n, mt, fb, fs, w);
    }
    for (int i = 0; i < n && i < 8; i++)
        if (w[i] > max_w) w[i] = max_w;
    vs->legend_px = fb;
    vs->legend_small_px = fs;
    int row_h = vs->legend_compact ? (int)lround(fb * 1.35) : (int)lround(fb * 2.5 + fs * 1.3);
    vs->nlegend = n < 8 ? n : 8;
    return layout_flow(w, vs->nlegend, max_w, row_h, vs->legend_compact ? fb * 3 / 2 : fb * 2,
                       vs->legend_compact ? 0 : mt->gap / 2, x0, y0, vs->legend_item);
}

/* ================================================================ overlays ==================== */

static void hover_draw_(ViewState *vs, const ViewModel *vm, const Theme *th, const UiMetrics *mt)
{
    const PlotMap *m = &vs->map;
    vs->hover_box = ui_rect(0, 0, 0, 0);
    if (!vm->interactive || !vm->data || !vm->data->valid) return;
    if (!ui_rect_contains(m->area, vm->in.mx, vm->in.my)) return;
    int t = axis_step_at(m, vm->in.mx);
    if (t < 0) return;
    SDL_Renderer *r = vs->ren;
    int x = (int)lroundf(axis_x(m, t));
    gfx_fill(r, ui_rect(x, m->area.y, mt->grid_w, m->area.h), th->fg_muted);

    char lines[20][112];
    UiColor colors[20];
    int n = 0;
    snprintf(lines[n], sizeof lines[n], "t = %d", t);
    colors[n++] = th->fg;
    const PlotData *pd = vm->data;
    for (int c = 0; c < GF_NUM_CELLS && n < 18; c++) {
        if (!cell_shown_(vm, c)) continue;
        const PlotCell *pc = &pd->cell[c];
        if (t >= pc->T) continue;
        int l0, l1;
        layers_shown_(vm, pc, &l0, &l1);
        for (int l = l1 - 1; l >= l0 && n < 18; l--) {
            char lay[24] = "";
            if (pc->L > 1) snprintf(lay, sizeof lay, " layer %d", l);
            double v = pc->grad_h[(size_t)l * (size_t)pc->T + (size_t)t];
            char num[32];
            gfx_disc(r, (float)x + 0.5f, axis_y(m, v), mt->line_w * 1.6f, layer_color_(th, th->cell[c], l, pc->L, l1 - l0 > 1));
            snprintf(lines[n], sizeof lines[n], "%s%s  " S_NORM S_PARTIAL "L/" S_PARTIAL "h" S_SUB_T S_NORM " = %s",
                     cell_label[c], lay, axis_format_number(num, sizeof num, "%.6g", v));
            colors[n++] = th->cell[c];
            if (pc->grad_c) {
                double vc = pc->grad_c[(size_t)l * (size_t)pc->T + (size_t)t];
                snprintf(lines[n], sizeof lines[n], "%s%s  " S_NORM S_PARTIAL "L/" S_PARTIAL "c" S_SUB_T S_NORM " = %s",
                         cell_label[c], lay, axis_format_number(num, sizeof num, "%.6g", vc));
                colors[n++] = ui_color_mix(th->lstm_c, th->fg, 0.35); /* its shade, dark enough to read */
            }
            if (c == GF_CELL_RNN && vm->set->theory && l == plotdata_legend_layer(pc, vm->set->layer_shown)) {
                double lg = plotdata_bound_log10(pc, l, t);
                if (!isnan(lg)) {
                    snprintf(lines[n], sizeof lines[n], "bound%s = %.4ge%+d", lay, pow(10.0, lg - floor(lg)), (int)floor(lg));
                    colors[n++] = th->fg_muted;
                }
            }
        }
    }
    vs->hover_box = gfx_hover_box(r, &vs->text, lines[0], sizeof lines[0], colors, n, x, m->area.y + mt->gap, m->area,
                                  0, th, mt);
}

static void help_draw_(ViewState *vs, const ViewModel *vm, const Theme *th, const UiMetrics *mt)
{
    vs->help_box = ui_rect(0, 0, 0, 0);
    if (!vm->interactive || !vm->set->help) return;
    const UiKeyHelp *k = settings_key_help();
    int n = 0, kw = 0, ww = 0;
    for (; k[n].keys; n++) {
        int w, h;
        text_measure(&vs->text, k[n].keys, mt->font_body, 1, &w, &h);
        if (w > kw) kw = w;
        text_measure(&vs->text, k[n].what, mt->font_body, 0, &w, &h);
        if (w > ww) ww = w;
    }
    int lh = (int)lround(mt->font_body * 1.4), pad = mt->pad;
    UiRect c = vs->frame.content;
    UiRect box = ui_rect(0, 0, kw + ww + 3 * pad, (n + 1) * lh + 2 * pad);
    box.x = box.w <= c.w ? c.x + (c.w - box.w) / 2 : (vm->w - box.w) / 2;
    box.y = (vm->h - box.h) / 2;
    if (box.x < 0) box.x = 0;
    if (box.y < 0) box.y = 0;
    UiColor opaque = th->overlay_bg;
    opaque.a = 255;
    gfx_fill(vs->ren, box, opaque);
    gfx_box(vs->ren, box, th->accent, mt->grid_w * 2);
    text_draw_in(&vs->text, "Keys  (H or F1 closes this)", mt->font_body, 1, th->accent,
                 ui_rect(box.x + pad, box.y + pad, box.w - 2 * pad, lh), UI_ALIGN_LEFT);
    for (int i = 0; i < n; i++) {
        int y = box.y + pad + (i + 1) * lh;
        text_draw_in(&vs->text, k[i].keys, mt->font_body, 1, th->fg, ui_rect(box.x + pad, y, kw, lh), UI_ALIGN_LEFT);
        text_draw_in(&vs->text, k[i].what, mt->font_body, 0, th->fg, ui_rect(box.x + 2 * pad + kw, y, ww, lh), UI_ALIGN_LEFT);
    }
    vs->help_box = box;
}

static void status_draw_(ViewState *vs, const ViewModel *vm, const Theme *th, const UiMetrics *mt)
{
    UiRect s = vs->frame.status;
    if (s.h <= 0) return;
    const char *msg = vm->status ? vm->status : "H: every key" S_DOT "Tab: views" S_DOT "Space: train" S_DOT "S: save PNG" S_DOT "4" S_ELLIPSIS "9: lessons";
    int mpx = text_fit_px(&vs->text, msg, mt->font_small, vm->status != NULL, s.w, 0.6);
    text_draw_in(&vs->text, msg, mpx, vm->status != NULL, vm->status_warn ? th->warn : th->fg_muted, s,
                 UI_ALIGN_LEFT);
    int mw, mh;
    text_measure(&vs->text, msg, mpx, vm->status != NULL, &mw, &mh);
    const PlotData *pd = vm->data;
    if (pd && pd->valid) {
        char buf[128] = "computed in";
        size_t used = strlen(buf);
        for (int c = 0; c < GF_NUM_CELLS; c++)
            if (pd->cell[c].ran && used < sizeof buf)
                used += (size_t)snprintf(buf + used, sizeof buf - used, " %s %.1f ms", cell_label[c], pd->cell[c].ms);
        int bw, bh;
        text_measure(&vs->text, buf, mt->font_small, 0, &bw, &bh);
        if (mw + bw + 2 * mt->gap <= s.w) /* only where it does not run into the message */
            text_draw_in(&vs->text, buf, mt->font_small, 0, th->fg_muted, s, UI_ALIGN_RIGHT);
    }
}

/* ================================================================ the view ==================== */

int view_init(ViewState *vs, SDL_Renderer *ren, GfError *err)
{
    memset(vs, 0, sizeof *vs);
    vs->ren = ren;
    colormap_init(&vs->cmap_viridis, CMAP_VIRIDIS);
    colormap_init(&vs->cmap_diverging, CMAP_DIVERGING);
    colormap_init(&vs->cmap_diverging_dark, CMAP_DIVERGING_DARK);
    return text_init(&vs->text, ren, err);
}

void view_free(ViewState *vs)
{
    text_free(&vs->text);
    canvas_free(&vs->canvas);
    if (vs->plot_tex) SDL_DestroyTexture(vs->plot_tex);
    free(vs->xy);
    free(vs->lp.xy);
    training_view_free(&vs->training);
    memset(vs, 0, sizeof *vs);
}

const char *view_centre_message(const ViewModel *vm, int *warn)
{
    *warn = 0;
    if (vm->error) {
        *warn = 1;
        return vm->error;
    }
    if (!(vm->set->sim.cells & GF_CELLS_ALL)) return "no cell shown: press 1, 2 or 3";
    if (!(vm->data && vm->data->valid)) return "computing" S_ELLIPSIS;
    return NULL;
}

void view_message(ViewState *vs, UiRect area, const char *text, int warn)
{
    const Theme *th = theme_get(vs->theme);
    const UiMetrics *mt = &vs->metrics;
    int w, h;
    int px = text_fit_px(&vs->text, text, mt->font_body, 1, area.w - 2 * mt->gap, 0.6);
    text_measure(&vs->text, text, px, 1, &w, &h);
    UiRect b = ui_rect(area.x + (area.w - w) / 2 - mt->gap, area.y + area.h / 2 - h, w + 2 * mt->gap, 2 * h);
    gfx_fill(vs->ren, b, th->overlay_bg);
    text_draw_in(&vs->text, text, px, 1, warn ? th->warn : th->fg_muted, b, UI_ALIGN_CENTER);
}

/* The gradients view: legend, the plot of ||dL/dh_t||, axes; sets vs->frame. */
static void gradients_draw_(ViewState *vs, const ViewModel *vm, const Theme *th, const UiMetrics *mt, int caption)
{
    SDL_Renderer *r = vs->ren;
    TextCache *tc = &vs->text;
    const PlotData *pd = vm->data;
    int have = pd && pd->valid;

    /* legend first: its height decides the plot's */
    LegendEntry entries[8];
    int ne = have ? legend_build_(vm, th, mt, entries) : 0;
    int cw = layout_content_width(vm->w, mt, vs->panel_shown);
    vs->legend_compact = 0;
    int legend_h = legend_layout_(vs, entries, ne, mt, mt->pad, 0, cw - 2 * mt->pad);
    if (legend_h > vm->h / 4) { /* a small window: one line per entry */
        vs->legend_compact = 1;
        legend_h = legend_layout_(vs, entries, ne, mt, mt->pad, 0, cw - 2 * mt->pad);
    }
    if (legend_h == 0) legend_h = (int)lround(mt->font_body * 1.3);

    /* the y range (from the data shown) decides the tick labels' width */
    AxisFit fit;
    axis_fit_init(&fit);
    for (int c = 0; c < GF_NUM_CELLS; c++) {
        if (!cell_shown_(vm, c)) continue;
        const PlotCell *pc = &pd->cell[c];
        int l0, l1;
        layers_shown_(vm, pc, &l0, &l1);
        for (int l = l0; l < l1; l++) {
            axis_fit_add(&fit, pc->grad_h + (size_t)l * (size_t)pc->T, (size_t)pc->T);
            if (pc->grad_c) axis_fit_add(&fit, pc->grad_c + (size_t)l * (size_t)pc->T, (size_t)pc->T);
        }
    }
    bound_fit_(vm, &fit);
    int ytw, yth;
    text_measure(tc, vm->set->log_y ? "1e-300" : "0.0000", mt->font_tick, 0, &ytw, &yth);
    layout_frame(&vs->frame, vm->w, vm->h, mt, vs->panel_shown, caption, vm->interactive, legend_h, ytw);
    for (int i = 0; i < vs->nlegend; i++) vs->legend_item[i].y += vs->frame.legend.y;
    int T = have ? pd->config.seq_len : vm->set->sim.seq_len;
    for (int c = 0; c < GF_NUM_CELLS; c++)
        if (have && pd->cell[c].ran) T = pd->cell[c].T;
    int xlw, xlh;
    text_measure(tc, "00000", mt->font_tick, 0, &xlw, &xlh);
    axis_build(&vs->map, &fit, vm->set->log_y, vs->frame.plot, T, mt->band_h,
               (int)lround(mt->font_tick * 2.2), xlw + mt->font_tick * 2);

    /* background, plot, axes, legend */
    gfx_fill(r, ui_rect(0, 0, vm->w, vm->h), th->bg);
    plot_blit_(vs, vm, th, mt);
    axes_draw_(vs, vm, th, mt);
    legend_draw_(vs, entries, ne, th, mt);

    /* messages in the plot */
    int warn;
    const char *centre = view_centre_message(vm, &warn);
    if (centre) view_message(vs, vs->map.area, centre, warn);
}

int view_draw(ViewState *vs, const ViewModel *vm)
{
    const Theme *th = theme_get(vm->set->theme);
    UiMetrics *mt = &vs->metrics;
    layout_metrics(mt, vm->scale);
    SDL_Renderer *r = vs->ren;
    TextCache *tc = &vs->text;
    const PlotData *pd = vm->data;
    int have = pd && pd->valid;
    vs->theme = vm->set->theme;
    vs->panel_shown = !vm->plot_only && vm->set->panel;
    int caption = vm->set->preset >= 0;

    /* the view's own content */
    vs->view = vm->set->view;
    if (vs->view == UI_VIEW_STATES || vs->view == UI_VIEW_ANATOMY || vs->view == UI_VIEW_TRAINING) {
        layout_frame(&vs->frame, vm->w, vm->h, mt, vs->panel_shown, caption, vm->interactive, 0, 0);
        vs->nlegend = 0;
        gfx_fill(r, ui_rect(0, 0, vm->w, vm->h), th->bg);
        if (vs->view == UI_VIEW_STATES) states_draw(vs, vm);
        else if (vs->view == UI_VIEW_TRAINING) training_draw(vs, vm);
        else anatomy_draw(vs, vm);
    } else {
        gradients_draw_(vs, vm, th, mt, caption);
    }

    /* title and caption */
    char title[256];
    const SimConfig *tcfg = have ? &pd->config : &vm->set->sim;
    settings_title(tcfg, 0, title, sizeof title);
    int busy_w = vm->interactive && vm->busy ? mt->font_small * 12 : 0;
    int tw_, th2_;
    text_measure(tc, title, mt->font_title, 1, &tw_, &th2_);
    if (tw_ > vs->frame.title.w - busy_w) settings_title(tcfg, 1, title, sizeof title);
    if (vm->train_profile_step > 0) { /* the weights on screen are no longer the initial ones */
        size_t used = strlen(title);
        snprintf(title + used, sizeof title - used, S_DOT "trained %ld step%s", vm->train_profile_step,
                 vm->train_profile_step == 1 ? "" : "s");
    }
    int tpx = text_fit_px(tc, title, mt->font_title, 1, vs->frame.title.w - busy_w, 0.6);
    text_draw_in(tc, title, tpx, 1, th->fg, vs->frame.title, UI_ALIGN_LEFT);
    if (caption) {
        const UiPreset *p = settings_preset(vm->set->preset);
        if (p) {
            int cpx = text_fit_px(tc, p->caption, mt->font_body, 0, vs->frame.caption.w, 0.6);
            text_draw_in(tc, p->caption, cpx, 0, th->accent, vs->frame.caption, UI_ALIGN_LEFT);
        }
    }

    /* busy indicator: a line of dots that walks while the worker computes */
    if (vm->interactive && vm->busy) {
        UiRect tr = vs->frame.title;
        int d = mt->font_small / 2 > 2 ? mt->font_small / 2 : 2;
        int x = tr.x + tr.w - 5 * 2 * d;
        for (int i = 0; i < 5; i++) {
            UiColor c = (int)(vm->busy_phase % 5) == i ? th->accent : ui_color_mix(th->accent, th->bg, 0.7);
            gfx_fill(r, ui_rect(x + i * 2 * d, tr.y + tr.h / 2 - d / 2, d, d), c);
        }
        text_draw_in(tc, "computing" S_ELLIPSIS, mt->font_small, 0, th->accent,
                     ui_rect(tr.x, tr.y, tr.w - 11 * d, tr.h), UI_ALIGN_RIGHT);
    }

    /* the panel: widgets run now, drawn from their command list */
    int flags = 0;
    if (vs->panel_shown) {
        panel_layout_view(&vs->panel, vs->frame.panel, mt, vm->set->view);
        UiInput none;
        memset(&none, 0, sizeof none);
        none.mx = none.my = -1;
        ui_begin(&vs->ui, vm->interactive ? &vm->in : &none, th, vs->panel.font_px, vs->panel.small_px,
                 mt->grid_w);
        flags = panel_run(&vs->ui, &vs->panel, vm->set);
        ui_end(&vs->ui);
        for (int i = 0; i < vs->ui.ncmd; i++) {
            const UiCmd *c = &vs->ui.cmds[i];
            if (c->type == UI_CMD_RECT) gfx_fill(r, c->r, c->c);
            else if (c->type == UI_CMD_BOX) gfx_box(r, c->r, c->c, c->border);
            else /* text that does not fit its box gets smaller, down to 70 %, rather than overrun it */
                text_draw_in(tc, c->text, text_fit_px(tc, c->text, c->font_px, c->bold, c->r.w, 0.7), c->bold, c->c,
                             c->r, c->align);
        }
        if (!vm->interactive) flags = 0;
    }

    vs->hover_box = ui_rect(0, 0, 0, 0);
    if (vm->interactive) {
        status_draw_(vs, vm, th, mt);
        if (vs->view == UI_VIEW_STATES) states_hover(vs, vm);
        else if (vs->view == UI_VIEW_ANATOMY) anatomy_hover(vs, vm);
        else if (vs->view == UI_VIEW_GRADIENTS) hover_draw_(vs, vm, th, mt);
        help_draw_(vs, vm, th, mt);
    }
    return flags;
}
