/* export.c - `gradflow export`: the view drawn offscreen at the size asked, encoded as PNG with
 * the command line as metadata, or recorded as a display list and written as SVG or PDF; written
 * atomically (with the CSV behind it when asked: both files or neither). */
#include "export.h"

#ifdef __EMSCRIPTEN__
#include <zlib.h>
#else
#include <SDL_image.h>
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "output.h"
#include "platform.h"
#include "draw.h"
#include "gf_config.h"
#include "layout.h"
#include "pdf.h"
#include "pngtext.h"
#include "record.h"
#include "svg.h"
#include "train_worker.h"
#include "ui.h"

double export_scale(int w, int h) { return layout_scale(w, h, 0.5, 1.0); }

int export_render(const PlotData *pd, const UiSettings *s, int w, int h, double scale, int plot_only,
                  SDL_Surface **out, GfError *err)
{
    return export_render_train(pd, s, NULL, -1, w, h, scale, plot_only, out, err);
}

/* Draws the view onto a new surface (*out, when out is not NULL); with dl, records it there too. */
static int render_(const PlotData *pd, const UiSettings *s, const TrainSnapshot *train, long profile_step, int w, int h,
                   double scale, int plot_only, DispList *dl, SDL_Surface **out, GfError *err)
{
    int rc = GF_OK;
    SDL_Surface *surf = NULL;
    SDL_Renderer *ren = NULL;
    SDL_Texture *target = NULL;
    ViewState vs;
    memset(&vs, 0, sizeof vs);
    if (out) *out = NULL;
    surf = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
    if (!surf) {
        rc = gf_error_set(err, GF_ERR_NOMEM, "cannot create a %dx%d picture: %s", w, h, SDL_GetError());
        goto fail;
    }
    ren = SDL_CreateSoftwareRenderer(surf);
    if (!ren) {
        rc = gf_error_set(err, GF_ERR_IO, "cannot start the software renderer: %s", SDL_GetError());
        goto fail;
    }
    if ((rc = view_init(&vs, ren, err))) goto fail;
    if (dl && (rc = record_begin(ren, dl, w, h, &target, err))) goto fail;
    UiSettings copy = *s; /* the panel's widgets take a pointer; the caller's settings stay */
    copy.help = 0;
    ViewModel vm;
    memset(&vm, 0, sizeof vm);
    vm.set = &copy;
    vm.data = pd;
    vm.w = w;
    vm.h = h;
    vm.scale = scale;
    vm.plot_only = plot_only;
    vm.in.mx = vm.in.my = -1;
    vm.train = train;
    vm.train_profile_step = profile_step;
    view_draw(&vs, &vm);
    SDL_RenderFlush(ren);
    if (out) {
        *out = surf;
        surf = NULL;
    }
fail:
    if (target) record_end(ren, &target);
    view_free(&vs);
    if (ren) SDL_DestroyRenderer(ren);
    if (surf) SDL_FreeSurface(surf);
    return rc;
}

int export_render_train(const PlotData *pd, const UiSettings *s, const TrainSnapshot *train, long profile_step, int w,
                        int h, double scale, int plot_only, SDL_Surface **out, GfError *err)
{
    return render_(pd, s, train, profile_step, w, h, scale, plot_only, NULL, out, err);
}

int export_record(const PlotData *pd, const UiSettings *s, const TrainSnapshot *train, long profile_step, int w, int h,
                  double scale, int plot_only, DispList *dl, GfError *err)
{
    return render_(pd, s, train, profile_step, w, h, scale, plot_only, dl, NULL, err);
}

/* ---------------------------------------------------------------- PNG in memory --------------- */

typedef struct MemBuf {
    uint8_t *p;
    size_t len, cap, pos;
    int failed;
} MemBuf;

#ifndef __EMSCRIPTEN__ /* SDL2_image writes the PNG through an SDL_RWops over a MemBuf */
static size_t SDLCALL mem_write_(SDL_RWops *rw, const void *ptr, size_t size, size_t num)
{
    MemBuf *b = rw->hidden.unknown.data1;
    size_t n = size * num;
    if (b->pos + n > b->cap) {
        size_t cap = b->cap ? b->cap : 1 << 16;
        while (cap < b->pos + n) cap *= 2;
        uint8_t *q = realloc(b->p, cap);
        if (!q) {
            b->failed = 1;
            return 0;
        }
        b->p = q;
        b->cap = cap;
    }
    memcpy(b->p + b->pos, ptr, n);
    b->pos += n;
    if (b->pos > b->len) b->len = b->pos;
    return num;
}

