/* kernels.c - forward and backward of one layer of one sequence, PyTorch's cell equations.
 *
 * Shapes (per layer l, direction d and sequence b; H hidden, G gates, I_l the layer's input
 * size, D directions, S = D*H; a tensor of width D*W holds direction d's W columns at d*W):
 *   xin (T, I_l)   the layer's input: net->x for l = 0, layer l-1's h (both directions) above
 *   xstep (G*H)    the step's input projection W_ih x_t + bias, computed as the forward reaches it
 *   h, c, tc, hn (T, D*H); gate (T, D*G*H); grad_h, grad_c (T, D*H); dpre, dpre_hh (T, G*H) of
 *   the direction being run, where kept (parameter gradients), else one step's in dstep
 *   ext (T, D*H)   the layer's external dL/dh_t, read at step t; dx (T, I_l) receives
 *                  dL/dx_t = W_ih^T dpre_t (one direction: ext itself, step t's slot written
 *                  after it is read; two: another buffer the reverse direction adds to)
 * The forward direction runs t = 0 .. T-1 and follows h_{t-1}; the reverse one runs t = T-1 .. 0
 * and follows h_{t+1} (PyTorch's reverse direction: the same cell on the reversed sequence).
 * Step k of a direction's recurrence is time t = k, or T-1-k; k = 0 starts from zero states.
 *
 * Speed: every matrix-vector product is y = y0 + M^T a on a row-major M, swept along M's rows:
 * contiguous loads, no reduction, register-blocked (see gemv_from_). The forward pass reads
 * weight_hh transposed (H, G*H), the backward pass as it is (G*H, H); both from float32 panels
 * where that is exact (gemv_f32_), which halves the bytes every step streams; weight_ih above the
 * first layer likewise. Activations are stored, so the backward pass calls no transcendental
 * function. */
#include "kernels.h"

#include <float.h>
#include <stddef.h>
#include <math.h>
#include <string.h>

#include "fastmath.h"
#include "gf_config.h"

/* The instruction-set versions of the kernels (the only place they are named; see "One CPU
 * dispatch" at the end): x86-64-v4 (AVX-512) and x86-64-v3 (AVX2, FMA) where the compiler can
 * build and detect them, besides the baseline every build has. */
#if defined(GF_HAVE_TARGET_VERSIONS)
#define GF_TARGET_V4 __attribute__((target("arch=x86-64-v4")))
#define GF_TARGET_V3 __attribute__((target("arch=x86-64-v3")))
#endif

#if defined(__GNUC__)
#define GF_INLINE __attribute__((always_inline))
#else
#define GF_INLINE
#endif

/* y (n) = y0 (n) + M^T a, M (m, n) row-major, a (m); y0 NULL for zeros, or y itself; vec 0
 * takes the row sweeps (gemv_rows_), for x86 processors without AVX2.
 *
 * With GNU C vector types (gcc, clang), y is swept in stripes of 32 columns held in eight 4-wide
 * accumulators (16 columns in four on WebAssembly, see STRIPE_) while a runs down the rows of M:
 * one load of M per fused multiply-add and no traffic on y. The compiler lowers each 4-wide
 * operation to the version's instruction set (one AVX2 or AVX-512VL register, two SSE2 or wasm
 * SIMD registers); wider vectors would not fit AVX2's sixteen registers and spill. Elsewhere,
 * and for the last n % 4 columns, the same sum as plain axpy sweeps over the rows. */
#if defined(__GNUC__)
typedef double v4d_ __attribute__((vector_size(32)));

/* Columns of one stripe: 32 (eight accumulators, the sixteen 256-bit registers of AVX2). On
 * WebAssembly a 4-wide vector is two 128-bit ones and the engine has sixteen of those: eight
 * accumulators there would be sixteen registers and spill, so a stripe is 16 columns. Each
 * column's sum runs down the rows in the same order either way. */
#if defined(__wasm__)
#define STRIPE_ 16
#else
#define STRIPE_ 32
#endif

static inline GF_INLINE v4d_ load4_(const double *p)
{
    v4d_ v;
    memcpy(&v, p, sizeof v);
    return v;
}

static inline GF_INLINE void store4_(double *p, v4d_ v) { memcpy(p, &v, sizeof v); }
#endif

/* The same y = y0 + M^T a as axpy sweeps y += a_k M[k][:], eight rows of M at a time (nine
 * loads and one store per eight multiply-adds); plain loops the compiler vectorises for any
 * instruction set. */
