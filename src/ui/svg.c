/* svg.c - the SVG writer: a growing string, numbers with at most two decimals, XML escaping and
 * base64 for the embedded PNGs. */
#include "svg.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct Sb {
    char *p;
    size_t len, cap;
    int failed;
} Sb;

static void sb_reserve_(Sb *b, size_t more)
{
    if (b->failed || b->len + more + 1 <= b->cap) return;
    size_t cap = b->cap ? b->cap : 1 << 16;
    while (cap < b->len + more + 1) cap *= 2;
    char *q = realloc(b->p, cap);
    if (!q) {
        b->failed = 1;
        return;
    }
    b->p = q;
    b->cap = cap;
}

static void sb_put_(Sb *b, const char *s, size_t n)
{
    sb_reserve_(b, n);
    if (b->failed) return;
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = 0;
}

static void sb_str_(Sb *b, const char *s) { sb_put_(b, s, strlen(s)); }

static void sb_printf_(Sb *b, const char *fmt, ...)
{
    char tmp[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0) return;
    if ((size_t)n < sizeof tmp) {
        sb_put_(b, tmp, (size_t)n);
        return;
    }
    sb_reserve_(b, (size_t)n);
    if (b->failed) return;
    va_start(ap, fmt);
    vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

/* A coordinate with at most two decimals and no trailing zeros ("12.5", "3", "-0.25"). */
static void sb_num_(Sb *b, double v)
{
    char t[48];
    double r = round(v * 100.0) / 100.0;
    if (r == 0) r = 0; /* no "-0" */
    int n = snprintf(t, sizeof t, "%.2f", r);
    while (n > 0 && t[n - 1] == '0') n--;
    if (n > 0 && t[n - 1] == '.') n--;
    sb_put_(b, t, (size_t)n);
}

/* Text as XML character data or an attribute value. */
static void sb_escaped_(Sb *b, const char *s)
{
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch == '&') sb_str_(b, "&amp;");
        else if (ch == '<') sb_str_(b, "&lt;");
        else if (ch == '>') sb_str_(b, "&gt;");
        else if (ch == '"') sb_str_(b, "&quot;");
        else if (ch < 0x20 && ch != '\t' && ch != '\n') sb_str_(b, " "); /* not allowed in XML 1.0 */
        else sb_put_(b, s, 1);
    }
}

