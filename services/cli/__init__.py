"""The subcommands the serving layer adds to ``latentgan`` (``latentgan.commands`` entry points)."""
