/* net.c - stacked layers: buffers, forward over the layers, the head and loss, and BPTT from the
 * top layer down. The per-step arithmetic is in kernels.c. */
#include "net.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "kernels.h"

int net_layer_inputs(const Net *net, int l) { return l == 0 ? net->s.I : net->s.H; }

/* Parameter count: per layer G*H*(I_l + H + 2), plus the head O*(H + 1). */
static size_t param_count_(const NetShape *s, int G)
{
    size_t n = 0, GH = (size_t)G * s->H;
    for (int l = 0; l < s->L; l++) n += GH * ((size_t)(l == 0 ? s->I : s->H) + s->H + 2);
    return n + (size_t)s->O * (s->H + 1);
}

/* Transposed copies: per layer G*H*(I_l + H). */
static size_t wt_count_(const NetShape *s, int G)
{
    size_t n = 0, GH = (size_t)G * s->H;
    for (int l = 0; l < s->L; l++) n += GH * ((size_t)(l == 0 ? s->I : s->H) + s->H);
    return n;
}

/* Activations and scratch, in doubles; see the field list in net.h. */
static size_t act_count_(const NetShape *s, int G, int full)
{
    size_t L = s->L, B = s->B, T = s->T, H = s->H, GH = (size_t)G * s->H;
    size_t n = 0;
    n += B * T * s->I * 2;          /* x, grad_x */
    n += L * B * T * H * 2;         /* h, grad_h */
    if (s->cell == GF_CELL_LSTM) n += L * B * T * H * 3; /* c, tc, grad_c */
    if (s->cell != GF_CELL_RNN) n += L * B * T * GH;     /* gate */
    if (s->cell == GF_CELL_GRU) n += L * B * T * H;      /* hn */
    if (full) n += B * T * GH * (s->cell == GF_CELL_GRU ? 2 : 1); /* dpre (, dpre_hh) */
    n += B * T * H;                 /* dh_ext */
    n += 6 * GH + 4 * H;            /* bias, xstep, tmp, dstep, ascaled, step */
    n += B * (size_t)net_head_steps(s) * s->O * 2; /* y, dy */
    return n;
}

/* float32 panels: G*H*H forward and backward for every weight_hh and every weight_ih above the
 * first layer */
static size_t wf_count_(const NetShape *s, int G) { return (size_t)(4 * s->L - 2) * G * s->H * s->H; }

size_t net_param_count(const NetShape *s) { return param_count_(s, gf_cell_gates(s->cell)); }

size_t net_memory_for(const NetShape *s, int full)
{
    int G = gf_cell_gates(s->cell);
    return sizeof(double) * (2 * param_count_(s, G) + wt_count_(s, G) + act_count_(s, G, full)) +
           sizeof(float) * wf_count_(s, G);
}

size_t net_memory(const NetShape *s) { return net_memory_for(s, 1); }

void net_free(Net *net)
{
    if (!net) return;
    free(net->params);
    free(net->grads);
    free(net->wt);
    free(net->wf);
    free(net->acts);
    memset(net, 0, sizeof *net);
}

/* Carves the parameter tensors out of block p in PyTorch's order; returns the end. */
static double *carve_params_(const NetShape *s, int G, double *p, double **w_ih, double **w_hh,
                             double **b_ih, double **b_hh, double **head_w, double **head_b)
{
    size_t GH = (size_t)G * s->H;
    for (int l = 0; l < s->L; l++) {
        size_t in = l == 0 ? s->I : s->H;
        w_ih[l] = p, p += GH * in;
        w_hh[l] = p, p += GH * s->H;
        b_ih[l] = p, p += GH;
        b_hh[l] = p, p += GH;
    }
    *head_w = p, p += (size_t)s->O * s->H;
    *head_b = p, p += s->O;
    return p;
}

int net_init(Net *net, const NetShape *s, GfError *err) { return net_init_for(net, s, 1, err); }

