"""The bundled offline demo: a sample news site and the config that polls it."""

from pathlib import Path

DEMO_DIR = Path(__file__).parent
DEMO_SITE = DEMO_DIR / "site"
DEMO_CONFIG = DEMO_DIR / "feeds.yaml"
