/* draw.h - the one function that draws the whole view (title, legend, plot, axes, panel, overlays)
 * onto any SDL_Renderer at a given size: the window's renderer, or a software renderer on a
 * surface for the PNG export. The view is one of three (UiSettings.view): the gradients (here),
 * the states inside one cell (view_states.c) and the anatomy of the stacked layers
 * (view_anatomy.c); the title, the panel and the overlays are common to all. */
#ifndef GF_UI_DRAW_H
#define GF_UI_DRAW_H

#include <SDL.h>

#include "axis.h"
#include "colormap.h"
#include "layout.h"
#include "lineplot.h"
#include "panel.h"
#include "plotdata.h"
#include "raster.h"
#include "settings.h"
#include "text.h"
#include "view_anatomy.h"
#include "view_states.h"
#include "view_training.h"
#include "widgets.h"

/* What to draw: data, settings, and the few things only the window has. */
typedef struct ViewModel {
    UiSettings *set;        /* the settings; the panel's widgets edit them (pass a copy to keep) */
    const PlotData *data;   /* the results on screen (valid = 0: none yet) */
    int w, h;               /* output size in pixels */
    double scale;           /* the scale factor (layout_scale), text size included */
    int plot_only;          /* no control panel (export --plot-only) */
    int interactive;        /* the window: hover readout, status line, busy indicator, help */
    UiInput in;             /* the mouse for this frame (interactive only) */
    const char *status;     /* status line message, NULL for the default hint */
    int status_warn;        /* the message is an error */
    int busy;               /* a recomputation is under way */
    unsigned busy_phase;    /* animation step of the busy indicator */
    const char *error;      /* why the last recomputation failed, or NULL */
    const TrainSnapshot *train; /* the training view's data (NULL: nothing trains) */
    long train_profile_step; /* the training step of the weights behind data (-1: unknown) */
} ViewModel;

/* What survives from one frame to the next: caches and the last frame's geometry. */
typedef struct ViewState {
    SDL_Renderer *ren;
    TextCache text;
    Canvas canvas;           /* the plot's interior, painted in software */
    SDL_Texture *plot_tex;   /* canvas uploaded */
    int tex_w, tex_h;
    uint64_t canvas_key;     /* digest of everything the canvas shows; 0 = stale */
    float *xy;               /* (n, 2) scratch polyline points */
    size_t xy_cap;           /* points allocated */
    UiCtx ui;                /* the panel's widget context */
    /* geometry of the last frame, for the window (hover) and the tests */
    UiMetrics metrics;
    UiFrame frame;
    PlotMap map;             /* in output pixels */
    PanelLayout panel;
    int panel_shown;
    UiRect legend_item[8];   /* legend entries' boxes */
    int nlegend;
    int legend_px, legend_small_px; /* the legend's text sizes (smaller in a narrow window) */
    int legend_compact;      /* one line per entry (a small window) */
    UiRect help_box;         /* the help overlay (w = 0 when closed) */
    UiRect hover_box;        /* the hover readout (w = 0 when none) */
    UiView view;             /* the view drawn last */
    UiTheme theme;           /* its theme */
    /* the views inside the cells */
    Colormap cmap_viridis;   /* gates in [0, 1] */
    Colormap cmap_diverging; /* signed states, centred on 0 */
    Colormap cmap_diverging_dark; /* the same on the dark theme */
    LpScratch lp;            /* polyline scratch of their plots */
    StatesGeom states;       /* the states view's last frame */
    AnatomyGeom anatomy;     /* the anatomy view's last frame */
    TrainView training;      /* the training view's last frame and caches */
} ViewState;

/* Prepares fonts and caches for renderer ren. */
int view_init(ViewState *vs, SDL_Renderer *ren, GfError *err);
/* Frees everything; safe on a zeroed ViewState; leaves it zeroed. */
void view_free(ViewState *vs);

/* Draws the view and runs the panel's widgets against vm->set; returns the UI_CHANGED_* /
 * UI_ACT_* flags of what the user did in the panel (0 when not interactive). A canvas that cannot
 * be allocated leaves the plot empty rather than failing the frame. */
int view_draw(ViewState *vs, const ViewModel *vm);

/* The message the content area shows instead of data (an error, no cell, still computing), or
 * NULL; *warn says it is an error. */
const char *view_centre_message(const ViewModel *vm, int *warn);
/* Draws text in a box centred in area (in the warning colour when warn). */
void view_message(ViewState *vs, UiRect area, const char *text, int warn);

#endif
