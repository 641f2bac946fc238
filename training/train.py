"""Trains one of Overture's default models on the WordNet dialogue corpus; checkpoints and resumes.

Usage: python3 training/train.py --model micro|moe [--minutes M] [--tokens N] [--resume] [--threads T]

The learning-rate schedule (linear warmup, cosine to 10%) follows progress = max(tokens / --tokens,
trained seconds / (--minutes * 60)), so a time-boxed CPU run still anneals fully. A checkpoint
(model, optimizer, progress, data position) is written atomically to out/<model>/ckpt.pt every
--ckpt-minutes, at the end and on SIGTERM/SIGINT; --resume continues from it (pass larger --tokens/--minutes to extend).
On CUDA it uses bf16 autocast and a larger default batch.
"""
import argparse
import json
import math
import os
import random
import signal
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import blas_threads  # noqa: E402,F401  (before torch: OpenBLAS must not start its own threads)
import torch  # noqa: E402

from model import PRESETS, Config, Transformer  # noqa: E402
from tokenizer import EOS, OUT, Tokenizer  # noqa: E402
from corpus import FOLLOW_ROUNDS, chatml  # noqa: E402


def load_dialogues(name):
    with open(os.path.join(OUT, "corpus", name + ".jsonl")) as f:
        return [json.loads(l) for l in f]


def encode_all(tok, rows):
    """(ids, spans) per dialogue: spans are the [start, end) index ranges of the assistant tokens that carry
    the loss, each answer and its <|im_end|> (the questions, which no model can predict, carry none). A row
    with "history" trains every earlier answer too; an "open" row (an opener only) trains the opener's
    tokens and no <|im_end|>, since its answer goes on. A row with "given" (a repair: words already spoken and a
    bridge, the start of its assistant text) trains only what follows them."""
    out = []
    for r in rows:
        turns = [tuple(t) for t in r.get("history", ())] + [(r["user"], r["assistant"])]
        ids, spans, text = [], [], ""
        for i, (u, a) in enumerate(turns):
            last = i == len(turns) - 1
            prompt_text = text + chatml(u)
            text = prompt_text + a if last and r.get("open") else chatml(u, a, turns[:i])
            if last and r.get("given"):
                prompt_text += r["given"]
            prompt = tok.encode(prompt_text)
            ids = tok.encode(text)
            if ids[:len(prompt)] != prompt:
                raise ValueError(f"prompt tokens are not a prefix of the dialogue's: {u!r}")
            end = len(ids) if last and r.get("open") else ids.index(EOS, len(prompt)) + 1
            spans.append((len(prompt), end))
        out.append((ids[:spans[-1][1]], spans))
    return out


def most_familiar(rows, n):
    """The familiarity ranks of the n most familiar synsets among rows (all of them when n is 0)."""
    ranks = sorted({r["rank"] for r in rows if "rank" in r})
    return set(ranks[:n] if n else ranks)


def taught(row, kept):
    """Whether a model taught the synsets of kept learns row: every fact in it is one of theirs (opener-only
    rows teach no fact and are always kept)."""
    return all(k in kept for k in row.get("ranks", [row["rank"]] if "rank" in row else []))


def is_fact(row):
    """Whether row is a single question and its fact answer (no earlier turns, not an opener, not a repair)."""
    return not (row.get("history") or row.get("open") or row.get("given"))


def is_follow_up(row):
    """Whether row is a two-turn dialogue whose question leans on the first answer ("And its opposite?")."""
    return row.get("kind", "").startswith("follow-")


class Batches:
    """Rows of seq tokens packed with whole dialogues (a fresh seeded order per epoch). Each dialogue keeps
    its own positions from 0 and attends only to itself, exactly as at inference, where a prompt starts
    the context; targets are -100 except on answer tokens. The tail of a row is padding."""

    def __init__(self, docs, batch, seq, seed, epoch=0, offset=0):
        self.docs, self.batch, self.seq, self.seed = docs, batch, seq, seed
        self.epoch, self.offset = epoch, offset
        self._load_epoch()

    def _load_epoch(self):
        self.order = list(range(len(self.docs)))
        random.Random(self.seed * 1000 + self.epoch).shuffle(self.order)

    def _next_doc(self):
        if self.offset >= len(self.order):
            self.epoch += 1
            self.offset = 0
            self._load_epoch()
        doc = self.docs[self.order[self.offset]]
        self.offset += 1
        return doc

    def next(self):
        """(inputs, targets, positions, segments), each [batch, seq]."""
        B, T = self.batch, self.seq
        x = torch.zeros(B, T, dtype=torch.long)
        y = torch.full((B, T), -100, dtype=torch.long)
        pos = torch.zeros(B, T, dtype=torch.long)
        seg = torch.full((B, T), -1, dtype=torch.long)
        pending = None
        for b in range(B):
            used, k = 0, 0
            while True:
                ids, spans = pending or self._next_doc()
                pending = None
                n = min(len(ids), T + 1) - 1  # inputs ids[:n], targets ids[1:n+1]
                if used + n > T:
                    pending = (ids, spans)
                    break
                x[b, used:used + n] = torch.tensor(ids[:n])
                tgt = torch.full((n,), -100, dtype=torch.long)
                for s0, s1 in spans:  # target j predicts ids[j + 1]
                    lo, hi = max(0, s0 - 1), min(n, s1 - 1)
                    if hi > lo:
                        tgt[lo:hi] = torch.tensor(ids[lo + 1:hi + 1])
                y[b, used:used + n] = tgt
                pos[b, used:used + n] = torch.arange(n)
                seg[b, used:used + n] = k
                used, k = used + n, k + 1
        if pending:  # the dialogue that did not fit opens the next batch
            self.offset -= 1
        return x, y, pos, seg

    def epochs_done(self):
        return self.epoch + self.offset / len(self.order)


