"""Upcycles the 8-expert MoE into the fine-grained 64-expert, top-8 model (preset "moe64"), as the starting
point of its training (decision D43).

Usage: python3 training/upcycle.py [--source models/overture-moe-q8_0.gguf] [--out out/moe64/init.gguf]

Each expert's SwiGLU FFN of 512 is cut into 4 segments of 128 hidden units (a SwiGLU's output is the sum
over its hidden units, so the segments together compute the expert exactly), and each segment is copied
twice: 8 x 4 x 2 = 64 experts of 128, the same active width per token as top-2 of 512 when 8 are chosen.
Every copy's router row is its expert's row plus a little noise (to break the ties), so at the start the
top-8 are the 8 pieces of the old top-1 expert, each weighted 1/8 by the softmax; the down projections are
scaled by 4 so those pieces add up to the whole expert. Training then lets the copies and the router drift
apart (sparse upcycling with fine-grained expert segmentation).
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import blas_threads  # noqa: E402,F401
import torch  # noqa: E402

import gguf  # noqa: E402
from export import ROOT, export, load_gguf  # noqa: E402
from model import PRESETS, Transformer  # noqa: E402
from tokenizer import OUT  # noqa: E402


@torch.no_grad()
def upcycle(source, seed=1234):
    coarse, tok, _ = load_gguf(source)
    cfg = PRESETS["moe64"]
    cfg.vocab_size = coarse.c.vocab_size
    fine = Transformer(cfg)
    segments = coarse.c.n_ff // cfg.n_ff
    copies = cfg.n_expert // (coarse.c.n_expert * segments)
    if segments * cfg.n_ff != coarse.c.n_ff or copies * coarse.c.n_expert * segments != cfg.n_expert:
        raise SystemExit("the fine-grained preset does not divide the source's experts")
    # The top-8 at the start are one expert's 4 segments x 2 copies, each weighted 1/8: scaling the down
    # projections by 8 / 2 makes them sum to the whole expert.
    scale = cfg.n_expert_used / copies
    g = torch.Generator().manual_seed(seed)
    src = coarse.state_dict()
    state = {k: v.clone() for k, v in src.items() if ".ffn." not in k}
    for i, block in enumerate(coarse.blocks):
        m = block.ffn
        gate, up, down, router = [], [], [], []
        for e in range(coarse.c.n_expert):
            for s in range(segments):
                rows = slice(s * cfg.n_ff, (s + 1) * cfg.n_ff)
                for _ in range(copies):
                    gate.append(m.w_gate[e, rows])
                    up.append(m.w_up[e, rows])
                    down.append(m.w_down[e, :, rows] * scale)
                    r = m.router.weight[e]
                    router.append(r + torch.randn(r.shape, generator=g) * 1e-3 * r.norm() / r.numel() ** 0.5)
        p = f"blocks.{i}.ffn."
        state[p + "w_gate"], state[p + "w_up"] = torch.stack(gate), torch.stack(up)
        state[p + "w_down"], state[p + "router.weight"] = torch.stack(down), torch.stack(router)
    fine.load_state_dict(state)
    return fine.eval(), tok


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--source", default=os.path.join(ROOT, "models", "overture-moe-q8_0.gguf"))
    ap.add_argument("--out", default=os.path.join(OUT, "moe64", "init.gguf"))
    args = ap.parse_args()
    fine, tok = upcycle(args.source)
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    size = export(fine, tok, args.out, gguf.F16, {"general.description": "overture-moe upcycled to 64 experts, top-8"})
    print(f"{args.out}: {size / 1e6:.1f} MB, {fine.n_params()} parameters, {fine.n_active_params()} active")


if __name__ == "__main__":
    main()
