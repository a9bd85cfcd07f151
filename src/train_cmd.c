/* train_cmd.c - the headless training run behind `gradflow train` (see train_cmd.h). */
#include "train_cmd.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platform.h"
#include "train_output.h"

int train_job_check(const TrainJob *job, GfError *err)
{
    int rc = train_config_check(&job->cfg, err);
    if (rc) return rc;
    const unsigned cells = job->cfg.sim.cells;
    if (job->out_path && (cells & (cells - 1)))
        return gf_error_set(err, GF_ERR_RANGE, "train -o writes one cell's train file: give --cell rnn, "
                            "lstm or gru (the CSV takes every cell)");
    if (job->record && !job->out_path)
        return gf_error_set(err, GF_ERR_RANGE, "--record puts every batch into the train file: give -o "
                            "FILE.safetensors too");
    /* every cell's network and history, and the train file being built */
    SimConfig sim = job->cfg.sim;
    sim.want_param_grads = 1; /* training keeps what the parameter gradients need */
    size_t bytes = sim_config_memory(&sim) + (size_t)job->steps * 40 * GF_NUM_CELLS;
    if (job->out_path) bytes += output_train_file_size(&job->cfg, job->steps, job->record);
    if (bytes > GF_MEMORY_CAP)
        return gf_error_set(err, GF_ERR_TOOBIG, "this training run needs %.1f GiB (%s%ld steps x batch %d x "
                            "seq-len %d), over the %.0f GiB limit: make one of them smaller%s",
                            (double)bytes / (1u << 30), job->record ? "--record: " : "", job->steps,
                            job->cfg.sim.batch, job->cfg.sim.seq_len, (double)GF_MEMORY_CAP / (1u << 30),
                            job->record ? ", or leave out --record" : "");
    return GF_OK;
}

/* The mean loss of a cell's last k steps (k at most n). */
static double recent_loss_(const TrainHistory *h, size_t k)
{
    if (h->n == 0) return NAN;
    if (k > h->n) k = h->n;
    double s = 0;
    for (size_t i = h->n - k; i < h->n; i++) s += h->loss[i];
    return s / (double)k;
}

/* "rnn 0.1652  lstm 0.0031  gru 0.0004" into buf */
static void loss_line_(const Trainer *tr, char *buf, size_t n)
{
    size_t at = 0;
    buf[0] = '\0';
    for (int c = 0; c < GF_NUM_CELLS; c++) {
        if (!tr->cell[c].active || at >= n) continue;
        at += (size_t)snprintf(buf + at, n - at, "%s%s %.4g", at ? "  " : "", gf_cell_name((GfCell)c),
                               recent_loss_(&tr->cell[c].hist, 50));
    }
}

static int write_files_(const Trainer *tr, const TrainJob *job, GfError *err)
{
    char *csv = NULL;
    size_t csv_len = 0;
    uint8_t *file = NULL;
    size_t file_len = 0;
    int rc = output_train_csv(tr, &csv, &csv_len, err);
    if (!rc && job->out_path) {
        GfCell cell = GF_CELL_RNN;
        for (int c = 0; c < GF_NUM_CELLS; c++)
            if (tr->cell[c].active) cell = (GfCell)c;
        rc = output_train_file(tr, cell, job->record, job->command_line, &file, &file_len, err);
    }
    /* the train file first: if the CSV then fails, the train file is whole and the CSV absent */
    if (!rc && file) rc = platform_write_atomic(job->out_path, file, file_len, err);
    if (!rc) rc = platform_write_atomic(job->csv_path, csv, csv_len, err);
    free(csv);
    free(file);
    return rc;
}

int train_job_run(const TrainJob *job, GfError *err)
{
    int rc = train_job_check(job, err);
    if (rc) return rc;
    Trainer tr;
    if ((rc = trainer_init(&tr, &job->cfg, err))) return rc;
    if ((rc = trainer_reserve(&tr, (size_t)job->steps, err))) {
        trainer_free(&tr);
        return rc;
    }
    const int live = platform_stderr_is_terminal();
    platform_catch_interrupt();
    const double t0 = platform_now_ms();
    double shown = t0;
    char losses[160];
    for (long s = 0; s < job->steps && !rc; s++) {
        if (platform_interrupted()) {
            if (live) fputc('\n', stderr);
            rc = gf_error_set(err, GF_ERR_CANCELLED, "interrupted at step %ld of %ld: nothing written", s,
                              job->steps);
            break;
        }
        rc = trainer_step(&tr, err);
        double now = platform_now_ms();
        if (!rc && live && (now - shown > 250 || s + 1 == job->steps)) {
            shown = now;
            double per_s = (double)(s + 1) / ((now - t0) / 1e3);
            loss_line_(&tr, losses, sizeof losses);
            fprintf(stderr, "\rstep %ld/%ld  loss %s  %.1f steps/s  %.0f s left   ", s + 1, job->steps,
                    losses, per_s, (double)(job->steps - s - 1) / per_s);
            fflush(stderr);
        }
    }
    if (!rc) {
        double secs = (platform_now_ms() - t0) / 1e3;
        loss_line_(&tr, losses, sizeof losses);
        if (live) fputc('\n', stderr);
        fprintf(stderr, "trained %ld steps in %.1f s (%.1f steps/s); loss over the last 50 steps: %s "
                "(memoryless baseline %.4g)\n", job->steps, secs, job->steps / (secs > 0 ? secs : 1e-9),
                losses, gf_task_baseline(job->cfg.sim.task, job->cfg.sim.seq_len));
        rc = write_files_(&tr, job, err);
    }
    trainer_free(&tr);
    return rc;
}
