/* window.c - the classroom window: SDL setup, the event loop, keys, recomputation requests,
 * saving PNGs, the frame-time log and the frame-time benchmark. */
#include "window.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "platform.h"
#include "export.h"

#ifdef __EMSCRIPTEN__
#include <emscripten.h>

/* The page's side (web/index.html): whether it asks the window to close, that it closed, a saved
 * PNG to offer as a download, and the state its test reads each frame. */
EM_JS(int, web_close_asked_, (void), { return Module.gfClose ? 1 : 0; })
EM_JS(void, web_closed_, (void), { if (Module.gfClosed) Module.gfClosed(); })
EM_JS(void, web_download_, (const char *path), { if (Module.gfDownload) Module.gfDownload(UTF8ToString(path)); })
EM_JS(void, web_link_, (const char *opts), { if (Module.gfLink) Module.gfLink(UTF8ToString(opts)); })
EM_JS(void, web_state_, (unsigned frames, unsigned results, int busy, double scale, int sx, int sy, int sw, int sh,
                         double ratio, unsigned saved, double ms, int dark), {
    Module.gfState = {frames: frames, results: results, busy: busy, weightScale: scale, slider: [sx, sy, sw, sh],
                      ratio: ratio, saved: saved, computeMs: ms, dark: dark};
    document.body.classList.toggle("dark", dark != 0); /* the page's bar takes the window's theme */
})
#endif

#define STATUS_MS 5000 /* how long a status message stays */

/* ================================================================ keys ======================== */

static UiKey key_map_(SDL_Keycode k)
{
    switch (k) {
    case SDLK_LEFT: return UI_KEY_LEFT;
    case SDLK_RIGHT: return UI_KEY_RIGHT;
    case SDLK_UP: return UI_KEY_UP;
    case SDLK_DOWN: return UI_KEY_DOWN;
    case SDLK_0: case SDLK_KP_0: return UI_KEY_0;
    case SDLK_1: case SDLK_KP_1: return UI_KEY_1;
    case SDLK_2: case SDLK_KP_2: return UI_KEY_2;
    case SDLK_3: case SDLK_KP_3: return UI_KEY_3;
    case SDLK_4: case SDLK_KP_4: return UI_KEY_4;
    case SDLK_5: case SDLK_KP_5: return UI_KEY_5;
    case SDLK_6: case SDLK_KP_6: return UI_KEY_6;
    case SDLK_7: case SDLK_KP_7: return UI_KEY_7;
    case SDLK_8: case SDLK_KP_8: return UI_KEY_8;
    case SDLK_9: case SDLK_KP_9: return UI_KEY_9;
    case SDLK_a: return UI_KEY_A;
    case SDLK_b: return UI_KEY_B;
    case SDLK_c: return UI_KEY_C;
    case SDLK_d: return UI_KEY_D;
    case SDLK_f: return UI_KEY_F;
    case SDLK_h: return UI_KEY_H;
    case SDLK_i: return UI_KEY_I;
    case SDLK_j: return UI_KEY_J;
    case SDLK_l: return UI_KEY_L;
    case SDLK_n: return UI_KEY_N;
    case SDLK_w: return UI_KEY_W;
    case SDLK_o: return UI_KEY_O;
    case SDLK_p: return UI_KEY_P;
    case SDLK_q: return UI_KEY_Q;
    case SDLK_r: return UI_KEY_R;
    case SDLK_s: return UI_KEY_S;
    case SDLK_t: return UI_KEY_T;
    case SDLK_y: return UI_KEY_Y;
    case SDLK_LEFTBRACKET: return UI_KEY_LEFTBRACKET;
    case SDLK_RIGHTBRACKET: return UI_KEY_RIGHTBRACKET;
    case SDLK_TAB: return UI_KEY_TAB;
    case SDLK_PLUS: case SDLK_EQUALS: case SDLK_KP_PLUS: return UI_KEY_PLUS;
    case SDLK_MINUS: case SDLK_KP_MINUS: return UI_KEY_MINUS;
    case SDLK_ESCAPE: return UI_KEY_ESCAPE;
    case SDLK_F1: return UI_KEY_F1;
    case SDLK_F11: return UI_KEY_F11;
    case SDLK_SPACE: return UI_KEY_SPACE;
    case SDLK_PERIOD: case SDLK_KP_PERIOD: return UI_KEY_PERIOD;
    case SDLK_BACKSPACE: return UI_KEY_BACKSPACE;
    case SDLK_m: return UI_KEY_M;
    case SDLK_e: return UI_KEY_E;
    case SDLK_k: return UI_KEY_K;
    case SDLK_x: return UI_KEY_X;
    case SDLK_u: return UI_KEY_U;
    case SDLK_v: return UI_KEY_V;
    default: return UI_KEY_NONE;
    }
}

