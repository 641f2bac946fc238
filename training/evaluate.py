"""Evaluates the shipped GGUF models (their exact weights, float32 math) on the held-out sets.

Usage: python3 training/evaluate.py [--quant f16|q8_0] [--limit N] [--threads T]

Question sets: definitions of trained synsets asked in the two never-trained phrasings, split into the
synsets both models were taught and those only the MoE was (--micro-synsets), and definitions of synsets
neither was taught. Prints (markdown) answer accuracy = token F1 of the answer against the gold WordNet gloss for the micro
model alone, the MoE alone and the split (the micro's first 4/6/8 words, continued greedily by the MoE
with the opener as an assistant prefix); the split with the service's verdict at several thresholds, and
its rates (accept / rewind / repair, D62: as heard); perplexity of each model on the held-out dialogues;
what the openers name; and the MoE's routing on held-out text (per-layer expert load, switch rate of
consecutive tokens).
"""
import argparse
import json
import math
import os
import re
import statistics
import sys
import time
from collections import Counter

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import blas_threads  # noqa: E402,F401  (before torch: OpenBLAS must not start its own threads)
import torch  # noqa: E402

from corpus import REPAIR_BRIDGES, chatml  # noqa: E402
from export import ROOT, load_gguf  # noqa: E402
from faithful_copy import FaithfulCopy, WellFormed  # noqa: E402
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


def prompt_text(row):
    """The generation prompt of a held-out row: its earlier turns, if any, then its question."""
    return chatml(row["user"], history=[tuple(t) for t in row.get("history", ())])


def answers(model, tok, prompts, prefixes=None, batch=32, cache=None, copy_from=None, plain=False):
    """Greedy answers (prefix + continuation, without <|im_end|>) to each generation prompt; cache, a dict
    kept per model, skips (prompt, prefix) pairs generated before (the verdict thresholds often agree).
    copy_from, {prompt: the user's texts}, decodes as the device does (faithful_copy.FaithfulCopy: D47, D49, D51);
    without it, as the cloud does (faithful_copy.WellFormed, D51), or plain greedy with plain."""
    prefixes = prefixes or [""] * len(prompts)
    cache = {} if cache is None else cache
    todo = sorted({(u, p) for u, p in zip(prompts, prefixes) if (u, p) not in cache})
    for i in range(0, len(todo), batch):
        group = todo[i:i + batch]
        ids = [tok.encode(u + p) for u, p in group]
        if copy_from:
            choosers = [FaithfulCopy(tok, copy_from[u], p, stop=[EOS]) for u, p in group]
        else:
            choosers = None if plain else [WellFormed(tok, p, stop=[EOS]) for u, p in group]
        for (u, p), gen in zip(group, model.generate_batch(ids, MAX_NEW, stop=EOS, choosers=choosers)):
            cache[(u, p)] = p + tok.decode(gen[:-1] if gen and gen[-1] == EOS else gen)
    return [cache[(u, p)] for u, p in zip(prompts, prefixes)]


@torch.no_grad()
def opener_token_logprobs(model, tok, prompt, opener):
    """(opener token ids, their log-probs under model given the generation prompt); the opener's tokens are
    those after the prompt's in the tokenization of prompt + opener."""
    p = tok.encode(prompt)
    full = tok.encode(prompt + opener)
    if full[:len(p)] != p or len(full) == len(p):
        return [], []
    logp = model(torch.tensor([full[:-1]]))[0].float().log_softmax(-1)
    ids = full[len(p):]
    return ids, [float(x) for x in logp[len(p) - 1:].gather(1, torch.tensor(ids)[:, None])[:, 0]]


def opener_logprob(model, tok, prompt, opener):
    """Mean log-prob per opener token under model, given the generation prompt."""
    _, lps = opener_token_logprobs(model, tok, prompt, opener)
    return sum(lps) / len(lps) if lps else 0.0


def opener_words(opener):
    """The opener's words as the device commits them: each with its leading space."""
    return [w if i == 0 else " " + w for i, w in enumerate(opener.split(" "))]


