/* gfx.h - the few SDL drawing calls every view shares: filled and outlined rectangles, a dashed
 * horizontal line sample (legends), a disc (hover markers), a filled triangle (arrow heads), the
 * hover read-out box, and a software Canvas uploaded into a texture and shown. */
#ifndef GF_UI_GFX_H
#define GF_UI_GFX_H

#include <SDL.h>

#include <stddef.h>

#include "geom.h"
#include "layout.h"
#include "raster.h"
#include "text.h"
#include "theme.h"

/* Sets the draw colour, blending only when c is translucent. */
void gfx_set_color(SDL_Renderer *r, UiColor c);
/* Fills rc (nothing for an empty rectangle). */
void gfx_fill(SDL_Renderer *r, UiRect rc, UiColor c);
/* Outlines rc with a border bw pixels wide, inside rc. */
void gfx_box(SDL_Renderer *r, UiRect rc, UiColor c, int bw);
/* A horizontal line from x0 to x1 centred on row yc, at least 2 pixels thick, dashed by st (dash
 * lengths in multiples of the width): axis-aligned, so whole pixels are exact. */
void gfx_hline_styled(SDL_Renderer *r, int x0, int x1, int yc, float width, const LineStyle *st, UiColor c);
/* A filled disc of radius rad at (cx, cy). */
void gfx_disc(SDL_Renderer *r, float cx, float cy, float rad, UiColor c);
/* A filled triangle through three points (x, y pairs). */
void gfx_triangle(SDL_Renderer *r, const float *xy, UiColor c);
/* The hover read-out: n lines of text at mt->font_small (the first bold) in colours colors, in a
 * box with a border and mt->gap of padding. The box stands 2 gaps right of column x with its top
 * at row y; where it would pass the right edge of within it goes to the left of x instead, and it
 * never starts left of within's left edge; with fit_bottom it is lifted to end at within's bottom
 * when it would pass it. lines is (n, stride) chars, each row a NUL-terminated string; colors is
 * (n,). Returns the box drawn. */
UiRect gfx_hover_box(SDL_Renderer *r, TextCache *tc, const char *lines, size_t stride, const UiColor *colors,
                     int n, int x, int y, UiRect within, int fit_bottom, const Theme *th, const UiMetrics *mt);

/* Uploads cv into *tex, (re)creating it as a w x h streaming texture when the size changed
 * (*tw, *th track its size): 0, or -1 when SDL could not make the texture. */
int gfx_canvas_upload(SDL_Renderer *r, const Canvas *cv, SDL_Texture **tex, int *tw, int *th);
/* Copies the texture tex (an uploaded canvas) onto rc, stretched to it. While r records, what the
 * canvas recorded since canvas_record_start is added to the list there (else its pixels, as an image). */
void gfx_image(SDL_Renderer *r, SDL_Texture *tex, UiRect rc);

#endif
