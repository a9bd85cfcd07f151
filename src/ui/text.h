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

/* ---- typeset text: sub- and superscripts ----
 * "_{...}" is a subscript and "^{...}" a superscript (braces only, so names such as h_n, weight_hh
 * or clip_grad_norm_ stay as they are); a superscript right after a subscript stands over it
 * (σ_{max}^{T−1−t}), and '-' inside a script is drawn as a minus sign. Scripts are drawn at
 * TEXT_SCRIPT_FRAC of the size, lowered or raised from the baseline. Every piece is one plain
 * text_draw run, so whatever records text_draw records typeset text too. A string without markup
 * draws exactly as text_draw draws it. */
#define TEXT_SCRIPT_FRAC 0.72
#define TEXT_RICH_MAX_RUNS 24

/* One plain piece of typeset text: its bytes, size, and place relative to the text's top left. */
typedef struct TextRun {
    char s[128];
    int px;
    int x, y;   /* top left of its texture */
    int w;      /* its width */
} TextRun;

/* Lays s out as runs (at most max); returns their count and sets the text's width and height
 * (the height of a plain line at px: scripts stay within the line's box). */
int text_rich_runs(TextCache *tc, const char *s, int px, int bold, TextRun *runs, int max, int *w, int *h);
/* Size of typeset s (as text_measure for plain text). */
void text_measure_rich(TextCache *tc, const char *s, int px, int bold, int *w, int *h);
/* text_fit_px for typeset s. */
int text_fit_px_rich(TextCache *tc, const char *s, int px, int bold, int max_w, double min_frac);
/* Draws typeset s with its top-left corner at (x, y); returns its width. */
int text_draw_rich(TextCache *tc, const char *s, int px, int bold, UiColor c, int x, int y);
/* Draws typeset s aligned horizontally in r and centred vertically (as text_draw_in). */
void text_draw_rich_in(TextCache *tc, const char *s, int px, int bold, UiColor c, UiRect r, UiAlign al);
/* text_box_in / text_draw_boxed for typeset s. */
UiRect text_box_rich_in(TextCache *tc, const char *s, int px, int bold, UiRect r, UiAlign al, int pad);
UiRect text_draw_rich_boxed(TextCache *tc, const char *s, int px, int bold, UiColor c, UiColor bg, UiRect r,
                            UiAlign al, int pad);

/* Breaks typeset s into lines of at most max_w pixels at px, at spaces outside scripts (a word
 * wider than max_w gets a line of its own); writes each line's start and length in bytes, at most
 * max lines (the last takes the rest), and returns the number of lines (0 for empty text). */
int text_wrap(TextCache *tc, const char *s, int px, int bold, int max_w, int *start, int *len, int max);

#endif