static unsigned mods_map_(Uint16 m)
{
    unsigned r = 0;
    if (m & KMOD_SHIFT) r |= UI_MOD_SHIFT;
    if (m & (KMOD_CTRL | KMOD_GUI)) r |= UI_MOD_CTRL; /* Cmd on a Mac */
    return r;
}

/* ================================================================ helpers ===================== */

static int config_same_(const SimConfig *a, const SimConfig *b)
{
    int fb = (isnan(a->forget_bias) && isnan(b->forget_bias)) || a->forget_bias == b->forget_bias;
    int ub = (isnan(a->update_bias) && isnan(b->update_bias)) || a->update_bias == b->update_bias;
    return a->cells == b->cells && a->task == b->task && a->seq_len == b->seq_len &&
           a->hidden == b->hidden && a->layers == b->layers && a->batch == b->batch &&
           a->weight_scale == b->weight_scale && a->init == b->init && fb && ub &&
           a->nonlinearity == b->nonlinearity && a->seed == b->seed && a->weights == b->weights &&
           a->want_param_grads == b->want_param_grads;
}

static void status_set_(UiWindow *w, int warn, const char *fmt, const char *arg)
{
    snprintf(w->status, sizeof w->status, fmt, arg);
    w->status_warn = warn;
    w->status_until = SDL_GetTicks() + STATUS_MS;
}

static void save_queue_push_(UiWindow *w, int twice)
{
    if (w->nsave < UI_SAVE_QUEUE) w->save_twice[w->nsave++] = twice;
}

/* ================================================================ training ==================== */

/* The weights being trained, for the request of cfg: the snapshot's when they are of cfg's model
 * and trained (step > 0; at step 0 they are the initial weights the run draws itself). Returns the
 * step, 0 for none. */
static long train_params_(const UiWindow *w, SimConfig *cfg)
{
    const TrainSnapshot *ts = &w->train;
    for (int c = 0; c < GF_NUM_CELLS; c++) cfg->params[c] = NULL;
    if (!ts->valid || ts->rc || ts->step <= 0) return 0;
    SimConfig model = ts->cfg.sim;
    model.batch = cfg->batch; /* the training batch is not the views' */
    if (!train_sim_same_model(&model, cfg)) return 0;
    for (int c = 0; c < GF_NUM_CELLS; c++)
        if (ts->cell[c].active && (cfg->cells & (1u << c))) cfg->params[c] = ts->cell[c].params;
    return ts->step;
}

/* Hands the settings' training state to the training thread, and takes its newest snapshot. */
static void train_sync_(UiWindow *w, int flags)
{
    TrainConfig tc;
    settings_train_config(&w->set, &tc);
    int wanted = (w->set.sim.cells & GF_CELLS_ALL) &&
                 (w->set.train_on || (flags & (UI_ACT_TRAIN_STEP | UI_ACT_TRAIN_REWIND)) ||
                  w->set.view == UI_VIEW_TRAINING || w->train.step > 0);
    if (wanted && !(w->train_sent_valid && train_config_same_model(&tc, &w->train_sent) &&
                    tc.optim.lr == w->train_sent.optim.lr && tc.clip == w->train_sent.clip)) {
        train_worker_configure(&w->trainer, &tc, &w->set.sim);
        w->train_sent = tc;
        w->train_sent_valid = 1;
    }
    int run = w->set.train_on && wanted;
    if (run != w->train_running_sent) {
        train_worker_set_running(&w->trainer, run);
        w->train_running_sent = run;
    }
    if (wanted && (flags & UI_ACT_TRAIN_REWIND)) train_worker_rewind(&w->trainer);
    if (wanted && (flags & UI_ACT_TRAIN_STEP)) train_worker_step(&w->trainer);
    train_worker_try_take(&w->trainer, &w->train);
}

static void request_if_changed_(UiWindow *w)
{
    SimConfig want = w->set.sim;
    long step = train_params_(w, &want);
    int same = w->gen_requested && config_same_(&w->requested, &want);
    if (same && step == w->req_step && (step == 0 || w->train.epoch == w->req_epoch)) return;
    /* newer weights of the same model wait for the run in flight: asking again would cancel a run
       longer than the snapshots' interval over and over, and nothing would ever be shown */
    if (same && step > 0 && w->gen_done < w->gen_requested) return;
    w->requested = want;
    w->req_step = step;
    w->req_epoch = w->train.epoch;
    w->gen_requested++;
    w->step_gen[w->gen_requested % 16] = w->gen_requested;
    w->step_of_gen[w->gen_requested % 16] = step;
    if (!(w->set.sim.cells & GF_CELLS_ALL)) { /* nothing to compute */
        w->gen_done = w->gen_requested;
        return;
    }
    worker_request(&w->worker, &want, w->gen_requested);
}

