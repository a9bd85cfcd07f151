/* labels.c - the cells' display names and the "fell n orders" wording shared by the views. */
#include "labels.h"

#include <math.h>
#include <stdio.h>

static const char *const cell_names[GF_NUM_CELLS] = {"RNN", "LSTM", "GRU"};

const char *const *label_cell_names(void) { return cell_names; }

const char *label_cell(int c) { return c >= 0 && c < GF_NUM_CELLS ? cell_names[c] : ""; }

void label_change(const PlotCell *pc, const double *v, char *buf, size_t n)
{
    PlotCell one = *pc;
    one.grad_h = (double *)v;
    double o;
    const char *why;
    if (plotdata_orders(&one, 0, &o, &why) == 0)
        snprintf(buf, n, "%s %.1f orders", o > 0 ? S_DOWN " fell" : S_UP " grew", fabs(o));
    else
        snprintf(buf, n, "%s", why);
}
