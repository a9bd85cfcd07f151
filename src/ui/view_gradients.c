/* view_gradients.c - the gradients view: the legend with the orders of magnitude fallen, the
 * log-scale plot of ||dL/dh_t|| (curves painted with coverage anti-aliasing on the canvas), axes,
 * the theory bound and shading, the floor and inf/NaN strips, the labels placed inside the plot
 * where they cover the fewest curve pixels, and the hover read-out. */
#include "view_gradients.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/factors.h"
#include "labels.h"

#define LSTM_C_WIDTH 0.7f /* the lstm's dL/dc line, relative to the curves' width */

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

/* The entry of cell c's ||dL/dh_t|| (the layer the legend describes): the change over time and
 * the weights' sigma_max, spectral radius and the loss. */
static void legend_cell_(const ViewModel *vm, const Theme *th, const UiMetrics *m, int c, LegendEntry *x)
{
    const PlotCell *pc = &vm->data->cell[c];
    int ll = plotdata_legend_layer(pc, vm->set->layer_shown);
    char which[32];
    layer_words_(vm, pc, which, sizeof which);
    const double *g = pc->grad_h + (size_t)ll * (size_t)pc->T;
    memset(x, 0, sizeof *x);
    x->color = th->cell[c];
    x->style = theme_line_style((GfCell)c, 0);
    x->width = m->line_w;
    char lays[48] = "";
    if (pc->L > 1 && vm->set->layer_shown < 0)
        snprintf(lays, sizeof lays, "  (layers 0" "\xE2\x80\x93" "%d, faded = lower)", pc->L - 1);
    snprintf(x->name, sizeof x->name, "%s  " S_GRAD_H "%s", label_cell(c), lays);
    snprintf(x->short_name, sizeof x->short_name, "%s h" S_SUB_T, label_cell(c));
    int bad;
    orders_text_(pc, g, x->line2, sizeof x->line2, &bad);
    int tbad = last_nonfinite_(pc, ll, ll + 1);
    if (tbad >= 0) {
        snprintf(x->line2, sizeof x->line2, "overflowed: inf/NaN for t " S_LEQ " %d", tbad);
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
    snprintf(x->line3, sizeof x->line3, "%s" S_SIGMA "_{max} %s" S_DOT S_RHO " %s%s" S_DOT "loss %s", which, sgt, rht,
             pc->G > 1 ? " (gates' max)" : "", losst);
}

/* The entry of the lstm's ||dL/dc_t||. */
static void legend_lstm_c_(const ViewModel *vm, const Theme *th, const UiMetrics *m, LegendEntry *y)
{
    const PlotCell *pc = &vm->data->cell[GF_CELL_LSTM];
    int ll = plotdata_legend_layer(pc, vm->set->layer_shown);
    char which[32];
    layer_words_(vm, pc, which, sizeof which);
    int bad;
    memset(y, 0, sizeof *y);
    y->color = th->lstm_c;
    y->style = theme_line_style(GF_CELL_LSTM, 1);
    y->width = m->line_w * LSTM_C_WIDTH;
    snprintf(y->name, sizeof y->name, "LSTM  " S_GRAD_C "  (cell state)");
    snprintf(y->short_name, sizeof y->short_name, "LSTM c" S_SUB_T);
    orders_text_(pc, pc->grad_c + (size_t)ll * (size_t)pc->T, y->line2, sizeof y->line2, &bad);
    prepend_(y->line2, sizeof y->line2, which);
    y->line2_color = bad ? th->warn : th->fg;
    snprintf(y->line3, sizeof y->line3, "c_{t} = f_{t}" S_MUL "c_{t" S_MINUS "1} + i_{t}" S_MUL "g_{t}");
}

/* The entry of the RNN's bound (drawn for the layer the legend describes only). Returns 0 when
 * the bound has no meaning there. */
static int legend_bound_(const ViewModel *vm, const Theme *th, const UiMetrics *m, LegendEntry *b)
{
    const PlotCell *pc = &vm->data->cell[GF_CELL_RNN];
    int ll = plotdata_legend_layer(pc, vm->set->layer_shown);
    if (isnan(plotdata_bound_log10(pc, ll, 0))) return 0;
    memset(b, 0, sizeof *b);
    b->color = th->cell[GF_CELL_RNN];
    b->style = theme_theory_style();
    b->width = m->line_thin;
    snprintf(b->name, sizeof b->name, "bound  " S_NORM S_PARTIAL "L/" S_PARTIAL "h_{T" S_MINUS "1}" S_NORM
             S_DOT S_SIGMA "_{max}^{T" S_MINUS "1" S_MINUS "t}");
    snprintf(b->short_name, sizeof b->short_name, "RNN bound");
    b->line2_color = th->fg_muted;
    char which[32];
    layer_words_(vm, pc, which, sizeof which);
    size_t wl = strlen(which);
    if (wl >= 2) which[wl - 2] = 0; /* no ": " */
    char who[96];
    snprintf(who, sizeof who, "RNN%s%s, " "\xCE\xB3" " = 1 (%s)", *which ? " " : "", which,
             gf_nonlin_name(vm->data->config.nonlinearity));
    /* sigma_max > 1: the bound grows going back in time, so it promises no vanishing; that is the
       line to read (the compact legend shows only it) */
    double sg = pc->sigma_max[ll][0];
    if (sg > 1) {
        char sgt[24];
        axis_format_number(sgt, sizeof sgt, "%.3g", sg);
        snprintf(b->line2, sizeof b->line2, S_SIGMA "_{max} %s > 1: it rises back in time, no vanishing guaranteed", sgt);
        snprintf(b->line3, sizeof b->line3, "Pascanu, Mikolov & Bengio 2013" S_DOT "%s", who);
    } else {
        snprintf(b->line2, sizeof b->line2, "Pascanu, Mikolov & Bengio 2013");
        snprintf(b->line3, sizeof b->line3, "%s", who);
    }
    return 1;
}

/* The legend's entries (at most 6): each cell shown (the lstm's c after its h), then the bound. */
static int legend_build_(const ViewModel *vm, const Theme *th, const UiMetrics *m, LegendEntry *e)
{
    int n = 0;
    for (int c = 0; c < GF_NUM_CELLS && n < 6; c++) {
        if (!cell_shown_(vm, c)) continue;
        legend_cell_(vm, th, m, c, &e[n++]);
        if (c == GF_CELL_LSTM && vm->data->cell[c].grad_c && n < 6) legend_lstm_c_(vm, th, m, &e[n++]);
    }
    /* the bound last: it is the widest entry, and rows pack better without it in the middle */
    if (cell_shown_(vm, GF_CELL_RNN) && vm->set->theory && vm->set->log_y && n < 6)
        n += legend_bound_(vm, th, m, &e[n]);
    return n;
}

/* ================================================================ the plot canvas ============= */

static int xy_reserve_(GradientsGeom *g, size_t pts)
{
    if (pts <= g->xy_cap) return 0;
    float *p = realloc(g->xy, pts * 2 * sizeof *p);
    if (!p) return -1;
    g->xy = p;
    g->xy_cap = pts;
    return 0;
}

static float clampf_(float v) { return v < -1e5f ? -1e5f : v > 1e5f ? 1e5f : v; }

/* Polyline points (canvas coordinates) of the T values v; when T is much larger than the width,
 * each pixel column keeps only its extreme values. Returns the number of points. */
static int curve_points_(GradientsGeom *g, const PlotMap *m, const double *v, int T)
{
    int w = m->area.w;
    float ox = (float)m->area.x, oy = (float)m->area.y;
    if (T <= 3 * w) {
        if (xy_reserve_(g, (size_t)T)) return 0;
        for (int t = 0; t < T; t++) {
            g->xy[2 * t] = axis_x(m, t) - ox;
            g->xy[2 * t + 1] = clampf_(axis_y(m, v[t]) - oy);
        }
        return T;
    }
    if (xy_reserve_(g, (size_t)w * 2 + 2)) return 0;
    LpRows rows = {oy, -1e5f, 1e5f, 0}; /* clampf_'s bounds; a column of NaN rows is no break here */
    return lineplot_envelope(g->xy, m, v, T, 0, &rows, 0);
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

static uint64_t canvas_key_(const GradientsGeom *g, const ViewModel *vm, const PlotMap *m)
{
    uint64_t h = DRAW_HASH_SEED;
    const UiSettings *s = vm->set;
    int ints[] = {s->layer_shown, s->log_y, s->theory, (int)s->theme, (int)s->sim.cells,
                  m->area.w, m->area.h, vm->data ? vm->data->valid : 0};
    h = draw_hash(h, ints, sizeof ints);
    h = draw_hash(h, &vm->scale, sizeof vm->scale);
    h = draw_hash(h, &m->lo, sizeof m->lo);
    h = draw_hash(h, &m->hi, sizeof m->hi);
    if (vm->data && vm->data->valid) {
        for (int c = 0; c < GF_NUM_CELLS; c++) {
            const PlotCell *pc = &vm->data->cell[c];
            if (!pc->ran) continue;
            size_t n = (size_t)pc->L * (size_t)pc->T;
            h = draw_hash(h, pc->grad_h, n * sizeof *pc->grad_h);
            if (pc->grad_c) h = draw_hash(h, pc->grad_c, n * sizeof *pc->grad_c);
            h = draw_hash(h, pc->sigma_max, sizeof pc->sigma_max);
            h = draw_hash(h, pc->spectral_radius, sizeof pc->spectral_radius);
            h = draw_hash(h, pc->factor, 2 * n * sizeof *pc->factor);
            h = draw_hash(h, pc->grad_x, (size_t)pc->T * sizeof *pc->grad_x);
            h = draw_hash(h, pc->deriv_mean, sizeof pc->deriv_mean);
        }
        h = draw_hash(h, vm->data->nmarks, sizeof vm->data->nmarks);
        h = draw_hash(h, vm->data->marks, sizeof vm->data->marks);
    }
    int fig[5] = {g->strips, g->fig.x, g->fig.y, g->fig.w, g->fig.h};
    h = draw_hash(h, fig, sizeof fig);
    for (int k = 0; g->strips && k < 2; k++) { /* field by field: no padding bytes in the key */
        const PlotMap *p = k ? &g->sal_map : &g->fac_map;
        double d[2] = {p->lo, p->hi};
        int v[9] = {p->area.x, p->area.y, p->area.w, p->area.h, p->main_y0, p->main_y1, p->floor_band, p->top_band,
                    p->x_major};
        h = draw_hash(h, d, sizeof d);
        h = draw_hash(h, v, sizeof v);
    }
    return h ? h : 1;
}

/* What the canvas's painter reads. */
typedef struct CanvasArgs {
    GradientsGeom *g;      /* the layout; its scratch points */
    const ViewModel *vm;
    const Theme *th;
    const UiMetrics *mt;
} CanvasArgs;

/* The plot's background: the vanishing / exploding shading relative to the gradient where the
 * loss enters, the grid (minor then major decades, and x ticks), the floor and inf/NaN strips. */
static void background_paint_(Canvas *cv, const CanvasArgs *ca)
{
    const ViewModel *vm = ca->vm;
    const Theme *th = ca->th;
    const PlotMap *m = &ca->g->map;
    int ox = m->area.x, oy = m->area.y;
    canvas_fill(cv, th->bg);
    canvas_fill_rect(cv, ui_rect(0, 0, m->area.w, m->area.h), th->plot_bg);
    if (vm->data && vm->data->valid && vm->set->theory && m->log) {
        double ref = shading_ref_(vm);
        if (isfinite(ref)) {
            int yv = (int)lroundf(axis_y_log10(m, ref - VANISH_DECADES)) - oy;
            int ye = (int)lroundf(axis_y_log10(m, ref + EXPLODE_DECADES)) - oy;
            int top = m->main_y0 - oy, bot = m->main_y1 - oy;
            if (yv < bot) canvas_fill_rect(cv, ui_rect(0, yv > top ? yv : top, cv->w, bot - (yv > top ? yv : top)), th->shade_vanish);
            if (ye > top) canvas_fill_rect(cv, ui_rect(0, top, cv->w, (ye < bot ? ye : bot) - top), th->shade_explode);
        }
    }
    int gw = ca->mt->grid_w;
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
    if (m->floor_band) canvas_fill_rect(cv, ui_rect(0, m->floor_y0 - oy, cv->w, m->floor_y1 - m->floor_y0), th->band);
    if (m->top_band) canvas_fill_rect(cv, ui_rect(0, m->top_y0 - oy, cv->w, m->top_y1 - m->top_y0), th->band);
}

/* The bound, under the curves: for the layer the legend describes only (the top one when every
 * layer is drawn), one line rather than one per layer. */
static void bound_paint_(Canvas *cv, const CanvasArgs *ca)
{
    const ViewModel *vm = ca->vm;
    GradientsGeom *g = ca->g;
    const PlotMap *m = &g->map;
    int ox = m->area.x, oy = m->area.y;
    if (!(vm->set->theory && cell_shown_(vm, GF_CELL_RNN))) return;
    const PlotCell *pc = &vm->data->cell[GF_CELL_RNN];
    int l = plotdata_legend_layer(pc, vm->set->layer_shown);
    LineStyle ts = theme_theory_style();
    int T = pc->T, n = T < 2 * cv->w ? T : 2 * cv->w;
    if (n < 2 || xy_reserve_(g, (size_t)n)) return;
    for (int i = 0; i < n; i++) {
        double t = n == T ? i : (double)i * (T - 1) / (n - 1);
        double lg = plotdata_bound_log10(pc, l, (int)lround(t));
        if (isnan(lg)) return;
        g->xy[2 * i] = axis_x(m, t) - ox;
        double y = m->log ? axis_y_log10(m, lg) : (lg > 300 ? -1e9 : axis_y(m, pow(10.0, lg)));
        g->xy[2 * i + 1] = clampf_((float)y - oy);
    }
    canvas_draw_polyline(cv, g->xy, n, ca->mt->line_thin, &ts, ca->th->cell[GF_CELL_RNN]);
}

/* The curves: gru, the lstm's h, the lstm's c over it (thinner, dotted, its own shade: where the
 * two run together its dots show inside the h curve's dashes), then the rnn (the one that falls)
 * on top; lower layers first and faded. */
static void curves_paint_(Canvas *cv, const CanvasArgs *ca)
{
    const ViewModel *vm = ca->vm;
    const Theme *th = ca->th;
    GradientsGeom *g = ca->g;
    const PlotMap *m = &g->map;
    static const int order[][2] = {{GF_CELL_GRU, 0}, {GF_CELL_LSTM, 0}, {GF_CELL_LSTM, 1}, {GF_CELL_RNN, 0}};
    for (int k = 0; k < 4; k++) {
        int c = order[k][0], is_c = order[k][1];
        if (!cell_shown_(vm, c)) continue;
        const PlotCell *pc = &vm->data->cell[c];
        if (is_c && !pc->grad_c) continue;
        int l0, l1;
        layers_shown_(vm, pc, &l0, &l1);
        for (int l = l0; l < l1; l++) {
            const double *v = (is_c ? pc->grad_c : pc->grad_h) + (size_t)l * (size_t)pc->T;
            int n = curve_points_(g, m, v, pc->T);
            LineStyle st = theme_line_style((GfCell)c, is_c);
            float w = ca->mt->line_w * (is_c ? LSTM_C_WIDTH : 1.0f) * (l == l1 - 1 ? 1.0f : 0.8f);
            UiColor col = is_c ? th->lstm_c : th->cell[c];
            canvas_draw_polyline(cv, g->xy, n, w, &st, layer_color_(th, col, l, pc->L, l1 - l0 > 1));
        }
    }
}

/* ================================================================ theory lines and strips ===== */

/* Doubles of scratch (the line at 1, a series' copy, a theory line): n of them, or NULL. */
static double *scratch_(GradientsGeom *g, size_t n)
{
    if (n > g->scratch_cap) {
        double *p = realloc(g->scratch, n * sizeof *p);
        if (!p) return NULL;
        g->scratch = p;
        g->scratch_cap = n;
    }
    return g->scratch;
}

/* The theory lines beside the bound, each for the layer the legend describes and in its cell's
 * colour: the rnn's typical rate, ||dL/dh_{T-1}|| (rho * mean tanh')^(T-1-t), and the lstm's
 * product of mean forget gates, ||dL/dc_{T-1}|| prod_{s>t} f_s. Writes the log10 line of kind k
 * (0 rate, 1 product) into out (T); returns 0, or -1 when it is not drawn. */
static int theory_line_(const ViewModel *vm, int k, double *out)
{
    if (!vm->set->theory || !vm->set->log_y) return -1;
    /* both follow the gradient back from the one step the loss reads: not a task scored at every
       step (copy), where gradient enters everywhere */
    if (gf_task_per_step(vm->data->config.task)) return -1;
    int c = k == 0 ? GF_CELL_RNN : GF_CELL_LSTM;
    if (!cell_shown_(vm, c)) return -1;
    const PlotCell *pc = &vm->data->cell[c];
    if (!pc->has_factors || (k == 1 && !pc->grad_c)) return -1;
    int l = plotdata_legend_layer(pc, vm->set->layer_shown);
    size_t at = (size_t)l * (size_t)pc->T + (size_t)(pc->T - 1);
    if (k == 0) return factors_rate_log10(out, pc->grad_h[at], pc->spectral_radius[l][0] * pc->deriv_mean[l], pc->T);
    return factors_product_log10(out, pc->grad_c[at], pc->factor + (size_t)l * (size_t)pc->T, pc->T);
}

static LineStyle theory2_style_(void)
{
    LineStyle s = {{6.0f, 2.0f, 1.0f, 2.0f}}; /* long dash, dot: apart from the bound's even dashes */
    return s;
}

/* The theory lines under the curves. */
static void theory_paint_(Canvas *cv, const CanvasArgs *ca)
{
    GradientsGeom *g = ca->g;
    const PlotMap *m = &g->map;
    int T = m->T, n = T < 2 * cv->w ? T : 2 * cv->w;
    LineStyle st = theory2_style_();
    for (int k = 0; k < 2; k++) {
        double *lg = g->scratch_cap >= 3 * (size_t)T ? g->scratch + 2 * (size_t)T : NULL; /* layout made room */
        if (!lg || n < 2 || theory_line_(ca->vm, k, lg) || xy_reserve_(g, (size_t)n)) continue;
        for (int i = 0; i < n; i++) {
            double t = n == T ? i : (double)i * (T - 1) / (n - 1);
            g->xy[2 * i] = axis_x(m, t) - m->area.x;
            g->xy[2 * i + 1] = clampf_(axis_y_log10(m, lg[(int)lround(t)]) - m->area.y);
        }
        canvas_draw_polyline(cv, g->xy, n, ca->mt->line_thin, &st, ca->th->cell[k == 0 ? GF_CELL_RNN : GF_CELL_LSTM]);
    }
}

/* The task's informative steps on the time axis of plot m: a dotted line at each of sequence 0's;
 * with ticks (the last strip) a short tick at the bottom for each of the other sequences'. */
static void marks_paint_(Canvas *cv, const CanvasArgs *ca, const PlotMap *m)
{
    const PlotData *pd = ca->vm->data;
    const Theme *th = ca->th;
    const UiRect f = ca->g->fig;
    float y0 = (float)(m->area.y - f.y), y1 = y0 + (float)m->area.h;
    LineStyle dots = {{1.0f, 2.0f, 0, 0}};
    UiColor col = ui_color_mix(th->fg, th->plot_bg, 0.35);
    for (int k = 0; pd->mark_seqs > 0 && k < pd->nmarks[0]; k++) {
        float x = axis_x(m, pd->marks[0][k]) - (float)f.x;
        float xy[4] = {x, y0, x, y1};
        canvas_draw_polyline(cv, xy, 2, ca->mt->line_thin, &dots, col);
    }
}

/* The ticks of the other sequences' informative steps, along the bottom of plot m. */
static void mark_ticks_paint_(Canvas *cv, const CanvasArgs *ca, const PlotMap *m)
{
    const PlotData *pd = ca->vm->data;
    const UiRect f = ca->g->fig;
    int len = (int)lround(6 * ca->mt->s) > 2 ? (int)lround(6 * ca->mt->s) : 2, w = ca->mt->grid_w;
    UiColor col = ui_color_mix(ca->th->fg, ca->th->plot_bg, 0.55);
    for (int b = 1; b < pd->mark_seqs; b++)
        for (int k = 0; k < pd->nmarks[b]; k++) {
            int x = (int)lroundf(axis_x(m, pd->marks[b][k])) - f.x;
            canvas_fill_rect(cv, ui_rect(x - w / 2, m->area.y + m->area.h - f.y - len, w > 0 ? w : 1, len), col);
        }
}

/* The strips under the plot: the per-step factors with the line at 1, and the saliency. What the
 * main plot's curves drew past its bottom edge is covered first. */
static void strips_paint_(Canvas *cv, const CanvasArgs *ca)
{
    const GradientsGeom *g = ca->g;
    if (!g->strips) return;
    const UiRect f = g->fig, a = g->map.area;
    canvas_fill_rect(cv, ui_rect(0, a.h, f.w, f.h - a.h), ca->th->bg);
    LpScratch lp = {NULL, 0};
    lineplot_paint(cv, f.x, f.y, &g->fac_map, g->fac, g->nfac, 1, ca->th, ca->mt, &lp);
    marks_paint_(cv, ca, &g->fac_map);
    lineplot_paint(cv, f.x, f.y, &g->sal_map, g->sal, g->nsal, 1, ca->th, ca->mt, &lp);
    marks_paint_(cv, ca, &g->sal_map);
    mark_ticks_paint_(cv, ca, &g->sal_map);
    free(lp.xy);
}

/* The plot's interior: background, the loss marker (the loss enters at t = T-1), the bound, the
 * curves. */
static void canvas_paint_(Canvas *cv, const void *arg)
{
    const CanvasArgs *ca = arg;
    const PlotMap *m = &ca->g->map;
    background_paint_(cv, ca);
    if (!(ca->vm->data && ca->vm->data->valid)) return;
    marks_paint_(cv, ca, m);
    float xl = axis_x(m, m->T - 1) - m->area.x;
    float marker[4] = {xl, 0, xl, (float)m->area.h};
    LineStyle dash = {{2.0f, 2.0f, 0, 0}};
    canvas_draw_polyline(cv, marker, 2, ca->mt->line_thin * 0.75f, &dash, ca->th->fg_muted);
    bound_paint_(cv, ca);
    theory_paint_(cv, ca);
    curves_paint_(cv, ca);
    strips_paint_(cv, ca);
}

/* The plot: its canvas, repainted only when what it shows changed. */
static void plot_paint_(GradientsGeom *g, DrawCtx *dc, const ViewModel *vm)
{
    CanvasArgs ca = {g, vm, dc->th, &dc->metrics};
    g->key = canvas_key_(g, vm, &g->map);
    draw_canvas_cached(dc, g->fig, g->key, canvas_paint_, &ca);
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
static int canvas_ink_(const DrawCtx *dc, const GradientsGeom *g, const Theme *th, UiRect b)
{
    const Canvas *cv = &dc->canvas;
    const UiRect a = g->map.area;
    if (!cv->px || cv->w != g->fig.w || cv->h != g->fig.h) return 0;
    const UiColor calm[] = {th->plot_bg, th->grid, th->grid_minor, th->band, th->shade_vanish, th->shade_explode};
    int n = 0;
    for (int y = b.y; y < b.y + b.h; y++)
        for (int x = b.x; x < b.x + b.w; x++) {
            if (x < a.x || y < a.y || x >= a.x + a.w || y >= a.y + a.h) continue;
            uint32_t p = canvas_get(cv, x - a.x, y - a.y);
            int r = (int)(p >> 16 & 255), gr = (int)(p >> 8 & 255), bl = (int)(p & 255), far = 1;
            for (size_t k = 0; k < sizeof calm / sizeof *calm && far; k++)
                far = abs(r - calm[k].r) > 24 || abs(gr - calm[k].g) > 24 || abs(bl - calm[k].b) > 24;
            n += far;
        }
    return n;
}

/* Draws a small label in row on a box of the background under it. It goes where it covers fewer
 * curve pixels: aligned al, or (flip) at the other end of the row when that covers less than half
 * as many; where it would cover a label already placed it moves a line down (dir > 0) or up
 * (dir < 0), staying inside the plot's range. An optional label (the bands' explanations) that
 * finds no place clear of the others is left out rather than drawn over them: a plot too short
 * for every label (a small window) keeps the ones that carry the run's numbers. */
#define LABEL_CLASH_ 1000000L /* a placement's score when it covers another label */

static void plot_label_(DrawCtx *dc, const GradientsGeom *g, const ViewModel *vm, PlotLabels *pl, const char *text, int bold, UiColor fg,
                        UiRect row, UiAlign al, int dir, int flip, int optional)
{
    const UiMetrics *mt = &dc->metrics;
    const PlotMap *m = &g->map;
    const Theme *th = dc->th;
    int bp = mt->gap / 3;
    int px = text_fit_px_rich(&dc->text, text, mt->font_small, bold, row.w - 2 * bp, 0.6);
    UiAlign cand[2] = {al, al == UI_ALIGN_RIGHT ? UI_ALIGN_LEFT : UI_ALIGN_RIGHT};
    UiRect best_row = row;
    UiAlign best_al = al;
    long best = -1;
    for (int k = 0; k < (flip ? 2 : 1); k++) {
        UiRect r = row;
        int clash = 0;
        for (int tries = 0; tries < 6; tries++) {
            UiRect b = text_box_rich_in(&dc->text, text, px, bold, r, cand[k], bp);
            clash = 0;
            for (int i = 0; i < pl->n; i++) clash |= ui_rect_overlaps(b, pl->box[i]);
            if (!clash || dir == 0) break;
            UiRect next = r;
            next.y += (dir > 0 ? 1 : -1) * (b.h + bp);
            if (next.y < m->main_y0 || next.y + next.h > m->main_y1) break;
            r = next;
        }
        long score = canvas_ink_(dc, g, th, text_box_rich_in(&dc->text, text, px, bold, r, cand[k], bp)) + (clash ? LABEL_CLASH_ : 0);
        if (best < 0 || 2 * score < best) { /* the other end only when it is clearly clearer */
            best = score;
            best_row = r;
            best_al = cand[k];
        }
        if (score == 0) break;
    }
    if (optional && best >= LABEL_CLASH_) return;
    UiRect b = text_draw_rich_boxed(&dc->text, text, px, bold, fg, plot_bg_at_(vm, m, th, best_row.y + best_row.h / 2),
                               best_row, best_al, bp);
    if (pl->n < 8 && b.w > 0) pl->box[pl->n++] = b;
}

/* Draws runs of text (n of them, each its colour) one after the other in row, shrunk together
 * (down to 60%) to fit its width. */
static void runs_draw_(DrawCtx *dc, UiRect row, const char *const *txt, const UiColor *col, const int *bold, int n)
{
    TextCache *tc = &dc->text;
    int px = dc->metrics.font_small, w = 0, h;
    for (int i = 0; i < n; i++) {
        int wi;
        text_measure(tc, txt[i], px, bold[i], &wi, &h);
        w += wi;
    }
    if (w > row.w && w > 0) px = (int)fmax(px * 0.6, floor(px * (double)row.w / w));
    int x = row.x;
    for (int i = 0; i < n; i++) {
        int wi;
        text_measure(tc, txt[i], px, bold[i], &wi, &h);
        text_draw_in(tc, txt[i], px, bold[i], col[i], ui_rect(x, row.y, row.x + row.w - x, row.h), UI_ALIGN_LEFT);
        x += wi;
    }
}

/* The strips' frames, ticks and titles: which factor each cell's curve is, in the cell's colour. */
static void strips_axes_paint_(const GradientsGeom *g, DrawCtx *dc, const ViewModel *vm)
{
    const Theme *th = dc->th;
    const UiMetrics *mt = &dc->metrics;
    const UiRect yt = g->yticks;
    lineplot_axes(dc->ren, &dc->text, &g->fac_map, th, mt, ui_rect(yt.x, g->fac_map.area.y, yt.w, g->fac_map.area.h), 0);
    lineplot_axes(dc->ren, &dc->text, &g->sal_map, th, mt, ui_rect(yt.x, g->sal_map.area.y, yt.w, g->sal_map.area.h), 0);
    lineplot_strip_labels(&dc->text, &g->fac_map, th, mt);
    lineplot_strip_labels(&dc->text, &g->sal_map, th, mt);
    const char *txt[12];
    UiColor col[12];
    int bold[12], n = 0;
    txt[n] = "factor per step back", col[n] = th->fg, bold[n++] = 1;
    txt[n] = "  (log; under the dashed 1 it shrinks):  ", col[n] = th->fg_muted, bold[n++] = 0;
    static const char *what[GF_NUM_CELLS] = {
        "RNN " S_NORM "J" S_SUB_T "\xE1\xB5\x80g" S_NORM "/" S_NORM "g" S_NORM " (faint " S_NORM "J" S_SUB_T S_NORM "\xE2\x82\x82)   ",
        "LSTM forget f" S_SUB_T "   ", "GRU update z" S_SUB_T "   "};
    int gated = 0, drawn = 0;
    for (int c = 0; c < GF_NUM_CELLS; c++)
        if (cell_shown_(vm, c) && vm->data->cell[c].has_factors) {
            txt[n] = what[c], col[n] = ui_color_mix(th->cell[c], th->fg, 0.25), bold[n++] = 0;
            gated |= c != GF_CELL_RNN;
            drawn++;
        }
    if (gated) txt[n] = "(mean; faint: largest unit)", col[n] = th->fg_muted, bold[n++] = 0;
    if (!drawn && vm->data->config.bidirectional) /* the core computes them for one direction only */
        txt[n] = "none for a bidirectional run (two directions, two products)", col[n] = th->fg_muted, bold[n++] = 0;
    runs_draw_(dc, g->fac_title, txt, col, bold, n);
    n = 0;
    txt[n] = "saliency " S_NORM S_PARTIAL "L/" S_PARTIAL "x" S_SUB_T S_NORM, col[n] = th->fg, bold[n++] = 1;
    txt[n] = "  (log): how much the loss depends on input step t (Madsen 2019);  dotted: the task's informative steps",
    col[n] = th->fg_muted, bold[n++] = 0;
    if (vm->data->mark_seqs > 1) txt[n] = ", ticks: the other sequences'", col[n] = th->fg_muted, bold[n++] = 0;
    runs_draw_(dc, g->sal_title, txt, col, bold, n);
}

/* The axes: spines, ticks and their numbers, the axis titles, the loss marker's label. */
static void axes_paint_(const GradientsGeom *g, DrawCtx *dc, const ViewModel *vm, const UiFrame *f)
{
    const Theme *th = dc->th;
    const UiMetrics *mt = &dc->metrics;
    SDL_Renderer *r = dc->ren;
    TextCache *tc = &dc->text;
    const PlotMap *m = &g->map;
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
    if (g->strips) strips_axes_paint_(g, dc, vm);
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
}

/* Where the bound leaves through the top of the plot: a note saying where it went and what that
 * means, right of where it leaves (or ending there, or at the right when neither has room). */
static void bound_note_(const GradientsGeom *g, DrawCtx *dc, const ViewModel *vm, PlotLabels *pl)
{
    const Theme *th = dc->th;
    const UiMetrics *mt = &dc->metrics;
    const PlotMap *m = &g->map;
    UiRect a = m->area;
    int pad = mt->gap, right = axis_label_right(m, pad), bp = mt->gap / 3, lh = mt->font_small * 3 / 2;
    BoundExit be;
    if (!bound_exit_(vm, m, &be)) return;
    char note[200], sg[24];
    axis_format_number(sg, sizeof sg, "%.3g", be.sigma);
    snprintf(note, sizeof note, "bound above the plot for t < %d  (" S_SIGMA "_{max} %s > 1)", be.t_exit, sg);
    int xe = (int)lroundf(axis_x(m, be.t_exit));
    int w, h;
    text_measure_rich(&dc->text, note, mt->font_small, 0, &w, &h);
    UiColor col = ui_color_mix(th->cell[GF_CELL_RNN], th->fg, 0.3);
    UiRect row = ui_rect(xe + pad, m->main_y0 + pad / 2, right - xe - pad, lh);
    UiAlign al = UI_ALIGN_LEFT;
    if (row.w < w + 2 * bp) { /* no room right of where it leaves: end there instead */
        row = ui_rect(a.x + pad, m->main_y0 + pad / 2, xe - pad - a.x - pad, lh);
        al = UI_ALIGN_RIGHT;
    }
    if (row.w < w + 2 * bp) /* room on neither side: at the right, where the bound has come down */
        row = ui_rect(a.x + pad, row.y, right - a.x - pad, lh), al = UI_ALIGN_RIGHT;
    plot_label_(dc, g, vm, pl, note, 0, col, row, al, 1, 0, 0);
}

/* Each theory line's own label, in its colour, beside the line where it is inside the plot: under a
 * line that rises to the right, over one that falls, so the line runs away from it; at the first
 * of a few places along the line where it clashes with no label already placed. */
static void theory_labels_(GradientsGeom *g, DrawCtx *dc, const ViewModel *vm, PlotLabels *pl)
{
    const UiMetrics *mt = &dc->metrics;
    const Theme *th = dc->th;
    const PlotMap *m = &g->map;
    int T = m->T, bp = mt->gap / 3, lh = mt->font_small * 3 / 2, right = axis_label_right(m, mt->gap);
    double *lg = g->scratch_cap >= 3 * (size_t)T ? g->scratch + 2 * (size_t)T : NULL;
    for (int k = 0; lg && k < 2; k++) {
        if (theory_line_(vm, k, lg)) continue;
        char txt[200];
        const PlotCell *pc = &vm->data->cell[k == 0 ? GF_CELL_RNN : GF_CELL_LSTM];
        int l = plotdata_legend_layer(pc, vm->set->layer_shown);
        if (k == 0) {
            char a[24], b[24], r[24];
            axis_format_number(a, sizeof a, "%.2f", pc->spectral_radius[l][0]);
            axis_format_number(b, sizeof b, "%.2f", pc->deriv_mean[l]);
            axis_format_number(r, sizeof r, "%.3g", pc->spectral_radius[l][0] * pc->deriv_mean[l]);
            snprintf(txt, sizeof txt, "RNN typical rate: " S_RHO " " S_TIMES " mean %s\xE2\x80\xB2 = %s " S_TIMES " %s = %s per step",
                     gf_nonlin_name(vm->data->config.nonlinearity), a, b, r);
        } else {
            snprintf(txt, sizeof txt, "LSTM: " S_NORM S_PARTIAL "L/" S_PARTIAL "c" S_NORM " at T" S_MINUS
                     "1 times the mean forget gates f\xE2\x82\x9B, s > t (c's direct path)");
        }
        /* a line that leaves the plot within its last fifth is a short stroke at the right edge,
           easily taken for the lines beside it: the label says where it goes */
        int t_in = T - 1;
        while (t_in > 0 && lg[t_in - 1] >= m->lo && lg[t_in - 1] <= m->hi) t_in--;
        if (t_in > (T - 1) * 4 / 5 && strlen(txt) + 40 < sizeof txt)
            snprintf(txt + strlen(txt), sizeof txt - strlen(txt), "; %s the plot before t = %d",
                     lg[t_in - 1] < m->lo ? "below" : "above", t_in);
        UiColor col = ui_color_mix(th->cell[pc->cell], th->fg, 0.3);
        int px = text_fit_px(&dc->text, txt, mt->font_small, 0, right - m->area.x - 2 * mt->gap, 0.6);
        if (g->label_key == g->key) { /* placed for this very picture: where it was (the search
                                         reads the canvas, a few ms a frame) */
            if (g->label_row[k].w > 0) {
                UiRect b = text_draw_boxed(&dc->text, txt, px, 0, col,
                                           plot_bg_at_(vm, m, th, g->label_row[k].y + g->label_row[k].h / 2),
                                           g->label_row[k], g->label_end[k] ? UI_ALIGN_RIGHT : UI_ALIGN_LEFT, bp);
                if (pl->n < 8) pl->box[pl->n++] = b;
            }
            continue;
        }
        g->label_row[k] = ui_rect(0, 0, 0, 0);
        int rising = lg[T - 1] > lg[0];
        /* starting at the line (left of it the line runs away from the label), then, for a line
           that is inside the plot only near its right end, ending at it (under a line falling to
           the right: above it, the line left of that point being higher) */
        static const double at[] = {0.04, 0.15, 0.3, 0.45, 0.6, 0.97, 0.9, 0.8, 0.7, 1.0}; /* T-1: always inside */
        long best = -1;
        UiRect best_row = m->area;
        int best_end = 0;
        for (int i = 0; i < 10; i++) {
            int t = (int)lround(at[i] * (T - 1)), end = at[i] > 0.65, x = (int)lroundf(axis_x(m, t));
            if (x > right - bp) x = right - bp;
            double y = axis_y_log10(m, lg[t]);
            int above = end ? rising : !rising;
            UiRect row = end ? ui_rect(m->area.x + mt->gap, 0, x - m->area.x - mt->gap, lh) : ui_rect(x, 0, right - x, lh);
            row.y = above ? (int)lround(y) - lh - bp : (int)lround(y) + bp;
            if (row.w <= 0) continue;
            UiRect b = text_box_in(&dc->text, txt, px, 0, row, end ? UI_ALIGN_RIGHT : UI_ALIGN_LEFT, bp);
            int ok = b.y >= m->main_y0 && b.y + b.h <= m->main_y1 && b.x + b.w <= right && b.x >= m->area.x;
            for (int j = 0; ok && j < pl->n; j++) ok = !ui_rect_overlaps(b, pl->box[j]);
            if (!ok) continue;
            long ink = canvas_ink_(dc, g, th, b); /* the place covering the fewest curve pixels */
            if (best < 0 || ink < best) best = ink, best_row = row, best_end = end;
            if (ink == 0) break;
        }
        if (best >= 0) {
            g->label_row[k] = best_row, g->label_end[k] = best_end;
            UiRect b = text_draw_boxed(&dc->text, txt, px, 0, col, plot_bg_at_(vm, m, th, best_row.y + best_row.h / 2),
                                       best_row, best_end ? UI_ALIGN_RIGHT : UI_ALIGN_LEFT, bp);
            if (pl->n < 8) pl->box[pl->n++] = b;
        }
    }
    g->label_key = g->key;
}

/* The labels inside the plot: on boxes of the background under them, ending left of the loss
 * marker, none over another: the floor and inf/NaN strips, where the bound leaves the plot, the
 * vanishing and exploding bands. */
static void plot_labels_paint_(GradientsGeom *g, DrawCtx *dc, const ViewModel *vm)
{
    const Theme *th = dc->th;
    const UiMetrics *mt = &dc->metrics;
    const PlotMap *m = &g->map;
    UiRect a = m->area;
    const PlotData *pd = vm->data;
    g->nlabel_box = 0;
    if (!(pd && pd->valid)) return;

    PlotLabels pl;
    pl.n = 0;
    int pad = mt->gap, right = axis_label_right(m, pad);
    if (m->floor_band)
        plot_label_(dc, g, vm, &pl, "floor: 0 or below 1e-300", 0, th->fg_muted,
                    ui_rect(a.x + pad, m->floor_y0, right - a.x - pad, m->floor_y1 - m->floor_y0), UI_ALIGN_RIGHT, 0, 1, 0);
    if (m->top_band) {
        char txt[200] = "inf / NaN:";
        size_t used = strlen(txt);
        for (int c = 0; c < GF_NUM_CELLS; c++) {
            if (!cell_shown_(vm, c)) continue;
            int l0, l1;
            layers_shown_(vm, &pd->cell[c], &l0, &l1);
            int tb = last_nonfinite_(&pd->cell[c], l0, l1);
            if (tb >= 0 && used < sizeof txt)
                used += (size_t)snprintf(txt + used, sizeof txt - used, "  %s for t " S_LEQ " %d%s",
                                         label_cell(c), tb, isfinite(pd->cell[c].loss) ? "" : " (the forward pass overflowed: loss NaN)");
        }
        plot_label_(dc, g, vm, &pl, txt, 1, th->warn, ui_rect(a.x + pad, m->top_y0, right - a.x - pad, m->top_y1 - m->top_y0),
                    UI_ALIGN_RIGHT, 0, 1, 0);
    }
    theory_labels_(g, dc, vm, &pl);
    bound_note_(g, dc, vm, &pl);
    int lh = mt->font_small * 3 / 2;
    if (vm->set->theory && m->log) {
        double ref = shading_ref_(vm);
        if (isfinite(ref)) {
            int yv = (int)lroundf(axis_y_log10(m, ref - VANISH_DECADES));
            int ye = (int)lroundf(axis_y_log10(m, ref + EXPLODE_DECADES));
            if (m->main_y1 - yv > 2 * lh)
                plot_label_(dc, g, vm, &pl, "vanishing: below 10^{" S_MINUS "7} " S_TIMES " the gradient at t = T" S_MINUS "1", 0,
                            th->fg_muted, ui_rect(a.x + pad, m->main_y1 - lh - pad / 2, right - a.x - pad, lh),
                            UI_ALIGN_RIGHT, -1, 1, 1);
            /* what the band means, on the line above where there is room */
            if (m->main_y1 - yv > 4 * lh && m->area.h >= 10 * lh) /* (an aside: not in a short plot) */
                plot_label_(dc, g, vm, &pl, "in float32 (about 7 digits) a part this small of a sum is lost", 0, th->fg_muted,
                            ui_rect(a.x + pad, m->main_y1 - 2 * lh - pad / 2, right - a.x - pad, lh), UI_ALIGN_RIGHT, -1, 1, 1);
            if (ye - m->main_y0 > 2 * lh)
                plot_label_(dc, g, vm, &pl, "exploding: above 1000 " S_TIMES " the gradient at t = T" S_MINUS "1", 0,
                            th->fg_muted, ui_rect(a.x + pad, m->main_y0 + pad / 2, right - a.x - pad, lh),
                            UI_ALIGN_RIGHT, 1, 1, 1);
        }
    }
    memcpy(g->label_box, pl.box, sizeof pl.box);
    g->nlabel_box = pl.n;
}

/* ================================================================ legend drawing ============== */

/* The legend's entries in the boxes the layout gave them: a line sample, the name, the change in
 * orders of magnitude and the weights' numbers (one line each in a small window). */
static void legend_paint_(const GradientsGeom *g, DrawCtx *dc)
{
    const Theme *th = dc->th;
    const UiMetrics *mt = &dc->metrics;
    TextCache *tc = &dc->text;
    const LegendEntry *e = g->legend;
    int fb = g->legend_px, fs = g->legend_small_px;
    for (int i = 0; i < g->nlegend; i++) {
        UiRect r = g->legend_item[i];
        if (g->legend_compact) { /* one line: sample, name, the change */
            int sw = fb * 2;
            gfx_hline_styled(dc->ren, r.x, r.x + sw, r.y + r.h / 2, e[i].width, &e[i].style, e[i].color);
            int tx = r.x + sw + mt->gap / 2, w, h;
            text_draw_in(tc, e[i].short_name, fb, 1, th->fg, ui_rect(tx, r.y, r.w, r.h), UI_ALIGN_LEFT);
            text_measure(tc, e[i].short_name, fb, 1, &w, &h);
            text_draw_rich_in(tc, e[i].line2, fb, 0, e[i].line2_color, ui_rect(tx + w + fb / 2, r.y, r.w, r.h),
                         UI_ALIGN_LEFT);
            continue;
        }
        int sw = fb * 2;
        int lh = (int)lround(fb * 1.25);
        gfx_hline_styled(dc->ren, r.x, r.x + sw, r.y + lh / 2, e[i].width, &e[i].style, e[i].color);
        int tx = r.x + sw + mt->gap;
        text_draw_rich_in(tc, e[i].name, fb, 1, th->fg, ui_rect(tx, r.y, r.w, lh), UI_ALIGN_LEFT);
        text_draw_rich_in(tc, e[i].line2, fb, 0, e[i].line2_color, ui_rect(tx, r.y + lh, r.w, lh), UI_ALIGN_LEFT);
        text_draw_rich_in(tc, e[i].line3, fs, 0, th->fg_muted, ui_rect(tx, r.y + 2 * lh, r.w, (int)lround(fs * 1.3)),
                     UI_ALIGN_LEFT);
    }
}

/* Widths of the legend entries at text sizes fb / fs; returns the widest. */
static int legend_widths_(const GradientsGeom *g, DrawCtx *dc, const LegendEntry *e, int n, const UiMetrics *mt, int fb,
                          int fs, int *w)
{
    TextCache *tc = &dc->text;
    int widest = 0;
    for (int i = 0; i < n && i < GRAD_LEGEND_MAX; i++) {
        int a, b, c, h;
        if (g->legend_compact) {
            text_measure(tc, e[i].short_name, fb, 1, &a, &h);
            text_measure_rich(tc, e[i].line2, fb, 0, &b, &h);
            w[i] = fb * 2 + mt->gap / 2 + a + fb / 2 + b;
            if (w[i] > widest) widest = w[i];
            continue;
        }
        text_measure_rich(tc, e[i].name, fb, 1, &a, &h);
        text_measure_rich(tc, e[i].line2, fb, 0, &b, &h);
        text_measure_rich(tc, e[i].line3, fs, 0, &c, &h);
        int tw = a > b ? a : b;
        tw = tw > c ? tw : c;
        w[i] = fb * 2 + mt->gap + tw;
        if (w[i] > widest) widest = w[i];
    }
    return widest;
}

static int legend_layout_(GradientsGeom *g, DrawCtx *dc, const LegendEntry *e, int n, const UiMetrics *mt, int x0, int y0,
                          int max_w, double shrink)
{
    int w[GRAD_LEGEND_MAX];
    int fb = (int)lround(mt->font_legend * shrink), fs = (int)lround(mt->font_legend_sub * shrink);
    int widest = legend_widths_(g, dc, e, n, mt, fb, fs, w);
    if (widest > max_w && widest > 0) { /* a narrow window: smaller legend text, down to 70 % */
        double f = fmax(0.7, (double)max_w / widest);
        fb = (int)(fb * f);
        fs = (int)(fs * f);
        legend_widths_(g, dc, e, n, mt, fb, fs, w);
    }
    for (int i = 0; i < n && i < GRAD_LEGEND_MAX; i++)
        if (w[i] > max_w) w[i] = max_w;
    g->legend_px = fb;
    g->legend_small_px = fs;
    int row_h = g->legend_compact ? (int)lround(fb * 1.35) : (int)lround(fb * 2.5 + fs * 1.3);
    g->nlegend = n < GRAD_LEGEND_MAX ? n : GRAD_LEGEND_MAX;
    return layout_flow(w, g->nlegend, max_w, row_h, g->legend_compact ? fb * 3 / 2 : fb * 2,
                       g->legend_compact ? 0 : mt->gap / 2, x0, y0, g->legend_item);
}

/* ================================================================ overlays ==================== */

/* The hover read-out: every shown curve's value at the step under the mouse. */
static UiRect gradients_hover_(const void *state, DrawCtx *dc, const ViewModel *vm)
{
    const GradientsGeom *g = state;
    const Theme *th = dc->th;
    const UiMetrics *mt = &dc->metrics;
    const PlotMap *m = &g->map;
    UiRect none = ui_rect(0, 0, 0, 0);
    if (!vm->interactive || !vm->data || !vm->data->valid) return none;
    if (!ui_rect_contains(g->fig, vm->in.mx, vm->in.my)) return none;
    int t = axis_step_at(m, vm->in.mx);
    if (t < 0) return none;
    SDL_Renderer *r = dc->ren;
    int x = (int)lroundf(axis_x(m, t));
    gfx_fill(r, ui_rect(x, g->fig.y, mt->grid_w, g->fig.h), th->fg_muted);

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
                     label_cell(c), lay, axis_format_number(num, sizeof num, "%.6g", v));
            colors[n++] = th->cell[c];
            if (pc->grad_c) {
                double vc = pc->grad_c[(size_t)l * (size_t)pc->T + (size_t)t];
                snprintf(lines[n], sizeof lines[n], "%s%s  " S_NORM S_PARTIAL "L/" S_PARTIAL "c" S_SUB_T S_NORM " = %s",
                         label_cell(c), lay, axis_format_number(num, sizeof num, "%.6g", vc));
                colors[n++] = ui_color_mix(th->lstm_c, th->fg, 0.35); /* its shade, dark enough to read */
            }
            if (pc->has_factors && l == plotdata_legend_layer(pc, vm->set->layer_shown) && n < 18) {
                char a[32], b[32];
                axis_format_number(a, sizeof a, "%.4g", pc->factor[(size_t)l * (size_t)pc->T + (size_t)t]);
                axis_format_number(b, sizeof b, "%.4g", pc->factor_max[(size_t)l * (size_t)pc->T + (size_t)t]);
                snprintf(lines[n], sizeof lines[n], "%s%s  %s %s (%s %s)", label_cell(c), lay,
                         c == GF_CELL_RNN ? "step gain" : c == GF_CELL_LSTM ? "mean f" S_SUB_T : "mean z" S_SUB_T, a,
                         c == GF_CELL_RNN ? S_NORM "J" S_SUB_T S_NORM "\xE2\x82\x82" : "largest", b);
                colors[n++] = th->cell[c];
            }
            if (l == l1 - 1 && n < 18) {
                char a[32];
                snprintf(lines[n], sizeof lines[n], "%s  saliency " S_NORM S_PARTIAL "L/" S_PARTIAL "x" S_SUB_T S_NORM " = %s",
                         label_cell(c), axis_format_number(a, sizeof a, "%.4g", pc->grad_x[t]));
                colors[n++] = th->cell[c];
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
    return gfx_hover_box(r, &dc->text, lines[0], sizeof lines[0], colors, n, x, m->area.y + mt->gap, m->area, 0, th, mt);
}


/* ================================================================ the view ==================== */

/* The legend's entries and their boxes (y from 0): rows of full entries, or one line per entry
 * when those would take more than a quarter of the height. Returns the height they need. */
static int legend_fit_(GradientsGeom *g, DrawCtx *dc, const ViewModel *vm)
{
    const UiMetrics *mt = &dc->metrics;
    int have = vm->data && vm->data->valid;
    int ne = have ? legend_build_(vm, dc->th, mt, g->legend) : 0;
    int cw = layout_content_width(vm->w, mt, view_panel_shown(vm));
    g->legend_compact = 0;
    int legend_h = legend_layout_(g, dc, g->legend, ne, mt, mt->pad, 0, cw - 2 * mt->pad, 1.0);
    if (legend_h > vm->h / 4) { /* a small window: one line per entry */
        g->legend_compact = 1;
        legend_h = legend_layout_(g, dc, g->legend, ne, mt, mt->pad, 0, cw - 2 * mt->pad, 1.0);
    }
    /* a short window (a laptop's browser, 1280 x 570): the lines still take over 2/9 of the height,
       and the plot they describe is squeezed; at three quarters of the size two fit on a row */
    if (g->legend_compact && 9 * legend_h > 2 * vm->h) {
        int h2 = legend_layout_(g, dc, g->legend, ne, mt, mt->pad, 0, cw - 2 * mt->pad, 0.75);
        if (h2 < legend_h) legend_h = h2;
        else legend_h = legend_layout_(g, dc, g->legend, ne, mt, mt->pad, 0, cw - 2 * mt->pad, 1.0);
    }
    if (legend_h == 0) legend_h = (int)lround(mt->font_body * 1.3);
    return legend_h;
}

/* Where the plot and the strips under it go: the strips (when there is data and room) take the
 * lower part of the frame's plot box, each under a title row; returns the main plot's box. Room
 * means the main plot keeps at least 40% of the box: below that (the window on a laptop's
 * 1366x768) the curves the strips explain would be squeezed flat, so the strips are left out
 * until the window is larger. */
static UiRect strips_split_(GradientsGeom *g, DrawCtx *dc, const ViewModel *vm, const UiFrame *f)
{
    const UiMetrics *mt = &dc->metrics;
    UiRect P = f->plot;
    g->yticks = f->yticks;
    g->strips = vm->data && vm->data->valid && vm->set->strips && P.h >= (int)lround(330 * mt->s) && P.h >= 150;
    if (!g->strips) return P;
    int tick = lineplot_tick_length(mt), title_h = (int)lround(mt->font_small * 1.55);
    int fac_h = (int)lround(P.h * 0.2), sal_h = (int)lround(P.h * 0.15);
    int sep = tick + mt->gap / 2 + title_h + layout_tick_rise(mt) / 2; /* under a plot: its ticks, a title */
    int main_h = P.h - fac_h - sal_h - 2 * sep;
    if (5 * main_h < 2 * P.h) {
        g->strips = 0;
        return P;
    }
    int y = P.y + main_h + tick + mt->gap / 2;
    g->fac_title = ui_rect(P.x, y, P.w, title_h);
    y += sep - tick - mt->gap / 2;
    UiRect fac = ui_rect(P.x, y, P.w, fac_h);
    y += fac_h + tick + mt->gap / 2;
    g->sal_title = ui_rect(P.x, y, P.w, title_h);
    y += sep - tick - mt->gap / 2;
    UiRect sal = ui_rect(P.x, y, P.w, P.y + P.h - y);
    g->fac_map.area = fac; /* built by strips_build_ */
    g->sal_map.area = sal;
    return ui_rect(P.x, P.y, P.w, main_h);
}

/* Factors near 1 (most runs: 0.3 to 3) on a log axis of whole decades would sit in a thin band:
 * when they and 1 span under 1.5 decades the strip's range hugs them instead, the line at 1 its
 * one labelled tick. */
static void factor_range_(PlotMap *m, const LpSeries *s, int n)
{
    double lo = 0, hi = 0; /* log10 of 1 is in */
    for (int i = 0; i < n; i++)
        for (int t = 0; t < s[i].T; t++)
            if (s[i].v[t] > 0 && isfinite(s[i].v[t])) {
                double l = log10(s[i].v[t]);
                lo = fmin(lo, l), hi = fmax(hi, l);
            }
    if (hi - lo >= 1.5 || m->floor_band || m->top_band) return;
    double air = 0.12 * fmax(hi - lo, 0.25);
    m->lo = lo - air;
    m->hi = hi + air;
    m->major = 1;
    m->minor = 0;
}

/* The strips' series and mappings, on the main plot's time axis: each shown cell's factor (its
 * mean, and faint its largest), the line at 1, and ||dL/dx_t||. Returns -1 when out of memory. */
static int strips_build_(GradientsGeom *g, DrawCtx *dc, const ViewModel *vm, int T, int min_gap_x)
{
    const UiMetrics *mt = &dc->metrics;
    const Theme *th = dc->th;
    const PlotData *pd = vm->data;
    double *sc = scratch_(g, 3 * (size_t)T); /* (T) ones, (T) the rnn's gains, (T) a theory line */
    if (!sc) return -1;
    for (int t = 0; t < T; t++) sc[t] = 1.0;
    static const int order[] = {GF_CELL_GRU, GF_CELL_LSTM, GF_CELL_RNN}; /* the rnn on top */
    g->nfac = g->nsal = 0;
    LpSeries one = {sc, T, ui_color_mix(th->fg, th->plot_bg, 0.25), {{3.0f, 2.0f, 0, 0}}, mt->line_thin, 0};
    g->fac[g->nfac++] = one;
    for (int k = 0; k < GF_NUM_CELLS; k++) {
        int c = order[k];
        if (!cell_shown_(vm, c)) continue;
        const PlotCell *pc = &pd->cell[c];
        if (pc->T != T) continue;
        int l = plotdata_legend_layer(pc, vm->set->layer_shown);
        LineStyle st = theme_line_style((GfCell)c, 0);
        LpSeries sx = {pc->grad_x, T, th->cell[c], st, mt->line_w * 0.8f, 0};
        g->sal[g->nsal++] = sx;
        if (!pc->has_factors) continue;
        const double *mean = pc->factor + (size_t)l * (size_t)T;
        if (c == GF_CELL_RNN) { /* no gradient left (0): no gain to show; drawn on the floor */
            double *gain = sc + T;
            for (int t = 0; t < T; t++) gain[t] = isnan(mean[t]) ? 0.0 : mean[t];
            mean = gain;
        }
        LpSeries smax = {pc->factor_max + (size_t)l * (size_t)T, T, ui_color_mix(th->cell[c], th->plot_bg, 0.55),
                         theme_line_style(GF_CELL_RNN, 0), mt->line_w * 0.55f, 0};
        LpSeries smean = {mean, T, th->cell[c], st, mt->line_w * 0.8f, 0};
        g->fac[g->nfac++] = smax;
        g->fac[g->nfac++] = smean;
    }
    /* the mean above the faint largest: move every mean after every largest */
    LpSeries tmp[2 * GF_NUM_CELLS + 1];
    int n = 0;
    for (int i = 0; i < g->nfac; i++)
        if (i == 0 || (i % 2) == 1) tmp[n++] = g->fac[i];
    for (int i = 2; i < g->nfac; i += 2) tmp[n++] = g->fac[i];
    memcpy(g->fac, tmp, sizeof(LpSeries) * (size_t)n);
    lineplot_build(&g->fac_map, g->fac_map.area, 1, 0, 0, 0, g->fac, g->nfac, T, mt, min_gap_x, 1.0);
    factor_range_(&g->fac_map, g->fac, g->nfac);
    lineplot_build(&g->sal_map, g->sal_map.area, 1, 0, 0, 0, g->sal, g->nsal, T, mt, min_gap_x, 3.0);
    return 0;
}

/* The y range of the curves shown (and the bound, within reason). */
static void y_fit_(const ViewModel *vm, AxisFit *fit)
{
    const PlotData *pd = vm->data;
    axis_fit_init(fit);
    for (int c = 0; c < GF_NUM_CELLS; c++) {
        if (!cell_shown_(vm, c)) continue;
        const PlotCell *pc = &pd->cell[c];
        int l0, l1;
        layers_shown_(vm, pc, &l0, &l1);
        for (int l = l0; l < l1; l++) {
            axis_fit_add(fit, pc->grad_h + (size_t)l * (size_t)pc->T, (size_t)pc->T);
            if (pc->grad_c) axis_fit_add(fit, pc->grad_c + (size_t)l * (size_t)pc->T, (size_t)pc->T);
        }
    }
    bound_fit_(vm, fit);
}

/* Layout: the legend first (its height decides the plot's), the y range (it decides the tick
 * labels' width), then the frame and the plot's axes. */
static void gradients_layout_(void *state, DrawCtx *dc, const ViewModel *vm, UiFrame *frame)
{
    GradientsGeom *g = state;
    const UiMetrics *mt = &dc->metrics;
    TextCache *tc = &dc->text;
    const PlotData *pd = vm->data;
    int have = pd && pd->valid;
    int legend_h = legend_fit_(g, dc, vm);
    AxisFit fit;
    y_fit_(vm, &fit);
    int ytw, yth;
    text_measure(tc, vm->set->log_y ? "1e-300" : "0.0000", mt->font_tick, 0, &ytw, &yth);
    view_frame(frame, dc, vm, legend_h, ytw);
    for (int i = 0; i < g->nlegend; i++) g->legend_item[i].y += frame->legend.y;
    int T = have ? pd->config.seq_len : vm->set->sim.seq_len;
    for (int c = 0; c < GF_NUM_CELLS; c++)
        if (have && pd->cell[c].ran) T = pd->cell[c].T;
    int xlw, xlh;
    text_measure(tc, "00000", mt->font_tick, 0, &xlw, &xlh);
    UiRect plot = strips_split_(g, dc, vm, frame);
    axis_build(&g->map, &fit, vm->set->log_y, plot, T, mt->band_h, (int)lround(mt->font_tick * 2.2),
               xlw + mt->font_tick * 2);
    g->fig = plot;
    /* the theory lines' room (scratch's third T), whether or not the strips are shown: without
       it they were drawn only after a layout with strips had made it (out of memory: no lines) */
    if (have) (void)scratch_(g, 3 * (size_t)T);
    if (g->strips && strips_build_(g, dc, vm, T, xlw + mt->font_tick * 2)) g->strips = 0;
    if (g->strips) g->fig = ui_rect(plot.x, plot.y, plot.w, g->sal_map.area.y + g->sal_map.area.h - plot.y);
}

/* Paint: the plot, its axes, the labels inside it, the legend, and a message instead of data. */
static void gradients_paint_(void *state, DrawCtx *dc, const ViewModel *vm, const UiFrame *frame)
{
    GradientsGeom *g = state;
    plot_paint_(g, dc, vm);
    axes_paint_(g, dc, vm, frame);
    plot_labels_paint_(g, dc, vm);
    legend_paint_(g, dc);
    int warn;
    const char *centre = view_centre_message(vm, &warn);
    if (centre) draw_message(dc, g->map.area, centre, warn);
}

static void gradients_free_(void *state)
{
    GradientsGeom *g = state;
    free(g->xy);
    free(g->scratch);
    memset(g, 0, sizeof *g);
}

const ViewClass gradients_view = {UI_VIEW_GRADIENTS, NULL, gradients_free_, gradients_layout_, gradients_paint_,
                                  gradients_hover_};
