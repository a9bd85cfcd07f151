/* settings.c - window defaults, key bindings, presets, ladders and the title line. */
#include "settings.h"

#include "lessons.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

void settings_init(UiSettings *s, const SimConfig *start, UiTheme theme)
{
    memset(s, 0, sizeof *s);
    s->sim = *start;
    s->view = UI_VIEW_GRADIENTS;
    s->inside_cell = settings_default_inside(start->cells);
    s->layer_shown = -1;
    s->log_y = 1;
    s->theory = 1;
    s->strips = 1;
    s->theme = theme;
    s->text_scale = 1.0;
    s->panel = 1;
    s->preset = -1;
    s->train_opt = GF_OPT_ADAM;
    s->train_lr = UI_TRAIN_LR;
    s->train_batch = UI_TRAIN_BATCH;
    s->train_clip = UI_TRAIN_CLIP;
}

void settings_apply_look(UiSettings *s, const UiOptions *opt)
{
    s->text_scale = opt->text_scale > 0 ? opt->text_scale : 1.0;
    s->log_y = !opt->linear;
    s->theory = !opt->no_theory;
}

const char *settings_view_name(UiView v) { return cli_view_name(v); }

int settings_default_inside(unsigned cells)
{
    if (cells & (1u << GF_CELL_LSTM)) return GF_CELL_LSTM;
    if (cells & (1u << GF_CELL_GRU)) return GF_CELL_GRU;
    return GF_CELL_RNN;
}

int settings_set_inside(UiSettings *s, int c)
{
    if (c < 0 || c >= GF_NUM_CELLS) return 0;
    int r = c != s->inside_cell ? UI_CHANGED_VIEW : 0;
    s->inside_cell = c;
    if (!(s->sim.cells & (1u << c))) {
        s->sim.cells |= 1u << c; /* it has to be computed to be looked inside */
        r |= UI_CHANGED_SIM | UI_CHANGED_VIEW;
    }
    return r;
}

int settings_inside_shown(const UiSettings *s)
{
    if (s->inside_cell >= 0 && s->inside_cell < GF_NUM_CELLS && (s->sim.cells & (1u << s->inside_cell)))
        return s->inside_cell;
    if (!(s->sim.cells & GF_CELLS_ALL)) return s->inside_cell; /* nothing shown: the choice stands */
    return settings_default_inside(s->sim.cells); /* LSTM, GRU, RNN: as states_pick_cell falls back */
}

unsigned settings_export_cells(unsigned cells, UiView view, int inside)
{
    if (view == UI_VIEW_GRADIENTS || view == UI_VIEW_TRAINING || inside < 0 || inside >= GF_NUM_CELLS) return cells;
    cells |= 1u << inside;
    /* the default prefers lstm, then gru: drop those ranked before `inside` */
    if (inside != GF_CELL_LSTM) cells &= ~(1u << GF_CELL_LSTM);
    if (inside == GF_CELL_RNN) cells &= ~(1u << GF_CELL_GRU);
    return cells;
}

static const int seq_ladder[] = {10, 20, 50, 100, 200, 500, 1000, 2000, 5000};
static const int hidden_ladder[] = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512};

/* The next ladder value strictly above (dir > 0) or below (dir < 0) v; v itself at the ends. */
static int ladder_step_(const int *ladder, int n, int v, int dir)
{
    if (dir > 0) {
        for (int i = 0; i < n; i++)
            if (ladder[i] > v) return ladder[i];
    } else {
        for (int i = n - 1; i >= 0; i--)
            if (ladder[i] < v) return ladder[i];
    }
    return v;
}

int settings_seq_step(int T, int dir)
{
    return ladder_step_(seq_ladder, (int)(sizeof seq_ladder / sizeof *seq_ladder), T, dir);
}

int settings_hidden_step(int H, int dir)
{
    return ladder_step_(hidden_ladder, (int)(sizeof hidden_ladder / sizeof *hidden_ladder), H, dir);
}

static const double lr_ladder[UI_LR_RUNGS] = {1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2, 0.1, 0.3, 1.0};
static const double clip_ladder[UI_CLIP_RUNGS] = {0.0, 0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 100.0};

/* The next value of ladder (n, increasing) strictly above (dir > 0) or below (dir < 0) v (with a
 * little tolerance, so 0.01 typed on the command line sits on the rung 1e-2); v at the ends. */
