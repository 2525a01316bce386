"""Daily inspections (日常巡查, 附件1): yearly plans, inspection records, samples and tests, coverage."""
