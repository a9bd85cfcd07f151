/* plotdata.c - copying results out of a Sim (norms, and the states of sequence 0 downsampled for
 * the heatmaps), and the numbers the legend prints. */
#include "plotdata.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int plotdata_alloc(PlotData *pd, unsigned mask, int L, int T)
{
    size_t need = 0;
    for (int c = 0; c < GF_NUM_CELLS; c++)
        if (mask & (1u << c)) need += (size_t)L * (size_t)T * (c == GF_CELL_LSTM ? 4 : 3) + (size_t)T;
    if (need > pd->cap) {
        double *b = malloc((need ? need : 1) * sizeof *b);
        if (!b) return GF_ERR_NOMEM;
        free(pd->block);
        pd->block = b;
        pd->cap = need;
    }
    double *p = pd->block;
    pd->states_digest = 0; /* no states until plotdata_alloc_states / plotdata_copy_states */
    for (int c = 0; c < GF_NUM_CELLS; c++) {
        PlotCell *pc = &pd->cell[c];
        memset(pc, 0, sizeof *pc);
        pc->cell = (GfCell)c;
        if (!(mask & (1u << c))) continue;
        size_t n = (size_t)L * (size_t)T;
        pc->ran = 1;
        pc->L = L;
        pc->T = T;
        pc->G = gf_cell_gates((GfCell)c);
        pc->grad_h = p;
        memset(p, 0, n * sizeof *p);
        p += n;
        if (c == GF_CELL_LSTM) {
            pc->grad_c = p;
            memset(p, 0, n * sizeof *p);
            p += n;
        }
        pc->factor = p, pc->factor_max = p + n, pc->grad_x = p + 2 * n; /* (L, T), (L, T), (T) */
        memset(p, 0, (2 * n + (size_t)T) * sizeof *p);
        p += 2 * n + (size_t)T;
    }
    pd->mark_seqs = 0;
    pd->valid = 1;
    return GF_OK;
}

int plotdata_copy_sim(PlotData *pd, const Sim *sim)
{
    unsigned mask = 0;
    int L = 0, T = 0;
    for (int c = 0; c < GF_NUM_CELLS; c++) {
        const CellResult *r = &sim->result[c];
        if (!r->ran) continue;
        mask |= 1u << c;
        L = r->L;
        T = r->T;
    }
    int rc = plotdata_alloc(pd, mask, L, T);
    if (rc) return rc;
    pd->config = sim->config;
    pd->config.weights = NULL; /* not owned and not needed for drawing */
    for (int c = 0; c < GF_NUM_CELLS; c++) {
        const CellResult *r = &sim->result[c];
        PlotCell *pc = &pd->cell[c];
        if (!r->ran) continue;
        size_t n = (size_t)L * (size_t)T;
        memcpy(pc->grad_h, r->grad_h_norm, n * sizeof *pc->grad_h);
        if (pc->grad_c && r->grad_c_norm) memcpy(pc->grad_c, r->grad_c_norm, n * sizeof *pc->grad_c);
        pc->H = r->H;
        pc->G = r->G;
        pc->loss = r->loss;
        memcpy(pc->sigma_max, r->sigma_max, sizeof pc->sigma_max);
        memcpy(pc->spectral_radius, r->spectral_radius, sizeof pc->spectral_radius);
        pc->nonfinite = r->nonfinite;
        pc->ms = r->ms_forward + r->ms_backward;
        if (r->grad_x_norm) memcpy(pc->grad_x, r->grad_x_norm, (size_t)T * sizeof *pc->grad_x);
        pc->has_factors = r->factor && r->factor_max;
        if (pc->has_factors) {
            memcpy(pc->factor, r->factor, n * sizeof *pc->factor);
            memcpy(pc->factor_max, r->factor_max, n * sizeof *pc->factor_max);
        }
        memcpy(pc->deriv_mean, r->deriv_mean, sizeof pc->deriv_mean);
    }
    pd->mark_seqs = sim->data.B < PLOT_MARK_SEQS ? sim->data.B : PLOT_MARK_SEQS;
    for (int b = 0; b < pd->mark_seqs; b++) {
        int n = task_marks(&sim->data, b, pd->marks[b], GF_TASK_MARKS_MAX);
        pd->nmarks[b] = n < GF_TASK_MARKS_MAX ? n : GF_TASK_MARKS_MAX;
    }
    if ((rc = plotdata_alloc_states(pd))) return rc;
    plotdata_copy_states(pd, sim);
    return GF_OK;
}

