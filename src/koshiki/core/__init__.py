"""Cross-cutting pieces every domain app uses: errors, request ids, state machines."""
