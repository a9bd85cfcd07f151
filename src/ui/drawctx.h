/* drawctx.h - what every view draws with, passed down to each: the renderer, the theme, the scale
 * (and the sizes it gives), the text cache, and the one software canvas (uploaded into a texture)
 * the views paint their plots' interiors on. Views paint only through gfx.h, text.h and this
 * canvas, never through SDL directly: rectangles, text runs, polylines and images. */
#ifndef GF_UI_DRAWCTX_H
#define GF_UI_DRAWCTX_H

#include <SDL.h>

#include <stddef.h>
#include <stdint.h>

#include "colormap.h"
#include "gfx.h"
#include "layout.h"
#include "lineplot.h"
#include "raster.h"
#include "text.h"
#include "theme.h"

typedef struct DrawCtx {
    SDL_Renderer *ren;     /* where everything is drawn */
    TextCache text;        /* text textures per (string, size, colour) */
    UiTheme theme;         /* this frame's theme */
    const Theme *th;       /* its palette */
    double scale;          /* this frame's scale factor (layout_scale), text size included */
    UiMetrics metrics;     /* the sizes at that scale */
    Canvas canvas;         /* the plots' interiors, painted in software */
    SDL_Texture *plot_tex; /* the canvas uploaded */
    int tex_w, tex_h;      /* its size */
    uint64_t canvas_key;   /* digest of everything the canvas shows; 0 = stale */
    LpScratch lp;          /* polyline scratch of lineplot_paint */
    Colormap cmap_viridis;   /* gates in [0, 1] */
    Colormap cmap_diverging; /* signed values, centred on 0 */
    Colormap cmap_diverging_dark; /* the same on the dark theme */
} DrawCtx;

/* Prepares the text cache for renderer ren, and the colour maps. */
int draw_ctx_init(DrawCtx *dc, SDL_Renderer *ren, GfError *err);
/* Frees everything; safe on a zeroed DrawCtx; leaves it zeroed. */
void draw_ctx_free(DrawCtx *dc);
/* Starts a frame in theme at scale: sets th and metrics. */
void draw_ctx_begin(DrawCtx *dc, UiTheme theme, double scale);

/* FNV-1a, 64 bits, of n bytes at p continuing from h (start from DRAW_HASH_SEED): the canvases'
 * keys, so a plot is repainted only when what it shows changed. */
#define DRAW_HASH_SEED 14695981039346656037ull /* FNV-1a's 64-bit offset basis */
uint64_t draw_hash(uint64_t h, const void *p, size_t n);

/* Paints the canvas cv (already the figure's size, its origin at the figure's top left). */
typedef void (*DrawCanvasPaint)(Canvas *cv, const void *arg);
/* Shows the canvas in fig: repaints it with paint(cv, arg) first when key (a draw_hash of all it
 * shows, never 0) differs from what it holds or its size changed. A canvas or texture that cannot
 * be allocated leaves fig empty rather than failing the frame. */
void draw_canvas_cached(DrawCtx *dc, UiRect fig, uint64_t key, DrawCanvasPaint paint, const void *arg);

/* The colour map a scale is painted with in the frame's theme (the diverging map has a dark-theme
 * twin). */
const Colormap *draw_colormap(const DrawCtx *dc, const ColorScale *sc);

/* Draws text in a box centred in area (in the warning colour when warn). */
void draw_message(DrawCtx *dc, UiRect area, const char *text, int warn);

#endif
