#!/usr/bin/env python3
"""gen_train_fixtures.py - the PyTorch training runs that tests/test_train_pytorch.c replays.

Run once, from the repository root, with Debian's python3-torch:
    /usr/bin/python3 tests/gen_train_fixtures.py
It writes tests/fixtures/train_<name>.safetensors, each a few steps of training made by PyTorch
alone: initial weights drawn as PyTorch initialises them (U(-1/sqrt(H), 1/sqrt(H)), float64),
fresh batches of the task every step laid out as gradflow's tasks are (src/core/task.c), and the
trajectory of nn.RNN / nn.LSTM / nn.GRU + nn.Linear with torch.optim and clip_grad_norm_, trained
by tools/torch_replay.py's loop (the same code that replays gradflow's --record files). The files
have the layout of a gradflow train file (../shared/DESIGN.md "Train file"):
  init.<name>        the parameters before the first step
  train.inputs       [S, B, T, I] every step's batch
  train.targets      [S, B, O] F64 (adding), [S, B] I64 (recall), [S, B, T] I64 (copy)
  train.loss         [S] PyTorch's loss of every step, before its update
  train.grad_norm    [S] PyTorch's global gradient norm (every parameter and the head), before
                     clipping
  <name>             PyTorch's parameters after the last step
and the metadata keys of a train file (cell, task, layers, hidden, nonlinearity, seq_len, batch,
optimizer, lr, momentum, alpha, betas, eps, clip, steps), plus a description.

Nine runs form a Latin square over (cell, optimizer) with task and layer count each covering the
other pairs, clipping on in about half (its threshold below the first step's gradient norm, so it
acts), momentum on and off; a tenth is a relu RNN on copy without clipping. The outputs are
committed; the test suite never needs PyTorch.
"""
import math
import os
import sys

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tools"))
sys.path.insert(0, HERE)
import gen_fixtures  # noqa: E402  (make_params, make_task: adding and recall)
import torch_check as ref  # noqa: E402  (the file writer)
import torch_replay  # noqa: E402  (the training loop)

COPY_SYMBOLS, COPY_LEN = 8, 10
OUTPUTS = {"adding": 1, "recall": 8, "copy": COPY_SYMBOLS + 1}

# name, cell, nonlinearity, task, layers, hidden, seq_len, batch, steps, optimizer, lr,
# momentum, clip (1: at 0.6 of the first step's gradient norm, 0: off), seed
CONFIGS = [
    ("rnn_sgd_adding_l1", "rnn", "tanh", "adding", 1, 5, 12, 3, 30, "sgd", 0.1, 0.9, 1, 101),
    ("rnn_rmsprop_recall_l3", "rnn", "relu", "recall", 3, 4, 6, 2, 20, "rmsprop", 0.01, 0.0, 0, 102),
    ("rnn_adam_copy_l2", "rnn", "tanh", "copy", 2, 3, 1, 2, 8, "adam", 0.02, 0.0, 1, 103),
    ("lstm_sgd_recall_l2", "lstm", "tanh", "recall", 2, 4, 5, 2, 20, "sgd", 0.2, 0.0, 0, 104),
    ("lstm_rmsprop_copy_l1", "lstm", "tanh", "copy", 1, 5, 2, 2, 8, "rmsprop", 0.01, 0.5, 1, 105),
    ("lstm_adam_adding_l3", "lstm", "tanh", "adding", 3, 4, 8, 2, 25, "adam", 0.01, 0.0, 0, 106),
    ("gru_sgd_copy_l3", "gru", "tanh", "copy", 3, 3, 1, 2, 6, "sgd", 0.1, 0.9, 1, 107),
    ("gru_rmsprop_adding_l2", "gru", "tanh", "adding", 2, 6, 10, 3, 25, "rmsprop", 0.005, 0.5, 0, 108),
    ("gru_adam_recall_l1", "gru", "tanh", "recall", 1, 8, 7, 2, 20, "adam", 0.02, 0.0, 1, 109),
    ("rnn_relu_sgd_copy_l1", "rnn", "relu", "copy", 1, 4, 1, 2, 6, "sgd", 0.1, 0.5, 0, 110),
]


