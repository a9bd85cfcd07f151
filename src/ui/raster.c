/* raster.c - coverage-based anti-aliased polylines and rectangle fills on an ARGB canvas. */
#include "raster.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/gf_error.h"

int canvas_resize(Canvas *cv, int w, int h)
{
    if (w < 1 || h < 1) return GF_ERR_RANGE;
    size_t n = (size_t)w * (size_t)h;
    /* grown when too small; given back when under a quarter is used (a window back at 1280x720
       after an 8K moment keeps ~8 MB, not ~260 MB) */
    if (n > cv->cap || n < cv->cap / 4) {
        uint32_t *px = malloc(n * sizeof *px);
        float *cov = calloc(n, sizeof *cov);
        if (!px || !cov) {
            free(px);
            free(cov);
            return GF_ERR_NOMEM;
        }
        free(cv->px);
        free(cv->cov);
        cv->px = px;
        cv->cov = cov;
        cv->cap = n;
    }
    if (h > cv->span_cap) {
        int *span = malloc((size_t)h * 2 * sizeof *span);
        if (!span) return GF_ERR_NOMEM;
        free(cv->span);
        cv->span = span;
        cv->span_cap = h;
    }
    for (int y = 0; y < h; y++) {
        cv->span[2 * y] = w;
        cv->span[2 * y + 1] = 0;
    }
    cv->w = w;
    cv->h = h;
    return GF_OK;
}

void canvas_free(Canvas *cv)
{
    free(cv->px);
    free(cv->cov);
    free(cv->span);
    if (cv->rec) displist_free(cv->rec);
    free(cv->rec);
    memset(cv, 0, sizeof *cv);
}

static uint32_t pack_(UiColor c) { return 0xFF000000u | (uint32_t)c.r << 16 | (uint32_t)c.g << 8 | c.b; }

void canvas_fill(Canvas *cv, UiColor c)
{
    if (cv->recording) displist_rect(cv->rec, 0, 0, (float)cv->w, (float)cv->h, c);
    uint32_t v = pack_(c);
    size_t n = (size_t)cv->w * (size_t)cv->h;
    for (size_t i = 0; i < n; i++) cv->px[i] = v;
}

/* dst = dst + (src - dst) * a, per channel, a in [0, 1]. */
static uint32_t blend_(uint32_t dst, UiColor src, float a)
{
    int dr = (int)(dst >> 16 & 255), dg = (int)(dst >> 8 & 255), db = (int)(dst & 255);
    int r = dr + (int)lrintf((float)(src.r - dr) * a);
    int g = dg + (int)lrintf((float)(src.g - dg) * a);
    int b = db + (int)lrintf((float)(src.b - db) * a);
    return 0xFF000000u | (uint32_t)r << 16 | (uint32_t)g << 8 | (uint32_t)b;
}

void canvas_fill_rect(Canvas *cv, UiRect r, UiColor c)
{
    int x0 = r.x < 0 ? 0 : r.x, y0 = r.y < 0 ? 0 : r.y;
    int x1 = r.x + r.w > cv->w ? cv->w : r.x + r.w, y1 = r.y + r.h > cv->h ? cv->h : r.y + r.h;
    if (cv->recording) displist_rect(cv->rec, (float)x0, (float)y0, (float)(x1 - x0), (float)(y1 - y0), c);
    float a = c.a / 255.0f;
    for (int y = y0; y < y1; y++) {
        uint32_t *row = cv->px + (size_t)y * (size_t)cv->w;
        for (int x = x0; x < x1; x++) row[x] = c.a == 255 ? pack_(c) : blend_(row[x], c, a);
    }
}

int canvas_record_start(Canvas *cv)
{
    if (!cv->rec && !(cv->rec = calloc(1, sizeof *cv->rec))) return GF_ERR_NOMEM;
    displist_clear(cv->rec);
    cv->recording = 1;
    return GF_OK;
}

void canvas_record_stop(Canvas *cv)
{
    cv->recording = 0;
    if (cv->rec) displist_clear(cv->rec);
}