def word_logprobs(model, tok, prompt, words):
    """Per-word mean log-probability of the opener's tokens under model, mapped onto the words by
    character offsets exactly as the cloud service's OpenerAlignment does (a token counts for every word
    whose characters it touches); None where the tokens' text does not end with the opener."""
    opener_ids, lps = opener_token_logprobs(model, tok, prompt, "".join(words))
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


def first_bad_word(scores, threshold):
    """Index of the first word scored below threshold (the service's verdict), None when all pass."""
    for i, s in enumerate(scores or ()):
        if s < threshold:
            return i
    return None


def heard_verdict(scores, heard, rewind_bar, repair_bar):
    """The service's verdict (OpenerVerifier, D62) on an opener's word scores when its first `heard` words
    were heard: ("repair", None) when a heard word is below the lower of the two bars, else ("rewind", i)
    at the first later word below the rewind bar, else ("accept", None). Unscored openers are accepted."""
    scores = scores or []
    k = min(heard, len(scores))
    if any(x < min(repair_bar, rewind_bar) for x in scores[:k]):
        return "repair", None
    bad = next((j for j in range(k, len(scores)) if scores[j] < rewind_bar), None)
    return ("accept", None) if bad is None else ("rewind", bad)


def cut_before(opener, word):
    """The opener cut before its word `word` (None: the whole opener), as a rewind leaves it."""
    return opener if word is None else " ".join(opener.split(" ")[:word])


# Words an opener uses to restate the question, not to state a fact (the answer templates' own words).
RESTATEMENT_WORDS = set("""word means refers to is verb adverb something described as another for can also be called
synonym of kind type belongs category parts include has such consists opposite antonym example here you could say
part find way doing what meaning""".split()) | {"a", "an", "the", "in", "on", "and", "or", "it", "its", "that",
                                                 "this", "with", "by", "from", "at"}


def names_lemma(opener, lemma):
    """Whether the opener restates the lemma asked about, exactly (case aside)."""
    return re.search(r"(?<!\w)" + re.escape(lemma.lower()) + r"(?!\w)", opener.lower()) is not None


def held_out_phrasing(row):
    """Whether row's question uses one of the phrasings no training dialogue uses (corpus.py keeps
    "explain" and "like to know" out of training)."""
    u = row["user"].lower()
    return "explain" in u or "like to know" in u


def share(flags):
    return sum(flags) / len(flags) if flags else None


def wrong_fact(opener, lemma, gold):
    """Whether the opener's words state something the gold answer does not: a content word (not a
    restatement word, not the lemma's) absent from the gold."""
    own = set(words(lemma)) | RESTATEMENT_WORDS
    gold_words = set(words(gold))
    return any(w not in own and w not in gold_words for w in words(opener))


@torch.no_grad()
def perplexity(model, docs):
    """Perplexity of the answer tokens (each reply and its <|im_end|>), given each question: the models are
    trained on answers only, and nothing can predict which question a user asks."""
    nll, n = 0.0, 0
    for ids, spans in docs:
        logits = model(torch.tensor([ids[:-1]]))[0].float()
        for s0, s1 in spans:
            nll += float(torch.nn.functional.cross_entropy(logits[s0 - 1:s1 - 1], torch.tensor(ids[s0:s1]), reduction="sum"))
            n += s1 - s0
    return math.exp(nll / n)


def holding(load, share=0.9):
    """The fewest experts whose loads sum to `share` of the routed slots."""
    need, total, n = share * float(sum(load)), 0.0, 0
    for x in sorted((float(v) for v in load), reverse=True):
        if total >= need:
            break
        total, n = total + x, n + 1
    return n


