/* test_cli.c - the command line end to end: every error path gives exit status 2, exactly one
 * line on stderr naming the problem, and no output file; the good paths write what they say.
 * Runs the real gradflow binary (argv[1]) in a fresh temporary folder. */
#define _POSIX_C_SOURCE 200809L /* lstat, mkfifo */
#include <check.h>
#include <dirent.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check_main.h"
#include "cli.h"
#include "core/safetensors.h"
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

static int cmp_name_(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* Names of the files in dir (hidden ones too), sorted, as one space-separated string. */
static const char *listing_(void)
{
    static char names[4096];
    char *name[64];
    int n = 0;
    names[0] = '\0';
    DIR *d = opendir(dir);
    struct dirent *e;
    while (d && (e = readdir(d)) && n < 64) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
        name[n++] = strdup(e->d_name);
    }
    if (d) closedir(d);
    qsort(name, (size_t)n, sizeof *name, cmp_name_);
    for (int i = 0; i < n; i++) {
        strncat(names, name[i], sizeof names - strlen(names) - 2);
        strcat(names, " ");
        free(name[i]);
    }
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
    {{"export", "-o", "x.png", "--text-scale", "4", NULL}, "--text-scale 4 is out of range: accepted 0.5 to 1.5"},
    {{"export", "-o", "x.png", "--text-scale", "0", NULL}, "0.5 to 1.5"},
    {{"data", "-o", "x.csv", "--text-scale", "1.5", NULL}, "--text-scale is for the window and export"},
    {{"data", "-o", "x.csv", "--linear", NULL}, "--linear is for the window and export"},
    {{"run", "-o", "x.safetensors", "--cell", "rnn", "--no-theory", NULL}, "--no-theory is for the window and export"},
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
    {{"export", "-o", "x.jpg", NULL}, "-o 'x.jpg': export writes .png, .svg or .pdf"},
    {{"export", "-o", "slide", "--view", "states", NULL}, "export writes .png, .svg or .pdf"},
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
    {{"bench", "--train", "--sweep", NULL}, "--sweep is for the other bench modes"},
    {{"bench", "--train", "--factors", NULL}, "--factors is for the other bench modes"},
    {{"data", "-o", "x.csv", "--factors", NULL}, "--factors is for bench only"},
    {{"train", "--csv", "l.csv", "--train", NULL}, "--train is for bench only"},
    {{"--version=2", NULL}, "takes no value"},
    /* each refusal of an option in a mode that does not take it, as its row words it */
    {{"-o", "x.csv", NULL}, "-o is for export, data, run and train, not the window"},
    {{"bench", "--output", "x.csv", NULL}, "--output is for export, data, run and train, not bench"},
    {{"data", "-o", "x.csv", "--csv", "y.csv", NULL}, "train (the losses); data writes CSV already"},
    {{"run", "-o", "x.safetensors", "--csv", "y.csv", NULL}, "train (the losses); run writes no CSV"},
    {{"--csv", "y.csv", NULL}, "train (the losses); window writes no CSV"},
    {{"run", "-o", "x.safetensors", "--view", "states", NULL}, "--view is for the window and export, not run"},
    {{"run", "-o", "x.safetensors", "--size", "960x540", NULL}, "--size is for export, the window and bench --ui, not run"},
    {{"export", "-o", "x.png", "--sweep", NULL}, "--sweep is for bench only"},
    {{"bench", "--plot-only", NULL}, "--plot-only is for export only"},
    /* values: missing, empty, out of range, malformed */
    {{"bench", "--csv=x", NULL}, "--csv takes no value"},
    {{"--bogus=1", NULL}, "--bogus takes no value"},
    {{"data", "-o", "x.csv", "--theme", NULL}, "--theme needs a value"},
    {{"data", "--output=", NULL}, "--output needs a file name"},
    {{"export", "-o", "x.png", "--csv", "", NULL}, "--csv needs a file name"},
    {{"data", "-o", "x.csv", "stray", NULL}, "unexpected argument 'stray'"},
    {{"data", "-o", "x.csv", "--weight-scale", "100.5", NULL}, "--weight-scale 100.5 is out of range: accepted 0 to 100"},
    {{"data", "-o", "x.csv", "--forget-bias", "-101", NULL}, "--forget-bias -101 is out of range: accepted -100 to 100"},
    {{"data", "-o", "x.csv", "--update-bias", "101", NULL}, "--update-bias 101 is out of range: accepted -100 to 100"},
    {{"data", "-o", "x.csv", "--hidden", "99999999999999999999", NULL}, "--hidden 99999999999999999999 is out of range: accepted 1 to 1024"},
    {{"export", "-o", "x.png", "--size", "7681x4320", NULL}, "--size 7681x4320 is out of range: accepted 960x540 to 7680x4320"},
    {{"bench", "--frames", "100001", NULL}, "--frames 100001 is out of range: accepted 10 to 100000"},
    {{"bench", "--repeat", "x", NULL}, "--repeat 'x' is not a whole number: accepted 1 to 1000"},
    {{"--theme", "blue", NULL}, "--theme 'blue' is not known: accepted light, dark"},
    {{"--this-option-is-far-too-long-to-be-any-option-gradflow-has-ever-had", NULL}, "unknown option '--this-option-is-far-too-long-to-be-any-...'"},
    /* the seed is digits only: white space or a sign before it is not a seed (strtoull would
       skip the space and wrap -1 around to 2^64 - 1) */
    {{"data", "-o", "x.csv", "--seed", "\t-1", NULL}, "--seed '?-1' is not a whole number"},
    {{"data", "-o", "x.csv", "--seed", " 5", NULL}, "--seed ' 5' is not a whole number"},
    {{"data", "-o", "x.csv", "--seed", "\n5", NULL}, "--seed '?5' is not a whole number"},
    {{"data", "-o", "x.csv", "--seed", "+5", NULL}, "--seed '+5' is not a whole number"},
    /* train */
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
    {{"data", "-o", "x.csv", "--steps", "5", NULL}, "--steps is for train, export --view training and the window"},
    {{"data", "-o", "x.csv", "--lr", "0.1", NULL}, "--lr is for train, export --view training and the window"},
    {{"data", "-o", "x.csv", "--lesson", "nonsense", NULL}, "--lesson 'nonsense' is not known: accepted rnn-forgets"},
    /* white space or a sign before a number is not part of it (strtoull would read "\t-1" as
       2^64 - 1) */
    {{"data", "-o", "x.csv", "--seed", "\t-1", NULL}, "--seed '?-1' is not a whole number"},
    {{"data", "-o", "x.csv", "--seed", "\n-1", NULL}, "is not a whole number"},
    {{"data", "-o", "x.csv", "--seed", " 5", NULL}, "--seed ' 5' is not a whole number"},
    {{"data", "-o", "x.csv", "--seed", "+5", NULL}, "is not a whole number"},
    {{"data", "-o", "x.csv", "--hidden", " 8", NULL}, "--hidden ' 8' is not a whole number"},
    {{"data", "-o", "x.csv", "--hidden", "\t-8", NULL}, "is not a whole number"},
    {{"data", "-o", "x.csv", "--weight-scale", " 1", NULL}, "--weight-scale ' 1' is not a number"},
    {{"export", "-o", "x.png", "--layer", " 0", NULL}, "is not a layer"},
    /* the same file named twice, by another spelling, before it exists */
    {{"export", "-o", "same.png", "--csv", "./same.png", NULL}, "same file"},
    {{"export", "-o", "same.png", "--csv", "././same.png", NULL}, "same file"},
    /* the memory estimate counts the run file: 3.8 GiB of run and 2.3 GiB of file */
    {{"run", "-o", "x.safetensors", "--cell", "rnn", "--seq-len", "100000", "--hidden", "1", "--batch", "512",
      NULL}, "GiB for the run file"},
    {{"data", "-o", "x.csv", "--weights", "fifo.safetensors", NULL}, "'fifo.safetensors' is not a regular file"},
    {{"data", "-o", "loop.csv", NULL}, "cannot write 'loop.csv': Too many levels of symbolic links"},
    {{"export", "-o", "x.png", "--record", NULL}, "--record is for train only"},
    /* training keeps the record the parameter gradients need: over the cap where data is not */
    {{"train", "--csv", "l.csv", "--cell", "rnn", "--hidden", "64", "--batch", "24", "--seq-len", "100000", NULL},
     "over the 4 GiB limit"},
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
    /* a FIFO with no writer (opening it to read would wait forever), and a link to itself */
    snprintf(path, sizeof path, "%s/fifo.safetensors", dir);
    ck_assert_int_eq(mkfifo(path, 0644), 0);
    snprintf(path, sizeof path, "%s/loop.csv", dir);
    ck_assert_int_eq(symlink("loop.csv", path), 0);
    int status = run_(b->args);
    ck_assert_msg(status == 2, "%s ...: status %d, stderr '%s'", b->args[0], status, err_text);
    ck_assert_msg(strncmp(err_text, "gradflow: ", 10) == 0, "stderr '%s'", err_text);
    ck_assert_msg(strstr(err_text, b->want) != NULL, "'%s' not in stderr '%s'", b->want, err_text);
    char *nl = strchr(err_text, '\n');
    ck_assert_msg(nl && nl[1] == '\0', "not exactly one line: '%s'", err_text);
    ck_assert_str_eq(out_text, "");
    ck_assert_str_eq(listing_(), "fifo.safetensors garbage.safetensors loop.csv ");
    struct stat st; /* the link is still the link */
    ck_assert_int_eq(lstat(path, &st), 0);
    ck_assert(S_ISLNK(st.st_mode));
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
    const char *bf[] = {"bench", "--factors", "--csv", "--seq-len", "50", "--hidden", "8", "--repeat", "3", NULL};
    ck_assert_int_eq(run_(bf), 0);
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
    /* training steps: the sizes given, train's batch of 32 unless given, every cell then all */
    const char *tr[] = {"bench", "--train", "--csv", "--seq-len", "6", "--hidden", "4", "--repeat", "3", NULL};
    ck_assert_int_eq(run_(tr), 0);
    ck_assert(strncmp(out_text, "cell,layers,hidden,seq_len,batch,optimizer,ms_median,ms_min,steps_per_s\n"
                      "rnn,1,4,6,32,adam,", 90) == 0);
    ck_assert_ptr_nonnull(strstr(out_text, "\nlstm,1,4,6,32,adam,"));
    ck_assert_ptr_nonnull(strstr(out_text, "\ngru,1,4,6,32,adam,"));
    ck_assert_ptr_nonnull(strstr(out_text, "\nall,1,4,6,32,adam,"));
    const char *tt[] = {"bench", "--train", "--hidden", "4", "--repeat", "5", "--cell", "lstm", NULL};
    ck_assert_int_eq(run_(tt), 0);
    row = strstr(out_text, "\nlstm ");
    ck_assert_ptr_nonnull(row);
    int T = 0, B = 0;
    double per_s = 0;
    ck_assert_int_eq(sscanf(row, " lstm %*d %*d %d %d adam %lf %lf %lf", &T, &B, &med, &fastest, &per_s), 5);
    ck_assert_int_eq(T, 150);
    ck_assert_int_eq(B, 32);
    ck_assert(fastest > 0 && fastest <= med);
    ck_assert(fabs(per_s - 1000.0 / med) <= 1e-2 * per_s); /* the table rounds the median to 1 us */
    ck_assert_ptr_null(strstr(out_text, "\nall "));
}
END_TEST

