/* text.c - font lookup, SDL2_ttf faces per pixel size, and the texture cache. */
#include "text.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gf_config.h"
#include "record.h"

#define TEXT_CACHE_SLOTS 2048
#define TEXT_CACHE_BUDGET 1400 /* entries before the cache is emptied */

static int file_exists_(const char *path)
{
    SDL_RWops *rw = SDL_RWFromFile(path, "rb");
    if (!rw) return 0;
    SDL_RWclose(rw);
    return 1;
}

int text_find_asset(const char *file, char *out, size_t n, GfError *err)
{
    /* In order: an explicit override, beside the executable (an installed tree's
     * ../share/gradflow, or the build tree's ../assets), the source tree, the install prefix. */
    char dirs[5][1024];
    int nd = 0;
    const char *env = getenv("GRADFLOW_ASSETS");
    if (env && *env) snprintf(dirs[nd++], sizeof dirs[0], "%s", env);
    char *base = SDL_GetBasePath();
    if (base) {
        snprintf(dirs[nd++], sizeof dirs[0], "%s../share/gradflow", base);
        snprintf(dirs[nd++], sizeof dirs[0], "%s../assets", base);
        SDL_free(base);
    }
    snprintf(dirs[nd++], sizeof dirs[0], "%s", GF_ASSETS_BUILD_DIR);
    snprintf(dirs[nd++], sizeof dirs[0], "%s", GF_ASSETS_INSTALL_DIR);
    char tried[GF_ERROR_MSG_LEN] = "";
    size_t used = 0;
    for (int i = 0; i < nd; i++) {
        snprintf(out, n, "%s/%s", dirs[i], file);
        if (file_exists_(out)) return GF_OK;
        if (used < sizeof tried)
            used += (size_t)snprintf(tried + used, sizeof tried - used, "%s%s", i ? ", " : "", out);
    }
    return gf_error_set(err, GF_ERR_IO, "cannot find the font %s; tried %s (set GRADFLOW_ASSETS to "
                        "the folder that holds it)", file, tried);
}

static int load_file_(const char *path, void **data, size_t *len, GfError *err)
{
    size_t got = 0;
    void *p = SDL_LoadFile(path, &got);
    if (!p) return gf_error_set(err, GF_ERR_IO, "cannot read the font %s: %s", path, SDL_GetError());
    *data = p;
    *len = got;
    return GF_OK;
}

int text_init(TextCache *tc, SDL_Renderer *ren, GfError *err)
{
    char path[1100];
    int rc;
    memset(tc, 0, sizeof *tc);
    tc->ren = ren;
    /* TTF_Init counts references: every cache holds one, so caches live and die independently */
    if (TTF_Init() != 0) {
        rc = gf_error_set(err, GF_ERR_IO, "cannot start SDL_ttf: %s", TTF_GetError());
        goto fail;
    }
    tc->ttf_inited = 1;
    static const char *const files[2] = {TEXT_FONT_FILE, TEXT_FONT_BOLD_FILE};
    for (int i = 0; i < 2; i++) {
        if ((rc = text_find_asset(files[i], path, sizeof path, err))) goto fail;
        if ((rc = load_file_(path, &tc->data[i], &tc->len[i], err))) goto fail;
    }
    tc->slots = calloc(TEXT_CACHE_SLOTS, sizeof *tc->slots);
    if (!tc->slots) {
        rc = gf_error_set(err, GF_ERR_NOMEM, "out of memory for the text cache");
        goto fail;
    }
    tc->cap = TEXT_CACHE_SLOTS;
    return GF_OK;
fail:
    text_free(tc);
    return rc;
}

void text_trim(TextCache *tc)
{
    for (int i = 0; i < tc->cap; i++) {
        TextEntry *e = &tc->slots[i];
        if (!e->s) continue;
        if (e->tex) SDL_DestroyTexture(e->tex);
        free(e->s);
        memset(e, 0, sizeof *e);
    }
    tc->count = 0;
}

void text_free(TextCache *tc)
{
    if (tc->slots) text_trim(tc);
    free(tc->slots);
    for (int i = 0; i < tc->nfonts; i++) TTF_CloseFont(tc->fonts[i].font);
    for (int i = 0; i < 2; i++) SDL_free(tc->data[i]);
    if (tc->ttf_inited) TTF_Quit();
    memset(tc, 0, sizeof *tc);
}

