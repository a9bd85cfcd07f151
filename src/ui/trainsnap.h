/* trainsnap.h - what the window knows of a training run: a copy of every cell's history (loss,
 * gradient norm, clipping, accuracy, mean gate per step), each cell's current parameters, and the
 * gradient profiles ||dL/dh_t|| (and ||dL/dc_t||) of the weights at the milestone steps 0, 100,
 * 1000, ... kept as they are reached.
 *
 * Plain C (no SDL): the training thread fills one from its Trainer, the window copies it, the
 * export builds one after training headless, and the tests build them by hand. A snapshot owns
 * every array it points to. */
#ifndef GF_UI_TRAINSNAP_H
#define GF_UI_TRAINSNAP_H

#include <stddef.h>
#include <stdint.h>

#include "../core/sim.h"
#include "../core/train.h"

/* Milestone steps whose gradient profile is kept: 0, 100, 1000, 10^4, 10^5, 10^6. */
#define TRAIN_MILESTONES_MAX 6
long trainsnap_milestone_step(int k);
/* The index k of the milestone at step, or -1 if step is none. */
int trainsnap_milestone_index(long step);

/* One cell's gradient profile at a milestone, over the sequence the views show. */
typedef struct TrainProfile {
    long step;          /* the training step of the weights */
    int L, T;           /* layers, steps of the sequence */
    double *grad_h;     /* (L, T) ||dL/dh_t|| */
    double *grad_c;     /* (L, T) ||dL/dc_t|| (lstm), NULL otherwise */
} TrainProfile;

typedef struct TrainSnapCell {
    int active;             /* 1 if the cell trains */
    size_t n, cap;          /* steps recorded, allocated */
    double *loss;           /* (cap) loss of step s's batch before its update */
    double *grad_norm;      /* (cap) global gradient norm before clipping */
    double *accuracy;       /* (cap) NaN for adding */
    double *gate_mean;      /* (cap) lstm mean f, gru mean z, NaN for rnn */
    unsigned char *clipped; /* (cap) 1 where clipping acted */
    size_t n_params;        /* parameters of the cell */
    double *params;         /* (n_params) the current weights (after `step` updates) */
    int nprof;              /* milestone profiles kept */
    TrainProfile prof[TRAIN_MILESTONES_MAX];
} TrainSnapCell;

typedef struct TrainSnapshot {
    int valid;              /* 1 once it describes a trainer */
    uint64_t epoch;         /* changes whenever the history restarts (reset, rewind) */
    TrainConfig cfg;        /* what trains (cfg.sim.weights not owned) */
    long step;              /* steps taken */
    int running;            /* training continuously (the window's Space) */
    int rc;                 /* 0, or why the trainer could not start or step */
    char msg[GF_ERROR_MSG_LEN];
    TrainSnapCell cell[GF_NUM_CELLS];
} TrainSnapshot;

/* Copies tr's history and weights into s (arrays grown as needed; an unchanged epoch copies only
 * the steps s lacks). 0 or GF_ERR_NOMEM. */
int trainsnap_from_trainer(TrainSnapshot *s, const Trainer *tr, uint64_t epoch);
/* Stores cell c's profile of sim's last run as milestone `step` (replacing one at the same step). */
int trainsnap_add_profile(TrainSnapshot *s, int c, long step, const CellResult *r);
/* Drops the milestone profiles after `step` (a rewind keeps step 0's). */
void trainsnap_drop_profiles(TrainSnapshot *s, long after);
/* dst = src, with dst's own arrays (only the steps dst lacks when the epochs agree). */
int trainsnap_copy(TrainSnapshot *dst, const TrainSnapshot *src);
/* Appends one step to cell c by hand (tests): 0 or GF_ERR_NOMEM. */
int trainsnap_push(TrainSnapshot *s, int c, double loss, double grad_norm, int clipped, double accuracy,
                   double gate_mean);
void trainsnap_free(TrainSnapshot *s);

/* The mean of v[i - w + 1 .. i] (w of them, fewer at the start; NaNs skipped) for every i < n,
 * into out (n): the loss curve's smoothed line. */
void trainsnap_running_mean(const double *v, size_t n, size_t w, double *out);

#endif
