/* test_linalg.c - norms that never underflow, sigma_max and the spectral radius. */
#include <check.h>
#include <math.h>
#include <stdlib.h>

#include "check_main.h"
#include "linalg.h"
#include "rng.h"

START_TEST(test_norm_scaling)
{
    double v[4] = {3e-250, 4e-250, 0.0, 0.0};
    ck_assert_double_eq_tol(linalg_norm(v, 4), 5e-250, 1e-264);
    double big[2] = {3e200, 4e200};
    ck_assert_double_eq_tol(linalg_norm(big, 2), 5e200, 1e186);
    double sub[2] = {3e-320, 4e-320}; /* subnormal */
    ck_assert_double_gt(linalg_norm(sub, 2), 4.5e-320);
    double plain[3] = {1.0, -2.0, 2.0};
    ck_assert_double_eq_tol(linalg_norm(plain, 3), 3.0, 1e-15);
    double zero[3] = {0, 0, 0};
    ck_assert_double_eq(linalg_norm(zero, 3), 0.0);
    double inf[3] = {1.0, -INFINITY, 2.0};
    ck_assert(isinf(linalg_norm(inf, 3)));
    double nan[3] = {1.0, NAN, INFINITY};
    ck_assert(isnan(linalg_norm(nan, 3)));
}
END_TEST

START_TEST(test_norm_any_size_and_scale)
{
    /* every length the eight lanes split into, at magnitudes from subnormal-adjacent to 1e300,
       against a sum in long double (whose exponent reaches far beyond double's) */
    static const double mags[] = {1e-300, 1e-160, 1e-146, 1e-3, 1.0, 1e150, 1e300};
    Rng r;
    rng_seed(&r, 4);
    double v[70];
    for (int n = 1; n <= 70; n++)
        for (int k = 0; k < 7; k++) {
            long double sum = 0.0L;
            for (int i = 0; i < n; i++) {
                v[i] = mags[k] * rng_uniform_range(&r, -1.0, 1.0);
                sum += (long double)v[i] * v[i];
            }
            double want = (double)sqrtl(sum), got = linalg_norm(v, (size_t)n);
            ck_assert_msg(fabs(got - want) <= 1e-15 * want, "n=%d magnitude %g: %.17g vs %.17g", n,
                          mags[k], got, want);
        }
    /* a NaN anywhere among zeros, ordinary values or an infinity is NaN */
    double z[20] = {0};
    z[13] = NAN;
    ck_assert(isnan(linalg_norm(z, 20)));
    for (int i = 0; i < 20; i++) z[i] = i;
    z[17] = NAN;
    ck_assert(isnan(linalg_norm(z, 20)));
    z[3] = INFINITY;
    ck_assert(isnan(linalg_norm(z, 20)));
}
END_TEST

START_TEST(test_norm_strided)
{
    /* a (3, 4) array; chunks of 2 at stride 4: {1,2}, {5,6}, {9,10} */
    double a[12];
    for (int i = 0; i < 12; i++) a[i] = i + 1;
    double want = sqrt(1 + 4 + 25 + 36 + 81 + 100);
    ck_assert_double_eq_tol(linalg_norm_strided(a, 3, 2, 4), want, 1e-14);
}
END_TEST

START_TEST(test_sigma_max)
{
    double work[16]; /* n*n + 2n for n = 3 */
    double diag[9] = {2, 0, 0, 0, -5, 0, 0, 0, 1};
    ck_assert_double_eq_tol(linalg_sigma_max(diag, 3, work), 5.0, 1e-12);
    /* rank one u v^T: sigma = |u| |v| */
    double r1[9];
    double u[3] = {1, 2, 2}, v[3] = {0, 3, 4};
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++) r1[i * 3 + j] = u[i] * v[j];
    ck_assert_double_eq_tol(linalg_sigma_max(r1, 3, work), 15.0, 1e-12);
    /* a random orthogonal matrix times 0.7: every singular value is 0.7 */
    Rng r;
    rng_seed(&r, 3);
    double *q = malloc(sizeof(double) * 64 * 64), *w = malloc(sizeof(double) * (64 * 64 + 128)); /* (n*n + 2n) */
    rng_orthogonal(&r, q, 64);
    for (int i = 0; i < 64 * 64; i++) q[i] *= 0.7;
    ck_assert_double_eq_tol(linalg_sigma_max(q, 64, w), 0.7, 1e-12);
    ck_assert_double_eq_tol(linalg_spectral_radius(q, 64, w), 0.7, 1e-9);
    free(q);
    free(w);
}
END_TEST

START_TEST(test_spectral_radius)
{
    double work[8]; /* n*n + 2n for n = 2 */
    /* a rotation by 90 degrees scaled by 0.5: eigenvalues +-0.5i, sigma 0.5 */
    double rot[4] = {0, -0.5, 0.5, 0};
    ck_assert_double_eq_tol(linalg_spectral_radius(rot, 2, work), 0.5, 1e-12);
    /* upper triangular: eigenvalues on the diagonal (0.9, -0.3), sigma_max larger than 0.9 */
    double tri[4] = {0.9, 2.0, 0.0, -0.3};
    ck_assert_double_eq_tol(linalg_spectral_radius(tri, 2, work), 0.9, 1e-6);
    ck_assert_double_gt(linalg_sigma_max(tri, 2, work), 2.0);
    /* nilpotent: radius 0 */
    double nil[4] = {0, 1, 0, 0};
    ck_assert_double_eq(linalg_spectral_radius(nil, 2, work), 0.0);
}
END_TEST

static Suite *suite_(void)
{
    Suite *s = suite_create("linalg");
    TCase *tc = tcase_create("linalg");
    tcase_add_test(tc, test_norm_scaling);
    tcase_add_test(tc, test_norm_any_size_and_scale);
    tcase_add_test(tc, test_norm_strided);
    tcase_add_test(tc, test_sigma_max);
    tcase_add_test(tc, test_spectral_radius);
    suite_add_tcase(s, tc);
    return s;
}

GF_CHECK_MAIN(suite_)
