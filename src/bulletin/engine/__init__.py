"""The only code that touches WeasyPrint's internals, and the column layout bulletin replaces."""