static double ladder_step_d_(const double *ladder, int n, double v, int dir)
{
    if (dir > 0) {
        for (int i = 0; i < n; i++)
            if (ladder[i] > v * (1 + 1e-9) + 1e-12) return ladder[i];
    } else {
        for (int i = n - 1; i >= 0; i--)
            if (ladder[i] < v * (1 - 1e-9) - 1e-12) return ladder[i];
    }
    return v;
}

double settings_lr_step(double lr, int dir)
{
    return ladder_step_d_(lr_ladder, (int)(sizeof lr_ladder / sizeof *lr_ladder), lr, dir);
}

double settings_clip_step(double clip, int dir)
{
    return ladder_step_d_(clip_ladder, (int)(sizeof clip_ladder / sizeof *clip_ladder), clip, dir);
}

/* Index of the rung of ladder (n) nearest to v (on a log scale where both are positive). */
static int ladder_index_(const double *ladder, int n, double v)
{
    int best = 0;
    double bd = INFINITY;
    for (int i = 0; i < n; i++) {
        double d = ladder[i] > 0 && v > 0 ? fabs(log(ladder[i] / v)) : fabs(ladder[i] - v) * 1e6;
        if (d < bd) bd = d, best = i;
    }
    return best;
}

double settings_lr_at(int i) { return lr_ladder[i < 0 ? 0 : i >= UI_LR_RUNGS ? UI_LR_RUNGS - 1 : i]; }
int settings_lr_index(double lr) { return ladder_index_(lr_ladder, UI_LR_RUNGS, lr); }
double settings_clip_at(int i) { return clip_ladder[i < 0 ? 0 : i >= UI_CLIP_RUNGS ? UI_CLIP_RUNGS - 1 : i]; }
int settings_clip_index(double clip) { return ladder_index_(clip_ladder, UI_CLIP_RUNGS, clip); }

int settings_batch_step(int B, int dir)
{
    int v = dir > 0 ? B * 2 : B / 2;
    if (v < 1) v = 1;
    if (v > UI_TRAIN_BATCH_MAX) v = UI_TRAIN_BATCH_MAX;
    return v;
}

void settings_train_config(const UiSettings *s, TrainConfig *out)
{
    memset(out, 0, sizeof *out);
    out->sim = s->sim;
    out->sim.batch = s->train_batch;
    for (int c = 0; c < GF_NUM_CELLS; c++) out->sim.params[c] = NULL;
    out->sim.cancel = NULL;
    optim_config_default(&out->optim, s->train_opt, s->train_lr);
    out->clip = s->train_clip;
}

/* Weight scale moved by delta, kept in the slider's range and rounded to the slider's grid so
 * repeated key presses land on 0.90, not 0.8999999. */
static double scale_step_(double v, double delta)
{
    double x = v + delta;
    if (x < UI_SCALE_MIN) x = UI_SCALE_MIN;
    if (x > UI_SCALE_MAX) x = UI_SCALE_MAX;
    return round(x / UI_SCALE_DRAG_STEP) * UI_SCALE_DRAG_STEP;
}

int settings_num_lessons(void) { return lesson_count(); }

int settings_preset(int i, UiPreset *out)
{
    const Lesson *l = lesson_at(i);
    if (!l) return 0;
    out->key = (UiKey)(UI_KEY_4 + (i < UI_NUM_PRESETS ? i : i - UI_NUM_PRESETS));
    out->mods = i < UI_NUM_PRESETS ? 0 : UI_MOD_SHIFT;
    out->name = l->title;
    out->caption = l->caption;
    out->trains = l->trains;
    return 1;
}

int settings_apply_preset(UiSettings *s, int i)
{
    const Lesson *l = lesson_at(i);
    if (!l) return 0;
    int batch = s->sim.batch;
    TrainConfig tc;
    memset(&tc, 0, sizeof tc);
    long steps = 0;
    lesson_apply(l, &s->sim, &tc, &steps);
    int flags = UI_CHANGED_SIM | UI_CHANGED_VIEW;
    if (l->trains) { /* the batch is the training's; the picture keeps the window's */
        s->train_batch = s->sim.batch;
        s->train_opt = tc.optim.kind;
        s->train_lr = tc.optim.lr;
        s->train_clip = tc.clip;
        flags |= UI_CHANGED_TRAIN;
    }
    s->sim.batch = batch;
    s->layer_shown = -1;
    s->theory = 1;
    s->log_y = 1;
    s->preset = i;
    return flags;
}