static inline GF_INLINE void gemv_rows_(double *y, const double *y0, const double *restrict M,
                                        const double *restrict a, int m, int n)
{
    if (y0 != y)
        for (int j = 0; j < n; j++) y[j] = y0 ? y0[j] : 0.0;
    int k = 0;
    for (; k + 8 <= m; k += 8) {
        const double *restrict r0 = M + (size_t)k * n, *restrict r1 = r0 + n, *restrict r2 = r1 + n;
        const double *restrict r3 = r2 + n, *restrict r4 = r3 + n, *restrict r5 = r4 + n;
        const double *restrict r6 = r5 + n, *restrict r7 = r6 + n;
        const double a0 = a[k], a1 = a[k + 1], a2 = a[k + 2], a3 = a[k + 3];
        const double a4 = a[k + 4], a5 = a[k + 5], a6 = a[k + 6], a7 = a[k + 7];
        for (int j = 0; j < n; j++)
            y[j] += ((a0 * r0[j] + a1 * r1[j]) + (a2 * r2[j] + a3 * r3[j])) +
                    ((a4 * r4[j] + a5 * r5[j]) + (a6 * r6[j] + a7 * r7[j]));
    }
    for (; k < m; k++) {
        const double ak = a[k];
        const double *restrict r = M + (size_t)k * n;
        for (int j = 0; j < n; j++) y[j] += ak * r[j];
    }
}

static inline GF_INLINE void gemv_from_(double *y, const double *y0, const double *restrict M,
                                        const double *restrict a, int m, int n, int vec)
{
    int j = 0;
    /* without AVX2 (the baseline version on an old or low-end x86) the 4-wide accumulators spill
       to the stack: the row sweeps are three times faster there */
    if (!vec) {
        gemv_rows_(y, y0, M, a, m, n);
        return;
    }
#if defined(__GNUC__)
    const v4d_ zero = {0, 0, 0, 0};
    /* STRIPE_ columns: independent 4-wide accumulator chains hide the fused multiply-add
       latency and fit the 16 registers of AVX2 (x86-64-v3) with room for the loads */
    for (; j + STRIPE_ <= n; j += STRIPE_) {
        v4d_ acc[STRIPE_ / 4];
        for (int q = 0; q < STRIPE_ / 4; q++) acc[q] = y0 ? load4_(y0 + j + 4 * q) : zero;
        const double *col = M + j;
        for (int k = 0; k < m; k++) {
            const double *row = col + (size_t)k * n;
            const double ak = a[k];
            for (int q = 0; q < STRIPE_ / 4; q++) acc[q] += ak * load4_(row + 4 * q);
        }
        for (int q = 0; q < STRIPE_ / 4; q++) store4_(y + j + 4 * q, acc[q]);
    }
    /* fewer columns: 4 at a time, the rows split in two chains */
    for (; j + 4 <= n; j += 4) {
        v4d_ y0v = y0 ? load4_(y0 + j) : zero, y1v = zero;
        const double *col = M + j;
        int k = 0;
        for (; k + 2 <= m; k += 2) {
            y0v += a[k] * load4_(col + (size_t)k * n);
            y1v += a[k + 1] * load4_(col + (size_t)(k + 1) * n);
        }
        if (k < m) y0v += a[k] * load4_(col + (size_t)k * n);
        store4_(y + j, y0v + y1v);
    }
#endif
    if (j < n) {
        const int rest = n - j;
        for (int q = 0; q < rest; q++) y[j + q] = y0 ? y0[j + q] : 0.0;
        for (int k = 0; k < m; k++) {
            const double ak = a[k];
            const double *restrict r = M + (size_t)k * n + j;
            for (int q = 0; q < rest; q++) y[j + q] += ak * r[q];
        }
    }
}

/* ---- float32 panels ------------------------------------------------------------------------ *
 * A weight_hh whose every entry is w = s * f with f a float32 number (PyTorch's float32 init, a
 * float32 state_dict, identity; s the weight scale) is also kept as those f, half the bytes.
 * The matrix-vector products stream the whole weight_hh from L2 at every step, forward and
 * backward, so half the bytes is nearly half the time. The arithmetic stays double: each f is
 * widened exactly and the sums are the same fused multiply-adds in the same order as
 * gemv_from_'s; at s = 1 the result is bit for bit gemv_from_'s. Otherwise s enters once, where
 * no intermediate can leave the range of doubles before the float64 path's would: for s < 1 on
 * the vector, F^T (s a) (s a is smaller than a, and each term f (s a_k) is the size of w a_k);
 * for s > 1 on the sum, s (F^T a) (the partial sums are smaller than the float64 path's, and
 * s times them overflows where that would). A rounding of 1e-16 relative either way.
 *
 * Layout of M (m, n): the columns in panels of 32 (the last one r = n % 32 wide), each panel m
 * rows of its width, contiguous: panel p at P + 32 p m, element (k, q) at 32 k + q (width r:
 * r k + q). One sequential stream per panel. */
#define PANEL_ 32
#if defined(__GNUC__) && PANEL_ % STRIPE_ != 0
#error "a panel must be a whole number of stripes"
#endif

int kern_pack_f32(float *P, const double *A, size_t sk, size_t sj, int m, int n, double s)
{
    const double inv = 1.0 / s;
    int exact = 1;
    for (int j0 = 0; j0 < n; j0 += PANEL_) {
        const int w = n - j0 < PANEL_ ? n - j0 : PANEL_;
        for (int k = 0; k < m; k++)
            for (int q = 0; q < w; q++) {
                const double a = A[(size_t)k * sk + (size_t)(j0 + q) * sj], x = a * inv;
                const int in_range = fabs(x) <= FLT_MAX; /* NaN and inf are not */
                const float f = in_range ? (float)x : 0.0f;
                exact &= in_range & ((double)f * s == a); /* lost bits fail */
                *P++ = f;
            }
    }
    return exact;
}

