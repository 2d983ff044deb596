"""Shared recommendation sentences across the sample zones (issue 29: target ≤ 15 %).

A sentence is shared when another zone has the same sentence once the zones'
own names (zone, implementing body, addressee, city, province) are removed.
Usage: python benchmarks/recommendation_overlap.py [zh|en]
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from recdata import sample_results, shared_share

TARGET_PCT = 15.0

if __name__ == "__main__":
    lang = sys.argv[1] if len(sys.argv) > 1 else "zh"
    results = sample_results(lang)
    shared, total = shared_share(results)
    pct = shared / total * 100 if total else 0.0
    recs = sum(len(r["recommendations"]) for r in results.values())
    print(f"{len(results)} zones, {recs} recommendations, {total} sentences; shared {shared} = {pct:.1f}% "
          f"(target ≤ {TARGET_PCT:.0f}%): {'met' if pct <= TARGET_PCT else 'NOT met'}")
