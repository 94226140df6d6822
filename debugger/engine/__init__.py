"""The session engine: plain Python, no screen (run control, history, breakpoints, insight)."""
