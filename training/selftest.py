"""Fast checks of the pipeline's invariants (seconds, CPU): python3 training/selftest.py

- the pre-tokenizer equals the GPT-2 regex (when Debian's python3-regex is installed);
- BPE encode/decode round-trips and merges by rank;
- a GGUF written by gguf.py reads back: metadata types, F16 weights bit-exact, Q8_0 within 0.57 step,
  and the reloaded model gives the same logits as the original with F16-rounded weights;
- the MoE routes top-2 with weights summing to 1;
- packed training rows: each dialogue gets the logits it gets alone from position 0, and targets cover
  exactly its answer tokens;
- opener rows spell the word asked about as their question does (D46);
- later follow-up rounds stay on the training synsets and phrasings (D59);
- the device's decoding rules decide the cases shared with the Java agent as specified (D47, D49, D51).
"""
import os
import random
import sys
import tempfile

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gguf  # noqa: E402
from export import export, load_gguf  # noqa: E402
from model import Config, MoE, Transformer  # noqa: E402
from tokenizer import Tokenizer, pretokenize, train  # noqa: E402

GPT2_PATTERN = r"""'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"""


def check_pretokenizer():
    try:
        import regex
    except ImportError:
        print("pretokenizer: python3-regex not installed, skipped")
        return
    pat = regex.compile(GPT2_PATTERN)
    rng = random.Random(7)
    alphabet = "ab Z1'\n\t.\"é½😀東 "
    texts = ["it's   two  spaces\n\nx", " ", "", "don't 'S 're", "a \n b\n"]
    texts += ["".join(rng.choice(alphabet) for _ in range(rng.randrange(14))) for _ in range(20000)]
    for t in texts:
        assert pat.findall(t) == pretokenize(t), (t, pat.findall(t), pretokenize(t))
    print(f"pretokenizer: matches the GPT-2 regex on {len(texts)} strings")


def check_bpe():
    texts = ["the theremin is an electronic instrument"] * 5 + ["then there were three"] * 3
    tok = Tokenizer(train(texts, 300))
    for t in texts + ["unseen wörds 123", "<|im_start|>user\nhi<|im_end|>"]:
        assert tok.decode(tok.encode(t)) == t, t
    assert tok.encode("<|im_start|><|im_end|>") == [1, 2]
    assert len(set(tok.tokens)) == len(tok.tokens)
    print(f"bpe: round trip ok, {len(tok.merges)} merges, ' the' -> {tok.encode(' the')}")
    return tok


def check_gguf(tok):
    torch.manual_seed(0)
    for cfg in (Config(name="t-dense", vocab_size=len(tok.tokens), n_embd=64, n_layer=2, n_head=4, n_head_kv=2, n_ff=96),
                Config(name="t-moe", vocab_size=len(tok.tokens), n_embd=64, n_layer=2, n_head=4, n_head_kv=2, n_ff=64,
                       n_expert=4, n_expert_used=2)):
        model = Transformer(cfg).eval()
        with tempfile.TemporaryDirectory() as d:
            p16, p8 = os.path.join(d, "m16.gguf"), os.path.join(d, "m8.gguf")
            export(model, tok, p16, gguf.F16)
            export(model, tok, p8, gguf.Q8_0)
            back, tok2, r = load_gguf(p16)
            assert tok2.tokens == tok.tokens and r.types["llama.context_length"] == gguf.UINT32
            assert r.types["llama.rope.freq_base"] == gguf.FLOAT32 and r.kv["tokenizer.ggml.model"] == "gpt2"
            assert "output.weight" not in r.tensors
            assert r.tensors["token_embd.weight"][0] == (cfg.vocab_size, cfg.n_embd)
            for (n, a), b in zip(model.state_dict().items(), back.state_dict().values()):
                assert torch.equal(a.half().float(), b) if a.dim() >= 2 and "router" not in n else torch.equal(a, b), n
            back8, _, r8 = load_gguf(p8)
            for (n, a), b in zip(model.state_dict().items(), back8.state_dict().values()):
                step = a.abs().max() / 127
                assert float((a - b).abs().max()) <= float(step) * 0.57, n  # half a step + fp16 scale rounding
            rounded = Transformer(cfg).eval()
            rounded.load_state_dict({k: (v.half().float() if v.dim() >= 2 and "router" not in k else v)
                                     for k, v in model.state_dict().items()})
            x = torch.tensor([tok.encode("the theremin is")])
            assert torch.allclose(rounded(x), back(x), atol=1e-5)
            greedy = back.generate(x[0].tolist(), 5)
            full = x[0].tolist()
            for t in greedy:  # KV-cache decoding equals recomputing the whole sequence
                assert int(back(torch.tensor([full]))[0, -1].argmax()) == t
                full.append(t)
            prompts = [tok.encode(t) for t in ("the theremin is", "then", "three were there the")]
            assert back.generate_batch(prompts, 6) == [back.generate(p, 6) for p in prompts]  # left padding
        print(f"gguf: {cfg.name} F16 exact, Q8_0 within 0.57 step, KV cache and batched decoding consistent")


