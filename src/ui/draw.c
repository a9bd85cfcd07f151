/* draw.c - the dispatcher: a frame is the view's layout, the background, the view's paint, then
 * the chrome every view shares (title and caption, busy indicator, the control panel's widgets,
 * the status line) and the window's overlays (the view's hover read-out, the help). The views
 * are registered once, in the table below. */
#include "draw.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "labels.h"

/* ================================================================ the views ================== */

/* Every view, indexed by UiView, and where its state lives in ViewState. */
typedef struct ViewEntry {
    const ViewClass *cls;
    size_t state_at; /* offsetof(ViewState, its state) */
} ViewEntry;

static const ViewEntry views[UI_NUM_VIEWS] = {
    [UI_VIEW_GRADIENTS] = {&gradients_view, offsetof(ViewState, gradients)},
    [UI_VIEW_STATES] = {&states_view, offsetof(ViewState, states)},
    [UI_VIEW_ANATOMY] = {&anatomy_view, offsetof(ViewState, anatomy)},
    [UI_VIEW_TRAINING] = {&training_view, offsetof(ViewState, training)},
};

static void *state_of_(ViewState *vs, int v) { return (char *)vs + views[v].state_at; }

const ViewClass *view_class(UiView v) { return (unsigned)v < UI_NUM_VIEWS ? views[v].cls : NULL; }

void *view_state(ViewState *vs, UiView v) { return (unsigned)v < UI_NUM_VIEWS ? state_of_(vs, v) : NULL; }

/* ================================================================ chrome ===================== */

/* The title (the configuration, shorter when it does not fit, on more lines when it still does
 * not) and a lesson's caption, wrapped as view_frame laid them out. */
static void title_paint_(ViewState *vs, const ViewModel *vm, const Theme *th, const UiMetrics *mt)
{
    (void)mt;
    TextCache *tc = &vs->dc.text;
    ViewHeading hd;
    UiRect tr = vs->frame.title, cr = vs->frame.caption;
    view_heading(&hd, &vs->dc, vm, tr.w, view_busy_width(&vs->dc, vm));
    char line[400];
    int tl = hd.ntitle > 1 ? tr.h / hd.ntitle : tr.h;
    for (int i = 0; i < hd.ntitle; i++) {
        snprintf(line, sizeof line, "%.*s", hd.tlen[i], hd.title + hd.tstart[i]);
        text_draw_in(tc, line, hd.title_px, 1, th->fg, ui_rect(tr.x, tr.y + i * tl, tr.w, tl), UI_ALIGN_LEFT);
    }
    if (!hd.caption[0] || hd.ncaption <= 0 || cr.h <= 0) return;
    int cl = cr.h / hd.ncaption;
    for (int i = 0; i < hd.ncaption; i++) {
        snprintf(line, sizeof line, "%.*s", hd.clen[i], hd.caption + hd.cstart[i]);
        text_draw_rich_in(tc, line, hd.caption_px, 0, th->accent, ui_rect(cr.x, cr.y + i * cl, cr.w, cl), UI_ALIGN_LEFT);
    }
}

/* The busy indicator: a line of dots that walks while the worker computes. */
static void busy_paint_(ViewState *vs, const ViewModel *vm, const Theme *th, const UiMetrics *mt)
{
    if (!(vm->interactive && vm->busy)) return;
    UiRect tr = vs->frame.title;
    int lh = (int)lround(mt->font_title * 1.35); /* its first line */
    if (tr.h > lh) tr.h = lh;
    int d = mt->font_small / 2 > 2 ? mt->font_small / 2 : 2;
    int x = tr.x + tr.w - 5 * 2 * d;
    for (int i = 0; i < 5; i++) {
        UiColor c = (int)(vm->busy_phase % 5) == i ? th->accent : ui_color_mix(th->accent, th->bg, 0.7);
        gfx_fill(vs->dc.ren, ui_rect(x + i * 2 * d, tr.y + tr.h / 2 - d / 2, d, d), c);
    }
    text_draw_in(&vs->dc.text, "computing" S_ELLIPSIS, mt->font_small, 0, th->accent,
                 ui_rect(tr.x, tr.y, tr.w - 11 * d, tr.h), UI_ALIGN_RIGHT);
}

/* The panel: its widgets run now against vm->set, then are drawn from their command list.
 * Returns what the user did (0 when not interactive). */