/* --help is the table's text, word for word. */
START_TEST(test_help_is_the_table)
{
    static char want[sizeof out_text];
    ck_assert_uint_lt(cli_format_help(want, sizeof want), sizeof want);
    const char *h[] = {"--help", NULL};
    ck_assert_int_eq(run_(h), 0);
    size_t at = 0;
    while (out_text[at] && out_text[at] == want[at]) at++;
    ck_assert_msg(out_text[at] == want[at], "--help differs from the table's text at byte %zu: '%.60s' for '%.60s'",
                  at, out_text + at, want + at);
    /* and every option of the table is in it, with its range */
    ck_assert_ptr_nonnull(strstr(out_text, "  --seq-len T                 sequence length (adding needs 2), 1 to 100000"));
    ck_assert_ptr_nonnull(strstr(out_text, "  --frames N                  frames for --ui, 10 to 100000 (default 300)"));
}
END_TEST

/* The README's options table is the one cli.c writes: a changed row fails here until the README
 * is written again (the message shows the table expected). */
START_TEST(test_readme_is_the_table)
{
    static char want[1 << 15];
    ck_assert_uint_lt(cli_format_markdown(want, sizeof want), sizeof want);
    size_t len;
    char *readme = tu_read_file(getenv("GF_README"), &len);
    ck_assert_ptr_nonnull(readme);
    const char *start = strstr(readme, "| option | values |");
    ck_assert_msg(start != NULL, "README.md has no options table");
    const char *end = strstr(start, "\n\n");
    ck_assert_ptr_nonnull(end);
    size_t n = (size_t)(end - start) + 1;
    ck_assert_msg(n == strlen(want) && memcmp(start, want, n) == 0,
                  "README.md's options table differs from the table in src/cli.c, which writes:\n%s", want);
    free(readme);
}
END_TEST

