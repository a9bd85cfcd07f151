/* lessons.c - the table of lessons (see lessons.h). Every figure a caption quotes was measured
 * with gradflow itself; the README lists them with the seeds they hold for. */
#include "lessons.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define ALL GF_CELLS_ALL
#define RNN (1u << GF_CELL_RNN)
#define LSTM (1u << GF_CELL_LSTM)
#define GRU (1u << GF_CELL_GRU)

/* Text pieces (UTF-8): sigma, prime, the norms of the two gradients, subscripts t and t-1. */
#define U_SIGMA "\xCF\x83"
#define U_PRIME "\xE2\x80\xB2"
#define U_MINUS "\xE2\x88\x92"
#define U_DOT "\xC2\xB7"
#define U_SUB_T "\xE2\x82\x9C"
#define U_SUB_TM1 "\xE2\x82\x9C\xE2\x82\x8B\xE2\x82\x81"
#define U_GRAD_H "\xE2\x80\x96\xE2\x88\x82L/\xE2\x88\x82h" U_SUB_T "\xE2\x80\x96"
#define U_GRAD_C "\xE2\x80\x96\xE2\x88\x82L/\xE2\x88\x82" "c" U_SUB_T "\xE2\x80\x96"

static const Lesson lessons[] = {
    /* ---- the gradient at initialisation ---- */
    {.name = "rnn-forgets", .title = "RNN forgets",
     .caption = "A plain RNN forgets: orthogonal weights at scale 0.9 (" U_SIGMA "_{max} = 0.9), and its gradient "
                "shrinks geometrically going back in time",
     .shows = LESSON_SHOWS_VANISHING, .source = "Pascanu, Mikolov & Bengio 2013", .cells = RNN,
     .task = GF_TASK_ADDING, .seq_len = 500, .hidden = 64, .batch = 1, .init = GF_INIT_ORTHOGONAL,
     .weight_scale = 0.9, .forget_bias = NAN, .update_bias = NAN, .nonlin = GF_NONLIN_TANH},
    {.name = "exploding", .title = "exploding",
     .caption = "Exploding: at scale 1.5 " U_SIGMA "_{max} is above 1, and the RNN's gradient grows going back in time",
     .shows = LESSON_SHOWS_EXPLODING, .source = "Pascanu, Mikolov & Bengio 2013", .cells = RNN,
     .task = GF_TASK_ADDING, .seq_len = 500, .hidden = 64, .batch = 1, .init = GF_INIT_ORTHOGONAL,
     .weight_scale = 1.5, .forget_bias = NAN, .update_bias = NAN, .nonlin = GF_NONLIN_TANH},
    {.name = "edge", .title = "the edge",
     .caption = "The edge: orthogonal weights at scale 1.0 (" U_SIGMA "_{max} = 1), between vanishing and exploding; "
                "tanh" U_PRIME " < 1 still shrinks the gradient",
     .shows = LESSON_SHOWS_EDGE, .cells = RNN, .task = GF_TASK_ADDING, .seq_len = 500, .hidden = 64, .batch = 1,
     .init = GF_INIT_ORTHOGONAL, .weight_scale = 1.0, .forget_bias = NAN, .update_bias = NAN,
     .nonlin = GF_NONLIN_TANH},
    /* forget bias 4: f = sigmoid(4 + small) is about 0.98, and over 500 steps the cell-state
       gradient stays within 3 decades of the loss's for seeds 1 to 8 (bias 2 let it fall 10) */
    {.name = "lstm-remembers", .title = "LSTM remembers",
     .caption = "LSTM remembers: forget bias 4 keeps f near 0.98, and " U_GRAD_C " flows back through "
                "c" U_SUB_T " = f" U_DOT "c" U_SUB_TM1 " + i" U_DOT "g",
     .shows = LESSON_SHOWS_CELL_STATE, .source = "Gers, Schmidhuber & Cummins 2000", .cells = RNN | LSTM,
     .task = GF_TASK_ADDING, .seq_len = 500, .hidden = 64, .batch = 1, .init = GF_INIT_PYTORCH,
     .weight_scale = 1.0, .forget_bias = 4.0, .update_bias = NAN, .nonlin = GF_NONLIN_TANH},
    /* update bias 4: z about 0.98, the GRU's gradient falls about 3 decades over 500 steps */
    {.name = "gru", .title = "GRU remembers",
     .caption = "GRU remembers: update bias 4 keeps z near 0.98, so h" U_SUB_T " = (1" U_MINUS "z)" U_DOT "n + z"
                U_DOT "h" U_SUB_TM1 " passes the gradient back",
     .shows = LESSON_SHOWS_UPDATE_GATE, .source = "Cho et al. 2014", .cells = RNN | GRU,
     .task = GF_TASK_ADDING, .seq_len = 500, .hidden = 64, .batch = 1, .init = GF_INIT_PYTORCH,
     .weight_scale = 1.0, .forget_bias = NAN, .update_bias = 4.0, .nonlin = GF_NONLIN_TANH},
    {.name = "irnn-init", .title = "IRNN",
     .caption = "IRNN (Le et al. 2015): identity weights and relu keep the RNN's gradient from vanishing",
     .shows = LESSON_SHOWS_IRNN, .source = "Le, Jaitly & Hinton 2015", .cells = RNN, .task = GF_TASK_ADDING,
     .seq_len = 500, .hidden = 64, .batch = 1, .init = GF_INIT_IDENTITY, .weight_scale = 1.0,
     .forget_bias = NAN, .update_bias = NAN, .nonlin = GF_NONLIN_RELU},
    /* ---- training: the papers' results ---- */
    {.name = "adding", .title = "adding problem, T = 150",
     .caption = "Adding problem, T = 150: press Space. The GRU and the LSTM learn to add two numbers 150 steps "
                "apart and fall far below the baseline MSE 1/6; the tanh RNN cannot and stays on it",
     .shows = LESSON_SHOWS_TRAINING, .source = "Hochreiter & Schmidhuber 1997; Le, Jaitly & Hinton 2015",
     .trains = 1, .cells = ALL, .task = GF_TASK_ADDING, .seq_len = 150, .hidden = 32, .batch = 32,
     .init = GF_INIT_PYTORCH, .weight_scale = 1.0, .forget_bias = NAN, .update_bias = NAN,
     .nonlin = GF_NONLIN_TANH, .optimizer = GF_OPT_ADAM, .lr = 0.01, .clip = 1.0, .steps = 3000},
    {.name = "irnn", .title = "IRNN learns",
     .caption = "IRNN: a plain RNN with relu and identity weight_hh, trained with a small learning rate, learns "
                "the adding problem at T = 150 that the tanh RNN cannot",
     .shows = LESSON_SHOWS_TRAINING, .source = "Le, Jaitly & Hinton 2015", .trains = 1, .cells = RNN,
     .task = GF_TASK_ADDING, .seq_len = 150, .hidden = 32, .batch = 32, .init = GF_INIT_IDENTITY,
     .weight_scale = 1.0, .forget_bias = NAN, .update_bias = NAN, .nonlin = GF_NONLIN_RELU,
     .optimizer = GF_OPT_ADAM, .lr = 3e-4, .clip = 1.0, .steps = 3000},
    {.name = "forget-bias", .title = "forget bias 1",
     .caption = "Forget-gate bias 1: the LSTM starts with f near 0.73 instead of 0.5 and keeps more of its cell "
                "state from the start; compare with --forget-bias 0",
     .shows = LESSON_SHOWS_TRAINING, .source = "Gers, Schmidhuber & Cummins 2000; Jozefowicz, Zaremba & Sutskever 2015",
     .trains = 1, .cells = LSTM, .task = GF_TASK_ADDING, .seq_len = 300, .hidden = 32, .batch = 32,
     .init = GF_INIT_PYTORCH, .weight_scale = 1.0, .forget_bias = 1.0, .update_bias = NAN,
     .nonlin = GF_NONLIN_TANH, .optimizer = GF_OPT_ADAM, .lr = 0.01, .clip = 1.0, .steps = 3000},
    {.name = "clipping", .title = "clipping",
     .caption = "Clipping: an RNN at scale 2 explodes; SGD with clip_grad_norm_ 1 keeps its steps bounded and it "
                "trains, where without clipping (--clip 0) its loss leaves the range of doubles",
     .shows = LESSON_SHOWS_TRAINING, .source = "Pascanu, Mikolov & Bengio 2013", .trains = 1, .cells = RNN,
     .task = GF_TASK_ADDING, .seq_len = 50, .hidden = 32, .batch = 32, .init = GF_INIT_ORTHOGONAL,
     .weight_scale = 2.0, .forget_bias = NAN, .update_bias = NAN, .nonlin = GF_NONLIN_TANH,
     .optimizer = GF_OPT_SGD, .lr = 0.05, .clip = 1.0, .steps = 500},
    {.name = "copy", .title = "copy task",
     .caption = "Copy task: repeat 10 symbols after a delay; the baseline 10 ln 8 / (T + 20) is what a model "
                "that remembers nothing scores",
     .shows = LESSON_SHOWS_TRAINING, .source = "Arjovsky, Shah & Bengio 2016", .trains = 1, .cells = ALL,
     .task = GF_TASK_COPY, .seq_len = 10, .hidden = 32, .batch = 32, .init = GF_INIT_PYTORCH,
     .weight_scale = 1.0, .forget_bias = NAN, .update_bias = NAN, .nonlin = GF_NONLIN_TANH,
     .optimizer = GF_OPT_ADAM, .lr = 0.01, .clip = 1.0, .steps = 2000},
};

