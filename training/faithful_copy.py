"""The device's faithful-copy decoding rule (decision D47), as device-agent's FaithfulCopy applies it: a word
built from two or more tokens that begins like one of the user's words (the same first three letters, ASCII
case aside) must stay a prefix of such a word while it grows, and be one when it ends. Letters: ASCII letters,
the hyphen, and two-byte UTF-8 Latin letters (lead bytes 0xC3-0xC9). Both implementations are checked against
models/fixtures/faithful-copy.json (selftest.py here, FaithfulCopyTest in Java)."""
import torch

CANDIDATES = 64
COPY_PREFIX = 3


def _is_letter(text, i):
    b = text[i]
    if 97 <= b <= 122 or 65 <= b <= 90 or b == 45 or 0xC3 <= b <= 0xC9:
        return True
    return 0x80 <= b <= 0xBF and i > 0 and 0xC3 <= text[i - 1] <= 0xC9


def _lower(bs):
    return bytes(c + 32 if 65 <= c <= 90 else c for c in bs)


def _runs(text):
    """(start, end, complete) of each word of text (bytes); the last may run to the end."""
    out, start = [], None
    for i in range(len(text) + 1):
        if i < len(text) and _is_letter(text, i):
            if start is None:
                start = i
        elif start is not None:
            out.append((start, i, i < len(text)))
            start = None
    return out


def words(text):
    """The words of text (bytes), lower-cased."""
    return [_lower(text[s:e]) for s, e, _ in _runs(text)]


def user_words(texts):
    return [w for t in texts for w in words(t.encode("utf-8")) if len(w) >= COPY_PREFIX]


def faithful(spoken, candidate, users):
    """Whether candidate (bytes), said after spoken (bytes), keeps every copied word faithful to users."""
    text, start = spoken + candidate, len(spoken)
    for s, e, complete in _runs(text):
        if not (e > start or (e == start and complete)) or s >= start:
            continue
        w = _lower(text[s:e])
        if len(w) < COPY_PREFIX:
            continue
        copies = [u for u in users if u[:COPY_PREFIX] == w[:COPY_PREFIX]]
        if copies and not any(u == w if complete else u.startswith(w) for u in copies):
            return False
    return True


class FaithfulCopy:
    """One generation's state: what was said so far, and the user's words."""

    def __init__(self, tok, user_texts, spoken="", stop=()):
        self.tok, self.users, self.spoken, self.stop = tok, user_words(user_texts), spoken.encode("utf-8"), set(stop)

    def _allows(self, t):
        return faithful(self.spoken, b" " if t in self.stop else self.tok.token_bytes(t), self.users)

    def choose(self, logits):
        """The best-scored token that keeps copied words faithful (the best one when none of CANDIDATES does);
        records it as said."""
        greedy = int(logits.argmax())
        t = greedy
        if not self._allows(greedy):
            t = next((c for c in torch.topk(logits, CANDIDATES).indices.tolist() if self._allows(c)), greedy)
        if t not in self.stop:
            self.spoken += self.tok.token_bytes(t)
        return t
