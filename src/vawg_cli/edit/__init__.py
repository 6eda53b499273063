"""Writing to the plan: splicing YAML text, the update/new/retarget writes, atomic files, the lock.

Every write keeps every byte it does not mean to change, is proved by reading back, checked
with the whole plan, and replaces the file atomically under the plan's lock.
"""
