"""planner: plans outreach campaigns (mobile propaganda teams and conferences) with OR-Tools."""

__version__ = "0.1.0"
