/* test_ui_window.c - the real event loop under the dummy video driver, driven by injected SDL
 * events: keys change the settings and the picture, a slider drag recomputes, S saves a PNG,
 * Q quits cleanly; without a display the window says so and names `gradflow export`. */
#define _POSIX_C_SOURCE 200809L /* setenv, unsetenv */
#include <check.h>
#include <SDL_image.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/weights.h"
#include "pngtext.h"
#include "testutil.h"
#include "uitest.h"
#include "window.h"
#include "check_main.h"

#define FRAME_CAP 3000 /* a script that has not finished by then has failed */

typedef struct Script {
    int step;             /* where the script is */
    int wait_from;        /* frame at which the current wait began */
    uint32_t hash0;       /* the plot's pixels at the start */
    uint32_t hash_key;    /* after Right */
    double scale0;
    uint64_t seed0;
    int quit_pushed;
    int frames;
    char failure[256];    /* what went wrong ("" if nothing) */
    char saved[1100];
} Script;

static void mouse_(UiWindow *w, Uint32 type, int x, int y)
{
    SDL_Event ev;
    memset(&ev, 0, sizeof ev);
    double r = w->out_w > 0 ? (double)w->win_w / w->out_w : 1;
    ev.type = type;
    if (type == SDL_MOUSEMOTION) {
        ev.motion.x = (int)(x * r);
        ev.motion.y = (int)(y * r);
    } else {
        ev.button.button = SDL_BUTTON_LEFT;
        ev.button.x = (int)(x * r);
        ev.button.y = (int)(y * r);
    }
    SDL_PushEvent(&ev);
}

/* FNV-1a over the plot's pixels as the renderer has them this frame. */
static uint32_t plot_hash_(UiWindow *w) { return ut_pixels_hash(w->ren, w->vs.gradients.map.area); }

/* 1 once the newest request is on screen */
static int settled_(UiWindow *w) { return w->shown.valid && w->gen_done == w->gen_requested; }

static void fail_(Script *s, const char *what)
{
    if (!s->failure[0]) snprintf(s->failure, sizeof s->failure, "%s (step %d)", what, s->step);
}

