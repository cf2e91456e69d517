"""Tests of pipeline/bi."""