int net_init_for(Net *net, const NetShape *s, int full, GfError *err)
{
    memset(net, 0, sizeof *net);
    if (s->L < 1 || s->L > GF_LAYERS_MAX || s->H < 1 || s->I < 1 || s->O < 1 || s->B < 1 || s->T < 1 ||
        gf_cell_gates(s->cell) == 0)
        return gf_error_set(err, GF_ERR_RANGE, "invalid network shape");
    int G = gf_cell_gates(s->cell);
    net->s = *s;
    net->G = G;
    net->n_params = param_count_(s, G);
    net->full = full != 0;
    net->n_acts = act_count_(s, G, net->full);
    net->params = calloc(net->n_params, sizeof(double));
    net->grads = calloc(net->n_params, sizeof(double));
    net->wt = calloc(wt_count_(s, G), sizeof(double));
    net->wf = calloc(wf_count_(s, G), sizeof(float));
    net->acts = calloc(net->n_acts, sizeof(double));
    net->panel_scale = net->w_hh_scale = 1.0;
    if (!net->params || !net->grads || !net->wt || !net->wf || !net->acts) {
        net_free(net);
        return gf_error_set(err, GF_ERR_NOMEM, "out of memory allocating the network");
    }
    carve_params_(s, G, net->params, net->w_ih, net->w_hh, net->b_ih, net->b_hh, &net->head_w,
                  &net->head_b);
    carve_params_(s, G, net->grads, net->g_w_ih, net->g_w_hh, net->g_b_ih, net->g_b_hh,
                  &net->g_head_w, &net->g_head_b);
    size_t GH = (size_t)G * s->H;
    double *p = net->wt;
    for (int l = 0; l < s->L; l++) {
        size_t in = l == 0 ? s->I : s->H;
        net->w_ihT[l] = p, p += in * GH;
        net->w_hhT[l] = p, p += (size_t)s->H * GH;
    }
    size_t L = s->L, B = s->B, T = s->T, H = s->H;
    p = net->acts;
    net->x = p, p += B * T * s->I;
    net->grad_x = p, p += B * T * s->I;
    net->h = p, p += L * B * T * H;
    net->grad_h = p, p += L * B * T * H;
    if (s->cell == GF_CELL_LSTM) {
        net->c = p, p += L * B * T * H;
        net->tc = p, p += L * B * T * H;
        net->grad_c = p, p += L * B * T * H;
    }
    if (s->cell != GF_CELL_RNN) net->gate = p, p += L * B * T * GH;
    if (s->cell == GF_CELL_GRU) net->hn = p, p += L * B * T * H;
    if (net->full) {
        net->dpre = p, p += B * T * GH;
        if (s->cell == GF_CELL_GRU) net->dpre_hh = p, p += B * T * GH;
    }
    net->dh_ext = p, p += B * T * H;
    net->bias = p, p += GH;
    net->xstep = p, p += GH;
    net->tmp = p, p += GH;
    net->dstep = p, p += 2 * GH;
    net->ascaled = p, p += GH;
    net->step = p, p += 4 * H;
    net->y = p, p += B * (size_t)net_head_steps(s) * s->O;
    net->dy = p, p += B * (size_t)net_head_steps(s) * s->O;
    return GF_OK;
}

/* dst (cols, rows) = src (rows, cols) transposed */
static void transpose_(double *dst, const double *src, int rows, int cols)
{
    for (int j = 0; j < rows; j++)
        for (int k = 0; k < cols; k++) dst[(size_t)k * rows + j] = src[(size_t)j * cols + k];
}

/* Float32 panels at next of W (G*H, H) / s, forward (W^T: (H, G*H)) and backward (W), when
 * every entry is exact; sets *fw, *bw and returns the floats used, else 0. */
static size_t panels_(float *next, const double *W, int GH, int H, double s, const float **fw,
                      const float **bw)
{
    const size_t n = (size_t)GH * H;
    if (!kern_pack_f32(next, W, 1, (size_t)H, H, GH, s)) return 0;
    kern_pack_f32(next + n, W, (size_t)H, 1, GH, H, s); /* the same entries: exact too */
    *fw = next;
    *bw = next + n;
    return 2 * n;
}

void net_prepare(Net *net)
{
    const int GH = net->G * net->s.H, H = net->s.H;
    const int panels = !net->f64_only && kern_f32_supported();
    /* the panels' scale: the weight scale applied, or 1 (a scale of 0 leaves zeros, float32) */
    const double s = net->w_hh_scale != 0.0 && isfinite(net->w_hh_scale) ? net->w_hh_scale : 1.0;
    const int hh_panels = panels && s >= 1.0 / GF_PANEL_SCALE_MAX && s <= GF_PANEL_SCALE_MAX;
    net->panel_scale = s;
    float *next = net->wf; /* panels in the order made: hh of layer 0, then hh and ih above */
    for (int l = 0; l < net->s.L; l++) {
        net->whF[l] = net->whB[l] = net->wiF[l] = net->wiB[l] = NULL;
        size_t used = hh_panels ? panels_(next, net->w_hh[l], GH, H, s, &net->whF[l], &net->whB[l]) : 0;
        if (!used) transpose_(net->w_hhT[l], net->w_hh[l], GH, H); /* (H, G*H) */
        next += used;
        used = l > 0 && panels ? panels_(next, net->w_ih[l], GH, H, 1.0, &net->wiF[l], &net->wiB[l]) : 0;
        if (!used) transpose_(net->w_ihT[l], net->w_ih[l], GH, net_layer_inputs(net, l)); /* (I_l, G*H) */
        next += used;
    }
}

void net_forward(Net *net)
{
    for (int l = 0; l < net->s.L; l++)
        for (int b = 0; b < net->s.B && !gf_cancelled(net->cancel); b++) kern_layer_forward(net, l, b);
}

