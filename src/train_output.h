/* train_output.h - what `gradflow train` writes: the CSV of every step's loss and gradient norm,
 * and the train file (.safetensors) with which PyTorch replays the training step by step.
 * Both are built in memory; callers write them with platform_write_atomic. */
#ifndef GF_TRAIN_OUTPUT_H
#define GF_TRAIN_OUTPUT_H

#include <stddef.h>
#include <stdint.h>

#include "core/gf_error.h"
#include "core/train.h"

/* CSV, header `cell,step,loss,grad_norm,clipped` (+ `,accuracy` for recall and copy), one row per
 * (cell, step) of every cell trained, cells in the order rnn, lstm, gru; %.17g. */
int output_train_csv(const Trainer *tr, char **text, size_t *len, GfError *err);

/* The train file of one cell: the final weights under PyTorch's names (F64), `init.<name>` the
 * weights before the first step, `train.loss` and `train.grad_norm` (S), with record also every
 * step's batch, `train.inputs` (S, B, T, I) and `train.targets` ((S, B, O) F64 adding, (S, B) I64
 * recall, (S, B, T) I64 copy); metadata: the configuration and the optimizer's hyper-parameters. */
int output_train_file(const Trainer *tr, GfCell cell, int record, const char *command_line,
                      uint8_t **bytes, size_t *len, GfError *err);

/* Bytes output_train_file needs for tr's configuration after steps steps (for the memory cap). */
size_t output_train_file_size(const TrainConfig *cfg, long steps, int record);

#endif
