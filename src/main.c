/* main.c - the gradflow command line: parses options into a SimConfig and dispatches to the
 * window, the PNG export, the CSV data, the run file or the benchmark. Every error is one line on
 * stderr naming the problem and what is accepted, and exit status 2. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/gf_error.h"
#include "core/sim.h"
#include "core/weights.h"
#include "gf_config.h"
#include "output.h"
#include "platform.h"
#include "train_cmd.h"
#if defined(GF_WITH_UI)
#include "ui/ui.h"
#endif

typedef enum { MODE_WINDOW, MODE_EXPORT, MODE_DATA, MODE_RUN, MODE_BENCH, MODE_TRAIN } Mode;

static const char *const mode_names[] = {"window", "export", "data", "run", "bench", "train"};

/* train's defaults: enough for the adding problem at T = 150 (the LSTM and GRU learn it, the RNN
 * stays at the baseline) in a few minutes on one core */
#define TRAIN_STEPS 2000
#define TRAIN_BATCH 32
#define TRAIN_HIDDEN 32
#define TRAIN_LR 0.01
#define TRAIN_CLIP 1.0

/* Options given explicitly, so a --weights file may fill in the rest. */
enum { SET_CELL = 1, SET_HIDDEN = 2, SET_LAYERS = 4, SET_NONLIN = 8, SET_TASK = 16, SET_SEQ = 32,
       SET_BATCH = 64, SET_SEED = 128 };

typedef struct Cli {
    Mode mode;               /* what to do */
    SimConfig cfg;           /* the simulation's options */
    unsigned set;            /* SET_* bits of options given on the command line */
    const char *out;         /* -o FILE */
    const char *weights;     /* --weights FILE */
    const char *csv;         /* export --csv FILE */
    int width, height;       /* --size WxH (0: the mode's default) */
    int theme;               /* 0 light, 1 dark */
    int view;                /* 0 gradients, 1 states, 2 anatomy, 3 training */
    int layer;               /* --layer: the layer drawn, -1 for every layer (the default) */
    int plot_only;           /* export --plot-only */
    int bench_csv;           /* bench --csv */
    int bench_sweep;         /* bench --sweep */
    int bench_full;          /* bench --full: with parameter gradients */
    int repeat;              /* bench --repeat N */
    int bench_ui;            /* bench --ui: frame times of the window while dragging */
    int frames;              /* bench --ui --frames N */
    TrainConfig train;       /* train: optimizer, learning rate, momentum, clip (sim is cfg) */
    long steps;              /* train --steps N */
    int record;              /* train --record */
    int help, version;
} Cli;

static const char usage_text[] =
    "gradflow " GF_VERSION " - see the vanishing gradient: per-step ||dL/dh_t|| of an RNN, an LSTM and a GRU\n"
    "\n"
    "Usage:\n"
    "  gradflow [OPTIONS]                                  open the window\n"
    "  gradflow export -o FILE.png [--size WxH] [--theme light|dark]\n"
    "                  [--view gradients|states|anatomy|training] [--plot-only] [--csv FILE.csv] [OPTIONS]\n"
    "                                                      render the window's view to PNG (no display needed)\n"
    "  gradflow data -o FILE.csv [OPTIONS]                 per-step gradient norms as CSV ('-o -' = stdout)\n"
    "  gradflow run -o FILE.safetensors --cell C [OPTIONS] one whole run, to reproduce in PyTorch\n"
    "  gradflow bench [--csv] [--sweep] [--full] [--repeat N] [OPTIONS]\n"
    "                                                      time forward + backprop through time per cell\n"
    "  gradflow bench --ui [--frames N] [--size WxH] [OPTIONS]\n"
    "                                                      frame times of the window while the weight\n"
    "                                                      scale is dragged (needs a display)\n"
    "  gradflow train --csv FILE.csv [-o FILE.safetensors] [--record] [--steps N]\n"
    "                 [--optimizer sgd|rmsprop|adam] [--lr X] [--momentum X] [--clip X] [OPTIONS]\n"
    "                                                      train the cells on the task, every step's loss\n"
    "                                                      to CSV; -o: one cell's weights for PyTorch\n"
    "  gradflow --help | --version\n";

