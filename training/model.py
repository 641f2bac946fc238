"""Llama-style decoder (dense SwiGLU or Mixtral-style MoE) laid out exactly as llama.cpp's `llama` arch.

RoPE rotates ADJACENT pairs (x[2i], x[2i+1]) with freq_i = theta^(-2i/head_dim): llama.cpp's "normal"
rope mode, so weights export without a Q/K permutation. Grouped-query attention maps query head h to
KV head h // (n_head / n_head_kv). MoE: the router picks the top-k experts, softmax over those k logits
(Mixtral), output = sum of weight * SwiGLU expert(x).
"""
import math
from dataclasses import dataclass, asdict

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


@dataclass
class Config:
    name: str
    vocab_size: int = 8192
    context_length: int = 1024
    n_embd: int = 256
    n_layer: int = 6
    n_head: int = 4
    n_head_kv: int = 2
    n_ff: int = 704
    rope_theta: float = 10000.0
    norm_eps: float = 1e-5
    n_expert: int = 0
    n_expert_used: int = 0

    @property
    def head_dim(self):
        return self.n_embd // self.n_head

    def to_dict(self):
        return asdict(self)


PRESETS = {
    # ~6.5M parameters: the CPU-trainable scale-down of Swen-28M (hidden 512, 8 layers, FFN 1408).
    "micro": Config(name="overture-micro", n_embd=256, n_layer=6, n_head=4, n_head_kv=2, n_ff=704),
    # Mixtral-style: 8 experts top-2, each expert FFN 512; ~5x the micro's total, ~2x its active params.
    "moe": Config(name="overture-moe", n_embd=384, n_layer=6, n_head=6, n_head_kv=2, n_ff=512,
                  n_expert=8, n_expert_used=2),
    # Fine-grained (OLMoE-like 64 experts, top-8): the same active FFN width per token as "moe" (8 x 128 =
    # 2 x 512), twice its experts' total; upcycled from it (upcycle.py, decision D43).
    "moe64": Config(name="overture-moe64", n_embd=384, n_layer=6, n_head=6, n_head_kv=2, n_ff=128,
                    n_expert=64, n_expert_used=8),
}


class RMSNorm(nn.Module):
    def __init__(self, dim, eps):
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(dim))

    def forward(self, x):
        xf = x.float()
        return (xf * torch.rsqrt(xf.pow(2).mean(-1, keepdim=True) + self.eps)).type_as(x) * self.weight


def rope_tables(head_dim, theta, positions):
    inv = theta ** (-torch.arange(0, head_dim, 2, dtype=torch.float32) / head_dim)
    ang = positions.float()[:, None] * inv[None, :]
    return torch.cos(ang), torch.sin(ang)


def apply_rope(x, cos, sin):
    """x: [B, H, T, D]; rotates pairs (x[2i], x[2i+1])."""
    xs = x.float().unflatten(-1, (-1, 2))
    x0, x1 = xs[..., 0], xs[..., 1]
    out = torch.stack((x0 * cos - x1 * sin, x0 * sin + x1 * cos), dim=-1)
    return out.flatten(-2).type_as(x)


