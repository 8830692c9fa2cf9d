"""Fixtures of the compare tests: two hand-made run folders (see factory.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.compare.factory import BAND, baseline_plan, variant_plan, write_plan_folder


@pytest.fixture
def two_plans(tmp_path: Path) -> tuple[Path, Path]:
    """The baseline and the variant as run folders; the variant has an enrolment band."""
    base = write_plan_folder(tmp_path / "base", baseline_plan())
    variant = write_plan_folder(
        tmp_path / "variant",
        variant_plan(),
        extra_summary={"expected_enrolments_band": BAND},
    )
    return base, variant
