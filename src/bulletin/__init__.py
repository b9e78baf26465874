"""Typeset an organisation's monthly newsletter from YAML manifests into PDF."""

__version__ = "0.1.0"