int window_save(UiWindow *w, int twice, GfError *err)
{
    int rc;
    SDL_Surface *surf = NULL;
    uint8_t *png = NULL;
    size_t len = 0;
    char stem[160], path[1100], cmd[1400];
    int claimed = 0, svg = twice == UI_SAVE_SVG;
    DispList dl;
    memset(&dl, 0, sizeof dl);
    if (svg) twice = 0; /* an SVG has the window's size: it is sharp at any */
    if (!w->shown.valid) return gf_error_set(err, GF_ERR_IO, "nothing to save yet: the first result is still being computed");
    int sw = w->out_w * (twice ? 2 : 1), sh = w->out_h * (twice ? 2 : 1);
    if (sw > GF_SIZE_W_MAX) sw = GF_SIZE_W_MAX;
    if (sh > GF_SIZE_H_MAX) sh = GF_SIZE_H_MAX;
    double scale = layout_scale(w->out_w, w->out_h, w->min_scale, w->set.text_scale) * sw / w->out_w;
    const char *dir = getenv("GRADFLOW_SAVE_DIR");
    if (!dir || !*dir) dir = ".";
    settings_file_stem(&w->shown.config, stem, sizeof stem);
    if (w->set.view != UI_VIEW_GRADIENTS) { /* gradflow-...-states, gradflow-...-anatomy */
        size_t used = strlen(stem);
        snprintf(stem + used, sizeof stem - used, "-%s", settings_view_name(w->set.view));
    }
    if ((rc = export_unique_path_ext(dir, stem, svg ? "svg" : "png", path, sizeof path, err))) return rc;
    claimed = 1;
    /* the command line rebuilds this view of this cell */
    SimConfig cfg = w->shown.config;
    cfg.cells = settings_export_cells(cfg.cells, w->set.view, states_pick_cell(&w->set, &w->shown));
#ifdef __EMSCRIPTEN__
    /* the page's files are in its memory; the download has the bare name */
    const char *cmd_path = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
#else
    const char *cmd_path = path;
#endif
    settings_command_line(&cfg, w->set.theme, w->set.view, w->set.layer_shown, !w->set.panel, sw, sh, cmd_path, cmd,
                          sizeof cmd);
    { /* the look: text size, axis, theory (as --text-scale, --linear, --no-theory) */
        size_t used = strlen(cmd);
        if (w->set.text_scale != 1.0 && used < sizeof cmd)
            used += (size_t)snprintf(cmd + used, sizeof cmd - used, " --text-scale %.3g", w->set.text_scale);
        if (!w->set.log_y && used < sizeof cmd) used += (size_t)snprintf(cmd + used, sizeof cmd - used, " --linear");
        if (!w->set.theory && used < sizeof cmd) used += (size_t)snprintf(cmd + used, sizeof cmd - used, " --no-theory");
        /* the weights file the picture was drawn from, quoted for a shell where it needs it */
        if (w->set.sim.weights && w->weights_path[0] && used + 13 < sizeof cmd) {
            const char *p = w->weights_path;
            int plain = p[strspn(p, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/._+-,=@%")] == 0;
            used += (size_t)snprintf(cmd + used, sizeof cmd - used, " --weights %s", plain ? p : "'");
            for (; !plain && *p && used + 5 < sizeof cmd; p++) /* ' as '\'' */
                used += (size_t)snprintf(cmd + used, sizeof cmd - used, *p == '\'' ? "'\\''" : "%c", *p);
            if (!plain && used + 1 < sizeof cmd) snprintf(cmd + used, sizeof cmd - used, "'");
        }
    }
    if (w->set.view == UI_VIEW_TRAINING && w->train.valid) { /* the export trains as far again */
        size_t used = strlen(cmd);
        const TrainConfig *tc = &w->train.cfg;
        snprintf(cmd + used, sizeof cmd - used, " --steps %ld --optimizer %s --lr %.10g --clip %.10g", w->train.step,
                 gf_optimizer_name(tc->optim.kind), tc->optim.lr, tc->clip);
    }
    if (svg) { /* the same drawing, described, written as vectors */
        if ((rc = export_record(&w->shown, &w->set, &w->train, w->shown_step, sw, sh, scale, !w->set.panel, &dl, err)))
            goto fail;
        if ((rc = export_encode_vector(&dl, CLI_FORMAT_SVG, sw, sh, cmd, &png, &len, err))) goto fail;
    } else {
        if ((rc = export_render_train(&w->shown, &w->set, &w->train, w->shown_step, sw, sh, scale, !w->set.panel,
                                      &surf, err)))
            goto fail;
        if ((rc = export_encode_png(surf, cmd, &png, &len, err))) goto fail;
    }
    if ((rc = platform_write_atomic(path, png, len, err))) goto fail;
    snprintf(w->last_saved, sizeof w->last_saved, "%s", path);
    w->saved++;
#ifdef __EMSCRIPTEN__
    /* the page hands the file to the browser as a download under the same name */
    web_download_(path);
#endif
    claimed = 0;
fail:
    if (claimed) remove(path); /* the empty file that held the name */
    free(png);
    if (surf) SDL_FreeSurface(surf);
    displist_free(&dl);
    return rc;
}

/* ================================================================ frame-time log ============== */

typedef struct FrameLog {
    int on;
    Uint64 t0, last;
    double sum_frame, sum_draw, max_frame;
    int frames;
    unsigned results0;
    double cpu0;    /* the window thread's CPU time at t0, ms (-1: not known) */
} FrameLog;

/* CPU time this thread has used, ms; -1 where the system cannot say. On a loaded machine the
 * frame rate says more about the neighbours than about gradflow; this does not. */
static double thread_cpu_ms_(void)
{
#if defined(CLOCK_THREAD_CPUTIME_ID)
    struct timespec ts;
    if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) == 0) return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
#endif
    return -1;
}

