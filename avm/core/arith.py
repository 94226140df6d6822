"""Pure arithmetic and crypto helpers shared by the machine and the verifier (no machine state here).

All integers are Python ints in [0, 2**256). Functions that can fail the way an AVM instruction fails
return ``None`` (the caller raises the AVM error); they never raise on any input.
"""

from __future__ import annotations

import operator
import struct
import sys
from collections.abc import Callable, Iterable

from avm.core.keccak import keccak256

MASK = (1 << 256) - 1
SIGN = 1 << 255
MOD = 1 << 256
MASK64 = (1 << 64) - 1


# ----------------------------------------------------------------------------- signed helpers
def to_signed(n: int) -> int:
    """Two's-complement reading of a 256-bit value."""
    return n - MOD if n & SIGN else n


def from_signed(n: int) -> int:
    return n & MASK


def sdiv(a: int, b: int) -> int:
    """Signed division truncated toward zero (b != 0); (-2**255) / -1 wraps to -2**255."""
    sa, sb = to_signed(a), to_signed(b)
    q = abs(sa) // abs(sb)
    if (sa < 0) != (sb < 0):
        q = -q
    return q & MASK


def smod(a: int, b: int) -> int:
    """Signed remainder with the sign of the dividend (b != 0)."""
    sa, sb = to_signed(a), to_signed(b)
    r = abs(sa) % abs(sb)
    if sa < 0:
        r = -r
    return r & MASK


def slt(a: int, b: int) -> int:
    return 1 if to_signed(a) < to_signed(b) else 0


def sgt(a: int, b: int) -> int:
    return 1 if to_signed(a) > to_signed(b) else 0


def signextend(k: int, v: int) -> int:
    """Sign-extend ``v`` from byte ``k`` (counted from the least significant); k >= 31 leaves v."""
    if k >= 31:
        return v
    bit = 8 * k + 7
    sign_mask = 1 << bit
    if v & sign_mask:
        return (v | (MASK ^ (sign_mask - 1))) & MASK
    return v & (sign_mask - 1)


def byte_of(i: int, v: int) -> int:
    """Byte ``i`` of ``v`` counted from the most significant (0 when i >= 32)."""
    if i >= 32:
        return 0
    return (v >> (248 - 8 * i)) & 0xFF


def shl(shift: int, v: int) -> int:
    return 0 if shift >= 256 else (v << shift) & MASK


def shr(shift: int, v: int) -> int:
    return 0 if shift >= 256 else v >> shift


def sar(shift: int, v: int) -> int:
    if not v & SIGN:
        return shr(shift, v)
    if shift >= 256:
        return MASK
    return ((v >> shift) | (MASK ^ (MASK >> shift))) & MASK


def exp(base: int, e: int) -> int:
    return pow(base, e, MOD)


def ethhash2(a: int, b: int) -> int:
    return int.from_bytes(keccak256(a.to_bytes(32, "big") + b.to_bytes(32, "big")), "big")


# ----------------------------------------------------------------------------- keccak-f[1600]
# The whole state is ONE 1600-bit int S: lane i = x + 5y sits at bits 64i..64i+63, which is exactly
# int.from_bytes(200-byte state, "little"). CPython does a bitwise op on a 1600-bit int almost as fast as
# on a 64-bit one, so each step works on all 25 lanes at once with a few masked shifts (~3x fewer
# Python-level ops than 25 lane variables):
#   theta: fold the five 320-bit rows into the column parities C, then D = C[x-1] ^ rot1(C[x+1]) is
#          computed on C doubled (C | C << 320) and XORed into every row;
#   rho:   six stages; stage k rotates by 2**k every lane whose offset has bit k set;
#   pi:    a pure lane permutation, cheapest as struct unpack -> reorder -> pack;
#   chi:   each lane's x+1 and x+2 row neighbours are two masked shift pairs; ~a & b is (a | b) ^ a.
_RC = (
    0x0000000000000001, 0x0000000000008082, 0x800000000000808A, 0x8000000080008000,
    0x000000000000808B, 0x0000000080000001, 0x8000000080008081, 0x8000000000008009,
    0x000000000000008A, 0x0000000000000088, 0x0000000080008009, 0x000000008000000A,
    0x000000008000808B, 0x800000000000008B, 0x8000000000008089, 0x8000000000008003,
    0x8000000000008002, 0x8000000000000080, 0x000000000000800A, 0x800000008000000A,
    0x8000000080008081, 0x8000000000008080, 0x0000000080000001, 0x8000000080008008,
)
# rho rotation offsets r[x + 5y]
_ROT = (0, 1, 62, 28, 27, 36, 44, 6, 55, 20, 3, 10, 43, 25, 39, 41, 45, 15, 21, 8, 18, 2, 61, 56, 14)
# pi moves lane x + 5y to y + 5*((2x + 3y) mod 5); _PI_SRC[j] is the lane that lands in slot j
_PI_SRC = [0] * 25
for _x in range(5):
    for _y in range(5):
        _PI_SRC[_y + 5 * ((2 * _x + 3 * _y) % 5)] = _x + 5 * _y
