/* view_anatomy.c - the layers-by-steps grid with output and (h_n, c_n) highlighted, the head and
 * the loss, PyTorch's shapes, and every layer's gradient norm over time. The layout decides every
 * box, arrow and text; the paint step draws them part by part. */
#include "view_anatomy.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "colormap.h"
#include "gfx.h"
#include "labels.h"
#include "theme.h"
#include "view_states.h"

/* The mark over the arrow from the shared box to the head (bidirectional: the two final states). */
#define ANAT_MARK "h_n[" S_MINUS "1] = output[:, " S_MINUS "1]"
#define ANAT_MARK_BIDIR "[h_n[" S_MINUS "2], h_n[" S_MINUS "1]]"
#define S_LARROW "\xE2\x86\x90" /* U+2190 */

static const char *const torch_name[GF_NUM_CELLS] = {"nn.RNN", "nn.LSTM", "nn.GRU"};
static const char *const var_name[GF_NUM_CELLS] = {"rnn", "lstm", "gru"};

/* The highlight colours: output (sky blue) and h_n (orange), from the Okabe-Ito palette. */
static const UiColor out_color = {86, 180, 233, 255};
static const UiColor hn_color = {230, 159, 0, 255};

int anatomy_columns(int T, int max_cols, int *steps, int *gap_after)
{
    if (max_cols > ANAT_COLS_MAX) max_cols = ANAT_COLS_MAX;
    if (max_cols < 3) max_cols = 3;
    *gap_after = -1;
    if (T <= max_cols) {
        for (int t = 0; t < T; t++) steps[t] = t;
        return T;
    }
    int shown = max_cols - 1; /* one column goes to the gap */
    int first = (shown + 1) / 2, last = shown - first;
    for (int k = 0; k < first; k++) steps[k] = k;
    for (int k = 0; k < last; k++) steps[first + k] = T - last + k;
    *gap_after = first - 1;
    return shown;
}

void anatomy_shape(char *buf, size_t n, int a, int b, int c)
{
    snprintf(buf, n, "torch.Size([%d, %d, %d])", a, b, c);
}

/* Colour of layer l of L: a palette of the layers' own, not the cells' hues: viridis, ordered
 * like the layers -- on a light background the top layer (where the loss enters) darkest purple
 * and the lower ones through blue and teal to green; on a dark one the top layer brightest
 * yellow. Its lightness rises steadily, so the order reads in grey-scale too. */
static UiColor layer_color_(const Theme *th, int l, int L)
{
    Colormap cm;
    colormap_init(&cm, CMAP_VIRIDIS);
    const int dark = (int)th->bg.r + th->bg.g + th->bg.b < 3 * 128;
    const double down = L > 1 ? (double)(L - 1 - l) / (L - 1) : 0.0; /* 0 top ... 1 bottom */
    return colormap_at(&cm, dark ? 1.0 - 0.7 * down : 0.75 * down);
}

/* Layer l's line: solid and dashed alternate below the top layer (solid), so neighbours differ
 * in print; bidirectional, every forward curve solid and every reverse one dashed. */
static LineStyle layer_style_(int l, int L, int reverse, int bidir)
{
    static const LineStyle solid = {{0, 0, 0, 0}}, dashed = {{5, 2.2f, 0, 0}}, dotted = {{1.0f, 1.5f, 0, 0}};
    if (bidir) return reverse ? dashed : solid;
    return (L - 1 - l) % 3 == 0 ? solid : (L - 1 - l) % 3 == 1 ? dashed : dotted;
}

/* ================================================================ drawing helpers ============= */

/* An arrow from (ax, ay) to (bx, by), axis-aligned, w pixels wide, with a head of size hs. */
static void arrow_(SDL_Renderer *r, int ax, int ay, int bx, int by, int w, int hs, UiColor c)
{
    if (ay == by) { /* horizontal */
        int dir = bx > ax ? 1 : -1;
        int tip = bx, base = bx - dir * hs;
        gfx_fill(r, ui_rect(dir > 0 ? ax : base, ay - w / 2, abs(base - ax), w), c);
        float tri[6] = {(float)tip, (float)ay + 0.5f, (float)base, (float)ay - hs * 0.55f, (float)base, (float)ay + hs * 0.55f + 1};
        gfx_triangle(r, tri, c);
    } else { /* vertical */
        int dir = by > ay ? 1 : -1;
        int tip = by, base = by - dir * hs;
        gfx_fill(r, ui_rect(ax - w / 2, dir > 0 ? ay : base, w, abs(base - ay)), c);
        float tri[6] = {(float)ax + 0.5f, (float)tip, (float)ax - hs * 0.55f, (float)base, (float)ax + hs * 0.55f + 1, (float)base};
        gfx_triangle(r, tri, c);
    }
}

/* The same in a few characters for a crowded legend: an arrow down (fell) or up (grew) and the
 * orders, or "to 0", "inf", "NaN". */
static void change_short_(const PlotCell *pc, int l, char *buf, size_t n)
{
    double o;
    const char *why;
    if (plotdata_orders(pc, l, &o, &why) == 0)
        snprintf(buf, n, "%s%.1f", o > 0 ? S_DOWN : S_UP, fabs(o));
    else
        snprintf(buf, n, "%s", why[0] == 'v' ? "to 0" : why[0] == 'o' ? "inf" : why[0] == 'N' ? "NaN" : S_ELLIPSIS);
}

/* A number for the text block: 4 significant digits, a real minus sign. */
static void num_(double v, char *buf, size_t n)
{
    char t[16];
    if (!isfinite(v)) {
        axis_format_number(buf, n, "%.4g", v);
        return;
    }
    snprintf(t, sizeof t, "%.4g", fabs(v));
    snprintf(buf, n, "%s%s", v < 0 || (v == 0 && signbit(v)) ? S_MINUS : "", t);
}

/* "x" and n in subscript digits (U+2080 ... U+2089): x_299 as x with a subscript 299. */
static void sub_digits_(int n, char *buf, size_t cap)
{
    char d[16];
    snprintf(d, sizeof d, "%d", n);
    size_t used = (size_t)snprintf(buf, cap, "x");
    for (const char *p = d; *p && used + 4 < cap; p++) {
        buf[used++] = (char)0xE2;
        buf[used++] = (char)0x82;
        buf[used++] = (char)(0x80 + (*p - '0'));
    }
    buf[used] = 0;
}

/* ================================================================ layout ====================== */

