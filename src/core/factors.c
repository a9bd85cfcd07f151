/* factors.c - the per-step factors of the backward pass and the theory lines built from them
 * (definitions in factors.h). */
#include "factors.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#include "kernels.h"
#include "linalg.h"

#define GF_FACTORS_CHUNK 64 /* rows of W_hh per product in the gradient gains */

size_t factors_rnn_work(int H) { return (size_t)H * H + 4 * (size_t)H; }

/* phi'(pre) from the state it produced: tanh' = 1 - h^2, relu' = [h > 0]. */
static double deriv_(double h, GfNonlin nonlin) { return nonlin == GF_NONLIN_RELU ? (h > 0 ? 1.0 : 0.0) : 1.0 - h * h; }

/* A fixed start vector with no special direction: unit length, entries of mixed sizes and signs. */
static void start_vector_(double *v, int H)
{
    uint64_t s = 0x9E3779B97F4A7C15ull;
    for (int i = 0; i < H; i++) {
        s = s * 6364136223846793005ull + 1442695040888963407ull;
        v[i] = (double)(s >> 11) / 9007199254740992.0 - 0.5 + 1e-3;
    }
    double n = linalg_norm(v, (size_t)H);
    for (int i = 0; i < H; i++) v[i] /= n;
}

int factors_rnn_jacobian_norms(double *out, double *out_max, const double *h, const double *w_hh, int B,
                               int T, int H, GfNonlin nonlin, int iters_max, double tol, double *work)
{
    if (B < 1 || T < 1 || H < 1 || iters_max < 1) return GF_ERR_RANGE;
    double *wt = work;                     /* (H, H) W_hh^T, so W v is a kern_gemv_t too */
    double *v = wt + (size_t)H * H;        /* (H) the current right singular vector estimate */
    double *u = v + H;                     /* (H) M v, M = diag(d) W_hh */
    double *w = u + H;                     /* (H) M^T M v */
    double *s0 = w + H;                    /* (H) the fixed start vector */
    start_vector_(s0, H);
    for (int i = 0; i < H; i++)
        for (int j = 0; j < H; j++) wt[(size_t)j * H + i] = w_hh[(size_t)i * H + j];
    for (int t = 0; t < T; t++) out[t] = 0.0;
    if (out_max)
        for (int t = 0; t < T; t++) out_max[t] = 0.0;
    for (int b = 0; b < B; b++) {
        start_vector_(v, H);
        double last = 0.0; /* the step before's norm */
        for (int t = 0; t < T; t++) {
            const double *ht = h + ((size_t)b * T + t) * H; /* (H) */
            double sigma = 0.0, prev = -1.0;
            int iters = t == 0 ? 10 * iters_max : iters_max;
            /* warm start from the step before's vector, with some of the fixed start in it: units
               saturated (tanh' = 0) at the step before left exactly nothing of their directions in
               it, and a power iteration never finds a direction it starts without */
            if (t > 0) {
                for (int i = 0; i < H; i++) v[i] += 0.3 * s0[i];
                double nv = linalg_norm(v, (size_t)H);
                for (int i = 0; i < H; i++) v[i] /= nv;
            }
            for (int it = 0; it < iters; it++) {
                /* where the units' saturation changed much, the step before's vector can start
                   far from this step's: an estimate that fell below 0.7 of the last gets more
                   iterations (ten times as many) */
                if (it == iters - 1 && iters == iters_max && prev >= 0 && prev < 0.7 * last) iters = 10 * iters_max;
                /* u = diag(d) W v;  w = W^T diag(d) u = M^T M v;  sigma ~ ||M^T M v|| / ||M v|| */
                memset(u, 0, sizeof(double) * (size_t)H);
                kern_gemv_t(u, wt, v, H, H);
                for (int i = 0; i < H; i++) u[i] *= deriv_(ht[i], nonlin);
                double nu = linalg_norm(u, (size_t)H);
                if (!(nu > 0) || !isfinite(nu)) { /* M v = 0 (every unit saturated) or overflow */
                    sigma = isfinite(nu) ? 0.0 : nu;
                    start_vector_(v, H);
                    break;
                }
                for (int i = 0; i < H; i++) u[i] *= deriv_(ht[i], nonlin);
                memset(w, 0, sizeof(double) * (size_t)H);
                kern_gemv_t(w, w_hh, u, H, H);
                double nw = linalg_norm(w, (size_t)H);
                sigma = nw / nu;
                if (!(nw > 0) || !isfinite(nw)) break;
                for (int i = 0; i < H; i++) v[i] = w[i] / nw;
                if (fabs(sigma - prev) <= tol * sigma) break;
                prev = sigma;
            }
            last = sigma;
            out[t] += sigma / B;
            if (out_max && (b == 0 || sigma > out_max[t])) out_max[t] = sigma;
        }
    }
    return GF_OK;
}

