"""The evaluation process as a workflow (DB34/T 3556 §8–§9).

Stages and the records each needs (``stages``, ``records``, ``confirmation``), reproducible
sampling (``sampling``), confidentiality (``confidential``, ``narrative``), rectification
(``rectification``) and the score's history through objections (``history``).
"""
