/* axis.c - y range and ticks from the data, the floor and inf/NaN strips, pixel mapping. */
#include "axis.h"

#include <math.h>
#include <stdio.h>

void axis_fit_init(AxisFit *f)
{
    f->vmin = INFINITY;
    f->vmax = -INFINITY;
    f->any = f->any_floor = f->any_nonfinite = 0;
}

void axis_fit_add(AxisFit *f, const double *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        double x = v[i];
        if (!isfinite(x)) {
            f->any_nonfinite = 1;
            continue;
        }
        if (x < AXIS_FLOOR) {
            f->any_floor = 1; /* exact zeros, denormals, anything a log axis cannot place */
            continue;
        }
        if (x < f->vmin) f->vmin = x;
        if (x > f->vmax) f->vmax = x;
        f->any = 1;
    }
}

void axis_fit_add_log10(AxisFit *f, double lg)
{
    if (!isfinite(lg) || lg < log10(AXIS_FLOOR) || lg > 300) return;
    double x = pow(10.0, lg);
    if (x < f->vmin) f->vmin = x;
    if (x > f->vmax) f->vmax = x;
    f->any = 1;
}

double axis_nice_step(double raw)
{
    if (!(raw > 0)) return 1;
    double p = pow(10.0, floor(log10(raw)));
    double m = raw / p;
    /* 1, 2, 5: the classic ladder; the small slack keeps 0.2 from becoming 0.5 through rounding */
    double k = m <= 1.0000001 ? 1 : m <= 2.0000001 ? 2 : m <= 5.0000001 ? 5 : 10;
    return k * p;
}

/* Decade steps for labels: 1, 2, 5, 10, 20, 50, 100 decades ... */
static double decade_step_(double decades, double px_span, double min_gap)
{
    static const double ladder[] = {1, 2, 5, 10, 20, 25, 50, 100, 200};
    for (size_t i = 0; i < sizeof ladder / sizeof *ladder; i++)
        if (px_span * ladder[i] / decades >= min_gap) return ladder[i];
    return 200;
}

void axis_build(PlotMap *m, const AxisFit *f, int log, UiRect area, int T, int band_px,
                int min_gap_px, int min_gap_x_px)
{
    m->log = log;
    m->area = area;
    m->T = T < 1 ? 1 : T;
    m->floor_band = log && f->any_floor;
    m->top_band = f->any_nonfinite;
    int y = area.y, y1 = area.y + area.h;
    if (m->top_band) {
        m->top_y0 = y;
        m->top_y1 = y + band_px;
        y += band_px + band_px / 3; /* a gap between the strip and the range */
    } else {
        m->top_y0 = m->top_y1 = 0;
    }
    if (m->floor_band) {
        m->floor_y1 = y1;
        m->floor_y0 = y1 - band_px;
        y1 -= band_px + band_px / 3;
    } else {
        m->floor_y0 = m->floor_y1 = 0;
    }
    m->main_y0 = y;
    m->main_y1 = y1 > y + 1 ? y1 : y + 1;
    double span_px = m->main_y1 - m->main_y0;

    if (log) {
        double lmin = f->any ? log10(f->vmin) : -1, lmax = f->any ? log10(f->vmax) : 0;
        /* whole decades with a little air, and at least three decades so a flat curve reads flat */
        m->hi = ceil(lmax + 0.1);
        m->lo = floor(lmin - 0.1);
        if (m->hi - m->lo < 3) {
            double mid = floor((m->hi + m->lo) / 2);
            m->lo = fmin(m->lo, mid - 1);
            m->hi = m->lo + 3;
        }
        if (m->lo < -300) m->lo = -300;
        double dec = m->hi - m->lo;
        m->major = decade_step_(dec, span_px, min_gap_px);
        /* a range much taller than one label step ends on labelled lines */
        if (dec >= 4 * m->major) {
            double hr = ceil(m->hi / m->major - 0.2) * m->major;
            double lr = floor(m->lo / m->major + 0.2) * m->major;
            if (hr >= lmax) m->hi = hr; /* only where no data is cut off */
            if (lr <= lmin && lr >= -300) m->lo = lr;
            dec = m->hi - m->lo;
        }
        m->minor = 0;
        static const double minors[] = {1, 2, 5, 10, 20, 50};
        for (size_t i = 0; i < sizeof minors / sizeof *minors; i++) {
            double s = minors[i];
            if (s >= m->major) break;
            if (fmod(m->major, s) != 0) continue;
            if (span_px * s / dec >= 5) {
                m->minor = s;
                break;
            }
        }
    } else {
        double vmax = f->any ? f->vmax : 1;
        if (!(vmax > 0)) vmax = 1;
        m->lo = 0;
        double step = axis_nice_step(vmax * 1.05 / fmax(1.0, span_px / min_gap_px));
        m->hi = ceil(vmax * 1.05 / step) * step;
        if (!(m->hi > 0)) m->hi = step;
        m->major = step;
        m->minor = 0;
    }

    /* x: steps 0 .. T-1 with a margin of 2 % on both sides (at least half a step) */
    double margin = fmax(0.5, 0.02 * (m->T - 1));
    m->xlo = -margin;
    m->xhi = (m->T - 1) + margin;
    double per_px = (m->xhi - m->xlo) / (area.w > 1 ? area.w : 1);
    double raw = per_px * min_gap_x_px;
    double xs = axis_nice_step(raw);
    m->x_major = xs < 1 ? 1 : (int)xs;
}

