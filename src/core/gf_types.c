/* gf_types.c - names and parsers for the core's enumerations. */
#include "gf_types.h"

#include <math.h>
#include <string.h>

static const char *const cell_names[] = {"rnn", "lstm", "gru"};
static const char *const task_names[] = {"adding", "recall", "copy"};
static const char *const init_names[] = {"pytorch", "orthogonal", "identity"};
static const char *const nonlin_names[] = {"tanh", "relu"};

int gf_cell_gates(GfCell cell)
{
    static const int gates[] = {1, 4, 3};
    return (unsigned)cell < 3 ? gates[cell] : 0;
}

const char *gf_cell_name(GfCell cell) { return (unsigned)cell < 3 ? cell_names[cell] : "?"; }
const char *gf_task_name(GfTask task) { return (unsigned)task < GF_NUM_TASKS ? task_names[task] : "?"; }
const char *gf_init_name(GfInit init) { return (unsigned)init < 3 ? init_names[init] : "?"; }
const char *gf_nonlin_name(GfNonlin n) { return (unsigned)n < 2 ? nonlin_names[n] : "?"; }

const char *gf_gate_name(GfCell cell, int k)
{
    static const char *const lstm[] = {"i", "f", "g", "o"};
    static const char *const gru[] = {"r", "z", "n"};
    switch (cell) {
    case GF_CELL_RNN: return k == 0 ? "h" : "?";
    case GF_CELL_LSTM: return k >= 0 && k < 4 ? lstm[k] : "?";
    case GF_CELL_GRU: return k >= 0 && k < 3 ? gru[k] : "?";
    }
    return "?";
}

static int parse_name_(const char *s, const char *const *names, int n)
{
    if (!s) return -1;
    for (int i = 0; i < n; i++)
        if (strcmp(s, names[i]) == 0) return i;
    return -1;
}

int gf_cell_parse(const char *s, GfCell *out)
{
    int i = parse_name_(s, cell_names, 3);
    if (i < 0) return -1;
    *out = (GfCell)i;
    return 0;
}

int gf_task_parse(const char *s, GfTask *out)
{
    int i = parse_name_(s, task_names, GF_NUM_TASKS);
    if (i < 0) return -1;
    *out = (GfTask)i;
    return 0;
}

int gf_init_parse(const char *s, GfInit *out)
{
    int i = parse_name_(s, init_names, 3);
    if (i < 0) return -1;
    *out = (GfInit)i;
    return 0;
}

int gf_nonlin_parse(const char *s, GfNonlin *out)
{
    int i = parse_name_(s, nonlin_names, 2);
    if (i < 0) return -1;
    *out = (GfNonlin)i;
    return 0;
}

/* adding: a value channel and a marker channel; recall: K symbol channels and a blank channel;
 * copy: the symbols, a blank and a delimiter channel. */
int gf_task_inputs(GfTask task)
{
    switch (task) {
    case GF_TASK_ADDING: return 2;
    case GF_TASK_RECALL: return GF_RECALL_SYMBOLS + 1;
    case GF_TASK_COPY: return GF_COPY_SYMBOLS + 2;
    }
    return 0;
}

/* adding: the sum (regression); recall: K class scores; copy: the symbols' and the blank's. */
int gf_task_outputs(GfTask task)
{
    switch (task) {
    case GF_TASK_ADDING: return 1;
    case GF_TASK_RECALL: return GF_RECALL_SYMBOLS;
    case GF_TASK_COPY: return GF_COPY_SYMBOLS + 1;
    }
    return 0;
}

int gf_task_steps(GfTask task, int seq_len)
{
    return task == GF_TASK_COPY ? seq_len + 2 * GF_COPY_LEN : seq_len;
}

int gf_task_per_step(GfTask task) { return task == GF_TASK_COPY; }

double gf_task_baseline(GfTask task, int seq_len)
{
    switch (task) {
    case GF_TASK_ADDING: return 1.0 / 6.0;
    case GF_TASK_RECALL: return log((double)GF_RECALL_SYMBOLS);
    case GF_TASK_COPY:
        return GF_COPY_LEN * log((double)GF_COPY_SYMBOLS) / gf_task_steps(task, seq_len);
    }
    return NAN;
}
