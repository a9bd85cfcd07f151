/* colormap.c - viridis and a diverging map as CIELAB-interpolated tables, their inverse, and value
 * scales. */
#include "colormap.h"

#include <math.h>

/* ---------------------------------------------------------------- sRGB <-> CIELAB ------------ */

/* sRGB transfer function: linear light from an 8-bit channel, and back. */
static double srgb_to_linear_(double c)
{
    c /= 255.0;
    return c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4);
}

static double linear_to_srgb_(double c)
{
    double v = c <= 0.0031308 ? 12.92 * c : 1.055 * pow(c, 1.0 / 2.4) - 0.055;
    v *= 255.0;
    return v < 0 ? 0 : v > 255 ? 255 : v;
}

/* D65 reference white in XYZ (Y = 1). */
#define WX 0.95047
#define WY 1.0
#define WZ 1.08883

/* f(t) of the CIELAB definition: cube root above (6/29)^3, a line below. */
static double lab_f_(double t)
{
    const double d = 6.0 / 29.0;
    return t > d * d * d ? cbrt(t) : t / (3 * d * d) + 4.0 / 29.0;
}

static double lab_finv_(double f)
{
    const double d = 6.0 / 29.0;
    return f > d ? f * f * f : 3 * d * d * (f - 4.0 / 29.0);
}

void colormap_rgb_to_lab(UiColor c, double lab[3])
{
    double r = srgb_to_linear_(c.r), g = srgb_to_linear_(c.g), b = srgb_to_linear_(c.b);
    /* linear sRGB -> XYZ (IEC 61966-2-1 matrix) */
    double x = 0.4124564 * r + 0.3575761 * g + 0.1804375 * b;
    double y = 0.2126729 * r + 0.7151522 * g + 0.0721750 * b;
    double z = 0.0193339 * r + 0.1191920 * g + 0.9503041 * b;
    double fx = lab_f_(x / WX), fy = lab_f_(y / WY), fz = lab_f_(z / WZ);
    lab[0] = 116 * fy - 16;  /* L* */
    lab[1] = 500 * (fx - fy); /* a* */
    lab[2] = 200 * (fy - fz); /* b* */
}

UiColor colormap_lab_to_rgb(const double lab[3])
{
    double fy = (lab[0] + 16) / 116, fx = fy + lab[1] / 500, fz = fy - lab[2] / 200;
    double x = WX * lab_finv_(fx), y = WY * lab_finv_(fy), z = WZ * lab_finv_(fz);
    /* XYZ -> linear sRGB, the inverse matrix */
    double r = 3.2404542 * x - 1.5371385 * y - 0.4985314 * z;
    double g = -0.9692660 * x + 1.8760108 * y + 0.0415560 * z;
    double b = 0.0556434 * x - 0.2040259 * y + 1.0572252 * z;
    UiColor c = {(uint8_t)lround(linear_to_srgb_(r)), (uint8_t)lround(linear_to_srgb_(g)),
                 (uint8_t)lround(linear_to_srgb_(b)), 255};
    return c;
}

/* ---------------------------------------------------------------- the maps ------------------- */

/* viridis sampled at ten evenly spaced positions 0, 1/9, ..., 1 */
static const uint32_t viridis_anchors[] = {0x440154, 0x482878, 0x3E4A89, 0x31688E, 0x26828E,
                                           0x1F9E89, 0x35B779, 0x6DCD59, 0xB4DE2C, 0xFDE725};
/* negative end, centre (value 0), positive end; on light and on dark backgrounds */
static const uint32_t diverging_anchors[] = {0x2166AC, 0xF7F7F7, 0xB2182B};
static const uint32_t diverging_dark_anchors[] = {0x5AAEF5, 0x2A2B33, 0xF5795A};

void colormap_init(Colormap *cm, CmapKind kind)
{
    const uint32_t *a = kind == CMAP_DIVERGING ? diverging_anchors
                        : kind == CMAP_DIVERGING_DARK ? diverging_dark_anchors : viridis_anchors;
    int na = kind == CMAP_VIRIDIS ? 10 : 3;
    cm->kind = kind;
    for (int i = 0; i < CMAP_N; i++) {
        /* position u along the map, between anchors k and k + 1 at fraction f */
        double u = (double)i / (CMAP_N - 1) * (na - 1);
        int k = (int)u;
        if (k > na - 2) k = na - 2;
        double f = u - k;
        double la[3], lb[3], l[3];
        colormap_rgb_to_lab(ui_rgb(a[k]), la);
        colormap_rgb_to_lab(ui_rgb(a[k + 1]), lb);
        for (int j = 0; j < 3; j++) l[j] = la[j] + (lb[j] - la[j]) * f; /* straight line in CIELAB */
        cm->lut[i] = colormap_lab_to_rgb(l);
    }
}

UiColor colormap_at(const Colormap *cm, double u)
{
    if (!(u > 0)) u = 0; /* NaN too */
    if (u > 1) u = 1;
    return cm->lut[(int)(u * (CMAP_N - 1) + 0.5)]; /* u >= 0: rounding half up */
}

double colormap_invert(const Colormap *cm, UiColor c, int *dist2)
{
    int best = 0, bd = 1 << 30;
    for (int i = 0; i < CMAP_N; i++) {
        int dr = cm->lut[i].r - c.r, dg = cm->lut[i].g - c.g, db = cm->lut[i].b - c.b;
        int d = dr * dr + dg * dg + db * db;
        if (d < bd) {
            bd = d;
            best = i;
        }
    }
    if (dist2) *dist2 = bd;
    return (double)best / (CMAP_N - 1);
}

/* ---------------------------------------------------------------- scales --------------------- */

double colorscale_pos(const ColorScale *sc, double v)
{
    if (!isfinite(v)) return NAN;
    double span = sc->hi - sc->lo;
    double u = span > 0 ? (v - sc->lo) / span : 0.5;
    return u < 0 ? 0 : u > 1 ? 1 : u;
}

double colorscale_value(const ColorScale *sc, double u) { return sc->lo + (sc->hi - sc->lo) * u; }

double colorscale_resolution(const ColorScale *sc) { return (sc->hi - sc->lo) / (CMAP_N - 1); }

double colorscale_symmetric_range(double amax)
{
    if (!(amax > 0) || !isfinite(amax)) return 1;
    double p = pow(10.0, floor(log10(amax)));
    double m = amax / p;
    /* the smallest of 1, 2, 5, 10 times p that holds amax (a hair of slack for rounding) */
    double k = m <= 1.000001 ? 1 : m <= 2.000001 ? 2 : m <= 5.000001 ? 5 : 10;
    return k * p;
}