static TTF_Font *font_get_(TextCache *tc, int px, int bold)
{
    if (px < 4) px = 4;
    for (int i = 0; i < tc->nfonts; i++)
        if (tc->fonts[i].px == px && tc->fonts[i].bold == bold) return tc->fonts[i].font;
    if (!tc->data[bold ? 1 : 0]) return NULL;
    if (tc->nfonts == TEXT_MAX_FONTS) { /* many sizes seen (text size changes): start over */
        text_trim(tc);
        for (int i = 0; i < tc->nfonts; i++) TTF_CloseFont(tc->fonts[i].font);
        tc->nfonts = 0;
    }
    SDL_RWops *rw = SDL_RWFromConstMem(tc->data[bold ? 1 : 0], (int)tc->len[bold ? 1 : 0]);
    if (!rw) return NULL;
    /* ptsize at SDL_ttf's 72 DPI default is the pixel size */
    TTF_Font *f = TTF_OpenFontRW(rw, 1, px);
    if (!f) return NULL;
    TTF_SetFontHinting(f, TTF_HINTING_LIGHT);
    tc->fonts[tc->nfonts].px = px;
    tc->fonts[tc->nfonts].bold = bold;
    tc->fonts[tc->nfonts].font = f;
    tc->nfonts++;
    return f;
}

void text_measure(TextCache *tc, const char *s, int px, int bold, int *w, int *h)
{
    *w = *h = 0;
    TTF_Font *f = font_get_(tc, px, bold);
    if (!f || !s || !*s) {
        if (f) *h = TTF_FontHeight(f);
        return;
    }
    if (TTF_SizeUTF8(f, s, w, h) != 0) *w = *h = 0;
}

int text_fit_px(TextCache *tc, const char *s, int px, int bold, int max_w, double min_frac)
{
    int w, h;
    text_measure(tc, s, px, bold, &w, &h);
    if (w <= max_w || w <= 0) return px;
    /* width is close to proportional to the size: start there and step down */
    int lo = (int)(px * min_frac);
    int p = (int)((double)px * max_w / w);
    if (p < lo) return lo;
    for (; p > lo; p--) {
        text_measure(tc, s, p, bold, &w, &h);
        if (w <= max_w) break;
    }
    return p;
}

static uint32_t hash_(const char *s, int px, int bold, uint32_t rgba)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) h = (h ^ *p) * 16777619u;
    h = (h ^ (uint32_t)px) * 16777619u;
    h = (h ^ (uint32_t)bold) * 16777619u;
    h = (h ^ rgba) * 16777619u;
    return h;
}

/* The cached texture of s, rendering it on a miss; NULL on failure or empty text. */
static TextEntry *entry_get_(TextCache *tc, const char *s, int px, int bold, UiColor c)
{
    if (!s || !*s || !tc->slots) return NULL;
    uint32_t rgba = (uint32_t)c.r << 24 | (uint32_t)c.g << 16 | (uint32_t)c.b << 8 | c.a;
    uint32_t h = hash_(s, px, bold, rgba);
    int i = (int)(h & (uint32_t)(tc->cap - 1));
    while (tc->slots[i].s) {
        TextEntry *e = &tc->slots[i];
        if (e->hash == h && e->px == px && e->bold == bold && e->rgba == rgba && strcmp(e->s, s) == 0)
            return e;
        i = (i + 1) & (tc->cap - 1);
    }
    if (tc->count >= TEXT_CACHE_BUDGET) {
        text_trim(tc);
        i = (int)(h & (uint32_t)(tc->cap - 1));
    }
    TTF_Font *f = font_get_(tc, px, bold);
    if (!f) return NULL;
    SDL_Color col = {c.r, c.g, c.b, c.a};
    SDL_Surface *surf = TTF_RenderUTF8_Blended(f, s, col);
    if (!surf) return NULL;
    SDL_Texture *tex = SDL_CreateTextureFromSurface(tc->ren, surf);
    int w = surf->w, hh = surf->h;
    SDL_FreeSurface(surf);
    if (!tex) return NULL;
    SDL_SetTextureBlendMode(tex, SDL_BLENDMODE_BLEND);
    char *copy = malloc(strlen(s) + 1);
    if (!copy) {
        SDL_DestroyTexture(tex);
        return NULL;
    }
    strcpy(copy, s);
    TextEntry *e = &tc->slots[i];
    e->s = copy;
    e->px = px;
    e->bold = bold;
    e->rgba = rgba;
    e->hash = h;
    e->tex = tex;
    e->w = w;
    e->h = hh;
    tc->count++;
    return e;
}

