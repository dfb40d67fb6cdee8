"""What `hocr check --workers N` gains over `--workers 1`: the speedup, printed directly, and the parent's own CPU.

Both sides are whole processes (`python -m cli.main check FILE --format F -o OUT`) on the same synthetic file,
allowed the same cores (`--cpus`, default the first N this process may use), run in alternating pairs (one
worker, N workers, one worker, ...; the order swapped every other pair, so that neither side always follows
the other); the speedup is the median of the pairs' ratios of wall-clock time, so the drift of a shared
machine's speed hits both sides alike. Each process reports its own CPU time (`getrusage(RUSAGE_SELF)`: for N
workers that is the parent alone, which cuts the file and copies the workers' output) and its children's
(the workers). The outputs of the two sides are compared byte for byte. On a machine other work keeps busy, the
wall-clock speedup says little; the CPU times then give a projection (one worker's CPU over the parent's plus the
workers' shared out), printed as such.

    python benchmarks/workers.py                                  # 200,000 incidents, jsonl, 3 pairs
    python benchmarks/workers.py --incidents 200000 --repeat 3 --formats jsonl sarif
    python benchmarks/workers.py --input incidents.jsonl          # an existing file (no generation)
    python benchmarks/workers.py --keep /tmp/bench                # keep (and reuse) the generated file

See benchmarks/README.md ("Worker processes").
"""

from __future__ import annotations

import argparse
import filecmp
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
TARGET = 1.8   # on 2 cores at 200,000 incidents, --format jsonl (issue 11)

#: Runs `hocr` with the arguments after the first and writes its own and its children's CPU seconds to the file
#: named first, once it has exited.
MEASURED = """\
import atexit, json, resource, sys
def said(path=sys.argv[1]):
    own, children = (resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    with open(path, "w") as out:
        json.dump({"own": own.ru_utime + own.ru_stime, "children": children.ru_utime + children.ru_stime}, out)
atexit.register(said)
sys.argv = ["hocr"] + sys.argv[2:]
from cli.main import app
app()
"""


def _run(arguments: list[str], cpus: set[int], scratch: Path) -> dict:
    """Wall-clock seconds and CPU seconds (own, children) of one whole `hocr` process; exits on a crash."""
    usage = scratch / "usage.json"
    command = [sys.executable, "-c", MEASURED, str(usage)] + arguments
    started = time.perf_counter()
    process = subprocess.run(command, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                             preexec_fn=lambda: os.sched_setaffinity(0, cpus))
    seconds = time.perf_counter() - started
    text = process.stderr.decode(errors="replace")
    if process.returncode not in (0, 1, 2) or "Traceback" in text:
        sys.exit(f"hocr {' '.join(arguments)} failed (exit {process.returncode}):\n{text.strip()[-3000:]}")
    return {"wall": seconds, **json.loads(usage.read_text())}


