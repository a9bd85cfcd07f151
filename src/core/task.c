/* task.c - the synthetic sequences: adding, recall and copy (definitions in task.h). */
#include "task.h"

#include <stdlib.h>
#include <string.h>

#include "rng.h"

void task_free(TaskData *d)
{
    if (!d) return;
    free(d->block);
    memset(d, 0, sizeof *d);
}

/* One copy sequence x (T, I) and its targets y (T), T = delay + 20: the symbols, T-1 blanks, the
 * delimiter, 10 blanks; targets blank but for the last 10 steps, which repeat the symbols. */
static void copy_make_(double *x, int64_t *y, int T, Rng *r)
{
    const int K = GF_COPY_SYMBOLS, I = K + 2, N = GF_COPY_LEN;
    for (int t = 0; t < T; t++) y[t] = K; /* blank */
    for (int k = 0; k < N; k++) {
        int s = (int)rng_below(r, (uint64_t)K);
        x[(size_t)k * I + s] = 1.0;              /* symbol k, one-hot */
        y[T - N + k] = s;                        /* ... repeated in the last N steps */
    }
    for (int t = N; t < T - N - 1; t++) x[(size_t)t * I + K] = 1.0; /* blanks */
    x[(size_t)(T - N - 1) * I + K + 1] = 1.0;   /* the delimiter */
    for (int t = T - N; t < T; t++) x[(size_t)t * I + K] = 1.0;     /* blanks while recalling */
}

int task_make(TaskData *d, GfTask task, int B, int T, uint64_t seed, GfError *err)
{
    if (B < 1 || T < 1 || (unsigned)task >= GF_NUM_TASKS)
        return gf_error_set(err, GF_ERR_RANGE, "invalid task size");
    if (task == GF_TASK_ADDING && T < 2)
        return gf_error_set(err, GF_ERR_RANGE,
                            "--seq-len 1 is too short for the adding task (its two markers sit in "
                            "different halves): use T >= 2, or --task recall");
    const int I = gf_task_inputs(task), O = gf_task_outputs(task);
    T = gf_task_steps(task, T);
    const size_t n_class = task == GF_TASK_COPY ? (size_t)B * T : (size_t)B; /* class targets */
    size_t nx = (size_t)B * T * I;
    size_t bytes = nx * sizeof(double) + (size_t)B * O * sizeof(double) + n_class * sizeof(int64_t);
    if (bytes > d->cap) {
        void *block = malloc(bytes);
        if (!block) return gf_error_set(err, GF_ERR_NOMEM, "out of memory allocating the task's data");
        free(d->block);
        d->block = block;
        d->cap = bytes;
    }
    d->task = task;
    d->B = B, d->T = T, d->I = I, d->O = O;
    d->x = d->block;
    memset(d->x, 0, nx * sizeof(double));
    if (task == GF_TASK_ADDING) {
        d->target_real = d->x + nx;
        d->target_class = NULL;
    } else {
        d->target_real = NULL;
        d->target_class = (int64_t *)(d->x + nx + (size_t)B * O);
    }
    /* The data has its own stream, so changing H or the init leaves the sequence unchanged. */
    Rng r;
    rng_seed(&r, seed ^ 0xDA7A5EED0F5EC0DEull);
    for (int b = 0; b < B; b++) {
        double *x = d->x + (size_t)b * T * I; /* (T, I) */
        if (task == GF_TASK_ADDING) {
            for (int t = 0; t < T; t++) x[(size_t)t * 2] = rng_uniform(&r);
            int half = T / 2;
            int m1 = (int)rng_below(&r, (uint64_t)half);                  /* in [0, T/2) */
            int m2 = half + (int)rng_below(&r, (uint64_t)(T - half));     /* in [T/2, T) */
            x[(size_t)m1 * 2 + 1] = 1.0;
            x[(size_t)m2 * 2 + 1] = 1.0;
            d->target_real[b] = x[(size_t)m1 * 2] + x[(size_t)m2 * 2];    /* target = sum of marked */
        } else if (task == GF_TASK_COPY) {
            copy_make_(x, d->target_class + (size_t)b * T, T, &r);
        } else {
            int s = (int)rng_below(&r, GF_RECALL_SYMBOLS);
            x[s] = 1.0;                                                   /* one-hot symbol at t = 0 */
            for (int t = 1; t < T; t++) x[(size_t)t * I + GF_RECALL_SYMBOLS] = 1.0; /* blanks */
            d->target_class[b] = s;
        }
    }
    return GF_OK;
}

int task_marks(const TaskData *d, int b, int *steps, int cap)
{
    if (!d || !d->x || b < 0 || b >= d->B) return 0;
    const double *x = d->x + (size_t)b * d->T * d->I; /* (T, I) */
    int n = 0;
    switch (d->task) {
    case GF_TASK_ADDING: /* the marker channel's two 1s */
        for (int t = 0; t < d->T; t++)
            if (x[(size_t)t * d->I + 1] != 0.0) {
                if (n < cap) steps[n] = t;
                n++;
            }
        break;
    case GF_TASK_COPY: /* the symbols, steps 0 .. GF_COPY_LEN-1 */
        for (int t = 0; t < GF_COPY_LEN && t < d->T; t++) {
            if (n < cap) steps[n] = t;
            n++;
        }
        break;
    default: /* recall: the symbol at t = 0 */
        if (cap > 0) steps[0] = 0;
        n = 1;
        break;
    }
    return n;
}
