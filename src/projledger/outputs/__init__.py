"""The outputs layer: terminal renderables, workbooks, forms, documents, pages and CSV, built from figures.

Never computes a figure and never prints; imports `figures` and `ledger` only.
"""
