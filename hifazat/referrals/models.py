"""Referrals: the models."""
