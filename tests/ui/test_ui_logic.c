/* test_ui_logic.c - the ui's plain-C logic without SDL: key bindings, ladders, presets, titles,
 * layout from 1024x640 to 8K, the axis maths, the widgets' mouse handling, the panel's layout and
 * bindings, the legend's numbers, and PNG text chunks. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "axis.h"
#include "cli.h"
#include "lessons.h"
#include "layout.h"
#include "panel.h"
#include "plotdata.h"
#include "pngtext.h"
#include "settings.h"
#include "widgets.h"
#include "check_main.h"

static UiSettings fresh_(void)
{
    SimConfig c;
    sim_config_default(&c);
    UiSettings s;
    settings_init(&s, &c, UI_THEME_LIGHT);
    return s;
}

/* ---------------------------------------------------------------- keys ------------------------ */

START_TEST(test_keys_weight_scale)
{
    UiSettings s = fresh_();
    s.sim.weight_scale = 1.0;
    ck_assert_int_eq(settings_apply_key(&s, UI_KEY_RIGHT, 0), UI_CHANGED_SIM);
    ck_assert_double_eq_tol(s.sim.weight_scale, 1.05, 1e-12);
    settings_apply_key(&s, UI_KEY_LEFT, 0);
    settings_apply_key(&s, UI_KEY_LEFT, 0);
    ck_assert_double_eq_tol(s.sim.weight_scale, 0.95, 1e-12);
    settings_apply_key(&s, UI_KEY_LEFT, UI_MOD_SHIFT); /* fine step */
    ck_assert_double_eq_tol(s.sim.weight_scale, 0.94, 1e-12);
    /* clamped to the slider's range; a key at the end changes nothing */
    s.sim.weight_scale = UI_SCALE_MAX - 0.02;
    settings_apply_key(&s, UI_KEY_RIGHT, 0);
    ck_assert_double_eq_tol(s.sim.weight_scale, UI_SCALE_MAX, 1e-12);
    ck_assert_int_eq(settings_apply_key(&s, UI_KEY_RIGHT, 0), 0);
    s.sim.weight_scale = 0.02;
    settings_apply_key(&s, UI_KEY_LEFT, 0);
    ck_assert_double_eq_tol(s.sim.weight_scale, 0.0, 1e-12);
}
END_TEST

/* Parses " --a b --c" (the link's options) as the command line would, into a. */
static int parse_link_(const char *opts, CliArgs *a, GfError *err)
{
    static char copy[1024];
    char *argv[64];
    int argc = 0;
    snprintf(copy, sizeof copy, "%s", opts);
    argv[argc++] = "gradflow";
    for (char *tok = strtok(copy, " "); tok && argc < 63; tok = strtok(NULL, " ")) argv[argc++] = tok;
    argv[argc] = NULL;
    return cli_parse(a, argc, argv, err);
}

/* The page's address follows the window: the options that reopen it as it is -- none at the
 * defaults, the changes alone, a lesson by name with its values -- and the command line reads
 * them back into the same settings. */
START_TEST(test_link_options_reopen_the_window)
{
    SimConfig c;
    sim_config_default(&c);
    UiSettings s;
    settings_init(&s, &c, UI_THEME_LIGHT);
    char buf[1024];
    settings_link_options(&s, buf, sizeof buf);
    ck_assert_str_eq(buf, "");
    settings_apply_key(&s, UI_KEY_RIGHT, 0);
    settings_apply_key(&s, UI_KEY_TAB, 0);
    s.sim.cells = 1u << GF_CELL_LSTM | 1u << GF_CELL_GRU;
    settings_link_options(&s, buf, sizeof buf);
    ck_assert_str_eq(buf, " --view states --cell lstm,gru --weight-scale 1.05");
    CliArgs a;
    GfError err = {0};
    ck_assert_msg(parse_link_(buf, &a, &err) == 0, "%s", err.msg);
    ck_assert_uint_eq(a.ui.sim.cells, s.sim.cells);
    ck_assert_double_eq(a.ui.sim.weight_scale, s.sim.weight_scale);
    ck_assert_int_eq(a.ui.view, UI_VIEW_STATES);
    /* a lesson: its name and every value, which the command line reads back to the same run */
    settings_apply_preset(&s, lesson_index("exploding"));
    settings_link_options(&s, buf, sizeof buf);
    ck_assert_msg(strncmp(buf, " --lesson exploding ", 20) == 0, "%s", buf);
    ck_assert_msg(parse_link_(buf, &a, &err) == 0, "%s: %s", buf, err.msg);
    ck_assert_int_eq(a.ui.sim.seq_len, s.sim.seq_len);
    ck_assert_double_eq(a.ui.sim.weight_scale, s.sim.weight_scale);
    ck_assert_uint_eq(a.ui.sim.cells, s.sim.cells);
    ck_assert_int_eq(a.ui.sim.batch, s.sim.batch);
    ck_assert_int_eq(a.lesson, lesson_index("exploding"));
}
END_TEST

START_TEST(test_keys_seq_len_ladder)
{
    UiSettings s = fresh_();
    s.sim.seq_len = 200;
    settings_apply_key(&s, UI_KEY_UP, 0);
    ck_assert_int_eq(s.sim.seq_len, 500);
    settings_apply_key(&s, UI_KEY_UP, 0);
    ck_assert_int_eq(s.sim.seq_len, 1000);
    settings_apply_key(&s, UI_KEY_DOWN, 0);
    settings_apply_key(&s, UI_KEY_DOWN, 0);
    settings_apply_key(&s, UI_KEY_DOWN, 0);
    ck_assert_int_eq(s.sim.seq_len, 100);
    s.sim.seq_len = 300; /* between rungs (from the command line) */
    settings_apply_key(&s, UI_KEY_UP, 0);
    ck_assert_int_eq(s.sim.seq_len, 500);
    ck_assert_int_eq(settings_seq_step(5000, 1), 5000);
    ck_assert_int_eq(settings_seq_step(10, -1), 10);
    ck_assert_int_eq(settings_hidden_step(64, 1), 128);
    ck_assert_int_eq(settings_hidden_step(64, -1), 32);
    ck_assert_int_eq(settings_hidden_step(100, -1), 64);
}
END_TEST

START_TEST(test_keys_cells_seed_quit)
{
    UiSettings s = fresh_();
    s.sim.cells = GF_CELLS_ALL;
    settings_apply_key(&s, UI_KEY_2, 0);
    ck_assert_uint_eq(s.sim.cells, (1u << GF_CELL_RNN) | (1u << GF_CELL_GRU));
    settings_apply_key(&s, UI_KEY_1, 0);
    settings_apply_key(&s, UI_KEY_3, 0);
    ck_assert_uint_eq(s.sim.cells, 0);
    settings_apply_key(&s, UI_KEY_2, 0);
    ck_assert_uint_eq(s.sim.cells, 1u << GF_CELL_LSTM);
    uint64_t seed = s.sim.seed;
    ck_assert_int_eq(settings_apply_key(&s, UI_KEY_R, 0), UI_CHANGED_SIM);
    ck_assert(s.sim.seed != seed);
    ck_assert_int_eq(settings_apply_key(&s, UI_KEY_Q, 0), UI_ACT_QUIT);
    ck_assert_int_eq(settings_apply_key(&s, UI_KEY_ESCAPE, 0), UI_ACT_QUIT);
    /* with the help open, Escape closes it (what its reader presses) and quits only after */
    settings_apply_key(&s, UI_KEY_H, 0);
    ck_assert(s.help);
    ck_assert_int_eq(settings_apply_key(&s, UI_KEY_ESCAPE, 0), UI_CHANGED_VIEW);
    ck_assert(!s.help);
    ck_assert_int_eq(settings_apply_key(&s, UI_KEY_ESCAPE, 0), UI_ACT_QUIT);
    ck_assert_int_eq(settings_apply_key(&s, UI_KEY_S, 0), UI_ACT_SAVE);
    ck_assert_int_eq(settings_apply_key(&s, UI_KEY_S, UI_MOD_SHIFT), UI_ACT_SAVE_2X);
}
END_TEST

