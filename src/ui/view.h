/* view.h - what a view is: the model it draws (ViewModel), and the four steps every view
 * provides (ViewClass): init and free of its own state, a layout step that computes all of its
 * geometry and texts without drawing, a paint step (one function per panel inside) that draws
 * what the layout decided through the DrawCtx, and the window's hover read-out.
 *
 * A new view is one file that defines its state struct and a `const ViewClass`, registered once
 * in draw.c's table (with its state's place in ViewState). */
#ifndef GF_UI_VIEW_H
#define GF_UI_VIEW_H

#include "drawctx.h"
#include "layout.h"
#include "plotdata.h"
#include "settings.h"
#include "widgets.h"

/* What to draw: data, settings, and the few things only the window has. */
typedef struct ViewModel {
    UiSettings *set;        /* the settings; the panel's widgets edit them (pass a copy to keep) */
    const PlotData *data;   /* the results on screen (valid = 0: none yet) */
    int w, h;               /* output size in pixels */
    double scale;           /* the scale factor (layout_scale), text size included */
    int plot_only;          /* no control panel (export --plot-only) */
    int interactive;        /* the window: hover readout, status line, busy indicator, help */
    UiInput in;             /* the mouse for this frame (interactive only) */
    const char *status;     /* status line message, NULL for the default hint */
    int status_warn;        /* the message is an error */
    int busy;               /* a recomputation is under way */
    unsigned busy_phase;    /* animation step of the busy indicator */
    const char *error;      /* why the last recomputation failed, or NULL */
    const struct TrainSnapshot *train; /* the training view's data (NULL: nothing trains) */
    long train_profile_step; /* the training step of the weights behind data (-1: unknown) */
} ViewModel;

/* One view. state points to the view's own struct (zeroed before init). */
typedef struct ViewClass {
    UiView id;
    void (*init)(void *state);
    void (*free)(void *state);
    /* Computes everything the paint step needs, and the frame of the whole picture (title, panel,
     * status line, content) through view_frame. Draws nothing. */
    void (*layout)(void *state, DrawCtx *dc, const ViewModel *vm, UiFrame *frame);
    /* Draws the view's content in the frame (the background is already filled). */
    void (*paint)(void *state, DrawCtx *dc, const ViewModel *vm, const UiFrame *frame);
    /* The window's hover read-out for the mouse in vm->in; returns its box (w = 0: none). */
    UiRect (*hover)(const void *state, DrawCtx *dc, const ViewModel *vm);
} ViewClass;

/* The control panel is shown (not --plot-only, and not hidden by the user). */
int view_panel_shown(const ViewModel *vm);
/* Lays out the frame of vm's picture; legend_h and ytick_w as layout_frame (0 for views whose
 * content lays itself out). */
void view_frame(UiFrame *f, DrawCtx *dc, const ViewModel *vm, int legend_h, int ytick_w);

/* The title (the configuration) and a lesson's caption as they are drawn: broken into lines that
 * fit max_w pixels at their sizes (a size that needs more lines than allowed gets smaller, down to
 * 60 %), never cut. The title's words stay together between its separators. */
#define VIEW_TITLE_LINES 3
#define VIEW_CAPTION_LINES 3
typedef struct ViewHeading {
    char title[400];                 /* the title's text (no-break spaces inside its items) */
    int title_px, ntitle;            /* its size and number of lines */
    int tstart[VIEW_TITLE_LINES + 1], tlen[VIEW_TITLE_LINES + 1]; /* + 1: the line that tells it needs more */
    char caption[512];               /* the caption (typeset text, view_caption), "" for none */
    int caption_px, ncaption;
    int cstart[VIEW_CAPTION_LINES + 1], clen[VIEW_CAPTION_LINES + 1];
} ViewHeading;
/* The heading of vm at dc's metrics for a title row max_w wide, busy_w of it kept free on the
 * right for the busy indicator. */
void view_heading(ViewHeading *hd, DrawCtx *dc, const ViewModel *vm, int max_w, int busy_w);
/* Width of the busy indicator at the right of the title (0 when nothing is computing). */
int view_busy_width(const DrawCtx *dc, const ViewModel *vm);
/* The picture has a caption line: a lesson's, or the default one (gradients and states views). */
int view_caption_shown(const ViewModel *vm);
/* That caption, with the numbers of vm's data (caption.h); "" when none shows. */
void view_caption(const ViewModel *vm, char *buf, size_t n);
/* The message the content area shows instead of data (an error, no cell, still computing), or
 * NULL; *warn says it is an error. */
const char *view_centre_message(const ViewModel *vm, int *warn);

#endif
