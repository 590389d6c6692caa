"""The ingest pipeline: raw document → draft case records with provenance.

A chain of small pure functions, each testable on a string:

    read (bytes → text)  →  normalise (PDF text → clean text + line map)
    →  split (articles)  →  extract (figures, initiatives, themes)
    →  resolve (regions, attribution)  →  save (the only step that touches the database)

``pipeline.process_bytes`` runs the pure part; ``save.save_document`` writes it.
"""
