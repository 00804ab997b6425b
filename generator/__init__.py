"""Evaluation-as-code for "互联网+政务服务" service quality (DB34/T 3556-2019).

Pipeline: load (files → typed model with source positions) → validate (model → diagnostics)
→ score (pure: model → scorecard) → render (scorecard → site pages, DOCX, PDF).
"""

__version__ = "0.1.0"
