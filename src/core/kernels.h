/* kernels.h - the hot loops: one layer of one sequence, forward over T steps or backward through
 * them. Compiled with FMA contraction and, where the compiler supports it, in several instruction
 * set versions; each call takes the one for this processor. Internal to the core (net.c is the
 * caller). */
#ifndef GF_KERNELS_H
#define GF_KERNELS_H

#include "net.h"

/* y (n) += M^T a, M (m, n) row-major, a (m). */
void kern_gemv_t(double *y, const double *M, const double *a, int m, int n);
/* The same through the row-sweep path that x86 processors without AVX2 take (for tests). */
void kern_gemv_rows_t(double *y, const double *M, const double *a, int m, int n);

/* Packs M (m, n), M[k][j] = A[k sk + j sj] * (1/s), as the float32 panels the products read
 * (layout in kernels.c). Returns 1 if every entry is exactly s times the float32 number stored
 * (fl(f s) == A), else 0: then the panels must not be used. */
int kern_pack_f32(float *P, const double *A, size_t sk, size_t sj, int m, int n, double s);
/* 1 if the version this processor runs reads float32 panels at full speed (x86: AVX2). */
int kern_f32_supported(void);

/* The recurrence of layer l, direction d (0 forward: t = 0 .. T-1; 1 reverse: t = T-1 .. 0),
 * sequence b, from zero initial states: fills h, and c, tc, gate, hn as the cell has them (each
 * step's input projection computed as it goes). */
void kern_layer_forward(Net *net, int l, int d, int b);
/* Backward through time of layer l, direction d, sequence b, from ext (B, T, D*H) (the layer's
 * external dL/dh_t): fills grad_h, grad_c and, with keep_dpre, dpre (and dpre_hh for gru) for
 * every step; with dx (T, I_l), also dL/dx_t = W_ih^T dpre_t of the layer's input, step by step,
 * written (acc = 0) or added (acc = 1). dx may be sequence b's rows of ext itself (one direction,
 * the layer below's external gradient): step t's slot is written after it is read. */
void kern_layer_backward(Net *net, int l, int d, int b, int keep_dpre, const double *ext, double *dx,
                         int acc);
/* Accumulates the parameter gradients of layer l, direction d, sequence b from dpre / dpre_hh
 * (as the last kern_layer_backward of that direction and sequence left them). */
void kern_layer_param_grads(Net *net, int l, int d, int b);

#endif