START_TEST(test_keys_view_toggles)
{
    UiSettings s = fresh_();
    ck_assert_int_eq(s.theme, UI_THEME_LIGHT);
    settings_apply_key(&s, UI_KEY_T, 0);
    ck_assert_int_eq(s.theme, UI_THEME_DARK);
    settings_apply_key(&s, UI_KEY_H, 0);
    ck_assert_int_eq(s.help, 1);
    settings_apply_key(&s, UI_KEY_F1, 0);
    ck_assert_int_eq(s.help, 0);
    ck_assert(settings_apply_key(&s, UI_KEY_F11, 0) & UI_ACT_FULLSCREEN);
    ck_assert_int_eq(s.fullscreen, 1);
    settings_apply_key(&s, UI_KEY_F, 0);
    ck_assert_int_eq(s.fullscreen, 0);
    double t0 = s.text_scale;
    ck_assert_int_eq(settings_apply_key(&s, UI_KEY_PLUS, UI_MOD_CTRL), UI_CHANGED_VIEW);
    ck_assert(s.text_scale > t0);
    settings_apply_key(&s, UI_KEY_MINUS, UI_MOD_CTRL);
    settings_apply_key(&s, UI_KEY_MINUS, UI_MOD_CTRL);
    ck_assert(s.text_scale < t0);
    for (int i = 0; i < 40; i++) settings_apply_key(&s, UI_KEY_MINUS, UI_MOD_CTRL);
    ck_assert_double_eq_tol(s.text_scale, UI_TEXT_SCALE_MIN, 1e-12);
    settings_apply_key(&s, UI_KEY_Y, 0);
    ck_assert_int_eq(s.log_y, 0);
    settings_apply_key(&s, UI_KEY_O, 0);
    ck_assert_int_eq(s.theory, 0);
    /* plain minus without Ctrl is not a text-size key */
    ck_assert_int_eq(settings_apply_key(&s, UI_KEY_MINUS, 0), 0);
}
END_TEST

START_TEST(test_keys_model)
{
    UiSettings s = fresh_();
    s.sim.layers = 1;
    settings_apply_key(&s, UI_KEY_L, 0);
    ck_assert_int_eq(s.sim.layers, 2);
    settings_apply_key(&s, UI_KEY_D, 0);
    ck_assert_int_eq(s.layer_shown, 0);
    settings_apply_key(&s, UI_KEY_D, 0);
    ck_assert_int_eq(s.layer_shown, 1);
    settings_apply_key(&s, UI_KEY_D, 0);
    ck_assert_int_eq(s.layer_shown, -1);
    settings_apply_key(&s, UI_KEY_D, 0);
    settings_apply_key(&s, UI_KEY_D, 0);
    settings_apply_key(&s, UI_KEY_L, UI_MOD_SHIFT); /* the layer drawn disappears: every layer */
    ck_assert_int_eq(s.sim.layers, 1);
    ck_assert_int_eq(s.layer_shown, -1);
    ck_assert_int_eq(settings_apply_key(&s, UI_KEY_L, UI_MOD_SHIFT), 0);
    s.sim.init = GF_INIT_PYTORCH;
    settings_apply_key(&s, UI_KEY_I, 0);
    ck_assert_int_eq(s.sim.init, GF_INIT_ORTHOGONAL);
    settings_apply_key(&s, UI_KEY_N, 0);
    ck_assert_int_eq(s.sim.nonlinearity, GF_NONLIN_RELU);
    settings_apply_key(&s, UI_KEY_A, 0);
    ck_assert_int_eq(s.sim.task, GF_TASK_RECALL);
    s.sim.forget_bias = NAN;
    settings_apply_key(&s, UI_KEY_B, 0);
    ck_assert_double_eq_tol(s.sim.forget_bias, 0.5, 1e-12);
    settings_apply_key(&s, UI_KEY_B, UI_MOD_SHIFT);
    settings_apply_key(&s, UI_KEY_B, UI_MOD_SHIFT);
    ck_assert_double_eq_tol(s.sim.forget_bias, -0.5, 1e-12);
    s.sim.update_bias = NAN;
    ck_assert_int_eq(settings_apply_key(&s, UI_KEY_U, 0), UI_CHANGED_SIM);
    ck_assert_double_eq_tol(s.sim.update_bias, 0.5, 1e-12);
    for (int k = 0; k < 20; k++) settings_apply_key(&s, UI_KEY_U, 0);
    ck_assert_double_eq_tol(s.sim.update_bias, UI_UBIAS_MAX, 1e-12);
    settings_apply_key(&s, UI_KEY_U, UI_MOD_SHIFT);
    ck_assert_double_eq_tol(s.sim.update_bias, UI_UBIAS_MAX - 0.5, 1e-12);
    s.sim.hidden = 64;
    settings_apply_key(&s, UI_KEY_RIGHTBRACKET, 0);
    ck_assert_int_eq(s.sim.hidden, 128);
    settings_apply_key(&s, UI_KEY_LEFTBRACKET, 0);
    settings_apply_key(&s, UI_KEY_LEFTBRACKET, 0);
    ck_assert_int_eq(s.sim.hidden, 32);
}
END_TEST

START_TEST(test_presets)
{
    UiSettings s = fresh_();
    ck_assert_int_eq(s.preset, -1);
    ck_assert_int_eq(settings_apply_key(&s, UI_KEY_4, 0), UI_CHANGED_SIM | UI_CHANGED_VIEW);
    ck_assert_int_eq(s.preset, 0);
    ck_assert_double_eq_tol(s.sim.weight_scale, 0.9, 1e-12);
    settings_apply_key(&s, UI_KEY_5, 0);
    ck_assert_double_eq_tol(s.sim.weight_scale, 1.5, 1e-12);
    settings_apply_key(&s, UI_KEY_6, 0);
    ck_assert_double_eq_tol(s.sim.weight_scale, 1.0, 1e-12);
    settings_apply_key(&s, UI_KEY_7, 0);
    ck_assert_double_eq_tol(s.sim.forget_bias, lesson_find("lstm-remembers")->forget_bias, 1e-12);
    ck_assert(s.sim.forget_bias >= 3.0);
    ck_assert(isnan(s.sim.update_bias));
    ck_assert(s.sim.cells & (1u << GF_CELL_LSTM));
    settings_apply_key(&s, UI_KEY_8, 0);
    ck_assert(s.sim.cells & (1u << GF_CELL_GRU));
    ck_assert(isnan(s.sim.forget_bias));
    ck_assert_double_eq_tol(s.sim.update_bias, lesson_find("gru")->update_bias, 1e-12);
    ck_assert(s.sim.update_bias >= 3.0);
    ck_assert_int_eq(s.preset, 4);
    /* every preset has a key, a name and a one-line caption */
    for (int i = 0; i < settings_num_lessons(); i++) {
        UiPreset p;
        ck_assert(settings_preset(i, &p));
        ck_assert_int_eq(p.key, UI_KEY_4 + (i < UI_NUM_PRESETS ? i : i - UI_NUM_PRESETS));
        ck_assert_int_eq(p.mods, i < UI_NUM_PRESETS ? 0u : (unsigned)UI_MOD_SHIFT);
        ck_assert_int_eq(p.trains, i >= UI_NUM_PRESETS);
        ck_assert(strlen(p.caption) > 10 && strchr(p.caption, '\n') == NULL);
    }
    ck_assert(settings_num_lessons() > UI_NUM_PRESETS);
    /* Shift+4: the first training lesson, the adding problem at T = 150 with Adam */
    ck_assert(settings_apply_key(&s, UI_KEY_4, UI_MOD_SHIFT) & UI_CHANGED_TRAIN);
    ck_assert_int_eq(s.preset, UI_NUM_PRESETS);
    ck_assert_int_eq(s.sim.seq_len, 150);
    ck_assert_int_eq(s.train_opt, GF_OPT_ADAM);
    ck_assert_int_eq(s.train_batch, 32);
    /* changing a setting leaves the lesson: its caption goes */
    settings_apply_key(&s, UI_KEY_RIGHT, 0);
    ck_assert_int_eq(s.preset, -1);
}
END_TEST

