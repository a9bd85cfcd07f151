/* test_ui_vector.c - the SVG and PDF export: the display list the primitives record, SVG that
 * parses as XML and renders (rsvg-convert) with the plot's frame, ticks and curves where the PNG
 * has them, a PDF of the right page size whose legend can be read back (pdfinfo, pdftotext), the
 * same bytes for the same input, the size budget, and no file for an extension gradflow does not
 * write. The command-line tools are used when installed and skipped (with a note) otherwise. */
#define _POSIX_C_SOURCE 200809L /* popen, setenv */
#include <check.h>
#include <SDL_image.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "displist.h"
#include "export.h"
#include "svg.h"
#include "lineplot.h"
#include "testutil.h"
#include "theme.h"
#include "ui.h"
#include "uitest.h"
#include "window.h"
#include "check_main.h"

#define T_STEPS 200

/* rnn falls 0.1 decade per step back from 1 at t = T-1; lstm h stays at 1e-2, its c at 1e-1;
 * gru falls 0.05 decade per step. */
static double norms_(int c, int l, int t, int is_c)
{
    double back = T_STEPS - 1 - t;
    if (c == GF_CELL_RNN) return pow(10.0, -0.1 * back - l);
    if (c == GF_CELL_LSTM) return is_c ? 1e-1 : 1e-2;
    return pow(10.0, -0.05 * back);
}

static UiOptions small_(const char *command_line)
{
    UiOptions o;
    memset(&o, 0, sizeof o);
    sim_config_default(&o.sim);
    o.sim.seq_len = 60;
    o.sim.hidden = 12;
    o.width = 960;
    o.height = 540;
    o.command_line = command_line;
    return o;
}

/* 1 when the shell finds tool. */
static int have_(const char *tool)
{
    char cmd[200];
    snprintf(cmd, sizeof cmd, "command -v %s >/dev/null 2>&1", tool);
    return system(cmd) == 0;
}

/* What cmd prints on stdout (malloc'ed), NULL when it fails. */
static char *output_of_(const char *cmd)
{
    FILE *p = popen(cmd, "r");
    if (!p) return NULL;
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    size_t got;
    while (buf && (got = fread(buf + n, 1, cap - n - 1, p)) > 0) {
        n += got;
        if (n + 1 == cap) {
            char *q = realloc(buf, cap *= 2);
            if (!q) {
                free(buf);
                buf = NULL;
            }
            buf = q;
        }
    }
    int st = pclose(p);
    if (!buf) return NULL;
    buf[n] = 0;
    if (st != 0) {
        free(buf);
        return NULL;
    }
    return buf;
}

static int files_in_(const char *dir)
{
    char cmd[600];
    snprintf(cmd, sizeof cmd, "ls -A '%s' | wc -l", dir);
    char *s = output_of_(cmd);
    int n = s ? atoi(s) : -1;
    free(s);
    return n;
}

/* A small well-formedness check of XML: every element closed in order, attribute values quoted,
 * no stray '<' or '&' in text. Returns NULL, or what is wrong. */
