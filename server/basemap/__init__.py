"""basemap domain."""
