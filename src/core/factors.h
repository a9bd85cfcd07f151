/* factors.h - why the gradient vanishes, step by step: the factor by which each cell's backward
 * pass multiplies the gradient going from step t to step t-1, and the rates the theory lines
 * follow.
 *
 * Backpropagation through time multiplies dL/dh_t by one Jacobian per step, so after k steps the
 * gradient has been multiplied by k factors; a product of numbers below 1 falls exponentially.
 *   rnn:  dh_t/dh_{t-1} = J_t = diag(phi'(pre_t)) W_hh, phi' = 1 - h_t^2 (tanh) or [h_t > 0]
 *         (relu). Two factors: the gain the step gives this run's gradient, ||J_t^T g_t|| / ||g_t||
 *         with g_t = dL/dh_t (what the curve actually follows), and the spectral norm ||J_t||_2,
 *         the most any direction can grow in that step (power iteration). W_hh is not normal, so
 *         the second can exceed 1 at every step while the first stays below 1: the product of
 *         the Jacobians shrinks at the rate of the spectral radius, not of the norm.
 *   lstm: on the cell state's direct path c_t = f_t * c_{t-1} + ..., dc_t/dc_{t-1} = diag(f_t):
 *         the factor is the forget gate (its mean over the units, and its largest unit).
 *   gru:  h_t = (1 - z_t) * n_t + z_t * h_{t-1} (PyTorch's convention), so on the direct path
 *         dh_t/dh_{t-1} = diag(z_t): the factor is the update gate z_t (mean and largest).
 * Each function reads one layer's slice of the run's tensors: (B, T, H) states, (B, T, G*H) gates
 * (batch-major, as sim.h hands them out). */
#ifndef GF_FACTORS_H
#define GF_FACTORS_H

#include <stddef.h>

#include "gf_error.h"
#include "gf_types.h"

/* Doubles of work factors_rnn_jacobian_norms needs for hidden size H: H*H + 4H. */
size_t factors_rnn_work(int H);

/* out (T): out[t] = mean over the B sequences of ||diag(phi'(pre_{b,t})) W_hh||_2, the spectral
 * norm of the step's Jacobian dh_t/dh_{t-1}, and out_max (T, may be NULL) its largest over the
 * batch; h (B, T, H) the layer's states, w_hh (H, H) row-major. Power iteration on J^T J, warm
 * started from the previous step's singular vector, until the estimate changes by less than tol
 * (relative) or after iters_max iterations (the first step of each sequence gets 10 times as many).
 * work: factors_rnn_work(H) doubles. Returns 0, or GF_ERR_RANGE for a bad size. */
int factors_rnn_jacobian_norms(double *out, double *out_max, const double *h, const double *w_hh, int B,
                               int T, int H, GfNonlin nonlin, int iters_max, double tol, double *work);

/* out (T): out[t] = ||J_t^T g_t|| / ||g_t||, norms over the batch, g_t = dL/dh_t of the layer
 * (B, T, H), h (B, T, H) its states, w_hh (H, H): the factor by which the recurrent step from t
 * back to t-1 multiplies this gradient (NaN where g_t is 0 or not finite). work: H doubles. */
void factors_rnn_gradient_gains(double *out, const double *h, const double *grad_h, const double *w_hh, int B, int T,
                                int H, GfNonlin nonlin, double *work);

/* mean (T) and max (T): the mean and the largest over the B*H entries of gate block k (0 .. G-1)
 * at each step; gate (B, T, G*H). lstm k = 1 is f_t, gru k = 1 is z_t. */
void factors_gate_stats(double *mean, double *max, const double *gate, int B, int T, int H, int G, int k);

/* The mean of phi'(pre) over n states h: 1 - h^2 for tanh, the share of h > 0 for relu. */
double factors_mean_deriv(const double *h, size_t n, GfNonlin nonlin);

/* The "typical rate" line of an rnn layer, log10 at every step t (T values):
 *   log10 ||dL/dh_{T-1}|| + (T-1-t) log10(rho * mean phi'),
 * the gradient shrinking by the spectral radius of W_hh times the mean derivative each step.
 * Returns 0, or -1 (out all NaN) when g_last or the rate is not finite and positive. */
int factors_rate_log10(double *out, double g_last, double rate, int T);

/* The lstm's forget-gate product line, log10 at every step t (T values):
 *   log10 ||dL/dc_{T-1}|| + sum_{s=t+1}^{T-1} log10 f_s,
 * f (T) the mean forget gate of each step: the cell-state gradient on the direct path alone.
 * A zero factor gives -inf from there back. Returns 0, or -1 (out all NaN) when g_last is not
 * finite and positive. */
int factors_product_log10(double *out, double g_last, const double *f, int T);

#endif