START_TEST(test_title_and_names)
{
    SimConfig c;
    sim_config_default(&c);
    c.seq_len = 1000;
    c.weight_scale = 0.9;
    char buf[256];
    settings_title(&c, 1, buf, sizeof buf);
    ck_assert_ptr_nonnull(strstr(buf, "T=1000"));
    ck_assert_ptr_nonnull(strstr(buf, "scale 0.90"));
    settings_title(&c, 0, buf, sizeof buf);
    ck_assert_ptr_nonnull(strstr(buf, "adding task"));
    ck_assert_ptr_nonnull(strstr(buf, "T = 1000"));
    ck_assert_ptr_nonnull(strstr(buf, "H = 64"));
    ck_assert_ptr_nonnull(strstr(buf, "1 layer"));
    ck_assert_ptr_nonnull(strstr(buf, "pytorch init"));
    ck_assert_ptr_nonnull(strstr(buf, "weight scale 0.90"));
    settings_file_stem(&c, buf, sizeof buf);
    ck_assert_str_eq(buf, "gradflow-all-adding-T1000-H64-L1-s0.90");
    c.cells = 1u << GF_CELL_LSTM | 1u << GF_CELL_RNN;
    settings_command_line(&c, UI_THEME_DARK, UI_VIEW_GRADIENTS, -1, 1, 800, 600, "x.png", buf, sizeof buf);
    ck_assert_ptr_nonnull(strstr(buf, "gradflow export -o x.png --size 800x600 --theme dark --plot-only"));
    ck_assert_ptr_nonnull(strstr(buf, "--cell rnn,lstm"));
    ck_assert_ptr_nonnull(strstr(buf, "--weight-scale 0.9 "));
    ck_assert_ptr_null(strstr(buf, "--layer ")); /* every layer: the default, not written */
    /* the layer chosen with D goes into the command line, when it exists */
    c.layers = 3;
    settings_command_line(&c, UI_THEME_LIGHT, UI_VIEW_GRADIENTS, 1, 0, 800, 600, "x.png", buf, sizeof buf);
    ck_assert_ptr_nonnull(strstr(buf, " --layers 3 --layer 1 "));
    settings_command_line(&c, UI_THEME_LIGHT, UI_VIEW_GRADIENTS, 3, 0, 800, 600, "x.png", buf, sizeof buf);
    ck_assert_ptr_null(strstr(buf, "--layer "));
    /* and back: --layer k arrives as layer_pick k + 1 (0 = every layer, so a zeroed UiOptions) */
    ck_assert_int_eq(settings_layer_from_pick(0, 3), -1);
    ck_assert_int_eq(settings_layer_from_pick(2, 3), 1);
    ck_assert_int_eq(settings_layer_from_pick(4, 3), -1);
    c.layers = 1;
    /* every key a teacher relies on is in the help */
    const char *must[] = {"Right / Left", "Up / Down", "1, 2, 3", "R", "H or F1", "F11 or F", "T",
                          "Ctrl + / Ctrl - / Ctrl 0", "Escape / Q", "Space", ". / Backspace", "M / Shift+M",
                          "E / Shift+E", "K / Shift+K", "X / Shift+X"};
    for (size_t i = 0; i < sizeof must / sizeof *must; i++) {
        int found = 0;
        for (const UiKeyHelp *k = settings_key_help(); k->keys; k++) found |= strcmp(k->keys, must[i]) == 0;
        ck_assert_msg(found, "help lacks %s", must[i]);
    }
}
END_TEST

START_TEST(test_keys_training)
{
    UiSettings s = fresh_();
    settings_apply_preset(&s, 3);
    const SimConfig before = s.sim;
    ck_assert_int_eq(s.train_on, 0);
    ck_assert_int_eq(s.train_opt, GF_OPT_ADAM);
    ck_assert_double_eq(s.train_lr, UI_TRAIN_LR);
    ck_assert_int_eq(s.train_batch, UI_TRAIN_BATCH);
    ck_assert_double_eq(s.train_clip, UI_TRAIN_CLIP);
    /* Space trains and pauses; training keys never ask for a recomputation of the model */
    int f = settings_apply_key(&s, UI_KEY_SPACE, 0);
    ck_assert(f & UI_CHANGED_TRAIN);
    ck_assert(!(f & UI_CHANGED_SIM));
    ck_assert_int_eq(s.train_on, 1);
    /* . pauses and steps once; Backspace pauses and rewinds */
    f = settings_apply_key(&s, UI_KEY_PERIOD, 0);
    ck_assert(f & UI_ACT_TRAIN_STEP);
    ck_assert(!(f & UI_ACT_TRAIN_REWIND));
    ck_assert_int_eq(s.train_on, 0);
    settings_apply_key(&s, UI_KEY_SPACE, 0);
    f = settings_apply_key(&s, UI_KEY_BACKSPACE, 0);
    ck_assert(f & UI_ACT_TRAIN_REWIND);
    ck_assert(!(f & UI_ACT_TRAIN_STEP));
    ck_assert_int_eq(s.train_on, 0);
    /* M: adam -> sgd -> rmsprop -> adam; Shift+M back */
    settings_apply_key(&s, UI_KEY_M, 0);
    ck_assert_int_eq(s.train_opt, GF_OPT_SGD);
    settings_apply_key(&s, UI_KEY_M, 0);
    ck_assert_int_eq(s.train_opt, GF_OPT_RMSPROP);
    settings_apply_key(&s, UI_KEY_M, UI_MOD_SHIFT);
    ck_assert_int_eq(s.train_opt, GF_OPT_SGD);
    /* E: the learning-rate ladder 1e-4 ... 1, stopping at its ends */
    settings_apply_key(&s, UI_KEY_E, 0);
    ck_assert_double_eq_tol(s.train_lr, 0.03, 1e-15);
    settings_apply_key(&s, UI_KEY_E, UI_MOD_SHIFT);
    settings_apply_key(&s, UI_KEY_E, UI_MOD_SHIFT);
    ck_assert_double_eq_tol(s.train_lr, 0.003, 1e-15);
    for (int i = 0; i < 20; i++) settings_apply_key(&s, UI_KEY_E, 0);
    ck_assert_double_eq(s.train_lr, 1.0);
    ck_assert_int_eq(settings_apply_key(&s, UI_KEY_E, 0), 0);
    /* K: batch doubles / halves within 1 ... UI_TRAIN_BATCH_MAX */
    settings_apply_key(&s, UI_KEY_K, 0);
    ck_assert_int_eq(s.train_batch, 2 * UI_TRAIN_BATCH);
    for (int i = 0; i < 20; i++) settings_apply_key(&s, UI_KEY_K, UI_MOD_SHIFT);
    ck_assert_int_eq(s.train_batch, 1);
    for (int i = 0; i < 20; i++) settings_apply_key(&s, UI_KEY_K, 0);
    ck_assert_int_eq(s.train_batch, UI_TRAIN_BATCH_MAX);
    /* X: the clip ladder, down to 0 (off) */
    settings_apply_key(&s, UI_KEY_X, 0);
    ck_assert_double_eq(s.train_clip, 2.0);
    for (int i = 0; i < 20; i++) settings_apply_key(&s, UI_KEY_X, UI_MOD_SHIFT);
    ck_assert_double_eq(s.train_clip, 0.0);
    /* the model and the lesson on screen are untouched */
    ck_assert_int_eq(s.preset, 3);
    ck_assert(memcmp(&before, &s.sim, sizeof before) == 0);
    /* what trains: the shown model at the training batch, PyTorch's defaults for the optimizer */
    TrainConfig tc;
    settings_train_config(&s, &tc);
    ck_assert_int_eq(tc.sim.batch, UI_TRAIN_BATCH_MAX);
    ck_assert_int_eq(tc.sim.seq_len, s.sim.seq_len);
    ck_assert_int_eq(tc.optim.kind, GF_OPT_SGD);
    ck_assert_double_eq(tc.optim.lr, 1.0);
    ck_assert_double_eq(tc.clip, 0.0);
    /* the ladders' rungs and indices agree */
    for (int i = 0; i < UI_LR_RUNGS; i++) ck_assert_int_eq(settings_lr_index(settings_lr_at(i)), i);
    for (int i = 0; i < UI_CLIP_RUNGS; i++) ck_assert_int_eq(settings_clip_index(settings_clip_at(i)), i);
    /* Tab reaches the training view, named for the command line */
    UiSettings t = fresh_();
    for (int i = 0; i < 3; i++) settings_apply_key(&t, UI_KEY_TAB, 0);
    ck_assert_int_eq(t.view, UI_VIEW_TRAINING);
    ck_assert_str_eq(settings_view_name(t.view), "training");
}
END_TEST

