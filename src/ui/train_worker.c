/* train_worker.c - the training thread: commands in under a mutex, trainer_step outside it,
 * snapshots out by copy (see train_worker.h). */
#include "train_worker.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

int train_sim_same_model(const SimConfig *a, const SimConfig *b)
{
    int fb = (isnan(a->forget_bias) && isnan(b->forget_bias)) || a->forget_bias == b->forget_bias;
    int ub = (isnan(a->update_bias) && isnan(b->update_bias)) || a->update_bias == b->update_bias;
    return a->cells == b->cells && a->task == b->task && a->seq_len == b->seq_len && a->hidden == b->hidden &&
           a->layers == b->layers && a->batch == b->batch && a->weight_scale == b->weight_scale &&
           a->init == b->init && fb && ub && a->nonlinearity == b->nonlinearity && a->seed == b->seed &&
           a->weights == b->weights && a->bidirectional == b->bidirectional;
}

int train_config_same_model(const TrainConfig *a, const TrainConfig *b)
{
    return train_sim_same_model(&a->sim, &b->sim) && a->optim.kind == b->optim.kind &&
           a->optim.momentum == b->optim.momentum && a->optim.alpha == b->optim.alpha &&
           a->optim.beta1 == b->optim.beta1 && a->optim.beta2 == b->optim.beta2 && a->optim.eps == b->optim.eps;
}

int train_profile_add(TrainSnapshot *s, Sim *sim, const Trainer *tr, const SimConfig *view, GfError *err)
{
    SimConfig cfg = *view;
    cfg.cells = 0;
    for (int c = 0; c < GF_NUM_CELLS; c++) {
        cfg.params[c] = NULL;
        if (!tr->cell[c].active) continue;
        cfg.cells |= 1u << c;
        cfg.params[c] = tr->cell[c].params;
    }
    if (!cfg.cells) return GF_OK;
    cfg.want_spectra = 0;
    cfg.want_param_grads = 0;
    cfg.cancel = NULL;
    int rc = sim_run(sim, &cfg, err);
    if (rc) return rc;
    for (int c = 0; c < GF_NUM_CELLS && !rc; c++)
        if (tr->cell[c].active) rc = trainsnap_add_profile(s, c, tr->step, &sim->result[c]);
    if (rc) gf_error_set(err, rc, "out of memory for the gradient profile");
    return rc;
}

static void wake_(TrainWorker *w)
{
    if (!w->wake_event) return;
    SDL_Event ev;
    memset(&ev, 0, sizeof ev);
    ev.type = w->wake_event;
    SDL_PushEvent(&ev);
}

/* Copies the thread's own snapshot to pub (under the lock). */
static void publish_(TrainWorker *w, int rc, const char *msg)
{
    SDL_LockMutex(w->lock);
    w->own.running = w->running;
    w->own.rc = rc;
    snprintf(w->own.msg, sizeof w->own.msg, "%s", rc ? msg : "");
    if (trainsnap_copy(&w->pub, &w->own) != GF_OK) {
        w->pub.rc = GF_ERR_NOMEM;
        snprintf(w->pub.msg, sizeof w->pub.msg, "out of memory copying the training history");
    }
    w->pub_new = 1;
    SDL_UnlockMutex(w->lock);
    wake_(w);
}

/* A new configuration: carry on with new hyper-parameters, or a new trainer at step 0. */
static int apply_config_(TrainWorker *w, const TrainConfig *cfg, const SimConfig *view, GfError *err)
{
    if (w->tr_up && !w->failed && train_config_same_model(&w->tr.cfg, cfg) && train_sim_same_model(&w->view, view)) {
        w->tr.cfg.optim.lr = cfg->optim.lr; /* param_group['lr'] = ..., as in PyTorch */
        w->tr.cfg.clip = cfg->clip;
        for (int c = 0; c < GF_NUM_CELLS; c++) w->tr.cell[c].opt.cfg.lr = cfg->optim.lr;
        w->own.cfg = w->tr.cfg;
        return GF_OK;
    }
    trainer_free(&w->tr);
    w->tr_up = 0;
    w->view = *view;
    w->epoch++;
    trainsnap_free(&w->own); /* a new run: nothing of the old one stays on screen */
    int rc = trainer_init(&w->tr, cfg, err);
    if (rc) return rc;
    w->tr_up = 1;
    if ((rc = trainsnap_from_trainer(&w->own, &w->tr, w->epoch)))
        return gf_error_set(err, rc, "out of memory copying the training history");
    return train_profile_add(&w->own, &w->sim, &w->tr, &w->view, err);
}

