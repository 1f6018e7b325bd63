"""The optional AI reviewer (issue #14): a second opinion on posts waiting for approval, from a body's own
OpenAI-compatible endpoint. Off by default; suggestions only, never blocking. See docs/CHECKER.md."""