float axis_y_log10(const PlotMap *m, double lg)
{
    double span = m->hi - m->lo;
    double v = m->log ? lg : pow(10.0, lg);
    return (float)(m->main_y0 + (m->hi - v) / span * (m->main_y1 - m->main_y0));
}

float axis_y(const PlotMap *m, double v)
{
    if (!isfinite(v)) {
        if (m->top_band) return (float)(m->top_y0 + m->top_y1) * 0.5f;
        return (float)m->area.y;
    }
    if (m->log) {
        if (v < AXIS_FLOOR) {
            if (m->floor_band) return (float)(m->floor_y0 + m->floor_y1) * 0.5f;
            return (float)(m->area.y + m->area.h);
        }
        return axis_y_log10(m, log10(v));
    }
    return (float)(m->main_y0 + (m->hi - v) / (m->hi - m->lo) * (m->main_y1 - m->main_y0));
}

float axis_x(const PlotMap *m, double t)
{
    return (float)(m->area.x + (t - m->xlo) / (m->xhi - m->xlo) * m->area.w);
}

int axis_step_at(const PlotMap *m, int px)
{
    if (px < m->area.x || px >= m->area.x + m->area.w) return -1;
    double t = m->xlo + ((double)px + 0.5 - m->area.x) / m->area.w * (m->xhi - m->xlo);
    long s = lround(t);
    if (s < 0) s = 0;
    if (s > m->T - 1) s = m->T - 1;
    return (int)s;
}

int axis_label_right(const PlotMap *m, int pad)
{
    int right = m->area.x + m->area.w - pad;
    int marker = (int)floorf(axis_x(m, m->T - 1)) - pad;
    return marker < right ? marker : right;
}

const char *axis_format_number(char *buf, size_t n, const char *fmt, double v)
{
    if (!n) return buf;
    if (isnan(v)) snprintf(buf, n, "NaN"); /* whatever its sign bit says */
    else if (isinf(v)) snprintf(buf, n, "%s", v > 0 ? "inf" : "\xE2\x88\x92" "inf"); /* U+2212 minus */
    else {
#if defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
#endif
        snprintf(buf, n, fmt, v);
#if defined(__GNUC__)
#pragma GCC diagnostic pop
#endif
    }
    return buf;
}

void axis_format_y(const PlotMap *m, double tick, char *buf, size_t n)
{
    if (m->log) {
        snprintf(buf, n, "1e%d", (int)lround(tick));
        return;
    }
    if (tick == 0) {
        snprintf(buf, n, "0");
        return;
    }
    if (m->major < 1e-3 || m->hi >= 1e5) {
        snprintf(buf, n, "%.2g", tick);
        return;
    }
    int decimals = m->major >= 1 ? 0 : (int)ceil(-log10(m->major) - 1e-9);
    snprintf(buf, n, "%.*f", decimals, tick);
}