static void frame_log_tick_(FrameLog *fl, UiWindow *w)
{
    if (!fl->on) return;
    Uint64 now = SDL_GetPerformanceCounter();
    double f = (double)SDL_GetPerformanceFrequency();
    if (fl->last) {
        double ms = (double)(now - fl->last) * 1000.0 / f;
        fl->sum_frame += ms;
        fl->max_frame = ms > fl->max_frame ? ms : fl->max_frame;
        fl->sum_draw += w->ms_draw_last;
        fl->frames++;
    } else {
        fl->t0 = now;
        fl->results0 = w->results;
        fl->cpu0 = thread_cpu_ms_();
    }
    fl->last = now;
    double span = (double)(now - fl->t0) / f;
    if (span >= 2.0 && fl->frames > 0) {
        double cpu = thread_cpu_ms_();
        char cpus[64] = "";
        if (cpu >= 0 && fl->cpu0 >= 0) snprintf(cpus, sizeof cpus, ", window thread CPU %.2f ms a frame", (cpu - fl->cpu0) / fl->frames);
        fprintf(stderr, "gradflow: %.1f frames/s, frame %.2f ms (max %.2f), drawing %.2f ms%s, "
                "%.1f new results/s, training step %ld, %dx%d px\n", fl->frames / span, fl->sum_frame / fl->frames,
                fl->max_frame, fl->sum_draw / fl->frames, cpus, (w->results - fl->results0) / span, w->train.step,
                w->out_w, w->out_h);
        fl->t0 = now;
        fl->cpu0 = cpu;
        fl->results0 = w->results;
        fl->sum_frame = fl->sum_draw = fl->max_frame = 0;
        fl->frames = 0;
    }
}

/* ================================================================ the loop ==================== */

/* err = "no display to open a window on (why); draw the same view into a file with: gradflow export
 * -o gradflow.png OPTIONS", in the user's words: the options are the user's own (from the command
 * line, without the program's path), so the line can be pasted as it is. */
static int no_display_(const UiOptions *opt, GfError *err)
{
    const char *disp = getenv("DISPLAY"), *wl = getenv("WAYLAND_DISPLAY");
    char why[160];
    if (disp && *disp) snprintf(why, sizeof why, "cannot reach the X display %.100s", disp);
    else if (wl && *wl) snprintf(why, sizeof why, "cannot reach the Wayland display %.100s", wl);
    else snprintf(why, sizeof why, "no X11 or Wayland session");
    const char *args = "";
    if (opt->command_line) { /* "/path/to/gradflow --seq-len 500" -> " --seq-len 500" */
        const char *p = opt->command_line;
        if (*p == '\'') { /* a program path with spaces is quoted */
            const char *q = strchr(p + 1, '\'');
            p = q ? q + 1 : p;
        }
        const char *sp = strchr(p, ' ');
        args = sp ? sp : "";
    }
    char opts[700];
    snprintf(opts, sizeof opts, "%s", args);
    for (char *p = opts; *p; p++)
        if (*p == '\n' || *p == '\r') *p = ' '; /* one line, whatever the arguments held */
    return gf_error_set(err, GF_ERR_IO, "no display to open a window on (%s); draw the same view into a file "
                        "with: gradflow export -o gradflow.png%s", why, opt->command_line ? opts : " [same options]");
}

