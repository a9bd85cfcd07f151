/* layout.h - where everything goes, from 1024x640 to 8K: sizes from one scale factor, the frame's
 * rectangles (title, caption, legend, plot, axes labels, panel, status line) and the legend's
 * flow into rows. Plain C, no SDL: text widths come in as numbers. */
#ifndef GF_UI_LAYOUT_H
#define GF_UI_LAYOUT_H

#include "geom.h"

/* Every size of the view, derived from the scale factor s (1 = a 1920x1080 picture). */
typedef struct UiMetrics {
    double s;           /* the scale factor itself */
    int font_title;     /* title line, bold */
    int font_body;      /* legend, axis titles, panel labels */
    int font_small;     /* key hints, captions of values, status line */
    int font_tick;      /* tick labels */
    int font_legend;    /* a legend entry's name and its change (>= 2.5 % of the height: read from
                           the back of a lecture room) */
    int font_legend_sub;/* a legend entry's numbers line (as large as that too) */
    int pad;            /* outer margin */
    int gap;            /* space between blocks */
    float line_w;       /* curve width in pixels (>= 2 at 1080p) */
    float line_thin;    /* theory bound, marker lines */
    int grid_w;         /* grid line width in whole pixels */
    int band_h;         /* height of the floor and inf/NaN strips */
    int panel_w;        /* control panel width */
    int row_h;          /* one line of the panel */
} UiMetrics;

void layout_metrics(UiMetrics *m, double s);

/* The scale factor of an output of w x h pixels: 1 at 1920x1080, 2 at 3840x2160; never below
 * min_scale (the window passes its DPI-based minimum so a small window stays readable), times the
 * user's text size. */
double layout_scale(int w, int h, double min_scale, double text_scale);

typedef struct UiFrame {
    UiRect panel;    /* control panel; w = 0 when hidden */
    UiRect content;  /* everything but the panel */
    UiRect title;    /* the configuration line */
    UiRect caption;  /* the caption's one or two lines (h = 0 without one) */
    UiRect legend;   /* the legend strip, rows flowed inside */
    UiRect annot;    /* the strip above the plot: y-axis title (left), loss marker label (right) */
    UiRect yticks;   /* tick labels left of the plot */
    UiRect plot;     /* the plot interior (axes box) */
    UiRect xticks;   /* tick labels under the plot */
    UiRect xlabel;   /* "time step t" */
    UiRect status;   /* status line (h = 0 without one) */
} UiFrame;

/* Width left for the content (legend flow) with or without the panel. */
int layout_content_width(int w, const UiMetrics *m, int panel);
/* Lays out a w x h frame. caption: the caption's lines (0: none); legend_h: height the legend's
 * rows need (layout_flow); ytick_w: width of the widest y tick label. */
void layout_frame(UiFrame *f, int w, int h, const UiMetrics *m, int panel, int caption, int status,
                  int legend_h, int ytick_w);
/* The same with a title of title_lines lines and a caption of caption_lines (0: none), so a long
 * title or caption, or a large text size, wraps instead of being cut. */
void layout_frame_lines(UiFrame *f, int w, int h, const UiMetrics *m, int panel, int title_lines, int caption_lines,
                        int status, int legend_h, int ytick_w);
/* Height of one line of the title (font_title) and of the caption (font_body). */
int layout_title_line_h(const UiMetrics *m);
int layout_caption_line_h(const UiMetrics *m);

/* How far a y tick label (font_tick high, centred on its tick) rises above its tick: the room kept
 * between the axis title above the plot and the plot's top edge. */
int layout_tick_rise(const UiMetrics *m);
/* The box a y tick label w pixels wide takes when centred on row y, right-aligned left of the
 * plot: for the tests that labels and titles do not overlap. */
UiRect layout_tick_label_box(const UiFrame *f, const UiMetrics *m, int y, int w);

/* Flows n boxes of widths w[i] and height row_h into rows of at most max_w, gap_x apart
 * horizontally and gap_y vertically, starting at (x0, y0); writes out[i] and returns the total
 * height. A box wider than max_w gets a row of its own. */
int layout_flow(const int *w, int n, int max_w, int row_h, int gap_x, int gap_y, int x0, int y0,
                UiRect *out);

#endif
