/* weights.c - loading a PyTorch nn.RNN / nn.LSTM / nn.GRU state_dict from .safetensors.
 *
 * The architecture is read from the tensors themselves: H = columns of weight_hh_l0, G = its rows
 * / H (1 rnn, 4 lstm, 3 gru), I = columns of weight_ih_l0, L = how many weight_hh_l{k} follow one
 * another from k = 0. Every tensor is then checked against the shape that architecture implies,
 * and converted from F32 or F64 into one block of doubles. Tensors that are not parameters (the
 * inputs and gradients of a gradflow run file, say) are ignored. Values are not checked: a model
 * with huge or non-finite weights is a legitimate thing to look at. */
#include "weights.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "safetensors.h"

#define SHAPE_TEXT_LEN 96

/* For messages: at most cap-1 bytes of a metadata value, control characters shown as '?'. */
static void printable_(char *dst, size_t cap, const char *src)
{
    size_t i = 0;
    for (; src[i] && i + 1 < cap; i++) {
        unsigned char c = (unsigned char)src[i];
        dst[i] = c < 0x20 || c == 0x7f ? '?' : (char)c;
    }
    dst[i] = '\0';
}

/* "[a, b]" for messages. */
static void shape_text_(char *buf, size_t cap, const int64_t *shape, int ndim)
{
    st_int_list(buf, cap, shape, ndim, ", ");
}

/* Layer number k if name is exactly prefix followed by a decimal k (no sign, no leading zeros,
 * nothing after), else -1. */
static int layer_suffix_(const char *name, const char *prefix)
{
    size_t n = strlen(prefix);
    if (strncmp(name, prefix, n) != 0) return -1;
    const char *p = name + n;
    if (*p < '0' || *p > '9' || (p[0] == '0' && p[1] != '\0')) return -1;
    long k = 0;
    for (; *p; p++) {
        if (*p < '0' || *p > '9' || k > 1000000) return -1;
        k = k * 10 + (*p - '0');
    }
    return (int)k;
}

/* Checks that tensor t has exactly the expected shape (ndim entries); the message names the
 * tensor, the shape found and the shape expected, and what the expectation came from. */
static int check_shape_(const StTensor *t, int ndim, const int64_t *want, const char *why,
                        GfError *err)
{
    int same = t->ndim == ndim;
    for (int d = 0; same && d < ndim; d++) same = t->shape[d] == want[d];
    if (same) return GF_OK;
    char found[SHAPE_TEXT_LEN], expected[SHAPE_TEXT_LEN];
    shape_text_(found, sizeof found, t->shape, t->ndim);
    shape_text_(expected, sizeof expected, want, ndim);
    return gf_error_set(err, GF_ERR_SHAPE, "%s has shape %s, expected %s (%s)", t->name, found,
                        expected, why);
}

/* Reads H, G, I and the cell kind from weight_hh_l0 and weight_ih_l0. */
static int infer_arch_(GfWeights *w, const StFile *f, GfError *err)
{
    char found[SHAPE_TEXT_LEN];
    const StTensor *hh = st_find(f, "weight_hh_l0");
    if (!hh)
        return gf_error_set(err, GF_ERR_MISSING,
                            "weight_hh_l0 is missing: expected a state_dict of nn.RNN, nn.LSTM or "
                            "nn.GRU (weight_ih_l0, weight_hh_l0, ...)");
    shape_text_(found, sizeof found, hh->shape, hh->ndim);
    if (hh->ndim != 2 || hh->shape[1] < 1 || hh->shape[0] < 1 || hh->shape[0] % hh->shape[1] != 0)
        return gf_error_set(err, GF_ERR_SHAPE,
                            "weight_hh_l0 has shape %s, expected [G*H, H] with G = 1 (rnn), 4 "
                            "(lstm) or 3 (gru)", found);
    int64_t H = hh->shape[1], G = hh->shape[0] / H;
    if (G == 1) w->cell = GF_CELL_RNN;
    else if (G == 4) w->cell = GF_CELL_LSTM;
    else if (G == 3) w->cell = GF_CELL_GRU;
    else
        return gf_error_set(err, GF_ERR_SHAPE,
                            "weight_hh_l0 has shape %s: %lld rows per hidden unit, expected 1 "
                            "(rnn), 4 (lstm) or 3 (gru)", found, (long long)G);
    if (H > GF_HIDDEN_MAX)
        return gf_error_set(err, GF_ERR_RANGE,
                            "weight_hh_l0 has shape %s: hidden size %lld, at most %d is accepted",
                            found, (long long)H, GF_HIDDEN_MAX);
    w->H = (int)H;
    w->G = (int)G;

    const StTensor *ih = st_find(f, "weight_ih_l0");
    if (!ih)
        return gf_error_set(err, GF_ERR_MISSING, "weight_ih_l0 is missing (%s, hidden %d)",
                            gf_cell_name(w->cell), w->H);
    if (ih->ndim != 2 || ih->shape[0] != G * H || ih->shape[1] < 1 ||
        ih->shape[1] > (int64_t)1 << 24) {
        shape_text_(found, sizeof found, ih->shape, ih->ndim);
        return gf_error_set(err, GF_ERR_SHAPE,
                            "weight_ih_l0 has shape %s, expected [%lld, I] with I from 1 to %d "
                            "(%s, hidden %d)", found, (long long)(G * H), 1 << 24,
                            gf_cell_name(w->cell), w->H);
    }
    w->I = (int)ih->shape[1];
    return GF_OK;
}

