"""Vietnamese names folded for matching: no diacritics, đ -> d."""

from __future__ import annotations

import re
import unicodedata

_NOT_ALNUM = re.compile(r"[^a-z0-9]")


def ascii_fold(text: str) -> str:
    """Return `text` without diacritics, keeping case ('Đắk Lắk' -> 'Dak Lak')."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def name_key(text: str) -> str:
    """Return the matching key of a name: folded, lower case, letters and digits only.

    'y' is read as 'i' because both spellings occur for the same name ('Phú Quý' and
    'Phú Quí').
    """
    return _NOT_ALNUM.sub("", ascii_fold(text).lower()).replace("y", "i")


def strip_type(full_name: str, unit_type: str) -> str:
    """Return a unit's name without its type word ('Huyện Kỳ Anh', 'Huyện' -> 'Kỳ Anh')."""
    prefix = unit_type.lower() + " "
    return full_name[len(prefix) :] if full_name.lower().startswith(prefix) else full_name


def split_type(full_name: str, types: tuple[str, ...], fallback: str) -> tuple[str, str]:
    """Split 'Thị Trấn Ái Tử' into ('Thị trấn', 'Ái Tử'): the name's own type word, spelt as
    in `types` (matched without regard to case), or `fallback` if it has none."""
    lowered = full_name.lower()
    for unit_type in sorted(types, key=len, reverse=True):
        prefix = unit_type.lower() + " "
        if lowered.startswith(prefix):
            return unit_type, full_name[len(prefix) :].strip()
    return fallback, full_name.strip()
