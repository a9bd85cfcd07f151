/* view.c - what every view shares: the frame of the picture and the message instead of data. */
#include "view.h"

#include <math.h>
#include <string.h>

#include "caption.h"
#include "labels.h"

int view_panel_shown(const ViewModel *vm) { return !vm->plot_only && vm->set->panel; }

void view_frame(UiFrame *f, DrawCtx *dc, const ViewModel *vm, int legend_h, int ytick_w)
{
    int lines = 0;
    if (view_caption_shown(vm)) {
        char cap[512];
        size_t starts[VIEW_CAPTION_LINES];
        view_caption(vm, cap, sizeof cap);
        int width = layout_content_width(vm->w, &dc->metrics, view_panel_shown(vm)) - 2 * dc->metrics.pad;
        int px = view_caption_px(&dc->text, cap, dc->metrics.font_body, width, VIEW_CAPTION_LINES);
        lines = view_caption_wrap(&dc->text, cap, px, width, starts, VIEW_CAPTION_LINES);
        if (lines > VIEW_CAPTION_LINES) lines = VIEW_CAPTION_LINES;
    }
    layout_frame(f, vm->w, vm->h, &dc->metrics, view_panel_shown(vm), lines, vm->interactive, legend_h, ytick_w);
}

int view_caption_wrap(TextCache *tc, const char *cap, int px, int width, size_t *starts, int max)
{
    size_t n = strlen(cap), at = 0;
    int lines = 0;
    char buf[512];
    while (at < n) {
        if (lines < max) starts[lines] = at;
        lines++;
        size_t end = at, fit = 0; /* the longest run of whole words from at that fits */
        while (end < n) {
            size_t next = end;
            while (next < n && cap[next] == ' ') next++;
            while (next < n && cap[next] != ' ') next++;
            size_t len = next - at < sizeof buf ? next - at : sizeof buf - 1;
            memcpy(buf, cap + at, len);
            buf[len] = '\0';
            int w, h;
            text_measure(tc, buf, px, 0, &w, &h);
            if (w > width && fit) break;
            fit = next, end = next;
            if (w > width) break; /* one word wider than the line: it goes alone */
        }
        at = fit;
        while (at < n && cap[at] == ' ') at++;
    }
    return lines;
}

int view_caption_px(TextCache *tc, const char *cap, int px, int width, int max)
{
    size_t starts[8];
    int lo = (int)(px * 0.6);
    for (int p = px; p > lo; p--)
        if (view_caption_wrap(tc, cap, p, width, starts, 8) <= max) return p;
    return lo;
}

int view_caption_shown(const ViewModel *vm)
{
    if (vm->set->preset >= 0) return 1;
    /* the default caption speaks of the gradients: the views that plot them along the sequence */
    return (vm->set->view == UI_VIEW_GRADIENTS || vm->set->view == UI_VIEW_STATES) && vm->data && vm->data->valid;
}

void view_caption(const ViewModel *vm, char *buf, size_t n)
{
    if (!n) return;
    buf[0] = '\0';
    if (!view_caption_shown(vm)) return;
    int initial = !vm->set->sim.weights && vm->train_profile_step <= 0;
    caption_text(vm->set->preset, vm->data, vm->set->sim.cells, vm->set->layer_shown, initial, buf, n);
}

const char *view_centre_message(const ViewModel *vm, int *warn)
{
    *warn = 0;
    if (vm->error) {
        *warn = 1;
        return vm->error;
    }
    if (!(vm->set->sim.cells & GF_CELLS_ALL)) return "no cell shown: press 1, 2 or 3";
    if (!(vm->data && vm->data->valid)) return "computing" S_ELLIPSIS;
    return NULL;
}
