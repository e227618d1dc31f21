"""A simulated Metrics Billing Platform: every series of the metric contract, for tests and demos."""
