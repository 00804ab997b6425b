"""Build stage: the runner, the cache and the workers that take a repository to ``site/``."""
