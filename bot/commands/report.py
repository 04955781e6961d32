"""`jobbtorg report ...`: the group that the funnel and outcome reports add commands to."""

from __future__ import annotations

import typer

from bot.cli import app

report_app = typer.Typer(help="Reports: the funnel and the three-month outcomes.",
                         no_args_is_help=True)
app.add_typer(report_app, name="report")