static int panel_paint_(ViewState *vs, const ViewModel *vm, const Theme *th, const UiMetrics *mt)
{
    if (!vs->panel_shown) return 0;
    TextCache *tc = &vs->dc.text;
    SDL_Renderer *r = vs->dc.ren;
    panel_layout_view(&vs->panel, vs->frame.panel, mt, vs->view);
    UiInput none;
    memset(&none, 0, sizeof none);
    none.mx = none.my = -1;
    ui_begin(&vs->ui, vm->interactive ? &vm->in : &none, th, vs->panel.font_px, vs->panel.small_px, mt->grid_w);
    int flags = panel_run(&vs->ui, &vs->panel, vm->set);
    ui_end(&vs->ui);
    for (int i = 0; i < vs->ui.ncmd; i++) {
        const UiCmd *c = &vs->ui.cmds[i];
        if (c->type == UI_CMD_RECT) gfx_fill(r, c->r, c->c);
        else if (c->type == UI_CMD_BOX) gfx_box(r, c->r, c->c, c->border);
        else /* text that does not fit its box gets smaller, down to 70 %, rather than overrun it */
            text_draw_in(tc, c->text, text_fit_px(tc, c->text, c->font_px, c->bold, c->r.w, 0.7), c->bold, c->c, c->r,
                         c->align);
    }
    return vm->interactive ? flags : 0;
}

/* The help overlay: every key and what it does, in a box over the middle of the content. */
static void help_paint_(ViewState *vs, const ViewModel *vm, const Theme *th, const UiMetrics *mt)
{
    vs->help_box = ui_rect(0, 0, 0, 0);
    if (!vm->interactive || !vm->set->help) return;
    const UiKeyHelp *k = settings_key_help();
    int n = 0;
    while (k[n].keys) n++;
    /* the text size asked, smaller where every line would not fit the window otherwise */
    int px = mt->font_body, kw = 0, ww = 0, pad = mt->pad;
    for (int tries = 0; tries < 12; tries++) {
        kw = ww = 0;
        for (int i = 0; i < n; i++) {
            int w, h;
            text_measure(&vs->dc.text, k[i].keys, px, 1, &w, &h);
            if (w > kw) kw = w;
            text_measure(&vs->dc.text, k[i].what, px, 0, &w, &h);
            if (w > ww) ww = w;
        }
        int need_h = (n + 1) * (int)lround(px * 1.4) + 2 * pad, need_w = kw + ww + 3 * pad;
        if ((need_h <= vm->h && need_w <= vm->w) || px <= 6) break;
        double f = fmin((double)vm->h / need_h, (double)vm->w / need_w);
        int np = (int)(px * fmin(f, 0.95));
        px = np < 6 ? 6 : np;
    }
    int lh = (int)lround(px * 1.4);
    UiRect c = vs->frame.content;
    UiRect box = ui_rect(0, 0, kw + ww + 3 * pad, (n + 1) * lh + 2 * pad);
    box.x = box.w <= c.w ? c.x + (c.w - box.w) / 2 : (vm->w - box.w) / 2;
    box.y = (vm->h - box.h) / 2;
    if (box.x < 0) box.x = 0;
    if (box.y < 0) box.y = 0;
    UiColor opaque = th->overlay_bg;
    opaque.a = 255;
    gfx_fill(vs->dc.ren, box, opaque);
    gfx_box(vs->dc.ren, box, th->accent, mt->grid_w * 2);
    text_draw_in(&vs->dc.text, "Keys  (H or F1 closes this)", px, 1, th->accent,
                 ui_rect(box.x + pad, box.y + pad, box.w - 2 * pad, lh), UI_ALIGN_LEFT);
    for (int i = 0; i < n; i++) {
        int y = box.y + pad + (i + 1) * lh;
        text_draw_in(&vs->dc.text, k[i].keys, px, 1, th->fg, ui_rect(box.x + pad, y, kw, lh), UI_ALIGN_LEFT);
        text_draw_in(&vs->dc.text, k[i].what, px, 0, th->fg, ui_rect(box.x + 2 * pad + kw, y, ww, lh), UI_ALIGN_LEFT);
    }
    vs->help_box = box;
}

/* The status line: a message (or the key hints) at the left, the compute times at the right. */
static void status_paint_(ViewState *vs, const ViewModel *vm, const Theme *th, const UiMetrics *mt)
{
    UiRect s = vs->frame.status;
    if (s.h <= 0) return;
    const char *msg = vm->status ? vm->status : "H: every key" S_DOT "Tab: views" S_DOT "Space: train" S_DOT "S: save PNG" S_DOT "4" S_ELLIPSIS "9: lessons";
    int mpx = text_fit_px(&vs->dc.text, msg, mt->font_small, vm->status != NULL, s.w, 0.6);
    text_draw_in(&vs->dc.text, msg, mpx, vm->status != NULL, vm->status_warn ? th->warn : th->fg_muted, s,
                 UI_ALIGN_LEFT);
    int mw, mh;
    text_measure(&vs->dc.text, msg, mpx, vm->status != NULL, &mw, &mh);
    const PlotData *pd = vm->data;
    if (pd && pd->valid) {
        char buf[128] = "computed in";
        size_t used = strlen(buf);
        for (int c = 0; c < GF_NUM_CELLS; c++)
            if (pd->cell[c].ran && used < sizeof buf)
                used += (size_t)snprintf(buf + used, sizeof buf - used, " %s %.1f ms", label_cell(c), pd->cell[c].ms);
        int bw, bh;
        text_measure(&vs->dc.text, buf, mt->font_small, 0, &bw, &bh);
        if (mw + bw + 2 * mt->gap <= s.w) /* only where it does not run into the message */
            text_draw_in(&vs->dc.text, buf, mt->font_small, 0, th->fg_muted, s, UI_ALIGN_RIGHT);
    }
}


