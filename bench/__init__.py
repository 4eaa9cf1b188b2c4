"""`make bench`: scenarios timed against a baseline measured in the same run (ratios, never absolute targets)."""
