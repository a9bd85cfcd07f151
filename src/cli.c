/* cli.c - gradflow's options as one table, and the parser, --help, README table and equivalent
 * command line that read it. A row says an option's name, the kind of value it takes and its
 * range, the modes that take it, what --help and the README say of it, and the field it sets. */
#include "cli.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/gf_limits.h"
#include "gf_config.h"
#include "lessons.h"

/* ---- the table ------------------------------------------------------------------------------ */

typedef enum {
    OPT_FLAG,  /* no value: sets an int to 1 */
    OPT_INT,   /* a whole number in [lo, hi] (int) */
    OPT_REAL,  /* a number in [lo, hi] (double) */
    OPT_SEED,  /* a whole number in [0, 2^64 - 1], digits only (uint64_t) */
    OPT_WORD,  /* one of words[] (int: its index; the enum of the field) */
    OPT_CELLS, /* rnn, lstm, gru, all, or a list (unsigned: 1u << GfCell bits) */
    OPT_SIZE,  /* WxH in GF_SIZE_* (int width at field, int height at field2) */
    OPT_LAYER, /* 0 to GF_LAYERS_MAX - 1 or all (int: 0 all, k + 1 layer k) */
    OPT_FILE,  /* a file name (const char *); lo = 1: an empty name is refused */
    OPT_LESSON,/* a lesson's name (int: its index); applied before every other option */
} OptKind;

enum {
    M_WINDOW = 1u << CLI_WINDOW, M_EXPORT = 1u << CLI_EXPORT, M_DATA = 1u << CLI_DATA,
    M_RUN = 1u << CLI_RUN, M_BENCH = 1u << CLI_BENCH, M_TRAIN = 1u << CLI_TRAIN,
    M_ALL = M_WINDOW | M_EXPORT | M_DATA | M_RUN | M_BENCH | M_TRAIN,
    M_DRAWN = M_WINDOW | M_EXPORT | M_BENCH, /* bench --ui draws the window */
};

/* What the equivalent command line (cli_format_command) writes of an option. */
enum { ECHO_NEVER, ECHO_ALWAYS, ECHO_CHANGED /* only when it is not the default */ };

typedef struct Option {
    const char *name;         /* "--seq-len" */
    const char *alias;        /* another spelling ("-o" for --output), or NULL */
    OptKind kind;             /* the value it takes */
    const char *arg;          /* the value's placeholder in --help and the README ("T") */
    double lo, hi;            /* accepted range (OPT_INT, OPT_REAL; OPT_FILE: see above) */
    const char *const *words; /* OPT_WORD: the accepted words, NULL-terminated */
    unsigned modes;           /* M_* modes that take it */
    size_t field, field2;     /* offsetof(CliArgs, ...) of what it sets */
    unsigned given;           /* CLI_GIVEN_* bit recorded when given */
    const char *dflt;         /* the default as --help and the README state it, or NULL */
    const char *help;         /* what it does (NULL: only in the usage lines above the table) */
    const char *refused;      /* the message in another mode: %o the option as typed, %m the mode,
                                 %w the mode or "the window", %c what the mode writes of CSV */
    int echo;                 /* ECHO_*: in the window's equivalent command line */
} Option;

static const char *const task_words[] = {"adding", "recall", "copy", NULL};
static const char *const optimizer_words[] = {"sgd", "rmsprop", "adam", NULL};
static const char *const init_words[] = {"pytorch", "orthogonal", "identity", NULL};
static const char *const nonlin_words[] = {"tanh", "relu", NULL};
static const char *const theme_words[] = {"light", "dark", NULL};
static const char *const view_words[] = {"gradients", "states", "anatomy", "training", NULL};

#define F(member) offsetof(CliArgs, member)
#define TEXT_(x) #x
#define TEXT(x) TEXT_(x) /* a macro's value as a string literal */
#define DRAWN_ONLY "%o is for the window and export, not %m, which draws nothing"
#define BENCH_ONLY "%o is for bench only"
#define TRAIN_ONLY "%o is for train only"
#define TRAINING "%o is for train, export --view training and the window"
#define M_TRAINING (M_TRAIN | M_EXPORT | M_WINDOW) /* the training view trains too */
#define CSV_REFUSED "%o is for export (the data beside the PNG), bench (CSV rows) and train (the losses); %m writes %c"

/* In the order the equivalent command line writes them; --help lists the options of every mode
 * first, then those of the window and export, then each mode's own. */