/* ---------------------------------------------------------------- layout ---------------------- */

/* Whether widget id belongs in view's panel: the training block only in the training view, which
 * leaves out the cell looked inside, the layer drawn and the lessons. */
static int panel_in_view_(int id, UiView v)
{
    int train = id >= PANEL_TRAIN_RUN && id <= PANEL_TRAIN_CLIP;
    int other = id == PANEL_INSIDE || id == PANEL_LAYER_SHOWN || (id >= PANEL_PRESET0 && id < PANEL_PRESET0 + UI_NUM_PRESETS);
    return v == UI_VIEW_TRAINING ? !other : !train;
}

static void check_frame_(int w, int h, double min_scale, int panel)
{
    UiMetrics m;
    layout_metrics(&m, layout_scale(w, h, min_scale, 1.0));
    UiFrame f;
    layout_frame(&f, w, h, &m, panel, 1, 1, (int)(m.font_body * 3.8), m.font_tick * 3);
    UiRect screen = ui_rect(0, 0, w, h);
    UiRect parts[] = {f.title, f.caption, f.legend, f.annot, f.yticks, f.plot, f.xticks, f.xlabel, f.status};
    for (size_t i = 0; i < sizeof parts / sizeof *parts; i++) {
        ck_assert_msg(ui_rect_inside(parts[i], screen), "part %zu outside at %dx%d", i, w, h);
        ck_assert_msg(!panel || !ui_rect_overlaps(parts[i], f.panel), "part %zu under the panel", i);
    }
    /* stacked top to bottom without overlap */
    ck_assert(f.title.y + f.title.h <= f.caption.y + (f.caption.h ? 0 : f.title.h));
    ck_assert(!ui_rect_overlaps(f.legend, f.plot));
    ck_assert(!ui_rect_overlaps(f.annot, f.plot));
    ck_assert(!ui_rect_overlaps(f.plot, f.xticks));
    ck_assert(!ui_rect_overlaps(f.xticks, f.xlabel));
    ck_assert(!ui_rect_overlaps(f.xlabel, f.status));
    ck_assert(!ui_rect_overlaps(f.yticks, f.plot));
    /* the top tick label, centred on the plot's top edge, clears the axis title above it */
    UiRect top_tick = layout_tick_label_box(&f, &m, f.plot.y, m.font_tick * 3);
    ck_assert_msg(!ui_rect_overlaps(top_tick, f.annot), "the top tick label runs into the axis title at %dx%d", w, h);
    ck_assert(top_tick.x >= 0);
    /* the plot keeps most of the room */
    ck_assert_msg(f.plot.w >= w * 45 / 100, "plot %d wide at %dx%d", f.plot.w, w, h);
    ck_assert_msg(f.plot.h >= h * (h < 400 ? 25 : 35) / 100, "plot %d high at %dx%d", f.plot.h, w, h);
    if (panel) {
        ck_assert(ui_rect_inside(f.panel, screen));
        for (int v = 0; v < UI_NUM_VIEWS; v++) {
        PanelLayout pl;
        panel_layout_view(&pl, f.panel, &m, (UiView)v);
        for (int a = 1; a < PANEL_NUM_IDS; a++) {
            if (!panel_in_view_(a, (UiView)v)) {
                ck_assert_msg(pl.widget[a].w == 0, "widget %d of another view laid out in view %d", a, v);
                continue;
            }
            ck_assert_msg(pl.widget[a].w > 0 && pl.widget[a].h > 0, "widget %d has no room in view %d", a, v);
            ck_assert_msg(ui_rect_inside(pl.widget[a], f.panel), "widget %d outside the panel at %dx%d", a, w, h);
            for (int b = a + 1; b < PANEL_NUM_IDS; b++)
                ck_assert_msg(!ui_rect_overlaps(pl.widget[a], pl.widget[b]), "widgets %d and %d overlap", a, b);
            for (int k = 0; k < pl.nlabels; k++) ck_assert(!ui_rect_overlaps(pl.widget[a], pl.label[k]));
        }
        ck_assert_msg(pl.font_px >= 9, "panel text %d px in view %d at %dx%d", pl.font_px, v, w, h);
        /* "all" and 0 ... 7: nine segments on the layer-drawn line, each wide enough for "all" */
        if (v != UI_VIEW_TRAINING)
            ck_assert_msg(pl.widget[PANEL_LAYER_SHOWN].w / 9 >= 2 * pl.small_px, "layer drawn squeezed at %dx%d", w, h);
        ck_assert(pl.widget[PANEL_LAYERS].w / 8 >= 2 * pl.small_px);
        }
    }
}

START_TEST(test_layout_sizes)
{
    check_frame_(960, 540, 0.5, 1); /* the smallest export the command line accepts */
    check_frame_(960, 540, 0.5, 0);
    check_frame_(960, 540, 0.8, 1); /* a window that small */
    check_frame_(1024, 640, 0.5, 1);
    check_frame_(1024, 640, 0.8, 1);
    check_frame_(1024, 640, 0.8, 0);
    check_frame_(1280, 720, 0.8, 1);
    check_frame_(1920, 1080, 0.8, 1);
    check_frame_(2560, 1440, 0.8, 1);
    check_frame_(3840, 2160, 0.8, 1);
    check_frame_(7680, 4320, 0.5, 1);
    check_frame_(7680, 4320, 0.5, 0);
    check_frame_(320, 240, 0.5, 0); /* the smallest export, --plot-only */
    check_frame_(800, 1200, 0.8, 1); /* portrait */
}
END_TEST

