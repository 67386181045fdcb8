"""Activities to and from their JSON, field for field as msrest does it, at a fraction of the cost.

msrest's generic (de)serialiser re-reads each model's attribute map, copies every description
and tries a list of key extractors for every field of every activity: about a fifth of the CPU a
question cost the server. Here each model class's fields are read from its `_attribute_map` once
(the same map msrest uses, so a field the SDK adds is picked up) and the JSON types Teams sends
are converted directly; anything else (a date, an enum, a value of an unexpected type, a map of
models) is handed to msrest's own converter for that value, so the result is msrest's.
`tests/test_wire.py` checks that on generated Teams-shaped activities.

What msrest does and this keeps:

* reading: a field missing or null is None; a JSON key the model does not know goes to the
  model's `additional_properties` (how a Mention's "mentioned" and "text" arrive on an Entity);
  a string field given a number holds its text; a value of the wrong shape (a list where an
  object belongs) raises DeserializationError;
* writing: fields that are None are left out, enums become their values, a model is written by
  the fields of its own class (a Mention in `entities` with "mentioned" and "text"), and
  `additional_properties` are not sent (the SDK's models do not send them).

One difference, on purpose: a card that is a plain dict, list or string (an attachment's
`content`) is sent as it is; msrest would walk it key by key to produce an equal copy. And
`activity_bytes` writes a card whose JSON text was made already (to measure it against Teams'
size limit: bot.teams.replies.CardAttachment.content_json) with that text, not serialising it again.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from azure.core.exceptions import DeserializationError
from botbuilder.schema import Activity, Attachment
from isodate.isotzinfo import build_tzinfo  # type: ignore[import-untyped]  # msrest reads dates with isodate
from msrest.serialization import Deserializer, Model, Serializer

from bot.render.cards import wire_json

# Every model botbuilder.schema defines, by name: what the attribute maps' type names refer to.
_MODELS: dict[str, type] = Activity._infer_class_models()
_MSREST_READ: Any = Deserializer(_MODELS)  # type: ignore[no-untyped-call]
_MSREST_WRITE: Any = Serializer(_MODELS)  # type: ignore[no-untyped-call]
# The JSON scalar types each basic msrest type takes as it is (exact types: a bool is no int here).
_AS_IS: dict[str, type] = {"str": str, "bool": bool, "int": int, "float": float}
_JSON_SCALARS = (str, int, float, bool)
# The time stamps Teams sends ("2026-11-26T16:30:00.1234567Z", "...+01:00"), read here; any other
# form of ISO 8601 msrest reads itself. Years 1 and 9999 go to msrest too: it refuses a time
# whose UTC falls outside them.
_TIMESTAMP = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6})\d*)?(Z|([+-])(\d{2}):(\d{2}))", re.ASCII
)


@dataclass(frozen=True, slots=True)
class _Field:
    """One field of a model: its Python name, its JSON key and its msrest type name."""

    attr: str
    key: str
    kind: str
    item: str | None  # the element type of a "[...]" list
    model: type | None  # the model class when `type` names one


_FIELDS: dict[type, tuple[_Field, ...]] = {}


def _fields(cls: type) -> tuple[_Field, ...]:
    """Return (and remember) a model class's fields, from the attribute map msrest reads."""
    known = _FIELDS.get(cls)
    if known is not None:
        return known
    fields = []
    readonly = {name for name, rules in getattr(cls, "_validation", {}).items() if rules.get("readonly")}
    for attr, description in cls._attribute_map.items():  # type: ignore[attr-defined]
        key, kind = description["key"], description["type"]
        if attr in readonly or (attr == "additional_properties" and key == ""):
            raise _Unusual(cls)
        if "." in key:  # a flattened key ("properties.x"): none in botbuilder.schema
            raise _Unusual(cls)
        item = kind[1:-1] if kind.startswith("[") and kind.endswith("]") else None
        fields.append(_Field(attr, key, kind, item, _MODELS.get(kind)))
    _FIELDS[cls] = result = tuple(fields)
    return result


class _Unusual(Exception):
    """A model this module does not convert itself (msrest does)."""

    def __init__(self, cls: type) -> None:
        super().__init__(cls.__name__)
        self.cls = cls


# --- reading --------------------------------------------------------------------------------------


def activity_from_json(body: dict[str, Any]) -> Activity:
    """Return the Activity a JSON-parsed body describes, as `Activity().deserialize(body)` would.

    Raises DeserializationError (as msrest does) when a value has the wrong shape.
    """
    activity = _read_model(Activity, body)
    assert isinstance(activity, Activity)
    return activity


def _read_model(cls: type, data: Any) -> Any:
    if not isinstance(data, dict):
        return _MSREST_READ.deserialize_data(data, cls.__name__)  # raises, as it would have
    try:
        fields = _fields(cls)
    except _Unusual:
        return _MSREST_READ.deserialize_data(data, cls.__name__)
    values = {field.attr: _read(field, data.get(field.key)) for field in fields}
    model = cls(**values)
    known = {field.key for field in fields}
    extra = {key: value for key, value in data.items() if key not in known}
    if extra:
        model.additional_properties = extra
    return model