static const Option options[] = {
    {.name = "--size", .kind = OPT_SIZE, .arg = "WxH", .modes = M_DRAWN, .field = F(ui.width),
     .field2 = F(ui.height), .dflt = TEXT(GF_SIZE_W_DEFAULT) "x" TEXT(GF_SIZE_H_DEFAULT),
     .help = "the export's size in pixels, and the window's first size",
     .refused = "%o is for export, the window and bench --ui, not %m", .echo = ECHO_ALWAYS},
    {.name = "--theme", .kind = OPT_WORD, .words = theme_words, .modes = M_DRAWN, .field = F(ui.theme),
     .dflt = "light", .help = "colours (light for projectors)", .refused = DRAWN_ONLY, .echo = ECHO_ALWAYS},
    {.name = "--view", .kind = OPT_WORD, .words = view_words, .modes = M_DRAWN, .field = F(ui.view),
     .dflt = "gradients", .help = "what the window or export shows first", .refused = DRAWN_ONLY,
     .echo = ECHO_CHANGED},
    {.name = "--plot-only", .kind = OPT_FLAG, .modes = M_EXPORT, .field = F(ui.plot_only),
     .help = "the plot without the control panel (for slides)", .refused = "%o is for export only",
     .echo = ECHO_CHANGED},
    {.name = "--text-scale", .kind = OPT_REAL, .arg = "X", .lo = UI_TEXT_SCALE_MIN, .hi = UI_TEXT_SCALE_MAX,
     .modes = M_DRAWN, .field = F(ui.text_scale), .dflt = "1",
     .help = "every text (title, caption, legend, ticks, panel, help) this many times its size; the window's "
             "Ctrl+ / Ctrl- change it", .refused = DRAWN_ONLY, .echo = ECHO_CHANGED},
    {.name = "--linear", .kind = OPT_FLAG, .modes = M_DRAWN, .field = F(ui.linear),
     .help = "a linear y axis instead of the log scale (the window's Y)", .refused = DRAWN_ONLY,
     .echo = ECHO_CHANGED},
    {.name = "--no-theory", .kind = OPT_FLAG, .modes = M_DRAWN, .field = F(ui.no_theory),
     .help = "without the theory lines and the vanishing / exploding shading (the window's O)",
     .refused = DRAWN_ONLY, .echo = ECHO_CHANGED},
    {.name = "--cell", .kind = OPT_CELLS, .modes = M_ALL, .field = F(ui.sim.cells), .given = CLI_GIVEN_CELL,
     .dflt = "all", .help = "cells to run, or a list such as rnn,lstm", .echo = ECHO_ALWAYS},
    {.name = "--task", .kind = OPT_WORD, .words = task_words, .modes = M_ALL, .field = F(ui.sim.task),
     .given = CLI_GIVEN_TASK, .dflt = "adding",
     .help = "adding: sum of two marked values (MSE; I=2, O=1); recall: the symbol shown at t=0 "
             "(cross-entropy; I=9, O=8); copy: 10 symbols of 8, T-1 blanks, a delimiter, 10 blanks, the "
             "symbols repeated in the last 10 of the T+20 steps (cross-entropy at every step; I=10, O=9)",
     .echo = ECHO_ALWAYS},
    {.name = "--lesson", .kind = OPT_LESSON, .arg = "NAME", .modes = M_ALL, .field = F(lesson),
     .help = "a lesson's configuration (and, for training lessons, its optimizer, learning rate, clip "
             "and steps); options given with it change it"},
    {.name = "--seq-len", .kind = OPT_INT, .arg = "T", .lo = GF_SEQ_LEN_MIN, .hi = GF_SEQ_LEN_MAX,
     .modes = M_ALL, .field = F(ui.sim.seq_len), .given = CLI_GIVEN_SEQ, .dflt = "200",
     .help = "sequence length (adding needs 2)", .echo = ECHO_ALWAYS},
    {.name = "--hidden", .kind = OPT_INT, .arg = "H", .lo = GF_HIDDEN_MIN, .hi = GF_HIDDEN_MAX,
     .modes = M_ALL, .field = F(ui.sim.hidden), .given = CLI_GIVEN_HIDDEN, .dflt = "64",
     .help = "hidden size", .echo = ECHO_ALWAYS},
    {.name = "--layers", .kind = OPT_INT, .arg = "L", .lo = GF_LAYERS_MIN, .hi = GF_LAYERS_MAX,
     .modes = M_ALL, .field = F(ui.sim.layers), .given = CLI_GIVEN_LAYERS, .dflt = "1",
     .help = "stacked layers", .echo = ECHO_ALWAYS},
    {.name = "--layer", .kind = OPT_LAYER, .arg = "N|all", .modes = M_DRAWN, .field = F(ui.layer_pick),
     .dflt = "all", .help = "the layer drawn, 0 next to the input; the legend's numbers and the bound follow it "
             "(with all, the top layer's)",
     .refused = DRAWN_ONLY, .echo = ECHO_CHANGED},
    {.name = "--batch", .kind = OPT_INT, .arg = "B", .lo = GF_BATCH_MIN, .hi = GF_BATCH_MAX, .modes = M_ALL,
     .field = F(ui.sim.batch), .given = CLI_GIVEN_BATCH, .dflt = "1", .help = "sequences per batch",
     .echo = ECHO_ALWAYS},
    {.name = "--weight-scale", .kind = OPT_REAL, .arg = "S", .lo = 0.0, .hi = GF_WEIGHT_SCALE_MAX,
     .modes = M_ALL, .field = F(ui.sim.weight_scale), .dflt = "1",
     .help = "multiplies every weight_hh after initialisation (or loading)", .echo = ECHO_ALWAYS},
    {.name = "--init", .kind = OPT_WORD, .words = init_words, .modes = M_ALL, .field = F(ui.sim.init),
     .dflt = "pytorch",
     .help = "pytorch: U(-1/sqrt(H), 1/sqrt(H)); orthogonal or identity weight_hh blocks with zero biases",
     .echo = ECHO_ALWAYS},
    {.name = "--forget-bias", .kind = OPT_REAL, .arg = "F", .lo = -GF_FORGET_BIAS_MAX, .hi = GF_FORGET_BIAS_MAX,
     .modes = M_ALL, .field = F(ui.sim.forget_bias), .dflt = "as initialised", .help = "LSTM forget-gate bias",
     .echo = ECHO_CHANGED},
    {.name = "--update-bias", .kind = OPT_REAL, .arg = "F", .lo = -GF_UPDATE_BIAS_MAX, .hi = GF_UPDATE_BIAS_MAX,
     .modes = M_ALL, .field = F(ui.sim.update_bias), .dflt = "as initialised",
     .help = "GRU update-gate (z) bias: bias_ih's z chunk = F, bias_hh's = 0; z near 1 keeps h_t-1",
     .echo = ECHO_CHANGED},
    {.name = "--nonlinearity", .kind = OPT_WORD, .words = nonlin_words, .modes = M_ALL,
     .field = F(ui.sim.nonlinearity), .given = CLI_GIVEN_NONLIN, .dflt = "tanh",
     .help = "the RNN's, as nn.RNN(nonlinearity=...)", .echo = ECHO_ALWAYS},
    {.name = "--bidirectional", .kind = OPT_FLAG, .modes = M_ALL, .field = F(ui.sim.bidirectional),
     .help = "a reverse direction per layer, as bidirectional=True; the head reads [h_n[-2], h_n[-1]]",
     .echo = ECHO_CHANGED},
    {.name = "--seed", .kind = OPT_SEED, .arg = "N", .modes = M_ALL, .field = F(ui.sim.seed),
     .given = CLI_GIVEN_SEED, .dflt = "1", .help = "seeds the weights and the data (separate streams)",
     .echo = ECHO_ALWAYS},
    {.name = "--weights", .kind = OPT_FILE, .arg = "FILE.safetensors", .modes = M_ALL, .field = F(weights),
     .help = "a PyTorch state_dict of nn.RNN/nn.LSTM/nn.GRU (F32 or F64, weight_ih_l0 ...; optional "
             "head.weight, head.bias); cell, hidden and layers are read from it unless given"},
    {.name = "--output", .alias = "-o", .kind = OPT_FILE, .arg = "FILE", .lo = 1,
     .modes = M_EXPORT | M_DATA | M_RUN | M_TRAIN, .field = F(out),
     .refused = "%o is for export, data, run and train, not %w"},
    {.name = "--csv", .kind = OPT_FILE, .arg = "FILE.csv", .lo = 1, .modes = M_EXPORT, .field = F(ui.csv_path),
     .help = "also write the data behind the picture (the CSV of gradflow data)", .refused = CSV_REFUSED},
    {.name = "--csv", .kind = OPT_FILE, .arg = "FILE.csv", .lo = 1, .modes = M_TRAIN, .field = F(train_csv),
     .help = "every step's loss: cell,step,loss,grad_norm,clipped (+ accuracy for recall and copy)",
     .refused = CSV_REFUSED},
    {.name = "--steps", .kind = OPT_INT, .arg = "N", .lo = 1, .hi = 10000000, .modes = M_TRAINING,
     .field = F(steps), .dflt = "3000; export --view training: 300",
     .help = "training steps (export --view training trains them before drawing)", .refused = TRAINING},
    {.name = "--optimizer", .kind = OPT_WORD, .words = optimizer_words, .modes = M_TRAINING,
     .field = F(train.optim.kind), .dflt = "adam",
     .help = "torch.optim's rules and defaults (RMSprop alpha 0.99, Adam betas 0.9, 0.999; eps 1e-8)",
     .refused = TRAINING},
    {.name = "--lr", .kind = OPT_REAL, .arg = "X", .lo = 1e-12, .hi = 10, .modes = M_TRAINING,
     .field = F(train.optim.lr), .dflt = "0.01", .help = "learning rate", .refused = TRAINING},
    {.name = "--momentum", .kind = OPT_REAL, .arg = "X", .lo = 0, .hi = 0.999, .modes = M_TRAINING,
     .field = F(train.optim.momentum), .dflt = "0", .help = "SGD's and RMSprop's momentum",
     .refused = TRAINING},
    {.name = "--clip", .kind = OPT_REAL, .arg = "X", .lo = 0, .hi = 1e6, .modes = M_TRAINING, .field = F(train.clip),
     .dflt = "1", .help = "clip_grad_norm_ threshold over every parameter, the head's included; 0 = off",
     .refused = TRAINING},
    {.name = "--record", .kind = OPT_FLAG, .modes = M_TRAIN, .field = F(record),
     .help = "with -o: every step's batch in the train file too, so PyTorch can replay the run",
     .refused = TRAIN_ONLY},
    {.name = "--csv", .kind = OPT_FLAG, .modes = M_BENCH, .field = F(bench.csv),
     .help = "CSV rows cell,layers,hidden,seq_len,batch,ms_median,gflops"},
    {.name = "--sweep", .kind = OPT_FLAG, .modes = M_BENCH, .field = F(bench.sweep),
     .help = "hidden 32, 64, 128 x seq-len 100, 1000, 10000", .refused = BENCH_ONLY},
    {.name = "--full", .kind = OPT_FLAG, .modes = M_BENCH, .field = F(bench.full),
     .help = "also the parameter gradients (as run computes them)", .refused = BENCH_ONLY},
    {.name = "--factors", .kind = OPT_FLAG, .modes = M_BENCH, .field = F(bench.factors),
     .help = "also the per-step factors the window's mechanism strip shows", .refused = BENCH_ONLY},
    {.name = "--repeat", .kind = OPT_INT, .arg = "N", .lo = GF_BENCH_REPEAT_MIN, .hi = GF_BENCH_REPEAT_MAX,
     .modes = M_BENCH, .field = F(bench.repeat), .dflt = "about half a second's worth",
     .help = "runs per median", .refused = BENCH_ONLY},
    {.name = "--ui", .kind = OPT_FLAG, .modes = M_BENCH, .field = F(bench.ui),
     .help = "time the window instead, dragging the weight scale", .refused = BENCH_ONLY},
    {.name = "--train", .kind = OPT_FLAG, .modes = M_BENCH, .field = F(bench.train),
     .help = "time training steps as train runs them (its optimizer, learning rate and clip; --batch 32 "
             "and --seq-len 150 unless given)", .refused = BENCH_ONLY},
    {.name = "--frames", .kind = OPT_INT, .arg = "N", .lo = GF_BENCH_FRAMES_MIN, .hi = GF_BENCH_FRAMES_MAX,
     .modes = M_BENCH, .field = F(bench.frames), .dflt = TEXT(GF_BENCH_FRAMES_DEFAULT), .help = "frames for --ui",
     .refused = BENCH_ONLY},
    {.name = "--help", .alias = "-h", .kind = OPT_FLAG, .modes = M_ALL, .field = F(help)},
    {.name = "--version", .kind = OPT_FLAG, .modes = M_ALL, .field = F(version)},
};

