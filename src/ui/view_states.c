/* view_states.c - heatmaps of h, c and the gates of one cell and layer, their colour bars, the
 * mean forget / update gate and the gradient norms on the same time axis, and the hover readout.
 * The layout decides every rectangle and text; the paint step draws them panel by panel. */
#include "view_states.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gfx.h"
#include "labels.h"
#include "theme.h"

/* ================================================================ what is shown =============== */

int states_pick_cell(const UiSettings *s, const PlotData *pd)
{
    if (!pd || !pd->valid) return -1;
    if (s->inside_cell >= 0 && s->inside_cell < GF_NUM_CELLS && pd->cell[s->inside_cell].ran) return s->inside_cell;
    static const int order[] = {GF_CELL_LSTM, GF_CELL_GRU, GF_CELL_RNN};
    for (int i = 0; i < GF_NUM_CELLS; i++)
        if (pd->cell[order[i]].ran) return order[i];
    return -1;
}

int states_pick_layer(const UiSettings *s, const PlotCell *pc)
{
    return s->layer_shown >= 0 && s->layer_shown < pc->L ? s->layer_shown : pc->L - 1;
}

const char *states_map_name(GfCell cell, int m)
{
    static const char *const lstm[] = {"h" S_SUB_T, "c" S_SUB_T, "i" S_SUB_T, "f" S_SUB_T, "g" S_SUB_T, "o" S_SUB_T};
    static const char *const gru[] = {"h" S_SUB_T, "r" S_SUB_T, "z" S_SUB_T, "n" S_SUB_T};
    if (m < 0) return "";
    if (cell == GF_CELL_LSTM) return m < 6 ? lstm[m] : "";
    if (cell == GF_CELL_GRU) return m < 4 ? gru[m] : "";
    return m == 0 ? lstm[0] : "";
}

const char *states_map_what(GfCell cell, int m)
{
    static const char *const lstm[] = {"hidden state", "cell state", "input gate", "forget gate", "candidate", "output gate"};
    static const char *const gru[] = {"hidden state", "reset gate", "update gate", "candidate"};
    if (m < 0) return "";
    if (cell == GF_CELL_LSTM) return m < 6 ? lstm[m] : "";
    if (cell == GF_CELL_GRU) return m < 4 ? gru[m] : "";
    return m == 0 ? lstm[0] : "";
}

/* 1 if map m of cell holds a tanh output (h of tanh cells, g, n), 2 if unbounded (c, relu h),
 * 0 for a sigmoid gate in [0, 1]. */
static int map_kind_(GfCell cell, GfNonlin nonlin, int m)
{
    if (m == 0) return cell == GF_CELL_RNN && nonlin == GF_NONLIN_RELU ? 2 : 1;
    if (cell == GF_CELL_LSTM) return m == 1 ? 2 : m == 4 ? 1 : 0; /* c; g; i f o */
    if (cell == GF_CELL_GRU) return m == 3 ? 1 : 0;               /* n; r z */
    return 1;
}

ColorScale states_map_scale(const PlotCell *pc, GfNonlin nonlin, int l, int m, int *nonfinite)
{
    ColorScale sc = {CMAP_DIVERGING, -1, 1};
    const float *map = plotdata_map(pc, l, m);
    double amax = 0;
    int bad = 0;
    if (map) {
        size_t n = (size_t)pc->st.rows * (size_t)pc->st.cols;
        for (size_t i = 0; i < n; i++) {
            double v = map[i];
            if (!isfinite(v)) bad = 1;
            else if (fabs(v) > amax) amax = fabs(v);
        }
    }
    if (nonfinite) *nonfinite = bad;
    int kind = map_kind_(pc->cell, nonlin, m);
    if (kind == 0) {
        sc.kind = CMAP_VIRIDIS;
        sc.lo = 0;
        sc.hi = 1;
    } else if (kind == 2) {
        double r = colorscale_symmetric_range(amax);
        sc.lo = -r;
        sc.hi = r;
    }
    return sc;
}

/* A colour-bar tick: "1", "0.5", "-2" with a real minus sign. */
static void tick_text_(double v, char *buf, size_t n)
{
    char t[16];
    if (fabs(v) < 1e-12) v = 0;
    if (!isfinite(v)) {
        axis_format_number(buf, n, "%g", v);
        return;
    }
    snprintf(t, sizeof t, "%g", fabs(v));
    snprintf(buf, n, "%s%s", v < 0 ? S_MINUS : "", t);
}

/* The three ticks of a scale: ends and middle. */
static void scale_ticks_(const ColorScale *sc, double *v)
{
    v[0] = sc->hi;
    v[1] = 0.5 * (sc->lo + sc->hi);
    v[2] = sc->lo;
}

static UiColor nan_color_(const Theme *th) { return ui_color_mix(th->fg_muted, th->bg, 0.35); }

/* ================================================================ painting ==================== */

/* Heatmap of map (rows, cols) in rectangle R of the canvas (canvas origin at output pixel (ox, oy)),
 * on the time axis xm: each pixel shows the mean of the map cells it covers (steps along x, units
 * along y), coloured by scale sc on map cm; inf and NaN in grey. */
static void heatmap_paint_(Canvas *cv, int ox, int oy, UiRect R, const float *map, const PlotStates *st, int T,
                           const PlotMap *xm, const ColorScale *sc, const Colormap *cm, UiColor nanc)
{
    if (R.w <= 0 || R.h <= 0) return;
    int *cj = malloc(sizeof(int) * 2 * (size_t)R.w); /* (R.w, 2) columns [ja, jb] per pixel column */
    if (!cj) return;
    double per_px = (xm->xhi - xm->xlo) / xm->area.w;
    for (int x = 0; x < R.w; x++) {
        /* the time span of pixel column x; step s covers [s - 1/2, s + 1/2) */
        double ta = xm->xlo + (R.x + x - xm->area.x) * per_px, tb = ta + per_px;
        long sa = lround(floor(ta + 0.5)), sb = lround(floor(tb + 0.5 - 1e-9));
        if (sb < sa) sb = sa;
        sa = sa < 0 ? 0 : sa > T - 1 ? T - 1 : sa;
        sb = sb < 0 ? 0 : sb > T - 1 ? T - 1 : sb;
        cj[2 * x] = (int)(sa / st->steps_per_col);
        cj[2 * x + 1] = (int)(sb / st->steps_per_col);
    }
    int pra = -1, prb = -1;     /* the unit rows of the pixel row painted last */
    uint32_t *prev = NULL;      /* ... and its pixels */
    int xa = R.x - ox < 0 ? ox - R.x : 0, xb = R.x + R.w - ox > cv->w ? cv->w - R.x + ox : R.w;
    for (int y = 0; y < R.h; y++) {
        /* unit rows [ra, rb] under pixel row y */
        int ra = (int)((long)y * st->rows / R.h), rb = (int)(((long)y + 1) * st->rows / R.h) - 1;
        if (rb < ra) rb = ra;
        if (rb > st->rows - 1) rb = st->rows - 1;
        int cy = R.y + y - oy;
        if (cy < 0 || cy >= cv->h || xa >= xb) continue;
        uint32_t *row = cv->px + (size_t)cy * (size_t)cv->w + (R.x - ox);
        if (prev && ra == pra && rb == prb) { /* the same units as the row above: the same pixels */
            memcpy(row + xa, prev + xa, sizeof(uint32_t) * (size_t)(xb - xa));
            continue;
        }
        int pja = -1, pjb = -1;
        uint32_t pc = 0;
        for (int x = xa; x < xb; x++) {
            int ja = cj[2 * x], jb = cj[2 * x + 1];
            if (ja != pja || jb != pjb) { /* a new span of columns: its mean, its colour */
                double sum = 0;
                int n = 0;
                for (int rr = ra; rr <= rb; rr++)
                    for (int j = ja; j <= jb; j++) {
                        sum += map[(size_t)rr * st->cols + j];
                        n++;
                    }
                double v = sum / n;
                UiColor c = isfinite(v) ? colormap_at(cm, colorscale_pos(sc, v)) : nanc;
                pc = 0xFF000000u | (uint32_t)c.r << 16 | (uint32_t)c.g << 8 | c.b;
                pja = ja;
                pjb = jb;
            }
            row[x] = pc;
        }
        prev = row;
        pra = ra;
        prb = rb;
    }
    free(cj);
}

