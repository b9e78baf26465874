"""Authoring an issue: start a month (``new``), bring a story in from Word (``importer``).

These modules write into the officer's ``issues/`` folder, so each one reads and
checks everything first, never replaces a file it did not make, and edits a
manifest as text (its comments and layout kept), never by dumping it again.
``wordhtml`` turns mammoth's HTML of a Word document into a story's Markdown;
``yamltext`` writes values as YAML text.
"""
