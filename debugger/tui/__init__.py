"""The Textual app: screens, widgets, keys and the command registry."""
