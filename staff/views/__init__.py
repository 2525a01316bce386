"""Views of the back office (inside the Wagtail admin). Thin: forms check input, services and selectors work."""
