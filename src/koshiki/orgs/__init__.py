"""Organizations (public bodies), their departments, staff, roles and personnel changes."""
