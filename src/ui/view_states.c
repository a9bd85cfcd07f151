/* view_states.c - heatmaps of h, c and the gates of one cell and layer, their colour bars, the
 * mean forget / update gate and the gradient norms on the same time axis, and the hover readout. */
#include "view_states.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "draw.h"
#include "gfx.h"
#include "theme.h"

/* UTF-8 of the symbols used in labels */
#define S_SUB_T "\xE2\x82\x9C"       /* U+209C subscript t */
#define S_SUB_TM1 "\xE2\x82\x9C\xE2\x82\x8B\xE2\x82\x81" /* t-1 in subscripts */
#define S_NORM "\xE2\x80\x96"        /* U+2016 */
#define S_PARTIAL "\xE2\x88\x82"     /* U+2202 */
#define S_MINUS "\xE2\x88\x92"
#define S_DOT " \xC2\xB7 "
#define S_MUL "\xC2\xB7"
#define S_DOWN "\xE2\x86\x93"
#define S_UP "\xE2\x86\x91"
#define S_ELLIPSIS "\xE2\x80\xA6"

static const char *const cell_label[GF_NUM_CELLS] = {"RNN", "LSTM", "GRU"};

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

const Colormap *states_colormap(const ViewState *vs, const ColorScale *sc, UiTheme theme)
{
    if (sc->kind == CMAP_VIRIDIS) return &vs->cmap_viridis;
    return theme == UI_THEME_DARK ? &vs->cmap_diverging_dark : &vs->cmap_diverging;
}

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

static uint64_t fnv64_(uint64_t h, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++) h = (h ^ b[i]) * 1099511628211ull;
    return h;
}

/* Everything the canvas shows, hashed: repainting only when it changed. */
static uint64_t canvas_key_(const ViewState *vs, const ViewModel *vm, const LpSeries *s, int ns, const double *gm)
{
    const StatesGeom *g = &vs->states;
    uint64_t h = 1469598103934665603ull;
    int ints[] = {1 /* the states view */, g->cell, g->layer, g->nmaps, (int)vm->set->theme, vm->w, vm->h};
    h = fnv64_(h, ints, sizeof ints);
    h = fnv64_(h, &vm->scale, sizeof vm->scale);
    h = fnv64_(h, &g->fig, sizeof g->fig);
    h = fnv64_(h, g->map, sizeof g->map);
    h = fnv64_(h, g->scale, sizeof g->scale);
    h = fnv64_(h, &g->xmap, sizeof g->xmap);
    h = fnv64_(h, &g->gate_plot, sizeof g->gate_plot);
    h = fnv64_(h, &g->grad_plot, sizeof g->grad_plot);
    h = fnv64_(h, &vm->data->states_digest, sizeof vm->data->states_digest);
    for (int i = 0; i < ns; i++) h = fnv64_(h, s[i].v, sizeof(double) * (size_t)s[i].T);
    if (gm) h = fnv64_(h, gm, sizeof(double) * (size_t)g->xmap.T);
    return h ? h : 1;
}

/* An inline legend entry: a line sample and its text; returns the x after it. */
static int legend_item_(ViewState *vs, int x, UiRect line, const LpSeries *s, const char *text, int bold,
                        UiColor tc_, int px)
{
    const UiMetrics *mt = &vs->metrics;
    int sw = px * 2;
    gfx_hline_styled(vs->ren, x, x + sw, line.y + line.h / 2, s->width, &s->style, s->color);
    x += sw + mt->gap / 2;
    int w, h;
    text_measure(&vs->text, text, px, bold, &w, &h);
    text_draw_in(&vs->text, text, px, bold, tc_, ui_rect(x, line.y, w, line.h), UI_ALIGN_LEFT);
    return x + w + px * 3 / 2;
}

/* "fell 6.0 orders" / "grew 2.1 orders" / why not, for a curve of T values. */
static void change_text_(const PlotCell *pc, const double *v, char *buf, size_t n)
{
    PlotCell one = *pc;
    one.grad_h = (double *)v;
    double o;
    const char *why;
    if (plotdata_orders(&one, 0, &o, &why) == 0)
        snprintf(buf, n, "%s %.1f orders", o > 0 ? S_DOWN " fell" : S_UP " grew", fabs(o));
    else
        snprintf(buf, n, "%s", why);
}

