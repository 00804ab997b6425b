"""Checks of the evaluation process (DB34/T 3556 §8–§9): stages, records, sampling, confirmation."""
