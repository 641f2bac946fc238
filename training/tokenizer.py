"""Byte-level BPE (GPT-2 algorithm) trained on the corpus, exported to GGUF as a `gpt2` tokenizer.

Usage: python3 training/tokenizer.py [--vocab 8192]   (reads out/corpus/train.jsonl, writes out/tokenizer.json)
       python3 training/tokenizer.py --from-gguf models/overture-micro-q8_0.gguf   (the shipped vocabulary)

The corpus has grown since the shipped models were trained, so a tokenizer trained on it today is not
theirs; fine-tuning a shipped model, upcycling it or evaluating it needs the shipped vocabulary, which
--from-gguf copies out of a model file (setup.sh does so whenever the shipped models are present).

Layout of the vocabulary: 0 <|pad|>, 1 <|im_start|>, 2 <|im_end|>, 3 <|endoftext|> (control tokens),
4..259 the 256 byte tokens (byte b is token 4 + b, spelled with GPT-2's byte-to-unicode map), then one
token per distinct merge result in merge order. Encoding: split on special tokens, split each piece with
the GPT-2 pre-tokenizer regex, then within each pre-token repeatedly merge the adjacent pair of lowest
merge rank (leftmost first) until no ranked pair remains.
"""
import argparse
import json
import os
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "out")
SPECIALS = ["<|pad|>", "<|im_start|>", "<|im_end|>", "<|endoftext|>"]
PAD, BOS, EOS, EOT = 0, 1, 2, 3
N_BYTES_OFFSET = len(SPECIALS)
CONTRACTIONS = ("'s", "'t", "'re", "'ve", "'m", "'ll", "'d")
CHAT_TEMPLATE = (
    "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + "
    "'<|im_end|>' + '\\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}")


def bytes_to_unicode():
    """GPT-2's reversible map from bytes to printable unicode characters."""
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return {b: chr(c) for b, c in zip(bs, cs)}


BYTE_CHARS = bytes_to_unicode()
CHAR_BYTES = {c: b for b, c in BYTE_CHARS.items()}


def _is_letter(c):
    return unicodedata.category(c)[0] == "L"


def _is_number(c):
    return unicodedata.category(c)[0] == "N"


def pretokenize(text):
    """Splits like the GPT-2 regex
    's|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+ (without the regex module)."""
    out, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        hit = next((k for k in CONTRACTIONS if text.startswith(k, i)), None)
        if hit:
            out.append(hit)
            i += len(hit)
            continue
        j = i + 1 if c == " " and i + 1 < n else i
        d = text[j]
        cls = _is_letter if _is_letter(d) else _is_number if _is_number(d) else None
        if cls is None and not d.isspace():
            cls = lambda ch: not (ch.isspace() or _is_letter(ch) or _is_number(ch))
        if cls is not None and (j == i or not d.isspace()):
            k = j + 1
            while k < n and cls(text[k]):
                k += 1
            out.append(text[i:k])
            i = k
            continue
        # whitespace run: \s+(?!\S) leaves the last space to prefix the next word, else \s+
        k = i
        while k < n and text[k].isspace():
            k += 1
        if k < n and k - i >= 2:
            k -= 1
        out.append(text[i:k])
        i = k
    return out


def word_symbols(word):
    return [BYTE_CHARS[b] for b in word.encode("utf-8")]


def merge_pair(syms, a, b):
    """syms with every non-overlapping occurrence of the pair (a, b), scanned left to right, joined."""
    merged, i = [], 0
    while i < len(syms):
        if i + 1 < len(syms) and syms[i] == a and syms[i + 1] == b:
            merged.append(a + b)
            i += 2
        else:
            merged.append(syms[i])
            i += 1
    return merged


