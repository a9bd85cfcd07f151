/* cells.c - the reference: one step of each cell forward and backward, PyTorch's equations in
 * plain loops (shapes and argument order in cells.h).
 *
 * Backpropagation through time is these backward steps run from t = T-1 down to 0: step t gets
 * dL/dh_t = (what the layer above or the head sends) + (dh_prev returned by step t+1), and for the
 * LSTM dL/dc_t from step t+1 (dc_prev), and hands dh_prev, dc_prev on to step t-1. Every step adds
 * its share to the same parameter gradients. pre denotes a gate's value before its activation.
 *
 * Slow on purpose (no blocking, no vectors, activations recomputed where that is shorter): the
 * runs use kernels.c, which tests/test_cells.c holds equal to this. */
#include "cells.h"

#include <math.h>
#include <string.h>

static double sigmoid_(double x) { return 1.0 / (1.0 + exp(-x)); }

/* y (n) = W v + b, W (n, m), v (m), b (n) */
static void affine_(double *y, const double *W, const double *v, const double *b, int n, int m)
{
    for (int r = 0; r < n; r++) {
        double s = b[r];
        for (int k = 0; k < m; k++) s += W[(size_t)r * m + k] * v[k];
        y[r] = s;
    }
}

/* Backward of row r of y = W v + b, given d = dL/dy_r:
 *   dL/dW[r][k] += d v_k,  dL/db_r += d,  dL/dv_k += W[r][k] d */
static void affine_row_backward_(double *dv, double *dW, double *db, const double *W,
                                 const double *v, double d, int r, int m)
{
    db[r] += d;
    for (int k = 0; k < m; k++) {
        dW[(size_t)r * m + k] += d * v[k];
        dv[k] += W[(size_t)r * m + k] * d;
    }
}

/* ---- RNN -------------------------------------------------------------------------------------
 *   h_t = tanh(W_ih x_t + b_ih + W_hh h_{t-1} + b_hh)          (nonlinearity='relu': max(0, .))
 * backward:
 *   d pre    = dh * (1 - h_t^2)                                 (relu: dh where h_t > 0, else 0)
 *   dW_ih += d pre x_t^T,  db_ih += d pre,  dW_hh += d pre h_{t-1}^T,  db_hh += d pre
 *   dx_t = W_ih^T d pre,   dh_{t-1} = W_hh^T d pre */
void rnn_step_forward(double *h, const double *x, const double *h_prev, const double *w_ih,
                      const double *b_ih, const double *w_hh, const double *b_hh, int I, int H,
                      GfNonlin nonlin)
{
    double hh[GF_HIDDEN_MAX]; /* (H) W_hh h_{t-1} + b_hh */
    affine_(h, w_ih, x, b_ih, H, I);
    affine_(hh, w_hh, h_prev, b_hh, H, H);
    for (int j = 0; j < H; j++) {
        double pre = h[j] + hh[j];
        h[j] = nonlin == GF_NONLIN_RELU ? (pre < 0.0 ? 0.0 : pre) : tanh(pre);
    }
}

void rnn_step_backward(double *dh_prev, double *dx, double *dw_ih, double *db_ih, double *dw_hh,
                       double *db_hh, const double *dh, const double *h, const double *x,
                       const double *h_prev, const double *w_ih, const double *w_hh, int I, int H,
                       GfNonlin nonlin)
{
    memset(dh_prev, 0, sizeof(double) * H);
    memset(dx, 0, sizeof(double) * I);
    for (int j = 0; j < H; j++) {
        double dpre = nonlin == GF_NONLIN_RELU ? (h[j] <= 0.0 ? 0.0 : dh[j]) : dh[j] * (1.0 - h[j] * h[j]);
        affine_row_backward_(dx, dw_ih, db_ih, w_ih, x, dpre, j, I);
        affine_row_backward_(dh_prev, dw_hh, db_hh, w_hh, h_prev, dpre, j, H);
    }
}

/* ---- LSTM ------------------------------------------------------------------------------------
 *   i = sigma(pre_i), f = sigma(pre_f), g = tanh(pre_g), o = sigma(pre_o),
 *     pre = W_ih x_t + b_ih + W_hh h_{t-1} + b_hh, its four H-blocks in the order i, f, g, o
 *   c_t = f*c_{t-1} + i*g
 *   h_t = o*tanh(c_t)
 * backward (dc_next = dL/dc_t through c_{t+1}):
 *   dc = dh * o * (1 - tanh^2 c_t) + dc_next          the total dL/dc_t
 *   d pre_i = dc * g * i(1-i),  d pre_f = dc * c_{t-1} * f(1-f),
 *   d pre_g = dc * i * (1-g^2), d pre_o = dh * tanh(c_t) * o(1-o)
 *   dc_{t-1} = dc * f;  dx_t = W_ih^T d pre;  dh_{t-1} = W_hh^T d pre;  parameters as the RNN's */
