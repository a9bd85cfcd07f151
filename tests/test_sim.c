/* test_sim.c - configuration checks with their messages, spectra, results and buffer reuse. */
#include <check.h>
#include <math.h>
#include <string.h>

#include "check_main.h"
#include "net.h"
#include "sim.h"

/* sim_config_check fails with code and a message containing every one of the words. */
static void expect_error_(const SimConfig *cfg, int code, const char *w1, const char *w2)
{
    GfError err = {0};
    int rc = sim_config_check(cfg, &err);
    ck_assert_msg(rc == code, "expected code %d, got %d (%s)", code, rc, err.msg);
    ck_assert_msg(strstr(err.msg, w1) != NULL, "'%s' not in '%s'", w1, err.msg);
    if (w2) ck_assert_msg(strstr(err.msg, w2) != NULL, "'%s' not in '%s'", w2, err.msg);
    ck_assert_ptr_null(strchr(err.msg, '\n'));
}

START_TEST(test_config_ranges)
{
    SimConfig c;
    sim_config_default(&c);
    ck_assert_int_eq(sim_config_check(&c, NULL), GF_OK);
    SimConfig b = c;
    b.seq_len = 0;
    expect_error_(&b, GF_ERR_RANGE, "--seq-len", "1 to 100000");
    b = c, b.seq_len = 100001;
    expect_error_(&b, GF_ERR_RANGE, "--seq-len", "100000");
    b = c, b.hidden = 1025;
    expect_error_(&b, GF_ERR_RANGE, "--hidden", "1 to 1024");
    b = c, b.layers = 9;
    expect_error_(&b, GF_ERR_RANGE, "--layers", "1 to 8");
    b = c, b.batch = 0;
    expect_error_(&b, GF_ERR_RANGE, "--batch", "1 to 1024");
    b = c, b.weight_scale = -0.1;
    expect_error_(&b, GF_ERR_RANGE, "--weight-scale", "0 to 100");
    b = c, b.weight_scale = NAN;
    expect_error_(&b, GF_ERR_RANGE, "--weight-scale", NULL);
    b = c, b.forget_bias = 1000;
    expect_error_(&b, GF_ERR_RANGE, "--forget-bias", NULL);
    b = c, b.update_bias = -100.5;
    expect_error_(&b, GF_ERR_RANGE, "--update-bias", "-100 to 100");
    b = c, b.cells = 0;
    expect_error_(&b, GF_ERR_RANGE, "rnn, lstm, gru", NULL);
    b = c, b.seq_len = 1;
    expect_error_(&b, GF_ERR_RANGE, "adding", "--task recall");
    b.task = GF_TASK_RECALL;
    ck_assert_int_eq(sim_config_check(&b, NULL), GF_OK);
    /* the memory cap: 100000 steps x 1024 sequences x 1024 units is terabytes */
    b = c, b.seq_len = 100000, b.batch = 1024, b.hidden = 1024;
    expect_error_(&b, GF_ERR_TOOBIG, "GiB", "limit");
}
END_TEST

