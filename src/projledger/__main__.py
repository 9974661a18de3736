"""`python -m projledger` runs the CLI (works even when the console script is not on PATH)."""

from projledger.cli import main

main()