_PI_SRC_GETTER = operator.itemgetter(*_PI_SRC)
_LANES = struct.Struct("<25Q")


def _lane_mask(lanes: Iterable[int], bits: int = MASK64) -> int:
    """``bits`` repeated in every listed lane of a 1600-bit state."""
    return sum(bits << (64 * i) for i in lanes)


_M320 = (1 << 320) - 1                                    # one row
_ROT1_HI = _lane_mask(range(5), MASK64 ^ 1)               # row 0, bits 1..63 of each lane
_ROT1_LO = _lane_mask(range(5), 1)                        # row 0, bit 0 of each lane
# rho stage k: (lanes kept, bits kept from S << 2**k, bits kept from S >> (64 - 2**k))
_RHO = tuple(
    (_lane_mask(i for i in range(25) if not _ROT[i] >> k & 1),
     _lane_mask((i for i in range(25) if _ROT[i] >> k & 1), (MASK64 << (1 << k)) & MASK64),
     _lane_mask((i for i in range(25) if _ROT[i] >> k & 1), (1 << (1 << k)) - 1))
    for k in range(6))
_X_LT4 = _lane_mask(i for i in range(25) if i % 5 < 4)   # lanes whose x+1 neighbour is 64 bits up
_X_EQ4 = _lane_mask(i for i in range(25) if i % 5 == 4)
_X_LT3 = _lane_mask(i for i in range(25) if i % 5 < 3)   # lanes whose x+2 neighbour is 128 bits up
_X_GE3 = _lane_mask(i for i in range(25) if i % 5 >= 3)


def keccak_p1600(s: int) -> int:
    """Keccak-f[1600] on the state as one int (lane i = x + 5y at bits 64i..64i+63; see above)."""
    unpack, pack, pi_order, from_bytes = _LANES.unpack, _LANES.pack, _PI_SRC_GETTER, int.from_bytes
    m320, r1hi, r1lo = _M320, _ROT1_HI, _ROT1_LO
    (k0, h0, l0), (k1, h1, l1), (k2, h2, l2), (k3, h3, l3), (k4, h4, l4), (k5, h5, l5) = _RHO
    xlt4, xeq4, xlt3, xge3 = _X_LT4, _X_EQ4, _X_LT3, _X_GE3
    for rc in _RC:
        # theta
        t = s ^ (s >> 640)
        t ^= t >> 320
        c = (t ^ (s >> 1280)) & m320
        c |= c << 320
        d = ((c >> 256) & m320) ^ ((c >> 63) & r1hi) ^ ((c >> 127) & r1lo)
        e = d | (d << 320)
        s ^= e ^ (e << 640) ^ (d << 1280)
        # rho
        s = (s & k0) | ((s << 1) & h0) | ((s >> 63) & l0)
        s = (s & k1) | ((s << 2) & h1) | ((s >> 62) & l1)
        s = (s & k2) | ((s << 4) & h2) | ((s >> 60) & l2)
        s = (s & k3) | ((s << 8) & h3) | ((s >> 56) & l3)
        s = (s & k4) | ((s << 16) & h4) | ((s >> 48) & l4)
        s = (s & k5) | ((s << 32) & h5) | ((s >> 32) & l5)
        # pi
        s = from_bytes(pack(*pi_order(unpack(s.to_bytes(200, "little")))), "little")
        # chi and iota
        b1 = ((s >> 64) & xlt4) | ((s << 256) & xeq4)
        b2 = ((s >> 128) & xlt3) | ((s << 192) & xge3)
        s ^= ((b1 | b2) ^ b1) ^ rc
    return s