/* A vertical colour bar in R: the top row is the scale's hi, the bottom row its lo. */
static void bar_paint_(Canvas *cv, int ox, int oy, UiRect R, const Colormap *cm)
{
    for (int y = 0; y < R.h; y++) {
        double u = 1.0 - (y + 0.5) / R.h;
        canvas_fill_rect(cv, ui_rect(R.x - ox, R.y + y - oy, R.w, 1), colormap_at(cm, u));
    }
}

/* ================================================================ layout and drawing ========== */

/* The series of the gradient plot: the rnn's ||dL/dh_t|| for contrast (faded), ||dL/dh_t||, then
 * ||dL/dc_t|| over it (lstm). Returns how many. */
static int grad_series_(const ViewModel *vm, const Theme *th, const UiMetrics *mt, int c, int l, LpSeries *s,
                        int *contrast_layer)
{
    const PlotData *pd = vm->data;
    const PlotCell *pc = &pd->cell[c];
    int n = 0;
    *contrast_layer = -1;
    const PlotCell *rn = &pd->cell[GF_CELL_RNN];
    if (c != GF_CELL_RNN && rn->ran && rn->T == pc->T) {
        int rl = l < rn->L ? l : rn->L - 1;
        *contrast_layer = rl;
        s[n].v = rn->grad_h + (size_t)rl * (size_t)rn->T;
        s[n].T = rn->T;
        s[n].color = ui_color_mix(th->cell[GF_CELL_RNN], th->plot_bg, 0.45);
        s[n].style = theme_line_style(GF_CELL_RNN, 0);
        s[n].width = mt->line_thin;
        s[n].guest = 1; /* it may fall hundreds of decades: the cell's own curves set the range */
        n++;
    }
    s[n].guest = 0;
    s[n].v = pc->grad_h + (size_t)l * (size_t)pc->T;
    s[n].T = pc->T;
    s[n].color = th->cell[c];
    s[n].style = theme_line_style((GfCell)c, 0);
    s[n].width = mt->line_w;
    n++;
    if (pc->grad_c) { /* over h, thinner and in its own shade: where they run together its dots show */
        s[n].v = pc->grad_c + (size_t)l * (size_t)pc->T;
        s[n].T = pc->T;
        s[n].color = th->lstm_c;
        s[n].style = theme_line_style((GfCell)c, 1);
        s[n].width = mt->line_w * 0.7f;
        s[n].guest = 0;
        n++;
    }
    return n;
}

/* Everything the canvas shows, hashed: repainting only when it changed. */
static uint64_t canvas_key_(const StatesGeom *g, const ViewModel *vm)
{
    uint64_t h = DRAW_HASH_SEED;
    int ints[] = {1 /* the states view */, g->cell, g->layer, g->nmaps, (int)vm->set->theme, vm->w, vm->h};
    h = draw_hash(h, ints, sizeof ints);
    h = draw_hash(h, &vm->scale, sizeof vm->scale);
    h = draw_hash(h, &g->fig, sizeof g->fig);
    h = draw_hash(h, g->map, sizeof g->map);
    h = draw_hash(h, g->scale, sizeof g->scale);
    h = draw_hash(h, &g->xmap, sizeof g->xmap);
    h = draw_hash(h, &g->gate_plot, sizeof g->gate_plot);
    h = draw_hash(h, &g->grad_plot, sizeof g->grad_plot);
    h = draw_hash(h, &vm->data->states_digest, sizeof vm->data->states_digest);
    for (int i = 0; i < g->ns; i++) h = draw_hash(h, g->gs[i].v, sizeof(double) * (size_t)g->gs[i].T);
    if (g->gated && g->gms.v) h = draw_hash(h, g->gms.v, sizeof(double) * (size_t)g->xmap.T);
    h = draw_hash(h, &g->trace_unit, sizeof g->trace_unit);
    if (g->trace_unit >= 0) h = draw_hash(h, &g->trace_plot, sizeof g->trace_plot);
    return h ? h : 1;
}

/* An inline legend entry: a line sample and its text; returns the x after it. */
static int legend_item_(DrawCtx *dc, int x, UiRect line, const LpSeries *s, const char *text, int bold, UiColor tc_,
                        int px)
{
    const UiMetrics *mt = &dc->metrics;
    int sw = px * 2;
    gfx_hline_styled(dc->ren, x, x + sw, line.y + line.h / 2, s->width, &s->style, s->color);
    x += sw + mt->gap / 2;
    int w, h;
    text_measure(&dc->text, text, px, bold, &w, &h);
    text_draw_in(&dc->text, text, px, bold, tc_, ui_rect(x, line.y, w, line.h), UI_ALIGN_LEFT);
    return x + w + px * 3 / 2;
}

/* ================================================================ layout ====================== */

/* The header: which cell and layer with its equations (line_a), and how the heatmaps read
 * (line_b, written once the scales are known). */
static void header_layout_(StatesGeom *g, DrawCtx *dc, const ViewModel *vm, const PlotCell *pc)
{
    const UiMetrics *mt = &dc->metrics;
    TextCache *tc = &dc->text;
    int c = g->cell, l = g->layer;
    int ha = (int)lround(mt->font_body * 1.45), hb = (int)lround(mt->font_small * 1.45);
    g->line_a = ui_rect(g->x0, g->top, g->x1 - g->x0, ha);
    g->line_b = ui_rect(g->x0, g->top + ha, g->x1 - g->x0, hb);
    if (pc->L > 1)
        snprintf(g->head, sizeof g->head, "Inside the %s" S_DOT "layer %d of %d%s", label_cell(c), l, pc->L,
                 l == pc->L - 1 ? " (the top: output and h_n[" S_MINUS "1] come from it)" : "");
    else
        snprintf(g->head, sizeof g->head, "Inside the %s", label_cell(c));
    if (c == GF_CELL_LSTM)
        snprintf(g->eq, sizeof g->eq, "c" S_SUB_T " = f" S_SUB_T S_MUL "c" S_SUB_TM1 " + i" S_SUB_T S_MUL "g" S_SUB_T
                 "      h" S_SUB_T " = o" S_SUB_T S_MUL "tanh(c" S_SUB_T ")");
    else if (c == GF_CELL_GRU)
        snprintf(g->eq, sizeof g->eq, "h" S_SUB_T " = (1 " S_MINUS " z" S_SUB_T ")" S_MUL "n" S_SUB_T " + z" S_SUB_T S_MUL
                 "h" S_SUB_TM1);
    else
        snprintf(g->eq, sizeof g->eq, "h" S_SUB_T " = %s(W_ih x" S_SUB_T " + W_hh h" S_SUB_TM1 " + b): no gates, no cell state",
                 gf_nonlin_name(vm->data->config.nonlinearity));
    int eqw, eqh, hw_, hh_;
    text_measure(tc, g->eq, mt->font_body, 0, &eqw, &eqh);
    text_measure(tc, g->head, mt->font_body, 1, &hw_, &hh_);
    if (hw_ + eqw + 2 * mt->gap > g->line_a.w) { /* a narrow window: the equation yields */
        eqw = g->line_a.w - hw_ - 2 * mt->gap;
        if (eqw < 0) eqw = 0;
    }
    g->eq_w = eqw;
    g->head_px = text_fit_px(tc, g->head, mt->font_body, 1, g->line_a.w - eqw - mt->gap, 0.6);
    g->eq_px = eqw > 0 ? text_fit_px(tc, g->eq, mt->font_body, 0, eqw, 0.6) : 0;
}