/* the options, apart: C11 promises string literals of 4095 characters only */
static const char usage_options[] =
    "\n"
    "Options (every mode; the window starts from them):\n"
    "  --cell rnn|lstm|gru|all     cells to run, or a list such as rnn,lstm (default all)\n"
    "  --task adding|recall|copy   adding: sum of two marked values (MSE; I=2, O=1); recall:\n"
    "                              the symbol shown at t=0 (cross-entropy; I=9, O=8); copy: 10\n"
    "                              symbols of 8, T-1 blanks, a delimiter, 10 blanks, the symbols\n"
    "                              repeated in the last 10 steps (cross-entropy at every one of\n"
    "                              the T+20 steps; I=10, O=9) (default adding)\n"
    "  --seq-len T                 sequence length, 1 to 100000 (adding needs 2) (default 200)\n"
    "  --hidden H                  hidden size, 1 to 1024 (default 64)\n"
    "  --layers L                  stacked layers, 1 to 8 (default 1)\n"
    "  --batch B                   sequences per batch, 1 to 1024 (default 1)\n"
    "  --weight-scale S            multiplies every weight_hh, 0 to 100 (default 1)\n"
    "  --init pytorch|orthogonal|identity\n"
    "                              pytorch: U(-1/sqrt(H), 1/sqrt(H)); orthogonal or identity\n"
    "                              weight_hh blocks with zero biases (default pytorch)\n"
    "  --forget-bias F             LSTM forget-gate bias, -100 to 100 (default: as initialised)\n"
    "  --nonlinearity tanh|relu    the RNN's nonlinearity (default tanh)\n"
    "  --seed N                    seeds weights and data, 0 to 18446744073709551615 (default 1)\n"
    "  --weights FILE.safetensors  a PyTorch state_dict of nn.RNN/nn.LSTM/nn.GRU (F32 or F64,\n"
    "                              weight_ih_l0 ...; optional head.weight, head.bias); cell,\n"
    "                              hidden and layers are read from it unless given\n"
    "  --theme light|dark          colours (default light, for projectors)\n"
    "  --view gradients|states|anatomy|training\n"
    "                              what the window or export shows first (default gradients);\n"
    "                              export --view training trains --steps N first (default 300;\n"
    "                              batch 32, --optimizer, --lr, --clip as for train)\n"
    "  --layer N|all               the layer drawn, 0 (next to the input) to L-1, or all\n"
    "                              (default all; the legend then speaks of the top layer)\n"
    "  --size WxH                  export size in pixels, 960x540 to 7680x4320 (default 1920x1080);\n"
    "                              the window's initial size\n"
    "\n"
    "export only:\n"
    "  --plot-only                 the plot without the control panel (for slides)\n"
    "  --csv FILE.csv              also write the data behind the picture (the format of data)\n"
    "bench only:\n"
    "  --csv                       CSV rows cell,layers,hidden,seq_len,batch,ms_median,gflops\n"
    "  --sweep                     hidden 32, 64, 128 x seq-len 100, 1000, 10000\n"
    "  --full                      also the parameter gradients (as run computes them)\n"
    "  --repeat N                  runs per median, 1 to 1000 (default: about half a second's worth)\n"
    "train only (train's own defaults: --batch 32 --hidden 32):\n"
    "  --csv FILE.csv              every step's loss: cell,step,loss,grad_norm,clipped[,accuracy]\n"
    "  -o FILE.safetensors         one cell's final and initial weights, losses, gradient norms\n"
    "  --record                    with -o: every step's batch too, so PyTorch can replay the run\n"
    "  --steps N                   training steps, 1 to 10000000 (default 2000)\n"
    "  --optimizer sgd|rmsprop|adam  torch.optim's rules and defaults (default adam)\n"
    "  --lr X                      learning rate, above 0 to 10 (default 0.01)\n"
    "  --momentum X                sgd and rmsprop momentum, 0 to 0.999 (default 0)\n"
    "  --clip X                    clip_grad_norm_ threshold over every parameter, 0 = off\n"
    "                              (default 1)\n"
    "  --ui                        time the window instead, dragging the weight scale\n"
    "  --frames N                  frames for --ui, 10 to 100000 (default 300)\n"
    "\n"
    "Exit status: 0 on success, 2 on any error (one line on stderr says what and what is accepted).\n";

/* ---- errors ------------------------------------------------------------------------------- */

