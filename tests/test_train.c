/* test_train.c - the training loop: rewind repeats training bit for bit, one step is what the
 * pieces (batch, forward, loss, BPTT, clipping, optimizer) make it, clipping is recorded, the
 * history grows, and a small LSTM learns the recall task. */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "simnet.h"
#include "train.h"

static TrainConfig config_(unsigned cells, GfTask task, int T, int H, int B, GfOptimizer kind, double lr)
{
    TrainConfig c;
    memset(&c, 0, sizeof c);
    sim_config_default(&c.sim);
    c.sim.cells = cells, c.sim.task = task, c.sim.seq_len = T, c.sim.hidden = H, c.sim.batch = B;
    c.sim.seed = 5;
    optim_config_default(&c.optim, kind, lr);
    return c;
}

START_TEST(test_rewind_repeats)
{
    TrainConfig c = config_(GF_CELLS_ALL, GF_TASK_ADDING, 12, 6, 3, GF_OPT_ADAM, 0.01);
    c.sim.layers = 2;
    c.clip = 0.5;
    Trainer tr;
    ck_assert_int_eq(trainer_init(&tr, &c, NULL), GF_OK);
    double *first[GF_NUM_CELLS], *loss[GF_NUM_CELLS];
    for (int k = 0; k < 7; k++) ck_assert_int_eq(trainer_step(&tr, NULL), GF_OK);
    for (int cell = 0; cell < GF_NUM_CELLS; cell++) {
        const Net *n = tr.cell[cell].net;
        ck_assert_int_eq((int)tr.cell[cell].hist.n, 7);
        first[cell] = malloc(sizeof(double) * n->n_params);
        memcpy(first[cell], n->params, sizeof(double) * n->n_params);
        ck_assert(memcmp(first[cell], tr.cell[cell].init, sizeof(double) * n->n_params) != 0);
        loss[cell] = malloc(sizeof(double) * 7);
        memcpy(loss[cell], tr.cell[cell].hist.loss, sizeof(double) * 7);
    }
    trainer_rewind(&tr);
    ck_assert_int_eq((int)tr.step, 0);
    for (int cell = 0; cell < GF_NUM_CELLS; cell++) {
        ck_assert_int_eq((int)tr.cell[cell].hist.n, 0);
        ck_assert(memcmp(tr.cell[cell].net->params, tr.cell[cell].init,
                         sizeof(double) * tr.cell[cell].net->n_params) == 0);
    }
    for (int k = 0; k < 7; k++) ck_assert_int_eq(trainer_step(&tr, NULL), GF_OK);
    for (int cell = 0; cell < GF_NUM_CELLS; cell++) {
        const Net *n = tr.cell[cell].net;
        ck_assert_msg(memcmp(first[cell], n->params, sizeof(double) * n->n_params) == 0,
                      "%s: weights after rewind and 7 steps differ", gf_cell_name((GfCell)cell));
        ck_assert(memcmp(loss[cell], tr.cell[cell].hist.loss, sizeof(double) * 7) == 0);
        free(first[cell]);
        free(loss[cell]);
    }
    trainer_free(&tr);
}
END_TEST

/* One step by hand from the same pieces: the trainer's weights after it must be these. */
START_TEST(test_one_step_by_hand)
{
    for (int kind = 0; kind < GF_NUM_OPTIMIZERS; kind++)
        for (int task = 0; task < GF_NUM_TASKS; task++) {
            TrainConfig c = config_(1u << GF_CELL_LSTM, (GfTask)task, 6, 4, 2, (GfOptimizer)kind, 0.05);
            c.clip = 0.1;
            if (kind == GF_OPT_SGD) c.optim.momentum = 0.9;
            Trainer tr;
            ck_assert_int_eq(trainer_init(&tr, &c, NULL), GF_OK);
            ck_assert_int_eq(trainer_step(&tr, NULL), GF_OK);
            ck_assert_int_eq(trainer_step(&tr, NULL), GF_OK);

            NetShape s = sim_net_shape(&c.sim, GF_CELL_LSTM);
            Net net;
            Optim o;
            TaskData d = {0};
            ck_assert_int_eq(net_init(&net, &s, NULL), GF_OK);
            ck_assert_int_eq(optim_init(&o, &c.optim, net.n_params, NULL), GF_OK);
            sim_net_initial(&net, &c.sim);
            for (long step = 0; step < 2; step++) {
                ck_assert_int_eq(train_make_batch(&d, &c.sim, step, NULL), GF_OK);
                net_prepare(&net);
                memcpy(net.x, d.x, sizeof(double) * (size_t)s.B * s.T * s.I);
                net_forward(&net);
                double loss = net_loss(&net, (GfTask)task, d.target_real, d.target_class);
                net_backward(&net, 1);
                int clipped;
                double norm = optim_clip(net.grads, net.n_params, c.clip, &clipped);
                ck_assert_double_eq(loss, tr.cell[GF_CELL_LSTM].hist.loss[step]);
                ck_assert_double_eq(norm, tr.cell[GF_CELL_LSTM].hist.grad_norm[step]);
                ck_assert_int_eq(clipped, tr.cell[GF_CELL_LSTM].hist.clipped[step]);
                optim_step(&o, net.params, net.grads);
            }
            ck_assert(memcmp(net.params, tr.cell[GF_CELL_LSTM].net->params, sizeof(double) * net.n_params) == 0);
            /* a batch of its own every step */
            TaskData d0 = {0};
            ck_assert_int_eq(train_make_batch(&d0, &c.sim, 0, NULL), GF_OK);
            ck_assert(memcmp(d0.x, d.x, sizeof(double) * (size_t)s.B * s.T * s.I) != 0);
            task_free(&d0);
            task_free(&d);
            optim_free(&o);
            net_free(&net);
            trainer_free(&tr);
        }
}
END_TEST

