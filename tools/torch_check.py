#!/usr/bin/env python3
"""torch_check.py - recompute a gradflow run file in PyTorch and report how far gradflow was.

Usage: tools/torch_check.py [--tol 1e-9] FILE.safetensors [FILE ...]

A run file (written by `gradflow run`) holds the weights with PyTorch's names, the inputs, the
targets and gradflow's results: loss, grad_h and h (L, B, T, H), and for an LSTM grad_c and c.
This script rebuilds the model from the weights alone, in float64, as an unrolled loop of
nn.RNNCell / nn.LSTMCell / nn.GRUCell sharing the parameters of an nn.RNN / nn.LSTM / nn.GRU (it
checks that the loop reproduces the module's output), runs the file's inputs through it, puts the
last layer's last state through the linear head, takes the task's loss, and backpropagates with
retain_grad on every h_t (and c_t), which gives the total derivative dL/dh_t at every step.

For each per-step quantity it prints the worst relative deviation over all layers and steps,
    max over (layer, t) of  max |gradflow - torch| over the (B, H) slice / ||torch slice||,
so a step whose gradient is 1e-200 is judged against 1e-200, not against the whole run. The
loss (and any parameter gradients "grad.<name>" the file holds) are compared relative to their
own size. Exit status 1 when any deviation exceeds --tol, 2 when the file cannot be used.

Needs only Debian's python3-torch (and numpy, which it brings); no safetensors package.
"""
import argparse
import json
import math
import struct
import sys

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

DTYPES = {"F64": "<f8", "F32": "<f4", "I64": "<i8", "I32": "<i4"}
GATES = {1: "rnn", 4: "lstm", 3: "gru"}


# --------------------------------------------------------------------------------------------
# the file format
# --------------------------------------------------------------------------------------------

def read_safetensors(path):
    """Returns ({name: torch tensor (float64 or int64)}, {metadata key: value})."""
    with open(path, "rb") as f:
        buf = f.read()
    if len(buf) < 8:
        raise ValueError(f"{path}: {len(buf)} bytes, too short for a .safetensors file")
    (n,) = struct.unpack("<Q", buf[:8])
    if n > len(buf) - 8:
        raise ValueError(f"{path}: header length {n} runs past the end of the file")
    header = json.loads(buf[8:8 + n].decode("utf-8"))
    data = memoryview(buf)[8 + n:]
    meta = header.pop("__metadata__", {}) or {}
    tensors = {}
    for name, e in header.items():
        if e["dtype"] not in DTYPES:
            raise ValueError(f"{path}: tensor {name} has dtype {e['dtype']}, not one of "
                             f"{', '.join(DTYPES)}")
        begin, end = e["data_offsets"]
        arr = np.frombuffer(data[begin:end], dtype=DTYPES[e["dtype"]]).reshape(e["shape"])
        t = torch.from_numpy(arr.copy())
        tensors[name] = t.double() if t.is_floating_point() else t.long()
    return tensors, meta


def write_safetensors(path, tensors, meta):
    """Writes {name: torch tensor} (float64 -> F64, int64 -> I64) and {key: str} metadata."""
    header = {"__metadata__": {k: str(v) for k, v in meta.items()}}
    blobs, offset = [], 0
    for name, t in tensors.items():
        t = t.detach().contiguous()
        if t.dtype == torch.float64:
            dtype, raw = "F64", t.numpy().astype("<f8").tobytes()
        elif t.dtype == torch.int64:
            dtype, raw = "I64", t.numpy().astype("<i8").tobytes()
        else:
            raise ValueError(f"tensor {name}: dtype {t.dtype} is not written")
        header[name] = {"dtype": dtype, "shape": list(t.shape),
                        "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    js = json.dumps(header, separators=(",", ":")).encode("utf-8")
    js += b" " * (-len(js) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(js)))
        f.write(js)
        for b in blobs:
            f.write(b)


# --------------------------------------------------------------------------------------------
# the model
# --------------------------------------------------------------------------------------------

def arch_from_weights(tensors):
    """(cell, L, H, I) read from the shapes of weight_hh_l0, weight_ih_l0 and the layer count."""
    whh = tensors["weight_hh_l0"]
    H = whh.shape[1]
    G = whh.shape[0] // H
    if whh.shape[0] != G * H or G not in GATES:
        raise ValueError(f"weight_hh_l0 has shape {list(whh.shape)}: not an RNN, LSTM or GRU")
    L = 0
    while f"weight_hh_l{L}" in tensors:
        L += 1
    return GATES[G], L, H, tensors["weight_ih_l0"].shape[1]


