"""Writes models/fixtures/<gguf name>.json: reference outputs of each shipped GGUF for the Java runtime.

Usage: python3 training/fixtures.py

Conventions (see models/README.md): weights exactly as stored in the file, dequantized to float32
(F16 -> f32; Q8_0 -> fp16 scale as f32 times int8); all math in float32; no BOS is added (the ChatML
prompt starts with <|im_start|>, id 1); positions start at 0; "logits" is the full next-token vector at the
last prompt position, each value rounded to 5 significant digits; "greedy" is argmax decoding of up to 24
new tokens with a KV cache, stopping after (and including) <|im_end|> (id 2); "greedy_margins" is, per
step, the best minus the second-best logit (a near-tie there may legitimately flip in another runtime).
"""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import blas_threads  # noqa: E402,F401  (before torch: OpenBLAS must not start its own threads)
import torch  # noqa: E402

from corpus import chatml  # noqa: E402
from export import ROOT, load_gguf  # noqa: E402
from tokenizer import EOS  # noqa: E402

# A held-out synset (house), a synset both models trained on (run), a held-out phrasing of a trained synset
# (history), a synset only the MoE trained on (policy: rank 848, past the micro's 500), and a word outside
# the corpus (theremin).
PROMPTS = ["What is a house?", "What does it mean to run?", "I'd like to know what history means.",
           "What is a policy?", "What is a theremin?"]
TOKENIZER_EXAMPLES = [
    "What is a theremin?", "A theremin is an electronic musical instrument.", "it's   two  spaces\n\nand lines",
    "Don't we'll they're I'M 3.14159 + 42 = x?!", "naïve café — 東京 😀", "  leading and trailing  ",
    "<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n", "tab\tseparated\r\nwindows line",
]
GREEDY_TOKENS = 24


@torch.no_grad()
def greedy_with_margins(model, ids):
    """Greedy ids (as Transformer.generate) and, per step, the gap between the best and second-best logit:
    a runtime whose float rounding differs can only pick another token where that gap is tiny."""
    caches = [dict() for _ in model.blocks]
    logits = model(torch.tensor([ids]), caches, 0)[0, -1]
    out, margins = [], []
    for step in range(GREEDY_TOKENS):
        top = logits.topk(2)
        t = int(top.indices[0])
        out.append(t)
        margins.append(round(float(top.values[0] - top.values[1]), 4))
        if t == EOS:
            break
        logits = model(torch.tensor([[t]]), caches, len(ids) + step)[0, -1]
    return out, margins


@torch.no_grad()
def fixture(path):
    model, tok, reader = load_gguf(path)
    cases = []
    for p in PROMPTS:
        ids = tok.encode(chatml(p))
        logits = model(torch.tensor([ids]))[0, -1].float()
        greedy, margins = greedy_with_margins(model, ids)
        cases.append({"prompt_text": chatml(p), "prompt_ids": ids,
                      "logits": [float(f"{x:.5g}") for x in logits.tolist()],
                      "argmax": int(logits.argmax()), "greedy": greedy, "greedy_text": tok.decode(greedy),
                      "greedy_margins": margins})
    return {"file": os.path.basename(path), "architecture": reader.kv["general.architecture"],
            "conventions": __doc__.split("Conventions (see models/README.md): ")[1].strip(),
            "tokenizer": [{"text": t, "ids": tok.encode(t)} for t in TOKENIZER_EXAMPLES],
            "cases": cases}


def main():
    torch.set_num_threads(2)
    out_dir = os.path.join(ROOT, "models", "fixtures")
    os.makedirs(out_dir, exist_ok=True)
    for name in sorted(os.listdir(os.path.join(ROOT, "models"))):
        if name.endswith(".gguf"):
            fx = fixture(os.path.join(ROOT, "models", name))
            out = os.path.join(out_dir, name[:-len(".gguf")] + ".json")
            with open(out, "w") as f:
                json.dump(fx, f, ensure_ascii=False, separators=(",", ":"))
            print(out, [c["greedy_text"] for c in fx["cases"]])


if __name__ == "__main__":
    main()
