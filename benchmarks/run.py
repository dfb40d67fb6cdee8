"""Benchmark `hocr check --format jsonl`: incidents per second and peak memory on one core, per input size.

For each size the synthetic incidents are written to a temporary folder first (not timed). Then a fresh Python
process per (size, engine) pins itself to one core and runs exactly the path behind `hocr check FILE --format
jsonl -o OUT`: load the rule pack, read and validate every record (intake), evaluate it with the full pack,
and write the breaches as JSON Lines with `FindingsWriter`. The child times itself (excluding interpreter
start-up and imports) and reads its own peak resident memory at the end; the parent times the whole process.

    python benchmarks/run.py                         # 20,000 and 200,000 incidents, seed 1, default engine
    python benchmarks/run.py --sizes 5000 --cprofile 15
    python benchmarks/run.py --engine default durable --check-cli

See benchmarks/README.md for how to read the numbers.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
TARGET_RATE = 20_000   # incidents per second, end to end, one core
TARGET_MEMORY = 1.2    # peak RSS at the largest size / at the smallest


def _engine(name: str) -> Callable:
    def build(pack):
        from hocr_rules.engine.engines import build_engine
        # in this process: the child pins itself to one core, and worker processes would measure the pool
        return build_engine(name, pack, workers=0)
    return build


#: The engines the library offers, by the name `--engine` takes (hocr_rules.engine.engines).
ENGINES: dict[str, Callable] = {"default": _engine("default"), "durable": _engine("durable")}


# ---------------------------------------------------------------- the child: one run, one process, one core
def child(engine_name: str, source: str, target: str, profile_to: str | None) -> None:
    started = time.perf_counter()
    cpu = _pin()
    import resource

    from hocr_rules.engine.outcomes import BREACH
    from hocr_rules.findings import FindingsWriter
    from hocr_rules.intake import Intake
    from hocr_rules.offences import OffenceTable
    from hocr_rules.rulebook.pack import RulePack
    from hocr_rules.screening import Summary, screen

    imported = time.perf_counter()
    pack = RulePack.load()
    engine = ENGINES[engine_name](pack)
    loaded, loaded_cpu = time.perf_counter(), time.process_time()

    profiler = None
    if profile_to:
        import cProfile
        profiler = cProfile.Profile()
        profiler.enable()
    # as cli/check.py does for --format jsonl -o FILE (breaches only, the default); the clocks around intake,
    # evaluation and writing cost well under 1 % and split the time without a profiler's distortion
    clock = _Clock()
    include = frozenset({BREACH})
    summary = Summary()
    reads = clock.reads(Intake(OffenceTable.load()).read([source]))
    with open(target, "w", encoding="utf-8", newline="") as out:
        writer = FindingsWriter(out, "jsonl")
        for item in screen(reads, clock.engine(engine), summary):
            began = time.perf_counter()
            writer.write(item, include)
            clock.writing += time.perf_counter() - began
        writer.close(summary.as_record())
    finished, finished_cpu = time.perf_counter(), time.process_time()
    if profiler is not None:
        profiler.disable()
        _write_profile(profiler, profile_to)

    usage = resource.getrusage(resource.RUSAGE_SELF)
    record = summary.as_record()
    print(json.dumps({
        "engine": engine_name, "cpu": cpu, "rules": len(pack.rules),
        "imports_s": imported - started, "pack_s": loaded - imported, "screen_s": finished - loaded,
        "in_process_s": finished - imported, "screen_cpu_s": finished_cpu - loaded_cpu,
        "intake_s": clock.intake, "evaluate_s": clock.evaluating, "write_s": clock.writing,
        "maxrss_mib": _maxrss_mib(usage.ru_maxrss), "hwm_mib": _own_high_water_mib(),
        "read": record["read"], "evaluated": record["evaluated"], "rejected": record["rejected"],
        "reconciles": summary.reconciles, "breaches": record["breaches"],
        "incidents_with_breaches": record["incidents_with_breaches"], "by_rule": record["breaches_by_rule"],
        "notes": record["notes"],
    }))


class _Clock:
    """Time spent reading and validating, evaluating, and writing, summed over the run."""

    def __init__(self):
        self.intake = self.evaluating = self.writing = 0.0

    def reads(self, reads):
        items, now = iter(reads), time.perf_counter
        while True:
            began = now()
            item = next(items, None)
            self.intake += now() - began
            if item is None:
                return
            yield item

    def engine(self, engine):
        from hocr_rules.intake import Accepted
        clock, now = self, time.perf_counter

        class Timed:
            notes, pack = engine.notes, engine.pack  # screening reads the pack's crime indicators

            def evaluate_many(self, items):
                for item in items:
                    if not isinstance(item, Accepted):
                        yield item
                        continue
                    began = now()
                    result = engine.evaluate(item.incident)
                    clock.evaluating += now() - began
                    yield result
        return Timed()


def _pin() -> int | None:
    """Run on one core: the lowest this process may use (CPU 0 unless a container says otherwise)."""
    if not hasattr(os, "sched_setaffinity"):
        return None
    cpu = min(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {cpu})
    return cpu


def _maxrss_mib(value: int) -> float:
    return value / (1 << 20) if sys.platform == "darwin" else value / 1024  # bytes on macOS, KiB on Linux


def _own_high_water_mib() -> float | None:
    """VmHWM: the peak of this process image only. ru_maxrss also counts the parent's memory at fork, which
    is why the parent stays small; the two are reported side by side as a check."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def _write_profile(profiler, path: str) -> None:
    import io
    import pstats
    text = io.StringIO()
    pstats.Stats(profiler, stream=text).strip_dirs().sort_stats("tottime").print_stats(40)
    Path(path).write_text(text.getvalue(), encoding="utf-8")


