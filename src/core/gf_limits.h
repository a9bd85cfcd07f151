/* gf_limits.h - every accepted range in one place: the simulation's (checked by the core), the
 * pictures' and the benchmark's (checked by the command line), each inclusive. The command line's
 * --help, its range messages and the README's options table are written from these numbers. */
#ifndef GF_LIMITS_H
#define GF_LIMITS_H

#include <stddef.h>
#include <stdint.h>

/* The simulation: sim_config_check refuses anything outside. */
#define GF_SEQ_LEN_MIN 1
#define GF_SEQ_LEN_MAX 100000
#define GF_HIDDEN_MIN 1
#define GF_HIDDEN_MAX 1024
#define GF_LAYERS_MIN 1
#define GF_LAYERS_MAX 8
/* --bidirectional: a forward and a reverse direction per layer (PyTorch's "_reverse" tensors);
 * a layer-direction pair is a "unit" of the network, numbered l * directions + d. */
#define GF_DIRS_MAX 2
#define GF_UNITS_MAX (GF_LAYERS_MAX * GF_DIRS_MAX)
#define GF_BATCH_MIN 1
#define GF_BATCH_MAX 1024
#define GF_WEIGHT_SCALE_MAX 100.0 /* weight scale in [0, 100] */
#define GF_FORGET_BIAS_MAX 100.0  /* forget bias in [-100, 100] */
#define GF_UPDATE_BIAS_MAX 100.0  /* GRU update-gate bias in [-100, 100] */
/* A run may allocate at most this many bytes (parameters, activations, gradients); 1 GiB where
 * size_t has 32 bits (wasm32: a web page's memory ends at 2 GiB, and 4 GiB does not fit a size_t). */
#if SIZE_MAX > 0xFFFFFFFFu
#define GF_MEMORY_CAP ((size_t)4 << 30)
#else
#define GF_MEMORY_CAP ((size_t)1 << 30)
#endif

/* Pictures: `--size WxH` of an export and of the window's first size. */
#define GF_SIZE_W_MIN 960
#define GF_SIZE_H_MIN 540
#define GF_SIZE_W_MAX 7680
#define GF_SIZE_H_MAX 4320
#define GF_SIZE_W_DEFAULT 1920
#define GF_SIZE_H_DEFAULT 1080
/* The smallest picture the drawing code renders: below the command line's minimum because the
 * window (at least 800 x 500) saves its own size with S. */
#define GF_DRAW_W_MIN 320
#define GF_DRAW_H_MIN 240

/* `gradflow bench`: runs per median, and frames of `bench --ui`. */
#define GF_BENCH_REPEAT_MIN 1
#define GF_BENCH_REPEAT_MAX 1000
#define GF_BENCH_FRAMES_MIN 10
#define GF_BENCH_FRAMES_MAX 100000
#define GF_BENCH_FRAMES_DEFAULT 300

/* `gradflow train`'s defaults: the adding problem at T = 150 learnt by the LSTM and the GRU, and
 * not by the tanh RNN, in a few minutes on one core (README, Training). */
#define GF_TRAIN_STEPS_DEFAULT 3000
#define GF_TRAIN_BATCH_DEFAULT 32
#define GF_TRAIN_HIDDEN_DEFAULT 32
#define GF_TRAIN_LR_DEFAULT 0.01
#define GF_TRAIN_CLIP_DEFAULT 1.0

#endif
