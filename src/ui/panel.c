/* panel.c - layout of the control panel and the binding of its widgets to UiSettings. */
#include "panel.h"

#include <math.h>
#include <stdio.h>

#include "labels.h"

/* The panel as a column of lines: a label line (text + key) or a line of widgets in equal parts. */
typedef struct Line {
    double h;              /* height in rows */
    int n;                 /* widgets on the line (0: a label line) */
    int ids[3];            /* their ids */
    const char *text[2];   /* label line: up to two labels side by side */
    const char *key[2];
    double gap_after;      /* space below, in rows */
    int value_of;          /* label line: the slider whose value it prints after the text */
} Line;

/* Second labels on a line that print a value too. */
static const char TRAIN_LR_LABEL[] = "learning rate", TRAIN_CLIP_LABEL[] = "clip";
static int value_of_second_(const char *text)
{
    return text == TRAIN_LR_LABEL ? PANEL_TRAIN_LR : text == TRAIN_CLIP_LABEL ? PANEL_TRAIN_CLIP : 0;
}

/* U+2190 leftwards arrow, U+2192 rightwards, U+2191 upwards, U+2193 downwards */
static const Line lines[] = {
    {0.8, 0, {0}, {"view", NULL}, {"Tab", NULL}, 0, 0},
    {1, 1, {PANEL_VIEW}, {0}, {0}, 0.3, 0},
    {0.8, 0, {0}, {"inside the cell (states, anatomy)", NULL}, {"C", NULL}, 0, 0},
    {1, 1, {PANEL_INSIDE}, {0}, {0}, 0.3, 0},
    {0.8, 0, {0}, {"weight scale", NULL}, {"\xE2\x86\x90 \xE2\x86\x92", NULL}, 0, PANEL_SCALE},
    {1, 1, {PANEL_SCALE}, {0}, {0}, 0.3, 0},
    {0.8, 0, {0}, {"sequence length T", NULL}, {"\xE2\x86\x91 \xE2\x86\x93", NULL}, 0, PANEL_SEQ},
    {1, 1, {PANEL_SEQ}, {0}, {0}, 0.3, 0},
    {0.8, 0, {0}, {"hidden size H", NULL}, {"[ ]", NULL}, 0, PANEL_HIDDEN},
    {1, 1, {PANEL_HIDDEN}, {0}, {0}, 0.3, 0},
    /* one line each: 1 ... 8 layers (the command line's range) and "all", 0 ... 7 keep room */
    {0.8, 0, {0}, {"layers", NULL}, {"L / Shift+L", NULL}, 0, 0},
    {1, 1, {PANEL_LAYERS}, {0}, {0}, 0.3, 0},
    {0.8, 0, {0}, {"layer drawn", NULL}, {"D", NULL}, 0, 0},
    {1, 1, {PANEL_LAYER_SHOWN}, {0}, {0}, 0.3, 0},
    {0.8, 0, {0}, {"initialisation", NULL}, {"I", NULL}, 0, 0},
    {1, 1, {PANEL_INIT}, {0}, {0}, 0.3, 0},
    {0.8, 0, {0}, {"LSTM forget bias", NULL}, {"B", NULL}, 0, PANEL_FBIAS},
    {1, 1, {PANEL_FBIAS}, {0}, {0}, 0.3, 0},
    {0.8, 0, {0}, {"RNN nonlinearity", "task"}, {"N", "A"}, 0, 0},
    {1, 2, {PANEL_NONLIN, PANEL_TASK}, {0}, {0}, 0.3, 0},
    {0.8, 0, {0}, {"cells shown", NULL}, {"1 2 3", NULL}, 0, 0},
    {1, 3, {PANEL_RNN, PANEL_LSTM, PANEL_GRU}, {0}, {0}, 0.1, 0},
    {1, 2, {PANEL_LOGY, PANEL_THEORY}, {0}, {0}, 0.3, 0},
    {1, 3, {PANEL_SEED, PANEL_THEME, PANEL_HELP}, {0}, {0}, 0.2, 0},
    {1, 1, {PANEL_SAVE}, {0}, {0}, 0.3, 0},
    {0.8, 0, {0}, {"lessons", NULL}, {"4 \xE2\x80\xA6 9", NULL}, 0, 0},
    {1, 2, {PANEL_PRESET0, PANEL_PRESET0 + 1}, {0}, {0}, 0.12, 0},
    {1, 2, {PANEL_PRESET0 + 2, PANEL_PRESET0 + 3}, {0}, {0}, 0.12, 0},
    {1, 2, {PANEL_PRESET0 + 4, PANEL_PRESET0 + 5}, {0}, {0}, 0, 0},
};
#define NLINES ((int)(sizeof lines / sizeof *lines))

