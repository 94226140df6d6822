"""Random and mutated inputs for the fuzzers: JSON documents (``.mexe``, proof and inbox files),
``.s`` text and breakpoint conditions. Shared by ``tests/fuzz/`` (driven by hypothesis' ``randoms()``)
and ``tools/fuzz_campaign.py``."""

from __future__ import annotations

import json
import random

BIG = ["9" * 80, "9" * 4301, str(1 << 256), str((1 << 256) - 1), str(1 << 64), "-1", "1e999", "-0", "0.5"]
ODD = ["\x0c", "\u2028", "\x1c", "\x85", "\r", "\r\n", "\t", "\x00", "\"", "'", "\\", "é", "\ud800"]


def random_json(rng: random.Random, depth: int = 0) -> object:
    r = rng.random()
    if r < 0.2:
        return int(rng.choice(BIG[2:5])) if rng.random() < 0.3 else rng.randrange(-5, 300)
    if r < 0.3:
        return rng.choice(["", "0x", "zz", "0x" + "ff" * rng.randrange(40), "ab", "1" * 70, "Tuple"])
    if r < 0.4:
        return rng.choice([None, True, False, 1.5])
    if r < 0.6 or depth > 3:
        return {"Int": format(rng.choice([0, 1, rng.randrange(1 << 256)]), "x")}
    if r < 0.7:
        return {"Buffer": bytes(rng.randrange(256) for _ in range(rng.randrange(40))).hex()}
    if r < 0.8:
        return {"CodePoint": {"Internal": rng.choice([0, 1, 2, (1 << 64) - 1, 1 << 64, -1, "x"])}}
    return {"Tuple": [random_json(rng, depth + 1) for _ in range(rng.choice([0, 1, 2, 8, 9]))]}


def _nodes(doc: object) -> list[tuple[object, object]]:
    """(container, key) of every slot in a parsed JSON document (bounded walk)."""
    out: list[tuple[object, object]] = []
    work = [doc]
    while work and len(out) < 20_000:
        x = work.pop()
        items = x.items() if isinstance(x, dict) else enumerate(x) if isinstance(x, list) else ()
        for k, v in items:
            out.append((x, k))
            if isinstance(v, dict | list):
                work.append(v)
    return out


def mutate_json(rng: random.Random, raw: bytes) -> bytes:
    """A structural mutation (a slot replaced, deleted, deepened or duplicated) or a byte-level one."""
    if rng.random() < 0.25:
        return mutate_bytes(rng, raw)
    try:
        doc = json.loads(raw)
    except ValueError:
        return mutate_bytes(rng, raw)
    for _ in range(rng.choice([1, 1, 2, 3])):
        slots = _nodes(doc)
        if not slots:
            break
        parent, key = rng.choice(slots)
        r = rng.random()
        if r < 0.5:
            parent[key] = random_json(rng)  # type: ignore[index]
        elif r < 0.6 and isinstance(parent, dict):
            del parent[key]
        elif r < 0.7:
            value = parent[key]  # type: ignore[index]
            for _ in range(rng.choice([2, 50, 400])):
                value = {"Tuple": [value]} if rng.random() < 0.7 else [value]
            parent[key] = value  # type: ignore[index]
        elif r < 0.8 and isinstance(parent, list):
            parent.extend([parent[key]] * rng.randrange(1, 9))
        else:
            parent[key] = rng.choice([0, -1, 1 << 64, 1 << 256, "", [], {}])  # type: ignore[index]
    try:
        text = json.dumps(doc, separators=(",", ":")) if rng.random() < 0.8 else json.dumps(doc, indent=1)
    except RecursionError:
        return mutate_bytes(rng, raw)
    if rng.random() < 0.05:
        depth = rng.choice([1000, 100_000])
        text = text.replace("{", "[" * depth + "{", 1).replace("}", "}" + "]" * depth, 1)
    if rng.random() < 0.1:
        text = text.replace("0", rng.choice(BIG), 1)
    return text.encode()