/* The colour scales, and the widths of the label column (lw) and of the colour bars' (cbw). */
static void columns_layout_(StatesGeom *g, DrawCtx *dc, const ViewModel *vm, const PlotCell *pc)
{
    const UiMetrics *mt = &dc->metrics;
    TextCache *tc = &dc->text;
    int c = g->cell;
    int lw = 0, lbw = 0;
    for (int m = 0; m < g->nmaps; m++) {
        int nf = 0;
        g->scale[m] = states_map_scale(pc, vm->data->config.nonlinearity, g->layer, m, &nf);
        g->any_nonfinite |= nf;
        int w, h;
        text_measure(tc, states_map_name((GfCell)c, m), mt->font_body, 1, &w, &h);
        lw = w > lw ? w : lw;
        text_measure(tc, states_map_what((GfCell)c, m), mt->font_small, 0, &w, &h);
        lw = w > lw ? w : lw;
        double tv[3];
        scale_ticks_(&g->scale[m], tv);
        for (int k = 0; k < 3; k++) {
            char b[32];
            tick_text_(tv[k], b, sizeof b);
            text_measure(tc, b, mt->font_tick, 0, &w, &h);
            lbw = w > lbw ? w : lbw;
        }
    }
    int ytw, yth;
    text_measure(tc, "1e-300", mt->font_tick, 0, &ytw, &yth);
    g->lw = (lw > ytw ? lw : ytw) + 2 * mt->gap;
    g->lbw = lbw;
    g->bar_w = (int)lround(mt->font_body * 0.8);
    g->cbw = mt->gap + g->bar_w + mt->gap / 2 + lbw;
    g->px0 = g->x0 + g->lw;
    g->px1 = g->x1 - g->cbw;
}

/* The second header line: what the heatmaps show, and how they were thinned. */
static void how_layout_(StatesGeom *g, DrawCtx *dc, const ViewModel *vm, const PlotCell *pc)
{
    const PlotStates *st = &pc->st;
    char *how = g->how;
    size_t cap = sizeof g->how;
    snprintf(how, cap, "Sequence 0 of %d, top to bottom units 0" S_ELLIPSIS "%d, left to right steps 0" S_ELLIPSIS "%d",
             vm->data->config.batch, pc->H - 1, pc->T - 1);
    size_t used = strlen(how);
    if (st->steps_per_col > 1 && used < cap)
        used += (size_t)snprintf(how + used, cap - used, S_DOT "each column the mean of %d steps", st->steps_per_col);
    if (st->unit_step > 1 && used < cap)
        used += (size_t)snprintf(how + used, cap - used, S_DOT "every %d%s unit", st->unit_step,
                                 st->unit_step == 2 ? "nd" : st->unit_step == 3 ? "rd" : "th");
    if (g->any_nonfinite && used < cap) snprintf(how + used, cap - used, S_DOT "grey: inf or NaN");
    g->how_px = text_fit_px(&dc->text, how, dc->metrics.font_small, 0, g->line_b.w, 0.6);
}

/* The shared time axis from row y, and the heatmaps on it, maps_h high in all with mgap between
 * them (h and c weigh 1.3, gates 1), each with its colour bar; *xgap is the gap the plots' x
 * labels need. Returns the row under them, a gap below the last. */
static int maps_layout_(StatesGeom *g, DrawCtx *dc, const PlotCell *pc, int y, int maps_h, int mgap, int *xgap)
{
    const UiMetrics *mt = &dc->metrics;
    int nm = g->nmaps, T = pc->T;
    double wsum = 0, wt[PLOT_MAPS_MAX];
    for (int m = 0; m < nm; m++) {
        wt[m] = m == 0 || (g->cell == GF_CELL_LSTM && m == 1) ? 1.3 : 1.0;
        wsum += wt[m];
    }
    int xlw, xlh;
    text_measure(&dc->text, "00000", mt->font_tick, 0, &xlw, &xlh);
    *xgap = xlw + mt->font_tick * 2;
    AxisFit none;
    axis_fit_init(&none);
    axis_build(&g->xmap, &none, 0, ui_rect(g->px0, y, g->px1 - g->px0, 16), T, mt->band_h, 16, *xgap);
    int xa = (int)lroundf(axis_x(&g->xmap, -0.5)), xb = (int)lroundf(axis_x(&g->xmap, T - 0.5));
    int ym = y;
    for (int m = 0; m < nm; m++) {
        int hm = (int)lround(maps_h * wt[m] / wsum);
        g->map[m] = ui_rect(xa, ym, xb - xa, hm);
        g->bar[m] = ui_rect(g->px1 + mt->gap, ym, g->bar_w, hm);
        ym += hm + mgap;
    }
    return ym + mt->gap - mgap;
}

/* The vertical budget: the heatmaps (h and c weigh 1.3, gates 1) on the shared time axis, then
 * the mean gate (gated cells) and the gradient norms, then the x axis. */
static void panels_layout_(StatesGeom *g, DrawCtx *dc, const ViewModel *vm, const PlotCell *pc)
{
    const UiMetrics *mt = &dc->metrics;
    const Theme *th = dc->th;
    int c = g->cell, l = g->layer, T = pc->T, nm = g->nmaps;
    g->xt_h = (int)lround(mt->font_tick * 1.55);
    g->xl_h = (int)lround(mt->font_body * 1.45);
    int annot_h = (int)lround(mt->font_body * 1.45);
    int y = g->line_b.y + g->line_b.h + mt->gap / 2;
    g->panels_bottom = g->bottom - g->xl_h - g->xt_h;
    int avail = g->panels_bottom - y;
    g->gated = c != GF_CELL_RNN;
    int mgap = mt->gap / 2 > 3 ? mt->gap / 2 : 3;
    int body, gbody_min = 0, maps_h;
    if (g->gated) {
        /* the mean gate needs less height than the gradients, whose range spans many decades */
        body = (int)lround(fmin(fmax(avail * 0.11, 64 * mt->s), 130 * mt->s));
        gbody_min = (int)lround(fmin(fmax(avail * 0.22, 110 * mt->s), 260 * mt->s));
        maps_h = avail - 2 * annot_h - body - gbody_min - 2 * mt->gap - (nm - 1) * mgap;
    } else {
        maps_h = (int)lround(fmin(avail * 0.4, 300 * mt->s));
        body = avail - maps_h - annot_h - mt->gap;
    }
    if (maps_h < nm * 8) maps_h = nm * 8;
    if (body < 30) body = 30;
    int xgap;
    int ym = maps_layout_(g, dc, pc, y, maps_h, mgap, &xgap);
    g->ns = grad_series_(vm, th, mt, c, l, g->gs, &g->contrast_layer);
    g->gate_annot = ui_rect(0, 0, 0, 0);
    if (g->gated) {
        g->gate_annot = ui_rect(g->x0, ym, g->x1 - g->x0, annot_h);
        memset(&g->gms, 0, sizeof g->gms);
        g->gms.v = pc->st.gate_mean + (size_t)l * (size_t)T;
        g->gms.T = T;
        g->gms.color = th->cell[c];
        g->gms.style = theme_line_style(GF_CELL_RNN, 0); /* solid */
        g->gms.width = mt->line_w * 0.85f;
        lineplot_build(&g->gate_plot, ui_rect(g->px0, ym + annot_h, g->px1 - g->px0, body), 0, 0, 1, 0.5, &g->gms, 1, T,
                       mt, xgap, 0);
        ym += annot_h + body + mt->gap;
    }
    g->grad_annot = ui_rect(g->x0, ym, g->x1 - g->x0, annot_h);
    int gbody = g->panels_bottom - ym - annot_h;
    lineplot_build(&g->grad_plot, ui_rect(g->px0, ym + annot_h, g->px1 - g->px0, gbody > 30 ? gbody : 30), 1, 0, 0, 0,
                   g->gs, g->ns, T, mt, xgap, 6);
    int lw_pad = (int)ceilf(mt->line_w);
    g->fig = ui_rect(g->x0 - mt->pad, y - lw_pad, g->x1 - g->x0 + 2 * mt->pad, g->panels_bottom - y + 2 * lw_pad);
}