/* The training view's panel: the lines above but those of the other views (the cell looked
 * inside, the layer drawn, the lessons: their keys still work), then the training block. */
static const Line train_lines[] = {
    {0.8, 0, {0}, {"training", NULL}, {"Space  .  Backspace", NULL}, 0, 0},
    {1, 3, {PANEL_TRAIN_RUN, PANEL_TRAIN_STEP, PANEL_TRAIN_REWIND}, {0}, {0}, 0.3, 0},
    {0.8, 0, {0}, {"optimizer", TRAIN_LR_LABEL}, {"M", "E"}, 0, 0},
    {1, 2, {PANEL_TRAIN_OPT, PANEL_TRAIN_LR}, {0}, {0}, 0.3, 0},
    {0.8, 0, {0}, {"batch", TRAIN_CLIP_LABEL}, {"K", "X"}, 0, PANEL_TRAIN_BATCH},
    {1, 2, {PANEL_TRAIN_BATCH, PANEL_TRAIN_CLIP}, {0}, {0}, 0, 0},
};
#define NTRAIN ((int)(sizeof train_lines / sizeof *train_lines))

/* A line the training view leaves out: a widget line of another view's, or the label line over one. */
static int other_view_line_(int i)
{
    const Line *ln = &lines[i];
    if (ln->n == 0) return i + 1 < NLINES && other_view_line_(i + 1);
    int id = ln->ids[0];
    return id == PANEL_INSIDE || id == PANEL_LAYER_SHOWN || (id >= PANEL_PRESET0 && id < PANEL_PRESET0 + UI_NUM_PRESETS);
}

/* The k-th line of view's panel into *out: 1, or 0 past the last. */
static int line_at_(UiView view, int k, Line *out)
{
    if (view != UI_VIEW_TRAINING) {
        if (k >= NLINES) return 0;
        *out = lines[k];
        return 1;
    }
    for (int i = 0; i < NLINES; i++) {
        if (other_view_line_(i)) continue;
        if (k-- == 0) {
            *out = lines[i];
            return 1;
        }
    }
    if (k >= NTRAIN) return 0;
    *out = train_lines[k];
    return 1;
}

void panel_layout(PanelLayout *pl, UiRect p, const UiMetrics *m) { panel_layout_view(pl, p, m, UI_VIEW_GRADIENTS); }

void panel_layout_view(PanelLayout *pl, UiRect p, const UiMetrics *m, UiView view)
{
    pl->panel = p;
    for (int i = 0; i < PANEL_NUM_IDS; i++) pl->widget[i] = ui_rect(0, 0, 0, 0);
    double rows = 0;
    Line line;
    for (int i = 0; line_at_(view, i, &line); i++) rows += line.h + line.gap_after;
    int pad = m->pad * 3 / 4;
    double avail = p.h - 2 * pad;
    double row = m->row_h;
    pl->fit = 1;
    if (rows * row > avail) {
        pl->fit = avail / (rows * row);
        row *= pl->fit;
    }
    pl->font_px = (int)lround(m->font_small * (pl->fit < 1 ? pl->fit : 1) * 1.06);
    pl->small_px = (int)lround(m->font_small * (pl->fit < 1 ? pl->fit : 1) * 0.94);
    int x0 = p.x + pad, w = p.w - 2 * pad;
    int gx = (int)lround(row * 0.25); /* between widgets on one line */
    double y = p.y + pad;
    pl->nlabels = 0;
    for (int i = 0; line_at_(view, i, &line); i++) {
        const Line *ln = &line;
        int y0 = (int)lround(y), y1 = (int)lround(y + ln->h * row);
        int hh = y1 - y0 - (ln->n ? (int)lround(row * 0.1) : 0);
        if (ln->n == 0) {
            int parts = ln->text[1] ? 2 : 1;
            for (int k = 0; k < parts && pl->nlabels < PANEL_MAX_LABELS; k++) {
                int a = x0 + (int)((long)(w + gx) * k / parts), b = x0 + (int)((long)(w + gx) * (k + 1) / parts) - gx;
                pl->label[pl->nlabels] = ui_rect(a, y0, b - a, hh);
                pl->label_text[pl->nlabels] = ln->text[k];
                pl->label_key[pl->nlabels] = ln->key[k];
                pl->label_value[pl->nlabels] = k == 0 ? ln->value_of : value_of_second_(ln->text[k]);
                pl->nlabels++;
            }
        } else {
            for (int k = 0; k < ln->n; k++) {
                int a = x0 + (int)((long)(w + gx) * k / ln->n);
                int b = x0 + (int)((long)(w + gx) * (k + 1) / ln->n) - gx;
                pl->widget[ln->ids[k]] = ui_rect(a, y0, b - a, hh);
            }
        }
        y += (ln->h + ln->gap_after) * row;
    }
}

