/* test_ui_train.c - the training thread: single steps, rewind, pause, reconfiguration, and what
 * its snapshots hold, against a Trainer run by hand on the same configuration; and the recompute
 * worker owning the weights it is handed. No test depends on timing: each waits for the thread to
 * be idle (train_worker_wait_idle) or for a step count. */
#include <check.h>
#include <SDL.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "core/simnet.h"
#include "ui/train_worker.h"
#include "ui/worker.h"

static void small_(TrainConfig *tc, SimConfig *view)
{
    memset(tc, 0, sizeof *tc);
    sim_config_default(&tc->sim);
    tc->sim.seq_len = 20, tc->sim.hidden = 8, tc->sim.batch = 4, tc->sim.want_spectra = 0;
    optim_config_default(&tc->optim, GF_OPT_ADAM, 0.01);
    tc->clip = 1.0;
    *view = tc->sim;
    view->batch = 1;
}

/* The snapshot after every command so far. */
static void settle_(TrainWorker *w, TrainSnapshot *s)
{
    train_worker_wait_idle(w);
    train_worker_take(w, s);
}

/* A snapshot is one moment: every active cell has one history entry per step and its weights. */
static void check_consistent_(const TrainSnapshot *s)
{
    ck_assert(s->valid);
    for (int c = 0; c < GF_NUM_CELLS; c++) {
        const TrainSnapCell *cc = &s->cell[c];
        ck_assert_int_eq(cc->active, (s->cfg.sim.cells >> c) & 1);
        if (!cc->active) continue;
        ck_assert_uint_eq(cc->n, (size_t)s->step);
        NetShape sh = sim_net_shape(&s->cfg.sim, (GfCell)c);
        ck_assert_uint_eq(cc->n_params, net_param_count(&sh));
        for (size_t i = 0; i < cc->n; i++) ck_assert(isfinite(cc->loss[i]) && cc->loss[i] > 0);
    }
}

START_TEST(test_step_rewind_bit_identical)
{
    ck_assert_int_eq(SDL_Init(0), 0);
    TrainConfig tc;
    SimConfig view;
    small_(&tc, &view);
    TrainWorker w;
    ck_assert_int_eq(train_worker_start(&w, 0, NULL), GF_OK);
    TrainSnapshot s;
    memset(&s, 0, sizeof s);
    train_worker_configure(&w, &tc, &view);
    settle_(&w, &s);
    ck_assert_int_eq(s.rc, 0);
    ck_assert_int_eq(s.step, 0);
    check_consistent_(&s);
    /* step 0's profile, on the views' sequence */
    for (int c = 0; c < GF_NUM_CELLS; c++) {
        ck_assert_int_eq(s.cell[c].nprof, 1);
        ck_assert_int_eq(s.cell[c].prof[0].step, 0);
        ck_assert_int_eq(s.cell[c].prof[0].T, view.seq_len);
        ck_assert_int_eq(s.cell[c].prof[0].grad_c != NULL, c == GF_CELL_LSTM);
    }

    /* the same training by hand */
    Trainer ref;
    GfError err = {0};
    ck_assert_int_eq(trainer_init(&ref, &tc, &err), GF_OK);
    /* at step 0 the thread's weights are the initial ones */
    for (int c = 0; c < GF_NUM_CELLS; c++)
        ck_assert(memcmp(s.cell[c].params, ref.cell[c].init, ref.cell[c].n_params * sizeof(double)) == 0);

    for (int i = 0; i < 3; i++) train_worker_step(&w);
    settle_(&w, &s);
    ck_assert_int_eq(s.step, 3);
    ck_assert_int_eq(s.running, 0);
    check_consistent_(&s);
    for (int i = 0; i < 3; i++) ck_assert_int_eq(trainer_step(&ref, &err), GF_OK);
    for (int c = 0; c < GF_NUM_CELLS; c++) {
        const TrainCell *rc = &ref.cell[c];
        ck_assert(memcmp(s.cell[c].loss, rc->hist.loss, 3 * sizeof(double)) == 0);
        ck_assert(memcmp(s.cell[c].grad_norm, rc->hist.grad_norm, 3 * sizeof(double)) == 0);
        ck_assert(memcmp(s.cell[c].clipped, rc->hist.clipped, 3) == 0);
        ck_assert(memcmp(s.cell[c].params, rc->params, rc->n_params * sizeof(double)) == 0);
    }
    uint64_t epoch = s.epoch;

    /* rewind: step 0, no history, the initial weights bit for bit; step 0's profile stays */
    train_worker_rewind(&w);
    settle_(&w, &s);
    ck_assert_int_eq(s.step, 0);
    ck_assert(s.epoch != epoch);
    check_consistent_(&s);
    for (int c = 0; c < GF_NUM_CELLS; c++) {
        ck_assert(memcmp(s.cell[c].params, ref.cell[c].init, ref.cell[c].n_params * sizeof(double)) == 0);
        ck_assert_int_eq(s.cell[c].nprof, 1);
    }
    /* and the same three steps again give the same weights */
    for (int i = 0; i < 3; i++) train_worker_step(&w);
    settle_(&w, &s);
    ck_assert_int_eq(s.step, 3);
    for (int c = 0; c < GF_NUM_CELLS; c++)
        ck_assert(memcmp(s.cell[c].params, ref.cell[c].params, ref.cell[c].n_params * sizeof(double)) == 0);

    /* nothing new to take once idle */
    ck_assert_int_eq(train_worker_take(&w, &s), 0);
    trainer_free(&ref);
    train_worker_stop(&w);
    trainsnap_free(&s);
    SDL_Quit();
}
END_TEST