/* The mean gate's caption: what it is and what its average means. */
static void gate_text_layout_(StatesGeom *g, const PlotCell *pc)
{
    int T = pc->T;
    const double *gm = pc->st.gate_mean + (size_t)g->layer * (size_t)T;
    double sum = 0;
    int n = 0;
    for (int t = 0; t < T; t++)
        if (isfinite(gm[t])) sum += gm[t], n++;
    double avg = n ? sum / n : NAN;
    char av[24], pct[24];
    axis_format_number(av, sizeof av, "%.2f", avg);
    axis_format_number(pct, sizeof pct, "%.0f", 100 * avg);
    if (g->cell == GF_CELL_LSTM)
        snprintf(g->gate_text, sizeof g->gate_text, "mean forget gate f" S_SUB_T " over the %d units" S_DOT "%s on average: c"
                 S_SUB_T " keeps %s %% of c" S_SUB_TM1 " each step", pc->H, av, pct);
    else
        snprintf(g->gate_text, sizeof g->gate_text, "mean update gate z" S_SUB_T " over the %d units" S_DOT "%s on average: h"
                 S_SUB_T " keeps %s %% of h" S_SUB_TM1 " each step", pc->H, av, pct);
}

/* The gradient plot's inline legend: ||dL/dh_t||, ||dL/dc_t|| and the RNN for contrast, on one
 * line: smaller text down to 75 %, then the RNN's entry in short, then smaller still. */
static void grad_legend_layout_(StatesGeom *g, DrawCtx *dc, const ViewModel *vm, const PlotCell *pc)
{
    const UiMetrics *mt = &dc->metrics;
    const PlotMap *m = &g->grad_plot;
    int l = g->layer, T = pc->T, ns = g->ns;
    char ch[64], t3_short[96];
    label_change(pc, pc->grad_h + (size_t)l * (size_t)T, ch, sizeof ch);
    snprintf(g->legend_text[0], sizeof g->legend_text[0], S_GRAD_H "  %s", ch);
    g->legend_text[1][0] = g->legend_text[2][0] = t3_short[0] = 0;
    if (pc->grad_c) {
        label_change(pc, pc->grad_c + (size_t)l * (size_t)T, ch, sizeof ch);
        snprintf(g->legend_text[1], sizeof g->legend_text[1], S_GRAD_C "  %s", ch);
    }
    if (g->contrast_layer >= 0) {
        const PlotCell *rn = &vm->data->cell[GF_CELL_RNN];
        const double *rv = rn->grad_h + (size_t)g->contrast_layer * (size_t)rn->T;
        label_change(rn, rv, ch, sizeof ch);
        /* where it leaves the plot going back in time, if it does */
        int out_at = -1, above = 0;
        for (int t = rn->T - 1; t >= 0 && out_at < 0; t--)
            if (!(rv[t] > 0 && isfinite(rv[t]) && log10(rv[t]) >= m->lo && log10(rv[t]) <= m->hi)) {
                out_at = t;
                above = !(rv[t] <= 0) && !(isfinite(rv[t]) && log10(rv[t]) < m->lo);
            }
        char gone[48] = "";
        if (out_at >= 0) snprintf(gone, sizeof gone, ", %s the plot for t " S_LEQ " %d", above ? "above" : "below", out_at);
        snprintf(g->legend_text[2], sizeof g->legend_text[2], "RNN " S_GRAD_H ", for contrast  %s%s", ch, gone);
        snprintf(t3_short, sizeof t3_short, "RNN, for contrast  %s", ch);
    }
    g->legend_series[0] = pc->grad_c ? ns - 2 : ns - 1;
    g->legend_series[1] = pc->grad_c ? ns - 1 : -1;
    g->legend_series[2] = g->contrast_layer >= 0 ? 0 : -1;
    int px = mt->font_body;
    for (; px > mt->font_body * 5 / 10; px--) {
        if (px < mt->font_body * 3 / 4) snprintf(g->legend_text[2], sizeof g->legend_text[2], "%s", t3_short);
        int need = 0;
        for (int k = 0; k < 3; k++) {
            if (g->legend_series[k] < 0) continue;
            int w, h;
            text_measure(&dc->text, g->legend_text[k], px, k == 0, &w, &h);
            need += px * 2 + mt->gap / 2 + w + px * 3 / 2;
        }
        if (need <= g->x1 - (g->x0 + g->lw)) break;
    }
    g->legend_px = px;
}

/* ---------------------------------------------------------------- the LSTM's cell diagram --- */

void states_cell_numbers(const PlotCell *pc, int l, int t, StatesCellNumbers *out)
{
    const PlotStates *st = &pc->st;
    const int T = pc->T, j = t / st->steps_per_col, R = st->rows, C = st->cols;
    /* maps of an lstm: h c i f g o; row r, column j of map m */
    const float *c = plotdata_map(pc, l, 1), *i = plotdata_map(pc, l, 2), *g = plotdata_map(pc, l, 4),
                *o = plotdata_map(pc, l, 5);
    double si = 0, sg = 0, so = 0, sig = 0, sc = 0, stp = 0;
    for (int r = 0; r < R; r++) {
        size_t k = (size_t)r * (size_t)C + (size_t)j;
        double th = tanh((double)c[k]);
        si += i[k], sg += g[k], so += o[k], sig += (double)i[k] * g[k], sc += c[k];
        stp += 1 - th * th; /* tanh'(c) = 1 - tanh(c)^2 */
    }
    out->f = st->gate_mean[(size_t)l * T + t]; /* exact: every unit, this step */
    out->i = si / R, out->g = sg / R, out->o = so / R, out->ig = sig / R, out->c = sc / R;
    out->tanh_prime = stp / R;
    const double *gc = pc->grad_c + (size_t)l * T, *gh = pc->grad_h + (size_t)l * T;
    out->grad_c = gc[t], out->grad_h = gh[t];
    out->c_ratio = t > 0 && gc[t] > 0 ? gc[t - 1] / gc[t] : NAN;
}

/* The side column for an LSTM: wide enough for the diagram, the rest to the heatmaps. */
static void side_layout_(StatesGeom *g, const UiMetrics *mt)
{
    int w = g->x1 - g->x0;
    int sw = (int)lround(fmin(fmax(0.28 * w, 230 * mt->s), 420 * mt->s));
    if (w - sw < 360 * mt->s) return; /* too narrow: the heatmaps keep the room */
    g->side = ui_rect(g->x1 - sw, g->top, sw, g->bottom - g->top);
    g->x1 -= sw + mt->pad + mt->gap;
}

static void num_text_(char *buf, size_t n, double v)
{
    if (!isfinite(v)) snprintf(buf, n, "%s", isnan(v) ? "NaN" : "inf");
    else if (v != 0 && (fabs(v) < 0.01 || fabs(v) >= 1e4)) snprintf(buf, n, "%.2g", v);
    else snprintf(buf, n, "%.2f", v);
}