#define NUM_OPTIONS (sizeof options / sizeof *options)

_Static_assert(sizeof(GfTask) == sizeof(int) && sizeof(GfInit) == sizeof(int) &&
                   sizeof(GfNonlin) == sizeof(int) && sizeof(UiTheme) == sizeof(int) &&
                   sizeof(UiView) == sizeof(int) && sizeof(GfOptimizer) == sizeof(int),
               "an OPT_WORD field is stored as an int");

/* The modes: their names, and how a refusal names them. */
typedef struct ModeInfo {
    const char *name;     /* the command's first word ("window": none) */
    const char *as_place; /* %w: "the window", else the name */
    const char *csv;      /* %c: what it writes of CSV */
} ModeInfo;

static const ModeInfo modes[CLI_NUM_MODES] = {
    {"window", "the window", "no CSV"}, {"export", "export", "no CSV"}, {"data", "data", "CSV already"},
    {"run", "run", "no CSV"},           {"bench", "bench", "no CSV"}, {"train", "train", "the losses' CSV"},
};

int cli_export_format(const char *path)
{
    static const char *const ext[] = {[CLI_FORMAT_PNG] = ".png", [CLI_FORMAT_SVG] = ".svg", [CLI_FORMAT_PDF] = ".pdf"};
    size_t n = path ? strlen(path) : 0;
    if (n < 5 || path[n - 5] == '/') return -1; /* a name before the extension */
    for (int f = 0; f < 3; f++) {
        int same = 1;
        for (int i = 0; i < 4; i++) same &= tolower((unsigned char)path[n - 4 + i]) == ext[f][i];
        if (same) return f;
    }
    return -1;
}

