/* test_safetensors.c - the .safetensors reader and writer: round trips, files written by hand,
 * every kind of malformed input rejected with a message naming the tensor and the problem, and a
 * deterministic mutation fuzz loop that must never crash (run it under ASan/UBSan too). */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "safetensors.h"
#include "testutil.h"

/* ---------------------------------------------------------------------------------------------
 * helpers
 * ------------------------------------------------------------------------------------------- */

/* A file made of an explicit header (padded with pad_to spaces when larger) and data_len bytes of
 * data (byte i = i & 0xff). Returns the malloc'ed buffer; *len its size. */
static uint8_t *file_from_header(const char *json, size_t data_len, size_t *len)
{
    size_t n = strlen(json);
    uint8_t *buf = malloc(8 + n + data_len + 1);
    ck_assert_ptr_nonnull(buf);
    for (int b = 0; b < 8; b++) buf[b] = (uint8_t)((uint64_t)n >> (8 * b));
    memcpy(buf + 8, json, n);
    for (size_t i = 0; i < data_len; i++) buf[8 + n + i] = (uint8_t)(i & 0xff);
    *len = 8 + n + data_len;
    return buf;
}

/* Parsing must fail with GF_ERR_FORMAT and a message containing each of the given pieces. */
static void expect_reject(const uint8_t *buf, size_t len, const char *piece1, const char *piece2)
{
    StFile f;
    GfError err = {0};
    memset(&f, 0xAB, sizeof f); /* st_parse must zero it, success or not */
    int rc = st_parse(&f, buf, len, &err);
    ck_assert_msg(rc == GF_ERR_FORMAT, "expected GF_ERR_FORMAT, got %d (%s)", rc, err.msg);
    ck_assert_int_eq(err.code, GF_ERR_FORMAT);
    ck_assert_msg(strstr(err.msg, piece1) != NULL, "message \"%s\" lacks \"%s\"", err.msg, piece1);
    if (piece2)
        ck_assert_msg(strstr(err.msg, piece2) != NULL, "message \"%s\" lacks \"%s\"", err.msg,
                      piece2);
    ck_assert_msg(strchr(err.msg, '\n') == NULL && strchr(err.msg, '\r') == NULL,
                  "message \"%s\" is not one line", err.msg);
    ck_assert_ptr_null(f.tensors);
    ck_assert_int_eq(f.n_tensors, 0);
    ck_assert_int_eq(f.n_meta, 0);
    st_free(&f);
}

static void expect_reject_header(const char *json, size_t data_len, const char *piece1,
                                 const char *piece2)
{
    size_t len;
    uint8_t *buf = file_from_header(json, data_len, &len);
    expect_reject(buf, len, piece1, piece2);
    free(buf);
}

/* A tensor entry with an F64 dtype. */
#define T64(name, shape, offs) "\"" name "\":{\"dtype\":\"F64\",\"shape\":" shape \
    ",\"data_offsets\":" offs "}"

/* ---------------------------------------------------------------------------------------------
 * round trips
 * ------------------------------------------------------------------------------------------- */

