"""`jobbtorg report ...`: the group that holds the funnel and outcome reports (bot/cli.py)."""

from __future__ import annotations

import typer

report_app = typer.Typer(help="Reports: the funnel and the three-month outcomes.",
                         no_args_is_help=True)