/* The header: the module and the call, as one would write them. */
static void header_layout_(AnatomyGeom *g, DrawCtx *dc, const SimConfig *cfg, int c, int H, int L)
{
    const UiMetrics *mt = &dc->metrics;
    g->head_row = g->ha = (int)lround(mt->font_body * 1.5);
    snprintf(g->head_text, sizeof g->head_text, "%s(input_size=%d, hidden_size=%d, num_layers=%d%s, batch_first=True%s)",
             torch_name[c], gf_task_inputs(cfg->task), H, L,
             c == GF_CELL_RNN ? (cfg->nonlinearity == GF_NONLIN_RELU ? ", nonlinearity='relu'" : "") : "",
             cfg->bidirectional ? ", bidirectional=True" : "");
    if (c == GF_CELL_LSTM) snprintf(g->call, sizeof g->call, "output, (h_n, c_n) = %s(x)", var_name[c]);
    else snprintf(g->call, sizeof g->call, "output, h_n = %s(x)", var_name[c]);
    int cw_, ch_, hw_, hh_;
    text_measure(&dc->text, g->call, mt->font_body, 1, &cw_, &ch_);
    text_measure(&dc->text, g->head_text, (int)(mt->font_body * 0.8), 1, &hw_, &hh_);
    /* side by side while the module fits beside the call at 80 % of its size; else two rows */
    g->call_below = hw_ > g->x1 - g->x0 - cw_ - 3 * mt->gap;
    if (g->call_below) g->ha = 2 * g->head_row;
    g->head_px = text_fit_px(&dc->text, g->head_text, mt->font_body, 1,
                             g->x1 - g->x0 - (g->call_below ? 0 : cw_ + 3 * mt->gap), 0.6);
}

/* The texts under the grid: shapes as PyTorch prints them, and the numbers the head reads; in two
 * columns of three lines, or one column where the lines would have to shrink a lot. */
static void texts_layout_(AnatomyGeom *g, DrawCtx *dc, const PlotCell *pc, const SimConfig *cfg)
{
    const UiMetrics *mt = &dc->metrics;
    const Theme *th = dc->th;
    const PlotStates *st = &pc->st;
    int c = g->cell, L = pc->L, H = pc->H;
    int nl = 0;
    const int bidir = g->bidir;
    if (bidir)
        snprintf(g->lines[nl], sizeof g->lines[nl], "output.shape = %s: the top layer's [forward h" S_SUB_T ", reverse h" S_SUB_T "] at every step", g->shape_output);
    else
        snprintf(g->lines[nl], sizeof g->lines[nl], "output.shape = %s: the top layer's h" S_SUB_T " at every step", g->shape_output);
    g->line_color[nl++] = ui_color_mix(out_color, th->fg, 0.45);
    if (bidir)
        snprintf(g->lines[nl], sizeof g->lines[nl], "h_n.shape = %s: each layer's forward h at t = T" S_MINUS "1, then its reverse h at t = 0 "
                 "(layers first, even with batch_first=True)", g->shape_hn);
    else
        snprintf(g->lines[nl], sizeof g->lines[nl], "h_n.shape = %s: every layer's h" S_SUB_T " at t = T" S_MINUS "1", g->shape_hn);
    g->line_color[nl++] = ui_color_mix(hn_color, th->fg, 0.4);
    if (!bidir) {
        snprintf(g->lines[nl], sizeof g->lines[nl], "h_n is (layers, batch, H) even with batch_first=True");
        g->line_color[nl++] = ui_color_mix(hn_color, th->fg, 0.4);
    }
    if (c == GF_CELL_LSTM)
        snprintf(g->lines[nl], sizeof g->lines[nl], "c_n.shape = %s: the same for c" S_SUB_T, g->shape_cn);
    else
        snprintf(g->lines[nl], sizeof g->lines[nl], "no c_n: %s keeps no cell state", torch_name[c]);
    g->line_color[nl++] = ui_color_mix(hn_color, th->fg, 0.4);
    g->nleft = nl;
    if (st->h_n && st->out_last && (!bidir || st->h_n_rev)) {
        /* what h_n[-1] is: PyTorch's definition, stated, not a buffer compared with itself */
        if (bidir)
            snprintf(g->hn_equals, sizeof g->hn_equals, "pitfall: h_n[" S_MINUS "1] is the top layer's reverse direction at t = 0; "
                     "output[:, " S_MINUS "1, H:] is that direction at t = T" S_MINUS "1, after one step");
        else
            snprintf(g->hn_equals, sizeof g->hn_equals, "h_n[" S_MINUS "1] = output[:, " S_MINUS "1] by PyTorch's definition "
                     "(top layer, t = T" S_MINUS "1)");
        snprintf(g->lines[nl], sizeof g->lines[nl], "%s", g->hn_equals);
        g->line_color[nl++] = th->fg;
        /* the first values, from the run (sequence 0) */
        int nshow = H < 3 ? H : 3;
        char *ln = g->lines[nl];
        size_t cap = sizeof g->lines[nl];
        const double *hn_last = bidir ? st->h_n_rev + (size_t)(L - 1) * H : st->h_n + (size_t)(L - 1) * H;
        size_t used = (size_t)snprintf(ln, cap, "h_n[" S_MINUS "1][0, :%d] = [", nshow);
        for (int k = 0; k < nshow && used < cap; k++) {
            char a[32];
            num_(hn_last[k], a, sizeof a);
            used += (size_t)snprintf(ln + used, cap - used, "%s%s", k ? ", " : "", a);
        }
        if (used < cap) used += (size_t)snprintf(ln + used, cap - used, "%s]", H > nshow ? ", " S_ELLIPSIS : "");
        if (bidir && used < cap) {
            used += (size_t)snprintf(ln + used, cap - used, ", but output[0, " S_MINUS "1, H:H+%d] = [", nshow);
            for (int k = 0; k < nshow && used < cap; k++) {
                char a[32];
                num_(st->out_last_rev[k], a, sizeof a);
                used += (size_t)snprintf(ln + used, cap - used, "%s%s", k ? ", " : "", a);
            }
            if (used < cap) snprintf(ln + used, cap - used, "%s]", H > nshow ? ", " S_ELLIPSIS : "");
        }
        g->line_color[nl++] = th->fg_muted;
        if (st->O >= 1 && !gf_task_per_step(cfg->task)) {
            /* the head recomputed from the h_n copied out of the run, beside the run's own y */
            char yv[32], yr[32];
            num_(st->y_check[0], yv, sizeof yv);
            num_(st->y0[0], yr, sizeof yr);
            if (bidir)
                snprintf(g->lines[nl], sizeof g->lines[nl], "a classifier reads torch.cat([h_n[" S_MINUS "2], h_n[" S_MINUS "1]], 1) = "
                         "[output[:, " S_MINUS "1, :H], output[:, 0, H:]]: head(" S_ELLIPSIS ")[0%s] = %s (the run: %s)",
                         st->O > 1 ? ", 0" : "", yv, yr);
            else
                snprintf(g->lines[nl], sizeof g->lines[nl], "the loss reads it: head(h_n[" S_MINUS "1])[0%s] = %s; the run's y: %s",
                         st->O > 1 ? ", 0" : "", yv, yr);
            g->line_color[nl++] = th->fg_muted;
        }
    }
    g->nlines = nl;
    g->tl_h = (int)lround(mt->font_small * 1.45);
    g->colw = (g->x1 - g->x0 - 2 * mt->gap) / 2;
    g->one_col = 0;
    for (int k = 0; k < nl; k++) {
        int lw_, lh_;
        text_measure(&dc->text, g->lines[k], mt->font_small, k < g->nleft, &lw_, &lh_);
        if (lw_ > g->colw * 1.25) g->one_col = 1;
    }
    if (g->one_col) g->colw = g->x1 - g->x0;
}

