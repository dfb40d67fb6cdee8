"""What `hocr` costs over merely validating its input: the ratio to validate-only, and peak memory, per size.

Both sides are whole processes started the same way (`python -c` / `python -m cli.main`, the same interpreter
and flags), pinned to one core, on the same synthetic file. The baseline imports our model and runs
`Incident.model_validate_json` on each line; the other side is the real command. They run in alternating pairs
(baseline, command, baseline, command, ...), and the ratio reported is the median of the pairs' ratios, so the
drift of a shared machine's speed hits both sides alike. Peak memory is the child's `ru_maxrss` (from `wait4`).

    python benchmarks/ratio.py                                   # the four targets at 20,000 and 200,000
    python benchmarks/ratio.py --sizes 200000 --modes jsonl --repeat 5
    python benchmarks/ratio.py --malformed 1.0 --modes jsonl json table   # every record rejected
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
}
DEFAULT_MODES = ["jsonl", "table", "all-outcomes", "json"]
#: `--modes memory`: every command and format, for the flat-memory target.
MEMORY_MODES = list(MODES)


def _pin(cpu: int):
    def pin() -> None:
        os.sched_setaffinity(0, {cpu})
    return pin if hasattr(os, "sched_setaffinity") else None


def _run(command: list[str], cpu: int) -> tuple[float, float]:
    """Seconds and peak RSS (MiB) of one whole process, pinned to `cpu`; exits on a crash."""
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
    return seconds, usage.ru_maxrss / 1024


def measure(mode: str, source: Path, scratch: Path, repeat: int, cpu: int) -> dict:
    """`repeat` alternating pairs (validate-only, command) on one file."""
    arguments, _ = MODES[mode]
    out = scratch / f"out-{mode}"
    command = [sys.executable, "-m", "cli.main"] + [str(source) if a == "IN" else
                                                    a.replace("OUT", str(out)) for a in arguments]
    baseline = [sys.executable, "-c", VALIDATE_ONLY, str(source)]
    pairs = []
    for _ in range(repeat):
        base, _ = _run(baseline, cpu)
        seconds, rss = _run(command, cpu)
        pairs.append((base, seconds, rss))
    return {"ratio": statistics.median(s / b for b, s, _ in pairs),
            "baseline_s": statistics.median(b for b, _, _ in pairs),
            "seconds": statistics.median(s for _, s, _ in pairs),
            "rss": max(r for _, _, r in pairs), "pairs": pairs}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[20_000, 200_000], metavar="N")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--modes", nargs="+", default=DEFAULT_MODES, choices=list(MODES) + ["memory"],
                        help=f"default: {' '.join(DEFAULT_MODES)}; memory: all of {', '.join(MODES)}")
    parser.add_argument("--repeat", type=int, default=3, metavar="N", help="alternating pairs per mode and size")
    parser.add_argument("--malformed", type=float, default=0.0, metavar="SHARE",
                        help="share of records damaged so that they are rejected (0 to 1; default 0)")
    parser.add_argument("--cpu", type=int, default=None,
                        help="core to pin to (default: the highest this process may use)")
    parser.add_argument("--keep", type=Path, metavar="DIR", help="keep the inputs and outputs in DIR")
    args = parser.parse_args(argv)
    if args.repeat < 1 or not 0 <= args.malformed <= 1:
        parser.error("--repeat must be at least 1 and --malformed between 0 and 1")
    modes = MEMORY_MODES if "memory" in args.modes else list(dict.fromkeys(args.modes))
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
                results[mode, size] = measure(mode, source, scratch, args.repeat, cpu)
                r = results[mode, size]
                print(f"  {mode} {size:,}: {r['ratio']:.2f}x ({r['seconds']:.1f} s / {r['baseline_s']:.1f} s)",
                      file=sys.stderr, flush=True)
    print(report(results, modes, sizes, args, cpu, load))


def report(results: dict, modes: list[str], sizes: list[int], args, cpu: int, load: float) -> str:
    rejected = f", {args.malformed:.0%} of records malformed (rejected)" if args.malformed else ""
    lines = [f"hocr vs validate-only (Incident.model_validate_json per line), synthetic incidents (seed {args.seed})"
             f"{rejected}; whole processes pinned to CPU {cpu}; load average {load:.2f} before the runs", ""]
    largest = sizes[-1]
    for mode in modes:
        for size in sizes:
            r = results[mode, size]
            target = MODES[mode][1]
            verdict = ""
            if target is not None and size == largest and not args.malformed:
                verdict = f"; target <= {target:g}x: {'met' if r['ratio'] <= target else 'NOT MET'}"
            lines.append(f"{mode} {size:,}: {r['ratio']:.2f}x validate-only (median of {len(r['pairs'])} "
                         f"alternating pairs){verdict}; {size / r['seconds']:,.0f} records/s whole process, "
                         f"peak RSS {r['rss']:.1f} MiB")
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
