/* fuzz_weights.c - libFuzzer target: the --weights loader (weights_parse over a .safetensors
 * buffer), then the configuration check a command line would run with the loaded file.
 *
 * Checks beyond "no crash, no leak, no undefined behaviour": a refusal says why and leaves nothing
 * allocated; an accepted file has an architecture in range, every tensor it promises, and a
 * configuration built from its shapes passes sim_config_check or is refused with a message. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/sim.h"
#include "core/weights.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_REQUIRE(cond) \
    do {                   \
        if (!(cond)) abort(); \
    } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    GfWeights w;
    memset(&w, 0, sizeof w);
    GfError err = {0};
    int rc = weights_parse(&w, data, size, &err);
    if (rc) {
        FUZZ_REQUIRE(rc < 0 && err.msg[0] != '\0' && strchr(err.msg, '\n') == NULL);
        weights_free(&w);
        FUZZ_REQUIRE(w.block == NULL);
        return 0;
    }
    FUZZ_REQUIRE(w.L >= GF_LAYERS_MIN && w.L <= GF_LAYERS_MAX);
    FUZZ_REQUIRE(w.H >= GF_HIDDEN_MIN && w.H <= GF_HIDDEN_MAX);
    FUZZ_REQUIRE(w.G == gf_cell_gates(w.cell) && w.I >= 1);
    /* every promised tensor is there; touching each element lets ASan check its extent */
    volatile double sum = 0;
    for (int l = 0; l < w.L; l++) {
        int in = l == 0 ? w.I : w.H;
        FUZZ_REQUIRE(w.w_ih[l] && w.w_hh[l] && w.b_ih[l] && w.b_hh[l]);
        for (int k = 0; k < w.G * w.H * in; k++) sum += w.w_ih[l][k];
        for (int k = 0; k < w.G * w.H * w.H; k++) sum += w.w_hh[l][k];
        for (int k = 0; k < w.G * w.H; k++) sum += w.b_ih[l][k] + w.b_hh[l][k];
    }
    if (w.has_head) {
        FUZZ_REQUIRE(w.head_w && w.head_b && w.O >= 1);
        for (int k = 0; k < w.O * w.H; k++) sum += w.head_w[k];
        for (int k = 0; k < w.O; k++) sum += w.head_b[k];
    }
    (void)sum;

    /* the configuration main builds from a file: cell, H, L from its shapes */
    SimConfig cfg;
    sim_config_default(&cfg);
    cfg.cells = 1u << w.cell;
    cfg.hidden = w.H;
    cfg.layers = w.L;
    cfg.seq_len = 8;
    cfg.weights = &w;
    GfError cerr = {0};
    int crc = sim_config_check(&cfg, &cerr);
    FUZZ_REQUIRE(crc == 0 || (crc < 0 && cerr.msg[0] != '\0'));
    /* a small accepted file also runs: the loaded weights through forward and BPTT */
    if (crc == 0 && w.H <= 16 && (!w.has_head || w.O <= 16)) {
        Sim sim;
        sim_init(&sim);
        cfg.batch = 2;
        if (w.has_run) cfg.task = w.task;
        if (w.has_nonlin) cfg.nonlinearity = w.nonlin;
        if (sim_config_check(&cfg, &cerr) == 0) {
            int src = sim_run(&sim, &cfg, &cerr);
            FUZZ_REQUIRE(src == 0 || (src < 0 && cerr.msg[0] != '\0'));
        }
        sim_free(&sim);
    }
    weights_free(&w);
    FUZZ_REQUIRE(w.block == NULL);
    return 0;
}
