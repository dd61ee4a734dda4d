"""The editorial toolkit both apps build on: content files and their loading, admin building blocks, shared signals."""
