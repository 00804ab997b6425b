"""Typed models of indicator systems and evaluations.

Field docstrings are the schema's documentation: they feed the JSON Schema editors use.
"""
