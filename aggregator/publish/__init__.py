"""Publishing: Datasette metadata, the ``serve`` command and CSV/JSON exports."""