START_TEST(test_results)
{
    Sim sim;
    sim_init(&sim);
    SimConfig c;
    sim_config_default(&c);
    c.seq_len = 50, c.hidden = 8, c.layers = 2, c.batch = 3;
    GfError err;
    ck_assert_int_eq(sim_run(&sim, &c, &err), GF_OK);
    for (int k = 0; k < GF_NUM_CELLS; k++) {
        const CellResult *r = &sim.result[k];
        ck_assert_int_eq(r->ran, 1);
        ck_assert_int_eq(r->L, 2);
        ck_assert_int_eq(r->T, 50);
        ck_assert_int_eq(r->G, gf_cell_gates((GfCell)k));
        ck_assert(isfinite(r->loss) && r->loss > 0);
        ck_assert((r->grad_c_norm != NULL) == (k == GF_CELL_LSTM));
        for (int i = 0; i < 2 * 50; i++) ck_assert(r->grad_h_norm[i] > 0 && isfinite(r->grad_h_norm[i]));
        for (int l = 0; l < 2; l++)
            for (int g = 0; g < r->G; g++) ck_assert(r->sigma_max[l][g] >= r->spectral_radius[l][g] * (1 - 1e-6));
        /* The head reads h_n[-1] = output[:, -1]: the last layer's state at t = T-1.
           y_b = head.weight h_n[-1][b] + head.bias, recomputed here from cell_at. */
        ck_assert_ptr_nonnull(r->h);
        for (int bb = 0; bb < 3; bb++) {
            const double *hn = cell_at(r, r->h, r->L - 1, bb, r->T - 1);
            double y = r->params.head_bias[0];
            for (int j = 0; j < r->H; j++) y += r->params.head_weight[j] * hn[j];
            ck_assert_double_eq_tol(r->y[bb], y, 1e-15);
        }
        if (k != GF_CELL_RNN) /* gates are stored activated: sigmoid and tanh outputs in [-1, 1] */
            for (int t = 0; t < 50; t++)
                for (int j = 0; j < r->G * r->H; j++) {
                    double g = cell_gate_at(r, 1, 2, t)[j];
                    ck_assert(g >= -1.0 && g <= 1.0);
                }
    }
    /* A smaller run reuses the buffers, a larger one reallocates; both give the same numbers as
       a fresh Sim. */
    double first = sim.result[GF_CELL_GRU].grad_h_norm[3];
    c.seq_len = 20;
    ck_assert_int_eq(sim_run(&sim, &c, &err), GF_OK);
    c.seq_len = 50;
    ck_assert_int_eq(sim_run(&sim, &c, &err), GF_OK);
    ck_assert_double_eq(sim.result[GF_CELL_GRU].grad_h_norm[3], first);
    /* one cell only */
    c.cells = 1u << GF_CELL_LSTM;
    ck_assert_int_eq(sim_run(&sim, &c, &err), GF_OK);
    ck_assert_int_eq(sim.result[GF_CELL_RNN].ran, 0);
    ck_assert_int_eq(sim.result[GF_CELL_LSTM].ran, 1);
    /* a bad config leaves no result claiming to be valid */
    c.hidden = 0;
    ck_assert_int_ne(sim_run(&sim, &c, &err), GF_OK);
    ck_assert_int_eq(sim.result[GF_CELL_LSTM].ran, 0);
    sim_free(&sim);
    sim_free(&sim); /* safe twice */
}
END_TEST

START_TEST(test_spectra_scale)
{
    /* orthogonal blocks: sigma_max and the spectral radius equal the weight scale; identity
       blocks too; they follow the scale without recomputation (the cache) */
    Sim sim;
    sim_init(&sim);
    SimConfig c;
    sim_config_default(&c);
    c.seq_len = 10, c.hidden = 16, c.layers = 2;
    GfError err;
    static const GfInit inits[] = {GF_INIT_ORTHOGONAL, GF_INIT_IDENTITY};
    for (int i = 0; i < 2; i++) {
        c.init = inits[i];
        for (double s = 0.25; s < 2.0; s += 0.5) {
            c.weight_scale = s;
            ck_assert_int_eq(sim_run(&sim, &c, &err), GF_OK);
            for (int k = 0; k < GF_NUM_CELLS; k++)
                for (int l = 0; l < 2; l++)
                    for (int g = 0; g < gf_cell_gates((GfCell)k); g++) {
                        ck_assert_double_eq_tol(sim.result[k].sigma_max[l][g], s, 1e-12);
                        ck_assert_double_eq_tol(sim.result[k].spectral_radius[l][g], s, 1e-9);
                    }
        }
    }
    /* pytorch init: U(-1/sqrt(H), 1/sqrt(H)) has sigma_max near 2 sqrt(H) / sqrt(3 H) = 1.15 */
    c.init = GF_INIT_PYTORCH, c.weight_scale = 1.0, c.hidden = 64;
    ck_assert_int_eq(sim_run(&sim, &c, &err), GF_OK);
    double sg = sim.result[GF_CELL_RNN].sigma_max[0][0];
    ck_assert(sg > 0.9 && sg < 1.4);
    sim_free(&sim);
}
END_TEST

START_TEST(test_forget_bias_and_scale_applied)
{
    Sim sim;
    sim_init(&sim);
    SimConfig c;
    sim_config_default(&c);
    c.cells = 1u << GF_CELL_LSTM, c.seq_len = 5, c.hidden = 4, c.layers = 2;
    c.forget_bias = 2.5;
    GfError err;
    ck_assert_int_eq(sim_run(&sim, &c, &err), GF_OK);
    const CellParams *n = &sim.result[GF_CELL_LSTM].params;
    for (int l = 0; l < 2; l++)
        for (int j = 0; j < 4; j++) {
            ck_assert_double_eq(n->bias_ih[l][4 + j], 2.5); /* gate order i, f, g, o */
            ck_assert_double_eq(n->bias_hh[l][4 + j], 0.0);
        }
    double w = n->weight_hh[1][7];
    c.weight_scale = 0.5;
    ck_assert_int_eq(sim_run(&sim, &c, &err), GF_OK);
    ck_assert_double_eq(n->weight_hh[1][7], 0.5 * w);
    sim_free(&sim);
}
END_TEST

