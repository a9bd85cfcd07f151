/* settings.h - everything the user can change in the window, and what each key does to it.
 *
 * Plain C, no SDL: the window maps SDL's key codes onto UiKey and calls settings_apply_key, so the
 * key bindings (which users and tests rely on) are tested without a display. */
#ifndef GF_UI_SETTINGS_H
#define GF_UI_SETTINGS_H

#include <stddef.h>

#include "core/sim.h"
#include "core/train.h"
#include "ui.h"

/* Ranges of the window's controls (the command line may start outside them; the controls clamp
 * only what they change). */
#define UI_SCALE_MIN 0.0
#define UI_SCALE_MAX GF_WEIGHT_SCALE_MAX /* 100: the command line's range */
#define UI_SCALE_LOG_LO 0.01 /* the slider is logarithmic from here (its left end is 0) */
#define UI_SCALE_KEY_STEP 0.05  /* Right / Left */
#define UI_SCALE_DRAG_STEP 0.01 /* slider resolution */
#define UI_SEQ_MIN 10
#define UI_SEQ_MAX 5000
#define UI_HIDDEN_MIN 1
#define UI_HIDDEN_MAX 512
#define UI_LAYERS_MAX GF_LAYERS_MAX /* 8: every depth the command line accepts */
#define UI_FBIAS_MIN -5.0
#define UI_FBIAS_MAX 5.0
#define UI_FBIAS_KEY_STEP 0.5
#define UI_UBIAS_MIN -5.0   /* the GRU's update-gate bias: the U key's range and step */
#define UI_UBIAS_MAX 5.0
#define UI_UBIAS_KEY_STEP 0.5
/* Training's defaults in the window: adam at 0.01, clip 1, batch 32 (what `gradflow train` uses) */
#define UI_TRAIN_LR 0.01
#define UI_TRAIN_CLIP 1.0
#define UI_TRAIN_BATCH 32
#define UI_TRAIN_BATCH_MAX 256

typedef struct UiSettings {
    SimConfig sim;     /* what the worker computes (cells = the cells shown) */
    UiView view;       /* gradients, states or anatomy (Tab) */
    int inside_cell;   /* the cell the states and anatomy views look inside (GfCell) */
    int layer_shown;   /* -1: every layer (the states view: the top one); else the layer drawn
                          (0 = next to the input) */
    int log_y;         /* 1: log y axis (default), 0: linear */
    int theory;        /* 1: draw the Pascanu et al. bound and the vanishing/exploding shading */
    int strips;        /* 1: the per-step factor and saliency strips under the gradients plot */
    UiTheme theme;
    double text_scale; /* user's text size factor, 1 = default */
    int fullscreen;
    int help;          /* help overlay shown */
    int panel;         /* control panel shown */
    int preset;        /* index of the preset last applied, -1 if settings changed since */
    /* training: every cell shown trains on the same batches */
    int train_on;      /* Space: training runs (1) or is paused (0) */
    GfOptimizer train_opt; /* sgd, rmsprop, adam */
    double train_lr;   /* learning rate, on the ladder of settings_lr_step */
    int train_batch;   /* sequences per batch, 1 ... UI_TRAIN_BATCH_MAX */
    double train_clip; /* max global gradient norm (clip_grad_norm_), 0 = off */
} UiSettings;

