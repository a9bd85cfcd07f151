/* view_training.c - the training view: loss, gradient profile, gradient norm and gates over
 * training (see view_training.h). */
#include "view_training.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "draw.h"
#include "gfx.h"
#include "labels.h"
#include "record.h"
#include "theme.h"

#define S_NORM "\xE2\x80\x96"        /* U+2016 */
#define S_PARTIAL "\xE2\x88\x82"     /* U+2202 */
#define S_SUB_T "\xE2\x82\x9C"       /* U+209C subscript t */
#define S_DOT " \xC2\xB7 "
#define S_ELLIPSIS "\xE2\x80\xA6"
#define S_APPROX "\xE2\x89\x88"

int training_smooth_window(size_t n)
{
    size_t w = n / 40;
    return w < 1 ? 1 : w > 200 ? 200 : (int)w;
}

void training_view_free(TrainView *tv)
{
    canvas_free(&tv->canvas);
    if (tv->tex) SDL_DestroyTexture(tv->tex);
    free(tv->scratch);
    free(tv->lp.xy);
    memset(tv, 0, sizeof *tv);
}

/* Scratch of n doubles per slot, `slots` slots: NULL if out of memory. */
static double *scratch_(TrainView *tv, size_t n, int slots)
{
    size_t want = n * (size_t)slots;
    if (want > tv->scratch_cap) {
        double *p = realloc(tv->scratch, want * sizeof *p);
        if (!p) return NULL;
        tv->scratch = p;
        tv->scratch_cap = want;
    }
    return tv->scratch;
}

/* The profile shown as "current": the run on screen when it is of the trained cells. */
static int data_cell_(const ViewModel *vm, int c)
{
    const PlotData *pd = vm->data;
    return pd && pd->valid && pd->cell[c].ran && (vm->set->sim.cells & (1u << c));
}

/* Longest history among the active cells. */
static size_t steps_(const TrainSnapshot *s)
{
    size_t n = 0;
    for (int c = 0; c < GF_NUM_CELLS; c++)
        if (s->cell[c].active && s->cell[c].n > n) n = s->cell[c].n;
    return n;
}

/* Slots of the scratch: per cell, the smoothed loss, the smoothed accuracy; then the baseline,
 * the chance line, the clip line. */
enum { SL_LOSS = 0, SL_ACC = GF_NUM_CELLS, SL_BASE = 2 * GF_NUM_CELLS, SL_CHANCE, SL_CLIP, SL_N };

/* Every series of the four plots, built from the snapshot (sc: scratch of SL_N slots of n). */
typedef struct Series {
    LpSeries loss[2 * GF_NUM_CELLS + 1];
    int nloss;
    LpSeries acc[GF_NUM_CELLS + 1];
    int nacc;
    LpSeries prof[GF_NUM_CELLS * 2 * (TRAIN_MILESTONES_MAX + 1)];
    int nprof;
    LpSeries gnorm[GF_NUM_CELLS + 1];
    int ngnorm;
    LpSeries gate[GF_NUM_CELLS];
    int ngate;
    int prof_T;
    int has_acc, has_gate;
} Series;

static LpSeries series_(const double *v, int T, UiColor c, LineStyle st, float w, int guest)
{
    LpSeries s;
    memset(&s, 0, sizeof s);
    s.v = v;
    s.T = T;
    s.color = c;
    s.style = st;
    s.width = w;
    s.guest = guest;
    return s;
}

