/* svg.h - a display list written as SVG 1.1: text stays text (DejaVu Sans, the bundled font, with
 * generic fallbacks), curves are paths with the points the window draws, raster regions (heatmaps)
 * are embedded PNG images, the command line is in the metadata. The same list gives the same bytes. */
#ifndef GF_UI_SVG_H
#define GF_UI_SVG_H

#include <stddef.h>
#include <stdint.h>

#include "core/gf_error.h"
#include "displist.h"

/* The fonts an SVG names, in order: the bundled one first. */
#define SVG_FONT_FAMILY "'DejaVu Sans', 'Bitstream Vera Sans', Verdana, Arial, sans-serif"

/* Encodes pixels (h, w) 0xAARRGGBB as a PNG in memory (*png malloc'ed, *len bytes): 0 or a negative
 * GF_ERR_* code. */
typedef int (*SvgPngEncoder)(const uint32_t *pixels, int w, int h, uint8_t **png, size_t *len, void *arg);

/* Writes dl as a w x h pixel SVG (*out malloc'ed and NUL-terminated, *len bytes without the NUL).
 * software names the program in the metadata, command_line (may be NULL) rebuilds the picture;
 * images are encoded with png(…, png_arg). */
int svg_write(const DispList *dl, int w, int h, const char *software, const char *command_line, SvgPngEncoder png,
              void *png_arg, char **out, size_t *len, GfError *err);

#endif
