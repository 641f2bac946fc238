"""Evaluates the shipped GGUF models (their exact weights, float32 math) on the held-out sets.

Usage: python3 training/evaluate.py [--quant f16|q8_0] [--limit N] [--threads T]

Question sets: definitions of trained synsets asked in the two never-trained phrasings, split into the
synsets both models were taught and those only the MoE was (--micro-synsets), and definitions of synsets
neither was taught. Prints (markdown) answer accuracy = token F1 of the answer against the gold WordNet gloss for the micro
model alone, the MoE alone and the split (the micro's first 4/6/8 words, continued greedily by the MoE
with the opener as an assistant prefix); perplexity of each model on the held-out dialogues; the share of
openers the MoE accepts (mean per-token log-prob of the opener under the MoE >= --accept nats); and the
MoE's routing on held-out text (per-layer expert load, switch rate of consecutive tokens).
"""
import argparse
import json
import math
import os
import re
import sys
import time
from collections import Counter

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import blas_threads  # noqa: E402,F401  (before torch: OpenBLAS must not start its own threads)
import torch  # noqa: E402

from corpus import chatml  # noqa: E402
from export import ROOT, load_gguf  # noqa: E402
from model import MoE  # noqa: E402
from tokenizer import EOS, OUT  # noqa: E402
from train import encode_all, most_familiar  # noqa: E402

MAX_NEW = 48
SPLITS = (4, 6, 8)


def words(text):
    """SQuAD-style normalization: lower case, punctuation and the articles a/an/the dropped."""
    return [w for w in re.findall(r"[a-z0-9]+", text.lower()) if w not in ("a", "an", "the")]


def token_f1(answer, gold):
    a, g = Counter(words(answer)), Counter(words(gold))
    common = sum((a & g).values())
    if common == 0:
        return 0.0
    p, r = common / sum(a.values()), common / sum(g.values())
    return 2 * p * r / (p + r)


def answers(model, tok, users, prefixes=None, batch=32):
    """Greedy answers (prefix + continuation, without <|im_end|>) to each user message."""
    prefixes = prefixes or [""] * len(users)
    out = []
    for i in range(0, len(users), batch):
        ids = [tok.encode(chatml(u) + p) for u, p in zip(users[i:i + batch], prefixes[i:i + batch])]
        for p, gen in zip(prefixes[i:i + batch], model.generate_batch(ids, MAX_NEW, stop=EOS)):
            out.append(p + tok.decode(gen[:-1] if gen and gen[-1] == EOS else gen))
    return out


@torch.no_grad()
def opener_token_logprobs(model, tok, user, opener):
    """(opener token ids, their log-probs under model given the generation prompt); the opener's tokens are
    those after the prompt's in the tokenization of prompt + opener."""
    p = tok.encode(chatml(user))
    full = tok.encode(chatml(user) + opener)
    if full[:len(p)] != p or len(full) == len(p):
        return [], []
    logp = model(torch.tensor([full[:-1]]))[0].float().log_softmax(-1)
    ids = full[len(p):]
    return ids, [float(x) for x in logp[len(p) - 1:].gather(1, torch.tensor(ids)[:, None])[:, 0]]


def opener_logprob(model, tok, user, opener):
    """Mean log-prob per opener token under model, given the generation prompt."""
    _, lps = opener_token_logprobs(model, tok, user, opener)
    return sum(lps) / len(lps) if lps else 0.0


def opener_words(opener):
    """The opener's words as the device commits them: each with its leading space."""
    return [w if i == 0 else " " + w for i, w in enumerate(opener.split(" "))]


def word_logprobs(model, tok, user, words):
    """Per-word mean log-probability of the opener's tokens under model, mapped onto the words by
    character offsets exactly as the cloud service's OpenerAlignment does (a token counts for every word
    whose characters it touches); None where the tokens' text does not end with the opener."""
    opener_ids, lps = opener_token_logprobs(model, tok, user, "".join(words))
    if not opener_ids:
        return None
    raw, ends = b"", []
    for t in opener_ids:
        raw += tok.token_bytes(t)
        ends.append(len(raw.decode("utf-8", errors="ignore")))
    if not raw.decode("utf-8", errors="ignore").endswith("".join(words)):
        return None
    bounds, at = [], 0
    for w in words:
        bounds.append((at, at + len(w)))
        at += len(w)
    sums, counts = [0.0] * len(words), [0] * len(words)
    for i, lp in enumerate(lps):
        start = ends[i - 1] if i else 0
        end = max(ends[i], start + 1)
        for w, (ws, we) in enumerate(bounds):
            if start < we and end > ws:
                sums[w] += lp
                counts[w] += 1
    return [sums[w] / counts[w] if counts[w] else 0.0 for w in range(len(words))]