def check_moe_routing():
    cfg = Config(name="t", vocab_size=300, n_embd=64, n_layer=1, n_head=4, n_head_kv=2, n_ff=64, n_expert=4,
                 n_expert_used=2)
    m = Transformer(cfg).train()
    m(torch.randint(0, 300, (2, 16)))
    moe = m.blocks[0].ffn
    assert moe.last_topk.shape == (32, 2) and (moe.last_topk[:, 0] != moe.last_topk[:, 1]).all()
    assert m.aux_loss() is not None and 0.5 < float(m.aux_loss()) < cfg.n_expert
    print("moe: top-2 routing and load-balancing loss ok")
    # The grouped path (fine-grained MoEs) computes the per-expert loop's sum, gradients included, also
    # when the load is skewed (one expert's router row scaled up) and some experts get no token.
    fine = MoE(Config(name="t", vocab_size=300, n_embd=32, n_layer=1, n_head=4, n_head_kv=2, n_ff=16,
                      n_expert=16, n_expert_used=4))
    with torch.no_grad():
        fine.router.weight[3] *= 8
    x = torch.randn(200, 32)
    with torch.no_grad():
        top = fine.router(x).topk(4, -1)
    weights = top.values.softmax(-1)
    grads = []
    for mix in (fine._looped, fine._grouped):
        fine.zero_grad()
        xi = x.clone().requires_grad_(True)
        out = mix(xi, top.indices, weights)
        (out * torch.arange(32.0)).sum().backward()
        grads.append((out.detach(), xi.grad, fine.w_gate.grad.clone(), fine.w_down.grad.clone()))
    assert all(torch.allclose(a, b, atol=1e-5) for a, b in zip(*grads))
    print("moe: grouped expert computation matches the per-expert loop (outputs and gradients)")


def check_sticky_routing():
    # Training with the sticky policy in the loop (D45) must route as the runtime's StickyRouter: cost 0 is
    # exact top-k, cost 1 keeps each dialogue's first set, and a history restarts at every dialogue.
    torch.manual_seed(5)
    c = Config(name="t", vocab_size=50, n_embd=16, n_layer=1, n_head=2, n_head_kv=1, n_ff=8, n_expert=16, n_expert_used=4)
    moe = MoE(c)
    x = torch.randn(2, 12, c.n_embd)
    starts = torch.zeros(2, 12, dtype=torch.bool)
    starts[:, 0] = True
    starts[0, 7] = True
    starts = starts.reshape(-1)
    moe(x, starts)
    exact = moe.last_topk.sort(-1).values
    moe.switch_cost = 0.0
    moe(x, starts)
    assert torch.equal(moe.last_topk.sort(-1).values, exact)
    moe.switch_cost = 1.0
    moe.train()
    moe(x, starts)
    sets = moe.last_topk.sort(-1).values
    for t in range(24):
        first = max(i for i in range(t + 1) if starts[i])
        assert torch.equal(sets[t], exact[first]), t
    assert moe.switch_rate == 0.0 and moe.switch_loss is not None and moe.switch_loss.requires_grad
    print("moe: sticky routing keeps each dialogue's set at cost 1 and equals top-k at cost 0")