static void series_build_(Series *S, TrainView *tv, const ViewModel *vm, const Theme *th, const UiMetrics *mt,
                          double *sc, size_t n)
{
    const TrainSnapshot *ts = vm->train;
    memset(S, 0, sizeof *S);
    LineStyle solid = {{0, 0, 0, 0}}, dash = {{3.0f, 2.0f, 0, 0}};
    GfTask task = ts->cfg.sim.task;
    int T = n < 2 ? 2 : (int)n;
    tv->smooth_w = training_smooth_window(n);
    tv->baseline = gf_task_baseline(task, ts->cfg.sim.seq_len);
    S->has_acc = task != GF_TASK_ADDING;
    /* the baseline and reference lines first: under the curves */
    double *base = sc + (size_t)SL_BASE * n, *chance = sc + (size_t)SL_CHANCE * n, *clip = sc + (size_t)SL_CLIP * n;
    for (size_t i = 0; i < n; i++) {
        base[i] = tv->baseline;
        chance[i] = 1.0 / GF_COPY_SYMBOLS; /* recall and copy both draw from 8 symbols */
        clip[i] = ts->cfg.clip;
    }
    if (n) S->loss[S->nloss++] = series_(base, (int)n, th->fg_muted, dash, mt->line_thin, 0);
    if (n && S->has_acc) S->acc[S->nacc++] = series_(chance, (int)n, th->fg_muted, dash, mt->line_thin, 0);
    if (n && ts->cfg.clip > 0) S->gnorm[S->ngnorm++] = series_(clip, (int)n, th->fg_muted, dash, mt->line_thin, 1);
    for (int c = 0; c < GF_NUM_CELLS; c++) {
        const TrainSnapCell *cc = &ts->cell[c];
        if (!cc->active || cc->n == 0) continue;
        UiColor col = th->cell[c], faint = ui_color_mix(th->cell[c], th->plot_bg, 0.7);
        LineStyle st = theme_line_style((GfCell)c, 0);
        double *ls = sc + (size_t)(SL_LOSS + c) * n, *as = sc + (size_t)(SL_ACC + c) * n;
        trainsnap_running_mean(cc->loss, cc->n, (size_t)tv->smooth_w, ls);
        /* every batch thin and faint (guests: a spike does not stretch the axis), the mean bold */
        S->loss[S->nloss++] = series_(cc->loss, (int)cc->n, faint, solid, mt->line_thin, 1);
        S->loss[S->nloss++] = series_(ls, (int)cc->n, col, st, mt->line_w, 0);
        if (S->has_acc) {
            trainsnap_running_mean(cc->accuracy, cc->n, (size_t)tv->smooth_w, as);
            S->acc[S->nacc++] = series_(as, (int)cc->n, col, st, mt->line_w * 0.85f, 0);
        }
        S->gnorm[S->ngnorm++] = series_(cc->grad_norm, (int)cc->n, col, st, mt->line_thin * 1.2f, 0);
        if (c != GF_CELL_RNN) S->gate[S->ngate++] = series_(cc->gate_mean, (int)cc->n, col, st, mt->line_w * 0.85f, 0);
    }
    S->has_gate = ts->cell[GF_CELL_LSTM].active || ts->cell[GF_CELL_GRU].active;
    /* profiles: the milestones oldest first and lightest, then the current weights on top */
    (void)T;
    S->prof_T = 0;
    for (int c = 0; c < GF_NUM_CELLS; c++) {
        const TrainSnapCell *cc = &ts->cell[c];
        if (!cc->active) continue;
        for (int k = 0; k < cc->nprof; k++) {
            const TrainProfile *p = &cc->prof[k];
            int top = p->L - 1;
            double fade = 0.82 - 0.45 * (cc->nprof > 1 ? (double)k / (cc->nprof - 1) : 1.0);
            UiColor col = ui_color_mix(th->cell[c], th->plot_bg, fade);
            LineStyle st = theme_line_style((GfCell)c, 0);
            S->prof[S->nprof++] = series_(p->grad_h + (size_t)top * p->T, p->T, col, st, mt->line_w * 0.7f, 0);
            if (p->grad_c)
                S->prof[S->nprof++] = series_(p->grad_c + (size_t)top * p->T, p->T,
                                              ui_color_mix(th->lstm_c, th->plot_bg, fade),
                                              theme_line_style(GF_CELL_LSTM, 1), mt->line_w * 0.55f, 0);
            if (p->T > S->prof_T) S->prof_T = p->T;
        }
    }
    for (int c = 0; c < GF_NUM_CELLS; c++) {
        if (!ts->cell[c].active || !data_cell_(vm, c)) continue;
        const PlotCell *pc = &vm->data->cell[c];
        int top = pc->L - 1;
        S->prof[S->nprof++] = series_(pc->grad_h + (size_t)top * pc->T, pc->T, th->cell[c],
                                      theme_line_style((GfCell)c, 0), mt->line_w, 0);
        if (pc->grad_c)
            S->prof[S->nprof++] = series_(pc->grad_c + (size_t)top * pc->T, pc->T, th->lstm_c,
                                          theme_line_style(GF_CELL_LSTM, 1), mt->line_w * 0.7f, 0);
        if (pc->T > S->prof_T) S->prof_T = pc->T;
    }
}

