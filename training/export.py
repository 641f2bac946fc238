"""Exports a training checkpoint to GGUF (llama.cpp `llama` architecture) as Q8_0 (and F16 with --f16), and
loads GGUF files back into the PyTorch model (weights dequantized to float32).

Usage: python3 training/export.py --model micro|moe [--ckpt out/<model>/ckpt.pt] [--out-dir models] [--f16]

Only the Q8_0 files ship (decision D40): F16 copies doubled what each model update adds to the repository's
history, and nothing needs them (the fixtures are computed from each file's own weights). --f16 writes one
beside them, for a llama.cpp comparison or a side run.
"""
import argparse
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gguf  # noqa: E402
from model import Config, Transformer  # noqa: E402
from tokenizer import BOS, EOS, PAD, SPECIALS, CHAT_TEMPLATE, OUT, Tokenizer  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TENSOR_NAMES = {  # PyTorch parameter suffix within a block -> llama.cpp tensor name suffix
    "attn_norm.weight": "attn_norm.weight", "attn.wq.weight": "attn_q.weight", "attn.wk.weight": "attn_k.weight",
    "attn.wv.weight": "attn_v.weight", "attn.wo.weight": "attn_output.weight", "ffn_norm.weight": "ffn_norm.weight",
    "ffn.w_gate.weight": "ffn_gate.weight", "ffn.w_up.weight": "ffn_up.weight", "ffn.w_down.weight": "ffn_down.weight",
    "ffn.router.weight": "ffn_gate_inp.weight", "ffn.w_gate": "ffn_gate_exps.weight", "ffn.w_up": "ffn_up_exps.weight",
    "ffn.w_down": "ffn_down_exps.weight",
}


def gguf_name(param):
    if param == "embed.weight":
        return "token_embd.weight"
    if param == "norm.weight":
        return "output_norm.weight"
    _, i, rest = param.split(".", 2)
    return f"blk.{i}.{TENSOR_NAMES[rest]}"


def tensor_type(name, arr, wanted):
    """Norms (1-D) and the router stay F32, as llama.cpp keeps them; Q8_0 needs rows of 32k values."""
    if arr.ndim < 2 or name.endswith("ffn_gate_inp.weight"):
        return gguf.F32
    if wanted == gguf.Q8_0 and arr.shape[-1] % gguf.QK8_0:
        return gguf.F32
    return wanted


def metadata(cfg, tok, file_type, extra):
    S, U32, F32, B, A, I32 = gguf.STRING, gguf.UINT32, gguf.FLOAT32, gguf.BOOL, gguf.ARRAY, gguf.INT32
    kv = [("general.architecture", S, "llama"), ("general.name", S, cfg.name),
          ("general.file_type", U32, gguf.FILE_TYPES[file_type]), ("general.quantization_version", U32, 2)]
    kv += [(k, S, v) for k, v in extra.items()]
    kv += [("llama.context_length", U32, cfg.context_length), ("llama.embedding_length", U32, cfg.n_embd),
           ("llama.block_count", U32, cfg.n_layer), ("llama.feed_forward_length", U32, cfg.n_ff),
           ("llama.attention.head_count", U32, cfg.n_head), ("llama.attention.head_count_kv", U32, cfg.n_head_kv),
           ("llama.rope.freq_base", F32, cfg.rope_theta), ("llama.attention.layer_norm_rms_epsilon", F32, cfg.norm_eps),
           ("llama.vocab_size", U32, cfg.vocab_size), ("llama.rope.dimension_count", U32, cfg.head_dim)]
    if cfg.n_expert:
        kv += [("llama.expert_count", U32, cfg.n_expert), ("llama.expert_used_count", U32, cfg.n_expert_used)]
    types = [3 if i < len(SPECIALS) else 1 for i in range(len(tok.tokens))]  # CONTROL / NORMAL
    kv += [("tokenizer.ggml.model", S, "gpt2"), ("tokenizer.ggml.pre", S, "gpt-2"),
           ("tokenizer.ggml.tokens", A, (S, tok.tokens)), ("tokenizer.ggml.token_type", A, (I32, types)),
           ("tokenizer.ggml.merges", A, (S, [a + " " + b for a, b in tok.merges])),
           ("tokenizer.ggml.bos_token_id", U32, BOS), ("tokenizer.ggml.eos_token_id", U32, EOS),
           ("tokenizer.ggml.eot_token_id", U32, EOS),
           ("tokenizer.ggml.padding_token_id", U32, PAD), ("tokenizer.ggml.add_bos_token", B, False),
           ("tokenizer.ggml.add_eos_token", B, False), ("tokenizer.chat_template", S, CHAT_TEMPLATE)]
    return kv


