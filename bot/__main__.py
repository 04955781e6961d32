"""`python -m bot` runs the `jobbtorg` command."""

from bot.cli import app

app()
