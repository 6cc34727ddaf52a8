"""Reading SIAK exports and keeping dated snapshots: schema, sources, validation, the store (docs/import.md)."""
