#!/usr/bin/env python3
"""gen_fixtures.py - the PyTorch reference files that tests/test_pytorch.c checks gradflow against.

Run once, from the repository root, with Debian's python3-torch:
    /usr/bin/python3 tests/gen_fixtures.py
It writes tests/fixtures/torch_<name>.safetensors (float64 throughout) for a spread of small
configurations: each cell, 1 to 3 layers, batch 2, tanh and relu RNNs, both tasks, a deep
vanishing case whose per-step gradient norms fall far below 1e-30 (below 1e-154 even, where a
naive sum of squares underflows), and exploding ones. The outputs are committed; the test suite
never needs PyTorch.

Each file holds, with PyTorch's names:
  weight_ih_l{k}, weight_hh_l{k}, bias_ih_l{k}, bias_hh_l{k}, head.weight, head.bias  parameters
  inputs [B, T, I]; targets [B, O] F64 (adding) or [B] I64 (recall); loss []
  h, grad_h [L, B, T, H] (and c, grad_c for the LSTM): states and the total derivatives dL/dh_t
  grad.<parameter name> for every parameter; grad.inputs [B, T, I]
and the metadata of a gradflow run file (cell, task, layers, hidden, nonlinearity, seq_len,
batch, seed, weight_scale, init) plus a one-line description.

The model is computed by tools/torch_check.py's reference (an unrolled nn.*Cell loop sharing the
nn.RNN/LSTM/GRU parameters, retain_grad on every h_t and c_t, checked against the module's own
output), the same code that checks run files.
"""
import os
import sys

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tools"))
import torch_check as ref  # noqa: E402

GATES = {"rnn": 1, "lstm": 4, "gru": 3}
RECALL_SYMBOLS = 8

# name, cell, nonlinearity, task, layers, hidden, seq_len, weight_hh scale, seed[, float32 init]
CONFIGS = [
    ("rnn_tanh_adding_l1", "rnn", "tanh", "adding", 1, 3, 6, 1.0, 1),
    ("rnn_relu_recall_l2", "rnn", "relu", "recall", 2, 5, 12, 1.0, 20),
    ("rnn_tanh_recall_l3", "rnn", "tanh", "recall", 3, 4, 20, 1.0, 3),
    ("lstm_adding_l1", "lstm", "tanh", "adding", 1, 4, 16, 1.0, 4),
    ("lstm_recall_l2", "lstm", "tanh", "recall", 2, 6, 24, 1.0, 5),
    ("lstm_adding_l3", "lstm", "tanh", "adding", 3, 8, 10, 1.0, 6),
    ("gru_adding_l1", "gru", "tanh", "adding", 1, 3, 9, 1.0, 7),
    ("gru_recall_l2", "gru", "tanh", "recall", 2, 7, 30, 1.0, 8),
    ("gru_adding_l3", "gru", "tanh", "adding", 3, 5, 40, 1.0, 9),
    # deep vanishing: per-step norms fall by orders of magnitude per step
    ("rnn_tanh_deep_vanishing", "rnn", "tanh", "adding", 1, 4, 300, 0.25, 10),
    ("lstm_deep_vanishing", "lstm", "tanh", "adding", 2, 3, 200, 0.2, 11),
    ("gru_deep_vanishing", "gru", "tanh", "adding", 1, 3, 300, 0.2, 12),
    # exploding: the gradient grows going back in time
    ("rnn_relu_exploding", "rnn", "relu", "adding", 2, 6, 40, 3.0, 13),
    ("rnn_tanh_exploding", "rnn", "tanh", "adding", 1, 8, 60, 4.0, 14),
    # drawn in float32 (torch's default dtype), then float64: gradflow reads such a weight_hh
    # from float32 panels; sizes with partial panels and partial 4-column groups
    ("gru_f32_scaled", "gru", "tanh", "adding", 1, 33, 12, 0.9, 15, True),
    ("lstm_f32_recall_l2", "lstm", "tanh", "recall", 2, 9, 15, 1.0, 16, True),
]

# GRUs with an update-gate bias (gradflow's --update-bias B): the parameter tensors are the
# initial draw, as a run without the option holds them; the reference sets, in every layer,
# bias_ih[H:2H] = B and bias_hh[H:2H] = 0 (PyTorch's GRU biases are the chunks r, z, n, and
# z = sigmoid(W_iz x + b_iz + W_hz h + b_hz)), and runs that model. Metadata update_bias = B.
# name, layers, hidden, seq_len, task, bias, seed
UPDATE_BIAS_CONFIGS = [
    ("gru_update_bias_l2", 2, 5, 60, "adding", 3.0, 17),
    ("gru_update_bias_negative", 1, 4, 25, "recall", -2.0, 18),
]


