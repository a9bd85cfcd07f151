/* fastmath.h - branch-free, vectorisable exp, tanh and sigmoid in double precision.
 *
 * libm's exp and tanh are calls the compiler cannot vectorise; these inline versions can. They
 * use the classic reduction y = n ln2 + r with |r| <= ln2/2 (ln2 split in a high part with
 * trailing zero bits and a low part, so n*LN2_HI is exact), then
 *   expm1(r) = r * (1 + r/2! + r^2/3! + ... + r^13/14!)   (truncation < 2e-17 for |r| <= 0.35)
 *   exp(y)   = 2^n * (1 + expm1(r)),  2^n built from its exponent bits.
 * Relative error against libm stays within a few ulp (tests/test_fastmath.c measures it).
 * NaN propagates; +-inf saturate (tanh -> +-1, sigmoid -> 0 or 1). Compile users with
 * -ffp-contract=fast so the polynomial becomes fused multiply-adds. */
#ifndef GF_FASTMATH_H
#define GF_FASTMATH_H

#include <math.h>
#include <stdint.h>
#include <string.h>

#if defined(__GNUC__)
#define FM_INLINE __attribute__((always_inline))
#else
#define FM_INLINE
#endif

#define FM_LOG2E 1.4426950408889634074
#define FM_LN2_HI 6.93147180369123816490e-01 /* ln 2 rounded to 32 significant bits */
#define FM_LN2_LO 1.90821492927058770002e-10 /* ln 2 - FM_LN2_HI */
#define FM_SHIFT 6755399441055744.0          /* 1.5 * 2^52: adding it rounds to an integer */

/* Splits y (clamped to [-708, 709] by the caller) into 2^n (*s) and expm1(r) (*p). */
static inline FM_INLINE void fm_exp_parts_(double y, double *s, double *p)
{
    double kd = y * FM_LOG2E + FM_SHIFT;
    double n = kd - FM_SHIFT;                 /* n = round(y / ln 2) */
    double r = (y - n * FM_LN2_HI) - n * FM_LN2_LO;
    /* q = sum_{k=0}^{13} r^k / (k+1)!  (Estrin: pairs, then pairs of pairs: a short chain) */
    const double r2 = r * r, r4 = r2 * r2, r8 = r4 * r4;
    const double p01 = 1.0 + r * 0.5, p23 = 1.0 / 6.0 + r * (1.0 / 24.0);
    const double p45 = 1.0 / 120.0 + r * (1.0 / 720.0), p67 = 1.0 / 5040.0 + r * (1.0 / 40320.0);
    const double p89 = 1.0 / 362880.0 + r * (1.0 / 3628800.0);
    const double pab = 1.0 / 39916800.0 + r * (1.0 / 479001600.0);
    const double pcd = 1.0 / 6227020800.0 + r * (1.0 / 87178291200.0);
    const double p03 = p01 + r2 * p23, p47 = p45 + r2 * p67, p8b = p89 + r2 * pab;
    const double p07 = p03 + r4 * p47, p8d = p8b + r4 * pcd;
    double q = p07 + r8 * p8d;
    *p = r * q;                               /* expm1(r), no cancellation */
    /* The low bits of kd hold n; 2^n has exponent field n + 1023. */
    uint64_t kbits, sbits;
    memcpy(&kbits, &kd, sizeof kbits);
    sbits = (kbits + 1023u) << 52;
    memcpy(s, &sbits, sizeof sbits);
}

/* exp(y) for any y (clamped to [-708, 709]: below that the result is ~3e-308, not 0). */
static inline FM_INLINE double fm_exp(double y)
{
    double s, p;
    y = y < -708.0 ? -708.0 : y;
    y = y > 709.0 ? 709.0 : y;
    fm_exp_parts_(y, &s, &p);
    return s + s * p;
}

/* tanh(x) = -expm1(-2|x|) / (2 + expm1(-2|x|)), with x's sign. */
static inline FM_INLINE double fm_tanh(double x)
{
    double y = -2.0 * fabs(x), s, p;
    y = y < -708.0 ? -708.0 : y;
    fm_exp_parts_(y, &s, &p);
    double em1 = (s - 1.0) + s * p;           /* expm1(y) in (-1, 0] */
    return copysign(-em1 / (2.0 + em1), x);
}

/* sigmoid(x) = 1 / (1 + exp(-x)). */
static inline FM_INLINE double fm_sigmoid(double x) { return 1.0 / (1.0 + fm_exp(-x)); }

/* Array versions (out may equal in): out[i] = f(in[i]) for i < n. */
void fm_tanh_v(double *out, const double *in, int n);
void fm_sigmoid_v(double *out, const double *in, int n);
void fm_exp_v(double *out, const double *in, int n);

#endif
