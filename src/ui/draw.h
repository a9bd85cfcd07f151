/* draw.h - the one function that draws the whole picture onto any SDL_Renderer at a given size:
 * the window's renderer, or a software renderer on a surface for the PNG export. draw.c is the
 * dispatcher and the chrome every view shares (title, caption, busy indicator, the control panel,
 * the status line, the help overlay); the view's content is drawn by one of the views registered
 * in its table (UiSettings.view): gradients (view_gradients.c), states (view_states.c), anatomy
 * (view_anatomy.c), each with its own state below. */
#ifndef GF_UI_DRAW_H
#define GF_UI_DRAW_H

#include <SDL.h>

#include "drawctx.h"
#include "layout.h"
#include "panel.h"
#include "view.h"
#include "view_anatomy.h"
#include "view_gradients.h"
#include "view_states.h"
#include "view_training.h"
#include "widgets.h"

/* The smallest output the views draw in (the window system may give any size down to 1x1):
 * below it the view says it is too small. */
#define VIEW_MIN_W 320
#define VIEW_MIN_H 200

/* What survives from one frame to the next: the draw context, the chrome's geometry, and each
 * view's own state. */
typedef struct ViewState {
    DrawCtx dc;              /* renderer, theme, metrics, text cache, the plots' canvas */
    UiCtx ui;                /* the panel's widget context */
    /* geometry of the last frame, for the window (hover) and the tests */
    UiFrame frame;           /* title, caption, panel, content, status line */
    PanelLayout panel;       /* the panel's widgets */
    int panel_shown;         /* the panel was drawn */
    UiRect help_box;         /* the help overlay (w = 0 when closed) */
    UiRect hover_box;        /* the hover readout (w = 0 when none) */
    UiView view;             /* the view drawn last */
    int too_small;           /* the last frame was under VIEW_MIN_W x VIEW_MIN_H: only "too small" */
    /* the views' own state */
    GradientsGeom gradients;
    StatesGeom states;
    AnatomyGeom anatomy;
    TrainView training;
} ViewState;

/* Prepares fonts, caches and the views' state for renderer ren. */
int view_init(ViewState *vs, SDL_Renderer *ren, GfError *err);
/* Frees everything; safe on a zeroed ViewState; leaves it zeroed. */
void view_free(ViewState *vs);

/* Draws the picture and runs the panel's widgets against vm->set; returns the UI_CHANGED_* /
 * UI_ACT_* flags of what the user did in the panel (0 when not interactive). A canvas that cannot
 * be allocated leaves the plot empty rather than failing the frame. */
int view_draw(ViewState *vs, const ViewModel *vm);

/* The view registered as v (NULL if none), and where its state lives in vs: for the tests. */
const ViewClass *view_class(UiView v);
void *view_state(ViewState *vs, UiView v);

#endif
