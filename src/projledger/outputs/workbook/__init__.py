"""Writers for the meeting packet: workbook, bulletin, fill-in form, CSV. They take computed figures."""