/* The keys the window understands, independent of SDL. */
typedef enum {
    UI_KEY_NONE = 0,
    UI_KEY_LEFT, UI_KEY_RIGHT, UI_KEY_UP, UI_KEY_DOWN,
    UI_KEY_1, UI_KEY_2, UI_KEY_3, UI_KEY_4, UI_KEY_5, UI_KEY_6, UI_KEY_7, UI_KEY_8, UI_KEY_9,
    UI_KEY_0,
    UI_KEY_A, UI_KEY_B, UI_KEY_C, UI_KEY_D, UI_KEY_F, UI_KEY_H, UI_KEY_I, UI_KEY_L, UI_KEY_N, UI_KEY_O, UI_KEY_P,
    UI_KEY_Q, UI_KEY_R, UI_KEY_S, UI_KEY_T, UI_KEY_Y,
    UI_KEY_LEFTBRACKET, UI_KEY_RIGHTBRACKET, UI_KEY_TAB,
    UI_KEY_PLUS, UI_KEY_MINUS, UI_KEY_ESCAPE, UI_KEY_F1, UI_KEY_F11,
    /* training */
    UI_KEY_SPACE, UI_KEY_PERIOD, UI_KEY_BACKSPACE, UI_KEY_M, UI_KEY_E, UI_KEY_K, UI_KEY_X,
    /* the GRU's update-gate bias */
    UI_KEY_U,
    UI_KEY_J,
    /* the vector save */
    UI_KEY_V,
    UI_KEY_W, /* bidirectional on or off */
} UiKey;

enum { UI_MOD_SHIFT = 1, UI_MOD_CTRL = 2 };

/* What a key (or a widget) asks of the window beyond changing settings. */
enum {
    UI_CHANGED_SIM = 1,      /* the computation's input changed: recompute */
    UI_CHANGED_VIEW = 2,     /* only the picture changed (theme, cells shown, axes ...) */
    UI_ACT_QUIT = 4,
    UI_ACT_SAVE = 8,         /* save the view as a PNG */
    UI_ACT_SAVE_2X = 16,     /* ... at twice the window's resolution */
    UI_ACT_FULLSCREEN = 32,  /* settings.fullscreen changed */
    UI_ACT_TRAIN_STEP = 64,  /* one training step (training pauses) */
    UI_ACT_TRAIN_REWIND = 128, /* back to the initial weights, step 0 */
    UI_CHANGED_TRAIN = 256,  /* train_on or a hyper-parameter changed */
    UI_ACT_SAVE_SVG = 512,   /* save the view as an SVG */
};

/* Window defaults around a starting configuration: log y, theory on, light theme, the gradients
 * view, the inside views on the LSTM (else the GRU, else the RNN) if it is among start's cells. */
void settings_init(UiSettings *s, const SimConfig *start, UiTheme theme);

/* What the command line asks of the picture's look: the text size (--text-scale), a linear y
 * axis (--linear), no theory (--no-theory). */
void settings_apply_look(UiSettings *s, const UiOptions *opt);

/* The views in the order Tab walks them, and their names on the command line. */
#define UI_NUM_VIEWS 4
const char *settings_view_name(UiView v); /* "gradients", "states", "anatomy", "training" */

/* The cell the inside views show by default for a set of cells: lstm, else gru, else rnn. */
int settings_default_inside(unsigned cells);
/* Makes cell c the one looked inside, turning it on if it is not computed: UI_CHANGED_VIEW, plus
 * UI_CHANGED_SIM when it had to be turned on. */
int settings_set_inside(UiSettings *s, int c);
/* The cell the states and anatomy views look inside: the chosen one when it is among the cells
 * run, else the first of LSTM, GRU, RNN that is (as those views fall back); what the panel marks. */
int settings_inside_shown(const UiSettings *s);
/* The options that reopen the window as s has it (" --lesson exploding --seq-len 400 ..."; the
 * page writes them into its address): cli_format_options of s, the lesson when one is applied. */
void settings_link_options(const UiSettings *s, char *buf, size_t n);

/* Applies key with modifiers (UI_MOD_*); returns the UI_CHANGED_* / UI_ACT_* flags, 0 if the key
 * means nothing. */
int settings_apply_key(UiSettings *s, UiKey key, unsigned mods);

/* Sequence length ladder 10, 20, 50, 100, ... 5000: the next value above / below T. */
int settings_seq_step(int T, int dir);
/* Hidden size ladder 1, 2, 4, ... 512: the next value above / below H. */
int settings_hidden_step(int H, int dir);