START_TEST(round_trip_all_dtypes_scalar_metadata)
{
    /* (2, 3) F64, (4) F32, (3) I64, () F64 scalar, (0, 5) F64 empty */
    const double a[6] = {1.0, -2.5, 3.25e-300, 1e300, -0.0, 0.1};
    const float b[4] = {1.5f, -2.0f, 3.0e-38f, 65504.0f};
    const int64_t c[3] = {-1, 0, INT64_MAX};
    const double s = 42.0;
    const int64_t sh_a[2] = {2, 3}, sh_b[1] = {4}, sh_c[1] = {3}, sh_e[2] = {0, 5};
    StWriter w;
    GfError err = {0};
    st_writer_init(&w);
    ck_assert_int_eq(st_writer_add(&w, "a", ST_F64, 2, sh_a, a, &err), GF_OK);
    ck_assert_int_eq(st_writer_add(&w, "layer.b", ST_F32, 1, sh_b, b, &err), GF_OK);
    ck_assert_int_eq(st_writer_add(&w, "targets", ST_I64, 1, sh_c, c, &err), GF_OK);
    ck_assert_int_eq(st_writer_add(&w, "loss", ST_F64, 0, NULL, &s, &err), GF_OK);
    ck_assert_int_eq(st_writer_add(&w, "empty", ST_F64, 2, sh_e, NULL, &err), GF_OK);
    ck_assert_int_eq(st_writer_meta(&w, "cell", "lstm", &err), GF_OK);
    ck_assert_int_eq(st_writer_meta(&w, "quote", "say \"hi\"\n\\", &err), GF_OK);
    ck_assert_int_eq(st_writer_meta(&w, "cell", "gru", &err), GF_OK); /* set again: replaced */

    uint8_t *buf = NULL;
    size_t len = 0;
    ck_assert_int_eq(st_writer_serialize(&w, &buf, &len, &err), GF_OK);
    st_writer_free(&w);
    ck_assert_ptr_null(w.tensors);

    /* header length is a multiple of 8, padded with spaces; data = 48 + 16 + 24 + 8 bytes */
    uint64_t n = 0;
    for (int i = 7; i >= 0; i--) n = (n << 8) | buf[i];
    ck_assert_uint_eq(n % 8, 0);
    ck_assert_uint_eq(len, 8 + n + 48 + 16 + 24 + 8);
    ck_assert_int_eq(buf[8], '{');
    size_t last = 8 + n - 1;
    while (buf[last] == ' ') last--;
    ck_assert_int_eq(buf[last], '}');

    StFile f;
    ck_assert_msg(st_parse(&f, buf, len, &err) == GF_OK, "%s", err.msg);
    ck_assert_int_eq(f.n_tensors, 5);
    ck_assert_str_eq(f.tensors[0].name, "a"); /* file order kept */
    ck_assert_str_eq(f.tensors[4].name, "empty");

    const StTensor *ta = st_find(&f, "a");
    ck_assert_ptr_nonnull(ta);
    ck_assert_int_eq(ta->dtype, ST_F64);
    ck_assert_int_eq(ta->ndim, 2);
    ck_assert_int_eq(ta->shape[0], 2);
    ck_assert_int_eq(ta->shape[1], 3);
    ck_assert_uint_eq(ta->numel, 6);
    double out[6];
    ck_assert_int_eq(st_to_f64(ta, out, &err), GF_OK);
    ck_assert_mem_eq(out, a, sizeof a); /* bit for bit, -0.0 and subnormal-adjacent included */

    const StTensor *tb = st_find(&f, "layer.b");
    ck_assert_int_eq(tb->dtype, ST_F32);
    ck_assert_int_eq(st_to_f64(tb, out, &err), GF_OK);
    for (int i = 0; i < 4; i++) ck_assert(out[i] == (double)b[i]);

    const StTensor *tc = st_find(&f, "targets");
    ck_assert_int_eq(tc->dtype, ST_I64);
    ck_assert_mem_eq(tc->data, c, sizeof c);
    ck_assert_int_eq(st_to_f64(tc, out, &err), GF_ERR_FORMAT);
    ck_assert_ptr_nonnull(strstr(err.msg, "\"targets\""));
    ck_assert_ptr_nonnull(strstr(err.msg, "I64"));

    const StTensor *ts = st_find(&f, "loss");
    ck_assert_int_eq(ts->ndim, 0);
    ck_assert_uint_eq(ts->numel, 1);
    ck_assert_int_eq(st_to_f64(ts, out, &err), GF_OK);
    ck_assert(out[0] == 42.0);

    const StTensor *te = st_find(&f, "empty");
    ck_assert_uint_eq(te->numel, 0);
    ck_assert_int_eq(te->shape[1], 5);

    ck_assert_ptr_null(st_find(&f, "nope"));
    ck_assert_int_eq(f.n_meta, 2);
    ck_assert_str_eq(st_meta(&f, "cell"), "gru");
    ck_assert_str_eq(st_meta(&f, "quote"), "say \"hi\"\n\\");
    ck_assert_ptr_null(st_meta(&f, "seed"));
    st_free(&f);
    ck_assert_ptr_null(f.tensors);
    ck_assert_ptr_null(f.meta_keys);
    st_free(&f); /* twice is harmless */
    free(buf);
}
END_TEST

START_TEST(round_trip_empty_file)
{
    StWriter w;
    GfError err = {0};
    uint8_t *buf;
    size_t len;
    st_writer_init(&w);
    ck_assert_int_eq(st_writer_serialize(&w, &buf, &len, &err), GF_OK);
    ck_assert_uint_eq(len, 16); /* "{}" padded to 8 */
    StFile f;
    ck_assert_int_eq(st_parse(&f, buf, len, &err), GF_OK);
    ck_assert_int_eq(f.n_tensors, 0);
    ck_assert_int_eq(f.n_meta, 0);
    st_free(&f);
    st_writer_free(&w);
    free(buf);
}
END_TEST

