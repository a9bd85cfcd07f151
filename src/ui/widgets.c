/* widgets.c - hover / press / drag logic of the immediate-mode widgets and their draw commands. */
#include "widgets.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

void ui_begin(UiCtx *ctx, const UiInput *in, const Theme *th, int font_px, int small_px, int border)
{
    ctx->in = *in;
    ctx->th = th;
    ctx->font_px = font_px;
    ctx->small_px = small_px;
    ctx->border = border < 1 ? 1 : border;
    ctx->ncmd = 0;
    ctx->hot = 0;
}

void ui_end(UiCtx *ctx)
{
    if (ctx->in.released || !ctx->in.down) ctx->active = 0;
}

static UiCmd *cmd_push_(UiCtx *ctx, UiCmdType type, UiRect r, UiColor c)
{
    if (ctx->ncmd >= UI_MAX_CMDS) return NULL;
    UiCmd *cmd = &ctx->cmds[ctx->ncmd++];
    memset(cmd, 0, sizeof *cmd);
    cmd->type = type;
    cmd->r = r;
    cmd->c = c;
    return cmd;
}

void ui_cmd_rect(UiCtx *ctx, UiRect r, UiColor c) { cmd_push_(ctx, UI_CMD_RECT, r, c); }

void ui_cmd_box(UiCtx *ctx, UiRect r, UiColor c, int border)
{
    UiCmd *cmd = cmd_push_(ctx, UI_CMD_BOX, r, c);
    if (cmd) cmd->border = border;
}

void ui_cmd_text(UiCtx *ctx, UiRect r, const char *text, UiColor c, int font_px, int bold, UiAlign al)
{
    UiCmd *cmd = cmd_push_(ctx, UI_CMD_TEXT, r, c);
    if (!cmd) return;
    cmd->font_px = font_px;
    cmd->bold = bold;
    cmd->align = al;
    snprintf(cmd->text, sizeof cmd->text, "%s", text);
}

/* Hover and press bookkeeping shared by every widget: returns 1 if the mouse is over r. A press on
 * r makes the widget active; while a widget is active no other one becomes hot. */
static int track_(UiCtx *ctx, int id, UiRect r)
{
    int over = ui_rect_contains(r, ctx->in.mx, ctx->in.my);
    if (over && (ctx->active == 0 || ctx->active == id)) ctx->hot = id;
    if (over && ctx->in.pressed && ctx->active == 0) ctx->active = id;
    return over;
}

/* Clicked: the button went up over the widget that took the press. */
static int clicked_(const UiCtx *ctx, int id, int over)
{
    return ctx->active == id && ctx->in.released && over;
}

static void frame_(UiCtx *ctx, int id, UiRect r)
{
    const Theme *th = ctx->th;
    ui_cmd_rect(ctx, r, ctx->hot == id || ctx->active == id ? th->widget_hot : th->widget_bg);
    ui_cmd_box(ctx, r, th->widget_border, ctx->border);
}

/* ------------------------------------------------------------------ sliders ------------------- */

static double frac_at_(UiRect r, int mx)
{
    /* the first pixel column is lo, the last one hi */
    double f = (double)(mx - r.x) / (r.w > 1 ? r.w - 1 : 1);
    return f < 0 ? 0 : f > 1 ? 1 : f;
}

double widget_slider_value(UiRect r, int mx, double lo, double hi, double step)
{
    double v = lo + frac_at_(r, mx) * (hi - lo);
    if (step > 0) v = lo + round((v - lo) / step) * step;
    return v < lo ? lo : v > hi ? hi : v;
}

int widget_slider_log_value(UiRect r, int mx, int lo, int hi)
{
    /* v = exp(ln lo + f (ln hi - ln lo)) */
    double v = exp(log((double)lo) + frac_at_(r, mx) * (log((double)hi) - log((double)lo)));
    long iv = lround(v);
    return (int)(iv < lo ? lo : iv > hi ? hi : iv);
}

int widget_slider_pos(UiRect r, double v, double lo, double hi)
{
    double f = hi > lo ? (v - lo) / (hi - lo) : 0;
    f = f < 0 ? 0 : f > 1 ? 1 : f;
    return r.x + (int)lround(f * (r.w - 1));
}

