/* main.c - the gradflow command line: cli.c parses the options into CliArgs, and main dispatches
 * to the window, the PNG export, the CSV data, the run file, the benchmark or training. Every error is one
 * line on stderr naming the problem and what is accepted, and exit status 2. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "bench_train.h"
#include "cli.h"
#include "core/gf_error.h"
#include "core/sim.h"
#include "core/weights.h"
#include "gf_config.h"
#include "output.h"
#include "platform.h"
#include "train_cmd.h"

/* ---- errors ------------------------------------------------------------------------------- */

/* The one line on stderr: control characters a path or value may carry (a newline in a file
 * name) are shown as '?', so the message stays one line. */
static void print_error_(const char *msg)
{
    char line[GF_ERROR_MSG_LEN];
    size_t n = 0;
    for (; msg[n] && n + 1 < sizeof line; n++)
        line[n] = ((unsigned char)msg[n] < 0x20 || msg[n] == 0x7f) ? '?' : msg[n];
    line[n] = '\0';
    fprintf(stderr, "gradflow: %s\n", line);
}

/* The command line as one string, for metadata. */
static char *join_args_(int argc, char **argv)
{
    size_t n = 1;
    for (int i = 0; i < argc; i++) n += strlen(argv[i]) + 3;
    char *s = malloc(n);
    if (!s) return NULL;
    s[0] = '\0';
    for (int i = 0; i < argc; i++) {
        int quote = strchr(argv[i], ' ') != NULL;
        if (i) strcat(s, " ");
        if (quote) strcat(s, "'");
        strcat(s, argv[i]);
        if (quote) strcat(s, "'");
    }
    return s;
}

/* Puts prefix before err's message (cut to fit). */
static int prefix_error_(GfError *err, const char *prefix, int rc)
{
    char msg[GF_ERROR_MSG_LEN];
    memcpy(msg, err->msg, sizeof msg);
    size_t n = strlen(prefix);
    if (n >= sizeof err->msg) n = sizeof err->msg - 1;
    memcpy(err->msg, prefix, n);
    size_t room = sizeof err->msg - n - 1, m = strlen(msg);
    if (m > room) m = room;
    memcpy(err->msg + n, msg, m);
    err->msg[n + m] = '\0';
    return rc;
}

/* Loads --weights and fills in what the file decides and the command line left open. */
static int load_weights_(CliArgs *cli, GfWeights *w, GfError *err)
{
    uint8_t *buf = NULL;
    size_t len = 0;
    int rc = platform_read_file(cli->weights, &buf, &len, err);
    if (rc) return prefix_error_(err, "--weights: ", rc);
    rc = weights_parse(w, buf, len, err);
    free(buf);
    if (rc) return prefix_error_(err, "--weights: ", rc);
    if (!(cli->given & CLI_GIVEN_CELL)) cli->ui.sim.cells = 1u << w->cell;
    if (!(cli->given & CLI_GIVEN_HIDDEN)) cli->ui.sim.hidden = w->H;
    if (!(cli->given & CLI_GIVEN_LAYERS)) cli->ui.sim.layers = w->L;
    if (!(cli->given & CLI_GIVEN_NONLIN) && w->has_nonlin) cli->ui.sim.nonlinearity = w->nonlin;
    if (w->has_run) { /* a run file: the same sequence, unless the command line says otherwise */
        if (!(cli->given & CLI_GIVEN_TASK)) cli->ui.sim.task = w->task;
        if (!(cli->given & CLI_GIVEN_SEQ)) cli->ui.sim.seq_len = w->seq_len;
        if (!(cli->given & CLI_GIVEN_BATCH)) cli->ui.sim.batch = w->batch;
        if (!(cli->given & CLI_GIVEN_SEED)) cli->ui.sim.seed = w->seed;
    }
    cli->ui.sim.weights = w;
    return GF_OK;
}

/* ---- modes --------------------------------------------------------------------------------- */

/* The memory a mode needs: the run (sim_config_memory) and what it builds in memory to write (the
 * CSV, the run file, the picture and its PNG), under the one cap. (train checks its own.) */
static int check_mode_memory_(const CliArgs *cli, const char *command_line, GfError *err)
{
    const SimConfig *cfg = &cli->ui.sim;
    size_t run = sim_config_memory(cfg), out = 0;
    const char *what = "output";
    if (cli->mode == CLI_DATA) {
        out = output_csv_bytes(cfg), what = "CSV";
    } else if (cli->mode == CLI_RUN) {
        GfCell cell = cfg->cells == 2u ? GF_CELL_LSTM : cfg->cells == 4u ? GF_CELL_GRU : GF_CELL_RNN;
        out = output_run_file_bytes(cfg, cell, command_line ? strlen(command_line) : 0), what = "run file";
    } else if (cli->mode == CLI_EXPORT) {
        size_t w = cli->ui.width ? (size_t)cli->ui.width : GF_SIZE_W_DEFAULT;
        size_t h = cli->ui.height ? (size_t)cli->ui.height : GF_SIZE_H_DEFAULT;
        out = 4 * (w * h * 4) + (cli->ui.csv_path ? output_csv_bytes(cfg) : 0), what = "picture";
    }
    if (run + out <= GF_MEMORY_CAP) return GF_OK;
    return gf_error_set(err, GF_ERR_TOOBIG, "this %s needs %.1f GiB (%.1f GiB for the run, %.1f GiB for the %s "
                        "it writes), over the %.0f GiB limit: make seq-len, batch, hidden or layers smaller",
                        cli_mode_name(cli->mode), (double)(run + out) / (1u << 30), (double)run / (1u << 30),
                        (double)out / (1u << 30), what, (double)GF_MEMORY_CAP / (1u << 30));
}