static Sint64 SDLCALL mem_seek_(SDL_RWops *rw, Sint64 off, int whence)
{
    MemBuf *b = rw->hidden.unknown.data1;
    Sint64 base = whence == RW_SEEK_SET ? 0 : whence == RW_SEEK_CUR ? (Sint64)b->pos : (Sint64)b->len;
    if (base + off < 0 || base + off > (Sint64)b->len) return -1;
    b->pos = (size_t)(base + off);
    return (Sint64)b->pos;
}

static Sint64 SDLCALL mem_size_(SDL_RWops *rw)
{
    MemBuf *b = rw->hidden.unknown.data1;
    return (Sint64)b->len;
}

static size_t SDLCALL mem_read_(SDL_RWops *rw, void *ptr, size_t size, size_t num)
{
    (void)rw;
    (void)ptr;
    (void)size;
    (void)num;
    return 0;
}

static int SDLCALL mem_close_(SDL_RWops *rw)
{
    SDL_FreeRW(rw);
    return 0;
}
#else
/* The web build has no SDL2_image: the PNG is written here (RGBA, 8 bits a channel, the Sub
 * filter on every row, zlib's deflate), into b. Returns 0, or -1 with b->failed set. */
static int png_write_web_(SDL_Surface *surf, MemBuf *b)
{
    int rc = -1;
    SDL_Surface *rgba = SDL_ConvertSurfaceFormat(surf, SDL_PIXELFORMAT_RGBA32, 0);
    size_t w = rgba ? (size_t)rgba->w : 0, h = rgba ? (size_t)rgba->h : 0, row = 1 + 4 * w;
    uint8_t *raw = rgba ? malloc(row * h) : NULL;             /* (h, 1 + 4w) filtered rows */
    uLongf zlen = raw ? compressBound((uLong)(row * h)) : 0;
    uint8_t *png = raw ? malloc(8 + 25 + 12 + zlen + 12) : NULL; /* signature, IHDR, IDAT, IEND */
    if (!png) goto done;
    for (size_t y = 0; y < h; y++) {
        const uint8_t *src = (const uint8_t *)rgba->pixels + y * (size_t)rgba->pitch;
        uint8_t *dst = raw + y * row;
        dst[0] = 1; /* Sub: x - x[-4] */
        for (size_t i = 0; i < 4 * w; i++) dst[1 + i] = (uint8_t)(src[i] - (i >= 4 ? src[i - 4] : 0));
    }
    if (compress2(png + 8 + 25 + 8, &zlen, raw, (uLong)(row * h), 6) != Z_OK) goto done;
    static const uint8_t sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    memcpy(png, sig, 8);
    uint8_t ihdr[13] = {(uint8_t)(w >> 24), (uint8_t)(w >> 16), (uint8_t)(w >> 8), (uint8_t)w, (uint8_t)(h >> 24),
                        (uint8_t)(h >> 16), (uint8_t)(h >> 8), (uint8_t)h, 8, 6, 0, 0, 0};
    size_t at = 8;
    const struct { const char *type; const uint8_t *data; size_t n; } chunk[3] = {
        {"IHDR", ihdr, 13}, {"IDAT", NULL, zlen}, {"IEND", NULL, 0}};
    for (int c = 0; c < 3; c++) { /* length, type, data, CRC of type + data */
        uint8_t *q = png + at;
        size_t n = chunk[c].n;
        q[0] = (uint8_t)(n >> 24), q[1] = (uint8_t)(n >> 16), q[2] = (uint8_t)(n >> 8), q[3] = (uint8_t)n;
        memcpy(q + 4, chunk[c].type, 4);
        if (chunk[c].data) memcpy(q + 8, chunk[c].data, n); /* IDAT is compressed in place */
        uint32_t crc = png_crc32(0, q + 4, 4 + n);
        q[8 + n] = (uint8_t)(crc >> 24), q[9 + n] = (uint8_t)(crc >> 16), q[10 + n] = (uint8_t)(crc >> 8);
        q[11 + n] = (uint8_t)crc;
        at += 12 + n;
    }
    b->p = png;
    b->len = b->cap = at;
    png = NULL;
    rc = 0;
done:
    if (rc) b->failed = 1;
    free(png);
    free(raw);
    if (rgba) SDL_FreeSurface(rgba);
    return rc;
}
#endif