/* The widths: label column | step columns | h_n[-1] -> head -> loss, the short names in a narrow
 * window; the columns shown and the boxes' sizes. */
static void widths_layout_(AnatomyGeom *g, DrawCtx *dc, const PlotCell *pc, const SimConfig *cfg, double row_h)
{
    const UiMetrics *mt = &dc->metrics;
    TextCache *tc = &dc->text;
    int L = pc->L, H = pc->H, O = gf_task_outputs(cfg->task), x0 = g->x0, x1 = g->x1;
    int lab_w = 0, w, h;
    for (int l = 0; l < L; l++) {
        snprintf(g->row_label[l], sizeof g->row_label[l], "layer %d%s", l, l == L - 1 && L > 1 ? " (top)" : "");
        text_measure(tc, g->row_label[l], mt->font_body, 1, &w, &h);
        lab_w = w > lab_w ? w : lab_w;
    }
    text_measure(tc, "input x" S_SUB_T, mt->font_body, 1, &w, &h);
    g->lab_w = (w > lab_w ? w : lab_w) + 2 * mt->gap;
    text_measure(tc, g->bidir ? ANAT_MARK_BIDIR : ANAT_MARK, mt->font_small, 1, &g->mark_w, &g->mark_h);
    text_measure(tc, g->head_t, mt->font_small, 1, &g->head_w, &h);
    text_measure(tc, g->loss_t, mt->font_small, 1, &g->loss_w, &h);
    g->head_w += 2 * mt->gap;
    g->loss_w += 2 * mt->gap;
    g->arrow1 = g->mark_w + 2 * mt->gap;
    g->arrow2 = (int)lround(30 * mt->s);
    int right_w = g->arrow1 + g->head_w + g->arrow2 + g->loss_w + mt->gap;
    if (right_w > (x1 - x0) * 2 / 5) { /* a narrow window: the short names */
        snprintf(g->head_t, sizeof g->head_t, "nn.Linear(%d, %d)", (g->bidir ? 2 : 1) * H, O);
        snprintf(g->loss_t, sizeof g->loss_t, "%s %s", cfg->task == GF_TASK_ADDING ? "MSE" : "CE", g->lossv);
        text_measure(tc, g->head_t, mt->font_small, 1, &g->head_w, &h);
        text_measure(tc, g->loss_t, mt->font_small, 1, &g->loss_w, &h);
        g->head_w += mt->gap;
        g->loss_w += mt->gap;
        g->arrow2 = (int)lround(18 * mt->s);
        right_w = g->arrow1 + g->head_w + g->arrow2 + g->loss_w + mt->gap;
    }
    if (right_w > (x1 - x0) / 2) right_w = (x1 - x0) / 2;
    g->grid_x0 = x0 + g->lab_w;
    int grid_x1 = x1 - right_w;
    int col_min = (int)lround(64 * mt->s);
    g->ncols = anatomy_columns(pc->T, (grid_x1 - g->grid_x0) / col_min, g->step, &g->gap_after);
    int slots = g->ncols + (g->gap_after >= 0 ? 1 : 0);
    g->col_w = fmin((double)(grid_x1 - g->grid_x0) / slots, 140 * mt->s);
    g->box_w = (int)lround(fmin(g->col_w * 0.64, 100 * mt->s));
    g->box_h = (int)lround(row_h * 0.56);
}

/* The grid's boxes: column k (the gap takes one slot), row l (layer L-1 on top, the inputs at the
 * bottom); the output and h_n bands around them. */
static void grid_layout_(AnatomyGeom *g, DrawCtx *dc, int L, double row_h)
{
    const UiMetrics *mt = &dc->metrics;
    int ncols = g->ncols, box_w = g->box_w, box_h = g->box_h;
    g->lw = mt->grid_w > 1 ? mt->grid_w : 1;
    g->aw = (int)lround(fmax(2.0, 2.0 * mt->s));
    g->ahs = (int)lround(fmax(6.0, 8.0 * mt->s));
    g->hl = (int)lround(mt->gap * 0.6); /* margin of the highlight bands around the boxes */
    for (int k = 0, slot = 0; k < ncols; k++, slot++) {
        g->cx[k] = g->grid_x0 + (int)lround((slot + 0.5) * g->col_w);
        if (k == g->gap_after) slot++;
    }
    g->gap_x = g->gap_after >= 0 ? g->grid_x0 + (int)lround((g->gap_after + 1.5) * g->col_w) : -1;
    g->in_y = g->grid_y + g->step_h + (int)lround((L + 0.5) * row_h);
    for (int k = 0; k < ncols; k++) {
        for (int l = 0; l < L; l++) {
            int yc = g->grid_y + g->step_h + (int)lround((L - 1 - l + 0.5) * row_h);
            g->box[l][k] = ui_rect(g->cx[k] - box_w / 2, yc - box_h / 2, box_w, box_h);
        }
        g->input[k] = ui_rect(g->cx[k] - box_w / 2, g->in_y - box_h / 2, box_w, box_h);
    }
    int hl = g->hl;
    UiRect tb = g->box[L - 1][0], tl = g->box[L - 1][ncols - 1], bl = g->box[0][ncols - 1];
    g->output_band = ui_rect(tb.x - hl, tb.y - hl, tl.x + tl.w - tb.x + 2 * hl, tb.h + 2 * hl);
    g->hn_band = ui_rect(tl.x - 2 * hl, tl.y - 2 * hl, tl.w + 4 * hl, bl.y + bl.h - tl.y + 4 * hl);
    g->shared = tl;
    if (g->bidir) { /* the reverse direction ends at t = 0: its half of h_n is the first column */
        UiRect b0 = g->box[0][0];
        g->hn_band_rev = ui_rect(tb.x - 2 * hl, tb.y - 2 * hl, tb.w + 4 * hl, b0.y + b0.h - tb.y + 4 * hl);
        g->shared_rev = tb;
    }
}

