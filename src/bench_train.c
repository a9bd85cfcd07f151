/* bench_train.c - timing of training steps (see bench_train.h). */
#include "bench_train.h"

#include <stdio.h>
#include <stdlib.h>

#include "platform.h"

static int cmp_ms_(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* One row: cells trained side by side on the same batches, as the window and train do. */
static int bench_cells_(const TrainConfig *base, unsigned cells, int repeat, int csv, GfError *err)
{
    TrainConfig cfg = *base;
    cfg.sim.cells = cells;
    Trainer tr;
    int rc = trainer_init(&tr, &cfg, err);
    if (rc) return rc;
    /* warm-up: the first steps allocate the batch and fault the pages in */
    for (int i = 0; i < 2 && !rc; i++) rc = trainer_step(&tr, err);
    if (!rc && repeat <= 0) {
        double t0 = platform_now_ms();
        rc = trainer_step(&tr, err);
        double once = platform_now_ms() - t0;
        repeat = once > 0 ? (int)(500.0 / once) : 101;
        repeat = repeat < 5 ? 5 : repeat > 101 ? 101 : repeat;
    }
    double *ms = NULL;
    if (!rc && !(ms = malloc(sizeof(double) * (size_t)repeat)))
        rc = gf_error_set(err, GF_ERR_NOMEM, "out of memory");
    if (!rc) rc = trainer_reserve(&tr, (size_t)tr.step + (size_t)repeat, err);
    for (int i = 0; i < repeat && !rc; i++) {
        double t0 = platform_now_ms();
        rc = trainer_step(&tr, err);
        ms[i] = platform_now_ms() - t0;
    }
    if (!rc) {
        qsort(ms, (size_t)repeat, sizeof *ms, cmp_ms_);
        double med = repeat % 2 ? ms[repeat / 2] : 0.5 * (ms[repeat / 2 - 1] + ms[repeat / 2]);
        const SimConfig *s = &cfg.sim;
        const char *name = cells == GF_CELLS_ALL ? "all"
                           : gf_cell_name(cells == 1u ? GF_CELL_RNN : cells == 2u ? GF_CELL_LSTM : GF_CELL_GRU);
        const char *opt = gf_optimizer_name(cfg.optim.kind);
        if (csv)
            printf("%s,%d,%d,%d,%d,%s,%.4f,%.4f,%.2f\n", name, s->layers, s->hidden, s->seq_len, s->batch,
                   opt, med, ms[0], 1000.0 / med);
        else /* the fastest step too: on a shared machine the median carries the neighbours' load */
            printf("%-5s %6d %6d %8d %5d %-9s %11.3f %8.3f %9.1f %6d\n", name, s->layers, s->hidden,
                   s->seq_len, s->batch, opt, med, ms[0], 1000.0 / med, repeat);
        fflush(stdout);
    }
    free(ms);
    trainer_free(&tr);
    return rc;
}

int bench_train(const TrainConfig *cfg, int repeat, int csv, GfError *err)
{
    int rc = train_config_check(cfg, err);
    if (rc) return rc;
    if (csv)
        printf("cell,layers,hidden,seq_len,batch,optimizer,ms_median,ms_min,steps_per_s\n");
    else
        printf("%-5s %6s %6s %8s %5s %-9s %11s %8s %9s %6s\n", "cell", "layers", "hidden", "seq_len",
               "batch", "optimizer", "ms_median", "ms_min", "steps/s", "steps");
    for (int c = 0; c < GF_NUM_CELLS && !rc; c++)
        if (cfg->sim.cells & (1u << c)) rc = bench_cells_(cfg, 1u << c, repeat, csv, err);
    if (!rc && cfg->sim.cells == GF_CELLS_ALL) rc = bench_cells_(cfg, GF_CELLS_ALL, repeat, csv, err);
    return rc;
}