/* The diagram's step (the one hovered over the time axis, else the middle) and its numbers. */
static void diagram_layout_(StatesGeom *g, DrawCtx *dc, const ViewModel *vm, const PlotCell *pc)
{
    const UiMetrics *mt = &dc->metrics;
    TextCache *tc = &dc->text;
    int T = pc->T, t = T / 2;
    if (vm->interactive && vm->in.mx >= g->xmap.area.x && vm->in.mx < g->xmap.area.x + g->xmap.area.w &&
        vm->in.my >= g->fig.y && vm->in.my < g->fig.y + g->fig.h) {
        int th = axis_step_at(&g->xmap, vm->in.mx);
        if (th >= 0) t = th;
    }
    g->diag_t = t;
    states_cell_numbers(pc, g->layer, t, &g->num);
    const StatesCellNumbers *n = &g->num;
    snprintf(g->diag_title, sizeof g->diag_title, "One LSTM step at t = %d%s", t, vm->interactive ? " (hover a step)" : "");
    char a[24], b[24], c[24], d[24];
    num_text_(a, sizeof a, n->f), num_text_(b, sizeof b, n->ig), num_text_(c, sizeof c, n->grad_c);
    snprintf(g->diag_line[0], sizeof g->diag_line[0], "c path, additive: c" S_SUB_T " = f" S_SUB_T S_MUL "c" S_SUB_TM1 " + i"
             S_SUB_T S_MUL "g" S_SUB_T);
    snprintf(g->diag_line[1], sizeof g->diag_line[1], "means: f %s" S_DOT "i" S_MUL "g %s", a, b);
    if (isfinite(n->c_ratio)) {
        num_text_(d, sizeof d, n->c_ratio);
        snprintf(g->diag_line[2], sizeof g->diag_line[2], S_GRAD_C " %s, " S_TIMES "%s a step back", c, d);
    } else {
        snprintf(g->diag_line[2], sizeof g->diag_line[2], S_GRAD_C " %s", c);
    }
    num_text_(a, sizeof a, n->o), num_text_(b, sizeof b, n->tanh_prime), num_text_(c, sizeof c, n->grad_h);
    snprintf(g->diag_line[3], sizeof g->diag_line[3], "h path: h" S_SUB_T " = o" S_SUB_T S_MUL "tanh(c" S_SUB_T ")");
    snprintf(g->diag_line[4], sizeof g->diag_line[4], "means: o %s" S_DOT "tanh" "\xE2\x80\xB2" "(c) %s", a, b);
    snprintf(g->diag_line[5], sizeof g->diag_line[5], S_GRAD_H " %s", c);
    UiRect s = g->side;
    int lh = (int)lround(mt->font_small * 1.35);
    g->diag_title_px = text_fit_px(tc, g->diag_title, mt->font_body, 1, s.w, 0.6);
    g->diag_px = mt->font_small; /* the drawing's labels; each line below fits itself */
    int dh = (int)lround(fmin(s.w * 0.5, s.h * 0.3));
    g->diag = ui_rect(s.x, s.y + (int)lround(mt->font_body * 1.45), s.w, dh);
    (void)lh;
}

int states_trace_row(const PlotCell *pc, int l, double *prod_f)
{
    const PlotStates *st = &pc->st;
    const int T = pc->T, C = st->cols;
    const float *cm = plotdata_map(pc, l, 1), *fm = plotdata_map(pc, l, 3);
    if (!cm || !fm || st->steps_per_col != 1) return -1;
    double best = -INFINITY;
    int row = -1;
    for (int r = 0; r < st->rows; r++) {
        double lg = log(fabs((double)cm[(size_t)r * C]) + 1e-300); /* log(|c_0| * prod f_s) */
        for (int t = 1; t < T; t++) lg += log((double)fm[(size_t)r * C + t] + 1e-300);
        if (lg > best) best = lg, row = r;
    }
    if (row >= 0 && prod_f) {
        double lp = 0;
        for (int t = 1; t < T; t++) lp += log((double)fm[(size_t)row * C + t] + 1e-300);
        *prod_f = exp(lp);
    }
    return row;
}

/* On the recall task, the unit that best holds the symbol: the largest |c_0| * prod_{s>=1} f_s,
 * what step 0 wrote into c that the forget gates still carry at the last step; its c_t and h_t. */
static void trace_layout_(StatesGeom *g, DrawCtx *dc, const ViewModel *vm, const PlotCell *pc)
{
    const UiMetrics *mt = &dc->metrics;
    const PlotStates *st = &pc->st;
    g->trace_unit = -1;
    if (vm->data->config.task != GF_TASK_RECALL || st->steps_per_col != 1 || pc->T < 2) return;
    const int T = pc->T, C = st->cols, l = g->layer;
    const float *hm = plotdata_map(pc, l, 0), *cm = plotdata_map(pc, l, 1);
    double best_prod = 0;
    int row = states_trace_row(pc, l, &best_prod);
    if (row < 0) return;
    g->trace_unit = row * st->unit_step;
    for (int t = 0; t < T; t++) {
        g->trace_v[0][t] = cm[(size_t)row * C + t];
        g->trace_v[1][t] = hm[(size_t)row * C + t];
    }
    const Theme *th = dc->th;
    memset(g->trace, 0, sizeof g->trace);
    g->trace[0].v = g->trace_v[0], g->trace[0].T = T, g->trace[0].color = th->lstm_c;
    g->trace[0].style = theme_line_style(GF_CELL_RNN, 0), g->trace[0].width = mt->line_w;
    g->trace[1].v = g->trace_v[1], g->trace[1].T = T, g->trace[1].color = th->cell[GF_CELL_LSTM];
    g->trace[1].style = theme_line_style(GF_CELL_LSTM, 0), g->trace[1].width = mt->line_w * 0.85f;
    double lo = 0, hi = 0;
    for (int k = 0; k < 2; k++)
        for (int t = 0; t < T; t++)
            if (isfinite(g->trace_v[k][t])) lo = fmin(lo, g->trace_v[k][t]), hi = fmax(hi, g->trace_v[k][t]);
    double span = fmax(hi - lo, 1e-9), step = pow(10, floor(log10(span)));
    if (span / step < 3) step /= 2;
    lo = floor(lo / step) * step, hi = ceil(hi / step) * step;
    if (hi <= lo) hi = lo + 1;
    char c0[24], ck[24], pr[24], h0[24], hk[24];
    num_text_(c0, sizeof c0, g->trace_v[0][0]), num_text_(ck, sizeof ck, g->trace_v[0][T - 1]);
    num_text_(pr, sizeof pr, best_prod);
    num_text_(h0, sizeof h0, g->trace_v[1][0]), num_text_(hk, sizeof hk, g->trace_v[1][T - 1]);
    snprintf(g->trace_text[0], sizeof g->trace_text[0], "Unit %d: largest |c" "\xE2\x82\x80" "|" S_MUL "\xE2\x88\x8F"
             "f (" "\xE2\x88\x8F" "f = %s)", g->trace_unit, pr);
    snprintf(g->trace_text[1], sizeof g->trace_text[1], "c (solid) adds up: %s " S_ARROW " %s", c0, ck);
    snprintf(g->trace_text[2], sizeof g->trace_text[2], "h (dashed) = o" S_MUL "tanh(c): %s " S_ARROW " %s", h0, hk);
    UiRect s = g->side;
    int top = g->diag.y + g->diag.h + 6 * (int)lround(mt->font_small * 1.35) + 3 * mt->gap;
    int th2 = (int)lround(mt->font_small * 1.35);
    int ytw, yth;
    text_measure(&dc->text, "-0.00", mt->font_tick, 0, &ytw, &yth);
    int ph = g->panels_bottom - (top + 3 * th2);
    if (ph < 40 * mt->s) {
        g->trace_unit = -1;
        return;
    }
    g->trace_px = mt->font_small;
    for (int k = 0; k < 3; k++) {
        int px = text_fit_px(&dc->text, g->trace_text[k], mt->font_small, 0, s.w, 0.6);
        if (px < g->trace_px) g->trace_px = px;
    }
    int xlw, xlh;
    text_measure(&dc->text, "00000", mt->font_tick, 0, &xlw, &xlh);
    lineplot_build(&g->trace_plot, ui_rect(s.x + ytw + mt->gap, top + 3 * th2, s.w - ytw - mt->gap, ph), 0, lo, hi,
                   (hi - lo) / 2, g->trace, 2, T, mt, xlw + mt->font_tick * 2, 0);
}

