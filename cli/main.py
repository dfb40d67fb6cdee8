"""The `hocr` command: only assembles the commands, which live in their own modules."""

import typer

from cli import audit, check, explain, mapping, rules, sample, schema

app = typer.Typer(name="hocr", help="Check police crime recording against the Home Office Crime Recording Rules.",
                  no_args_is_help=True, pretty_exceptions_enable=False, add_completion=False)
app.command()(check.check)
app.command()(explain.explain)
app.add_typer(rules.app, name="rules")
app.add_typer(mapping.app, name="mapping")
app.command()(schema.schema)
app.command()(audit.audit)
app.command()(sample.sample)
app.command("sample-size")(sample.sample_size)

if __name__ == "__main__":
    app()
