"""Back office: substances. Defines viewsets and registers them with Wagtail hooks on import."""
