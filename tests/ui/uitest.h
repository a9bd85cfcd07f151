/* uitest.h - helpers for the ui's drawing tests: hand-made results with known norms, a headless
 * software renderer onto a surface, and pixel probes. */
#ifndef GF_UITEST_H
#define GF_UITEST_H

#include <SDL.h>

#include "draw.h"
#include "plotdata.h"
#include "settings.h"

/* Norm of cell c, layer l, step t of a hand-made result (is_c: the lstm's cell state). */
typedef double (*UtNormFn)(int c, int l, int t, int is_c);

/* Fills pd with cells mask, L layers, T steps from f; sigma_max of every gate block = sigma. */
void ut_plotdata(PlotData *pd, unsigned mask, int L, int T, UtNormFn f, double sigma);

/* A view drawn headless: the surface, and the view's geometry (vs.gradients.map, vs.frame, ...). */
typedef struct UtDraw {
    SDL_Surface *surf;
    SDL_Renderer *ren;
    ViewState vs;
    int plot_only;
    double scale;    /* the scale factor drawn at; 0: the export's for the size */
} UtDraw;

/* Draws pd with settings s at w x h (scale from the size, as the export does). */
void ut_draw(UtDraw *d, const PlotData *pd, UiSettings *s, int w, int h, int plot_only);
/* The same at scale factor scale (the window's, which keeps a minimum for readability). */
void ut_draw_at(UtDraw *d, const PlotData *pd, UiSettings *s, int w, int h, int plot_only, double scale);
/* Draws again into the same surface (e.g. after changing settings), interactive with the mouse
 * at (mx, my) when interactive is set. */
void ut_redraw(UtDraw *d, const PlotData *pd, UiSettings *s, int interactive, int mx, int my);
/* The same, with the busy indicator on. */
void ut_redraw_busy(UtDraw *d, const PlotData *pd, UiSettings *s);
void ut_draw_free(UtDraw *d);

/* The pixel at (x, y) as a colour. */
UiColor ut_pixel(SDL_Surface *s, int x, int y);
/* 1 if a and b differ by at most tol in every channel. */
int ut_near(UiColor a, UiColor b, int tol);
/* Pixels of r that differ from colour bg by more than tol in some channel. */
int ut_ink(SDL_Surface *s, UiRect r, UiColor bg, int tol);
/* Pixels of r within tol of colour c. */
int ut_count(SDL_Surface *s, UiRect r, UiColor c, int tol);
/* Settings for drawing tests: all cells, theory on, light theme. */
UiSettings ut_settings(int T);

/* Pushes a key press and its release (with modifiers mod) onto SDL's event queue. */
void ut_key(SDL_Keycode k, Uint16 mod);
/* FNV-1a over the pixels of r as renderer ren has them this frame (0 if they cannot be read). */
uint32_t ut_pixels_hash(SDL_Renderer *ren, UiRect r);
/* dir/name in one of four rotating static buffers (so a few can be used at once). */
const char *ut_path(const char *dir, const char *name);

#endif
