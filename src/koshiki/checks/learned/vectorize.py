"""Feature counts → TF-IDF vectors, by a vocabulary and IDF fixed at training time.

Written here rather than taken from scikit-learn so that scoring needs only NumPy and gives
exactly the vectors the model was trained on."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float32]
IntArray = npt.NDArray[np.int32]


def sparse_row(counts: Counter[str], index: dict[str, int], idf: FloatArray) -> tuple[IntArray, FloatArray]:
    """Column indexes and L2-normalized sublinear TF-IDF values of one document."""
    cols = []
    vals = []
    for feature, count in counts.items():
        col = index.get(feature)
        if col is not None:
            cols.append(col)
            vals.append((1.0 + math.log(count)) * float(idf[col]))
    values = np.array(vals, dtype=np.float32)
    norm = float(np.sqrt(np.dot(values, values))) if vals else 0.0
    if norm > 0:
        values /= norm
    return np.array(cols, dtype=np.int32), values


class CountMatrix:
    """Every document's feature counts in one sparse matrix, columns in feature-name order.

    Cross-validation trains many models on subsets of the same documents: each picks its own
    vocabulary and IDF from its own rows (nothing leaks from a held-out writer), by column
    arithmetic instead of a Python loop per document. The result equals ``sparse_row``'s."""

    def __init__(self, documents: Sequence[Counter[str]]) -> None:
        from scipy.sparse import csr_matrix

        names = sorted({f for doc in documents for f in doc})
        self.names = names
        index = {f: i for i, f in enumerate(names)}
        indptr = [0]
        indices: list[int] = []
        data: list[float] = []
        for doc in documents:
            cols = sorted(index[f] for f in doc)
            indices += cols
            data += [float(doc[names[c]]) for c in cols]
            indptr.append(len(indices))
        self.counts = csr_matrix(
            (np.array(data, np.float64), np.array(indices, np.int64), np.array(indptr, np.int64)),
            shape=(len(documents), len(names)),
        )

    def vocabulary(
        self, rows: Sequence[int], *, min_df: int, max_features: int
    ) -> tuple[IntArray, FloatArray]:
        """Columns kept for a model trained on ``rows`` and their smoothed IDF (as ``build_vocabulary``)."""
        sub = self.counts[list(rows)]
        df = np.asarray((sub > 0).sum(axis=0)).ravel()
        candidates = np.flatnonzero(df >= min_df)
        if len(candidates) > max_features:
            order = np.lexsort((candidates, -df[candidates]))  # most frequent first, ties by name
            candidates = np.sort(candidates[order[:max_features]])
        n = len(rows)
        idf = (np.log((1 + n) / (1 + df[candidates])) + 1.0).astype(np.float32)
        return candidates.astype(np.int32), idf

    def tfidf(self, rows: Sequence[int], columns: IntArray, idf: FloatArray) -> object:
        """L2-normalized sublinear TF-IDF rows over the chosen columns (a scipy CSR matrix)."""
        from scipy.sparse import diags

        sub = self.counts[list(rows)][:, columns].tocsr()
        sub.data = 1.0 + np.log(sub.data)
        sub = (sub @ diags(idf.astype(np.float64))).tocsr()
        norms = np.sqrt(np.asarray(sub.multiply(sub).sum(axis=1)).ravel())
        norms[norms == 0] = 1.0
        return (diags(1.0 / norms) @ sub).tocsr()
