"""Family tracing and reunification of separated children."""
