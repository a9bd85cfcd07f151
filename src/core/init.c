/* init.c - weight initialisation (definitions in init.h). */
#include "init.h"

#include <math.h>
#include <string.h>

#include "rng.h"

/* U(-k, k) at float32 resolution, as PyTorch draws in its default dtype (a float32 module made
 * float64 with .double() holds exactly such numbers): each double draw rounded to the nearest
 * float32, stepped towards zero if that left [-k, k]. */
static void fill_uniform_(Rng *r, double *p, size_t n, double k)
{
    for (size_t i = 0; i < n; i++) {
        float f = (float)rng_uniform_range(r, -k, k);
        if (fabs((double)f) > k) f = nextafterf(f, 0.0f);
        p[i] = f;
    }
}

/* nn.Linear(D*H, O): kaiming_uniform(a = sqrt 5) gives bound 1/sqrt(fan_in) for weight and bias. */
static void init_head_(Net *net, Rng *r)
{
    const int in = net_dirs(&net->s) * net->s.H;
    double k = 1.0 / sqrt((double)in);
    fill_uniform_(r, net->head_w, (size_t)net->s.O * in, k);
    fill_uniform_(r, net->head_b, (size_t)net->s.O, k);
}

void init_net(Net *net, GfInit init, uint64_t seed)
{
    const int H = net->s.H, G = net->G;
    const size_t GH = (size_t)G * H;
    const double k = 1.0 / sqrt((double)H);
    Rng r;
    rng_seed(&r, seed);
    net->w_hh_scale = 1.0;
    const int D = net_dirs(&net->s);
    for (int l = 0; l < net->s.L * D; l++) { /* every unit: layer l / D, direction l % D */
        size_t in = (size_t)net_layer_inputs(net, l / D);
        /* Draw every tensor in PyTorch's parameter order, so the stream does not depend on init. */
        fill_uniform_(&r, net->w_ih[l], GH * in, k);
        fill_uniform_(&r, net->w_hh[l], GH * H, k);
        fill_uniform_(&r, net->b_ih[l], GH, k);
        fill_uniform_(&r, net->b_hh[l], GH, k);
        if (init == GF_INIT_PYTORCH) continue;
        memset(net->b_ih[l], 0, sizeof(double) * GH);
        memset(net->b_hh[l], 0, sizeof(double) * GH);
        for (int g = 0; g < G; g++) {
            double *block = net->w_hh[l] + (size_t)g * H * H; /* (H, H) rows g*H .. g*H+H-1 */
            if (init == GF_INIT_ORTHOGONAL) {
                rng_orthogonal(&r, block, H);
            } else {
                memset(block, 0, sizeof(double) * H * H);
                for (int i = 0; i < H; i++) block[(size_t)i * H + i] = 1.0;
            }
        }
    }
    init_head_(net, &r);
}

void init_from_weights(Net *net, const GfWeights *w, uint64_t seed)
{
    const size_t GH = (size_t)net->G * net->s.H, H = net->s.H;
    net->w_hh_scale = w->w_hh_scale;
    const int D = net_dirs(&net->s);
    for (int l = 0; l < net->s.L * D; l++) { /* every unit */
        size_t in = (size_t)net_layer_inputs(net, l / D);
        memcpy(net->w_ih[l], w->w_ih[l], sizeof(double) * GH * in);
        memcpy(net->w_hh[l], w->w_hh[l], sizeof(double) * GH * H);
        memcpy(net->b_ih[l], w->b_ih[l], sizeof(double) * GH);
        memcpy(net->b_hh[l], w->b_hh[l], sizeof(double) * GH);
    }
    if (w->has_head) {
        memcpy(net->head_w, w->head_w, sizeof(double) * net->s.O * D * H);
        memcpy(net->head_b, w->head_b, sizeof(double) * net->s.O);
    } else {
        Rng r;
        rng_seed(&r, seed ^ 0x4EAD4EAD4EAD4EADull);
        init_head_(net, &r);
    }
}

void init_scale_recurrent(Net *net, double scale)
{
    const size_t n = (size_t)net->G * net->s.H * net->s.H;
    net->w_hh_scale *= scale;
    for (int u = 0; u < net->s.L * net_dirs(&net->s); u++)
        for (size_t i = 0; i < n; i++) net->w_hh[u][i] *= scale;
}

void init_forget_bias(Net *net, double forget_bias)
{
    if (net->s.cell != GF_CELL_LSTM) return;
    const int H = net->s.H;
    for (int l = 0; l < net->s.L * net_dirs(&net->s); l++) /* every unit */
        for (int j = 0; j < H; j++) {
            net->b_ih[l][H + j] = forget_bias; /* gate order i, f, g, o: f is rows H .. 2H-1 */
            net->b_hh[l][H + j] = 0.0;
        }
}

void init_update_bias(Net *net, double update_bias)
{
    if (net->s.cell != GF_CELL_GRU) return;
    const int H = net->s.H;
    for (int l = 0; l < net->s.L * net_dirs(&net->s); l++) /* every unit */
        for (int j = 0; j < H; j++) {
            net->b_ih[l][H + j] = update_bias; /* gate order r, z, n: z is rows H .. 2H-1 */
            net->b_hh[l][H + j] = 0.0;
        }
}
