"""Feature command groups for the `jobbtorg` CLI; each module registers itself on bot.cli.app."""
