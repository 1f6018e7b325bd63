"""The registry of official accounts: opening with approval, operating policy,
disclosure, change and closure."""