static int script_(void *user, UiWindow *w)
{
    Script *s = user;
    s->frames = (int)w->frame;
    if (s->failure[0] || w->frame > FRAME_CAP) {
        fail_(s, "frame cap reached");
        return 1;
    }
    switch (s->step) {
    case 0: /* the first picture arrives from the worker */
        if (!settled_(w)) return 0;
        s->hash0 = plot_hash_(w);
        s->scale0 = w->set.sim.weight_scale;
        ut_key(SDLK_RIGHT, KMOD_NONE);
        s->step = 1;
        return 0;
    case 1: /* Right: +0.05, a new picture once recomputed */
        if (w->set.sim.weight_scale < s->scale0 + 0.04) return 0;
        if (!settled_(w) || w->shown.config.weight_scale != w->set.sim.weight_scale) return 0;
        if (w->set.sim.weight_scale > s->scale0 + 0.051) fail_(s, "Right moved more than 0.05");
        s->hash_key = plot_hash_(w);
        if (s->hash_key == s->hash0) fail_(s, "the picture did not change after Right");
        {
            /* drag the weight-scale slider from 0.5 to 1.5 */
            UiRect r = w->vs.panel.widget[PANEL_SCALE];
            int y = r.y + r.h / 2;
            mouse_(w, SDL_MOUSEBUTTONDOWN, widget_slider_log0_pos(r, 0.5, UI_SCALE_LOG_LO, UI_SCALE_MAX), y);
            s->wait_from = (int)w->frame;
        }
        s->step = 2;
        return 0;
    case 2: {
        UiRect r = w->vs.panel.widget[PANEL_SCALE];
        int y = r.y + r.h / 2;
        int f = (int)w->frame - s->wait_from; /* move over a few frames, then let go */
        if (f < 5) {
            double v = 0.5 + 0.2 * (f + 1);
            mouse_(w, SDL_MOUSEMOTION, widget_slider_log0_pos(r, v, UI_SCALE_LOG_LO, UI_SCALE_MAX), y);
            return 0;
        }
        mouse_(w, SDL_MOUSEBUTTONUP, widget_slider_log0_pos(r, 1.5, UI_SCALE_LOG_LO, UI_SCALE_MAX), y);
        s->step = 3;
        return 0;
    }
    case 3: /* the drag ends at 1.5 and the picture follows */
        if (w->in.down) return 0;
        if (w->set.sim.weight_scale < 1.49 || w->set.sim.weight_scale > 1.51) {
            fail_(s, "the slider drag did not end at 1.5");
            return 1;
        }
        if (!settled_(w) || w->shown.config.weight_scale != w->set.sim.weight_scale) return 0;
        if (plot_hash_(w) == s->hash_key) fail_(s, "the picture did not change after the drag");
        s->seed0 = w->set.sim.seed;
        ut_key(SDLK_2, KMOD_NONE); /* hide the lstm */
        ut_key(SDLK_r, KMOD_NONE); /* new seed */
        ut_key(SDLK_t, KMOD_NONE); /* dark theme */
        s->step = 4;
        return 0;
    case 4:
        if (w->set.theme != UI_THEME_DARK) return 0;
        if (w->set.sim.cells & (1u << GF_CELL_LSTM)) fail_(s, "2 did not hide the LSTM");
        if (w->set.sim.seed == s->seed0) fail_(s, "R did not change the seed");
        if (!settled_(w)) return 0;
        {
            /* the corner of the window is the dark background */
            Uint32 px = 0;
            SDL_Rect r = {1, 1, 1, 1};
            SDL_RenderReadPixels(w->ren, &r, SDL_PIXELFORMAT_ARGB8888, &px, 4);
            const Theme *dk = theme_get(UI_THEME_DARK);
            if ((px & 0xFFFFFF) != ((Uint32)dk->bg.r << 16 | (Uint32)dk->bg.g << 8 | dk->bg.b))
                fail_(s, "T did not switch to the dark theme");
        }
        ut_key(SDLK_s, KMOD_NONE); /* save */
        s->step = 5;
        return 0;
    case 5:
        if (!w->last_saved[0]) return 0;
        snprintf(s->saved, sizeof s->saved, "%s", w->last_saved);
        ut_key(SDLK_q, KMOD_NONE);
        s->quit_pushed = 1;
        s->step = 6;
        return 0;
    default: /* Q must end the loop before the next frame */
        fail_(s, "Q did not quit");
        return 1;
    }
}

START_TEST(test_event_loop_end_to_end)
{
    const char *dir = tu_temp_dir();
    ck_assert_ptr_nonnull(dir);
    setenv("GRADFLOW_SAVE_DIR", dir, 1);
    UiOptions o;
    memset(&o, 0, sizeof o);
    sim_config_default(&o.sim);
    o.sim.seq_len = 100;
    o.sim.hidden = 16;
    o.width = 1280;
    o.height = 720;
    static Script s;
    memset(&s, 0, sizeof s);
    UiHooks h = {&s, script_};
    GfError err = {0};
    int rc = window_run(&o, &h, &err);
    ck_assert_msg(rc == 0, "window_run: %s", err.msg);
    ck_assert_msg(s.failure[0] == 0, "%s", s.failure);
    ck_assert(s.quit_pushed);
    ck_assert_int_eq(s.step, 6);
    /* the saved picture: the window's size, with the command that rebuilds it */
    SDL_Surface *img = IMG_Load(s.saved);
    ck_assert_msg(img != NULL, "cannot load %s", s.saved);
    ck_assert_int_eq(img->w, 1280);
    ck_assert_int_eq(img->h, 720);
    SDL_FreeSurface(img);
    size_t n = 0;
    char *png = tu_read_file(s.saved, &n);
    char text[1400];
    ck_assert_int_eq(png_find_text((const uint8_t *)png, n, "Comment", text, sizeof text), 0);
    ck_assert_ptr_nonnull(strstr(text, "gradflow export -o "));
    ck_assert_ptr_nonnull(strstr(text, "--theme dark"));
    ck_assert_ptr_nonnull(strstr(text, "--cell rnn,gru"));
    ck_assert_ptr_nonnull(strstr(text, "--weight-scale 1.5"));
    free(png);
}
END_TEST

/* Three presses of S in one batch of events (as fast presses arrive while a save is drawn), after D
 * chose layer 0: three pictures, none overwriting another. */
