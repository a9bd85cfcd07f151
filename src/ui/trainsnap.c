/* trainsnap.c - copies of a training run's history, weights and milestone profiles (see
 * trainsnap.h). */
#include "trainsnap.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

long trainsnap_milestone_step(int k)
{
    static const long steps[TRAIN_MILESTONES_MAX] = {0, 100, 1000, 10000, 100000, 1000000};
    return k >= 0 && k < TRAIN_MILESTONES_MAX ? steps[k] : -1;
}

int trainsnap_milestone_index(long step)
{
    for (int k = 0; k < TRAIN_MILESTONES_MAX; k++)
        if (trainsnap_milestone_step(k) == step) return k;
    return -1;
}

/* Grows cell c's history arrays to hold cap steps, keeping the first n. */
static int cell_grow_(TrainSnapCell *sc, size_t cap)
{
    if (cap <= sc->cap) return GF_OK;
    size_t want = sc->cap ? sc->cap : 256;
    while (want < cap) want *= 2;
    double *loss = realloc(sc->loss, want * sizeof *loss);
    if (loss) sc->loss = loss;
    double *gn = realloc(sc->grad_norm, want * sizeof *gn);
    if (gn) sc->grad_norm = gn;
    double *acc = realloc(sc->accuracy, want * sizeof *acc);
    if (acc) sc->accuracy = acc;
    double *gate = realloc(sc->gate_mean, want * sizeof *gate);
    if (gate) sc->gate_mean = gate;
    unsigned char *cl = realloc(sc->clipped, want);
    if (cl) sc->clipped = cl;
    if (!loss || !gn || !acc || !gate || !cl) return GF_ERR_NOMEM;
    sc->cap = want;
    return GF_OK;
}

static void profile_free_(TrainProfile *p)
{
    free(p->grad_h);
    free(p->grad_c);
    memset(p, 0, sizeof *p);
}

static void cell_free_(TrainSnapCell *sc)
{
    free(sc->loss);
    free(sc->grad_norm);
    free(sc->accuracy);
    free(sc->gate_mean);
    free(sc->clipped);
    free(sc->params);
    for (int k = 0; k < TRAIN_MILESTONES_MAX; k++) profile_free_(&sc->prof[k]);
    memset(sc, 0, sizeof *sc);
}

void trainsnap_free(TrainSnapshot *s)
{
    if (!s) return;
    for (int c = 0; c < GF_NUM_CELLS; c++) cell_free_(&s->cell[c]);
    memset(s, 0, sizeof *s);
}

/* Copies steps [from, n) of one history into sc (n steps afterwards). */
static int cell_copy_steps_(TrainSnapCell *sc, size_t from, size_t n, const double *loss, const double *gn,
                            const double *acc, const double *gate, const unsigned char *cl)
{
    if (cell_grow_(sc, n)) return GF_ERR_NOMEM;
    size_t k = n - from;
    if (k) {
        memcpy(sc->loss + from, loss + from, k * sizeof(double));
        memcpy(sc->grad_norm + from, gn + from, k * sizeof(double));
        memcpy(sc->accuracy + from, acc + from, k * sizeof(double));
        memcpy(sc->gate_mean + from, gate + from, k * sizeof(double));
        memcpy(sc->clipped + from, cl + from, k);
    }
    sc->n = n;
    return GF_OK;
}

static int params_copy_(TrainSnapCell *sc, const double *p, size_t n)
{
    if (sc->n_params != n || !sc->params) {
        double *q = realloc(sc->params, (n ? n : 1) * sizeof *q);
        if (!q) return GF_ERR_NOMEM;
        sc->params = q;
        sc->n_params = n;
    }
    if (n) memcpy(sc->params, p, n * sizeof *p);
    return GF_OK;
}

int trainsnap_from_trainer(TrainSnapshot *s, const Trainer *tr, uint64_t epoch)
{
    int same = s->valid && s->epoch == epoch;
    for (int c = 0; c < GF_NUM_CELLS; c++) {
        const TrainCell *tc = &tr->cell[c];
        TrainSnapCell *sc = &s->cell[c];
        if (!tc->active) {
            cell_free_(sc);
            continue;
        }
        sc->active = 1;
        const TrainHistory *h = &tc->hist;
        size_t from = same && sc->n <= h->n ? sc->n : 0;
        int rc = cell_copy_steps_(sc, from, h->n, h->loss, h->grad_norm, h->accuracy, h->gate_mean, h->clipped);
        if (!rc) rc = params_copy_(sc, tc->params, tc->n_params);
        if (rc) return rc;
    }
    s->cfg = tr->cfg;
    s->step = tr->step;
    s->epoch = epoch;
    s->valid = 1;
    return GF_OK;
}

