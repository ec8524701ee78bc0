"""The Faust application: agents that consume articles and produce indexed results."""
