"""What `hocr` costs over merely validating its input: the ratio to validate-only, and peak memory, per size.

Both sides are whole processes started the same way (`python -c` / `python -m cli.main`, the same interpreter
and flags), pinned to one core, on the same synthetic file. The baseline imports our model and runs
`Incident.model_validate_json` on each line; the other side is the real command. They run in alternating pairs
(baseline, command, baseline, command, ...), and the ratio reported is the median of the pairs' ratios, so the
drift of a shared machine's speed hits both sides alike. Peak memory is the child's `ru_maxrss` (from `wait4`).

    python benchmarks/ratio.py                                   # the four targets at 20,000 and 200,000
    python benchmarks/ratio.py --sizes 200000 --modes jsonl --repeat 5
    python benchmarks/ratio.py --malformed 1.0 --modes formats   # every record rejected, every format
    python benchmarks/ratio.py --modes durable --sizes 20000     # the durable engine beside the default one
    python benchmarks/ratio.py --modes memory --repeat 1         # peak memory of every command and format

See benchmarks/README.md ("The ratio to validate-only").
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
TARGET_MEMORY = 1.2  # peak RSS at the largest size / at the smallest

#: The baseline: read the file line by line and validate each with our own model, nothing else.
VALIDATE_ONLY = """\
import sys
from pydantic import ValidationError
from hocr_rules.model.incident import Incident
validate = Incident.model_validate_json
with open(sys.argv[1], "rb") as lines:
    for line in lines:
        try:
            validate(line)
        except ValidationError:
            pass
"""

#: mode -> the command's arguments after `python -m cli.main` (IN: the input file, OUT: a path in the scratch
#: folder), and the ratio it must not exceed at the largest size (None: memory only).
MODES: dict[str, tuple[list[str], float | None]] = {
    "jsonl": (["check", "IN", "--format", "jsonl", "-o", "OUT"], 2.0),
    "table": (["check", "IN", "--format", "table", "-o", "OUT"], 3.0),
    "all-outcomes": (["check", "IN", "--all-outcomes", "--format", "jsonl", "-o", "OUT"], 3.0),
    "json": (["check", "IN", "--format", "json", "-o", "OUT"], None),
    "csv": (["check", "IN", "--format", "csv", "-o", "OUT"], None),
    "sarif": (["check", "IN", "--format", "sarif", "-o", "OUT"], None),
    "junit": (["check", "IN", "--format", "junit", "-o", "OUT"], None),
    "github": (["check", "IN", "--format", "github", "-o", "OUT"], None),
    "audit-table": (["audit", "IN", "-o", "OUT"], None),
    "audit-json": (["audit", "IN", "--format", "json", "-o", "OUT"], None),
    "audit-html": (["audit", "IN", "--format", "json", "-o", "OUT", "--html", "OUT.html"], None),
    "sample": (["sample", "IN", "--size", "200", "--seed", "1", "--out", "OUT"], None),
    # reads every record looking for an incident that is not there (exit 2, "no incident with id")
    "explain": (["explain", "IN", "--incident", "NOT-IN-THE-FILE"], None),
    # two forked workers on the same core: what the parent and its workers hold (ru_maxrss is the largest)
    "workers": (["check", "IN", "--workers", "2", "--format", "jsonl", "-o", "OUT"], None),
    # durable-rules in this process (`--workers 0`), so that both engines run on the one core
    "durable": (["check", "IN", "--engine", "durable", "--workers", "0", "--format", "jsonl", "-o", "OUT"], None),
}
DEFAULT_MODES = ["jsonl", "table", "all-outcomes", "json"]
#: `--modes` names for sets of modes: every output format of `hocr check`; every command and format but the
#: durable engine (about 8 times slower), for the flat-memory target, measured without the baseline runs.
GROUPS = {"formats": ["jsonl", "table", "all-outcomes", "json", "csv", "sarif", "junit", "github"],
          "memory": [mode for mode in MODES if mode != "durable"]}


def _pin(cpu: int):
    def pin() -> None:
        os.sched_setaffinity(0, {cpu})
    return pin if hasattr(os, "sched_setaffinity") else None


def _run(command: list[str], cpu: int) -> tuple[float, float, float]:
    """Seconds, CPU seconds (user + system, the process and its children) and peak RSS (MiB) of one whole
    process, pinned to `cpu`; exits on a crash."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               preexec_fn=_pin(cpu))
    stderr = process.stderr.read()  # the rejections are said here: read them as they come, or the pipe fills
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    code = os.waitstatus_to_exitcode(status)
    text = stderr.decode(errors="replace")
    if code not in (0, 1, 2) or "Traceback" in text:
        sys.exit(f"{' '.join(command[2:])} failed (exit {code}):\n{text.strip()[-3000:]}")
    return seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def measure(mode: str, source: Path, scratch: Path, repeat: int, cpu: int, baseline: bool = True) -> dict:
    """`repeat` alternating pairs (validate-only, command) on one file; without `baseline`, the command alone
    (peak memory needs no baseline)."""
    arguments, _ = MODES[mode]
    out = scratch / f"out-{mode}"
    command = [sys.executable, "-m", "cli.main"] + [str(source) if a == "IN" else
                                                    a.replace("OUT", str(out)) for a in arguments]
    validate = [sys.executable, "-c", VALIDATE_ONLY, str(source)]
    pairs = []
    for _ in range(repeat):
        base = _run(validate, cpu) if baseline else (float("nan"),) * 3
        pairs.append((base, _run(command, cpu)))
    return {"ratio": statistics.median(run[0] / base[0] for base, run in pairs),
            "cpu_ratio": statistics.median(run[1] / base[1] for base, run in pairs),
            "baseline_s": statistics.median(base[0] for base, _ in pairs),
            "seconds": statistics.median(run[0] for _, run in pairs),
            "cpu_s": statistics.median(run[1] for _, run in pairs),
            "rss": max(run[2] for _, run in pairs), "pairs": pairs}


