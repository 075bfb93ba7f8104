"""The session runner and the simulated candidate (case files)."""