def make_copy(B, delay, gen):
    """Copy batch as src/core/task.c lays it out: T = delay + 20 steps; 10 symbols one-hot on
    channels 0..7, blanks (channel 8), the delimiter (channel 9) at step T - 11, blanks; targets
    8 (blank) but for the last 10 steps, which repeat the symbols."""
    T, I = delay + 2 * COPY_LEN, COPY_SYMBOLS + 2
    x = torch.zeros(B, T, I)
    y = torch.full((B, T), COPY_SYMBOLS, dtype=torch.long)
    sym = torch.randint(0, COPY_SYMBOLS, (B, COPY_LEN), generator=gen)
    for b in range(B):
        for k in range(COPY_LEN):
            x[b, k, int(sym[b, k])] = 1.0
            y[b, T - COPY_LEN + k] = sym[b, k]
        x[b, COPY_LEN:T - COPY_LEN - 1, COPY_SYMBOLS] = 1.0
        x[b, T - COPY_LEN - 1, COPY_SYMBOLS + 1] = 1.0
        x[b, T - COPY_LEN:, COPY_SYMBOLS] = 1.0
    return x, y


def make_batches(task, S, B, T, gen):
    xs, ys = [], []
    for _ in range(S):
        x, y = make_copy(B, T, gen) if task == "copy" else gen_fixtures.make_task(task, B, T, gen)
        xs.append(x)
        ys.append(y)
    return torch.stack(xs), torch.stack(ys)


def three_digits(v):
    """v rounded to 3 significant digits (a clip threshold that reads well in the metadata)."""
    e = math.floor(math.log10(v))
    return round(v, 2 - e)


def main():
    torch.set_default_dtype(torch.float64)
    torch.set_num_threads(1)
    out_dir = os.path.join(HERE, "fixtures")
    total = 0
    for (name, cell, nonlin, task, L, H, T, B, S, opt, lr, mom, clip_on, seed) in CONFIGS:
        gen = torch.Generator().manual_seed(seed)
        inputs, targets = make_batches(task, S, B, T, gen)
        I, O = inputs.shape[3], OUTPUTS[task]
        params = gen_fixtures.make_params(cell, L, H, I, O, 1.0, gen)
        meta = {"format": "gradflow train", "source": "PyTorch " + torch.__version__,
                "cell": cell, "task": task, "layers": L, "hidden": H, "nonlinearity": nonlin,
                "seq_len": T, "batch": B, "seed": seed, "init": "pytorch", "weight_scale": 1,
                "optimizer": opt, "lr": lr, "momentum": mom, "alpha": 0.99, "betas": "0.9,0.999",
                "eps": 1e-8, "clip": 0, "steps": S}
        tensors = {"init." + n: p for n, p in params.items()}
        tensors["train.inputs"], tensors["train.targets"] = inputs, targets
        if clip_on:
            _, norms, _ = torch_replay.replay(tensors, meta, steps=1)
            meta["clip"] = three_digits(0.6 * float(norms[0]))
        loss, norm, final = torch_replay.replay(tensors, meta)
        tensors["train.loss"], tensors["train.grad_norm"] = loss, norm
        tensors.update(final)
        clipped = int((norm > meta["clip"]).sum()) if clip_on else 0
        meta["description"] = (f"PyTorch trains {cell}{'/' + nonlin if cell == 'rnn' else ''} on "
                               f"{task}, L={L} H={H} T={T} B={B}, {S} steps of {opt} lr {lr} "
                               f"momentum {mom}, clip {meta['clip']} ({clipped} steps clipped): "
                               f"loss {float(loss[0]):.4g} -> {float(loss[-1]):.4g}")
        path = os.path.join(out_dir, f"train_{name}.safetensors")
        ref.write_safetensors(path, tensors, meta)
        size = os.path.getsize(path)
        total += size
        print(f"{os.path.relpath(path)}: {size} bytes; {meta['description']}")
    print(f"{len(CONFIGS)} files, {total} bytes")


if __name__ == "__main__":
    main()
