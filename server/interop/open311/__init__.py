"""Open311 GeoReport v2 under /open311/v2/, for Open311 clients and 12345 platforms.

Every report is a service request and every active category a service. How our states
read in Open311 is documented (and defined) in `schemas`.
"""