/* Another writer's layout: whitespace in the JSON, an unpadded header (so the data is not
 * 8-byte aligned), tensors stored out of order, a gap between them, trailing bytes. */
START_TEST(reads_foreign_layout)
{
    const char *json =
        "{ \"w\" : {\"shape\": [2], \"dtype\": \"F64\", \"data_offsets\": [16, 32]},\n"
        "  \"__metadata__\": {\"format\": \"pt\"},\n"
        "  \"v\" : {\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}\n ";
    size_t len;
    uint8_t *buf = file_from_header(json, 40, &len);
    ck_assert_uint_ne(strlen(json) % 8, 0);
    const double w[2] = {3.5, -7.25};
    const float v = 0.5f;
    size_t data = 8 + strlen(json);
    memcpy(buf + data + 16, w, sizeof w);
    memcpy(buf + data, &v, sizeof v);
    StFile f;
    GfError err = {0};
    ck_assert_msg(st_parse(&f, buf, len, &err) == GF_OK, "%s", err.msg);
    double out[2];
    ck_assert_int_eq(st_to_f64(st_find(&f, "w"), out, &err), GF_OK);
    ck_assert(out[0] == 3.5 && out[1] == -7.25);
    ck_assert_int_eq(st_to_f64(st_find(&f, "v"), out, &err), GF_OK);
    ck_assert(out[0] == 0.5);
    ck_assert_str_eq(st_meta(&f, "format"), "pt");
    st_free(&f);
    free(buf);
}
END_TEST

START_TEST(empty_tensors_may_share_offsets)
{
    expect_reject_header("{" T64("a", "[0]", "[0,8]") "}", 8, "\"a\"", "span 8 bytes");
    size_t len;
    uint8_t *buf = file_from_header(
        "{" T64("a", "[0]", "[8,8]") "," T64("b", "[2]", "[0,16]") "," T64("c", "[0,3]", "[8,8]")
        "}", 16, &len);
    StFile f;
    GfError err = {0};
    ck_assert_msg(st_parse(&f, buf, len, &err) == GF_OK, "%s", err.msg);
    ck_assert_int_eq(f.n_tensors, 3);
    st_free(&f);
    free(buf);
}
END_TEST

START_TEST(writer_refuses_bad_tensors)
{
    StWriter w;
    GfError err = {0};
    const double d[2] = {1, 2};
    const int64_t sh[1] = {2}, neg[1] = {-1};
    char longname[ST_MAX_NAME + 1];
    memset(longname, 'x', ST_MAX_NAME);
    longname[ST_MAX_NAME] = '\0';
    st_writer_init(&w);
    ck_assert_int_eq(st_writer_add(&w, "x", ST_F64, 1, sh, d, &err), GF_OK);
    ck_assert_int_eq(st_writer_add(&w, "x", ST_F64, 1, sh, d, &err), GF_ERR_RANGE);
    ck_assert_ptr_nonnull(strstr(err.msg, "twice"));
    ck_assert_int_eq(st_writer_add(&w, longname, ST_F64, 1, sh, d, &err), GF_ERR_RANGE);
    ck_assert_int_eq(st_writer_add(&w, "__metadata__", ST_F64, 1, sh, d, &err), GF_ERR_RANGE);
    ck_assert_int_eq(st_writer_add(&w, "y", (StDtype)99, 1, sh, d, &err), GF_ERR_RANGE);
    ck_assert_int_eq(st_writer_add(&w, "y", ST_F64, 1, neg, d, &err), GF_ERR_RANGE);
    ck_assert_ptr_nonnull(strstr(err.msg, "\"y\""));
    ck_assert_int_eq(st_writer_add(&w, "y", ST_F64, ST_MAX_DIMS + 1, sh, d, &err), GF_ERR_RANGE);
    ck_assert_int_eq(st_writer_add(&w, "y", ST_F64, 1, sh, NULL, &err), GF_ERR_RANGE);
    ck_assert_int_eq(w.n_tensors, 1);
    /* many tensors: the arrays grow */
    char name[16];
    for (int i = 0; i < 100; i++) {
        snprintf(name, sizeof name, "t%d", i);
        ck_assert_int_eq(st_writer_add(&w, name, ST_F64, 1, sh, d, &err), GF_OK);
        ck_assert_int_eq(st_writer_meta(&w, name, "v", &err), GF_OK);
    }
    uint8_t *buf;
    size_t len;
    ck_assert_int_eq(st_writer_serialize(&w, &buf, &len, &err), GF_OK);
    StFile f;
    ck_assert_int_eq(st_parse(&f, buf, len, &err), GF_OK);
    ck_assert_int_eq(f.n_tensors, 101);
    ck_assert_int_eq(f.n_meta, 100);
    double out[2];
    ck_assert_int_eq(st_to_f64(st_find(&f, "t99"), out, &err), GF_OK);
    ck_assert(out[0] == 1 && out[1] == 2);
    st_free(&f);
    free(buf);
    st_writer_free(&w);
    st_writer_free(&w);
}
END_TEST

