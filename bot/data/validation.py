"""Reading data/*.yaml safely, and the problems found in it: where (file, line, entry, field) and what.

The words of every problem live in bot.data.wording; an issue here holds only codes and values,
so check-data, the logs and the chat page can each say it in the reader's language.
"""

from __future__ import annotations

import difflib
import errno
import os
import re
import stat
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.data import wording
from bot.data.wording import Part, Values

# The biggest shipped file is 16 kB (all 290 municipalities). A megabyte leaves room for years of
# dialogues while a file that is not data (a log, a database pasted by mistake) is refused unread.
MAX_FILE_BYTES = 1_000_000
# A value quoted in a problem is cut to this many characters: enough to recognise, never a page.
MAX_QUOTED_CHARS = 60


@dataclass(frozen=True, slots=True)
class DataIssue:
    """One problem in a data file: where it is and what is wrong, in codes wording can say."""

    file: str  # "data/officers.yaml"
    problem: str  # a key of wording.PROBLEMS: "not_email"
    line: int | None = None  # 1-based line in the file, when known
    where: tuple[Part, ...] = ()  # the entry, outermost first: (("county", "04"), ("officer", "1"))
    field: str = ""  # the field as written in the file ("email"); "" when the problem is not one field's
    values: Values = ()  # what the problem's sentence quotes: (("value", "anna(at)x.se"),)

    def sentence(self, language: str = wording.SWEDISH) -> str:
        """Say the problem in one sentence for the person who edits the file."""
        return wording.sentence(self.file, self.line, self.where, self.field, self.problem, self.values, language)

    def __str__(self) -> str:
        return self.sentence()


class DataError(ValueError):
    """Raised when data/ cannot be used; carries every issue found, not just the first."""

    def __init__(self, issues: Sequence[DataIssue]) -> None:
        self.issues: tuple[DataIssue, ...] = tuple(issues)
        super().__init__("\n".join(issue.sentence(wording.ENGLISH) for issue in self.issues))


