/* text.h - the font (found in assets/ from the build tree, the install or beside the executable)
 * and anti-aliased text through SDL2_ttf, with a cache of textures keyed by (string, pixel size,
 * face, colour) so an unchanged label costs one copy per frame. */
#ifndef GF_UI_TEXT_H
#define GF_UI_TEXT_H

#include <SDL.h>
#include <SDL_ttf.h>
#include <stddef.h>

#include "core/gf_error.h"
#include "geom.h"
#include "widgets.h"

#define TEXT_FONT_FILE "DejaVuSans.ttf"
#define TEXT_FONT_BOLD_FILE "DejaVuSans-Bold.ttf"
#define TEXT_MAX_FONTS 32

typedef struct TextEntry {
    char *s;             /* the string (owned), NULL for an empty slot */
    int px, bold;
    uint32_t rgba;
    uint32_t hash;
    SDL_Texture *tex;
    int w, h;            /* texture size */
} TextEntry;

typedef struct TextCache {
    SDL_Renderer *ren;          /* textures belong to this renderer */
    void *data[2];              /* font file bytes: regular, bold (owned) */
    size_t len[2];
    struct {
        int px, bold;
        TTF_Font *font;
    } fonts[TEXT_MAX_FONTS];    /* opened sizes */
    int nfonts;
    TextEntry *slots;           /* open-addressing table of cap slots */
    int cap, count;
    int ttf_inited;             /* this cache called TTF_Init */
} TextCache;

/* Finds file (TEXT_FONT_FILE ...) in the asset folders and writes its path to out; otherwise a
 * GF_ERR_IO whose message names every path tried. */
int text_find_asset(const char *file, char *out, size_t n, GfError *err);

/* Loads both faces and prepares a cache for renderer ren. */
int text_init(TextCache *tc, SDL_Renderer *ren, GfError *err);
/* Frees every texture and font; safe on a zeroed TextCache; leaves it zeroed. */
void text_free(TextCache *tc);
/* Drops every cached texture (call when the cache grows past its budget). */
void text_trim(TextCache *tc);

/* Size in pixels of s at px (0 on failure). */
void text_measure(TextCache *tc, const char *s, int px, int bold, int *w, int *h);
/* The largest pixel size <= px (and >= px * min_frac) at which s fits in max_w pixels. */
int text_fit_px(TextCache *tc, const char *s, int px, int bold, int max_w, double min_frac);
/* Draws s with its top-left corner at (x, y); returns its width. */
int text_draw(TextCache *tc, const char *s, int px, int bold, UiColor c, int x, int y);
/* Draws s aligned horizontally in r and centred vertically. */
void text_draw_in(TextCache *tc, const char *s, int px, int bold, UiColor c, UiRect r, UiAlign al);
/* The box text_draw_in would fill with s in r (its texture's rectangle), grown by pad on every side;
 * w = 0 when s cannot be drawn. */
UiRect text_box_in(TextCache *tc, const char *s, int px, int bold, UiRect r, UiAlign al, int pad);
/* text_draw_in on a box of colour bg (text_box_in's rectangle), so a curve passing under a label
 * inside a plot is covered by the box instead of striking the text through; returns the box. */
UiRect text_draw_boxed(TextCache *tc, const char *s, int px, int bold, UiColor c, UiColor bg, UiRect r,
                       UiAlign al, int pad);
/* Draws s turned 90 degrees counter-clockwise, centred on (cx, cy). */
void text_draw_vertical(TextCache *tc, const char *s, int px, int bold, UiColor c, int cx, int cy);

#endif