# ---------------------------------------------------------------- the parent: generate, run, report
def run_child(engine: str, source: Path, target: Path, profile_to: Path | None = None) -> dict:
    command = [sys.executable, str(Path(__file__).resolve()), "--child", engine, str(source), str(target)]
    if profile_to:
        command.append(str(profile_to))
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, cwd=REPO)
    wall = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"the benchmark run failed ({engine}, {source.name}):\n{done.stderr.strip()}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["wall_s"] = wall
    return result


def _median_run(engine: str, source: Path, target: Path, repeat: int) -> dict:
    """The run with the median screening time of `repeat` runs (each writes the same findings), with every
    run's rate beside it: a shared machine's speed drifts by several per cent from one run to the next."""
    runs = []
    for _ in range(repeat):
        runs.append(run_child(engine, source, target))
        print(f"  {engine}: {runs[-1]['read']:,} incidents in {runs[-1]['wall_s']:.1f} s", file=sys.stderr, flush=True)
    runs.sort(key=lambda r: r["screen_s"])
    result = runs[len(runs) // 2]
    result["rates"] = [r["read"] / r["screen_s"] for r in runs]
    return result


def run_cli(source: Path, target: Path) -> dict:
    """The real command, pinned the same way, for comparison: wall clock, peak RSS (wait4) and its output."""
    command = [sys.executable, "-m", "cli.main", "check", str(source), "--format", "jsonl", "-o", str(target)]
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               preexec_fn=_pin if hasattr(os, "sched_setaffinity") else None)
    stderr = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode not in (0, 1):
        sys.exit(f"hocr check failed (exit {process.returncode}):\n{stderr.decode(errors='replace').strip()}")
    return {"wall_s": wall, "maxrss_mib": _maxrss_mib(usage.ru_maxrss)}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[20_000, 200_000], metavar="N",
                        help="incidents per run (default: 20000 200000)")
    parser.add_argument("--seed", type=int, default=1, help="generator seed (default: 1)")
    parser.add_argument("--engine", nargs="+", choices=sorted(ENGINES), default=["default"],
                        help="engine(s) to run; several are reported side by side")
    parser.add_argument("--cprofile", type=int, default=0, metavar="TOP",
                        help="also profile the smallest size (a separate, slower run) and print the TOP "
                             "functions by own time")
    parser.add_argument("--check-cli", action="store_true",
                        help="also time the real `hocr check` at each size and check it writes the same bytes")
    parser.add_argument("--repeat", type=int, default=3, metavar="N",
                        help="runs per size and engine, each in a fresh process; the median is reported "
                             "(default: 3)")
    parser.add_argument("--keep", type=Path, metavar="DIR", help="keep inputs and findings in DIR")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    sizes = sorted(set(args.sizes))

    sys.path.insert(0, str(HERE))
    import synthetic

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    with tempfile.TemporaryDirectory(prefix="hocr-bench-") as scratch:
        folder = args.keep or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        rows, mixes, cli = [], {}, {}
        for size in sizes:
            source = folder / f"incidents-{size}-seed{args.seed}.jsonl"
            started = time.perf_counter()
            mix = synthetic.write_jsonl(source, size, args.seed)
            mixes[size] = mix
            print(f"generated {size:,} incidents ({source.stat().st_size / (1 << 20):.0f} MiB, "
                  f"{mix[None] / size:.1%} without a defect) in {time.perf_counter() - started:.1f} s",
                  file=sys.stderr, flush=True)
            for engine in args.engine:
                target = folder / f"findings-{size}-{engine}.jsonl"
                result = _median_run(engine, source, target, args.repeat)
                result["digest"] = _findings_digest(target)
                rows.append((size, result))
                if args.check_cli and engine == "default":
                    cli_target = folder / f"findings-{size}-cli.jsonl"
                    cli[size] = run_cli(source, cli_target)
                    cli[size]["same"] = cli_target.read_bytes() == target.read_bytes()
        profile = None
        if args.cprofile:
            profile_file = folder / "profile.txt"
            run_child(args.engine[0], folder / f"incidents-{sizes[0]}-seed{args.seed}.jsonl",
                      folder / "findings-profiled.jsonl", profile_file)
            profile = _top(profile_file.read_text(encoding="utf-8"), args.cprofile)
        print(report(rows, mixes, cli, profile, args.seed, sizes[0], load))


