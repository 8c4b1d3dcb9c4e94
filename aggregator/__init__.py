"""Incident news aggregator: collects reports of NHS and UK public-sector IT incidents."""

__version__ = "0.1.0"
