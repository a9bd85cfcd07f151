/* test_ui_training.c - the training view drawn headless from hand-made snapshots: the loss curves,
 * the baseline, the gradient profiles and the gates sit where the data puts them; the panel's
 * training block drives the settings; the export trains before it draws. */
#include <check.h>
#include <SDL.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "export.h"
#include "uitest.h"
#include "testutil.h"

#define STEPS 200
#define SEQ 50

/* Losses with a known shape: the rnn near the baseline, the lstm falling ten-fold. */
static double loss_(int c, int i) { return c == GF_CELL_RNN ? 0.2 : 0.5 * pow(10.0, -(double)i / STEPS); }

static void snapshot_(TrainSnapshot *s, unsigned cells, GfTask task)
{
    memset(s, 0, sizeof *s);
    sim_config_default(&s->cfg.sim);
    s->cfg.sim.cells = cells;
    s->cfg.sim.task = task;
    s->cfg.sim.seq_len = SEQ;
    s->cfg.sim.batch = 32;
    optim_config_default(&s->cfg.optim, GF_OPT_ADAM, 0.01);
    s->cfg.clip = 1.0;
    for (int c = 0; c < GF_NUM_CELLS; c++) {
        if (!(cells & (1u << c))) continue;
        for (int i = 0; i < STEPS; i++)
            ck_assert_int_eq(trainsnap_push(s, c, loss_(c, i), c == GF_CELL_RNN ? 3.0 : 0.3, c == GF_CELL_RNN && i % 2,
                                            task == GF_TASK_ADDING ? NAN : 0.5, c == GF_CELL_RNN ? NAN : 0.25 + i * 0.003),
                             0);
    }
    s->step = STEPS;
    s->epoch = 1;
}

static double norm_(int c, int l, int t, int is_c)
{
    (void)l;
    return pow(10.0, -(SEQ - 1 - t) * (c == GF_CELL_RNN ? 0.2 : is_c ? 0.01 : 0.05));
}

typedef struct Drawn {
    SDL_Surface *surf;
    SDL_Renderer *ren;
    ViewState vs;
} Drawn;

static void draw_(Drawn *d, const PlotData *pd, UiSettings *set, int w, int h, const TrainSnapshot *ts)
{
    memset(d, 0, sizeof *d);
    d->surf = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
    ck_assert_ptr_nonnull(d->surf);
    d->ren = SDL_CreateSoftwareRenderer(d->surf);
    ck_assert_ptr_nonnull(d->ren);
    GfError err = {0};
    ck_assert_msg(view_init(&d->vs, d->ren, &err) == 0, "%s", err.msg);
    ViewModel vm;
    memset(&vm, 0, sizeof vm);
    vm.set = set;
    vm.data = pd;
    vm.w = w;
    vm.h = h;
    vm.scale = export_scale(w, h);
    vm.in.mx = vm.in.my = -1;
    vm.train = ts;
    vm.train_profile_step = ts ? ts->step : -1;
    view_draw(&d->vs, &vm);
    SDL_RenderFlush(d->ren);
}

static void drawn_free_(Drawn *d)
{
    view_free(&d->vs);
    SDL_DestroyRenderer(d->ren);
    SDL_FreeSurface(d->surf);
}

