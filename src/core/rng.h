/* rng.h - a seeded pseudo-random generator with explicit state (xoshiro256**, seeded through
 * splitmix64), and the distributions the initialisers and tasks need. Same seed, same numbers,
 * on every platform. */
#ifndef GF_RNG_H
#define GF_RNG_H

#include <stdint.h>

typedef struct Rng {
    uint64_t s[4]; /* xoshiro256** state, never all zero */
} Rng;

void rng_seed(Rng *r, uint64_t seed);
uint64_t rng_next(Rng *r);
/* Uniform in [0, 1) with 53 random bits. */
double rng_uniform(Rng *r);
/* Uniform in [lo, hi). */
double rng_uniform_range(Rng *r, double lo, double hi);
/* Uniform integer in [0, n), n >= 1, without modulo bias. */
uint64_t rng_below(Rng *r, uint64_t n);
/* Standard normal (Box-Muller; one value per call). */
double rng_normal(Rng *r);
/* Fills the n x n row-major matrix q with a random orthogonal matrix, Haar-distributed:
 * the Q of a QR factorisation of a Gaussian matrix, columns signed by diag(R). */
void rng_orthogonal(Rng *r, double *q, int n);

#endif