static const char *xml_check_(const char *s)
{
    static char why[200];
    const char *stack[256];
    size_t slen[256];
    int depth = 0, roots = 0;
    while (*s) {
        if (*s == '&') {
            const char *semi = strchr(s, ';');
            if (!semi || semi - s > 8) return "a bare &";
            s = semi + 1;
            continue;
        }
        if (*s != '<') {
            s++;
            continue;
        }
        if (!strncmp(s, "<?", 2)) {
            const char *e = strstr(s, "?>");
            if (!e) return "an unclosed <?";
            s = e + 2;
            continue;
        }
        if (!strncmp(s, "<!--", 4)) {
            const char *e = strstr(s, "-->");
            if (!e) return "an unclosed comment";
            s = e + 3;
            continue;
        }
        int closing = s[1] == '/';
        const char *name = s + 1 + closing;
        size_t n = strcspn(name, " \t\n/>");
        if (n == 0) return "a tag without a name";
        const char *p = name + n;
        while (*p && *p != '>') {
            if (*p == '"' || *p == '\'') {
                const char *q = strchr(p + 1, *p);
                if (!q) return "an unclosed attribute value";
                if (memchr(p + 1, '<', (size_t)(q - p - 1))) return "a '<' in an attribute value";
                p = q + 1;
                continue;
            }
            if (*p == '<') return "a '<' inside a tag";
            if (*p == '=' && p[1] != '"' && p[1] != '\'') return "an unquoted attribute value";
            p++;
        }
        if (!*p) return "an unclosed tag";
        int self = p[-1] == '/';
        if (closing) {
            if (depth == 0 || slen[depth - 1] != n || strncmp(stack[depth - 1], name, n)) {
                snprintf(why, sizeof why, "</%.*s> closes nothing open", (int)n, name);
                return why;
            }
            depth--;
        } else if (!self) {
            if (depth == 0) roots++;
            if (depth == 256) return "too deep";
            stack[depth] = name;
            slen[depth++] = n;
        } else if (depth == 0) {
            roots++;
        }
        s = p + 1;
    }
    if (depth) return "an element left open";
    if (roots != 1) return "not one root element";
    return NULL;
}

/* Writes the SVG of pd drawn with s at w x h into path (what gradflow export writes). */
static void record_svg_(const PlotData *pd, const UiSettings *s, int w, int h, const char *path)
{
    DispList dl;
    memset(&dl, 0, sizeof dl);
    GfError err = {0};
    ck_assert_msg(export_record(pd, s, NULL, -1, w, h, export_scale(w, h), 0, &dl, &err) == 0, "%s", err.msg);
    ck_assert_int_gt(dl.n, 10);
    uint8_t *svg = NULL;
    size_t len = 0;
    ck_assert_msg(export_encode_vector(&dl, CLI_FORMAT_SVG, w, h, "test", &svg, &len, &err) == 0, "%s", err.msg);
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(svg, 1, len, f), len);
    fclose(f);
    free(svg);
    displist_free(&dl);
}

/* Columns [x0, x1) of row y whose pixel is within tol of c, as the centres of their runs. */
static int runs_(SDL_Surface *s, int y, int x0, int x1, UiColor c, int tol, float *centre, int max)
{
    int n = 0, start = -1;
    for (int x = x0; x <= x1; x++) {
        int in = x < x1 && ut_near(ut_pixel(s, x, y), c, tol);
        if (in && start < 0) start = x;
        if (!in && start >= 0) {
            if (n < max) centre[n++] = 0.5f * (float)(start + x - 1);
            start = -1;
        }
    }
    return n;
}

/* The mean row of the pixels of column x within rows [y0, y1) near colour c; NaN when none. */
static float column_mean_(SDL_Surface *s, int x, int y0, int y1, UiColor c, int tol)
{
    double sum = 0;
    int n = 0;
    for (int y = y0; y < y1; y++)
        if (ut_near(ut_pixel(s, x, y), c, tol)) {
            sum += y;
            n++;
        }
    return n ? (float)(sum / n) : NAN;
}

/* The bounding box (x0, y0, x1, y1) of the pixels of r far from colour bg (anti-aliased text's
 * faint edges aside). */
static void ink_box_(SDL_Surface *s, UiRect r, UiColor bg, int *box)
{
    box[0] = box[1] = 1 << 30;
    box[2] = box[3] = -1;
    for (int y = r.y; y < r.y + r.h; y++)
        for (int x = r.x; x < r.x + r.w; x++) {
            if (ut_near(ut_pixel(s, x, y), bg, 110)) continue;
            if (x < box[0]) box[0] = x;
            if (y < box[1]) box[1] = y;
            if (x > box[2]) box[2] = x;
            if (y > box[3]) box[3] = y;
        }
}