def mutate_bytes(rng: random.Random, raw: bytes) -> bytes:
    data = bytearray(raw)
    for _ in range(rng.choice([1, 2, 4, 8])):
        r = rng.random()
        pos = rng.randrange(len(data) + 1)
        if r < 0.3 and data:
            data[min(pos, len(data) - 1)] = rng.randrange(256)
        elif r < 0.5:
            data[pos:pos] = rng.choice(BIG + ODD + ["[", "]", "{", "}", ",", ":", "\"Tuple\":["]).encode(
                "utf-8", "surrogatepass")
        elif r < 0.7 and data:
            end = min(len(data), pos + rng.randrange(1, 64))
            del data[pos:end]
        elif r < 0.85:
            del data[pos:]
        else:
            start = rng.randrange(len(data) + 1)
            data[pos:pos] = data[start:start + rng.randrange(1, 200)]
    return bytes(data)


S_TOKENS = ["push", "add", "dup0", "halt", "error", "tset", "tget 9", "jump", "cjump", "rset", "rpush",
            "spush", "auxpush", "auxpop", "pcpush", "errset @error", "pushinsn", "pushinsnimm", "op(0x71)",
            "op(256)", ".static", ".inbox", ".const", ".break", "loop:", "@loop", "@nowhere", "@error", "(",
            ")", ",", "(1,2,3,4,5,6,7,8,9)", "[de ad", "[00]", "0x", "-0", "1_000", "0xg", ";", ";>", "=",
            ":", "A0", "inbox", "send", "log", "setgas 3", "ecpairing", "keccakf", "newbuffer", "xset 1"]


def mutate_assembly(rng: random.Random, text: str) -> str:
    lines = text.split("\n")
    for _ in range(rng.choice([1, 2, 3, 6])):
        r = rng.random()
        i = rng.randrange(len(lines) + 1)
        if r < 0.3:
            words = [rng.choice(S_TOKENS + BIG + ODD) for _ in range(rng.randrange(1, 5))]
            lines.insert(i, " ".join(words))
        elif r < 0.45 and lines:
            del lines[min(i, len(lines) - 1)]
        elif r < 0.55 and lines:
            lines.insert(i, lines[rng.randrange(len(lines))])
        elif r < 0.7 and lines:
            j = min(i, len(lines) - 1)
            k = rng.randrange(len(lines[j]) + 1)
            lines[j] = lines[j][:k] + rng.choice(ODD + S_TOKENS + BIG) + lines[j][k:]
        elif r < 0.8:
            depth = rng.choice([3, 100, 5000])
            lines.insert(i, "push " + "(" * depth + "1" + ")" * depth)
        elif r < 0.9:
            n = rng.randrange(2, 12)
            lines[i:i] = [".const Q0 = 1"] + [f".const Q{k} = ({', '.join([f'Q{k - 1}'] * 8)})"
                                               for k in range(1, n)] + [f"push Q{n - 1}", "halt"]
        else:
            lines.insert(i, "push [" + "ff" * rng.choice([1, 33, 5000]) + "]")
    return "\n".join(lines)


CONDITION_TOKENS = ["s0", "s1", "a0", "reg", "static", "gas", "step", "pc", "top", "==", "!=", "<", ">=",
                    "and", "or", "not", "!", "(", ")", "[", "]", "0", "1", "0x10", "-1", "'x'", "\"",
                    "s1[2][0]", "type(s0)", "len(s0)", "true", "9" * 90, "s99999999999999999999", "@", "&&"]


def random_condition(rng: random.Random) -> str:
    r = rng.random()
    if r < 0.1:
        n = rng.choice([50, 300, 2000])
        return "(" * n + "s0 == 1" + ")" * n
    if r < 0.15:
        return "!" * rng.choice([10, 1000, 5000]) + "s0"
    return " ".join(rng.choice(CONDITION_TOKENS) for _ in range(rng.randrange(1, 12)))
