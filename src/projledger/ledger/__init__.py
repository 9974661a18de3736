"""The ledger layer: errors, models, reading YAML, loading and checking, rewriting files, git and workbook sources.

Imports nothing above it (figures, outputs, intake, cli). `load.load_ledger` is what commands call.
"""
