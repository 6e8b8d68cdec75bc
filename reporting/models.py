"""Models of the reporting app arrive with their issue."""