/* Learning-rate ladder 1e-4, 3e-4, 1e-3, ... 1: the next value above / below lr. */
double settings_lr_step(double lr, int dir);
/* Clip ladder 0 (off), 0.1, 0.25, 0.5, 1, 2, 5, 10, 100: the next value above / below. */
double settings_clip_step(double clip, int dir);
/* The rungs of those two ladders (the panel's sliders move over their indices): rung i, and the
 * index of the rung nearest to v. */
#define UI_LR_RUNGS 9
#define UI_CLIP_RUNGS 9
double settings_lr_at(int i);
int settings_lr_index(double lr);
double settings_clip_at(int i);
int settings_clip_index(double clip);
/* Batch ladder 1, 2, 4, ... UI_TRAIN_BATCH_MAX. */
int settings_batch_step(int B, int dir);
/* What trains for settings s: s->sim with the training batch, the optimizer (PyTorch's defaults)
 * at s->train_lr, and the clip threshold. */
void settings_train_config(const UiSettings *s, TrainConfig *out);

/* The lessons (src/lessons.c): keys 4 ... 9 the six pictures at initialisation (the panel's
 * buttons), Shift+4 ... Shift+8 the training lessons. */
#define UI_NUM_PRESETS 6
typedef struct UiPreset {
    UiKey key;           /* UI_KEY_4 ... UI_KEY_9 */
    unsigned mods;       /* with UI_MOD_SHIFT for the training lessons */
    const char *name;    /* short, for the panel */
    const char *caption; /* the one line shown on screen while it is active */
    int trains;          /* a training lesson: Space shows its result */
} UiPreset;
/* Lesson i as the window offers it; 0 if there is no lesson i. */
int settings_preset(int i, UiPreset *out);
/* How many lessons there are. */
int settings_num_lessons(void);
/* Applies lesson i (0-based): its configuration, and a training lesson's optimizer, learning
 * rate, clip and batch; returns UI_CHANGED_SIM | UI_CHANGED_VIEW (| UI_CHANGED_TRAIN). */
int settings_apply_preset(UiSettings *s, int i);
/* The window or export started with --lesson i (its configuration already in s->sim): its
 * caption shows, and a training lesson's batch is the training's (the pictures then show one
 * sequence, as when the lesson is reached by key). i < 0: none. */
void settings_start_lesson(UiSettings *s, int i);

/* The title line stating the configuration, e.g.
 * "adding task · T = 1000 · H = 64 · 1 layer · pytorch init · weight scale 0.90 · tanh · seed 1";
 * compact: "adding · T=1000 · H=64 · L=1 · pytorch · scale 0.90 · tanh · seed 1" for small windows. */
void settings_title(const SimConfig *cfg, int compact, char *buf, size_t n);
/* A file name for a saved view without a folder or timestamp, e.g. "gradflow-all-adding-T1000-H64-s0.90". */
void settings_file_stem(const SimConfig *cfg, char *buf, size_t n);

/* The `gradflow export` command that rebuilds view of cfg with theme, at w x h, into path: stored
 * in the PNGs the window saves. For the inside views, pass cfg's cells as
 * settings_export_cells gives them so the export looks inside the same cell. */
void settings_command_line(const SimConfig *cfg, UiTheme theme, UiView view, int layer_shown, int plot_only,
                           int w, int h, const char *path, char *buf, size_t n);
/* The layer_shown a UiOptions asks for in a configuration of `layers` layers: -1 (every layer)
 * unless opt->layer_pick names one of them. */
int settings_layer_from_pick(int layer_pick, int layers);
/* The cells an export needs so that its default inside cell is `inside`: cells without the cells
 * that settings_default_inside prefers to it (the gradients and training views: cells unchanged). */
unsigned settings_export_cells(unsigned cells, UiView view, int inside);

/* The window's key list for the help overlay: pairs {keys, what}, ended by {NULL, NULL}. */
typedef struct UiKeyHelp {
    const char *keys, *what;
} UiKeyHelp;
const UiKeyHelp *settings_key_help(void);

#endif
