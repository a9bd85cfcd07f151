/* safetensors.h - read and write the .safetensors format in memory.
 *
 * Layout (little-endian): an 8-byte unsigned header length N, N bytes of JSON
 *   {"name": {"dtype": "F64", "shape": [2, 3], "data_offsets": [begin, end]}, ...,
 *    "__metadata__": {"key": "value", ...}}
 * then the data section; offsets are relative to its start. A file is untrusted input: the parser
 * checks the header length against the buffer, that the JSON parses and is an object of objects,
 * that every dtype is known, every shape is a list of non-negative integers, every byte range lies
 * inside the data section, has exactly the size that dtype and shape imply, and that no two ranges
 * overlap. The core does no file I/O: callers read the bytes and write the serialised buffer. */
#ifndef GF_SAFETENSORS_H
#define GF_SAFETENSORS_H

#include <stddef.h>
#include <stdint.h>

#include "gf_error.h"

#define ST_MAX_DIMS 8
#define ST_MAX_NAME 128

typedef enum { ST_F64 = 0, ST_F32, ST_F16, ST_BF16, ST_I64, ST_I32, ST_I16, ST_I8, ST_U8, ST_BOOL } StDtype;

typedef struct StTensor {
    char name[ST_MAX_NAME];   /* tensor name, NUL-terminated */
    StDtype dtype;            /* element type */
    int ndim;                 /* number of dimensions, 0 for a scalar */
    int64_t shape[ST_MAX_DIMS]; /* (ndim) extents */
    size_t numel;             /* product of shape (1 for a scalar) */
    const uint8_t *data;      /* points into the parsed buffer; numel * st_dtype_size(dtype) bytes */
} StTensor;

typedef struct StFile {
    StTensor *tensors;        /* (n_tensors) in file order */
    int n_tensors;
    char **meta_keys;         /* (n_meta) metadata keys, owned */
    char **meta_vals;         /* (n_meta) metadata values, owned */
    int n_meta;
} StFile;

/* Size in bytes of one element of dtype; 0 for an unknown value. */
size_t st_dtype_size(StDtype dtype);
/* "F64", "F32", ... */
const char *st_dtype_name(StDtype dtype);
/* "[a<sep>b<sep>c]" into buf (cap bytes, truncated if short), integers printed exactly (cJSON
 * would print large ones as doubles): the header's shapes (sep ",") and messages' (", "). */
void st_int_list(char *buf, size_t cap, const int64_t *v, int n, const char *sep);

/* Parses buf (len bytes), which must outlive f. On failure f is left empty (safe to st_free)
 * and err names the problem (GF_ERR_FORMAT). */
int st_parse(StFile *f, const uint8_t *buf, size_t len, GfError *err);
/* The tensor called name, or NULL. */
const StTensor *st_find(const StFile *f, const char *name);
/* The metadata value for key, or NULL. */
const char *st_meta(const StFile *f, const char *key);
/* Converts an F64 or F32 tensor's elements to double (out has t->numel entries).
 * Any other dtype is GF_ERR_FORMAT naming the tensor and the dtypes accepted. */
int st_to_f64(const StTensor *t, double *out, GfError *err);
/* Frees what st_parse allocated; safe on a zeroed StFile; leaves it zeroed. */
void st_free(StFile *f);

/* A writer collects tensors (by pointer: the data must stay alive until serialisation) and
 * metadata, then produces the whole file as one allocated buffer. */
typedef struct StWriter {
    StTensor *tensors;        /* (n_tensors) descriptions; data pointers borrowed */
    int n_tensors, cap_tensors;
    char **meta_keys, **meta_vals; /* (n_meta) owned copies */
    int n_meta, cap_meta;
} StWriter;

void st_writer_init(StWriter *w);
/* Adds a tensor; data holds numel(shape) elements of dtype in little-endian order. */
int st_writer_add(StWriter *w, const char *name, StDtype dtype, int ndim, const int64_t *shape,
                  const void *data, GfError *err);
int st_writer_meta(StWriter *w, const char *key, const char *value, GfError *err);
/* Serialises everything into *out (malloc'ed, *len bytes). The header is padded with spaces to a
 * multiple of 8 bytes, tensors are laid out in the order added. */
int st_writer_serialize(const StWriter *w, uint8_t **out, size_t *len, GfError *err);
void st_writer_free(StWriter *w);

#endif
