/* pdf.h - a display list written as PDF through cairo's PDF surface: a page of w x h pixels at
 * 96 dpi (w * 0.75 points), text set in the bundled DejaVu Sans through cairo-ft (embedded as a
 * subset, so it can be searched and copied), curves as vector paths, heatmaps as images. */
#ifndef GF_UI_PDF_H
#define GF_UI_PDF_H

#include <stddef.h>
#include <stdint.h>

#include "core/gf_error.h"
#include "displist.h"

/* 1 when this gradflow was built with cairo (and so writes PDF). */
int pdf_available(void);

/* Writes dl as a one-page PDF (*out malloc'ed, *len bytes), its fonts read from the files
 * font_regular and font_bold; title and subject (the command line, may be NULL) go into the
 * document's information. */
int pdf_write(const DispList *dl, int w, int h, const char *font_regular, const char *font_bold, const char *creator,
              const char *subject, uint8_t **out, size_t *len, GfError *err);

#endif