#if defined(__GNUC__)
/* four floats widened to doubles (written element-wise: gcc turns this into one vcvtps2pd,
   where __builtin_convertvector gave two half-width conversions and a shuffle) */
#if defined(__wasm__)
/* (on WebAssembly one 128-bit load and two f64x2.promote_low_f32x4: element-wise it was four
   scalar loads and lane inserts) */
typedef float v4f_ __attribute__((vector_size(16)));
static inline GF_INLINE v4d_ loadf4_(const float *p)
{
    v4f_ f;
    memcpy(&f, p, sizeof f);
    return __builtin_convertvector(f, v4d_);
}
#else
static inline GF_INLINE v4d_ loadf4_(const float *p) { return (v4d_){p[0], p[1], p[2], p[3]}; }
#endif

/* y (n) = y0 (n) + s M^T a, M (m, n) as float32 panels P, a (m); y0 NULL for zeros, or y.
 * Same order of sums as gemv_from_: STRIPE_-column stripes in 4-wide chains, then 4 columns at a
 * time in two chains (even and odd rows), then single columns. */
static inline GF_INLINE void gemv_f32_(double *y, const double *y0, const float *restrict P,
                                       const double *restrict a, int m, int n, double s)
{
    const int one = s == 1.0; /* start the sums at y0, as gemv_from_ does */
    const v4d_ zero = {0, 0, 0, 0};
    int j = 0;
    for (; j + PANEL_ <= n; j += PANEL_, P += (size_t)PANEL_ * m) {
#if STRIPE_ == PANEL_
        const int j1 = 0;
#else
        for (int j1 = 0; j1 < PANEL_; j1 += STRIPE_) /* a panel in stripes */
#endif
        {
            v4d_ acc[STRIPE_ / 4];
            for (int q = 0; q < STRIPE_ / 4; q++) acc[q] = one && y0 ? load4_(y0 + j + j1 + 4 * q) : zero;
            for (int k = 0; k < m; k++) {
                const float *row = P + (size_t)k * PANEL_ + j1;
                const double ak = a[k];
                for (int q = 0; q < STRIPE_ / 4; q++) acc[q] += ak * loadf4_(row + 4 * q);
            }
            for (int q = 0; q < STRIPE_ / 4; q++)
                store4_(y + j + j1 + 4 * q, one ? acc[q] : (y0 ? load4_(y0 + j + j1 + 4 * q) : zero) + s * acc[q]);
        }
    }
    const int r = n - j; /* the last panel (P), r wide: column j + q of M is its column q */
    const float *col = P;
    for (; j + 4 <= n; j += 4, col += 4) {
        v4d_ y0v = one && y0 ? load4_(y0 + j) : zero, y1v = zero;
        int k = 0;
        for (; k + 2 <= m; k += 2) {
            y0v += a[k] * loadf4_(col + (size_t)k * r);
            y1v += a[k + 1] * loadf4_(col + (size_t)(k + 1) * r);
        }
        if (k < m) y0v += a[k] * loadf4_(col + (size_t)k * r);
        store4_(y + j, one ? y0v + y1v : (y0 ? load4_(y0 + j) : zero) + s * (y0v + y1v));
    }
    if (j < n) {
        const int rest = n - j;
        double sum[4];
        for (int q = 0; q < rest; q++) sum[q] = one && y0 ? y0[j + q] : 0.0;
        for (int k = 0; k < m; k++) {
            const double ak = a[k];
            for (int q = 0; q < rest; q++) sum[q] += ak * (double)col[(size_t)k * r + q];
        }
        for (int q = 0; q < rest; q++) y[j + q] = one ? sum[q] : (y0 ? y0[j + q] : 0.0) + s * sum[q];
    }
}
#endif

/* y (n) = y0 + s M^T a, M (m, n): from the float32 panels P where net_prepare made them, s
 * placed as explained above (as (m): scratch for s a), else from the float64 copy Md (s is then
 * already in it). */
static inline GF_INLINE void product_(double *y, const double *y0, const float *P, const double *Md,
                                      const double *restrict a, int m, int n, double s,
                                      double *restrict as, int vec)
{
#if defined(__GNUC__)
    if (P) {
        if (s < 1.0) {
            for (int k = 0; k < m; k++) as[k] = s * a[k];
            gemv_f32_(y, y0, P, as, m, n, 1.0);
        } else {
            gemv_f32_(y, y0, P, a, m, n, s);
        }
        return;
    }
#endif
    gemv_from_(y, y0, Md, a, m, n, vec);
}

/* The products of unit u = l*D + d of layer l (G*H rows in W_hh and W_ih; I_l inputs):
 *   forward   y (G*H) = y0 + W_hh h      y (G*H) = y0 + W_ih x
 *   backward  y (H)   = y0 + W_hh^T d    y (I_l) = W_ih^T d  (acc: y += W_ih^T d)
 * (only weight_ih above the first layer has panels; the first has its 2 or 9 inputs) */
