/* view_anatomy.c - the layers-by-steps grid with output and (h_n, c_n) highlighted, the head and
 * the loss, PyTorch's shapes, and every layer's gradient norm over time. */
#include "view_anatomy.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "draw.h"
#include "gfx.h"
#include "theme.h"
#include "view_states.h"

#define S_SUB_T "\xE2\x82\x9C"   /* U+209C subscript t */
#define S_NORM "\xE2\x80\x96"    /* U+2016 */
#define S_PARTIAL "\xE2\x88\x82" /* U+2202 */
#define S_MINUS "\xE2\x88\x92"
#define S_DOT " \xC2\xB7 "
#define S_DOWN "\xE2\x86\x93"
#define S_UP "\xE2\x86\x91"
#define S_ELLIPSIS "\xE2\x80\xA6"
#define S_TIMES "\xC3\x97"
#define S_ARROW "\xE2\x86\x92"   /* U+2192 */

static const char *const cell_label[GF_NUM_CELLS] = {"RNN", "LSTM", "GRU"};
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

/* Colour of layer l's curve: Okabe-Ito hues, the first two from the theme's cell colours so they
 * keep their contrast on a dark background. */
static UiColor layer_color_(const Theme *th, int l)
{
    static const UiColor rest[] = {{0, 158, 115, 255}, {204, 121, 167, 255}, {230, 159, 0, 255},
                                   {86, 180, 233, 255}, {120, 120, 120, 255}, {0, 0, 0, 255}};
    if (l == 0) return th->cell[GF_CELL_LSTM];
    if (l == 1) return th->cell[GF_CELL_RNN];
    if (l == 2) return th->cell[GF_CELL_GRU];
    return rest[(l - 2) % 6];
}

static LineStyle layer_style_(int l)
{
    static const LineStyle st[] = {{{0, 0, 0, 0}}, {{5, 2.2f, 0, 0}}, {{3.5f, 1.6f, 1.0f, 1.6f}}, {{1.0f, 1.5f, 0, 0}}};
    return st[l % 4];
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

static uint64_t fnv64_(uint64_t h, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++) h = (h ^ b[i]) * 1099511628211ull;
    return h;
}

