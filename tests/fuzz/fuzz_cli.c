/* fuzz_cli.c - libFuzzer target: gradflow's command-line parser (cli_parse, the table of options)
 * and the check main runs before it acts (sim_config_check), with nothing run.
 *
 * An input is split at its NUL bytes into arguments after "gradflow". Checks: every refusal has
 * its one-line message, and an accepted command line has every value in its documented range. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "core/gf_limits.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_REQUIRE(cond) \
    do {                   \
        if (!(cond)) abort(); \
    } while (0)

#define FUZZ_MAX_ARGS 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* arguments: "gradflow", then the input's NUL-separated pieces (an exact-size copy, so
       ASan sees any read past an argument's end) */
    char *copy = malloc(size + 1); /* (size + 1) */
    if (!copy) return 0;
    memcpy(copy, data, size);
    copy[size] = '\0';
    char *argv[FUZZ_MAX_ARGS + 2];
    int argc = 0;
    argv[argc++] = (char *)"gradflow";
    for (size_t at = 0; at <= size && argc < FUZZ_MAX_ARGS + 1;) {
        argv[argc++] = copy + at;
        at += strlen(copy + at) + 1;
    }
    argv[argc] = NULL;

    CliArgs a;
    GfError err = {0};
    int rc = cli_parse(&a, argc, argv, &err);
    if (!rc) rc = sim_config_check(&a.ui.sim, &err);
    if (rc) {
        FUZZ_REQUIRE(err.msg[0] != '\0');
        free(copy);
        return 0;
    }
    const SimConfig *c = &a.ui.sim;
    FUZZ_REQUIRE(c->cells != 0 && (c->cells & ~GF_CELLS_ALL) == 0);
    FUZZ_REQUIRE(c->seq_len >= GF_SEQ_LEN_MIN && c->seq_len <= GF_SEQ_LEN_MAX);
    FUZZ_REQUIRE(c->hidden >= GF_HIDDEN_MIN && c->hidden <= GF_HIDDEN_MAX);
    FUZZ_REQUIRE(c->layers >= GF_LAYERS_MIN && c->layers <= GF_LAYERS_MAX);
    FUZZ_REQUIRE(c->batch >= GF_BATCH_MIN && c->batch <= GF_BATCH_MAX);
    FUZZ_REQUIRE(c->weight_scale >= 0.0 && c->weight_scale <= GF_WEIGHT_SCALE_MAX);
    FUZZ_REQUIRE(isnan(c->forget_bias) || fabs(c->forget_bias) <= GF_FORGET_BIAS_MAX);
    FUZZ_REQUIRE(a.ui.layer_pick >= 0 && a.ui.layer_pick <= GF_LAYERS_MAX);
    FUZZ_REQUIRE(a.ui.width == 0 || (a.ui.width >= GF_SIZE_W_MIN && a.ui.width <= GF_SIZE_W_MAX));
    FUZZ_REQUIRE(a.ui.height == 0 || (a.ui.height >= GF_SIZE_H_MIN && a.ui.height <= GF_SIZE_H_MAX));
    FUZZ_REQUIRE(!a.out || a.out[0] != '\0');
    FUZZ_REQUIRE(a.train.optim.lr > 0 && a.train.clip >= 0 && a.steps >= 0);
    free(copy);
    return 0;
}
