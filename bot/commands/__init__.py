"""Feature command groups for the `jobbtorg` CLI; each module defines its Typer, bot/cli.py adds it."""
