/* geom.h - the plain value types every ui module shares: rectangles, points, colours. */
#ifndef GF_UI_GEOM_H
#define GF_UI_GEOM_H

#include <stdint.h>

/* An axis-aligned rectangle in output pixels: x, y of the top-left corner, width, height. */
typedef struct UiRect {
    int x, y, w, h;
} UiRect;

/* An 8-bit straight-alpha colour. */
typedef struct UiColor {
    uint8_t r, g, b, a;
} UiColor;

static inline UiRect ui_rect(int x, int y, int w, int h)
{
    UiRect r = {x, y, w, h};
    return r;
}

static inline int ui_rect_contains(UiRect r, int px, int py)
{
    return px >= r.x && py >= r.y && px < r.x + r.w && py < r.y + r.h;
}

/* 1 if a and b share at least one pixel. */
static inline int ui_rect_overlaps(UiRect a, UiRect b)
{
    return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

/* 1 if inner lies entirely inside outer. */
static inline int ui_rect_inside(UiRect inner, UiRect outer)
{
    return inner.x >= outer.x && inner.y >= outer.y && inner.x + inner.w <= outer.x + outer.w &&
           inner.y + inner.h <= outer.y + outer.h;
}

static inline UiColor ui_rgb(uint32_t hex)
{
    UiColor c = {(uint8_t)(hex >> 16), (uint8_t)(hex >> 8), (uint8_t)hex, 255};
    return c;
}

/* a + (b - a) * t per channel, t in [0, 1]: used to fade lower layers towards the background. */
static inline UiColor ui_color_mix(UiColor a, UiColor b, double t)
{
    UiColor c;
    c.r = (uint8_t)(a.r + (b.r - a.r) * t + 0.5);
    c.g = (uint8_t)(a.g + (b.g - a.g) * t + 0.5);
    c.b = (uint8_t)(a.b + (b.b - a.b) * t + 0.5);
    c.a = (uint8_t)(a.a + (b.a - a.a) * t + 0.5);
    return c;
}

#endif
