"""Score stage: pure functions from a loaded evaluation and its system to a scorecard."""