START_TEST(test_run_pause_and_milestone)
{
    ck_assert_int_eq(SDL_Init(0), 0);
    TrainConfig tc;
    SimConfig view;
    small_(&tc, &view);
    tc.sim.cells = 1u << GF_CELL_LSTM;
    view.cells = tc.sim.cells;
    TrainWorker w;
    ck_assert_int_eq(train_worker_start(&w, 0, NULL), GF_OK);
    TrainSnapshot s;
    memset(&s, 0, sizeof s);
    train_worker_configure(&w, &tc, &view);
    settle_(&w, &s);
    train_worker_set_running(&w, 1);
    /* runs on its own until paused: wait for the 100th step's milestone profile */
    while (!(s.valid && s.step >= 101)) {
        train_worker_take(&w, &s);
        SDL_Delay(2);
    }
    train_worker_set_running(&w, 0);
    settle_(&w, &s);
    ck_assert_int_eq(s.running, 0);
    check_consistent_(&s);
    long paused_at = s.step;
    const TrainSnapCell *cc = &s.cell[GF_CELL_LSTM];
    /* one profile for each milestone passed (0, 100, maybe 1000 ...), none for one ahead */
    ck_assert_int_ge(cc->nprof, 2);
    for (int k = 0; k < cc->nprof; k++) ck_assert_int_eq(cc->prof[k].step, trainsnap_milestone_step(k));
    ck_assert_int_gt(trainsnap_milestone_step(cc->nprof), paused_at);
    ck_assert(!s.cell[GF_CELL_RNN].active);
    /* paused: no more steps */
    train_worker_wait_idle(&w);
    ck_assert_int_eq(train_worker_take(&w, &s), 0);
    ck_assert_int_eq(s.step, paused_at);
    train_worker_stop(&w);
    trainsnap_free(&s);
    SDL_Quit();
}
END_TEST

START_TEST(test_reconfigure)
{
    ck_assert_int_eq(SDL_Init(0), 0);
    TrainConfig tc;
    SimConfig view;
    small_(&tc, &view);
    TrainWorker w;
    ck_assert_int_eq(train_worker_start(&w, 0, NULL), GF_OK);
    TrainSnapshot s;
    memset(&s, 0, sizeof s);
    train_worker_configure(&w, &tc, &view);
    train_worker_step(&w);
    train_worker_step(&w);
    settle_(&w, &s);
    ck_assert_int_eq(s.step, 2);
    uint64_t epoch = s.epoch;
    /* the learning rate and the clip change in place: the run goes on */
    tc.optim.lr = 0.001;
    tc.clip = 0;
    train_worker_configure(&w, &tc, &view);
    train_worker_step(&w);
    settle_(&w, &s);
    ck_assert_int_eq(s.step, 3);
    ck_assert_uint_eq(s.epoch, epoch);
    ck_assert_double_eq(s.cfg.optim.lr, 0.001);
    ck_assert_int_eq(s.cell[GF_CELL_RNN].clipped[2], 0);
    /* a new model starts over from its own initial weights */
    tc.sim.seq_len = 30;
    view.seq_len = 30;
    train_worker_configure(&w, &tc, &view);
    settle_(&w, &s);
    ck_assert_int_eq(s.step, 0);
    ck_assert(s.epoch != epoch);
    ck_assert_int_eq(s.cfg.sim.seq_len, 30);
    check_consistent_(&s);
    ck_assert_int_eq(s.cell[GF_CELL_GRU].prof[0].T, 30);
    /* so does a new optimizer */
    epoch = s.epoch;
    train_worker_step(&w);
    settle_(&w, &s);
    optim_config_default(&tc.optim, GF_OPT_SGD, 0.1);
    train_worker_configure(&w, &tc, &view);
    settle_(&w, &s);
    ck_assert_int_eq(s.step, 0);
    ck_assert(s.epoch != epoch);
    /* a configuration the core refuses: an error in the snapshot, and steps do nothing */
    tc.sim.hidden = 0;
    train_worker_configure(&w, &tc, &view);
    train_worker_step(&w);
    settle_(&w, &s);
    ck_assert(s.rc < 0);
    ck_assert(strlen(s.msg) > 0);
    train_worker_stop(&w);
    trainsnap_free(&s);
    SDL_Quit();
}
END_TEST

