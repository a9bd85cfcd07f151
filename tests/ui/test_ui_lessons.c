/* test_ui_lessons.c - every lesson's caption says what its run measured, and what it claims holds.
 *
 * For each lesson (and the default caption) over several seeds: the lesson's configuration runs in
 * the core, its PlotData goes through caption_text as the window's does, and the numbers the caption
 * quotes are compared with the same quantities recomputed here from the run's own tensors (the
 * per-step total derivatives dL/dh_t and dL/dc_t of sequence 0, the gate activations) by plain
 * loops; then the lesson's claim is checked on those recomputed values (the cell state above the
 * vanishing band, the RNN falling into it, ...). */
#include <check.h>
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "caption.h"
#include "lessons.h"
#include "plotdata.h"
#include "check_main.h"

#define SEEDS 5

/* What the test recomputes from one run: for every cell that ran, layer 0 (lessons have one). */
typedef struct Truth {
    int T;
    int ran[GF_NUM_CELLS];
    double orders[GF_NUM_CELLS]; /* log10(||g_{T-1}|| / ||g_0||) */
    double low[GF_NUM_CELLS];    /* min_t log10 ||g_t|| */
    double c_orders, c_low;      /* the same for the LSTM's dL/dc_t */
    double ref;                  /* max over cells of log10 ||g_{T-1}|| */
    double gate[GF_NUM_CELLS];   /* mean of gate block 1 (f or z) over steps and units */
    double sigma;                /* the RNN's sigma_max as the run reports it */
} Truth;

/* ||v|| over n entries, scaled by the largest so that 1e-200 entries keep their norm */
static double norm_(const double *v, int n)
{
    double big = 0, s = 0;
    for (int i = 0; i < n; i++) big = fmax(big, fabs(v[i]));
    if (big == 0) return 0;
    for (int i = 0; i < n; i++) s += (v[i] / big) * (v[i] / big);
    return big * sqrt(s);
}

/* log10 of ||dL/d(state)_t|| of sequence 0 at every step, into out (T). */
static void step_logs_(const CellResult *r, const double *tensor, double *out)
{
    for (int t = 0; t < r->T; t++) out[t] = log10(norm_(cell_at(r, tensor, 0, 0, t), r->H));
}

static void truth_of_(const Sim *sim, Truth *tr)
{
    memset(tr, 0, sizeof *tr);
    tr->ref = -INFINITY;
    tr->sigma = NAN;
    for (int c = 0; c < GF_NUM_CELLS; c++) {
        const CellResult *r = &sim->result[c];
        tr->gate[c] = NAN;
        if (!r->ran) continue;
        ck_assert_int_eq(r->B, 1);
        tr->ran[c] = 1;
        tr->T = r->T;
        double *lg = malloc(sizeof(double) * (size_t)r->T);
        ck_assert_ptr_nonnull(lg);
        step_logs_(r, r->grad_h, lg);
        tr->orders[c] = lg[r->T - 1] - lg[0];
        tr->low[c] = INFINITY;
        for (int t = 0; t < r->T; t++) tr->low[c] = fmin(tr->low[c], lg[t]);
        tr->ref = fmax(tr->ref, lg[r->T - 1]);
        if (r->grad_c) {
            step_logs_(r, r->grad_c, lg);
            tr->c_orders = lg[r->T - 1] - lg[0];
            tr->c_low = INFINITY;
            for (int t = 0; t < r->T; t++) tr->c_low = fmin(tr->c_low, lg[t]);
        }
        free(lg);
        if (r->gate) {
            double s = 0;
            for (int t = 0; t < r->T; t++)
                for (int u = 0; u < r->H; u++) s += cell_gate_at(r, 0, 0, t)[r->H + u]; /* block 1: f or z */
            tr->gate[c] = s / ((double)r->T * r->H);
        }
        if (c == GF_CELL_RNN) tr->sigma = r->sigma_max[0][0];
    }
}

/* The ASCII numbers in s, in order (at most max). */
static int numbers_(const char *s, double *out, int max)
{
    int n = 0;
    for (const char *p = s; *p && n < max;) {
        if (isdigit((unsigned char)*p) && (p == s || !isalnum((unsigned char)p[-1]))) {
            char *end;
            out[n++] = strtod(p, &end);
            p = end;
        } else {
            p++;
        }
    }
    return n;
}

/* The caption's numbers are want[], each within tol[] (half a unit of its last printed digit). */
static void expect_numbers_(const char *cap, const double *want, const double *tol, int n)
{
    double got[32];
    int k = numbers_(cap, got, 32);
    ck_assert_msg(k == n, "caption has %d numbers, expected %d: %s", k, n, cap);
    for (int i = 0; i < n; i++)
        ck_assert_msg(fabs(got[i] - want[i]) <= tol[i] + 1e-9, "number %d of the caption is %g, the run's %g: %s", i,
                      got[i], want[i], cap);
}

#define D1 0.05  /* printed with one decimal */
#define D2 0.005 /* two decimals */
#define EXACT 0.0

/* Runs lesson li (or the default configuration for li < 0) at seed as the window shows it (one
 * sequence), and writes its caption. */
