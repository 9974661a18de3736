"""The intake layer: returned fill-in forms read, checked and merged back into the ledger files.

Sits above `outputs` because it reads back the form layout that `outputs.workbook.form` writes.
"""