def rewound(opener, scores, threshold):
    """The opener cut before its first word scored below threshold (the service's rewind verdict)."""
    words = opener.split(" ")
    if scores is None:
        return opener
    for i, s in enumerate(scores):
        if s < threshold:
            return " ".join(words[:i])
    return opener


@torch.no_grad()
def perplexity(model, docs):
    """Perplexity of the answer tokens (the reply and its <|im_end|>), given each question: the models are
    trained on answers only, and nothing can predict which question a user asks."""
    nll, n = 0.0, 0
    for ids, start in docs:
        logits = model(torch.tensor([ids[:-1]]))[0].float()
        nll += float(torch.nn.functional.cross_entropy(logits[start - 1:], torch.tensor(ids[start:]), reduction="sum"))
        n += len(ids) - start
    return math.exp(nll / n)


@torch.no_grad()
def routing(model, docs):
    """Per-layer expert load (share of routed slots) and switch rates over consecutive tokens."""
    moes = [b.ffn for b in model.blocks if isinstance(b.ffn, MoE)]
    E = model.c.n_expert
    load = [torch.zeros(E) for _ in moes]
    set_switch = [0] * len(moes)
    top1_switch = [0] * len(moes)
    pairs = 0
    for d in docs:
        model(torch.tensor([d]))
        for i, m in enumerate(moes):
            k = m.last_topk
            load[i] += torch.bincount(k.reshape(-1), minlength=E).float()
            s = k.sort(-1).values
            set_switch[i] += int((s[1:] != s[:-1]).any(-1).sum())
            top1_switch[i] += int((k[1:, 0] != k[:-1, 0]).sum())
        pairs += len(d) - 1
    return [{"layer": i, "load": [round(float(x), 3) for x in load[i] / load[i].sum()],
             "set_switch_rate": round(set_switch[i] / pairs, 3), "top1_switch_rate": round(top1_switch[i] / pairs, 3)}
            for i in range(len(moes))]


