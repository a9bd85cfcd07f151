#!/usr/bin/env python3
"""gen_bidir_fixtures.py - PyTorch reference files for bidirectional networks, which
tests/test_bidir.c checks gradflow against.

Run once, from the repository root, with Debian's python3-torch:
    /usr/bin/python3 tests/gen_bidir_fixtures.py
It writes tests/fixtures/torch_bidir_<name>.safetensors (float64): each cell with 1 and 2 layers
of nn.RNN / nn.LSTM / nn.GRU(bidirectional=True, batch_first=True), batch 2, both tasks. The
outputs are committed; the test suite never needs PyTorch.

The model: an unrolled nn.*Cell loop per direction sharing the module's parameters (the forward
direction t = 0 .. T-1, the reverse one t = T-1 .. 0 on its own tensors, "_reverse"), layer k > 0
reading [forward h_t, reverse h_t] (2H), retain_grad on every h_t and c_t; checked against the
module itself (output at every step, h_n and c_n). The head is nn.Linear(2H, O) on
torch.cat([h_n[-2], h_n[-1]], 1): the top layer's forward state at t = T-1 and its reverse state
at t = 0. Each file holds, with PyTorch's names:
  weight_ih_l{k}[_reverse], weight_hh_l{k}[_reverse], bias_ih_l{k}[_reverse],
  bias_hh_l{k}[_reverse], head.weight [O, 2H], head.bias [O]      parameters
  inputs [B, T, I]; targets [B, O] F64 (adding) or [B] I64 (recall); loss []
  h, grad_h [L, B, T, 2H] (and c, grad_c for the LSTM): states and total derivatives dL/dh_t,
      forward direction in [..., :H], reverse in [..., H:], as PyTorch's output
  h_n [2L, B, H] (and c_n) as the module returns them
  grad.<parameter name> for every parameter; grad.inputs [B, T, I]
"""
import os
import sys

import torch
import torch.nn.functional as F
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tools"))
import torch_check as ref  # noqa: E402
from gen_fixtures import make_task, RECALL_SYMBOLS, GATES  # noqa: E402

# name, cell, nonlinearity, task, layers, hidden, seq_len, weight_hh scale, seed
CONFIGS = [
    ("rnn_adding_l1", "rnn", "tanh", "adding", 1, 3, 7, 1.0, 31),
    ("rnn_recall_l2", "rnn", "tanh", "recall", 2, 4, 11, 1.0, 32),
    ("lstm_adding_l1", "lstm", "tanh", "adding", 1, 4, 9, 1.0, 33),
    ("lstm_recall_l2", "lstm", "tanh", "recall", 2, 5, 13, 1.0, 34),
    ("gru_adding_l1", "gru", "tanh", "adding", 1, 3, 8, 1.0, 35),
    ("gru_recall_l2", "gru", "tanh", "recall", 2, 6, 12, 1.0, 36),
    # longer, with weight_hh scaled down: both directions' gradients fall over many orders
    ("lstm_vanishing_l2", "lstm", "tanh", "adding", 2, 3, 80, 0.3, 37),
    # wide enough for the 32-column stripes of the fast kernels, drawn in float32 (as a float32
    # module made float64 holds its weights): gradflow reads them from float32 panels
    ("gru_wide_l2", "gru", "tanh", "adding", 2, 33, 6, 1.0, 38, True),
]


def make_params(cell, L, H, I, O, scale, gen, f32=False):
    """U(-1/sqrt(H), 1/sqrt(H)) for every tensor in PyTorch's order (weight_hh times scale);
    the head U(-1/sqrt(2H), 1/sqrt(2H)) as nn.Linear(2H, O); with f32, drawn in float32."""
    G = GATES[cell]
    k = 1.0 / H ** 0.5
    dt = torch.float32 if f32 else torch.float64
    u = lambda *shape, k=k: ((torch.rand(*shape, generator=gen, dtype=dt) * 2 - 1)  # noqa: E731
                             * torch.tensor(k, dtype=dt)).double()
    p = {}
    for layer in range(L):
        for sfx in ("", "_reverse"):
            p[f"weight_ih_l{layer}{sfx}"] = u(G * H, I if layer == 0 else 2 * H)
            p[f"weight_hh_l{layer}{sfx}"] = u(G * H, H) * scale
            p[f"bias_ih_l{layer}{sfx}"] = u(G * H)
            p[f"bias_hh_l{layer}{sfx}"] = u(G * H)
    kh = 1.0 / (2 * H) ** 0.5
    p["head.weight"] = u(O, 2 * H, k=kh)
    p["head.bias"] = u(O, k=kh)
    return p


def build(cell, L, H, I, O, nonlin, params):
    kinds = {"rnn": (nn.RNN, nn.RNNCell), "lstm": (nn.LSTM, nn.LSTMCell), "gru": (nn.GRU, nn.GRUCell)}
    Module, Cell = kinds[cell]
    extra = {"nonlinearity": nonlin} if cell == "rnn" else {}
    module = Module(I, H, num_layers=L, batch_first=True, bidirectional=True, dtype=torch.float64, **extra)
    head = nn.Linear(2 * H, O, dtype=torch.float64)
    with torch.no_grad():
        names = [n for n, _ in module.named_parameters()]
        assert sorted(names) == sorted(n for n in params if not n.startswith("head.")), names
        for name, p in module.named_parameters():
            p.copy_(params[name])
        head.weight.copy_(params["head.weight"])
        head.bias.copy_(params["head.bias"])
    cells = []  # cells[k][d]
    for k in range(L):
        pair = []
        for sfx in ("", "_reverse"):
            c = Cell(I if k == 0 else 2 * H, H, dtype=torch.float64, **extra)
            for part in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"):
                setattr(c, part, getattr(module, f"{part}_l{k}{sfx}"))
            pair.append(c)
        cells.append(pair)
    return module, cells, head


