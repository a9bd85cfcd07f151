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
#include "plotdata.h"
#include "settings.h"

/* The last frame's geometry, for hover and for the tests' probes (output pixels). */
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
} StatesGeom;

struct ViewState;
struct ViewModel;

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

/* The colour map a scale is painted with in theme (the diverging map has a dark-theme twin). */
const Colormap *states_colormap(const struct ViewState *vs, const ColorScale *sc, UiTheme theme);

/* Draws the view in the frame vs->frame laid out (under the title, over the status line). */
void states_draw(struct ViewState *vs, const struct ViewModel *vm);
/* The window's hover: the values under the mouse at that step (and unit, over a heatmap). */
void states_hover(struct ViewState *vs, const struct ViewModel *vm);

#endif
