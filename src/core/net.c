/* net.c - stacked layers: buffers, forward over the layers, the head and loss, and BPTT from the
 * top layer down. The per-step arithmetic is in kernels.c. */
#include "net.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "kernels.h"

int net_layer_inputs(const Net *net, int l) { return l == 0 ? net->s.I : net_dirs(&net->s) * net->s.H; }

/* Input size of layer l of shape s: I, then D*H. */
static size_t inputs_(const NetShape *s, int l) { return l == 0 ? (size_t)s->I : (size_t)net_dirs(s) * s->H; }

/* Parameter count: per unit G*H*(I_l + H + 2), plus the head O*(D*H + 1). */
static size_t param_count_(const NetShape *s, int G)
{
    size_t n = 0, GH = (size_t)G * s->H, D = net_dirs(s);
    for (int l = 0; l < s->L; l++) n += D * GH * (inputs_(s, l) + s->H + 2);
    return n + (size_t)s->O * (D * s->H + 1);
}

/* Transposed copies: per unit G*H*(I_l + H). */
static size_t wt_count_(const NetShape *s, int G)
{
    size_t n = 0, GH = (size_t)G * s->H, D = net_dirs(s);
    for (int l = 0; l < s->L; l++) n += D * GH * (inputs_(s, l) + s->H);
    return n;
}

/* Activations and scratch, in doubles; see the field list in net.h. */
static size_t act_count_(const NetShape *s, int G, int full)
{
    size_t L = s->L, B = s->B, T = s->T, D = net_dirs(s), H = D * s->H, GH = (size_t)G * s->H;
    size_t n = 0;
    n += B * T * s->I * 2;          /* x, grad_x */
    n += L * B * T * H * 2;         /* h, grad_h */
    if (s->cell == GF_CELL_LSTM) n += L * B * T * H * 3; /* c, tc, grad_c */
    if (s->cell != GF_CELL_RNN) n += L * B * T * D * GH; /* gate */
    if (s->cell == GF_CELL_GRU) n += L * B * T * H;      /* hn */
    if (full) n += B * T * GH * (s->cell == GF_CELL_GRU ? 2 : 1); /* dpre (, dpre_hh) */
    n += B * T * H;                 /* dh_ext */
    if (D > 1) n += B * T * H + H;  /* dh_ext2, head_in */
    n += 6 * GH + 4 * (size_t)s->H; /* bias, xstep, tmp, dstep, ascaled, step */
    n += B * (size_t)net_head_steps(s) * s->O * 2; /* y, dy */
    return n;
}

/* float32 panels: G*H*H forward and backward for every unit's weight_hh, G*H*D*H for every
 * unit's weight_ih above the first layer */
static size_t wf_count_(const NetShape *s, int G)
{
    const size_t D = net_dirs(s);
    return D * (2 * (size_t)s->L + 2 * D * (size_t)(s->L - 1)) * G * s->H * s->H;
}

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
    const int D = net_dirs(s);
    for (int u = 0; u < s->L * D; u++) {
        size_t in = inputs_(s, u / D);
        w_ih[u] = p, p += GH * in;
        w_hh[u] = p, p += GH * s->H;
        b_ih[u] = p, p += GH;
        b_hh[u] = p, p += GH;
    }
    *head_w = p, p += (size_t)s->O * D * s->H;
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
    const size_t D = net_dirs(s);
    double *p = net->wt;
    for (int u = 0; u < s->L * (int)D; u++) {
        size_t in = inputs_(s, u / (int)D);
        net->w_ihT[u] = p, p += in * GH;
        net->w_hhT[u] = p, p += (size_t)s->H * GH;
    }
    size_t L = s->L, B = s->B, T = s->T, H = D * s->H; /* H: a step's state, both directions */
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
    if (s->cell != GF_CELL_RNN) net->gate = p, p += L * B * T * D * GH;
    if (s->cell == GF_CELL_GRU) net->hn = p, p += L * B * T * H;
    if (net->full) {
        net->dpre = p, p += B * T * GH;
        if (s->cell == GF_CELL_GRU) net->dpre_hh = p, p += B * T * GH;
    }
    net->dh_ext = p, p += B * T * H;
    if (D > 1) {
        net->dh_ext2 = p, p += B * T * H;
        net->head_in = p, p += H;
    }
    net->bias = p, p += GH;
    net->xstep = p, p += GH;
    net->tmp = p, p += GH;
    net->dstep = p, p += 2 * GH;
    net->ascaled = p, p += GH;
    net->step = p, p += 4 * (size_t)s->H;
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
 * every entry is exact; sets *fw, *bw and returns the floats used, else 0. (H: W's columns.) */
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
    const int D = net_dirs(&net->s);
    float *next = net->wf; /* panels in the order made: hh of unit 0, then hh and ih above */
    for (int u = 0; u < net->s.L * D; u++) {
        const int l = u / D, in = net_layer_inputs(net, l);
        net->whF[u] = net->whB[u] = net->wiF[u] = net->wiB[u] = NULL;
        size_t used = hh_panels ? panels_(next, net->w_hh[u], GH, H, s, &net->whF[u], &net->whB[u]) : 0;
        if (!used) transpose_(net->w_hhT[u], net->w_hh[u], GH, H); /* (H, G*H) */
        next += used;
        used = l > 0 && panels ? panels_(next, net->w_ih[u], GH, in, 1.0, &net->wiF[u], &net->wiB[u]) : 0;
        if (!used) transpose_(net->w_ihT[u], net->w_ih[u], GH, in); /* (I_l, G*H) */
        next += used;
    }
}

