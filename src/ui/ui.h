/* ui.h - the SDL2 front end: the classroom window and the offscreen PNG export.
 *
 * Both draw the same view (one function onto any SDL_Renderer at a given size) from the core's
 * results; the ui never computes gradients itself. */
#ifndef GF_UI_H
#define GF_UI_H

#include "core/gf_error.h"
#include "core/optim.h"
#include "core/sim.h"

typedef enum { UI_THEME_LIGHT = 0, UI_THEME_DARK = 1 } UiTheme;
typedef enum { UI_VIEW_GRADIENTS = 0, UI_VIEW_STATES = 1, UI_VIEW_ANATOMY = 2, UI_VIEW_TRAINING = 3 } UiView;

/* The text size factor's range (--text-scale, Ctrl+ / Ctrl- in the window). */
#define UI_TEXT_SCALE_MIN 0.5
#define UI_TEXT_SCALE_MAX 1.5

typedef struct UiOptions {
    SimConfig sim;            /* the configuration the window starts from / the export draws */
    UiTheme theme;            /* light (projector, default) or dark */
    UiView view;              /* which view */
    int layer_pick;           /* the layer drawn: 0 every layer (so a zeroed UiOptions draws them
                                 all), k > 0 layer k - 1 alone (gradflow --layer k-1) */
    int width, height;        /* window's initial size or the export's size, in pixels */
    int plot_only;            /* export: leave out the control panel */
    double text_scale;        /* every text's size times this (0: 1, the default) */
    int linear;               /* a linear y axis instead of the log scale */
    int no_theory;            /* without the theory lines and the vanishing / exploding shading */
    const char *csv_path;     /* export: also write the data behind the picture (NULL: no) */
    const char *command_line; /* export: stored in the PNG's text metadata */
    const char *weights_path; /* the --weights file sim.weights came from (NULL: none): the window's
                                 saved pictures name it in their command line */
    /* training: the window's starting hyper-parameters; export --view training trains with them */
    int train_set;            /* 0: the defaults (adam, learning rate 0.01, clip 1, batch 32) */
    OptimConfig optim;        /* optimizer and learning rate */
    double clip;              /* max global gradient norm, 0 = off */
    long train_steps;         /* export --view training: steps trained before drawing (0: 300) */
    int lesson;               /* --lesson: the lesson whose caption shows (index in lessons.h's
                                 table), -1 none */
} UiOptions;

/* Opens the window and runs until the user quits: GF_OK. With no display, or when SDL cannot
 * start, a negative code and err's one line says why and names `gradflow export`. */
int ui_window_run(const UiOptions *opt, GfError *err);

/* Renders the view offscreen (no display needed) and writes png_path atomically. */
int ui_export(const UiOptions *opt, const char *png_path, GfError *err);

/* Frame times while the weight-scale slider is dragged back and forth (0.5 to 1.5) in the real
 * window, each move recomputing on the worker thread: what the README quotes. */
typedef struct UiBenchResult {
    int frames;              /* frames measured */
    double fps;              /* frames drawn per second */
    double ms_frame_mean;    /* mean time from one frame to the next */
    double ms_frame_max;     /* longest frame */
    double ms_draw_mean;     /* mean time spent drawing a frame */
    double results_per_s;    /* new pictures (finished recomputations) per second */
    int width, height;       /* the window's size in pixels */
    double weight_scale_end; /* where the drag left the slider (a check that it moved) */
} UiBenchResult;

/* Runs the window for `frames` frames of dragging (needs a display, or SDL_VIDEODRIVER=dummy). */
int ui_bench(const UiOptions *opt, int frames, UiBenchResult *out, GfError *err);

#endif