def build_model(cell, L, H, I, O, nonlinearity, params):
    """An nn.RNN/LSTM/GRU (batch_first) and a head nn.Linear(H, O) holding params (a dict of
    float64 tensors with PyTorch's names; absent biases are zeros), plus one nn.*Cell per layer
    whose parameters ARE the module's (the same Parameter objects)."""
    kinds = {"rnn": (nn.RNN, nn.RNNCell), "lstm": (nn.LSTM, nn.LSTMCell),
             "gru": (nn.GRU, nn.GRUCell)}
    Module, Cell = kinds[cell]
    extra = {"nonlinearity": nonlinearity} if cell == "rnn" else {}
    module = Module(I, H, num_layers=L, batch_first=True, dtype=torch.float64, **extra)
    head = nn.Linear(H, O, dtype=torch.float64)
    with torch.no_grad():
        for name, p in module.named_parameters():
            p.copy_(params[name] if name in params else torch.zeros_like(p))
        head.weight.copy_(params["head.weight"])
        head.bias.copy_(params["head.bias"] if "head.bias" in params else torch.zeros(O))
    cells = []
    for k in range(L):
        c = Cell(I if k == 0 else H, H, dtype=torch.float64, **extra)
        for part in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"):
            setattr(c, part, getattr(module, f"{part}_l{k}"))
        cells.append(c)
    return module, cells, head


def run_unrolled(cell, module, cells, head, x, task, targets):
    """Forward over every step from zero states, loss on h_n[-1] through the head, backward.

    x (B, T, I) float64. Returns a dict: loss (float), h, grad_h (and c, grad_c for lstm) as
    (L, B, T, H) float64 tensors, grad.inputs (B, T, I), and grad.<param> for every parameter of
    module and head. Raises if the unrolled loop does not reproduce module(x)."""
    B, T, _ = x.shape
    L = len(cells)
    x = x.detach().clone().requires_grad_(True)
    module.zero_grad(set_to_none=True)
    head.zero_grad(set_to_none=True)
    hs, cs = [], []
    inp = [x[:, t, :] for t in range(T)]
    for k in range(L):
        H = cells[k].hidden_size
        h = torch.zeros(B, H, dtype=torch.float64)
        c = torch.zeros(B, H, dtype=torch.float64)
        hk, ck = [], []
        for t in range(T):
            if cell == "lstm":
                h, c = cells[k](inp[t], (h, c))
                c.retain_grad()
                ck.append(c)
            else:
                h = cells[k](inp[t], h)
            h.retain_grad()
            hk.append(h)
        hs.append(hk)
        cs.append(ck)
        inp = hk
    y = head(hs[-1][-1])
    if task == "adding":
        loss = F.mse_loss(y, targets)          # mean over B*O
    else:
        loss = F.cross_entropy(y, targets)     # mean over B, int64 classes
    loss.backward()

    # The loop must be the module: same output at every step and same final states.
    with torch.no_grad():
        out, _ = module(x)
        mine = torch.stack(hs[-1], dim=1)
        scale = max(1.0, float(out.abs().max()))
        dev = float((out - mine).abs().max())
        if not dev <= 1e-12 * scale:
            raise AssertionError(f"unrolled {cell} differs from nn.{cell.upper()} by {dev:g}")

    res = {
        "loss": float(loss),
        "h": torch.stack([torch.stack(hk, 1) for hk in hs]).detach(),
        "grad_h": torch.stack([torch.stack([h.grad for h in hk], 1) for hk in hs]),
        "grad.inputs": x.grad.detach().clone(),
    }
    if cell == "lstm":
        res["c"] = torch.stack([torch.stack(ck, 1) for ck in cs]).detach()
        res["grad_c"] = torch.stack([torch.stack([c.grad for c in ck], 1) for ck in cs])
    for name, p in module.named_parameters():
        res["grad." + name] = p.grad.detach().clone()
    res["grad.head.weight"] = head.weight.grad.detach().clone()
    res["grad.head.bias"] = head.bias.grad.detach().clone()
    return res


# --------------------------------------------------------------------------------------------
# comparison
# --------------------------------------------------------------------------------------------

def safe_norm(a):
    """Euclidean norm without underflow: scaled by the largest entry first."""
    m = float(a.abs().max()) if a.numel() else 0.0
    if m == 0.0 or not math.isfinite(m):
        return m
    return m * float(torch.sqrt(((a / m) ** 2).sum()))


