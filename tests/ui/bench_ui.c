/* bench_ui.c - frame times of the real window while the weight-scale slider is dragged:
 *   bench_ui [T [H [frames [WIDTHxHEIGHT]]]]     (defaults 1000 64 600 1920x1080)
 * Needs a display (or SDL_VIDEODRIVER=dummy for the software path). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui.h"

int main(int argc, char **argv)
{
    UiOptions o;
    memset(&o, 0, sizeof o);
    sim_config_default(&o.sim);
    o.sim.seq_len = argc > 1 ? atoi(argv[1]) : 1000;
    o.sim.hidden = argc > 2 ? atoi(argv[2]) : 64;
    int frames = argc > 3 ? atoi(argv[3]) : 600;
    o.width = 1920;
    o.height = 1080;
    if (argc > 4 && sscanf(argv[4], "%dx%d", &o.width, &o.height) != 2) {
        fprintf(stderr, "bench_ui: size '%s' is not WIDTHxHEIGHT\n", argv[4]);
        return 2;
    }
    UiBenchResult r;
    GfError err = {0};
    if (ui_bench(&o, frames, &r, &err)) {
        fprintf(stderr, "bench_ui: %s\n", err.msg);
        return 1;
    }
    printf("dragging the weight scale at T=%d, H=%d, all three cells, %dx%d px, %d frames:\n",
           o.sim.seq_len, o.sim.hidden, r.width, r.height, r.frames);
    printf("  %.1f frames/s, %.2f ms per frame (longest %.2f ms), %.2f ms of it drawing\n", r.fps,
           r.ms_frame_mean, r.ms_frame_max, r.ms_draw_mean);
    printf("  %.1f new pictures/s (recomputations finished while dragging)\n", r.results_per_s);
    return 0;
}
