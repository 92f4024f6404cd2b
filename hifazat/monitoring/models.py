"""Monitoring: the models."""