def measure(source: Path, fmt: str, workers: int, cpus: set[int], repeat: int, scratch: Path) -> dict:
    """`repeat` alternating pairs of `--workers 1` and `--workers N`; their outputs compared."""
    outputs = {count: scratch / f"out-{fmt}-{count}" for count in (1, workers)}
    tiny = scratch / "one-incident.jsonl"   # start-up and the rule pack alone, to tell the parent's work apart
    with source.open("rb") as lines:
        tiny.write_bytes(lines.readline())
    pairs = []
    for number in range(repeat):
        order = (1, workers) if number % 2 == 0 else (workers, 1)
        runs = {count: _run(["check", str(source), "--format", fmt, "-o", str(outputs[count]),
                             "--workers", str(count), "--quiet"], cpus, scratch) for count in order}
        runs["start"] = _run(["check", str(tiny), "--format", fmt, "-o", str(scratch / "out-tiny"), "--quiet"],
                             cpus, scratch)
        pairs.append(runs)
    return {"speedup": statistics.median(p[1]["wall"] / p[workers]["wall"] for p in pairs),
            "one": statistics.median(p[1]["wall"] for p in pairs),
            "many": statistics.median(p[workers]["wall"] for p in pairs),
            "parent_cpu": statistics.median(p[workers]["own"] for p in pairs),
            "start_cpu": statistics.median(p["start"]["own"] for p in pairs),
            "workers_cpu": statistics.median(p[workers]["children"] for p in pairs),
            "one_cpu": statistics.median(p[1]["own"] + p[1]["children"] for p in pairs),
            "identical": filecmp.cmp(outputs[1], outputs[workers], shallow=False), "pairs": pairs}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--incidents", type=int, default=200_000, metavar="N")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--input", type=Path, metavar="FILE", help="a JSON Lines file to use instead of generating")
    parser.add_argument("--formats", nargs="+", default=["jsonl"],
                        choices=["jsonl", "json", "csv", "sarif", "junit", "github", "table"])
    parser.add_argument("--workers", type=int, default=2, metavar="N", help="the side measured against one (2)")
    parser.add_argument("--cpus", type=int, nargs="+", metavar="CPU",
                        help="cores both sides may use (default: the first --workers of this process's)")
    parser.add_argument("--repeat", type=int, default=3, metavar="N", help="alternating pairs per format")
    parser.add_argument("--keep", type=Path, metavar="DIR", help="keep the generated file and outputs in DIR "
                                                                 "(and reuse the file on the next run)")
    args = parser.parse_args(argv)
    allowed = sorted(os.sched_getaffinity(0))
    cpus = set(args.cpus or allowed[:args.workers])
    if args.repeat < 1 or args.workers < 2 or not cpus <= set(allowed):
        parser.error("--repeat must be at least 1, --workers at least 2, and --cpus among " + str(allowed))

    sys.path.insert(0, str(HERE))
    import synthetic

    load = os.getloadavg()
    results = {}
    with tempfile.TemporaryDirectory(prefix="hocr-workers-bench-") as temporary:
        scratch = args.keep or Path(temporary)
        scratch.mkdir(parents=True, exist_ok=True)
        source = args.input or scratch / f"incidents-{args.incidents}-seed{args.seed}.jsonl"
        if not source.exists():
            synthetic.write_jsonl(source, args.incidents, args.seed)
        incidents = sum(1 for _ in source.open("rb"))
        for fmt in args.formats:
            results[fmt] = r = measure(source, fmt, args.workers, cpus, args.repeat, scratch)
            print(f"  {fmt}: {r['speedup']:.2f}x", file=sys.stderr, flush=True)
    print(report(results, args, incidents, cpus, load, os.getloadavg()))


def report(results: dict, args, incidents: int, cpus: set[int], before, after) -> str:
    lines = [f"hocr check --workers {args.workers} vs --workers 1, {incidents:,} incidents, both on CPUs "
             f"{','.join(map(str, sorted(cpus)))}; load average {before[0]:.2f} before, {after[0]:.2f} after "
             f"(1-minute; the machine has {os.cpu_count()} cores)", ""]
    for fmt, r in results.items():
        verdict = ""
        if fmt == "jsonl" and args.workers == len(cpus) == 2:
            verdict = f"; target >= {TARGET}x: {'met' if r['speedup'] >= TARGET else 'NOT MET'}"
        lines.append(f"{fmt}: {r['speedup']:.2f}x (median of {len(r['pairs'])} alternating pairs){verdict}; "
                     f"{r['one']:.1f} s -> {r['many']:.1f} s wall; output "
                     f"{'identical' if r['identical'] else 'DIFFERENT'}")
        lines.append(f"  CPU: one worker {r['one_cpu']:.1f} s; {args.workers} workers {r['workers_cpu']:.1f} s, "
                     f"their parent {r['parent_cpu']:.2f} s, of which {r['parent_cpu'] - r['start_cpu']:.2f} s "
                     f"beyond start-up and the rule pack ({r['start_cpu']:.2f} s, one incident checked)")
        ideal = r["one_cpu"] / (r["parent_cpu"] + r["workers_cpu"] / args.workers)
        lines.append(f"  CPU-bound projection, each process with a core of its own: {ideal:.2f}x (one worker's CPU / "
                     f"(the parent's + the workers' / {args.workers})); a model, not a measurement")
        lines.append("  pairs (1 worker / N workers, wall s): " + ", ".join(
            f"{p[1]['wall']:.1f}/{p[args.workers]['wall']:.1f}" for p in r["pairs"]))
    return "\n".join(lines)


if __name__ == "__main__":
    main()
