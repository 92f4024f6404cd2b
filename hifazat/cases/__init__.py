"""Cases aligned with HTCDS v2.0: assessment, support plans, services, follow-ups and closure."""
