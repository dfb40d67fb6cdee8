"""The `hocr` command: only assembles the commands, which live in their own modules."""

from typing import Annotated

import typer

from cli import audit, check, distributed, explain, mapping, render, rules, sample, schema
from cli.options import load_pack, user_errors
from hocr_rules.provenance import pack_digest, tool_version

app = typer.Typer(name="hocr", help="Check police crime recording against the Home Office Crime Recording Rules.",
                  no_args_is_help=True, pretty_exceptions_enable=False, add_completion=False)


@user_errors
def _version(asked: bool) -> None:
    """The package version and the digest of the rule pack a run here would use (settings file included), so
    a result can be tied to the rules that made it."""
    if asked:
        pack = load_pack(None, None)
        render.console().print(f"hocr {tool_version()} (rule pack sha256:{pack_digest(pack)}, "
                               f"{len(pack.rules)} rules, profile {pack.profile.name})")
        raise typer.Exit()


@app.callback()
def main(version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                               help="Show the version and the rule pack's digest, and exit.")]
         = False) -> None:
    """Check police crime recording against the Home Office Crime Recording Rules."""
app.command()(check.check)
app.command()(explain.explain)
app.add_typer(rules.app, name="rules")
app.add_typer(mapping.app, name="mapping")
app.command()(schema.schema)
app.command()(audit.audit)
app.command()(sample.sample)
app.command("sample-size")(sample.sample_size)
app.command()(distributed.distributed)

if __name__ == "__main__":
    app()
