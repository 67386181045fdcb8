"""The directory: geography plus people, loaded from data/ as one validated snapshot."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from bot.geography import Geography
from bot.people import CountyContacts, Dialogue

# data/ beside the package, whatever the working directory.
DEFAULT_DATA_DIR = Path(__file__).resolve().parent.parent / "data"
# The site for strategic regional work (from the intranet article); every county falls back to it.
STRATEGIC_SITE_URL = "https://tillvaxten.sharepoint.com/sites/teamstrategisktregionarbete"


@dataclass(frozen=True, slots=True)
class Directory:
    """One consistent, validated snapshot of data/."""

    geography: Geography
    contacts: Mapping[str, CountyContacts]  # by county code; every county has an entry
    dialogues: Mapping[str, tuple[Dialogue, ...]]  # by county code, oldest first
    example_data: bool  # officers.yaml says it is example data
    version: str  # short hash of the data files' contents
    loaded_at: dt.datetime


def load_directory(data_dir: Path = DEFAULT_DATA_DIR) -> Directory:
    """Load and validate every data file; raise DataError naming every issue."""
    raise NotImplementedError