def check_balance_window():
    # D58: balanced per batch, the loss pushes a batch off the experts it uses, which fights a dialogue
    # keeping its set; balanced over a window of batches, it leaves a batch's choice alone while all
    # experts are used evenly overall, and pushes an expert down once the window overuses it.
    torch.manual_seed(7)
    c = Config(name="t", vocab_size=50, n_embd=16, n_layer=1, n_head=2, n_head_kv=1, n_ff=8, n_expert=8, n_expert_used=2)
    moe = MoE(c).train()
    x = torch.randn(1, 40, c.n_embd)

    def aux_grad():
        moe.zero_grad()
        moe(x)
        moe.aux_loss.backward()
        return moe.router.weight.grad.clone(), moe.last_topk

    per_batch, _ = aux_grad()
    moe.balance_decay = 0.99
    moe.usage.fill_(1.0 / c.n_expert)
    window_even, top = aux_grad()
    assert per_batch.abs().max() > 1e-3
    assert window_even.abs().max() < 0.05 * per_batch.abs().max(), (window_even.abs().max(), per_batch.abs().max())
    hot = int(top.reshape(-1).bincount(minlength=c.n_expert).argmax())
    moe.usage.fill_(0.5 / (c.n_expert - 1)).index_fill_(0, torch.tensor([hot]), 0.5)
    probs_before = moe.router(x.reshape(-1, c.n_embd)).softmax(-1)[:, hot].mean()
    window_skewed, _ = aux_grad()
    with torch.no_grad():
        moe.router.weight -= 0.5 * window_skewed
    probs_after = moe.router(x.reshape(-1, c.n_embd)).softmax(-1)[:, hot].mean()
    assert probs_after < probs_before, (probs_before, probs_after)
    print("moe: balance over a window leaves an evenly used router alone and pushes an overused expert down")


def check_packing():
    from train import Batches
    cfg = Config(name="t", vocab_size=300, n_embd=64, n_layer=2, n_head=4, n_head_kv=2, n_ff=64)
    m = Transformer(cfg).eval()
    rng = random.Random(7)
    docs = []
    for _ in range(12):
        n = rng.randrange(6, 20)
        ids = [rng.randrange(4, 300) for _ in range(n)]
        a = rng.randrange(2, n - 2)  # two loss spans, as a two-turn dialogue has
        b = rng.randrange(a + 1, n - 1)
        docs.append((ids, [(a, b), (b + 1, n)]))
    x, y, pos, seg = Batches(docs, 2, 48, seed=3).next()
    with torch.no_grad():
        packed = m(x, positions=pos, segments=seg)
        for b in range(2):
            for k in range(int(seg[b].max()) + 1):
                cols = (seg[b] == k).nonzero()[:, 0]
                ids = x[b, cols]
                alone = m(ids[None])[0]
                assert torch.allclose(packed[b, cols], alone, atol=1e-5), "packed row leaks across dialogues"
                doc = next(d for d in docs if d[0][:len(ids)] == ids.tolist())
                want = [-100] * (len(doc[0]) - 1)
                for s0, s1 in doc[1]:  # target j predicts token j + 1
                    want[s0 - 1:s1 - 1] = doc[0][s0:s1]
                assert y[b, cols].tolist() == want[:len(cols)], "targets are not the answer tokens"
    print("packing: dialogues isolated in packed rows, targets are the answers")


def check_faithful_copy():
    """The evaluation's copy of the device's decoding rules decides the shared cases as the Java one must."""
    import json
    import faithful_copy
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "models", "fixtures", "faithful-copy.json")
    with open(path) as f:
        fixture = json.load(f)
    def field(c, name):
        return bytes.fromhex(c[name + "_hex"]) if name + "_hex" in c else c[name].encode("utf-8")
    for c in fixture["cases"]:
        got = faithful_copy.faithful(field(c, "spoken"), b" " if c.get("ends") else field(c, "candidate"),
                                     faithful_copy.user_words([c["user"]]))
        assert got == c["faithful"], c

    class Vocabulary:
        def __init__(self, tokens):
            self.tokens = [t[0] for t in tokens]
            self.bytes = [bytes.fromhex(t[0]) if t[2:] == ["hex"] else t[0].encode("utf-8") for t in tokens]

        def token_bytes(self, i):
            return self.bytes[i]

    for c in fixture["choices"]:
        vocab = Vocabulary(c["tokens"])
        ids = {p: i for i, p in enumerate(vocab.tokens)}
        rule = faithful_copy.FaithfulCopy(vocab, c["users"], field(c, "spoken"), stop=[ids[p] for p in c.get("ends", [])],
                                          control=[ids[p] for p in c.get("control", [])])
        got = vocab.tokens[rule.choose(torch.tensor([t[1] for t in c["tokens"]]))]
        assert got == c["choice"], (c, got)
    print(f"decoding rules: {len(fixture['cases'])} faithful-copy cases and {len(fixture['choices'])} choices decided as specified")


