"""Extraction: main text from pages, then incident facts from text with spaCy."""