/* The window's equivalent command line, read back by the parser, gives the same picture. */
START_TEST(test_command_line_round_trip)
{
    CliArgs want;
    cli_args_default(&want);
    UiOptions *o = &want.ui;
    o->sim.cells = 1u << GF_CELL_RNN | 1u << GF_CELL_GRU;
    o->sim.task = GF_TASK_RECALL;
    o->sim.seq_len = 321;
    o->sim.hidden = 17;
    o->sim.layers = 3;
    o->sim.batch = 4;
    o->sim.weight_scale = 0.9000000001;
    o->sim.init = GF_INIT_IDENTITY;
    o->sim.forget_bias = -2.5;
    o->sim.update_bias = 3.25;
    o->sim.nonlinearity = GF_NONLIN_RELU;
    o->sim.seed = 18446744073709551615ull;
    o->theme = UI_THEME_DARK;
    o->view = UI_VIEW_ANATOMY;
    o->layer_pick = 2;
    o->plot_only = 1;
    o->width = 1280;
    o->height = 720;
    o->text_scale = 1.25;
    o->linear = 1;
    o->no_theory = 1;
    char line[1024];
    ck_assert_uint_lt(cli_format_command(o, "x.png", line, sizeof line), sizeof line);
    char *argv[64];
    int argc = 0;
    for (char *p = strtok(line, " "); p && argc < 63; p = strtok(NULL, " ")) argv[argc++] = p;
    argv[argc] = NULL;
    CliArgs got;
    GfError err = {0};
    ck_assert_msg(cli_parse(&got, argc, argv, &err) == GF_OK, "%s", err.msg);
    ck_assert_int_eq(got.mode, CLI_EXPORT);
    ck_assert_str_eq(got.out, "x.png");
    const UiOptions *g = &got.ui;
    ck_assert_uint_eq(g->sim.cells, o->sim.cells);
    ck_assert_int_eq(g->sim.task, o->sim.task);
    ck_assert_int_eq(g->sim.seq_len, o->sim.seq_len);
    ck_assert_int_eq(g->sim.hidden, o->sim.hidden);
    ck_assert_int_eq(g->sim.layers, o->sim.layers);
    ck_assert_int_eq(g->sim.batch, o->sim.batch);
    ck_assert(g->sim.weight_scale == o->sim.weight_scale);
    ck_assert_int_eq(g->sim.init, o->sim.init);
    ck_assert(g->sim.forget_bias == o->sim.forget_bias);
    ck_assert(g->sim.update_bias == o->sim.update_bias);
    ck_assert_int_eq(g->sim.nonlinearity, o->sim.nonlinearity);
    ck_assert(g->sim.seed == o->sim.seed);
    ck_assert_int_eq(g->theme, o->theme);
    ck_assert_int_eq(g->view, o->view);
    ck_assert_int_eq(g->layer_pick, o->layer_pick);
    ck_assert_int_eq(g->plot_only, o->plot_only);
    ck_assert_int_eq(g->width, o->width);
    ck_assert_int_eq(g->height, o->height);
    ck_assert(g->text_scale == o->text_scale);
    ck_assert_int_eq(g->linear, 1);
    ck_assert_int_eq(g->no_theory, 1);
    /* the defaults it leaves out are the parser's defaults */
    cli_args_default(&want);
    ck_assert_uint_lt(cli_format_command(&want.ui, "y.png", line, sizeof line), sizeof line);
    ck_assert_ptr_null(strstr(line, "--view"));
    ck_assert_ptr_null(strstr(line, "--layer "));
    ck_assert_ptr_null(strstr(line, "--forget-bias"));
    ck_assert_ptr_null(strstr(line, "--update-bias"));
    ck_assert_ptr_null(strstr(line, "--plot-only"));
    ck_assert_ptr_null(strstr(line, "--text-scale"));
    ck_assert_ptr_null(strstr(line, "--linear"));
    ck_assert_ptr_null(strstr(line, "--no-theory"));
    ck_assert(want.ui.text_scale == 1.0);
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
    const char *head = "cell,layer,t,grad_h_norm,grad_c_norm,factor,factor_max,grad_x_norm,informative\ngru,0,0,";
    ck_assert(strncmp(out_text, head, strlen(head)) == 0);
}
END_TEST

