/* test_fastmath.c - the vectorisable exp, tanh and sigmoid against libm, and their edge cases. */
#include <check.h>
#include <math.h>

#include "check_main.h"
#include "fastmath.h"
#include "fastmath_nofma.h"

/* Largest relative error of f against ref over [lo, hi] in n steps. */
static double worst_(double (*f)(double), double (*ref)(double), double lo, double hi, int n)
{
    double worst = 0.0;
    for (int i = 0; i <= n; i++) {
        double x = lo + (hi - lo) * i / n;
        double want = ref(x);
        if (want == 0.0) continue;
        double e = fabs(f(x) - want) / fabs(want);
        worst = e > worst ? e : worst;
    }
    return worst;
}

static double sigmoid_ref_(double x) { return 1.0 / (1.0 + exp(-x)); }
static double fm_exp_fn_(double x) { return fm_exp(x); }
static double fm_tanh_fn_(double x) { return fm_tanh(x); }
static double fm_sigmoid_fn_(double x) { return fm_sigmoid(x); }

START_TEST(test_accuracy)
{
    ck_assert_double_le(worst_(fm_exp_fn_, exp, -700, 700, 200001), 1e-15);
    ck_assert_double_le(worst_(fm_tanh_fn_, tanh, -25, 25, 200001), 1e-15);
    ck_assert_double_le(worst_(fm_sigmoid_fn_, sigmoid_ref_, -700, 40, 200001), 1e-15);
    /* small arguments: tanh must not lose relative precision to cancellation */
    for (double x = 1e-300; x < 1.0; x *= 1.7) {
        ck_assert_double_le(fabs(fm_tanh(x) - tanh(x)), 1e-15 * tanh(x));
        ck_assert_double_le(fabs(fm_tanh(-x) + tanh(x)), 1e-15 * tanh(x));
    }
}
END_TEST

/* Near saturation the backward pass uses 1 - tanh(x)^2, in which one ulp of tanh can be a large
 * part (at x = 10, 1 - tanh^2 = 8e-9: one ulp of tanh is 1.4e-8 of it). PyTorch's tanh is
 * correctly rounded there; fm_tanh must give the same doubles, so that gradients through
 * saturated units agree. The reference is tanh in long double, rounded once to double (libm's
 * double tanh is itself off by an ulp in a tenth of [0.5, 3]). Never more than one ulp off. */
START_TEST(test_tanh_saturation)
{
    int same = 0, n = 0;
    for (double x = 3.0; x < 19.0; x += 0.000731, n++) {
        const double t = fm_tanh(x);
        same += t == (double)tanhl((long double)x);
        ck_assert_double_eq(fm_tanh(-x), -t);
    }
    ck_assert_msg(same >= 0.99 * n, "fm_tanh correctly rounded on %d of %d arguments in [3, 19)", same, n);
    for (double x = -25.0; x < 25.0; x += 0.000917) {
        const double t = fm_tanh(x), want = (double)tanhl((long double)x);
        ck_assert_msg(fabs(t - want) <= nextafter(fabs(want), INFINITY) - fabs(want),
                      "tanh(%.17g): %.17g, correctly rounded %.17g", x, t, want);
    }
}
END_TEST

START_TEST(test_edges)
{
    ck_assert(isnan(fm_tanh(NAN)));
    ck_assert(isnan(fm_sigmoid(NAN)));
    ck_assert(isnan(fm_exp(NAN)));
    ck_assert_double_eq(fm_tanh(INFINITY), 1.0);
    ck_assert_double_eq(fm_tanh(-INFINITY), -1.0);
    ck_assert_double_eq(fm_tanh(0.0), 0.0);
    ck_assert(signbit(fm_tanh(-0.0)));
    ck_assert_double_eq(fm_tanh(1e6), 1.0);
    ck_assert_double_eq(fm_sigmoid(INFINITY), 1.0);
    ck_assert_double_le(fm_sigmoid(-INFINITY), 1e-300);
    ck_assert_double_eq(fm_sigmoid(0.0), 0.5);
    ck_assert_double_eq(fm_exp(0.0), 1.0);
    ck_assert(isfinite(fm_exp(1e6)));
}
END_TEST

START_TEST(test_arrays)
{
    double in[37], out[37];
    for (int i = 0; i < 37; i++) in[i] = -9.0 + 0.5 * i;
    fm_tanh_v(out, in, 37);
    for (int i = 0; i < 37; i++) ck_assert_double_eq(out[i], fm_tanh(in[i]));
    fm_sigmoid_v(out, in, 37);
    for (int i = 0; i < 37; i++) ck_assert_double_eq(out[i], fm_sigmoid(in[i]));
    fm_exp_v(in, in, 37); /* in place */
    for (int i = 0; i < 37; i++) ck_assert_double_eq_tol(in[i], exp(-9.0 + 0.5 * i), 1e-15 * in[i]);
}
END_TEST

/* WebAssembly has no fused multiply-add, and there fastmath.h forms the exact products a b - p
 * with Dekker's splitting instead (fastmath_nofma.c builds that path here). Exact either way, so
 * the browser's tanh and exp are the window's, bit for bit: arguments from every binade that
 * matters and 300,000 pseudo-random ones. */
START_TEST(test_without_fma)
{
    unsigned long long s = 88172645463325252ull;
    int n = 0;
    for (int i = 0; i < 300000; i++, n++) {
        s ^= s << 13, s ^= s >> 7, s ^= s << 17;
        const double x = ((double)(s >> 11) / 9007199254740992.0 - 0.5) * (i % 3 == 0 ? 60.0 : i % 3 == 1 ? 4.0 : 1e-3);
        ck_assert_msg(fm_tanh_nofma(x) == fm_tanh(x), "tanh(%.17g): %.17g without fma, %.17g with", x,
                      fm_tanh_nofma(x), fm_tanh(x));
        ck_assert_msg(fm_exp_nofma(20 * x) == fm_exp(20 * x), "exp(%.17g) differs without fma", 20 * x);
    }
    for (double x = 1e-300; x < 800.0; x *= 1.01, n++) {
        ck_assert_msg(fm_tanh_nofma(x) == fm_tanh(x) && fm_tanh_nofma(-x) == fm_tanh(-x), "tanh(+-%.17g)", x);
        ck_assert_msg(fm_exp_nofma(x) == fm_exp(x) && fm_exp_nofma(-x) == fm_exp(-x), "exp(+-%.17g)", x);
    }
    ck_assert(isnan(fm_tanh_nofma(NAN)));
    ck_assert_double_eq(fm_tanh_nofma(INFINITY), 1.0);
    ck_assert_int_gt(n, 300000);
}
END_TEST

static Suite *suite_(void)
{
    Suite *s = suite_create("fastmath");
    TCase *tc = tcase_create("fastmath");
    tcase_add_test(tc, test_accuracy);
    tcase_add_test(tc, test_tanh_saturation);
    tcase_add_test(tc, test_edges);
    tcase_add_test(tc, test_arrays);
    tcase_add_test(tc, test_without_fma);
    tcase_set_timeout(tc, 60); /* the 300,000 arguments take seconds under sanitizers */
    suite_add_tcase(s, tc);
    return s;
}

GF_CHECK_MAIN(suite_)
