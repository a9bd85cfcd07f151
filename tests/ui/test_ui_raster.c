/* test_ui_raster.c - the canvas: coverage anti-aliasing, line width, dashes, seamless joints,
 * clipping, and rectangle fills. */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "raster.h"
#include "check_main.h"

static const UiColor white = {255, 255, 255, 255}, black = {0, 0, 0, 255};

/* 0 (white) .. 255 (black): how much ink a pixel holds */
static int ink_(const Canvas *cv, int x, int y) { return 255 - (int)(canvas_get(cv, x, y) & 255); }

static Canvas make_(int w, int h)
{
    Canvas cv;
    memset(&cv, 0, sizeof cv);
    ck_assert_int_eq(canvas_resize(&cv, w, h), 0);
    canvas_fill(&cv, white);
    return cv;
}

START_TEST(test_horizontal_line_coverage)
{
    Canvas cv = make_(100, 40);
    LineStyle solid = {{0}};
    /* a 3 px pen centred on y = 20.0 covers rows 18.5..21.5: rows 19, 20 fully, 18 and 21 half */
    float xy[] = {10, 20, 90, 20};
    canvas_draw_polyline(&cv, xy, 2, 3.0f, &solid, black);
    ck_assert_int_eq(ink_(&cv, 50, 19), 255);
    ck_assert_int_eq(ink_(&cv, 50, 20), 255);
    ck_assert_int_ge(ink_(&cv, 50, 18), 120);
    ck_assert_int_le(ink_(&cv, 50, 18), 135);
    ck_assert_int_ge(ink_(&cv, 50, 21), 120);
    ck_assert_int_le(ink_(&cv, 50, 21), 135);
    ck_assert_int_eq(ink_(&cv, 50, 16), 0);
    ck_assert_int_eq(ink_(&cv, 50, 23), 0);
    /* total ink across a column equals the pen width */
    int sum = 0;
    for (int y = 0; y < 40; y++) sum += ink_(&cv, 50, y);
    ck_assert_int_ge(sum, 3 * 255 - 6);
    ck_assert_int_le(sum, 3 * 255 + 6);
    /* the coverage scratch is clean again */
    for (int i = 0; i < 100 * 40; i++) ck_assert(cv.cov[i] == 0.0f);
    canvas_free(&cv);
    ck_assert_ptr_null(cv.px);
    canvas_free(&cv);
}
END_TEST

START_TEST(test_diagonal_is_antialiased)
{
    Canvas cv = make_(100, 100);
    LineStyle solid = {{0}};
    float xy[] = {5, 7.3f, 95, 61.9f}; /* a slope that does not repeat every few pixels */
    canvas_draw_polyline(&cv, xy, 2, 2.5f, &solid, black);
    /* along a shallow diagonal the edge pixels take intermediate greys, many distinct ones */
    int levels[256] = {0}, distinct = 0;
    for (int y = 0; y < 100; y++)
        for (int x = 0; x < 100; x++) levels[ink_(&cv, x, y)] = 1;
    for (int i = 1; i < 255; i++) distinct += levels[i];
    ck_assert_int_ge(distinct, 20);
    /* and every column has about width / cos(angle) of ink */
    double expect = 2.5 * sqrt(1 + pow(54.6 / 90.0, 2)) * 255;
    for (int x = 20; x < 80; x += 7) {
        int sum = 0;
        for (int y = 0; y < 100; y++) sum += ink_(&cv, x, y);
        ck_assert_msg(fabs(sum - expect) < 0.08 * expect, "column %d has %d, expected %.0f", x, sum, expect);
    }
    canvas_free(&cv);
}
END_TEST

START_TEST(test_joints_are_seamless)
{
    /* a polyline of many short collinear segments has the same ink as one segment: coverage is
     * combined by max, not accumulated, so joints do not darken */
    Canvas a = make_(200, 40), b = make_(200, 40);
    LineStyle solid = {{0}};
    float one[] = {10, 20.3f, 190, 20.3f};
    float many[2 * 91];
    for (int i = 0; i <= 90; i++) many[2 * i] = 10 + 2.0f * i, many[2 * i + 1] = 20.3f;
    canvas_draw_polyline(&a, one, 2, 3.0f, &solid, black);
    canvas_draw_polyline(&b, many, 91, 3.0f, &solid, black);
    for (int y = 0; y < 40; y++)
        for (int x = 12; x < 188; x++) ck_assert_int_le(abs(ink_(&a, x, y) - ink_(&b, x, y)), 1);
    canvas_free(&a);
    canvas_free(&b);
}
END_TEST

START_TEST(test_dashes_have_gaps)
{
    Canvas cv = make_(400, 20);
    LineStyle dash = {{5, 2.2f, 0, 0}}; /* dashes 5 widths long, gaps 2.2 */
    float xy[] = {0, 10, 400, 10};
    canvas_draw_polyline(&cv, xy, 2, 3.0f, &dash, black);
    int on = 0, off = 0, runs = 0, prev = 0;
    for (int x = 0; x < 400; x++) {
        int dark = ink_(&cv, x, 10) > 128;
        on += dark;
        off += !dark;
        if (dark && !prev) runs++;
        prev = dark;
    }
    /* period 7.2 * 3 = 21.6 px: about 18 dashes; on about 5/7.2 of the length */
    ck_assert_int_ge(runs, 17);
    ck_assert_int_le(runs, 20);
    ck_assert(fabs((double)on / 400 - 5 / 7.2) < 0.06);
    canvas_free(&cv);
}
END_TEST

