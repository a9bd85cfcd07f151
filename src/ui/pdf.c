/* pdf.c - the display list drawn on a cairo PDF surface that writes into memory. */
#include "pdf.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gf_config.h"

#define PDF_PI 3.14159265358979323846

#if GF_WITH_PDF

#include <cairo-ft.h>
#include <cairo-pdf.h>
#include <cairo.h>
#include <fontconfig/fontconfig.h>

int pdf_available(void) { return 1; }

typedef struct PdfBuf {
    uint8_t *p;
    size_t len, cap;
    int failed;
} PdfBuf;

static cairo_status_t write_(void *closure, const unsigned char *data, unsigned int n)
{
    PdfBuf *b = closure;
    if (b->len + n > b->cap) {
        size_t cap = b->cap ? b->cap : 1 << 16;
        while (cap < b->len + n) cap *= 2;
        uint8_t *q = realloc(b->p, cap);
        if (!q) {
            b->failed = 1;
            return CAIRO_STATUS_WRITE_ERROR;
        }
        b->p = q;
        b->cap = cap;
    }
    memcpy(b->p + b->len, data, n);
    b->len += n;
    return CAIRO_STATUS_SUCCESS;
}

/* The face of the font file at path (cairo opens it through FreeType and owns it). */
static cairo_font_face_t *face_(const char *path)
{
    FcPattern *pat = FcPatternCreate();
    if (!pat) return NULL;
    FcPatternAddString(pat, FC_FILE, (const FcChar8 *)path);
    FcPatternAddInteger(pat, FC_INDEX, 0);
    cairo_font_face_t *f = cairo_ft_font_face_create_for_pattern(pat);
    FcPatternDestroy(pat);
    if (cairo_font_face_status(f) != CAIRO_STATUS_SUCCESS) {
        cairo_font_face_destroy(f);
        return NULL;
    }
    return f;
}

static void color_(cairo_t *cr, UiColor c)
{
    cairo_set_source_rgba(cr, c.r / 255.0, c.g / 255.0, c.b / 255.0, c.a / 255.0);
}

/* The points of xy as subpaths, a NaN point breaking them; a lone point is a zero-length segment
 * (a dot under a round cap). */
static void path_(cairo_t *cr, const float *xy, int n)
{
    int pen = 0;
    for (int i = 0; i < n; i++) {
        double x = xy[2 * i], y = xy[2 * i + 1];
        if (isnan(x) || isnan(y)) {
            if (pen == 1) cairo_rel_line_to(cr, 0, 0);
            pen = 0;
            continue;
        }
        if (pen) cairo_line_to(cr, x, y);
        else cairo_move_to(cr, x, y);
        pen++;
    }
    if (pen == 1) cairo_rel_line_to(cr, 0, 0);
}

static void text_(cairo_t *cr, const DlItem *it, cairo_font_face_t *const *faces)
{
    cairo_font_face_t *f = faces[it->bold ? 1 : 0];
    if (!f) return;
    cairo_set_font_face(cr, f);
    cairo_set_font_size(cr, it->px);
    cairo_text_extents_t ex;
    cairo_text_extents(cr, it->text, &ex);
    double dx = it->anchor == DL_ANCHOR_START ? 0 : it->anchor == DL_ANCHOR_MIDDLE ? -0.5 * ex.x_advance : -ex.x_advance;
    cairo_save(cr);
    cairo_translate(cr, it->x, it->y);
    if (it->vertical) cairo_rotate(cr, -PDF_PI / 2);
    cairo_move_to(cr, dx, 0);
    color_(cr, it->color);
    cairo_show_text(cr, it->text);
    cairo_restore(cr);
}

static void image_(cairo_t *cr, const DlItem *it)
{
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, it->iw, it->ih);
    if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(s);
        return;
    }
    cairo_surface_flush(s);
    unsigned char *d = cairo_image_surface_get_data(s);
    int stride = cairo_image_surface_get_stride(s);
    for (int y = 0; y < it->ih; y++) /* opaque pixels: premultiplied is the same */
        for (int x = 0; x < it->iw; x++)
            ((uint32_t *)(d + (size_t)y * (size_t)stride))[x] = it->pixels[(size_t)y * (size_t)it->iw + (size_t)x] | 0xFF000000u;
    cairo_surface_mark_dirty(s);
    cairo_save(cr);
    cairo_translate(cr, it->x, it->y);
    cairo_scale(cr, it->w / it->iw, it->h / it->ih);
    cairo_set_source_surface(cr, s, 0, 0);
    cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_NEAREST); /* heatmap cells stay sharp */
    cairo_rectangle(cr, 0, 0, it->iw, it->ih);
    cairo_fill(cr);
    cairo_restore(cr);
    cairo_surface_destroy(s);
}