/* v rounded to the log slider's grid: 0.01 below 10, 0.1 above. */
static double log0_round_(double v) { return v < 10 ? round(v * 100) / 100 : round(v * 10) / 10; }

double widget_slider_log0_value(UiRect r, int mx, double lo, double hi)
{
    if (mx <= r.x) return 0; /* the first column */
    /* v = lo (hi / lo)^f over the rest of the track */
    double f = (double)(mx - r.x - 1) / (r.w > 2 ? r.w - 2 : 1);
    f = f < 0 ? 0 : f > 1 ? 1 : f;
    double v = log0_round_(lo * pow(hi / lo, f));
    return v > hi ? hi : v;
}

int widget_slider_log0_pos(UiRect r, double v, double lo, double hi)
{
    if (!(v > 0)) return r.x;
    double f = log(v / lo) / log(hi / lo);
    f = f < 0 ? 0 : f > 1 ? 1 : f;
    return r.x + 1 + (int)lround(f * (r.w > 2 ? r.w - 2 : 1));
}

static void slider_draw_(UiCtx *ctx, int id, UiRect r, double frac, const char *text)
{
    const Theme *th = ctx->th;
    frame_(ctx, id, r);
    int b = ctx->border;
    int fill = (int)lround(frac * (r.w - 2 * b));
    UiColor acc = ui_color_mix(th->accent, th->widget_bg, 0.72);
    ui_cmd_rect(ctx, ui_rect(r.x + b, r.y + b, fill, r.h - 2 * b), acc);
    int kw = r.h / 3 > b * 3 + 1 ? r.h / 3 : b * 3 + 1; /* the knob: a bar at the value */
    int kx = r.x + b + fill - kw / 2;
    if (kx < r.x + b) kx = r.x + b; /* the knob stays inside the track */
    if (kx > r.x + r.w - b - kw) kx = r.x + r.w - b - kw;
    ui_cmd_rect(ctx, ui_rect(kx, r.y + b, kw, r.h - 2 * b), th->accent);
    if (text) ui_cmd_text(ctx, r, text, th->fg, ctx->small_px, 1, UI_ALIGN_CENTER);
}

int widget_slider(UiCtx *ctx, int id, UiRect r, double *v, double lo, double hi, double step,
                  const char *value_fmt)
{
    int over = track_(ctx, id, r);
    double old = *v;
    if (ctx->active == id && (ctx->in.down || ctx->in.pressed))
        *v = widget_slider_value(r, ctx->in.mx, lo, hi, step);
    else if (over && ctx->in.wheel && ctx->active == 0) {
        double base = isnan(*v) ? 0 : *v;
        double nv = base + ctx->in.wheel * step;
        *v = nv < lo ? lo : nv > hi ? hi : nv;
    }
    char text[64];
    if (isnan(*v))
        snprintf(text, sizeof text, "as initialised");
    else if (value_fmt)
        snprintf(text, sizeof text, value_fmt, *v);
    double shown = isnan(*v) ? lo : *v;
    slider_draw_(ctx, id, r, hi > lo ? (fmin(fmax(shown, lo), hi) - lo) / (hi - lo) : 0,
                 value_fmt ? text : NULL);
    return !(old == *v || (isnan(old) && isnan(*v)));
}

int widget_slider_log(UiCtx *ctx, int id, UiRect r, int *v, int lo, int hi, const char *value_fmt)
{
    int over = track_(ctx, id, r);
    int old = *v;
    if (ctx->active == id && (ctx->in.down || ctx->in.pressed))
        *v = widget_slider_log_value(r, ctx->in.mx, lo, hi);
    else if (over && ctx->in.wheel && ctx->active == 0) {
        /* one wheel step = a factor of 2^(1/4) */
        double nv = *v * pow(2.0, ctx->in.wheel / 4.0);
        long iv = lround(nv);
        if (iv == *v) iv += ctx->in.wheel > 0 ? 1 : -1;
        *v = (int)(iv < lo ? lo : iv > hi ? hi : iv);
    }
    char text[64] = "";
    if (value_fmt) snprintf(text, sizeof text, value_fmt, *v);
    double clamped = *v < lo ? lo : *v > hi ? hi : *v;
    double frac = (log(clamped) - log((double)lo)) / (log((double)hi) - log((double)lo));
    slider_draw_(ctx, id, r, frac, value_fmt ? text : NULL);
    return *v != old;
}