/* h_n[-1] = output[:, -1] -> head -> loss, right of the shared box (tight: the boxes give way). */
static void head_layout_(AnatomyGeom *g, DrawCtx *dc)
{
    const UiMetrics *mt = &dc->metrics;
    int bh = (int)lround(fmax(g->box_h, mt->font_small * 1.9));
    int yc = g->shared.y + g->shared.h / 2;
    int ax0 = g->hn_band.x + g->hn_band.w;
    g->mark_above = 0;
    if (ax0 + g->arrow1 + g->head_w + g->arrow2 + g->loss_w > g->x1) {
        /* too narrow for the mark over the arrow: the arrow gets short (its mark goes above the
           boxes) before the boxes get narrower than their names */
        int a_min = 2 * g->ahs + 2 * mt->gap;
        g->arrow1 = g->x1 - ax0 - g->head_w - g->arrow2 - g->loss_w;
        if (g->arrow1 < a_min) g->arrow1 = a_min;
        g->mark_above = 1;
    }
    if (ax0 + g->arrow1 + g->head_w + g->arrow2 + g->loss_w > g->x1) {
        double k = (double)(g->x1 - ax0 - g->arrow1 - g->arrow2) / (g->head_w + g->loss_w);
        g->head_w = (int)(g->head_w * k);
        g->loss_w = (int)(g->loss_w * k);
    }
    g->head = ui_rect(ax0 + g->arrow1, yc - bh / 2, g->head_w, bh);
    g->loss = ui_rect(g->head.x + g->head_w + g->arrow2, yc - bh / 2, g->loss_w, bh);
}

/* Every layer's ||dL/dh_t|| on one log plot under the texts. */
static void plot_layout_(AnatomyGeom *g, DrawCtx *dc, const PlotCell *pc, int plot_y)
{
    const UiMetrics *mt = &dc->metrics;
    const Theme *th = dc->th;
    int L = pc->L, T = pc->T;
    const int D = g->bidir && pc->grad_h_rev ? 2 : 1;
    g->nseries = D * L;
    for (int k = 0; k < D * L; k++) { /* the forward curves, then the reverse ones */
        const int l = k % L, rev = k >= L;
        g->series[k].v = (rev ? pc->grad_h_rev : pc->grad_h) + (size_t)l * (size_t)T;
        g->series[k].T = T;
        g->series[k].color = layer_color_(th, l, L);
        g->series[k].style = layer_style_(l, L, rev, D > 1);
        g->series[k].width = l == L - 1 ? mt->line_w : mt->line_w * 0.85f;
        g->series[k].guest = 0;
    }
    int ytw, yth;
    text_measure(&dc->text, "1e-300", mt->font_tick, 0, &ytw, &yth);
    g->px0 = g->x0 + ytw + 2 * mt->gap;
    g->px1 = g->x1 - mt->gap;
    int xlw, xlh;
    text_measure(&dc->text, "00000", mt->font_tick, 0, &xlw, &xlh);
    int annot_h = (int)lround(mt->font_body * 1.45);
    g->annot = ui_rect(g->px0, plot_y, g->x1 - g->px0, annot_h);
    int pbody = g->panels_bottom - plot_y - annot_h;
    if (pbody < 40) pbody = 40;
    lineplot_build(&g->grad_plot, ui_rect(g->px0, plot_y + annot_h, g->px1 - g->px0, pbody), 1, 0, 0, 0, g->series, g->nseries, T,
                   mt, xlw + mt->font_tick * 2, 6);
    const PlotMap *m = &g->grad_plot;
    int lwp = (int)ceilf(mt->line_w);
    g->fig = ui_rect(m->area.x - lwp, m->area.y - lwp, m->area.w + 2 * lwp, m->area.h + 2 * lwp);
}

/* The plot's legend, one entry per layer, the top one first: its text shrinks until it fits on
 * its line, the long entries down to 75 %, then short ones ("7:", an arrow and the orders) down
 * to 55 %; past that the paint step stops at the edge with an ellipsis. */
static void legend_layout_(AnatomyGeom *g, DrawCtx *dc, const PlotCell *pc)
{
    const UiMetrics *mt = &dc->metrics;
    int L = pc->L, h, fb = mt->font_body;
    snprintf(g->legend_title, sizeof g->legend_title, g->bidir ? "%s " S_GRAD_H " per layer (forward solid, reverse dashed):"
             : "%s " S_GRAD_H " per layer:", label_cell(g->cell));
    for (int shortform = 0; shortform < 2; shortform++) {
        for (int l = 0; l < L; l++) {
            char ch[64];
            label_change(pc, pc->grad_h + (size_t)l * (size_t)pc->T, ch, sizeof ch);
            if (shortform) change_short_(pc, l, ch, sizeof ch);
            snprintf(g->legend_text[l], sizeof g->legend_text[l], shortform ? "%d: %s" : "layer %d  %s", l, ch);
        }
        int fmin = mt->font_body * (shortform ? 55 : 75) / 100, fits = 0;
        for (fb = mt->font_body; fb > fmin; fb--) {
            int need, tw_;
            text_measure(&dc->text, g->legend_title, fb, 1, &need, &h);
            need += fb;
            for (int l = 0; l < L; l++) {
                text_measure(&dc->text, g->legend_text[l], fb, 0, &tw_, &h);
                need += fb * 2 + mt->gap / 2 + tw_ + fb * 3 / 2;
            }
            if ((fits = need <= g->annot.w)) break;
        }
        if (fits) break;
    }
    g->legend_px = fb;
}