static int write_output_(const char *path, const void *data, size_t len, GfError *err)
{
    if (!strcmp(path, "-")) {
        if (fwrite(data, 1, len, stdout) != len || fflush(stdout) != 0)
            return gf_error_set(err, GF_ERR_IO, "cannot write to standard output");
        return GF_OK;
    }
    return platform_write_atomic(path, data, len, err);
}

static int mode_data_(CliArgs *cli, GfError *err)
{
    Sim sim;
    sim_init(&sim);
    char *text = NULL;
    size_t len = 0;
    cli->ui.sim.want_spectra = 0;
    int rc = sim_run(&sim, &cli->ui.sim, err);
    if (!rc) rc = output_csv(&sim, &text, &len, err);
    if (!rc) rc = write_output_(cli->out, text, len, err);
    free(text);
    sim_free(&sim);
    return rc;
}

static int mode_run_(CliArgs *cli, const char *command_line, GfError *err)
{
    unsigned cells = cli->ui.sim.cells;
    if (!(cli->given & CLI_GIVEN_CELL) && !cli->weights)
        return gf_error_set(err, GF_ERR_RANGE, "run needs --cell rnn, lstm or gru (one run file holds one cell)");
    if (cells != 1u && cells != 2u && cells != 4u)
        return gf_error_set(err, GF_ERR_RANGE, "run writes one cell: --cell rnn, lstm or gru, not a list or all");
    GfCell cell = cells == 1u ? GF_CELL_RNN : cells == 2u ? GF_CELL_LSTM : GF_CELL_GRU;
    Sim sim;
    sim_init(&sim);
    uint8_t *bytes = NULL;
    size_t len = 0;
    cli->ui.sim.want_param_grads = 1;
    cli->ui.sim.want_spectra = 0;
    int rc = sim_run(&sim, &cli->ui.sim, err);
    if (!rc) rc = output_run_file(&sim, cell, command_line, &bytes, &len, err);
    if (!rc) rc = platform_write_atomic(cli->out, bytes, len, err);
    free(bytes);
    sim_free(&sim);
    return rc;
}

static int mode_window_or_export_(CliArgs *cli, const char *command_line, GfError *err)
{
#if GF_WITH_UI
    UiOptions opt = cli->ui;
    opt.command_line = command_line;
    opt.train_set = 1; /* the training view starts from train's options */
    opt.optim = cli->train.optim;
    opt.clip = cli->train.clip;
    opt.train_steps = cli->steps;
    if (cli->mode == CLI_EXPORT) {
        int rc = opt.csv_path ? platform_check_output_dir(opt.csv_path, err) : GF_OK;
        if (rc) return rc;
        if (opt.width == 0) opt.width = GF_SIZE_W_DEFAULT, opt.height = GF_SIZE_H_DEFAULT;
        return ui_export(&opt, cli->out, err);
    }
    return ui_window_run(&opt, err);
#else
    (void)command_line;
    return gf_error_set(err, GF_ERR_RANGE, "this gradflow was built without SDL2, so it has no %s: install libsdl2-dev, "
                 "libsdl2-ttf-dev and libsdl2-image-dev and rebuild, or use gradflow data",
                 cli->mode == CLI_EXPORT ? "PNG export" : "window");
#endif
}

/* bench --train: train's optimizer, learning rate and clip; --batch 32, --seq-len 150 unless given */
static int mode_bench_train_(CliArgs *cli, GfError *err)
{
    if (cli->bench.ui || cli->bench.sweep || cli->bench.full || cli->bench.factors)
        return gf_error_set(err, GF_ERR_RANGE, "--train times training steps at one size: --%s is for the other bench modes",
                     cli->bench.ui ? "ui" : cli->bench.sweep ? "sweep" : cli->bench.full ? "full" : "factors");
    TrainConfig tc = cli->train;
    tc.sim = cli->ui.sim;
    if (!(cli->given & CLI_GIVEN_BATCH)) tc.sim.batch = GF_TRAIN_BATCH_DEFAULT;
    if (!(cli->given & CLI_GIVEN_SEQ)) tc.sim.seq_len = 150;
    return bench_train(&tc, cli->bench.repeat, cli->bench.csv, err);
}

static int mode_train_(CliArgs *cli, const char *command_line, GfError *err)
{
    TrainJob job;
    memset(&job, 0, sizeof job);
    job.cfg = cli->train;
    job.cfg.sim = cli->ui.sim;
    job.steps = cli->steps ? cli->steps : GF_TRAIN_STEPS_DEFAULT;
    job.csv_path = cli->train_csv;
    job.out_path = cli->out;
    job.record = cli->record;
    job.command_line = command_line;
    return train_job_run(&job, err);
}

