/* test_ui_worker.c - the recomputation thread: results arrive, the newest settings win, and an
 * old run is cancelled instead of holding the window's next picture back, a young one finishes.
 * The worker's clock and the start of each run are the test's (WorkerHooks): nothing depends on
 * how fast this machine is. */
#include <check.h>
#include <SDL.h>

#include "check_main.h"
#include "ui/worker.h"

/* Polls until a run has finished; returns its generation and status (the suite's timeout is the
 * only limit). */
static uint64_t wait_result_(Worker *w, PlotData *pd, int *rc)
{
    char msg[GF_ERROR_MSG_LEN];
    uint64_t gen = 0;
    while (!worker_take(w, pd, &gen, rc, msg, sizeof msg)) SDL_Delay(1);
    return gen;
}

/* The test's hooks: a clock it sets by hand, and a gate every run waits at when it starts (the
 * worker posts started, then waits for release), so the test knows a run is in progress and
 * decides when it goes on. */
typedef struct Gate {
    SDL_sem *started, *release;
    Uint64 now; /* written only while the worker waits at the gate or has no run */
} Gate;

static Uint64 gate_now_(void *ctx) { return ((Gate *)ctx)->now; }

static void gate_wait_(void *ctx)
{
    Gate *g = ctx;
    SDL_SemPost(g->started);
    SDL_SemWait(g->release);
}

static void start_gated_(Worker *w, Gate *g)
{
    ck_assert_int_eq(SDL_Init(0), 0);
    g->started = SDL_CreateSemaphore(0), g->release = SDL_CreateSemaphore(0);
    ck_assert(g->started && g->release);
    g->now = 1000;
    ck_assert_int_eq(worker_start(w, 0, NULL), GF_OK);
    WorkerHooks hooks = {gate_now_, gate_wait_, g};
    worker_set_hooks(w, &hooks);
}

static void stop_gated_(Worker *w, Gate *g, PlotData *pd)
{
    worker_stop(w);
    SDL_DestroySemaphore(g->started);
    SDL_DestroySemaphore(g->release);
    plotdata_free(pd);
    SDL_Quit();
}

static SimConfig small_(int seq_len)
{
    SimConfig c;
    sim_config_default(&c);
    c.seq_len = seq_len, c.hidden = 8;
    return c;
}

START_TEST(test_result_arrives)
{
    Worker w;
    Gate g;
    start_gated_(&w, &g);
    SimConfig c = small_(100);
    worker_request(&w, &c, 1);
    SDL_SemPost(g.release);
    PlotData pd;
    memset(&pd, 0, sizeof pd);
    int rc = -1;
    ck_assert_uint_eq(wait_result_(&w, &pd, &rc), 1);
    ck_assert_int_eq(rc, GF_OK);
    ck_assert_int_eq(pd.cell[GF_CELL_LSTM].T, 100);
    stop_gated_(&w, &g, &pd);
}
END_TEST

START_TEST(test_old_run_cancelled)
{
    /* A run older than WORKER_CANCEL_AFTER_MS when newer settings arrive is cancelled: it never
       publishes a result, and the newer one's comes first. */
    Worker w;
    Gate g;
    start_gated_(&w, &g);
    SimConfig first = small_(60), second = small_(50);
    worker_request(&w, &first, 1);
    SDL_SemWait(g.started); /* the first run is in progress, held at the gate */
    g.now += WORKER_CANCEL_AFTER_MS + 1;
    worker_request(&w, &second, 2);
    SDL_SemPost(g.release); /* the first run goes on, finds itself cancelled */
    SDL_SemWait(g.started); /* the second run starts */
    SDL_SemPost(g.release);
    PlotData pd;
    memset(&pd, 0, sizeof pd);
    int rc = -1;
    ck_assert_uint_eq(wait_result_(&w, &pd, &rc), 2);
    ck_assert_int_eq(rc, GF_OK);
    ck_assert_int_eq(pd.cell[GF_CELL_RNN].T, 50);
    stop_gated_(&w, &g, &pd);
}
END_TEST

START_TEST(test_young_run_finishes)
{
    /* A run no older than WORKER_CANCEL_AFTER_MS finishes and publishes its picture, then the
       newer settings run. */
    Worker w;
    Gate g;
    start_gated_(&w, &g);
    SimConfig first = small_(60), second = small_(50);
    worker_request(&w, &first, 1);
    SDL_SemWait(g.started);
    g.now += WORKER_CANCEL_AFTER_MS;
    worker_request(&w, &second, 2);
    SDL_SemPost(g.release);
    PlotData pd;
    memset(&pd, 0, sizeof pd);
    int rc = -1;
    SDL_SemWait(g.started); /* the first run is over: the second waits at the gate */
    char msg[GF_ERROR_MSG_LEN];
    uint64_t gen = 0;
    ck_assert(worker_take(&w, &pd, &gen, &rc, msg, sizeof msg));
    ck_assert_uint_eq(gen, 1);
    ck_assert_int_eq(rc, GF_OK);
    ck_assert_int_eq(pd.cell[GF_CELL_RNN].T, 60);
    SDL_SemPost(g.release);
    ck_assert_uint_eq(wait_result_(&w, &pd, &rc), 2);
    ck_assert_int_eq(pd.cell[GF_CELL_RNN].T, 50);
    stop_gated_(&w, &g, &pd);
}
END_TEST

static Suite *suite_(void)
{
    Suite *s = suite_create("ui_worker");
    TCase *tc = tcase_create("worker");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_result_arrives);
    tcase_add_test(tc, test_old_run_cancelled);
    tcase_add_test(tc, test_young_run_finishes);
    suite_add_tcase(s, tc);
    return s;
}

GF_CHECK_MAIN(suite_)