#define N_LESSONS ((int)(sizeof lessons / sizeof *lessons))

int lesson_count(void) { return N_LESSONS; }

const Lesson *lesson_at(int i) { return i >= 0 && i < N_LESSONS ? &lessons[i] : NULL; }

/* 1 if name is title written as a name: lower case, spaces as '-' ("the edge" -> the-edge). */
static int title_is_(const char *title, const char *name)
{
    for (; *title && *name; title++, name++) {
        char t = *title == ' ' ? '-' : (char)tolower((unsigned char)*title);
        if (t != *name) return 0;
    }
    return !*title && !*name;
}

int lesson_index(const char *name)
{
    for (int i = 0; name && i < N_LESSONS; i++)
        if (!strcmp(lessons[i].name, name)) return i;
    /* the button's words work too (gru-remembers, the-edge), after every name */
    for (int i = 0; name && i < N_LESSONS; i++)
        if (title_is_(lessons[i].title, name)) return i;
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
        sim->update_bias = l->update_bias;
        sim->nonlinearity = l->nonlin;
    }
    if (!l->trains) return;
    if (train) {
        optim_config_default(&train->optim, l->optimizer, l->lr);
        train->clip = l->clip;
    }
    if (steps) *steps = l->steps;
}

/* ================================================================ captions ==================== */