/* ---------------------------------------------------------------------------------------------
 * malformed files
 * ------------------------------------------------------------------------------------------- */

START_TEST(rejects_truncated_and_lying_lengths)
{
    const uint8_t tiny[5] = {2, 0, 0, 0, 0};
    expect_reject(tiny, sizeof tiny, "5 bytes", "too short");
    expect_reject(tiny, 0, "0 bytes", NULL);
    expect_reject(NULL, 0, "too short", NULL);

    size_t len;
    uint8_t *buf = file_from_header("{}", 0, &len);
    buf[0] = 200; /* header length 200, but 2 bytes follow */
    expect_reject(buf, len, "header length 200", "past the end");
    memset(buf, 0xff, 8); /* 2^64 - 1 */
    expect_reject(buf, len, "past the end", NULL);
    buf[0] = 1;
    memset(buf + 1, 0, 7);
    expect_reject(buf, len, "header length 1", "too short");
    free(buf);

    /* A lying header past the cap, on a buffer big enough that it is not "past the end". */
    size_t big = ((size_t)100 << 20) + 64;
    uint8_t *huge = calloc(big, 1);
    ck_assert_ptr_nonnull(huge);
    uint64_t n = ((uint64_t)100 << 20) + 1;
    for (int b = 0; b < 8; b++) huge[b] = (uint8_t)(n >> (8 * b));
    expect_reject(huge, big, "over the", "accepted");
    free(huge);

    /* every strict prefix of a valid file is rejected */
    const double v[3] = {1, 2, 3};
    const int64_t sh[1] = {3};
    StWriter w;
    GfError err = {0};
    st_writer_init(&w);
    ck_assert_int_eq(st_writer_add(&w, "v", ST_F64, 1, sh, v, &err), GF_OK);
    ck_assert_int_eq(st_writer_serialize(&w, &buf, &len, &err), GF_OK);
    st_writer_free(&w);
    for (size_t cut = 0; cut < len; cut++) {
        StFile f;
        ck_assert_msg(st_parse(&f, buf, cut, &err) == GF_ERR_FORMAT, "prefix %zu of %zu parsed",
                      cut, len);
        st_free(&f);
    }
    free(buf);
}
END_TEST

START_TEST(rejects_bad_json)
{
    expect_reject_header("{\"a\": ", 0, "not valid JSON", NULL);
    expect_reject_header("{\"a\":{\"dtype\":\"F64\",}}", 0, "not valid JSON", NULL);
    expect_reject_header("{} x", 0, "after its JSON", NULL);
    size_t len;
    uint8_t *buf = file_from_header("{}  ", 0, &len);
    buf[11] = 0; /* NUL padding is not space padding */
    expect_reject(buf, len, "after its JSON", NULL);
    free(buf);
    expect_reject_header("[1, 2]", 0, "not an object", NULL);
    expect_reject_header("\"str\"", 0, "not an object", NULL);
    expect_reject_header("{\"a\": 5}", 0, "tensor \"a\"", "entry is 5");
    expect_reject_header("{\"a\": [1]}", 0, "tensor \"a\"", "expected an object");
    expect_reject_header("{\"a\": null}", 0, "tensor \"a\"", NULL);
}
END_TEST

