"""Two-step login (TOTP) to Koshiki itself, required for staff who approve or hold account credentials."""
