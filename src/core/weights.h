/* weights.h - a PyTorch state_dict of nn.RNN / nn.LSTM / nn.GRU loaded from .safetensors.
 *
 * Names as PyTorch saves them: weight_ih_l{k} (G*H, I_k), weight_hh_l{k} (G*H, H), bias_ih_l{k},
 * bias_hh_l{k} (G*H) for k = 0 .. L-1, F32 or F64; the biases may be absent (bias=False: zeros);
 * an optional head.weight (O, H) and head.bias (O). The cell kind, H, L and I are read from the
 * shapes (G = rows / H of weight_hh_l0: 1 rnn, 4 lstm, 3 gru); a gradflow run file loads too.
 * A bidirectional model (bidirectional=True) has every layer's tensors again with "_reverse"
 * (weight_ih_l0_reverse, ...), I_k = 2H above the first layer and head.weight (O, 2H). */
#ifndef GF_WEIGHTS_H
#define GF_WEIGHTS_H

#include <stddef.h>
#include <stdint.h>

#include "gf_error.h"
#include "gf_types.h"

typedef struct GfWeights {
    GfCell cell;                 /* inferred from weight_hh_l0's shape */
    int L, H, I, G;              /* layers, hidden size, input size of layer 0, gates */
    int D;                       /* directions: 2 if weight_hh_l0_reverse is present, else 1 */
    int has_head;                /* head.weight and head.bias present */
    int O;                       /* head outputs (if has_head) */
    int has_nonlin;              /* metadata named a nonlinearity */
    GfNonlin nonlin;             /* ... and this is it */
    int has_run;                 /* a gradflow run file: the sequence it ran on is known ... */
    GfTask task;                 /* ... its task, */
    int seq_len, batch;          /* ... T and B */
    uint64_t seed;               /* ... and the seed of its data */
    double w_hh_scale;           /* the run file's weight_hh_float32_scale s (the factor by
                                    which its run read weight_hh as float32 numbers), else 1: the
                                    factor net_prepare tries (and checks, per layer) */
    double *block;               /* one allocation behind every tensor below */
    double *w_ih[GF_UNITS_MAX];  /* (G*H, I_k), by unit k * D + d (d = 1: "_reverse") */
    double *w_hh[GF_UNITS_MAX];  /* (G*H, H) */
    double *b_ih[GF_UNITS_MAX];  /* (G*H), zeros when absent */
    double *b_hh[GF_UNITS_MAX];  /* (G*H), zeros when absent */
    double *head_w;              /* (O, D*H) or NULL */
    double *head_b;              /* (O) or NULL */
} GfWeights;

/* Parses a whole .safetensors file held in buf. Errors (GF_ERR_FORMAT / SHAPE / MISSING) name
 * the tensor, the shape found and the shape expected. */
int weights_parse(GfWeights *w, const uint8_t *buf, size_t len, GfError *err);
void weights_free(GfWeights *w);

#endif
