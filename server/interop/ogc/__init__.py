"""OGC API – Features under /ogc/: grids, stations and public report points for GIS clients
(QGIS, GDAL's OAPIF driver). Part 1 (core, GeoJSON, OpenAPI 3.0) reads everything, publicly;
Part 4 writes grids (planners, If-Match with the ETag from `service.etag`) through the
planning drafts: write_routes.py, bodies.py, writes.py.
"""
