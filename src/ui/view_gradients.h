/* view_gradients.h - the "gradients" view: ||dL/dh_t|| of every cell shown on one log-scale plot
 * over time, with a legend saying how many orders of magnitude each fell, the Pascanu et al.
 * bound of the vanilla RNN, the vanishing and exploding bands, and the hover read-out. */
#ifndef GF_UI_VIEW_GRADIENTS_H
#define GF_UI_VIEW_GRADIENTS_H

#include <stddef.h>
#include <stdint.h>

#include "axis.h"
#include "lineplot.h"
#include "geom.h"
#include "theme.h"
#include "view.h"

/* Most legend entries. */
#define GRAD_LEGEND_MAX 8

/* One legend entry: a line sample and up to three lines of text. */
typedef struct LegendEntry {
    UiColor color;       /* the line sample's colour */
    LineStyle style;     /* its dashes */
    float width;         /* its width */
    char short_name[40]; /* for the one-line legend of a small window */
    char name[112];      /* the first line (bold) */
    char line2[160];     /* the change over time, or why it cannot be said */
    UiColor line2_color; /* in the warning colour when it overflowed */
    char line3[160];     /* the weights' numbers, small */
} LegendEntry;

/* The view's state: the last layout (output pixels) and the scratch of its curves. */
typedef struct GradientsGeom {
    PlotMap map;                            /* the plot */
    LegendEntry legend[GRAD_LEGEND_MAX];    /* the legend's entries */
    UiRect legend_item[GRAD_LEGEND_MAX];    /* their boxes */
    int nlegend;                            /* entries */
    int legend_px, legend_small_px;         /* the legend's text sizes (smaller in a narrow window) */
    int legend_compact;                     /* one line per entry (a small window) */
    float *xy;                              /* (xy_cap, 2) scratch polyline points */
    size_t xy_cap;                          /* points allocated */
    /* ---- the strips under the plot, on its time axis ---- */
    int strips;                             /* 1: the factor and saliency strips are shown */
    UiRect fig;                             /* the canvas: the plot and the strips under it */
    UiRect yticks;                          /* the y tick labels' column (x and width) */
    PlotMap fac_map, sal_map;               /* the per-step factor strip, the saliency strip */
    UiRect fac_title, sal_title;            /* the row above each strip: what it shows */
    LpSeries fac[2 * GF_NUM_CELLS + 1];     /* factor series (mean, largest) and the line at 1 */
    int nfac;
    LpSeries sal[GF_NUM_CELLS];             /* ||dL/dx_t|| of every cell shown */
    int nsal;
    double *scratch;                        /* (scratch_cap) the line at 1, the rnn's gains with
                                               no gradient left shown as 0, a theory line */
    size_t scratch_cap;                     /* doubles allocated */
    uint64_t key;                           /* the canvas's key this frame */
    uint64_t label_key;                     /* the key the theory labels were placed for */
    UiRect label_row[2];                    /* ... their rows (w = 0: none) */
    int label_end[2];                       /* ... aligned to end at the line */
    UiRect label_box[8];                    /* the boxes of the labels drawn inside the plot */
    int nlabel_box;                         /* ... how many (none overlaps another) */
} GradientsGeom;

extern const ViewClass gradients_view;

#endif
