/* panel.h - the control panel: every setting as a slider, toggle, choice or button, each showing
 * its key. Its layout (panel_layout) and behaviour (panel_run) are plain C over UiCtx. */
#ifndef GF_UI_PANEL_H
#define GF_UI_PANEL_H

#include "layout.h"
#include "settings.h"
#include "widgets.h"

/* Widget ids (0 means none). */
enum {
    PANEL_NONE = 0,
    PANEL_SCALE, PANEL_SEQ, PANEL_HIDDEN, PANEL_LAYERS, PANEL_LAYER_SHOWN, PANEL_INIT, PANEL_FBIAS,
    PANEL_NONLIN, PANEL_TASK, PANEL_RNN, PANEL_LSTM, PANEL_GRU, PANEL_LOGY, PANEL_THEORY,
    PANEL_SEED, PANEL_THEME, PANEL_HELP, PANEL_SAVE, PANEL_VIEW, PANEL_INSIDE,
    PANEL_TRAIN_RUN, PANEL_TRAIN_STEP, PANEL_TRAIN_REWIND, PANEL_TRAIN_OPT, PANEL_TRAIN_LR, PANEL_TRAIN_BATCH,
    PANEL_TRAIN_CLIP,
    PANEL_PRESET0, /* ... PANEL_PRESET0 + UI_NUM_PRESETS - 1 */
    PANEL_NUM_IDS = PANEL_PRESET0 + UI_NUM_PRESETS
};

#define PANEL_MAX_LABELS 20

typedef struct PanelLayout {
    UiRect panel;                     /* the whole panel */
    UiRect widget[PANEL_NUM_IDS];     /* each widget's rectangle, by id */
    UiRect label[PANEL_MAX_LABELS];   /* label lines above the widgets */
    const char *label_text[PANEL_MAX_LABELS];
    const char *label_key[PANEL_MAX_LABELS]; /* the key hint right-aligned on the label line */
    int label_value[PANEL_MAX_LABELS];       /* id of the slider whose value follows the text */
    int nlabels;
    int font_px, small_px;            /* text sizes after fitting */
    double fit;                       /* 1, or < 1 when the panel was shrunk to fit its height */
} PanelLayout;

/* Lays out the panel in rect p with metrics m; shrinks rows (and text) when p is too short. */
void panel_layout(PanelLayout *pl, UiRect p, const UiMetrics *m);
/* The panel of view: the training view's swaps the lines of the other views (inside the cell,
 * layer drawn, lessons) for the training block; widgets left out get empty rectangles. */
void panel_layout_view(PanelLayout *pl, UiRect p, const UiMetrics *m, UiView view);

/* Room a key hint of px pixels takes at the right of a label line (an estimate from its length:
 * the panel is plain C), so the label's own text can stop before it. */
int panel_key_width(const char *key, int px);

/* Runs the panel's widgets for one frame against s (ctx between ui_begin and ui_end); returns the
 * UI_CHANGED_* / UI_ACT_* flags of what the user did. */
int panel_run(UiCtx *ctx, const PanelLayout *pl, UiSettings *s);

#endif
