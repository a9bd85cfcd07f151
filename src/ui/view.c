/* view.c - what every view shares: the frame of the picture and the message instead of data. */
#include "view.h"

#include <math.h>
#include <string.h>

#include "caption.h"
#include "labels.h"

int view_panel_shown(const ViewModel *vm) { return !vm->plot_only && vm->set->panel; }

#include <stdio.h>
#include <string.h>

int view_busy_width(const DrawCtx *dc, const ViewModel *vm)
{
    return vm->interactive && vm->busy ? dc->metrics.font_small * 12 : 0;
}

/* Copies title into out with every space but the one after a separator's dot made a no-break
 * space (U+00A0), so lines break only between the title's items. */
static void title_glue_(const char *title, char *out, size_t n)
{
    size_t o = 0;
    for (const char *p = title; *p && o + 3 < n; p++) {
        int beside_dot = p > title + 1 && p[-2] == '\xC2' && p[-1] == '\xB7'; /* a line may end with the dot */
        if (*p == ' ' && !beside_dot) {
            out[o++] = '\xC2';
            out[o++] = '\xA0';
        } else {
            out[o++] = *p;
        }
    }
    out[o] = '\0';
}

/* Wraps s at px into at most max lines of max_w, smaller (to 60 %) when it needs more; returns
 * the size used. start and len have room for max + 1 lines (one more tells that it needs more). */
static int wrap_fit_(TextCache *tc, const char *s, int px, int bold, int max_w, int *start, int *len, int max,
                     int *nlines)
{
    int p = px, lo = (int)(px * 0.6);
    for (;;) {
        int n = text_wrap(tc, s, p, bold, max_w, start, len, max + 1); /* start, len hold max + 1 */
        if (n <= max || p <= lo) {
            *nlines = text_wrap(tc, s, p, bold, max_w, start, len, max);
            return p;
        }
        p = p * 9 / 10 > lo ? p * 9 / 10 : lo;
    }
}

void view_heading(ViewHeading *hd, DrawCtx *dc, const ViewModel *vm, int max_w, int busy_w)
{
    TextCache *tc = &dc->text;
    const UiMetrics *mt = &dc->metrics;
    const PlotData *pd = vm->data;
    const SimConfig *tcfg = pd && pd->valid ? &pd->config : &vm->set->sim;
    char title[300];
    memset(hd, 0, sizeof *hd);
    settings_title(tcfg, 0, title, sizeof title);
    int tw, th;
    text_measure(tc, title, mt->font_title, 1, &tw, &th);
    if (tw > max_w - busy_w) settings_title(tcfg, 1, title, sizeof title);
    if (vm->train_profile_step > 0) { /* the weights on screen are no longer the initial ones */
        size_t used = strlen(title);
        snprintf(title + used, sizeof title - used, S_DOT "trained %ld step%s", vm->train_profile_step,
                 vm->train_profile_step == 1 ? "" : "s");
    }
    title_glue_(title, hd->title, sizeof hd->title);
    hd->title_px = wrap_fit_(tc, hd->title, mt->font_title, 1, max_w - busy_w, hd->tstart, hd->tlen,
                             VIEW_TITLE_LINES, &hd->ntitle);
    view_caption(vm, hd->caption, sizeof hd->caption);
    if (hd->caption[0])
        hd->caption_px = wrap_fit_(tc, hd->caption, mt->font_body, 0, max_w, hd->cstart, hd->clen,
                                   VIEW_CAPTION_LINES, &hd->ncaption);
}

void view_frame(UiFrame *f, DrawCtx *dc, const ViewModel *vm, int legend_h, int ytick_w)
{
    const UiMetrics *m = &dc->metrics;
    int cw = layout_content_width(vm->w, m, view_panel_shown(vm));
    ViewHeading hd;
    view_heading(&hd, dc, vm, cw - 2 * m->pad, view_busy_width(dc, vm));
    layout_frame_lines(f, vm->w, vm->h, m, view_panel_shown(vm), hd.ntitle > 0 ? hd.ntitle : 1, hd.ncaption,
                       vm->interactive, legend_h, ytick_w);
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