/* Counts the layers (weight_hh_l0, weight_hh_l1, ... without a gap) and refuses parameter
 * tensors this loader would otherwise silently drop. */
static int count_layers_(GfWeights *w, const StFile *f, GfError *err)
{
    char name[32];
    int L = 0;
    for (;;) {
        snprintf(name, sizeof name, "weight_hh_l%d", L);
        if (!st_find(f, name)) break;
        if (++L > GF_LAYERS_MAX)
            return gf_error_set(err, GF_ERR_RANGE,
                                "the file has more than %d layers (weight_hh_l%d); 1 to %d are "
                                "accepted", GF_LAYERS_MAX, L - 1, GF_LAYERS_MAX);
    }
    w->L = L;
    /* bidirectional=True: every layer's four tensors again with "_reverse" */
    w->D = st_find(f, "weight_hh_l0_reverse") ? 2 : 1;

    static const char *const prefixes[] = {"weight_ih_l", "weight_hh_l", "bias_ih_l", "bias_hh_l"};
    for (int i = 0; i < f->n_tensors; i++) {
        const char *tn = f->tensors[i].name;
        if (strncmp(tn, "weight_hr_l", 11) == 0)
            return gf_error_set(err, GF_ERR_FORMAT,
                                "%s belongs to an LSTM with proj_size > 0, which gradflow does not "
                                "model", tn);
        size_t n = strlen(tn);
        char base[64];
        if ((strncmp(tn, "weight_", 7) == 0 || strncmp(tn, "bias_", 5) == 0) && n > 8 &&
            strcmp(tn + n - 8, "_reverse") == 0) {
            if (w->D == 1)
                return gf_error_set(err, GF_ERR_MISSING,
                                    "%s belongs to a bidirectional model, but weight_hh_l0_reverse "
                                    "is missing", tn);
            snprintf(base, sizeof base, "%.*s", (int)(n - 8 < sizeof base - 1 ? n - 8 : sizeof base - 1), tn);
            tn = base; /* layer numbers as for the forward direction */
        }
        for (int p = 0; p < 4; p++) {
            int k = layer_suffix_(tn, prefixes[p]);
            if (k >= L)
                return gf_error_set(err, GF_ERR_MISSING,
                                    "%s is present but weight_hh_l%d is missing (layers are "
                                    "numbered 0 to L-1 without gaps; found %d)", tn, k, L);
        }
    }
    return GF_OK;
}

