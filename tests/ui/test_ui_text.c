/* test_ui_text.c - typeset text (sub- and superscripts as plain runs) and line wrapping, drawn
 * with the software renderer onto a surface. */
#include <check.h>
#include <SDL.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"
#include "check_main.h"

static SDL_Surface *surf_;
static SDL_Renderer *ren_;
static TextCache tc_;

static void setup_(void)
{
    surf_ = SDL_CreateRGBSurfaceWithFormat(0, 600, 200, 32, SDL_PIXELFORMAT_ARGB8888);
    ck_assert_ptr_nonnull(surf_);
    ren_ = SDL_CreateSoftwareRenderer(surf_);
    ck_assert_ptr_nonnull(ren_);
    GfError err = {0};
    ck_assert_msg(text_init(&tc_, ren_, &err) == 0, "%s", err.msg);
}

static void teardown_(void)
{
    text_free(&tc_);
    SDL_DestroyRenderer(ren_);
    SDL_FreeSurface(surf_);
}

static const UiColor black = {0, 0, 0, 255};

/* The lowest and highest rows holding ink in the surface (white background). */
static void ink_rows_(int *top, int *bottom)
{
    *top = surf_->h;
    *bottom = -1;
    const Uint32 *px = surf_->pixels;
    int pitch = surf_->pitch / 4;
    for (int y = 0; y < surf_->h; y++)
        for (int x = 0; x < surf_->w; x++)
            if ((px[y * pitch + x] & 0xFF) < 128) {
                if (y < *top) *top = y;
                if (y > *bottom) *bottom = y;
            }
}

static void clear_(void)
{
    SDL_SetRenderDrawColor(ren_, 255, 255, 255, 255);
    SDL_RenderClear(ren_);
}

START_TEST(test_plain_text_is_one_run)
{
    /* names with underscores are not markup: one run, measured as plain text */
    static const char *const plain[] = {"loss 0.25", "h_n[-1] = output[:, -1]", "clip_grad_norm_", "a ^ b_"};
    for (size_t i = 0; i < sizeof plain / sizeof *plain; i++) {
        TextRun runs[TEXT_RICH_MAX_RUNS];
        int w, h, pw, ph;
        int n = text_rich_runs(&tc_, plain[i], 30, 0, runs, TEXT_RICH_MAX_RUNS, &w, &h);
        text_measure(&tc_, plain[i], 30, 0, &pw, &ph);
        ck_assert_int_eq(n, 1);
        ck_assert_str_eq(runs[0].s, plain[i]);
        ck_assert_int_eq(w, pw);
        ck_assert_int_eq(h, ph);
    }
}
END_TEST

START_TEST(test_scripts_are_smaller_and_moved)
{
    TextRun r[TEXT_RICH_MAX_RUNS];
    int w, h;
    int n = text_rich_runs(&tc_, "\xCF\x83_{max}^{T-1-t} ok", 40, 0, r, TEXT_RICH_MAX_RUNS, &w, &h);
    ck_assert_int_eq(n, 4);
    ck_assert_str_eq(r[0].s, "\xCF\x83");
    ck_assert_str_eq(r[1].s, "max");
    ck_assert_str_eq(r[2].s, "T\xE2\x88\x92" "1\xE2\x88\x92t"); /* minus signs in the script */
    ck_assert_str_eq(r[3].s, " ok");
    ck_assert_int_lt(r[1].px, 40);
    ck_assert_int_eq(r[1].px, r[2].px);
    ck_assert_int_gt(r[1].y, r[0].y); /* the subscript is lowered */
    ck_assert_int_lt(r[2].y, r[0].y); /* the superscript raised */
    ck_assert_int_eq(r[2].x, r[1].x); /* stacked over the subscript */
    ck_assert_int_eq(r[1].x, r[0].w);
    int wider = r[1].w > r[2].w ? r[1].w : r[2].w;
    ck_assert_int_eq(r[3].x, r[1].x + wider);
    ck_assert_int_eq(w, r[3].x + r[3].w);
    /* a superscript alone follows the text */
    n = text_rich_runs(&tc_, "x^{2}", 40, 0, r, TEXT_RICH_MAX_RUNS, &w, &h);
    ck_assert_int_eq(n, 2);
    ck_assert_int_eq(r[1].x, r[0].w);
}
END_TEST

