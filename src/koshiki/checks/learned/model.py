"""A trained learned-tier model: vocabulary, IDF, one linear scorer per category, thresholds.

The file is a ZIP of NumPy arrays plus JSON metadata, written with fixed timestamps so that the
same training gives the same bytes. Scoring needs only NumPy: no scikit-learn at run time."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .features import FeatureConfig, features
from .vectorize import FloatArray, sparse_row

FORMAT = "koshiki-learned-1"
_EPOCH = (1980, 1, 1, 0, 0, 0)


class ModelFileError(ValueError):
    """A model file that is missing, of another format or damaged."""


@dataclass
class LearnedModel:
    categories: tuple[str, ...]
    config: FeatureConfig
    vocabulary: list[str]
    idf: FloatArray
    weights: FloatArray  # (categories, features)
    bias: FloatArray  # (categories,)
    thresholds: FloatArray  # (categories,): a score at or above flags the category
    meta: dict[str, object] = field(default_factory=dict)
    _index: dict[str, int] = field(default_factory=dict, repr=False)

    @property
    def digest(self) -> str:
        """The model file's SHA-256 (first 16 hex digits): which model judged, in the audit trail."""
        return str(self.meta.get("sha256", ""))

    def __post_init__(self) -> None:
        if not self._index:
            self._index = {f: i for i, f in enumerate(self.vocabulary)}

    def scores(self, text: str) -> FloatArray:
        """Probability-like score per category, in ``categories`` order."""
        cols, vals = sparse_row(features(text, self.config), self._index, self.idf)
        logits = self.weights[:, cols] @ vals + self.bias if len(cols) else self.bias.copy()
        return (1.0 / (1.0 + np.exp(-logits))).astype(np.float32)

    def flagged(self, text: str) -> dict[str, float]:
        """The categories whose score reaches their threshold, with the score."""
        scores = self.scores(text)
        return {
            c: float(s) for c, s, t in zip(self.categories, scores, self.thresholds, strict=True) if s >= t
        }

    def threshold(self, category: str) -> float:
        return float(self.thresholds[self.categories.index(category)])

    def score_of(self, text: str, category: str) -> float:
        return float(self.scores(text)[self.categories.index(category)])

    # --- file format ---

    def arrays(self) -> dict[str, FloatArray]:
        return {
            "idf": self.idf.astype(np.float32),
            "weights": self.weights.astype(np.float16),
            "bias": self.bias.astype(np.float32),
            "thresholds": self.thresholds.astype(np.float32),
        }

    def header(self) -> dict[str, object]:
        return {
            "format": FORMAT,
            "categories": list(self.categories),
            "config": self.config.as_dict(),
            "meta": {k: v for k, v in self.meta.items() if k != "sha256"},
        }

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
            _write(
                archive, "header.json", json.dumps(self.header(), ensure_ascii=False, sort_keys=True).encode()
            )
            _write(archive, "vocabulary.txt", "\n".join(self.vocabulary).encode("utf-8"))
            for name, array in self.arrays().items():
                out = io.BytesIO()
                np.save(out, array, allow_pickle=False)
                _write(archive, f"{name}.npy", out.getvalue())
        return buffer.getvalue()

    def save(self, path: Path) -> str:
        data = self.to_bytes()
        path.write_bytes(data)
        return hashlib.sha256(data).hexdigest()

    @classmethod
    def load(cls, path: Path) -> LearnedModel:
        """The model in ``path``; anything wrong with the file (damaged, swapped, inflating past
        ``MAX_MEMBER_BYTES``, shapes that do not agree, weights that are not finite) is a
        ``ModelFileError`` naming it, so start-up refuses it instead of the first save failing."""
        try:
            raw = path.read_bytes()
            with zipfile.ZipFile(io.BytesIO(raw)) as archive:
                header = json.loads(_member(archive, "header.json"))
                if not isinstance(header, dict) or header.get("format") != FORMAT:
                    raise ModelFileError(f"not a {FORMAT} model")
                text = _member(archive, "vocabulary.txt").decode("utf-8")
                arrays = {
                    name: np.load(io.BytesIO(_member(archive, f"{name}.npy")), allow_pickle=False)
                    for name in ("idf", "weights", "bias", "thresholds")
                }
            model = cls(
                categories=tuple(header["categories"]),
                config=FeatureConfig.from_dict(header["config"]),
                vocabulary=text.split("\n") if text else [],
                idf=_floats(arrays["idf"]),
                weights=_floats(arrays["weights"]),
                bias=_floats(arrays["bias"]),
                thresholds=_floats(arrays["thresholds"]),
                meta={**header.get("meta", {}), "sha256": hashlib.sha256(raw).hexdigest()[:16]},
            )
            _validate(model)
        except ModelFileError as exc:
            raise ModelFileError(f"cannot read the learned model {path}: {exc}") from exc
        except (
            OSError,
            EOFError,
            LookupError,
            ValueError,  # JSON, UTF-8, NumPy's .npy reader
            TypeError,
            AttributeError,
            RuntimeError,  # an encrypted member
            NotImplementedError,
            zipfile.BadZipFile,
            zipfile.LargeZipFile,
            zlib.error,
        ) as exc:
            raise ModelFileError(f"cannot read the learned model {path}: {exc}") from exc
        return model


