/* bench_train.h - `gradflow bench --train`: training steps per second of each cell, and of the
 * three together, as `gradflow train` runs them (fresh batch, forward, loss, BPTT with every
 * parameter gradient, clipping, optimizer step). */
#ifndef GF_BENCH_TRAIN_H
#define GF_BENCH_TRAIN_H

#include "core/gf_error.h"
#include "core/train.h"

/* Times cfg's training steps for every cell of cfg->sim.cells, one at a time, then (when all
 * three are asked) the three together; repeat timed steps each after a warm-up (repeat <= 0:
 * about half a second's worth, 5 to 101 steps). Prints a table on stdout, or CSV rows
 * `cell,layers,hidden,seq_len,batch,optimizer,ms_median,ms_min,steps_per_s` with csv. */
int bench_train(const TrainConfig *cfg, int repeat, int csv, GfError *err);

#endif