def export(model, tok, path, file_type, extra=None):
    tensors = []
    for param, t in model.state_dict().items():
        name = gguf_name(param)
        arr = t.detach().float().cpu().numpy()
        tensors.append((name, arr, tensor_type(name, arr, file_type)))
    return gguf.write(path, metadata(model.c, tok, file_type, extra or {}), tensors)


def load_checkpoint(path):
    ck = torch.load(path, map_location="cpu")
    model = Transformer(Config(**ck["config"]))
    model.load_state_dict(ck["model"])
    return model.eval(), ck["state"]


def load_gguf(path):
    """(model with the file's weights as float32, tokenizer, reader)."""
    r = gguf.Reader(path)
    kv = r.kv
    cfg = Config(name=kv["general.name"], vocab_size=kv["llama.vocab_size"], context_length=kv["llama.context_length"],
                 n_embd=kv["llama.embedding_length"], n_layer=kv["llama.block_count"],
                 n_head=kv["llama.attention.head_count"], n_head_kv=kv["llama.attention.head_count_kv"],
                 n_ff=kv["llama.feed_forward_length"], rope_theta=kv["llama.rope.freq_base"],
                 norm_eps=kv["llama.attention.layer_norm_rms_epsilon"], n_expert=kv.get("llama.expert_count", 0),
                 n_expert_used=kv.get("llama.expert_used_count", 0))
    model = Transformer(cfg)
    state = {p: torch.from_numpy(r.tensor(gguf_name(p))) for p in model.state_dict()}
    model.load_state_dict(state)
    tok = Tokenizer([m.split(" ") for m in kv["tokenizer.ggml.merges"]])
    if tok.tokens != kv["tokenizer.ggml.tokens"]:
        raise ValueError(f"{path}: token list does not match the merges")
    return model.eval(), tok, r


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", choices=["micro", "moe", "moe64"], required=True)
    ap.add_argument("--ckpt", default=None)
    ap.add_argument("--out-dir", default=os.path.join(ROOT, "models"))
    ap.add_argument("--f16", action="store_true", help="also write the F16 file (not shipped, D40)")
    args = ap.parse_args()
    model, state = load_checkpoint(args.ckpt or os.path.join(OUT, args.model, "ckpt.pt"))
    tok = Tokenizer.load()
    os.makedirs(args.out_dir, exist_ok=True)
    extra = {"general.description": f"Overture default {args.model} model trained on WordNet 3.1 dialogues; "
                                    f"{state['step']} steps, {state['tokens']} tokens"}
    for ft, suffix in ((gguf.F16, "f16"), (gguf.Q8_0, "q8_0")) if args.f16 else ((gguf.Q8_0, "q8_0"),):
        path = os.path.join(args.out_dir, f"{model.c.name}-{suffix}.gguf")
        size = export(model, tok, path, ft, extra)
        back, _, _ = load_gguf(path)
        err = max(float((a - b).abs().max()) for a, b in zip(model.state_dict().values(), back.state_dict().values()))
        print(f"{path}: {size / 1e6:.1f} MB, max weight error after round trip {err:.2e}")


if __name__ == "__main__":
    main()