/* While the renderer records: run e in colour c drawn with its box's top-left at (x, y), anchored as al
 * (the point of the baseline that stays put when another font is a little wider or narrower). */
static void record_(TextCache *tc, const TextEntry *e, UiColor c, int x, int y, UiAlign al)
{
    DispList *dl = record_list(tc->ren);
    if (!dl) return;
    TTF_Font *f = font_get_(tc, e->px, e->bold);
    float base = (float)y + (f ? (float)TTF_FontAscent(f) : 0.8f * (float)e->h);
    float ax = al == UI_ALIGN_LEFT ? (float)x : al == UI_ALIGN_RIGHT ? (float)(x + e->w) : (float)x + 0.5f * (float)e->w;
    DlAnchor an = al == UI_ALIGN_LEFT ? DL_ANCHOR_START : al == UI_ALIGN_RIGHT ? DL_ANCHOR_END : DL_ANCHOR_MIDDLE;
    displist_text(dl, e->s, e->px, e->bold, c, ax, base, an, 0, (float)e->w);
}

int text_draw(TextCache *tc, const char *s, int px, int bold, UiColor c, int x, int y)
{
    TextEntry *e = entry_get_(tc, s, px, bold, c);
    if (!e) return 0;
    record_(tc, e, c, x, y, UI_ALIGN_LEFT);
    SDL_Rect dst = {x, y, e->w, e->h};
    SDL_RenderCopy(tc->ren, e->tex, NULL, &dst);
    return e->w;
}

void text_draw_in(TextCache *tc, const char *s, int px, int bold, UiColor c, UiRect r, UiAlign al)
{
    TextEntry *e = entry_get_(tc, s, px, bold, c);
    if (!e) return;
    int x = al == UI_ALIGN_LEFT ? r.x : al == UI_ALIGN_RIGHT ? r.x + r.w - e->w : r.x + (r.w - e->w) / 2;
    int y = r.y + (r.h - e->h) / 2;
    record_(tc, e, c, x, y, al);
    SDL_Rect dst = {x, y, e->w, e->h};
    SDL_RenderCopy(tc->ren, e->tex, NULL, &dst);
}

UiRect text_box_in(TextCache *tc, const char *s, int px, int bold, UiRect r, UiAlign al, int pad)
{
    int w = 0, h = 0;
    text_measure(tc, s, px, bold, &w, &h);
    if (w <= 0 || h <= 0) return ui_rect(r.x, r.y, 0, 0);
    /* the same placement as text_draw_in */
    int x = al == UI_ALIGN_LEFT ? r.x : al == UI_ALIGN_RIGHT ? r.x + r.w - w : r.x + (r.w - w) / 2;
    int y = r.y + (r.h - h) / 2;
    return ui_rect(x - pad, y - pad, w + 2 * pad, h + 2 * pad);
}

UiRect text_draw_boxed(TextCache *tc, const char *s, int px, int bold, UiColor c, UiColor bg, UiRect r,
                       UiAlign al, int pad)
{
    UiRect b = text_box_in(tc, s, px, bold, r, al, pad);
    if (b.w <= 0) return b;
    DispList *dl = record_list(tc->ren);
    if (dl) displist_rect(dl, (float)b.x, (float)b.y, (float)b.w, (float)b.h, bg);
    SDL_SetRenderDrawBlendMode(tc->ren, bg.a == 255 ? SDL_BLENDMODE_NONE : SDL_BLENDMODE_BLEND);
    SDL_SetRenderDrawColor(tc->ren, bg.r, bg.g, bg.b, bg.a);
    SDL_Rect rr = {b.x, b.y, b.w, b.h};
    SDL_RenderFillRect(tc->ren, &rr);
    text_draw_in(tc, s, px, bold, c, r, al);
    return b;
}

void text_draw_vertical(TextCache *tc, const char *s, int px, int bold, UiColor c, int cx, int cy)
{
    TextEntry *e = entry_get_(tc, s, px, bold, c);
    if (!e) return;
    /* rotate about the rectangle's centre: a w x h box centred on (cx, cy) turned by -90 degrees */
    SDL_Rect dst = {cx - e->w / 2, cy - e->h / 2, e->w, e->h};
    DispList *dl = record_list(tc->ren);
    if (dl) {
        /* the baseline's middle lies ascent - h/2 below the centre before the turn, right of it after */
        TTF_Font *f = font_get_(tc, px, bold);
        float d = (f ? (float)TTF_FontAscent(f) : 0.8f * (float)e->h) - 0.5f * (float)e->h;
        displist_text(dl, s, px, bold, c, (float)cx + d, (float)cy, DL_ANCHOR_MIDDLE, 1, (float)e->w);
    }
    SDL_RenderCopyEx(tc->ren, e->tex, NULL, &dst, -90.0, NULL, SDL_FLIP_NONE);
}

