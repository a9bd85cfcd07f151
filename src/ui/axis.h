/* axis.h - the plot's coordinate maths: y range from the data (log decades or linear), tick steps
 * that keep labels apart, the floor and inf/NaN strips, and the mapping from (t, value) to pixels.
 * Plain C, no SDL. */
#ifndef GF_UI_AXIS_H
#define GF_UI_AXIS_H

#include <stddef.h>

#include "geom.h"

/* Values below this (and exact zeros) have no place on a log axis: they are drawn in a strip under
 * it, marked as the floor. 1e-300 itself still shows. */
#define AXIS_FLOOR 1e-300

/* What the visible data spans; fill with axis_fit_add. */
typedef struct AxisFit {
    double vmin;       /* smallest finite value >= AXIS_FLOOR (log) / smallest finite (linear) */
    double vmax;       /* largest finite value */
    int any;           /* some finite value at or above the floor was seen */
    int any_floor;     /* some value was 0 or below AXIS_FLOOR */
    int any_nonfinite; /* some value was inf or NaN */
} AxisFit;

void axis_fit_init(AxisFit *f);
/* Adds n values v (n). */
void axis_fit_add(AxisFit *f, const double *v, size_t n);
/* Adds values in log10 units (the theory bound), without letting them move the floor strip. */
void axis_fit_add_log10(AxisFit *f, double lg);

typedef struct PlotMap {
    int log;            /* 1: log10 y axis */
    double lo, hi;      /* y range: log10 units (log) or values (linear) */
    double major;       /* labelled tick step (decades when log) */
    double minor;       /* unlabelled grid step, 0 for none */
    UiRect area;        /* the plot interior in output pixels */
    int main_y0, main_y1; /* pixel rows of hi (top) and lo (bottom) */
    int floor_band;     /* a floor strip is drawn in rows [floor_y0, floor_y1) */
    int floor_y0, floor_y1;
    int top_band;       /* an inf/NaN strip in rows [top_y0, top_y1) */
    int top_y0, top_y1;
    int T;              /* steps on the x axis */
    double xlo, xhi;    /* x range in steps (a small margin beyond 0 and T-1) */
    int x_major;        /* labelled x tick step, in steps */
} PlotMap;

/* Builds the mapping for data f in area: log or linear, T steps, strips of band_px rows, label
 * steps chosen so labels are at least min_gap_px apart (vertically) / min_gap_x_px (horizontally). */
void axis_build(PlotMap *m, const AxisFit *f, int log, UiRect area, int T, int band_px,
                int min_gap_px, int min_gap_x_px);

/* Pixel row of value v: in the main range, or the middle of the floor / inf strip. Values above
 * the range map above main_y0 (callers clip to the area). */
float axis_y(const PlotMap *m, double v);
/* Pixel row of a value given in log10 units (log axis only; linear converts). */
float axis_y_log10(const PlotMap *m, double lg);
/* Pixel column of step t (fractional steps allowed). */
float axis_x(const PlotMap *m, double t);
/* The step nearest to pixel column px, or -1 if px lies outside the plot area. */
int axis_step_at(const PlotMap *m, int px);

/* The right edge for labels inside the plot: pad pixels left of the dotted loss marker at
 * t = T-1 (and of the plot's right edge), so no label runs into the marker. */
int axis_label_right(const PlotMap *m, int pad);

/* A tick's label: "1e-5" on a log axis (tick in decades), "0.25" or "2.5e-07" on a linear one. */
void axis_format_y(const PlotMap *m, double tick, char *buf, size_t n);

/* v printed with fmt (one double, e.g. "%.4g") into buf, except that a value that is not finite
 * reads "NaN", "inf" or "−inf" (never printf's "-nan"): every number a label shows goes
 * through here. Returns buf. */
const char *axis_format_number(char *buf, size_t n, const char *fmt, double v);

/* The nice step (1, 2, 5 x 10^k) closest above raw. */
double axis_nice_step(double raw);

#endif
