"""Tracing: the models."""
