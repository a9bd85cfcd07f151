/* displist.h - a display list: what a view draws, as data (rectangles, polylines and polygons,
 * discs, text runs, raster images, clip groups), in figure pixels. The drawing primitives (gfx.h,
 * text.h, the Canvas of raster.h) append to one while a renderer records, and the vector backends
 * (svg.h, pdf.h) read it; plain C, no SDL. */
#ifndef GF_UI_DISPLIST_H
#define GF_UI_DISPLIST_H

#include <stddef.h>
#include <stdint.h>

#include "geom.h"

typedef enum {
    DL_RECT,       /* a filled rectangle */
    DL_STROKE,     /* a polyline drawn with a round pen, maybe dashed; NaN points break it */
    DL_POLYGON,    /* a filled polygon */
    DL_DISC,       /* a filled disc */
    DL_TEXT,       /* a run of text */
    DL_IMAGE,      /* opaque pixels stretched over a rectangle */
    DL_CLIP_BEGIN, /* what follows, up to the matching DL_CLIP_END, is clipped to a rectangle */
    DL_CLIP_END,
} DlKind;

typedef enum { DL_ANCHOR_START, DL_ANCHOR_MIDDLE, DL_ANCHOR_END } DlAnchor;

typedef struct DlItem {
    DlKind kind;
    UiColor color;
    float x, y, w, h;   /* RECT, IMAGE, CLIP_BEGIN: the rectangle; DISC: centre (x, y), radius w;
                           TEXT: the anchor point on the baseline (before rotation) */
    float width;        /* STROKE: the pen's width in pixels */
    float dash[4];      /* STROKE: on, off, on, off lengths in pixels of the pen's centre (round ends
                           add width/2 each side); dash[0] <= 0 and dash[1] <= 0: solid */
    float dash_offset;  /* STROKE: how far into the pattern the line starts */
    float *xy;          /* STROKE, POLYGON: (n, 2) points (owned) */
    int n;
    char *text;         /* TEXT: UTF-8 (owned) */
    int px, bold;       /* TEXT: pixel size (the em), bold face */
    DlAnchor anchor;    /* TEXT: which point of the run sits at (x, y) */
    int vertical;       /* TEXT: turned 90 degrees counter-clockwise about (x, y) */
    float text_w;       /* TEXT: the width the pixel renderer gave it */
    uint32_t *pixels;   /* IMAGE: (ih, iw) 0xAARRGGBB (owned) */
    int iw, ih;
} DlItem;

typedef struct DispList {
    DlItem *items; /* (n) in drawing order */
    int n, cap;
    int failed;    /* an append ran out of memory: the list is incomplete */
} DispList;

/* Frees every item; safe on a zeroed list; leaves it zeroed. */
void displist_free(DispList *dl);
/* Empties the list, keeping its allocation. */
void displist_clear(DispList *dl);

void displist_rect(DispList *dl, float x, float y, float w, float h, UiColor c);
/* A polyline through n points xy (n, 2) with a round pen of width; dash as LineStyle's (lengths in
 * multiples of the width, a dash's length including its round ends), NULL or zeros = solid. */
void displist_stroke(DispList *dl, const float *xy, int n, float width, const float *dash, UiColor c);
void displist_polygon(DispList *dl, const float *xy, int n, UiColor c);
void displist_disc(DispList *dl, float cx, float cy, float r, UiColor c);
/* Text s at size px whose anchor point is (x, baseline); text_w the width it was rendered with. */
void displist_text(DispList *dl, const char *s, int px, int bold, UiColor c, float x, float baseline,
                   DlAnchor anchor, int vertical, float text_w);
/* Pixels (ih, iw) with row stride `stride` pixels, copied, stretched over (x, y, w, h). */
void displist_image(DispList *dl, const uint32_t *pixels, int iw, int ih, int stride, float x, float y, float w,
                    float h);
void displist_clip_begin(DispList *dl, float x, float y, float w, float h);
void displist_clip_end(DispList *dl);

/* Appends every item of src to dl moved by (dx, dy), inside a clip group of (dx, dy, clip_w,
 * clip_h). */
void displist_append_moved(DispList *dl, const DispList *src, float dx, float dy, float clip_w, float clip_h);

/* Copies the polyline xy (n, 2) to out (room for n points) keeping at most two points per pixel
 * column: of consecutive points in one column (floor x) the lowest and the highest, in their order
 * (what a column of pixels can show); NaN points (breaks) stay. Returns the points written. */
int displist_thin_columns(const float *xy, int n, float *out);

/* Drops the RECT items lying wholly inside r (they are covered by an image of that region). */
void displist_drop_rects_in(DispList *dl, UiRect r);

#endif
