/* linalg.c - scaled norms and power iterations. */
#include "linalg.h"

#include <math.h>

double linalg_norm_strided(const double *v, size_t count, size_t len, size_t stride)
{
    /* ||v|| = m * sqrt(sum (v_i / m)^2), m = max |v_i|: no underflow, no overflow. */
    double m = 0.0;
    int has_nan = 0;
    for (size_t c = 0; c < count; c++) {
        const double *p = v + c * stride;
        for (size_t i = 0; i < len; i++) {
            double a = fabs(p[i]);
            if (a != a) has_nan = 1;
            m = a > m ? a : m;
        }
    }
    if (has_nan) return NAN;
    if (m == 0.0 || isinf(m)) return m;
    double inv = 1.0 / m, sum = 0.0;
    if (isinf(inv)) { /* m is subnormal: divide instead of multiplying by an infinite inverse */
        for (size_t c = 0; c < count; c++)
            for (size_t i = 0; i < len; i++) {
                double q = v[c * stride + i] / m;
                sum += q * q;
            }
    } else {
        for (size_t c = 0; c < count; c++)
            for (size_t i = 0; i < len; i++) {
                double q = v[c * stride + i] * inv;
                sum += q * q;
            }
    }
    return m * sqrt(sum);
}

double linalg_norm(const double *v, size_t n) { return linalg_norm_strided(v, 1, n, n); }

/* y (n) = a x, a (n, n) row-major */
static void matvec_(double *y, const double *a, const double *x, int n)
{
    for (int i = 0; i < n; i++) {
        double s = 0.0;
        for (int j = 0; j < n; j++) s += a[(size_t)i * n + j] * x[j];
        y[i] = s;
    }
}

/* y (n) = a^T x */
static void matvec_t_(double *y, const double *a, const double *x, int n)
{
    for (int j = 0; j < n; j++) y[j] = 0.0;
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) y[j] += a[(size_t)i * n + j] * x[i];
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
    double *v = work, *u = work + n; /* (n), (n) */
    start_vector_(v, n);
    double sigma = 0.0;
    for (int it = 0; it < 3000; it++) {
        matvec_(u, a, v, n);                   /* u = a v */
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
    /* rho = lim ||a^k v||^(1/k): average log ||a v_k|| (v_k unit) over k in [200, 600), so the
       start vector's transient is skipped. */
    double *v = work, *u = work + n;
    start_vector_(v, n);
    double logsum = 0.0;
    int counted = 0;
    for (int it = 0; it < 600; it++) {
        matvec_(u, a, v, n);
        double s = linalg_norm(u, (size_t)n);
        if (!(s > 0.0) || isinf(s)) return s; /* nilpotent direction, or inf / NaN entries */
        for (int i = 0; i < n; i++) v[i] = u[i] / s;
        if (it >= 200) {
            logsum += log(s);
            counted++;
        }
    }
    return exp(logsum / counted);
}
