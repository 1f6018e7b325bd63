"""`make bench-scale`: a national dataset on a throwaway PostgreSQL, each main page timed for the largest
and the smallest body, `koshiki audit verify`, and the worker's throughput (issue #12; docs/SCALING.md).

Modules: sizes (the scale and its long-tailed split), bodies (real names and codes from code4fukui),
generate (bulk rows), measure (pages, verify, worker), report (table, markdown, JSON), cli (the command).
"""
