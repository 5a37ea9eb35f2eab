"""Klachtenregister: a complaint register kept as Markdown files in Git."""

__version__ = "0.1.0"
