"""Text handling: Unicode clean-up with honest offsets, segmentation, language identification."""
