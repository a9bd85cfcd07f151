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
so a step whose gradient is 1e-200 is judged against 1e-200, not against the whole run. Below
the smallest normal double (2.2e-308) numbers are subnormal and carry fewer significant bits,
so no double-precision program can agree to 1e-9 there: such steps are judged against 2.2e-308
instead (their count is printed). The loss (and any parameter gradients "grad.<name>" the file
holds) are compared relative to their own size.

A second check follows gradflow's own trajectory: each step of each layer is recomputed from
the file's states at t-1 (and the layer below at t), giving the one-step residual of h (and c),
and the backward pass is chained through those one-step Jacobians. When the forward dynamics
are chaotic (a tanh RNN with a large weight scale, say) any two implementations that round
differently drift apart exponentially over a long sequence, and the first check fails for that
reason alone; if the trajectory check passes, gradflow computes every step right.

A run that overflows (values past 1.8e308) fails too: where a sum overflows, whether it gives
inf, -inf, NaN or, through relu, a finite value depends on the order of its terms. The tool then
says where the overflow began and how well every step computed before it agrees.

Exit status: 1 when a deviation exceeds --tol in the first check (or, with --judge trajectory,
in the second), 2 when the file cannot be used, else 0.

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
        # an exploding run may overflow: the same inf and NaN in both, finite values close
        same_nonfinite = torch.equal(torch.isnan(out), torch.isnan(mine)) and \
            torch.equal(out[torch.isinf(out)], mine[torch.isinf(out)])
        finite = torch.isfinite(out) & torch.isfinite(mine)
        scale = max(1.0, float(out[finite].abs().max())) if finite.any() else 1.0
        dev = float((out[finite] - mine[finite]).abs().max()) if finite.any() else 0.0
        if not same_nonfinite:
            raise AssertionError(f"unrolled {cell} and nn.{cell.upper()} disagree on inf/NaN")
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


def run_along_trajectory(cell, cells, head, x, task, targets, h_file, c_file=None):
    """Recomputes every step from the file's own states and chains the backward pass through
    the one-step Jacobians there.

    h_file, c_file (L, B, T, H): gradflow's states. Returns a dict: residual_h (and residual_c)
    (L, B, T, H) = cell(input_t, state_{t-1} from the file) - file state_t, and grad_h (and
    grad_c) (L, B, T, H) = dL/dh_t, dL/dc_t along that trajectory."""
    L = len(cells)
    B, T, _ = x.shape
    H = cells[0].hidden_size
    lstm = cell == "lstm"
    res = {"residual_h": torch.zeros(L, B, T, H), "grad_h": torch.zeros(L, B, T, H)}
    if lstm:
        res["residual_c"] = torch.zeros(L, B, T, H)
        res["grad_c"] = torch.zeros(L, B, T, H)
    zeros = torch.zeros(B, H)

    # dL/dh of the last layer at T-1, through the head
    h_last = h_file[L - 1, :, T - 1, :].clone().requires_grad_(True)
    y = head(h_last)
    loss = F.mse_loss(y, targets) if task == "adding" else F.cross_entropy(y, targets)
    (g_head,) = torch.autograd.grad(loss, [h_last])

    g_from_above = None  # (T, B, H): dL/dh^k_t arriving through layer k+1's input at t
    for k in reversed(range(L)):
        g_below = torch.zeros(T, B, H) if k > 0 else None
        g_h_next = zeros  # dL/dh^k_t through h^k_{t+1}
        g_c_next = zeros  # dL/dc^k_t through c^k_{t+1}
        for t in reversed(range(T)):
            inp = (x[:, t, :] if k == 0 else h_file[k - 1, :, t, :]).clone().requires_grad_(True)
            hp = (h_file[k, :, t - 1, :] if t > 0 else zeros).clone().requires_grad_(True)
            if lstm:
                cp = (c_file[k, :, t - 1, :] if t > 0 else zeros).clone().requires_grad_(True)
                h_t, c_t = cells[k](inp, (hp, cp))
                res["residual_c"][k, :, t, :] = (c_t - c_file[k, :, t, :]).detach()
            else:
                h_t = cells[k](inp, hp)
            res["residual_h"][k, :, t, :] = (h_t - h_file[k, :, t, :]).detach()
            g_h = g_h_next.clone()
            if g_from_above is not None:
                g_h += g_from_above[t]
            if k == L - 1 and t == T - 1:
                g_h += g_head
            res["grad_h"][k, :, t, :] = g_h
            if lstm:
                # the total dL/dc_t: the part through c_{t+1} plus the part through h_t
                g_in, g_hp, g_cp, g_c = torch.autograd.grad(
                    [h_t, c_t], [inp, hp, cp, c_t], grad_outputs=[g_h, g_c_next])
                res["grad_c"][k, :, t, :] = g_c
                g_c_next = g_cp
            else:
                g_in, g_hp = torch.autograd.grad([h_t], [inp, hp], grad_outputs=[g_h])
            g_h_next = g_hp
            if g_below is not None:
                g_below[t] = g_in
        g_from_above = g_below
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


