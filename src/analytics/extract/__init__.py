"""Extractors: Doc -> mentions (entities, dates) and events."""
