"""Configuration values: registration and validation into one :class:`Settings`."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from ..problems import ProblemCode
from .logging import warn

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config


@dataclass(frozen=True)
class Settings:
    """The validated configuration the rest of the extension reads."""

    stores: tuple[str, ...] = ()
    base_url: str = ""


Rebuild = Literal["", "env", "html"]

# name -> (default, rebuild, types, description); the docs render this table.
CONFIG_VALUES: dict[str, tuple[Any, Rebuild, tuple[type, ...], str]] = {
    "codeexamples_store": (
        [],
        "env",
        (str, list, tuple),
        "A store directory or a list of them, relative to the configuration directory "
        "(absolute paths work too). Earlier directories win when two pages describe one callable.",
    ),
    "codeexamples_base_url": (
        "",
        "env",
        (str,),
        "Base URL against which site-relative links in blurbs and intros (``/sqlalchemy.html``) are "
        "resolved. Empty: such links are rendered as plain text.",
    ),
}


def register(app: Sphinx) -> None:
    for name, (default, rebuild, types, description) in CONFIG_VALUES.items():
        app.add_config_value(name, default, rebuild, types=types, description=description)


def settings_from(config: Config, confdir: str | os.PathLike[str]) -> Settings:
    """Validate the raw config values, warning (type ``codeexamples.config``) on bad ones."""
    raw_stores = config.codeexamples_store
    if isinstance(raw_stores, str):
        raw_stores = [raw_stores] if raw_stores else []
    stores: list[str] = []
    if not isinstance(raw_stores, list | tuple):
        warn(ProblemCode.CONFIG, f"codeexamples_store must be a path or a list of paths, not {raw_stores!r}")
        raw_stores = []
    for store in raw_stores:
        if not isinstance(store, str | os.PathLike):
            warn(ProblemCode.CONFIG, f"codeexamples_store: {store!r} is not a path; ignored")
            continue
        path = os.path.normpath(os.path.join(str(confdir), os.fspath(store)))
        if not os.path.isdir(path):
            warn(ProblemCode.STORE, f"codeexamples_store: directory {path} does not exist")
            continue
        stores.append(path)
    base_url = config.codeexamples_base_url
    if not isinstance(base_url, str):
        warn(ProblemCode.CONFIG, f"codeexamples_base_url must be a string, not {base_url!r}")
        base_url = ""
    return Settings(stores=tuple(stores), base_url=base_url)
