"""Analyses: pure functions that derive indicators from validated layers."""