const char *cli_mode_name(CliMode m) { return (unsigned)m < CLI_NUM_MODES ? modes[m].name : "?"; }

const char *cli_view_name(UiView v)
{
    return (unsigned)v < sizeof view_words / sizeof *view_words - 1 ? view_words[v] : view_words[0];
}

/* ---- errors --------------------------------------------------------------------------------- */

/* o's refusal in mode m, from its template (see Option.refused). */
static int refuse_(const Option *o, const char *typed, CliMode m, GfError *err)
{
    char msg[GF_ERROR_MSG_LEN];
    size_t n = 0;
    for (const char *p = o->refused ? o->refused : "%o is not for %m"; *p && n + 1 < sizeof msg; p++) {
        const char *put = NULL;
        if (p[0] == '%' && p[1]) {
            char c = *++p;
            put = c == 'o' ? typed : c == 'm' ? modes[m].name : c == 'w' ? modes[m].as_place
                : c == 'c' ? modes[m].csv : "%";
        }
        if (!put) {
            msg[n++] = *p;
            continue;
        }
        for (; *put && n + 1 < sizeof msg; put++) msg[n++] = *put;
    }
    msg[n] = '\0';
    return gf_error_set(err, GF_ERR_RANGE, "%s", msg);
}

/* ---- value parsers: the whole string must be a value in range -------------------------------- */

/* The spelling every numeric option is held to before strtol, strtoull or strtod read it (they
 * would skip leading white space, and strtoull would take "-1" or "\t-1" as 2^64 - 1): a digit
 * first, or a '-' then a digit where a sign is allowed (so "-5" reads as out of range, never as a
 * huge unsigned number), and for real numbers also a leading '.' and the words strtod knows (inf,
 * nan: refused by the checks after). */
static int number_spelling_ok_(const char *v, int signed_ok, int real)
{
    const char *p = v;
    if (signed_ok && *p == '-') p++;
    if (*p >= '0' && *p <= '9') return 1;
    return real && (*p == '.' || *p == 'i' || *p == 'I' || *p == 'n' || *p == 'N');
}

static int parse_int_(const char *opt, const char *v, long lo, long hi, int *out, GfError *err)
{
    char *end;
    errno = 0;
    long x = strtol(v, &end, 10);
    if (!number_spelling_ok_(v, 1, 0) || *end)
        return gf_error_set(err, GF_ERR_RANGE, "%s '%s' is not a whole number: accepted %ld to %ld", opt, v, lo, hi);
    if (errno == ERANGE) return gf_error_set(err, GF_ERR_RANGE, "%s %s is out of range: accepted %ld to %ld", opt, v, lo, hi);
    if (x < lo || x > hi) return gf_error_set(err, GF_ERR_RANGE, "%s %ld is out of range: accepted %ld to %ld", opt, x, lo, hi);
    *out = (int)x;
    return 0;
}

static int parse_real_(const char *opt, const char *v, double lo, double hi, double *out, GfError *err)
{
    char *end;
    errno = 0;
    double x = strtod(v, &end);
    if (errno == ERANGE && fabs(x) < 1.0) errno = 0; /* underflow: a tiny number is still one */
    if (!number_spelling_ok_(v, 1, 1) || *end || isnan(x))
        return gf_error_set(err, GF_ERR_RANGE, "%s '%s' is not a number: accepted %g to %g", opt, v, lo, hi);
    if (errno == ERANGE || isinf(x))
        return gf_error_set(err, GF_ERR_RANGE, "%s %s is out of range: accepted %g to %g", opt, v, lo, hi);
    if (x < lo || x > hi) return gf_error_set(err, GF_ERR_RANGE, "%s %g is out of range: accepted %g to %g", opt, x, lo, hi);
    *out = x;
    return 0;
}

/* Digits only: strtoull alone would skip leading white space and take a sign, so " -1" would
 * wrap around to 2^64 - 1. */
static int parse_seed_(const char *opt, const char *v, uint64_t *out, GfError *err)
{
    char *end;
    if (*v == '-' && v[1] >= '0' && v[1] <= '9')
        return gf_error_set(err, GF_ERR_RANGE, "%s %s is out of range: accepted 0 to 18446744073709551615", opt, v);
    if (!(*v >= '0' && *v <= '9'))
        return gf_error_set(err, GF_ERR_RANGE, "%s '%s' is not a whole number: accepted 0 to 18446744073709551615", opt, v);
    errno = 0;
    unsigned long long x = strtoull(v, &end, 10);
    if (*end) return gf_error_set(err, GF_ERR_RANGE, "%s '%s' is not a whole number: accepted 0 to 18446744073709551615", opt, v);
    if (errno == ERANGE) return gf_error_set(err, GF_ERR_RANGE, "%s %s is out of range: accepted 0 to 18446744073709551615", opt, v);
    *out = (uint64_t)x;
    return 0;
}