@torch.no_grad()
def routing(model, docs):
    """Per-layer expert load (share of routed slots), switch rates over consecutive tokens, and how many
    experts hold 90% of the slots over all documents and within the median document (D58: an offloading
    cache wants few experts per dialogue, a healthy router many over all of them)."""
    moes = [b.ffn for b in model.blocks if isinstance(b.ffn, MoE)]
    E = model.c.n_expert
    load = [torch.zeros(E) for _ in moes]
    per_doc = [[] for _ in moes]
    set_switch = [0] * len(moes)
    top1_switch = [0] * len(moes)
    changed = [0] * len(moes)  # experts of a token's set that the previous token's set lacks
    pairs = 0
    for d in docs:
        model(torch.tensor([d]))
        for i, m in enumerate(moes):
            k = m.last_topk
            counts = torch.bincount(k.reshape(-1), minlength=E).float()
            load[i] += counts
            per_doc[i].append(holding(counts.tolist()))
            s = k.sort(-1).values
            set_switch[i] += int((s[1:] != s[:-1]).any(-1).sum())
            top1_switch[i] += int((k[1:, 0] != k[:-1, 0]).sum())
            kept = (k[1:, :, None] == k[:-1, None, :]).any(-1).sum(-1)
            changed[i] += int((k.shape[1] - kept).sum())
        pairs += len(d) - 1
    return [{"layer": i, "load": [round(float(x), 3) for x in load[i] / load[i].sum()],
             "set_switch_rate": round(set_switch[i] / pairs, 3), "top1_switch_rate": round(top1_switch[i] / pairs, 3),
             "changed_per_token": round(changed[i] / pairs, 3), "holding90": holding(load[i].tolist()),
             "holding90_per_doc": float(statistics.median(per_doc[i]))}
            for i in range(len(moes))]


def load_rows(name, limit):
    with open(os.path.join(OUT, "corpus", name + ".jsonl")) as f:
        rows = [json.loads(l) for l in f]
    return rows[:limit] if limit else rows


def question_sets(args):
    knowledge = load_rows("eval_knowledge", 0)
    micro_knows = most_familiar(load_rows("train", 0), args.micro_synsets) if args.micro_synsets else None
    sets = {"taught to both models": [r for r in knowledge if micro_knows is None or r["rank"] in micro_knows]}
    if micro_knows is not None:
        sets["taught to the MoE only"] = [r for r in knowledge if r["rank"] not in micro_knows]
    sets["taught to neither (unseen synsets)"] = load_rows("eval_unseen", 0)
    sets["lemmas no training text mentions"] = load_rows("eval_lemmas", 0)
    follow = load_rows("eval_followup", args.limit)
    sets["follow-ups (two turns)"] = follow
    sets["the follow-ups asked alone"] = [dict({k: v for k, v in r.items() if k != "history"}, user=r["alone"]) for r in follow]
    return {name: rows[:args.limit] if args.limit else rows for name, rows in sets.items()}