/* The legend's lines, the numbers line included, are at least 2.5 % of the picture's height at
 * every export size (text of that size reads on a projected slide from the back of a room). */
START_TEST(test_legend_text_reads_on_a_projector)
{
    static const int sizes[][2] = {{960, 540}, {1920, 1080}, {3840, 2160}, {7680, 4320}};
    for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++) {
        UiMetrics m;
        layout_metrics(&m, layout_scale(sizes[i][0], sizes[i][1], 0.5, 1.0));
        double floor_px = 0.025 * sizes[i][1];
        ck_assert_msg(m.font_legend >= floor_px && m.font_legend_sub >= floor_px, "legend %d / %d px at %dx%d",
                      m.font_legend, m.font_legend_sub, sizes[i][0], sizes[i][1]);
    }
}
END_TEST

START_TEST(test_layout_scale)
{
    ck_assert_double_eq_tol(layout_scale(1920, 1080, 0.5, 1), 1.0, 1e-12);
    ck_assert_double_eq_tol(layout_scale(3840, 2160, 0.5, 1), 2.0, 1e-12);
    ck_assert_double_eq_tol(layout_scale(7680, 4320, 0.5, 1), 4.0, 1e-12);
    ck_assert_double_eq_tol(layout_scale(1024, 640, 0.8, 1), 0.8, 1e-12); /* readable floor */
    ck_assert_double_eq_tol(layout_scale(1920, 1080, 0.5, 1.5), 1.5, 1e-12);
    /* lines at least two pixels wide at 1080p, and growing with the size */
    UiMetrics a, b;
    layout_metrics(&a, 1.0);
    layout_metrics(&b, 2.0);
    ck_assert(a.line_w >= 2.0f);
    ck_assert(b.line_w >= 2 * a.line_w - 0.01f);
    ck_assert(b.font_body == 2 * a.font_body);
}
END_TEST

START_TEST(test_layout_flow)
{
    int w[] = {300, 300, 300, 500};
    UiRect r[4];
    int h = layout_flow(w, 4, 700, 50, 20, 10, 5, 7, r);
    ck_assert_int_eq(r[0].x, 5);
    ck_assert_int_eq(r[0].y, 7);
    ck_assert_int_eq(r[1].x, 5 + 320);
    ck_assert_int_eq(r[2].y, 7 + 60); /* third wraps */
    ck_assert_int_eq(r[3].y, 7 + 120);
    ck_assert_int_eq(h, 3 * 50 + 2 * 10);
    ck_assert_int_eq(layout_flow(w, 0, 700, 50, 20, 10, 0, 0, r), 0);
}
END_TEST

/* ---------------------------------------------------------------- axis ------------------------ */

START_TEST(test_axis_log_range_and_ticks)
{
    double v[] = {1e-40, 3e-12, 0.5, 2.0};
    AxisFit f;
    axis_fit_init(&f);
    axis_fit_add(&f, v, 4);
    PlotMap m;
    axis_build(&m, &f, 1, ui_rect(100, 50, 1000, 800), 100, 30, 40, 80);
    ck_assert(m.lo <= -40 && m.hi >= 1);
    ck_assert(!m.floor_band && !m.top_band);
    /* labels at least 40 px apart, on whole multiples of the step */
    double px_per_step = (m.main_y1 - m.main_y0) * m.major / (m.hi - m.lo);
    ck_assert(px_per_step >= 40);
    /* no data cut off, and at least three labelled lines in the range */
    ck_assert(m.lo <= -40 && m.hi >= log10(2.0));
    ck_assert(floor(m.hi / m.major) - ceil(m.lo / m.major) + 1 >= 3);
    /* decades map linearly, top at main_y0 */
    ck_assert_float_eq_tol(axis_y(&m, pow(10, m.hi)), (float)m.main_y0, 0.01f);
    ck_assert_float_eq_tol(axis_y(&m, pow(10, m.lo)), (float)m.main_y1, 0.01f);
    float y1 = axis_y(&m, 1e-10), y2 = axis_y(&m, 1e-20), y3 = axis_y(&m, 1e-30);
    ck_assert_float_eq_tol(y2 - y1, y3 - y2, 0.01f);
    char buf[32];
    axis_format_y(&m, -5, buf, sizeof buf);
    ck_assert_str_eq(buf, "1e-5");
    axis_format_y(&m, 0, buf, sizeof buf);
    ck_assert_str_eq(buf, "1e0");
    /* labels inside the plot end left of the loss marker at t = T-1 */
    ck_assert_int_le(axis_label_right(&m, 12), (int)floorf(axis_x(&m, 99)) - 12);
    ck_assert_int_le(axis_label_right(&m, 12), m.area.x + m.area.w - 12);
}
END_TEST

START_TEST(test_format_number)
{
    char b[32];
    ck_assert_str_eq(axis_format_number(b, sizeof b, "%.4g", 0.80731), "0.8073");
    ck_assert_str_eq(axis_format_number(b, sizeof b, "%.4g", NAN), "NaN");
    ck_assert_str_eq(axis_format_number(b, sizeof b, "%.4g", -NAN), "NaN"); /* printf says "-nan" */
    ck_assert_str_eq(axis_format_number(b, sizeof b, "%.3g", INFINITY), "inf");
    ck_assert_str_eq(axis_format_number(b, sizeof b, "%.3g", -INFINITY), "\xE2\x88\x92" "inf");
    ck_assert_str_eq(axis_format_number(b, sizeof b, "%.1f", -2.25), "-2.2");
    ck_assert_str_eq(axis_format_number(b, 4, "%.4g", NAN), "NaN");
}
END_TEST

START_TEST(test_axis_floor_and_nonfinite)
{
    double v[] = {0.0, 1e-320, 1e-300, 1e-3, INFINITY, NAN, 1.0};
    AxisFit f;
    axis_fit_init(&f);
    axis_fit_add(&f, v, 7);
    ck_assert(f.any_floor && f.any_nonfinite);
    ck_assert_double_eq(f.vmin, 1e-300); /* 1e-300 itself still shows */
    PlotMap m;
    axis_build(&m, &f, 1, ui_rect(0, 0, 800, 900), 10, 30, 20, 60);
    ck_assert(m.floor_band && m.top_band);
    ck_assert_double_eq_tol(m.lo, -300, 1e-9);
    /* zero and denormals sit in the floor strip, below the axis; inf and NaN in the top strip */
    float yf = axis_y(&m, 0.0);
    ck_assert(yf >= m.floor_y0 && yf < m.floor_y1);
    ck_assert_float_eq(axis_y(&m, 1e-320), yf);
    ck_assert(axis_y(&m, 1e-300) <= (float)m.main_y1 + 0.01f);
    ck_assert(m.floor_y0 > m.main_y1);
    float yi = axis_y(&m, INFINITY);
    ck_assert(yi >= m.top_y0 && yi < m.top_y1 && m.top_y1 <= m.main_y0);
    ck_assert_float_eq(axis_y(&m, NAN), yi);
}
END_TEST

