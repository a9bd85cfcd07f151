/* view_training.h - the "training" view: the cells learning, side by side, on one screen.
 *
 * Four plots from a TrainSnapshot and the run on screen:
 *   loss        each cell's loss against the training step (log y; thin: every batch, bold: the
 *               running mean), the task's memoryless baseline as a labelled line, and under it
 *               the accuracy where the task has one (recall, copy);
 *   profile     ||dL/dh_t|| (and the LSTM's ||dL/dc_t||) over the sequence for the current
 *               weights, over faded copies kept at steps 0, 100, 1000, ...;
 *   grad norm   the global gradient norm of every step (log y), the clip threshold, and a strip
 *               per cell marking the steps where clipping acted;
 *   gates       the mean forget gate (LSTM) and update gate (GRU) over training. */
#ifndef GF_UI_VIEW_TRAINING_H
#define GF_UI_VIEW_TRAINING_H

#include <SDL.h>
#include <stdint.h>

#include "axis.h"
#include "lineplot.h"
#include "raster.h"
#include "trainsnap.h"
#include "view.h"

/* What persists between frames: the last frame's geometry (for the tests' probes) and caches. */
typedef struct TrainView {
    PlotMap loss;          /* loss against step (log); area.w = 0 when not drawn */
    PlotMap acc;           /* accuracy against step (linear 0..1); area.w = 0 when the task has none */
    PlotMap prof;          /* gradient profile over the sequence (log) */
    PlotMap gnorm;         /* global gradient norm against step (log) */
    PlotMap gate;          /* mean gate against step (linear 0..1); area.w = 0 without a gated cell */
    UiRect clip_strip[GF_NUM_CELLS]; /* the rows marking clipped steps, per cell (h = 0: none) */
    int smooth_w;          /* the running mean's window, steps */
    double baseline;       /* the memoryless baseline drawn (NaN: none) */
    UiRect fig;            /* what the canvas covers */
    Canvas canvas;
    SDL_Texture *tex;
    int tex_w, tex_h;
    uint64_t key;          /* digest of what the canvas shows; 0 = stale */
    double *scratch;       /* (scratch_cap) running means and constant lines */
    size_t scratch_cap;
    LpScratch lp;
} TrainView;

/* The view's class (view.h), registered in draw.c: its state is a TrainView. */
extern const ViewClass training_view;
/* Frees the caches; safe on a zeroed TrainView; leaves it zeroed. */
void training_view_free(TrainView *tv);

/* The running-mean window for n steps: about n / 40, between 1 and 200. */
int training_smooth_window(size_t n);

#endif