def chosen(modes: list[str]) -> list[str]:
    """The modes asked for, groups expanded, each once, in order; the durable engine with the default one
    beside it, so that the ratio between the engines is measured in the same run."""
    expanded = [mode for name in modes for mode in GROUPS.get(name, [name])]
    if "durable" in expanded and "jsonl" not in expanded:
        expanded.insert(expanded.index("durable"), "jsonl")
    return list(dict.fromkeys(expanded))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[20_000, 200_000], metavar="N")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--modes", nargs="+", default=DEFAULT_MODES, choices=list(MODES) + list(GROUPS),
                        help=f"default: {' '.join(DEFAULT_MODES)}; "
                             + "; ".join(f"{name}: {' '.join(group)}" for name, group in GROUPS.items()))
    parser.add_argument("--repeat", type=int, default=3, metavar="N", help="alternating pairs per mode and size")
    parser.add_argument("--malformed", type=float, default=0.0, metavar="SHARE",
                        help="share of records damaged so that they are rejected (0 to 1; default 0)")
    parser.add_argument("--cpu", type=int, default=None,
                        help="core to pin to (default: the highest this process may use)")
    parser.add_argument("--keep", type=Path, metavar="DIR", help="keep the inputs and outputs in DIR")
    args = parser.parse_args(argv)
    if args.repeat < 1 or not 0 <= args.malformed <= 1:
        parser.error("--repeat must be at least 1 and --malformed between 0 and 1")
    modes = chosen(args.modes)
    baseline = args.modes != ["memory"]  # memory alone: the commands' peak RSS, no validate-only runs
    sizes = sorted(set(args.sizes))
    cpu = args.cpu if args.cpu is not None else max(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 0

    sys.path.insert(0, str(HERE))
    import synthetic

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    results: dict[tuple[str, int], dict] = {}
    with tempfile.TemporaryDirectory(prefix="hocr-ratio-") as temporary:
        scratch = args.keep or Path(temporary)
        scratch.mkdir(parents=True, exist_ok=True)
        for size in sizes:
            source = scratch / f"incidents-{size}-seed{args.seed}-malformed{args.malformed:g}.jsonl"
            synthetic.write_jsonl(source, size, args.seed, args.malformed)
            for mode in modes:
                results[mode, size] = measure(mode, source, scratch, args.repeat, cpu, baseline)
                r = results[mode, size]
                against = f"{r['ratio']:.2f}x ({r['seconds']:.1f} s / {r['baseline_s']:.1f} s)" if baseline else (
                    f"{r['seconds']:.1f} s")
                print(f"  {mode} {size:,}: {against}, {r['rss']:.1f} MiB", file=sys.stderr, flush=True)
    print(report(results, modes, sizes, args, cpu, load, os.getloadavg()[0] if hasattr(os, "getloadavg") else load,
                 baseline))


def report(results: dict, modes: list[str], sizes: list[int], args, cpu: int, load: float, load_after: float,
           baseline: bool = True) -> str:
    rejected = f", {args.malformed:.0%} of records malformed (rejected)" if args.malformed else ""
    lines = [f"hocr vs validate-only (Incident.model_validate_json per line), synthetic incidents (seed {args.seed})"
             f"{rejected}; whole processes pinned to CPU {cpu}; load average {load:.2f} before the runs, "
             f"{load_after:.2f} after", ""]
    largest = sizes[-1]
    for mode in modes:
        for size in sizes:
            r = results[mode, size]
            if not baseline:
                lines.append(f"{mode} {size:,}: peak RSS {r['rss']:.1f} MiB ({r['seconds']:.1f} s, "
                             f"{r['cpu_s']:.1f} s CPU)")
                continue
            target = MODES[mode][1]
            verdict = ""
            if target is not None and size == largest and not args.malformed:
                verdict = f"; target <= {target:g}x: {'met' if r['ratio'] <= target else 'NOT MET'}"
            lines.append(f"{mode} {size:,}: {r['ratio']:.2f}x validate-only (median of {len(r['pairs'])} "
                         f"alternating pairs; CPU time {r['cpu_ratio']:.2f}x){verdict}; "
                         f"{size / r['seconds']:,.0f} records/s whole process, peak RSS {r['rss']:.1f} MiB")
    if baseline and "durable" in modes:
        lines.append("")
        for size in sizes:
            durable, default = results["durable", size], results["jsonl", size]
            lines.append(f"durable / default engine {size:,}: {durable['ratio'] / default['ratio']:.2f}x wall "
                         f"({durable['ratio']:.2f}x / {default['ratio']:.2f}x validate-only), "
                         f"{durable['cpu_ratio'] / default['cpu_ratio']:.2f}x CPU time")
    if len(sizes) > 1:
        lines.append("")
        for mode in modes:
            small, large = results[mode, sizes[0]]["rss"], results[mode, largest]["rss"]
            verdict = "met" if large / small <= TARGET_MEMORY else "NOT MET"
            lines.append(f"{mode}: peak RSS {largest:,} / {sizes[0]:,} = {large / small:.2f} "
                         f"({large:.1f} / {small:.1f} MiB); target <= {TARGET_MEMORY}: {verdict}")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
