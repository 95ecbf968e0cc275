"""The app's privacy page stays in step with docs/data-inventory.md and the privacy promise.

The page lists every stored field from ``inventory.gen.ts`` (generated from the inventory) and
explains each collection in plain words (``stored.ts``); both must cover exactly the inventory's
collections. The generator is also run on edited inventories, to show the checks can fail.
"""

from __future__ import annotations

import re
from pathlib import Path

from tests.emulator.support.inventory import _pattern, load_inventory
from tools import gen_privacy

ROOT = Path(__file__).resolve().parents[2]
PLAIN = ROOT / "web" / "src" / "features" / "privacy" / "stored.ts"
PAGE = ROOT / "web" / "src" / "features" / "privacy" / "PrivacyPage.tsx"
#: The product's promise: shared/ sits beside the checkout (CI) or above the worktrees.
PROMISES = [
    ROOT.parent / "shared" / "privacy-promise.txt",
    Path("/work/shared/privacy-promise.txt"),
]


def plain_keys() -> set[str]:
    return set(re.findall(r'^  "([^"]+)": \{$', PLAIN.read_text(encoding="utf-8"), re.M))


def test_the_generated_field_list_is_fresh() -> None:
    assert gen_privacy.main(["--check"]) == 0, "run python -m tools.gen_privacy"


def test_the_page_lists_every_field_of_every_collection() -> None:
    inventory = load_inventory()
    parsed = gen_privacy.parse(gen_privacy.INVENTORY.read_text(encoding="utf-8"))
    assert [c["collection"] for c in parsed] == list(inventory)
    for collection in parsed:
        _, patterns = inventory[collection["collection"]]
        listed = [
            _pattern(name.strip(), ".").pattern
            for field in collection["fields"]
            for name in field["field"].split(",")
        ]
        assert listed == [p.pattern for p in patterns], collection["collection"]
        assert collection["why"], f"{collection['collection']}: no 'Why:' in the inventory"


def test_every_collection_is_explained_in_plain_words() -> None:
    assert plain_keys() == set(load_inventory())


def test_an_undocumented_collection_would_be_noticed() -> None:
    text = gen_privacy.INVENTORY.read_text(encoding="utf-8")
    table = "| field | type | why |\n|---|---|---|\n| `a` | b | c |\n"
    extra = f"{text}\n### `secrets/{{id}}`\n\nWhy: x.\n\n{table}"
    parsed = gen_privacy.parse(extra)
    assert parsed[-1] == {
        "collection": "secrets/{id}",
        "why": "x.",
        "deleted": "",
        "fields": [{"field": "a", "type": "b", "why": "c"}],
    }
    assert parsed[-1]["collection"] not in plain_keys()


def test_the_page_keeps_the_promise() -> None:
    """Each thing the promise says is stored, or never stored, is said on the page."""
    page = PAGE.read_text(encoding="utf-8")
    for phrase in (
        "We store only the call record (CDR)",
        "who connected with whom",
        "network addresses",
        "country and provider",
        "never reach our servers",
        "encrypted with DTLS",
        "A recording stays in the browser that made",
        "deleted after a week",
        "Google Analytics",
        'href="/my-data"',
    ):
        assert phrase in page, phrase
    for promise in (p.read_text(encoding="utf-8") for p in PROMISES if p.exists()):
        # The sentences the page restates are still the promise's.
        for sentence in ("We store only your CDR", "Google Analytics", "temporarily stored"):
            assert sentence in promise, sentence
