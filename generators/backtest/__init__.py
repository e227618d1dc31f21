"""Backtest: how often would each alert have fired over real history.

Works only from rendered outputs (rule groups and the Alertmanager config), never from
the spec model: `source.rendered_outputs` is the one place that turns a spec into them.
"""