START_TEST(test_displist_records_in_figure_pixels)
{
    DispList a, b;
    memset(&a, 0, sizeof a);
    memset(&b, 0, sizeof b);
    /* a dash of 2 widths with round ends: its centre runs 1 width, the gap 3 */
    const float dash[4] = {2, 2, 0, 0};
    float xy[6] = {0, 0, NAN, NAN, 10, 5};
    displist_stroke(&a, xy, 3, 2.0f, dash, ui_rgb(0x112233));
    ck_assert_int_eq(a.n, 1);
    ck_assert_float_eq_tol(a.items[0].dash[0], 2.0f, 1e-6f);
    ck_assert_float_eq_tol(a.items[0].dash[1], 6.0f, 1e-6f);
    ck_assert_float_eq(a.items[0].dash[2], 0);
    displist_rect(&a, 5, 5, 2, 2, ui_rgb(0));
    displist_rect(&a, 0, 0, 50, 50, ui_rgb(0));
    /* moved where the canvas is shown, inside a clip group of its size */
    displist_append_moved(&b, &a, 100, 200, 50, 60);
    ck_assert_int_eq(b.n, 5);
    ck_assert_int_eq(b.items[0].kind, DL_CLIP_BEGIN);
    ck_assert_float_eq(b.items[0].x, 100);
    ck_assert_float_eq(b.items[0].h, 60);
    ck_assert_float_eq(b.items[1].xy[0], 100);
    ck_assert_float_eq(b.items[1].xy[1], 200);
    ck_assert(isnan(b.items[1].xy[2])); /* the break stays a break */
    ck_assert_float_eq(b.items[1].xy[4], 110);
    ck_assert_float_eq(b.items[2].x, 105);
    ck_assert_int_eq(b.items[4].kind, DL_CLIP_END);
    /* an image of a region replaces the fills inside it, not those around it */
    displist_drop_rects_in(&a, ui_rect(0, 0, 10, 10));
    ck_assert_int_eq(a.n, 2);
    ck_assert_float_eq(a.items[1].w, 50);
    displist_free(&a);
    displist_free(&b);
    ck_assert_ptr_null(a.items);
}
END_TEST

