"""Start-up: the wall time of a whole `hocr check examples/incidents.jsonl --format jsonl`, beside `import hocr_rules`.

On the 50-odd examples the screening itself is a few milliseconds; what a user waits for is the interpreter,
the imports and the rule pack. Each run is a fresh process pinned to one core; the command and the baseline
(`python -c "import hocr_rules"`) alternate, so both see the same machine, and the medians are compared.

    python benchmarks/startup.py                    # 7 runs of each, cold and warm pack cache
    python benchmarks/startup.py --runs 11 --importtime 15

"Cold" is the first run after a rule file changed: the compiled-pack cache (hocr_rules/rulebook/cache.py) has
nothing for this pack, so every file is read and compiled (each cold run gets its own empty cache folder).
"Warm" is every later run. Without a cache both are the same work. See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import compileall
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
TARGET_SECONDS = 0.3
EXAMPLES = REPO / "examples" / "incidents.jsonl"


def command() -> list[str]:
    """The installed `hocr` script when there is one (what users run), else the same entry point by module."""
    script = Path(sys.executable).with_name("hocr")
    entry = [str(script)] if script.exists() else [sys.executable, "-m", "cli.main"]
    return entry + ["check", str(EXAMPLES), "--format", "jsonl"]


BASELINE = [sys.executable, "-c", "import hocr_rules"]


def measure(argv: list[str], env: dict[str, str], core: int | None) -> tuple[float, float]:
    """Wall and CPU seconds (user + system) of one fresh process; it must exit 0, or 1 for findings."""
    import resource
    pin = (lambda: os.sched_setaffinity(0, {core})) if core is not None else None
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(argv, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                          preexec_fn=pin)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 1):
        sys.exit(f"{' '.join(argv)} exited {done.returncode}:\n{done.stderr.decode(errors='replace')[-2000:]}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def importtime(env: dict[str, str], core: int | None, top: int) -> None:
    """`-X importtime` of the command: the modules with the largest cumulative and own import time."""
    argv = command()
    argv = ([sys.executable, "-X", "importtime"] + argv if argv[0] != sys.executable
            else [sys.executable, "-X", "importtime"] + argv[1:])
    pin = (lambda: os.sched_setaffinity(0, {core})) if core is not None else None
    done = subprocess.run(argv, cwd=REPO, env=env, capture_output=True, text=True, preexec_fn=pin)
    rows = []
    for line in done.stderr.splitlines():
        found = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)", line)
        if found:
            rows.append((int(found.group(1)), int(found.group(2)), len(found.group(3)) // 2, found.group(4)))
    total = sum(own for own, _, _, _ in rows)
    print(f"\n-X importtime: {len(rows)} modules, {total / 1e6:.3f} s of imports in all")
    print(f"  {'cumulative s':>12}  {'own s':>7}  module (top {top} by cumulative time)")
    for own, cumulative, _, name in sorted(rows, key=lambda r: -r[1])[:top]:
        print(f"  {cumulative / 1e6:12.3f}  {own / 1e6:7.3f}  {name}")
    print(f"  {'':>12}  {'own s':>7}  module (top {top} by own time)")
    for own, _, _, name in sorted(rows, key=lambda r: -r[0])[:top]:
        print(f"  {'':>12}  {own / 1e6:7.3f}  {name}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7, help="runs of each measurement; the median is reported")
    parser.add_argument("--importtime", type=int, default=0, metavar="TOP",
                        help="also print the TOP modules of `-X importtime` for the command")
    args = parser.parse_args(argv)
    # the highest core: run.py and exports.py pin to the lowest, so the two can run side by side
    core = max(os.sched_getaffinity(0)) if hasattr(os, "sched_setaffinity") else None
    # users run compiled bytecode: compile first so that no run pays for it (PYTHONDONTWRITEBYTECODE or not)
    for folder in ("hocr_rules", "cli"):
        compileall.compile_dir(REPO / folder, quiet=1)
    env = {k: v for k, v in os.environ.items() if not k.startswith("HOCR_")}
    with tempfile.TemporaryDirectory(prefix="hocr-startup-") as scratch:
        warm_env = {**env, "XDG_CACHE_HOME": str(Path(scratch) / "warm")}
        measure(command(), warm_env, core)  # fills the warm cache (and the OS's file cache)
        rows: dict[str, list[tuple[float, float]]] = {"import hocr_rules": [], "hocr check, cold": [],
                                                      "hocr check, warm": []}
        for run in range(args.runs):
            cold_env = {**env, "XDG_CACHE_HOME": str(Path(scratch) / f"cold-{run}")}
            rows["import hocr_rules"].append(measure(BASELINE, env, core))
            rows["hocr check, cold"].append(measure(command(), cold_env, core))
            rows["hocr check, warm"].append(measure(command(), warm_env, core))
        if args.importtime:
            importtime(warm_env, core, args.importtime)
    report(rows, core, args.runs)


def report(rows: dict[str, list[tuple[float, float]]], core: int | None, runs: int) -> None:
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"\n{' '.join(Path(a).name if i == 0 else a for i, a in enumerate(command()))}"
          f"\n{runs} alternating runs each, pinned to core {core}, Python {sys.version.split()[0]}, "
          f"load average {load:.2f}")
    print(f"{'':<20} {'wall s':>8} {'CPU s':>8} {'core share':>10}  {'x import':>8}  all wall s")
    base = statistics.median(wall for wall, _ in rows["import hocr_rules"])
    for name, samples in rows.items():
        wall = statistics.median(w for w, _ in samples)
        cpu = statistics.median(c for _, c in samples)
        verdict = "" if name == "import hocr_rules" else (
            f"  {'met' if wall < TARGET_SECONDS else 'NOT met'} (target < {TARGET_SECONDS} s wall)")
        print(f"{name:<20} {wall:8.3f} {cpu:8.3f} {cpu / wall:10.0%}  {wall / base:8.1f}  "
              f"{', '.join(f'{w:.2f}' for w, _ in samples)}{verdict}")
    print("core share below 90 %: another process shared the core; the CPU seconds are the steadier figure")


if __name__ == "__main__":
    main()