static uint64_t key_(const ViewModel *vm, const TrainView *tv, const UiMetrics *mt, size_t n)
{
    const TrainSnapshot *ts = vm->train;
    uint64_t h = DRAW_HASH_SEED;
    int ints[] = {(int)vm->set->theme, tv->fig.x, tv->fig.y, tv->fig.w, tv->fig.h, (int)vm->set->sim.cells,
                  vm->data ? vm->data->valid : 0};
    h = draw_hash(h, ints, sizeof ints);
    h = draw_hash(h, &mt->s, sizeof mt->s);
    h = draw_hash(h, &ts->epoch, sizeof ts->epoch);
    h = draw_hash(h, &ts->step, sizeof ts->step);
    h = draw_hash(h, &n, sizeof n);
    h = draw_hash(h, &ts->cfg.clip, sizeof ts->cfg.clip);
    for (int c = 0; c < GF_NUM_CELLS; c++) h = draw_hash(h, &ts->cell[c].nprof, sizeof ts->cell[c].nprof);
    if (vm->data && vm->data->valid) h = draw_hash(h, &vm->data->generation, sizeof vm->data->generation);
    return h ? h : 1;
}

/* Marks the steps where clipping acted: one strip per cell along the bottom of the norm plot. */
static void clip_paint_(TrainView *tv, const TrainSnapshot *ts, const Theme *th, int ox, int oy)
{
    const PlotMap *m = &tv->gnorm;
    for (int c = 0; c < GF_NUM_CELLS; c++) {
        UiRect r = tv->clip_strip[c];
        if (r.h <= 0) continue;
        const TrainSnapCell *cc = &ts->cell[c];
        canvas_fill_rect(&tv->canvas, ui_rect(r.x - ox, r.y - oy, r.w, r.h), ui_color_mix(th->cell[c], th->plot_bg, 0.88));
        int prev = -1;
        for (size_t i = 0; i < cc->n; i++) {
            if (!cc->clipped[i]) continue;
            int x = (int)floorf(axis_x(m, (double)i)) - ox;
            if (x == prev) continue;
            prev = x;
            canvas_fill_rect(&tv->canvas, ui_rect(x, r.y - oy, 1 > (int)(m->area.w / (m->T > 1 ? m->T : 1)) ? 1 :
                                                                 (int)(m->area.w / (m->T > 1 ? m->T : 1)), r.h),
                             th->cell[c]);
        }
    }
}

/* A plot's title above it, left-aligned over the y tick labels. */
static void title_(DrawCtx *dc, const char *text, UiRect r, UiColor c, int bold)
{
    const UiMetrics *mt = &dc->metrics;
    int px = text_fit_px(&dc->text, text, mt->font_body, bold, r.w, 0.6);
    text_draw_in(&dc->text, text, px, bold, c, r, UI_ALIGN_LEFT);
}

/* Curve pixels of the canvas inside r (output pixels): those far from the plot's background and
 * grid colours. */
static int ink_(const TrainView *tv, const Theme *th, UiRect r)
{
    const Canvas *cv = &tv->canvas;
    const UiColor calm[] = {th->plot_bg, th->grid, th->grid_minor, th->band, th->bg};
    int n = 0;
    for (int y = r.y; y < r.y + r.h; y++)
        for (int x = r.x; x < r.x + r.w; x++) {
            int cx = x - tv->fig.x, cy = y - tv->fig.y;
            if (cx < 0 || cy < 0 || cx >= cv->w || cy >= cv->h) continue;
            uint32_t p = canvas_get(cv, cx, cy);
            int pr = (int)(p >> 16 & 255), pg = (int)(p >> 8 & 255), pb = (int)(p & 255), far = 1;
            for (size_t k = 0; k < sizeof calm / sizeof *calm && far; k++)
                far = abs(pr - calm[k].r) > 24 || abs(pg - calm[k].g) > 24 || abs(pb - calm[k].b) > 24;
            n += far;
        }
    return n;
}

