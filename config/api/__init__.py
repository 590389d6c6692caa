"""Project-wide REST API machinery (NetBox's ``netbox/api`` in miniature).

The apps' viewsets and serializers build on these pieces, so every resource
pages, orders, filters, renders CSV, answers conditional GETs and reports
errors the same way.
"""