@torch.no_grad()
def eval_loss(model, docs, device, batch=32):
    """Mean next-token cross-entropy on the answer tokens, each dialogue on its own (no packing)."""
    model.eval()
    total, count = 0.0, 0
    for i in range(0, len(docs), batch):
        group = docs[i:i + batch]
        L = max(len(d) for d, _ in group)
        x = torch.zeros(len(group), L, dtype=torch.long)
        tgt = torch.full((len(group), L - 1), -100, dtype=torch.long)
        for j, (d, spans) in enumerate(group):
            x[j, :len(d)] = torch.tensor(d)
            for s0, s1 in spans:
                tgt[j, s0 - 1:s1 - 1] = torch.tensor(d[s0:s1])
        x, tgt = x.to(device), tgt.to(device)
        logits = model(x[:, :-1]).float()
        total += torch.nn.functional.cross_entropy(logits.reshape(-1, logits.shape[-1]), tgt.reshape(-1),
                                                   ignore_index=-100, reduction="sum").item()
        count += int((tgt != -100).sum())
    model.train()
    return total / count


def lr_at(progress, base, warmup_frac, min_frac=0.1):
    if progress < warmup_frac:
        return base * progress / warmup_frac
    p = min(1.0, (progress - warmup_frac) / (1 - warmup_frac))
    return base * (min_frac + (1 - min_frac) * 0.5 * (1 + math.cos(math.pi * p)))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", choices=sorted(PRESETS), required=True)
    ap.add_argument("--tokens", type=float, default=50e6, help="token budget of the schedule")
    ap.add_argument("--minutes", type=float, default=0, help="time budget of the schedule (0: none)")
    ap.add_argument("--batch", type=int, default=0, help="sequences per step (default 8 CPU, 64 CUDA)")
    ap.add_argument("--seq", type=int, default=128)
    ap.add_argument("--lr", type=float, default=0)
    ap.add_argument("--aux", type=float, default=0.02, help="router load-balancing loss weight (MoE)")
    ap.add_argument("--balance-window", type=int, default=0,
                    help="balance the router's load over a running average of about this many batches, not each "
                         "batch alone (0); lets a dialogue keep its experts while all are used (D58)")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--ckpt-minutes", type=float, default=4)
    ap.add_argument("--resume", action="store_true")
    ap.add_argument("--seed", type=int, default=1234)
    ap.add_argument("--synsets", type=int, default=0,
                    help="train only on the dialogues of this many most familiar synsets (0: all)")
    ap.add_argument("--run", default=None, help="checkpoint directory name under out/ (default: the model)")
    ap.add_argument("--init", default=None,
                    help="GGUF file whose weights start the run (fine-tuning a shipped model; the preset's context length applies)")
    ap.add_argument("--warmup", type=float, default=0.03, help="share of the schedule spent warming the learning rate up")
    ap.add_argument("--openers", type=float, default=1.0,
                    help="share of the opener-only rows kept (a seeded sample): less weights the facts up")
    ap.add_argument("--facts", type=int, default=1,
                    help="times each single-question fact dialogue appears per epoch (rehearses taught facts while fine-tuning)")
    ap.add_argument("--follow-ups", type=int, default=1,
                    help="times each two-turn follow-up dialogue appears per epoch (D50)")
    ap.add_argument("--follow-up-rounds", type=int, default=2,
                    help="distinct follow-up dialogues per synset, 2 (every recipe before D59) to corpus.FOLLOW_ROUNDS")
    ap.add_argument("--switch-cost", type=float, default=None,
                    help="route as the runtime's sticky policy with this switching cost while training (MoE, D45)")
    ap.add_argument("--switch-loss", type=float, default=0.0,
                    help="weight of the switching penalty: -log of the router's mass on the previous token's experts (D45)")
    ap.add_argument("--validate", action="store_true",
                    help="print the checkpoint's validation loss (routed as --switch-cost says) and exit; with --resume")
    ap.add_argument("--probe-steps", type=int, default=0, help="measure throughput for N steps, save nothing")
    args = ap.parse_args()
    if args.balance_window < 0:
        ap.error("--balance-window must be 0 (each batch alone) or a number of batches")
    if not 2 <= args.follow_up_rounds <= FOLLOW_ROUNDS:
        ap.error(f"--follow-up-rounds must be between 2 (the first two rounds are one set of rows) and {FOLLOW_ROUNDS}")

    torch.set_num_threads(args.threads)
    device = "cuda" if torch.cuda.is_available() else "cpu"
    batch = args.batch or (64 if device == "cuda" else 8)
    # The MoE plateaued at loss 3.7 with 3e-3 (router imbalance growing) where the micro kept learning;
    # at 1e-3 it keeps pace with the micro per token.
    base_lr = args.lr or (3e-3 if args.model == "micro" else 1e-3)
    ckpt_dir = os.path.join(OUT, args.run or args.model)
    ckpt_path = os.path.join(ckpt_dir, "ckpt.pt")
    os.makedirs(ckpt_dir, exist_ok=True)
    torch.manual_seed(args.seed)

    tok = Tokenizer.load()
    cfg = PRESETS[args.model]
    cfg.vocab_size = len(tok.tokens)
    model = Transformer(cfg).to(device)
    if args.init and not args.resume and args.init.endswith(".pt"):  # another run's checkpoint: its weights only
        ck = torch.load(args.init, map_location=device)
        if ck["config"]["n_embd"] != cfg.n_embd or ck["config"]["n_expert"] != cfg.n_expert or ck["config"]["vocab_size"] != cfg.vocab_size:
            raise SystemExit(f"{args.init} does not have the {args.model} preset's shape and vocabulary")
        model.load_state_dict(ck["model"])
        print(json.dumps({"init": args.init, "init_tokens": ck["state"]["tokens"]}), flush=True)
    elif args.init and not args.resume:
        from export import load_gguf  # noqa: E402  (numpy and the GGUF reader only when needed)
        start, start_tok, _ = load_gguf(args.init)
        if start.c.n_embd != cfg.n_embd or start.c.n_expert != cfg.n_expert or start_tok.tokens != tok.tokens:
            raise SystemExit(f"{args.init} does not have the {args.model} preset's shape and tokenizer")
        model.load_state_dict(start.state_dict())
        print(json.dumps({"init": args.init}), flush=True)
    if args.switch_cost is not None:
        model.route_sticky(args.switch_cost)
    model.balance_over(args.balance_window)
    decay = [p for n, p in model.named_parameters() if p.dim() >= 2]
    no_decay = [p for n, p in model.named_parameters() if p.dim() < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.1}, {"params": no_decay, "weight_decay": 0.0}],
                            lr=base_lr, betas=(0.9, 0.95), eps=1e-8)
    state = {"step": 0, "tokens": 0, "seconds": 0.0, "epoch": 0, "offset": 0, "history": []}
    if args.resume and not os.path.exists(ckpt_path):
        # Starting over instead would train a fresh model (--init is skipped with --resume) at the rate
        # meant for the resumed one, and say nothing.
        raise SystemExit(f"--resume: no checkpoint at {ckpt_path} (check --run and --model)")
    if args.resume:
        ck = torch.load(ckpt_path, map_location=device)
        model.load_state_dict(ck["model"])
        opt.load_state_dict(ck["optim"])
        state = ck["state"]
        print(f"resumed at step {state['step']}, {state['tokens']} tokens", flush=True)

    train_rows = load_dialogues("train")
    kept = most_familiar(train_rows, args.synsets)
    train_rows = [r for r in train_rows if taught(r, kept) and r.get("round", 0) < args.follow_up_rounds]
    if not cfg.n_expert:  # the device's model never speaks after a repair bridge: the cloud says it and what follows
        train_rows = [r for r in train_rows if not r.get("given")]
    if args.openers < 1.0:
        pick = random.Random(args.seed)
        train_rows = [r for r in train_rows if not r.get("open") or pick.random() < args.openers]
    if args.facts > 1:  # the conversations must not crowd the taught facts out (D41: a fine-tune lost a quarter of them)
        train_rows += [r for r in train_rows if is_fact(r)] * (args.facts - 1)
    if args.follow_ups > 1:  # two-turn dialogues are 5% of the rows; the MoE answered them at a third of asked alone (D50)
        train_rows += [r for r in train_rows if is_follow_up(r)] * (args.follow_ups - 1)
    train_docs = encode_all(tok, train_rows)
    val_docs = (encode_all(tok, load_dialogues("eval_knowledge")[:100]) + encode_all(tok, load_dialogues("eval_unseen")[:100])
                + encode_all(tok, load_dialogues("eval_followup")[:100]))
    if args.validate:
        print(json.dumps({"run": args.run or args.model, "tokens": state["tokens"], "switch_cost": args.switch_cost,
                          "val_loss": round(eval_loss(model, val_docs, device), 4)}), flush=True)
        return
    data = Batches(train_docs, batch, args.seq, args.seed, state["epoch"], state["offset"])
    n_train_tokens = sum(len(d) for d, _ in train_docs)
    print(json.dumps({"model": cfg.to_dict(), "run": args.run or args.model, "train_dialogues": len(train_docs), "params": model.n_params(), "active_params": model.n_active_params(),
                      "device": device, "batch": batch, "seq": args.seq, "train_tokens_per_epoch": n_train_tokens,
                      "threads": args.threads, "facts": args.facts, "follow_ups": args.follow_ups, "follow_up_rounds": args.follow_up_rounds, "openers": args.openers, "switch_cost": args.switch_cost, "switch_loss": args.switch_loss, "balance_window": args.balance_window}), flush=True)

    def progress():
        p = state["tokens"] / args.tokens
        if args.minutes:
            p = max(p, state["seconds"] / (args.minutes * 60))
        return p

    def save():
        state["epoch"], state["offset"] = data.epoch, data.offset
        tmp = ckpt_path + ".tmp"
        torch.save({"model": model.state_dict(), "optim": opt.state_dict(), "state": state,
                    "config": cfg.to_dict()}, tmp)
        os.replace(tmp, ckpt_path)

    autocast = torch.autocast("cuda", dtype=torch.bfloat16) if device == "cuda" else torch.autocast("cpu", enabled=False)
    stop = []  # SIGTERM/SIGINT: checkpoint and exit at the end of the current step
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    signal.signal(signal.SIGINT, lambda *_: stop.append(1))
    model.train()
    last_ckpt = time.time()
    window_t, window_tok = time.time(), 0
    while progress() < 1.0:
        t0 = time.time()
        lr = lr_at(progress(), base_lr, args.warmup)
        for g in opt.param_groups:
            g["lr"] = lr
        x, y, pos, seg = (t.to(device) for t in data.next())
        with autocast:
            hidden = model(x, positions=pos, segments=seg, head=False)
            keep = y != -100
            logits = hidden[keep] @ model.embed.weight.t()  # the output layer only where a loss is taken
            loss = torch.nn.functional.cross_entropy(logits.float(), y[keep])
            aux = model.aux_loss()
            total = loss + args.aux * aux if aux is not None else loss
            switch = model.switch_loss()
            if switch is not None and args.switch_loss:
                total = total + args.switch_loss * switch
        opt.zero_grad(set_to_none=True)
        total.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        state["step"] += 1
        state["tokens"] += int((seg >= 0).sum())
        state["seconds"] += time.time() - t0
        window_tok += int((seg >= 0).sum())
        if state["step"] % 20 == 0 or args.probe_steps:
            now = time.time()
            rec = {"step": state["step"], "tokens": state["tokens"], "loss": round(loss.item(), 4),
                   "aux": round(aux.item(), 4) if aux is not None else None,
                   "switch": round(switch.item(), 4) if switch is not None else None,
                   "switch_rate": round(model.switch_rate(), 3) if switch is not None else None, "lr": round(lr, 6),
                   "tok_per_s": round(window_tok / (now - window_t), 1), "epochs": round(data.epochs_done(), 3),
                   "progress": round(progress(), 4)}
            print(json.dumps(rec), flush=True)
            window_t, window_tok = now, 0
        if args.probe_steps and state["step"] >= args.probe_steps:
            return
        if stop:
            save()
            print(json.dumps({"stopped": {"step": state["step"], "tokens": state["tokens"]}}), flush=True)
            return
        if time.time() - last_ckpt > args.ckpt_minutes * 60:
            vl = eval_loss(model, val_docs, device)
            state["history"].append({"step": state["step"], "tokens": state["tokens"], "val_loss": round(vl, 4),
                                     "train_loss": round(loss.item(), 4), "seconds": round(state["seconds"])})
            print(json.dumps({"checkpoint": state["history"][-1]}), flush=True)
            save()
            last_ckpt = time.time()
    vl = eval_loss(model, val_docs, device)
    state["history"].append({"step": state["step"], "tokens": state["tokens"], "val_loss": round(vl, 4),
                             "train_loss": round(loss.item(), 4), "seconds": round(state["seconds"]), "final": True})
    save()
    print(json.dumps({"done": state["history"][-1]}), flush=True)


if __name__ == "__main__":
    main()
