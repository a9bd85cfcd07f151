/* caption.c - the caption's numbers, read off the picture's data (see caption.h). */
#include "caption.h"

#include <math.h>

/* log10 of the smallest of g's T values (-inf if one is 0, NaN if one is NaN). */
static double low_log10_(const double *g, int T)
{
    double lo = INFINITY;
    for (int t = 0; t < T; t++) {
        if (isnan(g[t])) return NAN;
        if (g[t] < lo) lo = g[t];
    }
    return lo > 0 ? log10(lo) : -INFINITY;
}

/* log10(g_{T-1} / g_0) when both are finite and > 0: the decades the gradient fell going back. */
static int orders_(const double *g, int T, double *out)
{
    double first = g[0], last = g[T - 1];
    if (!(first > 0) || !(last > 0) || isinf(first) || isinf(last)) return 0;
    *out = log10(last) - log10(first);
    return 1;
}

void caption_measure(const PlotData *pd, unsigned shown, int layer_shown, int pytorch_init, LessonMeasure *m)
{
    lesson_measure_clear(m);
    if (!pd || !pd->valid) return;
    const SimConfig *cfg = &pd->config;
    m->pytorch_init = pytorch_init && cfg->init == GF_INIT_PYTORCH && cfg->weight_scale == 1.0 &&
                      isnan(cfg->forget_bias) && isnan(cfg->update_bias);
    for (int c = 0; c < GF_NUM_CELLS; c++)
        if (cfg->params[c]) m->pytorch_init = 0; /* weights being trained */
    for (int c = 0; c < GF_NUM_CELLS; c++) {
        const PlotCell *pc = &pd->cell[c];
        if (!pc->ran || !(shown & (1u << c)) || pc->T < 1) continue;
        int l = plotdata_legend_layer(pc, layer_shown);
        const int T = pc->T;
        const double *g = pc->grad_h + (size_t)l * (size_t)T; /* (T) of layer l */
        m->shown |= 1u << c;
        m->T = T;
        m->ok[c] = orders_(g, T, &m->orders[c]);
        m->low[c] = low_log10_(g, T);
        if (g[T - 1] > 0 && isfinite(g[T - 1]) && !(log10(g[T - 1]) <= m->ref)) m->ref = log10(g[T - 1]);
        if (pc->grad_c) {
            const double *gc = pc->grad_c + (size_t)l * (size_t)T;
            m->c_ok = orders_(gc, T, &m->c_orders);
            m->c_low = low_log10_(gc, T);
        }
        if (pc->st.gate_mean) { /* (L, T): the mean over units of f_t or z_t at each step */
            double s = 0;
            for (int t = 0; t < T; t++) s += pc->st.gate_mean[(size_t)l * (size_t)T + (size_t)t];
            m->gate_mean[c] = s / T;
        }
        if (c == GF_CELL_RNN) m->sigma_max = pc->sigma_max[l][0];
    }
}

void caption_text(int lesson, const PlotData *pd, unsigned shown, int layer_shown, int pytorch_init, char *buf,
                  size_t n)
{
    if (!n) return;
    LessonMeasure m;
    caption_measure(pd, shown, layer_shown, pytorch_init, &m);
    const Lesson *l = lesson_at(lesson);
    if (!l && !m.shown) {
        buf[0] = '\0';
        return;
    }
    lesson_caption(l, &m, buf, n);
}
