"""Back office: producers. Defines viewsets and registers them with Wagtail hooks on import."""
