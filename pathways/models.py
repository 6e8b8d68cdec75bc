"""Models of the pathways app arrive with their issue."""
