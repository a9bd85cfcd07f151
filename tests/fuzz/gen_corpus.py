#!/usr/bin/env python3
"""Writes the fuzz targets' seed corpora under tests/fuzz/corpus/<target>/ (standard library only).

Small valid inputs of every kind each target reads (safetensors files of each cell, dtype and
metadata, command lines of every mode, one value per parser, simulation configurations), plus a
few broken ones, so the fuzzer starts from inside every branch. Run once; the output is committed."""
import json
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))


def safetensors(tensors, meta=None):
    """tensors: list of (name, dtype, shape, raw bytes)."""
    header, data = {}, b""
    for name, dtype, shape, raw in tensors:
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [len(data), len(data) + len(raw)]}
        data += raw
    if meta:
        header["__metadata__"] = meta
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * (-len(h) % 8)
    return struct.pack("<Q", len(h)) + h + data


def f32(n, k=0.25):
    return struct.pack("<%df" % n, *[(i % 7 - 3) * k for i in range(n)])


def f64(n, k=0.25):
    return struct.pack("<%dd" % n, *[(i % 5 - 2) * k for i in range(n)])


def cell_tensors(G, H, I, L, pack, dtype, bias=True, suffix=""):
    out = []
    for l in range(L):
        ik = I if l == 0 else H
        out.append(("weight_ih_l%d%s" % (l, suffix), dtype, [G * H, ik], pack(G * H * ik)))
        out.append(("weight_hh_l%d%s" % (l, suffix), dtype, [G * H, H], pack(G * H * H)))
        if bias:
            out.append(("bias_ih_l%d%s" % (l, suffix), dtype, [G * H], pack(G * H)))
            out.append(("bias_hh_l%d%s" % (l, suffix), dtype, [G * H], pack(G * H)))
    return out


def write(target, name, data):
    d = os.path.join(HERE, "corpus", target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


files = {
    "rnn_f32": safetensors(cell_tensors(1, 2, 2, 1, f32, "F32")),
    "lstm_f64_head": safetensors(cell_tensors(4, 2, 2, 1, f64, "F64") +
                                 [("head.weight", "F64", [1, 2], f64(2)), ("head.bias", "F64", [1], f64(1))],
                                 {"cell": "lstm"}),
    "gru_l2_nobias": safetensors(cell_tensors(3, 2, 2, 2, f64, "F64", bias=False)),
    "rnn_run_file": safetensors(cell_tensors(1, 3, 2, 1, f64, "F64") +
                                [("loss", "F64", [], f64(1)), ("targets", "I64", [2], struct.pack("<2q", 1, 0))],
                                {"format": "gradflow run", "cell": "rnn", "task": "recall", "seq_len": "5",
                                 "batch": "2", "seed": "7", "nonlinearity": "relu",
                                 "weight_hh_float32_scale": "0.5"}),
    "dtypes": safetensors([("a", "F16", [2], b"\x00\x3c\x00\xbc"), ("b", "BF16", [1], b"\x80\x3f"),
                           ("c", "I32", [1, 1], struct.pack("<i", -5)), ("d", "U8", [3], b"\x01\x02\x03"),
                           ("e", "BOOL", [1], b"\x01"), ("f", "I8", [0], b""), ("g", "I16", [1], b"\xff\x7f"),
                           ("s", "F64", [], f64(1))], {"k": "v"}),
    "empty_header": struct.pack("<Q", 2) + b"{}",
    "bad_json": struct.pack("<Q", 8) + b'{"a":[1,',
}
for name, data in files.items():
    write("fuzz_safetensors", name, data)
    write("fuzz_weights", name, data)

command_lines = {
    "window": ["--cell", "rnn,lstm", "--seq-len", "100", "--view", "states", "--theme", "dark"],
    "export": ["export", "-o", "x.png", "--size", "1920x1080", "--plot-only", "--csv", "x.csv", "--layer", "0"],
    "data": ["data", "-o", "-", "--task", "recall", "--hidden", "8", "--layers", "3", "--batch", "4"],
    "run": ["run", "--output=r.safetensors", "--cell", "lstm", "--init", "orthogonal", "--forget-bias", "1.5"],
    "bench": ["bench", "--csv", "--sweep", "--full", "--repeat", "3"],
    "bench_ui": ["bench", "--ui", "--frames", "50", "--size", "960x540"],
    "seed": ["--seed=18446744073709551615", "--weight-scale", "0.95", "--nonlinearity", "relu"],
    "weights": ["data", "-o", "d.csv", "--weights", "w.safetensors", "--layer", "all"],
    "help": ["--help"],
}
for name, args in command_lines.items():
    write("fuzz_cli", name, b"\0".join(a.encode() for a in args))

values = {
    "int": (0, "64"), "int_neg": (0, "-3"), "double": (1, "0.95"), "double_exp": (1, "1e-3"),
    "seed": (2, "18446744073709551615"), "seed_neg": (2, "-1"),
    # a minus sign after a form feed (or tab, newline): strtoull skips the space and wraps -2
    # to 2^64 - 2, which a seed must refuse
    "seed_space_neg": (2, "\f-2"), "cells": (3, "rnn,lstm"),
    "cells_all": (3, "all"), "size": (4, "1920x1080"), "size_upper": (4, "7680X4320"),
    "layer": (5, "all"), "task": (11, "recall"), "init": (17, "identity"), "nonlin": (23, "relu"),
    "theme": (29, "dark"), "view": (35, "anatomy"), "forget": (41, "-2.5"), "seqlen": (47, "1000"),
}
for name, (sel, text) in values.items():
    write("fuzz_values", name, bytes([sel]) + text.encode())

# fuzz_sim: 14 bytes a configuration (cells, task, T, H, L, B, scale, init, forget bias,
# nonlinearity, 3 seed bytes, flags), two configurations an input
sims = {
    "all_small": [7, 0, 12, 4, 0, 1, 60, 0, 0, 0, 1, 0, 0, 3] + [1, 1, 20, 9, 2, 2, 120, 1, 200, 1, 9, 0, 0, 1],
    "lstm_recall": [2, 1, 24, 3, 2, 2, 45, 2, 150, 0, 2, 0, 0, 1] + [4, 0, 2, 1, 0, 0, 250, 0, 0, 1, 3, 0, 0, 2],
    "explode": [1, 0, 24, 8, 0, 0, 255, 1, 0, 1, 5, 0, 0, 2] + [6, 1, 1, 2, 1, 0, 0, 2, 1, 0, 4, 0, 0, 0],
}
for name, b in sims.items():
    write("fuzz_sim", name, bytes(b))
