/* optim.c - torch.optim's update rules and gradient clipping (equations in optim.h). */
#include "optim.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "linalg.h"

static const char *const optimizer_names[] = {"sgd", "rmsprop", "adam"};

const char *gf_optimizer_name(GfOptimizer kind)
{
    return (unsigned)kind < GF_NUM_OPTIMIZERS ? optimizer_names[kind] : "?";
}

int gf_optimizer_parse(const char *s, GfOptimizer *out)
{
    for (int i = 0; s && i < GF_NUM_OPTIMIZERS; i++)
        if (strcmp(s, optimizer_names[i]) == 0) {
            *out = (GfOptimizer)i;
            return 0;
        }
    return -1;
}

void optim_config_default(OptimConfig *cfg, GfOptimizer kind, double lr)
{
    cfg->kind = kind;
    cfg->lr = lr;
    cfg->momentum = 0.0;
    cfg->alpha = 0.99;
    cfg->beta1 = 0.9;
    cfg->beta2 = 0.999;
    cfg->eps = 1e-8;
}

int optim_init(Optim *o, const OptimConfig *cfg, size_t n, GfError *err)
{
    memset(o, 0, sizeof *o);
    o->cfg = *cfg;
    o->n = n;
    o->state = calloc(2 * n + 1, sizeof(double));
    if (!o->state) return gf_error_set(err, GF_ERR_NOMEM, "out of memory for the optimizer's state");
    o->buf = o->state;
    o->sq = o->state + n;
    return GF_OK;
}

void optim_reset(Optim *o)
{
    if (o->state) memset(o->state, 0, sizeof(double) * 2 * o->n);
    o->steps = 0;
}

void optim_free(Optim *o)
{
    if (!o) return;
    free(o->state);
    memset(o, 0, sizeof *o);
}

/* SGD: buf = g on the first step, then buf = mu*buf + g (dampening 0); p -= lr*buf. */
static void sgd_(Optim *o, double *restrict p, const double *restrict g)
{
    const double lr = o->cfg.lr, mu = o->cfg.momentum;
    double *restrict buf = o->buf;
    if (mu == 0.0) {
        for (size_t i = 0; i < o->n; i++) p[i] += -lr * g[i];
        return;
    }
    for (size_t i = 0; i < o->n; i++) {
        buf[i] = o->steps == 0 ? g[i] : buf[i] * mu + g[i];
        p[i] += -lr * buf[i];
    }
}

/* RMSprop: v = alpha*v + (1-alpha)*g*g; a = sqrt(v) + eps; p -= lr*g/a, or with momentum
 * buf = mu*buf + g/a; p -= lr*buf. */
static void rmsprop_(Optim *o, double *restrict p, const double *restrict g)
{
    const double lr = o->cfg.lr, mu = o->cfg.momentum, alpha = o->cfg.alpha, eps = o->cfg.eps;
    double *restrict v = o->sq, *restrict buf = o->buf;
    for (size_t i = 0; i < o->n; i++) {
        v[i] = v[i] * alpha + (1.0 - alpha) * (g[i] * g[i]);
        double a = sqrt(v[i]) + eps;
        if (mu > 0.0) {
            buf[i] = buf[i] * mu + g[i] / a;
            p[i] += -lr * buf[i];
        } else {
            p[i] += -lr * (g[i] / a);
        }
    }
}

/* Adam: m = beta1*m + (1-beta1)*g; v = beta2*v + (1-beta2)*g*g;
 * p -= (lr / (1 - beta1^k)) * m / (sqrt(v) / sqrt(1 - beta2^k) + eps). */
static void adam_(Optim *o, double *restrict p, const double *restrict g)
{
    const double b1 = o->cfg.beta1, b2 = o->cfg.beta2, eps = o->cfg.eps;
    const double k = (double)(o->steps + 1);
    const double step_size = o->cfg.lr / (1.0 - pow(b1, k));
    const double bc2_sqrt = sqrt(1.0 - pow(b2, k));
    double *restrict m = o->buf, *restrict v = o->sq;
    for (size_t i = 0; i < o->n; i++) {
        m[i] = m[i] * b1 + (1.0 - b1) * g[i];
        v[i] = v[i] * b2 + (1.0 - b2) * (g[i] * g[i]);
        double denom = sqrt(v[i]) / bc2_sqrt + eps;
        p[i] += -step_size * (m[i] / denom);
    }
}

void optim_step(Optim *o, double *p, const double *g)
{
    switch (o->cfg.kind) {
    case GF_OPT_SGD: sgd_(o, p, g); break;
    case GF_OPT_RMSPROP: rmsprop_(o, p, g); break;
    case GF_OPT_ADAM: adam_(o, p, g); break;
    }
    o->steps++;
}

double optim_grad_norm(const double *g, size_t n) { return linalg_norm(g, n); }

double optim_clip(double *g, size_t n, double max_norm, int *clipped)
{
    const double total = optim_grad_norm(g, n);
    if (clipped) *clipped = 0;
    if (!(max_norm > 0.0)) return total;
    /* clip_coef = max_norm / (total + 1e-6), clamped to at most 1 */
    const double coef = max_norm / (total + 1e-6);
    if (coef < 1.0) {
        for (size_t i = 0; i < n; i++) g[i] *= coef;
        if (clipped) *clipped = 1;
    }
    return total;
}
