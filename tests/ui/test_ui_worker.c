/* test_ui_worker.c - the recomputation thread: results arrive, the newest settings win, and an
 * old long run is cancelled instead of holding the window's next picture back. */
#include <check.h>
#include <SDL.h>

#include "check_main.h"
#include "ui/worker.h"

/* Waits (up to limit_ms) for a finished run; returns 1 with its generation and status. */
static int wait_result_(Worker *w, PlotData *pd, uint64_t *gen, int *rc, Uint32 limit_ms)
{
    char msg[GF_ERROR_MSG_LEN];
    Uint64 t0 = SDL_GetTicks64();
    while (SDL_GetTicks64() - t0 < limit_ms) {
        if (worker_take(w, pd, gen, rc, msg, sizeof msg)) return 1;
        SDL_Delay(5);
    }
    return 0;
}

START_TEST(test_result_arrives)
{
    ck_assert_int_eq(SDL_Init(0), 0);
    Worker w;
    ck_assert_int_eq(worker_start(&w, 0, NULL), GF_OK);
    SimConfig c;
    sim_config_default(&c);
    c.seq_len = 100, c.hidden = 16;
    worker_request(&w, &c, 1);
    PlotData pd;
    memset(&pd, 0, sizeof pd);
    uint64_t gen = 0;
    int rc = -1;
    ck_assert(wait_result_(&w, &pd, &gen, &rc, 20000));
    ck_assert_uint_eq(gen, 1);
    ck_assert_int_eq(rc, GF_OK);
    worker_stop(&w);
    plotdata_free(&pd);
    SDL_Quit();
}
END_TEST

START_TEST(test_long_run_cancelled)
{
    /* A run of many seconds (an LSTM, H = 512, T = 5000, 4 layers), then, once it is older than
       WORKER_CANCEL_AFTER_MS, a small one: the small one's result comes first, and the long run
       never publishes one. */
    ck_assert_int_eq(SDL_Init(0), 0);
    Worker w;
    ck_assert_int_eq(worker_start(&w, 0, NULL), GF_OK);
    SimConfig big;
    sim_config_default(&big);
    big.cells = 1u << GF_CELL_LSTM, big.seq_len = 5000, big.hidden = 512, big.layers = 4;
    worker_request(&w, &big, 1);
    SDL_Delay(WORKER_CANCEL_AFTER_MS + 150);
    SimConfig small;
    sim_config_default(&small);
    small.seq_len = 50, small.hidden = 8;
    worker_request(&w, &small, 2);
    PlotData pd;
    memset(&pd, 0, sizeof pd);
    uint64_t gen = 0;
    int rc = -1;
    /* the long run alone is ~80 GFLOP: seconds here, minutes under sanitizers */
    ck_assert(wait_result_(&w, &pd, &gen, &rc, 20000));
    ck_assert_uint_eq(gen, 2);
    ck_assert_int_eq(rc, GF_OK);
    Uint64 t0 = SDL_GetTicks64();
    worker_stop(&w); /* nothing running: returns at once */
    ck_assert_uint_lt(SDL_GetTicks64() - t0, 5000);
    plotdata_free(&pd);
    SDL_Quit();
}
END_TEST

static Suite *suite_(void)
{
    Suite *s = suite_create("ui_worker");
    TCase *tc = tcase_create("worker");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_result_arrives);
    tcase_add_test(tc, test_long_run_cancelled);
    suite_add_tcase(s, tc);
    return s;
}

GF_CHECK_MAIN(suite_)
