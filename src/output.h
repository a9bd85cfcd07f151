/* output.h - what gradflow writes: the tidy CSV of per-step gradient norms and the run file
 * (.safetensors) that reproduces a whole run in PyTorch. Both are built in memory; callers write
 * them with platform_write_atomic (or to stdout). */
#ifndef GF_OUTPUT_H
#define GF_OUTPUT_H

#include <stddef.h>
#include <stdint.h>

#include "core/gf_error.h"
#include "core/sim.h"

/* CSV, header `cell,layer,t,grad_h_norm,grad_c_norm`, one row per (cell, layer, t) of every cell
 * that ran, in the order rnn, lstm, gru; values as %.17g (round-trip exact); grad_c_norm empty
 * except for lstm. *text is malloc'ed and NUL-terminated, *len excludes the NUL. */
int output_csv(const Sim *sim, char **text, size_t *len, GfError *err);

/* The run file of one cell of the last run: every parameter with PyTorch's names (the values
 * actually used, after the weight scale and forget bias), inputs (B, T, I), targets, loss,
 * grad_h / h (L, B, T, H), and for lstm grad_c / c, the parameter gradients as grad.<name>
 * (when the run computed them) and grad.inputs; metadata describing the configuration.
 * command_line (may be NULL) is stored as metadata too. */
int output_run_file(const Sim *sim, GfCell cell, const char *command_line, uint8_t **bytes,
                    size_t *len, GfError *err);

/* Upper bounds of the bytes output_csv and output_run_file build in memory for a run of cfg
 * (want_param_grads as the run will have it; the run file for one cell, with a command line of
 * command_line_len bytes), so a mode's memory estimate counts what it writes too. */
size_t output_csv_bytes(const SimConfig *cfg);
size_t output_run_file_bytes(const SimConfig *cfg, GfCell cell, size_t command_line_len);

#endif