static void anatomy_layout_(void *state, DrawCtx *dc, const ViewModel *vm, UiFrame *f)
{
    AnatomyGeom *g = state;
    const UiMetrics *mt = &dc->metrics;
    memset(g, 0, sizeof *g);
    g->cell = -1;
    g->gap_after = -1;
    view_frame(f, dc, vm, 0, 0);
    g->x0 = f->content.x + mt->pad;
    g->x1 = f->content.x + f->content.w - mt->pad;
    g->top = f->legend.y;
    g->bottom = f->xlabel.y + f->xlabel.h;
    int c = -1;
    g->msg = view_centre_message(vm, &g->msg_warn);
    if (!g->msg) c = states_pick_cell(vm->set, vm->data);
    if (!g->msg && c < 0) g->msg = "no cell computed: press 1, 2 or 3";
    if (g->msg) return;
    const PlotData *pd = vm->data;
    const PlotCell *pc = &pd->cell[c];
    const SimConfig *cfg = &pd->config;
    int L = pc->L, T = pc->T, H = pc->H, B = cfg->batch;
    g->cell = c;
    g->L = L;
    g->T = T;
    g->bidir = cfg->bidirectional && pc->st.bidir;
    const int D = g->bidir ? 2 : 1;
    anatomy_shape(g->shape_output, sizeof g->shape_output, B, T, D * H);
    anatomy_shape(g->shape_hn, sizeof g->shape_hn, D * L, B, H);
    if (c == GF_CELL_LSTM) anatomy_shape(g->shape_cn, sizeof g->shape_cn, D * L, B, H);
    header_layout_(g, dc, cfg, c, H, L);
    axis_format_number(g->lossv, sizeof g->lossv, "%.4g", pc->loss);
    snprintf(g->head_t, sizeof g->head_t, "head: nn.Linear(%d, %d)", D * H, gf_task_outputs(cfg->task));
    snprintf(g->loss_t, sizeof g->loss_t, "%s = %s", cfg->task == GF_TASK_ADDING ? "MSE loss" : "cross-entropy", g->lossv);
    texts_layout_(g, dc, pc, cfg);
    int text_rows = g->one_col ? g->nlines : g->nleft > g->nlines - g->nleft ? g->nleft : g->nlines - g->nleft;
    int text_h = text_rows * g->tl_h;

    /* the vertical budget: the step numbers, L layers and the inputs, the texts; then the plot */
    g->xt_h = (int)lround(mt->font_tick * 1.55);
    g->xl_h = (int)lround(mt->font_body * 1.45);
    g->grid_y = g->top + g->ha + mt->gap / 2;
    g->panels_bottom = g->bottom - g->xl_h - g->xt_h;
    int avail = g->panels_bottom - g->grid_y;
    g->step_h = (int)lround(mt->font_small * 1.6);
    int rows = L + 1;
    double row_h = (avail * 0.55 - g->step_h - text_h - mt->gap) / rows;
    row_h = fmin(row_h, 84 * mt->s);
    row_h = fmax(row_h, 26 * mt->s);
    int grid_bottom = g->grid_y + g->step_h + (int)lround(rows * row_h);
    g->text_y = grid_bottom + mt->gap / 2;
    int plot_y = g->text_y + text_h + mt->gap;

    widths_layout_(g, dc, pc, cfg, row_h);
    grid_layout_(g, dc, L, row_h);
    head_layout_(g, dc);
    plot_layout_(g, dc, pc, plot_y);
    legend_layout_(g, dc, pc);
}

/* ================================================================ paint ======================= */

/* The bands under the boxes (where they overlap, both colours), and the step numbers. */
static void bands_paint_(const AnatomyGeom *g, DrawCtx *dc)
{
    const Theme *th = dc->th;
    const UiMetrics *mt = &dc->metrics;
    SDL_Renderer *r = dc->ren;
    UiColor out_fill = ui_color_mix(out_color, th->bg, 0.72), hn_fill = ui_color_mix(hn_color, th->bg, 0.7);
    gfx_fill(r, g->hn_band, hn_fill);
    if (g->bidir) gfx_fill(r, g->hn_band_rev, hn_fill);
    gfx_fill(r, g->output_band, out_fill);
    gfx_fill(r, ui_rect(g->hn_band.x, g->output_band.y, g->hn_band.w, g->output_band.h), ui_color_mix(out_fill, hn_fill, 0.5));
    if (g->bidir)
        gfx_fill(r, ui_rect(g->hn_band_rev.x, g->output_band.y, g->hn_band_rev.w, g->output_band.h), ui_color_mix(out_fill, hn_fill, 0.5));
    gfx_box(r, g->output_band, out_color, g->lw * 2);
    gfx_box(r, g->hn_band, hn_color, g->lw * 2);
    if (g->bidir) gfx_box(r, g->hn_band_rev, hn_color, g->lw * 2);
    char buf[32];
    for (int k = 0; k < g->ncols; k++) {
        int last = g->step[k] == g->T - 1;
        snprintf(buf, sizeof buf, "t = %d", g->step[k]);
        int px = text_fit_px(&dc->text, buf, mt->font_small, 0, (int)g->col_w - mt->gap / 2, 0.6);
        text_draw_in(&dc->text, buf, px, last, last ? th->fg : th->fg_muted,
                     ui_rect(g->cx[k] - (int)g->col_w / 2, g->grid_y, (int)g->col_w, g->step_h), UI_ALIGN_CENTER);
    }
}

/* Arrows along time in every layer (through the "..." gap), up from the inputs and from layer to
 * layer. */
static void arrows_paint_(const AnatomyGeom *g, DrawCtx *dc)
{
    const Theme *th = dc->th;
    const UiMetrics *mt = &dc->metrics;
    SDL_Renderer *r = dc->ren;
    int aw = g->aw, ahs = g->ahs, box_w = g->box_w, box_h = g->box_h, L = g->L;
    UiColor arrow_c = th->fg_muted;
    for (int l = 0; l < L; l++) {
        int yy = g->box[l][0].y + box_h / 2;
        if (g->bidir) { /* the reverse direction runs the other way, under the forward arrows */
            int yr = yy + box_h / 4;
            yy -= box_h / 4;
            for (int k = 0; k + 1 < g->ncols; k++) {
                int ax = g->box[l][k].x + box_w, bx = g->box[l][k + 1].x;
                if (k == g->gap_after) {
                    int gx0 = g->gap_x - (int)(g->col_w * 0.22), gx1 = g->gap_x + (int)(g->col_w * 0.22);
                    arrow_(r, gx0, yr, ax + 1, yr, aw, ahs, arrow_c);
                    gfx_fill(r, ui_rect(gx1, yr - aw / 2, bx - mt->gap / 3 - gx1, aw), arrow_c);
                    continue;
                }
                arrow_(r, bx - mt->gap / 3, yr, ax + 1, yr, aw, ahs, arrow_c);
            }
        }
        for (int k = 0; k + 1 < g->ncols; k++) {
            int ax = g->box[l][k].x + box_w, bx = g->box[l][k + 1].x;
            if (k == g->gap_after) { /* into the gap, "...", out of the gap */
                int gx0 = g->gap_x - (int)(g->col_w * 0.22), gx1 = g->gap_x + (int)(g->col_w * 0.22);
                gfx_fill(r, ui_rect(ax + mt->gap / 3, yy - aw / 2, gx0 - ax - mt->gap / 3, aw), arrow_c);
                arrow_(r, gx1, yy, bx - 1, yy, aw, ahs, arrow_c);
                int ym = g->box[l][0].y + box_h / 2;
                text_draw_in(&dc->text, S_ELLIPSIS, mt->font_body, 1, th->fg,
                             ui_rect(gx0, ym - mt->font_body, gx1 - gx0, 2 * mt->font_body), UI_ALIGN_CENTER);
                continue;
            }
            arrow_(r, ax + mt->gap / 3, yy, bx - 1, yy, aw, ahs, arrow_c);
        }
    }
    for (int k = 0; k < g->ncols; k++) {
        arrow_(r, g->cx[k], g->input[k].y - 1, g->cx[k], g->box[0][k].y + box_h + 1, aw, ahs, arrow_c);
        for (int l = 0; l + 1 < L; l++)
            arrow_(r, g->cx[k], g->box[l][k].y - 1, g->cx[k], g->box[l + 1][k].y + box_h + 1, aw, ahs, arrow_c);
    }
    if (g->gap_after >= 0)
        text_draw_in(&dc->text, S_ELLIPSIS, mt->font_body, 1, th->fg,
                     ui_rect(g->gap_x - (int)g->col_w / 2, g->in_y - mt->font_body, (int)g->col_w, 2 * mt->font_body),
                     UI_ALIGN_CENTER);
}