void settings_start_lesson(UiSettings *s, int i)
{
    const Lesson *l = lesson_at(i);
    if (!l) return;
    s->preset = i;
    if (l->trains) { /* the lesson's batch is the training's; the pictures show one sequence, as
                        when the lesson is reached by key */
        s->train_batch = s->sim.batch;
        s->sim.batch = 1;
    }
}

int settings_apply_key(UiSettings *s, UiKey key, unsigned mods)
{
    SimConfig *c = &s->sim;
    int shift = (mods & UI_MOD_SHIFT) != 0, ctrl = (mods & UI_MOD_CTRL) != 0;
    int r = 0;
    if (ctrl) {
        /* Ctrl + / Ctrl - / Ctrl 0: text size. */
        if (key == UI_KEY_PLUS) s->text_scale = fmin(UI_TEXT_SCALE_MAX, s->text_scale * 1.15);
        else if (key == UI_KEY_MINUS) s->text_scale = fmax(UI_TEXT_SCALE_MIN, s->text_scale / 1.15);
        else if (key == UI_KEY_0) s->text_scale = 1.0;
        else return 0;
        return UI_CHANGED_VIEW;
    }
    switch (key) {
    case UI_KEY_RIGHT:
    case UI_KEY_LEFT: {
        double step = shift ? UI_SCALE_DRAG_STEP : UI_SCALE_KEY_STEP;
        double v = scale_step_(c->weight_scale, key == UI_KEY_RIGHT ? step : -step);
        if (v == c->weight_scale) return 0;
        c->weight_scale = v;
        r = UI_CHANGED_SIM;
        break;
    }
    case UI_KEY_UP:
    case UI_KEY_DOWN: {
        int T = settings_seq_step(c->seq_len, key == UI_KEY_UP ? 1 : -1);
        if (T == c->seq_len) return 0;
        c->seq_len = T;
        r = UI_CHANGED_SIM;
        break;
    }
    case UI_KEY_LEFTBRACKET:
    case UI_KEY_RIGHTBRACKET: {
        int H = settings_hidden_step(c->hidden, key == UI_KEY_RIGHTBRACKET ? 1 : -1);
        if (H == c->hidden) return 0;
        c->hidden = H;
        r = UI_CHANGED_SIM;
        break;
    }
    case UI_KEY_1:
    case UI_KEY_2:
    case UI_KEY_3:
        c->cells ^= 1u << (key - UI_KEY_1); /* 1, 2, 3 = rnn, lstm, gru */
        return UI_CHANGED_SIM | UI_CHANGED_VIEW;
    case UI_KEY_4: case UI_KEY_5: case UI_KEY_6: case UI_KEY_7: case UI_KEY_8: case UI_KEY_9:
        return settings_apply_preset(s, (mods & UI_MOD_SHIFT ? UI_NUM_PRESETS : 0) + (int)(key - UI_KEY_4));
    case UI_KEY_R:
        c->seed += 1; /* a new, still reproducible, seed */
        r = UI_CHANGED_SIM;
        break;
    case UI_KEY_L: {
        int L = c->layers + (shift ? -1 : 1);
        if (L < 1 || L > UI_LAYERS_MAX) return 0;
        c->layers = L;
        if (s->layer_shown >= L) s->layer_shown = -1;
        r = UI_CHANGED_SIM;
        break;
    }
    case UI_KEY_TAB:
        /* gradients -> states -> anatomy -> training -> gradients; Shift+Tab the other way */
        s->view = (UiView)((s->view + (shift ? UI_NUM_VIEWS - 1 : 1)) % UI_NUM_VIEWS);
        return UI_CHANGED_VIEW;
    case UI_KEY_C: {
        /* the cell looked inside: rnn -> lstm -> gru -> rnn (Shift: backwards) */
        int r2 = settings_set_inside(s, (s->inside_cell + (shift ? GF_NUM_CELLS - 1 : 1)) % GF_NUM_CELLS);
        if (r2 & UI_CHANGED_SIM) s->preset = -1;
        return r2 | UI_CHANGED_VIEW;
    }
    case UI_KEY_D:
        /* every layer, then 0, 1, ..., L-1, then every layer again */
        s->layer_shown = s->layer_shown + 1 >= c->layers ? -1 : s->layer_shown + 1;
        return UI_CHANGED_VIEW;
    case UI_KEY_I:
        c->init = (GfInit)((c->init + 1) % 3);
        r = UI_CHANGED_SIM;
        break;
    case UI_KEY_N:
        c->nonlinearity = c->nonlinearity == GF_NONLIN_TANH ? GF_NONLIN_RELU : GF_NONLIN_TANH;
        r = UI_CHANGED_SIM;
        break;
    case UI_KEY_W:
        c->bidirectional = !c->bidirectional;
        r = UI_CHANGED_SIM;
        break;
    case UI_KEY_A:
        c->task = c->task == GF_TASK_ADDING ? GF_TASK_RECALL : GF_TASK_ADDING;
        r = UI_CHANGED_SIM;
        break;
    case UI_KEY_B: {
        double f = isnan(c->forget_bias) ? 0.0 : c->forget_bias;
        f += shift ? -UI_FBIAS_KEY_STEP : UI_FBIAS_KEY_STEP;
        if (f < UI_FBIAS_MIN) f = UI_FBIAS_MIN;
        if (f > UI_FBIAS_MAX) f = UI_FBIAS_MAX;
        c->forget_bias = f;
        r = UI_CHANGED_SIM;
        break;
    }
    case UI_KEY_U: {
        double u = isnan(c->update_bias) ? 0.0 : c->update_bias;
        u += shift ? -UI_UBIAS_KEY_STEP : UI_UBIAS_KEY_STEP;
        if (u < UI_UBIAS_MIN) u = UI_UBIAS_MIN;
        if (u > UI_UBIAS_MAX) u = UI_UBIAS_MAX;
        c->update_bias = u;
        r = UI_CHANGED_SIM;
        break;
    }
    case UI_KEY_Y: s->log_y = !s->log_y; return UI_CHANGED_VIEW;
    case UI_KEY_O: s->theory = !s->theory; return UI_CHANGED_VIEW;
    case UI_KEY_J: s->strips = !s->strips; return UI_CHANGED_VIEW;
    case UI_KEY_T:
        s->theme = s->theme == UI_THEME_LIGHT ? UI_THEME_DARK : UI_THEME_LIGHT;
        return UI_CHANGED_VIEW;
    case UI_KEY_H:
    case UI_KEY_F1: s->help = !s->help; return UI_CHANGED_VIEW;
    case UI_KEY_P: s->panel = !s->panel; return UI_CHANGED_VIEW;
    case UI_KEY_F:
    case UI_KEY_F11: s->fullscreen = !s->fullscreen; return UI_ACT_FULLSCREEN | UI_CHANGED_VIEW;
    case UI_KEY_S: return shift ? UI_ACT_SAVE_2X : UI_ACT_SAVE;
    case UI_KEY_V: return UI_ACT_SAVE_SVG;
    /* training: what it changes never touches the picture's configuration (no preset lost) */
    case UI_KEY_SPACE: s->train_on = !s->train_on; return UI_CHANGED_TRAIN | UI_CHANGED_VIEW;
    case UI_KEY_PERIOD: s->train_on = 0; return UI_ACT_TRAIN_STEP | UI_CHANGED_TRAIN;
    case UI_KEY_BACKSPACE: s->train_on = 0; return UI_ACT_TRAIN_REWIND | UI_CHANGED_TRAIN;
    case UI_KEY_M:
        s->train_opt = (GfOptimizer)((s->train_opt + (shift ? GF_NUM_OPTIMIZERS - 1 : 1)) % GF_NUM_OPTIMIZERS);
        return UI_CHANGED_TRAIN | UI_CHANGED_VIEW;
    case UI_KEY_E: {
        double v = settings_lr_step(s->train_lr, shift ? -1 : 1);
        if (v == s->train_lr) return 0;
        s->train_lr = v;
        return UI_CHANGED_TRAIN | UI_CHANGED_VIEW;
    }
    case UI_KEY_K: {
        int v = settings_batch_step(s->train_batch, shift ? -1 : 1);
        if (v == s->train_batch) return 0;
        s->train_batch = v;
        return UI_CHANGED_TRAIN | UI_CHANGED_VIEW;
    }
    case UI_KEY_X: {
        double v = settings_clip_step(s->train_clip, shift ? -1 : 1);
        if (v == s->train_clip) return 0;
        s->train_clip = v;
        return UI_CHANGED_TRAIN | UI_CHANGED_VIEW;
    }
    case UI_KEY_Q: return UI_ACT_QUIT;
    case UI_KEY_ESCAPE: /* closes the help first: what a reader of it presses */
        if (s->help) {
            s->help = 0;
            return UI_CHANGED_VIEW;
        }
#ifdef __EMSCRIPTEN__
        return 0; /* in a browser Escape is not a way to leave a page: Q closes it */
#else
        return UI_ACT_QUIT;
#endif
    default: return 0;
    }
    s->preset = -1; /* the settings no longer match a preset's caption */
    return r;
}