def quoted(value: object) -> str:
    """Return a value as the editor wrote it, short; never the text of a whole list or mapping."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return f"{value}"
    if isinstance(value, list):
        return "[...]"
    if isinstance(value, dict):
        return "{...}"
    text = value.strip() if isinstance(value, str) else f"{value}"
    return text if len(text) <= MAX_QUOTED_CHARS else text[: MAX_QUOTED_CHARS - 1] + "…"


# --- reading one file --------------------------------------------------------------------------


class MarkedMap(dict[object, object]):
    """A YAML mapping that remembers the line it starts on and the line of each key."""

    __slots__ = ("line", "lines")

    def __init__(self, line: int) -> None:
        super().__init__()
        self.line = line
        self.lines: dict[object, int] = {}


class MarkedList(list[object]):
    """A YAML list that remembers the line it starts on and the line of each item."""

    __slots__ = ("line", "lines")

    def __init__(self, line: int) -> None:
        super().__init__()
        self.line = line
        self.lines: list[int] = []


class _Refused(yaml.YAMLError):
    """Something the data files never need and the loader will not build (an alias, a repeated key)."""

    def __init__(self, problem: str, line: int, field: str = "", values: Values = ()) -> None:
        super().__init__(problem)
        self.problem = problem
        self.line = line  # 1-based
        self.field = field
        self.values = values


class _DataLoader(yaml.SafeLoader):
    """SafeLoader that keeps line numbers, refuses aliases and repeated keys, and keeps bad dates as text.

    Aliases (*name) are refused while the file is composed, before anything is built: people
    never need them here, and a chain of them (the "billion laughs") expands a 10 kB file into
    gigabytes wherever the value is walked. A key written twice in one entry is what a deleted
    "- name:" line leaves behind (two officers merge into one), so it is refused, not overwritten.
    """

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        if self.check_event(yaml.AliasEvent):
            event: yaml.AliasEvent = self.peek_event()  # type: ignore[no-untyped-call,unused-ignore]
            line = event.start_mark.line + 1 if event.start_mark is not None else 0
            raise _Refused("alias", line, values=(("alias", quoted(f"*{event.anchor}")),))
        return super().compose_node(parent, index)


class _NotPlain(yaml.YAMLError):
    """The fast loader met a node twice (an alias) or a merge key; the careful loader reads the file."""


# A "<<:" key, which copies another entry's fields into this one (written with an alias).
MERGE_TAG = "tag:yaml.org,2002:merge"


class _FastDataLoader(yaml.CSafeLoader):
    """_DataLoader's constructors on libyaml's parser, which reads the data files ten times faster.

    libyaml keeps line numbers but resolves an alias to the node it names while composing, so an
    alias shows here only as a node constructed a second time (before anything is built from it
    twice, so a chain of them expands nothing). Such a file, a merge key, and anything libyaml
    refuses are left to the careful _DataLoader (read_yaml), whose report names the line and the
    mistake in the editor's words: the fast loader only ever reads files that have no problem.
    """

    def construct_object(self, node: yaml.Node, deep: bool = False) -> object:
        if node in self.constructed_objects or node in self.recursive_objects:
            raise _NotPlain("a node reached twice: an alias")
        return super().construct_object(node, deep)

    def flatten_mapping(self, node: yaml.MappingNode) -> None:
        if any(key_node.tag == MERGE_TAG for key_node, _ in node.value):
            raise _NotPlain("a merge key")  # "<<: *name" copies an entry: the careful loader decides


_AnyLoader = _DataLoader | _FastDataLoader


def _construct_map(loader: _AnyLoader, node: yaml.MappingNode) -> Iterator[MarkedMap]:
    data = MarkedMap(node.start_mark.line + 1)
    yield data
    loader.flatten_mapping(node)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=False)
        if not isinstance(key, (str, int, float, bool)) and key is not None:
            raise _Refused("key_not_text", key_node.start_mark.line + 1)
        line = key_node.start_mark.line + 1
        if key in data:
            raise _Refused("repeated_key", line, quoted(key), (("first", f"{data.lines[key]}"),))
        data[key] = loader.construct_object(value_node, deep=False)
        data.lines[key] = line


def _construct_list(loader: _AnyLoader, node: yaml.SequenceNode) -> Iterator[MarkedList]:
    data = MarkedList(node.start_mark.line + 1)
    yield data
    data.extend(loader.construct_object(child, deep=False) for child in node.value)
    data.lines.extend(child.start_mark.line + 1 for child in node.value)


def _timestamp_or_text(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> object:
    # PyYAML raises a bare ValueError for an impossible date (2026-13-40); the field check names it.
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError:
        return loader.construct_scalar(node)


_DataLoader.add_constructor("tag:yaml.org,2002:map", _construct_map)
_DataLoader.add_constructor("tag:yaml.org,2002:seq", _construct_list)
_DataLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_or_text)
_FastDataLoader.add_constructor("tag:yaml.org,2002:map", _construct_map)
_FastDataLoader.add_constructor("tag:yaml.org,2002:seq", _construct_list)
_FastDataLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_or_text)


def display_path(path: Path) -> str:
    """Name a data file the way editors know it: data/<file>."""
    return f"{path.parent.name}/{path.name}"


def read_regular_file(path: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """Return the bytes of a regular file of at most `limit` bytes, without ever blocking.

    A FIFO, a device or a directory in place of a data file raises NotARegularFile, one larger
    than `limit` raises FileTooLarge: opening a FIFO for reading would wait for a writer for
    ever, and /dev/zero would never end. Symbolic links are followed (deployments mount data/
    that way); what they point at must be a regular file too.
    """
    # O_NONBLOCK: opening a FIFO returns at once instead of waiting for a writer.
    descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            raise NotARegularFile(errno.EINVAL, "not a regular file", str(path))
        if info.st_size > limit:
            raise FileTooLarge(errno.EFBIG, "file too large", str(path))
        with os.fdopen(descriptor, "rb", closefd=False) as stream:
            data = stream.read(limit + 1)
    finally:
        os.close(descriptor)
    if len(data) > limit:  # grew since fstat
        raise FileTooLarge(errno.EFBIG, "file too large", str(path))
    return data


class NotARegularFile(OSError):
    """A data file's path names a FIFO, device, socket or directory."""


class FileTooLarge(OSError):
    """A data file is larger than MAX_FILE_BYTES."""


def read_yaml(path: Path) -> tuple[object, list[DataIssue]]:
    """Read one YAML file; report a missing, unreadable, oversized or malformed file as an issue."""
    name = display_path(path)
    try:
        raw = read_regular_file(path)
    except FileNotFoundError:
        return None, [DataIssue(name, "file_missing")]
    except NotARegularFile:
        return None, [DataIssue(name, "not_regular_file")]
    except FileTooLarge:
        return None, [DataIssue(name, "file_too_large", values=(("limit", f"{MAX_FILE_BYTES // 1000}"),))]
    except OSError as error:
        return None, [DataIssue(name, "file_unreadable", values=(("reason", error.strerror or "?"),))]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        # Notepad's "ANSI" or "Unicode" save: name the line, not Python's exception.
        line = raw[: error.start].count(b"\n") + 1
        return None, [DataIssue(name, "not_utf8", line=line)]
    try:
        data = load_yaml(text)
    except _Refused as refused:
        issue = DataIssue(name, refused.problem, line=refused.line, field=refused.field, values=refused.values)
        return None, [issue]
    except yaml.YAMLError as error:
        return None, [yaml_issue(name, text, error)]
    except RecursionError:
        # PyYAML composes and builds nested values recursively: thousands of [ in a row exhaust
        # Python's stack. No data file nests more than four levels.
        return None, [DataIssue(name, "nested_too_deep")]
    if data is None:
        return None, [DataIssue(name, "file_empty")]
    return data, []


