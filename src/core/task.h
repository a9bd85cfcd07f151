/* task.h - synthetic long sequences whose target depends on the distant past.
 *
 * adding (Hochreiter & Schmidhuber 1997): I = 2. Channel 0 holds values U(0, 1); channel 1 is a
 *   marker with exactly two 1s, one at a step of the first half [0, T/2) and one in the second
 *   half [T/2, T). Target: the sum of the two marked values (O = 1), MSE loss.
 * recall: I = K + 1 with K = GF_RECALL_SYMBOLS. At t = 0 a symbol s in [0, K) is one-hot on
 *   channels 0..K-1; every later step has only the blank channel K set. Target: s (O = K classes),
 *   cross-entropy loss. The answer sits entirely at the first step.
 * copy (Arjovsky, Shah & Bengio 2016, after Hochreiter & Schmidhuber 1997): I = K + 2 with
 *   K = GF_COPY_SYMBOLS, O = K + 1. For a delay T the sequence has T + 20 steps: 10 symbols
 *   (channels 0..K-1, one-hot), T - 1 blanks (channel K), the delimiter (channel K + 1) at step
 *   T + 9, and 10 blanks. Target at every step: class K (blank), except the last 10 steps, whose
 *   targets are the 10 symbols in order; cross-entropy averaged over every step of every sequence,
 *   the head reading output at each step. */
#ifndef GF_TASK_H
#define GF_TASK_H

#include <stdint.h>

#include "gf_error.h"
#include "gf_types.h"

typedef struct TaskData {
    GfTask task;
    int B, T, I, O;        /* T: steps of a sequence (gf_task_steps of the delay for copy) */
    double *x;             /* (B, T, I) inputs, batch_first */
    double *target_real;   /* (B, O) adding targets, else NULL */
    int64_t *target_class; /* (B) recall targets, (B, T) copy targets, else NULL */
    size_t cap;            /* bytes allocated, so a rebuild of the same size reuses the buffer */
    void *block;           /* the one allocation behind x and the targets */
} TaskData;

/* Most informative steps a sequence has (copy: its GF_COPY_LEN symbols). */
#define GF_TASK_MARKS_MAX GF_COPY_LEN

/* The steps of sequence b that carry what the target needs, ascending, into steps (at most cap
 * written); returns how many there are: adding's two marked steps, recall's t = 0, copy's symbol
 * steps 0 .. GF_COPY_LEN-1. Read from the data itself (adding's marker channel). */
int task_marks(const TaskData *d, int b, int *steps, int cap);

/* Builds B sequences for task and --seq-len T (T steps; copy: T + 20), from seed (same seed, same
 * data). */
int task_make(TaskData *d, GfTask task, int B, int T, uint64_t seed, GfError *err);
void task_free(TaskData *d);

#endif