void settings_title(const SimConfig *cfg, int compact, char *buf, size_t n)
{
    char extra[96] = "";
    size_t used = 0;
    if (cfg->batch > 1)
        used += (size_t)snprintf(extra + used, sizeof extra - used, compact ? " \xC2\xB7 B=%d" : " \xC2\xB7 B = %d", cfg->batch);
    if (!isnan(cfg->forget_bias) && used < sizeof extra)
        used += (size_t)snprintf(extra + used, sizeof extra - used,
                                 compact ? " \xC2\xB7 fb %.1f" : " \xC2\xB7 forget bias %.1f", cfg->forget_bias);
    if (!isnan(cfg->update_bias) && used < sizeof extra)
        used += (size_t)snprintf(extra + used, sizeof extra - used,
                                 compact ? " \xC2\xB7 ub %.1f" : " \xC2\xB7 update bias %.1f", cfg->update_bias);
    if (cfg->bidirectional && used < sizeof extra)
        snprintf(extra + used, sizeof extra - used, compact ? " \xC2\xB7 bidir" : " \xC2\xB7 bidirectional");
    /* U+00B7 middle dot separates the items. */
    if (compact)
        snprintf(buf, n,
                 "%s \xC2\xB7 T=%d \xC2\xB7 H=%d \xC2\xB7 L=%d \xC2\xB7 %s \xC2\xB7 scale %.2f \xC2\xB7 %s%s \xC2\xB7 seed %llu",
                 gf_task_name(cfg->task), cfg->seq_len, cfg->hidden, cfg->layers, gf_init_name(cfg->init),
                 cfg->weight_scale, gf_nonlin_name(cfg->nonlinearity), extra, (unsigned long long)cfg->seed);
    else
        snprintf(buf, n,
                 "%s task \xC2\xB7 T = %d \xC2\xB7 H = %d \xC2\xB7 %d layer%s \xC2\xB7 %s init \xC2\xB7 "
                 "weight scale %.2f \xC2\xB7 %s%s \xC2\xB7 seed %llu",
                 gf_task_name(cfg->task), cfg->seq_len, cfg->hidden, cfg->layers,
                 cfg->layers == 1 ? "" : "s", gf_init_name(cfg->init), cfg->weight_scale,
                 gf_nonlin_name(cfg->nonlinearity), extra, (unsigned long long)cfg->seed);
}