static void states_layout_(void *state, DrawCtx *dc, const ViewModel *vm, UiFrame *f)
{
    StatesGeom *g = state;
    const UiMetrics *mt = &dc->metrics;
    memset(g, 0, sizeof *g);
    g->cell = -1;
    view_frame(f, dc, vm, 0, 0);
    g->x0 = f->content.x + mt->pad;
    g->x1 = f->content.x + f->content.w - mt->pad;
    g->top = f->legend.y;                  /* under the title (and a lesson's caption) */
    g->bottom = f->xlabel.y + f->xlabel.h; /* over the status line */
    int c = -1;
    g->msg = view_centre_message(vm, &g->msg_warn);
    if (!g->msg) c = states_pick_cell(vm->set, vm->data);
    if (!g->msg && c < 0) g->msg = "no cell computed: press 1, 2 or 3";
    if (!g->msg && !vm->data->cell[c].st.maps) g->msg = "this result kept no states";
    if (g->msg) return;
    const PlotCell *pc = &vm->data->cell[c];
    g->cell = c;
    g->layer = states_pick_layer(vm->set, pc);
    g->nmaps = pc->st.nmaps;
    header_layout_(g, dc, vm, pc);
    g->side = ui_rect(0, 0, 0, 0);
    g->trace_unit = -1;
    if (c == GF_CELL_LSTM && pc->grad_c && pc->st.gate_mean) side_layout_(g, mt);
    columns_layout_(g, dc, vm, pc);
    how_layout_(g, dc, vm, pc);
    panels_layout_(g, dc, vm, pc);
    if (g->gated) gate_text_layout_(g, pc);
    grad_legend_layout_(g, dc, vm, pc);
    if (g->side.w > 0) {
        g->side.y = g->line_b.y + g->line_b.h + mt->gap / 2;
        g->side.h = g->panels_bottom - g->side.y;
        diagram_layout_(g, dc, vm, pc);
        trace_layout_(g, dc, vm, pc);
        if (g->trace_unit >= 0) /* the canvas reaches over the trace's plot too */
            g->fig.w = g->side.x + g->side.w + mt->pad - g->fig.x;
    }
}

/* ================================================================ paint ======================= */

static void header_paint_(const StatesGeom *g, DrawCtx *dc)
{
    const Theme *th = dc->th;
    text_draw_in(&dc->text, g->head, g->head_px, 1, th->fg, g->line_a, UI_ALIGN_LEFT);
    if (g->eq_w > 0)
        text_draw_in(&dc->text, g->eq, g->eq_px, 0, th->accent,
                     ui_rect(g->line_a.x + g->line_a.w - g->eq_w, g->line_a.y, g->eq_w, g->line_a.h), UI_ALIGN_RIGHT);
    text_draw_in(&dc->text, g->how, g->how_px, 0, th->fg_muted, g->line_b, UI_ALIGN_LEFT);
}

/* What the canvas's painter reads. */
typedef struct CanvasArgs {
    const StatesGeom *g;
    const PlotCell *pc;
    DrawCtx *dc;
} CanvasArgs;

/* The canvas: the heatmaps, their colour bars, the plots' interiors. */
static void canvas_paint_(Canvas *cv, const void *arg)
{
    const CanvasArgs *ca = arg;
    const StatesGeom *g = ca->g;
    const PlotCell *pc = ca->pc;
    DrawCtx *dc = ca->dc;
    const Theme *th = dc->th;
    int ox = g->fig.x, oy = g->fig.y;
    canvas_fill(cv, th->bg);
    for (int m = 0; m < g->nmaps; m++) {
        const Colormap *cm = draw_colormap(dc, &g->scale[m]);
        heatmap_paint_(cv, ox, oy, g->map[m], plotdata_map(pc, g->layer, m), &pc->st, pc->T, &g->xmap, &g->scale[m], cm,
                       nan_color_(th));
        canvas_record_image(cv, ui_rect(g->map[m].x - ox, g->map[m].y - oy, g->map[m].w, g->map[m].h));
        bar_paint_(cv, ox, oy, g->bar[m], cm);
        canvas_record_image(cv, ui_rect(g->bar[m].x - ox, g->bar[m].y - oy, g->bar[m].w, g->bar[m].h));
    }
    if (g->gated) lineplot_paint(cv, ox, oy, &g->gate_plot, &g->gms, 1, 0, th, &dc->metrics, &dc->lp);
    lineplot_paint(cv, ox, oy, &g->grad_plot, g->gs, g->ns, 1, th, &dc->metrics, &dc->lp);
    if (g->trace_unit >= 0) lineplot_paint(cv, ox, oy, &g->trace_plot, g->trace, 2, 0, th, &dc->metrics, &dc->lp);
}

/* The ticks of map m's colour bar: hi at the top, the middle, lo at the bottom; a short bar gets
 * one label for its range, "±5" or "0…1", in the middle. */
static void bar_ticks_paint_(const StatesGeom *g, DrawCtx *dc, int m)
{
    const Theme *th = dc->th;
    const UiMetrics *mt = &dc->metrics;
    TextCache *tc = &dc->text;
    int bw = mt->grid_w;
    double tv[3];
    scale_ticks_(&g->scale[m], tv);
    UiRect b = g->bar[m];
    int tk = mt->gap / 3 > 2 ? mt->gap / 3 : 2;
    int th_ = mt->font_tick;
    UiRect lab = ui_rect(b.x + b.w + tk + mt->gap / 3, 0, g->lbw + mt->gap, th_);
    if (b.h < 3 * th_) {
        char lo[32], hi[32], buf[80];
        tick_text_(tv[2], lo, sizeof lo);
        tick_text_(tv[0], hi, sizeof hi);
        if (g->scale[m].kind != CMAP_VIRIDIS && tv[2] == -tv[0]) snprintf(buf, sizeof buf, "\xC2\xB1%s", hi);
        else snprintf(buf, sizeof buf, "%s" S_ELLIPSIS "%s", lo, hi);
        lab.y = b.y + b.h / 2 - th_ / 2;
        lab.w = g->cbw;
        text_draw_in(tc, buf, text_fit_px(tc, buf, th_, 0, g->x1 + mt->pad - lab.x, 0.6), 0, th->fg, lab, UI_ALIGN_LEFT);
        return;
    }
    for (int k = 0; k < 3; k++) {
        char buf[32];
        tick_text_(tv[k], buf, sizeof buf);
        int yk = k == 0 ? b.y : k == 1 ? b.y + b.h / 2 : b.y + b.h - 1;
        gfx_fill(dc->ren, ui_rect(b.x + b.w, yk - bw / 2, tk, bw > 1 ? bw : 1), th->fg);
        lab.y = k == 0 ? b.y - th_ / 4 : k == 1 ? yk - th_ / 2 : b.y + b.h - th_ + th_ / 4;
        text_draw_in(tc, buf, th_, 0, th->fg, lab, UI_ALIGN_LEFT);
    }
}