static int parse_word_(const char *opt, const char *v, const char *const *words, int *out, GfError *err)
{
    char accepted[200] = "";
    size_t used = 0;
    for (int i = 0; words[i]; i++) {
        if (!strcmp(v, words[i])) {
            *out = i;
            return 0;
        }
        used += (size_t)snprintf(accepted + used, sizeof accepted - used, "%s%s", i ? ", " : "", words[i]);
        if (used >= sizeof accepted) used = sizeof accepted - 1;
    }
    return gf_error_set(err, GF_ERR_RANGE, "%s '%s' is not known: accepted %s", opt, v, accepted);
}

static int parse_cells_(const char *opt, const char *v, unsigned *out, GfError *err)
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
        if (n == 0 || n >= sizeof word) goto unknown;
        memcpy(word, p, n);
        word[n] = '\0';
        if (gf_cell_parse(word, &c) != 0) goto unknown;
        mask |= 1u << c;
        if (!comma) break;
        p = comma + 1;
    }
    *out = mask;
    return 0;
unknown:
    return gf_error_set(err, GF_ERR_RANGE, "%s '%s' is not known: accepted rnn, lstm, gru, all, or a list such as rnn,lstm", opt, v);
}

static int parse_size_(const char *opt, const char *v, int *w, int *h, GfError *err)
{
    const char *x = strchr(v, 'x');
    if (!x) x = strchr(v, 'X');
    char wbuf[16], hbuf[16];
    size_t nw = x ? (size_t)(x - v) : 0;
    int ok = x && nw > 0 && nw < sizeof wbuf && strlen(x + 1) > 0 && strlen(x + 1) < sizeof hbuf;
    long a = 0, b = 0;
    if (ok) {
        memcpy(wbuf, v, nw);
        wbuf[nw] = '\0';
        strcpy(hbuf, x + 1);
        char *end;
        a = strtol(wbuf, &end, 10);
        ok = *end == '\0' && wbuf[0] >= '0' && wbuf[0] <= '9';
        b = strtol(hbuf, &end, 10);
        ok = ok && *end == '\0' && hbuf[0] >= '0' && hbuf[0] <= '9';
    }
    if (!ok)
        return gf_error_set(err, GF_ERR_RANGE, "%s '%s' is not WIDTHxHEIGHT: accepted %dx%d to %dx%d, e.g. %dx%d", opt, v,
                     GF_SIZE_W_MIN, GF_SIZE_H_MIN, GF_SIZE_W_MAX, GF_SIZE_H_MAX, GF_SIZE_W_DEFAULT, GF_SIZE_H_DEFAULT);
    if (a < GF_SIZE_W_MIN || a > GF_SIZE_W_MAX || b < GF_SIZE_H_MIN || b > GF_SIZE_H_MAX)
        return gf_error_set(err, GF_ERR_RANGE, "%s %ldx%ld is out of range: accepted %dx%d to %dx%d", opt, a, b, GF_SIZE_W_MIN,
                     GF_SIZE_H_MIN, GF_SIZE_W_MAX, GF_SIZE_H_MAX);
    *w = (int)a;
    *h = (int)b;
    return 0;
}

static int parse_layer_(const char *opt, const char *v, int *pick, GfError *err)
{
    if (!strcmp(v, "all")) {
        *pick = 0;
        return 0;
    }
    char *end;
    errno = 0;
    long x = strtol(v, &end, 10);
    if (!number_spelling_ok_(v, 0, 0) || *end || errno == ERANGE || x < 0 || x > GF_LAYERS_MAX - 1)
        return gf_error_set(err, GF_ERR_RANGE, "%s '%s' is not a layer: accepted 0 to L-1 (L from --layers, at most %d) or all", opt,
                     v, GF_LAYERS_MAX - 1);
    *pick = (int)x + 1; /* checked against --layers once the configuration is known */
    return 0;
}

/* ---- the command line ----------------------------------------------------------------------- */

static void *at_(CliArgs *a, size_t field) { return (char *)a + field; }
static const void *at_const_(const CliArgs *a, size_t field) { return (const char *)a + field; }

static int named_(const Option *o, const char *name)
{
    return !strcmp(name, o->name) || (o->alias && !strcmp(name, o->alias));
}

/* The row for name in mode m: the one whose modes take it, else the first of that name (whose
 * refusal applies); NULL for an unknown name. */
static const Option *find_(const char *name, CliMode m)
{
    const Option *first = NULL;
    for (size_t i = 0; i < NUM_OPTIONS; i++) {
        if (!named_(&options[i], name)) continue;
        if (options[i].modes & (1u << m)) return &options[i];
        if (!first) first = &options[i];
    }
    return first;
}

static int apply_(CliArgs *a, const Option *o, const char *name, const char *v, GfError *err)
{
    if (!(o->modes & (1u << a->mode))) return refuse_(o, name, a->mode, err);
    a->given |= o->given;
    void *p = at_(a, o->field);
    switch (o->kind) {
    case OPT_FLAG: *(int *)p = 1; return 0;
    case OPT_INT: return parse_int_(name, v, (long)o->lo, (long)o->hi, (int *)p, err);
    case OPT_REAL: return parse_real_(name, v, o->lo, o->hi, (double *)p, err);
    case OPT_SEED: return parse_seed_(name, v, (uint64_t *)p, err);
    case OPT_WORD: return parse_word_(name, v, o->words, (int *)p, err);
    case OPT_CELLS: return parse_cells_(name, v, (unsigned *)p, err);
    case OPT_SIZE: return parse_size_(name, v, (int *)p, (int *)at_(a, o->field2), err);
    case OPT_LAYER: return parse_layer_(name, v, (int *)p, err);
    case OPT_FILE:
        if (o->lo > 0 && !*v) return gf_error_set(err, GF_ERR_RANGE, "%s needs a file name", name);
        *(const char **)p = v;
        return 0;
    case OPT_LESSON: { /* applied by lesson_pass_, before every other option */
        int k = lesson_index(v);
        if (k < 0) {
            char names[512];
            lesson_names(names, sizeof names);
            return gf_error_set(err, GF_ERR_RANGE, "%s '%s' is not known: accepted %s", name, v, names);
        }
        *(int *)p = k;
        return 0;
    }
    }
    return gf_error_set(err, GF_ERR_RANGE, "unknown option '%s': see gradflow --help", name);
}

