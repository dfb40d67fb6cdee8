"""Facts: the vocabulary rules are written in, read off an incident."""