int export_encode_png(SDL_Surface *surf, const char *command_line, uint8_t **png, size_t *len,
                      GfError *err)
{
    int rc = GF_OK;
    MemBuf b;
    memset(&b, 0, sizeof b);
    uint8_t *t1 = NULL, *t2 = NULL;
    size_t l1 = 0, l2 = 0;
    *png = NULL;
    *len = 0;
#ifdef __EMSCRIPTEN__
    if (png_write_web_(surf, &b)) {
        rc = gf_error_set(err, GF_ERR_NOMEM, "out of memory encoding the PNG");
        goto fail;
    }
#else
    SDL_RWops *rw = SDL_AllocRW();
    if (!rw) {
        rc = gf_error_set(err, GF_ERR_NOMEM, "out of memory encoding the PNG");
        goto fail;
    }
    rw->type = SDL_RWOPS_UNKNOWN;
    rw->size = mem_size_;
    rw->seek = mem_seek_;
    rw->read = mem_read_;
    rw->write = mem_write_;
    rw->close = mem_close_;
    rw->hidden.unknown.data1 = &b;
    int r = IMG_SavePNG_RW(surf, rw, 1); /* closes rw */
    if (r != 0 || b.failed) {
        rc = gf_error_set(err, GF_ERR_IO, "cannot encode the PNG: %s", b.failed ? "out of memory" : IMG_GetError());
        goto fail;
    }
#endif
    if (png_add_text(b.p, b.len, "Software", "gradflow " GF_VERSION, &t1, &l1)) {
        rc = gf_error_set(err, GF_ERR_FORMAT, "cannot add metadata to the PNG");
        goto fail;
    }
    if (command_line && *command_line) {
        if (png_add_text(t1, l1, "Comment", command_line, &t2, &l2)) {
            rc = gf_error_set(err, GF_ERR_FORMAT, "cannot add the command line to the PNG");
            goto fail;
        }
        free(t1);
        t1 = t2;
        l1 = l2;
        t2 = NULL;
    }
    *png = t1;
    *len = l1;
    t1 = NULL;
fail:
    free(b.p);
    free(t1);
    free(t2);
    return rc;
}

/* The SVG writer's image encoder: pixels (h, w) as a PNG through SDL_image. */
static int png_pixels_(const uint32_t *pixels, int w, int h, uint8_t **png, size_t *len, void *arg)
{
    GfError *err = arg;
    SDL_Surface *s = SDL_CreateRGBSurfaceWithFormatFrom((void *)pixels, w, h, 32, w * 4, SDL_PIXELFORMAT_RGB888);
    if (!s) return gf_error_set(err, GF_ERR_NOMEM, "out of memory for an image of the SVG");
    int rc = export_encode_png(s, NULL, png, len, err);
    SDL_FreeSurface(s);
    return rc;
}

int export_encode_vector(const DispList *dl, int format, int w, int h, const char *command_line, uint8_t **out,
                         size_t *len, GfError *err)
{
    *out = NULL;
    *len = 0;
    if (format == CLI_FORMAT_SVG) {
        char *svg = NULL;
        int rc = svg_write(dl, w, h, "gradflow " GF_VERSION, command_line, png_pixels_, err, &svg, len, err);
        *out = (uint8_t *)svg;
        return rc;
    }
    if (format != CLI_FORMAT_PDF) return gf_error_set(err, GF_ERR_RANGE, "not a vector format");
    char regular[1100], bold[1100];
    int rc = text_find_asset(TEXT_FONT_FILE, regular, sizeof regular, err);
    if (!rc) rc = text_find_asset(TEXT_FONT_BOLD_FILE, bold, sizeof bold, err);
    if (!rc) rc = pdf_write(dl, w, h, regular, bold, "gradflow " GF_VERSION, command_line, out, len, err);
    return rc;
}

/* Creates path as an empty file if nothing has that name yet ("x": exclusive, C11), so the name is
 * taken the moment it is chosen, even by another gradflow saving into the same folder: 1 if it did. */
