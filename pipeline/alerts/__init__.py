"""Alerts without a paid connector: new disputes and watched-party claims to a webhook or a file."""