int weights_parse(GfWeights *w, const uint8_t *buf, size_t len, GfError *err)
{
    StFile f = {0};
    char why[64], name[32];
    memset(w, 0, sizeof *w);
    int rc = st_parse(&f, buf, len, err);
    if (rc != GF_OK) goto fail;
    rc = infer_arch_(w, &f, err);
    if (rc != GF_OK) goto fail;
    rc = count_layers_(w, &f, err);
    if (rc != GF_OK) goto fail;

    const int L = w->L, H = w->H, GH = w->G * w->H, D = w->D;
    snprintf(why, sizeof why, "%s, hidden %d%s", gf_cell_name(w->cell), H, D > 1 ? ", bidirectional" : "");

    /* A gradflow run file names its cell: it must agree with the shapes. */
    const char *meta_cell = st_meta(&f, "cell");
    GfCell named;
    char shown[41];
    if (meta_cell && (gf_cell_parse(meta_cell, &named) != 0 || named != w->cell)) {
        printable_(shown, sizeof shown, meta_cell);
        rc = gf_error_set(err, GF_ERR_FORMAT,
                          "metadata cell \"%s\" does not match the tensors, whose shapes are "
                          "those of %s", shown, gf_cell_name(w->cell));
        goto fail;
    }
    const char *meta_nl = st_meta(&f, "nonlinearity");
    if (meta_nl) {
        if (gf_nonlin_parse(meta_nl, &w->nonlin) != 0) {
            printable_(shown, sizeof shown, meta_nl);
            rc = gf_error_set(err, GF_ERR_FORMAT,
                              "metadata nonlinearity \"%s\" is not tanh or relu", shown);
            goto fail;
        }
        w->has_nonlin = 1;
    }
    /* A gradflow run file also says which sequence it ran on: the caller may reuse it. */
    const char *fmt = st_meta(&f, "format");
    w->w_hh_scale = 1.0;
    /* a run file, or a train file (its final weights): the sequence they were shown on */
    if (fmt && (!strcmp(fmt, "gradflow run") || !strcmp(fmt, "gradflow train"))) {
        const char *mf = st_meta(&f, "weight_hh_float32_scale");
        char *endf = NULL;
        double fs = mf ? strtod(mf, &endf) : 0.0;
        if (mf && *mf && !*endf && isfinite(fs) && fs > 0.0) w->w_hh_scale = fs;
        const char *mt = st_meta(&f, "task"), *ms = st_meta(&f, "seq_len");
        const char *mb = st_meta(&f, "batch"), *md = st_meta(&f, "seed");
        char *end1 = NULL, *end2 = NULL, *end3 = NULL;
        long T = ms ? strtol(ms, &end1, 10) : 0, B = mb ? strtol(mb, &end2, 10) : 0;
        unsigned long long seed = md ? strtoull(md, &end3, 10) : 0;
        if (mt && gf_task_parse(mt, &w->task) == 0 && ms && !*end1 && T >= GF_SEQ_LEN_MIN &&
            T <= GF_SEQ_LEN_MAX && mb && !*end2 && B >= GF_BATCH_MIN && B <= GF_BATCH_MAX && md &&
            *md && !*end3) {
            w->has_run = 1;
            w->seq_len = (int)T;
            w->batch = (int)B;
            w->seed = (uint64_t)seed;
        }
    }

    /* head: head.weight (O, H), head.bias (O); a weight without a bias gets a zero bias */
    const StTensor *hw = st_find(&f, "head.weight"), *hb = st_find(&f, "head.bias");
    if (hb && !hw) {
        rc = gf_error_set(err, GF_ERR_MISSING, "head.bias is present but head.weight is missing");
        goto fail;
    }
    if (hw) {
        if (hw->ndim != 2 || hw->shape[0] < 1 || hw->shape[0] > (int64_t)1 << 20 ||
            hw->shape[1] != (int64_t)D * H) {
            char found[SHAPE_TEXT_LEN];
            shape_text_(found, sizeof found, hw->shape, hw->ndim);
            rc = gf_error_set(err, GF_ERR_SHAPE, "head.weight has shape %s, expected [O, %d] (%s)",
                              found, D * H, why);
            goto fail;
        }
        w->has_head = 1;
        w->O = (int)hw->shape[0];
        if (hb) {
            int64_t want[1] = {w->O};
            char why_head[96];
            snprintf(why_head, sizeof why_head, "head.weight has %d rows", w->O);
            rc = check_shape_(hb, 1, want, why_head, err);
            if (rc != GF_OK) goto fail;
        }
    }

    /* Check every unit's shapes before allocating (unit u = k * D + d, d = 1 "_reverse"). */
    const StTensor *t_ih[GF_UNITS_MAX], *t_hh[GF_UNITS_MAX], *t_bih[GF_UNITS_MAX],
        *t_bhh[GF_UNITS_MAX];
    size_t total = 0;
    for (int u = 0; u < L * D; u++) {
        const int k = u / D, Ik = k == 0 ? w->I : D * H;
        const char *sfx = u % D ? "_reverse" : "";
        snprintf(name, sizeof name, "weight_ih_l%d%s", k, sfx);
        t_ih[u] = st_find(&f, name);
        if (!t_ih[u]) {
            rc = gf_error_set(err, GF_ERR_MISSING, "%s is missing (%s, %d layers)", name, why, L);
            goto fail;
        }
        int64_t want_ih[2] = {GH, Ik}, want_hh[2] = {GH, H}, want_b[1] = {GH};
        rc = check_shape_(t_ih[u], 2, want_ih, why, err);
        if (rc != GF_OK) goto fail;
        snprintf(name, sizeof name, "weight_hh_l%d%s", k, sfx);
        t_hh[u] = st_find(&f, name); /* the forward one is present: count_layers_ found it */
        if (!t_hh[u]) {
            rc = gf_error_set(err, GF_ERR_MISSING, "%s is missing (%s, %d layers)", name, why, L);
            goto fail;
        }
        rc = check_shape_(t_hh[u], 2, want_hh, why, err);
        if (rc != GF_OK) goto fail;
        snprintf(name, sizeof name, "bias_ih_l%d%s", k, sfx);
        t_bih[u] = st_find(&f, name);
        if (t_bih[u] && (rc = check_shape_(t_bih[u], 1, want_b, why, err)) != GF_OK) goto fail;
        snprintf(name, sizeof name, "bias_hh_l%d%s", k, sfx);
        t_bhh[u] = st_find(&f, name);
        if (t_bhh[u] && (rc = check_shape_(t_bhh[u], 1, want_b, why, err)) != GF_OK) goto fail;
        total += (size_t)GH * (size_t)Ik + (size_t)GH * (size_t)H + 2 * (size_t)GH;
    }
    if (w->has_head) total += (size_t)w->O * (size_t)D * H + (size_t)w->O;

    /* One block: per unit w_ih (G*H, I_k), w_hh (G*H, H), b_ih (G*H), b_hh (G*H); then head_w
     * (O, D*H), head_b (O). calloc: absent biases stay zero. */
    w->block = calloc(total, sizeof *w->block);
    if (!w->block) {
        rc = gf_error_set(err, GF_ERR_NOMEM, "out of memory for %zu weights", total);
        goto fail;
    }
    double *p = w->block;
    for (int k = 0; k < L * D; k++) { /* every unit */
        const int Ik = k < D ? w->I : D * H;
        w->w_ih[k] = p, p += (size_t)GH * (size_t)Ik;
        w->w_hh[k] = p, p += (size_t)GH * (size_t)H;
        w->b_ih[k] = p, p += GH;
        w->b_hh[k] = p, p += GH;
        if ((rc = st_to_f64(t_ih[k], w->w_ih[k], err)) != GF_OK) goto fail;
        if ((rc = st_to_f64(t_hh[k], w->w_hh[k], err)) != GF_OK) goto fail;
        if (t_bih[k] && (rc = st_to_f64(t_bih[k], w->b_ih[k], err)) != GF_OK) goto fail;
        if (t_bhh[k] && (rc = st_to_f64(t_bhh[k], w->b_hh[k], err)) != GF_OK) goto fail;
    }
    if (w->has_head) {
        w->head_w = p, p += (size_t)w->O * (size_t)D * H;
        w->head_b = p;
        if ((rc = st_to_f64(hw, w->head_w, err)) != GF_OK) goto fail;
        if (hb && (rc = st_to_f64(hb, w->head_b, err)) != GF_OK) goto fail;
    }
    st_free(&f);
    return GF_OK;

fail:
    st_free(&f);
    weights_free(w);
    return rc;
}

void weights_free(GfWeights *w)
{
    if (!w) return;
    free(w->block);
    memset(w, 0, sizeof *w);
}
