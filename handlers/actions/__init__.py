"""Staff actions (use cases) shared by the CLI, the dashboard and staff Telegram commands."""
