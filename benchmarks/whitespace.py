"""Measure the holes the layout leaves on generated issues, from the rendered pages.

Run it with ``.venv/bin/python benchmarks/whitespace.py [--seeds 30] [--out out/whitespace.json]``.
Each seed's issue (tests/generated.py) is built, email edition, in English
and Russian, in a temporary folder; every page is measured by
:mod:`bulletin.preflight.whitespace` inside the layout's type area. It prints
one line per edition and a summary against the targets (no empty region over
15 cm², a mean empty share of at most 4 %), and writes every region to JSON.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

from bulletin.build import build_issue  # noqa: E402
from bulletin.preflight.whitespace import (  # noqa: E402
    LARGEST_EMPTY_CM2,
    MEAN_EMPTY_SHARE,
    PageSpace,
    layout_type_areas,
    mean_empty_share,
    measure_pdf,
)
from generated import make_issue  # type: ignore[import-not-found]  # noqa: E402


def _summary(spaces: list[PageSpace]) -> dict[str, Any]:
    return {
        "pages": len(spaces),
        "pages_over_15cm2": sum(space.largest_cm2 > LARGEST_EMPTY_CM2 for space in spaces),
        "largest_cm2": max((space.largest_cm2 for space in spaces), default=0.0),
        "mean_empty_share": mean_empty_share(spaces),
        "last_page_empty_share": spaces[-1].empty_share if spaces else 0.0,
    }


def main() -> None:
    """Build and measure the generated issues; print the table and write the JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=30, help="how many seeds, from 0")
    parser.add_argument("--first", type=int, default=0, help="the first seed")
    parser.add_argument("--out", type=Path, default=REPO / "out" / "whitespace.json")
    arguments = parser.parse_args()
    areas = layout_type_areas(REPO / "layouts" / "standard")
    editions: list[dict[str, Any]] = []
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="bulletin-whitespace-") as folder:
        for seed in range(arguments.first, arguments.first + arguments.seeds):
            root = Path(folder) / str(seed)
            issue = make_issue(seed, root)
            for result in build_issue(root, issue.month, root / "out", edition="email"):
                spaces = measure_pdf(result.path, areas)
                summary = _summary(spaces)
                editions.append(
                    {
                        "seed": seed,
                        "language": result.language,
                        "stories": issue.stories,
                        **summary,
                        "regions": [
                            {
                                "page": space.page,
                                "empty_share": round(space.empty_share, 4),
                                "regions": [
                                    {"area_cm2": region.area_cm2, "box_mm": region.box}
                                    for region in space.regions
                                ],
                            }
                            for space in spaces
                        ],
                    }
                )
                print(
                    f"seed {seed:2d} {result.language}: {summary['pages']:2d} pages, "
                    f"{summary['pages_over_15cm2']:2d} with a hole > {LARGEST_EMPTY_CM2:g} cm², "
                    f"largest {summary['largest_cm2']:6.1f} cm², "
                    f"mean empty {100 * summary['mean_empty_share']:5.1f} %, "
                    f"last page {100 * summary['last_page_empty_share']:5.1f} %",
                    flush=True,
                )
    pages = sum(edition["pages"] for edition in editions)
    over = sum(edition["pages_over_15cm2"] for edition in editions)
    shares = [page["empty_share"] for edition in editions for page in edition["regions"]]
    last = [edition["last_page_empty_share"] for edition in editions]
    totals = {
        "editions": len(editions),
        "pages": pages,
        "pages_over_15cm2": over,
        "editions_meeting_targets": sum(
            edition["pages_over_15cm2"] == 0 and edition["mean_empty_share"] <= MEAN_EMPTY_SHARE
            for edition in editions
        ),
        "mean_empty_share": statistics.fmean(shares),
        "median_largest_cm2": statistics.median(edition["largest_cm2"] for edition in editions),
        "mean_last_page_empty_share": statistics.fmean(last),
        "seconds": round(time.perf_counter() - started, 1),
    }
    print(
        f"\n{totals['editions']} editions, {pages} pages: {over} pages "
        f"({100 * over / pages:.0f} %) with an empty region over {LARGEST_EMPTY_CM2:g} cm²; "
        f"mean empty share {100 * totals['mean_empty_share']:.1f} % "
        f"(target {100 * MEAN_EMPTY_SHARE:g} %); last pages "
        f"{100 * totals['mean_last_page_empty_share']:.0f} % empty on average; "
        f"{totals['editions_meeting_targets']} editions meet both targets"
    )
    arguments.out.parent.mkdir(parents=True, exist_ok=True)
    arguments.out.write_text(json.dumps({"totals": totals, "editions": editions}, indent=1))


if __name__ == "__main__":
    main()