void canvas_record_image(Canvas *cv, UiRect r)
{
    if (!cv->recording) return;
    int x0 = r.x < 0 ? 0 : r.x, y0 = r.y < 0 ? 0 : r.y;
    int x1 = r.x + r.w > cv->w ? cv->w : r.x + r.w, y1 = r.y + r.h > cv->h ? cv->h : r.y + r.h;
    if (x0 >= x1 || y0 >= y1) return;
    displist_drop_rects_in(cv->rec, ui_rect(x0, y0, x1 - x0, y1 - y0));
    displist_image(cv->rec, cv->px + (size_t)y0 * (size_t)cv->w + (size_t)x0, x1 - x0, y1 - y0, cv->w, (float)x0,
                   (float)y0, (float)(x1 - x0), (float)(y1 - y0));
}

uint32_t canvas_get(const Canvas *cv, int x, int y)
{
    if (x < 0 || y < 0 || x >= cv->w || y >= cv->h) return 0;
    return cv->px[(size_t)y * (size_t)cv->w + (size_t)x];
}

/* ---------------------------------------------------------------- dashes ---------------------- */

/* A dash pattern resolved to pixels: "on" intervals [on_lo[k], on_hi[k]] of the pen's centre along
 * the arc length, repeating with period `period`. A dash drawn with a round pen of radius r covers
 * [lo - r, hi + r], so the centre interval is the visible length shortened by the width. */
typedef struct Dash {
    int solid;
    int n;              /* intervals in one period: 1 or 2 */
    float lo[2], hi[2]; /* centre intervals within [0, period) */
    float period;
} Dash;

static Dash dash_make_(const LineStyle *style, float width)
{
    Dash d;
    memset(&d, 0, sizeof d);
    if (!style || style->dash[0] <= 0) {
        d.solid = 1;
        return d;
    }
    float pos = 0;
    for (int k = 0; k < 2; k++) {
        float on = style->dash[2 * k] * width, off = style->dash[2 * k + 1] * width;
        if (on <= 0) break;
        float centre = on - width > 0 ? on - width : 0; /* round ends add width/2 on each side */
        d.lo[k] = pos + width * 0.5f;
        d.hi[k] = d.lo[k] + centre;
        pos += on + off;
        d.n = k + 1;
    }
    d.period = pos;
    return d;
}

/* Distance along the line from arc position s to the nearest "on" centre interval. */
static float dash_gap_(const Dash *d, float s)
{
    float ph = fmodf(s, d->period);
    if (ph < 0) ph += d->period;
    float best = d->period;
    for (int k = 0; k < d->n; k++) {
        float g;
        if (ph < d->lo[k])
            g = fminf(d->lo[k] - ph, ph + d->period - d->hi[k]);
        else if (ph > d->hi[k])
            g = fminf(ph - d->hi[k], d->lo[k] + d->period - ph);
        else
            g = 0;
        if (g < best) best = g;
    }
    return best;
}

/* ---------------------------------------------------------------- polylines ------------------- */

typedef struct Box {
    int y0, y1; /* touched rows [y0, y1); each row's columns are in the canvas's span */
} Box;

