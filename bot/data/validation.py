"""Data problems found while loading data/: where (file, entry, field) and what."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml


@dataclass(frozen=True, slots=True)
class DataIssue:
    """One problem in one field of one entry of one data file."""

    file: str  # "data/officers.yaml"
    entry: str  # "county 04, officer 1 (Isabelle Canderskog)"
    field: str  # "email"
    problem: str  # "is not an e-mail address"

    def __str__(self) -> str:
        return f"{self.file}: {self.entry}: '{self.field}' {self.problem}"


class DataError(ValueError):
    """Raised when data/ cannot be used; carries every issue found, not just the first."""

    def __init__(self, issues: Sequence[DataIssue]) -> None:
        self.issues: tuple[DataIssue, ...] = tuple(issues)
        super().__init__("\n".join(str(issue) for issue in self.issues))


class _DataLoader(yaml.SafeLoader):
    """SafeLoader that keeps an impossible date (2026-13-40) as text for the field check to name.

    PyYAML's own loader raises a bare ValueError for such a date, without file, entry or field.
    """


def _timestamp_or_text(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> object:
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError:
        return loader.construct_scalar(node)


_DataLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_or_text)


def display_path(path: Path) -> str:
    """Name a data file the way editors know it: data/<file>."""
    return f"{path.parent.name}/{path.name}"


def read_yaml(path: Path) -> tuple[object, list[DataIssue]]:
    """Read one YAML file; report a missing, unreadable or malformed file as an issue."""
    name = display_path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None, [DataIssue(name, "file", "-", "is missing")]
    except OSError as error:
        return None, [DataIssue(name, "file", "-", f"cannot be read ({error.__class__.__name__})")]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        # Notepad's "ANSI" or "Unicode" save: name the line, not Python's exception.
        line = raw[: error.start].count(b"\n") + 1
        return None, [
            DataIssue(name, f"line {line}", "-", "is not saved as UTF-8: save it again with the encoding UTF-8")
        ]
    try:
        data = yaml.load(text, Loader=_DataLoader)
    except yaml.YAMLError as error:
        return None, [DataIssue(name, _yaml_position(error), "-", f"is not valid YAML: {_yaml_problem(error)}")]
    if data is None:
        return None, [DataIssue(name, "file", "-", "is empty")]
    return data, []


def _yaml_position(error: yaml.YAMLError) -> str:
    mark = getattr(error, "problem_mark", None)
    if mark is None:
        return "file"
    return f"line {mark.line + 1}, column {mark.column + 1}"


def _yaml_problem(error: yaml.YAMLError) -> str:
    problem = getattr(error, "problem", None)
    return str(problem) if problem else error.__class__.__name__


def entries(data: object, key: str, file: str) -> tuple[list[dict[str, object]], list[DataIssue]]:
    """Return the list of mappings under `key`, reporting anything that is not a mapping."""
    if not isinstance(data, dict) or key not in data:
        return [], [DataIssue(file, "file", key, "is missing at the top level")]
    items = data[key]
    if not isinstance(items, list):
        return [], [DataIssue(file, "file", key, "must be a list")]
    good: list[dict[str, object]] = []
    issues: list[DataIssue] = []
    for number, item in enumerate(items, start=1):
        if isinstance(item, dict):
            good.append(item)
        else:
            issues.append(DataIssue(file, f"{key} entry {number}", "-", "must be a mapping of field: value"))
    return good, issues


def text_field(
    item: dict[str, object], field: str, file: str, entry: str, issues: list[DataIssue], required: bool = True
) -> str:
    """Return a stripped text field; record an issue when it is required and missing or not text."""
    value = item.get(field)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            issues.append(DataIssue(file, entry, field, "is missing"))
        return ""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        issues.append(DataIssue(file, entry, field, "must be text"))
        return ""
    return str(value).strip()


def text_list(item: dict[str, object], field: str, file: str, entry: str, issues: list[DataIssue]) -> tuple[str, ...]:
    """Return an optional list of texts (a single text counts as a list of one)."""
    value = item.get(field)
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        issues.append(DataIssue(file, entry, field, "must be a list of texts"))
        return ()
    return tuple(v.strip() for v in value)