static int fail_(GfError *err, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

static int fail_(GfError *err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    err->code = GF_ERR_RANGE;
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    return -1;
}

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

/* ---- value parsers: the whole string must be a number in range ---------------------------- */

static int parse_int_(const char *opt, const char *v, long lo, long hi, int *out, GfError *err)
{
    char *end;
    errno = 0;
    long x = strtol(v, &end, 10);
    if (!*v || *end) return fail_(err, "%s '%s' is not a whole number: accepted %ld to %ld", opt, v, lo, hi);
    if (errno == ERANGE) return fail_(err, "%s %s is out of range: accepted %ld to %ld", opt, v, lo, hi);
    if (x < lo || x > hi) return fail_(err, "%s %ld is out of range: accepted %ld to %ld", opt, x, lo, hi);
    *out = (int)x;
    return 0;
}

static int parse_double_(const char *opt, const char *v, double lo, double hi, double *out, GfError *err)
{
    char *end;
    errno = 0;
    double x = strtod(v, &end);
    if (errno == ERANGE && fabs(x) < 1.0) errno = 0; /* underflow: a tiny number is still one */
    if (!*v || *end || isnan(x))
        return fail_(err, "%s '%s' is not a number: accepted %g to %g", opt, v, lo, hi);
    if (errno == ERANGE || isinf(x))
        return fail_(err, "%s %s is out of range: accepted %g to %g", opt, v, lo, hi);
    if (x < lo || x > hi) return fail_(err, "%s %g is out of range: accepted %g to %g", opt, x, lo, hi);
    *out = x;
    return 0;
}

static int parse_seed_(const char *v, uint64_t *out, GfError *err)
{
    char *end;
    errno = 0;
    if (*v == '-' && v[1] >= '0' && v[1] <= '9')
        return fail_(err, "--seed %s is out of range: accepted 0 to 18446744073709551615", v);
    if (!*v || *v == '-' || *v == '+' || *v == ' ')
        return fail_(err, "--seed '%s' is not a whole number: accepted 0 to 18446744073709551615", v);
    unsigned long long x = strtoull(v, &end, 10);
    if (*end) return fail_(err, "--seed '%s' is not a whole number: accepted 0 to 18446744073709551615", v);
    if (errno == ERANGE) return fail_(err, "--seed %s is out of range: accepted 0 to 18446744073709551615", v);
    *out = (uint64_t)x;
    return 0;
}

static int parse_cells_(const char *v, unsigned *out, GfError *err)
{
    if (strcmp(v, "all") == 0) {
        *out = GF_CELLS_ALL;
        return 0;
    }
    unsigned mask = 0;
    const char *p = v;
    for (;;) {
        const char *comma = strchr(p, ',');
        size_t n = comma ? (size_t)(comma - p) : strlen(p);
        char word[16];
        GfCell c;
        if (n == 0 || n >= sizeof word) return fail_(err, "--cell '%s' is not known: accepted rnn, lstm, gru, all, or a list such as rnn,lstm", v);
        memcpy(word, p, n);
        word[n] = '\0';
        if (gf_cell_parse(word, &c) != 0)
            return fail_(err, "--cell '%s' is not known: accepted rnn, lstm, gru, all, or a list such as rnn,lstm", v);
        mask |= 1u << c;
        if (!comma) break;
        p = comma + 1;
    }
    *out = mask;
    return 0;
}

static int parse_size_(const char *v, int *w, int *h, GfError *err)
{
    const char *x = strchr(v, 'x');
    if (!x) x = strchr(v, 'X');
    char wbuf[16], hbuf[16];
    size_t nw = x ? (size_t)(x - v) : 0;
    if (!x || nw == 0 || nw >= sizeof wbuf || strlen(x + 1) == 0 || strlen(x + 1) >= sizeof hbuf)
        return fail_(err, "--size '%s' is not WIDTHxHEIGHT: accepted 960x540 to 7680x4320, e.g. 1920x1080", v);
    memcpy(wbuf, v, nw);
    wbuf[nw] = '\0';
    strcpy(hbuf, x + 1);
    char *end;
    long a = strtol(wbuf, &end, 10);
    int ok = *end == '\0' && wbuf[0] >= '0' && wbuf[0] <= '9';
    long b = strtol(hbuf, &end, 10);
    ok = ok && *end == '\0' && hbuf[0] >= '0' && hbuf[0] <= '9';
    if (!ok) return fail_(err, "--size '%s' is not WIDTHxHEIGHT: accepted 960x540 to 7680x4320, e.g. 1920x1080", v);
    if (a < 960 || a > 7680 || b < 540 || b > 4320)
        return fail_(err, "--size %ldx%ld is out of range: accepted 960x540 to 7680x4320", a, b);
    *w = (int)a;
    *h = (int)b;
    return 0;
}

/* ---- the command line ---------------------------------------------------------------------- */

static int takes_value_(const Cli *cli, const char *name)
{
    static const char *const with_value[] = {"--cell", "--task", "--seq-len", "--hidden", "--layers",
                                             "--batch", "--weight-scale", "--init", "--forget-bias",
                                             "--nonlinearity", "--seed", "--weights", "-o", "--output",
                                             "--size", "--theme", "--view", "--layer", "--repeat", "--frames",
                                             "--steps", "--optimizer", "--lr", "--momentum", "--clip"};
    for (size_t i = 0; i < sizeof with_value / sizeof *with_value; i++)
        if (strcmp(name, with_value[i]) == 0) return 1;
    /* --csv takes a file in export, and is a flag in bench */
    return strcmp(name, "--csv") == 0 && cli->mode != MODE_BENCH;
}

/* Options that only some modes accept. */
static int check_mode_(const Cli *cli, const char *name, GfError *err)
{
    Mode m = cli->mode;
    const char *mn = mode_names[m];
    if ((!strcmp(name, "-o") || !strcmp(name, "--output")) &&
        !(m == MODE_EXPORT || m == MODE_DATA || m == MODE_RUN || m == MODE_TRAIN))
        return fail_(err, "%s is for export, data, run and train, not %s", name, m == MODE_WINDOW ? "the window" : mn);
    if (!strcmp(name, "--record") && m != MODE_TRAIN) return fail_(err, "%s is for train only", name);
    /* the training view trains too: the window starts from them, export trains that far first */
    if ((!strcmp(name, "--steps") || !strcmp(name, "--optimizer") || !strcmp(name, "--lr") ||
         !strcmp(name, "--momentum") || !strcmp(name, "--clip")) &&
        !(m == MODE_TRAIN || m == MODE_EXPORT || m == MODE_WINDOW))
        return fail_(err, "%s is for train, export --view training and the window", name);
    if ((!strcmp(name, "--plot-only")) && m != MODE_EXPORT)
        return fail_(err, "--plot-only is for export only");
    if (!strcmp(name, "--csv") && !(m == MODE_EXPORT || m == MODE_BENCH || m == MODE_TRAIN))
        return fail_(err, "--csv is for export (the data beside the PNG), bench (CSV rows) and train (the "
                     "losses); %s writes %s",
                     m == MODE_DATA ? "data" : mn, m == MODE_DATA ? "CSV already" : "no CSV");
    if ((!strcmp(name, "--sweep") || !strcmp(name, "--full") || !strcmp(name, "--repeat") ||
         !strcmp(name, "--ui") || !strcmp(name, "--frames")) && m != MODE_BENCH)
        return fail_(err, "%s is for bench only", name);
    if ((!strcmp(name, "--theme") || !strcmp(name, "--view") || !strcmp(name, "--layer")) &&
        !(m == MODE_EXPORT || m == MODE_WINDOW || m == MODE_BENCH))
        return fail_(err, "%s is for the window and export, not %s, which draws nothing", name, mn);
    if (!strcmp(name, "--size") && !(m == MODE_EXPORT || m == MODE_WINDOW || m == MODE_BENCH))
        return fail_(err, "--size is for export, the window and bench --ui, not %s", mn);
    return 0;
}

static int apply_option_(Cli *cli, const char *name, const char *v, GfError *err)
{
    SimConfig *c = &cli->cfg;
    if (check_mode_(cli, name, err)) return -1;
    if (!strcmp(name, "--cell")) {
        cli->set |= SET_CELL;
        return parse_cells_(v, &c->cells, err);
    }
    if (!strcmp(name, "--task")) {
        cli->set |= SET_TASK;
        if (gf_task_parse(v, &c->task)) return fail_(err, "--task '%s' is not known: accepted adding, recall, copy", v);
        return 0;
    }
    if (!strcmp(name, "--seq-len")) cli->set |= SET_SEQ;
    if (!strcmp(name, "--batch")) cli->set |= SET_BATCH;
    if (!strcmp(name, "--seed")) cli->set |= SET_SEED;
    if (!strcmp(name, "--seq-len")) return parse_int_(name, v, GF_SEQ_LEN_MIN, GF_SEQ_LEN_MAX, &c->seq_len, err);
    if (!strcmp(name, "--hidden")) {
        cli->set |= SET_HIDDEN;
        return parse_int_(name, v, GF_HIDDEN_MIN, GF_HIDDEN_MAX, &c->hidden, err);
    }
    if (!strcmp(name, "--layers")) {
        cli->set |= SET_LAYERS;
        return parse_int_(name, v, GF_LAYERS_MIN, GF_LAYERS_MAX, &c->layers, err);
    }
    if (!strcmp(name, "--batch")) return parse_int_(name, v, GF_BATCH_MIN, GF_BATCH_MAX, &c->batch, err);
    if (!strcmp(name, "--weight-scale")) return parse_double_(name, v, 0.0, GF_WEIGHT_SCALE_MAX, &c->weight_scale, err);
    if (!strcmp(name, "--forget-bias"))
        return parse_double_(name, v, -GF_FORGET_BIAS_MAX, GF_FORGET_BIAS_MAX, &c->forget_bias, err);
    if (!strcmp(name, "--init")) {
        if (gf_init_parse(v, &c->init)) return fail_(err, "--init '%s' is not known: accepted pytorch, orthogonal, identity", v);
        return 0;
    }
    if (!strcmp(name, "--nonlinearity")) {
        cli->set |= SET_NONLIN;
        if (gf_nonlin_parse(v, &c->nonlinearity)) return fail_(err, "--nonlinearity '%s' is not known: accepted tanh, relu", v);
        return 0;
    }
    if (!strcmp(name, "--seed")) return parse_seed_(v, &c->seed, err);
    if (!strcmp(name, "--weights")) {
        cli->weights = v;
        return 0;
    }
    if (!strcmp(name, "-o") || !strcmp(name, "--output")) {
        if (!*v) return fail_(err, "%s needs a file name", name);
        cli->out = v;
        return 0;
    }
    if (!strcmp(name, "--size")) return parse_size_(v, &cli->width, &cli->height, err);
    if (!strcmp(name, "--theme")) {
        if (!strcmp(v, "light")) cli->theme = 0;
        else if (!strcmp(v, "dark")) cli->theme = 1;
        else return fail_(err, "--theme '%s' is not known: accepted light, dark", v);
        return 0;
    }
    if (!strcmp(name, "--view")) {
        if (!strcmp(v, "gradients")) cli->view = 0;
        else if (!strcmp(v, "states")) cli->view = 1;
        else if (!strcmp(v, "anatomy")) cli->view = 2;
        else if (!strcmp(v, "training")) cli->view = 3;
        else return fail_(err, "--view '%s' is not known: accepted gradients, states, anatomy, training", v);
        return 0;
    }
    if (!strcmp(name, "--layer")) {
        if (!strcmp(v, "all")) {
            cli->layer = -1;
            return 0;
        }
        char *end;
        errno = 0;
        long x = strtol(v, &end, 10);
        if (!*v || *end || errno == ERANGE || x < 0 || x > GF_LAYERS_MAX - 1)
            return fail_(err, "--layer '%s' is not a layer: accepted 0 to L-1 (L from --layers, at most %d) or all",
                         v, GF_LAYERS_MAX - 1);
        cli->layer = (int)x; /* checked against --layers once the configuration is known */
        return 0;
    }
    if (!strcmp(name, "--csv")) {
        if (cli->mode == MODE_BENCH) cli->bench_csv = 1;
        else if (!*v) return fail_(err, "--csv needs a file name");
        else cli->csv = v;
        return 0;
    }
    if (!strcmp(name, "--repeat")) return parse_int_(name, v, 1, 1000, &cli->repeat, err);
    if (!strcmp(name, "--steps")) {
        int n;
        if (parse_int_(name, v, 1, 10000000, &n, err)) return -1;
        cli->steps = n;
        return 0;
    }
    if (!strcmp(name, "--optimizer")) {
        GfOptimizer k;
        if (gf_optimizer_parse(v, &k)) return fail_(err, "--optimizer '%s' is not known: accepted sgd, rmsprop, adam", v);
        double lr = cli->train.optim.lr, mu = cli->train.optim.momentum;
        optim_config_default(&cli->train.optim, k, lr);
        cli->train.optim.momentum = mu;
        return 0;
    }
    if (!strcmp(name, "--lr")) return parse_double_(name, v, 1e-12, 10.0, &cli->train.optim.lr, err);
    if (!strcmp(name, "--momentum")) return parse_double_(name, v, 0.0, 0.999, &cli->train.optim.momentum, err);
    if (!strcmp(name, "--clip")) return parse_double_(name, v, 0.0, 1e6, &cli->train.clip, err);
    if (!strcmp(name, "--record")) {
        cli->record = 1;
        return 0;
    }
    if (!strcmp(name, "--frames")) return parse_int_(name, v, 10, 100000, &cli->frames, err);
    if (!strcmp(name, "--ui")) {
        cli->bench_ui = 1;
        return 0;
    }
    if (!strcmp(name, "--plot-only")) cli->plot_only = 1;
    else if (!strcmp(name, "--sweep")) cli->bench_sweep = 1;
    else if (!strcmp(name, "--full")) cli->bench_full = 1;
    else if (!strcmp(name, "--help") || !strcmp(name, "-h")) cli->help = 1;
    else if (!strcmp(name, "--version")) cli->version = 1;
    else return fail_(err, "unknown option '%s': see gradflow --help", name);
    return 0;
}

static int parse_cli_(Cli *cli, int argc, char **argv, GfError *err)
{
    memset(cli, 0, sizeof *cli);
    sim_config_default(&cli->cfg);
    cli->repeat = 0;
    cli->layer = -1;
    int i = 1;
    if (argc > 1 && argv[1][0] != '-') {
        int found = 0;
        for (int m = MODE_EXPORT; m <= MODE_TRAIN; m++)
            if (!strcmp(argv[1], mode_names[m])) cli->mode = (Mode)m, found = 1;
        if (!found)
            return fail_(err, "unknown command '%s': accepted export, data, run, bench, train (or options "
                         "only, for the window); see gradflow --help", argv[1]);
        i = 2;
    }
    if (cli->mode == MODE_TRAIN) {
        cli->cfg.batch = TRAIN_BATCH;
        cli->cfg.hidden = TRAIN_HIDDEN;
        cli->steps = TRAIN_STEPS;
    }
    cli->train.clip = TRAIN_CLIP; /* train's, the window's and the training view's */
    optim_config_default(&cli->train.optim, GF_OPT_ADAM, TRAIN_LR);
    for (; i < argc; i++) {
        const char *arg = argv[i];
        if (arg[0] != '-' || !arg[1])
            return fail_(err, "unexpected argument '%s': options start with --, see gradflow --help", arg);
        char name[64];
        const char *value = NULL;
        const char *eq = strchr(arg, '=');
        if (eq && !strncmp(arg, "--", 2)) {
            size_t n = (size_t)(eq - arg);
            if (n >= sizeof name) return fail_(err, "unknown option '%.40s...': see gradflow --help", arg);
            memcpy(name, arg, n);
            name[n] = '\0';
            value = eq + 1;
        } else {
            if (strlen(arg) >= sizeof name) return fail_(err, "unknown option '%.40s...': see gradflow --help", arg);
            strcpy(name, arg);
        }
        if (takes_value_(cli, name)) {
            if (!value) {
                if (i + 1 >= argc) return fail_(err, "%s needs a value: see gradflow --help", name);
                value = argv[++i];
            }
        } else if (value) {
            return fail_(err, "%s takes no value", name);
        }
        if (apply_option_(cli, name, value ? value : "", err)) return -1;
    }
    return 0;
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
static int load_weights_(Cli *cli, GfWeights *w, GfError *err)
{
    uint8_t *buf = NULL;
    size_t len = 0;
    int rc = platform_read_file(cli->weights, &buf, &len, err);
    if (rc) return prefix_error_(err, "--weights: ", rc);
    rc = weights_parse(w, buf, len, err);
    free(buf);
    if (rc) return prefix_error_(err, "--weights: ", rc);
    if (!(cli->set & SET_CELL)) cli->cfg.cells = 1u << w->cell;
    if (!(cli->set & SET_HIDDEN)) cli->cfg.hidden = w->H;
    if (!(cli->set & SET_LAYERS)) cli->cfg.layers = w->L;
    if (!(cli->set & SET_NONLIN) && w->has_nonlin) cli->cfg.nonlinearity = w->nonlin;
    if (w->has_run) { /* a run file: the same sequence, unless the command line says otherwise */
        if (!(cli->set & SET_TASK)) cli->cfg.task = w->task;
        if (!(cli->set & SET_SEQ)) cli->cfg.seq_len = w->seq_len;
        if (!(cli->set & SET_BATCH)) cli->cfg.batch = w->batch;
        if (!(cli->set & SET_SEED)) cli->cfg.seed = w->seed;
    }
    cli->cfg.weights = w;
    return GF_OK;
}

/* ---- modes --------------------------------------------------------------------------------- */

static int write_output_(const char *path, const void *data, size_t len, GfError *err)
{
    if (!strcmp(path, "-")) {
        if (fwrite(data, 1, len, stdout) != len || fflush(stdout) != 0)
            return gf_error_set(err, GF_ERR_IO, "cannot write to standard output");
        return GF_OK;
    }
    return platform_write_atomic(path, data, len, err);
}

static int mode_data_(Cli *cli, GfError *err)
{
    Sim sim;
    sim_init(&sim);
    char *text = NULL;
    size_t len = 0;
    cli->cfg.want_spectra = 0;
    int rc = sim_run(&sim, &cli->cfg, err);
    if (!rc) rc = output_csv(&sim, &text, &len, err);
    if (!rc) rc = write_output_(cli->out, text, len, err);
    free(text);
    sim_free(&sim);
    return rc;
}

static int mode_run_(Cli *cli, const char *command_line, GfError *err)
{
    unsigned cells = cli->cfg.cells;
    if (!(cli->set & SET_CELL) && !cli->weights)
        return fail_(err, "run needs --cell rnn, lstm or gru (one run file holds one cell)");
    if (cells != 1u && cells != 2u && cells != 4u)
        return fail_(err, "run writes one cell: --cell rnn, lstm or gru, not a list or all");
    GfCell cell = cells == 1u ? GF_CELL_RNN : cells == 2u ? GF_CELL_LSTM : GF_CELL_GRU;
    Sim sim;
    sim_init(&sim);
    uint8_t *bytes = NULL;
    size_t len = 0;
    cli->cfg.want_param_grads = 1;
    cli->cfg.want_spectra = 0;
    int rc = sim_run(&sim, &cli->cfg, err);
    if (!rc) rc = output_run_file(&sim, cell, command_line, &bytes, &len, err);
    if (!rc) rc = platform_write_atomic(cli->out, bytes, len, err);
    free(bytes);
    sim_free(&sim);
    return rc;
}

static int cmp_double_(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Floating-point operations of one forward + BPTT, as the README states them: per layer, step
 * and sequence, 2 G H (I_l + H) forward (input and recurrent products), 2 G H H backward through
 * the recurrence, and 2 G H I_l for the input gradient of layers above the first (and of the
 * first with --full, which also counts 2 G H (I_l + H) for the parameter gradients).
 * Elementwise work is not counted. */
static double flops_(const SimConfig *cfg, GfCell cell, int full)
{
    double G = gf_cell_gates(cell), H = cfg->hidden, I = gf_task_inputs(cfg->task), total = 0;
    for (int l = 0; l < cfg->layers; l++) {
        double in = l == 0 ? I : H;
        double f = 2 * G * H * (in + H) + 2 * G * H * H;
        if (l > 0 || full) f += 2 * G * H * in;
        if (full) f += 2 * G * H * (in + H);
        total += f;
    }
    return total * cfg->seq_len * cfg->batch;
}

static int bench_one_(const SimConfig *base, unsigned cells, int repeat, int full, int csv, GfError *err)
{
    SimConfig cfg = *base;
    cfg.cells = cells;
    cfg.want_param_grads = full;
    cfg.want_spectra = 0;
    Sim sim;
    sim_init(&sim);
    int rc = sim_run(&sim, &cfg, err); /* warm-up: allocation and page faults */
    if (rc) {
        sim_free(&sim);
        return rc;
    }
    if (repeat <= 0) {
        /* about half a second of timing, between 5 and 51 runs */
        double t0 = platform_now_ms();
        sim_run(&sim, &cfg, err);
        double once = platform_now_ms() - t0;
        repeat = once > 0 ? (int)(500.0 / once) : 51;
        repeat = repeat < 5 ? 5 : repeat > 51 ? 51 : repeat;
    }
    double *ms = malloc(sizeof(double) * (size_t)repeat);
    if (!ms) {
        sim_free(&sim);
        return gf_error_set(err, GF_ERR_NOMEM, "out of memory");
    }
    for (int i = 0; i < repeat && !rc; i++) {
        double t0 = platform_now_ms();
        rc = sim_run(&sim, &cfg, err);
        ms[i] = platform_now_ms() - t0;
    }
    if (!rc) {
        qsort(ms, (size_t)repeat, sizeof *ms, cmp_double_);
        double med = repeat % 2 ? ms[repeat / 2] : 0.5 * (ms[repeat / 2 - 1] + ms[repeat / 2]);
        double fl = 0;
        for (int c = 0; c < GF_NUM_CELLS; c++)
            if (cells & (1u << c)) fl += flops_(&cfg, (GfCell)c, full);
        const char *name = cells == GF_CELLS_ALL ? "all" : gf_cell_name(cells == 1u ? GF_CELL_RNN : cells == 2u ? GF_CELL_LSTM : GF_CELL_GRU);
        if (csv)
            printf("%s,%d,%d,%d,%d,%.4f,%.3f\n", name, cfg.layers, cfg.hidden, cfg.seq_len, cfg.batch, med,
                   fl / (med * 1e6));
        else /* the fastest run too: on a shared machine the median carries the neighbours' load */
            printf("%-5s %6d %6d %8d %5d %11.3f %8.3f %9.2f %6d\n", name, cfg.layers, cfg.hidden, cfg.seq_len,
                   cfg.batch, med, ms[0], fl / (med * 1e6), repeat);
        fflush(stdout);
    }
    free(ms);
    sim_free(&sim);
    return rc;
}

static int mode_bench_(Cli *cli, GfError *err)
{
    static const int sweep_h[] = {32, 64, 128}, sweep_t[] = {100, 1000, 10000};
    int rc = sim_config_check(&cli->cfg, err);
    if (rc) return rc;
    if (cli->bench_csv)
        printf("cell,layers,hidden,seq_len,batch,ms_median,gflops\n");
    else
        printf("%-5s %6s %6s %8s %5s %11s %8s %9s %6s\n", "cell", "layers", "hidden", "seq_len", "batch",
               "ms_median", "ms_min", "GFLOP/s", "runs");
    int nh = cli->bench_sweep ? 3 : 1, nt = cli->bench_sweep ? 3 : 1;
    for (int a = 0; a < nh && !rc; a++)
        for (int b = 0; b < nt && !rc; b++) {
            SimConfig cfg = cli->cfg;
            if (cli->bench_sweep) cfg.hidden = sweep_h[a], cfg.seq_len = sweep_t[b];
            for (int c = 0; c < GF_NUM_CELLS && !rc; c++)
                if (cfg.cells & (1u << c)) rc = bench_one_(&cfg, 1u << c, cli->repeat, cli->bench_full, cli->bench_csv, err);
            if (!rc && cfg.cells == GF_CELLS_ALL)
                rc = bench_one_(&cfg, GF_CELLS_ALL, cli->repeat, cli->bench_full, cli->bench_csv, err);
        }
    return rc;
}

static int mode_train_(Cli *cli, const char *command_line, GfError *err)
{
    TrainJob job;
    memset(&job, 0, sizeof job);
    job.cfg = cli->train;
    job.cfg.sim = cli->cfg;
    job.steps = cli->steps;
    job.csv_path = cli->csv;
    job.out_path = cli->out;
    job.record = cli->record;
    job.command_line = command_line;
    return train_job_run(&job, err);
}

#if defined(GF_WITH_UI)
static void ui_options_(const Cli *cli, UiOptions *opt, const char *command_line)
{
    memset(opt, 0, sizeof *opt);
    opt->sim = cli->cfg;
    opt->theme = cli->theme ? UI_THEME_DARK : UI_THEME_LIGHT;
    opt->view = cli->view == 1 ? UI_VIEW_STATES : cli->view == 2 ? UI_VIEW_ANATOMY
              : cli->view == 3 ? UI_VIEW_TRAINING : UI_VIEW_GRADIENTS;
    opt->train_set = 1;
    opt->optim = cli->train.optim;
    opt->clip = cli->train.clip;
    opt->train_steps = cli->steps;
    opt->layer_pick = cli->layer + 1; /* 0: every layer */
    opt->width = cli->width;
    opt->height = cli->height;
    opt->plot_only = cli->plot_only;
    opt->csv_path = cli->csv;
    opt->command_line = command_line;
}
#endif

static int mode_bench_ui_(Cli *cli, GfError *err)
{
#if defined(GF_WITH_UI)
    UiOptions opt;
    ui_options_(cli, &opt, NULL);
    if (cli->width == 0) opt.width = 1920, opt.height = 1080;
    UiBenchResult r;
    int rc = ui_bench(&opt, cli->frames ? cli->frames : 300, &r, err);
    if (rc) return rc;
    printf("window %dx%d, weight scale dragged over %d frames (T=%d, H=%d, L=%d):\n", r.width, r.height,
           r.frames, cli->cfg.seq_len, cli->cfg.hidden, cli->cfg.layers);
    printf("  %.1f frames/s, %.2f ms per frame (longest %.2f ms), %.2f ms of it drawing, "
           "%.1f new pictures/s\n", r.fps, r.ms_frame_mean, r.ms_frame_max, r.ms_draw_mean, r.results_per_s);
    return GF_OK;
#else
    (void)cli;
    return fail_(err, "this gradflow was built without SDL2, so bench --ui has no window to time");
#endif
}

static int mode_window_or_export_(Cli *cli, const char *command_line, GfError *err)
{
#if defined(GF_WITH_UI)
    UiOptions opt;
    ui_options_(cli, &opt, command_line);
    if (cli->mode == MODE_EXPORT) {
        if (cli->csv && platform_check_output_dir(cli->csv, err)) return -1;
        if (cli->width == 0) opt.width = 1920, opt.height = 1080;
        return ui_export(&opt, cli->out, err);
    }
    return ui_window_run(&opt, err);
#else
    (void)command_line;
    return fail_(err, "this gradflow was built without SDL2, so it has no %s: install libsdl2-dev, "
                 "libsdl2-ttf-dev and libsdl2-image-dev and rebuild, or use gradflow data",
                 cli->mode == MODE_EXPORT ? "PNG export" : "window");
#endif
}

int main(int argc, char **argv)
{
    Cli cli;
    GfError err = {0};
    GfWeights weights;
    memset(&weights, 0, sizeof weights);
    int rc = parse_cli_(&cli, argc, argv, &err);
    if (rc) {
        print_error_(err.msg);
        return 2;
    }
    if (cli.help) {
        fputs(usage_text, stdout);
        fputs(usage_options, stdout);
        return 0;
    }
    if (cli.version) {
        printf("gradflow %s\n", GF_VERSION);
        return 0;
    }
    if ((cli.mode == MODE_EXPORT || cli.mode == MODE_DATA || cli.mode == MODE_RUN) && !cli.out) {
        static const char *const ext[] = {"", "png", "csv", "safetensors", ""};
        fprintf(stderr, "gradflow: %s needs -o FILE.%s%s\n", mode_names[cli.mode], ext[cli.mode],
                cli.mode == MODE_DATA ? " (or -o - for standard output)" : "");
        return 2;
    }
    if (cli.mode == MODE_TRAIN && !cli.csv) {
        fprintf(stderr, "gradflow: train needs --csv FILE.csv (every step's loss; -o FILE.safetensors "
                "adds the weights for one cell)\n");
        return 2;
    }
    if (cli.mode == MODE_TRAIN && cli.out && platform_same_file(cli.out, cli.csv)) {
        fail_(&err, "-o and --csv name the same file '%.300s': give each its own name", cli.csv);
        print_error_(err.msg);
        return 2;
    }
    if ((cli.mode == MODE_EXPORT || cli.mode == MODE_RUN || cli.mode == MODE_TRAIN) && cli.out &&
        !strcmp(cli.out, "-")) {
        fprintf(stderr, "gradflow: %s writes a %s file: give -o a file name ('-o -', standard output, "
                "is for data)\n", mode_names[cli.mode], cli.mode == MODE_EXPORT ? "PNG" : "safetensors");
        return 2;
    }
    if (cli.mode == MODE_EXPORT && cli.csv && platform_same_file(cli.out, cli.csv)) {
        fail_(&err, "-o and --csv name the same file '%.300s': give the CSV its own name", cli.csv);
        print_error_(err.msg);
        return 2;
    }
    char *command_line = join_args_(argc, argv);
    if (cli.out && strcmp(cli.out, "-") != 0) rc = platform_check_output_dir(cli.out, &err);
    if (!rc && cli.mode == MODE_TRAIN) rc = platform_check_output_dir(cli.csv, &err);
    if (!rc && cli.weights) rc = load_weights_(&cli, &weights, &err);
    if (!rc) rc = sim_config_check(&cli.cfg, &err);
    if (!rc && cli.layer >= cli.cfg.layers) /* a --weights file may have set the layers */
        rc = fail_(&err, "--layer %d is out of range: accepted 0 to %d (--layers %d) or all", cli.layer,
                   cli.cfg.layers - 1, cli.cfg.layers);
    if (!rc) {
        switch (cli.mode) {
        case MODE_DATA: rc = mode_data_(&cli, &err); break;
        case MODE_RUN: rc = mode_run_(&cli, command_line, &err); break;
        case MODE_BENCH: rc = cli.bench_ui ? mode_bench_ui_(&cli, &err) : mode_bench_(&cli, &err); break;
        case MODE_TRAIN: rc = mode_train_(&cli, command_line, &err); break;
        case MODE_WINDOW:
        case MODE_EXPORT: rc = mode_window_or_export_(&cli, command_line, &err); break;
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
