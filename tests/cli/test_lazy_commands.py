"""`hocr check` imports only what it uses: the other commands, and the writers of other formats, load when named."""

import subprocess
import sys

from typer.testing import CliRunner

from cli.main import COMMANDS, app

NOT_FOR_CHECK = ("cli.audit", "cli.explain", "cli.mapping", "cli.rules", "cli.sample", "cli.schema",
                 "hocr_rules.sarif", "sarif_pydantic", "hocr_rules.junit", "junitparser", "rich.progress",
                 "hocr_rules.audit.html", "openpyxl", "python_calamine")


def test_check_with_jsonl_imports_no_other_command_and_no_other_writer(tmp_path):
    from hocr_rules.rulebook.pack import DEFAULT_RULES
    examples = DEFAULT_RULES.parent / "examples" / "incidents.jsonl"
    probe = ("import sys; from cli.main import app\n"
             "try:\n    app(['check', sys.argv[1], '--format', 'jsonl', '-o', sys.argv[2]])\n"
             "except SystemExit:\n    pass\n"
             f"print(sorted(m for m in {NOT_FOR_CHECK!r} if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", probe, str(examples), str(tmp_path / "out.jsonl")],
                          capture_output=True, text=True, check=True)
    assert done.stdout.strip().splitlines()[-1] == "[]", done.stdout
    assert (tmp_path / "out.jsonl").stat().st_size > 0


def test_the_help_still_lists_every_command_in_order():
    output = CliRunner().invoke(app, ["--help"], env={"COLUMNS": "200"}).output
    positions = [output.index(f" {name} ") for name in COMMANDS]
    assert positions == sorted(positions)


def test_a_mistyped_command_is_still_told_the_nearest():
    result = CliRunner().invoke(app, ["chek"])
    assert result.exit_code == 2 and "Did you mean 'check'" in result.output
