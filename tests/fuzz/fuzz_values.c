/* fuzz_values.c - libFuzzer target: the command line's value parsers (whole numbers, numbers,
 * seeds, cell lists such as rnn,lstm, sizes WxH, the layer, the words) through the table of
 * options, one option at a time.
 *
 * The first byte picks the option, the rest is the value. Each must either be refused with a
 * message or give a value in its documented range that the text really says: a seed has no minus
 * sign anywhere, a number read back from its digits is the same, a cell list names only known
 * cells. */
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

static const char *const options[] = {"--hidden", "--weight-scale", "--seed", "--cell", "--size", "--layer",
                                      "--task", "--init", "--nonlinearity", "--theme", "--view",
                                      "--forget-bias", "--seq-len", "--lesson", "--lr", "--steps"};
#define N_OPTIONS (sizeof options / sizeof *options)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) return 0;
    char *v = malloc(size); /* (size) the value, NUL-terminated at its first NUL or its end */
    if (!v) return 0;
    memcpy(v, data + 1, size - 1);
    v[size - 1] = '\0';
    const char *opt = options[data[0] % N_OPTIONS];
    char *argv[] = {(char *)"gradflow", (char *)"export", (char *)"-o", (char *)"x.png", (char *)opt, v, NULL};
    CliArgs a;
    GfError err = {0};
    if (cli_parse(&a, 6, argv, &err)) {
        FUZZ_REQUIRE(err.msg[0] != '\0');
        free(v);
        return 0;
    }
    const SimConfig *c = &a.ui.sim;
    if (!strcmp(opt, "--hidden")) {
        FUZZ_REQUIRE(c->hidden >= GF_HIDDEN_MIN && c->hidden <= GF_HIDDEN_MAX);
        FUZZ_REQUIRE(strtol(v, NULL, 10) == c->hidden);
    } else if (!strcmp(opt, "--weight-scale")) {
        FUZZ_REQUIRE(isfinite(c->weight_scale) && c->weight_scale >= 0.0 && c->weight_scale <= GF_WEIGHT_SCALE_MAX);
        FUZZ_REQUIRE(strtod(v, NULL) == c->weight_scale);
    } else if (!strcmp(opt, "--seed")) {
        /* a seed is a count: no sign may have been wrapped into a huge number */
        FUZZ_REQUIRE(strchr(v, '-') == NULL);
        FUZZ_REQUIRE(strtoull(v, NULL, 10) == c->seed);
    } else if (!strcmp(opt, "--cell")) {
        FUZZ_REQUIRE(c->cells != 0 && (c->cells & ~GF_CELLS_ALL) == 0);
    } else if (!strcmp(opt, "--size")) {
        FUZZ_REQUIRE(a.ui.width >= GF_SIZE_W_MIN && a.ui.width <= GF_SIZE_W_MAX);
        FUZZ_REQUIRE(a.ui.height >= GF_SIZE_H_MIN && a.ui.height <= GF_SIZE_H_MAX);
    }
    FUZZ_REQUIRE(a.ui.layer_pick >= 0 && a.ui.layer_pick <= GF_LAYERS_MAX);
    FUZZ_REQUIRE(a.ui.view >= UI_VIEW_GRADIENTS && a.ui.view <= UI_VIEW_TRAINING);
    FUZZ_REQUIRE(isnan(c->forget_bias) || fabs(c->forget_bias) <= GF_FORGET_BIAS_MAX);
    FUZZ_REQUIRE(c->seq_len >= GF_SEQ_LEN_MIN && c->seq_len <= GF_SEQ_LEN_MAX);
    FUZZ_REQUIRE(a.train.optim.lr > 0 && a.steps >= 0);
    free(v);
    return 0;
}
