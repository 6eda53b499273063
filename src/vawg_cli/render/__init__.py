"""What people read: the status table, the board papers (Jinja templates) and the change report.

The only place that imports Rich and Jinja.
"""
