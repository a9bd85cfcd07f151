/* window.h - the window's state and a per-frame hook, so tests and the frame-time benchmark can
 * drive the real event loop (push SDL events, read the settings and the pixels). */
#ifndef GF_UI_WINDOW_H
#define GF_UI_WINDOW_H

#include <SDL.h>
#include <stdint.h>

#include "draw.h"
#include "plotdata.h"
#include "settings.h"
#include "train_worker.h"
#include "trainsnap.h"
#include "ui.h"
#include "worker.h"

#define UI_SAVE_QUEUE 32 /* S presses handled in one frame */

typedef struct UiWindow {
    const UiOptions *opt;
    SDL_Window *win;
    SDL_Renderer *ren;
    ViewState vs;            /* caches and the last frame's geometry (in output pixels) */
    UiSettings set;          /* what the user chose */
    PlotData shown;          /* the result on screen */
    Worker worker;
    Uint32 wake_event;       /* pushed by the worker when a result is ready */
    SimConfig requested;     /* the configuration last handed to the worker */
    uint64_t gen_requested;  /* its request number */
    uint64_t gen_done;       /* the newest request finished (shown, or failed) */
    UiInput in;              /* the mouse, in output pixels */
    int out_w, out_h;        /* renderer output size (pixels) */
    int win_w, win_h;        /* window size (points) */
    int windowed_w, windowed_h; /* the window's size before fullscreen (points), restored after */
    double min_scale;        /* the scale factor's floor from DPI and pixel ratio */
    char status[1200];       /* status line message */
    int status_warn;
    Uint32 status_until;     /* SDL_GetTicks() when the message goes */
    char error[GF_ERROR_MSG_LEN]; /* why the last run failed ("" if it did not) */
    char weights_path[1024]; /* the --weights file, for the saved pictures' command line ("": none) */
    unsigned frame;          /* frames drawn */
    unsigned results;        /* results taken from the worker */
    double ms_draw_last;     /* time view_draw took in the last frame */
    char last_saved[1100];   /* path of the last PNG saved ("" if none) */
    unsigned saved;          /* PNGs saved so far */
    int save_twice[UI_SAVE_QUEUE]; /* saves asked for this frame, in order: a UI_SAVE_* */
    int nsave;
    /* training */
    TrainWorker trainer;     /* the training thread */
    TrainSnapshot train;     /* its newest snapshot */
    TrainConfig train_sent;  /* the configuration last handed to it */
    int train_sent_valid;
    int train_running_sent;  /* what it was last told: run (1) or pause */
    long req_step;           /* the training step of the weights in the last request (0: initial) */
    uint64_t req_epoch;      /* ... and their snapshot's epoch */
    uint64_t step_gen[16];   /* request numbers of the last requests ... */
    long step_of_gen[16];    /* ... and the training step of their weights */
    long shown_step;         /* the training step of the weights on screen (-1: unknown) */
} UiWindow;

typedef struct UiHooks {
    void *user;
    /* Called every frame after drawing and before presenting (so SDL_RenderReadPixels sees the
     * frame). Nonzero stops the loop as Q would. */
    int (*on_frame)(void *user, UiWindow *w);
} UiHooks;

/* ui_window_run with hooks (NULL: none). */
int window_run(const UiOptions *opt, const UiHooks *hooks, GfError *err);

/* What window_save writes. */
enum { UI_SAVE_PNG = 0, UI_SAVE_PNG_2X = 1, UI_SAVE_SVG = 2 };

/* Saves the current view as a PNG (twice the output size for UI_SAVE_PNG_2X) or an SVG of the
 * window's size (UI_SAVE_SVG) in $GRADFLOW_SAVE_DIR or the current folder, under a name that
 * overwrites nothing; the path goes to w->last_saved. */
int window_save(UiWindow *w, int twice, GfError *err);

#endif
