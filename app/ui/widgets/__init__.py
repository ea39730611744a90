"""Small widgets the rest of the window shares."""
