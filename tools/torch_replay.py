#!/usr/bin/env python3
"""torch_replay.py - replay a gradflow training run in PyTorch, step by step, and report how far
gradflow was.

Usage: tools/torch_replay.py [--tol 1e-9] FILE.safetensors [FILE ...]

A train file written by `gradflow train -o FILE.safetensors --record` holds the initial weights
(`init.<name>`), every step's batch (`train.inputs` [S, B, T, I], `train.targets`), gradflow's loss
and global gradient norm of every step (`train.loss`, `train.grad_norm` [S]), the final weights
under PyTorch's names, and the optimizer's hyper-parameters in its metadata. This script builds
nn.RNN / nn.LSTM / nn.GRU (batch_first, float64) and the head nn.Linear(H, O) from the initial
weights and trains them on the recorded batches as a PyTorch loop would:

    output, h_n = rnn(x)    (bidirectional files: bidirectional=True, head nn.Linear(2H, O),
                             and the head reads torch.cat([h_n[-2], h_n[-1]], 1) for adding and recall)
    adding: loss = mse_loss(head(output[:, -1]), y)           mean over B*O
    recall: loss = cross_entropy(head(output[:, -1]), y)      mean over B
    copy:   loss = cross_entropy(head(output) as (B*T, O), y as (B*T))   mean over B*T
    loss.backward()
    norm = clip_grad_norm_(every parameter and the head, clip)   (clip 0: the same norm, no clip)
    optimizer.step()      torch.optim.SGD(momentum) / RMSprop(alpha, eps, momentum) / Adam(betas, eps)

It compares every step's loss and gradient norm with gradflow's (relative to PyTorch's value) and,
at the end, every final weight tensor (its largest deviation relative to the tensor's largest
magnitude), and prints one line per file with the worst deviations.

Some runs are ill-conditioned: RMSprop and Adam divide each gradient component by the root of its
running square plus eps (1e-8), so a component that is nearly zero -- more so after clipping
scales the gradient down -- turns a rounding difference of 1e-17 into an update difference up to
lr/eps times larger, and the difference then grows step after step. Any two programs that round
differently drift apart on such a run, PyTorch against itself included. When a file fails, the
script therefore replays it once more from initial weights multiplied by (1 + 1e-15 r), r drawn
from N(0, 1), and prints how far PyTorch then moves from its own trajectory ("torch vs itself").
With --judge conditioned a deviation within 10 times that and within 1e-6 counts as agreement.

Exit status: 1 when a deviation exceeds --tol (--judge strict, the default) or, with --judge
conditioned, also 10 times PyTorch's own sensitivity; 2 when a file cannot be used; else 0.

Needs only Debian's python3-torch; the file reader is tools/torch_check.py's.
"""
import argparse
import os
import sys

import torch
import torch.nn.functional as F
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from torch_check import read_safetensors  # noqa: E402

