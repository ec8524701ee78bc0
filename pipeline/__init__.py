"""ceasefire-watch: a continuous service that finds ceasefire claims and denials in the news."""

__version__ = "0.1.0"
