/* test_train_pytorch.c - gradflow's training steps against PyTorch's, step by step.
 *
 * Each fixture in tests/fixtures/train_*.safetensors was written by tests/gen_train_fixtures.py:
 * PyTorch alone drew the initial weights and every step's batch, and trained nn.RNN / nn.LSTM /
 * nn.GRU + nn.Linear with torch.optim (SGD with and without momentum, RMSprop with and without,
 * Adam) and clip_grad_norm_ (on and off), 1 to 3 layers, on adding, recall and copy. This suite
 * starts a Net from the fixture's init.* weights, replays its batches with the core's own steps
 *     net_forward, net_loss, net_backward, optim_clip, optim_step
 * and requires every step's loss and global gradient norm within 1e-9 of PyTorch's (relative),
 * and every final weight within 1e-9 of the largest magnitude of its tensor. A failure names the
 * fixture, the step or tensor, and both values. */
#include <check.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "net.h"
#include "optim.h"
#include "safetensors.h"
#include "testutil.h"

#define TOL 1e-9

static const char *const fixtures[] = {
    "train_rnn_sgd_adding_l1",  "train_rnn_rmsprop_recall_l3", "train_rnn_adam_copy_l2",
    "train_lstm_sgd_recall_l2", "train_lstm_rmsprop_copy_l1",  "train_lstm_adam_adding_l3",
    "train_gru_sgd_copy_l3",    "train_gru_rmsprop_adding_l2", "train_gru_adam_recall_l1",
    "train_rnn_relu_sgd_copy_l1",
};
#define N_FIXTURES ((int)(sizeof fixtures / sizeof fixtures[0]))

/* The fixture's metadata value of key, which must be there. */
static const char *meta_(const StFile *f, const char *fix, const char *key)
{
    const char *v = st_meta(f, key);
    ck_assert_msg(v != NULL, "%s: no metadata %s", fix, key);
    return v;
}

static double meta_num_(const StFile *f, const char *fix, const char *key)
{
    return strtod(meta_(f, fix, key), NULL);
}

static const StTensor *tensor_(const StFile *f, const char *fix, const char *name, size_t numel)
{
    const StTensor *t = st_find(f, name);
    ck_assert_msg(t != NULL, "%s: no tensor %s", fix, name);
    ck_assert_msg(t->numel == numel, "%s: %s has %zu elements, gradflow's shape %zu", fix, name,
                  t->numel, numel);
    return t;
}

/* Every parameter tensor of net under PyTorch's names (with prefix), and where it lives in a
 * params-shaped block. */
typedef struct ParamRef {
    char name[64];
    size_t offset, numel;
} ParamRef;

static int param_refs_(const Net *net, const char *prefix, ParamRef *out)
{
    const size_t GH = (size_t)net->G * net->s.H, H = (size_t)net->s.H, O = (size_t)net->s.O;
    int n = 0;
    for (int k = 0; k < net->s.L; k++) {
        const size_t Ik = (size_t)net_layer_inputs(net, k);
        const struct { const char *what; const double *p; size_t numel; } parts[4] = {
            {"weight_ih", net->w_ih[k], GH * Ik}, {"weight_hh", net->w_hh[k], GH * H},
            {"bias_ih", net->b_ih[k], GH}, {"bias_hh", net->b_hh[k], GH}};
        for (int j = 0; j < 4; j++, n++) {
            snprintf(out[n].name, sizeof out[n].name, "%s%s_l%d", prefix, parts[j].what, k);
            out[n].offset = (size_t)(parts[j].p - net->params);
            out[n].numel = parts[j].numel;
        }
    }
    snprintf(out[n].name, sizeof out[n].name, "%shead.weight", prefix);
    out[n].offset = (size_t)(net->head_w - net->params), out[n++].numel = O * H;
    snprintf(out[n].name, sizeof out[n].name, "%shead.bias", prefix);
    out[n].offset = (size_t)(net->head_b - net->params), out[n++].numel = O;
    return n;
}

/* Little-endian int64 element i of an I64 tensor (the data may be unaligned). */
static int64_t i64_at_(const StTensor *t, size_t i)
{
    uint64_t u = 0;
    for (int k = 7; k >= 0; k--) u = (u << 8) | t->data[8 * i + (size_t)k];
    return (int64_t)u;
}