/* ================================================================ the frame =================== */

int view_init(ViewState *vs, SDL_Renderer *ren, GfError *err)
{
    memset(vs, 0, sizeof *vs);
    for (int v = 0; v < UI_NUM_VIEWS; v++)
        if (views[v].cls->init) views[v].cls->init(state_of_(vs, v));
    return draw_ctx_init(&vs->dc, ren, err);
}

void view_free(ViewState *vs)
{
    for (int v = 0; v < UI_NUM_VIEWS; v++)
        if (views[v].cls->free) views[v].cls->free(state_of_(vs, v));
    draw_ctx_free(&vs->dc);
    memset(vs, 0, sizeof *vs);
}

/* The scale a frame is drawn at: the one asked, except below the window's smallest size (800x500
 * at 0.8: a bare X server enforces no minimum), where it follows the size down so every part
 * keeps the proportions it has there. */
static double frame_scale_(const ViewModel *vm)
{
    double fit = fmin(vm->w / 1000.0, vm->h / 625.0);
    if (fit < 0.8 && vm->scale > fit) return fit;
    /* a larger text size grows the text up to 1.5 times what the picture's size gives (the
       export's --text-scale 1.5 at any size); beyond that the title, caption and legend would
       leave the plot no room in a small window, so the text stops growing there */
    double ts = vm->set->text_scale > 0 ? vm->set->text_scale : 1.0;
    double most = fmax(vm->scale / fmax(ts, 1.0), 1.5 * fmin(vm->w / 1920.0, vm->h / 1080.0));
    return vm->scale > most ? most : vm->scale;
}

/* Under VIEW_MIN_W x VIEW_MIN_H: the background and, where the words fit, that it is too small. */
static void too_small_paint_(ViewState *vs, const ViewModel *vm)
{
    DrawCtx *dc = &vs->dc;
    memset(&vs->frame, 0, sizeof vs->frame);
    vs->panel_shown = 0;
    vs->help_box = vs->hover_box = ui_rect(0, 0, 0, 0);
    gfx_fill(dc->ren, ui_rect(0, 0, vm->w, vm->h), dc->th->bg);
    static const char *const words[] = {"too small: make the window larger", "too small"};
    for (int i = 0; i < 2; i++) {
        int px = text_fit_px(&dc->text, words[i], dc->metrics.font_body, 0, vm->w - 4, 0.6), w, h;
        text_measure(&dc->text, words[i], px, 0, &w, &h);
        if (w <= vm->w - 4 && h <= vm->h) {
            text_draw_in(&dc->text, words[i], px, 0, dc->th->fg_muted, ui_rect(0, 0, vm->w, vm->h),
                         UI_ALIGN_CENTER);
            break;
        }
    }
}

int view_draw(ViewState *vs, const ViewModel *vm)
{
    DrawCtx *dc = &vs->dc;
    vs->view = (unsigned)vm->set->view < UI_NUM_VIEWS ? vm->set->view : UI_VIEW_GRADIENTS;
    vs->too_small = vm->w < VIEW_MIN_W || vm->h < VIEW_MIN_H;
    if (vs->too_small) {
        draw_ctx_begin(dc, vm->set->theme, 0.6); /* the words at a size that reads */
        too_small_paint_(vs, vm);
        return 0;
    }
    draw_ctx_begin(dc, vm->set->theme, frame_scale_(vm));
    const Theme *th = dc->th;
    const UiMetrics *mt = &dc->metrics;
    vs->panel_shown = view_panel_shown(vm);
    const ViewClass *cls = views[vs->view].cls;
    void *state = state_of_(vs, vs->view);

    cls->layout(state, dc, vm, &vs->frame);
    gfx_fill(dc->ren, ui_rect(0, 0, vm->w, vm->h), th->bg);
    cls->paint(state, dc, vm, &vs->frame);
    title_paint_(vs, vm, th, mt);
    busy_paint_(vs, vm, th, mt);
    int flags = panel_paint_(vs, vm, th, mt);

    vs->hover_box = ui_rect(0, 0, 0, 0);
    if (vm->interactive) {
        status_paint_(vs, vm, th, mt);
        vs->hover_box = cls->hover(state, dc, vm);
        help_paint_(vs, vm, th, mt);
    }
    return flags;
}
