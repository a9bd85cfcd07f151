/* displist.c - appending to a display list, and moving a canvas's list into the figure's. */
#include "displist.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void displist_clear(DispList *dl)
{
    for (int i = 0; i < dl->n; i++) {
        free(dl->items[i].xy);
        free(dl->items[i].text);
        free(dl->items[i].pixels);
    }
    dl->n = 0;
    dl->failed = 0;
}

void displist_free(DispList *dl)
{
    displist_clear(dl);
    free(dl->items);
    memset(dl, 0, sizeof *dl);
}

/* A new zeroed item at the end, or NULL (and failed set) when out of memory. */
static DlItem *push_(DispList *dl, DlKind kind)
{
    if (dl->n == dl->cap) {
        int cap = dl->cap ? dl->cap * 2 : 256;
        DlItem *p = realloc(dl->items, (size_t)cap * sizeof *p);
        if (!p) {
            dl->failed = 1;
            return NULL;
        }
        dl->items = p;
        dl->cap = cap;
    }
    DlItem *it = &dl->items[dl->n++];
    memset(it, 0, sizeof *it);
    it->kind = kind;
    return it;
}

void displist_rect(DispList *dl, float x, float y, float w, float h, UiColor c)
{
    if (w <= 0 || h <= 0) return;
    DlItem *it = push_(dl, DL_RECT);
    if (!it) return;
    it->x = x;
    it->y = y;
    it->w = w;
    it->h = h;
    it->color = c;
}

/* Copies n points into a new item of kind; NULL when out of memory. */
static DlItem *points_(DispList *dl, DlKind kind, const float *xy, int n)
{
    if (n < 1) return NULL;
    float *p = malloc((size_t)n * 2 * sizeof *p);
    if (!p) {
        dl->failed = 1;
        return NULL;
    }
    memcpy(p, xy, (size_t)n * 2 * sizeof *p);
    DlItem *it = push_(dl, kind);
    if (!it) {
        free(p);
        return NULL;
    }
    it->xy = p;
    it->n = n;
    return it;
}

void displist_stroke(DispList *dl, const float *xy, int n, float width, const float *dash, UiColor c)
{
    if (width <= 0) return;
    DlItem *it = points_(dl, DL_STROKE, xy, n);
    if (!it) return;
    it->width = width;
    it->color = c;
    if (dash && dash[0] > 0) {
        /* as the canvas draws them: a pen under a pixel wide dashes as one a pixel wide; each dash's
           length includes its round ends, so its centre runs width shorter and the gap width longer */
        float pw = width < 1 ? 1 : width, period = 0;
        for (int k = 0; k < 2; k++) {
            float on = dash[2 * k] * pw, off = dash[2 * k + 1] * pw;
            if (on <= 0) break;
            /* a dot is a dash of (almost) no length: some renderers draw no cap on an exact 0 */
            it->dash[2 * k] = on - pw > 0.01f ? on - pw : 0.01f;
            it->dash[2 * k + 1] = off + pw - (it->dash[2 * k] - (on - pw > 0 ? on - pw : 0));
            period += on + off;
        }
        /* the canvas's first dash starts (round end included) where the line does: its centre half a
           width in, so the pattern starts half a width before its first dash */
        it->dash_offset = period - 0.5f * pw;
    }
}

void displist_polygon(DispList *dl, const float *xy, int n, UiColor c)
{
    DlItem *it = points_(dl, DL_POLYGON, xy, n);
    if (it) it->color = c;
}

void displist_disc(DispList *dl, float cx, float cy, float r, UiColor c)
{
    if (r <= 0) return;
    DlItem *it = push_(dl, DL_DISC);
    if (!it) return;
    it->x = cx;
    it->y = cy;
    it->w = r;
    it->color = c;
}

void displist_text(DispList *dl, const char *s, int px, int bold, UiColor c, float x, float baseline,
                   DlAnchor anchor, int vertical, float text_w)
{
    if (!s || !*s) return;
    size_t len = strlen(s);
    char *copy = malloc(len + 1);
    if (!copy) {
        dl->failed = 1;
        return;
    }
    memcpy(copy, s, len + 1);
    DlItem *it = push_(dl, DL_TEXT);
    if (!it) {
        free(copy);
        return;
    }
    it->text = copy;
    it->px = px;
    it->bold = bold;
    it->color = c;
    it->x = x;
    it->y = baseline;
    it->anchor = anchor;
    it->vertical = vertical;
    it->text_w = text_w;
}

