/* rng.c - xoshiro256** (Blackman & Vigna 2018) seeded by splitmix64, and distributions. */
#include "rng.h"

#include <math.h>

static uint64_t rotl_(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

static uint64_t splitmix64_(uint64_t *x)
{
    uint64_t z = (*x += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

void rng_seed(Rng *r, uint64_t seed)
{
    uint64_t x = seed;
    for (int i = 0; i < 4; i++) r->s[i] = splitmix64_(&x);
}

uint64_t rng_next(Rng *r)
{
    uint64_t *s = r->s;
    uint64_t result = rotl_(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl_(s[3], 45);
    return result;
}

double rng_uniform(Rng *r) { return (double)(rng_next(r) >> 11) * 0x1.0p-53; }

double rng_uniform_range(Rng *r, double lo, double hi) { return lo + (hi - lo) * rng_uniform(r); }

uint64_t rng_below(Rng *r, uint64_t n)
{
    /* Reject the top partial copy of [0, n) so every value is equally likely. */
    uint64_t limit = UINT64_MAX - UINT64_MAX % n;
    uint64_t v;
    do v = rng_next(r);
    while (v >= limit);
    return v % n;
}

double rng_normal(Rng *r)
{
    /* Box-Muller: sqrt(-2 ln u1) cos(2 pi u2), u1 in (0, 1]. */
    double u1 = 1.0 - rng_uniform(r);
    double u2 = rng_uniform(r);
    return sqrt(-2.0 * log(u1)) * cos(6.283185307179586476925 * u2);
}

void rng_orthogonal(Rng *r, double *q, int n)
{
    /* Gaussian matrix a (n, n); modified Gram-Schmidt on its columns, run twice for orthogonality
     * to rounding, gives q with a = q R; R's diagonal is the norm before normalisation (> 0), so
     * the Haar sign correction q * sign(diag R) is the identity here. */
    for (int i = 0; i < n * n; i++) q[i] = rng_normal(r);
    for (int j = 0; j < n; j++) {
        for (int pass = 0; pass < 2; pass++) {
            for (int k = 0; k < j; k++) {
                double dot = 0.0; /* <q_k, q_j> over rows */
                for (int i = 0; i < n; i++) dot += q[i * n + k] * q[i * n + j];
                for (int i = 0; i < n; i++) q[i * n + j] -= dot * q[i * n + k];
            }
        }
        double norm = 0.0;
        for (int i = 0; i < n; i++) norm += q[i * n + j] * q[i * n + j];
        norm = sqrt(norm);
        for (int i = 0; i < n; i++) q[i * n + j] /= norm;
    }
}
