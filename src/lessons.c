/* lessons.c - the table of lessons (see lessons.h). Every figure a caption quotes was measured
 * with gradflow itself; the README lists them with the seeds they hold for. */
#include "lessons.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define ALL GF_CELLS_ALL
#define RNN (1u << GF_CELL_RNN)
#define LSTM (1u << GF_CELL_LSTM)
#define GRU (1u << GF_CELL_GRU)

static const Lesson lessons[] = {
    /* ---- the gradient at initialisation ---- */
    {"rnn-forgets", "RNN forgets",
     "A plain RNN forgets: orthogonal weights at scale 0.9 (\xCF\x83_{max} = 0.9), and its gradient "
     "shrinks geometrically going back in time",
     "Pascanu, Mikolov & Bengio 2013", 0, RNN, GF_TASK_ADDING, 500, 64, 1, GF_INIT_ORTHOGONAL, 0.9, NAN,
     GF_NONLIN_TANH, GF_OPT_ADAM, 0, 0, 0},
    {"exploding", "exploding",
     "Exploding: at scale 1.5 \xCF\x83_{max} is above 1, and the RNN's gradient grows going back in time",
     "Pascanu, Mikolov & Bengio 2013", 0, RNN, GF_TASK_ADDING, 500, 64, 1, GF_INIT_ORTHOGONAL, 1.5, NAN,
     GF_NONLIN_TANH, GF_OPT_ADAM, 0, 0, 0},
    {"edge", "the edge",
     "The edge: orthogonal weights at scale 1.0 (\xCF\x83_{max} = 1), between vanishing and exploding",
     NULL, 0, RNN, GF_TASK_ADDING, 500, 64, 1, GF_INIT_ORTHOGONAL, 1.0, NAN, GF_NONLIN_TANH, GF_OPT_ADAM, 0, 0, 0},
    {"lstm-remembers", "LSTM remembers",
     "LSTM remembers: forget bias 2 keeps f near 0.88, and dL/dc flows back through "
     "c_{t} = f\xC2\xB7" "c_{t-1} + i\xC2\xB7g",
     "Gers, Schmidhuber & Cummins 2000", 0, RNN | LSTM, GF_TASK_ADDING, 500, 64, 1, GF_INIT_PYTORCH, 1.0,
     2.0, GF_NONLIN_TANH, GF_OPT_ADAM, 0, 0, 0},
    {"gru", "GRU",
     "GRU at initialisation: z is near 0.5, so h_{t} = (1\xE2\x88\x92" "z)\xC2\xB7n + "
     "z\xC2\xB7h_{t-1} passes back only part of the gradient: it fades too",
     "Cho et al. 2014", 0, RNN | GRU, GF_TASK_ADDING, 500, 64, 1, GF_INIT_PYTORCH, 1.0, NAN, GF_NONLIN_TANH,
     GF_OPT_ADAM, 0, 0, 0},
    {"irnn-init", "IRNN",
     "IRNN (Le et al. 2015): identity weights and relu keep the RNN's gradient from vanishing",
     "Le, Jaitly & Hinton 2015", 0, RNN, GF_TASK_ADDING, 500, 64, 1, GF_INIT_IDENTITY, 1.0, NAN,
     GF_NONLIN_RELU, GF_OPT_ADAM, 0, 0, 0},
    /* ---- training: the papers' results ---- */
    {"adding", "adding problem, T = 150",
     "Adding problem, T = 150: press Space. The GRU and the LSTM learn to add two numbers 150 steps "
     "apart and fall far below the baseline MSE 1/6; the tanh RNN cannot and stays on it",
     "Hochreiter & Schmidhuber 1997; Le, Jaitly & Hinton 2015", 1, ALL, GF_TASK_ADDING, 150, 32, 32,
     GF_INIT_PYTORCH, 1.0, NAN, GF_NONLIN_TANH, GF_OPT_ADAM, 0.01, 1.0, 3000},
    {"irnn", "IRNN learns",
     "IRNN: a plain RNN with relu and identity weight_hh, trained with a small learning rate, learns "
     "the adding problem at T = 150 that the tanh RNN cannot",
     "Le, Jaitly & Hinton 2015", 1, RNN, GF_TASK_ADDING, 150, 32, 32, GF_INIT_IDENTITY, 1.0, NAN,
     GF_NONLIN_RELU, GF_OPT_ADAM, 3e-4, 1.0, 3000},
    {"forget-bias", "forget bias 1",
     "Forget-gate bias 1: the LSTM starts with f near 0.73 instead of 0.5 and keeps more of its cell "
     "state from the start; compare with --forget-bias 0",
     "Gers, Schmidhuber & Cummins 2000; Jozefowicz, Zaremba & Sutskever 2015", 1, LSTM, GF_TASK_ADDING,
     300, 32, 32, GF_INIT_PYTORCH, 1.0, 1.0, GF_NONLIN_TANH, GF_OPT_ADAM, 0.01, 1.0, 3000},
    {"clipping", "clipping",
     "Clipping: an RNN at scale 2 explodes; SGD with clip_grad_norm_ 1 keeps its steps bounded and it "
     "trains, where without clipping (--clip 0) its loss leaves the range of doubles",
     "Pascanu, Mikolov & Bengio 2013", 1, RNN, GF_TASK_ADDING, 50, 32, 32, GF_INIT_ORTHOGONAL, 2.0, NAN,
     GF_NONLIN_TANH, GF_OPT_SGD, 0.05, 1.0, 500},
    {"copy", "copy task",
     "Copy task: repeat 10 symbols after a delay; the baseline 10 ln 8 / (T + 20) is what a model "
     "that remembers nothing scores",
     "Arjovsky, Shah & Bengio 2016", 1, ALL, GF_TASK_COPY, 10, 32, 32, GF_INIT_PYTORCH, 1.0, NAN,
     GF_NONLIN_TANH, GF_OPT_ADAM, 0.01, 1.0, 2000},
};

#define N_LESSONS ((int)(sizeof lessons / sizeof *lessons))

int lesson_count(void) { return N_LESSONS; }

const Lesson *lesson_at(int i) { return i >= 0 && i < N_LESSONS ? &lessons[i] : NULL; }

int lesson_index(const char *name)
{
    for (int i = 0; name && i < N_LESSONS; i++)
        if (!strcmp(lessons[i].name, name)) return i;
    return -1;
}

const Lesson *lesson_find(const char *name) { return lesson_at(lesson_index(name)); }

void lesson_names(char *buf, size_t n)
{
    size_t at = 0;
    buf[0] = '\0';
    for (int i = 0; i < N_LESSONS && at < n; i++)
        at += (size_t)snprintf(buf + at, n - at, "%s%s", i ? ", " : "", lessons[i].name);
}

void lesson_apply(const Lesson *l, SimConfig *sim, TrainConfig *train, long *steps)
{
    if (sim) {
        sim->cells = l->cells;
        sim->task = l->task;
        sim->seq_len = l->seq_len;
        sim->hidden = l->hidden;
        sim->layers = 1;
        sim->batch = l->batch;
        sim->init = l->init;
        sim->weight_scale = l->weight_scale;
        sim->forget_bias = l->forget_bias;
        sim->nonlinearity = l->nonlin;
    }
    if (!l->trains) return;
    if (train) {
        optim_config_default(&train->optim, l->optimizer, l->lr);
        train->clip = l->clip;
    }
    if (steps) *steps = l->steps;
}