static int claim_(const char *path)
{
    FILE *f = fopen(path, "wbx");
    if (!f) return 0;
    fclose(f);
    return 1;
}

int export_unique_path(const char *dir, const char *stem, char *out, size_t n, GfError *err)
{
    return export_unique_path_ext(dir, stem, "png", out, n, err);
}

int export_unique_path_ext(const char *dir, const char *stem, const char *ext, char *out, size_t n, GfError *err)
{
    time_t now = time(NULL);
    struct tm tmv;
    struct tm *lt = localtime(&now);
    if (lt) tmv = *lt;
    else memset(&tmv, 0, sizeof tmv);
    char stamp[32];
    strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tmv);
    for (int k = 1; k < 1000; k++) {
        int w = k == 1 ? snprintf(out, n, "%s/%s-%s.%s", dir, stem, stamp, ext)
                       : snprintf(out, n, "%s/%s-%s-%d.%s", dir, stem, stamp, k, ext);
        if (w < 0 || (size_t)w >= n) return gf_error_set(err, GF_ERR_IO, "the save folder's path is too long");
        if (claim_(out)) return GF_OK;
        FILE *f = fopen(out, "rb"); /* taken, or a folder we cannot write into? */
        if (f) fclose(f);
        else if (k == 1) return gf_error_set(err, GF_ERR_IO, "cannot create a file in %s", dir);
    }
    return gf_error_set(err, GF_ERR_IO, "too many pictures named %s-%s in %s", stem, stamp, dir);
}

/* ---------------------------------------------------------------- gradflow export ------------- */

/* Trains the cells of s for `steps` steps as the window's training thread does (the same batches,
 * milestone profiles on the view's sequence) and snapshots the result into *snap. */
static int export_train_(const UiSettings *s, long steps, const OptimConfig *optim, int optim_set, TrainSnapshot *snap,
                         Trainer *tr, Sim *sim, GfError *err)
{
    TrainConfig tc;
    settings_train_config(s, &tc);
    if (optim_set) { /* momentum and the rest as given */
        tc.optim = *optim;
        tc.optim.lr = s->train_lr;
    }
    int rc = trainer_init(tr, &tc, err);
    if (rc) return rc;
    if ((rc = trainer_reserve(tr, (size_t)steps, err))) return rc;
    if ((rc = trainsnap_from_trainer(snap, tr, 1))) return gf_error_set(err, rc, "out of memory");
    if ((rc = train_profile_add(snap, sim, tr, &s->sim, err))) return rc;
    for (long i = 0; i < steps; i++) {
        if ((rc = trainer_step(tr, err))) return rc;
        if (trainsnap_milestone_index(tr->step) >= 0 && (rc = train_profile_add(snap, sim, tr, &s->sim, err)))
            return rc;
    }
    if ((rc = trainsnap_from_trainer(snap, tr, 1))) return gf_error_set(err, rc, "out of memory");
    return GF_OK;
}

