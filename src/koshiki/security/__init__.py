"""Credential hygiene of official accounts (issue #5): holders, rotations, devices, the security board."""