int panel_key_width(const char *key, int px)
{
    int glyphs = 0;
    for (const unsigned char *p = (const unsigned char *)key; *p; p++) glyphs += (*p & 0xC0) != 0x80; /* code points */
    /* DejaVu Sans averages about 0.62 em a glyph; half an em of space before the hint */
    return (int)lround(glyphs * px * 0.62) + px / 2;
}

static unsigned cell_bit_(int id) { return 1u << (id - PANEL_RNN); }

/* The training block: train / pause, one step, rewind, optimizer, learning rate, batch, clip. */
static int panel_run_training_(UiCtx *ctx, const PanelLayout *pl, UiSettings *s)
{
    int f = 0;
    if (pl->widget[PANEL_TRAIN_RUN].w <= 0) return 0; /* not in this view's panel */
    if (widget_button(ctx, PANEL_TRAIN_RUN, pl->widget[PANEL_TRAIN_RUN], s->train_on ? "pause  (Space)" : "train  (Space)")) {
        s->train_on = !s->train_on;
        f |= UI_CHANGED_TRAIN | UI_CHANGED_VIEW;
    }
    if (s->train_on) ui_cmd_box(ctx, pl->widget[PANEL_TRAIN_RUN], ctx->th->accent, ctx->border * 2);
    if (widget_button(ctx, PANEL_TRAIN_STEP, pl->widget[PANEL_TRAIN_STEP], "step  (.)")) {
        s->train_on = 0;
        f |= UI_ACT_TRAIN_STEP | UI_CHANGED_TRAIN;
    }
    if (widget_button(ctx, PANEL_TRAIN_REWIND, pl->widget[PANEL_TRAIN_REWIND], "rewind")) {
        s->train_on = 0;
        f |= UI_ACT_TRAIN_REWIND | UI_CHANGED_TRAIN;
    }
    static const char *const opt_names[GF_NUM_OPTIMIZERS] = {"sgd", "rmsprop", "adam"};
    int ok = (int)s->train_opt;
    if (widget_segments(ctx, PANEL_TRAIN_OPT, pl->widget[PANEL_TRAIN_OPT], &ok, GF_NUM_OPTIMIZERS, opt_names)) {
        s->train_opt = (GfOptimizer)ok;
        f |= UI_CHANGED_TRAIN | UI_CHANGED_VIEW;
    }
    double li = settings_lr_index(s->train_lr);
    if (widget_slider(ctx, PANEL_TRAIN_LR, pl->widget[PANEL_TRAIN_LR], &li, 0, UI_LR_RUNGS - 1, 1, NULL)) {
        s->train_lr = settings_lr_at((int)lround(li));
        f |= UI_CHANGED_TRAIN | UI_CHANGED_VIEW;
    }
    if (widget_slider_log(ctx, PANEL_TRAIN_BATCH, pl->widget[PANEL_TRAIN_BATCH], &s->train_batch, 1,
                          UI_TRAIN_BATCH_MAX, NULL))
        f |= UI_CHANGED_TRAIN | UI_CHANGED_VIEW;
    double ci = settings_clip_index(s->train_clip);
    if (widget_slider(ctx, PANEL_TRAIN_CLIP, pl->widget[PANEL_TRAIN_CLIP], &ci, 0, UI_CLIP_RUNGS - 1, 1, NULL)) {
        s->train_clip = settings_clip_at((int)lround(ci));
        f |= UI_CHANGED_TRAIN | UI_CHANGED_VIEW;
    }
    return f;
}

