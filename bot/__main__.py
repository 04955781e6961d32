"""`python -m bot` runs the `jobbtorg` command."""

from bot.root import cli

cli()
