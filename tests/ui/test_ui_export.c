/* test_ui_export.c - `gradflow export` through ui_export: the size asked, identical bytes for the
 * same input, the command line in the PNG's text, the CSV beside it, no display needed, and no
 * file at all on bad input. */
#define _POSIX_C_SOURCE 200809L /* setenv, unsetenv */
#include <check.h>
#include <SDL_image.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "export.h"
#include "pngtext.h"
#include "testutil.h"
#include "ui.h"
#include "uitest.h"
#include "check_main.h"

static UiOptions small_(void)
{
    UiOptions o;
    memset(&o, 0, sizeof o);
    sim_config_default(&o.sim);
    o.sim.seq_len = 60;
    o.sim.hidden = 12;
    o.width = 800;
    o.height = 600;
    o.command_line = "gradflow export -o x.png --seq-len 60 --hidden 12 --size 800x600";
    return o;
}

static int exists_(const char *p)
{
    FILE *f = fopen(p, "rb");
    if (f) fclose(f);
    return f != NULL;
}

/* Number of files in dir (temporaries included). */
static int files_in_(const char *dir)
{
    char cmd[600];
    snprintf(cmd, sizeof cmd, "ls -A '%s' | wc -l", dir);
    FILE *p = popen(cmd, "r");
    int n = -1;
    if (p) {
        if (fscanf(p, "%d", &n) != 1) n = -1;
        pclose(p);
    }
    return n;
}

START_TEST(test_size_as_asked)
{
    const char *dir = tu_temp_dir();
    ck_assert_ptr_nonnull(dir);
    UiOptions o = small_();
    GfError err = {0};
    ck_assert_msg(ui_export(&o, ut_path(dir, "a.png"), &err) == 0, "%s", err.msg);
    SDL_Surface *s = IMG_Load(ut_path(dir, "a.png"));
    ck_assert_ptr_nonnull(s);
    ck_assert_int_eq(s->w, 800);
    ck_assert_int_eq(s->h, 600);
    SDL_FreeSurface(s);
    o.width = o.height = 0; /* the default: 1920x1080 */
    ck_assert_msg(ui_export(&o, ut_path(dir, "b.png"), &err) == 0, "%s", err.msg);
    s = IMG_Load(ut_path(dir, "b.png"));
    ck_assert_ptr_nonnull(s);
    ck_assert_int_eq(s->w, 1920);
    ck_assert_int_eq(s->h, 1080);
    /* a light slide: white background in the corner */
    UiColor c = ut_pixel(s, 3, 3);
    ck_assert(c.r == 255 && c.g == 255 && c.b == 255);
    SDL_FreeSurface(s);
}
END_TEST

/* --text-scale grows the text (the title's ink), --no-theory drops the vanishing shading, and
 * --linear draws another picture. */
START_TEST(test_text_scale_linear_no_theory)
{
    const char *dir = tu_temp_dir();
    ck_assert_ptr_nonnull(dir);
    UiOptions o = small_();
    o.width = 960;
    o.height = 540;
    GfError err = {0};
    const Theme *th = theme_get(UI_THEME_LIGHT);
    int ink[2], shade[2];
    for (int k = 0; k < 2; k++) {
        o.text_scale = k ? 1.5 : 0; /* 0: the default size */
        ck_assert_msg(ui_export(&o, ut_path(dir, "t.png"), &err) == 0, "%s", err.msg);
        SDL_Surface *img = IMG_Load(ut_path(dir, "t.png"));
        ck_assert_ptr_nonnull(img);
        SDL_Surface *s = SDL_ConvertSurfaceFormat(img, SDL_PIXELFORMAT_ARGB8888, 0);
        /* the height of the title's first line of ink: the first band of rows holding text */
        int y = 0;
        while (y < 100 && ut_count(s, ui_rect(0, y, 600, 1), th->fg, 80) == 0) y++;
        int y0 = y;
        while (y < 100 && ut_count(s, ui_rect(0, y, 600, 1), th->fg, 80) > 0) y++;
        ink[k] = y - y0;
        shade[k] = ut_count(s, ui_rect(0, 0, 960, 540), th->shade_vanish, 2);
        SDL_FreeSurface(s);
        SDL_FreeSurface(img);
    }
    ck_assert_msg(ink[1] >= ink[0] * 4 / 3, "title %d px high at 1.5x, %d px at 1x", ink[1], ink[0]);
    ck_assert_int_gt(shade[0], 1000);
    o.text_scale = 0;
    o.no_theory = 1;
    ck_assert_msg(ui_export(&o, ut_path(dir, "n.png"), &err) == 0, "%s", err.msg);
    SDL_Surface *img = IMG_Load(ut_path(dir, "n.png"));
    SDL_Surface *s = SDL_ConvertSurfaceFormat(img, SDL_PIXELFORMAT_ARGB8888, 0);
    ck_assert_int_lt(ut_count(s, ui_rect(0, 0, 960, 540), th->shade_vanish, 2), shade[0] / 20);
    SDL_FreeSurface(s);
    SDL_FreeSurface(img);
    o.no_theory = 0;
    o.linear = 1;
    ck_assert_msg(ui_export(&o, ut_path(dir, "l.png"), &err) == 0, "%s", err.msg);
    size_t na, nb;
    char *a = tu_read_file(ut_path(dir, "t.png"), &na), *b = tu_read_file(ut_path(dir, "l.png"), &nb);
    ck_assert(na != nb || memcmp(a, b, na) != 0);
    free(a);
    free(b);
}
END_TEST