static inline GF_INLINE void hh_forward_(const Net *net, int u, double *y, const double *y0,
                                         const double *h, int vec)
{
    product_(y, y0, net->whF[u], net->w_hhT[u], h, net->s.H, net->G * net->s.H, net->panel_scale, net->ascaled, vec);
}

static inline GF_INLINE void hh_backward_(const Net *net, int u, double *y, const double *y0,
                                          const double *d, int vec)
{
    product_(y, y0, net->whB[u], net->w_hh[u], d, net->G * net->s.H, net->s.H, net->panel_scale, net->ascaled, vec);
}

static inline GF_INLINE void ih_forward_(const Net *net, int u, int l, double *y, const double *y0,
                                         const double *x, int vec)
{
    product_(y, y0, net->wiF[u], net->w_ihT[u], x, net_layer_inputs(net, l), net->G * net->s.H, 1.0, NULL, vec);
}

static inline GF_INLINE void ih_backward_(const Net *net, int u, int l, double *y, const double *d,
                                          int acc, int vec)
{
    product_(y, acc ? y : NULL, net->wiB[u], net->w_ih[u], d, net->G * net->s.H, net_layer_inputs(net, l),
             1.0, NULL, vec);
}

/* y (n) += M^T a */
static inline GF_INLINE void gemv_t_(double *y, const double *restrict M, const double *restrict a,
                                     int m, int n, int vec)
{
    gemv_from_(y, y, M, a, m, n, vec);
}

void kern_gemv_rows_t(double *y, const double *M, const double *a, int m, int n)
{
    gemv_rows_(y, y, M, a, m, n);
}

/* Pointer helpers: the (T, width) slab of sequence b in an (L, B, T, width) tensor. */
static inline double *slab_(double *base, const Net *net, int l, int b, int width)
{
    return base + ((size_t)l * net->s.B + b) * (size_t)net->s.T * width;
}

/* Every 256 steps: has the caller asked to stop? */
#define STOP_(net, t) (((t) & 255) == 0 && gf_cancelled((net)->cancel))

/* One direction of one layer: unit u, the stride S of a step's row in the state tensors (D*H),
 * the offset from step t's row to the state it follows (t-1 forward, t+1 reverse), and the time
 * of recurrence step k. */
typedef struct Dir_ {
    int l, d, u, S;
    ptrdiff_t back;
} Dir_;

static inline GF_INLINE Dir_ dir_(const Net *net, int l, int d)
{
    const int D = net_dirs(&net->s), S = D * net->s.H;
    Dir_ r = {l, d, l * D + d, S, d ? (ptrdiff_t)S : -(ptrdiff_t)S};
    return r;
}

static inline GF_INLINE int time_(const Net *net, const Dir_ *r, int k) { return r->d ? net->s.T - 1 - k : k; }

static inline const double *layer_input_(const Net *net, int l, int b)
{
    if (l == 0) return net->x + (size_t)b * net->s.T * net->s.I;
    return slab_(net->h, net, l - 1, b, net_dirs(&net->s) * net->s.H);
}

/* bias (G*H) of unit u: b_ih + b_hh, or b_ih alone for gru (which keeps b_hh on the hidden
 * side, where the reset gate multiplies the n block). */
static void layer_bias_(Net *net, int u)
{
    const int GH = net->G * net->s.H;
    const double *bih = net->b_ih[u], *bhh = net->b_hh[u];
    if (net->s.cell == GF_CELL_GRU)
        for (int j = 0; j < GH; j++) net->bias[j] = bih[j];
    else
        for (int j = 0; j < GH; j++) net->bias[j] = bih[j] + bhh[j];
}

/* xstep (G*H) = W_ih x_t + bias of unit r->u, sequence b, computed when the recurrence reaches
 * step t (no (T, G*H) tensor written and read back). */
static inline GF_INLINE const double *xproj_(Net *net, const Dir_ *r, int b, int t, int vec)
{
    const int in = net_layer_inputs(net, r->l);
    ih_forward_(net, r->u, r->l, net->xstep, net->bias, layer_input_(net, r->l, b) + (size_t)t * in, vec);
    return net->xstep;
}

/* ---- forward ------------------------------------------------------------------------------ */

static inline GF_INLINE void rnn_forward_(Net *net, const Dir_ *r, int b, int vec)
{
    const int T = net->s.T, H = net->s.H, S = r->S;
    const int relu = net->s.nonlin == GF_NONLIN_RELU;
    double *h = slab_(net->h, net, r->l, b, S) + (size_t)r->d * H;
    for (int k = 0; k < T && !STOP_(net, k); k++) {
        const int t = time_(net, r, k);
        double *restrict ht = h + (size_t)t * S;
        const double *xp = xproj_(net, r, b, t, vec);
        if (k > 0)
            hh_forward_(net, r->u, ht, xp, ht + r->back, vec); /* xp_t + W_hh h_{t-1} */
        else
            memcpy(ht, xp, sizeof(double) * H);
        /* h_t = tanh(W_ih x_t + b_ih + W_hh h_{t-1} + b_hh)   (or relu) */
        if (relu)
            for (int j = 0; j < H; j++) ht[j] = ht[j] < 0.0 ? 0.0 : ht[j];
        else
            for (int j = 0; j < H; j++) ht[j] = fm_tanh(ht[j]);
    }
}

