"""Livelihood programmes: ranked selection, enrolment, support delivered and outcomes."""
