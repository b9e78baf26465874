"""Authoring an issue: start a month, bring a story in from Word, keep translations in step.

``new`` starts a month, ``importer`` appends a Word story, ``translate`` writes
or updates a translation file. These modules write into the officer's
``issues/`` folder, so each one reads and checks everything first, never
replaces a file it did not make, and edits a manifest as text (its comments
and layout kept), never by dumping it again. ``wordhtml`` turns mammoth's HTML
of a Word document into a story's Markdown; ``yamltext`` writes values as YAML.
"""
