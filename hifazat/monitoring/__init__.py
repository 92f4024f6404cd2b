"""The monitoring network: reporters, reports, anonymous tips, triage, linking, alerts and camp exits."""
