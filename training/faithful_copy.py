"""The device's decoding rules (decisions D47, D49, D51, D52, D56), as device-agent's FaithfulCopy applies them, and
the cloud's (WellFormed, D51). Faithful: a word built from two or more tokens that begins like one of the user's
words (the same first three letters, ASCII case aside) must stay a prefix of such a word while it grows, and be one
when it ends; a word the copy is under way on (the copied stretch began before it) must do so however short.
Copy: a token that goes on with the user's own words (what they said after the longest stretch, from a word's
start, that the reply ends with) is taken when it scores within COPY_MARGIN of the otherwise chosen token
(ONGOING_MARGIN inside the user's quotes, once a rare word was copied, or once a word was copied and a rare one is
next, D56). Control tokens other than a stop are never said, and the text stays well-formed UTF-8. Letters: ASCII
letters, the hyphen, and two-byte UTF-8 Latin letters (lead bytes 0xC3-0xC9). Both implementations are checked
against models/fixtures/faithful-copy.json (selftest.py here, FaithfulCopyTest in Java)."""
import torch

from tokenizer import SPECIALS

CANDIDATES = 64
COPY_PREFIX = 3
COPY_MARGIN = 10.0  # logits a token that goes on with the user's words may score below the chosen one and win (D49)
COPY_SPAN = 64  # bytes: the longest stretch of the reply matched against the user's words
ONGOING_MARGIN = 15.0  # once the copied stretch is inside quotes or holds a rare word (D52), or a word before one (D56)


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


def incomplete_tail(text):
    """The bytes of text's last character when it is not complete yet (as lm-runtime's Utf8Assembler keeps)."""
    i, back = len(text) - 1, 0
    while i >= 0 and back < 3 and text[i] & 0xC0 == 0x80:
        i, back = i - 1, back + 1
    if i < 0:
        return b""
    lead = text[i]
    need = 4 if lead >= 0xF0 else 3 if lead >= 0xE0 else 2 if lead >= 0xC0 else 1
    return b"" if len(text) - i >= need else text[i:]


def well_formed(tail, candidate):
    """Whether candidate (bytes) after an unfinished character tail keeps the text well-formed UTF-8 (RFC 3629),
    the last character possibly incomplete: Utf8Assembler.accepts."""
    need, lo, hi = 0, 0x80, 0xBF
    for b in tail + candidate:
        if need:
            if not lo <= b <= hi:
                return False
            need, lo, hi = need - 1, 0x80, 0xBF
        elif b < 0x80:
            continue
        elif 0xC2 <= b <= 0xDF:
            need = 1
        elif 0xE0 <= b <= 0xEF:
            need, lo, hi = 2, 0xA0 if b == 0xE0 else 0x80, 0x9F if b == 0xED else 0xBF
        elif 0xF0 <= b <= 0xF4:
            need, lo, hi = 3, 0x90 if b == 0xF0 else 0x80, 0x8F if b == 0xF4 else 0xBF
        else:
            return False
    return True


class WellFormed:
    """The cloud's decoding rule for one reply (the MoE in the evaluation): the best-scored token that keeps the
    text well-formed UTF-8, a stop only between characters (decision D51)."""

    def __init__(self, tok, spoken="", stop=()):
        self.tok, self.spoken, self.stop = tok, spoken.encode("utf-8"), set(stop)

    def allows(self, t):
        tail = incomplete_tail(self.spoken)
        return not tail if t in self.stop else well_formed(tail, self.tok.token_bytes(t))

    def choose(self, logits):
        t = next((c for c in torch.topk(logits, min(CANDIDATES, len(logits))).indices.tolist() if self.allows(c)), None)
        if t is None:
            t = next((c for c in torch.argsort(logits, descending=True).tolist() if self.allows(c)), int(logits.argmax()))
        if t not in self.stop:
            self.spoken += self.tok.token_bytes(t)
        return t


def _boundary(text, i):
    """Whether a match may start at byte i: not inside a word, nor inside a UTF-8 character."""
    if i == 0:
        return True
    if 0x80 <= text[i] <= 0xBF:
        return False
    return not (_is_letter(text, i) and _is_letter(text, i - 1))


def longest_match(spoken, user_texts):
    """(n, [(text index, offset)]): the longest stretch at the end of spoken (bytes) that the user also said, both
    starting at a word's start (ASCII case aside), and where; (0, []) when no stretch with a letter or two bytes
    matches."""
    low = _lower(spoken)
    users = [_lower(u) for u in user_texts]
    for n in range(min(len(low), COPY_SPAN), 0, -1):
        start = len(low) - n
        tail = low[start:]
        if not _boundary(low, start) or not tail.strip() or (n < 2 and not _is_letter(low, start)):
            continue
        found = [(k, j) for k, u in enumerate(users) for j in range(len(u) - n + 1) if u[j:j + n] == tail and _boundary(u, j)]
        if found:
            return n, found
    return 0, []


def continuations(spoken, user_texts):
    """What the user said after the longest stretch at the end of spoken that they also said (longest_match), in
    the user's spelling; [] when nothing follows it."""
    n, found = longest_match(spoken, user_texts)
    return [f for f in (user_texts[k][j + n:j + n + COPY_SPAN] for k, j in found) if f]


def aligned_words(spoken, user_texts):
    """The user's words (lower-cased) the word in progress is a copy of: where the longest match began before
    that word, the user word at the same place. A copy under way must go on as one of them (D52), however short
    the word is so far ('The word "s' for "soufflé")."""
    word = len(spoken) - max((s for s, e, _ in _runs(spoken) if e == len(spoken)), default=len(spoken))
    n, found = longest_match(spoken, user_texts)
    if not word or n <= word:
        return set()
    out = set()
    for k, j in found:
        u = _lower(user_texts[k])
        start = end = j + n - word
        while end < len(u) and _is_letter(u, end):
            end += 1
        out.add(u[start:end])
    return out