START_TEST(rejects_bad_dtype)
{
    expect_reject_header("{\"w\":{\"dtype\":\"F128\",\"shape\":[1],\"data_offsets\":[0,16]}}", 16,
                         "tensor \"w\"", "dtype \"F128\"");
    expect_reject_header("{\"w\":{\"dtype\":\"f64\",\"shape\":[1],\"data_offsets\":[0,8]}}", 8,
                         "tensor \"w\"", "dtype");
    expect_reject_header("{\"w\":{\"shape\":[1],\"data_offsets\":[0,8]}}", 8, "tensor \"w\"",
                         "dtype (missing)");
    expect_reject_header("{\"w\":{\"dtype\":64,\"shape\":[1],\"data_offsets\":[0,8]}}", 8,
                         "tensor \"w\"", "dtype 64");
}
END_TEST

START_TEST(rejects_bad_shapes)
{
    expect_reject_header("{" T64("w", "3", "[0,24]") "}", 24, "tensor \"w\"", "not a list");
    expect_reject_header("{\"w\":{\"dtype\":\"F64\",\"data_offsets\":[0,8]}}", 8, "tensor \"w\"",
                         "shape (missing)");
    expect_reject_header("{" T64("w", "[2,-1]", "[0,8]") "}", 8, "tensor \"w\"",
                         "shape entry 1 is -1");
    expect_reject_header("{" T64("w", "[1.5]", "[0,8]") "}", 8, "tensor \"w\"",
                         "shape entry 0 is 1.5");
    expect_reject_header("{" T64("w", "[\"3\"]", "[0,24]") "}", 24, "tensor \"w\"",
                         "expected an integer");
    expect_reject_header("{" T64("w", "[1e300]", "[0,8]") "}", 8, "tensor \"w\"",
                         "shape entry 0");
    expect_reject_header("{" T64("w", "[9007199254740993]", "[0,8]") "}", 8, "tensor \"w\"",
                         "shape entry 0");
    expect_reject_header("{" T64("w", "[4294967296,4294967296,4294967296]", "[0,8]") "}", 8,
                         "tensor \"w\"", "overflows");
    expect_reject_header("{" T64("w", "[4503599627370496,4]", "[0,8]") "}", 8, "tensor \"w\"",
                         "more than");
    expect_reject_header("{" T64("w", "[1,1,1,1,1,1,1,1,1]", "[0,8]") "}", 8, "tensor \"w\"",
                         "9 dimensions");
}
END_TEST

START_TEST(rejects_bad_offsets)
{
    expect_reject_header("{" T64("w", "[3]", "[0,24,48]") "}", 48, "tensor \"w\"",
                         "two integers");
    expect_reject_header("{" T64("w", "[3]", "0") "}", 24, "tensor \"w\"", "two integers");
    expect_reject_header("{\"w\":{\"dtype\":\"F64\",\"shape\":[3]}}", 24, "tensor \"w\"",
                         "data_offsets (missing)");
    expect_reject_header("{" T64("w", "[3]", "[-8,16]") "}", 24, "tensor \"w\"", "two integers");
    expect_reject_header("{" T64("w", "[3]", "[0.5,24.5]") "}", 32, "tensor \"w\"",
                         "two integers");
    expect_reject_header("{" T64("w", "[0]", "[16,8]") "}", 24, "tensor \"w\"", "end before");
    expect_reject_header("{" T64("w", "[3]", "[8,32]") "}", 24, "tensor \"w\"",
                         "outside the data section of 24 bytes");
    expect_reject_header("{" T64("w", "[3]", "[0,16]") "}", 24, "tensor \"w\"",
                         "span 16 bytes, but 3 elements of F64 need 24");
    expect_reject_header("{" T64("w", "[1]", "[0,16]") "}", 24, "tensor \"w\"", "span 16");
}
END_TEST

START_TEST(rejects_overlaps_and_duplicates)
{
    expect_reject_header("{" T64("a", "[2]", "[0,16]") "," T64("b", "[2]", "[8,24]") "}", 24,
                         "\"a\" [0, 16] and \"b\" [8, 24] overlap", NULL);
    /* overlap found after sorting, with a third range between them in file order */
    expect_reject_header("{" T64("c", "[1]", "[40,48]") "," T64("x", "[1]", "[16,24]") ","
                         T64("a", "[4]", "[8,40]") "}", 48, "overlap", "\"x\"");
    /* the same range twice */
    expect_reject_header("{" T64("a", "[1]", "[0,8]") "," T64("b", "[1]", "[0,8]") "}", 8,
                         "overlap", NULL);
    /* a range inside a long earlier one */
    expect_reject_header("{" T64("a", "[4]", "[0,32]") "," T64("b", "[1]", "[8,16]") ","
                         T64("c", "[1]", "[32,40]") "}", 40, "\"a\" [0, 32] and \"b\"", NULL);
    expect_reject_header("{" T64("a", "[1]", "[0,8]") "," T64("a", "[1]", "[8,16]") "}", 16,
                         "tensor \"a\" appears twice", NULL);
}
END_TEST