/* ================================================================ typeset text ================ */

static int script_px_(int px)
{
    int p = (int)lround(px * TEXT_SCRIPT_FRAC);
    return p < 4 ? 4 : p;
}

/* Appends the n bytes at p to run r's text (cut where it is full), a '-' as U+2212 in a script. */
static void run_append_(TextRun *r, const char *p, size_t n, int script)
{
    size_t at = strlen(r->s);
    for (size_t i = 0; i < n; i++) {
        const char *add = script && p[i] == '-' ? "\xE2\x88\x92" : NULL;
        size_t k = add ? 3 : 1;
        if (at + k >= sizeof r->s) break;
        memcpy(r->s + at, add ? add : p + i, k);
        at += k;
    }
    r->s[at] = '\0';
}

/* The end of the brace group opening at s[0] == '{' (its closing brace), or NULL if unclosed. */
static const char *group_end_(const char *s)
{
    int depth = 0;
    for (const char *p = s; *p; p++) {
        if (*p == '{') depth++;
        else if (*p == '}' && --depth == 0) return p;
    }
    return NULL;
}

int text_rich_runs(TextCache *tc, const char *s, int px, int bold, TextRun *runs, int max, int *w, int *h)
{
    *w = *h = 0;
    if (!s || max <= 0) return 0;
    TTF_Font *f = font_get_(tc, px, bold), *fs = font_get_(tc, script_px_(px), bold);
    if (!f || !fs) return 0;
    int asc = TTF_FontAscent(f), sasc = TTF_FontAscent(fs);
    *h = TTF_FontHeight(f);
    /* baselines: a subscript 0.2 em below, a superscript 0.36 em above the text's */
    int y_base = 0, y_sub = asc + (int)lround(0.2 * px) - sasc, y_sup = asc - (int)lround(0.36 * px) - sasc;
    int n = 0, x = 0;
    int sub_x = -1, sub_w = 0; /* the subscript just drawn, for a superscript stacked over it */
    const char *p = s;
    while (*p && n < max) {
        int level = 0;
        const char *body = p, *end = NULL;
        if ((p[0] == '_' || p[0] == '^') && p[1] == '{' && (end = group_end_(p + 1))) {
            level = p[0] == '_' ? -1 : 1;
            body = p + 2;
        } else { /* plain text up to the next script */
            end = p;
            while (*end && !((end[0] == '_' || end[0] == '^') && end[1] == '{' && group_end_(end + 1))) end++;
            /* a run holds sizeof r->s - 1 bytes: longer plain text goes on in the next run, cut
               between two characters (never inside a UTF-8 sequence) */
            const size_t room = sizeof runs[0].s - 1;
            if ((size_t)(end - p) > room) {
                end = p + room;
                while (end > p + 1 && ((unsigned char)*end & 0xC0) == 0x80) end--;
            }
        }
        TextRun *r = &runs[n];
        memset(r, 0, sizeof *r);
        run_append_(r, body, (size_t)(end - body), level != 0);
        r->px = level ? script_px_(px) : px;
        int rw = 0, rh = 0;
        if (r->s[0]) text_measure(tc, r->s, r->px, bold, &rw, &rh);
        r->w = rw;
        r->y = level < 0 ? y_sub : level > 0 ? y_sup : y_base;
        if (level > 0 && sub_x >= 0) { /* stacked over the subscript before it */
            r->x = sub_x;
            x = sub_x + (rw > sub_w ? rw : sub_w);
        } else {
            r->x = x;
            x += rw;
        }
        sub_x = level < 0 ? r->x : -1;
        sub_w = level < 0 ? rw : 0;
        if (r->s[0]) n++;
        p = level ? end + 1 : end;
    }
    *w = x;
    return n;
}

void text_measure_rich(TextCache *tc, const char *s, int px, int bold, int *w, int *h)
{
    TextRun runs[TEXT_RICH_MAX_RUNS];
    text_rich_runs(tc, s, px, bold, runs, TEXT_RICH_MAX_RUNS, w, h);
}

