"""Preflight an issue: the checks that find what would embarrass us in print, and the report."""