def report(rows: list[tuple[int, dict]], mixes: dict, cli: dict, profile: str | None, seed: int,
           profiled_size: int, load: float) -> str:
    first = rows[0][1]
    lines = [
        f"hocr check --format jsonl, synthetic incidents (seed {seed}), {first['rules']} rules in the pack, "
        f"pinned to CPU {first['cpu']}, code at {_revision()}",
        f"Python {platform.python_version()} on {platform.machine()} {platform.system()}, "
        f"{_cpu_model()}, {os.cpu_count()} CPUs, load average {load:.2f} before the runs",
        "",
        f"{'engine':8} {'incidents':>10} {'incidents/s':>12} {'seconds':>8} {'+pack s':>8} {'wall s':>7} "
        f"{'peak RSS MiB':>13} {'breaches':>9} {'with breach':>12} {'rejected':>9}",
    ]
    for size, r in rows:
        rate = r["read"] / r["screen_s"]
        lines.append(f"{r['engine']:8} {size:>10,} {rate:>12,.0f} {r['screen_s']:>8.2f} {r['in_process_s']:>8.2f} "
                     f"{r['wall_s']:>7.2f} "
                     f"{r['maxrss_mib']:>13.1f} {r['breaches']:>9,} "
                     f"{r['incidents_with_breaches'] / max(r['read'], 1):>11.1%} {r['rejected']:>9,}")
    lines += ["", "incidents/s and seconds: intake + evaluation + writing, in the child; +pack s: the same plus "
              "loading the rule pack; wall s: the whole child process, interpreter start-up included"]
    for size, r in rows:
        hwm = f"{r['hwm_mib']:.1f}" if r["hwm_mib"] is not None else "n/a"
        share = r["screen_cpu_s"] / r["screen_s"]
        other = r["screen_s"] - r["intake_s"] - r["evaluate_s"] - r["write_s"]
        lines.append(f"  {r['engine']:8} {size:>10,}: imports {r['imports_s']:.2f} s, pack {r['pack_s']:.2f} s, "
                     f"screen {r['screen_s']:.2f} s = intake {r['intake_s']:.2f} + evaluate {r['evaluate_s']:.2f} + "
                     f"write {r['write_s']:.2f} + other {other:.2f}")
        shared = " (shared: rerun on an idle machine)" if share < 0.9 else ""
        lines.append(f"  {'':8} {'':>10}  core share {share:.0%}{shared}; "
                     f"ru_maxrss {r['maxrss_mib']:.1f} MiB, own high-water mark {hwm} MiB")
        if len(r["rates"]) > 1:
            lines.append(f"  {'':8} {'':>10}  {len(r['rates'])} runs: "
                         + ", ".join(f"{rate:,.0f}" for rate in r["rates"]) + " incidents/s; the median is shown")
    lines.append("")
    for engine in dict.fromkeys(r["engine"] for _, r in rows):
        mine = [(s, r) for s, r in rows if r["engine"] == engine]
        (small, r0), (large, r1) = mine[0], mine[-1]
        rate = min(r["read"] / r["screen_s"] for _, r in mine)
        verdict = "meets" if rate >= TARGET_RATE else "misses"
        lines.append(f"{engine}: slowest rate {rate:,.0f} incidents/s, {verdict} the target of "
                     f"{TARGET_RATE:,} incidents/s on one core (with pack load at {large:,}: "
                     f"{r1['read'] / r1['in_process_s']:,.0f}/s; whole process: {r1['read'] / r1['wall_s']:,.0f}/s)")
        if large != small:
            ratio = r1["maxrss_mib"] / r0["maxrss_mib"]
            verdict = "meets" if ratio <= TARGET_MEMORY else "misses"
            lines.append(f"{engine}: peak memory {large:,} / {small:,} incidents = {ratio:.2f} "
                         f"({r1['maxrss_mib']:.1f} / {r0['maxrss_mib']:.1f} MiB), {verdict} the target of "
                         f"<= {TARGET_MEMORY}")
        problems = [f"{s:,}: {r['rejected']} rejected" for s, r in mine if r["rejected"]]
        problems += [f"{s:,}: counts do not reconcile" for s, r in mine if not r["reconciles"]]
        problems += [f"{s:,}: {n}" for s, r in mine for n in r["notes"]]
        if problems:
            lines.append(f"{engine}: WARNING " + "; ".join(problems))
    if len({r["engine"] for _, r in rows}) > 1:
        lines.append(_agreement(rows))
    for size, c in cli.items():
        mine = next(r for s, r in rows if s == size and r["engine"] == "default")
        lines.append(f"hocr check (the CLI) at {size:,}: wall {c['wall_s']:.2f} s "
                     f"({size / c['wall_s']:,.0f} incidents/s including start-up), peak RSS {c['maxrss_mib']:.1f} "
                     f"MiB; findings {'identical to' if c['same'] else 'DIFFERENT from'} the benchmark's "
                     f"({mine['wall_s']:.2f} s wall)")
    size, r = rows[-1]
    mix = mixes[size]
    lines += ["", f"breaches by rule at {size:,} ({r['engine']}): "
              + ", ".join(f"{code} {count:,}" for code, count in r["by_rule"].items()),
              f"defects planted by the generator at {size:,}: {size - mix[None]:,} incidents "
              f"({(size - mix[None]) / size:.1%}), one defect each; the rules found breaches in "
              f"{r['incidents_with_breaches']:,} ({r['incidents_with_breaches'] / size:.1%})"]
    if profile:
        lines += ["", f"cProfile of the {profiled_size:,} run (intake + evaluation + writing; profiling slows it "
                      "several times, so read the shares, not the seconds):", profile]
    return "\n".join(lines)


