"""Render stage: scorecards → site pages (``site``), DOCX and PDF reports (``report``).

``views`` turns a loaded evaluation, its system and its scorecard into display-ready, typed
view models that every renderer shares; ``charts`` draws them as inline SVG.
"""
