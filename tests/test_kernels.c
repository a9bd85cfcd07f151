/* test_kernels.c - the matrix-vector kernel behind every step, on every shape its paths split
 * into (32-column stripes, 4-column tails, single columns; rows in eights and the rest), against
 * a plain triple-checked sum; and the row-sweep path that x86 processors without AVX2 take. */
#include <check.h>
#include <math.h>
#include <stdlib.h>

#include "check_main.h"
#include "kernels.h"
#include "rng.h"

static const int sizes[] = {1, 2, 3, 4, 5, 7, 8, 9, 31, 32, 33, 36, 64, 100, 192, 256};
#define NSIZES ((int)(sizeof sizes / sizeof *sizes))

static void check_(void (*gemv)(double *, const double *, const double *, int, int), const char *what)
{
    Rng r;
    rng_seed(&r, 11);
    for (int i = 0; i < NSIZES; i++)
        for (int k = 0; k < NSIZES; k++) {
            int m = sizes[i], n = sizes[k];
            double *M = malloc(sizeof(double) * m * n), *a = malloc(sizeof(double) * m);
            double *y = malloc(sizeof(double) * n), *want = malloc(sizeof(double) * n);
            for (int q = 0; q < m * n; q++) M[q] = rng_uniform_range(&r, -1, 1);
            for (int q = 0; q < m; q++) a[q] = rng_uniform_range(&r, -1, 1);
            for (int j = 0; j < n; j++) {
                y[j] = rng_uniform_range(&r, -1, 1);
                /* want_j = y_j + sum_k M[k][j] a_k, summed in long double */
                long double s = y[j];
                for (int q = 0; q < m; q++) s += (long double)M[(size_t)q * n + j] * a[q];
                want[j] = (double)s;
            }
            gemv(y, M, a, m, n);
            for (int j = 0; j < n; j++)
                ck_assert_msg(fabs(y[j] - want[j]) <= 1e-14 * (1 + m),
                              "%s m=%d n=%d j=%d: %.17g vs %.17g", what, m, n, j, y[j], want[j]);
            free(M);
            free(a);
            free(y);
            free(want);
        }
}

START_TEST(test_gemv) { check_(kern_gemv_t, "gemv"); }
END_TEST

START_TEST(test_gemv_rows) { check_(kern_gemv_rows_t, "rows"); }
END_TEST

static Suite *suite_(void)
{
    Suite *s = suite_create("kernels");
    TCase *tc = tcase_create("kernels");
    tcase_add_test(tc, test_gemv);
    tcase_add_test(tc, test_gemv_rows);
    suite_add_tcase(s, tc);
    return s;
}

GF_CHECK_MAIN(suite_)
