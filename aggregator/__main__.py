"""Allow ``python -m aggregator``."""

from aggregator.cli import cli

cli()