/* Over the canvas: each heatmap's and colour bar's frame, its name (and what it is), its ticks. */
static void maps_paint_(const StatesGeom *g, DrawCtx *dc)
{
    const Theme *th = dc->th;
    const UiMetrics *mt = &dc->metrics;
    TextCache *tc = &dc->text;
    int bw = mt->grid_w, x0 = g->x0, lw = g->lw;
    for (int m = 0; m < g->nmaps; m++) {
        UiRect R = g->map[m], B = g->bar[m];
        gfx_box(dc->ren, ui_rect(R.x - bw, R.y - bw, R.w + 2 * bw, R.h + 2 * bw), th->fg_muted, bw);
        gfx_box(dc->ren, ui_rect(B.x - bw, B.y - bw, B.w + 2 * bw, B.h + 2 * bw), th->fg_muted, bw);
        const char *name = states_map_name((GfCell)g->cell, m), *what = states_map_what((GfCell)g->cell, m);
        int two = R.h >= (int)lround(mt->font_body * 1.2 + mt->font_small * 1.2);
        int lh1 = (int)lround(mt->font_body * 1.2), lh2 = (int)lround(mt->font_small * 1.2);
        int ty = R.y + (R.h - (two ? lh1 + lh2 : lh1)) / 2;
        text_draw_in(tc, name, mt->font_body, 1, th->fg, ui_rect(x0, ty, lw - mt->gap, lh1), UI_ALIGN_LEFT);
        if (two) text_draw_in(tc, what, mt->font_small, 0, th->fg_muted, ui_rect(x0, ty + lh1, lw - mt->gap, lh2), UI_ALIGN_LEFT);
        bar_ticks_paint_(g, dc, m);
    }
}

/* The mean gate's axes and its caption, after a line sample. */
static void gate_paint_(const StatesGeom *g, DrawCtx *dc)
{
    const Theme *th = dc->th;
    const UiMetrics *mt = &dc->metrics;
    TextCache *tc = &dc->text;
    const PlotMap *m = &g->gate_plot;
    lineplot_axes(dc->ren, tc, m, th, mt, ui_rect(g->x0, m->area.y, g->lw, m->area.h), 0);
    int sx = g->x0 + g->lw, sw = mt->font_body * 2;
    UiRect a = g->gate_annot;
    gfx_hline_styled(dc->ren, sx, sx + sw, a.y + a.h / 2, g->gms.width, &g->gms.style, g->gms.color);
    int tx = sx + sw + mt->gap / 2;
    int tpx = text_fit_px(tc, g->gate_text, mt->font_body, 0, g->x1 - tx, 0.6);
    text_draw_in(tc, g->gate_text, tpx, 0, th->fg, ui_rect(tx, a.y, g->x1 - tx, a.h), UI_ALIGN_LEFT);
}

/* The gradient norms' axes, strip labels and inline legend. */
static void grads_paint_(const StatesGeom *g, DrawCtx *dc)
{
    const PlotMap *m = &g->grad_plot;
    lineplot_axes(dc->ren, &dc->text, m, dc->th, &dc->metrics, ui_rect(g->x0, m->area.y, g->lw, m->area.h), 1);
    lineplot_strip_labels(&dc->text, m, dc->th, &dc->metrics);
    int x = g->x0 + g->lw;
    for (int k = 0; k < 3; k++)
        if (g->legend_series[k] >= 0)
            x = legend_item_(dc, x, g->grad_annot, &g->gs[g->legend_series[k]], g->legend_text[k], k == 0, dc->th->fg,
                             g->legend_px);
}

/* An arrow from (x0, y) to (x1, y) (or down, from (x, y0) to (x, y1)), bw wide, in colour c. */
static void arrow_h_(DrawCtx *dc, int x0, int x1, int y, int bw, UiColor c)
{
    int hd = 3 * bw + 2, dir = x1 >= x0 ? 1 : -1; /* right, or left */
    if (dir > 0) gfx_fill(dc->ren, ui_rect(x0, y - bw / 2, x1 - x0 - hd, bw), c);
    else gfx_fill(dc->ren, ui_rect(x1 + hd, y - bw / 2, x0 - x1 - hd, bw), c);
    float tri[6] = {(float)(x1 - dir * hd), (float)(y - hd * 0.6), (float)x1, (float)y, (float)(x1 - dir * hd),
                    (float)(y + hd * 0.6)};
    gfx_triangle(dc->ren, tri, c);
}
static void arrow_v_(DrawCtx *dc, int x, int y0, int y1, int bw, UiColor c)
{
    int hd = 3 * bw + 2;
    gfx_fill(dc->ren, ui_rect(x - bw / 2, y0, bw, y1 - y0 - hd), c);
    float tri[6] = {(float)(x - hd * 0.6), (float)(y1 - hd), (float)x, (float)y1, (float)(x + hd * 0.6), (float)(y1 - hd)};
    gfx_triangle(dc->ren, tri, c);
}

/* A round operator node (x or +) at (cx, cy), radius r, with its sign. */
static void node_(DrawCtx *dc, int cx, int cy, int r, const char *sign, UiColor c)
{
    const Theme *th = dc->th;
    gfx_disc(dc->ren, (float)cx, (float)cy, (float)r, c);
    gfx_disc(dc->ren, (float)cx, (float)cy, (float)r - dc->metrics.grid_w * 1.5f, th->bg);
    text_draw_in(&dc->text, sign, (int)lround(r * 1.5), 1, th->fg, ui_rect(cx - r, cy - r, 2 * r, 2 * r), UI_ALIGN_CENTER);
}

/* A labelled box (a state or tanh) centred at (cx, cy). */
static void state_box_(DrawCtx *dc, int cx, int cy, int w, int h, const char *s, int px, UiColor c)
{
    UiRect b = ui_rect(cx - w / 2, cy - h / 2, w, h);
    gfx_fill(dc->ren, b, dc->th->bg);
    gfx_box(dc->ren, b, c, dc->metrics.grid_w > 1 ? dc->metrics.grid_w : 1);
    text_draw_in(&dc->text, s, px, 1, dc->th->fg, b, UI_ALIGN_CENTER);
}

/* The cell diagram: c_{t-1} -> x f_t -> + i_t*g_t -> c_t along the top (the additive path, in
 * the cell state's colour), c_t -> tanh -> x o_t -> h_t below it; each node with this step's mean. */