static inline GF_INLINE void lstm_forward_(Net *net, const Dir_ *r, int b, int vec)
{
    const int T = net->s.T, H = net->s.H, GH = 4 * H, S = r->S, SG = 4 * S;
    double *h = slab_(net->h, net, r->l, b, S) + (size_t)r->d * H, *c = slab_(net->c, net, r->l, b, S) + (size_t)r->d * H;
    double *tc = slab_(net->tc, net, r->l, b, S) + (size_t)r->d * H;
    double *gate = slab_(net->gate, net, r->l, b, SG) + (size_t)r->d * GH;
    for (int k = 0; k < T && !STOP_(net, k); k++) {
        const int t = time_(net, r, k);
        double *restrict g = gate + (size_t)t * SG;
        const double *xp = xproj_(net, r, b, t, vec);
        if (k > 0)
            hh_forward_(net, r->u, g, xp, h + (size_t)t * S + r->back, vec); /* xp_t + W_hh h_{t-1} */
        else
            memcpy(g, xp, sizeof(double) * GH);
        /* i = sigma(.), f = sigma(.), g = tanh(.), o = sigma(.), blocks in that order */
        for (int j = 0; j < 2 * H; j++) g[j] = fm_sigmoid(g[j]);
        for (int j = 2 * H; j < 3 * H; j++) g[j] = fm_tanh(g[j]);
        for (int j = 3 * H; j < 4 * H; j++) g[j] = fm_sigmoid(g[j]);
        const double *restrict gi = g, *restrict gf = g + H, *restrict gg = g + 2 * H;
        const double *restrict go = g + 3 * H;
        double *restrict ct = c + (size_t)t * S, *restrict tct = tc + (size_t)t * S;
        double *restrict ht = h + (size_t)t * S;
        if (k > 0) {
            const double *restrict cp = ct + r->back;
            for (int j = 0; j < H; j++) ct[j] = gf[j] * cp[j] + gi[j] * gg[j]; /* c_t = f*c_{t-1} + i*g */
        } else {
            for (int j = 0; j < H; j++) ct[j] = gi[j] * gg[j];
        }
        for (int j = 0; j < H; j++) {
            tct[j] = fm_tanh(ct[j]);
            ht[j] = go[j] * tct[j]; /* h_t = o * tanh(c_t) */
        }
    }
}

static inline GF_INLINE void gru_forward_(Net *net, const Dir_ *r, int b, int vec)
{
    const int T = net->s.T, H = net->s.H, GH = 3 * H, S = r->S, SG = 3 * S;
    const double *bhh = net->b_hh[r->u];
    double *h = slab_(net->h, net, r->l, b, S) + (size_t)r->d * H, *hn = slab_(net->hn, net, r->l, b, S) + (size_t)r->d * H;
    double *gate = slab_(net->gate, net, r->l, b, SG) + (size_t)r->d * GH;
    double *restrict hh = net->tmp; /* (3H) W_hh h_{t-1} + b_hh */
    for (int k = 0; k < T && !STOP_(net, k); k++) {
        const int t = time_(net, r, k);
        const double *restrict x = xproj_(net, r, b, t, vec);
        double *restrict g = gate + (size_t)t * SG;
        double *restrict hnt = hn + (size_t)t * S, *restrict ht = h + (size_t)t * S;
        if (k > 0)
            hh_forward_(net, r->u, hh, bhh, ht + r->back, vec);
        else
            memcpy(hh, bhh, sizeof(double) * GH);
        /* r = sigma(W_ir x + b_ir + W_hr h + b_hr), z likewise */
        for (int j = 0; j < 2 * H; j++) g[j] = fm_sigmoid(x[j] + hh[j]);
        /* n = tanh(W_in x + b_in + r * (W_hn h + b_hn)) */
        for (int j = 0; j < H; j++) {
            hnt[j] = hh[2 * H + j];
            g[2 * H + j] = fm_tanh(x[2 * H + j] + g[j] * hnt[j]);
        }
        /* h_t = (1 - z) * n + z * h_{t-1} */
        const double *restrict z = g + H, *restrict n = g + 2 * H;
        if (k > 0) {
            const double *restrict hp = ht + r->back;
            for (int j = 0; j < H; j++) ht[j] = (1.0 - z[j]) * n[j] + z[j] * hp[j];
        } else {
            for (int j = 0; j < H; j++) ht[j] = (1.0 - z[j]) * n[j];
        }
    }
}

static inline GF_INLINE void layer_forward_(Net *net, int l, int d, int b, int vec)
{
    const Dir_ r = dir_(net, l, d);
    layer_bias_(net, r.u);
    switch (net->s.cell) {
    case GF_CELL_RNN: rnn_forward_(net, &r, b, vec); break;
    case GF_CELL_LSTM: lstm_forward_(net, &r, b, vec); break;
    case GF_CELL_GRU: gru_forward_(net, &r, b, vec); break;
    }
}

/* ---- backward ----------------------------------------------------------------------------- *
 * At every step the total derivative dL/dh_t = (from above or the head) + (from the next step of
 * the recurrence, t+1 forward, t-1 reverse); dh_rec carries the second part along. */

