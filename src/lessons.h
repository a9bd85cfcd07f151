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

/* What a lesson's picture shows; it picks the sentence lesson_caption writes. */
typedef enum {
    LESSON_SHOWS_VANISHING,   /* the RNN's gradient falls, at least as fast as the bound */
    LESSON_SHOWS_EXPLODING,   /* the RNN's gradient grows going back */
    LESSON_SHOWS_EDGE,        /* sigma_max = 1, and tanh' < 1 still shrinks it */
    LESSON_SHOWS_CELL_STATE,  /* the LSTM's cell-state gradient flows, the RNN's falls */
    LESSON_SHOWS_UPDATE_GATE, /* the GRU's gradient flows with z near 1, the RNN's falls */
    LESSON_SHOWS_IRNN,        /* identity weights and relu: the RNN's gradient flows */
    LESSON_SHOWS_TRAINING,    /* a training lesson: the gradients now, and what Space shows */
} LessonShows;

typedef struct Lesson {
    const char *name;     /* --lesson NAME */
    const char *title;    /* a few words, for the panel and --help */
    const char *caption;  /* its gist in one line, without numbers (lesson_caption writes the
                             one shown on screen, with the run's numbers); typeset text: "_{..}" a
                             subscript, "^{..}" a superscript, as text.h draws them */
    LessonShows shows;
    const char *source;   /* the paper it reproduces, or NULL */
    int trains;           /* 1: a training lesson */
    /* the configuration it sets (everything else keeps its default) */
    unsigned cells;
    GfTask task;
    int seq_len, hidden, batch;
    GfInit init;
    double weight_scale;
    double forget_bias;   /* NAN: as initialised */
    double update_bias;   /* NAN: as initialised */
    GfNonlin nonlin;
    /* training lessons: */
    GfOptimizer optimizer;
    double lr, clip;
    long steps;
} Lesson;

int lesson_count(void);
const Lesson *lesson_at(int i);
/* The lesson called name, or NULL. A name is the lesson's own (gru, edge), or its title as the
 * panel's button shows it, lower case with '-' for spaces (gru-remembers, the-edge); own names
 * first, so irnn stays the training lesson and irnn-init the panel's IRNN. */
const Lesson *lesson_find(const char *name);
/* Its index in the table, or -1 (the same names). */
int lesson_index(const char *name);
/* "rnn-forgets, exploding, ..." into buf: the accepted names, for messages and --help. */
void lesson_names(char *buf, size_t n);
/* Puts the lesson's configuration into sim (layers 1) and, for a training lesson, into train
 * and *steps (either may be NULL). */
void lesson_apply(const Lesson *l, SimConfig *sim, TrainConfig *train, long *steps);

/* What a run measured, as a caption quotes it: one layer of every cell shown (the layer the
 * legend reads), the gates of sequence 0. Orders are log10(||dL/dh_{T-1}|| / ||dL/dh_0||): > 0
 * the gradient fell going back in time, < 0 it grew. */
typedef struct LessonMeasure {
    int T;                          /* steps */
    unsigned shown;                 /* bit (1u << GfCell) for every cell measured */
    int ok[GF_NUM_CELLS];           /* orders[c] is a finite number (no inf, NaN or exact 0) */
    double orders[GF_NUM_CELLS];    /* ||dL/dh_t|| from t = T-1 back to t = 0, in decades */
    double low[GF_NUM_CELLS];       /* log10 of the smallest ||dL/dh_t|| (-inf for an exact 0) */
    int c_ok;                       /* the same three for the LSTM's ||dL/dc_t|| */
    double c_orders, c_low;
    double ref;                     /* log10 of the largest ||dL/dh_{T-1}|| shown: the vanishing
                                       band lies LESSON_VANISH_DECADES below it */
    double gate_mean[GF_NUM_CELLS]; /* mean over steps and units of f_t (lstm), z_t (gru); NAN
                                       when not measured */
    double sigma_max;               /* the RNN's largest singular value of weight_hh (NAN: none) */
    int pytorch_init;               /* 1: PyTorch's initial weights as drawn (no biases set, no
                                       weights file, not trained) */
} LessonMeasure;

/* The vanishing band: gradients more than this many decades below the one the loss gives at
 * t = T-1 (float32 keeps about 7 significant digits). */
#define LESSON_VANISH_DECADES 7.0

/* A measure with nothing in it (every cell unmeasured). */
void lesson_measure_clear(LessonMeasure *m);
/* The caption shown with l on screen (l NULL: the default caption, no lesson), stating what m
 * measured; every claim it makes is chosen from m's numbers, so it is true of the run it names. */
void lesson_caption(const Lesson *l, const LessonMeasure *m, char *buf, size_t n);

#endif
