/* view.c - what every view shares: the frame of the picture and the message instead of data. */
#include "view.h"

#include "labels.h"

int view_panel_shown(const ViewModel *vm) { return !vm->plot_only && vm->set->panel; }

void view_frame(UiFrame *f, const DrawCtx *dc, const ViewModel *vm, int legend_h, int ytick_w)
{
    layout_frame(f, vm->w, vm->h, &dc->metrics, view_panel_shown(vm), vm->set->preset >= 0, vm->interactive,
                 legend_h, ytick_w);
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
