"""The larger fuzz run: `python scripts/fuzz.py --files 20000 --seed 1` (the seeded run in tests/ has 500).

Generates files of valid incidents with hostile records mixed in, in every input shape, checks the promises of
`hocr_rules.testing.fuzz` on each, and stops at the first broken one, keeping that file for replay (exit 1)."""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

from hocr_rules.engine.evaluator import Evaluator
from hocr_rules.rulebook.pack import RulePack
from hocr_rules.testing import fuzz


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=5000, help="files to generate (default 5000)")
    parser.add_argument("--records", type=int, default=6, help="records a file (default 6)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    arguments = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="hocr-fuzz-"))
    try:
        seen = fuzz.run(folder, Evaluator(RulePack.load()), arguments.files, arguments.seed, arguments.records)
    except fuzz.Violation as violation:
        print(f"broken promise (file kept in {folder}): {violation}", file=sys.stderr)
        return 1
    shutil.rmtree(folder)
    print(f"{arguments.files} files, {arguments.files * arguments.records} records, seed {arguments.seed}: every "
          f"promise kept; broken records by mutation: {dict(sorted(seen.items()))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
