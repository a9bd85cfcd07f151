/* labels.h - the words and symbols every view prints: the UTF-8 of the maths symbols in labels,
 * the cells' display names, and how a gradient's change over time is said. No SDL. */
#ifndef GF_UI_LABELS_H
#define GF_UI_LABELS_H

#include <stddef.h>

#include "../core/gf_types.h"
#include "plotdata.h"

/* UTF-8 of the symbols used in labels */
#define S_NORM "\xE2\x80\x96"                              /* U+2016 double vertical line */
#define S_PARTIAL "\xE2\x88\x82"                           /* U+2202 */
#define S_SUB_T "\xE2\x82\x9C"                             /* U+209C subscript t */
#define S_SUB_TM1 "\xE2\x82\x9C\xE2\x82\x8B\xE2\x82\x81"   /* t-1 in subscripts */
#define S_SIGMA "\xCF\x83"
#define S_RHO "\xCF\x81"
#define S_MINUS "\xE2\x88\x92"
#define S_DOT " \xC2\xB7 "                                 /* a separator: space, middle dot, space */
#define S_MUL "\xC2\xB7"                                   /* a product: middle dot */
#define S_DOWN "\xE2\x86\x93"
#define S_UP "\xE2\x86\x91"
#define S_TIMES "\xC3\x97"
#define S_ELLIPSIS "\xE2\x80\xA6"
#define S_ARROW "\xE2\x86\x92"                             /* U+2192 */
#define S_LEQ "\xE2\x89\xA4"                               /* U+2264 */
/* ||dL/dh_t|| and ||dL/dc_t|| */
#define S_GRAD_H S_NORM S_PARTIAL "L/" S_PARTIAL "h" S_SUB_T S_NORM
#define S_GRAD_C S_NORM S_PARTIAL "L/" S_PARTIAL "c" S_SUB_T S_NORM

/* The display names of the cells, indexed by GfCell: "RNN", "LSTM", "GRU". */
const char *const *label_cell_names(void);
/* The display name of cell c ("" out of range). */
const char *label_cell(int c);

/* How the curve v (pc's T values) changed from t = T-1 back to t = 0: "↓ fell 6.0 orders",
 * "↑ grew 2.1 orders", or why it cannot be said (plotdata_orders' reason). */
void label_change(const PlotCell *pc, const double *v, char *buf, size_t n);

#endif
