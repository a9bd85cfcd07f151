/* plotdata.h - the ui's own copy of what a run produced: per-step gradient norms and spectra.
 *
 * The worker thread's Sim reuses its buffers on every run, so what is on screen is copied out into
 * a PlotData the drawing owns. Plain C (no SDL): tests build PlotData by hand with known norms. */
#ifndef GF_UI_PLOTDATA_H
#define GF_UI_PLOTDATA_H

#include <stddef.h>
#include <stdint.h>

#include "../core/sim.h"

typedef struct PlotCell {
    int ran;                 /* 1 if this cell was computed */
    GfCell cell;
    int L, T, H, G;          /* layers, steps, hidden size, gates */
    double *grad_h;          /* (L, T) ||dL/dh_t|| of layer l at step t */
    double *grad_c;          /* (L, T) ||dL/dc_t|| for lstm, NULL otherwise */
    double loss;
    double sigma_max[GF_LAYERS_MAX][4];       /* (L, G) largest singular value per gate block */
    double spectral_radius[GF_LAYERS_MAX][4]; /* (L, G) */
    int nonfinite;           /* some norm is inf or NaN */
    double ms;               /* forward + backward wall time */
} PlotCell;

typedef struct PlotData {
    int valid;                     /* 1 once it holds a result */
    SimConfig config;              /* the configuration that produced it (weights pointer unused) */
    PlotCell cell[GF_NUM_CELLS];   /* indexed by GfCell */
    double *block;                 /* one allocation behind every grad_h / grad_c */
    size_t cap;                    /* doubles allocated in block */
    uint64_t generation;           /* the request that produced it (the window's counter) */
} PlotData;

/* Allocates arrays for every cell in mask with L layers and T steps (norms zeroed, ran = 1 for
 * those cells, 0 for the others), reusing the block when big enough: 0 or GF_ERR_NOMEM. */
int plotdata_alloc(PlotData *pd, unsigned mask, int L, int T);
/* Copies sim's results (every cell that ran) into pd: 0 or GF_ERR_NOMEM. */
int plotdata_copy_sim(PlotData *pd, const Sim *sim);
void plotdata_free(PlotData *pd);
void plotdata_swap(PlotData *a, PlotData *b);

/* The layer the legend and the bound talk about: layer_shown if it exists, else the top one. */
int plotdata_legend_layer(const PlotCell *pc, int layer_shown);

/* How the gradient changed from the last step to the first, log10(g_{T-1} / g_0): > 0 means it
 * fell by that many orders of magnitude. Returns 0 and sets *orders when both ends are finite and
 * positive; otherwise writes what happened into *why ("vanished to 0", "overflowed to inf",
 * "NaN") and returns -1. */
int plotdata_orders(const PlotCell *pc, int layer, double *orders, const char **why);

/* log10 of the Pascanu, Mikolov & Bengio (2013) bound at step t for an rnn layer:
 *   ||dL/dh_t|| <= ||dL/dh_{T-1}|| * (gamma * sigma_max)^(T-1-t),  gamma = 1 (tanh and relu),
 * computed in log space so it never overflows. NaN if it has no meaning (not an rnn, g_{T-1} not
 * finite and positive, sigma_max 0). */
double plotdata_bound_log10(const PlotCell *pc, int layer, int t);

#endif
