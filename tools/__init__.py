"""Development and test tooling for AVMeets (not deployed)."""