/* --help: the text cli.c writes from its table of options. */
static int print_help_(void)
{
    size_t n = cli_format_help(NULL, 0) + 1;
    char *text = malloc(n);
    if (!text) {
        print_error_("out of memory");
        return 2;
    }
    cli_format_help(text, n);
    fputs(text, stdout);
    free(text);
    return 0;
}

int main(int argc, char **argv)
{
    CliArgs cli;
    GfError err = {0};
    GfWeights weights;
    memset(&weights, 0, sizeof weights);
    int rc = cli_parse(&cli, argc, argv, &err);
    if (rc) {
        print_error_(err.msg);
        return 2;
    }
    if (cli.help) return print_help_();
    if (cli.version) {
        printf("gradflow %s\n", GF_VERSION);
        return 0;
    }
    CliMode mode = cli.mode;
    if ((mode == CLI_EXPORT || mode == CLI_DATA || mode == CLI_RUN) && !cli.out) {
        static const char *const ext[CLI_NUM_MODES] = {"", "png|.svg|.pdf", "csv", "safetensors", ""};
        fprintf(stderr, "gradflow: %s needs -o FILE.%s%s\n", cli_mode_name(mode), ext[mode],
                mode == CLI_DATA ? " (or -o - for standard output)" : "");
        return 2;
    }
    if (mode == CLI_TRAIN && !cli.train_csv) {
        fprintf(stderr, "gradflow: train needs --csv FILE.csv (every step's loss; -o FILE.safetensors "
                "adds one cell's weights)\n");
        return 2;
    }
    if ((mode == CLI_EXPORT || mode == CLI_RUN || mode == CLI_TRAIN) && cli.out && !strcmp(cli.out, "-")) {
        fprintf(stderr, "gradflow: %s writes a %s file: give -o a file name ('-o -', standard output, "
                "is for data)\n", cli_mode_name(mode), mode == CLI_EXPORT ? "picture" : "safetensors");
        return 2;
    }
    if (mode == CLI_EXPORT && cli_export_format(cli.out) < 0) {
        fprintf(stderr, "gradflow: -o '%.300s': " CLI_EXPORT_FORMATS_MSG "\n", cli.out);
        return 2;
    }
    if (mode == CLI_TRAIN && cli.out && platform_same_file(cli.out, cli.train_csv)) {
        gf_error_set(&err, GF_ERR_RANGE, "-o and --csv name the same file '%.300s': give each its own name", cli.train_csv);
        print_error_(err.msg);
        return 2;
    }
    if (mode == CLI_EXPORT && cli.ui.csv_path && platform_same_file(cli.out, cli.ui.csv_path)) {
        gf_error_set(&err, GF_ERR_RANGE, "-o and --csv name the same file '%.300s': give the CSV its own name", cli.ui.csv_path);
        print_error_(err.msg);
        return 2;
    }
    char *command_line = join_args_(argc, argv);
    if (cli.out && strcmp(cli.out, "-") != 0) rc = platform_check_output_dir(cli.out, &err);
    if (!rc && cli.train_csv) rc = platform_check_output_dir(cli.train_csv, &err);
    if (!rc && cli.weights) rc = load_weights_(&cli, &weights, &err);
    if (!rc && cli.weights) cli.ui.weights_path = cli.weights;
    if (mode == CLI_RUN) cli.ui.sim.want_param_grads = 1; /* the run file holds them */
    if (!rc) rc = sim_config_check(&cli.ui.sim, &err);
    if (!rc && mode != CLI_TRAIN) rc = check_mode_memory_(&cli, command_line, &err);
    if (!rc && cli.ui.layer_pick > cli.ui.sim.layers) /* a --weights file may have set the layers */
        rc = gf_error_set(&err, GF_ERR_RANGE, "--layer %d is out of range: accepted 0 to %d (--layers %d) or all",
                   cli.ui.layer_pick - 1, cli.ui.sim.layers - 1, cli.ui.sim.layers);
    if (!rc) {
        switch (mode) {
        case CLI_DATA: rc = mode_data_(&cli, &err); break;
        case CLI_RUN: rc = mode_run_(&cli, command_line, &err); break;
        case CLI_BENCH:
            rc = cli.bench.train ? mode_bench_train_(&cli, &err)
                 : cli.bench.ui  ? bench_window(&cli.ui, &cli.bench, &err)
                                 : bench_run(&cli.ui.sim, &cli.bench, &err);
            break;
        case CLI_TRAIN: rc = mode_train_(&cli, command_line, &err); break;
        case CLI_WINDOW:
        case CLI_EXPORT: rc = mode_window_or_export_(&cli, command_line, &err); break;
        case CLI_NUM_MODES: break;
        }
    }
    free(command_line);
    weights_free(&weights);
    if (rc) {
        print_error_(err.msg[0] ? err.msg : gf_strerror(rc));
        return 2;
    }
    return 0;
}
