/* raster.h - a small software canvas with anti-aliased thick polylines, in plain C (no SDL).
 *
 * The plot's interior (background, shading, grid, curves) is painted here and handed to SDL as one
 * texture. Lines are rasterised by coverage: a pixel's coverage is how much of a pen of radius
 * width/2 overlaps it, computed from the distance of the pixel centre to the nearest segment,
 *   coverage = clamp(width/2 + 1/2 - distance, 0, 1),
 * which is the exact box-filtered coverage for a straight edge and a good one elsewhere. Within one
 * polyline coverages combine by max, so joints are seamless (no darker overlaps) and round; the
 * polyline is then composited once over the canvas. Same input, same pixels, on every renderer. */
#ifndef GF_UI_RASTER_H
#define GF_UI_RASTER_H

#include <stddef.h>
#include <stdint.h>

#include "displist.h"
#include "geom.h"
#include "theme.h"

typedef struct Canvas {
    int w, h;       /* size in pixels */
    uint32_t *px;   /* (h, w) opaque pixels, 0xAARRGGBB (SDL_PIXELFORMAT_ARGB8888), row-major */
    float *cov;     /* (h, w) coverage of the polyline being drawn; all 0 between polylines */
    int *span;      /* (h, 2) columns [x0, x1) of each row the polyline touched; x0 >= x1: none */
    size_t cap;     /* pixels allocated in px and cov */
    int span_cap;   /* rows allocated in span */
    DispList *rec;  /* what is painted, in canvas pixels, while recording (owned; NULL until used) */
    int recording;  /* 1 between canvas_record_start and canvas_record_stop */
} Canvas;

/* Sizes the canvas to w x h (reusing the buffers when they are big enough): 0 or GF_ERR_NOMEM. */
int canvas_resize(Canvas *cv, int w, int h);
/* Frees the buffers; safe on a zeroed Canvas; leaves it zeroed. */
void canvas_free(Canvas *cv);

void canvas_fill(Canvas *cv, UiColor c);
/* Blends c (with its alpha) over the pixels of r, clipped to the canvas. */
void canvas_fill_rect(Canvas *cv, UiRect r, UiColor c);

/* Draws the polyline through n points xy (n, 2) (pixel coordinates, pixel centres at +0.5) with
 * a round pen of the given width, dashed by style (lengths in multiples of width; a dash's length
 * includes its round ends), in colour c. A point with a NaN coordinate breaks the line there (the
 * dash pattern runs on). n == 1 draws a dot. */
void canvas_draw_polyline(Canvas *cv, const float *xy, int n, float width, const LineStyle *style,
                          UiColor c);

/* Recording: from canvas_record_start on, every fill and polyline is also appended to cv->rec (in
 * canvas pixels) until canvas_record_stop; gfx_image moves that list to where the canvas is shown.
 * Start fails (GF_ERR_NOMEM) only when out of memory. */
int canvas_record_start(Canvas *cv);
void canvas_record_stop(Canvas *cv);
/* Pixels written directly (a heatmap, a colour bar) are recorded by this call once painted: the
 * region r becomes an image of its pixels, replacing the rectangle fills recorded inside it. */
void canvas_record_image(Canvas *cv, UiRect r);

/* The pixel at (x, y) (0 outside the canvas). */
uint32_t canvas_get(const Canvas *cv, int x, int y);

#endif