static void diagram_paint_(const StatesGeom *g, DrawCtx *dc)
{
    const Theme *th = dc->th;
    const UiMetrics *mt = &dc->metrics;
    TextCache *tc = &dc->text;
    UiRect s = g->side, d = g->diag;
    text_draw_in(tc, g->diag_title, g->diag_title_px, 1, th->fg, ui_rect(s.x, s.y, s.w, d.y - s.y), UI_ALIGN_LEFT);
    const StatesCellNumbers *n = &g->num;
    UiColor cc = ui_color_mix(th->lstm_c, th->fg, 0.25), hc = th->cell[GF_CELL_LSTM];
    int px = g->diag_px, bw = (int)lround(fmax(2.0, mt->line_w));
    int bh = (int)lround(px * 1.7), boxw = (int)lround(px * 3.6), r = (int)lround(px * 0.85);
    int yc = d.y + d.h / 4, yh = d.y + d.h * 3 / 4 - bh / 4;
    int xa = d.x + boxw / 2, xf = d.x + (int)lround(d.w * 0.34), xp = d.x + (int)lround(d.w * 0.6),
        xc = d.x + d.w - boxw / 2;
    char v[32], lab[64];
    /* the c path */
    arrow_h_(dc, xa + boxw / 2, xf - r, yc, bw, cc);
    arrow_h_(dc, xf + r, xp - r, yc, bw, cc);
    arrow_h_(dc, xp + r, xc - boxw / 2, yc, bw, cc);
    state_box_(dc, xa, yc, boxw, bh, "c" S_SUB_TM1, px, cc);
    state_box_(dc, xc, yc, boxw, bh, "c" S_SUB_T, px, cc);
    node_(dc, xf, yc, r, S_TIMES, cc);
    node_(dc, xp, yc, r, "+", cc);
    num_text_(v, sizeof v, n->f);
    snprintf(lab, sizeof lab, "f = %s", v);
    text_draw_in(tc, lab, px, 0, th->fg, ui_rect(xf - d.w / 5, yc + r + 2, 2 * d.w / 5, (int)lround(px * 1.3)), UI_ALIGN_CENTER);
    num_text_(v, sizeof v, n->ig);
    snprintf(lab, sizeof lab, "i" S_MUL "g = %s", v);
    text_draw_in(tc, lab, px, 0, th->fg, ui_rect(xp - d.w / 5, yc - r - 2 - (int)lround(px * 1.3), 2 * d.w / 5,
                 (int)lround(px * 1.3)), UI_ALIGN_CENTER);
    /* the h path: c_t -> tanh -> x o -> h_t */
    int xt = xc, xo = xp, xh = xa;
    arrow_v_(dc, xc, yc + bh / 2, yh - bh / 2, bw, hc);
    state_box_(dc, xt, yh, boxw, bh, "tanh", px, hc);
    arrow_h_(dc, xt - boxw / 2, xo + r, yh, bw, hc); /* right to left */
    node_(dc, xo, yh, r, S_TIMES, hc);
    arrow_h_(dc, xo - r, xh + boxw / 2, yh, bw, hc);
    state_box_(dc, xh, yh, boxw, bh, "h" S_SUB_T, px, hc);
    num_text_(v, sizeof v, n->o);
    snprintf(lab, sizeof lab, "o = %s", v);
    text_draw_in(tc, lab, px, 0, th->fg, ui_rect(xo - d.w / 5, yh + r + 2, 2 * d.w / 5, (int)lround(px * 1.3)), UI_ALIGN_CENTER);
    /* the lines under it */
    int lh = (int)lround(mt->font_small * 1.35), y = d.y + d.h + mt->gap / 2;
    for (int k = 0; k < 6; k++) { /* each path: its equation (bold, in its colour), its means, its gradient */
        int head = k % 3 == 0;
        int lpx = text_fit_px(tc, g->diag_line[k], mt->font_small, head, s.w, 0.6);
        text_draw_in(tc, g->diag_line[k], lpx, head, head ? (k < 3 ? cc : hc) : th->fg, ui_rect(s.x, y, s.w, lh),
                     UI_ALIGN_LEFT);
        y += lh + (k == 2 ? mt->gap / 2 : 0);
    }
    if (g->trace_unit < 0) return;
    const PlotMap *m = &g->trace_plot;
    int th2 = (int)lround(mt->font_small * 1.35);
    for (int k = 0; k < 3; k++)
        text_draw_in(tc, g->trace_text[k], g->trace_px, k == 0, th->fg, ui_rect(s.x, m->area.y - (3 - k) * th2, s.w, th2),
                     UI_ALIGN_LEFT);
    lineplot_axes(dc->ren, tc, m, th, mt, ui_rect(s.x, m->area.y, m->area.x - s.x, m->area.h), 1);
}

static void states_paint_(void *state, DrawCtx *dc, const ViewModel *vm, const UiFrame *f)
{
    const StatesGeom *g = state;
    if (g->msg) {
        draw_message(dc, ui_rect(g->x0, g->top, g->x1 - g->x0, g->bottom - g->top), g->msg, g->msg_warn);
        return;
    }
    CanvasArgs ca = {g, &vm->data->cell[g->cell], dc};
    header_paint_(g, dc);
    draw_canvas_cached(dc, g->fig, canvas_key_(g, vm), canvas_paint_, &ca);
    maps_paint_(g, dc);
    if (g->gated) gate_paint_(g, dc);
    grads_paint_(g, dc);
    if (g->side.w > 0) diagram_paint_(g, dc);
    text_draw_in(&dc->text, "time step t", dc->metrics.font_body, 0, dc->th->fg,
                 ui_rect(g->px0, g->panels_bottom + g->xt_h, g->px1 - g->px0, g->xl_h), UI_ALIGN_CENTER);
}

/* ================================================================ hover ======================= */

/* The values under the mouse at that step (and unit, over a heatmap). */
static UiRect states_hover_(const void *state, DrawCtx *dc, const ViewModel *vm)
{
    const StatesGeom *g = state;
    UiRect nothing = ui_rect(0, 0, 0, 0);
    if (g->cell < 0 || !vm->data || !vm->data->valid) return nothing;
    const PlotMap *xm = &g->xmap;
    int mx = vm->in.mx, my = vm->in.my;
    if (mx < xm->area.x || mx >= xm->area.x + xm->area.w) return nothing;
    if (my < g->fig.y || my >= g->fig.y + g->fig.h) return nothing;
    const Theme *th = dc->th;
    const UiMetrics *mt = &dc->metrics;
    const PlotCell *pc = &vm->data->cell[g->cell];
    const PlotStates *st = &pc->st;
    int t = axis_step_at(xm, mx);
    if (t < 0) return nothing;
    int j = t / st->steps_per_col;
    int x = (int)lroundf(axis_x(xm, t));
    gfx_fill(dc->ren, ui_rect(x, g->fig.y, mt->grid_w, g->fig.h), th->fg_muted);
    /* the unit under the mouse, if it is over a heatmap */
    int row = -1;
    for (int m = 0; m < g->nmaps; m++) {
        UiRect R = g->map[m];
        if (my >= R.y && my < R.y + R.h) row = (int)((long)(my - R.y) * st->rows / R.h);
    }
    char lines[12][112], num[32];
    UiColor colors[12];
    int n = 0;
    int t0 = j * st->steps_per_col, t1 = t0 + st->steps_per_col - 1 < pc->T - 1 ? t0 + st->steps_per_col - 1 : pc->T - 1;
    if (row >= 0 && t1 > t0)
        snprintf(lines[n], sizeof lines[n], "steps %d" S_ELLIPSIS "%d (mean), unit %d", t0, t1, row * st->unit_step);
    else if (row >= 0)
        snprintf(lines[n], sizeof lines[n], "t = %d, unit %d", t, row * st->unit_step);
    else
        snprintf(lines[n], sizeof lines[n], "t = %d", t);
    colors[n++] = th->fg;
    if (row >= 0)
        for (int m = 0; m < g->nmaps && n < 10; m++) {
            const float *map = plotdata_map(pc, g->layer, m);
            snprintf(lines[n], sizeof lines[n], "%s = %s", states_map_name((GfCell)g->cell, m),
                     axis_format_number(num, sizeof num, "%.4g", (double)map[(size_t)row * st->cols + j]));
            colors[n++] = th->fg;
        }
    if (st->gate_mean) {
        snprintf(lines[n], sizeof lines[n], "mean %s = %s", g->cell == GF_CELL_LSTM ? "f" S_SUB_T : "z" S_SUB_T,
                 axis_format_number(num, sizeof num, "%.4f", st->gate_mean[(size_t)g->layer * pc->T + t]));
        colors[n++] = th->cell[g->cell];
    }
    snprintf(lines[n], sizeof lines[n], S_NORM S_PARTIAL "L/" S_PARTIAL "h" S_SUB_T S_NORM " = %s",
             axis_format_number(num, sizeof num, "%.6g", pc->grad_h[(size_t)g->layer * pc->T + t]));
    colors[n++] = th->cell[g->cell];
    if (pc->grad_c) {
        snprintf(lines[n], sizeof lines[n], S_NORM S_PARTIAL "L/" S_PARTIAL "c" S_SUB_T S_NORM " = %s",
                 axis_format_number(num, sizeof num, "%.6g", pc->grad_c[(size_t)g->layer * pc->T + t]));
        colors[n++] = ui_color_mix(th->lstm_c, th->fg, 0.35); /* its shade, dark enough to read */
    }
    /* beside the mouse, across the time axis's width and the figure's height */
    return gfx_hover_box(dc->ren, &dc->text, lines[0], sizeof lines[0], colors, n, x, my + mt->gap,
                         ui_rect(xm->area.x, g->fig.y, xm->area.w, g->fig.h), 1, th, mt);
}

const ViewClass states_view = {UI_VIEW_STATES, NULL, NULL, states_layout_, states_paint_, states_hover_};
