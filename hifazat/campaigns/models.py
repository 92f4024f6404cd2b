"""Campaigns: the models."""
