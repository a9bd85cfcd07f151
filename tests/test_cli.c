/* test_cli.c - the command line end to end: every error path gives exit status 2, exactly one
 * line on stderr naming the problem, and no output file; the good paths write what they say.
 * Runs the real gradflow binary (argv[1]) in a fresh temporary folder. */
#include <check.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check_main.h"
#include "safetensors.h"
#include "testutil.h"

static const char *exe;     /* the gradflow binary */
static char dir[256];       /* this test's temporary folder */
static char out_text[1 << 16], err_text[1 << 14];

/* Runs gradflow with args (NULL-terminated) in dir; captures stdout/stderr; returns the status. */
static int run_(const char *const *args)
{
    char outp[300], errp[300];
    snprintf(outp, sizeof outp, "%s/.stdout", dir);
    snprintf(errp, sizeof errp, "%s/.stderr", dir);
    pid_t pid = fork();
    if (pid == 0) {
        int o = open(outp, O_WRONLY | O_CREAT | O_TRUNC, 0644), e = open(errp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        dup2(o, 1);
        dup2(e, 2);
        if (chdir(dir) != 0) _exit(99);
        const char *argv[64];
        int n = 0;
        argv[n++] = exe;
        for (; args[n - 1] && n < 63; n++) argv[n] = args[n - 1];
        argv[n] = NULL;
        execv(exe, (char *const *)argv);
        _exit(98);
    }
    int status;
    waitpid(pid, &status, 0);
    size_t len;
    char *s = tu_read_file(outp, &len);
    snprintf(out_text, sizeof out_text, "%s", s ? s : "");
    free(s);
    s = tu_read_file(errp, &len);
    snprintf(err_text, sizeof err_text, "%s", s ? s : "");
    free(s);
    unlink(outp);
    unlink(errp);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* Names of the files in dir (hidden ones too), as one space-separated string. */
static const char *listing_(void)
{
    static char names[4096];
    names[0] = '\0';
    DIR *d = opendir(dir);
    struct dirent *e;
    while (d && (e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
        strncat(names, e->d_name, sizeof names - strlen(names) - 2);
        strcat(names, " ");
    }
    if (d) closedir(d);
    return names;
}

static void setup_(void)
{
    exe = getenv("GF_EXE");
    const char *t = tu_temp_dir();
    ck_assert_ptr_nonnull(t);
    snprintf(dir, sizeof dir, "%s", t);
}

static void teardown_(void)
{
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    ck_assert_int_eq(system(cmd), 0);
}

/* One bad command line: status 2, one line starting "gradflow: " containing want, no file. */
typedef struct Bad {
    const char *args[12];
    const char *want;
} Bad;

static const Bad bad[] = {
    {{"--bogus", NULL}, "unknown option '--bogus'"},
    {{"draw", NULL}, "unknown command 'draw'"},
    {{"data", "-o", "x.csv", "--hidden", "0", NULL}, "--hidden 0 is out of range: accepted 1 to 1024"},
    {{"data", "-o", "x.csv", "--hidden", "abc", NULL}, "not a whole number"},
    {{"data", "-o", "x.csv", "--hidden", "64k", NULL}, "not a whole number"},
    {{"data", "-o", "x.csv", "--hidden", "99999999999999999999", NULL}, "out of range"},
    {{"data", "-o", "x.csv", "--seq-len", "0", NULL}, "--seq-len"},
    {{"data", "-o", "x.csv", "--seq-len", "100001", NULL}, "1 to 100000"},
    {{"data", "-o", "x.csv", "--layers", "9", NULL}, "1 to 8"},
    {{"data", "-o", "x.csv", "--batch", "0", NULL}, "1 to 1024"},
    {{"data", "-o", "x.csv", "--weight-scale", "-1", NULL}, "0 to 100"},
    {{"data", "-o", "x.csv", "--weight-scale", "nan", NULL}, "not a number"},
    {{"data", "-o", "x.csv", "--weight-scale", "", NULL}, "not a number"},
    {{"data", "-o", "x.csv", "--forget-bias", "1e400", NULL}, "--forget-bias"},
    {{"data", "-o", "x.csv", "--init", "xavier", NULL}, "pytorch, orthogonal, identity"},
    {{"data", "-o", "x.csv", "--task", "latch", NULL}, "adding, recall, copy"},
    {{"data", "-o", "x.csv", "--cell", "transformer", NULL}, "rnn, lstm, gru, all"},
    {{"data", "-o", "x.csv", "--cell", "rnn,,gru", NULL}, "rnn, lstm, gru, all"},
    {{"data", "-o", "x.csv", "--nonlinearity", "sigmoid", NULL}, "tanh, relu"},
    {{"data", "-o", "x.csv", "--seed", "-1", NULL}, "--seed"},
    {{"data", "-o", "x.csv", "--seq-len", "1", NULL}, "--task recall"},
    {{"data", "-o", "x.csv", "--hidden", NULL}, "--hidden needs a value"},
    {{"data", "-o", "x.csv", "--plot-only", NULL}, "export only"},
    {{"data", "-o", "x.csv", "--seq-len", "100000", "--batch", "1024", "--hidden", "512", NULL}, "GiB"},
    {{"data", NULL}, "data needs -o"},
    {{"run", NULL}, "run needs -o"},
    {{"export", NULL}, "export needs -o"},
    {{"data", "-o", "no/such/folder/x.csv", NULL}, "does not exist"},
    {{"data", "-o", ".", NULL}, "folder"},
    {{"run", "-o", "x.safetensors", NULL}, "--cell"},
    {{"run", "-o", "x.safetensors", "--cell", "all", NULL}, "one cell"},
    {{"data", "-o", "x.csv", "--weights", "missing.safetensors", NULL}, "missing.safetensors"},
    {{"data", "-o", "x.csv", "--weights", "garbage.safetensors", NULL}, "--weights"},
    {{"data", "-o", "x.csv", "--size", "100x100", NULL}, "--size is for export"},
    {{"export", "-o", "x.png", "--size", "100x100", NULL}, "960x540 to 7680x4320"},
    {{"export", "-o", "-", NULL}, "'-o -', standard output, is for data"},
    {{"run", "-o", "-", "--cell", "rnn", NULL}, "safetensors file"},
    {{"export", "-o", "a.png", "--csv", "a.png", NULL}, "same file"},
    {{"data", "-o", "x.csv", "--theme", "dark", NULL}, "draws nothing"},
    {{"data", "-o", "x.csv", "--seed", "18446744073709551616", NULL}, "--seed 18446744073709551616 is out of range"},
    {{"data", "-o", "x.csv", "--weight-scale", "1e400", NULL}, "--weight-scale 1e400 is out of range"},
    {{"export", "-o", "x.png", "--size", "wide", NULL}, "WIDTHxHEIGHT"},
    {{"export", "-o", "x.png", "--theme", "blue", NULL}, "light, dark"},
    {{"export", "-o", "x.png", "--view", "3d", NULL}, "gradients, states, anatomy, training"},
    {{"export", "-o", "x.png", "--layers", "3", "--layer", "3", NULL}, "--layer 3 is out of range: accepted 0 to 2"},
    {{"export", "-o", "x.png", "--layer", "3", NULL}, "accepted 0 to 0 (--layers 1) or all"},
    {{"export", "-o", "x.png", "--layer", "8", "--layers", "8", NULL}, "accepted 0 to L-1"},
    {{"export", "-o", "x.png", "--layer", "top", NULL}, "or all"},
    {{"export", "-o", "x.png", "--layer", "-1", NULL}, "--layer '-1' is not a layer"},
    {{"data", "-o", "x.csv", "--layer", "0", NULL}, "draws nothing"},
    {{"bench", "--repeat", "0", NULL}, "--repeat"},
    {{"data", "-o", "two\nlines/x.csv", NULL}, "'two?lines' does not exist"},
    {{"data", "-o", "x.csv", "--ui", NULL}, "bench only"},
    {{"bench", "--ui", "--frames", "5", NULL}, "--frames 5 is out of range"},
    {{"--version=2", NULL}, "takes no value"},
    {{"train", "--steps", "5", NULL}, "train needs --csv"},
    {{"train", "--csv", "l.csv", "--lr", "0", NULL}, "--lr 0 is out of range"},
    {{"train", "--csv", "l.csv", "--optimizer", "adamw", NULL}, "sgd, rmsprop, adam"},
    {{"train", "--csv", "l.csv", "--momentum", "1", NULL}, "--momentum 1 is out of range"},
    {{"train", "--csv", "l.csv", "--optimizer", "adam", "--momentum", "0.9", NULL}, "betas"},
    {{"train", "--csv", "l.csv", "--clip", "-1", NULL}, "--clip -1 is out of range"},
    {{"train", "--csv", "l.csv", "--steps", "0", NULL}, "--steps 0 is out of range"},
    {{"train", "--csv", "l.csv", "-o", "w.safetensors", NULL}, "one cell"},
    {{"train", "--csv", "l.csv", "--record", NULL}, "--record"},
    {{"train", "--csv", "w.csv", "-o", "w.csv", "--cell", "rnn", NULL}, "same file"},
    {{"train", "--csv", "nowhere/l.csv", NULL}, "'nowhere' does not exist"},
    {{"train", "--csv", "l.csv", "--record", "-o", "w.st", "--cell", "lstm", "--steps=100000",
      "--seq-len=1000", NULL}, "leave out --record"},
    {{"data", "-o", "x.csv", "--steps", "5", NULL}, "for train, export --view training"},
    {{"data", "-o", "x.csv", "--lr", "0.1", NULL}, "for train, export --view training"},
    {{"export", "-o", "x.png", "--record", NULL}, "for train only"},
};

START_TEST(test_bad_input)
{
    const Bad *b = &bad[_i];
    /* a file that is not safetensors at all */
    char path[300];
    snprintf(path, sizeof path, "%s/garbage.safetensors", dir);
    FILE *f = fopen(path, "wb");
    fputs("this is not a safetensors file", f);
    fclose(f);
    int status = run_(b->args);
    ck_assert_msg(status == 2, "%s ...: status %d, stderr '%s'", b->args[0], status, err_text);
    ck_assert_msg(strncmp(err_text, "gradflow: ", 10) == 0, "stderr '%s'", err_text);
    ck_assert_msg(strstr(err_text, b->want) != NULL, "'%s' not in stderr '%s'", b->want, err_text);
    char *nl = strchr(err_text, '\n');
    ck_assert_msg(nl && nl[1] == '\0', "not exactly one line: '%s'", err_text);
    ck_assert_str_eq(out_text, "");
    ck_assert_str_eq(listing_(), "garbage.safetensors ");
}
END_TEST

START_TEST(test_data_and_run)
{
    const char *data[] = {"data", "-o", "g.csv", "--seq-len", "30", "--hidden", "8", "--layers", "2", NULL};
    ck_assert_int_eq(run_(data), 0);
    ck_assert_str_eq(err_text, "");
    ck_assert_str_eq(listing_(), "g.csv ");
    char path[300];
    snprintf(path, sizeof path, "%s/g.csv", dir);
    size_t len;
    char *csv = tu_read_file(path, &len);
    ck_assert_ptr_nonnull(csv);
    int lines = 0;
    for (size_t i = 0; i < len; i++) lines += csv[i] == '\n';
    ck_assert_int_eq(lines, 1 + 3 * 2 * 30);
    /* stdout gives the same bytes */
    const char *data_stdout[] = {"data", "-o", "-", "--seq-len", "30", "--hidden", "8", "--layers", "2", NULL};
    ck_assert_int_eq(run_(data_stdout), 0);
    ck_assert_str_eq(out_text, csv);
    free(csv);

    /* a run file, then the same run from it as --weights: identical gradients */
    const char *run[] = {"run", "-o", "r.safetensors", "--cell", "gru", "--seq-len", "12", "--hidden", "5",
                         "--layers", "2", "--weight-scale", "0.8", "--batch", "2", NULL};
    ck_assert_int_eq(run_(run), 0);
    snprintf(path, sizeof path, "%s/r.safetensors", dir);
    uint8_t *bytes = (uint8_t *)tu_read_file(path, &len);
    StFile f = {0};
    ck_assert_int_eq(st_parse(&f, bytes, len, NULL), GF_OK);
    ck_assert_str_eq(st_meta(&f, "cell"), "gru");
    ck_assert_ptr_nonnull(strstr(st_meta(&f, "command_line"), "--weight-scale 0.8"));
    st_free(&f);
    free(bytes);
    const char *a[] = {"data", "-o", "-", "--cell", "gru", "--seq-len", "12", "--hidden", "5", "--layers", "2",
                       "--weight-scale", "0.8", "--batch", "2", NULL};
    ck_assert_int_eq(run_(a), 0);
    static char expect[sizeof out_text];
    snprintf(expect, sizeof expect, "%s", out_text);
    /* the run file also gives the sequence: T, B, task and seed need not be repeated */
    const char *b[] = {"data", "-o", "-", "--weights", "r.safetensors", NULL};
    ck_assert_int_eq(run_(b), 0);
    ck_assert_str_eq(out_text, expect);
    /* the file's shape decides: a contradicting option is an error naming the tensor */
    const char *c[] = {"data", "-o", "-", "--weights", "r.safetensors", "--hidden", "6", NULL};
    ck_assert_int_eq(run_(c), 2);
    ck_assert_ptr_nonnull(strstr(err_text, "weight_hh_l0"));
    ck_assert_ptr_nonnull(strstr(err_text, "[15, 5]"));
}
END_TEST

START_TEST(test_special_targets)
{
    /* A symbolic link stays a link (its target gets the CSV); a FIFO is written into, never
       replaced by a regular file. */
    char path[400], cmd[600];
    snprintf(cmd, sizeof cmd, "cd '%s' && touch real.csv && ln -s real.csv link.csv && mkfifo fifo", dir);
    ck_assert_int_eq(system(cmd), 0);
    const char *a[] = {"data", "-o", "link.csv", "--seq-len", "5", "--cell", "rnn", NULL};
    ck_assert_int_eq(run_(a), 0);
    snprintf(path, sizeof path, "%s/link.csv", dir);
    struct stat st;
    ck_assert_int_eq(lstat(path, &st), 0);
    ck_assert(S_ISLNK(st.st_mode));
    snprintf(path, sizeof path, "%s/real.csv", dir);
    size_t len;
    char *text = tu_read_file(path, &len);
    ck_assert_ptr_nonnull(text);
    ck_assert_int_eq(strncmp(text, "cell,layer,t,", 13), 0);
    free(text);
    /* the FIFO: a reader in the background, gradflow writes into the pipe */
    snprintf(cmd, sizeof cmd, "cd '%s' && (cat fifo > from_fifo.txt &) ", dir);
    ck_assert_int_eq(system(cmd), 0);
    const char *b[] = {"data", "-o", "fifo", "--seq-len", "5", "--cell", "rnn", NULL};
    ck_assert_int_eq(run_(b), 0);
    snprintf(path, sizeof path, "%s/fifo", dir);
    ck_assert_int_eq(lstat(path, &st), 0);
    ck_assert(S_ISFIFO(st.st_mode));
    /* (devices such as /dev/null take the same path as the FIFO; a test that could replace the
       machine's /dev/null if it failed is not worth having) */
}
END_TEST

START_TEST(test_help_version_bench)
{
    const char *h[] = {"--help", NULL};
    ck_assert_int_eq(run_(h), 0);
    ck_assert_ptr_nonnull(strstr(out_text, "gradflow export -o FILE.png"));
    ck_assert_ptr_nonnull(strstr(out_text, "--weight-scale"));
    const char *v[] = {"--version", NULL};
    ck_assert_int_eq(run_(v), 0);
    ck_assert(strncmp(out_text, "gradflow ", 9) == 0);
    const char *b[] = {"bench", "--csv", "--seq-len", "50", "--hidden", "8", "--repeat", "3", NULL};
    ck_assert_int_eq(run_(b), 0);
    ck_assert(strncmp(out_text, "cell,layers,hidden,seq_len,batch,ms_median,gflops\nrnn,1,8,50,1,", 62) == 0);
    ck_assert_ptr_nonnull(strstr(out_text, "\nall,1,8,50,1,"));
    /* the table: median and fastest run, the median never below the fastest */
    const char *t[] = {"bench", "--seq-len", "3000", "--hidden", "32", "--repeat", "7", "--cell", "gru", NULL};
    ck_assert_int_eq(run_(t), 0);
    ck_assert_ptr_nonnull(strstr(out_text, "ms_median   ms_min   GFLOP/s   runs\n"));
    double med = 0, fastest = 0;
    const char *row = strstr(out_text, "\ngru ");
    ck_assert_ptr_nonnull(row);
    ck_assert_int_eq(sscanf(row, " gru %*d %*d %*d %*d %lf %lf", &med, &fastest), 2);
    ck_assert(fastest > 0 && fastest <= med);
}
END_TEST

START_TEST(test_train)
{
    /* every cell: one CSV row per cell and step, accuracy for recall */
    const char *a[] = {"train", "--csv", "l.csv", "--task", "recall", "--seq-len", "6", "--hidden", "4",
                       "--batch", "3", "--steps", "7", NULL};
    ck_assert_int_eq(run_(a), 0);
    ck_assert_ptr_nonnull(strstr(err_text, "trained 7 steps"));
    ck_assert_str_eq(listing_(), "l.csv ");
    char path[300];
    snprintf(path, sizeof path, "%s/l.csv", dir);
    size_t len;
    char *csv = tu_read_file(path, &len);
    ck_assert_int_eq(strncmp(csv, "cell,step,loss,grad_norm,clipped,accuracy\nrnn,0,", 48), 0);
    int lines = 0;
    for (size_t i = 0; i < len; i++) lines += csv[i] == '\n';
    ck_assert_int_eq(lines, 1 + 3 * 7);
    ck_assert_ptr_nonnull(strstr(csv, "\ngru,6,"));
    free(csv);
    /* one cell's train file with every batch: loadable as --weights, the history inside */
    const char *b[] = {"train", "--csv", "m.csv", "-o", "w.safetensors", "--record", "--cell", "gru",
                       "--task", "copy", "--seq-len", "3", "--hidden", "5", "--batch", "2", "--steps", "4",
                       "--optimizer", "sgd", "--momentum", "0.5", "--lr", "0.1", NULL};
    ck_assert_int_eq(run_(b), 0);
    snprintf(path, sizeof path, "%s/w.safetensors", dir);
    uint8_t *bytes = (uint8_t *)tu_read_file(path, &len);
    StFile f = {0};
    ck_assert_int_eq(st_parse(&f, bytes, len, NULL), GF_OK);
    ck_assert_str_eq(st_meta(&f, "optimizer"), "sgd");
    ck_assert_str_eq(st_meta(&f, "momentum"), "0.5");
    ck_assert_str_eq(st_meta(&f, "betas"), "0.9,0.999");
    ck_assert_str_eq(st_meta(&f, "steps"), "4");
    const StTensor *x = st_find(&f, "train.inputs"), *y = st_find(&f, "train.targets");
    ck_assert_ptr_nonnull(x);
    ck_assert_int_eq(x->ndim, 4);
    ck_assert_int_eq(x->shape[0], 4);
    ck_assert_int_eq(x->shape[1], 2);
    ck_assert_int_eq(x->shape[2], 23); /* copy: T + 20 steps */
    ck_assert_int_eq(x->shape[3], 10); /* I = 10 */
    ck_assert_ptr_nonnull(y);
    ck_assert_int_eq(y->ndim, 3);
    ck_assert_int_eq(y->shape[2], 23);
    ck_assert_ptr_nonnull(st_find(&f, "init.weight_hh_l0"));
    ck_assert_ptr_nonnull(st_find(&f, "train.loss"));
    st_free(&f);
    free(bytes);
    const char *c[] = {"data", "-o", "-", "--weights", "w.safetensors", NULL};
    ck_assert_int_eq(run_(c), 0);
    ck_assert(strncmp(out_text, "cell,layer,t,grad_h_norm,grad_c_norm\ngru,0,0,", 45) == 0);
}
END_TEST

static Suite *suite_(void)
{
    Suite *s = suite_create("cli");
    TCase *tc = tcase_create("cli");
    tcase_add_checked_fixture(tc, setup_, teardown_);
    tcase_set_timeout(tc, 60);
    tcase_add_loop_test(tc, test_bad_input, 0, (int)(sizeof bad / sizeof *bad));
    tcase_add_test(tc, test_data_and_run);
    tcase_add_test(tc, test_help_version_bench);
    tcase_add_test(tc, test_special_targets);
    tcase_add_test(tc, test_train);
    suite_add_tcase(s, tc);
    return s;
}

GF_CHECK_MAIN(suite_)
