"""Rich renderables for the terminal; nothing here prints."""