void states_draw(ViewState *vs, const ViewModel *vm)
{
    const Theme *th = theme_get(vm->set->theme);
    const UiMetrics *mt = &vs->metrics;
    TextCache *tc = &vs->text;
    SDL_Renderer *r = vs->ren;
    StatesGeom *g = &vs->states;
    const UiFrame *f = &vs->frame;
    memset(g, 0, sizeof *g);
    g->cell = -1;

    int x0 = f->content.x + mt->pad, x1 = f->content.x + f->content.w - mt->pad;
    int top = f->legend.y;                        /* under the title (and a lesson's caption) */
    int bottom = f->xlabel.y + f->xlabel.h;       /* over the status line */
    UiRect region = ui_rect(x0, top, x1 - x0, bottom - top);
    int warn;
    const char *msg = view_centre_message(vm, &warn);
    int c = msg ? -1 : states_pick_cell(vm->set, vm->data);
    if (!msg && c < 0) msg = "no cell computed: press 1, 2 or 3";
    if (!msg && !vm->data->cell[c].st.maps) msg = "this result kept no states";
    if (msg) {
        view_message(vs, region, msg, warn);
        return;
    }
    const PlotData *pd = vm->data;
    const PlotCell *pc = &pd->cell[c];
    const PlotStates *st = &pc->st;
    int l = states_pick_layer(vm->set, pc);
    int T = pc->T, nm = st->nmaps;
    GfNonlin nonlin = pd->config.nonlinearity;
    g->cell = c;
    g->layer = l;
    g->nmaps = nm;

    /* ---- header: which cell and layer, its equations; how the heatmaps read ---- */
    int ha = (int)lround(mt->font_body * 1.45), hb = (int)lround(mt->font_small * 1.45);
    UiRect line_a = ui_rect(x0, top, x1 - x0, ha), line_b = ui_rect(x0, top + ha, x1 - x0, hb);
    char head[200], eq[200], how[320];
    if (pc->L > 1)
        snprintf(head, sizeof head, "Inside the %s" S_DOT "layer %d of %d%s", cell_label[c], l, pc->L,
                 l == pc->L - 1 ? " (the top: output and h_n[" S_MINUS "1] come from it)" : "");
    else
        snprintf(head, sizeof head, "Inside the %s", cell_label[c]);
    if (c == GF_CELL_LSTM)
        snprintf(eq, sizeof eq, "c" S_SUB_T " = f" S_SUB_T S_MUL "c" S_SUB_TM1 " + i" S_SUB_T S_MUL "g" S_SUB_T
                 "      h" S_SUB_T " = o" S_SUB_T S_MUL "tanh(c" S_SUB_T ")");
    else if (c == GF_CELL_GRU)
        snprintf(eq, sizeof eq, "h" S_SUB_T " = (1 " S_MINUS " z" S_SUB_T ")" S_MUL "n" S_SUB_T " + z" S_SUB_T S_MUL
                 "h" S_SUB_TM1);
    else
        snprintf(eq, sizeof eq, "h" S_SUB_T " = %s(W_ih x" S_SUB_T " + W_hh h" S_SUB_TM1 " + b): no gates, no cell state",
                 gf_nonlin_name(nonlin));
    int eqw, eqh, hw_, hh_;
    text_measure(tc, eq, mt->font_body, 0, &eqw, &eqh);
    text_measure(tc, head, mt->font_body, 1, &hw_, &hh_);
    if (hw_ + eqw + 2 * mt->gap > line_a.w) { /* a narrow window: the equation yields */
        eqw = line_a.w - hw_ - 2 * mt->gap;
        if (eqw < 0) eqw = 0;
    }
    int hpx = text_fit_px(tc, head, mt->font_body, 1, line_a.w - eqw - mt->gap, 0.6);
    text_draw_in(tc, head, hpx, 1, th->fg, line_a, UI_ALIGN_LEFT);
    if (eqw > 0) {
        int epx = text_fit_px(tc, eq, mt->font_body, 0, eqw, 0.6);
        text_draw_in(tc, eq, epx, 0, th->accent, ui_rect(x1 - eqw, line_a.y, eqw, line_a.h), UI_ALIGN_RIGHT);
    }

    /* ---- scales, and the widths of the label and colour-bar columns ---- */
    int lw = 0, lbw = 0;
    for (int m = 0; m < nm; m++) {
        int nf = 0;
        g->scale[m] = states_map_scale(pc, nonlin, l, m, &nf);
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
    lw = (lw > ytw ? lw : ytw) + 2 * mt->gap;
    int bar_w = (int)lround(mt->font_body * 0.8);
    int cbw = mt->gap + bar_w + mt->gap / 2 + lbw;
    int px0 = x0 + lw, px1 = x1 - cbw;

    snprintf(how, sizeof how, "Sequence 0 of %d, top to bottom units 0" S_ELLIPSIS "%d, left to right steps 0" S_ELLIPSIS "%d",
             pd->config.batch, pc->H - 1, T - 1);
    size_t used = strlen(how);
    if (st->steps_per_col > 1 && used < sizeof how)
        used += (size_t)snprintf(how + used, sizeof how - used, S_DOT "each column the mean of %d steps", st->steps_per_col);
    if (st->unit_step > 1 && used < sizeof how)
        used += (size_t)snprintf(how + used, sizeof how - used, S_DOT "every %d%s unit", st->unit_step,
                                 st->unit_step == 2 ? "nd" : st->unit_step == 3 ? "rd" : "th");
    if (g->any_nonfinite && used < sizeof how)
        snprintf(how + used, sizeof how - used, S_DOT "grey: inf or NaN");
    int bpx = text_fit_px(tc, how, mt->font_small, 0, line_b.w, 0.6);
    text_draw_in(tc, how, bpx, 0, th->fg_muted, line_b, UI_ALIGN_LEFT);

    /* ---- the vertical budget: heatmaps, then one or two plots, then the x axis ---- */
    int xt_h = (int)lround(mt->font_tick * 1.55), xl_h = (int)lround(mt->font_body * 1.45);
    int annot_h = (int)lround(mt->font_body * 1.45);
    int y = top + ha + hb + mt->gap / 2;
    int panels_bottom = bottom - xl_h - xt_h;
    int avail = panels_bottom - y;
    int gated = c != GF_CELL_RNN;
    int mgap = mt->gap / 2 > 3 ? mt->gap / 2 : 3;
    int body, gbody_min = 0, maps_h;
    /* the least the panels need: 8 rows a heatmap, 30 a plot, 32 columns; less says so */
    int need_h = nm * 8 + (nm - 1) * mgap + mt->gap + annot_h + 30 + (gated ? annot_h + 30 + mt->gap : 0);
    if (avail < need_h || px1 - px0 < 32) {
        g->cell = -1;
        g->nmaps = 0;
        view_message(vs, region, "too small for the states: make the window larger", 0);
        return;
    }
    if (gated) {
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
    /* h and c weigh 1.3, gates 1 */
    double wsum = 0, wt[PLOT_MAPS_MAX];
    for (int m = 0; m < nm; m++) {
        wt[m] = m == 0 || (c == GF_CELL_LSTM && m == 1) ? 1.3 : 1.0;
        wsum += wt[m];
    }

    /* the shared time axis */
    int xlw, xlh;
    text_measure(tc, "00000", mt->font_tick, 0, &xlw, &xlh);
    int xgap = xlw + mt->font_tick * 2;
    AxisFit none;
    axis_fit_init(&none);
    axis_build(&g->xmap, &none, 0, ui_rect(px0, y, px1 - px0, 16), T, mt->band_h, 16, xgap);
    int xa = (int)lroundf(axis_x(&g->xmap, -0.5)), xb = (int)lroundf(axis_x(&g->xmap, T - 0.5));
    int ym = y;
    for (int m = 0; m < nm; m++) {
        int hm = (int)lround(maps_h * wt[m] / wsum);
        g->map[m] = ui_rect(xa, ym, xb - xa, hm);
        g->bar[m] = ui_rect(px1 + mt->gap, ym, bar_w, hm);
        ym += hm + mgap;
    }
    ym += mt->gap - mgap;
    LpSeries gs[3], gms;
    int contrast_layer;
    int ns = grad_series_(vm, th, mt, c, l, gs, &contrast_layer);
    UiRect gate_annot = ui_rect(0, 0, 0, 0), grad_annot;
    if (gated) {
        gate_annot = ui_rect(x0, ym, x1 - x0, annot_h);
        memset(&gms, 0, sizeof gms);
        gms.v = st->gate_mean + (size_t)l * (size_t)T;
        gms.T = T;
        gms.color = th->cell[c];
        gms.style = theme_line_style(GF_CELL_RNN, 0); /* solid */
        gms.width = mt->line_w * 0.85f;
        lineplot_build(&g->gate_plot, ui_rect(px0, ym + annot_h, px1 - px0, body), 0, 0, 1, 0.5,
                       &gms, 1, T, mt, xgap, 0);
        ym += annot_h + body + mt->gap;
    }
    grad_annot = ui_rect(x0, ym, x1 - x0, annot_h);
    int gbody = panels_bottom - ym - annot_h;
    lineplot_build(&g->grad_plot, ui_rect(px0, ym + annot_h, px1 - px0, gbody > 30 ? gbody : 30), 1, 0, 0, 0, gs, ns,
                   T, mt, xgap, 6);

    /* ---- the canvas: heatmaps, colour bars, plot interiors ---- */
    int lw_pad = (int)ceilf(mt->line_w);
    g->fig = ui_rect(f->content.x, y - lw_pad, f->content.w, panels_bottom - y + 2 * lw_pad);
    uint64_t key = canvas_key_(vs, vm, gs, ns, gated ? gms.v : NULL);
    Canvas *cv = &vs->canvas;
    if (key != vs->canvas_key || !vs->plot_tex || vs->tex_w != g->fig.w || vs->tex_h != g->fig.h) {
        if (canvas_resize(cv, g->fig.w, g->fig.h) == 0) {
            int ox = g->fig.x, oy = g->fig.y;
            canvas_fill(cv, th->bg);
            for (int m = 0; m < nm; m++) {
                const Colormap *cm = states_colormap(vs, &g->scale[m], vm->set->theme);
                heatmap_paint_(cv, ox, oy, g->map[m], plotdata_map(pc, l, m), st, T, &g->xmap, &g->scale[m], cm,
                               nan_color_(th));
                bar_paint_(cv, ox, oy, g->bar[m], cm);
            }
            if (gated) lineplot_paint(cv, ox, oy, &g->gate_plot, &gms, 1, 0, th, mt, &vs->lp);
            lineplot_paint(cv, ox, oy, &g->grad_plot, gs, ns, 1, th, mt, &vs->lp);
            if (gfx_canvas_upload(r, cv, &vs->plot_tex, &vs->tex_w, &vs->tex_h) == 0) vs->canvas_key = key;
        }
    }
    if (vs->plot_tex && vs->tex_w == g->fig.w && vs->tex_h == g->fig.h) {
        SDL_Rect dst = {g->fig.x, g->fig.y, g->fig.w, g->fig.h};
        SDL_RenderCopy(r, vs->plot_tex, NULL, &dst);
    }

    /* ---- labels, frames and ticks over it ---- */
    int bw = mt->grid_w;
    for (int m = 0; m < nm; m++) {
        UiRect R = g->map[m];
        gfx_box(r, ui_rect(R.x - bw, R.y - bw, R.w + 2 * bw, R.h + 2 * bw), th->fg_muted, bw);
        gfx_box(r, ui_rect(g->bar[m].x - bw, g->bar[m].y - bw, g->bar[m].w + 2 * bw, g->bar[m].h + 2 * bw), th->fg_muted, bw);
        const char *name = states_map_name((GfCell)c, m), *what = states_map_what((GfCell)c, m);
        int two = R.h >= (int)lround(mt->font_body * 1.2 + mt->font_small * 1.2);
        int lh1 = (int)lround(mt->font_body * 1.2), lh2 = (int)lround(mt->font_small * 1.2);
        int ty = R.y + (R.h - (two ? lh1 + lh2 : lh1)) / 2;
        UiRect lr = ui_rect(x0, ty, lw - mt->gap, lh1);
        text_draw_in(tc, name, mt->font_body, 1, th->fg, lr, UI_ALIGN_LEFT);
        if (two) text_draw_in(tc, what, mt->font_small, 0, th->fg_muted, ui_rect(x0, ty + lh1, lw - mt->gap, lh2), UI_ALIGN_LEFT);
        /* ticks of the colour bar: hi at the top, the middle, lo at the bottom */
        double tv[3];
        scale_ticks_(&g->scale[m], tv);
        UiRect b = g->bar[m];
        int tk = mt->gap / 3 > 2 ? mt->gap / 3 : 2;
        int th_ = mt->font_tick;
        UiRect lab = ui_rect(b.x + b.w + tk + mt->gap / 3, 0, lbw + mt->gap, th_);
        if (b.h < 3 * th_) {
            /* a short bar: one label for its range, "±5" or "0…1", in the middle */
            char lo[32], hi[32], buf[80];
            tick_text_(tv[2], lo, sizeof lo);
            tick_text_(tv[0], hi, sizeof hi);
            if (g->scale[m].kind != CMAP_VIRIDIS && tv[2] == -tv[0]) snprintf(buf, sizeof buf, "\xC2\xB1%s", hi);
            else snprintf(buf, sizeof buf, "%s" S_ELLIPSIS "%s", lo, hi);
            lab.y = b.y + b.h / 2 - th_ / 2;
            lab.w = cbw;
            text_draw_in(tc, buf, text_fit_px(tc, buf, th_, 0, x1 + mt->pad - lab.x, 0.6), 0, th->fg, lab, UI_ALIGN_LEFT);
            continue;
        }
        for (int k = 0; k < 3; k++) {
            char buf[32];
            tick_text_(tv[k], buf, sizeof buf);
            int yk = k == 0 ? b.y : k == 1 ? b.y + b.h / 2 : b.y + b.h - 1;
            gfx_fill(r, ui_rect(b.x + b.w, yk - bw / 2, tk, bw > 1 ? bw : 1), th->fg);
            lab.y = k == 0 ? b.y - th_ / 4 : k == 1 ? yk - th_ / 2 : b.y + b.h - th_ + th_ / 4;
            text_draw_in(tc, buf, th_, 0, th->fg, lab, UI_ALIGN_LEFT);
        }
    }

    /* the mean gate */
    if (gated) {
        const PlotMap *m = &g->gate_plot;
        lineplot_axes(r, tc, m, th, mt, ui_rect(x0, m->area.y, lw, m->area.h), 0);
        const double *gm = st->gate_mean + (size_t)l * (size_t)T;
        double sum = 0;
        int n = 0;
        for (int t = 0; t < T; t++)
            if (isfinite(gm[t])) sum += gm[t], n++;
        double avg = n ? sum / n : NAN;
        char text[256], av[24], pct[24];
        axis_format_number(av, sizeof av, "%.2f", avg);
        axis_format_number(pct, sizeof pct, "%.0f", 100 * avg);
        if (c == GF_CELL_LSTM)
            snprintf(text, sizeof text, "mean forget gate f" S_SUB_T " over the %d units" S_DOT "%s on average: c" S_SUB_T
                     " keeps %s %% of c" S_SUB_TM1 " each step", pc->H, av, pct);
        else
            snprintf(text, sizeof text, "mean update gate z" S_SUB_T " over the %d units" S_DOT "%s on average: h" S_SUB_T
                     " keeps %s %% of h" S_SUB_TM1 " each step", pc->H, av, pct);
        /* a line sample, then the text */
        int sx = x0 + lw, sw = mt->font_body * 2;
        gfx_hline_styled(r, sx, sx + sw, gate_annot.y + gate_annot.h / 2, gms.width, &gms.style, gms.color);
        int tx = sx + sw + mt->gap / 2;
        int tpx = text_fit_px(tc, text, mt->font_body, 0, x1 - tx, 0.6);
        text_draw_in(tc, text, tpx, 0, th->fg, ui_rect(tx, gate_annot.y, x1 - tx, gate_annot.h), UI_ALIGN_LEFT);
    }

    /* the gradient norms, with an inline legend above the plot */
    {
        const PlotMap *m = &g->grad_plot;
        lineplot_axes(r, tc, m, th, mt, ui_rect(x0, m->area.y, lw, m->area.h), 1);
        lineplot_strip_labels(tc, m, th, mt);
        char t1[160], t2[160], t3[160], t3_short[96], ch[64];
        int px = mt->font_body;
        change_text_(pc, pc->grad_h + (size_t)l * (size_t)T, ch, sizeof ch);
        snprintf(t1, sizeof t1, S_NORM S_PARTIAL "L/" S_PARTIAL "h" S_SUB_T S_NORM "  %s", ch);
        t2[0] = t3[0] = t3_short[0] = 0;
        if (pc->grad_c) {
            change_text_(pc, pc->grad_c + (size_t)l * (size_t)T, ch, sizeof ch);
            snprintf(t2, sizeof t2, S_NORM S_PARTIAL "L/" S_PARTIAL "c" S_SUB_T S_NORM "  %s", ch);
        }
        if (contrast_layer >= 0) {
            const PlotCell *rn = &pd->cell[GF_CELL_RNN];
            change_text_(rn, rn->grad_h + (size_t)contrast_layer * (size_t)rn->T, ch, sizeof ch);
            /* where it leaves the plot going back in time, if it does */
            const double *rv = rn->grad_h + (size_t)contrast_layer * (size_t)rn->T;
            int out_at = -1;
            int above = 0;
            for (int t = rn->T - 1; t >= 0 && out_at < 0; t--)
                if (!(rv[t] > 0 && isfinite(rv[t]) && log10(rv[t]) >= m->lo && log10(rv[t]) <= m->hi)) {
                    out_at = t;
                    above = !(rv[t] <= 0) && !(isfinite(rv[t]) && log10(rv[t]) < m->lo);
                }
            char gone[48] = "";
            if (out_at >= 0)
                snprintf(gone, sizeof gone, ", %s the plot for t " "\xE2\x89\xA4" " %d", above ? "above" : "below", out_at);
            snprintf(t3, sizeof t3, "RNN " S_NORM S_PARTIAL "L/" S_PARTIAL "h" S_SUB_T S_NORM ", for contrast  %s%s", ch, gone);
            snprintf(t3_short, sizeof t3_short, "RNN, for contrast  %s", ch);
        }
        /* the legend on one line: smaller text down to 75 %, then the RNN's entry in short, then
           smaller still */
        const char *texts[3] = {t1, t2, t3};
        const LpSeries *ser[3] = {pc->grad_c ? &gs[ns - 2] : &gs[ns - 1], pc->grad_c ? &gs[ns - 1] : NULL,
                                  contrast_layer >= 0 ? &gs[0] : NULL};
        for (; px > mt->font_body * 5 / 10; px--) {
            if (px < mt->font_body * 3 / 4) texts[2] = t3_short;
            int need = 0;
            for (int k = 0; k < 3; k++) {
                if (!ser[k]) continue;
                int w, h;
                text_measure(tc, texts[k], px, k == 0, &w, &h);
                need += px * 2 + mt->gap / 2 + w + px * 3 / 2;
            }
            if (need <= x1 - (x0 + lw)) break;
        }
        int x = x0 + lw;
        for (int k = 0; k < 3; k++)
            if (ser[k]) x = legend_item_(vs, x, grad_annot, ser[k], texts[k], k == 0, th->fg, px);
    }
    /* x axis title under the bottom plot */
    UiRect xl = ui_rect(px0, panels_bottom + xt_h, px1 - px0, xl_h);
    text_draw_in(tc, "time step t", mt->font_body, 0, th->fg, xl, UI_ALIGN_CENTER);
}

/* ================================================================ hover ======================= */

void states_hover(ViewState *vs, const ViewModel *vm)
{
    const StatesGeom *g = &vs->states;
    if (g->cell < 0 || !vm->data || !vm->data->valid) return;
    const PlotMap *xm = &g->xmap;
    int mx = vm->in.mx, my = vm->in.my;
    if (mx < xm->area.x || mx >= xm->area.x + xm->area.w) return;
    if (my < g->fig.y || my >= g->fig.y + g->fig.h) return;
    const Theme *th = theme_get(vm->set->theme);
    const UiMetrics *mt = &vs->metrics;
    const PlotCell *pc = &vm->data->cell[g->cell];
    const PlotStates *st = &pc->st;
    int t = axis_step_at(xm, mx);
    if (t < 0) return;
    int j = t / st->steps_per_col;
    int x = (int)lroundf(axis_x(xm, t));
    gfx_fill(vs->ren, ui_rect(x, g->fig.y, mt->grid_w, g->fig.h), th->fg_muted);

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
    vs->hover_box = gfx_hover_box(vs->ren, &vs->text, lines[0], sizeof lines[0], colors, n, x, my + mt->gap,
                                  ui_rect(xm->area.x, g->fig.y, xm->area.w, g->fig.h), 1, th, mt);
}
