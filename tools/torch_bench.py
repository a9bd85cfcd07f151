#!/usr/bin/env python3
"""torch_bench.py - the PyTorch CPU baseline for gradflow's speed table.

Usage: tools/torch_bench.py [--quick] [--repeats N] [--cells rnn,lstm,gru] [--hidden 32,64,128]
                            [--seq-len 100,1000,10000] [--layers 1] [--batch 1]
       tools/torch_bench.py --train [--repeats N] [--cells ...] [--hidden 64] [--seq-len 150]
                            [--layers 1] [--batch 32] [--dtypes float64,float32]

Times what gradflow computes for its per-step profile, done the only way PyTorch offers per-step
gradients: an unrolled loop of nn.RNNCell / nn.LSTMCell / nn.GRUCell over T steps (float64,
zero initial states, the adding task's 2 inputs), a linear head on the last state, MSE loss, and
loss.backward() with retain_grad on every h_t (and c_t for the LSTM), then reading every
h_t.grad. One repeat = building the graph forward + backward + collecting the gradients; the
first run is a warm-up and not counted. torch.set_num_threads(1): one core, like gradflow.

Prints CSV rows `cell,layers,hidden,seq_len,batch,ms_median` (the median over the repeats), and
for the three cells together (cell "all", one repeat = the three one after another) at every
size measured with all three.

--train times what `gradflow bench --train` times: one training step on the adding task as
`gradflow train` runs it, written the way a PyTorch user would, with the fused CPU modules:
a fresh batch (B sequences of T steps), nn.RNN / nn.LSTM / nn.GRU (batch_first) + nn.Linear head
on output[:, -1], MSE loss, backward, clip_grad_norm_(1.0), torch.optim.Adam(lr 0.01).step().
Each dtype asked (float64 and float32 by default); 3 warm-up steps, then the median and the
fastest of --repeats steps (default 30). Rows `cell,layers,hidden,seq_len,batch,dtype,ms_median,
ms_min,steps_per_s`; "all" = the three cells' steps one after another.
"""
import argparse
import statistics
import sys
import time

import torch
from torch import nn

CELLS = {"rnn": nn.RNNCell, "lstm": nn.LSTMCell, "gru": nn.GRUCell}


def make_model(cell, layers, H, I=2, O=1, seed=0):
    torch.manual_seed(seed)
    cells = [CELLS[cell](I if k == 0 else H, H, dtype=torch.float64) for k in range(layers)]
    head = nn.Linear(H, O, dtype=torch.float64)
    return cells, head


def one_pass(cell, cells, head, x, y):
    """Forward over T steps with retain_grad on every state, loss, backward; returns the
    per-step gradient norms of the last layer (so the gradients are really read)."""
    B, T, _ = x.shape
    inp = [x[:, t, :] for t in range(T)]
    states = []
    for c in cells:
        H = c.hidden_size
        h = torch.zeros(B, H, dtype=torch.float64)
        cs = torch.zeros(B, H, dtype=torch.float64)
        hs = []
        for t in range(T):
            if cell == "lstm":
                h, cs = c(inp[t], (h, cs))
                cs.retain_grad()
            else:
                h = c(inp[t], h)
            h.retain_grad()
            hs.append(h)
        states.append(hs)
        inp = hs
    loss = nn.functional.mse_loss(head(states[-1][-1]), y)
    loss.backward()
    return torch.stack([h.grad for h in states[-1]]).norm(dim=(1, 2))


def time_config(cells_names, layers, H, T, B, repeats):
    """Median milliseconds of one forward+backward of each named cell in turn."""
    gen = torch.Generator().manual_seed(1)
    x = torch.rand(B, T, 2, generator=gen, dtype=torch.float64)
    y = torch.rand(B, 1, generator=gen, dtype=torch.float64)
    models = {c: make_model(c, layers, H) for c in cells_names}

    def run():
        for c in cells_names:
            cl, head = models[c]
            for m in cl + [head]:
                m.zero_grad(set_to_none=True)
            one_pass(c, cl, head, x, y)

    run()  # warm-up
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        run()
        times.append((time.perf_counter() - t0) * 1e3)
    return statistics.median(times)


