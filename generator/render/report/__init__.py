"""Evaluation reports (DB34/T 3556 §8.5): DOCX and PDF through pandoc, in each evaluation body's format."""

from .pandoc import ReportError
from .render import ReportFiles, ReportJob, render_report, render_reports

__all__ = ["ReportError", "ReportFiles", "ReportJob", "render_report", "render_reports"]