/* Paths of any length: a folder path past 2,048 bytes is written into; a path the system cannot
 * take (past PATH_MAX) is an error saying so, never shortened into another file's name; and a
 * message about a long path still ends with its reason. */
START_TEST(test_long_paths)
{
    static char deep[4200], arg[4400], abs_[4700];
    char comp[201];
    memset(comp, 'd', 200);
    comp[200] = '\0';
    deep[0] = '\0';
    for (int i = 0; i < 11; i++) { /* 11 x 201 = 2,211 bytes */
        if (i) strcat(deep, "/");
        strcat(deep, comp);
        snprintf(abs_, sizeof abs_, "%s/%s", dir, deep);
        ck_assert_int_eq(mkdir(abs_, 0755), 0);
    }
    snprintf(arg, sizeof arg, "%s/x.csv", deep);
    const char *a[] = {"data", "-o", arg, "--seq-len", "5", "--cell", "rnn", NULL};
    ck_assert_msg(run_(a) == 0, "stderr '%s'", err_text);
    snprintf(abs_, sizeof abs_, "%s/%s/x.csv", dir, deep);
    struct stat st;
    ck_assert_int_eq(stat(abs_, &st), 0);
    ck_assert(st.st_size > 20);
    /* the reason survives a long path in the message */
    snprintf(arg, sizeof arg, "%s/nosuch/x.csv", deep);
    const char *b[] = {"data", "-o", arg, NULL};
    ck_assert_int_eq(run_(b), 2);
    ck_assert_msg(strstr(err_text, "does not exist") != NULL, "stderr '%s'", err_text);
    ck_assert_int_eq((int)(strchr(err_text, '\n') - err_text) + 1, (int)strlen(err_text));
    /* past PATH_MAX (4,096 here): "./" 2,100 times then a name; cut at 4,095 bytes it would name
       another file, "aaa...", in this folder */
    arg[0] = '\0';
    for (int i = 0; i < 2100; i++) strcat(arg, "./");
    for (int i = 0; i < 100; i++) strcat(arg, "a");
    const char *c[] = {"data", "-o", arg, "--seq-len", "5", "--cell", "rnn", NULL};
    ck_assert_int_eq(run_(c), 2);
    ck_assert_msg(strstr(err_text, "File name too long") != NULL, "stderr '%s'", err_text);
    char only[210];
    snprintf(only, sizeof only, "%s ", comp); /* the folders' top, and nothing else */
    ck_assert_str_eq(listing_(), only);
}
END_TEST