def aligned(spoken, candidate, words):
    """Whether candidate keeps the word in progress a prefix of one of words, and one of them when it ends."""
    if not words:
        return True
    text = spoken + candidate
    for s, e, complete in _runs(text):
        if s < len(spoken) <= e and e > s:
            w = _lower(text[s:e])
            return w in words if (complete or e < len(text)) else any(x.startswith(w) for x in words)
    return True


def next_word(spoken, follow):
    """The word a copy of follow (bytes) after spoken builds: the word in progress completed, or the next one."""
    text = spoken + follow
    for s, e, _ in _runs(text):
        if e > len(spoken):
            return text[s:e]
    return b""


class FaithfulCopy:
    """One generation's state: what was said so far (str or bytes), and the user's texts (the question first, then
    the previous one, whose words are protected but not copied). tok needs
    token_bytes(id) and tokens (the vocabulary); control, the ids never said unless in stop (default: the four
    SPECIALS)."""

    def __init__(self, tok, user_texts, spoken="", stop=(), control=range(len(SPECIALS))):
        self.tok, self.users, self.stop = tok, user_words(user_texts), set(stop)
        self.spoken = spoken.encode("utf-8") if isinstance(spoken, str) else spoken
        # Copies come from the question alone: the previous one is protected, but copying from it named the last
        # turn's word in a new question ("What is a mood?" -> "A piece is a"), D53.
        self.user_texts = [t.encode("utf-8") for t in user_texts[:1]]
        self.control = set(control)
        # Sayable tokens by their bytes, the lowest id first (as device-agent's TokenTable).
        self.spellings = {}
        for i in reversed(range(len(tok.tokens))):
            b = tok.token_bytes(i)
            if b and i not in self.control and i not in self.stop:
                self.spellings[b] = i
        self.longest = max(map(len, self.spellings), default=0)

    def _allows(self, t):
        tail = incomplete_tail(self.spoken)
        b = b" " if t in self.stop else self.tok.token_bytes(t)
        if t in self.stop and tail or not well_formed(tail, b):
            return False
        return faithful(self.spoken, b, self.users) and aligned(self.spoken, b, self.aligned)

    def _rare(self, word):
        """Whether no single token spells word (with or without its space, ASCII case aside): a word the
        vocabulary had to build, as it builds the rare words a question asks about."""
        return not any(w in self.spellings for w in (word, b" " + word, _lower(word), b" " + _lower(word)))

    def _sayable(self, t):
        return t in self.stop or t not in self.control

    def _copies(self):
        """The tokens that go on with the user's words: they spell the start of what the user said after the
        longest stretch the reply ends with, unless that builds a word of COPY_PREFIX letters or more that the
        reply already said (a copy never says such a word twice), and hold none of the user's sentence punctuation."""
        said = {_lower(self.spoken[s:e]) for s, e, complete in _runs(self.spoken) if complete and e - s >= COPY_PREFIX}
        follow = [f for f in continuations(self.spoken, self.user_texts) if _lower(next_word(self.spoken, f)) not in said]
        ids = {self.spellings[f[:n]] for f in follow for n in range(1, min(len(f), self.longest) + 1) if f[:n] in self.spellings}
        # A piece that ends in a space splits the user's next word from its space, as byte-level BPE never does.
        return [c for c in ids if not any(p in self.tok.token_bytes(c) for p in b".?!")
                and not self.tok.token_bytes(c)[-1:].isspace() and self._allows(c)]

    def choose(self, logits):
        """The token to say (decisions D47, D49, D51, D52, D56): the best-scored of CANDIDATES that is sayable, keeps
        the text well-formed and keeps copied words faithful (and a copy under way on its word), unless a token that
        goes on with the user's words scores within COPY_MARGIN of it (ONGOING_MARGIN once the copied stretch is
        inside the user's quotes or holds a word no single token spells, or holds a word and such a word is next),
        or none of CANDIDATES qualifies; the best-scored sayable token when nothing does. Records it as said."""
        self.aligned = aligned_words(self.spoken, self.user_texts)
        top = torch.topk(logits, min(CANDIDATES, len(logits))).indices.tolist()
        t = next((c for c in top if self._sayable(c) and self._allows(c)), None)
        copy = max(self._copies(), key=lambda c: float(logits[c]), default=None)
        n, _ = longest_match(self.spoken, self.user_texts)
        stretch = self.spoken[len(self.spoken) - n:]
        quotes = stretch.count(b'"')  # odd: inside the user's quotes; even: a quoted name is finished
        ongoing = quotes % 2 == 1 or not quotes and any(e - s >= COPY_PREFIX and self._rare(stretch[s:e]) for s, e, _ in _runs(stretch))
        if not ongoing and not quotes and any(e - s >= COPY_PREFIX for s, e, _ in _runs(stretch)):
            # A word copied and a rare one next: a multi-word name goes on ("A venous" before "sinus", D56).
            nexts = [next_word(self.spoken, f) for f in continuations(self.spoken, self.user_texts)]
            ongoing = any(w and self._rare(_lower(w)) for w in nexts)
        margin = ONGOING_MARGIN if ongoing else COPY_MARGIN
        if copy is not None and (t is None or float(logits[copy]) >= float(logits[t]) - margin):
            t = copy
        if t is None:  # the argmax, unless it is a control token: then the best sayable one (as the device does)
            t = next(int(c) for c in torch.argsort(logits, descending=True) if self._sayable(int(c)))
        if t not in self.stop:
            self.spoken += self.tok.token_bytes(t)
        return t