def load_yaml(text: str) -> object:
    """Build the values of a YAML text with their line numbers; raise what _DataLoader raises.

    A file the fast loader reads without any trouble is built by it; every other file is read
    again by _DataLoader, so a problem is always found and worded by the same careful code.
    """
    try:
        return yaml.load(text, Loader=_FastDataLoader)
    except (yaml.YAMLError, RecursionError):
        pass
    return yaml.load(text, Loader=_DataLoader)


def yaml_issue(file: str, text: str, error: yaml.YAMLError) -> DataIssue:
    """Translate PyYAML's error into the mistake an editor made, on the line where it was made."""
    problem = str(getattr(error, "problem", "") or "")
    context = str(getattr(error, "context", "") or "")
    mark: yaml.Mark | None = getattr(error, "problem_mark", None)
    context_mark: yaml.Mark | None = getattr(error, "context_mark", None)
    if mark is None:
        return DataIssue(file, "yaml_other", values=(("detail", problem or error.__class__.__name__),))
    line = mark.line + 1
    lines = text.splitlines()
    if "'\\t'" in problem:
        return DataIssue(file, "tab_at_start" if mark.column == 0 else "tab", line=line)
    if "cannot start any token" in problem or context in ("while scanning an alias", "while scanning an anchor"):
        values = _quote_suggestion(lines, mark.line)
        return DataIssue(file, "reserved_start", line=line, values=(("char", _value_of(lines, mark.line)[:1]), *values))
    if problem == "mapping values are not allowed here":
        return DataIssue(file, "colon_in_value", line=line, values=_quote_suggestion(lines, mark.line))
    if "could not find expected ':'" in problem and context_mark is not None:
        return DataIssue(
            file, "missing_colon", line=context_mark.line + 1, values=_colon_suggestion(lines, context_mark.line)
        )
    if "quoted scalar" in context and context_mark is not None:
        return DataIssue(file, "unclosed_quote", line=context_mark.line + 1)
    # A quote left open runs on over the following lines (YAML allows that), and the parser
    # stumbles further down; the line that opened it is the one to fix.
    unclosed = _unclosed_quote_line(lines, mark.line)
    if unclosed is not None:
        return DataIssue(file, "unclosed_quote", line=unclosed + 1)
    # The same for a [ or { left open: the parser reports where it gave up, not where it began.
    unclosed = _unclosed_bracket_line(lines, mark.line)
    if unclosed is not None:
        return DataIssue(file, "unclosed_bracket", line=unclosed + 1)
    if "expected <block end>" in problem or "expected <block mapping start>" in problem:
        return DataIssue(file, "indentation", line=line)
    return DataIssue(file, "yaml_other", line=line, values=(("detail", quoted(problem or context)),))


def _unclosed_quote_line(lines: list[str], last: int) -> int | None:
    """Return the index of the first line up to `last` whose quoted value is not closed on it."""
    for index, written in enumerate(lines[: last + 1]):
        value = written.strip().removeprefix("- ")
        key, separator, rest = value.partition(": ")
        value = rest.strip() if separator else key
        if value[:1] not in ("'", '"'):
            continue
        quote, body = value[0], value[1:]
        closed = body.replace("\\\\", "").replace("\\" + quote, "") if quote == '"' else body.replace("''", "")
        if quote not in closed:
            return index
    return None


# Quoted text and comments, which may hold brackets that open nothing.
_QUOTED_OR_COMMENT = re.compile(r"\"(?:[^\"\\]|\\.)*\"|'(?:[^']|'')*'|\s#.*$")


def _unclosed_bracket_line(lines: list[str], last: int) -> int | None:
    """Return the index of the first line up to `last` that opens more [ and { than it closes."""
    for index, written in enumerate(lines[: last + 1]):
        bare = _QUOTED_OR_COMMENT.sub("", written)
        if bare.count("[") + bare.count("{") > bare.count("]") + bare.count("}"):
            return index
    return None


def _value_of(lines: list[str], index: int) -> str:
    """Return the value written on a line (after "key: " or "- "), stripped."""
    written = lines[index].strip().removeprefix("- ") if index < len(lines) else ""
    key, separator, value = written.partition(": ")
    return value.strip() if separator else key