void settings_file_stem(const SimConfig *cfg, char *buf, size_t n)
{
    char cells[32] = "";
    if ((cfg->cells & GF_CELLS_ALL) == GF_CELLS_ALL) {
        snprintf(cells, sizeof cells, "all");
    } else {
        size_t used = 0;
        for (int c = 0; c < GF_NUM_CELLS; c++)
            if (cfg->cells & (1u << c))
                used += (size_t)snprintf(cells + used, sizeof cells - used, "%s%s", used ? "+" : "",
                                         gf_cell_name((GfCell)c));
        if (!used) snprintf(cells, sizeof cells, "none");
    }
    snprintf(buf, n, "gradflow-%s-%s-T%d-H%d-L%d-s%.2f", cells, gf_task_name(cfg->task),
             cfg->seq_len, cfg->hidden, cfg->layers, cfg->weight_scale);
}

int settings_layer_from_pick(int layer_pick, int layers)
{
    return layer_pick >= 1 && layer_pick <= layers ? layer_pick - 1 : -1;
}

void settings_command_line(const SimConfig *cfg, UiTheme theme, UiView view, int layer_shown, int plot_only,
                           int w, int h, const char *path, char *buf, size_t n)
{
    UiOptions opt;
    memset(&opt, 0, sizeof opt);
    opt.sim = *cfg;
    opt.theme = theme;
    opt.view = view;
    opt.layer_pick = layer_shown >= 0 && layer_shown < cfg->layers ? layer_shown + 1 : 0;
    opt.plot_only = plot_only;
    opt.text_scale = 1.0; /* the look (text size, axis, theory) is the caller's to add */
    opt.width = w;
    opt.height = h;
    cli_format_command(&opt, path, buf, n);
}

