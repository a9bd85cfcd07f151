#!/usr/bin/env python3
"""torch_check.py - recompute a gradflow run file in PyTorch and report how far gradflow was.

Usage: tools/torch_check.py [--tol 1e-9] FILE.safetensors [FILE ...]

A run file (written by `gradflow run`) holds the weights with PyTorch's names, the inputs, the
targets and gradflow's results: loss, grad_h and h (L, B, T, H), and for an LSTM grad_c and c.
This script rebuilds the model from the weights alone, in float64, as an unrolled loop of
nn.RNNCell / nn.LSTMCell / nn.GRUCell sharing the parameters of an nn.RNN / nn.LSTM / nn.GRU (it
checks that the loop reproduces the module's output), runs the file's inputs through it, puts
what the head reads through the linear head -- h_n[-1] = output[:, -1] for adding and recall,
output at every step for copy -- takes the task's loss, and backpropagates with retain_grad on
every h_t (and c_t), which gives the total derivative dL/dh_t at every step.

A bidirectional file (`_reverse` weights, metadata bidirectional = 1) is rebuilt with
bidirectional=True: a second loop per layer runs from t = T-1 down, the layers above the first
read both directions, the head reads torch.cat([h_n[-2], h_n[-1]], 1), and the per-step tensors
are (L, B, T, 2H) as PyTorch's output lays them out. Each direction is judged against its own
step norms and named in the report ("layer 1 reverse").

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
    """(cell, L, H, I, bidirectional) read from the shapes of weight_hh_l0, weight_ih_l0, the
    layer count and whether `_reverse` tensors are there."""
    whh = tensors["weight_hh_l0"]
    H = whh.shape[1]
    G = whh.shape[0] // H
    if whh.shape[0] != G * H or G not in GATES:
        raise ValueError(f"weight_hh_l0 has shape {list(whh.shape)}: not an RNN, LSTM or GRU")
    L = 0
    while f"weight_hh_l{L}" in tensors:
        L += 1
    return GATES[G], L, H, tensors["weight_ih_l0"].shape[1], "weight_hh_l0_reverse" in tensors


def build_model(cell, L, H, I, O, nonlinearity, params, bidir=False):
    """An nn.RNN/LSTM/GRU (batch_first, bidirectional as asked) and a head nn.Linear(D*H, O)
    holding params (a dict of float64 tensors with PyTorch's names; absent biases are zeros),
    plus one nn.*Cell per layer and direction whose parameters ARE the module's (the same
    Parameter objects): cells[k][d], d = 1 the reverse direction (`_reverse`)."""
    kinds = {"rnn": (nn.RNN, nn.RNNCell), "lstm": (nn.LSTM, nn.LSTMCell),
             "gru": (nn.GRU, nn.GRUCell)}
    Module, Cell = kinds[cell]
    extra = {"nonlinearity": nonlinearity} if cell == "rnn" else {}
    D = 2 if bidir else 1
    module = Module(I, H, num_layers=L, batch_first=True, dtype=torch.float64, bidirectional=bidir,
                    **extra)
    head = nn.Linear(D * H, O, dtype=torch.float64)
    with torch.no_grad():
        for name, p in module.named_parameters():
            p.copy_(params[name] if name in params else torch.zeros_like(p))
        head.weight.copy_(params["head.weight"])
        head.bias.copy_(params["head.bias"] if "head.bias" in params else torch.zeros(O))
    cells = []
    for k in range(L):
        layer = []
        for suffix in ("", "_reverse")[:D]:
            c = Cell(I if k == 0 else D * H, H, dtype=torch.float64, **extra)
            for part in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"):
                setattr(c, part, getattr(module, f"{part}_l{k}{suffix}"))
            layer.append(c)
        cells.append(layer)
    return module, cells, head


def head_loss(task, head, top, targets, bidir):
    """The task's loss through the head from top (B, T, D*H), the top layer's output:
        adding, recall: the head reads h_n[-1] = output[:, -1], or with two directions
            torch.cat([h_n[-2], h_n[-1]], 1) = [forward state at T-1, reverse state at 0];
            adding: mse_loss (mean over B*O), recall: cross_entropy (mean over B);
        copy: the head reads output at every step, cross_entropy over the B*T steps."""
    B, T, DH = top.shape
    if task == "copy":
        y = head(top)
        return F.cross_entropy(y.reshape(B * T, -1), targets.reshape(B * T))
    if bidir:
        H = DH // 2
        last = torch.cat([top[:, T - 1, :H], top[:, 0, H:]], 1)
    else:
        last = top[:, T - 1, :]
    y = head(last)
    return F.mse_loss(y, targets) if task == "adding" else F.cross_entropy(y, targets)


def run_unrolled(cell, module, cells, head, x, task, targets):
    """Forward over every step from zero states (the reverse direction from t = T-1 down), the
    loss through the head, backward.

    x (B, T, I) float64. Returns a dict: loss (float), h, grad_h (and c, grad_c for lstm) as
    (L, B, T, D*H) float64 tensors laid out as PyTorch's output (forward in [..., :H], reverse
    in [..., H:]), grad.inputs (B, T, I), and grad.<param> for every parameter of module and
    head. Raises if the unrolled loop does not reproduce module(x)."""
    B, T, _ = x.shape
    L, D = len(cells), len(cells[0])
    H = cells[0][0].hidden_size
    x = x.detach().clone().requires_grad_(True)
    module.zero_grad(set_to_none=True)
    head.zero_grad(set_to_none=True)
    hs, cs = [], []  # [layer][direction][t]
    inp = [x[:, t, :] for t in range(T)]
    for k in range(L):
        hk, ck = [], []
        for d in range(D):
            h = torch.zeros(B, H, dtype=torch.float64)
            c = torch.zeros(B, H, dtype=torch.float64)
            hd, cd = [None] * T, [None] * T
            for t in (range(T) if d == 0 else reversed(range(T))):
                if cell == "lstm":
                    h, c = cells[k][d](inp[t], (h, c))
                    c.retain_grad()
                    cd[t] = c
                else:
                    h = cells[k][d](inp[t], h)
                h.retain_grad()
                hd[t] = h
            hk.append(hd)
            ck.append(cd)
        hs.append(hk)
        cs.append(ck)
        inp = [hk[0][t] if D == 1 else torch.cat([hk[0][t], hk[1][t]], 1) for t in range(T)]
    top = torch.stack(inp, 1)  # (B, T, D*H)
    loss = head_loss(task, head, top, targets, D == 2)
    loss.backward()

    # The loop must be the module: same output at every step.
    with torch.no_grad():
        out, _ = module(x)
        mine = top.detach()
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

    def stacked(steps, grad):
        """(L, B, T, D*H) from [layer][direction][t] tensors (or their gradients)."""
        def one(v):
            return (v.grad if v.grad is not None else torch.zeros_like(v)) if grad else v.detach()
        return torch.stack([torch.cat([torch.stack([one(v) for v in sd], 1) for sd in sk], -1)
                            for sk in steps])

    res = {
        "loss": float(loss),
        "h": stacked(hs, False),
        "grad_h": stacked(hs, True),
        "grad.inputs": x.grad.detach().clone(),
    }
    if cell == "lstm":
        res["c"] = stacked(cs, False)
        res["grad_c"] = stacked(cs, True)
    for name, p in module.named_parameters():
        res["grad." + name] = p.grad.detach().clone()
    res["grad.head.weight"] = head.weight.grad.detach().clone()
    res["grad.head.bias"] = head.bias.grad.detach().clone()
    return res


def run_along_trajectory(cell, cells, head, x, task, targets, h_file, c_file=None):
    """Recomputes every step from the file's own states and chains the backward pass through
    the one-step Jacobians there.

    h_file, c_file (L, B, T, D*H): gradflow's states. Returns a dict: residual_h (and
    residual_c) (L, B, T, D*H) = cell(input_t, the state it follows from the file) - file
    state_t, and grad_h (and grad_c) (L, B, T, D*H) = dL/dh_t, dL/dc_t along that trajectory.
    The forward direction follows the state at t-1, the reverse one the state at t+1."""
    L, D = len(cells), len(cells[0])
    B, T, _ = x.shape
    H = cells[0][0].hidden_size
    lstm = cell == "lstm"
    res = {"residual_h": torch.zeros(L, B, T, D * H), "grad_h": torch.zeros(L, B, T, D * H)}
    if lstm:
        res["residual_c"] = torch.zeros(L, B, T, D * H)
        res["grad_c"] = torch.zeros(L, B, T, D * H)
    zeros = torch.zeros(B, H)

    # dL/d(top layer's output) at every step, through the head (zero where it reads nothing)
    top = h_file[L - 1].clone().requires_grad_(True)
    (g_head,) = torch.autograd.grad(head_loss(task, head, top, targets, D == 2), [top])

    g_from_above = None  # (T, B, D*H): dL/dh^k_t arriving through layer k+1's input at t
    for k in reversed(range(L)):
        g_below = torch.zeros(T, B, D * H) if k > 0 else None
        for d in range(D):
            sl = slice(d * H, (d + 1) * H)
            g_h_next = zeros  # dL/dh^k_t through the state that follows it
            g_c_next = zeros  # dL/dc^k_t likewise
            for t in (reversed(range(T)) if d == 0 else range(T)):  # the backward pass's order
                tp = t - 1 if d == 0 else t + 1  # the step this one follows
                inp = (x[:, t, :] if k == 0 else h_file[k - 1, :, t, :]).clone().requires_grad_(True)
                hp = (h_file[k, :, tp, sl] if 0 <= tp < T else zeros).clone().requires_grad_(True)
                if lstm:
                    cp = (c_file[k, :, tp, sl] if 0 <= tp < T else zeros).clone().requires_grad_(True)
                    h_t, c_t = cells[k][d](inp, (hp, cp))
                    res["residual_c"][k, :, t, sl] = (c_t - c_file[k, :, t, sl]).detach()
                else:
                    h_t = cells[k][d](inp, hp)
                res["residual_h"][k, :, t, sl] = (h_t - h_file[k, :, t, sl]).detach()
                g_h = g_h_next.clone()
                if g_from_above is not None:
                    g_h += g_from_above[t][:, sl]
                if k == L - 1:
                    g_h += g_head[:, t, sl]
                res["grad_h"][k, :, t, sl] = g_h
                if lstm:
                    # the total dL/dc_t: the part through the next c plus the part through h_t
                    g_in, g_hp, g_cp, g_c = torch.autograd.grad(
                        [h_t, c_t], [inp, hp, cp, c_t], grad_outputs=[g_h, g_c_next])
                    res["grad_c"][k, :, t, sl] = g_c
                    g_c_next = g_cp
                else:
                    g_in, g_hp = torch.autograd.grad([h_t], [inp, hp], grad_outputs=[g_h])
                g_h_next = g_hp
                if g_below is not None:
                    g_below[t] += g_in
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
    cell, L, H, I, bidir = arch_from_weights(tensors)
    if meta.get("cell", cell) != cell:
        raise ValueError(f"metadata cell {meta['cell']!r} but the weights are those of {cell}")
    if str(meta.get("bidirectional", int(bidir))) != str(int(bidir)):
        raise ValueError(f"metadata bidirectional {meta['bidirectional']!r} but the file "
                         f"{'has' if bidir else 'has no'} _reverse weights")
    D = 2 if bidir else 1

    def dirs(a):
        """(L, B, T, D*H) -> (D*L, B, T, H): each direction judged on its own norms."""
        return a if D == 1 else torch.cat([a[..., :H], a[..., H:]], 0)

    def where(k):
        return f"layer {k % L}{' reverse' if k >= L else ''}"
    task = meta.get("task") or ("recall" if tensors["targets"].dtype == torch.int64 else "adding")
    nonlin = meta.get("nonlinearity", "tanh") if cell == "rnn" else "tanh"
    O = tensors["head.weight"].shape[0]
    x, targets = tensors["inputs"], tensors["targets"]
    module, cells, head = build_model(cell, L, H, I, O, nonlin, tensors, bidir)
    ref = run_unrolled(cell, module, cells, head, x, task, targets)
    B, T = x.shape[:2]
    per_step = ("grad_h", "grad_c", "h", "c") if cell == "lstm" else ("grad_h", "h")
    for q in per_step:
        if q not in tensors:
            raise ValueError(f"the file has no {q}")
        if tuple(tensors[q].shape) != tuple(ref[q].shape):
            raise ValueError(f"{q} has shape {list(tensors[q].shape)}, expected "
                             f"{list(ref[q].shape)}")

    print(f"{path}: {cell}{' ' + nonlin if cell == 'rnn' else ''}{', bidirectional' if bidir else ''}, "
          f"{task}, L={L} H={H} B={B} T={T}", file=out)
    print("  from the weights and inputs alone (worst over layers and steps of "
          "max|diff| / ||step||):", file=out)
    free_worst = relative(tensors["loss"].reshape(1), torch.tensor([ref["loss"]], dtype=torch.float64))
    print(f"    loss     {float(tensors['loss']):.17g} vs torch {ref['loss']:.17g}: "
          f"relative {free_worst:.3g}", file=out)
    for q in per_step:
        dev, k, t, n_sub = worst_per_step(dirs(tensors[q]), dirs(ref[q]))
        norms = [safe_norm(dirs(ref[q])[kk, :, s, :]) for kk in range(D * L) for s in range(T)]
        sub = f"; {n_sub} steps below 2.2e-308 judged against 2.2e-308" if n_sub else ""
        print(f"    {q:<8} {dev:.3g} ({where(k)}, t {t}); step norms from {min(norms):.3g} to "
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
        dev, k, t, _ = worst_residual(dirs(traj["residual_" + q]), dirs(tensors[q]))
        print(f"    {q:<8} one-step residual {dev:.3g} ({where(k)}, t {t})", file=out)
        traj_worst = max(traj_worst, dev)
    for q in ("grad_h", "grad_c") if cell == "lstm" else ("grad_h",):
        dev, k, t, _ = worst_per_step(dirs(tensors[q]), dirs(traj[q]))
        print(f"    {q:<8} {dev:.3g} ({where(k)}, t {t})", file=out)
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