typedef struct SaveScript {
    int layer0;     /* first D: every layer -> layer 0 */
    int presses;    /* then S this many times, in one batch */
    int step;
    Uint32 pressed; /* when the presses went out */
    char failure[128];
} SaveScript;

static int saves_(void *user, UiWindow *w)
{
    SaveScript *s = user;
    if (w->frame > FRAME_CAP) {
        snprintf(s->failure, sizeof s->failure, "frame cap reached at step %d (%u saved)", s->step, w->saved);
        return 1;
    }
    if (s->step == 0) {
        if (!settled_(w)) return 0;
        if (s->layer0) ut_key(SDLK_d, KMOD_NONE);
        s->step = 1;
        return 0;
    }
    if (s->step == 1) {
        if (s->layer0 && w->set.layer_shown != 0) return 0;
        for (int i = 0; i < s->presses; i++) ut_key(SDLK_s, KMOD_NONE); /* all in the next batch */
        s->step = 2;
        s->pressed = SDL_GetTicks();
        return 0;
    }
    if (w->saved < (unsigned)s->presses && SDL_GetTicks() - s->pressed > 10000) {
        snprintf(s->failure, sizeof s->failure, "%d presses of S saved %u pictures", s->presses, w->saved);
        return 1;
    }
    return w->saved >= (unsigned)s->presses;
}

/* The PNGs in dir: each one a picture whose command line (its Comment) holds want. Returns how
 * many there are. */
static int pngs_saying_(const char *dir, const char *want)
{
    DIR *d = opendir(dir);
    ck_assert_ptr_nonnull(d);
    int pngs = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t n = strlen(e->d_name);
        if (n < 4 || strcmp(e->d_name + n - 4, ".png") != 0) continue;
        pngs++;
        char path[1200], text[1400];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        size_t len = 0;
        char *png = tu_read_file(path, &len);
        ck_assert_msg(png && len > 1000, "%s is empty", path);
        ck_assert_int_eq(png_find_text((const uint8_t *)png, len, "Comment", text, sizeof text), 0);
        ck_assert_msg(strstr(text, want) != NULL, "%s", text);
        free(png);
    }
    closedir(d);
    return pngs;
}

START_TEST(test_every_s_press_saves)
{
    const char *dir = tu_temp_dir();
    ck_assert_ptr_nonnull(dir);
    setenv("GRADFLOW_SAVE_DIR", dir, 1);
    UiOptions o;
    memset(&o, 0, sizeof o);
    sim_config_default(&o.sim);
    o.sim.seq_len = 50;
    o.sim.hidden = 8;
    o.sim.layers = 2;
    o.width = 1024;
    o.height = 640;
    static SaveScript s;
    memset(&s, 0, sizeof s);
    s.layer0 = 1;
    s.presses = 3;
    UiHooks h = {&s, saves_};
    GfError err = {0};
    ck_assert_msg(window_run(&o, &h, &err) == 0, "window_run: %s", err.msg);
    ck_assert_msg(s.failure[0] == 0, "%s", s.failure);
    /* three files in the folder, each a picture whose command line asks for layer 0 */
    ck_assert_int_eq(pngs_saying_(dir, "--layers 2 --layer 0 "), 3);
}
END_TEST

/* A window started on a --weights file saves pictures whose command line names the file: that
 * command line must draw the same picture again. */
START_TEST(test_saved_command_line_names_the_weights)
{
    const char *dir = tu_temp_dir();
    ck_assert_ptr_nonnull(dir);
    setenv("GRADFLOW_SAVE_DIR", dir, 1);
    char wpath[1100], cmd[2600];
    snprintf(wpath, sizeof wpath, "%s/lstm trained.safetensors", dir);
    snprintf(cmd, sizeof cmd, "'%s' train --csv '%s/loss.csv' -o '%s' --cell lstm --steps 3 --seq-len 20 --hidden 8 "
             ">/dev/null 2>&1", getenv("GF_EXE"), dir, wpath);
    ck_assert_int_eq(system(cmd), 0);
    size_t len = 0;
    char *buf = tu_read_file(wpath, &len);
    ck_assert_ptr_nonnull(buf);
    GfWeights wt;
    memset(&wt, 0, sizeof wt);
    GfError err = {0};
    ck_assert_msg(weights_parse(&wt, (const uint8_t *)buf, len, &err) == 0, "%s", err.msg);
    free(buf);
    UiOptions o;
    memset(&o, 0, sizeof o);
    sim_config_default(&o.sim);
    o.sim.cells = 1u << GF_CELL_LSTM;
    o.sim.hidden = 8;
    o.sim.seq_len = 20;
    o.sim.weights = &wt;
    o.weights_path = wpath;
    o.width = 1024;
    o.height = 640;
    static SaveScript s;
    memset(&s, 0, sizeof s);
    s.presses = 1;
    UiHooks h = {&s, saves_};
    ck_assert_msg(window_run(&o, &h, &err) == 0, "window_run: %s", err.msg);
    ck_assert_msg(s.failure[0] == 0, "%s", s.failure);
    char want[1200];
    snprintf(want, sizeof want, " --weights '%s'", wpath); /* quoted: the name has a space */
    ck_assert_int_eq(pngs_saying_(dir, want), 1);
    weights_free(&wt);
}
END_TEST

