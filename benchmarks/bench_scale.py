"""`make bench-scale`: the national-scale benchmark (issue #12); the code is in benchmarks/scale/.

.venv/bin/python benchmarks/bench_scale.py                 # default scale (60 bodies), PostgreSQL
.venv/bin/python benchmarks/bench_scale.py --full          # the national dataset (docs/SCALING.md)
.venv/bin/python benchmarks/bench_scale.py --help
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(1, str(Path(__file__).resolve().parents[1] / "src"))

from scale.cli import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