/* --update-bias sets the GRU's z chunk the way --forget-bias sets the LSTM's f chunk: bias_ih's
 * rows H .. 2H-1 (gate order r, z, n) to the bias, bias_hh's to 0; r and n keep their draws, and
 * the LSTM is untouched by it. */
START_TEST(test_update_bias_applied)
{
    Sim sim;
    sim_init(&sim);
    SimConfig c;
    sim_config_default(&c);
    c.cells = (1u << GF_CELL_GRU) | (1u << GF_CELL_LSTM), c.seq_len = 5, c.hidden = 4, c.layers = 2;
    GfError err;
    ck_assert_int_eq(sim_run(&sim, &c, &err), GF_OK);
    const CellParams *n = &sim.result[GF_CELL_GRU].params;
    double r_ih = n->bias_ih[1][1], n_hh = n->bias_hh[1][9], lstm_f = sim.result[GF_CELL_LSTM].params.bias_ih[0][5];
    ck_assert(n->bias_hh[0][5] != 0.0);
    c.update_bias = -3.5;
    ck_assert_int_eq(sim_run(&sim, &c, &err), GF_OK);
    for (int l = 0; l < 2; l++)
        for (int j = 0; j < 4; j++) {
            ck_assert_double_eq(n->bias_ih[l][4 + j], -3.5);
            ck_assert_double_eq(n->bias_hh[l][4 + j], 0.0);
        }
    ck_assert_double_eq(n->bias_ih[1][1], r_ih);
    ck_assert_double_eq(n->bias_hh[1][9], n_hh);
    ck_assert_double_eq(sim.result[GF_CELL_LSTM].params.bias_ih[0][5], lstm_f);
    /* z = sigmoid(W_iz x + W_hz h - 3.5) is near 0 everywhere: the gates the run used */
    const CellResult *g = &sim.result[GF_CELL_GRU];
    for (int t = 0; t < 5; t++) ck_assert(cell_gate_at(g, 0, 0, t)[4] < 0.1);
    sim_free(&sim);
}
END_TEST

/* A Sim keeps each cell's initial weights and copies them back when only the scale, the forget
 * bias, the batch or the length changed; whatever the order of runs, each equals a fresh Sim's. */
static void same_as_fresh_(Sim *sim, const SimConfig *c)
{
    GfError err;
    ck_assert_int_eq(sim_run(sim, c, &err), GF_OK);
    Sim fresh;
    sim_init(&fresh);
    ck_assert_int_eq(sim_run(&fresh, c, &err), GF_OK);
    for (int k = 0; k < GF_NUM_CELLS; k++) {
        const CellResult *a = &sim->result[k], *b = &fresh.result[k];
        ck_assert_int_eq(a->ran, b->ran);
        if (!a->ran) continue;
        ck_assert_mem_eq(sim->nets[k]->params, fresh.nets[k]->params, sizeof(double) * sim->nets[k]->n_params);
        ck_assert_mem_eq(a->grad_h_norm, b->grad_h_norm, sizeof(double) * (size_t)a->L * a->T);
        ck_assert(a->loss == b->loss);
    }
    sim_free(&fresh);
}

START_TEST(test_init_cache)
{
    Sim sim;
    sim_init(&sim);
    SimConfig c;
    sim_config_default(&c);
    c.seq_len = 30, c.hidden = 7, c.layers = 2;
    same_as_fresh_(&sim, &c);
    c.weight_scale = 0.6;            /* copied from the cache */
    same_as_fresh_(&sim, &c);
    c.forget_bias = 3.0;
    same_as_fresh_(&sim, &c);
    c.seed = 2;                      /* drawn again */
    same_as_fresh_(&sim, &c);
    c.init = GF_INIT_ORTHOGONAL;
    same_as_fresh_(&sim, &c);
    c.init = GF_INIT_PYTORCH, c.hidden = 8;
    same_as_fresh_(&sim, &c);
    c.layers = 3;
    same_as_fresh_(&sim, &c);
    c.task = GF_TASK_RECALL;
    same_as_fresh_(&sim, &c);
    c.batch = 3, c.seq_len = 50;     /* same weights, other shapes of the activations */
    same_as_fresh_(&sim, &c);

    /* The copies do come from the cache: a value marked in it shows up in the next run that
       only changed the scale (weight_ih is not scaled), and a new seed draws again. */
    GfError err;
    for (int k = 0; k < GF_NUM_CELLS; k++) {
        ck_assert_ptr_nonnull(sim.init_cache[k].params);
        sim.init_cache[k].params[0] = 0.125; /* weight_ih_l0[0][0] */
    }
    c.weight_scale = 0.9;
    ck_assert_int_eq(sim_run(&sim, &c, &err), GF_OK);
    for (int k = 0; k < GF_NUM_CELLS; k++) ck_assert_double_eq(sim.result[k].params.weight_ih[0][0], 0.125);
    c.seed = 3;
    ck_assert_int_eq(sim_run(&sim, &c, &err), GF_OK);
    for (int k = 0; k < GF_NUM_CELLS; k++) ck_assert_double_ne(sim.result[k].params.weight_ih[0][0], 0.125);
    sim_free(&sim);
}
END_TEST

