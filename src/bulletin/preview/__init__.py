"""Pictures of an issue: each page as PNG, a contact sheet, the cards shown where it is shared."""
