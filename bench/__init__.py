"""Benchmarks of AVMeets against baselines (``nox -s bench``); see bench/run.py."""
