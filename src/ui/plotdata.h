/* plotdata.h - the ui's own copy of what a run produced: per-step gradient norms and spectra, and
 * for the views inside the cells the states and gates of one sequence, downsampled for heatmaps.
 *
 * The worker thread's Sim reuses its buffers on every run, so what is on screen is copied out into
 * a PlotData the drawing owns, once per result: switching views never recomputes. Plain C (no SDL):
 * tests build PlotData by hand with known norms. */
#ifndef GF_UI_PLOTDATA_H
#define GF_UI_PLOTDATA_H

#include <stddef.h>
#include <stdint.h>

#include "core/sim.h"

/* Heatmaps are at most this many time columns by this many units: a longer sequence averages
 * consecutive steps into a column, a larger hidden size shows every k-th unit. */
#define PLOT_MAP_COLS_MAX 2000
#define PLOT_MAP_ROWS_MAX 128
/* Maps per layer: h; lstm c, i, f, g, o; gru r, z, n. */
#define PLOT_MAPS_MAX 6

/* The states of sequence b = 0 of the batch (what PyTorch's output[0] and h_n[:, 0] hold), copied
 * for the "states" and "anatomy" views. */
typedef struct PlotStates {
    int bidir;          /* 1: the run was bidirectional (the *_rev arrays below are set) */
    int nmaps;          /* maps per layer: 1 (rnn: h), 6 (lstm: h c i f g o), 4 (gru: h r z n) */
    int rows;           /* units shown: unit_step * r for row r */
    int unit_step;      /* rows pick every unit_step-th unit (no averaging across units) */
    int cols;           /* time columns: column j is the mean of steps [j*k, min((j+1)*k, T)) */
    int steps_per_col;  /* k */
    float *maps;        /* (L, nmaps, rows, cols) map m of layer l, unit row r, column j */
    double *gate_mean;  /* (L, T) mean over the H units of f_t (lstm) or z_t (gru); NULL for rnn */
    double *h_n;        /* (L, H) h_n[l, 0, :] = h of layer l at t = T-1 (bidirectional: the
                           forward direction's, h_n[2l, 0, :]) */
    double *c_n;        /* (L, H) lstm c_n[l, 0, :]; NULL otherwise */
    double *out_last;   /* (H) output[0, -1, :] = h of the top layer at t = T-1 (bidirectional:
                           output[0, -1, :H], the forward half) */
    double *h_n_rev;    /* (L, H) bidirectional: h_n[2l+1, 0, :] = the reverse h of layer l at
                           t = 0, where that direction ends; else NULL */
    double *out_last_rev; /* (H) bidirectional: output[0, -1, H:] = the top layer's reverse h at
                           t = T-1 (its first step); else NULL */
    double y0[8];       /* (O) the head's output for sequence 0 as the run computed it */
    double y_check[8];  /* (O) the same recomputed here from head.weight, head.bias and h_n[-1]
                           (bidirectional: [h_n[-2], h_n[-1]]) as copied above */
    int O;              /* outputs of the head */
} PlotStates;

typedef struct PlotCell {
    int ran;                 /* 1 if this cell was computed */
    GfCell cell;
    int L, T, H, G;          /* layers, steps, hidden size, gates */
    double *grad_h;          /* (L, T) ||dL/dh_t|| of layer l at step t */
    double *grad_c;          /* (L, T) ||dL/dc_t|| for lstm, NULL otherwise */
    double *grad_x;          /* (T) ||dL/dx_t||: the loss's saliency of input step t */
    double *factor;          /* (L, T) what the step from t back to t-1 multiplies the gradient by
                                (sim.h's CellResult.factor): rnn ||J_t^T g||/||g||, lstm mean f_t,
                                gru mean z_t */
    double *factor_max;      /* (L, T) rnn ||J_t||_2; lstm, gru the largest unit's gate */
    int has_factors;         /* factor and factor_max hold the run's values */
    double deriv_mean[GF_LAYERS_MAX]; /* rnn: mean tanh' (or relu') of each layer */
    double *grad_h_rev;      /* (L, T) bidirectional: the reverse direction's ||dL/dh_t||
                                (in the states block); else NULL */
    double loss;
    double sigma_max[GF_LAYERS_MAX][4];       /* (L, G) largest singular value per gate block */
    double spectral_radius[GF_LAYERS_MAX][4]; /* (L, G) */
    int nonfinite;           /* some norm is inf or NaN */
    double ms;               /* forward + backward wall time */
    PlotStates st;           /* states for the heatmaps (st.maps NULL: none copied) */
} PlotCell;

/* Sequences whose informative steps are kept (the first ones of the batch). */
#define PLOT_MARK_SEQS 64

typedef struct PlotData {
    int valid;                     /* 1 once it holds a result */
    int mark_seqs;                 /* sequences with marks: min(B, PLOT_MARK_SEQS) */
    int nmarks[PLOT_MARK_SEQS];    /* informative steps of sequence b (task_marks) */
    int marks[PLOT_MARK_SEQS][GF_TASK_MARKS_MAX]; /* their steps, ascending */
    SimConfig config;              /* the configuration that produced it (weights pointer unused) */
    PlotCell cell[GF_NUM_CELLS];   /* indexed by GfCell */
    double *block;                 /* one allocation behind every grad_h / grad_c */
    size_t cap;                    /* doubles allocated in block */
    void *sblock;                  /* one allocation behind every cell's PlotStates arrays */
    size_t scap;                   /* bytes allocated in sblock */
    uint64_t states_digest;        /* hash of every PlotStates array (drawing caches key on it) */
    uint64_t generation;           /* the request that produced it (the window's counter) */
} PlotData;

/* Allocates arrays for every cell in mask with L layers and T steps (norms zeroed, ran = 1 for
 * those cells, 0 for the others), reusing the block when big enough: 0 or GF_ERR_NOMEM. */
int plotdata_alloc(PlotData *pd, unsigned mask, int L, int T);
/* Copies sim's results (every cell that ran) into pd, states included: 0 or GF_ERR_NOMEM. */
int plotdata_copy_sim(PlotData *pd, const Sim *sim);

/* How a run of T steps and H units is cut into heatmap cells: rows, unit_step, cols and
 * steps_per_col of st (nothing allocated). */
void plotdata_map_grid(PlotStates *st, int T, int H);
/* Allocates zeroed PlotStates arrays for every cell that ran in pd (after plotdata_alloc, with
 * each cell's H set): 0 or GF_ERR_NOMEM. */
int plotdata_alloc_states(PlotData *pd);
/* Fills the states of every cell of pd that ran from sim's nets and updates states_digest. */
void plotdata_copy_states(PlotData *pd, const Sim *sim);
/* Recomputes pd->states_digest (after filling PlotStates by hand). */
void plotdata_states_digest(PlotData *pd);
/* Map m of layer l of pc: (rows, cols), or NULL when there is none. */
const float *plotdata_map(const PlotCell *pc, int l, int m);
/* Index of the map of gate name k (gf_gate_name order) in a cell's maps: 2 + k for lstm, 1 + k for
 * gru; the map of c is 1 (lstm). */
int plotdata_gate_map(GfCell cell, int k);
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