START_TEST(training_agrees_with_pytorch)
{
    const char *fix = fixtures[_i];
    char file[256];
    snprintf(file, sizeof file, "%s.safetensors", fix);
    size_t len;
    uint8_t *buf = (uint8_t *)tu_read_file(tu_fixture_path(file), &len);
    ck_assert_msg(buf != NULL, "cannot read %s (run tests/gen_train_fixtures.py)", tu_fixture_path(file));
    StFile f;
    GfError err = {0};
    ck_assert_msg(st_parse(&f, buf, len, &err) == GF_OK, "%s: %s", fix, err.msg);

    /* the configuration */
    GfCell cell;
    GfTask task;
    GfNonlin nonlin;
    GfOptimizer kind;
    ck_assert_int_eq(gf_cell_parse(meta_(&f, fix, "cell"), &cell), 0);
    ck_assert_int_eq(gf_task_parse(meta_(&f, fix, "task"), &task), 0);
    ck_assert_int_eq(gf_nonlin_parse(meta_(&f, fix, "nonlinearity"), &nonlin), 0);
    ck_assert_int_eq(gf_optimizer_parse(meta_(&f, fix, "optimizer"), &kind), 0);
    const StTensor *tin = st_find(&f, "train.inputs");
    ck_assert_msg(tin && tin->ndim == 4, "%s: train.inputs must be (S, B, T, I)", fix);
    const int S = (int)tin->shape[0];
    NetShape s = {
        .cell = cell, .nonlin = nonlin,
        .L = (int)meta_num_(&f, fix, "layers"), .H = (int)meta_num_(&f, fix, "hidden"),
        .I = gf_task_inputs(task), .O = gf_task_outputs(task),
        .B = (int)tin->shape[1], .T = (int)tin->shape[2], .per_step = gf_task_per_step(task),
    };
    ck_assert_int_eq(s.T, gf_task_steps(task, (int)meta_num_(&f, fix, "seq_len")));
    ck_assert_int_eq(tin->shape[3], s.I);
    OptimConfig oc;
    optim_config_default(&oc, kind, meta_num_(&f, fix, "lr"));
    oc.momentum = meta_num_(&f, fix, "momentum");
    oc.alpha = meta_num_(&f, fix, "alpha");
    oc.eps = meta_num_(&f, fix, "eps");
    ck_assert_int_eq(sscanf(meta_(&f, fix, "betas"), "%lf,%lf", &oc.beta1, &oc.beta2), 2);
    const double clip = meta_num_(&f, fix, "clip");

    Net net = {0};
    Optim opt;
    ck_assert_msg(net_init(&net, &s, &err) == GF_OK, "%s: %s", fix, err.msg);
    ck_assert_msg(optim_init(&opt, &oc, net.n_params, &err) == GF_OK, "%s: %s", fix, err.msg);

    /* the initial weights */
    ParamRef init[4 * GF_LAYERS_MAX + 2], final[4 * GF_LAYERS_MAX + 2];
    const int np = param_refs_(&net, "init.", init);
    param_refs_(&net, "", final);
    size_t covered = 0;
    for (int k = 0; k < np; k++) {
        const StTensor *t = tensor_(&f, fix, init[k].name, init[k].numel);
        ck_assert_int_eq(st_to_f64(t, net.params + init[k].offset, &err), GF_OK);
        covered += init[k].numel;
    }
    ck_assert_uint_eq(covered, net.n_params);

    /* every step's batch, and PyTorch's loss and gradient norm */
    const size_t nx = (size_t)s.B * s.T * s.I, ny = task == GF_TASK_ADDING ? (size_t)s.B * s.O
                                                  : (size_t)s.B * net_head_steps(&s);
    double *inputs = malloc(sizeof(double) * nx * (size_t)S);         /* (S, B, T, I) */
    double *loss_ref = malloc(sizeof(double) * (size_t)S);             /* (S) */
    double *norm_ref = malloc(sizeof(double) * (size_t)S);             /* (S) */
    double *t_real = malloc(sizeof(double) * ny * (size_t)S);          /* adding (S, B, O) */
    int64_t *t_class = malloc(sizeof(int64_t) * ny * (size_t)S);       /* (S, B) or copy (S, B, T) */
    ck_assert(inputs && loss_ref && norm_ref && t_real && t_class);
    ck_assert_int_eq(st_to_f64(tin, inputs, &err), GF_OK);
    ck_assert_int_eq(st_to_f64(tensor_(&f, fix, "train.loss", (size_t)S), loss_ref, &err), GF_OK);
    ck_assert_int_eq(st_to_f64(tensor_(&f, fix, "train.grad_norm", (size_t)S), norm_ref, &err), GF_OK);
    const StTensor *tt = tensor_(&f, fix, "train.targets", ny * (size_t)S);
    if (task == GF_TASK_ADDING) {
        ck_assert_int_eq(st_to_f64(tt, t_real, &err), GF_OK);
    } else {
        ck_assert_msg(tt->dtype == ST_I64, "%s: class targets must be I64", fix);
        for (size_t i = 0; i < ny * (size_t)S; i++) t_class[i] = i64_at_(tt, i);
    }

    /* the replay: one PyTorch step is forward, loss, backward, clip_grad_norm_, optimizer.step */
    int n_clipped = 0;
    for (int step = 0; step < S; step++) {
        net_prepare(&net);
        memcpy(net.x, inputs + (size_t)step * nx, sizeof(double) * nx);
        net_forward(&net);
        double loss = net_loss(&net, task, t_real + (size_t)step * ny, t_class + (size_t)step * ny);
        net_backward(&net, 1);
        int clipped = 0;
        double norm = optim_clip(net.grads, net.n_params, clip, &clipped);
        n_clipped += clipped;
        ck_assert_msg(tu_rel_diff(loss, loss_ref[step], 1e-300) <= TOL,
                      "%s: step %d: loss gradflow %.17g, torch %.17g", fix, step, loss, loss_ref[step]);
        ck_assert_msg(tu_rel_diff(norm, norm_ref[step], 1e-300) <= TOL,
                      "%s: step %d: gradient norm gradflow %.17g, torch %.17g", fix, step, norm,
                      norm_ref[step]);
        optim_step(&opt, net.params, net.grads);
    }
    /* a fixture with a threshold has it act (so the clipped path is what agreed) */
    if (clip > 0) ck_assert_msg(n_clipped > 0, "%s: clip %g never acted", fix, clip);

    /* the final weights, each tensor relative to its largest magnitude */
    double *ref = malloc(sizeof(double) * net.n_params); /* (n_params) room for any one tensor */
    ck_assert_ptr_nonnull(ref);
    for (int k = 0; k < np; k++) {
        const StTensor *t = tensor_(&f, fix, final[k].name, final[k].numel);
        ck_assert_int_eq(st_to_f64(t, ref, &err), GF_OK);
        const double *mine = net.params + final[k].offset;
        double scale = 0.0, dmax = 0.0;
        size_t at = 0;
        for (size_t i = 0; i < final[k].numel; i++) {
            scale = fmax(scale, fabs(ref[i]));
            double d = fabs(mine[i] - ref[i]);
            if (!(d <= dmax)) dmax = d, at = i; /* also takes a NaN */
        }
        ck_assert_msg(dmax <= TOL * scale, "%s: final %s[%zu]: gradflow %.17g, torch %.17g, |diff| "
                      "%.3g of the tensor's largest magnitude %.6g (tolerance %g)", fix, final[k].name,
                      at, mine[at], ref[at], dmax / scale, scale, TOL);
        /* and training moved it (the comparison is not of the initial weights with themselves) */
        const StTensor *t0 = st_find(&f, init[k].name);
        ck_assert_int_eq(st_to_f64(t0, ref, &err), GF_OK);
        ck_assert_msg(memcmp(ref, mine, sizeof(double) * final[k].numel) != 0,
                      "%s: %s did not change in training", fix, final[k].name);
    }

    free(ref);
    free(inputs);
    free(loss_ref);
    free(norm_ref);
    free(t_real);
    free(t_class);
    optim_free(&opt);
    net_free(&net);
    st_free(&f);
    free(buf);
}
END_TEST

static Suite *suite_(void)
{
    Suite *s = suite_create("train_pytorch");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 120);
    tcase_add_loop_test(tc, training_agrees_with_pytorch, 0, N_FIXTURES);
    suite_add_tcase(s, tc);
    return s;
}

GF_CHECK_MAIN(suite_)