START_TEST(test_svg_matches_png)
{
    if (!have_("rsvg-convert")) {
        fprintf(stderr, "test_svg_matches_png: rsvg-convert is not installed (librsvg2-bin): skipped\n");
        return;
    }
    const char *dir = tu_temp_dir();
    ck_assert_ptr_nonnull(dir);
    PlotData pd;
    ut_plotdata(&pd, GF_CELLS_ALL, 1, T_STEPS, norms_, 0.9);
    UiSettings s = ut_settings(T_STEPS);
    s.theory = 0;
    const int W = 1280, H = 720;
    UtDraw d;
    ut_draw(&d, &pd, &s, W, H, 0); /* the PNG export's pixels */
    record_svg_(&pd, &s, W, H, ut_path(dir, "g.svg"));
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "rsvg-convert -o '%s' '%s'", ut_path(dir, "g.png"), ut_path(dir, "g.svg"));
    ck_assert_int_eq(system(cmd), 0);
    SDL_Surface *loaded = IMG_Load(ut_path(dir, "g.png"));
    ck_assert_ptr_nonnull(loaded);
    SDL_Surface *v = SDL_ConvertSurfaceFormat(loaded, SDL_PIXELFORMAT_ARGB8888, 0); /* as ut_pixel reads */
    SDL_FreeSurface(loaded);
    ck_assert_ptr_nonnull(v);
    ck_assert_int_eq(v->w, W);
    ck_assert_int_eq(v->h, H);
    const PlotMap *m = &d.vs.gradients.map;
    const UiMetrics *mt = &d.vs.dc.metrics;
    const Theme *th = theme_get(UI_THEME_LIGHT);
    UiRect a = m->area;
    int aw = lineplot_spine_width(mt), tick = lineplot_tick_length(mt);
    float p[64], q[64];

    /* the frame: the left spine across the middle row, the bottom spine down a column */
    int np = runs_(d.surf, a.y + a.h / 2, a.x - 3 * aw, a.x + 2, th->fg, 60, p, 64);
    int nq = runs_(v, a.y + a.h / 2, a.x - 3 * aw, a.x + 2, th->fg, 60, q, 64);
    ck_assert_int_eq(np, 1);
    ck_assert_int_eq(nq, 1);
    ck_assert_msg(fabsf(p[0] - q[0]) <= 1.0f, "left spine at x %.1f in the PNG, %.1f in the SVG", p[0], q[0]);
    int bot_p = -1, bot_q = -1;
    for (int y = a.y + a.h - 4; y < a.y + a.h + aw + 2; y++) {
        if (bot_p < 0 && ut_near(ut_pixel(d.surf, a.x + a.w / 3, y), th->fg, 60)) bot_p = y;
        if (bot_q < 0 && ut_near(ut_pixel(v, a.x + a.w / 3, y), th->fg, 60)) bot_q = y;
    }
    ck_assert(bot_p >= 0 && bot_q >= 0);
    ck_assert_msg(abs(bot_p - bot_q) <= 1, "bottom spine at row %d in the PNG, %d in the SVG", bot_p, bot_q);

    /* the x ticks under the bottom spine: as many, at the same columns */
    int ty = a.y + a.h + aw + tick / 2;
    np = runs_(d.surf, ty, a.x - aw, a.x + a.w + aw, th->fg, 60, p, 64);
    nq = runs_(v, ty, a.x - aw, a.x + a.w + aw, th->fg, 60, q, 64);
    ck_assert_int_ge(np, 3);
    ck_assert_int_eq(np, nq);
    for (int i = 0; i < np; i++) ck_assert_msg(fabsf(p[i] - q[i]) <= 1.5f, "tick %d: x %.1f vs %.1f", i, p[i], q[i]);

    /* the text: the tick labels' ink under the x axis (its top and bottom rows) and left of the y
       axis (its right edge: the labels end at the ticks) */
    UiRect xl = ui_rect(a.x + mt->gap, a.y + a.h + aw + tick, a.w - mt->gap, (int)lround(mt->font_tick * 1.55) - tick);
    UiRect yl = ui_rect(a.x - 12 * mt->font_tick, a.y, 12 * mt->font_tick - 2 * aw, a.h);
    int ip[4], iq[4];
    ink_box_(d.surf, xl, th->bg, ip);
    ink_box_(v, xl, th->bg, iq);
    ck_assert_int_ge(ip[3], ip[1] + mt->font_tick / 2);
    ck_assert_msg(abs(ip[1] - iq[1]) <= 2 && abs(ip[3] - iq[3]) <= 2, "x tick labels in rows %d..%d in the PNG, %d..%d in the SVG",
                  ip[1], ip[3], iq[1], iq[3]);
    ink_box_(d.surf, yl, th->bg, ip);
    ink_box_(v, yl, th->bg, iq);
    ck_assert_int_ge(ip[2], ip[0] + mt->font_tick);
    ck_assert_msg(abs(ip[2] - iq[2]) <= 2 && abs(ip[0] - iq[0]) <= 3, "y tick labels in columns %d..%d in the PNG, %d..%d in the SVG",
                  ip[0], ip[2], iq[0], iq[2]);

    /* the curves: each column's mean row of the rnn's colour (solid), and where the dashed gru shows */
    int both = 0, only = 0, agree = 0, cols = 0;
    float worst = 0;
    for (int x = a.x + 3; x < a.x + a.w - 3; x++) {
        float yp = column_mean_(d.surf, x, a.y, a.y + a.h, th->cell[GF_CELL_RNN], 40);
        float yq = column_mean_(v, x, a.y, a.y + a.h, th->cell[GF_CELL_RNN], 40);
        if (!isnan(yp) && !isnan(yq)) {
            both++;
            if (fabsf(yp - yq) > worst) worst = fabsf(yp - yq);
        } else if (!isnan(yp) || !isnan(yq)) {
            only++;
        }
        int gp = !isnan(column_mean_(d.surf, x, a.y, a.y + a.h, th->cell[GF_CELL_GRU], 40));
        int gq = !isnan(column_mean_(v, x, a.y, a.y + a.h, th->cell[GF_CELL_GRU], 40));
        agree += gp == gq;
        cols++;
    }
    ck_assert_int_gt(both, a.w / 2);
    ck_assert_int_lt(only, a.w / 50);
    ck_assert_msg(worst <= 1.5f, "the rnn's curve is %.2f px off in some column", worst);
    ck_assert_msg(agree >= cols * 9 / 10, "the gru's dashes fall in the same columns in %d of %d", agree, cols);
    SDL_FreeSurface(v);
    ut_draw_free(&d);
    plotdata_free(&pd);
}
END_TEST