def evaluate_set(rows, micro, moe, tok, args, caches):
    prompts, golds = [prompt_text(r) for r in rows], [r["gold"] for r in rows]
    # The micro decodes as the device does (D47, D49, D51), unless --raw-micro; the MoE as the cloud does (D51).
    copy_from = None if args.raw_micro else {p: [r["user"]] + [u for u, _ in r.get("history", ())][-1:] for p, r in zip(prompts, rows)}
    out = {"micro": answers(micro, tok, prompts, cache=caches["micro"], copy_from=copy_from, plain=args.raw_micro),
           "moe": answers(moe, tok, prompts, cache=caches["moe"])}
    verdicts = {}
    word_scores, split_openers = {}, {}
    for n in SPLITS:
        openers = split_openers[n] = [" ".join(a.split(" ")[:n]) for a in out["micro"]]
        out[f"split{n}"] = answers(moe, tok, prompts, openers, cache=caches["moe"])
        scores = word_scores[n] = [word_logprobs(moe, tok, p, opener_words(o)) for p, o in zip(prompts, openers)]
        for t in args.rewind:
            bad = [first_bad_word(sc, t) for sc in scores]
            cut = [cut_before(o, b) for o, b in zip(openers, bad)]
            out[f"verdict{n}@{t:g}"] = answers(moe, tok, prompts, cut, cache=caches["moe"])
            verdicts[f"{n}@{t:g}"] = {"accept": sum(b is None for b in bad) / len(bad),
                                      "rewind": sum(b is not None and b >= args.heard for b in bad) / len(bad),
                                      "repair": sum(b is not None and b < args.heard for b in bad) / len(bad),
                                      "kept_words": sum(len(c.split()) for c in cut) / len(cut)}
    # A repair as the service makes it: the words already heard, a bridge, then the MoE restarts the answer;
    # scored on what follows the bridge.
    heard = [" ".join(a.split(" ")[:args.heard]) for a in out["micro"]]
    bridged = answers(moe, tok, prompts, [h + REPAIR_BRIDGES[-1] for h in heard], cache=caches["moe"])
    out["repair"] = [a[len(h + REPAIR_BRIDGES[-1]):] for a, h in zip(bridged, heard)]
    # The verdict as the service gives it since D62, and as the user hears it: a heard word cannot be
    # unsaid, so a bad one among the first --heard words is repaired, and only below the repair
    # threshold; a later bad word below the rewind threshold is rewound. A repair, as HandoffSession makes
    # it, keeps every committed opener word, says the bridge, and the MoE answers again after opener +
    # bridge: scored on the opener and that answer (the bridge itself is not). A repair is needless when
    # the opener states no wrong fact (wrong_fact): the user hears an apology for a right opener.
    for n in SPLITS:
        openers, scores = split_openers[n], word_scores[n]
        restarts = [a[len(o + REPAIR_BRIDGES[-1]):] for a, o in zip(
            answers(moe, tok, prompts, [o + REPAIR_BRIDGES[-1] for o in openers], cache=caches["moe"]), openers)]
        for t in args.rewind:
            for tr in args.repair:
                if tr > t:
                    continue
                spoken, kinds = [], []
                for o, sc in zip(openers, scores):
                    kind, bad = heard_verdict(sc, args.heard, t, tr)
                    kinds.append(kind)
                    spoken.append(None if kind == "repair" else cut_before(o, bad))
                cont = answers(moe, tok, [p for p, c in zip(prompts, spoken) if c is not None],
                               [c for c in spoken if c is not None], cache=caches["moe"])
                it = iter(cont)
                said = [next(it) if c is not None else o + " " + r.lstrip()
                        for c, o, r in zip(spoken, openers, restarts)]
                key = f"{n}@{t:g}/{tr:g}"
                out[f"honest{key}"] = said
                needless = [kind == "repair" and not wrong_fact(o, r["lemma"], g)
                            for kind, o, r, g in zip(kinds, openers, rows, golds)]
                verdicts[f"honest{key}"] = {kind: kinds.count(kind) / len(kinds) for kind in ("accept", "rewind", "repair")}
                verdicts[f"honest{key}"]["needless_repair"] = sum(needless) / len(needless)
    f1 = {k: sum(token_f1(a, g) for a, g in zip(v, golds)) / len(v) for k, v in out.items()}
    named = [names_lemma(" ".join(a.split(" ")[:SPLITS[0] + len(r["lemma"].split()) - 1]), r["lemma"]) for a, r in zip(out["micro"], rows)]
    correctness = {"names_lemma": share(named),
                   "names_lemma_trained_phrasing": share([k for k, r in zip(named, rows) if not held_out_phrasing(r)]),
                   "names_lemma_held_out_phrasing": share([k for k, r in zip(named, rows) if held_out_phrasing(r)])}
    for n in SPLITS:
        correctness[f"wrong_fact{n}"] = sum(wrong_fact(" ".join(a.split(" ")[:n]), r["lemma"], g)
                                            for a, r, g in zip(out["micro"], rows, golds)) / len(rows)
    # Only each dialogue's last answer: a follow-up's first answer is a training answer word for word.
    docs = [(ids, spans[-1:]) for ids, spans in encode_all(tok, rows)]
    examples = [dict({"prompt": p, "gold": g}, **{k: v[i] for k, v in out.items() if not k.startswith(("verdict", "honest"))})
                for i, (p, g) in enumerate(zip(prompts, golds))]
    return {"n": len(rows), "f1": f1, "verdicts": verdicts, "openers": correctness,
            "ppl_micro": perplexity(micro, docs), "ppl_moe": perplexity(moe, docs), "examples": examples[:8]}