START_TEST(test_largest_size)
{
    const char *dir = tu_temp_dir();
    UiOptions o = small_();
    o.width = 7680;
    o.height = 4320;
    o.plot_only = 1;
    GfError err = {0};
    ck_assert_msg(ui_export(&o, ut_path(dir, "8k.png"), &err) == 0, "%s", err.msg);
    SDL_Surface *s = IMG_Load(ut_path(dir, "8k.png"));
    ck_assert_ptr_nonnull(s);
    ck_assert_int_eq(s->w, 7680);
    ck_assert_int_eq(s->h, 4320);
    SDL_FreeSurface(s);
}
END_TEST

START_TEST(test_same_input_same_bytes)
{
    const char *dir = tu_temp_dir();
    UiOptions o = small_();
    GfError err = {0};
    ck_assert_int_eq(ui_export(&o, ut_path(dir, "1.png"), &err), 0);
    ck_assert_int_eq(ui_export(&o, ut_path(dir, "2.png"), &err), 0);
    size_t n1 = 0, n2 = 0;
    char *a = tu_read_file(ut_path(dir, "1.png"), &n1), *b = tu_read_file(ut_path(dir, "2.png"), &n2);
    ck_assert(a && b && n1 > 1000);
    ck_assert_uint_eq(n1, n2);
    ck_assert(memcmp(a, b, n1) == 0);
    /* and a different configuration gives a different picture */
    o.sim.weight_scale = 0.5;
    ck_assert_int_eq(ui_export(&o, ut_path(dir, "3.png"), &err), 0);
    size_t n3 = 0;
    char *c = tu_read_file(ut_path(dir, "3.png"), &n3);
    ck_assert(c && (n3 != n1 || memcmp(a, c, n1) != 0));
    free(a);
    free(b);
    free(c);
}
END_TEST

START_TEST(test_command_line_in_metadata)
{
    const char *dir = tu_temp_dir();
    UiOptions o = small_();
    GfError err = {0};
    ck_assert_int_eq(ui_export(&o, ut_path(dir, "m.png"), &err), 0);
    size_t n = 0;
    char *png = tu_read_file(ut_path(dir, "m.png"), &n);
    ck_assert_ptr_nonnull(png);
    char text[512];
    ck_assert_int_eq(png_find_text((const uint8_t *)png, n, "Comment", text, sizeof text), 0);
    ck_assert_str_eq(text, o.command_line);
    ck_assert_int_eq(png_find_text((const uint8_t *)png, n, "Software", text, sizeof text), 0);
    ck_assert(strncmp(text, "gradflow ", 9) == 0);
    free(png);
    /* the chunk does not spoil the PNG for a decoder */
    SDL_Surface *s = IMG_Load(ut_path(dir, "m.png"));
    ck_assert_ptr_nonnull(s);
    SDL_FreeSurface(s);
}
END_TEST

