/* gf_types.h - the vocabulary shared by every core module: cells, tasks, inits, limits. */
#ifndef GF_TYPES_H
#define GF_TYPES_H

#include <stddef.h>
#include <stdint.h>

typedef enum { GF_CELL_RNN = 0, GF_CELL_LSTM = 1, GF_CELL_GRU = 2 } GfCell;
#define GF_NUM_CELLS 3
#define GF_CELLS_ALL 7u /* bitmask with (1u << cell) set for all three */

typedef enum { GF_TASK_ADDING = 0, GF_TASK_RECALL = 1, GF_TASK_COPY = 2 } GfTask;
#define GF_NUM_TASKS 3
typedef enum { GF_INIT_PYTORCH = 0, GF_INIT_ORTHOGONAL = 1, GF_INIT_IDENTITY = 2 } GfInit;
typedef enum { GF_NONLIN_TANH = 0, GF_NONLIN_RELU = 1 } GfNonlin;

/* A flag another thread may set to stop a run early (the window does when newer settings
 * arrive). C11 atomics where the compiler has them. */
#if !defined(__STDC_NO_ATOMICS__)
#include <stdatomic.h>
typedef atomic_int GfCancelFlag;
static inline int gf_cancelled(const GfCancelFlag *f)
{
    return f && atomic_load_explicit((GfCancelFlag *)f, memory_order_relaxed) != 0;
}
#else
typedef volatile int GfCancelFlag;
static inline int gf_cancelled(const GfCancelFlag *f) { return f && *f != 0; }
#endif

/* Accepted ranges (inclusive): GF_SEQ_LEN_MIN ... GF_MEMORY_CAP. */
#include "gf_limits.h"

/* The recall task: one of GF_RECALL_SYMBOLS symbols, one-hot at t = 0, then a blank channel. */
#define GF_RECALL_SYMBOLS 8
/* The copy task (Arjovsky, Shah & Bengio 2016): GF_COPY_LEN symbols from an alphabet of
 * GF_COPY_SYMBOLS, one-hot, then T-1 blanks, a delimiter and GF_COPY_LEN blanks: T + 2 GF_COPY_LEN
 * steps, T being the delay. Inputs: the symbols, a blank and a delimiter channel; outputs: the
 * symbols and the blank. */
#define GF_COPY_SYMBOLS 8
#define GF_COPY_LEN 10

/* Gates per cell: rnn 1, lstm 4 (i, f, g, o), gru 3 (r, z, n). */
int gf_cell_gates(GfCell cell);
const char *gf_cell_name(GfCell cell);         /* "rnn", "lstm", "gru" */
const char *gf_task_name(GfTask task);         /* "adding", "recall", "copy" */
const char *gf_init_name(GfInit init);         /* "pytorch", "orthogonal", "identity" */
const char *gf_nonlin_name(GfNonlin nonlin);   /* "tanh", "relu" */
/* Name of gate k of cell ("i", "f", "g", "o"; "r", "z", "n"; "h" for rnn). */
const char *gf_gate_name(GfCell cell, int k);
/* Parsers: return 0 and set *out on a known name, -1 otherwise. */
int gf_cell_parse(const char *s, GfCell *out);
int gf_task_parse(const char *s, GfTask *out);
int gf_init_parse(const char *s, GfInit *out);
int gf_nonlin_parse(const char *s, GfNonlin *out);

/* Task dimensions: input size I and output size O of the linear head. */
int gf_task_inputs(GfTask task);
int gf_task_outputs(GfTask task);
/* Steps a sequence of the task has for --seq-len T: T, or T + 2 GF_COPY_LEN for copy. */
int gf_task_steps(GfTask task, int seq_len);
/* 1 if the head reads output at every step (copy), 0 if it reads h_n[-1] only. */
int gf_task_per_step(GfTask task);
/* The loss of the best predictor that remembers nothing of the inputs' content (the task's
 * baseline): adding 1/6 (the variance of the sum of two U(0,1)), recall ln K, copy
 * GF_COPY_LEN ln GF_COPY_SYMBOLS / (T + 2 GF_COPY_LEN). */
double gf_task_baseline(GfTask task, int seq_len);

#endif
