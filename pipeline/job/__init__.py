"""The main job: set up, start the worker and producers, watch progress, benchmark."""