int panel_run(UiCtx *ctx, const PanelLayout *pl, UiSettings *s)
{
    const Theme *th = ctx->th;
    SimConfig *c = &s->sim;
    int sim = 0, view = 0, act = 0;
    ui_cmd_rect(ctx, pl->panel, th->panel_bg);
    ui_cmd_rect(ctx, ui_rect(pl->panel.x, pl->panel.y, ctx->border, pl->panel.h), th->widget_border);
    sim |= widget_slider_log0(ctx, PANEL_SCALE, pl->widget[PANEL_SCALE], &c->weight_scale, UI_SCALE_LOG_LO,
                              UI_SCALE_MAX);
    sim |= widget_slider_log(ctx, PANEL_SEQ, pl->widget[PANEL_SEQ], &c->seq_len, UI_SEQ_MIN,
                             UI_SEQ_MAX, NULL);
    sim |= widget_slider_log(ctx, PANEL_HIDDEN, pl->widget[PANEL_HIDDEN], &c->hidden, UI_HIDDEN_MIN,
                             UI_HIDDEN_MAX, NULL);
    sim |= widget_slider(ctx, PANEL_FBIAS, pl->widget[PANEL_FBIAS], &c->forget_bias, UI_FBIAS_MIN,
                         UI_FBIAS_MAX, 0.1, NULL);
    int train = panel_run_training_(ctx, pl, s);
    /* labels after the sliders ran, so they print the values just set */
    for (int i = 0; i < pl->nlabels; i++) {
        char text[96];
        switch (pl->label_value[i]) {
        case PANEL_SCALE: snprintf(text, sizeof text, "%s  %.2f", pl->label_text[i], c->weight_scale); break;
        case PANEL_SEQ: snprintf(text, sizeof text, "%s = %d", pl->label_text[i], c->seq_len); break;
        case PANEL_HIDDEN: snprintf(text, sizeof text, "%s = %d", pl->label_text[i], c->hidden); break;
        case PANEL_FBIAS:
            if (isnan(c->forget_bias)) snprintf(text, sizeof text, "%s: as initialised", pl->label_text[i]);
            else snprintf(text, sizeof text, "%s  %.1f", pl->label_text[i], c->forget_bias);
            break;
        case PANEL_TRAIN_LR: snprintf(text, sizeof text, "%s %g", pl->label_text[i], s->train_lr); break;
        case PANEL_TRAIN_BATCH: snprintf(text, sizeof text, "%s %d", pl->label_text[i], s->train_batch); break;
        case PANEL_TRAIN_CLIP:
            if (s->train_clip > 0) snprintf(text, sizeof text, "%s %g", pl->label_text[i], s->train_clip);
            else snprintf(text, sizeof text, "%s off", pl->label_text[i]);
            break;
        default: snprintf(text, sizeof text, "%s", pl->label_text[i]); break;
        }
        /* the label keeps clear of its key hint: its box ends where the hint begins (the drawing
           fits text into its box) */
        UiRect lr = pl->label[i];
        if (pl->label_key[i]) lr.w -= panel_key_width(pl->label_key[i], pl->small_px);
        ui_cmd_text(ctx, lr, text, th->fg, pl->font_px, 1, UI_ALIGN_LEFT);
        if (pl->label_key[i])
            ui_cmd_text(ctx, pl->label[i], pl->label_key[i], th->fg_muted, pl->small_px, 0,
                        UI_ALIGN_RIGHT);
    }


    static const char *const view_names[] = {"gradients", "states", "anatomy", "training"};
    int vk = (int)s->view;
    if (widget_segments(ctx, PANEL_VIEW, pl->widget[PANEL_VIEW], &vk, UI_NUM_VIEWS, view_names)) {
        s->view = (UiView)vk;
        view = 1;
    }
    int ck = settings_inside_shown(s); /* the cell the views show, not one a lesson left out */
    if (pl->widget[PANEL_INSIDE].w > 0 && widget_segments(ctx, PANEL_INSIDE, pl->widget[PANEL_INSIDE], &ck, GF_NUM_CELLS, label_cell_names())) {
        int f = settings_set_inside(s, ck);
        sim |= (f & UI_CHANGED_SIM) != 0;
        view = 1;
    }

    static const char *const layer_names[UI_LAYERS_MAX] = {"1", "2", "3", "4", "5", "6", "7", "8"};
    int lk = c->layers - 1;
    if (lk > UI_LAYERS_MAX - 1) lk = UI_LAYERS_MAX - 1;
    if (widget_segments(ctx, PANEL_LAYERS, pl->widget[PANEL_LAYERS], &lk, UI_LAYERS_MAX, layer_names)) {
        c->layers = lk + 1;
        if (s->layer_shown >= c->layers) s->layer_shown = -1;
        sim = 1;
    }
    static const char *const shown_names[] = {"all", "0", "1", "2", "3", "4", "5", "6", "7"};
    int nshown = c->layers + 1 <= GF_LAYERS_MAX + 1 ? c->layers + 1 : GF_LAYERS_MAX + 1;
    int sk = s->layer_shown + 1;
    if (pl->widget[PANEL_LAYER_SHOWN].w > 0 && widget_segments(ctx, PANEL_LAYER_SHOWN, pl->widget[PANEL_LAYER_SHOWN], &sk, nshown, shown_names)) {
        s->layer_shown = sk - 1;
        view = 1;
    }
    static const char *const init_names[] = {"pytorch", "orthogonal", "identity"};
    int ik = (int)c->init;
    if (widget_segments(ctx, PANEL_INIT, pl->widget[PANEL_INIT], &ik, 3, init_names)) {
        c->init = (GfInit)ik;
        sim = 1;
    }
    static const char *const nonlin_names[] = {"tanh", "relu"};
    int nk = (int)c->nonlinearity;
    if (widget_segments(ctx, PANEL_NONLIN, pl->widget[PANEL_NONLIN], &nk, 2, nonlin_names)) {
        c->nonlinearity = (GfNonlin)nk;
        sim = 1;
    }
    static const char *const task_names[] = {"adding", "recall"};
    int tk = (int)c->task;
    if (widget_segments(ctx, PANEL_TASK, pl->widget[PANEL_TASK], &tk, 2, task_names)) {
        c->task = (GfTask)tk;
        sim = 1;
    }

    for (int id = PANEL_RNN; id <= PANEL_GRU; id++) {
        int on = (c->cells & cell_bit_(id)) != 0;
        if (widget_toggle(ctx, id, pl->widget[id], &on, label_cell(id - PANEL_RNN),
                          th->cell[id - PANEL_RNN])) {
            c->cells ^= cell_bit_(id);
            sim = view = 1;
        }
    }
    UiColor none = {0, 0, 0, 0};
    view |= widget_toggle(ctx, PANEL_LOGY, pl->widget[PANEL_LOGY], &s->log_y, "log y  (Y)", none);
    view |= widget_toggle(ctx, PANEL_THEORY, pl->widget[PANEL_THEORY], &s->theory, "theory  (O)", none);

    char seed[48];
    snprintf(seed, sizeof seed, "seed %llu  (R)", (unsigned long long)c->seed);
    if (widget_button(ctx, PANEL_SEED, pl->widget[PANEL_SEED], seed)) {
        c->seed += 1;
        sim = 1;
    }
    if (widget_button(ctx, PANEL_THEME, pl->widget[PANEL_THEME], "theme  (T)")) {
        s->theme = s->theme == UI_THEME_LIGHT ? UI_THEME_DARK : UI_THEME_LIGHT;
        view = 1;
    }
    if (widget_button(ctx, PANEL_HELP, pl->widget[PANEL_HELP], "keys  (H)")) {
        s->help = !s->help;
        view = 1;
    }
    if (widget_button(ctx, PANEL_SAVE, pl->widget[PANEL_SAVE], "save PNG  (S, Shift+S: 2x)"))
        act |= UI_ACT_SAVE;

    int preset_flags = 0;
    for (int i = 0; i < UI_NUM_PRESETS; i++) {
        UiPreset p;
        if (!settings_preset(i, &p)) continue;
        char label[48];
        snprintf(label, sizeof label, "%d  %s", 4 + i, p.name);
        UiRect r = pl->widget[PANEL_PRESET0 + i];
        if (r.w <= 0) continue; /* not in this view's panel */
        if (widget_button(ctx, PANEL_PRESET0 + i, r, label)) preset_flags = settings_apply_preset(s, i);
        if (s->preset == i) ui_cmd_box(ctx, r, th->accent, ctx->border * 2);
    }

    int flags = act | train | (sim ? UI_CHANGED_SIM : 0) | (view ? UI_CHANGED_VIEW : 0);
    if (sim) s->preset = -1;
    return flags | preset_flags;
}
