/* view.c - what every view shares: the frame of the picture and the message instead of data. */
#include "view.h"

#include <math.h>
#include <string.h>

#include "caption.h"
#include "labels.h"

int view_panel_shown(const ViewModel *vm) { return !vm->plot_only && vm->set->panel; }

void view_frame(UiFrame *f, const DrawCtx *dc, const ViewModel *vm, int legend_h, int ytick_w)
{
    int lines = 0;
    if (view_caption_shown(vm)) {
        char cap[512];
        view_caption(vm, cap, sizeof cap);
        int width = layout_content_width(vm->w, &dc->metrics, view_panel_shown(vm)) - 2 * dc->metrics.pad;
        lines = view_caption_lines(cap, dc->metrics.font_body, width);
    }
    layout_frame(f, vm->w, vm->h, &dc->metrics, view_panel_shown(vm), lines, vm->interactive, legend_h, ytick_w);
}

int view_caption_lines(const char *cap, int px, int width)
{
    if (!cap[0]) return 0;
    size_t glyphs = 0; /* code points: every byte that does not continue a UTF-8 sequence */
    for (const char *p = cap; *p; p++) glyphs += ((unsigned char)*p & 0xC0) != 0x80;
    /* about 0.5 em a glyph in the UI font; one line while it fits at 85 % of the body size */
    return (double)glyphs * 0.5 * px * 0.85 > (double)width ? 2 : 1;
}

size_t view_caption_split(const char *cap)
{
    size_t n = strlen(cap), best = 0;
    double best_d = 1e300;
    for (size_t i = 1; i + 2 < n; i++) {
        /* after "; ", ". " or ": ", the break nearest the middle */
        if (cap[i + 1] != ' ' || (cap[i] != ';' && cap[i] != '.' && cap[i] != ':')) continue;
        double d = fabs((double)(i + 2) - 0.5 * (double)n);
        if (d < best_d) best_d = d, best = i + 2;
    }
    if (best) return best;
    for (size_t i = n / 2; i < n; i++) /* no such break: the first space after the middle */
        if (cap[i] == ' ') return i + 1;
    return n;
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