/* bench at a size foreseen to take more than a second says what it is doing on stderr (the table
 * stays on stdout), and a small one stays quiet; --sweep runs its grid (one timed run each here). */
START_TEST(test_bench_progress_and_sweep)
{
    const char *big[] = {"bench", "--cell", "lstm", "--hidden", "64", "--seq-len", "10000", "--repeat", "3", NULL};
    ck_assert_int_eq(run_(big), 0);
    ck_assert_msg(strstr(err_text, "gradflow bench: lstm, hidden 64, seq-len 10000") != NULL, "stderr '%s'", err_text);
    ck_assert_ptr_nonnull(strstr(out_text, "\nlstm "));
    ck_assert_ptr_null(strstr(out_text, "gradflow bench:"));
    const char *small[] = {"bench", "--cell", "rnn", "--hidden", "8", "--seq-len", "50", "--repeat", "3", NULL};
    ck_assert_int_eq(run_(small), 0);
    ck_assert_str_eq(err_text, "");
    const char *sweep[] = {"bench", "--sweep", "--csv", "--cell", "rnn", "--repeat", "1", NULL};
    ck_assert_int_eq(run_(sweep), 0);
    int rows = 0;
    for (const char *p = out_text; (p = strstr(p, "\nrnn,")); p++) rows++;
    ck_assert_int_eq(rows, 9);
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
    tcase_add_test(tc, test_help_is_the_table);
    tcase_add_test(tc, test_readme_is_the_table);
    tcase_add_test(tc, test_command_line_round_trip);
    tcase_add_test(tc, test_long_paths);
    tcase_add_test(tc, test_bench_progress_and_sweep);
    suite_add_tcase(s, tc);
    return s;
}

GF_CHECK_MAIN(suite_)