void net_forward(Net *net)
{
    const int D = net_dirs(&net->s);
    for (int l = 0; l < net->s.L; l++)
        for (int d = 0; d < D; d++)
            for (int b = 0; b < net->s.B && !gf_cancelled(net->cancel); b++) kern_layer_forward(net, l, d, b);
}

/* The head's input (D*H) at head step j of sequence b: output[b, t] of the top layer, per step
 * t = j; else h_n[-1] = output[b, T-1] (one direction), or, with two, [h_n[-2], h_n[-1]] = [the
 * forward h at t = T-1, the reverse h at t = 0], gathered into head_in. */
static const double *head_input_(const Net *net, int b, int j)
{
    const int L = net->s.L, T = net->s.T, H = net->s.H;
    if (net->s.per_step) return net_at(net, net->h, L - 1, b, j);
    if (!net->s.bidir) return net_at(net, net->h, L - 1, b, T - 1);
    memcpy(net->head_in, net_at(net, net->h, L - 1, b, T - 1), sizeof(double) * H);  /* h_n[-2] */
    memcpy(net->head_in + H, net_at(net, net->h, L - 1, b, 0) + H, sizeof(double) * H); /* h_n[-1] */
    return net->head_in;
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
    const int B = net->s.B, H = net_dirs(&net->s) * net->s.H, O = net->s.O, Th = net_head_steps(&net->s);
    double loss = 0.0;
    for (int b = 0; b < B; b++)
        for (int j = 0; j < Th; j++) {
            /* y = head.weight h + head.bias, h = output[b, t] (h_n[-1] when the head reads one
               step; [h_n[-2], h_n[-1]] when bidirectional) */
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
    const int B = net->s.B, T = net->s.T, H1 = net->s.H, O = net->s.O, L = net->s.L;
    const int D = net_dirs(&net->s), H = D * H1; /* H: the head's input, a step of output */
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
    memset(net->step, 0, sizeof(double) * 4 * H1); /* step[0, H) stays zero: h_{-1} = c_{-1} = 0 */
    memset(net->dh_ext, 0, sizeof(double) * (size_t)B * T * H);
    for (int b = 0; b < B; b++)
        for (int j = 0; j < Th; j++) {
            const double *dy = net->dy + ((size_t)b * Th + j) * O;
            if (net->s.per_step || !net->s.bidir) {
                const int t = net->s.per_step ? j : T - 1;
                kern_gemv_t(net->dh_ext + ((size_t)b * T + t) * H, net->head_w, dy, O, H);
            } else {
                /* [h_n[-2], h_n[-1]]: the forward half reaches t = T-1, the reverse half t = 0 */
                memset(net->head_in, 0, sizeof(double) * H);
                kern_gemv_t(net->head_in, net->head_w, dy, O, H);
                double *fw = net->dh_ext + ((size_t)b * T + T - 1) * H, *rv = net->dh_ext + (size_t)b * T * H + H1;
                for (int k = 0; k < H1; k++) fw[k] += net->head_in[k], rv[k] += net->head_in[H1 + k];
            }
        }
    double *ext = net->dh_ext, *below = D > 1 ? net->dh_ext2 : net->dh_ext;
    for (int l = L - 1; l >= 0; l--) {
        for (int b = 0; b < B && !gf_cancelled(net->cancel); b++)
            for (int d = 0; d < D; d++) {
                /* dL/d(layer l's input): the layer below's external gradient (one direction: in
                   dh_ext, in place; two: in the other buffer, the reverse direction adding to the
                   forward one's), or for the first layer grad_x (G*H*I a step: the saliency of
                   every input step) */
                double *dx = l > 0 ? below + (size_t)b * T * H : net->grad_x + (size_t)b * T * net->s.I;
                kern_layer_backward(net, l, d, b, full, ext, dx, d > 0);
                if (full) kern_layer_param_grads(net, l, d, b);
            }
        double *swap = ext;
        ext = below, below = swap;
    }
}
