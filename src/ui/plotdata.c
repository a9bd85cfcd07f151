/* plotdata.c - copying results out of a Sim, and the numbers the legend prints. */
#include "plotdata.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int plotdata_alloc(PlotData *pd, unsigned mask, int L, int T)
{
    size_t need = 0;
    for (int c = 0; c < GF_NUM_CELLS; c++)
        if (mask & (1u << c)) need += (size_t)L * (size_t)T * (c == GF_CELL_LSTM ? 2 : 1);
    if (need > pd->cap) {
        double *b = malloc((need ? need : 1) * sizeof *b);
        if (!b) return GF_ERR_NOMEM;
        free(pd->block);
        pd->block = b;
        pd->cap = need;
    }
    double *p = pd->block;
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
    }
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
    }
    return GF_OK;
}

void plotdata_free(PlotData *pd)
{
    free(pd->block);
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