int widget_slider_log0(UiCtx *ctx, int id, UiRect r, double *v, double lo, double hi)
{
    int over = track_(ctx, id, r);
    double old = *v;
    if (ctx->active == id && (ctx->in.down || ctx->in.pressed))
        *v = widget_slider_log0_value(r, ctx->in.mx, lo, hi);
    else if (over && ctx->in.wheel && ctx->active == 0) {
        double base = *v > lo ? *v : lo;
        double nv = log0_round_(base * pow(2.0, ctx->in.wheel / 8.0));
        *v = nv > hi ? hi : nv;
    }
    double frac = r.w > 1 ? (double)(widget_slider_log0_pos(r, *v, lo, hi) - r.x) / (r.w - 1) : 0;
    slider_draw_(ctx, id, r, frac, NULL);
    return old != *v;
}

/* ------------------------------------------------------------------ toggles, choices, buttons - */

int widget_toggle(UiCtx *ctx, int id, UiRect r, int *v, const char *label, UiColor swatch)
{
    const Theme *th = ctx->th;
    int over = track_(ctx, id, r);
    int changed = 0;
    if (clicked_(ctx, id, over)) {
        *v = !*v;
        changed = 1;
    }
    if (ctx->hot == id) ui_cmd_rect(ctx, r, th->widget_hot);
    int bs = r.h * 3 / 5; /* the check box */
    UiRect box = ui_rect(r.x + r.h / 5, r.y + (r.h - bs) / 2, bs, bs);
    ui_cmd_rect(ctx, box, th->widget_bg);
    ui_cmd_box(ctx, box, th->widget_border, ctx->border);
    if (*v) {
        int in = bs / 4;
        UiColor mark = swatch.a ? swatch : th->accent;
        ui_cmd_rect(ctx, ui_rect(box.x + in, box.y + in, bs - 2 * in, bs - 2 * in), mark);
    }
    int tx = box.x + bs + r.h / 4;
    if (swatch.a) { /* a short thick line in the curve's colour, like the legend */
        int sw = r.h * 2 / 3;
        int lh = r.h / 8 > 2 ? r.h / 8 : 2;
        ui_cmd_rect(ctx, ui_rect(tx, r.y + (r.h - lh) / 2, sw, lh), swatch);
        tx += sw + r.h / 5;
    }
    ui_cmd_text(ctx, ui_rect(tx, r.y, r.x + r.w - tx, r.h), label, th->fg, ctx->font_px, 0,
                UI_ALIGN_LEFT);
    return changed;
}

int widget_segments(UiCtx *ctx, int id, UiRect r, int *v, int n, const char *const *names)
{
    const Theme *th = ctx->th;
    if (n < 1) return 0;
    int over = track_(ctx, id, r);
    int changed = 0;
    if (clicked_(ctx, id, over)) {
        int k = (int)((long)(ctx->in.mx - r.x) * n / (r.w > 0 ? r.w : 1));
        k = k < 0 ? 0 : k >= n ? n - 1 : k;
        if (k != *v) {
            *v = k;
            changed = 1;
        }
    }
    for (int k = 0; k < n; k++) {
        int x0 = r.x + (int)((long)r.w * k / n), x1 = r.x + (int)((long)r.w * (k + 1) / n);
        UiRect s = ui_rect(x0, r.y, x1 - x0, r.h);
        int sel = k == *v;
        int hov = ctx->hot == id && ui_rect_contains(s, ctx->in.mx, ctx->in.my);
        ui_cmd_rect(ctx, s, sel ? th->accent : hov ? th->widget_hot : th->widget_bg);
        ui_cmd_box(ctx, s, th->widget_border, ctx->border);
        ui_cmd_text(ctx, s, names[k], sel ? th->bg : th->fg, ctx->small_px, sel, UI_ALIGN_CENTER);
    }
    return changed;
}

int widget_button(UiCtx *ctx, int id, UiRect r, const char *label)
{
    int over = track_(ctx, id, r);
    int c = clicked_(ctx, id, over);
    frame_(ctx, id, r);
    ui_cmd_text(ctx, r, label, ctx->th->fg, ctx->small_px, 0, UI_ALIGN_CENTER);
    return c;
}