def keccak_f1600(lanes: list[int]) -> list[int]:
    """The raw Keccak-f[1600] permutation on 25 64-bit lanes (FIPS-202 order x + 5y)."""
    s = int.from_bytes(_LANES.pack(*lanes), "little")
    return list(_LANES.unpack(keccak_p1600(s).to_bytes(200, "little")))


def _choose_p1600(s: int) -> int:
    """The first permutation: picks the C one (:mod:`avm.core.keccak_native`, self-checked against
    :func:`keccak_p1600`) or, without it, the pure one, for this and every later call."""
    global _p1600
    from avm.core.keccak_native import native_p1600

    _p1600 = native_p1600(keccak_p1600) or keccak_p1600
    return _p1600(s)


_p1600: Callable[[int], int] = _choose_p1600


def keccakf(ints: list[int]) -> list[int]:
    """The ``keccakf`` opcode on 7 ints: I_j holds lanes 4j..4j+3, lane 4j in the low 64 bits
    (little-endian state bytes); I6 contributes its low 64 bits (lane 24). Returns 7 ints packed alike."""
    i0, i1, i2, i3, i4, i5, i6 = ints
    s = _p1600(
        (i0 & MASK) | (i1 & MASK) << 256 | (i2 & MASK) << 512 | (i3 & MASK) << 768
        | (i4 & MASK) << 1024 | (i5 & MASK) << 1280 | (i6 & MASK64) << 1536)
    return [s & MASK, (s >> 256) & MASK, (s >> 512) & MASK, (s >> 768) & MASK,
            (s >> 1024) & MASK, (s >> 1280) & MASK, s >> 1536]


# ----------------------------------------------------------------------------- sha-256 compression
_K256 = [
    0x428A2F98, 0x71374491, 0xB5C0FBCF, 0xE9B5DBA5, 0x3956C25B, 0x59F111F1, 0x923F82A4, 0xAB1C5ED5,
    0xD807AA98, 0x12835B01, 0x243185BE, 0x550C7DC3, 0x72BE5D74, 0x80DEB1FE, 0x9BDC06A7, 0xC19BF174,
    0xE49B69C1, 0xEFBE4786, 0x0FC19DC6, 0x240CA1CC, 0x2DE92C6F, 0x4A7484AA, 0x5CB0A9DC, 0x76F988DA,
    0x983E5152, 0xA831C66D, 0xB00327C8, 0xBF597FC7, 0xC6E00BF3, 0xD5A79147, 0x06CA6351, 0x14292967,
    0x27B70A85, 0x2E1B2138, 0x4D2C6DFC, 0x53380D13, 0x650A7354, 0x766A0ABB, 0x81C2C92E, 0x92722C85,
    0xA2BFE8A1, 0xA81A664B, 0xC24B8B70, 0xC76C51A3, 0xD192E819, 0xD6990624, 0xF40E3585, 0x106AA070,
    0x19A4C116, 0x1E376C08, 0x2748774C, 0x34B0BCB5, 0x391C0CB3, 0x4ED8AA4A, 0x5B9CCA4F, 0x682E6FF3,
    0x748F82EE, 0x78A5636F, 0x84C87814, 0x8CC70208, 0x90BEFFFA, 0xA4506CEB, 0xBEF9A3F7, 0xC67178F2,
]
SHA256_IV = 0x6A09E667BB67AE853C6EF372A54FF53A510E527F9B05688C1F83D9AB5BE0CD19