void lstm_step_forward(double *h, double *c, double *gates, const double *x, const double *h_prev,
                       const double *c_prev, const double *w_ih, const double *b_ih,
                       const double *w_hh, const double *b_hh, int I, int H)
{
    double hh[4 * GF_HIDDEN_MAX]; /* (4H) W_hh h_{t-1} + b_hh */
    affine_(gates, w_ih, x, b_ih, 4 * H, I);
    affine_(hh, w_hh, h_prev, b_hh, 4 * H, H);
    double *i = gates, *f = gates + H, *g = gates + 2 * H, *o = gates + 3 * H;
    for (int j = 0; j < H; j++) {
        i[j] = sigmoid_(i[j] + hh[j]);
        f[j] = sigmoid_(f[j] + hh[H + j]);
        g[j] = tanh(g[j] + hh[2 * H + j]);
        o[j] = sigmoid_(o[j] + hh[3 * H + j]);
        c[j] = f[j] * c_prev[j] + i[j] * g[j];
        h[j] = o[j] * tanh(c[j]);
    }
}

void lstm_step_backward(double *dh_prev, double *dc_prev, double *dx, double *dc, double *dw_ih,
                        double *db_ih, double *dw_hh, double *db_hh, const double *dh,
                        const double *dc_next, const double *gates, const double *c,
                        const double *c_prev, const double *x, const double *h_prev,
                        const double *w_ih, const double *w_hh, int I, int H)
{
    const double *i = gates, *f = gates + H, *g = gates + 2 * H, *o = gates + 3 * H;
    memset(dh_prev, 0, sizeof(double) * H);
    memset(dx, 0, sizeof(double) * I);
    for (int j = 0; j < H; j++) {
        double tc = tanh(c[j]);
        dc[j] = dh[j] * o[j] * (1.0 - tc * tc) + dc_next[j];
        double dpre[4] = {
            dc[j] * g[j] * i[j] * (1.0 - i[j]),
            dc[j] * c_prev[j] * f[j] * (1.0 - f[j]),
            dc[j] * i[j] * (1.0 - g[j] * g[j]),
            dh[j] * tc * o[j] * (1.0 - o[j]),
        };
        dc_prev[j] = dc[j] * f[j];
        for (int q = 0; q < 4; q++) {
            affine_row_backward_(dx, dw_ih, db_ih, w_ih, x, dpre[q], q * H + j, I);
            affine_row_backward_(dh_prev, dw_hh, db_hh, w_hh, h_prev, dpre[q], q * H + j, H);
        }
    }
}

/* ---- GRU -------------------------------------------------------------------------------------
 *   r = sigma(W_ir x_t + b_ir + W_hr h_{t-1} + b_hr)
 *   z = sigma(W_iz x_t + b_iz + W_hz h_{t-1} + b_hz)
 *   n = tanh(W_in x_t + b_in + r * (W_hn h_{t-1} + b_hn))
 *   h_t = (1-z)*n + z*h_{t-1}
 * backward (hn = W_hn h_{t-1} + b_hn, saved by the forward step):
 *   d pre_n = dh * (1-z) * (1-n^2),  d pre_z = dh * (h_{t-1} - n) * z(1-z),
 *   d pre_r = d pre_n * hn * r(1-r)
 *   input side (W_ih, b_ih) rows r, z, n: d pre_r, d pre_z, d pre_n
 *   hidden side (W_hh, b_hh) rows r, z, n: d pre_r, d pre_z, d pre_n * r
 *   dx_t = W_ih^T (input side);  dh_{t-1} = dh * z + W_hh^T (hidden side) */
void gru_step_forward(double *h, double *gates, double *hn, const double *x, const double *h_prev,
                      const double *w_ih, const double *b_ih, const double *w_hh,
                      const double *b_hh, int I, int H)
{
    double hh[3 * GF_HIDDEN_MAX]; /* (3H) W_hh h_{t-1} + b_hh */
    affine_(gates, w_ih, x, b_ih, 3 * H, I);
    affine_(hh, w_hh, h_prev, b_hh, 3 * H, H);
    double *r = gates, *z = gates + H, *n = gates + 2 * H;
    for (int j = 0; j < H; j++) {
        r[j] = sigmoid_(r[j] + hh[j]);
        z[j] = sigmoid_(z[j] + hh[H + j]);
        hn[j] = hh[2 * H + j];
        n[j] = tanh(n[j] + r[j] * hn[j]);
        h[j] = (1.0 - z[j]) * n[j] + z[j] * h_prev[j];
    }
}

void gru_step_backward(double *dh_prev, double *dx, double *dw_ih, double *db_ih, double *dw_hh,
                       double *db_hh, const double *dh, const double *gates, const double *hn,
                       const double *x, const double *h_prev, const double *w_ih,
                       const double *w_hh, int I, int H)
{
    const double *r = gates, *z = gates + H, *n = gates + 2 * H;
    memset(dh_prev, 0, sizeof(double) * H);
    memset(dx, 0, sizeof(double) * I);
    for (int j = 0; j < H; j++) {
        double dn = dh[j] * (1.0 - z[j]) * (1.0 - n[j] * n[j]);
        double dz = dh[j] * (h_prev[j] - n[j]) * z[j] * (1.0 - z[j]);
        double dr = dn * hn[j] * r[j] * (1.0 - r[j]);
        double d_in[3] = {dr, dz, dn}, d_hid[3] = {dr, dz, dn * r[j]};
        dh_prev[j] += dh[j] * z[j];
        for (int q = 0; q < 3; q++) {
            affine_row_backward_(dx, dw_ih, db_ih, w_ih, x, d_in[q], q * H + j, I);
            affine_row_backward_(dh_prev, dw_hh, db_hh, w_hh, h_prev, d_hid[q], q * H + j, H);
        }
    }
}