START_TEST(test_every_view_parses_and_renders)
{
    const char *dir = tu_temp_dir();
    static const char *const names[UI_NUM_VIEWS] = {"gradients.svg", "states.svg", "anatomy.svg", "training.svg"};
    int rsvg = have_("rsvg-convert"), xmllint = have_("xmllint");
    if (!rsvg) fprintf(stderr, "test_every_view_parses_and_renders: no rsvg-convert (librsvg2-bin): not rendered\n");
    for (int v = 0; v < UI_NUM_VIEWS; v++) {
        UiOptions o = small_("gradflow export -o x.svg");
        o.view = (UiView)v;
        o.train_steps = 5;
        GfError err = {0};
        const char *path = ut_path(dir, names[v]);
        ck_assert_msg(ui_export(&o, path, &err) == 0, "%s: %s", names[v], err.msg);
        size_t n = 0;
        char *svg = tu_read_file(path, &n);
        ck_assert_ptr_nonnull(svg);
        const char *why = xml_check_(svg);
        ck_assert_msg(why == NULL, "%s is not well-formed XML: %s", names[v], why);
        /* text stays text, in the bundled font first */
        ck_assert_ptr_nonnull(strstr(svg, "font-family=\"'DejaVu Sans'"));
        ck_assert_ptr_nonnull(strstr(svg, "<text "));
        ck_assert_ptr_nonnull(strstr(svg, "width=\"960\" height=\"540\""));
        if (v == UI_VIEW_STATES) ck_assert_ptr_nonnull(strstr(svg, "data:image/png;base64,iVBORw0KGgo"));
        free(svg);
        char cmd[1200];
        if (xmllint) {
            snprintf(cmd, sizeof cmd, "xmllint --noout '%s'", path);
            ck_assert_msg(system(cmd) == 0, "xmllint refuses %s", names[v]);
        }
        if (rsvg) {
            snprintf(cmd, sizeof cmd, "rsvg-convert -o '%s.png' '%s'", path, path);
            ck_assert_msg(system(cmd) == 0, "rsvg-convert cannot render %s", names[v]);
            char png[1100];
            snprintf(png, sizeof png, "%s.png", path);
            SDL_Surface *s = IMG_Load(png);
            ck_assert_ptr_nonnull(s);
            ck_assert_int_eq(s->w, 960);
            ck_assert_int_eq(s->h, 540);
            SDL_FreeSurface(s);
        }
    }
}
END_TEST

START_TEST(test_pdf_page_and_text)
{
    const char *dir = tu_temp_dir();
    UiOptions o = small_("gradflow export -o x.pdf");
    GfError err = {0};
    const char *path = ut_path(dir, "g.pdf");
    ck_assert_msg(ui_export(&o, path, &err) == 0, "%s", err.msg);
    size_t n = 0;
    char *pdf = tu_read_file(path, &n);
    ck_assert(pdf && n > 1000 && !memcmp(pdf, "%PDF-", 5));
    free(pdf);
    char cmd[1200];
    if (have_("pdfinfo")) {
        snprintf(cmd, sizeof cmd, "pdfinfo '%s'", path);
        char *info = output_of_(cmd);
        ck_assert_ptr_nonnull(info);
        /* 960 x 540 pixels at 96 dpi are 720 x 405 points */
        ck_assert_msg(strstr(info, "Page size:       720 x 405 pts") != NULL, "%s", info);
        ck_assert_ptr_nonnull(strstr(info, "Pages:           1"));
        ck_assert_ptr_nonnull(strstr(info, "gradflow export -o x.pdf")); /* the command line */
        free(info);
    } else {
        fprintf(stderr, "test_pdf_page_and_text: no pdfinfo (poppler-utils): page size not checked\n");
    }
    if (have_("pdftotext")) {
        snprintf(cmd, sizeof cmd, "pdftotext '%s' -", path);
        char *text = output_of_(cmd);
        ck_assert_ptr_nonnull(text);
        /* the legend's words, as text */
        ck_assert_msg(strstr(text, "RNN") && strstr(text, "LSTM") && strstr(text, "GRU"), "%s", text);
        ck_assert_msg(strstr(text, "orders of magnitude") != NULL, "%s", text);
        free(text);
    } else {
        fprintf(stderr, "test_pdf_page_and_text: no pdftotext (poppler-utils): text not checked\n");
    }
}
END_TEST

