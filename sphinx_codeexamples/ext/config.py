"""Configuration values: registration and validation into one :class:`Settings`."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from ..model import CallableName
from ..problems import ProblemCode
from .logging import warn as warn_at

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config


STATIC = Path(__file__).parent.parent / "static"


@dataclass(frozen=True)
class Settings:
    """The validated configuration the rest of the extension reads."""

    stores: tuple[str, ...] = ()
    base_url: str = ""
    related: bool = True
    related_parent: bool = False
    generate_pages: bool = False
    generate_dir: str = "examples"
    light_navigation: bool = True
    aliases: tuple[tuple[str, str], ...] = ()  # (alias, dotted name), sorted
    autodoc: bool = False
    autodoc_max: int = 1
    autodoc_more: int = 4
    autodoc_exclude: tuple[str, ...] = ()
    coverage: bool = False

    @property
    def alias_map(self) -> dict[str, str]:
        return dict(self.aliases)

    @classmethod
    def of(cls, config: Config) -> Settings:
        """The settings of a config that :func:`on_config_inited` has normalised."""
        return cls(
            stores=tuple(config.codeexamples_store),
            base_url=config.codeexamples_base_url,
            related=config.codeexamples_related,
            related_parent=config.codeexamples_related_parent,
            generate_pages=config.codeexamples_generate_pages,
            generate_dir=config.codeexamples_generate_dir,
            light_navigation=config.codeexamples_light_navigation,
            aliases=tuple(sorted(config.codeexamples_aliases.items())),
            autodoc=config.codeexamples_autodoc,
            autodoc_max=config.codeexamples_autodoc_max,
            autodoc_more=config.codeexamples_autodoc_more,
            autodoc_exclude=tuple(config.codeexamples_autodoc_exclude),
            coverage=config.codeexamples_coverage,
        )


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
    "codeexamples_related": (
        True,
        "env",
        (bool,),
        "Show, on each example, links to the other callables of the same module that the build "
        "documents. The ``:no-related:`` directive option turns the list off for one directive.",
    ),
    "codeexamples_related_parent": (
        False,
        "env",
        (bool,),
        "Also list the callables of the parent package (``sqlalchemy`` for ``sqlalchemy.orm``) in the "
        "related-callables list.",
    ),
    "codeexamples_generate_pages": (
        False,
        "env",
        (bool,),
        "Generate one page per callable in the store, plus an index page per top-level package and "
        "``index.rst`` listing them, under ``codeexamples_generate_dir``. Add that folder's "
        "``index`` to a toctree. Files are rewritten only when their content changes and removed when "
        "their callable leaves the store.",
    ),
    "codeexamples_light_navigation": (
        True,
        "html",
        (bool,),
        "On generated pages, replace the theme's global-navigation sidebar templates "
        "(``navigation.html``, ``globaltoc.html``) with ``codeexamples/related.html``. The global "
        "table of contents is rebuilt for every page that shows it, so with hundreds of generated "
        "pages it costs time quadratic in their number; the module's siblings are what a reader of "
        "an example page navigates by. Themes that draw their navigation without ``html_sidebars`` "
        "(furo, pydata-sphinx-theme) are not affected.",
    ),
    "codeexamples_generate_dir": (
        "examples",
        "env",
        (str,),
        "The folder, relative to the source directory, that generated pages are written to. The "
        "extension owns the files it lists in the folder's ``.codeexamples-manifest.json``.",
    ),
    "codeexamples_aliases": (
        {},
        "",
        (dict,),
        "Other names of callables that the store's pages do not list, as ``{alias: dotted name}``: "
        "for example ``{'mylib.api.Client': 'mylib.Client'}`` when ``mylib.api`` builds its names at "
        "run time. Wherever the store is looked up (the directive, the role, ...), an alias finds the "
        "page of its dotted name (itself any name the store knows), before the pages' own aliases "
        "are tried. Documents that asked for an alias are re-read when it changes.",
    ),
    "codeexamples_autodoc": (
        False,
        "env",
        (bool,),
        "Show the examples of every Python object description the store knows (``autodoc`` entries "
        "and hand-written ``py:function``, ``py:class``, ``py:method``, ...) inside that entry, after "
        "its docstring and field lists and before its members. See :doc:`api-reference`.",
    ),
    "codeexamples_autodoc_max": (
        1,
        "env",
        (int,),
        "How many examples an API entry shows, in rank order (one per project first, fewer code "
        "lines first).",
    ),
    "codeexamples_autodoc_more": (
        4,
        "env",
        (int,),
        "How many further examples an API entry puts behind a *More examples* disclosure (a "
        "``<details>`` element in HTML, a plain list in other formats). ``0``: none.",
    ),
    "codeexamples_autodoc_exclude": (
        [],
        "env",
        (list, tuple),
        "``fnmatch`` patterns of dotted names whose API entries get no examples (``'*.__init__'``, "
        "``'mypkg.compat.*'``). Matched against the documented names, the ``:canonical:`` name and "
        "every name of the store page.",
    ),
    "codeexamples_coverage": (
        False,
        "env",  # entries are recorded while reading, also with codeexamples_autodoc off
        (bool,),
        "Report, as ``codeexamples.coverage`` warnings, every documented Python callable without "
        "examples and every store callable that no API entry or page shows. The build summary "
        "gets one line of counts whenever ``codeexamples_autodoc`` is on.",
    ),
}


def register(app: Sphinx) -> None:
    for name, (default, rebuild, types, description) in CONFIG_VALUES.items():
        app.add_config_value(name, default, rebuild, types=types, description=description)
    app.connect("config-inited", on_config_inited)


def on_config_inited(app: Sphinx, config: Config) -> None:
    """Validate and normalise the values in place; keep store pages out of the documents.

    Later stages read the normalised values (absolute store directories that
    exist) with :meth:`Settings.of`. Doing it here, once, means a rebuild
    compares normalised values with normalised values.
    """
    settings = settings_from(config, app.confdir)
    config.codeexamples_store = list(settings.stores)
    config.codeexamples_base_url = settings.base_url
    config.codeexamples_related = settings.related
    config.codeexamples_related_parent = settings.related_parent
    config.codeexamples_generate_pages = settings.generate_pages
    config.codeexamples_generate_dir = settings.generate_dir
    config.codeexamples_light_navigation = settings.light_navigation
    config.codeexamples_aliases = settings.alias_map
    config.codeexamples_autodoc = settings.autodoc
    config.codeexamples_autodoc_max = settings.autodoc_max
    config.codeexamples_autodoc_more = settings.autodoc_more
    config.codeexamples_autodoc_exclude = list(settings.autodoc_exclude)
    config.codeexamples_coverage = settings.coverage
    if str(STATIC) not in map(str, config.html_static_path):
        config.html_static_path = [*config.html_static_path, str(STATIC)]
    excluded = list(config.exclude_patterns)
    for store in settings.stores:
        relative = os.path.relpath(store, app.srcdir)
        if not relative.startswith(os.pardir) and relative not in excluded:
            excluded.append(relative.replace(os.sep, "/"))
    config.exclude_patterns = excluded


def settings_from(config: Config, confdir: str | os.PathLike[str]) -> Settings:
    """Validate the raw config values, warning (type ``codeexamples.config``) on bad ones."""
    conf_py = os.path.join(os.fspath(confdir), "conf.py")

    def warn(code: ProblemCode, name: str, message: str) -> None:
        warn_at(code, f"{name} {message}", location=_assignment_location(conf_py, name))

    raw_stores = config.codeexamples_store
    if isinstance(raw_stores, str):
        raw_stores = [raw_stores] if raw_stores else []
    stores: list[str] = []
    if not isinstance(raw_stores, list | tuple):
        warn(
            ProblemCode.CONFIG, "codeexamples_store", f"must be a path or a list of paths, not {raw_stores!r}"
        )
        raw_stores = []
    for store in raw_stores:
        if not isinstance(store, str | os.PathLike):
            warn(ProblemCode.CONFIG, "codeexamples_store", f"has {store!r}, which is not a path; ignored")
            continue
        path = os.path.normpath(os.path.join(str(confdir), os.fspath(store)))
        if not os.path.isdir(path):
            warn(ProblemCode.STORE, "codeexamples_store", f"names {path}, which is not a directory")
            continue
        stores.append(path)
    base_url = config.codeexamples_base_url
    if not isinstance(base_url, str):
        warn(ProblemCode.CONFIG, "codeexamples_base_url", f"must be a string, not {base_url!r}")
        base_url = ""
    flags: dict[str, bool] = {}
    for key in ("related", "related_parent", "generate_pages", "light_navigation", "autodoc", "coverage"):
        value = getattr(config, f"codeexamples_{key}")
        if not isinstance(value, bool):
            warn(ProblemCode.CONFIG, f"codeexamples_{key}", f"must be True or False, not {value!r}")
            value = bool(CONFIG_VALUES[f"codeexamples_{key}"][0])
        flags[key] = value
    generate_dir = config.codeexamples_generate_dir
    if not isinstance(generate_dir, str | os.PathLike) or not os.fspath(generate_dir).strip():
        warn(ProblemCode.CONFIG, "codeexamples_generate_dir", f"must be a folder name, not {generate_dir!r}")
        generate_dir = "examples"
    counts: dict[str, int] = {}
    for key in ("autodoc_max", "autodoc_more"):
        value = getattr(config, f"codeexamples_{key}")
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            warn(ProblemCode.CONFIG, f"codeexamples_{key}", f"must be a whole number >= 0, not {value!r}")
            value = int(CONFIG_VALUES[f"codeexamples_{key}"][0])
        counts[key] = value
    raw_exclude = config.codeexamples_autodoc_exclude
    if isinstance(raw_exclude, str):
        raw_exclude = [raw_exclude]
    if not isinstance(raw_exclude, list | tuple) or not all(isinstance(item, str) for item in raw_exclude):
        warn(
            ProblemCode.CONFIG,
            "codeexamples_autodoc_exclude",
            f"must be a list of patterns, not {raw_exclude!r}",
        )
        raw_exclude = []
    return Settings(
        stores=tuple(stores),
        base_url=base_url,
        related=flags["related"],
        related_parent=flags["related_parent"],
        generate_pages=flags["generate_pages"],
        generate_dir=os.fspath(generate_dir).strip(),
        light_navigation=flags["light_navigation"],
        aliases=_aliases(config.codeexamples_aliases, warn),
        autodoc=flags["autodoc"],
        autodoc_max=counts["autodoc_max"],
        autodoc_more=counts["autodoc_more"],
        autodoc_exclude=tuple(pattern.strip() for pattern in raw_exclude if pattern.strip()),
        coverage=flags["coverage"],
    )


def _aliases(raw: object, warn: Callable[[ProblemCode, str, str], None]) -> tuple[tuple[str, str], ...]:
    """The valid ``alias: dotted name`` pairs of ``codeexamples_aliases``, sorted."""
    name = "codeexamples_aliases"
    if not isinstance(raw, dict):
        warn(ProblemCode.CONFIG, name, f"must be a dict of alias -> dotted name, not {raw!r}")
        return ()
    pairs: list[tuple[str, str]] = []
    for alias, dotted in raw.items():
        if not (_is_dotted(alias) and _is_dotted(dotted)):
            warn(
                ProblemCode.CONFIG,
                name,
                f"has {alias!r}: {dotted!r}, which are not two dotted names; ignored",
            )
        elif alias.strip() != dotted.strip():
            pairs.append((alias.strip(), dotted.strip()))
    return tuple(sorted(pairs))


def _is_dotted(value: object) -> bool:
    if not isinstance(value, str):
        return False
    name = CallableName.parse(value)
    return bool(name.module) and name.is_valid()


def _assignment_location(conf_py: str, name: str) -> str:
    """``conf.py:LINE`` of the line that sets *name*, else ``conf.py:``."""
    try:
        with open(conf_py, encoding="utf-8") as stream:
            for number, line in enumerate(stream, start=1):
                if line.startswith(name) and line[len(name) :].lstrip().startswith("="):
                    return f"{conf_py}:{number}"
    except (OSError, UnicodeDecodeError):
        pass
    return f"{conf_py}:"