START_TEST(rejects_bad_names_and_metadata)
{
    char json[512], name[ST_MAX_NAME + 1];
    memset(name, 'n', ST_MAX_NAME);
    name[ST_MAX_NAME] = '\0';
    snprintf(json, sizeof json, "{\"%s\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[0,8]}}",
             name);
    expect_reject_header(json, 8, "nnnnnnnnnn", "128 bytes long");
    name[ST_MAX_NAME - 1] = '\0'; /* 127 bytes: accepted */
    snprintf(json, sizeof json, "{\"%s\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[0,8]}}",
             name);
    size_t len;
    uint8_t *buf = file_from_header(json, 8, &len);
    StFile f;
    GfError err = {0};
    ck_assert_msg(st_parse(&f, buf, len, &err) == GF_OK, "%s", err.msg);
    ck_assert_ptr_nonnull(st_find(&f, name));
    st_free(&f);
    free(buf);

    /* control characters: refused in names, shown as '?' in messages */
    expect_reject_header("{\"a\\nb\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[0,8]}}", 8,
                         "\"a?b\" contains control characters", NULL);
    expect_reject_header("{\"__metadata__\":{\"k\\r\\n\":1}}", 0, "entry \"k??\" is 1", NULL);
    expect_reject_header("{\"__metadata__\":{\"k\\n\":\"1\",\"k\\n\":\"2\"}}", 0, "\"k?\" twice",
                         NULL);
    expect_reject_header("{\"__metadata__\":\"x\"}", 0, "__metadata__ is \"x\"", "object");
    expect_reject_header("{\"__metadata__\":{\"seed\":5}}", 0, "\"seed\" is 5", "string");
    expect_reject_header("{\"__metadata__\":{\"a\":\"1\",\"b\":{}}}", 0, "\"b\"", "string");
    expect_reject_header("{\"__metadata__\":{\"a\":\"1\",\"a\":\"2\"}}", 0, "\"a\" twice", NULL);
    expect_reject_header("{\"__metadata__\":{},\"__metadata__\":{}}", 0, "__metadata__ twice",
                         NULL);
    /* an error after metadata was read leaves nothing behind (leaks show under ASan) */
    expect_reject_header("{\"__metadata__\":{\"a\":\"1\"}," T64("w", "[1]", "[0,9]") "}", 9,
                         "tensor \"w\"", NULL);
}
END_TEST

/* ---------------------------------------------------------------------------------------------
 * mutation fuzz
 * ------------------------------------------------------------------------------------------- */

/* Iterations of the fuzz loop; a long run by hand: -DST_FUZZ_ITERS=2000000 */
#ifndef ST_FUZZ_ITERS
#define ST_FUZZ_ITERS 6000
#endif