static inline GF_INLINE void rnn_backward_(Net *net, const Dir_ *r, int b, int keep, const double *ext,
                                           double *dx, int acc, int vec)
{
    const int T = net->s.T, H = net->s.H, S = r->S, in = net_layer_inputs(net, r->l);
    const int relu = net->s.nonlin == GF_NONLIN_RELU;
    const double *h = slab_(net->h, net, r->l, b, S) + (size_t)r->d * H;
    const double *eb = ext + (size_t)b * T * S + (size_t)r->d * H;
    double *gh = slab_(net->grad_h, net, r->l, b, S) + (size_t)r->d * H;
    double *dpre = keep ? net->dpre + (size_t)b * T * H : NULL; /* kept for the full backward only */
    double *restrict dh_rec = net->step + H;
    memset(dh_rec, 0, sizeof(double) * H);
    for (int k = T - 1; k >= 0 && !STOP_(net, k); k--) {
        const int t = time_(net, r, k);
        const double *restrict ht = h + (size_t)t * S, *restrict e = eb + (size_t)t * S;
        double *restrict dh = gh + (size_t)t * S, *restrict dp = keep ? dpre + (size_t)t * H : net->dstep;
        for (int j = 0; j < H; j++) dh[j] = e[j] + dh_rec[j];
        /* dL/dpre = dL/dh * tanh'(pre) = dh * (1 - h^2);  relu: 0 where h <= 0, else dh, as
           PyTorch's threshold_backward (a NaN state passes the NaN gradient on, it is not zeroed) */
        if (relu)
            for (int j = 0; j < H; j++) dp[j] = ht[j] <= 0.0 ? 0.0 : dh[j];
        else
            for (int j = 0; j < H; j++) dp[j] = dh[j] * (1.0 - ht[j] * ht[j]);
        if (k > 0) hh_backward_(net, r->u, dh_rec, NULL, dp, vec); /* dL/dh_{t-1} via recurrence = W_hh^T dpre */
        if (dx) ih_backward_(net, r->u, r->l, dx + (size_t)t * in, dp, acc, vec); /* dL/dx_t = W_ih^T dpre */
    }
}

/* One step's elementwise part of the lstm backward (restrict parameters: no aliasing, so the
 * compiler vectorises). g (4H) activated i, f, g, o; cp (H) c_{t-1}. */
static inline GF_INLINE void lstm_step_backward_(int H, const double *restrict e,
                                                 const double *restrict dh_rec,
                                                 const double *restrict g, const double *restrict tct,
                                                 const double *restrict cp, double *restrict dh,
                                                 double *restrict dc, double *restrict dc_next,
                                                 double *restrict dp)
{
    const double *gi = g, *gf = g + H, *gg = g + 2 * H, *go = g + 3 * H;
    for (int j = 0; j < H; j++) {
        double dhj = e[j] + dh_rec[j];
        /* dL/dc_t = dL/dh_t * o * (1 - tanh^2 c_t) + dL/dc_{t+1} * f_{t+1} */
        double dcj = dhj * go[j] * (1.0 - tct[j] * tct[j]) + dc_next[j];
        dh[j] = dhj;
        dc[j] = dcj;
        dp[j] = dcj * gg[j] * gi[j] * (1.0 - gi[j]);              /* d pre_i = dc g i (1 - i) */
        dp[H + j] = dcj * cp[j] * gf[j] * (1.0 - gf[j]);          /* d pre_f = dc c_{t-1} f (1 - f) */
        dp[2 * H + j] = dcj * gi[j] * (1.0 - gg[j] * gg[j]);      /* d pre_g = dc i (1 - g^2) */
        dp[3 * H + j] = dhj * tct[j] * go[j] * (1.0 - go[j]);     /* d pre_o = dh tanh(c) o (1 - o) */
        dc_next[j] = dcj * gf[j];
    }
}

static inline GF_INLINE void lstm_backward_(Net *net, const Dir_ *r, int b, int keep, const double *ext,
                                            double *dx, int acc, int vec)
{
    const int T = net->s.T, H = net->s.H, GH = 4 * H, S = r->S, SG = 4 * S, in = net_layer_inputs(net, r->l);
    const size_t off = (size_t)r->d * H;
    const double *c = slab_(net->c, net, r->l, b, S) + off, *tc = slab_(net->tc, net, r->l, b, S) + off;
    const double *gate = slab_(net->gate, net, r->l, b, SG) + (size_t)r->d * GH;
    const double *eb = ext + (size_t)b * T * S + off;
    double *gh = slab_(net->grad_h, net, r->l, b, S) + off, *gc = slab_(net->grad_c, net, r->l, b, S) + off;
    double *dpre = keep ? net->dpre + (size_t)b * T * GH : NULL; /* kept for the full backward only */
    const double *zeros = net->step;
    double *dh_rec = net->step + H, *dc_next = net->step + 2 * H;
    memset(dh_rec, 0, sizeof(double) * H);
    memset(dc_next, 0, sizeof(double) * H);
    for (int k = T - 1; k >= 0 && !STOP_(net, k); k--) {
        const int t = time_(net, r, k);
        double *dp = keep ? dpre + (size_t)t * GH : net->dstep;
        lstm_step_backward_(H, eb + (size_t)t * S, dh_rec, gate + (size_t)t * SG, tc + (size_t)t * S,
                            k > 0 ? c + (size_t)t * S + r->back : zeros, gh + (size_t)t * S,
                            gc + (size_t)t * S, dc_next, dp);
        if (k > 0) hh_backward_(net, r->u, dh_rec, NULL, dp, vec); /* dL/dh_{t-1} via recurrence = W_hh^T dpre */
        if (dx) ih_backward_(net, r->u, r->l, dx + (size_t)t * in, dp, acc, vec); /* dL/dx_t = W_ih^T dpre */
    }
}

