"""Time jdcore.analysis.matching (fit, then top-5 neighbours of every duty) on a large catalogue.

With a number N (default 250,000): N synthetic duties, each a real duty of data/roles with
~30 % of its words dropped, plus three words from a 30,000-word made-up vocabulary and two
words of other duties: a templated catalogue, the hard case for neighbour search (every duty
has hundreds of close variants). With a folder: the duties of that catalogue (e.g. one
written by jdcore.synth.write_synthetic_catalogue).

    .venv/bin/python bench/matching_scale.py [N | folder] [threshold]
"""

import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from jdcore import load_catalogue  # noqa: E402
from jdcore.analysis.matching import SIMILAR_THRESHOLD, fit_duty_index, nearest_duties


def synthetic_duties(n: int, seed: int = 0) -> pd.DataFrame:
    base = load_catalogue(Path(__file__).resolve().parent.parent / "data").duties["text"]
    rng = np.random.default_rng(seed)
    words = [w for text in base for w in text.split()]
    extra = np.array([f"w{i}x" for i in range(30_000)])
    texts = []
    for i in rng.integers(len(base), size=n):
        kept = [w for w in base.iloc[i].split() if rng.random() > 0.3]
        kept += list(extra[rng.integers(len(extra), size=3)]) + list(rng.choice(words, 2))
        texts.append(" ".join(kept))
    return pd.DataFrame({"role_id": [f"r{i // 10}" for i in range(n)],
                         "duty_no": [i % 10 + 1 for i in range(n)], "text": texts})


if __name__ == "__main__":
    source = sys.argv[1] if len(sys.argv) > 1 else "250000"
    threshold = float(sys.argv[2]) if len(sys.argv) > 2 else SIMILAR_THRESHOLD
    duties = (load_catalogue(source).duties if Path(source).is_dir()
              else synthetic_duties(int(source)))
    n = len(duties)
    start = time.perf_counter()
    index = fit_duty_index(duties)
    print(f"fit {n} duties: {time.perf_counter() - start:.1f} s")
    start = time.perf_counter()
    neighbours = nearest_duties(index, k=5, threshold=threshold)
    print(f"top-5 neighbours >= {threshold}: {time.perf_counter() - start:.1f} s, "
          f"{len(neighbours)} rows")