void factors_rnn_gradient_gains(double *out, const double *h, const double *grad_h, const double *w_hh, int B, int T,
                                int H, GfNonlin nonlin, double *work)
{
    double *u = work; /* (H) d * g, then W^T (d * g) */
    for (int t = 0; t < T; t++) {
        double num = 0.0, den = 0.0, scale = 0.0;
        /* the norms over the batch, each sequence's scaled by the largest g entry so a gradient
           of 1e-250 keeps its digits: ||J^T g|| / ||g|| does not depend on g's scale */
        for (int b = 0; b < B; b++) {
            const double *g = grad_h + ((size_t)b * T + t) * H;
            for (int i = 0; i < H; i++) scale = fmax(scale, fabs(g[i]));
        }
        if (!(scale > 0) || !isfinite(scale)) {
            out[t] = NAN;
            continue;
        }
        for (int b = 0; b < B; b++) {
            const double *g = grad_h + ((size_t)b * T + t) * H, *ht = h + ((size_t)b * T + t) * H;
            double dg[GF_FACTORS_CHUNK];
            memset(u, 0, sizeof(double) * (size_t)H);
            for (int i0 = 0; i0 < H; i0 += GF_FACTORS_CHUNK) { /* J^T g = W^T (d * g), by chunks of rows */
                int n = H - i0 < GF_FACTORS_CHUNK ? H - i0 : GF_FACTORS_CHUNK;
                for (int i = 0; i < n; i++) {
                    dg[i] = deriv_(ht[i0 + i], nonlin) * (g[i0 + i] / scale);
                    den += (g[i0 + i] / scale) * (g[i0 + i] / scale);
                }
                kern_gemv_t(u, w_hh + (size_t)i0 * H, dg, n, H);
            }
            for (int i = 0; i < H; i++) num += u[i] * u[i];
        }
        out[t] = sqrt(num) / sqrt(den);
    }
}

void factors_gate_stats(double *mean, double *max, const double *gate, int B, int T, int H, int G, int k)
{
    for (int t = 0; t < T; t++) {
        double s = 0.0, m = -INFINITY;
        for (int b = 0; b < B; b++) {
            const double *g = gate + ((size_t)b * T + t) * (size_t)G * H + (size_t)k * H; /* (H) block k */
            for (int i = 0; i < H; i++) {
                s += g[i];
                if (g[i] > m) m = g[i];
            }
        }
        mean[t] = s / ((double)B * H);
        max[t] = m;
    }
}

double factors_mean_deriv(const double *h, size_t n, GfNonlin nonlin)
{
    double s = 0.0;
    for (size_t i = 0; i < n; i++) s += deriv_(h[i], nonlin);
    return n ? s / (double)n : NAN;
}

int factors_rate_log10(double *out, double g_last, double rate, int T)
{
    if (!(g_last > 0 && isfinite(g_last) && rate > 0 && isfinite(rate))) {
        for (int t = 0; t < T; t++) out[t] = NAN;
        return -1;
    }
    /* log10 g_{T-1} + (T-1-t) log10 rate */
    double a = log10(g_last), r = log10(rate);
    for (int t = 0; t < T; t++) out[t] = a + (double)(T - 1 - t) * r;
    return 0;
}

int factors_product_log10(double *out, double g_last, const double *f, int T)
{
    if (!(g_last > 0 && isfinite(g_last))) {
        for (int t = 0; t < T; t++) out[t] = NAN;
        return -1;
    }
    /* log10 g_{T-1} + sum_{s=t+1}^{T-1} log10 f_s, summed from the end backwards */
    double acc = log10(g_last);
    for (int t = T - 1; t >= 0; t--) {
        out[t] = acc;
        acc += log10(f[t]); /* f_t joins the product for the steps before t */
    }
    return 0;
}