def pct(x):
    return f"{100 * x:.1f}"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--quant", default="q8_0", choices=["f16", "q8_0"])
    ap.add_argument("--models-dir", default=os.path.join(ROOT, "models"))
    ap.add_argument("--micro", help="micro GGUF file (default: the shipped one of --quant)")
    ap.add_argument("--moe", help="MoE GGUF file (default: the shipped one of --quant)")
    ap.add_argument("--micro-synsets", type=int, default=500,
                    help="the micro's training synsets (train.py --synsets): splits the trained-synset questions into"
                         " those both models were taught and those only the MoE was (0: one row)")
    ap.add_argument("--limit", type=int, default=0, help="dialogues per held-out set (0: all)")
    ap.add_argument("--rewind", type=float, nargs="*", default=[-10.0, -6.0, -4.0, -3.0, -2.0],
                    help="verdict thresholds: a word is bad below this mean token log-prob (the service's min-word-logprob)")
    ap.add_argument("--repair", type=float, nargs="*", default=[-10.0, -8.0, -6.0, -4.0, -3.0],
                    help="repair thresholds: a heard word is repaired only below this (the service's"
                         " min-heard-word-logprob); each pair with a rewind threshold at least as high is measured")
    ap.add_argument("--heard", type=int, default=1,
                    help="opener words already heard when the verdict arrives: a bad word among them is a repair, a later"
                         " one a rewind (1: the replay found the first word playing before any verdict)")
    ap.add_argument("--raw-micro", action="store_true",
                    help="plain greedy openers, without the device's decoding rules (D47, D49, D51)")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--json", default=os.path.join(OUT, "eval.json"))
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    t0 = time.time()
    micro, tok, _ = load_gguf(args.micro or os.path.join(args.models_dir, f"overture-micro-{args.quant}.gguf"))
    moe, tok2, _ = load_gguf(args.moe or os.path.join(args.models_dir, f"overture-moe-{args.quant}.gguf"))
    if tok.tokens != tok2.tokens:
        raise SystemExit("the two models must share one tokenizer")
    caches = {"micro": {}, "moe": {}}
    results = {name: evaluate_set(rows, micro, moe, tok, args, caches) for name, rows in question_sets(args).items()}
    route = routing(moe, [ids for rows in [load_rows("eval_knowledge", 0), load_rows("eval_unseen", 0)]
                          for ids, _ in encode_all(tok, rows)])

    print(f"Held-out evaluation, {args.quant.upper()} weights (token F1 of the answer vs the gold answer, %)\n")
    print("| set | n | micro alone | MoE alone | split 4 / 6 / 8 words | ppl micro | ppl MoE |")
    print("|---|---|---|---|---|---|---|")
    for name, r in results.items():
        f = r["f1"]
        print(f"| {name} | {r['n']} | {pct(f['micro'])} | {pct(f['moe'])} | "
              + " / ".join(pct(f[f"split{n}"]) for n in SPLITS) + f" | {r['ppl_micro']:.2f} | {r['ppl_moe']:.2f} |")
    print(f"\nSplit with the service's verdict: the opener of 4 / 6 / 8 words is cut before its first word whose mean"
          f" token log-prob under the MoE is below the threshold, and the MoE continues from there. F1 (%), then"
          f" the verdict's rates on the 8-word opener: accept / rewind / repair (%), a bad word among the first"
          f" {args.heard} being a repair (already heard).\n")
    print("| set | " + " | ".join(f"verdict at {t:g}" for t in args.rewind) + " |")
    print("|---" * (len(args.rewind) + 1) + "|")
    for name, r in results.items():
        cells = []
        for t in args.rewind:
            v = r["verdicts"][f"{SPLITS[-1]}@{t:g}"]
            cells.append(" / ".join(pct(r["f1"][f"verdict{n}@{t:g}"]) for n in SPLITS)
                         + f" ({pct(v['accept'])} / {pct(v['rewind'])} / {pct(v['repair'])})")
        print(f"| {name} | " + " | ".join(cells) + " |")
    print(f"\nThe verdict as heard (D62): a bad word among the first {args.heard} is repaired, and only below the"
          " repair threshold (the whole opener is spoken, then the bridge, then the MoE answers again; the bridge is not scored); a later bad word"
          " below the rewind threshold is rewound. F1 (%) at 4 / 8 words, then on the 4-word opener: repairs /"
          " needless repairs (the opener states no wrong fact) (%).\n")
    pairs = [(t, tr) for t in args.rewind for tr in args.repair if tr <= t]
    names = list(results)
    print("| rewind / repair | " + " | ".join(names) + " |")
    print("|---" * (len(names) + 1) + "|")
    for t, tr in pairs:
        cells = []
        for name in names:
            r = results[name]
            v = r["verdicts"][f"honest{SPLITS[0]}@{t:g}/{tr:g}"]
            cells.append(pct(r["f1"][f"honest{SPLITS[0]}@{t:g}/{tr:g}"]) + " / " + pct(r["f1"][f"honest{SPLITS[-1]}@{t:g}/{tr:g}"])
                         + f" ({pct(v['repair'])} / {pct(v['needless_repair'])})")
        print(f"| {t:g} / {tr:g} | " + " | ".join(cells) + " |")
    print(f"\nAfter a repair bridge: the first {args.heard} opener word(s), \"{REPAIR_BRIDGES[-1].strip()}\", then the MoE;"
          " F1 (%) of what follows the bridge, against the MoE's plain answer.\n")
    print("| set | MoE alone | after a repair bridge |")
    print("|---|---|---|")
    for name, r in results.items():
        print(f"| {name} | {pct(r['f1']['moe'])} | {pct(r['f1']['repair'])} |")
    print("\nOpeners: the share of the micro's openers that name the word asked about within their first"
          f" {SPLITS[0]} words (more for a multi-word lemma), and that state a wrong fact (a content word absent"
          " from the gold answer) within 4 / 6 / 8 words (%).\n")
    print("| set | names the lemma | in training phrasings | in held-out phrasings | wrong fact 4 / 6 / 8 |")
    print("|---|---|---|---|---|")
    for name, r in results.items():
        o = r["openers"]
        cells = [pct(o[k]) if o.get(k) is not None else "-" for k in ("names_lemma", "names_lemma_trained_phrasing", "names_lemma_held_out_phrasing")]
        print(f"| {name} | " + " | ".join(cells) + " | " + " / ".join(pct(o[f"wrong_fact{n}"]) for n in SPLITS) + " |")
    print(f"\nMoE routing on held-out text: expert load (% of routed slots), switch rate = share of consecutive"
          " tokens whose top-k set (top-1 expert) changes\n")
    tail = " | top-k set switch | top-1 switch | experts changed per token |"
    if moe.c.n_expert <= 16:
        print("| layer | " + " | ".join(f"e{i}" for i in range(moe.c.n_expert)) + tail)
        print("|---" * (moe.c.n_expert + 4) + "|")
    else:  # too many experts for a column each: the spread of the load
        print("| layer | least loaded | median | most loaded | experts under a quarter of the even share"
              " | experts holding 90%: all / median dialogue" + tail)
        print("|---" * 9 + "|")
    for l in route:
        if moe.c.n_expert <= 16:
            row = " | ".join(f"{100 * x:.1f}" for x in l["load"])
        else:
            load = sorted(l["load"])
            row = (" | ".join(f"{100 * x:.1f}" for x in (load[0], load[len(load) // 2], load[-1]))
                   + f" | {sum(x < 0.25 / len(load) for x in load)} | {l['holding90']} / {l['holding90_per_doc']:g}")
        print(f"| {l['layer']} | {row} | {100 * l['set_switch_rate']:.1f}% | {100 * l['top1_switch_rate']:.1f}% | "
              f"{l['changed_per_token']:.2f} of {moe.c.n_expert_used} |")
    print(f"\n({time.time() - t0:.0f} s)")
    with open(args.json, "w") as fh:
        json.dump({"results": results, "routing": route, "quant": args.quant}, fh, indent=1)


if __name__ == "__main__":
    main()
