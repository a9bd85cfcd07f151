/* cli.h - the command line as data: one table of options (cli.c) drives parsing, the range and
 * mode messages, --help, the README's options table and the window's equivalent command line.
 * A new option is one row in that table. */
#ifndef GF_CLI_H
#define GF_CLI_H

#include <stddef.h>

#include "bench.h"
#include "core/gf_error.h"
#include "core/sim.h"
#include "core/train.h"
#include "ui/ui.h"

typedef enum { CLI_WINDOW, CLI_EXPORT, CLI_DATA, CLI_RUN, CLI_BENCH, CLI_TRAIN, CLI_NUM_MODES } CliMode;

/* Options given explicitly, so that a --weights file may fill in the rest. */
enum {
    CLI_GIVEN_CELL = 1, CLI_GIVEN_HIDDEN = 2, CLI_GIVEN_LAYERS = 4, CLI_GIVEN_NONLIN = 8,
    CLI_GIVEN_TASK = 16, CLI_GIVEN_SEQ = 32, CLI_GIVEN_BATCH = 64, CLI_GIVEN_SEED = 128,
};

typedef struct CliArgs {
    CliMode mode;        /* the first word: window (none), export, data, run, bench, train */
    UiOptions ui;        /* the simulation and the picture: what the window starts from and export
                            draws (ui.layer_pick: 0 every layer, k + 1 layer k) */
    unsigned given;      /* CLI_GIVEN_* bits of the options on the command line */
    const char *out;     /* -o FILE */
    const char *weights; /* --weights FILE */
    BenchOptions bench;  /* bench's own options */
    TrainConfig train;   /* train's optimizer, learning rate, momentum, clip (train.sim unused:
                            the simulation is ui.sim) */
    int steps;           /* train --steps */
    int record;          /* train --record */
    const char *train_csv; /* train --csv FILE */
    int lesson;          /* --lesson: index in the lessons table, -1 none */
    int help, version;   /* --help, --version */
} CliArgs;

/* Every option at its default: the simulation's defaults, every layer, light, gradients. */
void cli_args_default(CliArgs *a);

/* Parses argv into a (from its defaults): GF_OK, or GF_ERR_RANGE with err's one line naming the
 * problem and what is accepted. */
int cli_parse(CliArgs *a, int argc, char **argv, GfError *err);

/* The files export writes, chosen by the output's extension (any case). */
typedef enum { CLI_FORMAT_PNG, CLI_FORMAT_SVG, CLI_FORMAT_PDF } CliFormat;
#define CLI_EXPORT_FORMATS_MSG "export writes .png, .svg or .pdf: give -o one of those extensions"
/* The format of an export to path, -1 for any other extension (or none). */
int cli_export_format(const char *path);

/* "window", "export", "data", "run", "bench", "train". */
const char *cli_mode_name(CliMode m);
/* The words of --view: "gradients", "states", "anatomy" (UiView order). */
const char *cli_view_name(UiView v);

/* The texts written from the table, snprintf-like: at most n bytes with the terminating NUL into
 * buf, the length the whole text needs returned. */
/* gradflow --help. */
size_t cli_format_help(char *buf, size_t n);
/* The README's options table (Markdown, one row per option). */
size_t cli_format_markdown(char *buf, size_t n);
/* `gradflow export -o path ...` rebuilding the picture opt describes: the options export takes,
 * in the table's order, those that only change from a default written when they do. */
size_t cli_format_command(const UiOptions *opt, const char *path, char *buf, size_t n);
/* The window's options as " --name value ..." (what the page's address carries): --lesson NAME
 * when lesson >= 0, then the options the window takes that differ from their defaults, or with
 * all every option the command line always writes too (the lesson's values made explicit). */
size_t cli_format_options(const UiOptions *opt, int lesson, int all, char *buf, size_t n);

#endif