START_TEST(test_snapshot_copies)
{
    /* trainsnap_copy: only the new steps when the epoch agrees, everything when it changed */
    TrainSnapshot a, b;
    memset(&a, 0, sizeof a);
    memset(&b, 0, sizeof b);
    a.cfg.sim.cells = 1u << GF_CELL_GRU;
    for (int i = 0; i < 5; i++) ck_assert_int_eq(trainsnap_push(&a, GF_CELL_GRU, 1.0 + i, 2.0, i & 1, NAN, 0.5), 0);
    a.epoch = 7;
    ck_assert_int_eq(trainsnap_copy(&b, &a), 0);
    ck_assert_uint_eq(b.cell[GF_CELL_GRU].n, 5);
    ck_assert_double_eq(b.cell[GF_CELL_GRU].loss[4], 5.0);
    ck_assert_int_eq(b.cell[GF_CELL_GRU].clipped[3], 1);
    ck_assert(!b.cell[GF_CELL_RNN].active);
    /* a new epoch with fewer steps replaces the history */
    trainsnap_free(&a);
    a.cfg.sim.cells = 1u << GF_CELL_GRU;
    ck_assert_int_eq(trainsnap_push(&a, GF_CELL_GRU, 9.0, 1.0, 0, NAN, 0.5), 0);
    a.epoch = 8;
    ck_assert_int_eq(trainsnap_copy(&b, &a), 0);
    ck_assert_uint_eq(b.cell[GF_CELL_GRU].n, 1);
    ck_assert_double_eq(b.cell[GF_CELL_GRU].loss[0], 9.0);
    /* the running mean skips NaN and averages the last w */
    double v[5] = {1, 3, NAN, 5, 7}, out[5];
    trainsnap_running_mean(v, 5, 2, out);
    ck_assert_double_eq(out[0], 1);
    ck_assert_double_eq(out[1], 2);
    ck_assert_double_eq(out[2], 3);
    ck_assert_double_eq(out[3], 5);
    ck_assert_double_eq(out[4], 6);
    ck_assert_int_eq(trainsnap_milestone_index(100), 1);
    ck_assert_int_eq(trainsnap_milestone_index(101), -1);
    trainsnap_free(&a);
    trainsnap_free(&b);
}
END_TEST

START_TEST(test_worker_owns_weights)
{
    /* the recompute worker copies the weights it is handed: the caller's buffer may change at once */
    ck_assert_int_eq(SDL_Init(0), 0);
    SimConfig c;
    sim_config_default(&c);
    c.seq_len = 30, c.hidden = 8, c.cells = 1u << GF_CELL_RNN, c.want_spectra = 0;
    NetShape sh = sim_net_shape(&c, GF_CELL_RNN);
    size_t n = net_param_count(&sh);
    double *p = malloc(n * sizeof *p), *keep = malloc(n * sizeof *keep);
    ck_assert_ptr_nonnull(p);
    ck_assert_ptr_nonnull(keep);
    for (size_t i = 0; i < n; i++) keep[i] = p[i] = 0.05 * sin((double)i);
    /* the expected result, from those weights */
    Sim sim;
    sim_init(&sim);
    GfError err = {0};
    SimConfig e = c;
    e.params[GF_CELL_RNN] = keep;
    ck_assert_int_eq(sim_run(&sim, &e, &err), GF_OK);
    Worker w;
    ck_assert_int_eq(worker_start(&w, 0, NULL), GF_OK);
    c.params[GF_CELL_RNN] = p;
    worker_request(&w, &c, 1);
    for (size_t i = 0; i < n; i++) p[i] = 1e3; /* scribbled over before the run could read it */
    free(p);
    PlotData pd;
    memset(&pd, 0, sizeof pd);
    uint64_t gen = 0;
    int rc = -1;
    char msg[GF_ERROR_MSG_LEN];
    while (!worker_take(&w, &pd, &gen, &rc, msg, sizeof msg)) SDL_Delay(2);
    ck_assert_int_eq(rc, GF_OK);
    ck_assert(memcmp(pd.cell[GF_CELL_RNN].grad_h, sim.result[GF_CELL_RNN].grad_h_norm, 30 * sizeof(double)) == 0);
    worker_stop(&w);
    plotdata_free(&pd);
    sim_free(&sim);
    free(keep);
    SDL_Quit();
}
END_TEST

static Suite *suite_(void)
{
    Suite *s = suite_create("ui_train");
    TCase *tc = tcase_create("train_worker");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_step_rewind_bit_identical);
    tcase_add_test(tc, test_run_pause_and_milestone);
    tcase_add_test(tc, test_reconfigure);
    tcase_add_test(tc, test_snapshot_copies);
    tcase_add_test(tc, test_worker_owns_weights);
    suite_add_tcase(s, tc);
    return s;
}

GF_CHECK_MAIN(suite_)