/* The boxes: h (and c) of each layer and step, the inputs, and the box output and h_n share. */
static void boxes_paint_(const AnatomyGeom *g, DrawCtx *dc)
{
    const Theme *th = dc->th;
    const UiMetrics *mt = &dc->metrics;
    TextCache *tc = &dc->text;
    SDL_Renderer *r = dc->ren;
    int lw = g->lw;
    const char *inner = g->bidir ? (g->cell == GF_CELL_LSTM ? "h,c" S_ARROW " h,c" S_LARROW : "h" S_ARROW " h" S_LARROW)
                                 : g->cell == GF_CELL_LSTM ? "h, c" : "h";
    char buf[64];
    for (int k = 0; k < g->ncols; k++) {
        for (int l = 0; l < g->L; l++) {
            UiRect b = g->box[l][k];
            gfx_fill(r, b, th->plot_bg);
            gfx_box(r, b, th->fg, lw);
            int px = text_fit_px(tc, inner, mt->font_small, 0, b.w - 4, 0.5);
            if (b.h >= mt->font_small) text_draw_in(tc, inner, px, 0, th->fg, b, UI_ALIGN_CENTER);
        }
        UiRect in = g->input[k];
        sub_digits_(g->step[k], buf, sizeof buf); /* x with the step in subscript digits */
        gfx_fill(r, in, ui_color_mix(th->fg_muted, th->bg, 0.85));
        int px = text_fit_px(tc, buf, mt->font_small, 0, in.w - 4, 0.5);
        text_draw_in(tc, buf, px, 0, th->fg, in, UI_ALIGN_CENTER);
    }
    /* the box both share: a thick outline */
    gfx_box(r, ui_rect(g->shared.x - lw, g->shared.y - lw, g->shared.w + 2 * lw, g->shared.h + 2 * lw), th->fg, lw * 3);
    if (g->bidir) /* h_n[-1], the reverse direction's end: the head reads it too */
        gfx_box(r, ui_rect(g->shared_rev.x - lw, g->shared_rev.y - lw, g->shared_rev.w + 2 * lw, g->shared_rev.h + 2 * lw),
                th->fg, lw * 3);
}

/* Row labels and which row is output; which column is h_n: right of its band beside layer 0 (the
 * top row's right belongs to the head), or with a single layer under the band, right of the arrow
 * that enters it. */
static void row_labels_paint_(const AnatomyGeom *g, DrawCtx *dc)
{
    const Theme *th = dc->th;
    const UiMetrics *mt = &dc->metrics;
    TextCache *tc = &dc->text;
    int x0 = g->x0, x1 = g->x1, L = g->L, hl = g->hl, lab_w = g->lab_w;
    UiColor out_text = ui_color_mix(out_color, th->fg, 0.45), hn_text = ui_color_mix(hn_color, th->fg, 0.4);
    int lh1 = (int)lround(mt->font_body * 1.25);
    for (int l = 0; l < L; l++) {
        UiRect b = g->box[l][0];
        int two = l == L - 1 && b.h + 2 * hl >= lh1 * 3 / 2;
        UiRect lr = ui_rect(x0, b.y + b.h / 2 - (two ? lh1 : lh1 / 2), lab_w - mt->gap, lh1);
        text_draw_in(tc, g->row_label[l], mt->font_body, 1, th->fg, lr, UI_ALIGN_LEFT);
        if (two) text_draw_in(tc, "= output", mt->font_body, 1, out_text, ui_rect(x0, lr.y + lh1, lab_w - mt->gap, lh1), UI_ALIGN_LEFT);
    }
    text_draw_in(tc, "input x" S_SUB_T, mt->font_body, 1, th->fg_muted,
                 ui_rect(x0, g->in_y - mt->font_body, lab_w, 2 * mt->font_body), UI_ALIGN_LEFT);
    const char *hn = g->bidir ? (g->cell == GF_CELL_LSTM ? "h_n, c_n: forward here, reverse at t = 0" : "h_n: forward here, reverse at t = 0")
                              : g->cell == GF_CELL_LSTM ? "h_n, c_n" : "h_n";
    int lab_h = (int)lround(mt->font_small * 1.3);
    UiRect bl = g->box[0][g->ncols - 1];
    if (L > 1) {
        int hnx = g->hn_band.x + g->hn_band.w + mt->gap / 2;
        text_draw_in(tc, hn, mt->font_small, 1, hn_text, ui_rect(hnx, bl.y + bl.h / 2 - lab_h / 2, x1 - hnx, lab_h), UI_ALIGN_LEFT);
    } else {
        int hnx = g->cx[g->ncols - 1] + g->ahs;
        text_draw_in(tc, hn, mt->font_small, 1, hn_text, ui_rect(hnx, g->hn_band.y + g->hn_band.h, x1 - hnx, lab_h), UI_ALIGN_LEFT);
    }
}

