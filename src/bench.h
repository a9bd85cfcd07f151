/* bench.h - `gradflow bench`: the time of one forward pass plus backpropagation through time per
 * cell (median of repeated runs, with the fastest and GFLOP/s), and with --ui the window's frame
 * times while the weight scale is dragged. Prints its table on standard output. */
#ifndef GF_BENCH_H
#define GF_BENCH_H

#include "core/gf_error.h"
#include "core/sim.h"
#include "ui/ui.h"

typedef struct BenchOptions {
    int csv;    /* --csv: CSV rows instead of the table */
    int sweep;  /* --sweep: hidden 32, 64, 128 x seq-len 100, 1000, 10000 */
    int full;   /* --full: with parameter gradients */
    int factors; /* --factors: with the per-step factors (factors.h), as the window computes them */
    int repeat; /* --repeat N: runs per median (0: about half a second's worth) */
    int ui;     /* --ui: frame times of the window while dragging */
    int frames; /* --ui --frames N (0: GF_BENCH_FRAMES_DEFAULT) */
    int train;  /* --train: training steps per second (bench_train.c) */
} BenchOptions;

/* Times forward + BPTT of every cell in cfg (each alone, then all three together when cfg asks for
 * all), over the sweep's grid when opt->sweep; prints the header and one row per measurement. */
int bench_run(const SimConfig *cfg, const BenchOptions *opt, GfError *err);

/* `bench --ui`: runs the real window for bench->frames frames (needs a display) and prints its
 * frame rate; opt is the window's start (size 0: 1920 x 1080). */
int bench_window(const UiOptions *opt, const BenchOptions *bench, GfError *err);

#endif
