"""The plan's vocabulary: plain records, targets and their due dates, reporting quarters.

Pure: nothing here reads files, the clock or a terminal, and nothing imports the rest of vawg
(only the text helpers beneath everything).
"""
