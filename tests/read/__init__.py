"""Tests of pipeline/read."""