/* The head's input at head step j of sequence b: output[b, t] of the top layer, t = T-1 (h_n[-1])
 * or, per step, t = j. */
static const double *head_input_(const Net *net, int b, int j)
{
    const int t = net->s.per_step ? j : net->s.T - 1;
    return net_at(net, net->h, net->s.L - 1, b, t);
}

/* Cross-entropy of scores y (O) for class k, and its gradient scaled: dy = (softmax - onehot) / n.
 *   L = logsumexp(y) - y_k */
static double cross_entropy_(const double *y, double *dy, int O, int64_t k, double n)
{
    double m = y[0];
    for (int o = 1; o < O; o++) m = y[o] > m ? y[o] : m;
    double z = 0.0;
    for (int o = 0; o < O; o++) z += exp(y[o] - m);
    double lse = m + log(z);
    for (int o = 0; o < O; o++) dy[o] = (exp(y[o] - lse) - (o == k ? 1.0 : 0.0)) / n;
    return lse - y[k];
}

double net_loss(Net *net, GfTask task, const double *targets_real, const int64_t *targets_class)
{
    const int B = net->s.B, H = net->s.H, O = net->s.O, Th = net_head_steps(&net->s);
    double loss = 0.0;
    for (int b = 0; b < B; b++)
        for (int j = 0; j < Th; j++) {
            /* y = head.weight h + head.bias, h = output[b, t] (h_n[-1] when the head reads one step) */
            const double *h = head_input_(net, b, j);
            double *y = net->y + ((size_t)b * Th + j) * O, *dy = net->dy + ((size_t)b * Th + j) * O;
            for (int o = 0; o < O; o++) {
                double s = net->head_b[o];
                for (int k = 0; k < H; k++) s += net->head_w[(size_t)o * H + k] * h[k];
                y[o] = s;
            }
            if (task == GF_TASK_ADDING) {
                /* MSE: L = 1/(B O) sum (y - target)^2,  dL/dy = 2 (y - target) / (B O) */
                for (int o = 0; o < O; o++) {
                    double d = y[o] - targets_real[(size_t)b * O + o];
                    loss += d * d / ((double)B * O);
                    dy[o] = 2.0 * d / ((double)B * O);
                }
            } else {
                /* cross-entropy: L = 1/(B Th) sum -log softmax(y)[target],
                   dL/dy = (softmax - onehot) / (B Th) */
                int64_t k = targets_class[(size_t)b * Th + j];
                loss += cross_entropy_(y, dy, O, k, (double)B * Th) / ((double)B * Th);
            }
        }
    net->loss = loss;
    return loss;
}

void net_backward(Net *net, int full)
{
    const int B = net->s.B, T = net->s.T, H = net->s.H, O = net->s.O, L = net->s.L;
    const int Th = net_head_steps(&net->s);
    if (!net->dpre) full = 0; /* made for the profile only: nowhere to keep dpre */
    if (full) {
        memset(net->grads, 0, sizeof(double) * net->n_params);
        /* head: dL/dW = sum dy h^T, dL/db = sum dy over the head's steps */
        for (int b = 0; b < B; b++)
            for (int j = 0; j < Th; j++) {
                const double *h = head_input_(net, b, j), *dy = net->dy + ((size_t)b * Th + j) * O;
                for (int o = 0; o < O; o++) {
                    net->g_head_b[o] += dy[o];
                    for (int k = 0; k < H; k++) net->g_head_w[(size_t)o * H + k] += dy[o] * h[k];
                }
            }
    }
    /* The top layer's external gradient: dL/dh_t = head.weight^T dy_t at the steps the head
       reads (t = T-1, or every t), zero elsewhere. */
    memset(net->step, 0, sizeof(double) * 4 * H); /* step[0, H) stays zero: h_{-1} = c_{-1} = 0 */
    memset(net->dh_ext, 0, sizeof(double) * (size_t)B * T * H);
    for (int b = 0; b < B; b++)
        for (int j = 0; j < Th; j++) {
            const int t = net->s.per_step ? j : T - 1;
            kern_gemv_t(net->dh_ext + ((size_t)b * T + t) * H, net->head_w,
                        net->dy + ((size_t)b * Th + j) * O, O, H);
        }
    for (int l = L - 1; l >= 0; l--) {
        for (int b = 0; b < B && !gf_cancelled(net->cancel); b++) {
            /* dL/d(layer l's input): the layer below's external gradient (dh_ext, in place), or
               for the first layer grad_x (G*H*I a step: the saliency of every input step) */
            double *dx = l > 0 ? net->dh_ext + (size_t)b * T * H : net->grad_x + (size_t)b * T * net->s.I;
            kern_layer_backward(net, l, b, full, dx);
            if (full) kern_layer_param_grads(net, l, b);
        }
    }
}
