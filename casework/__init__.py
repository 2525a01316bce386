"""Rectification orders and referrals (附件1 第八条), shared by complaints and inspections: one rule, one place."""
