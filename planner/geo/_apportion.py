"""Whole-number shares that add up exactly (largest-remainder apportionment)."""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction


def largest_remainder(total: int, weights: Sequence[int | float | Fraction]) -> list[int]:
    """Split the integer `total` in proportion to `weights`; the shares sum to `total`.

    Each share is the floor of its exact quota total * w / sum(w); the units left over go
    one each to the largest fractional parts, ties to the earlier index. Quotas are exact
    fractions, so the result does not depend on floating-point rounding. All-zero weights
    split equally.
    """
    if total < 0:
        raise ValueError(f"cannot apportion a negative total {total}")
    if not weights:
        if total:
            raise ValueError(f"cannot apportion {total} among no shares")
        return []
    exact = [Fraction(w) for w in weights]
    if any(w < 0 for w in exact):
        raise ValueError("weights must not be negative")
    weight_sum = sum(exact)
    if weight_sum == 0:
        exact = [Fraction(1)] * len(exact)
        weight_sum = Fraction(len(exact))
    quotas = [total * w / weight_sum for w in exact]
    shares = [q.numerator // q.denominator for q in quotas]
    left = total - sum(shares)
    order = sorted(range(len(quotas)), key=lambda i: (-(quotas[i] - shares[i]), i))
    for i in order[:left]:
        shares[i] += 1
    return shares