def train(texts, vocab_size):
    """Returns the merges (list of (a, b)) learned from texts by frequency, ties broken by the pair's strings."""
    counts = {}
    for t in texts:
        for w in pretokenize(t):
            counts[w] = counts.get(w, 0) + 1
    words = [word_symbols(w) for w in counts]
    freq = list(counts.values())
    pairs, where = {}, {}
    for wi, syms in enumerate(words):
        for p in zip(syms, syms[1:]):
            pairs[p] = pairs.get(p, 0) + freq[wi]
            where.setdefault(p, set()).add(wi)
    merges, vocab = [], set(BYTE_CHARS.values())
    n_tokens = len(SPECIALS) + 256
    while n_tokens < vocab_size and pairs:
        best = min(pairs.items(), key=lambda kv: (-kv[1], kv[0]))
        if best[1] < 2:
            break
        a, b = best[0]
        merges.append((a, b))
        if a + b not in vocab:
            vocab.add(a + b)
            n_tokens += 1
        for wi in list(where.get((a, b), ())):
            syms, f = words[wi], freq[wi]
            for p in zip(syms, syms[1:]):
                pairs[p] -= f
                if pairs[p] == 0:
                    del pairs[p]
                where[p].discard(wi)
            merged = merge_pair(syms, a, b)
            words[wi] = merged
            for p in zip(merged, merged[1:]):
                pairs[p] = pairs.get(p, 0) + f
                where.setdefault(p, set()).add(wi)
    return merges


class Tokenizer:
    def __init__(self, merges):
        self.merges = [tuple(m) for m in merges]
        self.ranks = {m: i for i, m in enumerate(self.merges)}
        self.tokens = list(SPECIALS) + [BYTE_CHARS[b] for b in range(256)]
        self.ids = {t: i for i, t in enumerate(self.tokens)}
        for a, b in self.merges:
            if a + b not in self.ids:
                self.ids[a + b] = len(self.tokens)
                self.tokens.append(a + b)
        self.cache = {}

    @classmethod
    def load(cls, path=os.path.join(OUT, "tokenizer.json")):
        with open(path) as f:
            return cls(json.load(f)["merges"])

    def save(self, path=os.path.join(OUT, "tokenizer.json")):
        with open(path, "w") as f:
            json.dump({"merges": [list(m) for m in self.merges], "tokens": self.tokens}, f, ensure_ascii=False)

    def bpe(self, word):
        ids = self.cache.get(word)
        if ids is not None:
            return ids
        syms = word_symbols(word)
        while len(syms) > 1:
            ranked = [(self.ranks.get(p, 1 << 30), i) for i, p in enumerate(zip(syms, syms[1:]))]
            r, i = min(ranked)
            if r == 1 << 30:
                break
            a, b = self.merges[r]
            syms = merge_pair(syms, a, b)
        ids = [self.ids[s] for s in syms]
        self.cache[word] = ids
        return ids

    def encode(self, text, special=True):
        """Token ids of text; with special, the four special-token spellings map to their ids."""
        out = []
        pieces = [text]
        if special:
            for s in SPECIALS:
                pieces = [q for p in pieces for q in _split_keep(p, s)]
        for p in pieces:
            if special and p in self.ids and p in SPECIALS:
                out.append(self.ids[p])
            else:
                for w in pretokenize(p):
                    out.extend(self.bpe(w))
        return out

    def token_bytes(self, i):
        t = self.tokens[i]
        return t.encode("utf-8") if i < len(SPECIALS) else bytes(CHAR_BYTES[c] for c in t)

    def decode(self, ids):
        return b"".join(self.token_bytes(i) for i in ids).decode("utf-8", errors="replace")


def _split_keep(text, sep):
    parts = text.split(sep)
    out = []
    for i, p in enumerate(parts):
        if i:
            out.append(sep)
        if p:
            out.append(p)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--vocab", type=int, default=8192)
    ap.add_argument("--from-gguf", help="copy the vocabulary of this model file instead of training one")
    args = ap.parse_args()
    if args.from_gguf:
        from export import load_gguf  # noqa: E402  (torch and the GGUF reader only when needed)
        _, tok, _ = load_gguf(args.from_gguf)
        tok.save()
        print(json.dumps({"vocab": len(tok.tokens), "merges": len(tok.merges), "from": args.from_gguf}))
        return
    texts = []
    with open(os.path.join(OUT, "corpus", "train.jsonl")) as f:
        for line in f:
            r = json.loads(line)
            if r.get("round"):  # the optional later follow-up rounds (D59) repeat training texts: merges stay as before them
                continue
            texts += ["user\n" + r["user"], "assistant\n" + r["assistant"], "\n"]
    merges = train(texts, args.vocab)
    tok = Tokenizer(merges)
    tok.save()
    n = sum(len(tok.encode(t)) for t in texts)
    print(json.dumps({"vocab": len(tok.tokens), "merges": len(merges), "corpus_tokens_without_specials": n,
                      "chars_per_token": round(sum(map(len, texts)) / n, 3)}))


if __name__ == "__main__":
    main()