def _read(field: _Field, value: Any) -> Any:
    if value is None:
        return None
    if type(value) is _AS_IS.get(field.kind):
        return value
    if field.kind == "object":
        return value if _is_json(value) else _MSREST_READ.deserialize_data(value, "object")
    if field.kind == "iso-8601":
        return _read_timestamp(value)
    if field.model is not None:
        return _read_model(field.model, value)
    if field.item is not None and type(value) is list:
        return [_read_item(field.item, item) for item in value]
    return _MSREST_READ.deserialize_data(value, field.kind)


def _read_timestamp(value: Any) -> Any:
    """Read an "iso-8601" value as msrest does (isodate's time zones, microseconds cut, not rounded)."""
    match = _TIMESTAMP.fullmatch(value.upper()) if type(value) is str else None
    if match is not None and match[1] not in ("0001", "9999"):
        year, month, day, hour, minute, second, fraction, zone, sign, zone_hours, zone_minutes = match.groups()
        try:
            return dt.datetime(
                int(year),
                int(month),
                int(day),
                int(hour),
                int(minute),
                int(second),
                int(fraction.ljust(6, "0")) if fraction else 0,
                _zone(zone, sign, int(zone_hours or 0), int(zone_minutes or 0)),
            )
        except ValueError:
            pass  # a 13th month, a 61st second ...: msrest says how it refuses it
    return _MSREST_READ.deserialize_data(value, "iso-8601")


@cache
def _zone(name: str, sign: str | None, hours: int, minutes: int) -> dt.tzinfo:
    """Return isodate's time zone for a designator, as it builds it for msrest."""
    zone: dt.tzinfo = build_tzinfo(name, sign or "+", hours, minutes)
    return zone


def _read_item(kind: str, value: Any) -> Any:
    if value is None:
        return None
    if type(value) is _AS_IS.get(kind):
        return value
    model = _MODELS.get(kind)
    if model is not None:
        return _read_model(model, value)
    return _MSREST_READ.deserialize_data(value, kind)


def _is_json(value: Any) -> bool:
    """Say whether `value` holds only what json.loads makes (msrest would return an equal copy)."""
    if value is None or type(value) in _JSON_SCALARS:
        return True
    if type(value) is dict:
        return all(type(key) is str and _is_json(item) for key, item in value.items())
    if type(value) is list:
        return all(_is_json(item) for item in value)
    return False


# --- writing --------------------------------------------------------------------------------------


def activity_bytes(activity: Activity) -> bytes:
    """Return the activity as the UTF-8 JSON a reply is posted with (compact, as wire_json writes it)."""
    body = activity_to_json(activity)
    texts = [getattr(attachment, "content_json", None) for attachment in activity.attachments or ()]
    if not any(texts):
        return wire_json(body).encode()
    attachments = [
        _with_content(written, text) if text is not None else wire_json(written)
        for written, text in zip(body.pop("attachments"), texts, strict=True)
    ]
    return _with_content(body, "[" + ",".join(attachments) + "]", "attachments").encode()


def _with_content(written: dict[str, Any], text: str, key: str = "content") -> str:
    """Return `written` as JSON with `key` set to the JSON `text` (JSON nests: no need to parse it)."""
    rest = wire_json({name: value for name, value in written.items() if name != key})
    return rest[:-1] + ("," if len(rest) > 2 else "") + wire_json(key) + ":" + text + "}"


def model_to_json(model: Model) -> dict[str, Any]:
    """Return any botbuilder.schema model as JSON, as `model.serialize()` would."""
    body = _write_model(model)
    assert isinstance(body, dict)
    return body


def activity_to_json(activity: Activity) -> dict[str, Any]:
    """Return the activity as JSON, as `activity.serialize()` would (cards passed through as they are)."""
    body = _write_model(activity)
    assert isinstance(body, dict)
    return body


def _write_model(model: Any) -> Any:
    try:
        fields = _fields(type(model))
    except _Unusual:
        return model.serialize()
    card_holder = isinstance(model, Attachment)
    body: dict[str, Any] = {}
    for field in fields:
        value = getattr(model, field.attr)
        if value is None:
            continue
        if card_holder and field.attr == "content" and isinstance(value, (dict, list, str)):
            body[field.key] = value
            continue
        body[field.key] = _write(field.kind, value)
    return body


def _write(kind: str, value: Any) -> Any:
    if type(value) is _AS_IS.get(kind):
        return value
    if kind == "object":
        return _write_object(value)
    if isinstance(value, Model) and kind in _MODELS:
        return _write_model(value)
    if kind.startswith("[") and kind.endswith("]") and type(value) is list:
        item_kind = kind[1:-1]
        return [None if item is None else _write(item_kind, item) for item in value]
    return _MSREST_WRITE.serialize_data(value, kind)


def _write_object(value: Any) -> Any:
    """Write a value typed "object" (channelData, value, properties) as msrest's serialize_object does.

    Plain JSON values go as they are (msrest would make an equal copy).
    """
    if _is_json(value):
        return value
    if isinstance(value, Model):
        return _write_model(value)
    return _MSREST_WRITE.serialize_object(value)


__all__ = ["DeserializationError", "activity_bytes", "activity_from_json", "activity_to_json", "model_to_json"]
