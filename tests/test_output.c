/* test_output.c - the CSV of `gradflow data` and the run file of `gradflow run`: formats, exact
 * round trips, and that a run file loads back as --weights. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "kernels.h"
#include "output.h"
#include "safetensors.h"
#include "sim.h"
#include "weights.h"

START_TEST(test_csv)
{
    Sim sim;
    sim_init(&sim);
    SimConfig c;
    sim_config_default(&c);
    c.seq_len = 7, c.hidden = 5, c.layers = 2;
    GfError err;
    ck_assert_int_eq(sim_run(&sim, &c, &err), GF_OK);
    char *text;
    size_t len;
    ck_assert_int_eq(output_csv(&sim, &text, &len, &err), GF_OK);
    ck_assert_uint_eq(strlen(text), len);
    /* header + 3 cells x 2 layers x 7 steps */
    int lines = 0;
    for (size_t i = 0; i < len; i++) lines += text[i] == '\n';
    ck_assert_int_eq(lines, 1 + 3 * 2 * 7);
    const char *head = "cell,layer,t,grad_h_norm,grad_c_norm,factor,factor_max,grad_x_norm,informative\n";
    ck_assert(strncmp(text, head, strlen(head)) == 0);
    /* every value parses back to exactly the double it was */
    char *line = strchr(text, '\n') + 1;
    for (int row = 0; row < 3 * 2 * 7; row++) {
        char cell[8];
        int layer, t, used = 0;
        ck_assert_int_eq(sscanf(line, "%7[a-z],%d,%d,%n", cell, &layer, &t, &used), 3);
        GfCell k;
        ck_assert_int_eq(gf_cell_parse(cell, &k), 0);
        char *end;
        double gh = strtod(line + used, &end);
        ck_assert_double_eq(gh, sim.result[k].grad_h_norm[layer * 7 + t]);
        ck_assert_int_eq(*end, ',');
        if (k == GF_CELL_LSTM) {
            double gc = strtod(end + 1, &end);
            ck_assert_double_eq(gc, sim.result[k].grad_c_norm[layer * 7 + t]);
        } else {
            end++; /* grad_c_norm empty for rnn and gru */
        }
        /* the columns added after it: the step's factor and its largest, ||dL/dx_t|| (layer 0),
           how many sequences are informative at t */
        ck_assert_int_eq(*end, ',');
        ck_assert_double_eq(strtod(end + 1, &end), sim.result[k].factor[layer * 7 + t]);
        ck_assert_int_eq(*end, ',');
        ck_assert_double_eq(strtod(end + 1, &end), sim.result[k].factor_max[layer * 7 + t]);
        ck_assert_int_eq(*end, ',');
        if (layer == 0) ck_assert_double_eq(strtod(end + 1, &end), sim.result[k].grad_x_norm[t]);
        else end++;
        ck_assert_int_eq(*end, ',');
        int marks[GF_TASK_MARKS_MAX], n = task_marks(&sim.data, 0, marks, GF_TASK_MARKS_MAX), want = 0;
        for (int j = 0; j < n; j++) want += marks[j] == t;
        ck_assert_int_eq((int)strtol(end + 1, &end, 10), want);
        ck_assert_int_eq(*end, '\n');
        line = end + 1;
    }
    free(text);
    sim_free(&sim);
}
END_TEST

