"""The figures layer: every number any output shows, computed once, pure (no I/O, no clock).

Imports only `projledger.ledger`.
"""
