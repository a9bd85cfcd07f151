/* drawctx.c - the shared draw context: text cache, metrics of the frame, the cached plot canvas,
 * and the centred message box. */
#include "drawctx.h"

#include <stdlib.h>
#include <string.h>

#include "record.h"

int draw_ctx_init(DrawCtx *dc, SDL_Renderer *ren, GfError *err)
{
    memset(dc, 0, sizeof *dc);
    dc->ren = ren;
    dc->th = theme_get(UI_THEME_LIGHT);
    colormap_init(&dc->cmap_viridis, CMAP_VIRIDIS);
    colormap_init(&dc->cmap_diverging, CMAP_DIVERGING);
    colormap_init(&dc->cmap_diverging_dark, CMAP_DIVERGING_DARK);
    return text_init(&dc->text, ren, err);
}

void draw_ctx_free(DrawCtx *dc)
{
    text_free(&dc->text);
    canvas_free(&dc->canvas);
    if (dc->plot_tex) SDL_DestroyTexture(dc->plot_tex);
    free(dc->lp.xy);
    memset(dc, 0, sizeof *dc);
}

void draw_ctx_begin(DrawCtx *dc, UiTheme theme, double scale)
{
    dc->theme = theme;
    dc->th = theme_get(theme);
    dc->scale = scale;
    layout_metrics(&dc->metrics, scale);
}

uint64_t draw_hash(uint64_t h, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++) h = (h ^ b[i]) * 1099511628211ull; /* FNV-1a: h = (h xor byte) * prime */
    return h;
}

void draw_canvas_cached(DrawCtx *dc, UiRect fig, uint64_t key, DrawCanvasPaint paint, const void *arg)
{
    Canvas *cv = &dc->canvas;
    int recording = record_list(dc->ren) != NULL; /* then painted afresh, so that it is recorded */
    if (recording || key != dc->canvas_key || !dc->plot_tex || dc->tex_w != fig.w || dc->tex_h != fig.h) {
        if (canvas_resize(cv, fig.w, fig.h)) return;
        if (recording) canvas_record_start(cv);
        paint(cv, arg);
        if (gfx_canvas_upload(dc->ren, cv, &dc->plot_tex, &dc->tex_w, &dc->tex_h)) return;
        dc->canvas_key = recording ? 0 : key;
    }
    gfx_image(dc->ren, dc->plot_tex, fig);
}

const Colormap *draw_colormap(const DrawCtx *dc, const ColorScale *sc)
{
    if (sc->kind == CMAP_VIRIDIS) return &dc->cmap_viridis;
    return dc->theme == UI_THEME_DARK ? &dc->cmap_diverging_dark : &dc->cmap_diverging;
}

void draw_message(DrawCtx *dc, UiRect area, const char *text, int warn)
{
    const Theme *th = dc->th;
    const UiMetrics *mt = &dc->metrics;
    int w, h;
    int px = text_fit_px(&dc->text, text, mt->font_body, 1, area.w - 2 * mt->gap, 0.6);
    text_measure(&dc->text, text, px, 1, &w, &h);
    UiRect b = ui_rect(area.x + (area.w - w) / 2 - mt->gap, area.y + area.h / 2 - h, w + 2 * mt->gap, 2 * h);
    gfx_fill(dc->ren, b, th->overlay_bg);
    text_draw_in(&dc->text, text, px, 1, warn ? th->warn : th->fg_muted, b, UI_ALIGN_CENTER);
}