static void run_lesson_(int li, unsigned long long seed, Sim *sim, Truth *tr, char *cap, size_t n)
{
    SimConfig cfg;
    sim_config_default(&cfg);
    if (li >= 0) lesson_apply(lesson_at(li), &cfg, NULL, NULL);
    cfg.batch = 1;
    cfg.seed = seed;
    GfError err;
    ck_assert_msg(sim_run(sim, &cfg, &err) == GF_OK, "%s", err.msg);
    PlotData pd = {0};
    ck_assert_int_eq(plotdata_copy_sim(&pd, sim), GF_OK);
    caption_text(li, &pd, cfg.cells, -1, 1, cap, n);
    plotdata_free(&pd);
    truth_of_(sim, tr);
}

static int below_band_(const Truth *tr, double low) { return low <= tr->ref - LESSON_VANISH_DECADES; }

START_TEST(test_lesson_captions_keep_their_word)
{
    const int li = _i;
    const Lesson *l = lesson_at(li);
    Sim sim;
    sim_init(&sim);
    for (unsigned long long seed = 1; seed <= SEEDS; seed++) {
        Truth t;
        char cap[512];
        run_lesson_(li, seed, &sim, &t, cap, sizeof cap);
        const int R = GF_CELL_RNN, LS = GF_CELL_LSTM, G = GF_CELL_GRU;
        const double T = t.T;
        switch (l->shows) {
        case LESSON_SHOWS_VANISHING: {
            double bound = -(T - 1) * log10(t.sigma);
            ck_assert_msg(strstr(cap, "fell") && strstr(cap, "alone takes"), "%s: %s", l->name, cap);
            expect_numbers_(cap, (double[]){t.orders[R], T, t.sigma, 1, t.sigma, bound, 1},
                            (double[]){D1, EXACT, D2, EXACT, D2, D1, EXACT}, 7);
            /* the claim: into the vanishing band, at least as far as the bound takes it */
            ck_assert(below_band_(&t, t.low[R]) && t.orders[R] >= bound);
            break;
        }
        case LESSON_SHOWS_EXPLODING: {
            double bound = (T - 1) * log10(t.sigma);
            ck_assert_msg(strstr(cap, "it grew") && strstr(cap, "takes back"), "%s: %s", l->name, cap);
            expect_numbers_(cap, (double[]){t.sigma, 1, bound, T, -t.orders[R], 1},
                            (double[]){D2, EXACT, D1, EXACT, D1, EXACT}, 6);
            ck_assert(t.sigma > 1 && t.orders[R] < -1 && -t.orders[R] < bound);
            break;
        }
        case LESSON_SHOWS_EDGE:
            ck_assert_msg(strstr(cap, "neither shrink nor grow") && strstr(cap, "fell"), "%s: %s", l->name, cap);
            expect_numbers_(cap, (double[]){1.0, t.orders[R], T, 1}, (double[]){D2, D1, EXACT, EXACT}, 4);
            ck_assert(fabs(t.sigma - 1) < 0.005 && t.orders[R] > 1);
            break;
        case LESSON_SHOWS_CELL_STATE:
            ck_assert_msg(strstr(cap, "never into the vanishing band"), "%s seed %llu: %s", l->name, seed, cap);
            ck_assert_msg(strstr(cap, t.c_orders >= 0 ? ") fell" : ") grew"), "%s: %s", l->name, cap);
            expect_numbers_(cap, (double[]){t.gate[LS], fabs(t.c_orders), T, t.orders[R]},
                            (double[]){D2, D1, EXACT, D1}, 4);
            /* the claim: f near 1, the cell state out of the band, the RNN deep in it */
            ck_assert(t.gate[LS] > 0.9 && !below_band_(&t, t.c_low) && below_band_(&t, t.low[R]));
            break;
        case LESSON_SHOWS_UPDATE_GATE:
            ck_assert_msg(strstr(cap, "keeps most of") && strstr(cap, "never into the vanishing band"), "%s seed %llu: %s",
                          l->name, seed, cap);
            expect_numbers_(cap, (double[]){t.gate[G], 1, t.orders[G], T, t.orders[R]},
                            (double[]){D2, EXACT, D1, EXACT, D1}, 5);
            ck_assert(t.gate[G] > 0.9 && !below_band_(&t, t.low[G]) && below_band_(&t, t.low[R]));
            break;
        case LESSON_SHOWS_IRNN:
            ck_assert_msg(strstr(cap, "fell only"), "%s: %s", l->name, cap);
            expect_numbers_(cap, (double[]){t.orders[R], T}, (double[]){D1, EXACT}, 2);
            ck_assert(t.orders[R] >= 0 && t.orders[R] < 1);
            break;
        case LESSON_SHOWS_TRAINING: {
            /* the gist, then "Now RNN fell x, LSTM fell y (cell state fell z), GRU fell w orders over T steps" */
            const char *now = strstr(cap, ". Now ");
            ck_assert_msg(now && !strncmp(cap, l->caption, strlen(l->caption)), "%s: %s", l->name, cap);
            double want[8], tol[8];
            int n = 0;
            for (int c = 0; c < GF_NUM_CELLS; c++) {
                if (!t.ran[c]) continue;
                want[n] = fabs(t.orders[c]), tol[n++] = D1;
                if (c == LS) want[n] = fabs(t.c_orders), tol[n++] = D1;
            }
            want[n] = T, tol[n++] = EXACT;
            expect_numbers_(now, want, tol, n);
            break;
        }
        }
    }
    sim_free(&sim);
}
END_TEST

