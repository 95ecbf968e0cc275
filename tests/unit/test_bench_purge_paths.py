"""bench/purge_paths.py: the purge's ratios against BulkWriter and the ceiling (issue 16)."""

from __future__ import annotations

from bench import purge_paths, report


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


def test_targets_rows_for_the_purge_against_bulkwriter_and_the_ceiling() -> None:
    rows = report._purge_ratio_rows({"ratio_vs_bulkwriter": 1.05, "ratio_vs_ceiling": 0.75})
    assert rows == [
        "| purge docs/s / BulkWriter | 1.05x | ≥ 1.0x | met |",
        "| purge docs/s / raw batched-delete ceiling | 0.75x | ≥ 0.8x | **missed** |",
    ]
    # Results from before issue 16 have no such keys: the rows say so instead of failing.
    assert all(row.endswith("| n/a |") for row in report._purge_ratio_rows({}))
