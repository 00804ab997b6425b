"""Validate stage: loaded models → diagnostics, pure. Never raises for a user's mistake."""