START_TEST(test_axis_flat_and_linear)
{
    double v[] = {0.5, 0.6, 0.55};
    AxisFit f;
    axis_fit_init(&f);
    axis_fit_add(&f, v, 3);
    PlotMap m;
    axis_build(&m, &f, 1, ui_rect(0, 0, 800, 600), 3, 30, 20, 60);
    ck_assert(m.hi - m.lo >= 3); /* a flat curve reads flat */
    axis_build(&m, &f, 0, ui_rect(0, 0, 800, 600), 3, 30, 40, 60);
    ck_assert_double_eq(m.lo, 0);
    ck_assert(m.hi >= 0.6 && m.hi < 1.5);
    ck_assert_float_eq_tol(axis_y(&m, 0), (float)m.main_y1, 0.01f);
    char buf[32];
    axis_format_y(&m, m.major, buf, sizeof buf);
    ck_assert(strchr(buf, 'e') == NULL && strchr(buf, '.') != NULL);
    ck_assert_double_eq(axis_nice_step(0.13), 0.2);
    ck_assert_double_eq(axis_nice_step(3), 5);
    ck_assert_double_eq(axis_nice_step(700), 1000);
}
END_TEST

START_TEST(test_axis_x)
{
    AxisFit f;
    axis_fit_init(&f);
    PlotMap m;
    axis_build(&m, &f, 1, ui_rect(100, 0, 1000, 500), 1000, 30, 20, 80);
    ck_assert(axis_x(&m, 0) > 100 && axis_x(&m, 999) < 1100);
    ck_assert_int_eq(axis_step_at(&m, (int)axis_x(&m, 500)), 500);
    ck_assert_int_eq(axis_step_at(&m, 50), -1);
    ck_assert_int_eq(axis_step_at(&m, 101), 0);
    ck_assert_int_eq(axis_step_at(&m, 1099), 999);
    /* x labels at least 80 px apart */
    ck_assert(axis_x(&m, m.x_major) - axis_x(&m, 0) >= 80);
}
END_TEST

/* ---------------------------------------------------------------- widgets --------------------- */

static const Theme *th_(void) { return theme_get(UI_THEME_LIGHT); }

static UiInput mouse_(int x, int y, int down, int pressed, int released)
{
    UiInput in = {x, y, down, pressed, released, 0};
    return in;
}

START_TEST(test_widget_slider_drag)
{
    static UiCtx ctx;
    memset(&ctx, 0, sizeof ctx);
    UiRect r = ui_rect(100, 10, 301, 30);
    double v = 1.0;
    /* hover only: nothing changes, but it becomes hot */
    UiInput in = mouse_(200, 20, 0, 0, 0);
    ui_begin(&ctx, &in, th_(), 16, 14, 1);
    ck_assert_int_eq(widget_slider(&ctx, 7, r, &v, 0, 3, 0.01, "%.2f"), 0);
    ck_assert_int_eq(ctx.hot, 7);
    ui_end(&ctx);
    ck_assert(ctx.ncmd > 0);
    /* press at the left end: 0 */
    in = mouse_(100, 20, 1, 1, 0);
    ui_begin(&ctx, &in, th_(), 16, 14, 1);
    ck_assert_int_eq(widget_slider(&ctx, 7, r, &v, 0, 3, 0.01, "%.2f"), 1);
    ui_end(&ctx);
    ck_assert_double_eq_tol(v, 0.0, 1e-9);
    ck_assert_int_eq(ctx.active, 7);
    /* drag past the right end, outside the widget: still tracking, clamped at 3 */
    in = mouse_(900, 300, 1, 0, 0);
    ui_begin(&ctx, &in, th_(), 16, 14, 1);
    ck_assert_int_eq(widget_slider(&ctx, 7, r, &v, 0, 3, 0.01, "%.2f"), 1);
    ui_end(&ctx);
    ck_assert_double_eq_tol(v, 3.0, 1e-9);
    /* to the middle: 1.5 on the 0.01 grid */
    in = mouse_(250, 20, 1, 0, 0);
    ui_begin(&ctx, &in, th_(), 16, 14, 1);
    widget_slider(&ctx, 7, r, &v, 0, 3, 0.01, "%.2f");
    ui_end(&ctx);
    ck_assert_double_eq_tol(v, 1.5, 1e-9);
    ck_assert_double_eq_tol(fmod(v * 100, 1.0), 0, 1e-6);
    /* release: inactive; moving again changes nothing */
    in = mouse_(250, 20, 0, 0, 1);
    ui_begin(&ctx, &in, th_(), 16, 14, 1);
    widget_slider(&ctx, 7, r, &v, 0, 3, 0.01, "%.2f");
    ui_end(&ctx);
    ck_assert_int_eq(ctx.active, 0);
    in = mouse_(120, 20, 0, 0, 0);
    ui_begin(&ctx, &in, th_(), 16, 14, 1);
    ck_assert_int_eq(widget_slider(&ctx, 7, r, &v, 0, 3, 0.01, "%.2f"), 0);
    ui_end(&ctx);
    ck_assert_double_eq_tol(v, 1.5, 1e-9);
    /* a press elsewhere does not grab it */
    in = mouse_(50, 20, 1, 1, 0);
    ui_begin(&ctx, &in, th_(), 16, 14, 1);
    ck_assert_int_eq(widget_slider(&ctx, 7, r, &v, 0, 3, 0.01, "%.2f"), 0);
    ui_end(&ctx);
}
END_TEST

/* The weight-scale slider reaches the command line's range: 0 at its left end, 100 at its right,
 * 1 in the middle of a log scale, and a column's value sits at that column. */
START_TEST(test_weight_scale_slider_reaches_100)
{
    UiRect r = ui_rect(10, 0, 302, 20);
    ck_assert(widget_slider_log0_value(r, 10, UI_SCALE_LOG_LO, UI_SCALE_MAX) == 0.0);
    ck_assert(widget_slider_log0_value(r, 311, UI_SCALE_LOG_LO, UI_SCALE_MAX) == UI_SCALE_MAX);
    ck_assert_double_eq_tol(widget_slider_log0_value(r, 161, UI_SCALE_LOG_LO, UI_SCALE_MAX), 1.0, 0.05);
    double prev = -1;
    for (int x = 10; x <= 311; x++) {
        double v = widget_slider_log0_value(r, x, UI_SCALE_LOG_LO, UI_SCALE_MAX);
        ck_assert_msg(v >= prev, "not increasing at %d", x);
        prev = v;
        int back = widget_slider_log0_pos(r, v, UI_SCALE_LOG_LO, UI_SCALE_MAX);
        ck_assert_msg(abs(back - x) <= 1 || v < 0.5, "%g at column %d sits at %d", v, x, back); /* rounded to 0.01 */
    }
    ck_assert_int_eq(widget_slider_log0_pos(r, 0.0, UI_SCALE_LOG_LO, UI_SCALE_MAX), 10);
    ck_assert_int_eq(widget_slider_log0_pos(r, 100.0, UI_SCALE_LOG_LO, UI_SCALE_MAX), 311);
    /* a press on the right end sets 100; the keys go there too */
    static UiCtx ctx;
    memset(&ctx, 0, sizeof ctx);
    double v = 1.0;
    UiInput in = mouse_(311, 10, 1, 1, 0);
    ui_begin(&ctx, &in, th_(), 16, 14, 1);
    ck_assert_int_eq(widget_slider_log0(&ctx, 3, r, &v, UI_SCALE_LOG_LO, UI_SCALE_MAX), 1);
    ui_end(&ctx);
    ck_assert(v == 100.0);
    UiSettings s;
    SimConfig c;
    sim_config_default(&c);
    c.weight_scale = 99.98;
    settings_init(&s, &c, UI_THEME_LIGHT);
    ck_assert(settings_apply_key(&s, UI_KEY_RIGHT, 0) & UI_CHANGED_SIM);
    ck_assert_double_eq_tol(s.sim.weight_scale, 100.0, 1e-12);
}
END_TEST