/* ---------------------------------------------------------------- states --------------------- */

void plotdata_map_grid(PlotStates *st, int T, int H)
{
    if (T < 1) T = 1;
    if (H < 1) H = 1;
    /* k steps per column, k = ceil(T / COLS_MAX): whole steps, the last column may hold fewer */
    st->steps_per_col = (T + PLOT_MAP_COLS_MAX - 1) / PLOT_MAP_COLS_MAX;
    st->cols = (T + st->steps_per_col - 1) / st->steps_per_col;
    st->unit_step = (H + PLOT_MAP_ROWS_MAX - 1) / PLOT_MAP_ROWS_MAX;
    st->rows = (H + st->unit_step - 1) / st->unit_step;
}

static int maps_of_(GfCell c) { return c == GF_CELL_LSTM ? 6 : c == GF_CELL_GRU ? 4 : 1; }

int plotdata_gate_map(GfCell cell, int k) { return cell == GF_CELL_LSTM ? 2 + k : 1 + k; }

/* Doubles and floats one cell's PlotStates needs. */
static void states_size_(const PlotCell *pc, const PlotStates *st, size_t *nd, size_t *nf)
{
    size_t L = (size_t)pc->L, T = (size_t)pc->T, H = (size_t)pc->H;
    *nd = (pc->cell != GF_CELL_RNN ? L * T : 0) + L * H + (pc->cell == GF_CELL_LSTM ? L * H : 0) + H;
    if (st->bidir) *nd += L * H + H + L * T; /* h_n_rev, out_last_rev, grad_h_rev */
    *nf = L * (size_t)st->nmaps * (size_t)st->rows * (size_t)st->cols;
}

int plotdata_alloc_states(PlotData *pd)
{
    size_t nd = 0, nf = 0;
    for (int c = 0; c < GF_NUM_CELLS; c++) {
        PlotCell *pc = &pd->cell[c];
        memset(&pc->st, 0, sizeof pc->st);
        if (!pc->ran) continue;
        plotdata_map_grid(&pc->st, pc->T, pc->H);
        pc->st.nmaps = maps_of_((GfCell)c);
        pc->st.bidir = pd->config.bidirectional != 0;
        size_t d, f;
        states_size_(pc, &pc->st, &d, &f);
        nd += d;
        nf += f;
    }
    size_t bytes = nd * sizeof(double) + nf * sizeof(float); /* doubles first: aligned */
    if (bytes > pd->scap) {
        void *b = malloc(bytes ? bytes : 1);
        if (!b) return GF_ERR_NOMEM;
        free(pd->sblock);
        pd->sblock = b;
        pd->scap = bytes;
    }
    memset(pd->sblock, 0, bytes);
    double *dp = pd->sblock;
    float *fp = (float *)(dp + nd);
    for (int c = 0; c < GF_NUM_CELLS; c++) {
        PlotCell *pc = &pd->cell[c];
        if (!pc->ran) continue;
        PlotStates *st = &pc->st;
        size_t L = (size_t)pc->L, T = (size_t)pc->T, H = (size_t)pc->H, d, f;
        states_size_(pc, st, &d, &f);
        if (c != GF_CELL_RNN) st->gate_mean = dp, dp += L * T;
        st->h_n = dp, dp += L * H;
        if (c == GF_CELL_LSTM) st->c_n = dp, dp += L * H;
        st->out_last = dp, dp += H;
        pc->grad_h_rev = NULL;
        if (st->bidir) {
            st->h_n_rev = dp, dp += L * H;
            st->out_last_rev = dp, dp += H;
            pc->grad_h_rev = dp, dp += L * T;
        }
        st->maps = fp, fp += f;
    }
    return GF_OK;
}

const float *plotdata_map(const PlotCell *pc, int l, int m)
{
    const PlotStates *st = &pc->st;
    if (!pc->ran || !st->maps || l < 0 || l >= pc->L || m < 0 || m >= st->nmaps) return NULL;
    return st->maps + ((size_t)l * (size_t)st->nmaps + (size_t)m) * (size_t)st->rows * (size_t)st->cols;
}