static int quit_at_once_(void *user, UiWindow *w)
{
    int *frames = user;
    *frames = (int)w->frame;
    if (w->frame == 1) ut_key(SDLK_ESCAPE, KMOD_NONE);
    return w->frame > 50;
}

START_TEST(test_escape_quits_before_first_result)
{
    UiOptions o;
    memset(&o, 0, sizeof o);
    sim_config_default(&o.sim);
    o.sim.seq_len = 2000; /* still computing when Escape comes: the worker is stopped cleanly */
    o.width = 1024;
    o.height = 640;
    int frames = 0;
    UiHooks h = {&frames, quit_at_once_};
    GfError err = {0};
    ck_assert_int_eq(window_run(&o, &h, &err), 0);
    ck_assert_int_le(frames, 3);
}
END_TEST

START_TEST(test_no_display_nothing_forced)
{
    /* no screen and no driver asked for: SDL would fall back to its invisible offscreen driver */
    unsetenv("DISPLAY");
    unsetenv("WAYLAND_DISPLAY");
    unsetenv("SDL_VIDEODRIVER");
    UiOptions o;
    memset(&o, 0, sizeof o);
    sim_config_default(&o.sim);
    GfError err = {0};
    ck_assert_int_lt(ui_window_run(&o, &err), 0);
    ck_assert_ptr_nonnull(strstr(err.msg, "no display"));
    ck_assert_ptr_nonnull(strstr(err.msg, "gradflow export"));
}
END_TEST

START_TEST(test_no_display_says_so)
{
    unsetenv("DISPLAY");
    unsetenv("WAYLAND_DISPLAY");
    setenv("SDL_VIDEODRIVER", "x11", 1); /* what a machine without a screen ends up with */
    UiOptions o;
    memset(&o, 0, sizeof o);
    sim_config_default(&o.sim);
    GfError err = {0};
    int rc = ui_window_run(&o, &err);
    ck_assert_int_lt(rc, 0);
    ck_assert_ptr_nonnull(strstr(err.msg, "no display"));
    ck_assert_ptr_nonnull(strstr(err.msg, "gradflow export"));
    ck_assert(strchr(err.msg, '\n') == NULL);
    /* in a user's words: no SDL driver list, and a command to paste with the user's own options */
    ck_assert_msg(strstr(err.msg, "KMSDRM") == NULL && strstr(err.msg, "x11") == NULL, "%s", err.msg);
    ck_assert_ptr_nonnull(strstr(err.msg, "no X11 or Wayland session"));
    ck_assert_ptr_nonnull(strstr(err.msg, "gradflow export -o gradflow.png [same options]"));
    o.command_line = "/usr/bin/gradflow --seq-len 500 --cell rnn";
    ck_assert_int_lt(ui_window_run(&o, &err), 0);
    ck_assert_msg(strstr(err.msg, "with: gradflow export -o gradflow.png --seq-len 500 --cell rnn") != NULL, "%s", err.msg);
    ck_assert(strchr(err.msg, '\n') == NULL);
}
END_TEST