START_TEST(test_widget_slider_log_and_wheel)
{
    UiRect r = ui_rect(0, 0, 1000, 20);
    ck_assert_int_eq(widget_slider_log_value(r, 0, 10, 5000), 10);
    ck_assert_int_eq(widget_slider_log_value(r, 999, 10, 5000), 5000);
    int mid = widget_slider_log_value(r, 500, 10, 5000); /* geometric middle: sqrt(50000) = 224 */
    ck_assert(mid > 200 && mid < 250);
    ck_assert_int_eq(widget_slider_pos(r, 0.0, 0, 3), 0);
    ck_assert_int_eq(widget_slider_pos(r, 3.0, 0, 3), 999);
    static UiCtx ctx;
    memset(&ctx, 0, sizeof ctx);
    int T = 100;
    UiInput in = mouse_(500, 10, 0, 0, 0);
    in.wheel = 4; /* four steps of 2^(1/4): doubles */
    ui_begin(&ctx, &in, th_(), 16, 14, 1);
    ck_assert_int_eq(widget_slider_log(&ctx, 3, r, &T, 10, 5000, "T = %d"), 1);
    ui_end(&ctx);
    ck_assert_int_eq(T, 200);
    double v = NAN; /* "as initialised": the wheel starts from 0 */
    in.wheel = 1;
    ui_begin(&ctx, &in, th_(), 16, 14, 1);
    ck_assert_int_eq(widget_slider(&ctx, 4, r, &v, -5, 5, 0.1, "%.1f"), 1);
    ui_end(&ctx);
    ck_assert_double_eq_tol(v, 0.1, 1e-12);
}
END_TEST

START_TEST(test_widget_click_semantics)
{
    static UiCtx ctx;
    memset(&ctx, 0, sizeof ctx);
    UiRect r = ui_rect(0, 0, 100, 30);
    int on = 0;
    /* press and release on it: toggles */
    UiInput in = mouse_(10, 10, 1, 1, 0);
    ui_begin(&ctx, &in, th_(), 16, 14, 1);
    ck_assert_int_eq(widget_toggle(&ctx, 1, r, &on, "x", th_()->cell[0]), 0);
    ui_end(&ctx);
    in = mouse_(10, 10, 0, 0, 1);
    ui_begin(&ctx, &in, th_(), 16, 14, 1);
    ck_assert_int_eq(widget_toggle(&ctx, 1, r, &on, "x", th_()->cell[0]), 1);
    ui_end(&ctx);
    ck_assert_int_eq(on, 1);
    /* press on it, release elsewhere: cancelled */
    in = mouse_(10, 10, 1, 1, 0);
    ui_begin(&ctx, &in, th_(), 16, 14, 1);
    widget_toggle(&ctx, 1, r, &on, "x", th_()->cell[0]);
    ui_end(&ctx);
    in = mouse_(300, 10, 0, 0, 1);
    ui_begin(&ctx, &in, th_(), 16, 14, 1);
    ck_assert_int_eq(widget_toggle(&ctx, 1, r, &on, "x", th_()->cell[0]), 0);
    ui_end(&ctx);
    ck_assert_int_eq(on, 1);
    /* press and release within one frame: a click */
    in = mouse_(10, 10, 0, 1, 1);
    ui_begin(&ctx, &in, th_(), 16, 14, 1);
    ck_assert_int_eq(widget_button(&ctx, 2, r, "b"), 1);
    ui_end(&ctx);
    /* segments: the third of three */
    int k = 0;
    const char *names[] = {"a", "b", "c"};
    in = mouse_(90, 10, 0, 1, 1);
    ui_begin(&ctx, &in, th_(), 16, 14, 1);
    ck_assert_int_eq(widget_segments(&ctx, 3, r, &k, 3, names), 1);
    ui_end(&ctx);
    ck_assert_int_eq(k, 2);
}
END_TEST

START_TEST(test_panel_binds_settings)
{
    static UiCtx ctx;
    memset(&ctx, 0, sizeof ctx);
    UiMetrics m;
    layout_metrics(&m, 1.0);
    PanelLayout pl;
    panel_layout(&pl, ui_rect(1490, 0, 430, 1080), &m);
    UiSettings s = fresh_();
    /* click the LSTM toggle: the LSTM is hidden and a recomputation asked for */
    UiRect r = pl.widget[PANEL_LSTM];
    UiInput in = mouse_(r.x + 5, r.y + r.h / 2, 0, 1, 1);
    ui_begin(&ctx, &in, th_(), pl.font_px, pl.small_px, 1);
    int fl = panel_run(&ctx, &pl, &s);
    ui_end(&ctx);
    ck_assert(fl & UI_CHANGED_SIM);
    ck_assert(!(s.sim.cells & (1u << GF_CELL_LSTM)));
    /* the "exploding" lesson button */
    r = pl.widget[PANEL_PRESET0 + 1];
    in = mouse_(r.x + r.w / 2, r.y + r.h / 2, 0, 1, 1);
    ui_begin(&ctx, &in, th_(), pl.font_px, pl.small_px, 1);
    fl = panel_run(&ctx, &pl, &s);
    ui_end(&ctx);
    ck_assert(fl & UI_CHANGED_SIM);
    ck_assert_int_eq(s.preset, 1);
    ck_assert_double_eq_tol(s.sim.weight_scale, 1.5, 1e-12);
    /* the save button asks for a save */
    r = pl.widget[PANEL_SAVE];
    in = mouse_(r.x + 3, r.y + 3, 0, 1, 1);
    ui_begin(&ctx, &in, th_(), pl.font_px, pl.small_px, 1);
    ck_assert(panel_run(&ctx, &pl, &s) & UI_ACT_SAVE);
    ui_end(&ctx);
    /* layers go to 8, as on the command line; with 8 the layer drawn offers all, 0 ... 7 */
    r = pl.widget[PANEL_LAYERS];
    in = mouse_(r.x + r.w - 3, r.y + r.h / 2, 0, 1, 1);
    ui_begin(&ctx, &in, th_(), pl.font_px, pl.small_px, 1);
    ck_assert(panel_run(&ctx, &pl, &s) & UI_CHANGED_SIM);
    ui_end(&ctx);
    ck_assert_int_eq(s.sim.layers, 8);
    r = pl.widget[PANEL_LAYER_SHOWN];
    in = mouse_(r.x + r.w - 3, r.y + r.h / 2, 0, 1, 1);
    ui_begin(&ctx, &in, th_(), pl.font_px, pl.small_px, 1);
    ck_assert(panel_run(&ctx, &pl, &s) & UI_CHANGED_VIEW);
    ui_end(&ctx);
    ck_assert_int_eq(s.layer_shown, 7);
    int shown8 = 0, all_text = 0;
    for (int i = 0; i < ctx.ncmd; i++)
        if (ctx.cmds[i].type == UI_CMD_TEXT && ui_rect_inside(ctx.cmds[i].r, pl.widget[PANEL_LAYER_SHOWN])) {
            shown8++;
            all_text |= strcmp(ctx.cmds[i].text, "all") == 0;
        }
    ck_assert_int_eq(shown8, 9);
    ck_assert(all_text);
    /* no input: nothing changes */
    UiSettings before = s;
    in = mouse_(-1, -1, 0, 0, 0);
    ui_begin(&ctx, &in, th_(), pl.font_px, pl.small_px, 1);
    ck_assert_int_eq(panel_run(&ctx, &pl, &s), 0);
    ui_end(&ctx);
    ck_assert(memcmp(&before.sim, &s.sim, sizeof s.sim) == 0);
}
END_TEST

