/* kernels.h - the hot loops: one layer of one sequence, forward over T steps or backward through
 * them. Compiled with FMA contraction and, where the compiler supports it, in several instruction
 * set versions chosen at load time. Internal to the core (net.c is the caller). */
#ifndef GF_KERNELS_H
#define GF_KERNELS_H

#include "net.h"

/* y (n) += M^T a, M (m, n) row-major, a (m). */
void kern_gemv_t(double *y, const double *M, const double *a, int m, int n);
/* The same through the row-sweep path that x86 processors without AVX2 take (for tests). */
void kern_gemv_rows_t(double *y, const double *M, const double *a, int m, int n);

/* xproj (T, G*H) of sequence b for layer l: W_ih x_t + b_ih, plus b_hh for rnn and lstm (gru
 * keeps b_hh on the hidden side, where the reset gate multiplies the n block). */
void kern_layer_input(Net *net, int l, int b);
/* The recurrence of layer l, sequence b, t = 0 .. T-1, from zero initial states: fills h, and
 * c, tc, gate, hn as the cell has them. Needs kern_layer_input first. */
void kern_layer_forward(Net *net, int l, int b);
/* Backward through time of layer l, sequence b, from dh_ext (T, H): fills grad_h, grad_c and
 * dpre (and dpre_hh for gru) for every step. */
void kern_layer_backward(Net *net, int l, int b);
/* out (T, I_l) = dpre_t W_ih for every step of sequence b: dL/dx_t of layer l's input. */
void kern_layer_input_grad(Net *net, int l, int b, double *out);
/* Accumulates layer l's parameter gradients of sequence b from dpre / dpre_hh. */
void kern_layer_param_grads(Net *net, int l, int b);

#endif