/* "fell 6.0 orders" / "grew 2.1 orders" / why not, for one layer's curve. */
static void change_text_(const PlotCell *pc, int l, char *buf, size_t n)
{
    double o;
    const char *why;
    if (plotdata_orders(pc, l, &o, &why) == 0)
        snprintf(buf, n, "%s %.1f orders", o > 0 ? S_DOWN " fell" : S_UP " grew", fabs(o));
    else
        snprintf(buf, n, "%s", why);
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

/* ================================================================ the view ==================== */

void anatomy_draw(ViewState *vs, const ViewModel *vm)
{
    const Theme *th = theme_get(vm->set->theme);
    const UiMetrics *mt = &vs->metrics;
    TextCache *tc = &vs->text;
    SDL_Renderer *r = vs->ren;
    AnatomyGeom *g = &vs->anatomy;
    const UiFrame *f = &vs->frame;
    memset(g, 0, sizeof *g);
    g->cell = -1;
    g->gap_after = -1;

    int x0 = f->content.x + mt->pad, x1 = f->content.x + f->content.w - mt->pad;
    int top = f->legend.y, bottom = f->xlabel.y + f->xlabel.h;
    UiRect region = ui_rect(x0, top, x1 - x0, bottom - top);
    int warn;
    const char *msg = view_centre_message(vm, &warn);
    int c = msg ? -1 : states_pick_cell(vm->set, vm->data);
    if (!msg && c < 0) msg = "no cell computed: press 1, 2 or 3";
    if (msg) {
        view_message(vs, region, msg, warn);
        return;
    }
    const PlotData *pd = vm->data;
    const PlotCell *pc = &pd->cell[c];
    const SimConfig *cfg = &pd->config;
    int L = pc->L, T = pc->T, H = pc->H, B = cfg->batch;
    g->cell = c;
    g->L = L;
    g->T = T;
    anatomy_shape(g->shape_output, sizeof g->shape_output, B, T, H);
    anatomy_shape(g->shape_hn, sizeof g->shape_hn, L, B, H);
    if (c == GF_CELL_LSTM) anatomy_shape(g->shape_cn, sizeof g->shape_cn, L, B, H);

    /* ---- header: the module and the call, as one would write them ---- */
    int ha = (int)lround(mt->font_body * 1.5);
    char head[200], call[120];
    snprintf(head, sizeof head, "%s(input_size=%d, hidden_size=%d, num_layers=%d%s, batch_first=True)", torch_name[c],
             gf_task_inputs(cfg->task), H, L, c == GF_CELL_RNN ? (cfg->nonlinearity == GF_NONLIN_RELU ? ", nonlinearity='relu'" : "") : "");
    if (c == GF_CELL_LSTM) snprintf(call, sizeof call, "output, (h_n, c_n) = %s(x)", var_name[c]);
    else snprintf(call, sizeof call, "output, h_n = %s(x)", var_name[c]);
    int cw_, ch_;
    text_measure(tc, call, mt->font_body, 1, &cw_, &ch_);
    int hpx = text_fit_px(tc, head, mt->font_body, 1, region.w - cw_ - 3 * mt->gap, 0.6);
    text_draw_in(tc, head, hpx, 1, th->fg, ui_rect(x0, top, region.w, ha), UI_ALIGN_LEFT);
    text_draw_in(tc, call, mt->font_body, 1, th->accent, ui_rect(x0, top, region.w, ha), UI_ALIGN_RIGHT);

    /* ---- the texts: shapes as PyTorch prints them, and the numbers the head reads ---- */
    const PlotStates *st = &pc->st;
    int O = gf_task_outputs(cfg->task);
    char head_t[64], loss_t[64], buf[200], lossv[24];
    axis_format_number(lossv, sizeof lossv, "%.4g", pc->loss);
    snprintf(head_t, sizeof head_t, "head: nn.Linear(%d, %d)", H, O);
    snprintf(loss_t, sizeof loss_t, "%s = %s", cfg->task == GF_TASK_ADDING ? "MSE loss" : "cross-entropy", lossv);
    char lines[6][200];
    UiColor lc[6];
    int nl = 0;
    snprintf(lines[nl], sizeof lines[nl], "output.shape = %s: the top layer's h" S_SUB_T " at every step", g->shape_output);
    lc[nl++] = ui_color_mix(out_color, th->fg, 0.45);
    snprintf(lines[nl], sizeof lines[nl], "h_n.shape = %s: every layer's h" S_SUB_T " at t = T" S_MINUS "1", g->shape_hn);
    lc[nl++] = ui_color_mix(hn_color, th->fg, 0.4);
    if (c == GF_CELL_LSTM)
        snprintf(lines[nl], sizeof lines[nl], "c_n.shape = %s: every layer's c" S_SUB_T " at t = T" S_MINUS "1", g->shape_cn);
    else
        snprintf(lines[nl], sizeof lines[nl], "no c_n: %s keeps no cell state", torch_name[c]);
    lc[nl++] = ui_color_mix(hn_color, th->fg, 0.4);
    if (st->h_n && st->out_last) {
        if (st->hn_out_diff == 0)
            snprintf(g->hn_equals, sizeof g->hn_equals, "h_n[" S_MINUS "1] == output[:, " S_MINUS "1]: True, all %d " S_TIMES " %d numbers equal", B, H);
        else
            snprintf(g->hn_equals, sizeof g->hn_equals, "h_n[" S_MINUS "1] vs output[:, " S_MINUS "1]: max |difference| %s",
                     axis_format_number(buf, sizeof buf, "%.3g", st->hn_out_diff));
        snprintf(lines[nl], sizeof lines[nl], "%s", g->hn_equals);
        lc[nl++] = th->fg;
        /* the first values of both, as the head reads them */
        int nshow = H < 3 ? H : 3;
        size_t used = (size_t)snprintf(lines[nl], sizeof lines[nl], "h_n[" S_MINUS "1][0, :%d] = output[0, " S_MINUS "1, :%d] = [",
                                       nshow, nshow);
        for (int k = 0; k < nshow && used < sizeof lines[nl]; k++) {
            char a[32];
            num_(st->h_n[(size_t)(L - 1) * H + k], a, sizeof a);
            used += (size_t)snprintf(lines[nl] + used, sizeof lines[nl] - used, "%s%s", k ? ", " : "", a);
        }
        if (used < sizeof lines[nl]) snprintf(lines[nl] + used, sizeof lines[nl] - used, "%s]", H > nshow ? ", " S_ELLIPSIS : "");
        lc[nl++] = th->fg_muted;
        if (st->O >= 1) {
            char yv[32];
            num_(st->y0[0], yv, sizeof yv);
            snprintf(lines[nl], sizeof lines[nl], "the loss reads h_n[" S_MINUS "1]: head(h_n[" S_MINUS "1])[0%s] = %s " S_ARROW " %s",
                     st->O > 1 ? ", 0" : "", yv, loss_t);
            lc[nl++] = th->fg_muted;
        }
    }
    /* two columns of three lines, or one column where the lines would have to shrink a lot */
    int tl_h = (int)lround(mt->font_small * 1.45);
    int colw = (x1 - x0 - 2 * mt->gap) / 2, one_col = 0;
    for (int k = 0; k < nl; k++) {
        int lw_, lh_;
        text_measure(tc, lines[k], mt->font_small, k < 3, &lw_, &lh_);
        if (lw_ > colw * 1.25) one_col = 1;
    }
    if (one_col) colw = x1 - x0;
    int text_rows = one_col ? nl : nl > 3 ? 3 : nl;
    int text_h = text_rows * tl_h;

    /* ---- vertical budget: the step numbers, L layers and the inputs, the texts; then the plot ---- */
    int xt_h = (int)lround(mt->font_tick * 1.55), xl_h = (int)lround(mt->font_body * 1.45);
    int annot_h = (int)lround(mt->font_body * 1.45);
    int y = top + ha + mt->gap / 2;
    int panels_bottom = bottom - xl_h - xt_h;
    int avail = panels_bottom - y;
    int step_h = (int)lround(mt->font_small * 1.6);
    int rows = L + 1;
    double row_h = (avail * 0.55 - step_h - text_h - mt->gap) / rows;
    row_h = fmin(row_h, 84 * mt->s);
    row_h = fmax(row_h, 26 * mt->s);
    int grid_bottom = y + step_h + (int)lround(rows * row_h);
    int text_y = grid_bottom + mt->gap / 2;
    int plot_y = text_y + text_h + mt->gap;

    /* ---- the widths: label column | step columns | h_n[-1] -> head -> loss ---- */
    int lab_w = 0, w, h;
    char lab[GF_LAYERS_MAX][32];
    for (int l = 0; l < L; l++) {
        snprintf(lab[l], sizeof lab[l], "layer %d%s", l, l == L - 1 && L > 1 ? " (top)" : "");
        text_measure(tc, lab[l], mt->font_body, 1, &w, &h);
        lab_w = w > lab_w ? w : lab_w;
    }
    text_measure(tc, "input x" S_SUB_T, mt->font_body, 1, &w, &h);
    lab_w = (w > lab_w ? w : lab_w) + 2 * mt->gap;
    const char *mark = "h_n[" S_MINUS "1] = output[:, " S_MINUS "1]";
    int mark_w, mark_h, head_w, loss_w;
    text_measure(tc, mark, mt->font_small, 1, &mark_w, &mark_h);
    text_measure(tc, head_t, mt->font_small, 1, &head_w, &h);
    text_measure(tc, loss_t, mt->font_small, 1, &loss_w, &h);
    head_w += 2 * mt->gap;
    loss_w += 2 * mt->gap;
    int arrow1 = mark_w + 2 * mt->gap, arrow2 = (int)lround(30 * mt->s);
    int right_w = arrow1 + head_w + arrow2 + loss_w + mt->gap;
    if (right_w > (x1 - x0) * 2 / 5) { /* a narrow window: the short names */
        snprintf(head_t, sizeof head_t, "nn.Linear(%d, %d)", H, O);
        snprintf(loss_t, sizeof loss_t, "%s %s", cfg->task == GF_TASK_ADDING ? "MSE" : "CE", lossv);
        text_measure(tc, head_t, mt->font_small, 1, &head_w, &h);
        text_measure(tc, loss_t, mt->font_small, 1, &loss_w, &h);
        head_w += mt->gap;
        loss_w += mt->gap;
        arrow2 = (int)lround(18 * mt->s);
        right_w = arrow1 + head_w + arrow2 + loss_w + mt->gap;
    }
    if (right_w > (x1 - x0) / 2) right_w = (x1 - x0) / 2;
    int grid_x0 = x0 + lab_w, grid_x1 = x1 - right_w;
    int col_min = (int)lround(64 * mt->s);
    /* the least the grid and the plot need: three step columns of 16 pixels, 40 rows of plot;
       less says so */
    if (grid_x1 - grid_x0 < 3 * 16 || panels_bottom - plot_y - annot_h < 40) {
        g->cell = -1;
        g->ncols = 0;
        view_message(vs, region, "too small for the anatomy: make the window larger", 0);
        return;
    }
    int gap_after;
    int steps[ANAT_COLS_MAX];
    int ncols = anatomy_columns(T, (grid_x1 - grid_x0) / col_min, steps, &gap_after);
    g->ncols = ncols;
    g->gap_after = gap_after;
    memcpy(g->step, steps, sizeof(int) * (size_t)ncols);
    int slots = ncols + (gap_after >= 0 ? 1 : 0);
    double col_w = fmin((double)(grid_x1 - grid_x0) / slots, 140 * mt->s);
    int box_w = (int)lround(fmin(col_w * 0.64, 100 * mt->s)), box_h = (int)lround(row_h * 0.56);
    int lw = mt->grid_w > 1 ? mt->grid_w : 1;
    int aw = (int)lround(fmax(2.0, 2.0 * mt->s)), ahs = (int)lround(fmax(6.0, 8.0 * mt->s));
    int hl = (int)lround(mt->gap * 0.6); /* margin of the highlight bands around the boxes */

    /* centres: column k (the gap takes one slot), row l (layer L-1 on top, the inputs at the bottom) */
    int cx[ANAT_COLS_MAX];
    for (int k = 0, slot = 0; k < ncols; k++, slot++) {
        cx[k] = grid_x0 + (int)lround((slot + 0.5) * col_w);
        if (k == gap_after) slot++;
    }
    int gap_x = gap_after >= 0 ? grid_x0 + (int)lround((gap_after + 1.5) * col_w) : -1;
    int in_y = y + step_h + (int)lround((L + 0.5) * row_h);
    for (int k = 0; k < ncols; k++) {
        for (int l = 0; l < L; l++) {
            int yc = y + step_h + (int)lround((L - 1 - l + 0.5) * row_h);
            g->box[l][k] = ui_rect(cx[k] - box_w / 2, yc - box_h / 2, box_w, box_h);
        }
        g->input[k] = ui_rect(cx[k] - box_w / 2, in_y - box_h / 2, box_w, box_h);
    }
    UiRect tb = g->box[L - 1][0], tl = g->box[L - 1][ncols - 1], bl = g->box[0][ncols - 1];
    g->output_band = ui_rect(tb.x - hl, tb.y - hl, tl.x + tl.w - tb.x + 2 * hl, tb.h + 2 * hl);
    g->hn_band = ui_rect(tl.x - 2 * hl, tl.y - 2 * hl, tl.w + 4 * hl, bl.y + bl.h - tl.y + 4 * hl);
    g->shared = tl;

    /* the bands under the boxes; where they overlap, both colours */
    UiColor out_fill = ui_color_mix(out_color, th->bg, 0.72), hn_fill = ui_color_mix(hn_color, th->bg, 0.7);
    UiColor out_text = ui_color_mix(out_color, th->fg, 0.45), hn_text = ui_color_mix(hn_color, th->fg, 0.4);
    gfx_fill(r, g->hn_band, hn_fill);
    gfx_fill(r, g->output_band, out_fill);
    gfx_fill(r, ui_rect(g->hn_band.x, g->output_band.y, g->hn_band.w, g->output_band.h), ui_color_mix(out_fill, hn_fill, 0.5));
    gfx_box(r, g->output_band, out_color, lw * 2);
    gfx_box(r, g->hn_band, hn_color, lw * 2);

    /* step numbers above the columns */
    for (int k = 0; k < ncols; k++) {
        snprintf(buf, sizeof buf, "t = %d", steps[k]);
        int px = text_fit_px(tc, buf, mt->font_small, 0, (int)col_w - mt->gap / 2, 0.6);
        text_draw_in(tc, buf, px, steps[k] == T - 1, steps[k] == T - 1 ? th->fg : th->fg_muted,
                     ui_rect(cx[k] - (int)col_w / 2, y, (int)col_w, step_h), UI_ALIGN_CENTER);
    }
    /* arrows: along time in every layer, up from the inputs and from layer to layer */
    UiColor arrow_c = th->fg_muted;
    for (int l = 0; l < L; l++) {
        int yy = g->box[l][0].y + box_h / 2;
        for (int k = 0; k + 1 < ncols; k++) {
            int ax = g->box[l][k].x + box_w, bx = g->box[l][k + 1].x;
            if (k == gap_after) { /* into the gap, "...", out of the gap */
                int gx0 = gap_x - (int)(col_w * 0.22), gx1 = gap_x + (int)(col_w * 0.22);
                gfx_fill(r, ui_rect(ax + mt->gap / 3, yy - aw / 2, gx0 - ax - mt->gap / 3, aw), arrow_c);
                arrow_(r, gx1, yy, bx - 1, yy, aw, ahs, arrow_c);
                text_draw_in(tc, S_ELLIPSIS, mt->font_body, 1, th->fg,
                             ui_rect(gx0, yy - mt->font_body, gx1 - gx0, 2 * mt->font_body), UI_ALIGN_CENTER);
                continue;
            }
            arrow_(r, ax + mt->gap / 3, yy, bx - 1, yy, aw, ahs, arrow_c);
        }
    }
    for (int k = 0; k < ncols; k++) {
        arrow_(r, cx[k], g->input[k].y - 1, cx[k], g->box[0][k].y + box_h + 1, aw, ahs, arrow_c);
        for (int l = 0; l + 1 < L; l++)
            arrow_(r, cx[k], g->box[l][k].y - 1, cx[k], g->box[l + 1][k].y + box_h + 1, aw, ahs, arrow_c);
    }
    if (gap_after >= 0)
        text_draw_in(tc, S_ELLIPSIS, mt->font_body, 1, th->fg,
                     ui_rect(gap_x - (int)col_w / 2, in_y - mt->font_body, (int)col_w, 2 * mt->font_body), UI_ALIGN_CENTER);
    /* the boxes: h (and c) of each layer and step; the inputs */
    const char *inner = c == GF_CELL_LSTM ? "h, c" : "h";
    for (int k = 0; k < ncols; k++) {
        for (int l = 0; l < L; l++) {
            UiRect b = g->box[l][k];
            gfx_fill(r, b, th->plot_bg);
            gfx_box(r, b, th->fg, lw);
            int px = text_fit_px(tc, inner, mt->font_small, 0, b.w - 4, 0.5);
            if (b.h >= mt->font_small) text_draw_in(tc, inner, px, 0, th->fg, b, UI_ALIGN_CENTER);
        }
        UiRect in = g->input[k];
        sub_digits_(steps[k], buf, sizeof buf); /* x with the step in subscript digits */
        gfx_fill(r, in, ui_color_mix(th->fg_muted, th->bg, 0.85));
        int px = text_fit_px(tc, buf, mt->font_small, 0, in.w - 4, 0.5);
        text_draw_in(tc, buf, px, 0, th->fg, in, UI_ALIGN_CENTER);
    }
    /* the box both share: a thick outline */
    gfx_box(r, ui_rect(g->shared.x - lw, g->shared.y - lw, g->shared.w + 2 * lw, g->shared.h + 2 * lw), th->fg, lw * 3);

    /* row labels, and which row is output */
    int lh1 = (int)lround(mt->font_body * 1.25);
    for (int l = 0; l < L; l++) {
        UiRect b = g->box[l][0];
        int two = l == L - 1 && b.h + 2 * hl >= lh1 * 3 / 2;
        UiRect lr = ui_rect(x0, b.y + b.h / 2 - (two ? lh1 : lh1 / 2), lab_w - mt->gap, lh1);
        text_draw_in(tc, lab[l], mt->font_body, 1, th->fg, lr, UI_ALIGN_LEFT);
        if (two) text_draw_in(tc, "= output", mt->font_body, 1, out_text, ui_rect(x0, lr.y + lh1, lab_w - mt->gap, lh1), UI_ALIGN_LEFT);
    }
    text_draw_in(tc, "input x" S_SUB_T, mt->font_body, 1, th->fg_muted,
                 ui_rect(x0, in_y - mt->font_body, lab_w, 2 * mt->font_body), UI_ALIGN_LEFT);
    /* which column is h_n: right of its band beside layer 0 (the top row's right belongs to the
       head), or with a single layer under the band, right of the arrow that enters it */
    snprintf(buf, sizeof buf, c == GF_CELL_LSTM ? "h_n, c_n" : "h_n");
    int lab_h = (int)lround(mt->font_small * 1.3);
    if (L > 1) {
        int hnx = g->hn_band.x + g->hn_band.w + mt->gap / 2;
        text_draw_in(tc, buf, mt->font_small, 1, hn_text, ui_rect(hnx, bl.y + bl.h / 2 - lab_h / 2, x1 - hnx, lab_h), UI_ALIGN_LEFT);
    } else {
        int hnx = cx[ncols - 1] + ahs;
        text_draw_in(tc, buf, mt->font_small, 1, hn_text, ui_rect(hnx, g->hn_band.y + g->hn_band.h, x1 - hnx, lab_h), UI_ALIGN_LEFT);
    }

    /* ---- h_n[-1] = output[:, -1] -> head -> loss, right of the shared box ---- */
    int bh = (int)lround(fmax(box_h, mt->font_small * 1.9));
    int yc = g->shared.y + g->shared.h / 2;
    int ax0 = g->hn_band.x + g->hn_band.w;
    if (ax0 + arrow1 + head_w + arrow2 + loss_w > x1) { /* tight: the boxes give way */
        double k = (double)(x1 - ax0 - arrow1 - arrow2) / (head_w + loss_w);
        head_w = (int)(head_w * k);
        loss_w = (int)(loss_w * k);
    }
    g->head = ui_rect(ax0 + arrow1, yc - bh / 2, head_w, bh);
    g->loss = ui_rect(g->head.x + head_w + arrow2, yc - bh / 2, loss_w, bh);
    arrow_(r, g->shared.x + g->shared.w + lw * 3, yc, g->head.x - 1, yc, aw, ahs, th->fg);
    arrow_(r, g->head.x + g->head.w, yc, g->loss.x - 1, yc, aw, ahs, th->fg);
    text_draw_in(tc, mark, mt->font_small, 1, th->fg, ui_rect(ax0 + mt->gap, yc - mark_h - aw, arrow1 - 2 * mt->gap, mark_h),
                 UI_ALIGN_CENTER);
    text_draw_in(tc, "the loss reads it", mt->font_small, 0, th->fg_muted,
                 ui_rect(ax0 + mt->gap, yc + aw, arrow1 - 2 * mt->gap, mark_h), UI_ALIGN_CENTER);
    gfx_fill(r, g->head, th->panel_bg);
    gfx_box(r, g->head, th->fg, lw);
    gfx_fill(r, g->loss, ui_color_mix(th->warn, th->bg, 0.88));
    gfx_box(r, g->loss, th->warn, lw);
    text_draw_in(tc, head_t, text_fit_px(tc, head_t, mt->font_small, 1, head_w - mt->gap, 0.5), 1, th->fg, g->head, UI_ALIGN_CENTER);
    text_draw_in(tc, loss_t, text_fit_px(tc, loss_t, mt->font_small, 1, loss_w - mt->gap, 0.5), 1, th->fg, g->loss, UI_ALIGN_CENTER);

    /* ---- the texts under the grid ---- */
    for (int k = 0; k < nl; k++) {
        int tx = one_col || k < 3 ? x0 : x0 + colw + 2 * mt->gap;
        int ty = text_y + (one_col ? k : k % 3) * tl_h;
        int px = text_fit_px(tc, lines[k], mt->font_small, k < 3, colw, 0.6);
        text_draw_in(tc, lines[k], px, k < 3, lc[k], ui_rect(tx, ty, colw, tl_h), UI_ALIGN_LEFT);
    }

    /* ---- every layer's ||dL/dh_t|| ---- */
    LpSeries s[GF_LAYERS_MAX];
    for (int l = 0; l < L; l++) {
        s[l].v = pc->grad_h + (size_t)l * (size_t)T;
        s[l].T = T;
        s[l].color = layer_color_(th, l);
        s[l].style = layer_style_(l);
        s[l].width = l == L - 1 ? mt->line_w : mt->line_w * 0.85f;
        s[l].guest = 0;
    }
    int ytw, yth;
    text_measure(tc, "1e-300", mt->font_tick, 0, &ytw, &yth);
    int px0 = x0 + ytw + 2 * mt->gap, px1 = x1 - mt->gap;
    int xlw, xlh;
    text_measure(tc, "00000", mt->font_tick, 0, &xlw, &xlh);
    UiRect annot = ui_rect(px0, plot_y, x1 - px0, annot_h);
    int pbody = panels_bottom - plot_y - annot_h;
    if (pbody < 40) pbody = 40;
    lineplot_build(&g->grad_plot, ui_rect(px0, plot_y + annot_h, px1 - px0, pbody), 1, 0, 0, 0, s, L, T, mt,
                   xlw + mt->font_tick * 2, 6);
    const PlotMap *m = &g->grad_plot;
    int lwp = (int)ceilf(mt->line_w);
    g->fig = ui_rect(m->area.x - lwp, m->area.y - lwp, m->area.w + 2 * lwp, m->area.h + 2 * lwp);
    uint64_t key = 1469598103934665603ull;
    int ints[] = {2 /* the anatomy view */, c, L, T, (int)vm->set->theme, vm->w, vm->h};
    key = fnv64_(key, ints, sizeof ints);
    key = fnv64_(key, &vm->scale, sizeof vm->scale);
    key = fnv64_(key, &g->fig, sizeof g->fig);
    key = fnv64_(key, m, sizeof *m);
    key = fnv64_(key, pc->grad_h, sizeof(double) * (size_t)L * (size_t)T);
    key = key ? key : 1;
    Canvas *cv = &vs->canvas;
    if (key != vs->canvas_key || !vs->plot_tex || vs->tex_w != g->fig.w || vs->tex_h != g->fig.h) {
        if (canvas_resize(cv, g->fig.w, g->fig.h) == 0) {
            canvas_fill(cv, th->bg);
            /* lower layers first, the top layer (where the loss enters) on top */
            lineplot_paint(cv, g->fig.x, g->fig.y, m, s, L, 1, th, mt, &vs->lp);
            if (gfx_canvas_upload(r, cv, &vs->plot_tex, &vs->tex_w, &vs->tex_h) == 0) vs->canvas_key = key;
        }
    }
    if (vs->plot_tex && vs->tex_w == g->fig.w && vs->tex_h == g->fig.h) {
        SDL_Rect dst = {g->fig.x, g->fig.y, g->fig.w, g->fig.h};
        SDL_RenderCopy(r, vs->plot_tex, NULL, &dst);
    }
    lineplot_axes(r, tc, m, th, mt, ui_rect(x0, m->area.y, px0 - x0, m->area.h), 1);
    lineplot_strip_labels(tc, m, th, mt);
    text_draw_in(tc, "time step t", mt->font_body, 0, th->fg, ui_rect(px0, panels_bottom + xt_h, px1 - px0, xl_h), UI_ALIGN_CENTER);

    /* the legend: one entry per layer, the top one first */
    char title[160];
    snprintf(title, sizeof title, "%s " S_NORM S_PARTIAL "L/" S_PARTIAL "h" S_SUB_T S_NORM " per layer:", cell_label[c]);
    int fb = mt->font_body;
    char et[GF_LAYERS_MAX][96];
    /* shrink the legend's text until it fits on its line: the long entries down to 75 %, then
       short ones ("7:", an arrow and the orders) down to 55 %; past that it stops at the
       edge with an ellipsis */
    for (int shortform = 0; shortform < 2; shortform++) {
        for (int l = 0; l < L; l++) {
            char ch[64];
            change_text_(pc, l, ch, sizeof ch);
            if (shortform) change_short_(pc, l, ch, sizeof ch);
            snprintf(et[l], sizeof et[l], shortform ? "%d: %s" : "layer %d  %s", l, ch);
        }
        int fmin = mt->font_body * (shortform ? 55 : 75) / 100, fits = 0;
        for (fb = mt->font_body; fb > fmin; fb--) {
            int need, tw_;
            text_measure(tc, title, fb, 1, &need, &h);
            need += fb;
            for (int l = 0; l < L; l++) {
                text_measure(tc, et[l], fb, 0, &tw_, &h);
                need += fb * 2 + mt->gap / 2 + tw_ + fb * 3 / 2;
            }
            if ((fits = need <= annot.w)) break;
        }
        if (fits) break;
    }
    text_measure(tc, title, fb, 1, &w, &h);
    text_draw_in(tc, title, fb, 1, th->fg, ui_rect(annot.x, annot.y, w, annot.h), UI_ALIGN_LEFT);
    int x = annot.x + w + fb, xend = annot.x + annot.w;
    int ew, eh;
    text_measure(tc, S_ELLIPSIS, fb, 0, &ew, &eh);
    for (int l = L - 1; l >= 0; l--) {
        int sw = fb * 2;
        text_measure(tc, et[l], fb, 0, &w, &h);
        if (x + sw + mt->gap / 2 + w > xend - (l > 0 ? ew + fb : 0)) { /* no room: say so, never overrun */
            text_draw_in(tc, S_ELLIPSIS, fb, 0, th->fg, ui_rect(x, annot.y, ew, annot.h), UI_ALIGN_LEFT);
            break;
        }
        gfx_hline_styled(r, x, x + sw, annot.y + annot.h / 2, s[l].width, &s[l].style, s[l].color);
        x += sw + mt->gap / 2;
        text_draw_in(tc, et[l], fb, 0, th->fg, ui_rect(x, annot.y, w, annot.h), UI_ALIGN_LEFT);
        x += w + fb * 3 / 2;
    }
}

void anatomy_hover(ViewState *vs, const ViewModel *vm)
{
    const AnatomyGeom *g = &vs->anatomy;
    if (g->cell < 0 || !vm->data || !vm->data->valid) return;
    const PlotMap *m = &g->grad_plot;
    if (!ui_rect_contains(m->area, vm->in.mx, vm->in.my)) return;
    int t = axis_step_at(m, vm->in.mx);
    if (t < 0) return;
    const Theme *th = theme_get(vm->set->theme);
    const UiMetrics *mt = &vs->metrics;
    const PlotCell *pc = &vm->data->cell[g->cell];
    int x = (int)lroundf(axis_x(m, t));
    gfx_fill(vs->ren, ui_rect(x, m->area.y, mt->grid_w, m->area.h), th->fg_muted);
    char lines[GF_LAYERS_MAX + 1][112];
    UiColor colors[GF_LAYERS_MAX + 1];
    int n = 0;
    snprintf(lines[n], sizeof lines[n], "t = %d", t);
    colors[n++] = th->fg;
    for (int l = g->L - 1; l >= 0; l--) {
        double v = pc->grad_h[(size_t)l * pc->T + t];
        gfx_disc(vs->ren, (float)x + 0.5f, axis_y(m, v), mt->line_w * 1.6f, layer_color_(th, l));
        char num[24];
        snprintf(lines[n], sizeof lines[n], "layer %d  " S_NORM S_PARTIAL "L/" S_PARTIAL "h" S_SUB_T S_NORM " = %s", l,
                 axis_format_number(num, sizeof num, "%.6g", v));
        colors[n++] = layer_color_(th, l);
    }
    vs->hover_box = gfx_hover_box(vs->ren, &vs->text, lines[0], sizeof lines[0], colors, n, x, m->area.y + mt->gap,
                                  m->area, 0, th, mt);
}