/* One step's elementwise part of the gru backward. g (3H) activated r, z, n; hn (H) the
 * W_hn h_{t-1} + b_hn the reset gate multiplied; hp (H) h_{t-1}. */
static inline GF_INLINE void gru_step_backward_(int H, const double *restrict e,
                                                double *restrict dh_rec, const double *restrict g,
                                                const double *restrict hn, const double *restrict hp,
                                                double *restrict dh, double *restrict di,
                                                double *restrict dhh)
{
    const double *r = g, *z = g + H, *n = g + 2 * H;
    for (int j = 0; j < H; j++) {
        double dhj = e[j] + dh_rec[j];
        dh[j] = dhj;
        /* h = (1 - z) n + z h_{t-1} */
        double dn = dhj * (1.0 - z[j]) * (1.0 - n[j] * n[j]); /* d pre_n */
        double dz = dhj * (hp[j] - n[j]) * z[j] * (1.0 - z[j]); /* d pre_z */
        double dr = dn * hn[j] * r[j] * (1.0 - r[j]);          /* d pre_r: pre_n holds r * hn */
        di[j] = dr;
        di[H + j] = dz;
        di[2 * H + j] = dn;
        dhh[j] = dr;
        dhh[H + j] = dz;
        dhh[2 * H + j] = dn * r[j]; /* the hidden side of n is multiplied by r */
        dh_rec[j] = dhj * z[j];     /* the direct path z * h_{t-1} */
    }
}

static inline GF_INLINE void gru_backward_(Net *net, const Dir_ *r, int b, int keep, const double *ext,
                                           double *dx, int acc, int vec)
{
    const int T = net->s.T, H = net->s.H, GH = 3 * H, S = r->S, SG = 3 * S, in = net_layer_inputs(net, r->l);
    const size_t off = (size_t)r->d * H;
    const double *h = slab_(net->h, net, r->l, b, S) + off, *hn = slab_(net->hn, net, r->l, b, S) + off;
    const double *gate = slab_(net->gate, net, r->l, b, SG) + (size_t)r->d * GH;
    const double *eb = ext + (size_t)b * T * S + off;
    double *gh = slab_(net->grad_h, net, r->l, b, S) + off;
    double *dpre = keep ? net->dpre + (size_t)b * T * GH : NULL; /* kept for the full backward only */
    double *dpre_hh = keep ? net->dpre_hh + (size_t)b * T * GH : NULL;
    const double *zeros = net->step;
    double *dh_rec = net->step + H;
    memset(dh_rec, 0, sizeof(double) * H);
    for (int k = T - 1; k >= 0 && !STOP_(net, k); k--) {
        const int t = time_(net, r, k);
        double *di = keep ? dpre + (size_t)t * GH : net->dstep;
        double *dhh = keep ? dpre_hh + (size_t)t * GH : net->dstep + GH;
        gru_step_backward_(H, eb + (size_t)t * S, dh_rec, gate + (size_t)t * SG, hn + (size_t)t * S,
                           k > 0 ? h + (size_t)t * S + r->back : zeros, gh + (size_t)t * S, di, dhh);
        if (k > 0) hh_backward_(net, r->u, dh_rec, dh_rec, dhh, vec); /* + W_hh^T dpre_hh */
        if (dx) ih_backward_(net, r->u, r->l, dx + (size_t)t * in, di, acc, vec); /* dL/dx_t = W_ih^T dpre */
    }
}

static inline GF_INLINE void layer_backward_(Net *net, int l, int d, int b, int keep_dpre,
                                             const double *ext, double *dx, int acc, int vec)
{
    const Dir_ r = dir_(net, l, d);
    switch (net->s.cell) {
    case GF_CELL_RNN: rnn_backward_(net, &r, b, keep_dpre, ext, dx, acc, vec); break;
    case GF_CELL_LSTM: lstm_backward_(net, &r, b, keep_dpre, ext, dx, acc, vec); break;
    case GF_CELL_GRU: gru_backward_(net, &r, b, keep_dpre, ext, dx, acc, vec); break;
    }
}