def run(cell, module, cells, head, x, task, targets):
    B, T, _ = x.shape
    L = len(cells)
    H = cells[0][0].hidden_size
    x = x.detach().clone().requires_grad_(True)
    inp = [x[:, t, :] for t in range(T)]
    hs, cs = [], []  # hs[k][d][t]
    for k in range(L):
        hk, ck = [], []
        for d in range(2):
            h = torch.zeros(B, H)
            c = torch.zeros(B, H)
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
        inp = [torch.cat([hk[0][t], hk[1][t]], 1) for t in range(T)]
    # torch.cat([h_n[-2], h_n[-1]], 1): forward final (t = T-1), reverse final (t = 0)
    y = head(torch.cat([hs[-1][0][T - 1], hs[-1][1][0]], 1))
    loss = F.mse_loss(y, targets) if task == "adding" else F.cross_entropy(y, targets)
    loss.backward()

    with torch.no_grad():
        out, hc = module(x)
        h_n = hc[0] if cell == "lstm" else hc
        mine = torch.stack(inp, 1)
        assert (out - mine).abs().max() <= 1e-12, "unrolled loop differs from the module's output"
        mine_hn = torch.stack([hs[k][d][T - 1 if d == 0 else 0] for k in range(L) for d in range(2)])
        assert (h_n - mine_hn).abs().max() <= 1e-12, "unrolled loop differs from the module's h_n"
        if cell == "lstm":
            mine_cn = torch.stack([cs[k][d][T - 1 if d == 0 else 0] for k in range(L) for d in range(2)])
            assert (hc[1] - mine_cn).abs().max() <= 1e-12, "unrolled loop differs from c_n"
        # the pitfall, in numbers: h_n[-1] is not output[:, -1, H:] (unless T = 1)
        assert (h_n[-1] - out[:, -1, H:]).abs().max() > 1e-6

    def stack(q, grad):
        return torch.stack([torch.stack([torch.cat([(q[k][0][t].grad if grad else q[k][0][t]),
                                                    (q[k][1][t].grad if grad else q[k][1][t])], 1)
                                         for t in range(T)], 1) for k in range(L)]).detach()
    res = {"loss": float(loss), "h": stack(hs, False), "grad_h": stack(hs, True),
           "h_n": h_n.detach().clone(), "grad.inputs": x.grad.detach().clone()}
    if cell == "lstm":
        res["c"] = stack(cs, False)
        res["grad_c"] = stack(cs, True)
        res["c_n"] = hc[1].detach().clone()
    for name, p in module.named_parameters():
        res["grad." + name] = p.grad.detach().clone()
    res["grad.head.weight"] = head.weight.grad.detach().clone()
    res["grad.head.bias"] = head.bias.grad.detach().clone()
    return res


def main():
    torch.set_default_dtype(torch.float64)
    torch.set_num_threads(1)
    out_dir = os.path.join(HERE, "fixtures")
    B = 2
    for name, cell, nonlin, task, L, H, T, scale, seed, *f32 in CONFIGS:
        gen = torch.Generator().manual_seed(seed)
        x, y = make_task(task, B, T, gen)
        I, O = x.shape[2], (1 if task == "adding" else RECALL_SYMBOLS)
        params = make_params(cell, L, H, I, O, scale, gen, bool(f32))
        module, cells, head = build(cell, L, H, I, O, nonlin, params)
        res = run(cell, module, cells, head, x, task, y)
        tensors = dict(params)
        tensors["inputs"] = x
        tensors["targets"] = y
        tensors["loss"] = torch.tensor(res["loss"])
        for q in ("h", "c", "grad_h", "grad_c", "h_n", "c_n"):
            if q in res:
                tensors[q] = res[q]
        for n in params:
            tensors["grad." + n] = res["grad." + n]
        tensors["grad.inputs"] = res["grad.inputs"]
        gh = res["grad_h"]
        norms = [ref.safe_norm(gh[k, :, t, d * H:(d + 1) * H]) for k in range(L) for t in range(T) for d in range(2)]
        desc = (f"bidirectional {cell} {task}, L={L} H={H} B={B} T={T}, weight_hh x {scale}: "
                f"||dL/dh_t|| from {min(norms):.3g} to {max(norms):.3g}")
        meta = {"cell": cell, "task": task, "layers": L, "hidden": H, "nonlinearity": nonlin,
                "seq_len": T, "batch": B, "seed": seed, "weight_scale": scale, "init": "pytorch",
                "bidirectional": 1, "description": desc}
        path = os.path.join(out_dir, f"torch_bidir_{name}.safetensors")
        ref.write_safetensors(path, tensors, meta)
        print(f"{os.path.relpath(path)}: {os.path.getsize(path)} bytes; {desc}")


if __name__ == "__main__":
    main()