/* A label for the line at row y inside plot m, on a box of the background: just above or below the
 * line, at the right or the left end, wherever it covers no curve pixel. Returns 0 when drawn; 1
 * when every place would hide part of a curve (the loss around its baseline, the gradient norm
 * around the clip threshold): the caller says it elsewhere. */
static int inline_label_(DrawCtx *dc, TrainView *tv, const PlotMap *m, const char *text, float y, UiColor fg, UiColor bg)
{
    const UiMetrics *mt = &dc->metrics;
    const Theme *th = dc->th;
    int h = (int)lround(mt->font_small * 1.3), tw, th_;
    int px = text_fit_px(&dc->text, text, mt->font_small, 1, m->area.w - 2 * mt->gap, 0.6);
    text_measure(&dc->text, text, px, 1, &tw, &th_);
    tw += mt->gap / 2;
    int above = (int)lroundf(y) - h - mt->grid_w, below = (int)lroundf(y) + mt->grid_w + 1;
    int xr = m->area.x + m->area.w - mt->gap - tw, xl = m->area.x + mt->gap;
    UiRect cand[4] = {ui_rect(xr, above, tw, h), ui_rect(xr, below, tw, h), ui_rect(xl, above, tw, h),
                      ui_rect(xl, below, tw, h)};
    int best = -1, best_ink = 0;
    for (int k = 0; k < 4; k++) {
        if (cand[k].y < m->area.y || cand[k].y + cand[k].h > m->area.y + m->area.h) continue;
        int ink = ink_(tv, th, cand[k]);
        if (best < 0 || ink < best_ink) best = k, best_ink = ink;
    }
    if (best < 0 || best_ink > 0) return 1;
    text_draw_boxed(&dc->text, text, px, 1, fg, bg, cand[best], UI_ALIGN_LEFT, mt->gap / 4);
    return 0;
}

/* The x label under a plot. */
static void xlabel_(DrawCtx *dc, const PlotMap *m, const char *text, const Theme *th)
{
    const UiMetrics *mt = &dc->metrics;
    int y = m->area.y + m->area.h + (int)lround(mt->font_tick * 1.55) + lineplot_spine_width(mt);
    text_draw_in(&dc->text, text, mt->font_small, 0, th->fg_muted, ui_rect(m->area.x, y, m->area.w, (int)lround(mt->font_small * 1.3)),
                 UI_ALIGN_CENTER);
}

