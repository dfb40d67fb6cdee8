"""`hocr check` imports only what it uses: the other commands, and the writers of other formats, load when named;
rich only when a person may see it styled."""

import os
import subprocess
import sys

from typer.testing import CliRunner

from cli.main import COMMANDS, app

NOT_FOR_CHECK = ("cli.audit", "cli.explain", "cli.mapping", "cli.rules", "cli.sample", "cli.schema",
                 "hocr_rules.sarif", "sarif_pydantic", "hocr_rules.junit", "junitparser", "rich.progress",
                 "hocr_rules.audit.html", "openpyxl", "python_calamine", "rich")


def test_check_with_jsonl_imports_no_other_command_no_other_writer_and_not_rich(tmp_path):
    from hocr_rules.rulebook.pack import DEFAULT_RULES
    examples = DEFAULT_RULES.parent / "examples" / "incidents.jsonl"
    probe = ("import sys; from cli.main import app\n"
             "try:\n    app(['check', sys.argv[1], '--format', 'jsonl', '-o', sys.argv[2]])\n"
             "except SystemExit:\n    pass\n"
             f"print(sorted(m for m in {NOT_FOR_CHECK!r} if m in sys.modules))")
    # to a pipe, as wide as a pipe is taken to be (160 columns): a narrower COLUMNS, as under pytest, has rich
    # wrap the summary's hint, so rich writes it (tests/cli/test_plain_summary.py)
    plain = {name: value for name, value in os.environ.items()
             if name not in ("COLUMNS", "FORCE_COLOR", "TTY_COMPATIBLE")}
    done = subprocess.run([sys.executable, "-c", probe, str(examples), str(tmp_path / "out.jsonl")],
                          capture_output=True, text=True, check=True, env=plain)
    assert done.stdout.strip().splitlines()[-1] == "[]", done.stdout
    assert (tmp_path / "out.jsonl").stat().st_size > 0


def test_the_help_still_lists_every_command_in_order():
    output = CliRunner().invoke(app, ["--help"], env={"COLUMNS": "200"}).output
    positions = [output.index(f" {name} ") for name in COMMANDS]
    assert positions == sorted(positions)


def test_a_mistyped_command_is_still_told_the_nearest():
    result = CliRunner().invoke(app, ["chek"])
    assert result.exit_code == 2 and "Did you mean 'check'" in result.output
