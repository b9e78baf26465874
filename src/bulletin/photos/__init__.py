"""The issue's photos: checked before layout, measured where placed, prepared per edition."""