static int window_open_(UiWindow *w, const UiOptions *opt, GfError *err)
{
#if defined(__linux__) && defined(SDL_HINT_VIDEODRIVER)
    /* With no Wayland session there is nothing to probe, and libwayland's probe prints lines of
     * its own; the user's SDL_VIDEODRIVER, if any, still wins. */
    const char *wl = getenv("WAYLAND_DISPLAY");
    if (!getenv("SDL_VIDEODRIVER") && !(wl && *wl)) SDL_SetHint(SDL_HINT_VIDEODRIVER, "x11,KMSDRM");
#endif
    if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_EVENTS) != 0) return no_display_(opt, err);
    /* Without a screen SDL falls back to drivers that show nothing (offscreen, dummy): a window
     * there is one nobody sees, unless SDL_VIDEODRIVER asked for it (the tests do). */
    const char *drv = SDL_GetCurrentVideoDriver();
    const char *asked = getenv("SDL_VIDEODRIVER");
    if (drv && (!strcmp(drv, "offscreen") || !strcmp(drv, "dummy")) && !(asked && strstr(asked, drv)))
        return no_display_(opt, err);
    SDL_SetHint(SDL_HINT_VIDEO_X11_NET_WM_BYPASS_COMPOSITOR, "0");
    int ww = opt->width, wh = opt->height;
    if (ww <= 0 || wh <= 0) {
        SDL_Rect usable;
        ww = 1600;
        wh = 900;
        if (SDL_GetDisplayUsableBounds(0, &usable) == 0 && usable.w > 0 && usable.h > 0) {
            if (ww > usable.w * 9 / 10) ww = usable.w * 9 / 10;
            if (wh > usable.h * 9 / 10) wh = usable.h * 9 / 10;
        }
    }
    w->win = SDL_CreateWindow("gradflow: the vanishing gradient, live", SDL_WINDOWPOS_CENTERED,
                              SDL_WINDOWPOS_CENTERED, ww, wh, SDL_WINDOW_RESIZABLE | SDL_WINDOW_ALLOW_HIGHDPI);
    if (!w->win)
        return gf_error_set(err, GF_ERR_IO, "cannot open a window (%s); `gradflow export -o FILE.png` "
                            "draws the same view without one", SDL_GetError());
    SDL_SetWindowMinimumSize(w->win, 800, 500);
    w->ren = SDL_CreateRenderer(w->win, -1, SDL_RENDERER_ACCELERATED | SDL_RENDERER_PRESENTVSYNC);
    if (!w->ren) w->ren = SDL_CreateRenderer(w->win, -1, SDL_RENDERER_SOFTWARE);
    if (!w->ren) return gf_error_set(err, GF_ERR_IO, "cannot draw in the window: %s", SDL_GetError());
    /* the DPI is unknown under Xvfb and the dummy driver: 96 */
    float ddpi = 96, hdpi, vdpi;
    if (SDL_GetDisplayDPI(0, &ddpi, &hdpi, &vdpi) != 0 || !(ddpi > 0)) ddpi = 96;
    int ow = 0, oh = 0;
    SDL_GetRendererOutputSize(w->ren, &ow, &oh);
    SDL_GetWindowSize(w->win, &ww, &wh);
    double ratio = ww > 0 && ow > 0 ? (double)ow / ww : 1;
    /* a HiDPI window reports its ratio; otherwise trust the DPI, within reason */
    double dpi_f = ratio > 1.01 ? ratio : fmin(fmax(ddpi / 96.0, 1.0), 2.0);
    w->min_scale = 0.8 * dpi_f;
    return GF_OK;
}

/* Into or out of fullscreen as w->set.fullscreen says. Back out, the window gets its own size
 * again explicitly: without a window manager to resize it (a bare X server, the dummy driver), SDL
 * would otherwise keep reporting the full screen's size and the layout would stay sized for it
 * until the next resize. */
static void window_fullscreen_(UiWindow *w)
{
    if (w->set.fullscreen) {
        SDL_GetWindowSize(w->win, &w->windowed_w, &w->windowed_h);
        SDL_SetWindowFullscreen(w->win, SDL_WINDOW_FULLSCREEN_DESKTOP);
        return;
    }
    SDL_SetWindowFullscreen(w->win, 0);
    if (w->windowed_w > 0 && w->windowed_h > 0) SDL_SetWindowSize(w->win, w->windowed_w, w->windowed_h);
}

static int window_frame_(UiWindow *w, const UiHooks *hooks, FrameLog *fl, int wait);
static void window_close_(UiWindow *w, int sdl_up, int worker_up);

#ifdef __EMSCRIPTEN__
/* In a web page the browser owns the loop: it calls web_frame_ once per animation frame; the
 * window closes (Q, or the page setting Module.gfClose before it starts gradflow again with a
 * weights file) by cancelling that loop and telling the page through Module.gfClosed. */
typedef struct WebLoop {
    UiWindow *w;
    const UiHooks *hooks;
    FrameLog fl;
    int sdl_up, worker_up;
    char link[1024]; /* the options the page's address last got */
} WebLoop;

static void web_frame_(void *arg);
#endif