class Attention(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.c = c
        self.wq = nn.Linear(c.n_embd, c.n_head * c.head_dim, bias=False)
        self.wk = nn.Linear(c.n_embd, c.n_head_kv * c.head_dim, bias=False)
        self.wv = nn.Linear(c.n_embd, c.n_head_kv * c.head_dim, bias=False)
        self.wo = nn.Linear(c.n_head * c.head_dim, c.n_embd, bias=False)

    def forward(self, x, cos, sin, cache=None, key_mask=None, segments=None):
        c = self.c
        B, T, _ = x.shape
        q = self.wq(x).view(B, T, c.n_head, c.head_dim).transpose(1, 2)
        k = self.wk(x).view(B, T, c.n_head_kv, c.head_dim).transpose(1, 2)
        v = self.wv(x).view(B, T, c.n_head_kv, c.head_dim).transpose(1, 2)
        q, k = apply_rope(q, cos, sin), apply_rope(k, cos, sin)
        if cache is not None:
            if cache.get("k") is not None:
                k = torch.cat([cache["k"], k], dim=2)
                v = torch.cat([cache["v"], v], dim=2)
            cache["k"], cache["v"] = k, v
        rep = c.n_head // c.n_head_kv
        k = k.repeat_interleave(rep, dim=1)
        v = v.repeat_interleave(rep, dim=1)
        S = k.shape[2]
        att = (q @ k.transpose(-2, -1)) / math.sqrt(c.head_dim)
        mask = torch.ones(T, S, dtype=torch.bool, device=x.device).tril(S - T)
        if key_mask is not None:  # [B, S] False at left padding; a query always sees itself (no NaN rows)
            self_key = torch.arange(S, device=x.device)[None, :] == torch.arange(S - T, S, device=x.device)[:, None]
            mask = mask & (key_mask[:, None, None, :] | self_key)
        if segments is not None:  # [B, T] packed training rows: a token sees only its own dialogue
            mask = mask & (segments[:, None, :, None] == segments[:, None, None, :])
        att = att.masked_fill(~mask, float("-inf")).float().softmax(-1).type_as(q)
        y = (att @ v).transpose(1, 2).reshape(B, T, -1)
        return self.wo(y)


class FeedForward(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.w_gate = nn.Linear(c.n_embd, c.n_ff, bias=False)
        self.w_up = nn.Linear(c.n_embd, c.n_ff, bias=False)
        self.w_down = nn.Linear(c.n_ff, c.n_embd, bias=False)

    def forward(self, x):
        return self.w_down(F.silu(self.w_gate(x)) * self.w_up(x))


class MoE(nn.Module):
    """Mixtral sparse block. Expert weights are stacked as llama.cpp stores them:
    gate/up [n_expert, n_ff, n_embd], down [n_expert, n_embd, n_ff]."""

    def __init__(self, c):
        super().__init__()
        self.c = c
        self.router = nn.Linear(c.n_embd, c.n_expert, bias=False)
        s = 0.02
        self.w_gate = nn.Parameter(torch.randn(c.n_expert, c.n_ff, c.n_embd) * s)
        self.w_up = nn.Parameter(torch.randn(c.n_expert, c.n_ff, c.n_embd) * s)
        self.w_down = nn.Parameter(torch.randn(c.n_expert, c.n_embd, c.n_ff) * s)
        self.last_topk = None  # [tokens, k] expert ids of the last forward (for routing statistics)
        self.aux_loss = None
        # Routing with the cache in the loop (decision D45): None routes exact top-k; a cost in [0, 1]
        # routes whole sequences as the runtime's StickyRouter does, so the model learns to answer with
        # the expert sets that policy keeps.
        self.switch_cost = None
        self.switch_loss = None  # -log of the router's mass on the previous token's set (training)
        self.switch_rate = None  # share of tokens whose set differs from the previous token's (training)
        # Load balance over many sequences (D58): None balances each batch's own tokens; a decay d in
        # (0, 1) balances against a running average of the routed shares (about 1/(1-d) batches), so a
        # dialogue may keep its few experts as long as the experts are used evenly across dialogues.
        self.balance_decay = None
        self.register_buffer("usage", torch.full((c.n_expert,), 1.0 / c.n_expert), persistent=False)

    def forward(self, x, starts=None):
        """starts [B*T] bool marks the tokens where a routing history begins (a new row or dialogue);
        None routes every token on its own (decoding with a cache: exact top-k)."""
        c = self.c
        shape = x.shape
        x = x.reshape(-1, c.n_embd)
        logits = self.router(x).float()
        if self.switch_cost is None or starts is None:
            top_idx = logits.topk(c.n_expert_used, dim=-1).indices
        else:
            top_idx = sticky_sets(logits.detach().softmax(-1), c.n_expert_used, self.switch_cost, starts)
        weights = logits.gather(1, top_idx).softmax(-1).type_as(x)
        self.last_topk = top_idx.detach()
        if self.training:
            probs = logits.softmax(-1)
            frac = torch.zeros(c.n_expert, device=x.device).scatter_add_(
                0, top_idx.reshape(-1), torch.ones(top_idx.numel(), device=x.device)) / top_idx.numel()
            if self.balance_decay is not None:
                self.usage.mul_(self.balance_decay).add_(frac, alpha=1.0 - self.balance_decay)
                frac = self.usage
            self.aux_loss = c.n_expert * (frac * probs.mean(0)).sum()
            if starts is not None:
                follow = ~starts[1:]
                kept_mass = probs[1:].gather(1, top_idx[:-1]).sum(-1)[follow]
                self.switch_loss = -kept_mass.clamp_min(1e-9).log().mean() if kept_mass.numel() else None
                changed = (top_idx[1:].sort(-1).values != top_idx[:-1].sort(-1).values).any(-1)[follow]
                self.switch_rate = changed.float().mean().item() if changed.numel() else None
        mix = self._grouped if c.n_expert >= 16 else self._looped
        return mix(x, top_idx, weights).view(shape)

    def _looped(self, x, top_idx, weights):
        """Each expert on its tokens, one at a time (few experts: no padding to pay for)."""
        out = torch.zeros_like(x)
        for e in range(self.c.n_expert):
            tok, slot = (top_idx == e).nonzero(as_tuple=True)
            if tok.numel() == 0:
                continue
            xe = x[tok]
            h = F.silu(xe @ self.w_gate[e].t()) * (xe @ self.w_up[e].t())
            out.index_add_(0, tok, (h @ self.w_down[e].t()) * weights[tok, slot, None])
        return out

    def _grouped(self, x, top_idx, weights, groups=4):
        """The same sum as the per-expert loop, as batched matrix products (a Python loop over 64 small
        experts costs more than padding). The experts are ranked by load and cut into `groups` groups,
        each padded only to its own busiest expert: one padding to the busiest overall wasted 2-3x the
        work while the router is unbalanced, as it is after upcycling."""
        c = self.c
        flat = top_idx.reshape(-1)
        order = flat.argsort()
        counts = torch.bincount(flat, minlength=c.n_expert)
        starts = counts.cumsum(0) - counts
        expert = flat[order]
        slot = torch.arange(flat.numel(), device=x.device) - starts[expert]
        tok = order // c.n_expert_used
        by_load = counts.argsort()
        rank = torch.empty_like(counts)
        rank[by_load] = torch.arange(c.n_expert, device=x.device)
        size = c.n_expert // groups
        group, local = rank[expert] // size, rank[expert] % size
        y = x.new_empty(flat.numel(), c.n_embd)
        for g in range(groups):
            members = by_load[g * size:(g + 1) * size]
            cap = int(counts[members].max())
            if cap == 0:
                continue
            sel = group == g
            xb = x.new_zeros(size, cap, c.n_embd)
            xb[local[sel], slot[sel]] = x[tok[sel]]
            h = F.silu(torch.bmm(xb, self.w_gate[members].transpose(1, 2))) * torch.bmm(xb, self.w_up[members].transpose(1, 2))
            y[sel] = torch.bmm(h, self.w_down[members].transpose(1, 2))[local[sel], slot[sel]]
        return torch.zeros_like(x).index_add_(0, tok, y * weights.reshape(-1)[order, None])


def sticky_sets(probs, k, cost, starts):
    """[N, k] expert sets chosen token by token as StickyRouter does: keep the current set unless the
    top-k set's summed probability beats it by more than `cost`; a new history starts where `starts`."""
    p = probs.cpu().numpy()
    best = np.argpartition(-p, k - 1, axis=1)[:, :k]
    best_mass = np.take_along_axis(p, best, 1).sum(1)
    fresh = starts.cpu().numpy()
    out = np.empty_like(best)
    current = best[0]
    for t in range(len(p)):
        if fresh[t] or p[t, current].sum() < best_mass[t] - cost:
            current = best[t]
        out[t] = current
    return torch.from_numpy(out).to(probs.device)


class Block(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.attn_norm = RMSNorm(c.n_embd, c.norm_eps)
        self.attn = Attention(c)
        self.ffn_norm = RMSNorm(c.n_embd, c.norm_eps)
        self.ffn = MoE(c) if c.n_expert else FeedForward(c)

    def forward(self, x, cos, sin, cache=None, key_mask=None, segments=None, starts=None):
        x = x + self.attn(self.attn_norm(x), cos, sin, cache, key_mask, segments)
        h = self.ffn_norm(x)
        return x + (self.ffn(h, starts) if isinstance(self.ffn, MoE) else self.ffn(h))


class Transformer(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.c = c
        self.embed = nn.Embedding(c.vocab_size, c.n_embd)
        self.blocks = nn.ModuleList(Block(c) for _ in range(c.n_layer))
        self.norm = RMSNorm(c.n_embd, c.norm_eps)
        self.apply(self._init)
        for n, p in self.named_parameters():
            if n.endswith("wo.weight") or n.endswith("w_down.weight") or n.endswith("w_down"):
                nn.init.normal_(p, std=0.02 / math.sqrt(2 * c.n_layer))

    @staticmethod
    def _init(m):
        if isinstance(m, (nn.Linear, nn.Embedding)):
            nn.init.normal_(m.weight, std=0.02)

    def forward(self, idx, caches=None, start=0, positions=None, key_mask=None, segments=None, head=True):
        """Logits [B, T, vocab] for tokens idx [B, T] at positions start..start+T-1 (tied output), or at
        per-row positions [B, T] with key_mask [B, keys so far] for left-padded batches. segments [B, T]
        (training on packed rows) confines attention to tokens of the same segment; head=False returns the
        final normed hidden states instead of logits (to project only the positions that carry a loss)."""
        B, T = idx.shape
        if positions is None:
            cos, sin = rope_tables(self.c.head_dim, self.c.rope_theta, torch.arange(start, start + T))
        else:
            cos, sin = rope_tables(self.c.head_dim, self.c.rope_theta, positions.reshape(-1))
            cos, sin = cos.view(B, 1, T, -1), sin.view(B, 1, T, -1)
        cos, sin = cos.to(idx.device), sin.to(idx.device)
        x = self.embed(idx)
        starts = None
        if caches is None:  # whole sequences: routing histories begin at each row and each packed dialogue
            first = torch.ones(B, 1, dtype=torch.bool, device=idx.device)
            rest = (segments[:, 1:] != segments[:, :-1]) if segments is not None else torch.zeros(B, T - 1, dtype=torch.bool, device=idx.device)
            starts = torch.cat([first, rest], 1)
            if segments is not None:
                starts = starts | (segments < 0)  # padding carries no routing history
            starts = starts.reshape(-1)
        for i, b in enumerate(self.blocks):
            x = b(x, cos, sin, None if caches is None else caches[i], key_mask, segments, starts)
        x = self.norm(x)
        return x @ self.embed.weight.t() if head else x

    def aux_loss(self):
        losses = [b.ffn.aux_loss for b in self.blocks if isinstance(b.ffn, MoE) and b.ffn.aux_loss is not None]
        return sum(losses) / len(losses) if losses else None

    def switch_loss(self):
        losses = [b.ffn.switch_loss for b in self.blocks if isinstance(b.ffn, MoE) and b.ffn.switch_loss is not None]
        return sum(losses) / len(losses) if losses else None

    def switch_rate(self):
        rates = [b.ffn.switch_rate for b in self.blocks if isinstance(b.ffn, MoE) and b.ffn.switch_rate is not None]
        return sum(rates) / len(rates) if rates else None

    def route_sticky(self, cost):
        """Routes every MoE layer as StickyRouter(cost) does on whole sequences (None: exact top-k)."""
        for b in self.blocks:
            if isinstance(b.ffn, MoE):
                b.ffn.switch_cost = cost

    def balance_over(self, batches):
        """Balances every MoE layer's load over a running average of about `batches` batches (D58);
        0 balances each batch on its own, as Switch Transformer's loss does."""
        for b in self.blocks:
            if isinstance(b.ffn, MoE):
                b.ffn.balance_decay = 1.0 - 1.0 / batches if batches else None

    def n_params(self):
        return sum(p.numel() for p in self.parameters())

    def n_active_params(self):
        c = self.c
        total = self.n_params()
        if not c.n_expert:
            return total
        per_expert = 3 * c.n_ff * c.n_embd
        return total - c.n_layer * (c.n_expert - c.n_expert_used) * per_expert

    @torch.no_grad()
    def generate(self, prompt, max_new, stop=None):
        """Greedy continuation of the token list prompt (KV cache); stops after emitting stop."""
        caches = [dict() for _ in self.blocks]
        logits = self(torch.tensor([prompt]), caches, 0)[0, -1]
        out, pos = [], len(prompt)
        for _ in range(max_new):
            t = int(logits.argmax())
            out.append(t)
            if t == stop or pos >= self.c.context_length:
                break
            logits = self(torch.tensor([[t]]), caches, pos)[0, -1]
            pos += 1
        return out

    @torch.no_grad()
    def generate_batch(self, prompts, max_new, stop=None, choosers=None):
        """generate() for many prompts at once (left padding, per-row positions); same greedy tokens up to
        float rounding of the batched matrix products. choosers, one per prompt, pick each row's token from
        its logits instead of the argmax (faithful_copy.FaithfulCopy, the device's decoding rule)."""
        B, L = len(prompts), max(map(len, prompts))
        pad = torch.tensor([L - len(p) for p in prompts])
        idx = torch.tensor([[0] * (L - len(p)) + list(p) for p in prompts])
        valid = torch.arange(L)[None, :] >= pad[:, None]
        pos = (torch.arange(L)[None, :] - pad[:, None]).clamp(min=0)
        caches = [dict() for _ in self.blocks]
        logits = self(idx, caches, positions=pos, key_mask=valid)[:, -1]
        outs, done = [[] for _ in prompts], [False] * B
        cur = L - pad
        for _ in range(max_new):
            t = logits.argmax(-1)
            if choosers:
                t = torch.tensor([choosers[b].choose(logits[b]) if not done[b] else int(t[b]) for b in range(B)])
            for b in range(B):
                if not done[b]:
                    outs[b].append(int(t[b]))
                    done[b] = int(t[b]) == stop or int(cur[b]) >= self.c.context_length
            if all(done):
                break
            valid = torch.cat([valid, torch.ones(B, 1, dtype=torch.bool)], dim=1)
            logits = self(t[:, None], caches, positions=cur[:, None], key_mask=valid)[:, -1]
            cur = cur + 1
        return outs
