"""Benchmarks of issue 8: `make bench` (build time, scaling, memory) and `make bench-rules`
(rule evaluation cost on a real Prometheus). They drive the public CLI and read rendered
files only, so they measure any implementation of the generators."""
