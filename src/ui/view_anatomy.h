/* view_anatomy.h - the "anatomy" view: what nn.LSTM (nn.GRU, nn.RNN) returns and which part the
 * loss reads.
 *
 * The grid of L layers by T steps (the middle steps elided for long sequences), the row that is
 * `output` (the top layer at every step) and the column that is `h_n` / `c_n` (every layer at the
 * last step) highlighted, the cell they share marked h_n[-1] = output[:, -1], the linear head and
 * the loss after it; the shapes as PyTorch prints them for the current B, T, H, L (batch_first);
 * and ||dL/dh_t|| of every layer on one log plot: how the gradient reaching each layer differs. */
#ifndef GF_UI_VIEW_ANATOMY_H
#define GF_UI_VIEW_ANATOMY_H

#include <stddef.h>

#include "axis.h"
#include "geom.h"
#include "lineplot.h"
#include "plotdata.h"
#include "view.h"

/* Most step columns the grid draws (the gap included). */
#define ANAT_COLS_MAX 12

/* The view's state: the last layout (output pixels) and the texts it printed, for the paint step,
 * the hover and the tests. */
typedef struct AnatomyGeom {
    int cell;                         /* the cell drawn (GfCell), -1 when nothing is */
    int L, T;                         /* its layers and steps */
    int ncols;                        /* step columns drawn */
    int step[ANAT_COLS_MAX];          /* the step column k shows */
    int gap_after;                    /* the "..." gap follows column gap_after (-1: no gap) */
    UiRect box[GF_LAYERS_MAX][ANAT_COLS_MAX]; /* layer l at step step[k] */
    UiRect input[ANAT_COLS_MAX];      /* x_t under column k */
    UiRect output_band;               /* around the top row: output */
    UiRect hn_band;                   /* around the last column: h_n (and c_n) */
    int bidir;                        /* 1: bidirectional, two directions per box */
    UiRect hn_band_rev;               /* bidirectional: around the first column, where the reverse
                                         direction ends (its part of h_n); else empty */
    UiRect shared_rev;                /* bidirectional: the top layer at t = 0, h_n[-1] */
    UiRect shared;                    /* the box both share: layer L-1 at t = T-1 */
    UiRect head, loss;                /* the linear head and the loss */
    char shape_output[48];            /* "torch.Size([B, T, H])" */
    char shape_hn[48];                /* "torch.Size([L, B, H])" */
    char shape_cn[48];                /* the same for the lstm's c_n; "" for gru and rnn */
    char hn_equals[200];              /* the line that says what h_n[-1] is beside output[:, -1] */
    PlotMap grad_plot;                /* ||dL/dh_t|| of every layer */
    UiRect fig;                       /* what the software canvas covers */
    /* the rest of the layout, for the paint step */
    const char *msg;                  /* a message instead of the view (NULL: none) */
    int msg_warn;                     /* ... in the warning colour */
    int x0, x1;                       /* the content's left and right, padding taken off */
    int top, bottom;                  /* under the title, over the status line */
    int ha;                           /* the header's height (one row, or two) */
    int head_row;                     /* one header row's height */
    int call_below;                   /* 1: the call on a row of its own, under the module */
    char head_text[200];              /* the module as one would construct it */
    char call[120];                   /* and the call */
    int head_px;                      /* the module's text size */
    char lines[8][200];               /* the texts under the grid */
    UiColor line_color[8];            /* their colours */
    int nlines;                       /* how many */
    int nleft;                        /* the first nleft (the shapes, in bold) form the left column */
    int tl_h, colw, one_col;          /* their line height, column width, one column or two */
    int text_y;                       /* their top */
    char lossv[24];                   /* the loss */
    char head_t[64], loss_t[64];      /* the head's and the loss's box texts */
    int head_w, loss_w;               /* their boxes' widths */
    int arrow1, arrow2;               /* the arrows before the head and the loss */
    int mark_w, mark_h;               /* the mark over the first arrow */
    int mark_above;                   /* 1: the mark goes above the head and loss boxes (a narrow
                                         window: the arrow is short) */
    char row_label[GF_LAYERS_MAX][32]; /* "layer 0" ... */
    int lab_w;                        /* the label column */
    int grid_x0, grid_y;              /* the grid's left, and its top (the step numbers) */
    int step_h;                       /* the step numbers' height */
    double col_w;                     /* a column's width */
    int box_w, box_h;                 /* a box */
    int cx[ANAT_COLS_MAX];            /* the columns' centres */
    int gap_x;                        /* the gap's centre (-1: none) */
    int in_y;                         /* the inputs' row centre */
    int lw, aw, ahs, hl;              /* outline, arrow and arrow head sizes; the bands' margin */
    LpSeries series[2 * GF_LAYERS_MAX]; /* every layer's curve (bidirectional: then every layer's
                                           reverse direction, dashed) */
    int nseries;                      /* L, or 2L */
    int px0, px1;                     /* the plot's left and right */
    int panels_bottom;                /* the plot's bottom */
    int xt_h, xl_h;                   /* the x ticks' and the x title's heights */
    UiRect annot;                     /* the legend's line over the plot */
    char legend_title[160];           /* its title */
    char legend_text[GF_LAYERS_MAX][96]; /* its entries */
    int legend_px;                    /* its text size */
} AnatomyGeom;

/* The steps of the grid's columns for T steps in at most max_cols columns (the gap counts as one):
 * all of them when they fit, else the first and the last few around a gap. Writes steps (the
 * returned count of them) and *gap_after (the column the gap follows, -1 if none). */
int anatomy_columns(int T, int max_cols, int *steps, int *gap_after);

/* A shape as PyTorch prints it: "torch.Size([a, b, c])". */
void anatomy_shape(char *buf, size_t n, int a, int b, int c);

/* The view: layout, paint, and the window's hover (every layer's ||dL/dh_t|| at the step under
 * the mouse). */
extern const ViewClass anatomy_view;

#endif
