"""In-app notifications and each user's work list."""
