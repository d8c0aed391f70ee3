"""Standard protocols other systems speak to gridlink: Open311 GeoReport v2 (open311/),
OGC API – Features (ogc/)."""