/* One cell's states from its result, for sequence b = 0. */
static void states_fill_(PlotCell *pc, const CellResult *cr, const double *y)
{
    PlotStates *st = &pc->st;
    const int L = pc->L, T = pc->T, H = pc->H, G = cr->G;
    const int nm = st->nmaps, rows = st->rows, us = st->unit_step, k = st->steps_per_col;
    double acc[PLOT_MAPS_MAX * PLOT_MAP_ROWS_MAX]; /* (nmaps, rows) sums of the current column */
    for (int l = 0; l < L; l++) {
        for (int j = 0; j < st->cols; j++) {
            int t0 = j * k, t1 = t0 + k < T ? t0 + k : T;
            memset(acc, 0, sizeof(double) * (size_t)(nm * rows));
            for (int t = t0; t < t1; t++) {
                const double *h = cell_at(cr, cr->h, l, 0, t);
                for (int r = 0; r < rows; r++) acc[r] += h[r * us];
                if (pc->cell == GF_CELL_LSTM) {
                    const double *c = cell_at(cr, cr->c, l, 0, t);
                    for (int r = 0; r < rows; r++) acc[rows + r] += c[r * us];
                }
                if (G > 1) {
                    const double *g = cell_gate_at(cr, l, 0, t); /* (G*H): gate blocks in order */
                    for (int gi = 0; gi < G; gi++) {
                        double *a = acc + (size_t)plotdata_gate_map(pc->cell, gi) * (size_t)rows;
                        for (int r = 0; r < rows; r++) a[r] += g[gi * H + r * us];
                    }
                }
            }
            double inv = 1.0 / (t1 - t0); /* the column is the mean of its steps */
            for (int m = 0; m < nm; m++) {
                float *map = st->maps + ((size_t)l * nm + m) * (size_t)rows * (size_t)st->cols;
                for (int r = 0; r < rows; r++) map[(size_t)r * st->cols + j] = (float)(acc[m * rows + r] * inv);
            }
        }
        /* mean forget gate (lstm, gate 1 = f) or update gate (gru, gate 1 = z) over the units */
        if (st->gate_mean)
            for (int t = 0; t < T; t++) {
                const double *g = cell_gate_at(cr, l, 0, t) + H; /* gate block 1 */
                double s = 0;
                for (int u = 0; u < H; u++) s += g[u];
                st->gate_mean[(size_t)l * T + t] = s / H;
            }
        memcpy(st->h_n + (size_t)l * H, cell_at(cr, cr->h, l, 0, T - 1), sizeof(double) * (size_t)H);
        if (st->c_n) memcpy(st->c_n + (size_t)l * H, cell_at(cr, cr->c, l, 0, T - 1), sizeof(double) * (size_t)H);
    }
    /* output (B, T, D*H) is the top layer's h at every step; h_n (L*D, B, H) every layer's (and
       direction's) last state: the forward one at t = T-1, the reverse one at t = 0 */
    memcpy(st->out_last, cell_at(cr, cr->h, L - 1, 0, T - 1), sizeof(double) * (size_t)H);
    if (st->bidir) {
        for (int l = 0; l < L; l++)
            memcpy(st->h_n_rev + (size_t)l * H, cell_at(cr, cr->h, l, 0, 0) + H, sizeof(double) * (size_t)H);
        memcpy(st->out_last_rev, cell_at(cr, cr->h, L - 1, 0, T - 1) + H, sizeof(double) * (size_t)H);
        memcpy(pc->grad_h_rev, cr->grad_h_norm_reverse, sizeof(double) * (size_t)L * T);
    }
    st->O = cr->O < 8 ? cr->O : 8;
    for (int o = 0; o < st->O; o++) st->y0[o] = y[o];
    /* the head once more, from the copies above: y = head.weight [h_n[-1]] + head.bias, or
       [h_n[-2], h_n[-1]] when bidirectional (a task scored at every step reads output[:, t]
       instead: no check) */
    const int D = st->bidir ? 2 : 1;
    for (int o = 0; o < st->O; o++) {
        const double *w = cr->params.head_weight + (size_t)o * D * H;
        double v = cr->params.head_bias[o];
        for (int u = 0; u < H; u++) v += w[u] * st->h_n[(size_t)(L - 1) * H + u];
        if (st->bidir)
            for (int u = 0; u < H; u++) v += w[H + u] * st->h_n_rev[(size_t)(L - 1) * H + u];
        st->y_check[o] = v;
    }
}

