/* colormap.h - the heatmaps' colour scales and their inverse, in plain C (no SDL).
 *
 * Two maps, each a 256-entry table interpolated in CIELAB between a few anchor colours so that
 * equal steps in value are equal steps in perceived colour:
 *   viridis     (van der Walt & Smith, 2015) for magnitudes such as gate activations in [0, 1];
 *   diverging   dark blue - near white - dark red, centred on 0, for signed states (h, c, g, n):
 *               lightness rises linearly from each end to the centre, so 0 is the lightest.
 * A ColorScale ties a map to a value range; colormap_invert takes a colour back to its value, which
 * is how the tests check that a heatmap's pixels show the core's numbers. */
#ifndef GF_UI_COLORMAP_H
#define GF_UI_COLORMAP_H

#include "geom.h"

/* CMAP_DIVERGING_DARK is the diverging map for a dark background: bright blue - near black -
 * bright red, so 0 is the darkest and recedes into the background instead of glaring. */
typedef enum { CMAP_VIRIDIS = 0, CMAP_DIVERGING = 1, CMAP_DIVERGING_DARK = 2 } CmapKind;

#define CMAP_N 256

typedef struct Colormap {
    CmapKind kind;
    UiColor lut[CMAP_N]; /* (CMAP_N) colour of position i / (CMAP_N - 1) along the map */
} Colormap;

/* Fills cm's table for kind. */
void colormap_init(Colormap *cm, CmapKind kind);

/* Colour of position u in [0, 1] (clamped; NaN gives position 0). */
UiColor colormap_at(const Colormap *cm, double u);

/* The position u in [0, 1] whose colour is nearest to c (squared distance in RGB); *dist2, if not
 * NULL, gets that squared distance (0 for a colour the map draws). */
double colormap_invert(const Colormap *cm, UiColor c, int *dist2);

/* A value range on a map: value lo is position 0, hi position 1. */
typedef struct ColorScale {
    CmapKind kind;
    double lo, hi;
} ColorScale;

/* Position of value v on scale sc, clamped to [0, 1]; NaN for a NaN or infinite v. */
double colorscale_pos(const ColorScale *sc, double v);
/* Value at position u on scale sc. */
double colorscale_value(const ColorScale *sc, double u);
/* The value step one table entry stands for: (hi - lo) / (CMAP_N - 1). */
double colorscale_resolution(const ColorScale *sc);

/* The symmetric range [-r, r] for signed values whose largest magnitude is amax: r is amax rounded
 * up to 1, 2 or 5 times a power of ten (1 when amax is 0 or not finite), so the colour bar's ticks
 * are round numbers. */
double colorscale_symmetric_range(double amax);

/* sRGB <-> CIELAB (D65 white), used to build the tables and by the tests. */
void colormap_rgb_to_lab(UiColor c, double lab[3]);
UiColor colormap_lab_to_rgb(const double lab[3]);

#endif
