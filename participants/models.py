"""Models of the participants app arrive with their issue."""