START_TEST(test_drawn_subscript_sits_lower)
{
    int t0, b0, t1, b1, t2, b2;
    clear_();
    text_draw_rich(&tc_, "hT", 40, 0, black, 10, 50);
    ink_rows_(&t0, &b0);
    clear_();
    text_draw_rich(&tc_, "h_{T}", 40, 0, black, 10, 50);
    ink_rows_(&t1, &b1);
    clear_();
    text_draw_rich(&tc_, "x^{T}", 40, 0, black, 10, 50);
    ink_rows_(&t2, &b2);
    ck_assert_int_gt(b1, b0 + 3); /* the subscript's ink goes below the baseline */
    clear_();
    text_draw_rich(&tc_, "xT", 40, 0, black, 10, 50);
    ink_rows_(&t0, &b0);
    ck_assert_int_lt(t2, t0 - 3); /* the superscript's ink rises above a capital's */
}
END_TEST

START_TEST(test_wrap_fits_and_keeps_every_word)
{
    const char *s = "Adding problem, T = 150: press Space. The GRU and the LSTM learn to add two numbers "
                    "150 steps apart; \xCF\x83_{max}^{T - 1 - t} stays whole";
    int start[16], len[16];
    int max_w = 260;
    int n = text_wrap(&tc_, s, 24, 0, max_w, start, len, 16);
    ck_assert_int_gt(n, 2);
    char joined[512] = "";
    for (int i = 0; i < n; i++) {
        char line[256];
        memcpy(line, s + start[i], (size_t)len[i]);
        line[len[i]] = '\0';
        int w, h;
        text_measure_rich(&tc_, line, 24, 0, &w, &h);
        ck_assert_msg(w <= max_w, "line %d '%s' is %d px", i, line, w);
        ck_assert(line[0] != ' ' && line[len[i] - 1] != ' ');
        /* no break inside the script's braces */
        int open = 0;
        for (int k = 0; k < len[i]; k++) open += line[k] == '{' ? 1 : line[k] == '}' ? -1 : 0;
        ck_assert_int_eq(open, 0);
        strcat(joined, i ? " " : "");
        strcat(joined, line);
    }
    ck_assert_str_eq(joined, s);
    /* one line when it fits; a word wider than the line gets a line of its own; max is kept */
    ck_assert_int_eq(text_wrap(&tc_, "short", 24, 0, max_w, start, len, 16), 1);
    n = text_wrap(&tc_, "a supercalifragilisticexpialidocious b", 24, 0, 60, start, len, 16);
    ck_assert_int_eq(n, 3);
    ck_assert_int_eq(len[1], (int)strlen("supercalifragilisticexpialidocious"));
    ck_assert_int_eq(text_wrap(&tc_, s, 24, 0, max_w, start, len, 2), 2);
    ck_assert_int_eq(start[1] + len[1], (int)strlen(s));
    ck_assert_int_eq(text_wrap(&tc_, "", 24, 0, max_w, start, len, 16), 0);
}
END_TEST

START_TEST(test_long_plain_text_is_measured_whole)
{
    /* longer than one run holds, with a two-byte character across the first cut: measured and
       wrapped as a whole (a caption of 300 bytes is not cut after its first 127) */
    char s[400] = "";
    while (strlen(s) < 300) strcat(s, "tanh\xE2\x80\xB2 keeps only part of the gradient, ");
    TextRun runs[TEXT_RICH_MAX_RUNS];
    int w, h, pw, ph;
    int n = text_rich_runs(&tc_, s, 20, 0, runs, TEXT_RICH_MAX_RUNS, &w, &h);
    text_measure(&tc_, s, 20, 0, &pw, &ph);
    ck_assert_int_gt(n, 2);
    char joined[400] = "";
    for (int i = 0; i < n; i++) strcat(joined, runs[i].s);
    ck_assert_str_eq(joined, s);
    ck_assert_msg(abs(w - pw) <= n, "rich width %d, plain %d", w, pw); /* kerning across a cut at most */
    int start[16], len[16];
    ck_assert_int_gt(text_wrap(&tc_, s, 20, 0, pw / 3, start, len, 16), 2);
}
END_TEST

static Suite *suite_(void)
{
    Suite *s = suite_create("ui_text");
    TCase *t = tcase_create("text");
    tcase_add_checked_fixture(t, setup_, teardown_);
    tcase_add_test(t, test_plain_text_is_one_run);
    tcase_add_test(t, test_scripts_are_smaller_and_moved);
    tcase_add_test(t, test_drawn_subscript_sits_lower);
    tcase_add_test(t, test_wrap_fits_and_keeps_every_word);
    tcase_add_test(t, test_long_plain_text_is_measured_whole);
    suite_add_tcase(s, t);
    return s;
}

GF_CHECK_MAIN(suite_)
