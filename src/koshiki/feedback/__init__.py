"""Feedback from use (issue #14): approvers mark a checker finding as wrong (誤検知) or add a category it
missed (見逃し); the feedback is exported, personal data masked, as corpus lines to grow the training set."""
