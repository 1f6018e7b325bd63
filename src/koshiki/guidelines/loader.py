"""Read a profile from YAML and say exactly where it is wrong.

Errors name the file, the line and the field in plain words, because the people who
write profiles are 広報 staff reading their own guideline, not programmers.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path as FsPath

import yaml
from pydantic import ValidationError
from pydantic_core import ErrorDetails

from .consistency import find_problems
from .rules import Path, iter_rules
from .schema import Profile


@dataclass(frozen=True)
class ProfileIssue:
    file: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.field}: {self.message}"


class ProfileError(Exception):
    """The profile could not be read; ``issues`` lists every problem found."""

    def __init__(self, issues: list[ProfileIssue]) -> None:
        self.issues = issues
        super().__init__("\n".join(str(issue) for issue in issues))


def _field_name(path: Path) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out or "(profile)"


def _line_for(root: yaml.Node | None, path: Path) -> int | None:
    """The 1-based line of the deepest YAML node that the path reaches."""
    node = root
    line = node.start_mark.line + 1 if node is not None else None
    for part in path:
        if isinstance(node, yaml.MappingNode) and isinstance(part, str):
            match = next((v for k, v in node.value if getattr(k, "value", None) == part), None)
            if match is None:
                return line
            node = match
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            if part >= len(node.value):
                return line
            node = node.value[part]
        else:
            return line
        line = node.start_mark.line + 1
    return line


def _translate(error: ErrorDetails) -> str:
    kind = error["type"]
    if kind == "missing":
        return "必須の項目がありません / required field is missing"
    if kind == "extra_forbidden":
        return "この項目は定義されていません（綴りを確認してください） / unknown field"
    if kind == "literal_error":
        expected = (error.get("ctx") or {}).get("expected", "")
        return f"使える値は {expected} です / must be one of {expected}"
    return str(error["msg"])


def parse_profile(text: str, filename: str = "<profile>") -> Profile:
    """Validate YAML text as a profile; raise ProfileError listing every problem."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise ProfileError(
            [ProfileIssue(filename, line, "(YAML)", f"YAML として読めません / invalid YAML: {exc}")]
        ) from exc
    if not isinstance(data, dict):
        raise ProfileError(
            [
                ProfileIssue(
                    filename, 1, "(profile)", "プロファイルは対応表である必要があります / not a mapping"
                )
            ]
        )
    try:
        profile = Profile.model_validate(data)
    except ValidationError as exc:
        issues = []
        for error in exc.errors():
            path: Path = tuple(part for part in error["loc"] if isinstance(part, (str, int)))
            issues.append(ProfileIssue(filename, _line_for(root, path), _field_name(path), _translate(error)))
        raise ProfileError(issues) from exc
    problems = find_problems(profile)
    if problems:
        raise ProfileError(
            [
                ProfileIssue(filename, _line_for(root, p.path), _field_name(p.path), p.message)
                for p in problems
            ]
        )
    return profile


def load_profile(path: FsPath | str) -> Profile:
    path = FsPath(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ProfileError(
            [ProfileIssue(str(path), None, "(file)", f"読めません / cannot read: {exc}")]
        ) from exc
    return parse_profile(text, str(path))


def _squash(text: str) -> str:
    """Fold the guideline's layout away: NFKC, no white space, one bracket style."""
    folded = unicodedata.normalize("NFKC", text)
    return "".join(ch for ch in folded if not ch.isspace())


def check_quotes(profile: Profile, source_text: str, filename: str = "<profile>") -> list[ProfileIssue]:
    """Every quote must stand in the guideline's text ('…' joins parts that stand in order)."""
    haystack = _squash(source_text)
    issues = []
    for ref in iter_rules(profile):
        quote = ref.rule.quote
        if quote is None:
            continue
        position = 0
        for part in (_squash(p) for p in quote.split("…")):
            if not part:
                continue
            found = haystack.find(part, position)
            if found < 0:
                issues.append(
                    ProfileIssue(
                        filename,
                        None,
                        _field_name((*ref.path, "quote")),
                        f"引用がガイドライン本文に見つかりません / quote not in the text: {part[:40]}",
                    )
                )
                break
            position = found + len(part)
    return issues
