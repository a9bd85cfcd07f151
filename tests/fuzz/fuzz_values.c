/* fuzz_values.c - libFuzzer target: the command line's value parsers (whole numbers, numbers,
 * seeds, cell lists such as rnn,lstm, sizes WxH, the layer) called directly.
 *
 * The first byte picks the parser, the rest is the value. Each parser must either refuse with a
 * message or return a value in its documented range that the text really says: a seed has no minus
 * sign anywhere, a number read back from its digits is the same, a cell list names only known
 * cells. main.c is compiled in with its main renamed so the parsers are the program's own. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int gradflow_main_(int argc, char **argv);
#define main gradflow_main_
#include "main.c"
#undef main

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_REQUIRE(cond) \
    do {                   \
        if (!(cond)) abort(); \
    } while (0)

/* A parser's verdict: refused with a message, or accepted. */
static int refused_(int rc, const GfError *err)
{
    if (rc) FUZZ_REQUIRE(err->msg[0] != '\0');
    return rc != 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) return 0;
    char *v = malloc(size); /* (size) the value, NUL-terminated at its first NUL or its end */
    if (!v) return 0;
    memcpy(v, data + 1, size - 1);
    v[size - 1] = '\0';
    GfError err = {0};
    switch (data[0] % 6) {
    case 0: {
        int x = 0;
        if (!refused_(parse_int_("--hidden", v, GF_HIDDEN_MIN, GF_HIDDEN_MAX, &x, &err), &err)) {
            FUZZ_REQUIRE(x >= GF_HIDDEN_MIN && x <= GF_HIDDEN_MAX);
            FUZZ_REQUIRE(strtol(v, NULL, 10) == x);
        }
        break;
    }
    case 1: {
        double x = 0;
        if (!refused_(parse_double_("--weight-scale", v, 0.0, GF_WEIGHT_SCALE_MAX, &x, &err), &err)) {
            FUZZ_REQUIRE(isfinite(x) && x >= 0.0 && x <= GF_WEIGHT_SCALE_MAX);
            FUZZ_REQUIRE(strtod(v, NULL) == x);
        }
        break;
    }
    case 2: {
        uint64_t x = 0;
        if (!refused_(parse_seed_(v, &x, &err), &err)) {
            /* a seed is a count: no sign may have been wrapped into a huge number */
            FUZZ_REQUIRE(strchr(v, '-') == NULL);
            FUZZ_REQUIRE(strtoull(v, NULL, 10) == x);
        }
        break;
    }
    case 3: {
        unsigned mask = 0;
        if (!refused_(parse_cells_(v, &mask, &err), &err))
            FUZZ_REQUIRE(mask != 0 && (mask & ~GF_CELLS_ALL) == 0);
        break;
    }
    case 4: {
        int w = 0, h = 0;
        if (!refused_(parse_size_(v, &w, &h, &err), &err))
            FUZZ_REQUIRE(w >= 960 && w <= 7680 && h >= 540 && h <= 4320);
        break;
    }
    default: {
        /* --layer and the other options that take words, through the option table */
        Cli cli;
        memset(&cli, 0, sizeof cli);
        sim_config_default(&cli.cfg);
        cli.mode = MODE_EXPORT;
        cli.layer = -1;
        static const char *const opts[] = {"--layer", "--task", "--init", "--nonlinearity",
                                           "--theme", "--view", "--forget-bias", "--seq-len"};
        const char *opt = opts[(data[0] / 6) % 8];
        if (!refused_(apply_option_(&cli, opt, v, &err), &err)) {
            FUZZ_REQUIRE(cli.layer >= -1 && cli.layer < GF_LAYERS_MAX);
            FUZZ_REQUIRE(cli.theme == 0 || cli.theme == 1);
            FUZZ_REQUIRE(cli.view >= 0 && cli.view <= 2);
            FUZZ_REQUIRE(isnan(cli.cfg.forget_bias) || fabs(cli.cfg.forget_bias) <= GF_FORGET_BIAS_MAX);
            FUZZ_REQUIRE(cli.cfg.seq_len >= GF_SEQ_LEN_MIN && cli.cfg.seq_len <= GF_SEQ_LEN_MAX);
        }
        break;
    }
    }
    free(v);
    return 0;
}
