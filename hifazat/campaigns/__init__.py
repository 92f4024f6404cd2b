"""Awareness campaigns: key messages, activities, reach and coverage, and the public awareness page."""
