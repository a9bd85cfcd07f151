/* linalg.c - scaled norms and power iterations. */
#include "linalg.h"

#include <math.h>
#include <string.h>

#include "kernels.h"

/* Eight independent lanes (element i goes to lane i % 8): the compiler keeps them in vector
 * registers, and no chain of dependent operations runs the length of the vector. */
#define LANES_ 8

/* sum (v_i * inv)^2 over count chunks of len at stride, in lanes. */
static double sum_sq_(const double *v, size_t count, size_t len, size_t stride, double inv)
{
    double sq[LANES_] = {0}, total = 0.0;
    for (size_t c = 0; c < count; c++) {
        const double *p = v + c * stride;
        size_t i = 0;
        for (; i + LANES_ <= len; i += LANES_)
            for (int q = 0; q < LANES_; q++) {
                const double x = p[i + q] * inv;
                sq[q] += x * x;
            }
        for (int q = 0; i < len; i++, q++) {
            const double x = p[i] * inv;
            sq[q] += x * x;
        }
    }
    for (int q = 0; q < LANES_; q++) total += sq[q];
    return total;
}

double linalg_norm_strided(const double *v, size_t count, size_t len, size_t stride)
{
    /* First the plain sum of squares: when it lands in [2^-968, inf) every square it lost to
       underflow (each below 2^-1022) weighs less than 2^-54 of it, so sqrt is the norm. */
    const double plain = sum_sq_(v, count, len, stride, 1.0);
    if (plain >= 0x1p-968 && plain < INFINITY) return sqrt(plain);

    /* Otherwise ||v|| = m * sqrt(sum (v_i / m)^2), m = max |v_i|: no underflow, no overflow. A
       NaN entry is skipped by the max (a > m is false) and makes the sum NaN. */
    double mx[LANES_] = {0}, m = 0.0;
    for (size_t c = 0; c < count; c++) {
        const double *p = v + c * stride;
        for (size_t i = 0; i < len; i++) {
            const double a = fabs(p[i]);
            mx[i % LANES_] = a > mx[i % LANES_] ? a : mx[i % LANES_];
        }
    }
    for (int q = 0; q < LANES_; q++) m = mx[q] > m ? mx[q] : m;
    if (m == 0.0 || isinf(m)) {
        for (size_t c = 0; c < count; c++)
            for (size_t i = 0; i < len; i++)
                if (isnan(v[c * stride + i])) return NAN;
        return m;
    }
    if (!isinf(1.0 / m)) return m * sqrt(sum_sq_(v, count, len, stride, 1.0 / m));
    /* m subnormal: 1/m is infinite, so divide instead (only for norms below 2e-308) */
    double sum = 0.0;
    for (size_t c = 0; c < count; c++)
        for (size_t i = 0; i < len; i++) {
            const double x = v[c * stride + i] / m;
            sum += x * x;
        }
    return m * sqrt(sum);
}

double linalg_norm(const double *v, size_t n) { return linalg_norm_strided(v, 1, n, n); }

/* y (n) = M^T x for the n x n row-major M, with the vectorised kernel. */
static void matvec_t_(double *y, const double *m, const double *x, int n)
{
    memset(y, 0, sizeof(double) * (size_t)n);
    kern_gemv_t(y, m, x, n, n);
}

/* at (n, n) = a^T, so that a x = at^T x runs as the same kernel. */
static void transpose_(double *at, const double *a, int n)
{
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) at[(size_t)j * n + i] = a[(size_t)i * n + j];
}

/* A fixed, generic start vector: every component non-zero, no special direction. */
static void start_vector_(double *v, int n)
{
    for (int i = 0; i < n; i++) v[i] = 1.0 + 0.5 * sin(1.0 + 2.3 * i);
    double s = linalg_norm(v, (size_t)n);
    for (int i = 0; i < n; i++) v[i] /= s;
}

double linalg_sigma_max(const double *a, int n, double *work)
{
    double *at = work, *v = work + (size_t)n * n, *u = v + n; /* (n, n), (n), (n) */
    transpose_(at, a, n);
    start_vector_(v, n);
    double sigma = 0.0;
    for (int it = 0; it < LINALG_SIGMA_ITERS; it++) {
        matvec_t_(u, at, v, n);                /* u = a v */
        double s = linalg_norm(u, (size_t)n);  /* sigma estimate ||a v||, v unit */
        if (!(s > 0.0) || isinf(s)) return s;  /* zero matrix, or inf / NaN entries */
        matvec_t_(v, a, u, n);                 /* v = a^T a v */
        double vn = linalg_norm(v, (size_t)n);
        for (int i = 0; i < n; i++) v[i] /= vn;
        int done = fabs(s - sigma) <= 1e-13 * s;
        sigma = s;
        if (done) break;
    }
    return sigma;
}

double linalg_spectral_radius(const double *a, int n, double *work)
{
    /* rho = lim ||a^k v||^(1/k): average log ||a v_k|| (v_k unit) over the iterations after
       LINALG_RHO_SKIP, so the start vector's transient is left out. */
    double *at = work, *v = work + (size_t)n * n, *u = v + n;
    transpose_(at, a, n);
    start_vector_(v, n);
    double logsum = 0.0;
    int counted = 0;
    for (int it = 0; it < LINALG_RHO_ITERS; it++) {
        matvec_t_(u, at, v, n);               /* u = a v */
        double s = linalg_norm(u, (size_t)n);
        if (!(s > 0.0) || isinf(s)) return s; /* nilpotent direction, or inf / NaN entries */
        for (int i = 0; i < n; i++) v[i] = u[i] / s;
        if (it >= LINALG_RHO_SKIP) {
            logsum += log(s);
            counted++;
        }
    }
    return exp(logsum / counted);
}
