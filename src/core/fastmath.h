/* fastmath.h - branch-free, vectorisable exp, tanh and sigmoid in double precision.
 *
 * libm's exp and tanh are calls the compiler cannot vectorise; these inline versions can. They
 * use the classic reduction y = n ln2 + r with |r| <= ln2/2 (ln2 split in a high part with
 * trailing zero bits and a low part, so n*LN2_HI is exact), then
 *   expm1(r) = r + r^2 (1/2! + r/3! + ... + r^12/14!)   (truncation < 2e-17 for |r| <= 0.35)
 *   exp(y)   = 2^n * (1 + expm1(r)),  2^n built from its exponent bits,
 * for tanh carrying the roundings of the reduction and of the last steps in a low part. exp is
 * within a few ulp of libm's; tanh is correctly rounded for about 99% of arguments, like
 * PyTorch's (tests/test_fastmath.c measures it).
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

/* a * b - p exactly, for p = a * b rounded: a fused multiply-add where the machine has one.
 * WebAssembly has none, and there fma() is a software routine (a fifth of the whole run's time
 * went to it); Dekker's product splits a and b in halves of 26 bits, whose products are exact,
 * and gives the same exact difference (|a|, |b| < 2^996 here), so the results do not change.
 * (FM_NO_FMA takes this path anywhere: tests/fastmath_nofma.c holds it to the fma one, bit for
 * bit. It needs the products rounded one by one: no contraction into fused multiply-adds.) */
static inline FM_INLINE double fm_prod_err_(double a, double b, double p)
{
#if defined(__wasm__) || defined(FM_NO_FMA)
    const double ca = 134217729.0 * a, cb = 134217729.0 * b; /* 2^27 + 1 */
    const double ah = ca - (ca - a), al = a - ah, bh = cb - (cb - b), bl = b - bh;
    return ((ah * bh - p) + ah * bl + al * bh) + al * bl;
#else
    return fma(a, b, -p);
#endif
}

/* Splits y (clamped to [-708, 709] by the caller) into 2^n (*s) and expm1(r) (*p), with r the
 * reduced argument; with plo, also what p could not hold: the roundings of the reduction and of
 * the last steps, so that e^y = s (1 + p + plo) to ~1e-32 beyond the polynomial's own rounding
 * (fm_tanh needs that; exp and sigmoid, where no cancellation follows, do not pay for it). */
static inline FM_INLINE void fm_exp_parts_(double y, double *s, double *p, double *plo)
{
    double kd = y * FM_LOG2E + FM_SHIFT;
    double n = kd - FM_SHIFT;                 /* n = round(y / ln 2) */
    const double t = y - n * FM_LN2_HI;       /* exact: n * LN2_HI has trailing zero bits */
    const double nl = n * FM_LN2_LO;
    const double r = t - nl;
    /* q = sum_{k=0}^{12} r^k / (k+2)!, so expm1(r) = r + r^2 q (Estrin: pairs, then pairs of
       pairs: a short chain). The leading r is exact; q's roundings touch only r^2 q, at most a
       fifth of the result. */
    const double r2 = r * r, r4 = r2 * r2, r8 = r4 * r4;
    const double p01 = 0.5 + r * (1.0 / 6.0), p23 = 1.0 / 24.0 + r * (1.0 / 120.0);
    const double p45 = 1.0 / 720.0 + r * (1.0 / 5040.0), p67 = 1.0 / 40320.0 + r * (1.0 / 362880.0);
    const double p89 = 1.0 / 3628800.0 + r * (1.0 / 39916800.0);
    const double pab = 1.0 / 479001600.0 + r * (1.0 / 6227020800.0);
    const double p03 = p01 + r2 * p23, p47 = p45 + r2 * p67, p8b = p89 + r2 * pab;
    const double p07 = p03 + r4 * p47, p8c = p8b + r4 * (1.0 / 87178291200.0);
    const double q = p07 + r8 * p8c;
    const double t2 = r2 * q;
    *p = r + t2;                              /* expm1(r), no cancellation */
    if (plo) {
        /* the roundings of p, of r^2 q and of r^2, and e^(r + rlo) = e^r (1 + rlo) */
        const double rlo = (t - r) - nl;      /* r + rlo = t - nl */
        *plo = ((r - *p) + t2) + fm_prod_err_(r2, q, t2) + fm_prod_err_(r, r, r2) * q + rlo * (1.0 + *p);
    }
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
    fm_exp_parts_(y, &s, &p, NULL);
    return s + s * p;
}

/* tanh(x) = -E / (2 + E), E = expm1(-2|x|), with x's sign; E and 2 + E carried as hi + lo pairs
 * and the quotient corrected once, so the result is the correctly rounded tanh in all but rare
 * cases (about 99% of arguments above 0.5, measured). Near saturation that matters: the
 * backward pass uses 1 - tanh^2, in which one ulp of tanh can be a large part. */
static inline FM_INLINE double fm_tanh(double x)
{
    double y = -2.0 * fabs(x), s, p, plo;
    y = y < -708.0 ? -708.0 : y;
    fm_exp_parts_(y, &s, &p, &plo);
    /* E = (s - 1) + s p + s plo, s = 2^n with n <= 0 */
    const double a = s - 1.0, alo = s - (a + 1.0); /* alo: what s - 1 lost when n < -53 */
    const double sp = s * p;
    const double eh = a + sp, el = ((a - eh) + sp) + (alo + s * plo); /* |a| >= |sp| or a = 0 */
    /* 2 + E in (1, 2] */
    const double dh = 2.0 + eh, dl = ((2.0 - dh) + eh) + el;
    const double qt = -eh / dh;
    /* -E - qt (2 + E) */
#if defined(__wasm__) || defined(FM_NO_FMA)
    /* -qt dh - eh, rounded once, is -(p + eh) - e with p = qt dh rounded and e its error:
       p + eh is exact (p is within a factor 2 of -eh: Sterbenz), so this is fma's result */
    const double pq = qt * dh;
    const double rem = (-(pq + eh) - fm_prod_err_(qt, dh, pq)) - el - qt * dl;
#else
    const double rem = fma(qt, -dh, -eh) - el - qt * dl;
#endif
    return copysign(qt + rem / dh, x);
}

/* sigmoid(x) = 1 / (1 + exp(-x)). */
static inline FM_INLINE double fm_sigmoid(double x) { return 1.0 / (1.0 + fm_exp(-x)); }

/* Array versions (out may equal in): out[i] = f(in[i]) for i < n. */
void fm_tanh_v(double *out, const double *in, int n);
void fm_sigmoid_v(double *out, const double *in, int n);
void fm_exp_v(double *out, const double *in, int n);

#endif
