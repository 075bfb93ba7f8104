"""Core types, errors, paths and settings shared by every layer."""