void plotdata_copy_states(PlotData *pd, const Sim *sim)
{
    for (int c = 0; c < GF_NUM_CELLS; c++) {
        PlotCell *pc = &pd->cell[c];
        const CellResult *r = &sim->result[c];
        if (!pc->ran || !r->ran || !pc->st.maps) continue;
        states_fill_(pc, r, r->y);
    }
    plotdata_states_digest(pd);
}

/* FNV-1a over 64-bit words (a tail of fewer bytes is folded in byte by byte). */
static uint64_t fnv_words_(uint64_t h, const void *p, size_t n)
{
    const unsigned char *b = p;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, b + i, 8);
        h = (h ^ w) * 1099511628211ull;
    }
    for (; i < n; i++) h = (h ^ b[i]) * 1099511628211ull;
    return h;
}

void plotdata_states_digest(PlotData *pd)
{
    uint64_t h = 1469598103934665603ull;
    for (int c = 0; c < GF_NUM_CELLS; c++) {
        const PlotCell *pc = &pd->cell[c];
        if (!pc->ran || !pc->st.maps) continue;
        size_t d, f;
        states_size_(pc, &pc->st, &d, &f);
        h = fnv_words_(h, &pc->st.rows, sizeof pc->st.rows);
        h = fnv_words_(h, &pc->st.cols, sizeof pc->st.cols);
        h = fnv_words_(h, pc->st.maps, f * sizeof(float));
        if (pc->st.gate_mean) h = fnv_words_(h, pc->st.gate_mean, (size_t)pc->L * (size_t)pc->T * sizeof(double));
        h = fnv_words_(h, pc->st.h_n, (size_t)pc->L * (size_t)pc->H * sizeof(double));
        if (pc->st.h_n_rev) h = fnv_words_(h, pc->st.h_n_rev, (size_t)pc->L * (size_t)pc->H * sizeof(double));
        h = fnv_words_(h, pc->st.y0, sizeof pc->st.y0);
    }
    pd->states_digest = h;
}

void plotdata_free(PlotData *pd)
{
    free(pd->block);
    free(pd->sblock);
    memset(pd, 0, sizeof *pd);
}

void plotdata_swap(PlotData *a, PlotData *b)
{
    PlotData t = *a;
    *a = *b;
    *b = t;
}

int plotdata_legend_layer(const PlotCell *pc, int layer_shown)
{
    return layer_shown >= 0 && layer_shown < pc->L ? layer_shown : pc->L - 1;
}

int plotdata_orders(const PlotCell *pc, int layer, double *orders, const char **why)
{
    const double *g = pc->grad_h + (size_t)layer * (size_t)pc->T;
    double first = g[0], last = g[pc->T - 1];
    *why = NULL;
    if (isnan(first) || isnan(last)) {
        *why = "NaN";
        return -1;
    }
    if (isinf(first) || isinf(last)) {
        *why = "overflowed to inf";
        return -1;
    }
    if (last <= 0) {
        *why = "no gradient at t = T-1";
        return -1;
    }
    if (first <= 0) {
        *why = "vanished to exactly 0";
        return -1;
    }
    *orders = log10(last) - log10(first); /* log10(g_{T-1} / g_0) */
    return 0;
}

double plotdata_bound_log10(const PlotCell *pc, int layer, int t)
{
    if (pc->cell != GF_CELL_RNN || layer < 0 || layer >= pc->L) return NAN;
    double gT = pc->grad_h[(size_t)layer * (size_t)pc->T + (size_t)(pc->T - 1)];
    double sigma = pc->sigma_max[layer][0];
    if (!(gT > 0) || isinf(gT) || !(sigma > 0) || isinf(sigma)) return NAN;
    /* log10( ||dL/dh_{T-1}|| * (gamma sigma_max)^(T-1-t) ), gamma = 1 */
    return log10(gT) + (double)(pc->T - 1 - t) * log10(sigma);
}
