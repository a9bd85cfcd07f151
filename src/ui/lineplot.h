/* lineplot.h - the small time-series plots of the views inside the cells (mean gates, gradient norms
 * per layer): the interior painted on a software Canvas (grid, strips, anti-aliased curves), the
 * spines, ticks and labels drawn through SDL. They use axis.h's PlotMap, so a plot lines up with a
 * heatmap built on the same x mapping. The per-pixel-column envelope of a long curve lives here too;
 * the gradients view draws its curves with it. */
#ifndef GF_UI_LINEPLOT_H
#define GF_UI_LINEPLOT_H

#include <SDL.h>
#include <stddef.h>

#include "axis.h"
#include "layout.h"
#include "raster.h"
#include "text.h"
#include "theme.h"

/* One curve: T values, drawn in colour with a dash style and a width in pixels. */
typedef struct LpSeries {
    const double *v; /* (T) */
    int T;
    UiColor color;
    LineStyle style;
    float width;
    int guest;       /* 1: a reference curve that does not set the y range; where it falls outside
                        the range it leaves the plot (the line breaks) */
} LpSeries;

/* Scratch polyline points, grown on demand (the caller frees xy). */
typedef struct LpScratch {
    float *xy;  /* (cap, 2) */
    size_t cap; /* points allocated */
} LpScratch;

/* How values become canvas rows: axis_y(m, v) - oy, kept inside [y0, y1]; with outside_breaks a
 * value outside a log plot's range (or not finite) is NaN instead, a break in the line. */
typedef struct LpRows {
    float oy;           /* output row of the canvas's top edge */
    float y0, y1;       /* the rows a point may take */
    int outside_breaks;
} LpRows;

/* Builds the mapping of a plot in area over T steps: log y fitted to the series (guests aside),
 * spanning at least min_decades, or linear y over [lo, hi] with ticks every `step` when lo < hi
 * (the series then do not move the range). */
void lineplot_build(PlotMap *m, UiRect area, int log, double lo, double hi, double step,
                    const LpSeries *s, int n, int T, const UiMetrics *mt, int min_gap_x_px,
                    double min_decades);

/* Polyline points of v (T) in the coordinates of a canvas whose top-left corner sits at output
 * pixel (ox, oy). When T is much larger than the width each pixel column keeps only its extreme
 * values. With outside_breaks, values outside a log plot's range (or not finite) give NaN points, a
 * break in the line, instead of the floor or the inf strip. Returns the number of points (0 if out
 * of memory). */
int lineplot_points(const PlotMap *m, const double *v, int T, int ox, int oy, int outside_breaks, LpScratch *sc);
/* The envelope of a curve with more steps than pixels: for each column col of m's area that some
 * steps fall in, the lowest row of those steps at x = x0 + col + 0.5, then the highest when it
 * differs, rows as in `rows` (NaN rows left out). With nan_breaks a column whose rows are all NaN
 * gives one NaN point, a break. v is (T); xy gets (n, 2) x, y pairs and needs room for
 * 2 * m->area.w points. Returns n. */
int lineplot_envelope(float *xy, const PlotMap *m, const double *v, int T, int x0, const LpRows *rows, int nan_breaks);

/* Paints the plot's interior onto cv (top-left at output pixel (ox, oy)): background, grid, the
 * floor and inf/NaN strips, the loss marker at t = T-1 (when loss_marker), and the series in
 * order (the last on top). */
void lineplot_paint(Canvas *cv, int ox, int oy, const PlotMap *m, const LpSeries *s, int n,
                    int loss_marker, const Theme *th, const UiMetrics *mt, LpScratch *sc);

/* Widths every plot's axes share: the spine, and a tick mark's length. */
int lineplot_spine_width(const UiMetrics *mt);
int lineplot_tick_length(const UiMetrics *mt);

/* The box (top and right lighter, left and bottom spines in the text colour, like matplotlib's)
 * and the y ticks with their labels right-aligned in yticks: what every plot's frame has. */
void lineplot_frame(SDL_Renderer *r, TextCache *tc, const PlotMap *m, const Theme *th,
                    const UiMetrics *mt, UiRect yticks);

/* lineplot_frame, and x tick marks; with x_labels the step numbers under them (in a strip
 * font_tick * 1.55 high). */
void lineplot_axes(SDL_Renderer *r, TextCache *tc, const PlotMap *m, const Theme *th,
                   const UiMetrics *mt, UiRect yticks, int x_labels);

/* Labels for the floor and inf/NaN strips, when the plot has them. */
void lineplot_strip_labels(TextCache *tc, const PlotMap *m, const Theme *th, const UiMetrics *mt);

#endif
