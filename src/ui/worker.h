/* worker.h - recomputation off the window's thread: the newest settings win, the picture on
 * screen stays until the new one is ready.
 *
 * The window hands in configurations with worker_request (a newer one replaces one not yet
 * started) and picks up finished results with worker_take; the worker thread owns its Sim and
 * copies each result into a PlotData that is swapped, never shared. */
#ifndef GF_UI_WORKER_H
#define GF_UI_WORKER_H

#include <SDL.h>
#include <stdint.h>

#include "plotdata.h"

/* What a test may put in place of the clock and watch the thread with (all optional). now: the
 * milliseconds the cancel rule measures (SDL_GetTicks64 when NULL); run_starting: called on the
 * worker's thread when a run has been marked as in progress, before it computes anything. */
typedef struct WorkerHooks {
    Uint64 (*now)(void *ctx);
    void (*run_starting)(void *ctx);
    void *ctx;
} WorkerHooks;

typedef struct Worker {
    SDL_Thread *thread;
    SDL_mutex *lock;
    SDL_cond *cond;
    Uint32 wake_event;      /* SDL event type pushed when a result is ready (0: none) */
    /* under lock: */
    int quit;
    int has_pending;
    SimConfig pending;      /* the newest configuration not yet started */
    double *pending_params[GF_NUM_CELLS]; /* (pending_n[c]) copies of pending.params[c]: the worker
                                             owns the weights it reads */
    size_t pending_n[GF_NUM_CELLS];
    uint64_t pending_gen;
    int has_ready;
    PlotData ready;         /* the newest finished result */
    int ready_new;          /* ready holds a result the window has not taken */
    uint64_t ready_gen;
    int ready_rc;           /* 0, or why the run for ready_gen failed (ready then unchanged) */
    char ready_msg[GF_ERROR_MSG_LEN];
    int running;            /* a run is in progress ... */
    Uint64 run_started;     /* ... since this SDL_GetTicks64() */
    GfCancelFlag cancel;    /* set to stop the run in progress (read by the core, any thread) */
    WorkerHooks hooks;      /* set before the first request (worker_set_hooks) */
    /* the thread's own: */
    Sim sim;
    PlotData scratch;
    double *run_params[GF_NUM_CELLS]; /* (run_n[c]) the weights of the run in progress */
    size_t run_n[GF_NUM_CELLS];
} Worker;

/* Starts the thread. */
int worker_start(Worker *w, Uint32 wake_event, GfError *err);
/* Puts hooks in place of the clock (and a callback at each run's start); call before the first
 * worker_request. */
void worker_set_hooks(Worker *w, const WorkerHooks *hooks);
/* A run older than this is cancelled when newer settings arrive; younger ones finish, so that
 * dragging a slider over a configuration that takes a few frames still shows pictures. */
#define WORKER_CANCEL_AFTER_MS 250

/* Asks for cfg to be computed; gen identifies the request (increasing). cfg->params[c], if any,
 * are copied: the caller may change or free them as soon as this returns. */
void worker_request(Worker *w, const SimConfig *cfg, uint64_t gen);
/* If a run finished since the last call: 1, with *gen its request, *rc its status (and msg, n
 * bytes, the error); on success its result is swapped into *dst. 0 if nothing new. */
int worker_take(Worker *w, PlotData *dst, uint64_t *gen, int *rc, char *msg, size_t n);
/* Stops the thread (cancelling the run in progress) and frees everything; safe on a zeroed
 * Worker. */
void worker_stop(Worker *w);

#endif