START_TEST(test_csv_beside)
{
    const char *dir = tu_temp_dir();
    UiOptions o = small_();
    o.csv_path = ut_path(dir, "d.csv");
    GfError err = {0};
    ck_assert_msg(ui_export(&o, ut_path(dir, "d.png"), &err) == 0, "%s", err.msg);
    size_t n = 0;
    char *csv = tu_read_file(o.csv_path, &n);
    ck_assert_ptr_nonnull(csv);
    const char *head = "cell,layer,t,grad_h_norm,grad_c_norm,factor,factor_max,grad_x_norm,informative\n";
    ck_assert(strncmp(csv, head, strlen(head)) == 0);
    int lines = 0;
    for (size_t i = 0; i < n; i++) lines += csv[i] == '\n';
    ck_assert_int_eq(lines, 1 + 3 * 60); /* three cells, one layer, 60 steps */
    free(csv);
    ck_assert(exists_(ut_path(dir, "d.png")));
}
END_TEST

START_TEST(test_bad_input_leaves_no_file)
{
    const char *dir = tu_temp_dir();
    UiOptions o = small_();
    GfError err = {0};
    /* a folder that does not exist */
    ck_assert(ui_export(&o, ut_path(dir, "nope/a.png"), &err) < 0);
    ck_assert_ptr_nonnull(strstr(err.msg, "nope"));
    ck_assert(strchr(err.msg, '\n') == NULL);
    /* the CSV's folder missing: no PNG either */
    o.csv_path = ut_path(dir, "nope/d.csv");
    memset(&err, 0, sizeof err);
    ck_assert(ui_export(&o, ut_path(dir, "a.png"), &err) < 0);
    ck_assert(!exists_(ut_path(dir, "a.png")));
    o.csv_path = NULL;
    /* sizes out of range */
    int bad[][2] = {{100, 100}, {319, 600}, {800, 239}, {7681, 600}, {800, 4321}};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        o.width = bad[i][0];
        o.height = bad[i][1];
        memset(&err, 0, sizeof err);
        ck_assert(ui_export(&o, ut_path(dir, "a.png"), &err) < 0);
        ck_assert_ptr_nonnull(strstr(err.msg, "--size"));
        ck_assert_ptr_nonnull(strstr(err.msg, "7680x4320"));
    }
    o.width = 800;
    o.height = 600;
    /* a configuration the core refuses */
    o.sim.hidden = 0;
    memset(&err, 0, sizeof err);
    ck_assert(ui_export(&o, ut_path(dir, "a.png"), &err) < 0);
    ck_assert(strlen(err.msg) > 0);
    o.sim.hidden = 12;
    /* a view that does not exist */
    o.view = (UiView)UI_NUM_VIEWS;
    ck_assert(ui_export(&o, ut_path(dir, "a.png"), &err) < 0);
    ck_assert_ptr_nonnull(strstr(err.msg, "--view"));
    /* nothing at all was written, not even a temporary */
    ck_assert_int_eq(files_in_(dir), 0);
}
END_TEST

START_TEST(test_no_display_needed)
{
    unsetenv("DISPLAY");
    unsetenv("WAYLAND_DISPLAY");
    unsetenv("SDL_VIDEODRIVER");
    const char *dir = tu_temp_dir();
    UiOptions o = small_();
    GfError err = {0};
    ck_assert_msg(ui_export(&o, ut_path(dir, "nd.png"), &err) == 0, "%s", err.msg);
    ck_assert(exists_(ut_path(dir, "nd.png")));
}
END_TEST

static double ramp_(int c, int l, int t, int is_c)
{
    (void)l;
    return pow(10.0, -(49 - t) * (0.2 + 0.1 * c) - is_c);
}

START_TEST(test_export_draws_the_probed_view)
{
    /* export_render is the same drawing as the probed headless view, pixel for pixel */
    PlotData pd;
    ut_plotdata(&pd, GF_CELLS_ALL, 1, 50, ramp_, 0.8);
    UiSettings s = ut_settings(50);
    UtDraw d;
    ut_draw(&d, &pd, &s, 1280, 720, 0);
    SDL_Surface *e = NULL;
    GfError err = {0};
    ck_assert_int_eq(export_render(&pd, &s, 1280, 720, export_scale(1280, 720), 0, &e, &err), 0);
    int diff = 0;
    for (int y = 0; y < 720; y++)
        for (int x = 0; x < 1280; x++) diff += !ut_near(ut_pixel(e, x, y), ut_pixel(d.surf, x, y), 0);
    ck_assert_int_eq(diff, 0);
    /* and --plot-only leaves the panel out */
    SDL_Surface *p = NULL;
    ck_assert_int_eq(export_render(&pd, &s, 1280, 720, export_scale(1280, 720), 1, &p, &err), 0);
    UiRect panel = d.vs.frame.panel;
    ck_assert_int_gt(ut_ink(e, panel, theme_get(UI_THEME_LIGHT)->bg, 4), 10000);
    ck_assert_int_lt(ut_ink(p, ui_rect(panel.x + panel.w / 4, panel.y + panel.h / 4, panel.w / 2, panel.h / 2),
                            theme_get(UI_THEME_LIGHT)->bg, 4), panel.w * panel.h / 4);
    SDL_FreeSurface(e);
    SDL_FreeSurface(p);
    ut_draw_free(&d);
    plotdata_free(&pd);
}
END_TEST

