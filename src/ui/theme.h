/* theme.h - the two colour themes (light for projectors, dark) and the curve palette.
 *
 * Curves use the Okabe-Ito palette, which stays distinguishable for colour-blind viewers, and each
 * cell also has its own line style so the curves differ in grey-scale print. */
#ifndef GF_UI_THEME_H
#define GF_UI_THEME_H

#include "core/gf_types.h"
#include "geom.h"
#include "ui.h"

typedef struct Theme {
    UiColor bg;            /* window / slide background */
    UiColor fg;            /* text and axes */
    UiColor fg_muted;      /* secondary text: tick labels, captions, key hints */
    UiColor plot_bg;       /* inside the axes */
    UiColor grid;          /* major grid lines (labelled decades) */
    UiColor grid_minor;    /* minor grid lines (unlabelled decades) */
    UiColor shade_vanish;  /* band where the gradient has vanished */
    UiColor shade_explode; /* band where it has exploded */
    UiColor band;          /* the floor and inf/NaN strips */
    UiColor warn;          /* inf / NaN and error text */
    UiColor accent;        /* preset caption, focus, slider fill */
    UiColor panel_bg;      /* control panel */
    UiColor widget_bg;     /* slider track, button face */
    UiColor widget_hot;    /* widget under the mouse */
    UiColor widget_border; /* widget outline */
    UiColor overlay_bg;    /* help overlay and hover box (opaque enough to read over curves) */
    UiColor cell[GF_NUM_CELLS]; /* curve colour per cell (rnn, lstm, gru) */
    UiColor lstm_c;        /* the lstm's ||dL/dc_t||: its own shade, so it stands apart from the
                              lstm's ||dL/dh_t|| where the two curves run together */
} Theme;

/* The palette of theme t (a static table; never NULL). */
const Theme *theme_get(UiTheme t);

/* Line styles: a dash pattern in multiples of the line width, {on, off, on, off}; {0} = solid. */
typedef struct LineStyle {
    float dash[4];
} LineStyle;

/* Style of the curve of cell c; for the lstm, is_c selects the ||dL/dc_t|| curve. */
LineStyle theme_line_style(GfCell c, int is_c);
/* Style of the theory bound. */
LineStyle theme_theory_style(void);

#endif