/* Max-combines the coverage of segment a -> b (arc position s0 at a) into cv->cov. */
static void segment_cover_(Canvas *cv, float ax, float ay, float bx, float by, float s0, float hw,
                          float thin, const Dash *dash, Box *box)
{
    float dx = bx - ax, dy = by - ay;
    float len = sqrtf(dx * dx + dy * dy);
    float ux = len > 0 ? dx / len : 1, uy = len > 0 ? dy / len : 0;
    float reach = hw + 1.0f; /* pixels farther than this from the segment get no coverage */
    /* a pixel whose squared distance is above far2 gets none either (coverage hw + 0.5 - d <= 0,
       with a margin far above the roundings of d2 and sqrtf), so it is skipped before the dash
       phase and the square root are computed */
    const float far2 = (hw + 0.5f) * (hw + 0.5f) * 1.001f + 1e-3f;
    int x0 = (int)floorf(fminf(ax, bx) - reach), x1 = (int)ceilf(fmaxf(ax, bx) + reach);
    int y0 = (int)floorf(fminf(ay, by) - reach), y1 = (int)ceilf(fmaxf(ay, by) + reach);
    if (x0 < 0) x0 = 0;
    if (y0 < 0) y0 = 0;
    if (x1 > cv->w) x1 = cv->w;
    if (y1 > cv->h) y1 = cv->h;
    if (x0 >= x1 || y0 >= y1) return;
    if (y0 < box->y0) box->y0 = y0;
    if (y1 > box->y1) box->y1 = y1;
    for (int y = y0; y < y1; y++) {
        float py = (float)y + 0.5f;
        /* Only the x span where the pen can reach this row: around the line's crossing of the row
         * band, widened by the pen's horizontal extent reach / |sin|. */
        int xa = x0, xb = x1;
        if (fabsf(dy) > 1e-6f && fabsf(uy) > 0.05f) {
            float k = dx / dy, ext = reach / fabsf(uy);
            float xc0 = ax + (py - 0.5f - ay) * k, xc1 = ax + (py + 0.5f - ay) * k;
            int sa = (int)floorf(fminf(xc0, xc1) - ext), sb = (int)ceilf(fmaxf(xc0, xc1) + ext);
            if (sa > xa) xa = sa;
            if (sb < xb) xb = sb;
        }
        if (xa >= xb) continue;
        int *sp = cv->span + 2 * y;
        if (xa < sp[0]) sp[0] = xa;
        if (xb > sp[1]) sp[1] = xb;
        float *row = cv->cov + (size_t)y * (size_t)cv->w;
        for (int x = xa; x < xb; x++) {
            float px = (float)x + 0.5f;
            float qx = px - ax, qy = py - ay;
            float t = qx * ux + qy * uy; /* projection on the segment, clamped to [0, len] */
            if (t < 0) t = 0;
            if (t > len) t = len;
            float ex = qx - t * ux, ey = qy - t * uy;
            float d2 = ex * ex + ey * ey;
            if (d2 > far2) continue; /* no coverage, with or without a dash: most of the box */
            if (!dash->solid) {
                float g = dash_gap_(dash, s0 + t);
                d2 += g * g; /* distance to the nearest dash, a capsule */
            }
            float d = sqrtf(d2);
            float c = hw + 0.5f - d; /* box-filter coverage of a straight edge */
            if (c <= 0) continue;
            if (c > 1) c = 1;
            c *= thin;
            if (c > row[x]) row[x] = c;
        }
    }
}

void canvas_draw_polyline(Canvas *cv, const float *xy, int n, float width, const LineStyle *style,
                          UiColor c)
{
    if (n < 1 || width <= 0 || !cv->px) return;
    if (cv->recording) displist_stroke(cv->rec, xy, n, width, style ? style->dash : NULL, c);
    /* Pens thinner than a pixel keep a one-pixel footprint and fade instead. */
    float thin = width < 1 ? width : 1;
    float hw = (width < 1 ? 1 : width) * 0.5f;
    Dash dash = dash_make_(style, width < 1 ? 1 : width);
    Box box = {cv->h, 0};
    float s = 0;
    if (n == 1) {
        if (!isnan(xy[0]) && !isnan(xy[1]))
            segment_cover_(cv, xy[0], xy[1], xy[0], xy[1], 0, hw, thin, &dash, &box);
    }
    for (int i = 0; i + 1 < n; i++) {
        float ax = xy[2 * i], ay = xy[2 * i + 1], bx = xy[2 * i + 2], by = xy[2 * i + 3];
        if (isnan(ax) || isnan(ay) || isnan(bx) || isnan(by)) continue;
        segment_cover_(cv, ax, ay, bx, by, s, hw, thin, &dash, &box);
        s += sqrtf((bx - ax) * (bx - ax) + (by - ay) * (by - ay));
    }
    /* Composite the polyline once, then clear its coverage for the next one. */
    float alpha = c.a / 255.0f;
    for (int y = box.y0; y < box.y1; y++) {
        float *crow = cv->cov + (size_t)y * (size_t)cv->w;
        uint32_t *prow = cv->px + (size_t)y * (size_t)cv->w;
        int *sp = cv->span + 2 * y;
        for (int x = sp[0]; x < sp[1]; x++) {
            if (crow[x] > 0) {
                prow[x] = blend_(prow[x], c, crow[x] * alpha);
                crow[x] = 0;
            }
        }
        sp[0] = cv->w;
        sp[1] = 0;
    }
}