START_TEST(test_clipping_and_breaks)
{
    Canvas cv = make_(50, 50);
    LineStyle solid = {{0}};
    /* far outside: nothing drawn, nothing crashes */
    float far[] = {-1e5f, -1e5f, 1e5f, -1e5f + 1};
    canvas_draw_polyline(&cv, far, 2, 3.0f, &solid, black);
    for (int y = 0; y < 50; y++)
        for (int x = 0; x < 50; x++) ck_assert_int_eq(ink_(&cv, x, y), 0);
    /* crossing the canvas: clipped, drawn inside */
    float cross[] = {-1000, 25, 1000, 25};
    canvas_draw_polyline(&cv, cross, 2, 2.0f, &solid, black);
    ck_assert_int_eq(ink_(&cv, 0, 24), 255);
    ck_assert_int_eq(ink_(&cv, 49, 25), 255);
    /* a NaN point breaks the line */
    Canvas c2 = make_(50, 50);
    float broken[] = {5, 10, 20, 10, NAN, NAN, 30, 10, 45, 10};
    canvas_draw_polyline(&c2, broken, 5, 2.0f, &solid, black);
    ck_assert_int_eq(ink_(&c2, 10, 10), 255);
    ck_assert_int_eq(ink_(&c2, 25, 10), 0);
    ck_assert_int_eq(ink_(&c2, 40, 10), 255);
    /* one point: a dot */
    float dot[] = {25.5f, 40.5f};
    canvas_draw_polyline(&c2, dot, 1, 4.0f, &solid, black);
    ck_assert_int_eq(ink_(&c2, 25, 40), 255);
    ck_assert_int_eq(ink_(&c2, 25, 45), 0);
    canvas_free(&cv);
    canvas_free(&c2);
}
END_TEST

START_TEST(test_fill_rect_and_colour)
{
    Canvas cv = make_(20, 20);
    UiColor red = {200, 10, 20, 255}, half = {0, 0, 0, 128};
    canvas_fill_rect(&cv, ui_rect(-5, -5, 10, 10), red);
    ck_assert_uint_eq(canvas_get(&cv, 0, 0), 0xFFC80A14u);
    ck_assert_uint_eq(canvas_get(&cv, 4, 4), 0xFFC80A14u);
    ck_assert_uint_eq(canvas_get(&cv, 5, 5), 0xFFFFFFFFu);
    canvas_fill_rect(&cv, ui_rect(10, 10, 100, 100), half);
    int g = (int)(canvas_get(&cv, 15, 15) & 255);
    ck_assert_int_ge(g, 125);
    ck_assert_int_le(g, 129);
    ck_assert_uint_eq(canvas_get(&cv, 25, 25), 0); /* outside */
    /* a coloured line keeps its colour at full coverage */
    LineStyle solid = {{0}};
    float xy[] = {0, 2, 20, 2};
    canvas_draw_polyline(&cv, xy, 2, 3.0f, &solid, red);
    ck_assert_uint_eq(canvas_get(&cv, 12, 2), 0xFFC80A14u);
    canvas_free(&cv);
}
END_TEST

START_TEST(test_canvas_gives_memory_back)
{
    /* a canvas that was once large keeps under four times what it shows, and draws as a fresh one */
    Canvas big = make_(3000, 2000);
    LineStyle solid = {{0}};
    float xy[] = {10, 20, 90, 20};
    canvas_draw_polyline(&big, xy, 2, 3.0f, &solid, black);
    ck_assert_int_eq(canvas_resize(&big, 100, 40), 0);
    ck_assert_uint_le(big.cap, (size_t)4 * 100 * 40);
    ck_assert_int_eq(canvas_resize(&big, 1500, 1000), 0); /* a quarter of the old: kept as it is */
    ck_assert_int_eq(canvas_resize(&big, 100, 40), 0);
    canvas_fill(&big, white);
    Canvas fresh = make_(100, 40);
    canvas_draw_polyline(&big, xy, 2, 3.0f, &solid, black);
    canvas_draw_polyline(&fresh, xy, 2, 3.0f, &solid, black);
    for (int y = 0; y < 40; y++)
        for (int x = 0; x < 100; x++) ck_assert_uint_eq(canvas_get(&big, x, y), canvas_get(&fresh, x, y));
    canvas_free(&big);
    canvas_free(&fresh);
}
END_TEST

static Suite *suite_(void)
{
    Suite *s = suite_create("ui_raster");
    TCase *t = tcase_create("raster");
    tcase_add_test(t, test_horizontal_line_coverage);
    tcase_add_test(t, test_canvas_gives_memory_back);
    tcase_add_test(t, test_diagonal_is_antialiased);
    tcase_add_test(t, test_joints_are_seamless);
    tcase_add_test(t, test_dashes_have_gaps);
    tcase_add_test(t, test_clipping_and_breaks);
    tcase_add_test(t, test_fill_rect_and_colour);
    suite_add_tcase(s, t);
    return s;
}

GF_CHECK_MAIN(suite_)