int window_run(const UiOptions *opt, const UiHooks *hooks, GfError *err)
{
    int rc = GF_OK;
    UiWindow *w = calloc(1, sizeof *w);
    if (!w) return gf_error_set(err, GF_ERR_NOMEM, "out of memory");
    w->opt = opt;
    int sdl_up = 0, worker_up = 0;
    FrameLog fl;
    memset(&fl, 0, sizeof fl);
    const char *log_env = getenv("GRADFLOW_FRAME_LOG");
    fl.on = log_env && *log_env && strcmp(log_env, "0") != 0;

    rc = window_open_(w, opt, err);
    sdl_up = 1;
    if (rc) goto fail;
    if ((rc = view_init(&w->vs, w->ren, err))) goto fail;
    w->wake_event = SDL_RegisterEvents(1);
    if (w->wake_event == (Uint32)-1) w->wake_event = 0;
    if ((rc = worker_start(&w->worker, w->wake_event, err))) goto fail;
    worker_up = 1;
    if ((rc = train_worker_start(&w->trainer, w->wake_event, err))) goto fail;
    w->shown_step = -1;
    settings_init(&w->set, &opt->sim, opt->theme);
    settings_apply_look(&w->set, opt);
    if (opt->weights_path) snprintf(w->weights_path, sizeof w->weights_path, "%s", opt->weights_path);
    if (opt->train_set) {
        w->set.train_opt = opt->optim.kind;
        w->set.train_lr = opt->optim.lr;
        w->set.train_clip = opt->clip;
    }
    w->set.view = opt->view;
    w->set.layer_shown = settings_layer_from_pick(opt->layer_pick, opt->sim.layers);
    settings_start_lesson(&w->set, opt->lesson);
    w->in.mx = w->in.my = -1;

#ifdef __EMSCRIPTEN__
    WebLoop *loop = calloc(1, sizeof *loop);
    if (!loop) {
        rc = gf_error_set(err, GF_ERR_NOMEM, "out of memory");
        goto fail;
    }
    *loop = (WebLoop){w, hooks, fl, sdl_up, worker_up};
    /* never returns: the browser calls web_frame_ from here on, once per animation frame (main's
     * stack stays as it is, so opt and what it points to stay valid) */
    emscripten_set_main_loop_arg(web_frame_, loop, 0, 1);
#else
    while (!window_frame_(w, hooks, &fl, 1)) {
    }
#endif
fail:
    window_close_(w, sdl_up, worker_up);
    return rc;
}

/* One pass of the window's loop: the events that came (waiting a moment for one when wait is set),
 * results in and requests out, one frame drawn and presented. Returns 1 when the window should close. */