START_TEST(test_loss_where_the_data_says)
{
    unsigned cells = 1u << GF_CELL_RNN | 1u << GF_CELL_LSTM;
    TrainSnapshot ts;
    snapshot_(&ts, cells, GF_TASK_ADDING);
    PlotData pd;
    memset(&pd, 0, sizeof pd);
    ut_plotdata(&pd, cells, 1, SEQ, norm_, 0.9);
    UiSettings s = ut_settings(SEQ);
    s.sim.cells = cells;
    s.view = UI_VIEW_TRAINING;
    Drawn d;
    draw_(&d, &pd, &s, 1920, 1080, &ts);
    const TrainView *tv = &d.vs.training;
    const Theme *th = theme_get(UI_THEME_LIGHT);
    ck_assert(tv->loss.area.w > 300 && tv->loss.log);
    ck_assert_int_eq(tv->acc.area.w, 0); /* adding has no accuracy */
    ck_assert(tv->gate.area.w > 0);      /* the lstm has a forget gate */
    /* the y range holds the data and the baseline */
    ck_assert(tv->loss.lo <= log10(loss_(GF_CELL_LSTM, STEPS - 1)) && tv->loss.hi >= log10(0.5));
    ck_assert_double_eq_tol(tv->baseline, 1.0 / 6.0, 1e-15);
    /* the smoothed curves (mean of the last w steps) at (x(i), y(mean)), and not 14 px off */
    int w = tv->smooth_w;
    ck_assert_int_eq(w, STEPS / 40);
    int near_l = 0, probes = 0;
    for (int i = 10; i < STEPS - 5; i += 17, probes++) {
        double ml = 0;
        for (int j = i - w + 1; j <= i; j++) ml += loss_(GF_CELL_LSTM, j);
        ml /= w;
        int x = (int)floorf(axis_x(&tv->loss, i));
        int yr = (int)floorf(axis_y(&tv->loss, 0.2)), yl = (int)floorf(axis_y(&tv->loss, ml));
        ck_assert_msg(ut_count(d.surf, ui_rect(x - 1, yr - 1, 3, 3), th->cell[GF_CELL_RNN], 30) > 0, "rnn loss not at step %d", i);
        ck_assert(ut_count(d.surf, ui_rect(x - 1, yr - 15, 3, 3), th->cell[GF_CELL_RNN], 30) == 0);
        ck_assert(ut_count(d.surf, ui_rect(x - 1, yr + 13, 3, 3), th->cell[GF_CELL_RNN], 30) == 0);
        near_l += ut_count(d.surf, ui_rect(x - 2, yl - 2, 5, 5), th->cell[GF_CELL_LSTM], 40) > 0;
    }
    ck_assert_int_gt(near_l, probes * 2 / 3); /* dashed: most probes */
    /* the baseline: a dashed muted line across at y(1/6), with its label */
    int yb = (int)floorf(axis_y(&tv->loss, 1.0 / 6.0));
    ck_assert_int_gt(ut_count(d.surf, ui_rect(tv->loss.area.x, yb - 1, tv->loss.area.w / 3, 3), th->fg_muted, 90), 20);
    /* the mean forget gate on [0, 1] where the data says */
    ck_assert(!tv->gate.log && tv->gate.lo == 0 && tv->gate.hi == 1);
    for (int i = 20; i < STEPS; i += 45) {
        int x = (int)floorf(axis_x(&tv->gate, i)), y = (int)floorf(axis_y(&tv->gate, 0.25 + i * 0.003));
        ck_assert_msg(ut_count(d.surf, ui_rect(x - 2, y - 2, 5, 5), th->cell[GF_CELL_LSTM], 40) > 0, "gate not at %d", i);
    }
    /* the current gradient profile: the rnn's ||dL/dh_t|| at y(norm) */
    for (int t = 5; t < SEQ - 2; t += 9) {
        int x = (int)floorf(axis_x(&tv->prof, t)), y = (int)floorf(axis_y(&tv->prof, norm_(GF_CELL_RNN, 0, t, 0)));
        ck_assert_msg(ut_count(d.surf, ui_rect(x - 2, y - 2, 5, 5), th->cell[GF_CELL_RNN], 40) > 0, "profile not at t = %d", t);
    }
    /* clipping: the rnn's strip is marked on every other step, the lstm's never */
    UiRect rs = tv->clip_strip[GF_CELL_RNN], ls = tv->clip_strip[GF_CELL_LSTM];
    ck_assert(rs.h > 0 && ls.h > 0);
    ck_assert_int_gt(ut_count(d.surf, rs, th->cell[GF_CELL_RNN], 10), rs.w / 4);
    ck_assert_int_eq(ut_count(d.surf, ls, th->cell[GF_CELL_LSTM], 10), 0);
    drawn_free_(&d);
    plotdata_free(&pd);
    trainsnap_free(&ts);
}
END_TEST

