/* theme.c - colour tables of the light and dark themes and the per-cell line styles. */
#include "theme.h"

/* Okabe & Ito (2008): vermillion D55E00, blue 0072B2, bluish green 009E73, orange E69F00,
 * sky blue 56B4E9, reddish purple CC79A7. rnn is vermillion, lstm blue, gru green in both themes;
 * on the dark background the blue becomes sky blue so it keeps its contrast. The lstm's cell-state
 * gradient is sky blue beside the blue on the light theme, and a pale sky blue beside the sky blue
 * on the dark one: the same family as its cell, a different shade, and dotted. */
static const Theme theme_light = {
    .bg = {255, 255, 255, 255},
    .fg = {20, 20, 24, 255},
    .fg_muted = {85, 85, 95, 255},
    .plot_bg = {255, 255, 255, 255},
    .grid = {205, 205, 212, 255},
    .grid_minor = {234, 234, 238, 255},
    .shade_vanish = {238, 244, 251, 255},
    .shade_explode = {253, 240, 233, 255},
    .band = {238, 238, 240, 255},
    .warn = {190, 30, 30, 255},
    .accent = {0, 90, 160, 255},
    .panel_bg = {244, 245, 248, 255},
    .widget_bg = {255, 255, 255, 255},
    .widget_hot = {226, 236, 248, 255},
    .widget_border = {150, 152, 162, 255},
    .overlay_bg = {255, 255, 255, 240},
    .cell = {{213, 94, 0, 255}, {0, 114, 178, 255}, {0, 158, 115, 255}},
    .lstm_c = {86, 180, 233, 255},
};

static const Theme theme_dark = {
    .bg = {24, 25, 30, 255},
    .fg = {236, 236, 240, 255},
    .fg_muted = {170, 172, 182, 255},
    .plot_bg = {24, 25, 30, 255},
    .grid = {72, 74, 84, 255},
    .grid_minor = {44, 46, 54, 255},
    .shade_vanish = {28, 34, 48, 255},
    .shade_explode = {48, 32, 30, 255},
    .band = {40, 41, 48, 255},
    .warn = {255, 110, 100, 255},
    .accent = {110, 180, 240, 255},
    .panel_bg = {34, 35, 42, 255},
    .widget_bg = {48, 50, 60, 255},
    .widget_hot = {62, 72, 96, 255},
    .widget_border = {100, 104, 118, 255},
    .overlay_bg = {34, 35, 42, 240},
    .cell = {{230, 120, 40, 255}, {86, 180, 233, 255}, {0, 178, 130, 255}},
    .lstm_c = {175, 222, 250, 255},
};

const Theme *theme_get(UiTheme t) { return t == UI_THEME_DARK ? &theme_dark : &theme_light; }

LineStyle theme_line_style(GfCell c, int is_c)
{
    /* rnn solid; lstm h long dashes, lstm c dots; gru dash-dot. Lengths are in line widths. */
    static const LineStyle styles[] = {
        {{0, 0, 0, 0}},
        {{5, 2.2f, 0, 0}},
        {{3.5f, 1.6f, 1.0f, 1.6f}},
    };
    static const LineStyle lstm_c = {{1.0f, 1.5f, 0, 0}};
    if (c == GF_CELL_LSTM && is_c) return lstm_c;
    return (unsigned)c < GF_NUM_CELLS ? styles[c] : styles[0];
}

LineStyle theme_theory_style(void)
{
    LineStyle s = {{2.5f, 2.5f, 0, 0}};
    return s;
}
