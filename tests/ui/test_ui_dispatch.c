/* test_ui_dispatch.c - the views behind the dispatcher: every view registered once under its own
 * id with all of its steps, a layout step that computes without drawing a pixel, a paint step that
 * draws, the shared helpers (the canvas keys' hash, the cell names, the "fell n orders" wording). */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "export.h"
#include "labels.h"
#include "testutil.h"
#include "uitest.h"
#include "check_main.h"

START_TEST(test_every_view_registered_once)
{
    for (int v = 0; v < UI_NUM_VIEWS; v++) {
        const ViewClass *c = view_class((UiView)v);
        ck_assert_ptr_nonnull(c);
        ck_assert_int_eq((int)c->id, v);
        ck_assert(c->layout != NULL);
        ck_assert(c->paint != NULL);
        ck_assert(c->hover != NULL);
        for (int w = 0; w < v; w++) ck_assert_ptr_ne(view_class((UiView)w), c);
    }
    ck_assert_ptr_null(view_class((UiView)UI_NUM_VIEWS));
    /* each view's state is its own */
    ViewState vs;
    for (int v = 0; v < UI_NUM_VIEWS; v++)
        for (int w = 0; w < v; w++) ck_assert_ptr_ne(view_state(&vs, (UiView)v), view_state(&vs, (UiView)w));
}
END_TEST

/* A real run of every cell with its states kept, as the window shows it. */
static void run_(Sim *sim, PlotData *pd, int T, int L)
{
    SimConfig c;
    sim_config_default(&c);
    c.seq_len = T;
    c.hidden = 16;
    c.layers = L;
    GfError err = {0};
    sim_init(sim);
    memset(pd, 0, sizeof *pd);
    ck_assert_msg(sim_run(sim, &c, &err) == 0, "%s", err.msg);
    ck_assert_int_eq(plotdata_copy_sim(pd, sim), 0);
}

START_TEST(test_layout_draws_nothing_paint_draws)
{
    Sim sim;
    PlotData pd;
    run_(&sim, &pd, 60, 2);
    const int W = 1280, H = 720;
    const UiColor magenta = {255, 0, 255, 255};
    for (int v = 0; v < UI_NUM_VIEWS; v++) {
        UiSettings s;
        settings_init(&s, &pd.config, UI_THEME_LIGHT);
        s.view = (UiView)v;
        UtDraw d;
        ut_draw(&d, &pd, &s, W, H, 0);
        ViewModel vm;
        memset(&vm, 0, sizeof vm);
        vm.set = &s;
        vm.data = &pd;
        vm.w = W;
        vm.h = H;
        vm.scale = export_scale(W, H);
        vm.in.mx = vm.in.my = -1;
        const ViewClass *c = view_class((UiView)v);
        void *state = view_state(&d.vs, (UiView)v);
        UiRect all = ui_rect(0, 0, W, H);
        SDL_FillRect(d.surf, NULL, SDL_MapRGB(d.surf->format, magenta.r, magenta.g, magenta.b));
        UiFrame f;
        d.vs.dc.canvas_key = 0; /* a stale canvas too: the layout must not repaint it either */
        c->layout(state, &d.vs.dc, &vm, &f);
        SDL_RenderFlush(d.ren);
        ck_assert_msg(ut_count(d.surf, all, magenta, 0) == W * H, "view %d drew in its layout", v);
        ck_assert_int_gt(f.content.w, 0);
        c->paint(state, &d.vs.dc, &vm, &f);
        SDL_RenderFlush(d.ren);
        /* the training view with nothing trained yet says how to start, in a box */
        long left = ut_count(d.surf, f.content, magenta, 0), all_px = (long)f.content.w * f.content.h;
        /* (the anatomy view leaves the background between its diagram and its plot to the frame: at
           least a quarter of the content is painted in every view but the untrained training view) */
        ck_assert_msg(v == UI_VIEW_TRAINING ? left < all_px : left < all_px * 3 / 4, "view %d painted little: %ld of %ld",
                      v, left, all_px);
        ut_draw_free(&d);
    }
    plotdata_free(&pd);
    sim_free(&sim);
}
END_TEST

START_TEST(test_draw_hash_is_fnv1a)
{
    /* test vectors of the FNV reference (Fowler, Noll, Vo; draft-eastlake-fnv): FNV-1a 64 */
    ck_assert_uint_eq(draw_hash(DRAW_HASH_SEED, "", 0), 0xcbf29ce484222325ull);
    ck_assert_uint_eq(draw_hash(DRAW_HASH_SEED, "a", 1), 0xaf63dc4c8601ec8cull);
    ck_assert_uint_eq(draw_hash(DRAW_HASH_SEED, "foobar", 6), 0x85944171f73967e8ull);
    /* continuing a hash is hashing the concatenation */
    ck_assert_uint_eq(draw_hash(draw_hash(DRAW_HASH_SEED, "foo", 3), "bar", 3), 0x85944171f73967e8ull);
}
END_TEST

START_TEST(test_labels)
{
    const char *const *names = label_cell_names();
    ck_assert_str_eq(names[GF_CELL_RNN], "RNN");
    ck_assert_str_eq(names[GF_CELL_LSTM], "LSTM");
    ck_assert_str_eq(names[GF_CELL_GRU], "GRU");
    for (int c = 0; c < GF_NUM_CELLS; c++) ck_assert_ptr_eq(label_cell(c), names[c]);
    ck_assert_str_eq(label_cell(-1), "");
    ck_assert_str_eq(label_cell(GF_NUM_CELLS), "");
    /* 1e-6 at t = 0 up to 1 at t = T-1: fell 6 orders; the other way, grew */
    double fell[3] = {1e-6, 1e-3, 1}, grew[3] = {1e2, 10, 1}, zero[3] = {0, 1, 1};
    PlotCell pc;
    memset(&pc, 0, sizeof pc);
    pc.T = 3;
    pc.L = 1;
    char buf[64];
    label_change(&pc, fell, buf, sizeof buf);
    ck_assert_str_eq(buf, S_DOWN " fell 6.0 orders");
    label_change(&pc, grew, buf, sizeof buf);
    ck_assert_str_eq(buf, S_UP " grew 2.0 orders");
    label_change(&pc, zero, buf, sizeof buf);
    ck_assert_str_eq(buf, "vanished to exactly 0");
}
END_TEST

static Suite *suite_(void)
{
    Suite *s = suite_create("ui_dispatch");
    TCase *t = tcase_create("dispatch");
    tcase_set_timeout(t, 60);
    tcase_add_test(t, test_every_view_registered_once);
    tcase_add_test(t, test_layout_draws_nothing_paint_draws);
    tcase_add_test(t, test_draw_hash_is_fnv1a);
    tcase_add_test(t, test_labels);
    suite_add_tcase(s, t);
    return s;
}

GF_CHECK_MAIN(suite_)
