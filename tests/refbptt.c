/* refbptt.c - the reference network: the cells of src/core/cells.c stepped in plain loops. */
#include "refbptt.h"

#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cells.h"

static double *alloc_(size_t n)
{
    double *p = calloc(n ? n : 1, sizeof(double));
    ck_assert_ptr_nonnull(p);
    return p;
}

void ref_init(RefRun *r, const Net *net)
{
    const NetShape *s = &net->s;
    const size_t n = (size_t)s->L * s->B * s->T * s->H;
    memset(r, 0, sizeof *r);
    r->net = net;
    r->h = alloc_(n);
    r->grad_h = alloc_(n);
    if (s->cell == GF_CELL_LSTM) r->c = alloc_(n), r->grad_c = alloc_(n);
    if (s->cell != GF_CELL_RNN) r->gate = alloc_(n * net->G);
    if (s->cell == GF_CELL_GRU) r->hn = alloc_(n);
    r->grads = alloc_(net->n_params);
    r->grad_x = alloc_((size_t)s->B * s->T * s->I);
}

void ref_free(RefRun *r)
{
    free(r->h);
    free(r->c);
    free(r->gate);
    free(r->hn);
    free(r->grad_h);
    free(r->grad_c);
    free(r->grads);
    free(r->grad_x);
    memset(r, 0, sizeof *r);
}

/* Offset of (l, b, t) in an (L, B, T, width) tensor. */
static size_t at_(const Net *net, int l, int b, int t, int width)
{
    return (((size_t)l * net->s.B + b) * net->s.T + t) * width;
}

void ref_forward(RefRun *r, const double *h_off, const double *c_off)
{
    const Net *net = r->net;
    const int L = net->s.L, B = net->s.B, T = net->s.T, H = net->s.H, GH = net->G * H;
    static const double zeros[GF_HIDDEN_MAX];
    for (int l = 0; l < L; l++)
        for (int b = 0; b < B; b++)
            for (int t = 0; t < T; t++) {
                const int in = net_layer_inputs(net, l);
                const double *x = l == 0 ? net->x + ((size_t)b * T + t) * net->s.I : r->h + at_(net, l - 1, b, t, H);
                const size_t k = at_(net, l, b, t, H);
                const double *h_prev = t > 0 ? r->h + k - H : zeros;
                double *h = r->h + k;
                switch (net->s.cell) {
                case GF_CELL_RNN:
                    rnn_step_forward(h, x, h_prev, net->w_ih[l], net->b_ih[l], net->w_hh[l], net->b_hh[l],
                                     in, H, net->s.nonlin);
                    break;
                case GF_CELL_LSTM: {
                    double *g = r->gate + at_(net, l, b, t, GH), *c = r->c + k;
                    lstm_step_forward(h, c, g, x, h_prev, t > 0 ? c - H : zeros, net->w_ih[l], net->b_ih[l],
                                      net->w_hh[l], net->b_hh[l], in, H);
                    if (c_off)
                        for (int j = 0; j < H; j++) {
                            c[j] += c_off[k + j];
                            h[j] = g[3 * H + j] * tanh(c[j]); /* h_t = o * tanh(c_t), perturbed c_t */
                        }
                    break;
                }
                case GF_CELL_GRU:
                    gru_step_forward(h, r->gate + at_(net, l, b, t, GH), r->hn + k, x, h_prev, net->w_ih[l],
                                     net->b_ih[l], net->w_hh[l], net->b_hh[l], in, H);
                    break;
                }
                if (h_off)
                    for (int j = 0; j < H; j++) h[j] += h_off[k + j];
            }
}

void ref_backward(RefRun *r, const double *dy)
{
    const Net *net = r->net;
    const int L = net->s.L, B = net->s.B, T = net->s.T, H = net->s.H, O = net->s.O, GH = net->G * H;
    static const double zeros[GF_HIDDEN_MAX];
    double *ext = alloc_((size_t)B * T * H);   /* (B, T, H) dL/dh_t from above, of the layer run */
    double *below = alloc_((size_t)B * T * H); /* (B, T, H) what it sends to the layer below */
    double dh[GF_HIDDEN_MAX], dh_rec[GF_HIDDEN_MAX], dc_rec[GF_HIDDEN_MAX], dc_prev[GF_HIDDEN_MAX];
    memset(r->grads, 0, sizeof(double) * net->n_params);
    /* the head reads h_n[-1]: dL/dh_{T-1} of the top layer = head.weight^T dy */
    for (int b = 0; b < B; b++)
        for (int j = 0; j < H; j++) {
            double s = 0.0;
            for (int o = 0; o < O; o++) s += net->head_w[(size_t)o * H + j] * dy[(size_t)b * O + o];
            ext[((size_t)b * T + T - 1) * H + j] = s;
        }
    for (int l = L - 1; l >= 0; l--) {
        const int in = net_layer_inputs(net, l);
        double *gwi = r->grads + (net->w_ih[l] - net->params), *gwh = r->grads + (net->w_hh[l] - net->params);
        double *gbi = r->grads + (net->b_ih[l] - net->params), *gbh = r->grads + (net->b_hh[l] - net->params);
        for (int b = 0; b < B; b++) {
            memset(dh_rec, 0, sizeof dh_rec);
            memset(dc_rec, 0, sizeof dc_rec);
            for (int t = T - 1; t >= 0; t--) {
                const size_t k = at_(net, l, b, t, H);
                const double *x = l == 0 ? net->x + ((size_t)b * T + t) * net->s.I : r->h + at_(net, l - 1, b, t, H);
                const double *h_prev = t > 0 ? r->h + k - H : zeros;
                double *dx = l == 0 ? r->grad_x + ((size_t)b * T + t) * in : below + ((size_t)b * T + t) * H;
                /* the total dL/dh_t: from above plus from step t+1 */
                for (int j = 0; j < H; j++) dh[j] = ext[((size_t)b * T + t) * H + j] + dh_rec[j];
                memcpy(r->grad_h + k, dh, sizeof(double) * H);
                switch (net->s.cell) {
                case GF_CELL_RNN:
                    rnn_step_backward(dh_rec, dx, gwi, gbi, gwh, gbh, dh, r->h + k, x, h_prev, net->w_ih[l],
                                      net->w_hh[l], in, H, net->s.nonlin);
                    break;
                case GF_CELL_LSTM:
                    lstm_step_backward(dh_rec, dc_prev, dx, r->grad_c + k, gwi, gbi, gwh, gbh, dh, dc_rec,
                                       r->gate + at_(net, l, b, t, GH), r->c + k, t > 0 ? r->c + k - H : zeros,
                                       x, h_prev, net->w_ih[l], net->w_hh[l], in, H);
                    memcpy(dc_rec, dc_prev, sizeof(double) * H);
                    break;
                case GF_CELL_GRU:
                    gru_step_backward(dh_rec, dx, gwi, gbi, gwh, gbh, dh, r->gate + at_(net, l, b, t, GH),
                                      r->hn + k, x, h_prev, net->w_ih[l], net->w_hh[l], in, H);
                    break;
                }
            }
        }
        double *swap = ext;
        ext = below, below = swap;
    }
    free(ext);
    free(below);
}