static inline GF_INLINE void layer_param_grads_(Net *net, int l, int d, int b)
{
    const Dir_ r = dir_(net, l, d);
    const int T = net->s.T, H = net->s.H, GH = net->G * H, S = r.S, in = net_layer_inputs(net, l);
    const double *xin = layer_input_(net, l, b);
    const double *h = slab_(net->h, net, l, b, S) + (size_t)d * H;
    const double *dpre = net->dpre + (size_t)b * T * GH;
    const double *dhh = (net->s.cell == GF_CELL_GRU ? net->dpre_hh : net->dpre) + (size_t)b * T * GH;
    double *gwi = net->g_w_ih[r.u], *gwh = net->g_w_hh[r.u], *gbi = net->g_b_ih[r.u], *gbh = net->g_b_hh[r.u];
    for (int t = 0; t < T && !STOP_(net, t); t++) {
        const double *restrict di = dpre + (size_t)t * GH, *restrict dh = dhh + (size_t)t * GH;
        const double *restrict x = xin + (size_t)t * in;
        for (int j = 0; j < GH; j++) {
            gbi[j] += di[j];                 /* dL/db_ih += dpre */
            gbh[j] += dh[j];                 /* dL/db_hh += dpre (hidden side) */
            double *restrict row = gwi + (size_t)j * in;
            for (int k = 0; k < in; k++) row[k] += di[j] * x[k]; /* dL/dW_ih += dpre x_t^T */
        }
        if (time_(net, &r, t) > 0) { /* t is the direction's step k = t (forward) or T-1-t (reverse) */
            const double *restrict hp = h + (size_t)t * S + r.back;
            for (int j = 0; j < GH; j++) {
                double *restrict row = gwh + (size_t)j * H;
                for (int k = 0; k < H; k++) row[k] += dh[j] * hp[k]; /* dL/dW_hh += dpre h_{t-1}^T */
            }
        }
    }
}

/* ---- One CPU dispatch ----------------------------------------------------------------------- *
 * Each version is the same source compiled for one instruction set, its entry points gathered in
 * a table; kern_impl_ picks the table from the processor's features (a few loads, no state kept),
 * and the kern_ functions below call through it. vec: the vector sweeps (1) or the row sweeps (0)
 * in gemv_from_; f32: float32 panels are worth reading (they are read with GNU C vectors). */
typedef struct KernImpl {
    void (*layer_forward)(Net *net, int l, int d, int b);
    void (*layer_backward)(Net *net, int l, int d, int b, int keep_dpre, const double *ext, double *dx,
                           int acc);
    void (*layer_param_grads)(Net *net, int l, int d, int b);
    void (*gemv_t)(double *y, const double *M, const double *a, int m, int n);
    int f32;
} KernImpl;

#define KERN_VERSION_(name, target, vec, f32)                                                     \
    target static void name##_forward_(Net *net, int l, int d, int b)                            \
    {                                                                                             \
        layer_forward_(net, l, d, b, vec);                                                        \
    }                                                                                             \
    target static void name##_backward_(Net *net, int l, int d, int b, int keep_dpre,             \
                                        const double *ext, double *dx, int acc)                   \
    {                                                                                             \
        layer_backward_(net, l, d, b, keep_dpre, ext, dx, acc, vec);                              \
    }                                                                                             \
    target static void name##_param_grads_(Net *net, int l, int d, int b)                         \
    {                                                                                             \
        layer_param_grads_(net, l, d, b);                                                         \
    }                                                                                             \
    target static void name##_gemv_t_(double *y, const double *M, const double *a, int m, int n)  \
    {                                                                                             \
        gemv_t_(y, M, a, m, n, vec);                                                              \
    }                                                                                             \
    static const KernImpl name = {name##_forward_, name##_backward_, name##_param_grads_,         \
                                  name##_gemv_t_, f32};

#if defined(__GNUC__)
KERN_VERSION_(impl_vectors_, , 1, 1)
#else
KERN_VERSION_(impl_vectors_, , 1, 0)
#endif
#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
KERN_VERSION_(impl_rows_, , 0, 0)
#endif
#if defined(GF_HAVE_TARGET_VERSIONS)
KERN_VERSION_(impl_v4_, GF_TARGET_V4, 1, 1)
KERN_VERSION_(impl_v3_, GF_TARGET_V3, 1, 1)
#endif

static const KernImpl *kern_impl_(void)
{
#if defined(GF_HAVE_TARGET_VERSIONS)
    if (__builtin_cpu_supports("x86-64-v4")) return &impl_v4_;
    if (__builtin_cpu_supports("x86-64-v3")) return &impl_v3_;
#endif
#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
    if (!__builtin_cpu_supports("avx2")) return &impl_rows_;
#endif
    return &impl_vectors_;
}

void kern_layer_forward(Net *net, int l, int d, int b) { kern_impl_()->layer_forward(net, l, d, b); }

void kern_layer_backward(Net *net, int l, int d, int b, int keep_dpre, const double *ext, double *dx, int acc)
{
    kern_impl_()->layer_backward(net, l, d, b, keep_dpre, ext, dx, acc);
}

void kern_layer_param_grads(Net *net, int l, int d, int b) { kern_impl_()->layer_param_grads(net, l, d, b); }

void kern_gemv_t(double *y, const double *M, const double *a, int m, int n)
{
    kern_impl_()->gemv_t(y, M, a, m, n);
}

int kern_f32_supported(void) { return kern_impl_()->f32; }
