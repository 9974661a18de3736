"""The dashboard in a browser: its data (`model`), the self-contained page (`page`), the live server (`server`)."""
