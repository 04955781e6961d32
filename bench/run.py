"""Runs every benchmark in bench/ and writes bench/RESULTS.md from their sections.

Each benchmark module has `async def main(args) -> str` returning a Markdown section
(and writes it to bench/results/<name>.md). `python -m bench.run [name ...]` runs the
named ones (all by default) and rebuilds RESULTS.md from every section file present.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import os
import platform
import subprocess
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).parent
RESULTS = HERE / "results"
BENCHMARKS = ["pacing", "inbound", "scheduler", "scaleout", "enqueue", "demo_start"]


def machine() -> str:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores ({cpu}), "
            f"{memory:.0f} GiB, Python {platform.python_version()}")


def commit() -> str:
    found = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                           text=True, cwd=HERE).stdout.strip()
    return found or "?"


def write_results() -> None:
    sections = [path.read_text() for name in BENCHMARKS
                if (path := RESULTS / f"{name}.md").exists()]
    header = [
        "# Benchmark results", "",
        "Rerun everything with `make bench` (or one: `.venv/bin/python -m bench.run pacing`).",
        "Each figure is a ratio against a baseline measured in the same run, since absolute",
        "times drift on shared machines. Load generators and fakes run on loopback with",
        "TCP_NODELAY set. Each section says when and at which commit it was measured.", "",
        f"Last written {datetime.now(UTC):%Y-%m-%d %H:%M} UTC at commit {commit()} on:",
        f"{machine()}.", "",
    ]
    (HERE / "RESULTS.md").write_text("\n".join(header) + "\n" + "\n\n".join(sections) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("names", nargs="*", help=f"benchmarks to run ({', '.join(BENCHMARKS)})")
    parser.add_argument("--quick", action="store_true", help="smaller sizes, for a smoke run")
    args = parser.parse_args()
    RESULTS.mkdir(exist_ok=True)
    for name in args.names or BENCHMARKS:
        try:
            module = importlib.import_module(f"bench.{name}")
        except ModuleNotFoundError:
            print(f"skipping {name}: no bench/{name}.py yet")
            continue
        print(f"running {name} ...", flush=True)
        section = asyncio.run(module.main(args))
        title, _, rest = section.partition("\n")
        stamp = f"_Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC at commit {commit()}._"
        (RESULTS / f"{name}.md").write_text(f"{title}\n\n{stamp}\n{rest}")
    write_results()
    print(f"wrote {HERE / 'RESULTS.md'}")


if __name__ == "__main__":
    main()
