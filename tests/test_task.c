/* test_task.c - the adding, recall and copy sequences are what task.h says. */
#include <math.h>
#include <check.h>
#include <string.h>

#include "check_main.h"
#include "task.h"

START_TEST(test_adding)
{
    TaskData d = {0};
    const int B = 5, T = 31;
    ck_assert_int_eq(task_make(&d, GF_TASK_ADDING, B, T, 9, NULL), GF_OK);
    ck_assert_int_eq(d.I, 2);
    ck_assert_int_eq(d.O, 1);
    ck_assert_ptr_null(d.target_class);
    for (int b = 0; b < B; b++) {
        int first = 0, second = 0;
        double sum = 0;
        for (int t = 0; t < T; t++) {
            double v = d.x[((size_t)b * T + t) * 2], m = d.x[((size_t)b * T + t) * 2 + 1];
            ck_assert(v >= 0.0 && v < 1.0);
            ck_assert(m == 0.0 || m == 1.0);
            if (m == 1.0) {
                if (t < T / 2) first++;
                else second++;
                sum += v;
            }
        }
        ck_assert_int_eq(first, 1); /* one marker in each half */
        ck_assert_int_eq(second, 1);
        ck_assert_double_eq(d.target_real[b], sum);
    }
    /* the same seed gives the same data; another seed, other data */
    TaskData e = {0};
    ck_assert_int_eq(task_make(&e, GF_TASK_ADDING, B, T, 9, NULL), GF_OK);
    ck_assert_mem_eq(d.x, e.x, sizeof(double) * B * T * 2);
    ck_assert_int_eq(task_make(&e, GF_TASK_ADDING, B, T, 10, NULL), GF_OK);
    ck_assert(memcmp(d.x, e.x, sizeof(double) * B * T * 2) != 0);
    /* the shortest sequence: markers at t = 0 and t = 1 */
    ck_assert_int_eq(task_make(&e, GF_TASK_ADDING, 1, 2, 1, NULL), GF_OK);
    ck_assert_double_eq(e.x[1], 1.0);
    ck_assert_double_eq(e.x[3], 1.0);
    GfError err;
    ck_assert_int_eq(task_make(&e, GF_TASK_ADDING, 1, 1, 1, &err), GF_ERR_RANGE);
    ck_assert_ptr_nonnull(strstr(err.msg, "--task recall"));
    task_free(&d);
    task_free(&e);
    task_free(&e); /* safe twice */
}
END_TEST

START_TEST(test_recall)
{
    TaskData d = {0};
    const int B = 256, T = 7, K = GF_RECALL_SYMBOLS; /* all K symbols appear: P(miss) < 1e-13 */
    ck_assert_int_eq(task_make(&d, GF_TASK_RECALL, B, T, 3, NULL), GF_OK);
    ck_assert_int_eq(d.I, K + 1);
    ck_assert_int_eq(d.O, K);
    int seen[GF_RECALL_SYMBOLS] = {0};
    for (int b = 0; b < B; b++) {
        int64_t s = d.target_class[b];
        ck_assert(s >= 0 && s < K);
        seen[s] = 1;
        for (int t = 0; t < T; t++)
            for (int i = 0; i <= K; i++) {
                double want = t == 0 ? (i == s ? 1.0 : 0.0) : (i == K ? 1.0 : 0.0);
                ck_assert_double_eq(d.x[((size_t)b * T + t) * (K + 1) + i], want);
            }
    }
    for (int k = 0; k < K; k++) ck_assert(seen[k]);
    ck_assert_int_eq(task_make(&d, GF_TASK_RECALL, 1, 1, 3, NULL), GF_OK); /* T = 1 is fine */
    task_free(&d);
}
END_TEST

START_TEST(test_copy)
{
    TaskData d = {0};
    const int B = 64, delay = 7, K = GF_COPY_SYMBOLS, N = GF_COPY_LEN, I = K + 2;
    ck_assert_int_eq(task_make(&d, GF_TASK_COPY, B, delay, 5, NULL), GF_OK);
    const int T = delay + 2 * N; /* 10 symbols, delay-1 blanks, the delimiter, 10 blanks */
    ck_assert_int_eq(d.T, T);
    ck_assert_int_eq(d.I, I);
    ck_assert_int_eq(d.O, K + 1);
    ck_assert_ptr_null(d.target_real);
    int seen[GF_COPY_SYMBOLS] = {0};
    for (int b = 0; b < B; b++) {
        const double *x = d.x + (size_t)b * T * I;
        const int64_t *y = d.target_class + (size_t)b * T;
        for (int t = 0; t < T; t++) {
            int hot = -1, count = 0;
            for (int i = 0; i < I; i++) {
                ck_assert(x[(size_t)t * I + i] == 0.0 || x[(size_t)t * I + i] == 1.0);
                if (x[(size_t)t * I + i] == 1.0) hot = i, count++;
            }
            ck_assert_int_eq(count, 1); /* one-hot at every step */
            if (t < N) {
                ck_assert(hot < K);                          /* a symbol */
                ck_assert_int_eq(y[T - N + t], hot);         /* ... to be repeated at the end */
                seen[hot] = 1;
            } else if (t == T - N - 1) {
                ck_assert_int_eq(hot, K + 1);                /* the delimiter */
            } else {
                ck_assert_int_eq(hot, K);                    /* blank */
            }
            if (t < T - N) ck_assert_int_eq(y[t], K);        /* blank targets before the recall */
        }
    }
    for (int k = 0; k < K; k++) ck_assert(seen[k]);
    /* the memoryless baseline: 10 ln 8 spread over the T + 20 steps */
    ck_assert_double_eq_tol(gf_task_baseline(GF_TASK_COPY, delay), 10 * log(8.0) / (delay + 20), 1e-15);
    ck_assert_double_eq_tol(gf_task_baseline(GF_TASK_ADDING, 100), 1.0 / 6.0, 1e-15);
    ck_assert_double_eq_tol(gf_task_baseline(GF_TASK_RECALL, 100), log(8.0), 1e-15);
    ck_assert_int_eq(task_make(&d, GF_TASK_COPY, 1, 1, 3, NULL), GF_OK); /* delay 1: no blank */
    ck_assert_int_eq(d.T, 21);
    ck_assert_double_eq(d.x[10 * I + K + 1], 1.0);
    task_free(&d);
}
END_TEST

static Suite *suite_(void)
{
    Suite *s = suite_create("task");
    TCase *tc = tcase_create("task");
    tcase_add_test(tc, test_adding);
    tcase_add_test(tc, test_recall);
    tcase_add_test(tc, test_copy);
    suite_add_tcase(s, tc);
    return s;
}

GF_CHECK_MAIN(suite_)