void settings_link_options(const UiSettings *s, char *buf, size_t n)
{
    CliArgs d;
    cli_args_default(&d);
    UiOptions opt = d.ui;
    opt.sim = s->sim;
    opt.sim.weights = NULL; /* a file cannot travel in a link */
    opt.theme = s->theme;
    opt.view = s->view;
    opt.layer_pick = s->layer_shown >= 0 && s->layer_shown < s->sim.layers ? s->layer_shown + 1 : 0;
    opt.text_scale = s->text_scale;
    opt.linear = !s->log_y;
    opt.no_theory = !s->theory;
    /* a lesson as it was applied: its name, and every value written out (the window keeps its
       own batch where the lesson would set another) */
    cli_format_options(&opt, s->preset, s->preset >= 0, buf, n);
}

static const UiKeyHelp key_help[] = {
    {"Right / Left", "weight scale up / down by 0.05 (Shift: 0.01)"},
    {"Up / Down", "sequence length T up / down (10, 20, 50, ... 5000)"},
    {"] / [", "hidden size H up / down (1, 2, 4, ... 512)"},
    {"L / Shift+L", "one layer more / fewer (1 to 8)"},
    {"Tab / Shift+Tab", "view: gradients, states (inside a cell), anatomy (layers, output, h_n), training"},
    {"C / Shift+C", "the cell the states and anatomy views look inside: RNN, LSTM, GRU"},
    {"D", "which layer is drawn: every layer, 0, 1, ... (the states view shows the top one for every)"},
    {"I", "initialisation: pytorch, orthogonal, identity"},
    {"B / Shift+B", "LSTM forget-gate bias up / down by 0.5"},
    {"U / Shift+U", "GRU update-gate bias up / down by 0.5 (z near 1 keeps the old state)"},
    {"N", "RNN nonlinearity: tanh or relu"},
    {"W", "bidirectional: a reverse direction per layer (the anatomy view shows what h_n[-1] is then)"},
    {"A", "task: adding or recall"},
    {"R", "new seed (new weights and data)"},
    {"1, 2, 3", "show or hide RNN, LSTM, GRU"},
    {"4 ... 9", "lessons: RNN forgets, exploding, the edge, LSTM, GRU, IRNN"},
    {"Shift+4 ... 8", "training lessons (then Space): adding T=150, IRNN, forget bias, clipping, copy"},
    {"Space", "train or pause every cell shown (same batches); every view follows the weights"},
    {". / Backspace", "one training step / rewind to the same initial weights"},
    {"M / Shift+M", "optimizer: sgd, rmsprop, adam"},
    {"E / Shift+E", "learning rate up / down (1e-4, 3e-4, 1e-3, ... 1)"},
    {"K / Shift+K", "training batch size up / down (1, 2, 4, ... 256)"},
    {"X / Shift+X", "gradient clipping threshold up / down (off, 0.1, 0.25, ... 100)"},
    {"Y", "log or linear y axis"},
    {"O", "theory: the Pascanu et al. bound and shading"},
    {"J", "the strips under the gradients: factor per step back, saliency"},
    {"S / Shift+S", "save the view as PNG (Shift: twice the resolution)"},
    {"V", "save the view as SVG (vector: sharp at any size, for slides)"},
    {"T", "light or dark theme"},
    {"Ctrl + / Ctrl - / Ctrl 0", "text size larger / smaller / default"},
    {"P", "hide or show the control panel"},
    {"F11 or F", "fullscreen"},
    {"H or F1", "this help"},
#ifdef __EMSCRIPTEN__
    {"Escape / Q", "close the help / quit"},
#else
    {"Escape / Q", "close the help, else quit / quit"},
#endif
    {NULL, NULL},
};

const UiKeyHelp *settings_key_help(void) { return key_help; }
