"""Typeset the HTML into each edition's PDF: the engine's fonts, resources and log."""
