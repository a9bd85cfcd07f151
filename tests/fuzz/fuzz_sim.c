/* fuzz_sim.c - libFuzzer target, the deep one: whole small simulations from arbitrary bytes.
 *
 * Every input is read as two configurations (cells, task, T <= 24, H <= 9, L <= 3, B <= 3, weight
 * scale, init, forget bias, nonlinearity, seed, parameter gradients or not) that run one after the
 * other in the same Sim, so the reuse of buffers between runs of different sizes is exercised as
 * the window exercises it. Checks: a configuration sim_config_check accepts runs; every requested
 * cell has a result of the configured shape; every norm is >= 0 or NaN-free unless the run says it
 * is non-finite. About a thousand inputs a second, against tens of thousands for the parsers. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/sim.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_REQUIRE(cond) \
    do {                   \
        if (!(cond)) abort(); \
    } while (0)

/* Bytes consumed one at a time; zeros once the input runs out. */
typedef struct ByteReader {
    const uint8_t *p;
    size_t n;
} ByteReader;

static unsigned next_(ByteReader *r)
{
    if (!r->n) return 0;
    r->n--;
    return *r->p++;
}

static void config_from_(ByteReader *r, SimConfig *cfg)
{
    sim_config_default(cfg);
    cfg->cells = next_(r) % 8;                /* 0 (refused) .. 7 */
    cfg->task = (GfTask)(next_(r) % 2);
    cfg->seq_len = (int)(next_(r) % 25);      /* 0 (refused) .. 24 */
    cfg->hidden = (int)(next_(r) % 10);       /* 0 (refused) .. 9 */
    cfg->layers = 1 + (int)(next_(r) % 3);
    cfg->batch = 1 + (int)(next_(r) % 3);
    unsigned s = next_(r);
    /* weight scale: 0, small steps to 4, and a few huge values that explode */
    cfg->weight_scale = s < 240 ? s / 60.0 : (double)(s - 230) * 10.0;
    cfg->init = (GfInit)(next_(r) % 3);
    unsigned fb = next_(r);
    cfg->forget_bias = fb == 0 ? NAN : ((double)fb - 128.0) / 1.28; /* NAN or -100 .. 99 */
    cfg->nonlinearity = (GfNonlin)(next_(r) % 2);
    cfg->seed = next_(r) | (uint64_t)next_(r) << 8 | (uint64_t)next_(r) << 56;
    unsigned flags = next_(r);
    cfg->want_param_grads = flags & 1;
    cfg->want_spectra = (flags >> 1) & 1;
}

static void check_results_(const Sim *sim, const SimConfig *cfg)
{
    for (int c = 0; c < GF_NUM_CELLS; c++) {
        const CellResult *res = &sim->result[c];
        FUZZ_REQUIRE(res->ran == ((cfg->cells >> c) & 1u));
        if (!res->ran) continue;
        FUZZ_REQUIRE(res->L == cfg->layers && res->T == cfg->seq_len && res->H == cfg->hidden &&
                     res->B == cfg->batch);
        FUZZ_REQUIRE(res->grad_h_norm != NULL);
        FUZZ_REQUIRE((res->grad_c_norm != NULL) == (c == GF_CELL_LSTM));
        int nonfinite = 0;
        for (int k = 0; k < res->L * res->T; k++) {
            double g = res->grad_h_norm[k];
            FUZZ_REQUIRE(!(g < 0.0));
            if (!isfinite(g)) nonfinite = 1;
            if (res->grad_c_norm) {
                FUZZ_REQUIRE(!(res->grad_c_norm[k] < 0.0));
                if (!isfinite(res->grad_c_norm[k])) nonfinite = 1;
            }
        }
        FUZZ_REQUIRE(!nonfinite || res->nonfinite);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ByteReader r = {data, size};
    Sim sim;
    sim_init(&sim);
    for (int run = 0; run < 2; run++) {
        SimConfig cfg;
        config_from_(&r, &cfg);
        GfError err = {0};
        if (sim_config_check(&cfg, &err) != 0) {
            FUZZ_REQUIRE(err.msg[0] != '\0');
            continue;
        }
        int rc = sim_run(&sim, &cfg, &err);
        FUZZ_REQUIRE(rc == 0); /* in range and tiny: nothing may fail */
        check_results_(&sim, &cfg);
    }
    sim_free(&sim);
    return 0;
}