TINY = sys.float_info.min  # 2.2e-308: below it doubles are subnormal


def abs_diff(m, r):
    """|m - r| elementwise, 0 where both are NaN or both the same infinity, inf where only one
    side is NaN or infinite."""
    d = (m - r).abs()
    same = (torch.isnan(m) & torch.isnan(r)) | (torch.isinf(m) & torch.isinf(r) & (m == r))
    d[same] = 0.0
    d[torch.isnan(d)] = math.inf
    return d


def step_deviation(m, r):
    """max|m - r| / max(||r||, TINY) for one (B, H) slice; NaN against NaN and inf against the
    same inf count as equal."""
    diff = float(abs_diff(m, r).max())
    if diff == 0.0:
        return 0.0
    return diff / max(safe_norm(r[torch.isfinite(r)]), TINY)


def worst_per_step(mine, ref):
    """max over (layer, t) of max|mine - ref| over the (B, H) slice / max(||ref slice||, TINY).
    Returns (deviation, layer, t, number of steps whose norm is below TINY)."""
    worst, n_sub = (0.0, 0, 0), 0
    L, _, T, _ = ref.shape
    for k in range(L):
        for t in range(T):
            r = ref[k, :, t, :]
            if safe_norm(r) < TINY:
                n_sub += 1
            dev = step_deviation(mine[k, :, t, :], r)
            if dev > worst[0]:
                worst = (dev, k, t)
    return worst + (n_sub,)


def worst_residual(residual, states):
    """max over (layer, t) of max|residual| over the slice / max(||state slice||, TINY)."""
    worst = (0.0, 0, 0)
    L, _, T, _ = states.shape
    for k in range(L):
        for t in range(T):
            d = float(residual[k, :, t, :].abs().max())
            dev = d / max(safe_norm(states[k, :, t, :]), TINY) if d == d else math.inf
            if dev > worst[0]:
                worst = (dev, k, t)
    return worst + (0,)


def relative(mine, ref):
    d = float(abs_diff(mine, ref).max()) if ref.numel() else 0.0
    if d == 0.0:
        return 0.0
    n = safe_norm(ref[torch.isfinite(ref)])
    return d / n if n > 0 else (0.0 if d == 0 else math.inf)


