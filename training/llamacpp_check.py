"""Cross-checks a GGUF file against llama.cpp: same token ids, next-token logits, greedy continuation.

Usage: python3 training/llamacpp_check.py MODEL.gguf --llama-dir /path/to/llama.cpp (built, with build/src/libllama.a,
or its headers with shared libraries in build/bin, such as the prebuilt ones npm's node-llama-cpp carries)

Builds training/llamacpp/logits.cpp against that llama.cpp (static libraries) into out/llamacpp-logits,
then compares, for the fixture prompts, llama.cpp's logits and greedy ids with this package's PyTorch
model on the file's weights. llama.cpp multiplies F16 weights with F16-rounded activations, so logits
agree to about 1e-2, not bit-exactly.
"""
import argparse
import json
import os
import subprocess
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from corpus import chatml  # noqa: E402
from export import load_gguf  # noqa: E402
from fixtures import GREEDY_TOKENS, PROMPTS  # noqa: E402
from tokenizer import EOS, OUT  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))


def build(llama_dir):
    """Links logits.cpp against a built llama.cpp: its static libraries (-DBUILD_SHARED_LIBS=OFF) or,
    when those are absent, the shared ones in build/bin (then run with LD_LIBRARY_PATH=build/bin)."""
    exe = os.path.join(OUT, "llamacpp-logits")
    b = os.path.join(llama_dir, "build")
    static = [os.path.join(b, l) for l in
              ("src/libllama.a", "ggml/src/libggml.a", "ggml/src/libggml-cpu.a", "ggml/src/libggml-base.a")]
    if all(os.path.exists(l) for l in static):
        link = static + ["-fopenmp", "-lpthread", "-ldl"]
    else:  # shared libraries; builds with GGML_BACKEND_DL (node-llama-cpp's prebuilt ones) load the CPU backend at run time
        bin_dir = os.path.join(b, "bin")
        link = ["-L" + bin_dir, "-Wl,-rpath," + bin_dir, "-lllama", "-lggml", "-lggml-base"]
        if os.path.exists(os.path.join(bin_dir, "libggml-cpu.so")):
            link.append("-lggml-cpu")
    subprocess.run(["g++", "-O1", "-std=c++17", os.path.join(HERE, "llamacpp", "logits.cpp"),
                    "-I" + os.path.join(llama_dir, "include"), "-I" + os.path.join(llama_dir, "ggml", "include"),
                    "-o", exe] + link, check=True)
    return exe


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("gguf")
    ap.add_argument("--llama-dir", required=True)
    args = ap.parse_args()
    torch.set_num_threads(1)
    exe = build(args.llama_dir)
    model, tok, _ = load_gguf(args.gguf)
    worst = 0.0
    for p in PROMPTS:
        ids = tok.encode(chatml(p))
        # From build/bin: a llama.cpp built with dynamically loaded backends looks for them in the current directory.
        out = subprocess.run([exe, os.path.abspath(args.gguf), str(GREEDY_TOKENS)] + [str(i) for i in ids],
                             capture_output=True, text=True, check=True, cwd=os.path.join(args.llama_dir, "build", "bin"))
        ref = json.loads(out.stdout.strip().splitlines()[-1])
        with torch.no_grad():
            logits = model(torch.tensor([ids]))[0, -1]
        diff = float((logits - torch.tensor(ref["logits"])).abs().max())
        worst = max(worst, diff)
        greedy = model.generate(ids, GREEDY_TOKENS, stop=EOS)
        print(f"{p!r}: max |logit diff| {diff:.4f}, argmax equal {int(logits.argmax()) == ref['greedy'][0]}, "
              f"greedy equal {greedy == ref['greedy']}  llama.cpp: {tok.decode(ref['greedy'])!r}")
    print(f"worst logit difference {worst:.4f}")


if __name__ == "__main__":
    main()
