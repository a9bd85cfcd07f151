/* bench.c - `gradflow bench`: forward + backpropagation through time timed per cell, and the
 * window's frame times while the weight scale is dragged (--ui). */
#include "bench.h"

#include <stdio.h>
#include <stdlib.h>

#include "core/gf_limits.h"
#include "gf_config.h"
#include "platform.h"

static int cmp_double_(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Floating-point operations of one forward + BPTT, as the README states them: per layer, step
 * and sequence, 2 G H (I_l + H) forward (input and recurrent products), 2 G H H backward through
 * the recurrence, and 2 G H I_l for the input gradient of layers above the first (and of the
 * first with --full, which also counts 2 G H (I_l + H) for the parameter gradients).
 * Elementwise work is not counted. */
static double flops_(const SimConfig *cfg, GfCell cell, int full)
{
    double G = gf_cell_gates(cell), H = cfg->hidden, I = gf_task_inputs(cfg->task), total = 0;
    for (int l = 0; l < cfg->layers; l++) {
        double in = l == 0 ? I : H;
        double f = 2 * G * H * (in + H) + 2 * G * H * H;
        if (l > 0 || full) f += 2 * G * H * in;
        if (full) f += 2 * G * H * (in + H);
        total += f;
    }
    return total * cfg->seq_len * cfg->batch;
}

/* The rate a bench row's length is foreseen at, before anything is timed: a slow machine's (a
 * baseline x86-64 build under load reaches a few GFLOP/s), so the progress line errs on the side
 * of showing. */
#define BENCH_FORESEEN_GFLOPS 2.0

static int bench_one_(const SimConfig *base, unsigned cells, const BenchOptions *opt, GfError *err)
{
    const int full = opt->full, csv = opt->csv;
    int repeat = opt->repeat;
    SimConfig cfg = *base;
    cfg.cells = cells;
    cfg.want_param_grads = full;
    cfg.want_spectra = 0;
    cfg.want_factors = opt->factors; /* forward + BPTT alone unless asked: what PyTorch is timed doing */
    const char *name = cells == GF_CELLS_ALL ? "all" : gf_cell_name(cells == 1u ? GF_CELL_RNN : cells == 2u ? GF_CELL_LSTM : GF_CELL_GRU);
    double fl = 0;
    for (int c = 0; c < GF_NUM_CELLS; c++)
        if (cells & (1u << c)) fl += flops_(&cfg, (GfCell)c, full);
    /* a row foreseen to take over a second says so on stderr first (stdout stays the table):
       the warm-up, the calibration run when the count is automatic, and the timed runs (at least
       5 when automatic) */
    int foreseen_runs = 1 + (repeat > 0 ? repeat : 6);
    double foreseen_s = fl * foreseen_runs / (BENCH_FORESEEN_GFLOPS * 1e9);
    if (foreseen_s > 1.0) {
        fprintf(stderr, "gradflow bench: %s, hidden %d, seq-len %d, batch %d, layers %d: %.3g GFLOP a run, "
                "warming up\n", name, cfg.hidden, cfg.seq_len, cfg.batch, cfg.layers, fl / 1e9);
        fflush(stderr);
    }
    Sim sim;
    sim_init(&sim);
    double tw = platform_now_ms();
    int rc = sim_run(&sim, &cfg, err); /* warm-up: allocation and page faults */
    double warm = platform_now_ms() - tw;
    if (rc) {
        sim_free(&sim);
        return rc;
    }
    if (repeat <= 0) {
        /* about half a second of timing, between 5 and 51 runs */
        double t0 = platform_now_ms();
        sim_run(&sim, &cfg, err);
        double once = platform_now_ms() - t0;
        repeat = once > 0 ? (int)(500.0 / once) : 51;
        repeat = repeat < 5 ? 5 : repeat > 51 ? 51 : repeat;
    }
    if (foreseen_s > 1.0 || warm * repeat > 1000.0) {
        fprintf(stderr, "gradflow bench: %s: %.2f s a run, timing %d runs (about %.0f s)\n", name, warm / 1e3,
                repeat, warm * repeat / 1e3);
        fflush(stderr);
    }
    double *ms = malloc(sizeof(double) * (size_t)repeat);
    if (!ms) {
        sim_free(&sim);
        return gf_error_set(err, GF_ERR_NOMEM, "out of memory");
    }
    for (int i = 0; i < repeat && !rc; i++) {
        double t0 = platform_now_ms();
        rc = sim_run(&sim, &cfg, err);
        ms[i] = platform_now_ms() - t0;
    }
    if (!rc) {
        qsort(ms, (size_t)repeat, sizeof *ms, cmp_double_);
        double med = repeat % 2 ? ms[repeat / 2] : 0.5 * (ms[repeat / 2 - 1] + ms[repeat / 2]);
        if (csv)
            printf("%s,%d,%d,%d,%d,%.4f,%.3f\n", name, cfg.layers, cfg.hidden, cfg.seq_len, cfg.batch, med,
                   fl / (med * 1e6));
        else /* the fastest run too: on a shared machine the median carries the neighbours' load */
            printf("%-5s %6d %6d %8d %5d %11.3f %8.3f %9.2f %6d\n", name, cfg.layers, cfg.hidden, cfg.seq_len,
                   cfg.batch, med, ms[0], fl / (med * 1e6), repeat);
        fflush(stdout);
    }
    free(ms);
    sim_free(&sim);
    return rc;
}

int bench_run(const SimConfig *base, const BenchOptions *opt, GfError *err)
{
    static const int sweep_h[] = {32, 64, 128}, sweep_t[] = {100, 1000, 10000};
    int rc = sim_config_check(base, err);
    if (rc) return rc;
    if (opt->csv)
        printf("cell,layers,hidden,seq_len,batch,ms_median,gflops\n");
    else
        printf("%-5s %6s %6s %8s %5s %11s %8s %9s %6s\n", "cell", "layers", "hidden", "seq_len", "batch",
               "ms_median", "ms_min", "GFLOP/s", "runs");
    int nh = opt->sweep ? 3 : 1, nt = opt->sweep ? 3 : 1;
    for (int a = 0; a < nh && !rc; a++)
        for (int b = 0; b < nt && !rc; b++) {
            SimConfig cfg = *base;
            if (opt->sweep) cfg.hidden = sweep_h[a], cfg.seq_len = sweep_t[b];
            for (int c = 0; c < GF_NUM_CELLS && !rc; c++)
                if (cfg.cells & (1u << c)) rc = bench_one_(&cfg, 1u << c, opt, err);
            if (!rc && cfg.cells == GF_CELLS_ALL)
                rc = bench_one_(&cfg, GF_CELLS_ALL, opt, err);
        }
    return rc;
}

int bench_window(const UiOptions *opt, const BenchOptions *bench, GfError *err)
{
#if GF_WITH_UI
    UiOptions o = *opt;
    if (o.width == 0) o.width = GF_SIZE_W_DEFAULT, o.height = GF_SIZE_H_DEFAULT;
    UiBenchResult r;
    int rc = ui_bench(&o, bench->frames ? bench->frames : GF_BENCH_FRAMES_DEFAULT, &r, err);
    if (rc) return rc;
    printf("window %dx%d, weight scale dragged over %d frames (T=%d, H=%d, L=%d):\n", r.width, r.height,
           r.frames, o.sim.seq_len, o.sim.hidden, o.sim.layers);
    printf("  %.1f frames/s, %.2f ms per frame (longest %.2f ms), %.2f ms of it drawing, "
           "%.1f new pictures/s\n", r.fps, r.ms_frame_mean, r.ms_frame_max, r.ms_draw_mean, r.results_per_s);
    return GF_OK;
#else
    (void)opt;
    (void)bench;
    return gf_error_set(err, GF_ERR_RANGE, "this gradflow was built without SDL2, so bench --ui has no window to time");
#endif
}