def check_file(path, tol, judge="free", out=sys.stdout):
    """Prints both checks of one run file; returns True when the judged one passes."""
    tensors, meta = read_safetensors(path)
    missing = [n for n in ("inputs", "targets", "loss", "grad_h", "h", "head.weight") if n not in tensors]
    if missing:
        raise ValueError(f"not a gradflow run file (no {', '.join(missing)}): write one with "
                         f"gradflow run -o FILE.safetensors --cell C")
    cell, L, H, I = arch_from_weights(tensors)
    if meta.get("cell", cell) != cell:
        raise ValueError(f"metadata cell {meta['cell']!r} but the weights are those of {cell}")
    task = meta.get("task") or ("recall" if tensors["targets"].dtype == torch.int64 else "adding")
    nonlin = meta.get("nonlinearity", "tanh") if cell == "rnn" else "tanh"
    O = tensors["head.weight"].shape[0]
    x, targets = tensors["inputs"], tensors["targets"]
    module, cells, head = build_model(cell, L, H, I, O, nonlin, tensors)
    ref = run_unrolled(cell, module, cells, head, x, task, targets)
    B, T = x.shape[:2]
    per_step = ("grad_h", "grad_c", "h", "c") if cell == "lstm" else ("grad_h", "h")
    for q in per_step:
        if q not in tensors:
            raise ValueError(f"the file has no {q}")
        if tuple(tensors[q].shape) != tuple(ref[q].shape):
            raise ValueError(f"{q} has shape {list(tensors[q].shape)}, expected "
                             f"{list(ref[q].shape)}")

    print(f"{path}: {cell}{' ' + nonlin if cell == 'rnn' else ''}, {task}, L={L} H={H} B={B} "
          f"T={T}", file=out)
    print("  from the weights and inputs alone (worst over layers and steps of "
          "max|diff| / ||step||):", file=out)
    free_worst = relative(tensors["loss"].reshape(1), torch.tensor([ref["loss"]], dtype=torch.float64))
    print(f"    loss     {float(tensors['loss']):.17g} vs torch {ref['loss']:.17g}: "
          f"relative {free_worst:.3g}", file=out)
    for q in per_step:
        dev, k, t, n_sub = worst_per_step(tensors[q], ref[q])
        norms = [safe_norm(ref[q][kk, :, s, :]) for kk in range(L) for s in range(T)]
        sub = f"; {n_sub} steps below 2.2e-308 judged against 2.2e-308" if n_sub else ""
        print(f"    {q:<8} {dev:.3g} (layer {k}, t {t}); step norms from {min(norms):.3g} to "
              f"{max(norms):.3g}{sub}", file=out)
        free_worst = max(free_worst, dev)
    grads = [n for n in tensors if n.startswith("grad.") and n in ref]
    if grads:
        dev, name = max((relative(tensors[n], ref[n]), n) for n in grads)
        print(f"    params   {dev:.3g} (worst of {len(grads)} gradients: {name})", file=out)
        free_worst = max(free_worst, dev)

    traj = run_along_trajectory(cell, cells, head, x, task, targets, tensors["h"],
                                tensors.get("c"))
    print("  along gradflow's own states (one-step residuals; gradients chained through them):",
          file=out)
    traj_worst = 0.0
    for q in ("h", "c") if cell == "lstm" else ("h",):
        dev, k, t, _ = worst_residual(traj["residual_" + q], tensors[q])
        print(f"    {q:<8} one-step residual {dev:.3g} (layer {k}, t {t})", file=out)
        traj_worst = max(traj_worst, dev)
    for q in ("grad_h", "grad_c") if cell == "lstm" else ("grad_h",):
        dev, k, t, _ = worst_per_step(tensors[q], traj[q])
        print(f"    {q:<8} {dev:.3g} (layer {k}, t {t})", file=out)
        traj_worst = max(traj_worst, dev)

    worst = free_worst if judge == "free" else traj_worst
    ok = worst <= tol
    verdict = "OK" if ok else "FAIL"
    print(f"  {verdict}: worst {worst:.3g} ({'first' if judge == 'free' else 'trajectory'} "
          f"check), tolerance {tol:g}", file=out)
    if free_worst > tol and traj_worst <= tol:
        print("  note: every step agrees along gradflow's own states; the free-running "
              "difference grows from rounding (chaotic forward dynamics or subnormal "
              "numbers), not from a wrong step", file=out)
    # An overflow (inf or NaN) makes what follows depend on summation order: whether a sum that
    # overflows gives inf, -inf, NaN or, through relu, a finite value. Name it when every step
    # computed before it agrees: states before the forward pass's first non-finite step, and
    # gradients after the backward pass's last (it runs from T-1 down).
    def finite_step(q, t):
        return bool(torch.isfinite(tensors[q][:, :, t, :]).all()) and bool(torch.isfinite(ref[q][:, :, t, :]).all())
    states = [q for q in ("h", "c") if q in per_step]
    grads_q = [q for q in per_step if q not in states]
    t0 = min([t for q in states for t in range(T) if not finite_step(q, t)], default=T)
    t1 = max([t for q in grads_q for t in range(T) if not finite_step(q, t)], default=-1)
    if not ok and (t0 < T or t1 >= 0):
        parts = [worst_per_step(tensors[q][:, :, :t0, :], ref[q][:, :, :t0, :])[0] for q in states if t0 > 0]
        parts += [worst_per_step(tensors[q][:, :, t1 + 1:, :], ref[q][:, :, t1 + 1:, :])[0]
                  for q in grads_q if t1 + 1 < T]
        before = max(parts, default=math.inf)  # nothing finite to compare: no note
        if before <= tol:
            where = (f"the forward pass at t = {t0}" if t0 < T else
                     f"the backward pass at t = {t1}")
            print(f"  note: values overflowed (inf or NaN) in {where}; from there on, whether a "
                  f"sum gives inf, -inf, NaN or a finite value depends on the order it is summed "
                  f"in. Every step computed before the overflow agrees to {before:.3g}", file=out)
    return ok


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("files", nargs="+", metavar="FILE.safetensors")
    ap.add_argument("--tol", type=float, default=1e-9,
                    help="largest accepted relative deviation (default 1e-9)")
    ap.add_argument("--judge", choices=("free", "trajectory"), default="free",
                    help="which check sets the exit status: free (PyTorch from the weights and "
                         "inputs alone, the default) or trajectory (step by step along "
                         "gradflow's states)")
    args = ap.parse_args(argv)
    torch.set_default_dtype(torch.float64)
    all_ok = True
    for path in args.files:
        try:
            all_ok &= check_file(path, args.tol, args.judge)
        except (OSError, ValueError, KeyError) as e:
            print(f"{path}: cannot check: {e}", file=sys.stderr)
            return 2
    return 0 if all_ok else 1


if __name__ == "__main__":
    sys.exit(main())
