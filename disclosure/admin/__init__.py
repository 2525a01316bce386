"""Back-office screens (Wagtail viewsets) of the disclosure app, one module per area."""
