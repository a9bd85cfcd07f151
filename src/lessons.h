/* lessons.h - the lessons: named configurations that each show one result, with a caption and
 * its source. The window reaches them by key, every mode by `--lesson NAME`.
 *
 * Two kinds: pictures of the gradient at initialisation (what the weights and gates do to
 * ||dL/dh_t||), and training lessons from the papers (press Space in the window, or run
 * `gradflow train --lesson NAME`), whose hyper-parameters are part of the lesson. */
#ifndef GF_LESSONS_H
#define GF_LESSONS_H

#include "core/optim.h"
#include "core/sim.h"
#include "core/train.h"

typedef struct Lesson {
    const char *name;     /* --lesson NAME */
    const char *title;    /* a few words, for the panel and --help */
    const char *caption;  /* the line shown on screen while the lesson is active (typeset: "_{..}" a
                             subscript, "^{..}" a superscript, as text.h draws them) */
    const char *source;   /* the paper it reproduces, or NULL */
    int trains;           /* 1: a training lesson */
    /* the configuration it sets (everything else keeps its default) */
    unsigned cells;
    GfTask task;
    int seq_len, hidden, batch;
    GfInit init;
    double weight_scale;
    double forget_bias;   /* NAN: as initialised */
    GfNonlin nonlin;
    /* training lessons: */
    GfOptimizer optimizer;
    double lr, clip;
    long steps;
} Lesson;

int lesson_count(void);
const Lesson *lesson_at(int i);
/* The lesson called name, or NULL. */
const Lesson *lesson_find(const char *name);
/* Its index in the table, or -1. */
int lesson_index(const char *name);
/* "rnn-forgets, exploding, ..." into buf: the accepted names, for messages and --help. */
void lesson_names(char *buf, size_t n);
/* Puts the lesson's configuration into sim (layers 1) and, for a training lesson, into train
 * and *steps (either may be NULL). */
void lesson_apply(const Lesson *l, SimConfig *sim, TrainConfig *train, long *steps);

#endif
