"""Back-office screens of the portal layer."""