def _agreement(rows: list[tuple[int, dict]]) -> str:
    parts = []
    for size in dict.fromkeys(s for s, _ in rows):
        mine = [r for s, r in rows if s == size]
        if len({r["digest"] for r in mine}) == 1:
            parts.append(f"{size:,}: the same findings")
        elif len({json.dumps(r["by_rule"], sort_keys=True) for r in mine}) == 1:
            parts.append(f"{size:,}: the same breaches by rule, but the findings differ (messages or facts)")
        else:
            parts.append(f"{size:,}: the engines DISAGREE on breaches by rule")
    return "engines compared: " + "; ".join(parts)


def _findings_digest(path: Path) -> str:
    """An order-independent digest of the finding lines (not the summary), read as a stream: engines may
    emit the same findings in a different order."""
    import hashlib
    total, count = 0, 0
    with path.open("rb") as lines:
        for line in lines:
            if not line.startswith(b'{"type": "summary"'):
                total = (total + int.from_bytes(hashlib.sha256(line).digest(), "big")) % (1 << 256)
                count += 1
    return f"{count}:{total:064x}"


def _top(text: str, count: int) -> str:
    """The header and the first `count` rows of a pstats listing."""
    lines = text.strip("\n").splitlines()
    start = next(i for i, line in enumerate(lines) if line.lstrip().startswith("ncalls"))
    head = [line for line in lines[:start] if "function calls" in line]
    return "\n".join(head + [""] + lines[start:start + 1 + count])


def _revision() -> str:
    """The commit measured, and whether the library or rules had uncommitted changes."""
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True)
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "hocr_rules", "rules", "cli"], cwd=REPO,
                               capture_output=True, text=True)
    except OSError:
        return "unknown revision"
    if head.returncode != 0:
        return "unknown revision"
    return head.stdout.strip() + (" + uncommitted changes" if dirty.stdout.strip() else "")


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5] if len(sys.argv) > 5 else None)
    else:
        main()