#: No member of a model file may inflate beyond this (the shipped file's largest is 2.4 MB): a ZIP
#: bomb is refused before it is read. Only DEFLATE (bounded per read) or no compression.
MAX_MEMBER_BYTES = 32_000_000
#: Character n-grams longer than this would make every text cost quadratically more features.
MAX_CHAR_N = 8
_COMPRESSIONS = frozenset({zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED})


def _member(archive: zipfile.ZipFile, name: str) -> bytes:
    info = archive.getinfo(name)
    if info.compress_type not in _COMPRESSIONS:
        raise ModelFileError(f"{name} is compressed by an unsupported method")
    if info.file_size > MAX_MEMBER_BYTES:
        raise ModelFileError(
            f"{name} would inflate to {info.file_size:,} bytes (at most {MAX_MEMBER_BYTES:,})"
        )
    return archive.read(info)


def _floats(array: np.ndarray) -> FloatArray:
    if array.dtype.kind != "f":
        raise ModelFileError(f"an array of {array.dtype}, not of floats")
    return array.astype(np.float32)


def _validate(model: LearnedModel) -> None:
    """Shapes that agree, finite numbers, categories named once, n-grams in range."""
    n_cat, n_feat = len(model.categories), len(model.vocabulary)
    if not n_cat or not all(isinstance(c, str) and c for c in model.categories):
        raise ModelFileError("categories must be non-empty names")
    if len(set(model.categories)) != n_cat:
        raise ModelFileError("a category is named twice")
    if len(model._index) != n_feat:
        raise ModelFileError("a feature is named twice in the vocabulary")
    config = model.config
    if not 1 <= config.char_min <= config.char_max <= MAX_CHAR_N:
        raise ModelFileError(f"character n-grams {config.char_min}-{config.char_max} out of 1-{MAX_CHAR_N}")
    for name, array, shape in (
        ("idf", model.idf, (n_feat,)),
        ("weights", model.weights, (n_cat, n_feat)),
        ("bias", model.bias, (n_cat,)),
        ("thresholds", model.thresholds, (n_cat,)),
    ):
        if array.shape != shape:
            raise ModelFileError(f"{name} has shape {array.shape}, expected {shape}")
        if not np.isfinite(array).all():
            raise ModelFileError(f"{name} holds numbers that are not finite")


def _write(archive: zipfile.ZipFile, name: str, data: bytes) -> None:
    info = zipfile.ZipInfo(name, date_time=_EPOCH)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    archive.writestr(info, data)


def same_model(a: LearnedModel, b: LearnedModel, *, atol: float = 1e-3) -> list[str]:
    """Differences that matter between two models (empty: the same model); float noise from
    another CPU's arithmetic within ``atol`` is not a difference."""
    problems: list[str] = []
    if a.categories != b.categories:
        problems.append("categories differ")
    if a.config != b.config:
        problems.append("feature configuration differs")
    if a.vocabulary != b.vocabulary:
        problems.append("vocabulary differs")
    if problems:
        return problems
    for name, x, y in (
        ("idf", a.idf, b.idf),
        ("weights", a.weights, b.weights),
        ("bias", a.bias, b.bias),
        ("thresholds", a.thresholds, b.thresholds),
    ):
        if x.shape != y.shape or not np.allclose(x, y, atol=atol, rtol=0):
            problems.append(f"{name} differ")
    return problems