static void sb_base64_(Sb *b, const uint8_t *d, size_t n)
{
    static const char A[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    sb_reserve_(b, (n + 2) / 3 * 4);
    if (b->failed) return;
    char *o = b->p + b->len;
    size_t i = 0;
    for (; i + 2 < n; i += 3) { /* 3 bytes -> 4 characters of 6 bits */
        uint32_t v = (uint32_t)d[i] << 16 | (uint32_t)d[i + 1] << 8 | d[i + 2];
        *o++ = A[v >> 18 & 63];
        *o++ = A[v >> 12 & 63];
        *o++ = A[v >> 6 & 63];
        *o++ = A[v & 63];
    }
    if (i < n) {
        uint32_t v = (uint32_t)d[i] << 16 | (i + 1 < n ? (uint32_t)d[i + 1] << 8 : 0);
        *o++ = A[v >> 18 & 63];
        *o++ = A[v >> 12 & 63];
        *o++ = i + 1 < n ? A[v >> 6 & 63] : '=';
        *o++ = '=';
    }
    b->len = (size_t)(o - b->p);
    b->p[b->len] = 0;
}

static void sb_color_(Sb *b, const char *attr, UiColor c)
{
    sb_printf_(b, " %s=\"#%02x%02x%02x\"", attr, c.r, c.g, c.b);
    if (c.a != 255) sb_printf_(b, " %s-opacity=\"%.3g\"", attr, c.a / 255.0);
}

/* x,y pairs as path data, a NaN point starting a new subpath; a lone point is a dot (a zero-length
 * segment, drawn by the round cap). */
static void path_data_(Sb *b, const float *xy, int n, int close)
{
    int pen = 0; /* points since the last move */
    for (int i = 0; i < n; i++) {
        float x = xy[2 * i], y = xy[2 * i + 1];
        if (isnan(x) || isnan(y)) {
            if (pen == 1) sb_str_(b, "h0"); /* a point between breaks */
            pen = 0;
            continue;
        }
        sb_str_(b, pen ? (pen == 1 ? "L" : " ") : "M");
        sb_num_(b, x);
        sb_str_(b, " ");
        sb_num_(b, y);
        pen++;
    }
    if (pen == 1) sb_str_(b, "h0");
    if (close) sb_str_(b, "Z");
}

/* ` x="..." y="..." width="..." height="..."`: the box of a rect, image or clip item. */
static void sb_box_(Sb *b, const DlItem *it)
{
    sb_str_(b, " x=\"");
    sb_num_(b, it->x);
    sb_str_(b, "\" y=\"");
    sb_num_(b, it->y);
    sb_str_(b, "\" width=\"");
    sb_num_(b, it->w);
    sb_str_(b, "\" height=\"");
    sb_num_(b, it->h);
    sb_str_(b, "\"");
}

static void item_(Sb *b, const DlItem *it, SvgPngEncoder png, void *png_arg, int *clip_id, int *rc)
{
    switch (it->kind) {
    case DL_RECT:
        sb_str_(b, "<rect");
        sb_box_(b, it);
        sb_color_(b, "fill", it->color);
        sb_str_(b, "/>\n");
        break;
    case DL_STROKE: {
        float *thin = malloc((size_t)it->n * 2 * sizeof *thin);
        sb_str_(b, "<path fill=\"none\"");
        sb_color_(b, "stroke", it->color);
        sb_str_(b, " stroke-width=\"");
        sb_num_(b, it->width);
        sb_str_(b, "\"");
        if (it->dash[0] > 0 || it->dash[1] > 0) {
            sb_str_(b, " stroke-dasharray=\"");
            int k = it->dash[2] > 0 || it->dash[3] > 0 ? 4 : 2;
            for (int i = 0; i < k; i++) {
                if (i) sb_str_(b, ",");
                sb_num_(b, it->dash[i]);
            }
            sb_str_(b, "\" stroke-dashoffset=\"");
            sb_num_(b, it->dash_offset);
            sb_str_(b, "\"");
        }
        sb_str_(b, " d=\"");
        if (thin) { /* no more points than the pixel columns can show */
            int n = displist_thin_columns(it->xy, it->n, thin);
            path_data_(b, thin, n, 0);
        } else {
            path_data_(b, it->xy, it->n, 0);
        }
        sb_str_(b, "\"/>\n");
        free(thin);
        break;
    }
    case DL_POLYGON:
        sb_str_(b, "<path");
        sb_color_(b, "fill", it->color);
        sb_str_(b, " d=\"");
        path_data_(b, it->xy, it->n, 1);
        sb_str_(b, "\"/>\n");
        break;
    case DL_DISC:
        sb_str_(b, "<circle cx=\"");
        sb_num_(b, it->x);
        sb_str_(b, "\" cy=\"");
        sb_num_(b, it->y);
        sb_str_(b, "\" r=\"");
        sb_num_(b, it->w);
        sb_str_(b, "\"");
        sb_color_(b, "fill", it->color);
        sb_str_(b, "/>\n");
        break;
    case DL_TEXT: {
        static const char *const anchor[3] = {"", " text-anchor=\"middle\"", " text-anchor=\"end\""};
        sb_str_(b, "<text");
        if (it->vertical) {
            sb_str_(b, " transform=\"translate(");
            sb_num_(b, it->x);
            sb_str_(b, " ");
            sb_num_(b, it->y);
            sb_str_(b, ") rotate(-90)\"");
        } else {
            sb_str_(b, " x=\"");
            sb_num_(b, it->x);
            sb_str_(b, "\" y=\"");
            sb_num_(b, it->y);
            sb_str_(b, "\"");
        }
        sb_printf_(b, " font-size=\"%d\"%s%s", it->px, it->bold ? " font-weight=\"bold\"" : "", anchor[it->anchor]);
        sb_color_(b, "fill", it->color);
        sb_str_(b, ">");
        sb_escaped_(b, it->text);
        sb_str_(b, "</text>\n");
        break;
    }
    case DL_IMAGE: {
        uint8_t *data = NULL;
        size_t n = 0;
        int r = png(it->pixels, it->iw, it->ih, &data, &n, png_arg);
        if (r) {
            *rc = r;
            return;
        }
        sb_str_(b, "<image");
        sb_box_(b, it);
        /* a heatmap's cells stay sharp-edged when the picture is enlarged */
        sb_str_(b, " preserveAspectRatio=\"none\" image-rendering=\"optimizeSpeed\" "
                   "style=\"image-rendering:pixelated\" xlink:href=\"data:image/png;base64,");
        sb_base64_(b, data, n);
        sb_str_(b, "\"/>\n");
        free(data);
        break;
    }
    case DL_CLIP_BEGIN:
        ++*clip_id;
        sb_printf_(b, "<clipPath id=\"c%d\"><rect", *clip_id);
        sb_box_(b, it);
        sb_printf_(b, "/></clipPath>\n<g clip-path=\"url(#c%d)\">\n", *clip_id);
        break;
    case DL_CLIP_END: sb_str_(b, "</g>\n"); break;
    }
}

int svg_write(const DispList *dl, int w, int h, const char *software, const char *command_line, SvgPngEncoder png,
              void *png_arg, char **out, size_t *len, GfError *err)
{
    Sb b;
    memset(&b, 0, sizeof b);
    *out = NULL;
    *len = 0;
    if (dl->failed) return gf_error_set(err, GF_ERR_NOMEM, "out of memory describing the picture");
    sb_str_(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    sb_printf_(&b, "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" "
                   "version=\"1.1\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" xml:space=\"preserve\">\n",
               w, h, w, h);
    sb_str_(&b, "<title>");
    sb_escaped_(&b, software);
    sb_str_(&b, "</title>\n<metadata>");
    sb_escaped_(&b, software);
    if (command_line && *command_line) {
        sb_str_(&b, ": ");
        sb_escaped_(&b, command_line);
    }
    sb_str_(&b, "</metadata>\n");
    sb_str_(&b, "<g font-family=\"" SVG_FONT_FAMILY "\" stroke-linecap=\"round\" stroke-linejoin=\"round\">\n");
    int clip_id = 0, rc = GF_OK;
    for (int i = 0; i < dl->n && rc == GF_OK; i++) item_(&b, &dl->items[i], png, png_arg, &clip_id, &rc);
    sb_str_(&b, "</g>\n</svg>\n");
    if (rc) {
        free(b.p);
        return gf_error_set(err, rc, "cannot encode an image of the SVG");
    }
    if (b.failed) {
        free(b.p);
        return gf_error_set(err, GF_ERR_NOMEM, "out of memory writing the SVG");
    }
    *out = b.p;
    *len = b.len;
    return GF_OK;
}