int text_fit_px_rich(TextCache *tc, const char *s, int px, int bold, int max_w, double min_frac)
{
    int w, h;
    text_measure_rich(tc, s, px, bold, &w, &h);
    if (w <= max_w || w <= 0) return px;
    int lo = (int)(px * min_frac);
    int p = (int)((double)px * max_w / w);
    if (p < lo) return lo;
    for (; p > lo; p--) {
        text_measure_rich(tc, s, p, bold, &w, &h);
        if (w <= max_w) break;
    }
    return p;
}

int text_draw_rich(TextCache *tc, const char *s, int px, int bold, UiColor c, int x, int y)
{
    TextRun runs[TEXT_RICH_MAX_RUNS];
    int w, h;
    int n = text_rich_runs(tc, s, px, bold, runs, TEXT_RICH_MAX_RUNS, &w, &h);
    for (int i = 0; i < n; i++) text_draw(tc, runs[i].s, runs[i].px, bold, c, x + runs[i].x, y + runs[i].y);
    return w;
}

UiRect text_box_rich_in(TextCache *tc, const char *s, int px, int bold, UiRect r, UiAlign al, int pad)
{
    int w = 0, h = 0;
    text_measure_rich(tc, s, px, bold, &w, &h);
    if (w <= 0 || h <= 0) return ui_rect(r.x, r.y, 0, 0);
    int x = al == UI_ALIGN_LEFT ? r.x : al == UI_ALIGN_RIGHT ? r.x + r.w - w : r.x + (r.w - w) / 2;
    int y = r.y + (r.h - h) / 2;
    return ui_rect(x - pad, y - pad, w + 2 * pad, h + 2 * pad);
}

void text_draw_rich_in(TextCache *tc, const char *s, int px, int bold, UiColor c, UiRect r, UiAlign al)
{
    UiRect b = text_box_rich_in(tc, s, px, bold, r, al, 0);
    if (b.w > 0) text_draw_rich(tc, s, px, bold, c, b.x, b.y);
}

UiRect text_draw_rich_boxed(TextCache *tc, const char *s, int px, int bold, UiColor c, UiColor bg, UiRect r,
                            UiAlign al, int pad)
{
    UiRect b = text_box_rich_in(tc, s, px, bold, r, al, pad);
    if (b.w <= 0) return b;
    SDL_SetRenderDrawBlendMode(tc->ren, bg.a == 255 ? SDL_BLENDMODE_NONE : SDL_BLENDMODE_BLEND);
    SDL_SetRenderDrawColor(tc->ren, bg.r, bg.g, bg.b, bg.a);
    SDL_Rect rr = {b.x, b.y, b.w, b.h};
    SDL_RenderFillRect(tc->ren, &rr);
    text_draw_rich(tc, s, px, bold, c, b.x + pad, b.y + pad);
    return b;
}

/* Width of the n bytes at s, typeset. */
static int span_width_(TextCache *tc, const char *s, size_t n, int px, int bold)
{
    char buf[512];
    if (n >= sizeof buf) n = sizeof buf - 1;
    memcpy(buf, s, n);
    buf[n] = '\0';
    int w, h;
    text_measure_rich(tc, buf, px, bold, &w, &h);
    return w;
}

int text_wrap(TextCache *tc, const char *s, int px, int bold, int max_w, int *start, int *len, int max)
{
    if (!s || !*s || max <= 0) return 0;
    int n = 0;
    size_t total = strlen(s), at = 0;
    while (at < total && n < max) {
        while (s[at] == ' ') at++; /* a line starts at a word */
        if (at >= total) break;
        size_t end = total; /* the whole rest, when it fits or this is the last line allowed */
        if (n < max - 1 && span_width_(tc, s + at, total - at, px, bold) > max_w) {
            size_t best = 0; /* the last break (a space outside braces) that still fits */
            int depth = 0;
            for (size_t i = at; i < total; i++) {
                if (s[i] == '{') depth++;
                else if (s[i] == '}' && depth > 0) depth--;
                else if (s[i] == ' ' && depth == 0 && i > at) {
                    if (span_width_(tc, s + at, i - at, px, bold) > max_w) break;
                    best = i;
                }
            }
            if (!best) { /* the first word alone is too wide: it gets the line */
                best = at;
                depth = 0;
                while (best < total && !(s[best] == ' ' && depth == 0)) {
                    if (s[best] == '{') depth++;
                    else if (s[best] == '}' && depth > 0) depth--;
                    best++;
                }
            }
            end = best;
        }
        size_t e = end;
        while (e > at && s[e - 1] == ' ') e--;
        start[n] = (int)at;
        len[n] = (int)(e - at);
        n++;
        at = end;
    }
    return n;
}
