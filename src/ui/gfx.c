/* gfx.c - rectangles, dashed legend lines, discs, triangles, the hover read-out box and canvas
 * textures through SDL. */
#include "gfx.h"

#include <math.h>

#include "record.h"

void gfx_set_color(SDL_Renderer *r, UiColor c)
{
    SDL_SetRenderDrawColor(r, c.r, c.g, c.b, c.a);
    SDL_SetRenderDrawBlendMode(r, c.a == 255 ? SDL_BLENDMODE_NONE : SDL_BLENDMODE_BLEND);
}

void gfx_fill(SDL_Renderer *r, UiRect rc, UiColor c)
{
    if (rc.w <= 0 || rc.h <= 0) return;
    DispList *dl = record_list(r);
    if (dl) displist_rect(dl, (float)rc.x, (float)rc.y, (float)rc.w, (float)rc.h, c);
    gfx_set_color(r, c);
    SDL_Rect s = {rc.x, rc.y, rc.w, rc.h};
    SDL_RenderFillRect(r, &s);
}

void gfx_box(SDL_Renderer *r, UiRect rc, UiColor c, int bw)
{
    gfx_fill(r, ui_rect(rc.x, rc.y, rc.w, bw), c);
    gfx_fill(r, ui_rect(rc.x, rc.y + rc.h - bw, rc.w, bw), c);
    gfx_fill(r, ui_rect(rc.x, rc.y + bw, bw, rc.h - 2 * bw), c);
    gfx_fill(r, ui_rect(rc.x + rc.w - bw, rc.y + bw, bw, rc.h - 2 * bw), c);
}

void gfx_hline_styled(SDL_Renderer *r, int x0, int x1, int yc, float width, const LineStyle *st, UiColor c)
{
    int lw = (int)lroundf(width) < 2 ? 2 : (int)lroundf(width);
    int y = yc - lw / 2;
    if (st->dash[0] <= 0) {
        gfx_fill(r, ui_rect(x0, y, x1 - x0, lw), c);
        return;
    }
    float x = (float)x0;
    int k = 0;
    while (x < x1) {
        float on = st->dash[2 * k] * lw, off = st->dash[2 * k + 1] * lw;
        if (on <= 0) {
            k = 0;
            continue;
        }
        int a = (int)lroundf(x), b = (int)lroundf(fminf(x + on, (float)x1));
        gfx_fill(r, ui_rect(a, y, b - a, lw), c);
        x += on + off;
        k = (k + 1) % 2;
        if (st->dash[2 * k] <= 0) k = 0;
    }
}

void gfx_disc(SDL_Renderer *r, float cx, float cy, float rad, UiColor c)
{
    enum { N = 20 };
    SDL_Vertex v[N + 1];
    int idx[N * 3];
    SDL_Color col = {c.r, c.g, c.b, c.a};
    v[0].position.x = cx;
    v[0].position.y = cy;
    v[0].color = col;
    for (int i = 0; i < N; i++) {
        double a = 6.283185307179586 * i / N; /* 2 pi i / N */
        v[i + 1].position.x = cx + rad * (float)cos(a);
        v[i + 1].position.y = cy + rad * (float)sin(a);
        v[i + 1].color = col;
        v[i + 1].tex_coord.x = v[i + 1].tex_coord.y = 0;
        idx[3 * i] = 0;
        idx[3 * i + 1] = i + 1;
        idx[3 * i + 2] = (i + 1) % N + 1;
    }
    v[0].tex_coord.x = v[0].tex_coord.y = 0;
    DispList *dl = record_list(r);
    if (dl) displist_disc(dl, cx, cy, rad, c); /* a true circle, not its N-gon */
    SDL_RenderGeometry(r, NULL, v, N + 1, idx, N * 3);
}

void gfx_triangle(SDL_Renderer *r, const float *xy, UiColor c)
{
    SDL_Vertex v[3];
    SDL_Color col = {c.r, c.g, c.b, c.a};
    for (int i = 0; i < 3; i++) {
        v[i].position.x = xy[2 * i];
        v[i].position.y = xy[2 * i + 1];
        v[i].color = col;
        v[i].tex_coord.x = v[i].tex_coord.y = 0;
    }
    DispList *dl = record_list(r);
    if (dl) displist_polygon(dl, xy, 3, c);
    SDL_RenderGeometry(r, NULL, v, 3, NULL, 0);
}

UiRect gfx_hover_box(SDL_Renderer *r, TextCache *tc, const char *lines, size_t stride, const UiColor *colors,
                     int n, int x, int y, UiRect within, int fit_bottom, const Theme *th, const UiMetrics *mt)
{
    int lh = (int)lround(mt->font_small * 1.35), bw = 0;
    for (int i = 0; i < n; i++) {
        int w, h;
        text_measure(tc, lines + (size_t)i * stride, mt->font_small, i == 0, &w, &h);
        if (w > bw) bw = w;
    }
    int pad = mt->gap;
    UiRect box = ui_rect(x + 2 * pad, y, bw + 2 * pad, n * lh + pad);
    if (box.x + box.w > within.x + within.w) box.x = x - 2 * pad - box.w;
    if (box.x < within.x) box.x = within.x; /* a box wider than either side: never off the left edge */
    if (fit_bottom && box.y + box.h > within.y + within.h) box.y = within.y + within.h - box.h;
    UiColor bg = th->overlay_bg;
    bg.a = 255; /* opaque: the labels under a read-out must not show through its numbers */
    gfx_fill(r, box, bg);
    gfx_box(r, box, th->widget_border, 1);
    for (int i = 0; i < n; i++)
        text_draw_in(tc, lines + (size_t)i * stride, mt->font_small, i == 0, colors[i],
                     ui_rect(box.x + pad, box.y + pad / 2 + i * lh, bw, lh), UI_ALIGN_LEFT);
    return box;
}

int gfx_canvas_upload(SDL_Renderer *r, const Canvas *cv, SDL_Texture **tex, int *tw, int *th)
{
    if (!*tex || *tw != cv->w || *th != cv->h) {
        if (*tex) SDL_DestroyTexture(*tex);
        *tex = SDL_CreateTexture(r, SDL_PIXELFORMAT_ARGB8888, SDL_TEXTUREACCESS_STREAMING, cv->w, cv->h);
        *tw = *th = 0;
        if (!*tex) return -1;
        *tw = cv->w;
        *th = cv->h;
        SDL_SetTextureBlendMode(*tex, SDL_BLENDMODE_NONE);
    }
    SDL_SetTextureUserData(*tex, (void *)cv); /* gfx_image finds what the canvas recorded */
    SDL_UpdateTexture(*tex, NULL, cv->px, cv->w * 4);
    return 0;
}

void gfx_image(SDL_Renderer *r, SDL_Texture *tex, UiRect rc)
{
    DispList *dl = record_list(r);
    Canvas *cv = dl ? SDL_GetTextureUserData(tex) : NULL;
    if (cv && cv->rec && cv->recording) { /* what was painted on it, moved to where it is shown */
        displist_append_moved(dl, cv->rec, (float)rc.x, (float)rc.y, (float)rc.w, (float)rc.h);
        canvas_record_stop(cv);
    } else if (cv && cv->px) { /* painted before recording began: its pixels */
        displist_image(dl, cv->px, cv->w, cv->h, cv->w, (float)rc.x, (float)rc.y, (float)rc.w, (float)rc.h);
    }
    SDL_Rect dst = {rc.x, rc.y, rc.w, rc.h};
    SDL_RenderCopy(r, tex, NULL, &dst);
}