def check_opener_forms():
    """Every opener row the corpus draws spells its lemma as its question does (D46), whichever kind, part of
    speech and phrasing it was drawn with."""
    import corpus
    rng, form_rng = random.Random(5), random.Random(6)
    for i in range(3000):
        pos = "nvar"[i % 4]
        row = corpus.opener_dialogue(rng, "theremin", pos, form_rng=form_rng)
        q = row["user"]
        want = "spaced" if " theremin" in q else "bare"
        if "theremin" in row["assistant"]:
            got = "spaced" if " theremin" in row["assistant"] else "bare"
            assert got == want and "Theremin" not in row["assistant"], (q, row["assistant"])
    print("corpus: opener rows spell the lemma as their question does")


def check_follow_up_rounds():
    """The later follow-up rounds (D59) ask only about the synsets the first two rounds train, only in
    training phrasings, each row tagged with its round."""
    import corpus
    train = [dict(synset=f"s{i}", rank=i, kind=kind, user=f"q {kind} {i}", assistant=f"a {kind} {i}")
             for i in range(40) for kind in ("definition", "kind", "synonym")]
    by_synset = {}
    for r in train:
        by_synset.setdefault(r["synset"], []).append(r)
    train_ids = [f"s{i}" for i in range(10, 40)]
    rows = corpus.more_follow_ups(train, by_synset, train_ids, seed=3)
    assert len(rows) == (corpus.FOLLOW_ROUNDS - 2) * len(train_ids), len(rows)
    held = {phr[-1] for phr in corpus.FOLLOW_Q.values()}
    for r in rows:
        assert 2 <= r["round"] < corpus.FOLLOW_ROUNDS and r["synset"] in train_ids and r["user"] not in held, r
        assert r["ranks"] == sorted({r["rank"], int(r["history"][0][1].split()[-1])}), r
    print("corpus: later follow-up rounds stay on the training synsets and phrasings")


def check_heard_verdict():
    """evaluate.py's verdict as heard decides as the service's OpenerVerifier (its unit test's cases)."""
    from evaluate import heard_verdict  # noqa: E402
    cases = [  # scores, heard, rewind bar, repair bar -> verdict (OpenerVerifierTest)
        ([-1, -7.9, -2], 0, -8, -8, ("accept", None)),
        ([-1, -2, -9, -1], 2, -8, -8, ("rewind", 2)),
        ([-1, -9, -1], 2, -8, -8, ("repair", None)),
        ([-4, -1, -4, -1], 1, -3, -6, ("rewind", 2)),
        ([-4, -1, -1], 1, -3, -6, ("accept", None)),
        ([-7, -1, -4], 1, -3, -6, ("repair", None)),
        ([-4, -1], 0, -3, -6, ("rewind", 0)),
        ([-4, -1], 1, -6, -3, ("accept", None)),  # a repair bar above the rewind bar is capped by it
        (None, 1, -3, -6, ("accept", None)),
    ]
    for scores, heard, rewind, repair, want in cases:
        got = heard_verdict(scores, heard, rewind, repair)
        assert got == want, (scores, heard, rewind, repair, got, want)
    print(f"verdict: {len(cases)} cases decided as the service's OpenerVerifier decides them")


if __name__ == "__main__":
    np.seterr(all="ignore")
    check_pretokenizer()
    check_moe_routing()
    check_sticky_routing()
    check_balance_window()
    check_packing()
    check_opener_forms()
    check_follow_up_rounds()
    check_faithful_copy()
    check_heard_verdict()
    check_gguf(check_bpe())
    print("selftest: all checks passed")