static void item_(cairo_t *cr, const DlItem *it, cairo_font_face_t *const *faces)
{
    switch (it->kind) {
    case DL_RECT:
        color_(cr, it->color);
        cairo_rectangle(cr, it->x, it->y, it->w, it->h);
        cairo_fill(cr);
        break;
    case DL_STROKE: {
        color_(cr, it->color);
        cairo_set_line_width(cr, it->width);
        double d[4];
        int k = it->dash[0] > 0 || it->dash[1] > 0 ? (it->dash[2] > 0 || it->dash[3] > 0 ? 4 : 2) : 0;
        for (int i = 0; i < k; i++) d[i] = it->dash[i];
        cairo_set_dash(cr, d, k, it->dash_offset);
        float *thin = malloc((size_t)it->n * 2 * sizeof *thin);
        if (thin) { /* no more points than the pixel columns can show */
            path_(cr, thin, displist_thin_columns(it->xy, it->n, thin));
            free(thin);
        } else {
            path_(cr, it->xy, it->n);
        }
        cairo_stroke(cr);
        break;
    }
    case DL_POLYGON:
        color_(cr, it->color);
        path_(cr, it->xy, it->n);
        cairo_close_path(cr);
        cairo_fill(cr);
        break;
    case DL_DISC:
        color_(cr, it->color);
        cairo_new_sub_path(cr);
        cairo_arc(cr, it->x, it->y, it->w, 0, 2 * PDF_PI);
        cairo_fill(cr);
        break;
    case DL_TEXT: text_(cr, it, faces); break;
    case DL_IMAGE: image_(cr, it); break;
    case DL_CLIP_BEGIN:
        cairo_save(cr);
        cairo_rectangle(cr, it->x, it->y, it->w, it->h);
        cairo_clip(cr);
        break;
    case DL_CLIP_END: cairo_restore(cr); break;
    }
}

int pdf_write(const DispList *dl, int w, int h, const char *font_regular, const char *font_bold, const char *creator,
              const char *subject, uint8_t **out, size_t *len, GfError *err)
{
    PdfBuf b;
    memset(&b, 0, sizeof b);
    *out = NULL;
    *len = 0;
    if (dl->failed) return gf_error_set(err, GF_ERR_NOMEM, "out of memory describing the picture");
    cairo_font_face_t *faces[2] = {face_(font_regular), face_(font_bold)};
    if (!faces[0] || !faces[1]) {
        for (int i = 0; i < 2; i++)
            if (faces[i]) cairo_font_face_destroy(faces[i]);
        return gf_error_set(err, GF_ERR_IO, "cannot open the font %s for the PDF", faces[0] ? font_bold : font_regular);
    }
    /* a pixel at 96 dpi is 72/96 of a point */
    cairo_surface_t *surf = cairo_pdf_surface_create_for_stream(write_, &b, w * 0.75, h * 0.75);
    cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_CREATOR, creator);
    cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_TITLE, "gradflow");
    if (subject && *subject) cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_SUBJECT, subject);
    cairo_t *cr = cairo_create(surf);
    cairo_scale(cr, 0.75, 0.75);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    cairo_font_options_t *fo = cairo_font_options_create();
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF); /* widths as designed, at any zoom */
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    cairo_set_font_options(cr, fo);
    cairo_font_options_destroy(fo);
    for (int i = 0; i < dl->n; i++) item_(cr, &dl->items[i], faces);
    cairo_status_t st = cairo_status(cr);
    cairo_destroy(cr);
    cairo_surface_finish(surf);
    if (st == CAIRO_STATUS_SUCCESS) st = cairo_surface_status(surf);
    cairo_surface_destroy(surf);
    cairo_font_face_destroy(faces[0]);
    cairo_font_face_destroy(faces[1]);
    if (st != CAIRO_STATUS_SUCCESS || b.failed) {
        free(b.p);
        return gf_error_set(err, b.failed ? GF_ERR_NOMEM : GF_ERR_IO, "cannot write the PDF: %s",
                            b.failed ? "out of memory" : cairo_status_to_string(st));
    }
    *out = b.p;
    *len = b.len;
    return GF_OK;
}

#else

int pdf_available(void) { return 0; }

int pdf_write(const DispList *dl, int w, int h, const char *font_regular, const char *font_bold, const char *creator,
              const char *subject, uint8_t **out, size_t *len, GfError *err)
{
    (void)dl, (void)w, (void)h, (void)font_regular, (void)font_bold, (void)creator, (void)subject;
    *out = NULL;
    *len = 0;
    return gf_error_set(err, GF_ERR_IO, "this gradflow was built without cairo, so it writes no PDF "
                        "(install libcairo2-dev and build again); .png and .svg work");
}

#endif
