"""Livelihoods: the models."""
