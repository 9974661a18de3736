"""projledger: key-project ledgers (台账) for monthly dispatch meetings (调度会)."""

__version__ = "0.1.0"