START_TEST(test_svg_same_input_same_bytes)
{
    const char *dir = tu_temp_dir();
    UiOptions o = small_("gradflow export -o x.svg --seq-len 60 --hidden 12 --size 960x540");
    o.view = UI_VIEW_STATES; /* text, curves and embedded images */
    GfError err = {0};
    ck_assert_int_eq(ui_export(&o, ut_path(dir, "1.svg"), &err), 0);
    ck_assert_int_eq(ui_export(&o, ut_path(dir, "2.svg"), &err), 0);
    size_t n1 = 0, n2 = 0;
    char *a = tu_read_file(ut_path(dir, "1.svg"), &n1), *b = tu_read_file(ut_path(dir, "2.svg"), &n2);
    ck_assert(a && b && n1 > 1000);
    ck_assert_uint_eq(n1, n2);
    ck_assert(memcmp(a, b, n1) == 0);
    /* the command line rebuilds it */
    ck_assert_ptr_nonnull(strstr(a, "<metadata>"));
    ck_assert_ptr_nonnull(strstr(a, "gradflow export -o x.svg --seq-len 60 --hidden 12 --size 960x540</metadata>"));
    /* and another configuration draws another picture */
    o.sim.weight_scale = 0.5;
    ck_assert_int_eq(ui_export(&o, ut_path(dir, "3.svg"), &err), 0);
    size_t n3 = 0;
    char *c = tu_read_file(ut_path(dir, "3.svg"), &n3);
    ck_assert(c && (n3 != n1 || memcmp(a, c, n1) != 0));
    free(a);
    free(b);
    free(c);
}
END_TEST

/* A theory line that leaves the plot within the last fifth of the steps is a short stroke at the
 * right edge; its label says where it went (the IRNN: a rate of 0.5 a step against a flat curve),
 * and says nothing of the kind where the line crosses the plot. Read from the SVG's text. */
START_TEST(test_theory_label_says_where_the_line_went)
{
    const char *dir = tu_temp_dir();
    UiOptions o = small_("gradflow export -o irnn.svg");
    o.sim.cells = 1u << GF_CELL_RNN;
    o.sim.nonlinearity = GF_NONLIN_RELU;
    o.sim.init = GF_INIT_IDENTITY;
    o.sim.seq_len = 150;
    o.sim.hidden = 32;
    GfError err = {0};
    ck_assert_msg(ui_export(&o, ut_path(dir, "irnn.svg"), &err) == 0, "%s", err.msg);
    size_t n = 0;
    char *svg = tu_read_file(ut_path(dir, "irnn.svg"), &n);
    ck_assert_ptr_nonnull(svg);
    ck_assert_ptr_nonnull(strstr(svg, "RNN typical rate"));
    ck_assert_ptr_nonnull(strstr(svg, "below the plot before t = "));
    free(svg);
    o = small_("gradflow export -o tanh.svg");
    o.sim.cells = 1u << GF_CELL_RNN;
    ck_assert_msg(ui_export(&o, ut_path(dir, "tanh.svg"), &err) == 0, "%s", err.msg);
    svg = tu_read_file(ut_path(dir, "tanh.svg"), &n);
    ck_assert_ptr_nonnull(svg);
    ck_assert_ptr_nonnull(strstr(svg, "RNN typical rate"));
    ck_assert_ptr_null(strstr(svg, "the plot before t"));
    free(svg);
}
END_TEST

