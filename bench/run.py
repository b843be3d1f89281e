"""Run every benchmark (``make bench``); each writes bench/results/<name>.json.

``BENCH_SCALE=small`` runs the same code on small data in under a minute;
``BENCH_RUNS=3`` makes three consecutive runs, each written into the result.
A benchmark module is ``bench/bench_<name>.py`` with ``run() -> dict``; the dict's
top-level ``meets_target`` is its verdict (false makes the exit status non-zero).
"""

from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from bench.common import setup_django, write_result  # noqa: E402


def main(selected: list[str]) -> int:
    setup_django()
    names = sorted(path.stem.removeprefix("bench_") for path in HERE.glob("bench_*.py"))
    if selected:
        names = [name for name in names if name in selected]
    failed = False
    for name in names:
        module = importlib.import_module(f"bench.bench_{name}")
        result = module.run()
        path = write_result(name, result)
        print(json.dumps({"benchmark": name, **result.get("summary", {})}))
        print(f"  -> {path.relative_to(HERE.parent)}")
        failed = failed or result.get("meets_target") is False
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
