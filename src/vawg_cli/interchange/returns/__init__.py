"""The quarterly returns: a workbook a partner fills in Excel, read back into the plan, and the
email that carries it.

`identity` is what a workbook records of where it came from; `workbook` writes one;
`filled` reads one back (or a CSV saved from it); `mail` writes the email drafts and sends them.
"""
