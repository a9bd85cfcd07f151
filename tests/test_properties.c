/* test_properties.c - what the theory says about the gradient profiles, checked on real runs.
 *
 * Pascanu, Mikolov & Bengio (2013): for h_t = tanh(W h_{t-1} + ...), dL/dh_{t-1} = W^T D_t dL/dh_t
 * with |D_t| <= 1, so ||dL/dh_{t-1}|| <= sigma_max(W) ||dL/dh_t|| at every step where nothing else
 * feeds in (every step but the last, with one layer). With an orthogonal W scaled by s,
 * sigma_max = s, hence ||dL/dh_t|| <= s^(T-1-t) ||dL/dh_{T-1}||. */
#include <check.h>
#include <math.h>

#include "check_main.h"
#include "sim.h"

static void run_(Sim *sim, SimConfig *cfg)
{
    GfError err;
    int rc = sim_run(sim, cfg, &err);
    ck_assert_msg(rc == GF_OK, "sim_run: %s", err.msg);
}

START_TEST(test_rnn_bound)
{
    static const double scales[] = {0.3, 0.6, 0.9, 0.99};
    Sim sim;
    sim_init(&sim);
    SimConfig cfg;
    sim_config_default(&cfg);
    cfg.cells = 1u << GF_CELL_RNN;
    cfg.init = GF_INIT_ORTHOGONAL;
    cfg.seq_len = 400;
    cfg.hidden = 32;
    cfg.batch = 3;
    for (int k = 0; k < 4; k++) {
        double s = scales[k];
        cfg.weight_scale = s;
        run_(&sim, &cfg);
        const CellResult *r = &sim.result[GF_CELL_RNN];
        const double *g = r->grad_h_norm;
        ck_assert_double_eq_tol(r->sigma_max[0][0], s, 1e-12);
        for (int t = cfg.seq_len - 1; t > 0; t--)
            ck_assert_msg(g[t - 1] <= s * g[t] * (1 + 1e-12), "scale %g: ||g_%d|| = %g > %g * ||g_%d|| = %g",
                          s, t - 1, g[t - 1], s, t, g[t]);
        /* ... and the whole fall is at least the bound's: log10 of the ratio */
        double fall = log10(g[0] / g[cfg.seq_len - 1]);
        ck_assert_double_le(fall, (cfg.seq_len - 1) * log10(s) + 1e-9);
        ck_assert_double_gt(g[0], 0.0); /* deep in the vanishing regime, but no underflow to 0 */
    }
    sim_free(&sim);
}
END_TEST

START_TEST(test_no_underflow)
{
    /* scale 0.5 over 900 steps: the bound 0.5^899 ~ 2e-271 is far below where a plain sum of
       squares underflows (~1e-154); the norms are scaled, so steps around 1e-250 are reported
       as such, not as 0. */
    Sim sim;
    sim_init(&sim);
    SimConfig cfg;
    sim_config_default(&cfg);
    cfg.cells = 1u << GF_CELL_RNN;
    cfg.init = GF_INIT_ORTHOGONAL;
    cfg.weight_scale = 0.5;
    cfg.seq_len = 900;
    run_(&sim, &cfg);
    const double *g = sim.result[GF_CELL_RNN].grad_h_norm;
    int below = 0;
    for (int t = 0; t < cfg.seq_len; t++) {
        ck_assert(isfinite(g[t]) && g[t] >= 0.0);
        if (g[t] > 0.0 && g[t] < 1e-200) below++;
    }
    ck_assert_int_gt(below, 10); /* values around 1e-250 are reported, not flushed to 0 */
    sim_free(&sim);
}
END_TEST

START_TEST(test_lstm_remembers)
{
    /* The same weight scale: the RNN's gradient collapses, the LSTM's cell-state gradient with a
       forget bias of 5 (f ~ 0.99) stays within a few orders of magnitude. */
    Sim sim;
    sim_init(&sim);
    SimConfig cfg;
    sim_config_default(&cfg);
    cfg.cells = (1u << GF_CELL_RNN) | (1u << GF_CELL_LSTM);
    cfg.init = GF_INIT_ORTHOGONAL;
    cfg.weight_scale = 0.9;
    cfg.forget_bias = 5.0;
    cfg.seq_len = 300;
    run_(&sim, &cfg);
    const int T = cfg.seq_len;
    const double *rnn = sim.result[GF_CELL_RNN].grad_h_norm;
    const double *c = sim.result[GF_CELL_LSTM].grad_c_norm;
    double rnn_fall = log10(rnn[0] / rnn[T - 1]);
    double lstm_fall = log10(c[0] / c[T - 1]);
    ck_assert_double_lt(rnn_fall, -13.0);
    ck_assert_double_gt(lstm_fall, -4.0);
    ck_assert_double_gt(lstm_fall - rnn_fall, 10.0);
    sim_free(&sim);
}
END_TEST

START_TEST(test_exploding_is_reported)
{
    /* identity init, relu, scale 3: activations grow as 3^t and overflow; the run reports it */
    Sim sim;
    sim_init(&sim);
    SimConfig cfg;
    sim_config_default(&cfg);
    cfg.cells = GF_CELLS_ALL;
    cfg.init = GF_INIT_IDENTITY;
    cfg.nonlinearity = GF_NONLIN_RELU;
    cfg.weight_scale = 3.0;
    cfg.seq_len = 2000;
    cfg.hidden = 8;
    run_(&sim, &cfg);
    ck_assert_int_eq(sim.result[GF_CELL_RNN].nonfinite, 1);
    /* the gated cells saturate instead of overflowing */
    ck_assert_int_eq(sim.result[GF_CELL_LSTM].nonfinite, 0);
    sim_free(&sim);
}
END_TEST

static Suite *suite_(void)
{
    Suite *s = suite_create("properties");
    TCase *tc = tcase_create("properties");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_rnn_bound);
    tcase_add_test(tc, test_no_underflow);
    tcase_add_test(tc, test_lstm_remembers);
    tcase_add_test(tc, test_exploding_is_reported);
    suite_add_tcase(s, tc);
    return s;
}

GF_CHECK_MAIN(suite_)