/* No lesson: at PyTorch's initialisation every gate sits near 0.5 and every cell's gradient falls;
 * the caption says so with the numbers, and names the keys that change it. */
START_TEST(test_default_caption)
{
    Sim sim;
    sim_init(&sim);
    for (unsigned long long seed = 1; seed <= SEEDS; seed++) {
        Truth t;
        char cap[512];
        run_lesson_(-1, seed, &sim, &t, cap, sizeof cap);
        ck_assert_msg(strstr(cap, "At PyTorch's initialisation the gates are near 0.5") && strstr(cap, "Keys B and U"),
                      "%s", cap);
        const int R = GF_CELL_RNN, LS = GF_CELL_LSTM, G = GF_CELL_GRU;
        expect_numbers_(cap,
                        (double[]){0.5, t.gate[LS], t.gate[G], 1, t.orders[R], t.orders[LS], t.c_orders, t.orders[G],
                                   t.T, 7, 8},
                        (double[]){EXACT, D2, D2, EXACT, D1, D1, D1, D1, EXACT, EXACT, EXACT}, 11);
        for (int c = 0; c < GF_NUM_CELLS; c++) {
            ck_assert(t.ran[c] && t.orders[c] > 1);
            if (c != R) ck_assert(fabs(t.gate[c] - 0.5) < 0.1);
        }
    }
    sim_free(&sim);
}
END_TEST

/* A caption never claims what its numbers do not show: the LSTM lesson at forget bias -3 (f near
 * 0.05) drops "never into the vanishing band"; the default caption on trained or loaded weights
 * does not speak of PyTorch's initialisation. */
/* A lesson is found by its name or by its button's words (a teacher types what the panel says);
 * a lesson's own name wins where a title's words would be another's name. */
START_TEST(test_lesson_names_and_titles)
{
    ck_assert_int_ge(lesson_index("gru"), 0);
    ck_assert_int_eq(lesson_index("gru-remembers"), lesson_index("gru"));
    ck_assert_int_eq(lesson_index("the-edge"), lesson_index("edge"));
    ck_assert_int_eq(lesson_index("irnn-learns"), lesson_index("irnn"));
    ck_assert_str_eq(lesson_at(lesson_index("irnn"))->title, "IRNN learns"); /* not irnn-init's "IRNN" */
    ck_assert_int_eq(lesson_index("GRU-remembers"), -1);
    ck_assert_int_eq(lesson_index("the edge"), -1);
    ck_assert_int_eq(lesson_index("the-edg"), -1);
    ck_assert_int_eq(lesson_index(""), -1);
}
END_TEST

START_TEST(test_caption_follows_the_numbers)
{
    Sim sim;
    sim_init(&sim);
    SimConfig cfg;
    sim_config_default(&cfg);
    int li = lesson_index("lstm-remembers");
    lesson_apply(lesson_at(li), &cfg, NULL, NULL);
    cfg.forget_bias = -3;
    GfError err;
    ck_assert_int_eq(sim_run(&sim, &cfg, &err), GF_OK);
    PlotData pd = {0};
    ck_assert_int_eq(plotdata_copy_sim(&pd, &sim), GF_OK);
    char cap[512];
    caption_text(li, &pd, cfg.cells, -1, 1, cap, sizeof cap);
    ck_assert_msg(strstr(cap, "LSTM remembers") && !strstr(cap, "never into"), "%s", cap);
    caption_text(-1, &pd, cfg.cells, -1, 0, cap, sizeof cap);
    ck_assert_msg(!strstr(cap, "initialisation"), "%s", cap);
    /* the RNN hidden: an RNN lesson asks for it rather than quoting a number it does not have */
    caption_text(lesson_index("rnn-forgets"), &pd, 1u << GF_CELL_LSTM, -1, 1, cap, sizeof cap);
    ck_assert_msg(strstr(cap, "key 1") && !strstr(cap, "fell"), "%s", cap);
    plotdata_free(&pd);
    sim_free(&sim);
}
END_TEST

static Suite *lessons_suite(void)
{
    Suite *s = suite_create("lessons");
    TCase *tc = tcase_create("captions");
    tcase_set_timeout(tc, 120);
    tcase_add_loop_test(tc, test_lesson_captions_keep_their_word, 0, lesson_count());
    tcase_add_test(tc, test_default_caption);
    tcase_add_test(tc, test_caption_follows_the_numbers);
    tcase_add_test(tc, test_lesson_names_and_titles);
    suite_add_tcase(s, tc);
    return s;
}

GF_CHECK_MAIN(lessons_suite)