/* h_n[-1] = output[:, -1] -> head -> loss. */
static void head_paint_(const AnatomyGeom *g, DrawCtx *dc)
{
    const Theme *th = dc->th;
    const UiMetrics *mt = &dc->metrics;
    TextCache *tc = &dc->text;
    SDL_Renderer *r = dc->ren;
    int lw = g->lw, aw = g->aw, ahs = g->ahs;
    int yc = g->shared.y + g->shared.h / 2;
    int ax0 = g->hn_band.x + g->hn_band.w;
    arrow_(r, g->shared.x + g->shared.w + lw * 3, yc, g->head.x - 1, yc, aw, ahs, th->fg);
    arrow_(r, g->head.x + g->head.w, yc, g->loss.x - 1, yc, aw, ahs, th->fg);
    if (g->mark_above) { /* over the head and loss boxes, from the arrow's start ("the loss reads
                            it" is left to the lines under the grid, which say it with numbers) */
        UiRect row = ui_rect(ax0 + mt->gap, g->head.y - g->mark_h - aw, g->x1 - ax0 - mt->gap, g->mark_h);
        text_draw_in(tc, g->bidir ? ANAT_MARK_BIDIR : ANAT_MARK, text_fit_px(tc, g->bidir ? ANAT_MARK_BIDIR : ANAT_MARK,
                     mt->font_small, 1, row.w, 0.6), 1, th->fg, row, UI_ALIGN_LEFT);
    } else {
        text_draw_in(tc, g->bidir ? ANAT_MARK_BIDIR : ANAT_MARK, mt->font_small, 1, th->fg,
                     ui_rect(ax0 + mt->gap, yc - g->mark_h - aw, g->arrow1 - 2 * mt->gap, g->mark_h), UI_ALIGN_CENTER);
        text_draw_in(tc, "the loss reads it", mt->font_small, 0, th->fg_muted,
                     ui_rect(ax0 + mt->gap, yc + aw, g->arrow1 - 2 * mt->gap, g->mark_h), UI_ALIGN_CENTER);
    }
    gfx_fill(r, g->head, th->panel_bg);
    gfx_box(r, g->head, th->fg, lw);
    gfx_fill(r, g->loss, ui_color_mix(th->warn, th->bg, 0.88));
    gfx_box(r, g->loss, th->warn, lw);
    text_draw_in(tc, g->head_t, text_fit_px(tc, g->head_t, mt->font_small, 1, g->head_w - mt->gap, 0.5), 1, th->fg, g->head,
                 UI_ALIGN_CENTER);
    text_draw_in(tc, g->loss_t, text_fit_px(tc, g->loss_t, mt->font_small, 1, g->loss_w - mt->gap, 0.5), 1, th->fg, g->loss,
                 UI_ALIGN_CENTER);
}

/* The texts under the grid. */
static void texts_paint_(const AnatomyGeom *g, DrawCtx *dc)
{
    const UiMetrics *mt = &dc->metrics;
    for (int k = 0; k < g->nlines; k++) {
        int left = k < g->nleft;
        int tx = g->one_col || left ? g->x0 : g->x0 + g->colw + 2 * mt->gap;
        int ty = g->text_y + (g->one_col ? k : left ? k : k - g->nleft) * g->tl_h;
        int px = text_fit_px(&dc->text, g->lines[k], mt->font_small, left, g->colw, 0.6);
        text_draw_in(&dc->text, g->lines[k], px, left, g->line_color[k], ui_rect(tx, ty, g->colw, g->tl_h), UI_ALIGN_LEFT);
    }
}

/* What the canvas's painter reads. */
typedef struct CanvasArgs {
    const AnatomyGeom *g;
    DrawCtx *dc;
} CanvasArgs;

/* The plot's interior: lower layers first, the top layer (where the loss enters) on top. */
static void canvas_paint_(Canvas *cv, const void *arg)
{
    const CanvasArgs *ca = arg;
    const AnatomyGeom *g = ca->g;
    canvas_fill(cv, ca->dc->th->bg);
    lineplot_paint(cv, g->fig.x, g->fig.y, &g->grad_plot, g->series, g->nseries, 1, ca->dc->th, &ca->dc->metrics, &ca->dc->lp);
}

/* Everything the canvas shows, hashed: repainting only when it changed. */
static uint64_t canvas_key_(const AnatomyGeom *g, const ViewModel *vm, const PlotCell *pc)
{
    uint64_t key = DRAW_HASH_SEED;
    int ints[] = {2 /* the anatomy view */, g->cell, g->L, g->T, (int)vm->set->theme, vm->w, vm->h, g->nseries};
    key = draw_hash(key, ints, sizeof ints);
    key = draw_hash(key, &vm->scale, sizeof vm->scale);
    key = draw_hash(key, &g->fig, sizeof g->fig);
    key = draw_hash(key, &g->grad_plot, sizeof g->grad_plot);
    key = draw_hash(key, pc->grad_h, sizeof(double) * (size_t)g->L * (size_t)g->T);
    if (g->nseries > g->L) key = draw_hash(key, pc->grad_h_rev, sizeof(double) * (size_t)g->L * (size_t)g->T);
    return key ? key : 1;
}

/* The plot: its canvas, axes, strip labels, the x title. */
static void plot_paint_(const AnatomyGeom *g, DrawCtx *dc, const ViewModel *vm)
{
    const UiMetrics *mt = &dc->metrics;
    const PlotMap *m = &g->grad_plot;
    CanvasArgs ca = {g, dc};
    draw_canvas_cached(dc, g->fig, canvas_key_(g, vm, &vm->data->cell[g->cell]), canvas_paint_, &ca);
    lineplot_axes(dc->ren, &dc->text, m, dc->th, mt, ui_rect(g->x0, m->area.y, g->px0 - g->x0, m->area.h), 1);
    lineplot_strip_labels(&dc->text, m, dc->th, mt);
    text_draw_in(&dc->text, "time step t", mt->font_body, 0, dc->th->fg,
                 ui_rect(g->px0, g->panels_bottom + g->xt_h, g->px1 - g->px0, g->xl_h), UI_ALIGN_CENTER);
}

/* Direct labels on the curves: "layer l" where each forward curve ends (t = T-1, right) and,
 * bidirectional, "layer l reverse" where each reverse one ends (t = 0, left); on one side the
 * labels are pushed apart so that none covers another, on the plot's background. */
static void direct_labels_paint_(const AnatomyGeom *g, DrawCtx *dc)
{
    const Theme *th = dc->th;
    const UiMetrics *mt = &dc->metrics;
    const PlotMap *m = &g->grad_plot;
    const int px = mt->font_small, lh = (int)lround(px * 1.25);
    for (int side = 0; side < (g->nseries > g->L ? 2 : 1); side++) {
        int ys[GF_LAYERS_MAX], ks[GF_LAYERS_MAX], n = 0;
        for (int l = g->L - 1; l >= 0; l--) {
            const LpSeries *s = &g->series[side * g->L + l];
            double v = s->v[side ? 0 : g->T - 1];
            int y = isfinite(v) || isinf(v) ? (int)lroundf(axis_y(m, v)) - lh : m->area.y;
            int j = n++; /* insertion by y */
            while (j > 0 && ys[j - 1] > y) ys[j] = ys[j - 1], ks[j] = ks[j - 1], j--;
            ys[j] = y, ks[j] = l;
        }
        for (int j = 0; j < n; j++) { /* apart by a line, inside the plot */
            if (ys[j] < m->area.y) ys[j] = m->area.y;
            if (j > 0 && ys[j] < ys[j - 1] + lh) ys[j] = ys[j - 1] + lh;
        }
        for (int j = n - 1; j >= 0; j--) {
            if (ys[j] > m->area.y + m->area.h - lh) ys[j] = m->area.y + m->area.h - lh;
            if (j + 1 < n && ys[j] > ys[j + 1] - lh) ys[j] = ys[j + 1] - lh;
        }
        for (int j = 0; j < n; j++) {
            char buf[48];
            snprintf(buf, sizeof buf, side ? "layer %d reverse" : "layer %d", ks[j]);
            int w, h;
            text_measure(&dc->text, buf, px, 1, &w, &h);
            int x = side ? m->area.x + mt->gap / 2 : m->area.x + m->area.w - w - mt->gap;
            UiRect r = ui_rect(x - 2, ys[j], w + 4, lh);
            gfx_fill(dc->ren, r, ui_color_mix(th->plot_bg, th->bg, 0.0));
            text_draw_in(&dc->text, buf, px, 1, layer_color_(th, ks[j], g->L), r, UI_ALIGN_CENTER);
        }
    }
}

