"""How long the orienteering core searches on a province (planner/solve/core.py)."""

from __future__ import annotations

import pytest

from planner.solve.core import improving_factor


def test_the_core_may_search_longer_while_it_improves_and_longest_on_small_provinces() -> None:
    assert improving_factor(250) == 3.0  # as far as a search whose days are full goes
    assert improving_factor(547) == 3.0  # Thanh Hóa: searched in parts, which ignore it
    assert improving_factor(242) == 3.0  # Thái Bình
    assert improving_factor(119) == pytest.approx((250 / 119) ** 1.5)  # Quảng Trị, about 3
    assert improving_factor(47) == 8.0  # Đà Nẵng: at most 8 times
    assert improving_factor(0) == 1.0
    sizes = [10, 50, 100, 150, 200, 250]
    factors = [improving_factor(n) for n in sizes]
    assert factors == sorted(factors, reverse=True)