def load_rows(name, limit):
    with open(os.path.join(OUT, "corpus", name + ".jsonl")) as f:
        rows = [json.loads(l) for l in f]
    return rows[:limit] if limit else rows


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--quant", default="f16", choices=["f16", "q8_0"])
    ap.add_argument("--models-dir", default=os.path.join(ROOT, "models"))
    ap.add_argument("--micro", help="micro GGUF file (default: the shipped one of --quant)")
    ap.add_argument("--moe", help="MoE GGUF file (default: the shipped one of --quant)")
    ap.add_argument("--micro-synsets", type=int, default=500,
                    help="the micro's training synsets (train.py --synsets): splits the trained-synset questions into"
                         " those both models were taught and those only the MoE was (0: one row)")
    ap.add_argument("--limit", type=int, default=0, help="dialogues per held-out set (0: all)")
    ap.add_argument("--accept", type=float, default=-2.5, help="acceptance threshold, mean log-prob per token")
    ap.add_argument("--rewind", type=float, nargs="*", default=[-10.0, -6.0, -4.0],
                    help="word log-prob thresholds for the rewound 8-word split (-10 is the service's default)")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--json", default=os.path.join(OUT, "eval.json"))
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    t0 = time.time()
    micro, tok, _ = load_gguf(args.micro or os.path.join(args.models_dir, f"overture-micro-{args.quant}.gguf"))
    moe, tok2, _ = load_gguf(args.moe or os.path.join(args.models_dir, f"overture-moe-{args.quant}.gguf"))
    if tok.tokens != tok2.tokens:
        raise SystemExit("the two models must share one tokenizer")
    knowledge = load_rows("eval_knowledge", 0)
    if args.micro_synsets:
        micro_knows = most_familiar(load_rows("train", 0), args.micro_synsets)
        sets = {"taught to both models": [r for r in knowledge if r["rank"] in micro_knows],
                "taught to the MoE only": [r for r in knowledge if r["rank"] not in micro_knows]}
    else:
        sets = {"taught to both models": knowledge}
    sets["taught to neither (unseen synsets)"] = load_rows("eval_unseen", 0)
    sets = {name: rows[:args.limit] if args.limit else rows for name, rows in sets.items()}
    results = {}
    for name, rows in sets.items():
        users, golds = [r["user"] for r in rows], [r["gold"] for r in rows]
        out = {"micro": answers(micro, tok, users), "moe": answers(moe, tok, users)}
        accepted, kept = {}, {}
        for n in SPLITS:
            openers = [" ".join(a.split(" ")[:n]) for a in out["micro"]]
            out[f"split{n}"] = answers(moe, tok, users, openers)
            accepted[n] = [opener_logprob(moe, tok, u, o) >= args.accept for u, o in zip(users, openers)]
        # The service's verdict on the longest opener: rewind to the word before the first one the MoE
        # scores below the threshold, then continue from there.
        openers = [" ".join(a.split(" ")[:SPLITS[-1]]) for a in out["micro"]]
        scores = [word_logprobs(moe, tok, u, opener_words(o)) for u, o in zip(users, openers)]
        for t in args.rewind:
            cut = [rewound(o, sc, t) for o, sc in zip(openers, scores)]
            out[f"rewind{t:g}"] = answers(moe, tok, users, cut)
            kept[t] = sum(len(c.split()) for c in cut) / len(cut)
        f1 = {k: [token_f1(a, g) for a, g in zip(v, golds)] for k, v in out.items()}
        examples = [dict({"user": u, "gold": g}, **{k: v[i] for k, v in out.items()})
                    for i, (u, g) in enumerate(zip(users, golds))]
        docs = encode_all(tok, rows)
        results[name] = {"n": len(rows), "f1": {k: sum(v) / len(v) for k, v in f1.items()},
                         "accept": {n: sum(v) / len(v) for n, v in accepted.items()}, "rewind_kept_words": kept,
                         "ppl_micro": perplexity(micro, docs), "ppl_moe": perplexity(moe, docs),
                         "examples": examples[:8]}
    all_docs = [ids for rows in sets.values() for ids, _ in encode_all(tok, rows)]
    route = routing(moe, all_docs)

    print(f"Held-out evaluation, {args.quant.upper()} weights (token F1 of the answer vs the gold gloss, %)\n")
    print("| set | n | micro alone | MoE alone | split 4 words | split 6 words | split 8 words |"
          " ppl micro | ppl MoE | MoE accepts opener 4/6/8 (%) |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for name, r in results.items():
        f = r["f1"]
        print(f"| {name} | {r['n']} | {100 * f['micro']:.1f} | {100 * f['moe']:.1f} | "
              + " | ".join(f"{100 * f[f'split{n}']:.1f}" for n in SPLITS)
              + f" | {r['ppl_micro']:.2f} | {r['ppl_moe']:.2f} | "
              + " / ".join(f"{100 * r['accept'][n]:.0f}" for n in SPLITS) + " |")
    print(f"\nAcceptance: mean log-prob per opener token under the MoE >= {args.accept} nats.")
    print(f"\nSplit of {SPLITS[-1]} words with the service's rewind verdict: the opener is cut before the first word whose"
          " mean token log-prob under the MoE is below the threshold, and the MoE continues from there.\n")
    print("| set | " + " | ".join(f"rewind at {t:g}: F1 (words kept)" for t in args.rewind) + " |")
    print("|---" * (len(args.rewind) + 1) + "|")
    for name, r in results.items():
        print(f"| {name} | " + " | ".join(f"{100 * r['f1'][f'rewind{t:g}']:.1f} ({r['rewind_kept_words'][t]:.1f})"
                                         for t in args.rewind) + " |")
    print(f"\nMoE routing on held-out text ({sum(len(d) for d in all_docs)} tokens): expert load (% of routed slots),"
          " switch rate = share of consecutive tokens whose top-2 set (top-1 expert) changes\n")
    print("| layer | " + " | ".join(f"e{i}" for i in range(moe.c.n_expert)) + " | top-2 set switch | top-1 switch |")
    print("|---" * (moe.c.n_expert + 3) + "|")
    for l in route:
        print(f"| {l['layer']} | " + " | ".join(f"{100 * x:.1f}" for x in l["load"])
              + f" | {100 * l['set_switch_rate']:.1f}% | {100 * l['top1_switch_rate']:.1f}% |")
    print(f"\n({time.time() - t0:.0f} s)")
    with open(args.json, "w") as fh:
        json.dump({"results": results, "routing": route, "quant": args.quant}, fh, indent=1)


if __name__ == "__main__":
    main()
