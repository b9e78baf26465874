"""The data a bulletin is made of, as plain validated models with no I/O."""