static int profile_set_(TrainProfile *p, long step, int L, int T, const double *gh, const double *gc)
{
    size_t n = (size_t)L * (size_t)T;
    if ((size_t)p->L * (size_t)p->T != n || !p->grad_h || (gc && !p->grad_c) || (!gc && p->grad_c)) {
        profile_free_(p);
        p->grad_h = malloc(n * sizeof(double));
        if (gc) p->grad_c = malloc(n * sizeof(double));
        if (!p->grad_h || (gc && !p->grad_c)) {
            profile_free_(p);
            return GF_ERR_NOMEM;
        }
    }
    memcpy(p->grad_h, gh, n * sizeof(double));
    if (gc) memcpy(p->grad_c, gc, n * sizeof(double));
    p->step = step;
    p->L = L;
    p->T = T;
    return GF_OK;
}

int trainsnap_add_profile(TrainSnapshot *s, int c, long step, const CellResult *r)
{
    if (c < 0 || c >= GF_NUM_CELLS || !r->ran) return GF_OK;
    TrainSnapCell *sc = &s->cell[c];
    int k = 0;
    while (k < sc->nprof && sc->prof[k].step != step) k++;
    if (k == sc->nprof) {
        if (sc->nprof == TRAIN_MILESTONES_MAX) return GF_OK;
        sc->nprof++;
    }
    int rc = profile_set_(&sc->prof[k], step, r->L, r->T, r->grad_h_norm, r->grad_c_norm);
    if (rc && k == sc->nprof - 1 && !sc->prof[k].grad_h) sc->nprof--;
    return rc;
}

void trainsnap_drop_profiles(TrainSnapshot *s, long after)
{
    for (int c = 0; c < GF_NUM_CELLS; c++) {
        TrainSnapCell *sc = &s->cell[c];
        int keep = 0;
        for (int k = 0; k < sc->nprof; k++) {
            if (sc->prof[k].step <= after) {
                if (keep != k) {
                    TrainProfile tmp = sc->prof[keep];
                    sc->prof[keep] = sc->prof[k];
                    sc->prof[k] = tmp;
                }
                keep++;
            }
        }
        for (int k = keep; k < sc->nprof; k++) profile_free_(&sc->prof[k]);
        sc->nprof = keep;
    }
}

int trainsnap_copy(TrainSnapshot *dst, const TrainSnapshot *src)
{
    int same = dst->valid && dst->epoch == src->epoch;
    for (int c = 0; c < GF_NUM_CELLS; c++) {
        const TrainSnapCell *a = &src->cell[c];
        TrainSnapCell *b = &dst->cell[c];
        if (!a->active) {
            cell_free_(b);
            continue;
        }
        b->active = 1;
        size_t from = same && b->n <= a->n ? b->n : 0;
        int rc = cell_copy_steps_(b, from, a->n, a->loss, a->grad_norm, a->accuracy, a->gate_mean, a->clipped);
        if (!rc) rc = params_copy_(b, a->params, a->n_params);
        if (rc) return rc;
        for (int k = 0; k < a->nprof; k++) {
            const TrainProfile *p = &a->prof[k];
            if (k < b->nprof && b->prof[k].step == p->step && same) continue; /* a profile never changes */
            if ((rc = profile_set_(&b->prof[k], p->step, p->L, p->T, p->grad_h, p->grad_c))) {
                b->nprof = k;
                return rc;
            }
        }
        for (int k = a->nprof; k < b->nprof; k++) profile_free_(&b->prof[k]);
        b->nprof = a->nprof;
    }
    dst->valid = src->valid;
    dst->epoch = src->epoch;
    dst->cfg = src->cfg;
    dst->step = src->step;
    dst->running = src->running;
    dst->rc = src->rc;
    memcpy(dst->msg, src->msg, sizeof dst->msg);
    return GF_OK;
}

int trainsnap_push(TrainSnapshot *s, int c, double loss, double grad_norm, int clipped, double accuracy,
                   double gate_mean)
{
    TrainSnapCell *sc = &s->cell[c];
    if (cell_grow_(sc, sc->n + 1)) return GF_ERR_NOMEM;
    sc->active = 1;
    sc->loss[sc->n] = loss;
    sc->grad_norm[sc->n] = grad_norm;
    sc->clipped[sc->n] = (unsigned char)(clipped != 0);
    sc->accuracy[sc->n] = accuracy;
    sc->gate_mean[sc->n] = gate_mean;
    sc->n++;
    s->valid = 1;
    return GF_OK;
}

void trainsnap_running_mean(const double *v, size_t n, size_t w, double *out)
{
    /* out_i = (sum of the finite v_j, i-w < j <= i) / (how many): a sliding sum */
    double sum = 0.0;
    size_t cnt = 0;
    if (w == 0) w = 1;
    for (size_t i = 0; i < n; i++) {
        if (isfinite(v[i])) sum += v[i], cnt++;
        if (i >= w && isfinite(v[i - w])) sum -= v[i - w], cnt--;
        out[i] = cnt ? sum / (double)cnt : NAN;
    }
}
