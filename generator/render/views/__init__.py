"""View models: what a page or a report shows, built once from the public (or internal) view of an evaluation.

``evaluation`` (parties, people, scores, systems), ``process`` (timeline, samples, confirmation), ``report``
(a report's whole content). Site pages and reports read the same objects, so they say the same thing.
"""