static int SDLCALL train_main_(void *arg)
{
    TrainWorker *w = arg;
    Uint64 last_pub = 0;
    /* the window's thread and the recomputation come first: training takes what CPU is left */
    SDL_SetThreadPriority(SDL_THREAD_PRIORITY_LOW);
    SDL_LockMutex(w->lock);
    for (;;) {
        while (!w->quit && !w->has_config && !w->rewind_pending && !w->publish_pending &&
               !((w->steps_pending > 0 || w->running) && w->tr_up && !w->failed)) {
            w->steps_pending = 0; /* nothing can step them */
            w->busy = 0;
            SDL_CondBroadcast(w->idle);
            SDL_CondWait(w->cond, w->lock);
        }
        if (w->quit) break;
        w->busy = 1;
        int reset = w->has_config, rewind = w->rewind_pending, asked = w->publish_pending;
        TrainConfig cfg = w->pending;
        SimConfig view = w->pending_view;
        w->has_config = w->rewind_pending = w->publish_pending = 0;
        SDL_UnlockMutex(w->lock);

        GfError err = {0};
        int rc = GF_OK, publish = asked;
        if (reset) {
            rc = apply_config_(w, &cfg, &view, &err);
            w->failed = rc != GF_OK;
            publish = 1;
        }
        if (rewind && w->tr_up && !w->failed) {
            trainer_rewind(&w->tr);
            w->epoch++;
            trainsnap_drop_profiles(&w->own, 0); /* step 0's profile stands: the same weights */
            if (trainsnap_from_trainer(&w->own, &w->tr, w->epoch))
                rc = gf_error_set(&err, GF_ERR_NOMEM, "out of memory copying the training history");
            publish = 1;
        }

        SDL_LockMutex(w->lock);
        int single = 0, step = 0;
        if (!rc && w->tr_up && !w->failed && !w->has_config && !w->rewind_pending) {
            if (w->steps_pending > 0) {
                w->steps_pending--;
                single = step = 1;
            } else if (w->running) {
                step = 1;
            }
        }
        SDL_UnlockMutex(w->lock);

        if (step) {
            rc = trainer_step(&w->tr, &err);
            if (rc) {
                w->failed = 1;
            } else {
                int milestone = trainsnap_milestone_index(w->tr.step) >= 0;
                if (trainsnap_from_trainer(&w->own, &w->tr, w->epoch))
                    rc = gf_error_set(&err, GF_ERR_NOMEM, "out of memory copying the training history");
                else if (milestone)
                    rc = train_profile_add(&w->own, &w->sim, &w->tr, &w->view, &err);
                Uint64 now = SDL_GetTicks64();
                publish |= single || milestone || now - last_pub >= TRAIN_PUBLISH_MS;
            }
        }
        if (rc) {
            SDL_LockMutex(w->lock);
            w->running = 0;
            SDL_UnlockMutex(w->lock);
            publish = 1;
        }
        if (publish) {
            publish_(w, rc, err.msg);
            last_pub = SDL_GetTicks64();
        }
        SDL_LockMutex(w->lock);
    }
    SDL_UnlockMutex(w->lock);
    return 0;
}

int train_worker_start(TrainWorker *w, Uint32 wake_event, GfError *err)
{
    memset(w, 0, sizeof *w);
    sim_init(&w->sim);
    w->wake_event = wake_event;
    w->lock = SDL_CreateMutex();
    w->cond = SDL_CreateCond();
    w->idle = SDL_CreateCond();
    if (!w->lock || !w->cond || !w->idle) goto fail;
    w->thread = SDL_CreateThread(train_main_, "gradflow-train", w);
    if (!w->thread) goto fail;
    return GF_OK;
fail:
    gf_error_set(err, GF_ERR_NOMEM, "cannot start the training thread: %s", SDL_GetError());
    train_worker_stop(w);
    return GF_ERR_NOMEM;
}

void train_worker_configure(TrainWorker *w, const TrainConfig *cfg, const SimConfig *view)
{
    SDL_LockMutex(w->lock);
    w->pending = *cfg;
    w->pending_view = *view;
    w->has_config = 1;
    SDL_CondSignal(w->cond);
    SDL_UnlockMutex(w->lock);
}

void train_worker_set_running(TrainWorker *w, int on)
{
    SDL_LockMutex(w->lock);
    if (w->running != on) w->publish_pending = 1; /* the window learns at once that it runs or stopped */
    w->running = on;
    SDL_CondSignal(w->cond);
    SDL_UnlockMutex(w->lock);
}

void train_worker_step(TrainWorker *w)
{
    SDL_LockMutex(w->lock);
    w->steps_pending++;
    SDL_CondSignal(w->cond);
    SDL_UnlockMutex(w->lock);
}

void train_worker_rewind(TrainWorker *w)
{
    SDL_LockMutex(w->lock);
    w->rewind_pending = 1;
    w->steps_pending = 0; /* steps asked for before the rewind are not carried over */
    SDL_CondSignal(w->cond);
    SDL_UnlockMutex(w->lock);
}

int train_worker_try_take(TrainWorker *w, TrainSnapshot *dst)
{
    if (SDL_TryLockMutex(w->lock) != 0) return 0;
    int got = 0;
    if (w->pub_new && trainsnap_copy(dst, &w->pub) == GF_OK) {
        w->pub_new = 0;
        got = 1;
    }
    SDL_UnlockMutex(w->lock);
    return got;
}

int train_worker_take(TrainWorker *w, TrainSnapshot *dst)
{
    int got = 0;
    SDL_LockMutex(w->lock);
    if (w->pub_new) {
        if (trainsnap_copy(dst, &w->pub) == GF_OK) {
            w->pub_new = 0;
            got = 1;
        }
    }
    SDL_UnlockMutex(w->lock);
    return got;
}

void train_worker_wait_idle(TrainWorker *w)
{
    SDL_LockMutex(w->lock);
    while (!w->running && (w->busy || w->has_config || w->rewind_pending || w->publish_pending ||
                           w->steps_pending > 0))
        SDL_CondWait(w->idle, w->lock);
    SDL_UnlockMutex(w->lock);
}

void train_worker_stop(TrainWorker *w)
{
    if (w->thread) {
        SDL_LockMutex(w->lock);
        w->quit = 1;
        SDL_CondSignal(w->cond);
        SDL_UnlockMutex(w->lock);
        SDL_WaitThread(w->thread, NULL);
    }
    if (w->idle) SDL_DestroyCond(w->idle);
    if (w->cond) SDL_DestroyCond(w->cond);
    if (w->lock) SDL_DestroyMutex(w->lock);
    trainer_free(&w->tr);
    sim_free(&w->sim);
    trainsnap_free(&w->own);
    trainsnap_free(&w->pub);
    memset(w, 0, sizeof *w);
}
