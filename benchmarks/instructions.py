"""Instructions per incident, counted by callgrind: a measure of the code that a noisy machine does not move.

Timings on a shared machine drift by several per cent between runs; an instruction count is the same every time
for the same code and input, so two versions of the code can be compared by a few hundred instructions.

    python benchmarks/instructions.py                     # 2,000 synthetic incidents, the whole pipeline
    python benchmarks/instructions.py --phase evaluate    # evaluation only (the incidents read beforehand)
    python benchmarks/instructions.py --shape tables --incidents 300   # a force export (exports.py's), as
                                                          # hocr check --mapping reads it, indicators on

Needs valgrind (Debian: `apt-get install valgrind`); about a minute. Only the work is counted: it runs as
`list(map(...))` and callgrind collects inside `map_next` alone, so start-up, imports and loading the pack are
left out. The package is compiled first, so that no run pays for writing bytecode.
"""

from __future__ import annotations

import argparse
import compileall
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
import exports  # noqa: E402  (the export shapes and their mapping: one definition, in exports.py)


def work(phase: str, sources: list[str]) -> None:
    """The counted part, in the process valgrind runs; several sources are the tables of one export."""
    import gc

    from hocr_rules.engine.evaluator import Evaluator
    from hocr_rules.engine.outcomes import BREACH
    from hocr_rules.findings import FindingsWriter
    from hocr_rules.intake import Intake
    from hocr_rules.intake.mapping import load_mapping
    from hocr_rules.offences import OffenceTable
    from hocr_rules.rulebook.pack import RulePack
    from hocr_rules.screening import Summary, screen

    engine = Evaluator(RulePack.load())
    mapping = None if sources[0].endswith(".jsonl") else load_mapping(exports.MAPPING)
    if phase == "evaluate":
        incidents = [item.incident for item in Intake(OffenceTable.load(), None, mapping).read(sources)]
        gc.freeze()
        list(map(engine.evaluate, incidents))
        return

    def pipeline(paths: list[str]) -> None:  # as hocr check [--mapping M] --format jsonl does
        summary = Summary()
        with open(os.devnull, "w", encoding="utf-8") as out:
            writer = FindingsWriter(out, "jsonl")
            for item in screen(Intake(OffenceTable.load(), None, mapping).read(paths), engine, summary):
                writer.write(item, frozenset({BREACH}))
            writer.close(summary.as_record())
    list(map(pipeline, [sources]))


def count(phase: str, sources: list[Path]) -> int:
    command = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", "--toggle-collect=map_next",
               sys.executable, str(Path(__file__).resolve()), "--work", phase, *map(str, sources)]
    done = subprocess.run(command, capture_output=True, text=True, cwd=REPO,
                          env={**os.environ, "PYTHONHASHSEED": "0"})
    found = re.search(r"Collected : (\d+)", done.stderr)
    if done.returncode != 0 or not found:
        sys.exit(f"callgrind failed:\n{done.stderr.strip()[-2000:]}")
    return int(found.group(1))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--incidents", type=int, default=2000, help="synthetic incidents (default: 2000)")
    parser.add_argument("--shape", choices=("jsonl", "tables", "storm"), default="jsonl",
                        help="our JSON Lines (synthetic.py), or a force export as exports.py writes it: CSV tables "
                             "or a STORM print, with 20 log entries an incident")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--phase", choices=("pipeline", "evaluate"), default="pipeline",
                        help="the whole of hocr check --format jsonl, or evaluation only")
    args = parser.parse_args(argv)
    if shutil.which("valgrind") is None:
        sys.exit("valgrind is not installed (Debian: apt-get install valgrind)")
    import synthetic

    compileall.compile_dir(REPO / "hocr_rules", quiet=1)
    with tempfile.TemporaryDirectory(prefix="hocr-instructions-") as scratch:
        if args.shape == "jsonl":
            sources = [Path(scratch) / "incidents.jsonl"]
            synthetic.write_jsonl(sources[0], args.incidents, args.seed)
        else:
            sources = exports.SHAPES[args.shape](Path(scratch), args.incidents, args.seed)
        total = count(args.phase, sources)
    print(f"{args.phase}: {total / args.incidents:,.0f} instructions per incident "
          f"({args.incidents:,} synthetic incidents, {args.shape}, seed {args.seed}, Python {sys.version.split()[0]})")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--work":
        work(sys.argv[2], sys.argv[3:])
    else:
        main()
