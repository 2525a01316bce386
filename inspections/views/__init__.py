"""Views of the inspections app; the inspector's phone app lives in `field` (served under /field/)."""
