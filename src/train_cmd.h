/* train_cmd.h - `gradflow train`: trains the cells headless, shows progress, and writes the CSV
 * and (for one cell) the train file. */
#ifndef GF_TRAIN_CMD_H
#define GF_TRAIN_CMD_H

#include "core/gf_error.h"
#include "core/train.h"

typedef struct TrainJob {
    TrainConfig cfg;          /* what to train and how */
    long steps;               /* training steps */
    const char *csv_path;     /* --csv FILE (required) */
    const char *out_path;     /* -o FILE.safetensors, or NULL (one cell only) */
    int record;               /* --record: every batch into the train file */
    const char *command_line; /* for the train file's metadata (may be NULL) */
} TrainJob;

/* Checks the job before any work: the configuration, -o with one cell, the memory estimate. */
int train_job_check(const TrainJob *job, GfError *err);
/* Trains, with a live progress line on stderr when it is a terminal and one summary line at the
 * end; Ctrl+C stops it with nothing written (GF_ERR_CANCELLED). Writes the files only when every
 * step is done. */
int train_job_run(const TrainJob *job, GfError *err);

#endif