MODULES = {"rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}


def param_names(L, bidir=False):
    """The parameter names of an L-layer module and its head, in PyTorch's order (with
    bidirectional=True each layer's forward tensors, then its `_reverse` ones)."""
    names = [f"{p}_l{k}{d}" for k in range(L) for d in (("", "_reverse") if bidir else ("",))
             for p in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")]
    return names + ["head.weight", "head.bias"]


def is_bidir(meta):
    return str(meta.get("bidirectional", "0")) == "1"


def build(meta, init):
    """The module and head of meta's configuration, holding init ({name: float64 tensor})."""
    cell, L = meta["cell"], int(meta["layers"])
    H = init["weight_hh_l0"].shape[1]
    I = init["weight_ih_l0"].shape[1]
    O = init["head.weight"].shape[0]
    extra = {"nonlinearity": meta.get("nonlinearity", "tanh")} if cell == "rnn" else {}
    D = 2 if is_bidir(meta) else 1
    rnn = MODULES[cell](I, H, num_layers=L, batch_first=True, dtype=torch.float64,
                        bidirectional=D == 2, **extra)
    head = nn.Linear(D * H, O, dtype=torch.float64)
    with torch.no_grad():
        for name, p in rnn.named_parameters():
            p.copy_(init[name])
        head.weight.copy_(init["head.weight"])
        head.bias.copy_(init["head.bias"])
    return rnn, head


def make_optimizer(meta, params):
    """torch.optim's optimizer with the file's hyper-parameters."""
    kind, lr = meta["optimizer"], float(meta["lr"])
    momentum, eps = float(meta.get("momentum", 0)), float(meta.get("eps", 1e-8))
    if kind == "sgd":
        return torch.optim.SGD(params, lr=lr, momentum=momentum)
    if kind == "rmsprop":
        return torch.optim.RMSprop(params, lr=lr, alpha=float(meta.get("alpha", 0.99)), eps=eps,
                                   momentum=momentum)
    if kind == "adam":
        b1, b2 = (float(v) for v in meta.get("betas", "0.9,0.999").split(","))
        return torch.optim.Adam(params, lr=lr, betas=(b1, b2), eps=eps)
    raise ValueError(f"optimizer {kind!r} is not sgd, rmsprop or adam")


def task_loss(task, rnn, head, x, y):
    """The task's loss of one batch x (B, T, I), targets y. The head reads h_n[-1] = output[:, -1],
    or with bidirectional=True torch.cat([h_n[-2], h_n[-1]], 1): the top layer's forward state at
    T-1 and its reverse state at 0 (copy: output at every step)."""
    output, h_n = rnn(x)
    if isinstance(h_n, tuple):  # lstm: (h_n, c_n)
        h_n = h_n[0]
    last = torch.cat([h_n[-2], h_n[-1]], 1) if rnn.bidirectional else output[:, -1]
    if task == "adding":
        return F.mse_loss(head(last), y)
    if task == "recall":
        return F.cross_entropy(head(last), y)
    if task == "copy":
        out = head(output)
        return F.cross_entropy(out.reshape(-1, out.shape[-1]), y.reshape(-1))
    raise ValueError(f"task {task!r} is not adding, recall or copy")


def replay(tensors, meta, steps=None):
    """Trains from tensors' init.* on its recorded batches. Returns (loss [S], grad_norm [S],
    {name: final float64 tensor}), S = steps or every recorded step."""
    L = int(meta["layers"])
    names = param_names(L, is_bidir(meta))
    missing = [n for n in ["init." + n for n in names] + ["train.inputs", "train.targets"]
               if n not in tensors]
    if missing:
        raise ValueError(f"no tensor {missing[0]} (a train file written with --record holds it)")
    rnn, head = build(meta, {n: tensors["init." + n] for n in names})
    params = list(rnn.parameters()) + list(head.parameters())
    opt = make_optimizer(meta, params)
    clip = float(meta.get("clip", 0))
    S = tensors["train.inputs"].shape[0] if steps is None else steps
    losses, norms = torch.zeros(S, dtype=torch.float64), torch.zeros(S, dtype=torch.float64)
    for s in range(S):
        opt.zero_grad()
        loss = task_loss(meta["task"], rnn, head, tensors["train.inputs"][s], tensors["train.targets"][s])
        loss.backward()
        if clip > 0:
            norm = nn.utils.clip_grad_norm_(params, clip)
        else:
            norm = torch.norm(torch.stack([torch.norm(p.grad.detach()) for p in params]))
        opt.step()
        losses[s], norms[s] = loss.item(), float(norm)
    final = dict(rnn.state_dict())
    final["head.weight"], final["head.bias"] = head.weight.detach(), head.bias.detach()
    return losses, norms, {n: final[n].detach().clone() for n in names}


def rel_per_step(mine, ref):
    """max over steps of |mine - ref| / |ref|, and the step where it is."""
    d = (mine - ref).abs() / ref.abs().clamp(min=1e-300)
    d[torch.isnan(d)] = float("inf")
    s = int(torch.argmax(d))
    return float(d[s]), s


def deviations(mine, losses, norms, final):
    """Worst relative deviations of mine (a file's tensors: train.loss, train.grad_norm, final
    weights) from a replay: ((loss, step), (grad_norm, step), (weights, tensor name))."""
    dw, wname = 0.0, ""
    for name, ref in final.items():
        scale = float(ref.abs().max())
        d = float((mine[name] - ref).abs().max()) / max(scale, 1e-300)
        if not d <= dw:  # also catches NaN
            dw, wname = (d if d == d else float("inf")), name
    return (rel_per_step(mine["train.loss"], losses), rel_per_step(mine["train.grad_norm"], norms),
            (dw, wname))


def self_sensitivity(tensors, meta, losses, norms, final):
    """The largest relative deviation of PyTorch's replay from initial weights perturbed by a
    relative 1e-15 (fixed seed) from its unperturbed replay."""
    gen = torch.Generator().manual_seed(12345)
    moved = dict(tensors)
    for name, t in tensors.items():
        if name.startswith("init."):
            moved[name] = t * (1 + 1e-15 * torch.randn(t.shape, generator=gen, dtype=t.dtype))
    l2, n2, f2 = replay(moved, meta)
    mine = {"train.loss": l2, "train.grad_norm": n2, **f2}
    return max(d[0] for d in deviations(mine, losses, norms, final))


def check_file(path, tol, judge="strict", out=sys.stdout):
    """Replays one file; prints one line; returns True if it agrees (see --judge)."""
    tensors, meta = read_safetensors(path)
    losses, norms, final = replay(tensors, meta)
    S = losses.shape[0]
    if tensors["train.loss"].shape[0] != S:
        raise ValueError(f"train.loss has {tensors['train.loss'].shape[0]} steps, the batches {S}")
    (dl, sl), (dn, sn), (dw, wname) = deviations(tensors, losses, norms, final)
    worst = max(dl, dn, dw)
    ok = worst <= tol
    note = ""
    if not ok:
        own = self_sensitivity(tensors, meta, losses, norms, final)
        explained = worst <= 10 * own and worst <= 1e-6
        note = (f"; torch vs itself (init x (1 + 1e-15 r)): {own:.2e}"
                f"{', ill-conditioned run' if explained else ''}")
        ok = judge == "conditioned" and explained
    desc = (f"{meta['cell']}{'/' + meta.get('nonlinearity') if meta['cell'] == 'rnn' else ''} "
            f"{meta['task']} L={meta['layers']} H={meta['hidden']} T={meta['seq_len']} "
            f"B={meta['batch']} {meta['optimizer']} clip={meta.get('clip', 0)} S={S}")
    print(f"{'ok  ' if ok else 'FAIL'} {path}: {desc}: loss {dl:.2e} (step {sl}), "
          f"grad_norm {dn:.2e} (step {sn}), final weights {dw:.2e} ({wname}); "
          f"loss {float(losses[0]):.6g} -> {float(losses[-1]):.6g}{note}", file=out)
    return ok


def main():
    ap = argparse.ArgumentParser(description="Replay gradflow train files (--record) in PyTorch.")
    ap.add_argument("--tol", type=float, default=1e-9, help="largest relative deviation (1e-9)")
    ap.add_argument("--judge", choices=("strict", "conditioned"), default="strict",
                    help="strict: every deviation within --tol; conditioned: or within 10 times "
                         "PyTorch's own sensitivity to a 1e-15 change of the initial weights")
    ap.add_argument("files", nargs="+", metavar="FILE.safetensors")
    args = ap.parse_args()
    torch.set_num_threads(1)
    failed, unusable = 0, 0
    for path in args.files:
        try:
            failed += not check_file(path, args.tol, args.judge)
        except (OSError, ValueError, KeyError) as e:
            print(f"ERR  {path}: {e}", file=sys.stderr)
            unusable += 1
    if len(args.files) > 1:
        how = " or within PyTorch's own sensitivity" if args.judge == "conditioned" else ""
        print(f"{len(args.files) - failed - unusable} of {len(args.files)} files agree to {args.tol:g}{how}")
    sys.exit(2 if unusable else 1 if failed else 0)


if __name__ == "__main__":
    main()
