"""Back office: grids. Defines viewsets and registers them with Wagtail hooks on import."""
