/* optim.h - torch.optim's SGD, RMSprop and Adam, and torch.nn.utils.clip_grad_norm_, on one flat
 * vector of parameters (a Net's params block) and its gradients.
 *
 * The update rules are PyTorch's (torch/optim/sgd.py, rmsprop.py, adam.py, single-tensor path, no
 * weight decay, maximize off), element by element in double precision:
 *   SGD      buf = g (first step) or momentum*buf + g;  p -= lr * buf      (p -= lr * g if momentum 0)
 *   RMSprop  v = alpha*v + (1-alpha)*g^2;  a = sqrt(v) + eps;
 *            p -= lr * g / a  (momentum 0)  or  buf = momentum*buf + g/a;  p -= lr * buf
 *   Adam     k += 1;  m = beta1*m + (1-beta1)*g;  v = beta2*v + (1-beta2)*g^2;
 *            p -= lr/(1-beta1^k) * m / (sqrt(v)/sqrt(1-beta2^k) + eps)
 * PyTorch's defaults: RMSprop alpha 0.99, eps 1e-8; Adam betas (0.9, 0.999), eps 1e-8. */
#ifndef GF_OPTIM_H
#define GF_OPTIM_H

#include <stddef.h>

#include "gf_error.h"

typedef enum { GF_OPT_SGD = 0, GF_OPT_RMSPROP = 1, GF_OPT_ADAM = 2 } GfOptimizer;
#define GF_NUM_OPTIMIZERS 3

typedef struct OptimConfig {
    GfOptimizer kind;
    double lr;         /* learning rate, > 0 */
    double momentum;   /* sgd, rmsprop: in [0, 1) */
    double alpha;      /* rmsprop: smoothing constant (0.99) */
    double beta1;      /* adam (0.9) */
    double beta2;      /* adam (0.999) */
    double eps;        /* rmsprop, adam (1e-8) */
} OptimConfig;

typedef struct Optim {
    OptimConfig cfg;
    size_t n;          /* parameters */
    long steps;        /* updates made (adam's k) */
    double *state;     /* one block: (n) momentum buffer or exp_avg, (n) square_avg or exp_avg_sq */
    double *buf;       /* (n) sgd/rmsprop momentum buffer, adam exp_avg */
    double *sq;        /* (n) rmsprop square_avg, adam exp_avg_sq */
} Optim;

/* PyTorch's defaults for kind, with learning rate lr. */
void optim_config_default(OptimConfig *cfg, GfOptimizer kind, double lr);
const char *gf_optimizer_name(GfOptimizer kind);     /* "sgd", "rmsprop", "adam" */
int gf_optimizer_parse(const char *s, GfOptimizer *out);

/* Allocates the state for n parameters, zeroed (PyTorch's state before the first step). */
int optim_init(Optim *o, const OptimConfig *cfg, size_t n, GfError *err);
/* Back to the state before the first step. */
void optim_reset(Optim *o);
/* One update of p (n) from g (n). */
void optim_step(Optim *o, double *p, const double *g);
void optim_free(Optim *o);

/* The 2-norm of g (n), computed without overflow or underflow. */
double optim_grad_norm(const double *g, size_t n);
/* torch.nn.utils.clip_grad_norm_(max_norm): with total = the 2-norm of g, multiplies g by
 * min(1, max_norm / (total + 1e-6)). Returns total (before clipping); *clipped = 1 if the factor
 * was below 1. max_norm <= 0: no clipping. */
double optim_clip(double *g, size_t n, double max_norm, int *clipped);

#endif