START_TEST(test_clipping_recorded)
{
    TrainConfig c = config_(1u << GF_CELL_RNN, GF_TASK_ADDING, 20, 8, 4, GF_OPT_SGD, 0.1);
    c.sim.weight_scale = 3.0; /* exploding: large gradients */
    c.clip = 1e-3;
    Trainer tr;
    ck_assert_int_eq(trainer_init(&tr, &c, NULL), GF_OK);
    for (int k = 0; k < 5; k++) ck_assert_int_eq(trainer_step(&tr, NULL), GF_OK);
    const TrainHistory *h = &tr.cell[GF_CELL_RNN].hist;
    for (int k = 0; k < 5; k++) {
        ck_assert_int_eq(h->clipped[k], 1);
        ck_assert(h->grad_norm[k] > 1e-3); /* the norm before clipping */
        ck_assert(isnan(h->accuracy[k]));  /* adding has no accuracy */
        ck_assert(isnan(h->gate_mean[k])); /* the rnn has no gate */
    }
    /* an SGD step with clipped gradients moves the weights by at most lr * clip */
    double moved = 0;
    trainer_rewind(&tr);
    double *p0 = malloc(sizeof(double) * tr.cell[GF_CELL_RNN].net->n_params);
    memcpy(p0, tr.cell[GF_CELL_RNN].net->params, sizeof(double) * tr.cell[GF_CELL_RNN].net->n_params);
    ck_assert_int_eq(trainer_step(&tr, NULL), GF_OK);
    for (size_t i = 0; i < tr.cell[GF_CELL_RNN].net->n_params; i++) {
        double d = tr.cell[GF_CELL_RNN].net->params[i] - p0[i];
        moved += d * d;
    }
    ck_assert(sqrt(moved) <= 0.1 * 1e-3 * (1 + 1e-9));
    free(p0);
    trainer_free(&tr);
}
END_TEST

START_TEST(test_history_grows)
{
    TrainConfig c = config_(1u << GF_CELL_GRU, GF_TASK_RECALL, 2, 2, 1, GF_OPT_SGD, 0.01);
    Trainer tr;
    ck_assert_int_eq(trainer_init(&tr, &c, NULL), GF_OK);
    for (int k = 0; k < 1500; k++) ck_assert_int_eq(trainer_step(&tr, NULL), GF_OK);
    const TrainHistory *h = &tr.cell[GF_CELL_GRU].hist;
    ck_assert_int_eq((int)h->n, 1500);
    for (int k = 0; k < 1500; k++) {
        ck_assert(h->gate_mean[k] > 0 && h->gate_mean[k] < 1);  /* z is a sigmoid */
        ck_assert(h->accuracy[k] == 0.0 || h->accuracy[k] == 1.0); /* one sequence */
        ck_assert(isfinite(h->loss[k]));
    }
    trainer_free(&tr);
}
END_TEST

/* Learning, not speed: a small LSTM on recall over 6 steps goes from chance (ln 8) to nearly
 * sure within 300 Adam steps; seeded, so the same every run. */
START_TEST(test_lstm_learns_recall)
{
    TrainConfig c = config_(1u << GF_CELL_LSTM, GF_TASK_RECALL, 6, 16, 16, GF_OPT_ADAM, 0.01);
    Trainer tr;
    ck_assert_int_eq(trainer_init(&tr, &c, NULL), GF_OK);
    for (int k = 0; k < 300; k++) ck_assert_int_eq(trainer_step(&tr, NULL), GF_OK);
    const TrainHistory *h = &tr.cell[GF_CELL_LSTM].hist;
    ck_assert_msg(fabs(h->loss[0] - log(8.0)) < 0.3, "first loss %g", h->loss[0]);
    double last = 0;
    for (int k = 290; k < 300; k++) last += h->loss[k] / 10;
    ck_assert_msg(last < 0.1, "loss after 300 steps %g", last);
    ck_assert(h->accuracy[299] == 1.0);
    trainer_free(&tr);
}
END_TEST

START_TEST(test_bad_config)
{
    TrainConfig c = config_(GF_CELLS_ALL, GF_TASK_ADDING, 10, 4, 2, GF_OPT_SGD, 0.0);
    GfError err = {0};
    ck_assert_int_eq(train_config_check(&c, &err), GF_ERR_RANGE);
    ck_assert(strstr(err.msg, "--lr") != NULL);
    c.optim.lr = 0.1, c.optim.momentum = 1.0;
    ck_assert_int_eq(train_config_check(&c, &err), GF_ERR_RANGE);
    ck_assert(strstr(err.msg, "--momentum") != NULL);
    c.optim.momentum = 0, c.clip = -1;
    ck_assert_int_eq(train_config_check(&c, &err), GF_ERR_RANGE);
    ck_assert(strstr(err.msg, "--clip") != NULL);
    c.clip = 0;
    ck_assert_int_eq(train_config_check(&c, &err), GF_OK);
}
END_TEST

static Suite *suite_(void)
{
    Suite *s = suite_create("train");
    TCase *tc = tcase_create("train");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_rewind_repeats);
    tcase_add_test(tc, test_one_step_by_hand);
    tcase_add_test(tc, test_clipping_recorded);
    tcase_add_test(tc, test_history_grows);
    tcase_add_test(tc, test_lstm_learns_recall);
    tcase_add_test(tc, test_bad_config);
    suite_add_tcase(s, tc);
    return s;
}

GF_CHECK_MAIN(suite_)