START_TEST(test_svg_size_budget)
{
    /* a slide's figure: 1080p, the three cells at T = 1000 */
    const char *dir = tu_temp_dir();
    UiOptions o = small_("gradflow export -o x.svg --seq-len 1000");
    o.sim.seq_len = 1000;
    o.sim.hidden = 64;
    o.width = 1920;
    o.height = 1080;
    GfError err = {0};
    ck_assert_msg(ui_export(&o, ut_path(dir, "big.svg"), &err) == 0, "%s", err.msg);
    size_t n = 0;
    char *svg = tu_read_file(ut_path(dir, "big.svg"), &n);
    ck_assert_ptr_nonnull(svg);
    ck_assert_msg(n < 1000 * 1000, "%zu bytes", n);
    free(svg);
}
END_TEST

/* The SVG encoder's images: not used by these lists. */
static int no_png_(const uint32_t *pixels, int w, int h, uint8_t **png, size_t *len, void *arg)
{
    (void)pixels, (void)w, (void)h, (void)arg;
    *png = NULL;
    *len = 0;
    return GF_ERR_IO;
}

START_TEST(test_curves_thinned_to_pixel_columns)
{
    /* 3 points per column over 100 columns, a zigzag: the SVG keeps each column's lowest and highest */
    enum { N = 300 };
    float xy[2 * N];
    for (int i = 0; i < N; i++) {
        xy[2 * i] = 10.0f + (float)i / 3.0f;
        xy[2 * i + 1] = 50.0f + (float)(i % 3) * 4.0f - (float)i * 0.001f;
    }
    DispList dl;
    memset(&dl, 0, sizeof dl);
    displist_stroke(&dl, xy, N, 1.5f, NULL, ui_rgb(0xd55e00));
    char *svg = NULL;
    size_t len = 0;
    GfError err = {0};
    ck_assert_msg(svg_write(&dl, 200, 100, "gradflow", NULL, no_png_, NULL, &svg, &len, &err) == 0, "%s", err.msg);
    const char *d = strstr(svg, " d=\"M");
    ck_assert_ptr_nonnull(d);
    /* the path's x, y pairs: "M x y" then "L x y" then " x y" ... */
    int pts = 0, highs = 0, lows = 0;
    const char *q = d + 5;
    float x, y;
    int used;
    while (sscanf(q, "%f %f%n", &x, &y, &used) == 2) {
        pts++;
        highs += y > 57.0f; /* each column's lowest point on screen (largest row) */
        lows += y < 51.0f;  /* and its highest */
        q += used;
        while (*q == 'L' || *q == ' ') q++;
    }
    ck_assert_msg(pts <= 2 * 100 + 2 && pts >= 100, "%d points for 100 columns", pts);
    ck_assert_int_ge(highs, 95);
    ck_assert_int_ge(lows, 95);
    free(svg);
    float out[2 * N];
    ck_assert_int_le(displist_thin_columns(xy, N, out), 200);
    xy[2 * 4] = NAN; /* a break stays */
    int n = displist_thin_columns(xy, N, out);
    int breaks = 0;
    for (int i = 0; i < n; i++) breaks += isnan(out[2 * i]);
    ck_assert_int_eq(breaks, 1);
    displist_free(&dl);
}
END_TEST