START_TEST(test_run_file)
{
    Sim sim;
    sim_init(&sim);
    SimConfig c;
    sim_config_default(&c);
    c.cells = 1u << GF_CELL_LSTM, c.seq_len = 6, c.hidden = 4, c.layers = 2, c.batch = 3;
    c.weight_scale = 0.7, c.want_param_grads = 1, c.task = GF_TASK_RECALL, c.update_bias = 2.5;
    GfError err;
    ck_assert_int_eq(sim_run(&sim, &c, &err), GF_OK);
    uint8_t *bytes;
    size_t len;
    ck_assert_int_eq(output_run_file(&sim, GF_CELL_LSTM, "gradflow run -o x", &bytes, &len, &err), GF_OK);
    StFile f = {0};
    ck_assert_int_eq(st_parse(&f, bytes, len, &err), GF_OK);
    const CellResult *n = &sim.result[GF_CELL_LSTM];
    const StTensor *t = st_find(&f, "grad_h");
    ck_assert_ptr_nonnull(t);
    ck_assert_int_eq(t->ndim, 4);
    ck_assert_int_eq(t->shape[0], 2);
    ck_assert_int_eq(t->shape[1], 3);
    ck_assert_int_eq(t->shape[2], 6);
    ck_assert_int_eq(t->shape[3], 4);
    ck_assert_mem_eq(t->data, n->grad_h, sizeof(double) * 2 * 3 * 6 * 4);
    t = st_find(&f, "weight_hh_l1");
    ck_assert_ptr_nonnull(t);
    ck_assert_int_eq(t->shape[0], 16);
    ck_assert_mem_eq(t->data, n->params.weight_hh[1], sizeof(double) * 16 * 4);
    t = st_find(&f, "targets");
    ck_assert_int_eq(t->dtype, ST_I64);
    ck_assert_int_eq(t->shape[0], 3);
    t = st_find(&f, "loss");
    ck_assert_int_eq(t->ndim, 0);
    ck_assert_ptr_nonnull(st_find(&f, "grad_c"));
    ck_assert_ptr_nonnull(st_find(&f, "c"));
    ck_assert_ptr_nonnull(st_find(&f, "grad.weight_ih_l0"));
    ck_assert_ptr_nonnull(st_find(&f, "inputs"));
    ck_assert_str_eq(st_meta(&f, "cell"), "lstm");
    ck_assert_str_eq(st_meta(&f, "task"), "recall");
    ck_assert_str_eq(st_meta(&f, "layers"), "2");
    ck_assert_str_eq(st_meta(&f, "seq_len"), "6");
    ck_assert_str_eq(st_meta(&f, "weight_scale"), "0.69999999999999996");
    ck_assert_str_eq(st_meta(&f, "forget_bias"), "as initialised");
    ck_assert_str_eq(st_meta(&f, "update_bias"), "2.5");
    st_free(&f);

    /* A run file is a valid --weights file: rerunning it at scale 1 gives the same gradients. */
    GfWeights w = {0};
    ck_assert_int_eq(weights_parse(&w, bytes, len, &err), GF_OK);
    ck_assert_int_eq(w.cell, GF_CELL_LSTM);
    ck_assert_int_eq(w.L, 2);
    ck_assert_int_eq(w.H, 4);
    ck_assert_int_eq(w.has_head, 1);
    Sim again;
    sim_init(&again);
    SimConfig c2 = c;
    c2.weight_scale = 1.0;
    c2.weights = &w;
    ck_assert_int_eq(sim_run(&again, &c2, &err), GF_OK);
    ck_assert_mem_eq(again.result[GF_CELL_LSTM].grad_h, n->grad_h, sizeof(double) * 2 * 3 * 6 * 4);
    if (kern_f32_supported()) ck_assert_ptr_nonnull(again.nets[GF_CELL_LSTM]->whF[1]); /* same path */

    /* Layers that differ: layer 1's weight_hh off the float32 grid by one ulp takes the float64
       path while layer 0 keeps its panels at the file's factor; a run file of that run names the
       factor too, and reloading it takes the same path in each layer: the same bits again. */
    w.w_hh[1][5] = nextafter(w.w_hh[1][5], 1.0);
    ck_assert_int_eq(sim_run(&again, &c2, &err), GF_OK);
    const Net *m = again.nets[GF_CELL_LSTM];
    if (kern_f32_supported()) ck_assert(m->whF[0] != NULL && m->whF[1] == NULL);
    uint8_t *bytes2;
    size_t len2;
    ck_assert_int_eq(output_run_file(&again, GF_CELL_LSTM, "gradflow run -o y", &bytes2, &len2, &err), GF_OK);
    GfWeights w2 = {0};
    ck_assert_int_eq(weights_parse(&w2, bytes2, len2, &err), GF_OK);
    Sim third;
    sim_init(&third);
    SimConfig c3 = c2;
    c3.weights = &w2;
    ck_assert_int_eq(sim_run(&third, &c3, &err), GF_OK);
    ck_assert_mem_eq(third.result[GF_CELL_LSTM].grad_h, m->grad_h, sizeof(double) * 2 * 3 * 6 * 4);
    sim_free(&third);
    weights_free(&w2);
    free(bytes2);
    sim_free(&again);
    weights_free(&w);
    free(bytes);
    sim_free(&sim);
}
END_TEST

/* What run and data build in memory is within the estimate their memory check adds to the run's
 * (and not far above it), for every cell, with and without parameter gradients. */
START_TEST(test_output_sizes_estimated)
{
    const char *cmd = "gradflow run -o x.safetensors --cell lstm --seq-len 30";
    for (int k = 0; k < GF_NUM_CELLS; k++)
        for (int full = 0; full < 2; full++) {
            Sim sim;
            sim_init(&sim);
            SimConfig c;
            sim_config_default(&c);
            c.cells = 1u << k, c.seq_len = 30, c.hidden = 5, c.layers = 3, c.batch = 4, c.want_param_grads = full;
            c.task = k == GF_CELL_GRU ? GF_TASK_RECALL : GF_TASK_ADDING;
            GfError err;
            ck_assert_int_eq(sim_run(&sim, &c, &err), GF_OK);
            uint8_t *bytes;
            size_t len, est = output_run_file_bytes(&c, (GfCell)k, strlen(cmd));
            ck_assert_int_eq(output_run_file(&sim, (GfCell)k, cmd, &bytes, &len, &err), GF_OK);
            ck_assert_msg(len <= est && est - len < 16384 + 256 * 40, "cell %d: file %zu, estimate %zu", k, len, est);
            free(bytes);
            char *text;
            ck_assert_int_eq(output_csv(&sim, &text, &len, &err), GF_OK);
            ck_assert_msg(len <= output_csv_bytes(&c), "CSV %zu bytes, estimate %zu", len, output_csv_bytes(&c));
            free(text);
            sim_free(&sim);
        }
}
END_TEST

static Suite *suite_(void)
{
    Suite *s = suite_create("output");
    TCase *tc = tcase_create("output");
    tcase_add_test(tc, test_csv);
    tcase_add_test(tc, test_run_file);
    tcase_add_test(tc, test_output_sizes_estimated);
    suite_add_tcase(s, tc);
    return s;
}

GF_CHECK_MAIN(suite_)
