/* train_worker.h - training off the window's thread.
 *
 * The thread owns a Trainer and loops trainer_step while running (or for the single steps asked
 * for), and publishes a TrainSnapshot: after every single step, rewind and reset, and every
 * TRAIN_PUBLISH_MS while running. At the milestone steps (0, 100, 1000, ...) it also computes the
 * gradient profile of the weights over the sequence the views show (its own Sim). The window
 * copies the snapshot with train_worker_take; nothing the thread writes is shared unlocked. */
#ifndef GF_UI_TRAIN_WORKER_H
#define GF_UI_TRAIN_WORKER_H

#include <SDL.h>
#include <stdint.h>

#include "trainsnap.h"

#define TRAIN_PUBLISH_MS 100

typedef struct TrainWorker {
    SDL_Thread *thread;
    SDL_mutex *lock;
    SDL_cond *cond;          /* wakes the thread: a command arrived */
    SDL_cond *idle;          /* signalled when the thread has nothing left to do */
    Uint32 wake_event;       /* SDL event type pushed after a publish (0: none) */
    /* under lock: */
    int quit;
    int has_config;          /* a configuration not yet taken */
    TrainConfig pending;     /* ... what trains */
    SimConfig pending_view;  /* ... and the sequence the milestone profiles run on */
    int running;             /* train continuously */
    long steps_pending;      /* single steps asked for */
    int rewind_pending;
    int publish_pending;     /* publish even without a step (running switched) */
    int busy;                /* the thread is working on a command or a step */
    TrainSnapshot pub;       /* the newest published state */
    int pub_new;             /* pub changed since the last train_worker_take */
    /* the thread's own: */
    Trainer tr;
    int tr_up;               /* tr holds an initialised trainer */
    int failed;              /* the last init or step failed: no steps until a new config */
    uint64_t epoch;
    SimConfig view;
    Sim sim;
    TrainSnapshot own;
} TrainWorker;

/* Starts the thread (no trainer until the first configuration). */
int train_worker_start(TrainWorker *w, Uint32 wake_event, GfError *err);
/* The configuration to train. A new model (anything but the learning rate and the clip threshold
 * differs) starts a new trainer: new initial weights, step 0; the learning rate and the clip
 * threshold change in place, from the next step on. */
void train_worker_configure(TrainWorker *w, const TrainConfig *cfg, const SimConfig *view);
/* Train continuously (1) or pause (0). */
void train_worker_set_running(TrainWorker *w, int on);
/* One more step (after those already asked for). */
void train_worker_step(TrainWorker *w);
/* Back to the initial weights, step 0 (bit-identical to the first time). */
void train_worker_rewind(TrainWorker *w);
/* Copies the newest published snapshot into *dst if it changed since the last call: 1, else 0. */
int train_worker_take(TrainWorker *w, TrainSnapshot *dst);
/* The same without waiting: 0 when the thread holds the lock at this moment (the window's frame
 * never waits on the training thread, which runs at a low priority). */
int train_worker_try_take(TrainWorker *w, TrainSnapshot *dst);
/* Waits until every command and single step asked for is done (returns at once while running):
 * for tests, which must not depend on timing. */
void train_worker_wait_idle(TrainWorker *w);
/* Stops the thread and frees everything; safe on a zeroed TrainWorker. */
void train_worker_stop(TrainWorker *w);

/* The same networks and data: every SimConfig field that shapes or initialises the networks or
 * the data (cells, task, T, H, L, B, scale, init, forget bias, nonlinearity, seed, weights). */
int train_sim_same_model(const SimConfig *a, const SimConfig *b);
/* The same model and optimizer (so a trainer of a carries on for b): every SimConfig field that
 * shapes or initialises the networks or the data, the optimizer and its momentum. */
int train_config_same_model(const TrainConfig *a, const TrainConfig *b);

/* The gradient profile of tr's current weights over view's sequence, stored in s as milestone
 * tr->step (sim is the caller's scratch). */
int train_profile_add(TrainSnapshot *s, Sim *sim, const Trainer *tr, const SimConfig *view, GfError *err);

#endif