def make_task(task, B, T, gen):
    """Inputs (B, T, I) and targets as gradflow's tasks lay them out."""
    if task == "adding":
        x = torch.zeros(B, T, 2)
        x[:, :, 0] = torch.rand(B, T, generator=gen)
        y = torch.zeros(B, 1)
        for b in range(B):
            first = int(torch.randint(0, max(T // 2, 1), (1,), generator=gen))
            second = int(torch.randint(T // 2, T, (1,), generator=gen))
            x[b, first, 1] = 1.0
            x[b, second, 1] = 1.0
            y[b, 0] = x[b, first, 0] + x[b, second, 0]
        return x, y
    x = torch.zeros(B, T, RECALL_SYMBOLS + 1)
    sym = torch.randint(0, RECALL_SYMBOLS, (B,), generator=gen)
    for b in range(B):
        x[b, 0, int(sym[b])] = 1.0
        x[b, 1:, RECALL_SYMBOLS] = 1.0
    return x, sym.long()


def make_params(cell, L, H, I, O, scale, gen, f32=False):
    """PyTorch's default initialisation U(-1/sqrt(H), 1/sqrt(H)), weight_hh times scale (in
    float64); with f32 every tensor is drawn in float32 first, as a float32 module made float64
    with .double() holds."""
    G = GATES[cell]
    k = 1.0 / H ** 0.5
    if f32:
        u = lambda *shape: ((torch.rand(*shape, generator=gen, dtype=torch.float32) * 2 - 1)  # noqa: E731
                            * torch.tensor(k, dtype=torch.float32)).double()
    else:
        u = lambda *shape: (torch.rand(*shape, generator=gen) * 2 - 1) * k  # noqa: E731
    p = {}
    for layer in range(L):
        p[f"weight_ih_l{layer}"] = u(G * H, I if layer == 0 else H)
        p[f"weight_hh_l{layer}"] = u(G * H, H) * scale
        p[f"bias_ih_l{layer}"] = u(G * H)
        p[f"bias_hh_l{layer}"] = u(G * H)
    p["head.weight"] = u(O, H)
    p["head.bias"] = u(O)
    return p


def main():
    torch.set_default_dtype(torch.float64)
    torch.set_num_threads(1)
    out_dir = os.path.join(HERE, "fixtures")
    os.makedirs(out_dir, exist_ok=True)
    B = 2
    total = 0
    for name, cell, nonlin, task, L, H, T, scale, seed, *rest in CONFIGS:
        f32 = bool(rest and rest[0])
        gen = torch.Generator().manual_seed(seed)
        x, y = make_task(task, B, T, gen)
        I, O = x.shape[2], (1 if task == "adding" else RECALL_SYMBOLS)
        params = make_params(cell, L, H, I, O, scale, gen, f32)
        module, cells, head = ref.build_model(cell, L, H, I, O, nonlin, params)
        res = ref.run_unrolled(cell, module, cells, head, x, task, y)

        tensors = dict(params)
        tensors["inputs"] = x
        tensors["targets"] = y
        tensors["loss"] = torch.tensor(res["loss"])
        for q in ("h", "c", "grad_h", "grad_c"):
            if q in res:
                tensors[q] = res[q]
        for n in params:
            tensors["grad." + n] = res["grad." + n]
        tensors["grad.inputs"] = res["grad.inputs"]
        norms = [ref.safe_norm(res["grad_h"][k, :, t, :]) for k in range(L) for t in range(T)]
        desc = (f"{cell} {nonlin if cell == 'rnn' else ''} {task}, L={L} H={H} B={B} T={T}, "
                f"weight_hh x {scale}: ||dL/dh_t|| from {min(norms):.3g} to {max(norms):.3g}")
        meta = {"cell": cell, "task": task, "layers": L, "hidden": H, "nonlinearity": nonlin,
                "seq_len": T, "batch": B, "seed": seed, "weight_scale": scale,
                "init": "pytorch float32" if f32 else "pytorch", "description": " ".join(desc.split())}
        if f32:
            meta["weight_hh_float32_scale"] = repr(float(scale))
        path = os.path.join(out_dir, f"torch_{name}.safetensors")
        ref.write_safetensors(path, tensors, meta)
        size = os.path.getsize(path)
        total += size
        print(f"{os.path.relpath(path)}: {size} bytes; {meta['description']}")
    for name, L, H, T, task, bias, seed in UPDATE_BIAS_CONFIGS:
        gen = torch.Generator().manual_seed(seed)
        x, y = make_task(task, B, T, gen)
        I, O = x.shape[2], (1 if task == "adding" else RECALL_SYMBOLS)
        params = make_params("gru", L, H, I, O, 1.0, gen)
        used = {k: v.clone() for k, v in params.items()}
        for layer in range(L):
            used[f"bias_ih_l{layer}"][H:2 * H] = bias
            used[f"bias_hh_l{layer}"][H:2 * H] = 0.0
        module, cells, head = ref.build_model("gru", L, H, I, O, "tanh", used)
        res = ref.run_unrolled("gru", module, cells, head, x, task, y)
        z_mean = float(torch.sigmoid(torch.tensor(bias)))
        tensors = dict(params)
        tensors["inputs"] = x
        tensors["targets"] = y
        tensors["loss"] = torch.tensor(res["loss"])
        for q in ("h", "grad_h"):
            tensors[q] = res[q]
        for n in params:
            tensors["grad." + n] = res["grad." + n]
        tensors["grad.inputs"] = res["grad.inputs"]
        norms = [ref.safe_norm(res["grad_h"][k, :, t, :]) for k in range(L) for t in range(T)]
        desc = (f"gru {task}, L={L} H={H} B={B} T={T}, update bias {bias} (z near {z_mean:.2f}; parameters "
                f"stored before it is set): ||dL/dh_t|| from {min(norms):.3g} to {max(norms):.3g}")
        meta = {"cell": "gru", "task": task, "layers": L, "hidden": H, "nonlinearity": "tanh",
                "seq_len": T, "batch": B, "seed": seed, "weight_scale": 1.0, "init": "pytorch",
                "update_bias": repr(float(bias)), "description": desc}
        path = os.path.join(out_dir, f"torch_{name}.safetensors")
        ref.write_safetensors(path, tensors, meta)
        size = os.path.getsize(path)
        total += size
        print(f"{os.path.relpath(path)}: {size} bytes; {desc}")
    print(f"{len(CONFIGS) + len(UPDATE_BIAS_CONFIGS)} files, {total} bytes")


if __name__ == "__main__":
    main()
