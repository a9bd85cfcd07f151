/* linalg.h - the few dense operations outside the per-step kernels: norms that never underflow,
 * and the spectral quantities of a recurrent weight block. */
#ifndef GF_LINALG_H
#define GF_LINALG_H

#include <stddef.h>

/* ||v||_2 over count chunks of len contiguous values, chunk i starting at v + i*stride.
 * Scaled by the largest magnitude first, so entries of 1e-250 give a norm of ~1e-250 (a plain sum
 * of squares underflows below ~1e-154). Infinite if any entry is, NaN if any is NaN. */
double linalg_norm_strided(const double *v, size_t count, size_t len, size_t stride);
/* ||v||_2 of n contiguous values, scaled likewise. */
double linalg_norm(const double *v, size_t n);

#define LINALG_SIGMA_ITERS 500 /* at most, for sigma_max */
#define LINALG_RHO_SKIP 150    /* spectral radius: iterations left out ... */
#define LINALG_RHO_ITERS 450   /* ... of these */

/* Largest singular value of the n x n row-major matrix a, by power iteration on a^T a (stops at
 * 1e-13 relative change or LINALG_SIGMA_ITERS; for a random matrix whose two largest singular
 * values are 1.5% apart that is within 1e-4). work holds n*n + 2n doubles. */
double linalg_sigma_max(const double *a, int n, double *work);

/* Spectral radius (largest |eigenvalue|) of the n x n row-major matrix a, estimated by power
 * iteration as the mean log growth rate of ||a^k v|| over iterations LINALG_RHO_SKIP to
 * LINALG_RHO_ITERS (exact for orthogonal and identity matrices, within ~1% for general ones).
 * work holds n*n + 2n doubles. */
double linalg_spectral_radius(const double *a, int n, double *work);

#endif
