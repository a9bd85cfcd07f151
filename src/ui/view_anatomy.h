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
#include "plotdata.h"

/* Most step columns the grid draws (the gap included). */
#define ANAT_COLS_MAX 12

/* The last frame's geometry (output pixels) and the texts it printed, for hover and the tests. */
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
    UiRect shared;                    /* the box both share: layer L-1 at t = T-1 */
    UiRect head, loss;                /* the linear head and the loss */
    char shape_output[48];            /* "torch.Size([B, T, H])" */
    char shape_hn[48];                /* "torch.Size([L, B, H])" */
    char shape_cn[48];                /* the same for the lstm's c_n; "" for gru and rnn */
    char hn_equals[160];              /* the line that compares h_n[-1] with output[:, -1] */
    PlotMap grad_plot;                /* ||dL/dh_t|| of every layer */
    UiRect fig;                       /* what the software canvas covers */
} AnatomyGeom;

struct ViewState;
struct ViewModel;

/* The steps of the grid's columns for T steps in at most max_cols columns (the gap counts as one):
 * all of them when they fit, else the first and the last few around a gap. Writes steps (the
 * returned count of them) and *gap_after (the column the gap follows, -1 if none). */
int anatomy_columns(int T, int max_cols, int *steps, int *gap_after);

/* A shape as PyTorch prints it: "torch.Size([a, b, c])". */
void anatomy_shape(char *buf, size_t n, int a, int b, int c);

/* Draws the view in the frame vs->frame laid out (under the title, over the status line). */
void anatomy_draw(struct ViewState *vs, const struct ViewModel *vm);
/* The window's hover: every layer's ||dL/dh_t|| at the step under the mouse. */
void anatomy_hover(struct ViewState *vs, const struct ViewModel *vm);

#endif
