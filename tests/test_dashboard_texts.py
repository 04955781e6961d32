"""The dashboard's wording: every text it uses exists in Swedish and English."""

from __future__ import annotations

import re
from importlib.resources import files
from pathlib import Path

import pytest

from messages import read_catalog

KEY = re.compile(r"""["'](staff\.web\.[a-z0-9_.-]+)["']""")
WEB = files("bot") / "web"
SOURCES = [Path(str(WEB / "dashboard")), Path(str(WEB / "templates" / "staff"))]


def used_keys() -> set[str]:
    keys: set[str] = set()
    for folder in SOURCES:
        for path in folder.iterdir():
            if path.suffix in (".py", ".html"):
                keys.update(KEY.findall(path.read_text(encoding="utf-8")))
    return keys


def catalog_ids(language: str) -> set[str]:
    return {m.id for m in read_catalog(language) if isinstance(m.id, str) and m.id.startswith("staff.web.")}


def test_the_dashboard_uses_catalog_texts():
    assert len(used_keys()) > 50


@pytest.mark.parametrize("language", ["sv", "en"])
def test_every_text_the_dashboard_names_is_in_the_catalog(language):
    ids = catalog_ids(language)
    missing = sorted(key for key in used_keys() if not key.endswith(".") and key not in ids)
    assert not missing, f"missing in {language}: {missing}"
    prefixes = sorted(key for key in used_keys() if key.endswith("."))
    assert all(any(i.startswith(p) for i in ids) for p in prefixes)


def test_both_languages_have_the_same_dashboard_ids():
    assert catalog_ids("sv") == catalog_ids("en")
