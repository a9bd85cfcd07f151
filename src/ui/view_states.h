/* view_states.h - the "states" view: inside one cell of the run on screen.
 *
 * For one cell and layer, heatmaps over time (units by steps) of h_t, and for the LSTM c_t and its
 * gates i, f, g, o, for the GRU its gates r, z, n; each with its colour bar (a diverging map centred
 * on 0 for the signed h, c, g, n; viridis for the gates in [0, 1]). Under them, on the same time
 * axis, the mean forget gate (LSTM) or update gate (GRU) over time, and ||dL/dh_t|| beside
 * ||dL/dc_t|| (log scale), with the vanilla RNN's ||dL/dh_t|| for contrast: one sees the gradient
 * ride the cell state. The vanilla RNN itself shows only h. */
#ifndef GF_UI_VIEW_STATES_H
#define GF_UI_VIEW_STATES_H

#include "axis.h"
#include "colormap.h"
#include "geom.h"
#include "lineplot.h"
#include "plotdata.h"
#include "settings.h"
#include "view.h"

/* What one step of an LSTM layer holds, as the cell diagram quotes it: means over the units of
 * sequence 0 (from the heatmaps' columns: exact when a column is one step) and the step's
 * gradient norms (exact). */
typedef struct StatesCellNumbers {
    double f, i, g, o;       /* mean gates f_t, i_t, candidate g_t, o_t */
    double ig;               /* mean of i_t*g_t: what the step adds to c */
    double c, tanh_prime;    /* mean c_t, mean tanh'(c_t) = 1 - tanh(c_t)^2 */
    double grad_c, grad_h;   /* ||dL/dc_t||, ||dL/dh_t|| */
    double c_ratio;          /* ||dL/dc_{t-1}|| / ||dL/dc_t|| (NAN at t = 0) */
} StatesCellNumbers;

/* The numbers of pc's layer l at step t (an LSTM with its states copied). */
void states_cell_numbers(const PlotCell *pc, int l, int t, StatesCellNumbers *out);

/* The heatmap row (unit row * unit_step) the recall trace follows: the largest |c_0| * prod_{s>=1}
 * f_s over the steps, what step 0 wrote into c that the forget gates still carry at the end; its
 * prod f_s into *prod_f (may be NULL). -1 when the maps average steps into columns. */
int states_trace_row(const PlotCell *pc, int l, double *prod_f);

/* The view's state: the last layout (output pixels), for the paint step, the hover and the
 * tests' probes. */
typedef struct StatesGeom {
    int cell;                        /* the cell shown (GfCell), -1 when nothing is drawn */
    int layer;                       /* its layer */
    int nmaps;                       /* heatmaps drawn: map m shows the cell's PlotStates map m */
    UiRect map[PLOT_MAPS_MAX];       /* heatmap m: step t fills columns around axis_x(xmap, t),
                                        unit row r the rows [y + r*h/rows, y + (r+1)*h/rows) */
    UiRect bar[PLOT_MAPS_MAX];       /* its colour bar (top = scale.hi) */
    ColorScale scale[PLOT_MAPS_MAX]; /* its colour scale */
    int any_nonfinite;               /* some heatmap cell is inf or NaN (drawn grey) */
    PlotMap xmap;                    /* the time axis every panel shares */
    PlotMap gate_plot;               /* mean gate over time (area.w = 0: none, the rnn) */
    PlotMap grad_plot;               /* ||dL/dh_t||, ||dL/dc_t|| (log) */
    UiRect fig;                      /* what the software canvas covers */
    /* the rest of the layout, for the paint step */
    const char *msg;                 /* a message instead of the view (NULL: none) */
    int msg_warn;                    /* ... in the warning colour */
    int x0, x1;                      /* the content's left and right, padding taken off */
    int top, bottom;                 /* under the title, over the status line */
    UiRect line_a, line_b;           /* the header's lines */
    char head[200], eq[200];         /* line a: which cell and layer, its equations */
    char how[320];                   /* line b: how the heatmaps read */
    int head_px, eq_px, how_px;      /* their text sizes */
    int eq_w;                        /* the equation's width (0: no room for it) */
    int lw;                          /* the label column (map names, y ticks) */
    int lbw;                         /* the widest colour-bar tick label */
    int bar_w, cbw;                  /* a colour bar, and its column with the tick labels */
    int px0, px1;                    /* the plots' left and right */
    int panels_bottom;               /* the bottom of the lowest plot */
    int xt_h, xl_h;                  /* the x ticks' and the x title's heights */
    int gated;                       /* the cell has gates: the mean gate's plot is drawn */
    LpSeries gms;                    /* the mean gate's curve */
    LpSeries gs[3];                  /* the gradient plot's curves */
    int ns;                          /* how many */
    int contrast_layer;              /* the RNN's layer shown for contrast (-1: none) */
    UiRect gate_annot, grad_annot;   /* the lines over the two plots */
    char gate_text[256];             /* the mean gate's caption */
    char legend_text[3][160];        /* the gradient plot's legend: h, c, the RNN */
    int legend_series[3];            /* their curves in gs (-1: not drawn) */
    int legend_px;                   /* the legend's text size */
    /* the LSTM's cell diagram beside the heatmaps (side.w = 0: none) */
    UiRect side;                     /* the column it takes, right of the colour bars */
    int diag_t;                      /* the step its numbers are read at (hovered, else T/2) */
    StatesCellNumbers num;           /* those numbers */
    UiRect diag;                     /* the drawing: the c path above, the h path below */
    char diag_title[96];             /* "One LSTM step at t = 100" */
    char diag_line[6][160];          /* the two paths' equations and numbers */
    int diag_px, diag_title_px;      /* text sizes */
    /* on the recall task: one unit's c_t and h_t over time, under the diagram */
    int trace_unit;                  /* the unit traced (-1: none) */
    PlotMap trace_plot;              /* its axes */
    LpSeries trace[2];               /* c_t, h_t of that unit */
    double trace_v[2][PLOT_MAP_COLS_MAX]; /* (2, T) their values (T <= PLOT_MAP_COLS_MAX) */
    char trace_text[3][200];         /* what it shows and why that unit */
    int trace_px;
} StatesGeom;

/* The cell the inside views show: s->inside_cell when it ran, else the first that ran of LSTM,
 * GRU, RNN; -1 if none ran. */
int states_pick_cell(const UiSettings *s, const PlotData *pd);
/* The layer the states view shows: layer_shown when pc has it, else the top layer. */
int states_pick_layer(const UiSettings *s, const PlotCell *pc);

/* Names of map m of a cell ("h\xE2\x82\x9C" ...) and what it is ("hidden state" ...). */
const char *states_map_name(GfCell cell, int m);
const char *states_map_what(GfCell cell, int m);
/* The colour scale of map m of pc at layer l: [-1, 1] diverging for tanh-bounded values (h of
 * tanh cells, g, n), [0, 1] viridis for sigmoid gates, and for unbounded values (c, relu h) a
 * symmetric diverging range from the data (colorscale_symmetric_range of the largest |value|).
 * *nonfinite (if not NULL) is set when the map holds an inf or NaN. */
ColorScale states_map_scale(const PlotCell *pc, GfNonlin nonlin, int l, int m, int *nonfinite);

/* The view: layout, paint, and the window's hover (the values under the mouse at that step, and
 * unit over a heatmap). */
extern const ViewClass states_view;

#endif
