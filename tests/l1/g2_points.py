"""alt_bn128 twist points outside the order-r subgroup: where the C++ emulator and the L1 contracts
disagree about ``ecpairing`` (see avm.proofs.l1_verdict)."""

from __future__ import annotations


def _fq2_sqrt(a):  # noqa: ANN001, ANN202 -- py_ecc field elements
    """A square root in F_p^2 (p = 3 mod 4), None when ``a`` is not a square."""
    from py_ecc.optimized_bn128 import optimized_curve as curve

    p = curve.field_modulus
    a1 = a ** ((p - 3) // 4)
    alpha = a1 * a1 * a
    if alpha == curve.FQ2([p - 1, 0]):
        x = curve.FQ2([0, 1]) * a1 * a
    else:
        x = (curve.FQ2.one() + alpha) ** ((p - 1) // 2) * a1 * a
    return x if x * x == a else None


def off_subgroup_g2_point() -> tuple[int, int, int, int]:
    """A point of the alt_bn128 twist that is not in the order-r subgroup: (x0, x1, y0, y1)."""
    from py_ecc.optimized_bn128 import optimized_curve as curve

    for x0 in range(1, 100):
        x = curve.FQ2([x0, 1])
        y = _fq2_sqrt(x ** 3 + curve.b2)
        if y is not None:
            return x0, 1, int(y.coeffs[0]), int(y.coeffs[1])
    raise AssertionError("no twist point found")