static int window_frame_(UiWindow *w, const UiHooks *hooks, FrameLog *fl, int wait)
{
    int quit = 0;
    { /* one pass */
        /* wait for something to happen, but keep animating while busy or a message shows */
        int busy = w->gen_done < w->gen_requested;
        Uint32 now = SDL_GetTicks();
        int timeout = busy || w->in.down ? 30 : w->status_until > now ? (int)(w->status_until - now) + 1 : 500;
        if (w->set.train_on) timeout = 15; /* the picture moves while training */
        SDL_Event ev;
        int got = w->frame == 0 || !wait ? SDL_PollEvent(&ev) : SDL_WaitEventTimeout(&ev, timeout);
        int flags = 0;
        w->in.pressed = w->in.released = 0;
        w->in.wheel = 0;
        double rx = w->win_w > 0 ? (double)w->out_w / w->win_w : 1, ry = w->win_h > 0 ? (double)w->out_h / w->win_h : 1;
        while (got) {
            switch (ev.type) {
            case SDL_QUIT: flags |= UI_ACT_QUIT; break;
            case SDL_KEYDOWN: {
                UiKey k = key_map_(ev.key.keysym.sym);
                int f = k != UI_KEY_NONE ? settings_apply_key(&w->set, k, mods_map_(ev.key.keysym.mod)) : 0;
                /* every press of S is a picture of its own, even when several arrive in one batch
                   (fast presses while the last save was being drawn): queue them, not OR them */
                if (f & (UI_ACT_SAVE | UI_ACT_SAVE_2X)) save_queue_push_(w, (f & UI_ACT_SAVE_2X) != 0);
                if (f & UI_ACT_SAVE_SVG) save_queue_push_(w, UI_SAVE_SVG);
                flags |= f & ~(UI_ACT_SAVE | UI_ACT_SAVE_2X | UI_ACT_SAVE_SVG);
                break;
            }
            case SDL_MOUSEMOTION:
                w->in.mx = (int)lround(ev.motion.x * rx);
                w->in.my = (int)lround(ev.motion.y * ry);
                break;
            case SDL_MOUSEBUTTONDOWN:
                if (ev.button.button == SDL_BUTTON_LEFT) {
                    w->in.mx = (int)lround(ev.button.x * rx);
                    w->in.my = (int)lround(ev.button.y * ry);
                    w->in.down = 1;
                    w->in.pressed = 1;
                }
                break;
            case SDL_MOUSEBUTTONUP:
                if (ev.button.button == SDL_BUTTON_LEFT) {
                    w->in.mx = (int)lround(ev.button.x * rx);
                    w->in.my = (int)lround(ev.button.y * ry);
                    w->in.down = 0;
                    w->in.released = 1;
                }
                break;
            case SDL_MOUSEWHEEL: w->in.wheel += ev.wheel.y; break;
            case SDL_WINDOWEVENT:
                if (ev.window.event == SDL_WINDOWEVENT_LEAVE) w->in.mx = w->in.my = -1;
                break;
            default: break;
            }
            /* a press and its release in one batch still count as a click: stop the batch at the
             * release so the widgets see both this frame */
            if (w->in.released) break;
            got = SDL_PollEvent(&ev);
        }
        if (flags & UI_ACT_QUIT) return 1;
        if (flags & UI_ACT_FULLSCREEN) window_fullscreen_(w);

        /* results in, requests out */
        uint64_t gen;
        int wrc;
        char msg[GF_ERROR_MSG_LEN];
        train_sync_(w, flags);
        while (worker_take(&w->worker, &w->shown, &gen, &wrc, msg, sizeof msg)) {
            w->gen_done = gen;
            if (!wrc) w->shown_step = w->step_gen[gen % 16] == gen ? w->step_of_gen[gen % 16] : -1;
            w->results++;
            if (wrc) snprintf(w->error, sizeof w->error, "%s", msg);
            else w->error[0] = 0;
        }
        request_if_changed_(w);

        SDL_GetRendererOutputSize(w->ren, &w->out_w, &w->out_h);
        SDL_GetWindowSize(w->win, &w->win_w, &w->win_h);
        if (w->status_until && SDL_GetTicks() > w->status_until) {
            w->status[0] = 0;
            w->status_until = 0;
        }
        ViewModel vm;
        memset(&vm, 0, sizeof vm);
        vm.set = &w->set;
        vm.data = &w->shown;
        vm.w = w->out_w;
        vm.h = w->out_h;
        vm.scale = layout_scale(w->out_w, w->out_h, w->min_scale, w->set.text_scale);
        vm.interactive = 1;
        vm.in = w->in;
        vm.status = w->status[0] ? w->status : NULL;
        vm.status_warn = w->status_warn;
        vm.busy = w->gen_done < w->gen_requested && w->req_step == 0; /* not every training picture */
        vm.busy_phase = SDL_GetTicks() / 120;
        vm.error = w->error[0] ? w->error : NULL;
        vm.train = &w->train;
        vm.train_profile_step = w->shown_step;
        Uint64 t0 = SDL_GetPerformanceCounter();
        int pflags = view_draw(&w->vs, &vm);
        flags |= pflags;
        w->ms_draw_last = (double)(SDL_GetPerformanceCounter() - t0) * 1000.0 / (double)SDL_GetPerformanceFrequency();
        if (pflags & (UI_CHANGED_TRAIN | UI_CHANGED_SIM)) train_sync_(w, pflags); /* a panel change goes out this frame */
        request_if_changed_(w);

        if (flags & (UI_ACT_SAVE | UI_ACT_SAVE_2X)) save_queue_push_(w, (flags & UI_ACT_SAVE_2X) != 0); /* the button */
        for (int i = 0; i < w->nsave; i++) {
            GfError serr = {0};
            if (window_save(w, w->save_twice[i], &serr) == 0)
#ifdef __EMSCRIPTEN__
                status_set_(w, 0, "downloaded %s", strrchr(w->last_saved, '/') ? strrchr(w->last_saved, '/') + 1 : w->last_saved);
#else
                status_set_(w, 0, "saved %s", w->last_saved);
#endif
            else
                status_set_(w, 1, "could not save: %s", serr.msg);
        }
        w->nsave = 0;
        if (flags & UI_ACT_QUIT) quit = 1;
        if (hooks && hooks->on_frame && hooks->on_frame(hooks->user, w)) quit = 1;
        SDL_RenderPresent(w->ren);
        w->frame++;
        frame_log_tick_(fl, w);
    }
    return quit;
}

static void window_close_(UiWindow *w, int sdl_up, int worker_up)
{
    train_worker_stop(&w->trainer);
    trainsnap_free(&w->train);
    if (worker_up) worker_stop(&w->worker);
    view_free(&w->vs);
    plotdata_free(&w->shown);
    if (w->ren) SDL_DestroyRenderer(w->ren);
    if (w->win) SDL_DestroyWindow(w->win);
    if (sdl_up) SDL_Quit();
    free(w);
}

#ifdef __EMSCRIPTEN__
static void web_frame_(void *arg)
{
    WebLoop *l = arg;
    if (!web_close_asked_() && !window_frame_(l->w, l->hooks, &l->fl, 0)) {
        /* what the page's test reads: frames, results, busy, the weight scale, its slider (output
         * pixels), output pixels per CSS pixel, PNGs saved, the core's time for the result shown */
        const UiWindow *w = l->w;
        UiRect r = w->vs.panel_shown ? w->vs.panel.widget[PANEL_SCALE] : (UiRect){0, 0, 0, 0};
        double ms = 0;
        for (int c = 0; c < GF_NUM_CELLS; c++) ms += w->shown.cell[c].ran ? w->shown.cell[c].ms : 0;
        web_state_(w->frame, w->results, w->gen_done < w->gen_requested, w->set.sim.weight_scale, r.x, r.y, r.w, r.h,
                   w->win_w > 0 ? (double)w->out_w / w->win_w : 1.0, w->saved, ms, w->set.theme == UI_THEME_DARK);
        /* the address follows the window, so that it can be copied as a link to this picture */
        char link[sizeof l->link];
        settings_link_options(&w->set, link, sizeof link);
        if (strcmp(link, l->link) != 0) {
            memcpy(l->link, link, sizeof link);
            if (w->frame > 1) web_link_(link); /* (not before the first: the page's own address stands) */
        }
        return;
    }
    emscripten_cancel_main_loop();
    window_close_(l->w, l->sdl_up, l->worker_up);
    free(l);
    web_closed_();
}
#endif