int ui_export(const UiOptions *opt, const char *png_path, GfError *err)
{
    int rc = GF_OK;
    DispList dl;
    memset(&dl, 0, sizeof dl);
    Sim sim;
    PlotData pd;
    SDL_Surface *surf = NULL;
    uint8_t *png = NULL;
    size_t png_len = 0;
    char *csv = NULL;
    size_t csv_len = 0;
    PlatformOutput staged[2]; /* the CSV (when asked), the PNG */
    int n_staged = 0;
    sim_init(&sim);
    memset(&pd, 0, sizeof pd);
    Trainer tr;
    TrainSnapshot train;
    memset(&tr, 0, sizeof tr);
    memset(&train, 0, sizeof train);

    int w = opt->width ? opt->width : GF_SIZE_W_DEFAULT, h = opt->height ? opt->height : GF_SIZE_H_DEFAULT;
    if ((unsigned)opt->view >= UI_NUM_VIEWS) {
        rc = gf_error_set(err, GF_ERR_RANGE, "--view is not known: accepted gradients, states, anatomy, training");
        goto fail;
    }
    if (w < GF_DRAW_W_MIN || h < GF_DRAW_H_MIN || w > GF_SIZE_W_MAX || h > GF_SIZE_H_MAX) {
        rc = gf_error_set(err, GF_ERR_RANGE, "--size %dx%d is out of range: accepted %dx%d to %dx%d", w, h,
                          GF_DRAW_W_MIN, GF_DRAW_H_MIN, GF_SIZE_W_MAX, GF_SIZE_H_MAX);
        goto fail;
    }
    if (!png_path || !*png_path) {
        rc = gf_error_set(err, GF_ERR_IO, "export needs -o FILE.png, FILE.svg or FILE.pdf");
        goto fail;
    }
    int format = cli_export_format(png_path);
    if (format < 0) {
        rc = gf_error_set(err, GF_ERR_RANGE, "%s", CLI_EXPORT_FORMATS_MSG);
        goto fail;
    }
    if (format == CLI_FORMAT_PDF && !pdf_available()) {
        rc = gf_error_set(err, GF_ERR_IO, "this gradflow was built without cairo, so it writes no PDF (install "
                          "libcairo2-dev and build again); .png and .svg work");
        goto fail;
    }
    if (opt->csv_path && platform_same_file(png_path, opt->csv_path)) {
        rc = gf_error_set(err, GF_ERR_IO, "-o and --csv name the same file: give the CSV its own name");
        goto fail;
    }
    /* fail early, before any work, on a folder that does not exist */
    if ((rc = platform_check_output_dir(png_path, err))) goto fail;
    if (opt->csv_path && (rc = platform_check_output_dir(opt->csv_path, err))) goto fail;

    UiSettings s;
    settings_init(&s, &opt->sim, opt->theme);
    settings_apply_look(&s, opt);
    s.view = opt->view;
    s.layer_shown = settings_layer_from_pick(opt->layer_pick, opt->sim.layers);
    settings_start_lesson(&s, opt->lesson);
    SimConfig run = opt->sim;
    long trained = -1;
    if (opt->view == UI_VIEW_TRAINING) {
        /* train as the window would, then draw what it shows at that step */
        if (opt->train_set) {
            s.train_opt = opt->optim.kind;
            s.train_lr = opt->optim.lr;
            s.train_clip = opt->clip;
        }
        if ((rc = export_train_(&s, opt->train_steps > 0 ? opt->train_steps : EXPORT_TRAIN_STEPS, &opt->optim,
                                opt->train_set, &train, &tr, &sim, err)))
            goto fail;
        trained = train.step;
        for (int c = 0; c < GF_NUM_CELLS; c++)
            if (tr.cell[c].active) run.params[c] = tr.cell[c].params;
    }
    if ((rc = sim_run(&sim, &run, err))) goto fail;
    if ((rc = plotdata_copy_sim(&pd, &sim))) {
        gf_error_set(err, rc, "out of memory copying the results");
        goto fail;
    }
    if (format == CLI_FORMAT_PNG) {
        if ((rc = export_render_train(&pd, &s, opt->view == UI_VIEW_TRAINING ? &train : NULL, trained, w, h,
                                      export_scale(w, h) * s.text_scale, opt->plot_only, &surf, err)))
            goto fail;
        if ((rc = export_encode_png(surf, opt->command_line, &png, &png_len, err))) goto fail;
    } else { /* the same drawing, described, then written as vectors */
        if ((rc = export_record(&pd, &s, opt->view == UI_VIEW_TRAINING ? &train : NULL, trained, w, h,
                                export_scale(w, h) * s.text_scale, opt->plot_only, &dl, err)))
            goto fail;
        if ((rc = export_encode_vector(&dl, format, w, h, opt->command_line, &png, &png_len, err))) goto fail;
    }
    if (opt->csv_path) {
        if ((rc = output_csv(&sim, &csv, &csv_len, err))) goto fail;
        if ((rc = platform_output_stage(&staged[n_staged], opt->csv_path, csv, csv_len, err))) goto fail;
        n_staged++;
    }
    if ((rc = platform_output_stage(&staged[n_staged], png_path, png, png_len, err))) goto fail;
    n_staged++;
    /* both files or neither: the user's existing files stay as they were on any failure */
    rc = platform_output_commit(staged, n_staged, err);
    n_staged = 0;
fail:
    for (int i = 0; i < n_staged; i++) platform_output_discard(&staged[i]);
    free(csv);
    free(png);
    if (surf) SDL_FreeSurface(surf);
    displist_free(&dl);
    plotdata_free(&pd);
    sim_free(&sim);
    trainer_free(&tr);
    trainsnap_free(&train);
    return rc;
}
