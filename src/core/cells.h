/* cells.h - one time step of each cell, forward and backward, in plain loops: the reference.
 *
 * These are PyTorch's nn.RNN / nn.LSTM / nn.GRU cells, written to be read (cells.c has the
 * equations above each function). The fast kernels (kernels.c) compute the same thing for a whole
 * sequence; tests/test_cells.c holds them equal to these on every cell and shape.
 *
 * Arguments go outputs, then saved activations, then inputs and weights, then sizes. Shapes, for
 * H hidden units, I inputs and G gates (rnn 1, lstm 4: i, f, g, o; gru 3: r, z, n):
 *   x (I), h, c (H), w_ih (G*H, I), w_hh (G*H, H), b_ih, b_hh (G*H), gates (G*H).
 * A first step has h_prev = c_prev = zeros. The backward steps write dL/dh_{t-1}, dL/dc_{t-1} and
 * dL/dx_t (=) and accumulate (+=) into the parameter gradients, so one zeroing clears a whole
 * sequence. dh is the total dL/dh_t: from the layer above (or the head) plus from step t+1. */
#ifndef GF_CELLS_H
#define GF_CELLS_H

#include "gf_types.h"

/* h_t = tanh(W_ih x_t + b_ih + W_hh h_{t-1} + b_hh)   (or relu) */
void rnn_step_forward(double *h, const double *x, const double *h_prev, const double *w_ih,
                      const double *b_ih, const double *w_hh, const double *b_hh, int I, int H,
                      GfNonlin nonlin);
void rnn_step_backward(double *dh_prev, double *dx, double *dw_ih, double *db_ih, double *dw_hh,
                       double *db_hh, const double *dh, const double *h, const double *x,
                       const double *h_prev, const double *w_ih, const double *w_hh, int I, int H,
                       GfNonlin nonlin);

/* gates (4H) = i, f, g, o;  c_t = f*c_{t-1} + i*g;  h_t = o*tanh(c_t) */
void lstm_step_forward(double *h, double *c, double *gates, const double *x, const double *h_prev,
                       const double *c_prev, const double *w_ih, const double *b_ih,
                       const double *w_hh, const double *b_hh, int I, int H);
/* dc_next: dL/dc_t arriving from step t+1 (zeros at the last step); dc: the total dL/dc_t */
void lstm_step_backward(double *dh_prev, double *dc_prev, double *dx, double *dc, double *dw_ih,
                        double *db_ih, double *dw_hh, double *db_hh, const double *dh,
                        const double *dc_next, const double *gates, const double *c,
                        const double *c_prev, const double *x, const double *h_prev,
                        const double *w_ih, const double *w_hh, int I, int H);

/* gates (3H) = r, z, n;  hn (H) = W_hn h_{t-1} + b_hn;  h_t = (1-z)*n + z*h_{t-1} */
void gru_step_forward(double *h, double *gates, double *hn, const double *x, const double *h_prev,
                      const double *w_ih, const double *b_ih, const double *w_hh,
                      const double *b_hh, int I, int H);
void gru_step_backward(double *dh_prev, double *dx, double *dw_ih, double *db_ih, double *dw_hh,
                       double *db_hh, const double *dh, const double *gates, const double *hn,
                       const double *x, const double *h_prev, const double *w_ih,
                       const double *w_hh, int I, int H);

#endif