START_TEST(test_unique_names)
{
    const char *dir = tu_temp_dir();
    GfError err = {0};
    char a[1024], b[1024];
    ck_assert_int_eq(export_unique_path(dir, "gradflow-all", a, sizeof a, &err), 0);
    ck_assert_ptr_nonnull(strstr(a, "gradflow-all-"));
    ck_assert(strlen(a) > 4 && strcmp(a + strlen(a) - 4, ".png") == 0);
    FILE *f = fopen(a, "wb");
    ck_assert_ptr_nonnull(f);
    fclose(f);
    ck_assert_int_eq(export_unique_path(dir, "gradflow-all", b, sizeof b, &err), 0);
    ck_assert_str_ne(a, b); /* never overwrites */
}
END_TEST

/* The PNG cannot be written (a full disk: /dev/full refuses every byte): the user's existing CSV,
 * a link given as --csv and the file behind it stay exactly as they were, and no temporary is
 * left; the same file under two spellings is refused before any work. */
START_TEST(test_failure_keeps_the_users_files)
{
    const char *dir = tu_temp_dir();
    UiOptions o = small_();
    GfError err = {0};
    FILE *f = fopen(ut_path(dir, "keep.csv"), "wb");
    ck_assert_ptr_nonnull(f);
    fputs("precious\n", f);
    fclose(f);
    ck_assert_int_eq(symlink("keep.csv", ut_path(dir, "link.csv")), 0);
    ck_assert_int_eq(symlink("/dev/full", ut_path(dir, "full.png")), 0); /* a PNG's name, the full disk */
    const char *csv[] = {"keep.csv", "link.csv"};
    for (int k = 0; k < 2; k++) {
        o.csv_path = ut_path(dir, csv[k]);
        memset(&err, 0, sizeof err);
        ck_assert(ui_export(&o, ut_path(dir, "full.png"), &err) < 0);
        ck_assert_msg(strstr(err.msg, "full.png") != NULL, "%s", err.msg);
        size_t n = 0;
        char *text = tu_read_file(ut_path(dir, "keep.csv"), &n);
        ck_assert_ptr_nonnull(text);
        ck_assert_str_eq(text, "precious\n");
        free(text);
        struct stat st;
        ck_assert_int_eq(lstat(ut_path(dir, "link.csv"), &st), 0);
        ck_assert(S_ISLNK(st.st_mode));
        ck_assert_int_eq(files_in_(dir), 3); /* keep.csv, link.csv and full.png: no temporary */
    }
    /* one file by two names, before it exists */
    o.csv_path = ut_path(dir, "./same.png");
    memset(&err, 0, sizeof err);
    ck_assert(ui_export(&o, ut_path(dir, "same.png"), &err) < 0);
    ck_assert_msg(strstr(err.msg, "same file") != NULL, "%s", err.msg);
    ck_assert_int_eq(files_in_(dir), 3);
}
END_TEST

static Suite *suite_(void)
{
    Suite *s = suite_create("ui_export");
    TCase *t = tcase_create("export");
    tcase_set_timeout(t, 60);
    tcase_add_test(t, test_size_as_asked);
    tcase_add_test(t, test_text_scale_linear_no_theory);
    tcase_add_test(t, test_largest_size);
    tcase_add_test(t, test_same_input_same_bytes);
    tcase_add_test(t, test_command_line_in_metadata);
    tcase_add_test(t, test_csv_beside);
    tcase_add_test(t, test_bad_input_leaves_no_file);
    tcase_add_test(t, test_failure_keeps_the_users_files);
    tcase_add_test(t, test_no_display_needed);
    tcase_add_test(t, test_export_draws_the_probed_view);
    tcase_add_test(t, test_unique_names);
    suite_add_tcase(s, t);
    return s;
}

GF_CHECK_MAIN(suite_)