void cli_args_default(CliArgs *a)
{
    memset(a, 0, sizeof *a);
    sim_config_default(&a->ui.sim);
    a->ui.theme = UI_THEME_LIGHT;
    a->ui.view = UI_VIEW_GRADIENTS;
    a->ui.layer_pick = 0; /* every layer */
    a->ui.text_scale = 1.0;
    a->ui.lesson = -1;
    optim_config_default(&a->train.optim, GF_OPT_ADAM, GF_TRAIN_LR_DEFAULT);
    a->train.clip = GF_TRAIN_CLIP_DEFAULT;
    a->steps = 0; /* the mode's default: train GF_TRAIN_STEPS_DEFAULT, the training view's 300 */
    a->lesson = -1;
}

/* A --lesson anywhere on the command line sets its configuration first, so that the options
 * given with it, before or after, change it. (An unknown name is reported by the main pass.) */
static void lesson_pass_(CliArgs *a, int from, int argc, char **argv)
{
    for (int i = from; i < argc; i++) {
        const char *name = NULL;
        if (!strcmp(argv[i], "--lesson") && i + 1 < argc) name = argv[i + 1];
        else if (!strncmp(argv[i], "--lesson=", 9)) name = argv[i] + 9;
        const Lesson *l = name ? lesson_find(name) : NULL;
        if (!l) continue;
        long steps = a->steps;
        lesson_apply(l, &a->ui.sim, &a->train, &steps);
        a->steps = (int)steps;
        a->ui.lesson = lesson_index(name);
    }
}

int cli_parse(CliArgs *a, int argc, char **argv, GfError *err)
{
    cli_args_default(a);
    int i = 1;
    if (argc > 1 && argv[1][0] != '-') {
        int found = 0;
        for (int m = CLI_EXPORT; m < CLI_NUM_MODES; m++)
            if (!strcmp(argv[1], modes[m].name)) a->mode = (CliMode)m, found = 1;
        if (!found)
            return gf_error_set(err, GF_ERR_RANGE, "unknown command '%s': accepted export, data, run, bench, train (or options "
                         "only, for the window); see gradflow --help", argv[1]);
        i = 2;
    }
    if (a->mode == CLI_TRAIN) { /* train's own defaults: a batch to learn from, a quicker size */
        a->ui.sim.batch = GF_TRAIN_BATCH_DEFAULT;
        a->ui.sim.hidden = GF_TRAIN_HIDDEN_DEFAULT;
    }
    lesson_pass_(a, i, argc, argv);
    for (; i < argc; i++) {
        const char *arg = argv[i];
        if (arg[0] != '-' || !arg[1])
            return gf_error_set(err, GF_ERR_RANGE, "unexpected argument '%s': options start with --, see gradflow --help", arg);
        char name[64];
        const char *value = NULL;
        const char *eq = strchr(arg, '=');
        if (eq && !strncmp(arg, "--", 2)) { /* --name=value */
            size_t n = (size_t)(eq - arg);
            if (n >= sizeof name) return gf_error_set(err, GF_ERR_RANGE, "unknown option '%.40s...': see gradflow --help", arg);
            memcpy(name, arg, n);
            name[n] = '\0';
            value = eq + 1;
        } else {
            if (strlen(arg) >= sizeof name) return gf_error_set(err, GF_ERR_RANGE, "unknown option '%.40s...': see gradflow --help", arg);
            strcpy(name, arg);
        }
        const Option *o = find_(name, a->mode);
        if (o && o->kind != OPT_FLAG) {
            if (!value) {
                if (i + 1 >= argc) return gf_error_set(err, GF_ERR_RANGE, "%s needs a value: see gradflow --help", name);
                value = argv[++i];
            }
        } else if (value) {
            return gf_error_set(err, GF_ERR_RANGE, "%s takes no value", name);
        }
        if (!o) return gf_error_set(err, GF_ERR_RANGE, "unknown option '%s': see gradflow --help", name);
        int rc = apply_(a, o, name, value ? value : "", err);
        if (rc) return rc;
    }
    return GF_OK;
}

/* ---- texts written from the table ----------------------------------------------------------- */

/* A text being written into buf (n bytes), cut to fit; len counts what the whole text needs. */
typedef struct Text {
    char *buf;
    size_t n, len;
} Text;