void lesson_measure_clear(LessonMeasure *m)
{
    memset(m, 0, sizeof *m);
    m->ref = NAN;
    m->c_orders = m->c_low = NAN;
    m->sigma_max = NAN;
    for (int c = 0; c < GF_NUM_CELLS; c++) {
        m->orders[c] = m->low[c] = NAN;
        m->gate_mean[c] = NAN;
    }
}

/* A caption grown piece by piece; a piece that does not fit is cut, never overrun. */
typedef struct Cap {
    char *buf;
    size_t n, at;
} Cap;

static void put_(Cap *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put_(Cap *c, const char *fmt, ...)
{
    if (c->at >= c->n) return;
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(c->buf + c->at, c->n - c->at, fmt, ap);
    va_end(ap);
    if (k > 0) c->at += (size_t)k;
}

static const char *const cell_word[GF_NUM_CELLS] = {"RNN", "LSTM", "GRU"};

static int measured_(const LessonMeasure *m, GfCell c) { return (m->shown >> c) & 1u; }

/* "fell 3.1 orders" (orders > 0: smaller at t = 0 than at T-1) or "grew 2.4 orders"; with
 * unit 0 the word "orders" is left out. */
static void change_(Cap *c, int ok, double orders, int unit)
{
    if (!ok) {
        put_(c, "reached 0, inf or NaN");
        return;
    }
    put_(c, "%s %.1f%s", orders >= 0 ? "fell" : "grew", fabs(orders), unit ? " orders" : "");
}

/* Decades of the vanishing band's top (ref - LESSON_VANISH_DECADES) below low: > 0 above it. */
static int above_band_(const LessonMeasure *m, double low)
{
    return isfinite(m->ref) && isfinite(low) && low > m->ref - LESSON_VANISH_DECADES;
}

/* "RNN fell 40.1, LSTM fell 38.0 (cell state 37.2), GRU grew 3.0 orders over 200 steps" */
static void cells_line_(Cap *c, const LessonMeasure *m)
{
    int first = 1;
    for (int k = 0; k < GF_NUM_CELLS; k++) {
        if (!measured_(m, (GfCell)k)) continue;
        put_(c, "%s%s ", first ? "" : ", ", cell_word[k]);
        change_(c, m->ok[k], m->orders[k], 0);
        if (k == GF_CELL_LSTM && m->c_ok) {
            put_(c, " (cell state ");
            change_(c, m->c_ok, m->c_orders, 0);
            put_(c, ")");
        }
        first = 0;
    }
    put_(c, " orders over %d steps", m->T);
}

/* n in superscript digits (U+2070 ...), e.g. 499 -> "⁴⁹⁹". */
static void superscript_(Cap *c, int n)
{
    static const char *const sup[10] = {"\xE2\x81\xB0", "\xC2\xB9", "\xC2\xB2", "\xC2\xB3", "\xE2\x81\xB4",
                                        "\xE2\x81\xB5", "\xE2\x81\xB6", "\xE2\x81\xB7", "\xE2\x81\xB8", "\xE2\x81\xB9"};
    char digits[16];
    snprintf(digits, sizeof digits, "%d", n < 0 ? 0 : n);
    for (const char *d = digits; *d; d++) put_(c, "%s", sup[*d - '0']);
}

/* The RNN's bound: sigma_max^(T-1) in decades, > 0 when it shrinks. */
static double bound_decades_(const LessonMeasure *m)
{
    return -(double)(m->T - 1) * log10(m->sigma_max);
}

static void caption_vanishing_(Cap *c, const LessonMeasure *m)
{
    const int r = GF_CELL_RNN;
    put_(c, "RNN forgets: its " U_GRAD_H " ");
    change_(c, m->ok[r], m->orders[r], 1);
    put_(c, " over %d steps back", m->T);
    if (!(m->sigma_max > 0)) return;
    double b = bound_decades_(m);
    if (m->sigma_max < 1 && m->ok[r] && m->orders[r] >= b - 0.05) {
        put_(c, "; " U_SIGMA "_{max} = %.2f < 1, and %.2f", m->sigma_max, m->sigma_max);
        superscript_(c, m->T - 1);
        put_(c, " alone takes %.1f, tanh" U_PRIME " < 1 the rest", b);
    } else
        put_(c, "; " U_SIGMA "_{max} = %.2f", m->sigma_max);
}

static void caption_exploding_(Cap *c, const LessonMeasure *m)
{
    const int r = GF_CELL_RNN;
    if (m->sigma_max > 1) {
        double b = -bound_decades_(m);
        put_(c, "Exploding: " U_SIGMA "_{max} = %.2f > 1 lets " U_GRAD_H " grow up to %.1f orders over %d steps back; it ",
             m->sigma_max, b, m->T);
        change_(c, m->ok[r], m->orders[r], 0);
        if (m->ok[r] && m->orders[r] < 0 && -m->orders[r] < b)
            put_(c, ", as tanh" U_PRIME " < 1 takes back part of every factor");
    } else if (m->sigma_max >= 0) {
        put_(c, "Exploding needs " U_SIGMA "_{max} > 1; here it is %.2f and " U_GRAD_H " ", m->sigma_max);
        change_(c, m->ok[r], m->orders[r], 1);
        put_(c, " over %d steps back", m->T);
    } else {
        put_(c, "Exploding: " U_GRAD_H " ");
        change_(c, m->ok[r], m->orders[r], 1);
        put_(c, " over %d steps back", m->T);
    }
}

static void caption_edge_(Cap *c, const LessonMeasure *m)
{
    const int r = GF_CELL_RNN;
    if (fabs(m->sigma_max - 1.0) < 0.005)
        put_(c, "The edge: " U_SIGMA "_{max} = 1.00, the weights neither shrink nor grow the gradient, yet " U_GRAD_H " ");
    else if (m->sigma_max >= 0)
        put_(c, "The edge: " U_SIGMA "_{max} = %.2f; " U_GRAD_H " ", m->sigma_max);
    else
        put_(c, "The edge: " U_GRAD_H " ");
    change_(c, m->ok[r], m->orders[r], 1);
    put_(c, " over %d steps back", m->T);
    if (m->ok[r] && m->orders[r] > 0 && m->sigma_max <= 1.005)
        put_(c, ": tanh" U_PRIME " < 1 at every step shrinks it");
}

/* "; the RNN's ||dL/dh_t|| fell 106.6" when the RNN is shown too */
static void rnn_beside_(Cap *c, const LessonMeasure *m)
{
    if (!measured_(m, GF_CELL_RNN)) return;
    put_(c, "; the RNN's " U_GRAD_H " ");
    change_(c, m->ok[GF_CELL_RNN], m->orders[GF_CELL_RNN], 0);
}

static void caption_cell_state_(Cap *c, const LessonMeasure *m)
{
    if (!measured_(m, GF_CELL_LSTM)) {
        put_(c, "LSTM remembers: show the LSTM (key 2) to see its cell state");
        return;
    }
    put_(c, "LSTM remembers: ");
    if (isfinite(m->gate_mean[GF_CELL_LSTM])) put_(c, "f averages %.2f, so ", m->gate_mean[GF_CELL_LSTM]);
    put_(c, U_GRAD_C " (c" U_SUB_T " = f" U_DOT "c" U_SUB_TM1 " + i" U_DOT "g) ");
    change_(c, m->c_ok, m->c_orders, 1);
    put_(c, " over %d steps", m->T);
    if (m->c_ok && above_band_(m, m->c_low)) put_(c, ", never into the vanishing band");
    rnn_beside_(c, m);
}

static void caption_update_gate_(Cap *c, const LessonMeasure *m)
{
    const int g = GF_CELL_GRU;
    if (!measured_(m, g)) {
        put_(c, "GRU remembers: show the GRU (key 3) to see its gradient");
        return;
    }
    put_(c, "GRU remembers: ");
    double z = m->gate_mean[g];
    if (isfinite(z))
        put_(c, "z averages %.2f, so h" U_SUB_T " = (1" U_MINUS "z)" U_DOT "n + z" U_DOT "h" U_SUB_TM1 " keeps %s of h"
             U_SUB_TM1 " and ", z, z > 0.5 ? "most" : "less than half");
    put_(c, U_GRAD_H " ");
    change_(c, m->ok[g], m->orders[g], 1);
    put_(c, " over %d steps", m->T);
    if (m->ok[g] && above_band_(m, m->low[g])) put_(c, ", never into the vanishing band");
    rnn_beside_(c, m);
}

static void caption_irnn_(Cap *c, const LessonMeasure *m)
{
    const int r = GF_CELL_RNN;
    put_(c, "IRNN: identity weight_hh and relu pass the gradient back unchanged through every active unit; " U_GRAD_H " ");
    if (m->ok[r] && m->orders[r] >= 0 && m->orders[r] < 1) put_(c, "fell only %.1f orders", m->orders[r]);
    else change_(c, m->ok[r], m->orders[r], 1);
    put_(c, " over %d steps", m->T);
}

/* No lesson: why everything falls at PyTorch's initialisation, and which keys change it. */
static void caption_default_(Cap *c, const LessonMeasure *m)
{
    int all_fell = m->shown != 0, gates_half = 1, any_gate = 0;
    for (int k = 0; k < GF_NUM_CELLS; k++) {
        if (!measured_(m, (GfCell)k)) continue;
        if (!(m->ok[k] && m->orders[k] >= 1)) all_fell = 0;
        if (k != GF_CELL_RNN && isfinite(m->gate_mean[k])) {
            any_gate = 1;
            if (fabs(m->gate_mean[k] - 0.5) > 0.1) gates_half = 0;
        }
    }
    if (m->pytorch_init && all_fell && any_gate && gates_half) {
        put_(c, "At PyTorch's initialisation the gates are near 0.5 (");
        if (isfinite(m->gate_mean[GF_CELL_LSTM]) && measured_(m, GF_CELL_LSTM))
            put_(c, "mean f %.2f", m->gate_mean[GF_CELL_LSTM]);
        if (isfinite(m->gate_mean[GF_CELL_GRU]) && measured_(m, GF_CELL_GRU))
            put_(c, "%smean z %.2f", isfinite(m->gate_mean[GF_CELL_LSTM]) && measured_(m, GF_CELL_LSTM) ? ", " : "",
                 m->gate_mean[GF_CELL_GRU]);
        put_(c, ") and tanh" U_PRIME " < 1, so each step back keeps only part of the gradient: ");
    } else if (m->pytorch_init && all_fell) {
        put_(c, "At PyTorch's initialisation tanh" U_PRIME " < 1 shrinks the gradient at every step back: ");
    } else {
        put_(c, "Going back in time, " U_GRAD_H ": ");
    }
    cells_line_(c, m);
    put_(c, ". Keys B and U raise the forget and update biases; 7 and 8 show the gradient kept");
}

/* A training lesson: its gist, then the gradients on screen now. */
static void caption_training_(Cap *c, const Lesson *l, const LessonMeasure *m)
{
    put_(c, "%s. Now ", l->caption);
    cells_line_(c, m);
}

void lesson_caption(const Lesson *l, const LessonMeasure *m, char *buf, size_t n)
{
    Cap c = {buf, n, 0};
    if (!n) return;
    buf[0] = '\0';
    if (!m->shown) { /* nothing measured yet: the gist alone */
        if (l) put_(&c, "%s", l->caption);
        return;
    }
    if (!l) {
        caption_default_(&c, m);
        return;
    }
    int rnn_lesson = l->shows == LESSON_SHOWS_VANISHING || l->shows == LESSON_SHOWS_EXPLODING ||
                     l->shows == LESSON_SHOWS_EDGE || l->shows == LESSON_SHOWS_IRNN;
    if (rnn_lesson && !measured_(m, GF_CELL_RNN)) {
        put_(&c, "%s (show the RNN, key 1, to see it)", l->caption);
        return;
    }
    switch (l->shows) {
    case LESSON_SHOWS_VANISHING: caption_vanishing_(&c, m); break;
    case LESSON_SHOWS_EXPLODING: caption_exploding_(&c, m); break;
    case LESSON_SHOWS_EDGE: caption_edge_(&c, m); break;
    case LESSON_SHOWS_CELL_STATE: caption_cell_state_(&c, m); break;
    case LESSON_SHOWS_UPDATE_GATE: caption_update_gate_(&c, m); break;
    case LESSON_SHOWS_IRNN: caption_irnn_(&c, m); break;
    case LESSON_SHOWS_TRAINING: caption_training_(&c, l, m); break;
    }
}
