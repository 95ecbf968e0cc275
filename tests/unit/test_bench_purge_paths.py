"""bench/purge_paths.py: the purge's ratios against BulkWriter and the ceiling (issue 16)."""

from __future__ import annotations

from bench import purge_paths


def test_ratios_of_the_public_path_against_the_references() -> None:
    rates = {"public": 6000.0, "bulkwriter": 5000.0, "ceiling": 7500.0, "private": 12000.0}
    assert purge_paths.purge_ratios(rates) == {
        "ratio_vs_bulkwriter": 1.2,
        "ratio_vs_ceiling": 0.8,
    }


def test_ratios_are_none_for_a_variant_not_measured() -> None:
    assert purge_paths.purge_ratios({"public": 6000.0, "bulkwriter": 0.0}) == {
        "ratio_vs_bulkwriter": None,
        "ratio_vs_ceiling": None,
    }


def test_every_variant_is_a_deleter_or_standalone() -> None:
    assert purge_paths.VARIANTS[0] == "public"
    assert set(purge_paths.STANDALONE) <= set(purge_paths.VARIANTS)