static void put_(Text *t, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

static void put_(Text *t, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    size_t room = t->len < t->n ? t->n - t->len : 0;
    int k = vsnprintf(room ? t->buf + t->len : NULL, room, fmt, ap);
    va_end(ap);
    if (k > 0) t->len += (size_t)k;
}

static size_t text_end_(Text *t)
{
    if (t->n) t->buf[t->len < t->n ? t->len : t->n - 1] = '\0';
    return t->len;
}

/* The accepted values as a phrase ("1 to 1024"), for the kinds that have a range; "" otherwise. */
static void range_(const Option *o, char *buf, size_t n)
{
    buf[0] = '\0';
    switch (o->kind) {
    case OPT_INT: snprintf(buf, n, "%ld to %ld", (long)o->lo, (long)o->hi); break;
    case OPT_REAL: snprintf(buf, n, "%g to %g", o->lo, o->hi); break;
    case OPT_SEED: snprintf(buf, n, "0 to 18446744073709551615"); break;
    case OPT_SIZE:
        snprintf(buf, n, "%dx%d to %dx%d", GF_SIZE_W_MIN, GF_SIZE_H_MIN, GF_SIZE_W_MAX, GF_SIZE_H_MAX);
        break;
    case OPT_LAYER: snprintf(buf, n, "0 to L-1, or all"); break;
    default: break;
    }
}

/* The placeholder after the name: the words for OPT_WORD ("light|dark"), else o->arg. */
static void arg_(const Option *o, char *buf, size_t n)
{
    buf[0] = '\0';
    if (o->kind == OPT_CELLS) {
        snprintf(buf, n, "rnn|lstm|gru|all");
    } else if (o->kind == OPT_WORD) {
        size_t used = 0;
        for (int i = 0; o->words[i] && used < n; i++)
            used += (size_t)snprintf(buf + used, n - used, "%s%s", i ? "|" : "", o->words[i]);
    } else if (o->arg) {
        snprintf(buf, n, "%s", o->arg);
    }
}

/* A default that is a phrase rather than a value reads "(default: as initialised)". */
static const char *default_sep_(const char *dflt) { return strchr(dflt, ' ') ? ": " : " "; }

#define HELP_COLUMN 30 /* where the descriptions start */
#define HELP_WIDTH 98  /* the longest line */

/* One option's lines of --help: the name and value, then its description wrapped at HELP_WIDTH. */
static void help_option_(Text *t, const Option *o)
{
    char arg[96], range[64], what[512];
    arg_(o, arg, sizeof arg);
    range_(o, range, sizeof range);
    int k = snprintf(what, sizeof what, "%s", o->help);
    if (range[0] && k >= 0 && (size_t)k < sizeof what)
        k += snprintf(what + k, sizeof what - (size_t)k, ", %s", range);
    if (o->dflt && k >= 0 && (size_t)k < sizeof what)
        snprintf(what + k, sizeof what - (size_t)k, " (default%s%s)", default_sep_(o->dflt), o->dflt);
    char head[128];
    int hn = snprintf(head, sizeof head, "  %s%s%s", o->name, arg[0] ? " " : "", arg);
    put_(t, "%s", head);
    int col = hn;
    if (col > HELP_COLUMN - 2) {
        put_(t, "\n");
        col = 0;
    }
    const char *p = what;
    int first = 1;
    while (*p) {
        /* the longest run of words that fits after the column */
        size_t room = HELP_WIDTH - HELP_COLUMN, len = strlen(p), cut = len;
        if (len > room) {
            cut = room;
            while (cut > 0 && p[cut] != ' ') cut--;
            if (cut == 0) cut = room;
        }
        put_(t, "%*s%.*s\n", first ? HELP_COLUMN - col : HELP_COLUMN, "", (int)cut, p);
        first = 0;
        p += cut;
        while (*p == ' ') p++;
    }
    if (first) put_(t, "\n");
}

/* The groups --help and the README list options in: 0 every mode, 1 the window's (and export's),
 * then 2 + m the options of mode m alone ("export only:", "bench only:"); -1 for an option listed
 * only in the usage lines. */
#define NUM_GROUPS (2 + CLI_NUM_MODES)
static int group_(const Option *o)
{
    if (!o->help) return -1;
    if (o->modes == M_ALL) return 0;
    if (o->modes & M_WINDOW) return 1;
    for (int m = 0; m < CLI_NUM_MODES; m++)
        if (o->modes == 1u << m) return 2 + m;
    return -1;
}

static void help_group_(Text *t, int group)
{
    for (size_t i = 0; i < NUM_OPTIONS; i++)
        if (group_(&options[i]) == group) help_option_(t, &options[i]);
}

static int group_size_(int group)
{
    int n = 0;
    for (size_t i = 0; i < NUM_OPTIONS; i++) n += group_(&options[i]) == group;
    return n;
}

size_t cli_format_help(char *buf, size_t n)
{
    Text t = {buf, n, 0};
    put_(&t,
         "gradflow " GF_VERSION " - see the vanishing gradient: per-step ||dL/dh_t|| of an RNN, an LSTM and a GRU\n"
         "\n"
         "Usage:\n"
         "  gradflow [OPTIONS]                                  open the window\n"
         "  gradflow export -o FILE.png|.svg|.pdf [--size WxH] [--theme light|dark]\n"
         "                  [--view gradients|states|anatomy|training] [--plot-only] [--csv FILE.csv] [OPTIONS]\n"
         "                                                      the window's view as PNG, SVG or PDF (no display needed)\n"
         "  gradflow data -o FILE.csv [OPTIONS]                 per-step gradient norms as CSV ('-o -' = stdout)\n"
         "  gradflow run -o FILE.safetensors --cell C [OPTIONS] one whole run, to reproduce in PyTorch\n"
         "  gradflow bench [--csv] [--sweep] [--full] [--factors] [--repeat N] [OPTIONS]\n"
         "                                                      time forward + backprop through time per cell\n"
         "  gradflow bench --train [--csv] [--repeat N] [OPTIONS]\n"
         "                                                      time training steps (batch, forward, BPTT,\n"
         "                                                      clip, adam) per cell; default H 64, T 150, B 32\n"
         "  gradflow bench --ui [--frames N] [--size WxH] [OPTIONS]\n"
         "                                                      frame times of the window while the weight\n"
         "                                                      scale is dragged (needs a display)\n"
         "  gradflow train --csv FILE.csv [-o FILE.safetensors --cell C [--record]] [--steps N]\n"
         "                 [--optimizer sgd|rmsprop|adam] [--lr X] [--momentum X] [--clip X] [OPTIONS]\n"
         "                                                      train the cells on the task (its own defaults:\n"
         "                                                      --batch 32 --hidden 32)\n"
         "  gradflow --help | --version\n"
         "\n"
         "Options (every mode; the window starts from them):\n");
    help_group_(&t, 0);
    help_group_(&t, 1);
    put_(&t, "\n");
    for (int g = 2; g < NUM_GROUPS; g++) {
        if (!group_size_(g)) continue;
        put_(&t, "%s only:\n", modes[g - 2].name);
        help_group_(&t, g);
    }
    put_(&t, "\nLessons (--lesson NAME, or keys in the window):\n");
    for (int k = 0; k < lesson_count(); k++) {
        const Lesson *l = lesson_at(k);
        put_(&t, "  %-20s%s%s\n", l->name, l->title, l->trains ? " (training)" : "");
    }
    put_(&t, "\nExit status: 0 on success, 2 on any error (one line on stderr says what and what is accepted).\n");
    return text_end_(&t);
}

/* The modes that take o, as the README says them. */
static void modes_phrase_(const Option *o, char *buf, size_t n)
{
    if (o->modes == M_ALL) {
        snprintf(buf, n, "every mode");
        return;
    }
    size_t used = 0;
    buf[0] = '\0';
    for (int m = 0; m < CLI_NUM_MODES && used < n; m++)
        if (o->modes & (1u << m))
            used += (size_t)snprintf(buf + used, n - used, "%s%s", used ? ", " : "", modes[m].name);
}

size_t cli_format_markdown(char *buf, size_t n)
{
    Text t = {buf, n, 0};
    put_(&t, "| option | values | default | modes | meaning |\n| --- | --- | --- | --- | --- |\n");
    for (size_t i = 0; i < NUM_GROUPS * NUM_OPTIONS; i++) { /* group by group, as --help */
        const Option *o = &options[i % NUM_OPTIONS];
        if (group_(o) != (int)(i / NUM_OPTIONS)) continue;
        char values[160] = "", range[64], modes_text[64];
        range_(o, range, sizeof range);
        if (o->kind == OPT_WORD || o->kind == OPT_CELLS) {
            size_t used = 0;
            const char *const *w = o->words;
            static const char *const cells[] = {"rnn", "lstm", "gru", "all", NULL};
            if (o->kind == OPT_CELLS) w = cells;
            for (int k = 0; w[k] && used < sizeof values; k++)
                used += (size_t)snprintf(values + used, sizeof values - used, "%s`%s`", k ? ", " : "", w[k]);
            if (o->kind == OPT_CELLS && used < sizeof values)
                snprintf(values + used, sizeof values - used, ", or a list such as `rnn,lstm`");
        } else {
            snprintf(values, sizeof values, "%s", range);
        }
        modes_phrase_(o, modes_text, sizeof modes_text);
        int show_arg = o->arg && o->kind != OPT_LAYER;
        const char *d = o->dflt ? o->dflt : "";
        int quote = o->dflt && !strchr(d, ' ');
        put_(&t, "| `%s%s%s` | %s | %s%s%s | %s | %s |\n", o->name, show_arg ? " " : "", show_arg ? o->arg : "",
             values, quote ? "`" : "", d, quote ? "`" : "", modes_text, o->help);
    }
    return text_end_(&t);
}

/* Whether o's value in a differs from its default in d. */
static int changed_(const Option *o, const CliArgs *a, const CliArgs *d)
{
    const void *p = at_const_(a, o->field), *q = at_const_(d, o->field);
    switch (o->kind) {
    case OPT_REAL: {
        double x = *(const double *)p, y = *(const double *)q;
        return !(x == y || (isnan(x) && isnan(y)));
    }
    case OPT_SEED: return *(const uint64_t *)p != *(const uint64_t *)q;
    case OPT_CELLS: return *(const unsigned *)p != *(const unsigned *)q;
    case OPT_FILE: return *(const char *const *)p != NULL;
    case OPT_SIZE: return 1;
    default: return *(const int *)p != *(const int *)q;
    }
}

/* o's value in a as the command line writes it, appended as " --name value". */
static void echo_(Text *t, const Option *o, const CliArgs *a)
{
    const void *p = at_const_(a, o->field);
    put_(t, " %s", o->name);
    switch (o->kind) {
    case OPT_FLAG: break;
    case OPT_INT: put_(t, " %d", *(const int *)p); break;
    case OPT_REAL: put_(t, " %.10g", *(const double *)p); break;
    case OPT_SEED: put_(t, " %llu", (unsigned long long)*(const uint64_t *)p); break;
    case OPT_WORD: {
        int v = *(const int *)p, k = 0;
        while (o->words[k] && k < v) k++;
        put_(t, " %s", o->words[k] ? o->words[k] : o->words[0]);
        break;
    }
    case OPT_CELLS: {
        unsigned cells = *(const unsigned *)p;
        if ((cells & GF_CELLS_ALL) == GF_CELLS_ALL || !(cells & GF_CELLS_ALL)) {
            put_(t, " all");
            break;
        }
        const char *sep = " ";
        for (int c = 0; c < GF_NUM_CELLS; c++)
            if (cells & (1u << c)) put_(t, "%s%s", sep, gf_cell_name((GfCell)c)), sep = ",";
        break;
    }
    case OPT_SIZE: put_(t, " %dx%d", *(const int *)p, *(const int *)at_const_(a, o->field2)); break;
    case OPT_LAYER: put_(t, " %d", *(const int *)p - 1); break;
    case OPT_FILE: put_(t, " %s", *(const char *const *)p); break;
    case OPT_LESSON: {
        const Lesson *l = lesson_at(*(const int *)p);
        put_(t, " %s", l ? l->name : "?");
        break;
    }
    }
}

/* Appends opt's options that mode takes, in the table's order: those the command line writes
 * always when always is set, and every one that differs from its default (--size: with_size). */
static void echo_options_(Text *t, const UiOptions *opt, CliMode mode, int always, int with_size)
{
    CliArgs a, d;
    cli_args_default(&d);
    a = d;
    a.mode = mode;
    a.ui = *opt;
    for (size_t i = 0; i < NUM_OPTIONS; i++) {
        const Option *o = &options[i];
        if (!(o->modes & (1u << mode)) || o->echo == ECHO_NEVER || (o->kind == OPT_SIZE && !with_size)) continue;
        if ((always && o->echo == ECHO_ALWAYS) || changed_(o, &a, &d)) echo_(t, o, &a);
    }
}

size_t cli_format_options(const UiOptions *opt, int lesson, int all, char *buf, size_t n)
{
    Text t = {buf, n, 0};
    if (buf && n) buf[0] = '\0';
    const Lesson *l = lesson_at(lesson);
    if (l) put_(&t, " --lesson %s", l->name);
    echo_options_(&t, opt, CLI_WINDOW, all, 0);
    return text_end_(&t);
}

size_t cli_format_command(const UiOptions *opt, const char *path, char *buf, size_t n)
{
    Text t = {buf, n, 0};
    put_(&t, "gradflow %s -o %s", modes[CLI_EXPORT].name, path);
    echo_options_(&t, opt, CLI_EXPORT, 1, 1);
    return text_end_(&t);
}