static void training_draw_(TrainView *tv, DrawCtx *dc, const ViewModel *vm, const UiFrame *f)
{
    const Theme *th = theme_get(vm->set->theme);
    const UiMetrics *mt = &dc->metrics;
    TextCache *tc = &dc->text;
    SDL_Renderer *r = dc->ren;
    memset(&tv->loss, 0, sizeof tv->loss);
    memset(&tv->acc, 0, sizeof tv->acc);
    memset(&tv->prof, 0, sizeof tv->prof);
    memset(&tv->gnorm, 0, sizeof tv->gnorm);
    memset(&tv->gate, 0, sizeof tv->gate);
    memset(tv->clip_strip, 0, sizeof tv->clip_strip);

    int x0 = f->content.x + mt->pad, x1 = f->content.x + f->content.w - mt->pad;
    int top = f->legend.y, bottom = f->xlabel.y + f->xlabel.h;
    UiRect region = ui_rect(x0, top, x1 - x0, bottom - top);
    const TrainSnapshot *ts = vm->train;
    if (!(vm->set->sim.cells & GF_CELLS_ALL)) {
        draw_message(dc, region, "no cell shown: press 1, 2 or 3", 0);
        return;
    }
    if (ts && ts->rc) {
        draw_message(dc, region, ts->msg, 1);
        return;
    }
    if (!ts || !ts->valid) {
        draw_message(dc, region, "Space trains every cell shown on the same batches" S_DOT ". one step", 0);
        return;
    }
    size_t n = steps_(ts);

    /* ---- header: what trains, where it is, and the cells' key ---- */
    int ha = (int)lround(mt->font_body * 1.5);
    char head[256], lr[24], clip[24];
    axis_format_number(lr, sizeof lr, "%g", ts->cfg.optim.lr);
    if (ts->cfg.clip > 0) axis_format_number(clip, sizeof clip, "clip %g", ts->cfg.clip);
    else snprintf(clip, sizeof clip, "no clipping");
    snprintf(head, sizeof head, "Training" S_DOT "step %ld" S_DOT "%s, learning rate %s" S_DOT "batch %d" S_DOT "%s" S_DOT "%s",
             ts->step, gf_optimizer_name(ts->cfg.optim.kind), lr, ts->cfg.sim.batch, clip,
             ts->running ? "training" S_ELLIPSIS : "paused");
    UiRect hr = ui_rect(x0, top, x1 - x0, ha);
    /* the cells' key at the right: a line sample and the name */
    int kx = x1;
    for (int c = GF_NUM_CELLS - 1; c >= 0; c--) {
        if (!ts->cell[c].active) continue;
        int w, h;
        text_measure(tc, label_cell(c), mt->font_body, 1, &w, &h);
        kx -= w;
        text_draw_in(tc, label_cell(c), mt->font_body, 1, th->cell[c], ui_rect(kx, top, w, ha), UI_ALIGN_LEFT);
        int sw = mt->font_body * 2;
        kx -= sw + mt->gap / 2;
        LineStyle st = theme_line_style((GfCell)c, 0);
        gfx_hline_styled(r, kx, kx + sw, top + ha / 2, mt->line_w, &st, th->cell[c]);
        kx -= mt->gap * 2;
    }
    hr.w = kx - x0 - mt->gap;
    title_(dc, head, hr, th->fg, 1);

    /* ---- the grid: two columns, two rows ---- */
    int annot_h = (int)lround(mt->font_body * 1.45);
    int xt_h = (int)lround(mt->font_tick * 1.55) + (int)lround(mt->font_small * 1.3) + lineplot_spine_width(mt);
    int ytw, yth;
    text_measure(tc, "1e-300", mt->font_tick, 0, &ytw, &yth);
    int lw = ytw + 2 * mt->gap;
    int colgap = mt->pad;
    int cw = (x1 - x0 - colgap) / 2;
    int y0 = top + ha + mt->gap / 2;
    int rowh = (bottom - y0 - mt->gap) / 2;
    UiRect cell_r[2][2];
    for (int i = 0; i < 2; i++)
        for (int j = 0; j < 2; j++)
            cell_r[i][j] = ui_rect(x0 + j * (cw + colgap), y0 + i * (rowh + mt->gap), cw, rowh);
    int xlw, xlh;
    text_measure(tc, "000000", mt->font_tick, 0, &xlw, &xlh);
    int xgap = xlw + mt->font_tick * 2;
    int T = n < 2 ? 2 : (int)n;

    double *sc = scratch_(tv, n ? n : 1, SL_N);
    if (!sc) {
        draw_message(dc, region, "out of memory drawing the training", 1);
        return;
    }
    Series S;
    series_build_(&S, tv, vm, th, mt, sc, n);

    /* (1) loss, and accuracy under it */
    {
        UiRect c = cell_r[0][0];
        int body = c.h - annot_h - xt_h;
        int acc_h = S.has_acc ? (int)lround(body * 0.3) : 0;
        int loss_h = body - (acc_h ? acc_h + annot_h / 2 + xt_h / 2 : 0);
        lineplot_build(&tv->loss, ui_rect(c.x + lw, c.y + annot_h, c.w - lw, loss_h), 1, 0, 0, 0, S.loss, S.nloss, T,
                       mt, xgap, 1.0);
        if (acc_h > 20)
            lineplot_build(&tv->acc, ui_rect(c.x + lw, c.y + c.h - xt_h - acc_h, c.w - lw, acc_h), 0, 0, 1, 0.5, S.acc,
                           S.nacc, T, mt, xgap, 0);
    }
    /* (2) the gradient profile */
    {
        UiRect c = cell_r[0][1];
        int PT = S.prof_T > 1 ? S.prof_T : ts->cfg.sim.seq_len;
        lineplot_build(&tv->prof, ui_rect(c.x + lw, c.y + annot_h, c.w - lw, c.h - annot_h - xt_h), 1, 0, 0, 0, S.prof,
                       S.nprof, PT, mt, xgap, 4.0);
    }
    /* (3) gradient norm, with the clipped strips under it */
    {
        UiRect c = cell_r[1][0];
        int ncell = 0;
        for (int k = 0; k < GF_NUM_CELLS; k++) ncell += ts->cell[k].active;
        int sh = (int)lround(fmax(5.0, 7.0 * mt->s));
        int strips = ts->cfg.clip > 0 ? ncell * (sh + 2) : 0;
        /* the strips go between the title and the plot, where no curve runs */
        lineplot_build(&tv->gnorm, ui_rect(c.x + lw, c.y + annot_h + strips, c.w - lw, c.h - annot_h - xt_h - strips), 1,
                       0, 0, 0, S.gnorm, S.ngnorm, T, mt, xgap, 2.0);
        if (strips) {
            int yy = c.y + annot_h;
            for (int k = 0; k < GF_NUM_CELLS; k++) {
                if (!ts->cell[k].active) continue;
                tv->clip_strip[k] = ui_rect(tv->gnorm.area.x, yy, tv->gnorm.area.w, sh);
                yy += sh + 2;
            }
        }
    }
    /* (4) gates */
    if (S.has_gate) {
        UiRect c = cell_r[1][1];
        lineplot_build(&tv->gate, ui_rect(c.x + lw, c.y + annot_h, c.w - lw, c.h - annot_h - xt_h), 0, 0, 1, 0.5,
                       S.gate, S.ngate, T, mt, xgap, 0);
    }

    /* ---- the canvas: every plot's interior, repainted when what it shows changed ---- */
    tv->fig = ui_rect(x0, y0, x1 - x0, bottom - y0);
    uint64_t key = key_(vm, tv, mt, n);
    int recording = record_list(r) != NULL; /* a vector export: painted afresh, so that it is recorded */
    if (key != tv->key || !tv->tex || recording) {
        if (canvas_resize(&tv->canvas, tv->fig.w, tv->fig.h) == 0) {
            int ox = tv->fig.x, oy = tv->fig.y;
            if (recording) canvas_record_start(&tv->canvas);
            canvas_fill(&tv->canvas, th->bg);
            lineplot_paint(&tv->canvas, ox, oy, &tv->loss, S.loss, S.nloss, 0, th, mt, &tv->lp);
            if (tv->acc.area.w) lineplot_paint(&tv->canvas, ox, oy, &tv->acc, S.acc, S.nacc, 0, th, mt, &tv->lp);
            lineplot_paint(&tv->canvas, ox, oy, &tv->prof, S.prof, S.nprof, 1, th, mt, &tv->lp);
            lineplot_paint(&tv->canvas, ox, oy, &tv->gnorm, S.gnorm, S.ngnorm, 0, th, mt, &tv->lp);
            clip_paint_(tv, ts, th, ox, oy);
            if (tv->gate.area.w) lineplot_paint(&tv->canvas, ox, oy, &tv->gate, S.gate, S.ngate, 0, th, mt, &tv->lp);
            if (gfx_canvas_upload(r, &tv->canvas, &tv->tex, &tv->tex_w, &tv->tex_h) == 0) tv->key = key;
        }
    }
    if (tv->tex) gfx_image(r, tv->tex, tv->fig);

    /* ---- axes, titles and labels ---- */
    char text[256], num[32];
    {
        const PlotMap *m = &tv->loss;
        int base_elsewhere = 0; /* the baseline's label goes under the plot */
        lineplot_axes(r, tc, m, th, mt, ui_rect(m->area.x - lw, m->area.y, lw, m->area.h), tv->acc.area.w == 0);
        const char *what = ts->cfg.sim.task == GF_TASK_ADDING ? "MSE" : "cross-entropy";
        if (tv->smooth_w > 1)
            snprintf(text, sizeof text, "loss (%s): every batch faint, the mean of %d bold", what, tv->smooth_w);
        else
            snprintf(text, sizeof text, "loss (%s) of every batch", what);
        title_(dc, text, ui_rect(cell_r[0][0].x, cell_r[0][0].y, cell_r[0][0].w, annot_h), th->fg, 1);
        if (isfinite(tv->baseline) && n) {
            const char *how = ts->cfg.sim.task == GF_TASK_ADDING ? "1/6"
                              : ts->cfg.sim.task == GF_TASK_RECALL ? "ln 8" : "10 ln 8 / (T+20)";
            snprintf(text, sizeof text, "memoryless baseline %s " S_APPROX " %s", how,
                     axis_format_number(num, sizeof num, "%.3g", tv->baseline));
            base_elsewhere = inline_label_(dc, tv, m, text, axis_y(m, tv->baseline), th->fg_muted, th->plot_bg);
        }
        if (!tv->acc.area.w) {
            char xl[300];
            snprintf(xl, sizeof xl, "training step%s%s", base_elsewhere ? S_DOT "dashed: " : "", base_elsewhere ? text : "");
            xlabel_(dc, m, xl, th);
        }
        lineplot_strip_labels(tc, m, th, mt);
        if (n == 0)
            draw_message(dc, m->area, "step 0: Space trains, . takes one step", 0);
    }
    if (tv->acc.area.w) {
        const PlotMap *m = &tv->acc;
        lineplot_axes(r, tc, m, th, mt, ui_rect(m->area.x - lw, m->area.y, lw, m->area.h), 1);
        snprintf(text, sizeof text, "accuracy%s (mean over %d steps)" S_DOT "chance 1/8",
                 ts->cfg.sim.task == GF_TASK_COPY ? " on the 10 recalled symbols" : "", tv->smooth_w);
        title_(dc, text, ui_rect(m->area.x, m->area.y - annot_h, m->area.w, annot_h), th->fg_muted, 0);
        xlabel_(dc, m, "training step", th);
    }
    {
        const PlotMap *m = &tv->prof;
        lineplot_axes(r, tc, m, th, mt, ui_rect(m->area.x - lw, m->area.y, lw, m->area.h), 1);
        lineplot_strip_labels(tc, m, th, mt);
        /* which steps the faded curves are */
        char steps[96] = "";
        size_t used = 0;
        const TrainSnapCell *first = NULL;
        for (int c = 0; c < GF_NUM_CELLS && !first; c++)
            if (ts->cell[c].active) first = &ts->cell[c];
        for (int k = 0; first && k < first->nprof && used < sizeof steps; k++)
            if (first->prof[k].step != vm->train_profile_step)
                used += (size_t)snprintf(steps + used, sizeof steps - used, "%s%ld", used ? ", " : "", first->prof[k].step);
        char cur[48];
        if (vm->train_profile_step >= 0) snprintf(cur, sizeof cur, "step %ld", vm->train_profile_step);
        else snprintf(cur, sizeof cur, "being computed");
        if (used)
            snprintf(text, sizeof text, S_NORM S_PARTIAL "L/" S_PARTIAL "h" S_SUB_T S_NORM " now (%s), faded: step%s %s", cur,
                     strchr(steps, ',') ? "s" : "", steps);
        else
            snprintf(text, sizeof text, S_NORM S_PARTIAL "L/" S_PARTIAL "h" S_SUB_T S_NORM " now (%s)", cur);
        title_(dc, text, ui_rect(cell_r[0][1].x, cell_r[0][1].y, cell_r[0][1].w, annot_h), th->fg, 1);
        xlabel_(dc, m, ts->cell[GF_CELL_LSTM].active
                           ? "time step t of the sequence" S_DOT "LSTM dotted: " S_NORM S_PARTIAL "L/" S_PARTIAL "c" S_SUB_T S_NORM
                           : "time step t of the sequence",
                th);
    }
    {
        const PlotMap *m = &tv->gnorm;
        lineplot_axes(r, tc, m, th, mt, ui_rect(m->area.x - lw, m->area.y, lw, m->area.h), 1);
        lineplot_strip_labels(tc, m, th, mt);
        char pct[GF_NUM_CELLS][24];
        text[0] = 0;
        size_t used = 0;
        used += (size_t)snprintf(text, sizeof text, "global gradient norm");
        if (ts->cfg.clip > 0) {
            used += (size_t)snprintf(text + used, sizeof text - used, S_DOT "clipped:");
            for (int c = 0; c < GF_NUM_CELLS && used < sizeof text; c++) {
                const TrainSnapCell *cc = &ts->cell[c];
                if (!cc->active) continue;
                size_t k = 0;
                for (size_t i = 0; i < cc->n; i++) k += cc->clipped[i];
                snprintf(pct[c], sizeof pct[c], "%.0f %%", cc->n ? 100.0 * (double)k / (double)cc->n : 0.0);
                used += (size_t)snprintf(text + used, sizeof text - used, " %s %s", label_cell(c), pct[c]);
            }
        }
        title_(dc, text, ui_rect(cell_r[1][0].x, cell_r[1][0].y, cell_r[1][0].w, annot_h), th->fg, 1);
        int clip_elsewhere = 0;
        if (ts->cfg.clip > 0 && n) {
            double yv = ts->cfg.clip;
            if (m->log && log10(yv) >= m->lo && log10(yv) <= m->hi) {
                snprintf(text, sizeof text, "clip threshold %s", axis_format_number(num, sizeof num, "%g", yv));
                clip_elsewhere = inline_label_(dc, tv, m, text, axis_y(m, yv), th->fg_muted, th->plot_bg);
            }
        }
        char xl[300];
        snprintf(xl, sizeof xl, "training step%s%s%s", ts->cfg.clip > 0 ? S_DOT "strips above: steps where clipping acted" : "",
                 clip_elsewhere ? S_DOT "dashed: " : "", clip_elsewhere ? text : "");
        xlabel_(dc, m, xl, th);
    }
    if (tv->gate.area.w) {
        const PlotMap *m = &tv->gate;
        lineplot_axes(r, tc, m, th, mt, ui_rect(m->area.x - lw, m->area.y, lw, m->area.h), 1);
        int lstm = ts->cell[GF_CELL_LSTM].active, gru = ts->cell[GF_CELL_GRU].active;
        snprintf(text, sizeof text, "mean gate:%s%s%s", lstm ? " LSTM forget f" S_SUB_T : "", lstm && gru ? "," : "",
                 gru ? " GRU update z" S_SUB_T : "");
        title_(dc, text, ui_rect(cell_r[1][1].x, cell_r[1][1].y, cell_r[1][1].w, annot_h), th->fg, 1);
        xlabel_(dc, m, "training step", th);
    } else {
        draw_message(dc, cell_r[1][1], "gates: show the LSTM (2) or the GRU (3)", 0);
    }
}

/* ---- the view's class: the frame is the common one, the plots lay themselves out as they paint */

static void training_layout_(void *state, DrawCtx *dc, const ViewModel *vm, UiFrame *frame)
{
    (void)state;
    view_frame(frame, dc, vm, 0, 0);
}

static void training_paint_(void *state, DrawCtx *dc, const ViewModel *vm, const UiFrame *frame)
{
    training_draw_(state, dc, vm, frame);
}

static UiRect training_hover_(const void *state, DrawCtx *dc, const ViewModel *vm)
{
    (void)state, (void)dc, (void)vm;
    return ui_rect(0, 0, 0, 0);
}

static void training_free_(void *state) { training_view_free(state); }

const ViewClass training_view = {UI_VIEW_TRAINING, NULL, training_free_, training_layout_, training_paint_,
                                 training_hover_};