START_TEST(test_other_extensions_refused)
{
    static const char *const bad[] = {"x.jpg", "x", "x.svgz", "x.png.txt", ".svg", "x.eps"};
    const char *dir = tu_temp_dir();
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        UiOptions o = small_("gradflow export");
        GfError err = {0};
        ck_assert_int_ne(ui_export(&o, ut_path(dir, bad[i]), &err), 0);
        ck_assert_msg(strstr(err.msg, ".png, .svg or .pdf") != NULL, "%s: %s", bad[i], err.msg);
        ck_assert_int_eq(files_in_(dir), 0);
    }
    ck_assert_int_eq(cli_export_format("Slide.SVG"), CLI_FORMAT_SVG);
    ck_assert_int_eq(cli_export_format("a/b.pdf"), CLI_FORMAT_PDF);
    ck_assert_int_eq(cli_export_format("b.png"), CLI_FORMAT_PNG);
    ck_assert_int_eq(cli_export_format("dir/.png"), -1);
}
END_TEST

/* The window: V saves the view as an SVG beside the PNGs. */
typedef struct VScript {
    int step;
    Uint32 pressed;
    char failure[128];
} VScript;

static int press_v_(void *user, UiWindow *w)
{
    VScript *s = user;
    if (w->frame > 3000) {
        snprintf(s->failure, sizeof s->failure, "frame cap reached at step %d", s->step);
        return 1;
    }
    if (s->step == 0) {
        if (!(w->shown.valid && w->gen_done == w->gen_requested)) return 0;
        ut_key(SDLK_v, KMOD_NONE);
        s->step = 1;
        s->pressed = SDL_GetTicks();
        return 0;
    }
    if (!w->saved && SDL_GetTicks() - s->pressed > 10000) {
        snprintf(s->failure, sizeof s->failure, "V saved nothing");
        return 1;
    }
    return w->saved >= 1;
}

START_TEST(test_window_v_saves_svg)
{
    const char *dir = tu_temp_dir();
    ck_assert_ptr_nonnull(dir);
    setenv("GRADFLOW_SAVE_DIR", dir, 1);
    UiOptions o;
    memset(&o, 0, sizeof o);
    sim_config_default(&o.sim);
    o.sim.seq_len = 50;
    o.sim.hidden = 8;
    o.width = 1024;
    o.height = 640;
    static VScript s;
    memset(&s, 0, sizeof s);
    UiHooks h = {&s, press_v_};
    GfError err = {0};
    ck_assert_msg(window_run(&o, &h, &err) == 0, "window_run: %s", err.msg);
    ck_assert_msg(s.failure[0] == 0, "%s", s.failure);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "ls '%s'/*.svg", dir);
    char *list = output_of_(cmd);
    ck_assert_msg(list && strstr(list, ".svg\n") && !strchr(strstr(list, ".svg\n") + 5, '.'), "%s", list ? list : "");
    list[strlen(list) - 1] = 0;
    size_t n = 0;
    char *svg = tu_read_file(list, &n);
    ck_assert_msg(svg && n > 1000, "%s", list);
    ck_assert_ptr_null(xml_check_(svg));
    ck_assert_ptr_nonnull(strstr(svg, "width=\"1024\" height=\"640\""));
    /* the command line that rebuilds it writes an SVG too */
    ck_assert_ptr_nonnull(strstr(svg, "gradflow export -o "));
    ck_assert_ptr_nonnull(strstr(svg, ".svg "));
    ck_assert_int_eq(files_in_(dir), 1); /* only the SVG */
    free(svg);
    free(list);
}
END_TEST

static Suite *suite_(void)
{
    Suite *s = suite_create("ui_vector");
    TCase *t = tcase_create("vector");
    tcase_set_timeout(t, 120);
    tcase_add_test(t, test_displist_records_in_figure_pixels);
    tcase_add_test(t, test_svg_matches_png);
    tcase_add_test(t, test_every_view_parses_and_renders);
    tcase_add_test(t, test_pdf_page_and_text);
    tcase_add_test(t, test_svg_same_input_same_bytes);
    tcase_add_test(t, test_svg_size_budget);
    tcase_add_test(t, test_theory_label_says_where_the_line_went);
    tcase_add_test(t, test_curves_thinned_to_pixel_columns);
    tcase_add_test(t, test_other_extensions_refused);
    tcase_add_test(t, test_window_v_saves_svg);
    suite_add_tcase(s, t);
    return s;
}

GF_CHECK_MAIN(suite_)