MODULES = {"rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}


def adding_batch(B, T, dtype, gen):
    """B adding sequences (B, T, 2) and their targets (B, 1): values U(0, 1), one marker in each
    half, target the sum of the two marked values (gradflow's task)."""
    x = torch.zeros(B, T, 2, dtype=dtype)
    x[:, :, 0] = torch.rand(B, T, generator=gen, dtype=dtype)
    half = T // 2
    rows = torch.arange(B)
    m1 = torch.randint(0, half, (B,), generator=gen)
    m2 = torch.randint(half, T, (B,), generator=gen)
    x[rows, m1, 1] = 1.0
    x[rows, m2, 1] = 1.0
    y = (x[rows, m1, 0] + x[rows, m2, 0]).unsqueeze(1)
    return x, y


def train_models(cells_names, layers, H, dtype):
    models = {}
    for c in cells_names:
        torch.manual_seed(0)
        rnn = MODULES[c](2, H, num_layers=layers, batch_first=True, dtype=dtype)
        head = nn.Linear(H, 1, dtype=dtype)
        params = list(rnn.parameters()) + list(head.parameters())
        models[c] = (rnn, head, params, torch.optim.Adam(params, lr=0.01))
    return models


def time_train(cells_names, layers, H, T, B, dtype, repeats, warmup=3):
    """(median ms, fastest ms) of one training step of each named cell in turn."""
    gen = torch.Generator().manual_seed(1)
    models = train_models(cells_names, layers, H, dtype)

    def step():
        x, y = adding_batch(B, T, dtype, gen)
        for c in cells_names:
            rnn, head, params, opt = models[c]
            opt.zero_grad(set_to_none=True)
            output, _ = rnn(x)
            loss = nn.functional.mse_loss(head(output[:, -1]), y)
            loss.backward()
            nn.utils.clip_grad_norm_(params, 1.0)
            opt.step()

    for _ in range(warmup):
        step()
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        step()
        times.append((time.perf_counter() - t0) * 1e3)
    return statistics.median(times), min(times)


def main_train(args, cells):
    H = ints(args.hidden)[0] if args.hidden else 64
    T = ints(args.seq_len)[0] if args.seq_len else 150
    B = args.batch or 32
    reps = args.repeats or 30
    print("cell,layers,hidden,seq_len,batch,dtype,ms_median,ms_min,steps_per_s", flush=True)
    for name in [d for d in args.dtypes.split(",") if d]:
        dtype = {"float64": torch.float64, "float32": torch.float32}.get(name)
        if dtype is None:
            print(f"unknown dtype {name!r}: use float64, float32", file=sys.stderr)
            return 2
        rows = [[c] for c in cells] + ([cells] if len(cells) == 3 and not args.no_all else [])
        for group in rows:
            med, fastest = time_train(group, args.layers, H, T, B, dtype, reps)
            label = group[0] if len(group) == 1 else "all"
            print(f"{label},{args.layers},{H},{T},{B},{name},{med:.3f},{fastest:.3f},"
                  f"{1e3 / med:.2f}", flush=True)
    return 0


def ints(s):
    return [int(v) for v in s.split(",") if v]


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true",
                    help="H 32,64 and T 100,1000 only, 3 repeats")
    ap.add_argument("--repeats", type=int, default=0,
                    help="timed repeats per configuration (default: 5, 3 at T >= 10000)")
    ap.add_argument("--cells", default="rnn,lstm,gru")
    ap.add_argument("--hidden", default=None, help="default 32,64,128 (--train: 64)")
    ap.add_argument("--seq-len", default=None, help="default 100,1000,10000 (--train: 150)")
    ap.add_argument("--layers", type=int, default=1)
    ap.add_argument("--batch", type=int, default=0, help="default 1 (--train: 32)")
    ap.add_argument("--train", action="store_true",
                    help="time training steps (fused modules, Adam) instead of the profile")
    ap.add_argument("--dtypes", default="float64,float32", help="--train: dtypes to time")
    ap.add_argument("--no-all", action="store_true", help="skip the three-cells-together rows")
    args = ap.parse_args(argv)
    torch.set_num_threads(1)
    torch.set_default_dtype(torch.float64)
    cells = [c for c in args.cells.split(",") if c]
    for c in cells:
        if c not in CELLS:
            print(f"unknown cell {c!r}: use rnn, lstm, gru", file=sys.stderr)
            return 2
    if args.train:
        return main_train(args, cells)
    hidden, seq = ints(args.hidden or "32,64,128"), ints(args.seq_len or "100,1000,10000")
    args.batch = args.batch or 1
    if args.quick:
        hidden = [h for h in hidden if h <= 64] or hidden[:1]
        seq = [t for t in seq if t <= 1000] or seq[:1]

    print("cell,layers,hidden,seq_len,batch,ms_median", flush=True)
    for T in seq:
        for H in hidden:
            reps = args.repeats or (3 if args.quick or T >= 10000 else 5)
            for c in cells:
                ms = time_config([c], args.layers, H, T, args.batch, reps)
                print(f"{c},{args.layers},{H},{T},{args.batch},{ms:.3f}", flush=True)
            if len(cells) == 3 and not args.no_all:
                ms = time_config(cells, args.layers, H, T, args.batch, reps)
                print(f"all,{args.layers},{H},{T},{args.batch},{ms:.3f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
