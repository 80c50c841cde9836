"""Sentence alignment between versions of a story, and the sentence embedder it uses."""