def worst_per_step(mine, ref):
    """max over (layer, t) of max|mine - ref| over the (B, H) slice / ||ref slice||.
    Returns (deviation, layer, t)."""
    worst = (0.0, 0, 0)
    L, _, T, _ = ref.shape
    for k in range(L):
        for t in range(T):
            r, m = ref[k, :, t, :], mine[k, :, t, :]
            diff = float((m - r).abs().max())
            norm = safe_norm(r)
            if diff != diff:                       # NaN on either side
                dev = 0.0 if torch.equal(torch.isnan(m), torch.isnan(r)) else math.inf
            elif norm == 0.0:
                dev = 0.0 if diff == 0.0 else math.inf
            else:
                dev = diff / norm
            if dev > worst[0]:
                worst = (dev, k, t)
    return worst


def relative(mine, ref):
    d = float((mine - ref).abs().max()) if ref.numel() else 0.0
    n = safe_norm(ref)
    return d / n if n > 0 else (0.0 if d == 0 else math.inf)


def check_file(path, tol, out=sys.stdout):
    tensors, meta = read_safetensors(path)
    cell, L, H, I = arch_from_weights(tensors)
    if meta.get("cell", cell) != cell:
        raise ValueError(f"metadata cell {meta['cell']!r} but the weights are those of {cell}")
    task = meta.get("task") or ("recall" if tensors["targets"].dtype == torch.int64 else "adding")
    nonlin = meta.get("nonlinearity", "tanh") if cell == "rnn" else "tanh"
    O = tensors["head.weight"].shape[0]
    module, cells, head = build_model(cell, L, H, I, O, nonlin, tensors)
    ref = run_unrolled(cell, module, cells, head, tensors["inputs"], task, tensors["targets"])

    B, T = tensors["inputs"].shape[:2]
    print(f"{path}: {cell} ({nonlin if cell == 'rnn' else 'gates'}), {task}, L={L} H={H} "
          f"B={B} T={T}", file=out)
    worst_all = 0.0
    loss_dev = abs(float(tensors["loss"]) - ref["loss"]) / max(abs(ref["loss"]), 1e-300)
    print(f"  loss     {float(tensors['loss']):.17g} vs torch {ref['loss']:.17g}: "
          f"relative {loss_dev:.3g}", file=out)
    worst_all = max(worst_all, loss_dev)
    for q in ("grad_h", "grad_c", "h", "c"):
        if q not in ref:
            continue
        if q not in tensors:
            print(f"  {q:<8} missing from the file", file=out)
            worst_all = math.inf
            continue
        if tuple(tensors[q].shape) != tuple(ref[q].shape):
            print(f"  {q:<8} has shape {list(tensors[q].shape)}, expected "
                  f"{list(ref[q].shape)}", file=out)
            worst_all = math.inf
            continue
        dev, k, t = worst_per_step(tensors[q], ref[q])
        norms = [safe_norm(ref[q][k, :, s, :]) for s in range(T)]
        print(f"  {q:<8} worst per-step relative deviation {dev:.3g} (layer {k}, t {t}); "
              f"step norms from {min(norms):.3g} to {max(norms):.3g}", file=out)
        worst_all = max(worst_all, dev)
    grads = [n for n in tensors if n.startswith("grad.")]
    if grads:
        dev, name = max((relative(tensors[n], ref[n]), n) for n in grads if n in ref)
        print(f"  params   worst relative deviation of {len(grads)} gradients {dev:.3g} ({name})",
              file=out)
        worst_all = max(worst_all, dev)
    ok = worst_all <= tol
    print(f"  {'OK' if ok else 'FAIL'}: worst {worst_all:.3g}, tolerance {tol:g}", file=out)
    return ok


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("files", nargs="+", metavar="FILE.safetensors")
    ap.add_argument("--tol", type=float, default=1e-9,
                    help="largest accepted relative deviation (default 1e-9)")
    args = ap.parse_args(argv)
    torch.set_default_dtype(torch.float64)
    all_ok = True
    for path in args.files:
        try:
            all_ok &= check_file(path, args.tol)
        except (OSError, ValueError, KeyError) as e:
            print(f"{path}: cannot check: {e}", file=sys.stderr)
            return 2
    return 0 if all_ok else 1


if __name__ == "__main__":
    sys.exit(main())
