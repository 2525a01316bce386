"""Services of the inspections app: keyword-only, one transaction each, clear messages on refusal."""
