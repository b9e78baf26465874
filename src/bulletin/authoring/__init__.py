"""Authoring an issue: start a month (``new``).

These modules write into the officer's ``issues/`` folder, so each one reads and
checks everything first and never replaces a file it did not make.
"""