/* The plot's legend: its title, then one entry per layer from the top, never past the edge. */
static void legend_paint_(const AnatomyGeom *g, DrawCtx *dc)
{
    const Theme *th = dc->th;
    const UiMetrics *mt = &dc->metrics;
    TextCache *tc = &dc->text;
    UiRect annot = g->annot;
    int fb = g->legend_px, w, h;
    text_measure(tc, g->legend_title, fb, 1, &w, &h);
    text_draw_in(tc, g->legend_title, fb, 1, th->fg, ui_rect(annot.x, annot.y, w, annot.h), UI_ALIGN_LEFT);
    int x = annot.x + w + fb, xend = annot.x + annot.w;
    int ew, eh;
    text_measure(tc, S_ELLIPSIS, fb, 0, &ew, &eh);
    for (int l = g->L - 1; l >= 0; l--) {
        int sw = fb * 2; /* the forward (or only) curve's sample */
        text_measure(tc, g->legend_text[l], fb, 0, &w, &h);
        if (x + sw + mt->gap / 2 + w > xend - (l > 0 ? ew + fb : 0)) { /* no room: say so, never overrun */
            text_draw_in(tc, S_ELLIPSIS, fb, 0, th->fg, ui_rect(x, annot.y, ew, annot.h), UI_ALIGN_LEFT);
            break;
        }
        const LpSeries *s = &g->series[l];
        gfx_hline_styled(dc->ren, x, x + sw, annot.y + annot.h / 2, s->width, &s->style, s->color);
        x += sw + mt->gap / 2;
        text_draw_in(tc, g->legend_text[l], fb, 0, th->fg, ui_rect(x, annot.y, w, annot.h), UI_ALIGN_LEFT);
        x += w + fb * 3 / 2;
    }
}

static void anatomy_paint_(void *state, DrawCtx *dc, const ViewModel *vm, const UiFrame *f)
{
    const AnatomyGeom *g = state;
    const Theme *th = dc->th;
    const UiMetrics *mt = &dc->metrics;
    UiRect region = ui_rect(g->x0, g->top, g->x1 - g->x0, g->bottom - g->top);
    if (g->msg) {
        draw_message(dc, region, g->msg, g->msg_warn);
        return;
    }
    text_draw_in(&dc->text, g->head_text, g->head_px, 1, th->fg, ui_rect(g->x0, g->top, region.w, g->head_row),
                 UI_ALIGN_LEFT);
    text_draw_in(&dc->text, g->call, mt->font_body, 1, th->accent,
                 ui_rect(g->x0, g->top + (g->call_below ? g->head_row : 0), region.w, g->head_row),
                 g->call_below ? UI_ALIGN_LEFT : UI_ALIGN_RIGHT);
    bands_paint_(g, dc);
    arrows_paint_(g, dc);
    boxes_paint_(g, dc);
    row_labels_paint_(g, dc);
    head_paint_(g, dc);
    texts_paint_(g, dc);
    plot_paint_(g, dc, vm);
    direct_labels_paint_(g, dc);
    legend_paint_(g, dc);
}

/* ================================================================ hover ======================= */

/* Every layer's ||dL/dh_t|| at the step under the mouse. */
static UiRect anatomy_hover_(const void *state, DrawCtx *dc, const ViewModel *vm)
{
    const AnatomyGeom *g = state;
    UiRect nothing = ui_rect(0, 0, 0, 0);
    if (g->cell < 0 || !vm->data || !vm->data->valid) return nothing;
    const PlotMap *m = &g->grad_plot;
    if (!ui_rect_contains(m->area, vm->in.mx, vm->in.my)) return nothing;
    int t = axis_step_at(m, vm->in.mx);
    if (t < 0) return nothing;
    const Theme *th = dc->th;
    const UiMetrics *mt = &dc->metrics;
    const PlotCell *pc = &vm->data->cell[g->cell];
    int x = (int)lroundf(axis_x(m, t));
    gfx_fill(dc->ren, ui_rect(x, m->area.y, mt->grid_w, m->area.h), th->fg_muted);
    char lines[GF_LAYERS_MAX + 1][112];
    UiColor colors[GF_LAYERS_MAX + 1];
    int n = 0;
    snprintf(lines[n], sizeof lines[n], "t = %d", t);
    colors[n++] = th->fg;
    for (int l = g->L - 1; l >= 0; l--) {
        double v = pc->grad_h[(size_t)l * pc->T + t];
        gfx_disc(dc->ren, (float)x + 0.5f, axis_y(m, v), mt->line_w * 1.6f, layer_color_(th, l, g->L));
        char num[24], num2[24];
        if (g->nseries > g->L) {
            double vr = pc->grad_h_rev[(size_t)l * pc->T + t];
            gfx_disc(dc->ren, (float)x + 0.5f, axis_y(m, vr), mt->line_w * 1.6f, layer_color_(th, l, g->L));
            snprintf(lines[n], sizeof lines[n], "layer %d  " S_GRAD_H " = %s " S_ARROW ", %s " S_LARROW, l,
                     axis_format_number(num, sizeof num, "%.4g", v), axis_format_number(num2, sizeof num2, "%.4g", vr));
        } else {
            snprintf(lines[n], sizeof lines[n], "layer %d  " S_GRAD_H " = %s", l, axis_format_number(num, sizeof num, "%.6g", v));
        }
        colors[n++] = layer_color_(th, l, g->L);
    }
    return gfx_hover_box(dc->ren, &dc->text, lines[0], sizeof lines[0], colors, n, x, m->area.y + mt->gap, m->area, 0, th, mt);
}

const ViewClass anatomy_view = {UI_VIEW_ANATOMY, NULL, NULL, anatomy_layout_, anatomy_paint_, anatomy_hover_};