/* A loss that zigzags across its baseline at every step leaves no free place for the baseline's
 * label beside the line: it goes under the plot instead of on a box over the curve, whose pixels
 * stay visible at both ends of the line. */
START_TEST(test_baseline_label_never_hides_the_loss)
{
    TrainSnapshot ts;
    memset(&ts, 0, sizeof ts);
    sim_config_default(&ts.cfg.sim);
    ts.cfg.sim.cells = 1u << GF_CELL_RNN;
    ts.cfg.sim.seq_len = SEQ;
    optim_config_default(&ts.cfg.optim, GF_OPT_ADAM, 0.01);
    for (int i = 0; i < 40; i++)
        ck_assert_int_eq(trainsnap_push(&ts, GF_CELL_RNN, i % 2 ? 0.5 : 0.05, 0.3, 0, NAN, NAN), 0);
    ts.step = 40;
    ts.epoch = 1;
    PlotData pd;
    memset(&pd, 0, sizeof pd);
    ut_plotdata(&pd, 1u << GF_CELL_RNN, 1, SEQ, norm_, 0.9);
    UiSettings s = ut_settings(SEQ);
    s.sim.cells = 1u << GF_CELL_RNN;
    s.view = UI_VIEW_TRAINING;
    Drawn d;
    draw_(&d, &pd, &s, 1366, 768, &ts);
    const TrainView *tv = &d.vs.training;
    const Theme *th = theme_get(UI_THEME_LIGHT);
    /* bands just above and just below the line, at both ends: where a label would sit */
    int yb = (int)floorf(axis_y(&tv->loss, 1.0 / 6.0)), w = 60, x0 = tv->loss.area.x + 20,
        x1 = tv->loss.area.x + tv->loss.area.w - 20 - w;
    UiRect band[4] = {ui_rect(x0, yb - 9, w, 7), ui_rect(x0, yb + 3, w, 7), ui_rect(x1, yb - 9, w, 7),
                      ui_rect(x1, yb + 3, w, 7)};
    for (int k = 0; k < 4; k++)
        ck_assert_msg(ut_count(d.surf, band[k], th->cell[GF_CELL_RNN], 40) > 3, "the loss is hidden in band %d", k);
    drawn_free_(&d);
    plotdata_free(&pd);
    trainsnap_free(&ts);
}
END_TEST

START_TEST(test_recall_accuracy_and_no_gate)
{
    unsigned cells = 1u << GF_CELL_RNN;
    TrainSnapshot ts;
    snapshot_(&ts, cells, GF_TASK_RECALL);
    UiSettings s = ut_settings(SEQ);
    s.sim.cells = cells;
    s.sim.task = GF_TASK_RECALL;
    s.view = UI_VIEW_TRAINING;
    Drawn d;
    draw_(&d, NULL, &s, 1280, 720, &ts);
    const TrainView *tv = &d.vs.training;
    const Theme *th = theme_get(UI_THEME_LIGHT);
    ck_assert_double_eq_tol(tv->baseline, log(8.0), 1e-12);
    ck_assert(tv->acc.area.w > 0 && tv->acc.lo == 0 && tv->acc.hi == 1);
    ck_assert_int_eq(tv->gate.area.w, 0);
    /* accuracy 0.5 all along */
    int x = (int)floorf(axis_x(&tv->acc, 100)), y = (int)floorf(axis_y(&tv->acc, 0.5));
    ck_assert(ut_count(d.surf, ui_rect(x - 2, y - 2, 5, 5), th->cell[GF_CELL_RNN], 40) > 0);
    /* the plots stay inside the picture */
    UiRect pic = ui_rect(0, 0, 1280, 720);
    ck_assert(ui_rect_inside(tv->loss.area, pic) && ui_rect_inside(tv->gnorm.area, pic) && ui_rect_inside(tv->prof.area, pic));
    ck_assert(!ui_rect_overlaps(tv->loss.area, tv->acc.area));
    drawn_free_(&d);
    trainsnap_free(&ts);
}
END_TEST

