/* test_rng.c - the generator is deterministic and its distributions are what they claim. */
#include <check.h>
#include <math.h>
#include <stdlib.h>

#include "check_main.h"
#include "rng.h"

START_TEST(test_deterministic)
{
    Rng a, b, c;
    rng_seed(&a, 42);
    rng_seed(&b, 42);
    rng_seed(&c, 43);
    int differs = 0;
    for (int i = 0; i < 100; i++) {
        uint64_t x = rng_next(&a), y = rng_next(&b), z = rng_next(&c);
        ck_assert_uint_eq(x, y);
        differs |= x != z;
    }
    ck_assert(differs);
}
END_TEST

START_TEST(test_distributions)
{
    Rng r;
    rng_seed(&r, 1);
    double sum = 0, sumsq = 0, nsum = 0, nsq = 0;
    int counts[7] = {0};
    const int n = 200000;
    for (int i = 0; i < n; i++) {
        double u = rng_uniform_range(&r, -2.0, 3.0);
        ck_assert(u >= -2.0 && u < 3.0);
        sum += u, sumsq += u * u;
        double g = rng_normal(&r);
        nsum += g, nsq += g * g;
        uint64_t k = rng_below(&r, 7);
        ck_assert_uint_lt(k, 7);
        counts[k]++;
    }
    ck_assert_double_eq_tol(sum / n, 0.5, 0.02);               /* mean of U(-2, 3) */
    ck_assert_double_eq_tol(sumsq / n - 0.25, 25.0 / 12, 0.05); /* variance 25/12 */
    ck_assert_double_eq_tol(nsum / n, 0.0, 0.01);
    ck_assert_double_eq_tol(nsq / n, 1.0, 0.02);
    for (int k = 0; k < 7; k++) ck_assert_int_gt(counts[k], n / 7 - 1500);
}
END_TEST

START_TEST(test_orthogonal)
{
    Rng r;
    rng_seed(&r, 5);
    const int n = 33;
    double *q = malloc(sizeof(double) * n * n);
    rng_orthogonal(&r, q, n);
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) {
            double dot = 0; /* (Q^T Q)_ij */
            for (int k = 0; k < n; k++) dot += q[k * n + i] * q[k * n + j];
            ck_assert_double_eq_tol(dot, i == j ? 1.0 : 0.0, 1e-13);
        }
    free(q);
}
END_TEST

static Suite *suite_(void)
{
    Suite *s = suite_create("rng");
    TCase *tc = tcase_create("rng");
    tcase_set_timeout(tc, 120); /* a statistical test: seconds on a busy machine, more under sanitizers */
    tcase_add_test(tc, test_deterministic);
    tcase_add_test(tc, test_distributions);
    tcase_add_test(tc, test_orthogonal);
    suite_add_tcase(s, tc);
    return s;
}

GF_CHECK_MAIN(suite_)