/* ---------------------------------------------------------------- plot data ------------------- */

START_TEST(test_plotdata_orders_and_bound)
{
    PlotData pd;
    memset(&pd, 0, sizeof pd);
    ck_assert_int_eq(plotdata_alloc(&pd, 1u << GF_CELL_RNN | 1u << GF_CELL_LSTM, 2, 11), 0);
    PlotCell *rnn = &pd.cell[GF_CELL_RNN];
    ck_assert_ptr_nonnull(pd.cell[GF_CELL_LSTM].grad_c);
    ck_assert_ptr_null(rnn->grad_c);
    ck_assert_int_eq(pd.cell[GF_CELL_GRU].ran, 0);
    for (int t = 0; t < 11; t++) rnn->grad_h[11 + t] = pow(10.0, -(10 - t) * 0.5); /* layer 1 */
    rnn->sigma_max[1][0] = 0.1;
    double o;
    const char *why;
    ck_assert_int_eq(plotdata_orders(rnn, 1, &o, &why), 0);
    ck_assert_double_eq_tol(o, 5.0, 1e-12); /* from 1e0 at t = 10 to 1e-5 at t = 0 */
    /* the bound: g_{T-1} sigma^(T-1-t) = 10^-(10-t) */
    ck_assert_double_eq_tol(plotdata_bound_log10(rnn, 1, 4), -6.0, 1e-12);
    ck_assert_double_eq_tol(plotdata_bound_log10(rnn, 1, 10), 0.0, 1e-12);
    ck_assert(isnan(plotdata_bound_log10(&pd.cell[GF_CELL_LSTM], 0, 3)));
    rnn->grad_h[11] = 0.0;
    ck_assert_int_eq(plotdata_orders(rnn, 1, &o, &why), -1);
    ck_assert_ptr_nonnull(strstr(why, "0"));
    rnn->grad_h[11] = INFINITY;
    ck_assert_int_eq(plotdata_orders(rnn, 1, &o, &why), -1);
    ck_assert_ptr_nonnull(strstr(why, "inf"));
    rnn->grad_h[11] = NAN;
    ck_assert_int_eq(plotdata_orders(rnn, 1, &o, &why), -1);
    ck_assert_str_eq(why, "NaN");
    ck_assert_int_eq(plotdata_legend_layer(rnn, -1), 1);
    ck_assert_int_eq(plotdata_legend_layer(rnn, 0), 0);
    ck_assert_int_eq(plotdata_legend_layer(rnn, 5), 1);
    plotdata_free(&pd);
    ck_assert_ptr_null(pd.block);
    plotdata_free(&pd); /* twice is fine */
}
END_TEST

/* ---------------------------------------------------------------- PNG text -------------------- */

START_TEST(test_pngtext)
{
    /* a minimal PNG: signature, IHDR (1x1 grey), IDAT, IEND; only IHDR's position matters here */
    uint8_t png[8 + 25 + 12 + 12] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R',
                                     0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0};
    uint32_t crc = png_crc32(0, png + 12, 17);
    png[29] = (uint8_t)(crc >> 24), png[30] = (uint8_t)(crc >> 16), png[31] = (uint8_t)(crc >> 8), png[32] = (uint8_t)crc;
    memcpy(png + 33, "\0\0\0\0IDAT\x35\xAF\x06\x1E", 12);
    memcpy(png + 45, "\0\0\0\0IEND\xAE\x42\x60\x82", 12);
    /* the CRC of "IEND" is the well-known AE426082 */
    ck_assert_uint_eq(png_crc32(0, (const uint8_t *)"IEND", 4), 0xAE426082u);
    uint8_t *out = NULL;
    size_t len = 0;
    ck_assert_int_eq(png_add_text(png, sizeof png, "Comment", "gradflow export -o a.png", &out, &len), 0);
    ck_assert_uint_eq(len, sizeof png + 12 + 8 + 24);
    ck_assert(memcmp(out + 37, "tEXt", 4) == 0); /* right after IHDR */
    char buf[128];
    ck_assert_int_eq(png_find_text(out, len, "Comment", buf, sizeof buf), 0);
    ck_assert_str_eq(buf, "gradflow export -o a.png");
    ck_assert_int_eq(png_find_text(out, len, "Title", buf, sizeof buf), -1);
    /* non-ASCII text goes into iTXt, read back the same */
    uint8_t *out2 = NULL;
    size_t len2 = 0;
    ck_assert_int_eq(png_add_text(out, len, "Title", "caf\xC3\xA9", &out2, &len2), 0);
    ck_assert(memcmp(out2 + 37, "iTXt", 4) == 0);
    ck_assert_int_eq(png_find_text(out2, len2, "Title", buf, sizeof buf), 0);
    ck_assert_str_eq(buf, "caf\xC3\xA9");
    ck_assert_int_eq(png_find_text(out2, len2, "Comment", buf, sizeof buf), 0);
    /* a corrupted chunk is not trusted */
    out2[37 + 4 + 6] ^= 1;
    ck_assert_int_eq(png_find_text(out2, len2, "Title", buf, sizeof buf), -1);
    /* not a PNG, bad keywords */
    uint8_t junk[64] = {0};
    uint8_t *o3 = NULL;
    size_t l3;
    ck_assert(png_add_text(junk, sizeof junk, "Comment", "x", &o3, &l3) != 0);
    ck_assert(png_add_text(png, sizeof png, "", "x", &o3, &l3) != 0);
    ck_assert(png_add_text(png, sizeof png, "bad\nkey", "x", &o3, &l3) != 0);
    free(out);
    free(out2);
}
END_TEST

static Suite *suite_(void)
{
    Suite *s = suite_create("ui_logic");
    TCase *k = tcase_create("keys");
    tcase_add_test(k, test_keys_weight_scale);
    tcase_add_test(k, test_keys_seq_len_ladder);
    tcase_add_test(k, test_link_options_reopen_the_window);
    tcase_add_test(k, test_keys_cells_seed_quit);
    tcase_add_test(k, test_keys_view_toggles);
    tcase_add_test(k, test_keys_model);
    tcase_add_test(k, test_presets);
    tcase_add_test(k, test_title_and_names);
    tcase_add_test(k, test_keys_training);
    suite_add_tcase(s, k);
    TCase *l = tcase_create("layout");
    tcase_add_test(l, test_layout_sizes);
    tcase_add_test(l, test_layout_scale);
    tcase_add_test(l, test_legend_text_reads_on_a_projector);
    tcase_add_test(l, test_layout_flow);
    suite_add_tcase(s, l);
    TCase *a = tcase_create("axis");
    tcase_add_test(a, test_axis_log_range_and_ticks);
    tcase_add_test(a, test_format_number);
    tcase_add_test(a, test_axis_floor_and_nonfinite);
    tcase_add_test(a, test_axis_flat_and_linear);
    tcase_add_test(a, test_axis_x);
    suite_add_tcase(s, a);
    TCase *w = tcase_create("widgets");
    tcase_add_test(w, test_widget_slider_drag);
    tcase_add_test(w, test_widget_slider_log_and_wheel);
    tcase_add_test(w, test_weight_scale_slider_reaches_100);
    tcase_add_test(w, test_widget_click_semantics);
    tcase_add_test(w, test_panel_binds_settings);
    suite_add_tcase(s, w);
    TCase *d = tcase_create("data");
    tcase_add_test(d, test_plotdata_orders_and_bound);
    tcase_add_test(d, test_pngtext);
    suite_add_tcase(s, d);
    return s;
}

GF_CHECK_MAIN(suite_)