static uint64_t xorshift(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

/* Whatever the mutation, parsing returns OK or FORMAT; on OK every tensor lies inside the buffer
 * with the size its shape implies, and converting it reads only those bytes. */
START_TEST(mutation_fuzz_never_crashes)
{
    const double a[6] = {1, 2, 3, 4, 5, 6};
    const float b[3] = {1, 2, 3};
    const int64_t c[2] = {7, 8};
    const double s = 9;
    const int64_t sh_a[2] = {2, 3}, sh_b[1] = {3}, sh_c[1] = {2};
    StWriter w;
    GfError err = {0};
    st_writer_init(&w);
    ck_assert_int_eq(st_writer_add(&w, "weight_hh_l0", ST_F64, 2, sh_a, a, &err), GF_OK);
    ck_assert_int_eq(st_writer_add(&w, "bias", ST_F32, 1, sh_b, b, &err), GF_OK);
    ck_assert_int_eq(st_writer_add(&w, "targets", ST_I64, 1, sh_c, c, &err), GF_OK);
    ck_assert_int_eq(st_writer_add(&w, "loss", ST_F64, 0, NULL, &s, &err), GF_OK);
    ck_assert_int_eq(st_writer_meta(&w, "cell", "rnn", &err), GF_OK);
    uint8_t *orig;
    size_t len;
    ck_assert_int_eq(st_writer_serialize(&w, &orig, &len, &err), GF_OK);
    st_writer_free(&w);

    /* Bytes a mutation writes: random ones and JSON-significant ones, so that mutants stay
     * parseable often enough to reach the later checks. */
    static const char interesting[] = "{}[],:\"0123456789-.eE \\u";
    uint64_t state = 0x9E3779B97F4A7C15ull;
    int n_ok = 0, n_rejected = 0;
    uint8_t *m = malloc(len);
    ck_assert_ptr_nonnull(m);
    for (int iter = 0; iter < ST_FUZZ_ITERS; iter++) {
        memcpy(m, orig, len);
        size_t mlen = len;
        int flips = 1 + (int)(xorshift(&state) % 4);
        for (int k = 0; k < flips; k++) {
            uint64_t r = xorshift(&state);
            /* three quarters of the mutations land in the length field or the header */
            size_t pos = (r & 3) ? (size_t)((r >> 8) % (8 + (orig[0] | orig[1] << 8)))
                                 : (size_t)((r >> 8) % len);
            switch ((r >> 2) % 4) {
            case 0: m[pos] ^= (uint8_t)(1u << ((r >> 40) % 8)); break;
            case 1: m[pos] = (uint8_t)(r >> 48); break;
            case 2: m[pos] = (uint8_t)interesting[(r >> 48) % (sizeof interesting - 1)]; break;
            default: mlen = (size_t)((r >> 16) % (len + 1)); break; /* truncate */
            }
        }
        StFile f;
        int rc = st_parse(&f, m, mlen, &err);
        ck_assert_msg(rc == GF_OK || rc == GF_ERR_FORMAT, "iteration %d: code %d", iter, rc);
        if (rc != GF_OK) {
            ck_assert_msg(err.msg[0] != '\0', "iteration %d: empty message", iter);
            ck_assert_ptr_null(f.tensors);
            n_rejected++;
            continue;
        }
        n_ok++;
        for (int i = 0; i < f.n_tensors; i++) {
            const StTensor *t = &f.tensors[i];
            size_t bytes = t->numel * st_dtype_size(t->dtype);
            ck_assert(t->data >= m && t->data + bytes <= m + mlen);
            ck_assert_uint_lt(strlen(t->name), ST_MAX_NAME);
            if (t->dtype == ST_F64 || t->dtype == ST_F32) {
                double *out = malloc((t->numel ? t->numel : 1) * sizeof *out);
                ck_assert_ptr_nonnull(out);
                ck_assert_int_eq(st_to_f64(t, out, &err), GF_OK);
                free(out);
            }
        }
        st_free(&f);
    }
#ifdef ST_FUZZ_VERBOSE
    fprintf(stderr, "fuzz: %d parsed, %d rejected\n", n_ok, n_rejected);
#endif
    /* the loop exercised both outcomes */
    ck_assert_int_gt(n_ok, 100);
    ck_assert_int_gt(n_rejected, 1000);
    free(m);
    free(orig);
}
END_TEST

static Suite *safetensors_suite(void)
{
    Suite *s = suite_create("safetensors");
    TCase *tc = tcase_create("round_trip");
    tcase_add_test(tc, round_trip_all_dtypes_scalar_metadata);
    tcase_add_test(tc, round_trip_empty_file);
    tcase_add_test(tc, reads_foreign_layout);
    tcase_add_test(tc, empty_tensors_may_share_offsets);
    tcase_add_test(tc, writer_refuses_bad_tensors);
    suite_add_tcase(s, tc);
    tc = tcase_create("malformed");
    tcase_add_test(tc, rejects_truncated_and_lying_lengths);
    tcase_add_test(tc, rejects_bad_json);
    tcase_add_test(tc, rejects_bad_dtype);
    tcase_add_test(tc, rejects_bad_shapes);
    tcase_add_test(tc, rejects_bad_offsets);
    tcase_add_test(tc, rejects_overlaps_and_duplicates);
    tcase_add_test(tc, rejects_bad_names_and_metadata);
    suite_add_tcase(s, tc);
    tc = tcase_create("fuzz");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, mutation_fuzz_never_crashes);
    suite_add_tcase(s, tc);
    return s;
}

GF_CHECK_MAIN(safetensors_suite)
