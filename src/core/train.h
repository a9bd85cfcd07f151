/* train.h - training the cells on their task: fresh batches from the seeded task generator, BPTT,
 * gradient clipping by global norm, and a torch.optim update, for every requested cell on the same
 * batches.
 *
 * One step of one cell, as a PyTorch loop would write it:
 *   x, y = batch(step)                       (task_make with train_batch_seed(seed, step))
 *   loss = criterion(head(rnn(x)), y)        (net_forward, net_loss)
 *   loss.backward()                          (net_backward, every parameter and the head)
 *   norm = clip_grad_norm_(params, clip)     (the norm before clipping; clip 0 = no clipping)
 *   optimizer.step()                         (optim_step)
 * The weights start where sim_run's would (same init, weights file, forget bias, weight scale),
 * so training starts from the picture on screen. Nothing is allocated per step but the history,
 * which grows by doubling (or is reserved by trainer_reserve). */
#ifndef GF_TRAIN_H
#define GF_TRAIN_H

#include <stddef.h>
#include <stdint.h>

#include "gf_error.h"
#include "optim.h"
#include "sim.h"
#include "task.h"

typedef struct TrainConfig {
    SimConfig sim;       /* cells, task, T, H, L, B, init, scale, biases, seed, weights file */
    OptimConfig optim;   /* the optimizer and its hyper-parameters */
    double clip;         /* max global gradient norm (clip_grad_norm_), 0 = off */
} TrainConfig;

/* What each step measured, one entry per step (structure of arrays, for plotting). */
typedef struct TrainHistory {
    size_t n, cap;       /* steps recorded, allocated */
    double *loss;        /* (cap) the batch's loss before the update */
    double *grad_norm;   /* (cap) global 2-norm of every parameter's gradient, before clipping */
    double *accuracy;    /* (cap) recall: share of sequences classified right; copy: of the 10
                            recalled symbols; adding: NaN */
    double *gate_mean;   /* (cap) lstm: mean forget gate f, gru: mean update gate z over every
                            layer, sequence, step and unit; rnn: NaN */
    unsigned char *clipped; /* (cap) 1 where clipping scaled the gradient down */
    void *block;         /* the one allocation behind them */
} TrainHistory;

typedef struct TrainCell {
    int active;          /* 1 if this cell trains */
    struct Net *net;     /* its network: params, grads, activations of the last step (inside
                            the core: net.h) */
    const double *params;/* (n_params) its parameters now, PyTorch's order (a view of net's) */
    size_t n_params;
    Optim opt;           /* its optimizer state */
    double *init;        /* (n_params) the parameters before the first step, for rewind */
    double init_w_hh_scale; /* ... and the net's w_hh_scale then (which panels net_prepare tries) */
    TrainHistory hist;
} TrainCell;

typedef struct Trainer {
    TrainConfig cfg;
    TrainCell cell[GF_NUM_CELLS]; /* indexed by GfCell */
    TaskData batch;      /* the last step's batch */
    long step;           /* steps taken */
} Trainer;

/* The seed of step s's batch: its own stream, distinct from sim_run's sequence (seed) and from
 * every other step's. */
uint64_t train_batch_seed(uint64_t seed, long step);
/* Step s's batch of cfg's task. */
int train_make_batch(TaskData *d, const SimConfig *cfg, long step, GfError *err);

/* Checks cfg (sim_config_check, then lr > 0 and finite, momentum in [0, 1), clip >= 0). */
int train_config_check(const TrainConfig *cfg, GfError *err);
/* Allocates every requested cell's network and optimizer, and sets the initial weights. */
int trainer_init(Trainer *tr, const TrainConfig *cfg, GfError *err);
/* Room for n steps of history without reallocation. */
int trainer_reserve(Trainer *tr, size_t n, GfError *err);
/* One training step of every active cell on the same batch. */
int trainer_step(Trainer *tr, GfError *err);
/* Back to the initial weights, a fresh optimizer, step 0 and an empty history: the next steps
 * repeat the first ones bit for bit. */
void trainer_rewind(Trainer *tr);
void trainer_free(Trainer *tr);

#endif
