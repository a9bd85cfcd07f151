/* worker.c - the recomputation thread: takes the newest configuration, runs the Sim, hands the
 * result back by swapping PlotData buffers under a mutex. */
#include "worker.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void cancel_set_(Worker *w, int v)
{
#if !defined(__STDC_NO_ATOMICS__)
    atomic_store_explicit(&w->cancel, v, memory_order_relaxed);
#else
    w->cancel = v;
#endif
}

/* The cancel rule's clock: the hook's, or SDL's milliseconds. */
static Uint64 now_(const Worker *w) { return w->hooks.now ? w->hooks.now(w->hooks.ctx) : SDL_GetTicks64(); }

static int SDLCALL worker_main_(void *arg)
{
    Worker *w = arg;
    for (;;) {
        SDL_LockMutex(w->lock);
        while (!w->quit && !w->has_pending) SDL_CondWait(w->cond, w->lock);
        if (w->quit) {
            SDL_UnlockMutex(w->lock);
            break;
        }
        SimConfig cfg = w->pending;
        uint64_t gen = w->pending_gen;
        w->has_pending = 0;
        for (int c = 0; c < GF_NUM_CELLS; c++) { /* the copies become the run's: swap the buffers */
            double *p = w->run_params[c];
            size_t n = w->run_n[c];
            w->run_params[c] = w->pending_params[c], w->run_n[c] = w->pending_n[c];
            w->pending_params[c] = p, w->pending_n[c] = n;
            cfg.params[c] = cfg.params[c] ? w->run_params[c] : NULL;
        }
        w->running = 1;
        w->run_started = now_(w);
        cancel_set_(w, 0);
        SDL_UnlockMutex(w->lock);
        if (w->hooks.run_starting) w->hooks.run_starting(w->hooks.ctx);

        GfError err = {0};
        cfg.cancel = &w->cancel;
        int rc = sim_run(&w->sim, &cfg, &err);
        SDL_LockMutex(w->lock);
        w->running = 0;
        SDL_UnlockMutex(w->lock);
        if (rc == GF_ERR_CANCELLED) continue; /* newer settings (or quit) are waiting */
        if (!rc) {
            rc = plotdata_copy_sim(&w->scratch, &w->sim);
            if (rc) gf_error_set(&err, rc, "out of memory copying the results");
        }
        if (!rc) w->scratch.generation = gen;

        SDL_LockMutex(w->lock);
        if (!rc) {
            plotdata_swap(&w->scratch, &w->ready);
            w->ready_new = 1;
        }
        w->has_ready = 1;
        w->ready_gen = gen;
        w->ready_rc = rc;
        snprintf(w->ready_msg, sizeof w->ready_msg, "%s", rc ? err.msg : "");
        SDL_UnlockMutex(w->lock);
        if (w->wake_event) {
            SDL_Event ev;
            memset(&ev, 0, sizeof ev);
            ev.type = w->wake_event;
            SDL_PushEvent(&ev);
        }
    }
    return 0;
}

int worker_start(Worker *w, Uint32 wake_event, GfError *err)
{
    memset(w, 0, sizeof *w);
    sim_init(&w->sim);
    w->wake_event = wake_event;
    w->lock = SDL_CreateMutex();
    w->cond = SDL_CreateCond();
    if (!w->lock || !w->cond) goto fail;
    w->thread = SDL_CreateThread(worker_main_, "gradflow-sim", w);
    if (!w->thread) goto fail;
    return GF_OK;
fail:
    gf_error_set(err, GF_ERR_NOMEM, "cannot start the computing thread: %s", SDL_GetError());
    worker_stop(w);
    return GF_ERR_NOMEM;
}

void worker_set_hooks(Worker *w, const WorkerHooks *hooks)
{
    SDL_LockMutex(w->lock);
    w->hooks = *hooks;
    SDL_UnlockMutex(w->lock);
}

/* Copies n parameters p into *buf (capacity *cap, grown as needed); NULL if out of memory. */
static double *params_copy_(double **buf, size_t *cap, const double *p, size_t n)
{
    if (*cap < n || !*buf) {
        double *q = realloc(*buf, (n ? n : 1) * sizeof *q);
        if (!q) return NULL;
        *buf = q;
        *cap = n;
    }
    memcpy(*buf, p, n * sizeof *p);
    return *buf;
}

void worker_request(Worker *w, const SimConfig *cfg, uint64_t gen)
{
    SDL_LockMutex(w->lock);
    w->pending = *cfg;
    for (int c = 0; c < GF_NUM_CELLS; c++) {
        if (!cfg->params[c] || !(cfg->cells & (1u << c))) {
            w->pending.params[c] = NULL;
            continue;
        }
        /* out of memory: the cell runs from its initial weights rather than not at all */
        w->pending.params[c] = params_copy_(&w->pending_params[c], &w->pending_n[c], cfg->params[c],
                                            sim_param_count(cfg, (GfCell)c));
    }
    w->pending_gen = gen;
    w->has_pending = 1;
    if (w->running && now_(w) - w->run_started > WORKER_CANCEL_AFTER_MS) cancel_set_(w, 1);
    SDL_CondSignal(w->cond);
    SDL_UnlockMutex(w->lock);
}

int worker_take(Worker *w, PlotData *dst, uint64_t *gen, int *rc, char *msg, size_t n)
{
    int got = 0;
    SDL_LockMutex(w->lock);
    if (w->has_ready) {
        got = 1;
        w->has_ready = 0;
        *gen = w->ready_gen;
        *rc = w->ready_rc;
        snprintf(msg, n, "%s", w->ready_msg);
        if (w->ready_new) plotdata_swap(dst, &w->ready);
        w->ready_new = 0;
    }
    SDL_UnlockMutex(w->lock);
    return got;
}

void worker_stop(Worker *w)
{
    if (w->thread) {
        SDL_LockMutex(w->lock);
        w->quit = 1;
        cancel_set_(w, 1);
        SDL_CondSignal(w->cond);
        SDL_UnlockMutex(w->lock);
        SDL_WaitThread(w->thread, NULL);
    }
    if (w->cond) SDL_DestroyCond(w->cond);
    if (w->lock) SDL_DestroyMutex(w->lock);
    plotdata_free(&w->ready);
    plotdata_free(&w->scratch);
    for (int c = 0; c < GF_NUM_CELLS; c++) {
        free(w->pending_params[c]);
        free(w->run_params[c]);
    }
    sim_free(&w->sim);
    memset(w, 0, sizeof *w);
}