def _quote_suggestion(lines: list[str], index: int) -> Values:
    """Suggest the line with its value in quotes: title: "Dialog: hej"."""
    written = lines[index].strip() if index < len(lines) else ""
    key, separator, value = written.partition(": ")
    if not separator or not value.strip():
        return (("suggestion", 'title: "Dialog: Sörmland"'),)
    value = value.strip()
    quote = "'" if '"' in value else '"'
    return (("suggestion", quoted(f"{key}: {quote}{value}{quote}")),)


def _colon_suggestion(lines: list[str], index: int) -> Values:
    """Quote the line that lacks its colon, and the line as it should read: title Handläggare -> title: Handläggare."""
    written = lines[index].strip() if index < len(lines) else ""
    dash = "- " if written.startswith("- ") else ""
    key, _, value = written.removeprefix(dash).partition(" ")
    suggestion = f"{dash}{key}: {value.strip()}" if key and value.strip() else f"{dash}{key}:"
    return (("written", quoted(written)), ("suggestion", quoted(suggestion)))


# --- checking the entries of one file ----------------------------------------------------------


def line_of(container: object, key: object = None) -> int | None:
    """Return the line of `key` in a mapping (or item `key` of a list), else where it starts."""
    if isinstance(container, MarkedMap):
        return container.lines.get(key, container.line)
    if isinstance(container, MarkedList):
        if isinstance(key, int) and 0 <= key < len(container.lines):
            return container.lines[key]
        return container.line
    return None


@dataclass(slots=True)
class Entry:
    """One entry of one data file being checked; every problem found in it is reported through it.

    Holds what each field check needs to say where a problem is (file, entry, line), so that a
    check takes the entry and the field name, not five arguments.
    """

    file: str
    item: Mapping[object, object]
    where: tuple[Part, ...]
    issues: list[DataIssue]
    line: int | None = None

    def report(self, field_name: str, problem: str, **values: str) -> None:
        """Record a problem with one of this entry's fields (or with the entry, field_name "")."""
        line = line_of(self.item, field_name) if field_name else None
        self.issues.append(
            DataIssue(
                self.file,
                problem,
                line=line or self.line,
                where=self.where,
                field=field_name,
                values=tuple(values.items()),
            )
        )

    def child(self, item: Mapping[object, object], *parts: Part, line: int | None = None) -> Entry:
        """Return the entry for a mapping inside this one (an officer inside a county)."""
        return Entry(self.file, item, self.where + parts, self.issues, line or line_of(item) or self.line)

    def text(self, field_name: str, required: bool = True) -> str:
        """Return a stripped text field; report it when required and missing, or when not text."""
        value = self.item.get(field_name)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.report(field_name, "missing")
            return ""
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            self.report(field_name, "not_text", value=quoted(value))
            return ""
        return f"{value}".strip()

    def texts(self, field_name: str) -> tuple[str, ...]:
        """Return an optional list of texts (a single text counts as a list of one)."""
        value = self.item.get(field_name)
        if value is None:
            return ()
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            self.report(field_name, "not_text_list", value=quoted(value))
            return ()
        return tuple(v.strip() for v in value)

    def flag(self, field_name: str, default: bool = False) -> bool | None:
        """Return a true/false field (the default when absent); None after reporting anything else."""
        value = self.item.get(field_name, default)
        if not isinstance(value, bool):
            self.report(field_name, "not_bool", value=quoted(value))
            return None
        return value

    def known_fields(self, known: Sequence[str]) -> None:
        """Report every field that is not in `known`, with the nearest known name when there is one."""
        for key in self.item:
            if key in known:
                continue
            name = quoted(key)
            close = difflib.get_close_matches(name, known, n=1)
            if close:
                self.report(name, "unknown_field_near", suggestion=close[0])
            else:
                self.report(name, "unknown_field", known=", ".join(known))


def entries(
    data: object, key: str, file: str, issues: list[DataIssue]
) -> Iterator[tuple[int, Mapping[object, object], int | None]]:
    """Yield (number, mapping, line) for each entry listed under `key`; report anything else."""
    if not isinstance(data, dict) or key not in data:
        issues.append(DataIssue(file, "top_level_missing", line=None, field=key))
        return
    items = data[key]
    if not isinstance(items, list):
        issues.append(DataIssue(file, "not_a_list", line=line_of(data, key), field=key))
        return
    for number, item in enumerate(items, start=1):
        line = line_of(items, number - 1)
        if isinstance(item, dict):
            yield number, item, line
        else:
            issues.append(
                DataIssue(
                    file, "entry_not_mapping", line=line, where=((key, f"{number}"),), values=(("value", quoted(item)),)
                )
            )
