/* layout.c - metrics from the scale factor, the frame's rectangles, legend flow. */
#include "layout.h"

#include <math.h>
#include <stddef.h>

static int px_(double base, double s) { return (int)lround(base * s); }

void layout_metrics(UiMetrics *m, double s)
{
    m->s = s;
    /* sizes of a 1920x1080 picture, where body text of 21 px reads from the back of a room */
    m->font_title = px_(26, s);
    m->font_body = px_(21, s);
    m->font_small = px_(17, s);
    m->font_tick = px_(19, s);
    m->pad = px_(22, s);
    m->gap = px_(12, s);
    m->line_w = (float)(3.2 * s);
    m->line_thin = (float)(2.0 * s);
    m->grid_w = s < 1.5 ? 1 : (int)lround(s * 0.75);
    m->band_h = px_(30, s);
    m->panel_w = px_(430, s);
    m->row_h = px_(31, s);
}

double layout_scale(int w, int h, double min_scale, double text_scale)
{
    double fit = fmin(w / 1920.0, h / 1080.0);
    double s = fit > min_scale ? fit : min_scale;
    return s * text_scale;
}

int layout_content_width(int w, const UiMetrics *m, int panel)
{
    if (!panel) return w;
    int pw = m->panel_w;
    if (pw > w * 2 / 5) pw = w * 2 / 5; /* the plot keeps at least 60 % of the width */
    return w - pw;
}

void layout_frame(UiFrame *f, int w, int h, const UiMetrics *m, int panel, int caption, int status,
                  int legend_h, int ytick_w)
{
    int cw = layout_content_width(w, m, panel);
    f->panel = panel ? ui_rect(cw, 0, w - cw, h) : ui_rect(w, 0, 0, h);
    f->content = ui_rect(0, 0, cw, h);

    int x0 = m->pad, x1 = cw - m->pad;
    int y = m->pad * 3 / 4;
    int title_h = (int)lround(m->font_title * 1.35);
    f->title = ui_rect(x0, y, x1 - x0, title_h);
    y += title_h;
    int cap_h = caption > 0 ? (int)lround(m->font_body * 1.35) * caption : 0; /* caption: its lines */
    f->caption = ui_rect(x0, y, x1 - x0, cap_h);
    y += cap_h + m->gap;
    f->legend = ui_rect(x0, y, x1 - x0, legend_h);
    y += legend_h + m->gap;

    int status_h = status ? (int)lround(m->font_small * 1.7) : 0;
    int bottom = h - m->pad * 3 / 4 - status_h;
    f->status = ui_rect(x0, h - status_h - m->pad / 4, x1 - x0, status_h);
    int xlabel_h = (int)lround(m->font_body * 1.45);
    int xticks_h = (int)lround(m->font_tick * 1.55);
    f->xlabel = ui_rect(x0, bottom - xlabel_h, x1 - x0, xlabel_h);
    int plot_bottom = bottom - xlabel_h - xticks_h;

    int annot_h = (int)lround(m->font_body * 1.45);
    f->annot = ui_rect(x0, y, x1 - x0, annot_h);
    /* the top tick label is centred on the plot's top edge: half of it rises above the plot, so
       the axis title above keeps that much room clear (layout_tick_label_box) */
    y += annot_h + layout_tick_rise(m);
    int px = x0 + ytick_w + m->gap;
    int right = x1 - m->gap / 2;
    f->yticks = ui_rect(x0, y, ytick_w + m->gap / 2, plot_bottom - y);
    f->plot = ui_rect(px, y, right - px, plot_bottom - y);
    if (f->plot.h < 16) f->plot.h = 16;
    if (f->plot.w < 16) f->plot.w = 16;
    f->xticks = ui_rect(px, f->plot.y + f->plot.h, f->plot.w, xticks_h);
    f->xlabel.x = px;
    f->xlabel.w = f->plot.w;
    /* a size the parts cannot share leaves some empty, never negative */
    UiRect *all[] = {&f->panel, &f->content, &f->title, &f->caption, &f->legend, &f->annot,
                     &f->yticks, &f->plot, &f->xticks, &f->xlabel, &f->status};
    for (size_t i = 0; i < sizeof all / sizeof *all; i++) {
        if (all[i]->w < 0) all[i]->w = 0;
        if (all[i]->h < 0) all[i]->h = 0;
    }
}

int layout_tick_rise(const UiMetrics *m) { return (int)lround(m->font_tick * 0.65); }

UiRect layout_tick_label_box(const UiFrame *f, const UiMetrics *m, int y, int w)
{
    int rise = layout_tick_rise(m);
    int x = f->plot.x - m->gap / 2 - w; /* right-aligned in yticks, left of the tick mark */
    return ui_rect(x, y - rise, w, 2 * rise);
}

int layout_flow(const int *w, int n, int max_w, int row_h, int gap_x, int gap_y, int x0, int y0,
                UiRect *out)
{
    if (n <= 0) return 0;
    int x = 0, row = 0;
    for (int i = 0; i < n; i++) {
        if (x > 0 && x + w[i] > max_w) {
            row++;
            x = 0;
        }
        out[i] = ui_rect(x0 + x, y0 + row * (row_h + gap_y), w[i], row_h);
        x += w[i] + gap_x;
    }
    return (row + 1) * row_h + row * gap_y;
}