void displist_image(DispList *dl, const uint32_t *pixels, int iw, int ih, int stride, float x, float y, float w,
                    float h)
{
    if (iw < 1 || ih < 1) return;
    uint32_t *p = malloc((size_t)iw * (size_t)ih * sizeof *p);
    if (!p) {
        dl->failed = 1;
        return;
    }
    for (int r = 0; r < ih; r++) memcpy(p + (size_t)r * (size_t)iw, pixels + (size_t)r * (size_t)stride, (size_t)iw * sizeof *p);
    DlItem *it = push_(dl, DL_IMAGE);
    if (!it) {
        free(p);
        return;
    }
    it->pixels = p;
    it->iw = iw;
    it->ih = ih;
    it->x = x;
    it->y = y;
    it->w = w;
    it->h = h;
}

void displist_clip_begin(DispList *dl, float x, float y, float w, float h)
{
    DlItem *it = push_(dl, DL_CLIP_BEGIN);
    if (!it) return;
    it->x = x;
    it->y = y;
    it->w = w;
    it->h = h;
}

void displist_clip_end(DispList *dl) { push_(dl, DL_CLIP_END); }

void displist_append_moved(DispList *dl, const DispList *src, float dx, float dy, float clip_w, float clip_h)
{
    if (src->failed) dl->failed = 1;
    displist_clip_begin(dl, dx, dy, clip_w, clip_h);
    for (int i = 0; i < src->n; i++) {
        const DlItem *s = &src->items[i];
        DlItem *it = push_(dl, s->kind);
        if (!it) return;
        *it = *s;
        it->xy = NULL;
        it->text = NULL;
        it->pixels = NULL;
        it->x += dx;
        it->y += dy;
        if (s->xy) {
            it->xy = malloc((size_t)s->n * 2 * sizeof *it->xy);
            if (!it->xy) {
                dl->n--;
                dl->failed = 1;
                return;
            }
            for (int k = 0; k < s->n; k++) {
                it->xy[2 * k] = s->xy[2 * k] + dx; /* NaN stays NaN: the breaks stay */
                it->xy[2 * k + 1] = s->xy[2 * k + 1] + dy;
            }
        }
        if (s->text) {
            size_t len = strlen(s->text);
            it->text = malloc(len + 1);
            if (!it->text) {
                dl->n--;
                dl->failed = 1;
                return;
            }
            memcpy(it->text, s->text, len + 1);
        }
        if (s->pixels) {
            size_t bytes = (size_t)s->iw * (size_t)s->ih * sizeof *s->pixels;
            it->pixels = malloc(bytes);
            if (!it->pixels) {
                dl->n--;
                dl->failed = 1;
                return;
            }
            memcpy(it->pixels, s->pixels, bytes);
        }
    }
    displist_clip_end(dl);
}

void displist_drop_rects_in(DispList *dl, UiRect r)
{
    int k = 0;
    for (int i = 0; i < dl->n; i++) {
        DlItem *it = &dl->items[i];
        int inside = it->kind == DL_RECT && it->x >= r.x && it->y >= r.y && it->x + it->w <= r.x + r.w &&
                     it->y + it->h <= r.y + r.h;
        if (inside) continue; /* a rectangle owns no memory */
        dl->items[k++] = *it;
    }
    dl->n = k;
}

int displist_thin_columns(const float *xy, int n, float *out)
{
    int k = 0;
    for (int i = 0; i < n;) {
        float x = xy[2 * i], y = xy[2 * i + 1];
        int j = i + 1;
        if (!isnan(x) && !isnan(y)) /* the run of points in this point's column */
            while (j < n && !isnan(xy[2 * j + 1]) && floorf(xy[2 * j]) == floorf(x)) j++;
        int lo = i, hi = i;
        for (int m = i; m < j; m++) {
            if (xy[2 * m + 1] < xy[2 * lo + 1]) lo = m;
            if (xy[2 * m + 1] > xy[2 * hi + 1]) hi = m;
        }
        int a = lo < hi ? lo : hi, b = lo < hi ? hi : lo;
        out[2 * k] = xy[2 * a];
        out[2 * k + 1] = xy[2 * a + 1];
        k++;
        if (b != a) {
            out[2 * k] = xy[2 * b];
            out[2 * k + 1] = xy[2 * b + 1];
            k++;
        }
        i = j;
    }
    return k;
}