def sha256_compress(state: int, block: bytes) -> int:
    """One SHA-256 compression (with feed-forward). ``state`` packs H0..H7 big-endian (H0 on top)."""
    m32 = 0xFFFFFFFF
    h = [(state >> (224 - 32 * i)) & m32 for i in range(8)]
    w = [int.from_bytes(block[4 * i:4 * i + 4], "big") for i in range(16)]
    for i in range(16, 64):
        x, y = w[i - 15], w[i - 2]
        s0 = ((x >> 7) | (x << 25)) ^ ((x >> 18) | (x << 14)) ^ (x >> 3)
        s1 = ((y >> 17) | (y << 15)) ^ ((y >> 19) | (y << 13)) ^ (y >> 10)
        w.append((w[i - 16] + s0 + w[i - 7] + s1) & m32)
    a, b, c, d, e, f, g, hh = h
    for i in range(64):
        s1 = ((e >> 6) | (e << 26)) ^ ((e >> 11) | (e << 21)) ^ ((e >> 25) | (e << 7))
        ch = (e & f) ^ (~e & g)
        t1 = (hh + (s1 & m32) + ch + _K256[i] + w[i]) & m32
        s0 = ((a >> 2) | (a << 30)) ^ ((a >> 13) | (a << 19)) ^ ((a >> 22) | (a << 10))
        maj = (a & b) ^ (a & c) ^ (b & c)
        t2 = ((s0 & m32) + maj) & m32
        hh, g, f, e, d, c, b, a = g, f, e, (d + t1) & m32, c, b, a, (t1 + t2) & m32
    out = 0
    for x, y in zip(h, (a, b, c, d, e, f, g, hh), strict=True):
        out = (out << 32) | ((x + y) & m32)
    return out


def sha256f(state: int, first: int, second: int) -> int:
    """The ``sha256f`` opcode: compress block be32(first) || be32(second) into ``state``."""
    return sha256_compress(state, first.to_bytes(32, "big") + second.to_bytes(32, "big"))


# ----------------------------------------------------------------------------- secp256k1 recover
_SECP_P = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEFFFFFC2F
_SECP_N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141
_SECP_G = (0x79BE667EF9DCBBAC55A06295CE870B07029BFCDB2DCE28D959F2815B16F81798,
           0x483ADA7726A3C4655DA4FBFC0E1108A8FD17B448A68554199C47D08FFB10D4B8)


def _jac_double(p: tuple[int, int, int]) -> tuple[int, int, int]:
    x, y, z = p
    if y == 0 or z == 0:
        return (0, 0, 0)
    P = _SECP_P
    ysq = y * y % P
    s = 4 * x * ysq % P
    m = 3 * x * x % P
    nx = (m * m - 2 * s) % P
    ny = (m * (s - nx) - 8 * ysq * ysq) % P
    nz = 2 * y * z % P
    return (nx, ny, nz)


def _jac_add(p: tuple[int, int, int], q: tuple[int, int, int]) -> tuple[int, int, int]:
    if p[2] == 0:
        return q
    if q[2] == 0:
        return p
    P = _SECP_P
    x1, y1, z1 = p
    x2, y2, z2 = q
    z1s, z2s = z1 * z1 % P, z2 * z2 % P
    u1, u2 = x1 * z2s % P, x2 * z1s % P
    s1, s2 = y1 * z2s * z2 % P, y2 * z1s * z1 % P
    if u1 == u2:
        if s1 != s2:
            return (0, 0, 0)
        return _jac_double(p)
    h = (u2 - u1) % P
    r = (s2 - s1) % P
    h2 = h * h % P
    h3 = h * h2 % P
    u1h2 = u1 * h2 % P
    nx = (r * r - h3 - 2 * u1h2) % P
    ny = (r * (u1h2 - nx) - s1 * h3) % P
    nz = h * z1 * z2 % P
    return (nx, ny, nz)


def _jac_mul(p: tuple[int, int, int], k: int) -> tuple[int, int, int]:
    result = (0, 0, 0)
    addend = p
    while k:
        if k & 1:
            result = _jac_add(result, addend)
        addend = _jac_double(addend)
        k >>= 1
    return result