int ui_window_run(const UiOptions *opt, GfError *err) { return window_run(opt, NULL, err); }

/* ================================================================ frame-time benchmark ======== */

typedef struct Bench {
    int frames;          /* frames to measure */
    int phase;           /* 0 before the first result, 1 dragging */
    int start_frame;
    int x0, x1, y;       /* the slider's track, output pixels */
    Uint64 t_start, t_prev;
    double sum_frame, max_frame, sum_draw;
    int n;
    unsigned results0;
    UiBenchResult *out;
} Bench;

static void push_mouse_(UiWindow *w, Uint32 type, int x, int y)
{
    SDL_Event ev;
    memset(&ev, 0, sizeof ev);
    double rx = w->out_w > 0 && w->win_w > 0 ? (double)w->win_w / w->out_w : 1;
    ev.type = type;
    if (type == SDL_MOUSEMOTION) {
        ev.motion.x = (int)lround(x * rx);
        ev.motion.y = (int)lround(y * rx);
        ev.motion.state = SDL_BUTTON_LMASK;
    } else {
        ev.button.button = SDL_BUTTON_LEFT;
        ev.button.state = type == SDL_MOUSEBUTTONDOWN ? SDL_PRESSED : SDL_RELEASED;
        ev.button.x = (int)lround(x * rx);
        ev.button.y = (int)lround(y * rx);
    }
    SDL_PushEvent(&ev);
}

/* Drags the weight-scale slider back and forth between 0.5 and 1.5 while timing frames. */
static int bench_frame_(void *user, UiWindow *w)
{
    Bench *b = user;
    Uint64 now = SDL_GetPerformanceCounter();
    double f = (double)SDL_GetPerformanceFrequency();
    if (b->phase == 0) {
        if (!w->shown.valid || !w->vs.panel_shown) return w->frame > 2000; /* waiting */
        UiRect r = w->vs.panel.widget[PANEL_SCALE];
        b->x0 = widget_slider_log0_pos(r, 0.5, UI_SCALE_LOG_LO, UI_SCALE_MAX);
        b->x1 = widget_slider_log0_pos(r, 1.5, UI_SCALE_LOG_LO, UI_SCALE_MAX);
        b->y = r.y + r.h / 2;
        push_mouse_(w, SDL_MOUSEBUTTONDOWN, b->x0, b->y);
        b->phase = 1;
        b->start_frame = (int)w->frame;
        b->t_start = b->t_prev = now;
        b->results0 = w->results;
        return 0;
    }
    double ms = (double)(now - b->t_prev) * 1000.0 / f;
    b->t_prev = now;
    b->sum_frame += ms;
    if (ms > b->max_frame) b->max_frame = ms;
    b->sum_draw += w->ms_draw_last;
    b->n++;
    /* a triangle wave over the track, one sweep per 120 frames */
    int k = b->n % 240, pos = k < 120 ? k : 240 - k;
    int x = b->x0 + (b->x1 - b->x0) * pos / 120;
    push_mouse_(w, SDL_MOUSEMOTION, x, b->y);
    if (b->n >= b->frames) {
        double secs = (double)(now - b->t_start) / f;
        b->out->frames = b->n;
        b->out->ms_frame_mean = b->sum_frame / b->n;
        b->out->ms_frame_max = b->max_frame;
        b->out->ms_draw_mean = b->sum_draw / b->n;
        b->out->fps = b->n / secs;
        b->out->results_per_s = (w->results - b->results0) / secs;
        b->out->width = w->out_w;
        b->out->height = w->out_h;
        b->out->weight_scale_end = w->set.sim.weight_scale;
        return 1;
    }
    return 0;
}

int ui_bench(const UiOptions *opt, int frames, UiBenchResult *out, GfError *err)
{
    Bench b;
    memset(&b, 0, sizeof b);
    memset(out, 0, sizeof *out);
    b.frames = frames > 0 ? frames : 600;
    b.out = out;
    UiHooks h = {&b, bench_frame_};
    int rc = window_run(opt, &h, err);
    if (!rc && out->frames == 0) rc = gf_error_set(err, GF_ERR_IO, "the benchmark never got a first result");
    return rc;
}