START_TEST(test_panel_training_block)
{
    /* in the training view's panel, the train button starts training and the step button steps */
    UiSettings s = ut_settings(SEQ);
    s.view = UI_VIEW_TRAINING;
    UiMetrics m;
    layout_metrics(&m, 1.0);
    PanelLayout pl;
    panel_layout_view(&pl, ui_rect(1400, 0, 500, 1080), &m, UI_VIEW_TRAINING);
    ck_assert(pl.widget[PANEL_TRAIN_RUN].w > 0);
    ck_assert_int_eq(pl.widget[PANEL_PRESET0].w, 0);
    static UiCtx ctx;
    const Theme *th = theme_get(UI_THEME_LIGHT);
    UiRect b = pl.widget[PANEL_TRAIN_RUN];
    UiInput in = {b.x + b.w / 2, b.y + b.h / 2, 1, 1, 0, 0};
    ui_begin(&ctx, &in, th, 16, 14, 1);
    panel_run(&ctx, &pl, &s);
    ui_end(&ctx);
    in.down = 0, in.pressed = 0, in.released = 1;
    ui_begin(&ctx, &in, th, 16, 14, 1);
    int f = panel_run(&ctx, &pl, &s);
    ui_end(&ctx);
    ck_assert(f & UI_CHANGED_TRAIN);
    ck_assert_int_eq(s.train_on, 1);
    /* the gradients view's panel has no training block */
    panel_layout_view(&pl, ui_rect(1400, 0, 500, 1080), &m, UI_VIEW_GRADIENTS);
    ck_assert_int_eq(pl.widget[PANEL_TRAIN_RUN].w, 0);
    ck_assert(pl.widget[PANEL_PRESET0].w > 0);
}
END_TEST

START_TEST(test_export_trains_first)
{
    /* export --view training: trains --steps, then draws; the picture differs from step 0's */
    const char *dir = tu_temp_dir();
    ck_assert_ptr_nonnull(dir);
    UiOptions o;
    memset(&o, 0, sizeof o);
    sim_config_default(&o.sim);
    o.sim.seq_len = 20, o.sim.hidden = 8;
    o.view = UI_VIEW_TRAINING;
    o.width = 960, o.height = 540;
    o.train_set = 1;
    optim_config_default(&o.optim, GF_OPT_ADAM, 0.01);
    o.clip = 1;
    o.train_steps = 1;
    GfError err = {0};
    ck_assert_msg(ui_export(&o, ut_path(dir, "one.png"), &err) == 0, "%s", err.msg);
    o.train_steps = 30;
    ck_assert_msg(ui_export(&o, ut_path(dir, "thirty.png"), &err) == 0, "%s", err.msg);
    size_t n1 = 0, n30 = 0;
    char *a = tu_read_file(ut_path(dir, "one.png"), &n1), *b = tu_read_file(ut_path(dir, "thirty.png"), &n30);
    ck_assert(a && b && n1 > 1000 && n30 > 1000);
    ck_assert(n1 != n30 || memcmp(a, b, n1) != 0);
    free(a);
    free(b);
}
END_TEST

static Suite *suite_(void)
{
    Suite *s = suite_create("ui_training");
    TCase *tc = tcase_create("training_view");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_loss_where_the_data_says);
    tcase_add_test(tc, test_recall_accuracy_and_no_gate);
    tcase_add_test(tc, test_baseline_label_never_hides_the_loss);
    tcase_add_test(tc, test_panel_training_block);
    tcase_add_test(tc, test_export_trains_first);
    suite_add_tcase(s, tc);
    return s;
}

GF_CHECK_MAIN(suite_)
