"""Rule files: their schema, their reader, and the compiled pack."""