START_TEST(test_cancel)
{
    /* A flag set before (or during) a run stops it: GF_ERR_CANCELLED and no result claimed. */
    Sim sim;
    sim_init(&sim);
    SimConfig c;
    sim_config_default(&c);
    c.seq_len = 3000, c.hidden = 32;
    GfCancelFlag flag;
#if !defined(__STDC_NO_ATOMICS__)
    atomic_init(&flag, 1);
#else
    flag = 1;
#endif
    c.cancel = &flag;
    GfError err;
    ck_assert_int_eq(sim_run(&sim, &c, &err), GF_ERR_CANCELLED);
    for (int k = 0; k < GF_NUM_CELLS; k++) ck_assert_int_eq(sim.result[k].ran, 0);
#if !defined(__STDC_NO_ATOMICS__)
    atomic_store(&flag, 0);
#else
    flag = 0;
#endif
    ck_assert_int_eq(sim_run(&sim, &c, &err), GF_OK);
    ck_assert_int_eq(sim.result[GF_CELL_GRU].ran, 1);
    sim_free(&sim);
}
END_TEST

/* dpre, the (B, T, G*H) record of dL/d(pre-activation) the parameter gradients read, exists only
 * in a run that asks for them, and the estimate says so; a Sim that ran the profile only and is
 * then asked for the parameter gradients gets them (the same as a fresh Sim's). */
START_TEST(test_dpre_only_for_parameter_gradients)
{
    SimConfig c;
    sim_config_default(&c);
    c.seq_len = 40, c.hidden = 6, c.layers = 2, c.batch = 3;
    for (int k = 0; k < GF_NUM_CELLS; k++) {
        c.cells = 1u << k;
        c.want_param_grads = 0;
        size_t profile = sim_config_memory(&c);
        c.want_param_grads = 1;
        size_t full = sim_config_memory(&c);
        size_t G = (size_t)gf_cell_gates((GfCell)k);
        size_t dpre = sizeof(double) * 3 * 40 * G * 6 * (k == GF_CELL_GRU ? 2 : 1);
        ck_assert_msg(full - profile == dpre, "cell %d: %zu bytes more with parameter gradients, dpre is %zu", k,
                      full - profile, dpre);
    }
    c.cells = GF_CELLS_ALL;
    Sim sim, fresh;
    sim_init(&sim);
    sim_init(&fresh);
    GfError err;
    c.want_param_grads = 0;
    ck_assert_int_eq(sim_run(&sim, &c, &err), GF_OK);
    for (int k = 0; k < GF_NUM_CELLS; k++) {
        ck_assert_ptr_null(sim.nets[k]->dpre);
        ck_assert_ptr_null(sim.nets[k]->dpre_hh);
    }
    c.want_param_grads = 1;
    ck_assert_int_eq(sim_run(&sim, &c, &err), GF_OK);
    ck_assert_int_eq(sim_run(&fresh, &c, &err), GF_OK);
    for (int k = 0; k < GF_NUM_CELLS; k++) {
        const Net *a = sim.nets[k], *b = fresh.nets[k];
        ck_assert_ptr_nonnull(a->dpre);
        ck_assert((a->dpre_hh != NULL) == (k == GF_CELL_GRU));
        double norm = 0;
        for (size_t i = 0; i < a->n_params; i++) {
            ck_assert(a->grads[i] == b->grads[i]);
            norm += fabs(a->grads[i]);
        }
        ck_assert(norm > 0);
    }
    sim_free(&sim);
    sim_free(&fresh);
}
END_TEST

static Suite *suite_(void)
{
    Suite *s = suite_create("sim");
    TCase *tc = tcase_create("sim");
    tcase_add_test(tc, test_config_ranges);
    tcase_add_test(tc, test_results);
    tcase_add_test(tc, test_spectra_scale);
    tcase_add_test(tc, test_forget_bias_and_scale_applied);
    tcase_add_test(tc, test_update_bias_applied);
    tcase_add_test(tc, test_init_cache);
    tcase_add_test(tc, test_cancel);
    tcase_add_test(tc, test_dpre_only_for_parameter_gradients);
    suite_add_tcase(s, tc);
    return s;
}

GF_CHECK_MAIN(suite_)
