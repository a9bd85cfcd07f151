/* caption.h - the line under the title: a lesson's caption, or the default one, stating the
 * numbers of the picture on screen (lessons.c writes the sentences; this reads them off the
 * PlotData the picture is drawn from). */
#ifndef GF_UI_CAPTION_H
#define GF_UI_CAPTION_H

#include <stddef.h>

#include "lessons.h"
#include "plotdata.h"

/* What pd shows for the cells in shown (bit 1u << GfCell; only those that ran count): the layer
 * the legend reads (plotdata_legend_layer of layer_shown), the gates' means of sequence 0 over
 * every step and unit of that layer. pytorch_init: the caller knows the weights are PyTorch's
 * initial draw (no weights file, no training) - kept only if pd's configuration agrees (pytorch
 * init, scale 1, no gate bias set). */
void caption_measure(const PlotData *pd, unsigned shown, int layer_shown, int pytorch_init, LessonMeasure *m);

/* The caption for lesson (index in lessons.h; < 0: the default caption) over pd, as caption_measure
 * reads it; "" when there is nothing to say (no data and no lesson). */
void caption_text(int lesson, const PlotData *pd, unsigned shown, int layer_shown, int pytorch_init, char *buf,
                  size_t n);

#endif