def ecrecover(r: int, s: int, recovery_id: int, message_hash: int) -> int:
    """The ``ecrecover`` opcode: the signer's address as an int, or 0 on any failure."""
    n, P = _SECP_N, _SECP_P
    if recovery_id not in (0, 1) or not 0 < r < n or not 0 < s < n:
        return 0
    x = r
    alpha = (pow(x, 3, P) + 7) % P
    y = pow(alpha, (P + 1) // 4, P)
    if y * y % P != alpha:
        return 0
    if (y & 1) != recovery_id:
        y = P - y
    e = message_hash % n
    rinv = pow(r, -1, n)
    # Q = r^-1 (s R - e G)
    sr = _jac_mul((x, y, 1), s)
    eg = _jac_mul((_SECP_G[0], _SECP_G[1], 1), (n - e) % n)
    q = _jac_add(sr, eg)
    q = _jac_mul(q, rinv)
    if q[2] == 0:
        return 0
    zinv = pow(q[2], -1, P)
    qx = q[0] * zinv * zinv % P
    qy = q[1] * zinv * zinv * zinv % P
    digest = keccak256(qx.to_bytes(32, "big") + qy.to_bytes(32, "big"))
    return int.from_bytes(digest[12:], "big")


# ----------------------------------------------------------------------------- alt_bn128
def _bn():
    limit = sys.getrecursionlimit()
    from py_ecc.optimized_bn128 import optimized_curve as curve
    from py_ecc.optimized_bn128 import optimized_pairing as pairing

    # importing py_ecc raises the interpreter's recursion limit to 100,000 for its recursive scalar
    # multiply (not used here); with that limit, C recursion such as json.loads of a deeply nested file
    # overflows the C stack and kills the process instead of raising RecursionError
    sys.setrecursionlimit(limit)
    return curve, pairing


def _g1(x: int, y: int):
    """A G1 point from affine ints, None if invalid; (0, 0) is the point at infinity."""
    curve, _ = _bn()
    p = curve.field_modulus
    if x == 0 and y == 0:
        return curve.Z1
    if x >= p or y >= p:
        return None
    pt = (curve.FQ(x), curve.FQ(y), curve.FQ.one())
    if not curve.is_on_curve(pt, curve.b):
        return None
    return pt


def _g2(x0: int, x1: int, y0: int, y1: int):
    curve, _ = _bn()
    p = curve.field_modulus
    if x0 == 0 and x1 == 0 and y0 == 0 and y1 == 0:
        return curve.Z2
    if x0 >= p or x1 >= p or y0 >= p or y1 >= p:
        return None
    pt = (curve.FQ2([x0, x1]), curve.FQ2([y0, y1]), curve.FQ2.one())
    if not curve.is_on_curve(pt, curve.b2):
        return None
    return pt


def _to_affine(pt) -> tuple[int, int]:
    curve, _ = _bn()
    if curve.is_inf(pt):
        return 0, 0
    x, y = curve.normalize(pt)
    return int(x.n), int(y.n)


def ecadd(ax: int, ay: int, bx: int, by: int) -> tuple[int, int] | None:
    """alt_bn128 point addition; None when a point is invalid."""
    curve, _ = _bn()
    a = _g1(ax, ay)
    b = _g1(bx, by)
    if a is None or b is None:
        return None
    return _to_affine(curve.add(a, b))


def ecmul(x: int, y: int, k: int) -> tuple[int, int] | None:
    """alt_bn128 scalar multiplication; None when the point is invalid."""
    curve, _ = _bn()
    a = _g1(x, y)
    if a is None:
        return None
    if curve.is_inf(a) or k == 0:
        return 0, 0
    # iterative double-and-add (py_ecc's multiply recurses once per bit)
    result = None
    addend = a
    while k:
        if k & 1:
            result = addend if result is None else curve.add(result, addend)
        addend = curve.double(addend)
        k >>= 1
    return _to_affine(result)


def ecpairing(pairs: list[tuple[int, int, int, int, int, int]]) -> int | None:
    """1 if the product of pairings e(g1_i, g2_i) is the identity, else 0; None on an invalid point.
    Each item is (g1x, g1y, g2x_c0, g2x_c1, g2y_c0, g2y_c1); pairs with a zero point are skipped."""
    curve, pairing = _bn()
    acc = curve.FQ12.one()
    for g1x, g1y, x0, x1, y0, y1 in pairs:
        g1 = _g1(g1x, g1y)
        g2 = _g2(x0, x1, y0, y1)
        if g1 is None or g2 is None:
            return None
        if curve.is_inf(g1) or curve.is_inf(g2):
            continue
        try:
            acc = acc * pairing.pairing(g2, g1, final_exponentiate=False)
        except (ZeroDivisionError, ValueError, AssertionError):
            # py_ecc may divide by zero on degenerate (off-subgroup) twist points: treat as invalid
            return None
    result = pairing.final_exponentiate(acc)
    return 1 if result == curve.FQ12.one() else 0