START_TEST(test_bench_drags_and_measures)
{
    UiOptions o;
    memset(&o, 0, sizeof o);
    sim_config_default(&o.sim);
    o.sim.seq_len = 100;
    o.sim.hidden = 16;
    o.width = 1024;
    o.height = 640;
    UiBenchResult r;
    GfError err = {0};
    ck_assert_msg(ui_bench(&o, 40, &r, &err) == 0, "%s", err.msg);
    ck_assert_int_eq(r.frames, 40);
    ck_assert(r.fps > 0 && r.ms_frame_mean > 0 && r.ms_draw_mean > 0);
    ck_assert(r.results_per_s > 0);
    ck_assert(r.weight_scale_end > 0.5 && r.weight_scale_end <= 1.5); /* the drag moved it */
    ck_assert_int_eq(r.width, 1024);
}
END_TEST

/* F11 and back: the layout follows the window at once, both ways (no resize needed). */
typedef struct FullScript {
    int step, wait_from;
    int w0, h0;         /* the window's output size before fullscreen */
    int wf, hf;         /* ... in fullscreen */
    char failure[200];
} FullScript;

/* The layout fills out_w x out_h: the panel ends at the right edge, the content at the bottom. */
static int layout_fits_(UiWindow *w)
{
    return w->vs.frame.panel.x + w->vs.frame.panel.w == w->out_w && w->vs.frame.content.h == w->out_h;
}

static int fullscreen_(void *user, UiWindow *w)
{
    FullScript *s = user;
    if (w->frame > FRAME_CAP) {
        snprintf(s->failure, sizeof s->failure, "frame cap reached at step %d", s->step);
        return 1;
    }
    switch (s->step) {
    case 0:
        if (!settled_(w)) return 0;
        s->w0 = w->out_w;
        s->h0 = w->out_h;
        ut_key(SDLK_F11, KMOD_NONE);
        s->wait_from = (int)w->frame;
        s->step = 1;
        return 0;
    case 1: /* a few frames for the window to change */
        if (!w->set.fullscreen || (int)w->frame - s->wait_from < 4) return 0;
        s->wf = w->out_w;
        s->hf = w->out_h;
        if (!layout_fits_(w)) snprintf(s->failure, sizeof s->failure, "fullscreen: layout %dx%d in %dx%d",
                                       w->vs.frame.panel.x + w->vs.frame.panel.w, w->vs.frame.content.h, w->out_w, w->out_h);
        ut_key(SDLK_F11, KMOD_NONE);
        s->wait_from = (int)w->frame;
        s->step = 2;
        return 0;
    default: /* back: the window's own size again, and the layout with it */
        if (w->set.fullscreen || (int)w->frame - s->wait_from < 4) return 0;
        if (w->out_w != s->w0 || w->out_h != s->h0 || !layout_fits_(w))
            snprintf(s->failure, sizeof s->failure, "back from fullscreen (%dx%d): output %dx%d, layout %dx%d, window was %dx%d",
                     s->wf, s->hf, w->out_w, w->out_h, w->vs.frame.panel.x + w->vs.frame.panel.w, w->vs.frame.content.h,
                     s->w0, s->h0);
        return 1;
    }
}

START_TEST(test_fullscreen_and_back_relayout)
{
    UiOptions o;
    memset(&o, 0, sizeof o);
    sim_config_default(&o.sim);
    o.sim.seq_len = 50;
    o.sim.hidden = 8;
    o.width = 900;
    o.height = 600;
    static FullScript s;
    memset(&s, 0, sizeof s);
    UiHooks h = {&s, fullscreen_};
    GfError err = {0};
    ck_assert_msg(window_run(&o, &h, &err) == 0, "window_run: %s", err.msg);
    ck_assert_msg(s.failure[0] == 0, "%s", s.failure);
    ck_assert_int_eq(s.step, 2);
    ck_assert_int_eq(s.w0, 900);
    ck_assert_int_eq(s.h0, 600);
}
END_TEST

static Suite *suite_(void)
{
    Suite *s = suite_create("ui_window");
    TCase *t = tcase_create("window");
    tcase_set_timeout(t, 60);
    tcase_add_test(t, test_event_loop_end_to_end);
    tcase_add_test(t, test_every_s_press_saves);
    tcase_add_test(t, test_saved_command_line_names_the_weights);
    tcase_add_test(t, test_escape_quits_before_first_result);
    tcase_add_test(t, test_no_display_says_so);
    tcase_add_test(t, test_no_display_nothing_forced);
    tcase_add_test(t, test_bench_drags_and_measures);
    tcase_add_test(t, test_fullscreen_and_back_relayout);
    suite_add_tcase(s, t);
    return s;
}

GF_CHECK_MAIN(suite_)
