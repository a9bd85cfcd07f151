/* refbptt.h - a whole network run through the reference cells (src/core/cells.c): forward over
 * every layer and step, then backpropagation through time step by step, written the slow,
 * obvious way. The suites hold the fast kernels (net_forward / net_backward) equal to it, and the
 * finite-difference checks of dL/dh_t and dL/dc_t perturb its states. */
#ifndef GF_REFBPTT_H
#define GF_REFBPTT_H

#include "net.h"

typedef struct RefRun {
    const Net *net;  /* shape, parameters and inputs (net->x) are read from it */
    double *h;       /* (L, B, T, H) */
    double *c;       /* (L, B, T, H) lstm, else NULL */
    double *gate;    /* (L, B, T, G*H) lstm, gru, else NULL */
    double *hn;      /* (L, B, T, H) gru, else NULL */
    double *grad_h;  /* (L, B, T, H) total dL/dh_t */
    double *grad_c;  /* (L, B, T, H) lstm total dL/dc_t, else NULL */
    double *grads;   /* (n_params) parameter gradients, net->params' layout (head left 0) */
    double *grad_x;  /* (B, T, I) */
} RefRun;

/* Allocates the buffers for net's shape (aborts the test on no memory). */
void ref_init(RefRun *r, const Net *net);
void ref_free(RefRun *r);
/* Forward from zero states. Optional perturbations (NULL: none), (L, B, T, H): h_t += h_off
 * after each step, and for the lstm c_t += c_off before h_t = o * tanh(c_t); the derivative of
 * the loss in them is the total dL/dh_t (dL/dc_t). */
void ref_forward(RefRun *r, const double *h_off, const double *c_off);
/* BPTT from dL/dy (B, O) through the head (net->head_w): fills grad_h, grad_c, grads, grad_x. */
void ref_backward(RefRun *r, const double *dy);

#endif
