"""A project's name, summary, links and license, from its packaging metadata.

Read from ``PKG-INFO`` (sdists) or ``*.dist-info/METADATA`` (wheels), else from
``pyproject.toml`` ``[project]`` or ``setup.cfg`` ``[metadata]`` (directories).
``setup.py`` is never run. Values spelled ``UNKNOWN`` count as missing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields, replace
from typing import Any

from .gitinfo import normalize_repository

# The parsers (email, tomllib, configparser) are imported when first needed: a run whose
# results all come from the cache parses no metadata, and starts faster without them.

_REPOSITORY_LABELS = frozenset({"source", "sourcecode", "repository", "code", "github", "gitlab", "git"})
_DOCS_LABELS = frozenset({"documentation", "docs", "doc"})
_HOME_LABELS = frozenset({"homepage", "home"})
_SHORT_LICENSE = 60


@dataclass(frozen=True)
class ProjectMeta:
    """What the blurb and the links of a project's examples are made of; any field may be empty."""

    name: str = ""
    version: str = ""
    summary: str = ""
    home: str = ""
    repository: str = ""
    docs: str = ""
    license: str = ""

    @property
    def pypi(self) -> str:
        """The project's page on PyPI, when its name is known."""
        return f"https://pypi.org/project/{self.name}/" if self.name else ""

    def or_else(self, other: ProjectMeta) -> ProjectMeta:
        """This metadata, with its empty fields taken from *other*."""
        missing = {
            item.name: getattr(other, item.name) for item in fields(self) if not getattr(self, item.name)
        }
        return replace(self, **missing)


def _clean(value: object) -> str:
    text = " ".join(str(value or "").split())
    return "" if text.upper() in ("UNKNOWN", "NONE") else text


def _label(text: str) -> str:
    return re.sub(r"[\s_.\-]+", "", text.lower())


def _from_urls(pairs: Iterable[tuple[str, str]], home: str = "") -> dict[str, str]:
    """Sort labelled URLs into home, repository and docs."""
    found: dict[str, str] = {}
    urls = []
    for label, url in pairs:
        url = _clean(url)
        if not url.startswith(("https://", "http://")):
            continue
        urls.append(url)
        key = _label(label)
        if key in _REPOSITORY_LABELS:
            found.setdefault("repository", url)
        elif key in _DOCS_LABELS:
            found.setdefault("docs", url)
        elif key in _HOME_LABELS:
            found.setdefault("home", url)
    home = _clean(home)
    if home.startswith(("https://", "http://")):
        found.setdefault("home", home)
        urls.insert(0, home)
    if "repository" not in found:
        forge = next((url for url in urls if normalize_repository(url)), None)
        if forge:
            found["repository"] = forge
    return found


def _license(expression: str, text: str, classifiers: Iterable[str]) -> str:
    for candidate in (expression, text):
        candidate = _clean(candidate)
        if candidate and len(candidate) <= _SHORT_LICENSE:
            return candidate
    for classifier in classifiers:
        parts = [part.strip() for part in classifier.split("::")]
        if len(parts) >= 2 and parts[0] == "License" and parts[-1] not in ("OSI Approved", ""):
            return parts[-1]
    return ""


def from_core_metadata(data: bytes) -> ProjectMeta:
    """Metadata from a ``PKG-INFO`` or ``METADATA`` file (the core metadata format).

    The format is UTF-8 (as ``importlib.metadata`` reads it); the email parser's own
    reading of bytes takes them as ASCII and would turn every other character into
    U+FFFD, which also stops ``pdflatex``.
    """
    from email.parser import Parser
    from email.policy import compat32

    message = Parser(policy=compat32).parsestr(data.decode("utf-8", "replace"), headersonly=True)

    def get(key: str) -> str:
        return _clean(message.get(key, ""))

    pairs = []
    for entry in message.get_all("Project-URL") or []:
        label, _, url = str(entry).partition(",")
        pairs.append((label, url))
    urls = _from_urls(pairs, home=get("Home-page"))
    classifiers = [str(value) for value in message.get_all("Classifier") or []]
    return ProjectMeta(
        name=get("Name"),
        version=get("Version"),
        summary=get("Summary"),
        license=_license(get("License-Expression"), get("License"), classifiers),
        **urls,
    )


def from_pyproject(data: bytes) -> ProjectMeta:
    """Metadata from ``pyproject.toml``'s ``[project]`` table (static values only)."""
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10: pyproject.toml is not read
        return ProjectMeta()
    try:
        project = tomllib.loads(data.decode("utf-8")).get("project", {})
    except (UnicodeDecodeError, tomllib.TOMLDecodeError):
        return ProjectMeta()
    if not isinstance(project, dict):
        return ProjectMeta()
    license_value: Any = project.get("license", "")
    if isinstance(license_value, dict):
        license_value = license_value.get("text", "")
    urls = project.get("urls", {})
    pairs = [(str(key), str(value)) for key, value in urls.items()] if isinstance(urls, dict) else []
    classifiers = project.get("classifiers", [])
    return ProjectMeta(
        name=_clean(project.get("name", "")),
        version=_clean(project.get("version", "")),
        summary=_clean(project.get("description", "")),
        license=_license("", str(license_value), classifiers if isinstance(classifiers, list) else []),
        **_from_urls(pairs),
    )


def from_setup_cfg(data: bytes) -> ProjectMeta:
    """Metadata from ``setup.cfg``'s ``[metadata]`` section (values with ``attr:``/``file:`` are skipped)."""
    import configparser

    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read_string(data.decode("utf-8"))
    except (UnicodeDecodeError, configparser.Error):
        return ProjectMeta()
    if not parser.has_section("metadata"):
        return ProjectMeta()
    section = parser["metadata"]

    def get(key: str) -> str:
        value = _clean(section.get(key, ""))
        return "" if value.startswith(("attr:", "file:")) else value

    pairs = []
    for line in section.get("project_urls", "").splitlines():
        label, _, url = line.partition("=")
        if url:
            pairs.append((label, url))
    classifiers = section.get("classifiers", "").splitlines()
    return ProjectMeta(
        name=get("name"),
        version=get("version"),
        summary=get("description"),
        license=_license("", get("license"), classifiers),
        **_from_urls(pairs, home=get("url") or get("home_page")),
    )


def project_meta(files: Mapping[str, bytes]) -> ProjectMeta:
    """The metadata of a project from its metadata files, by path; core metadata first."""
    result = ProjectMeta()
    for path in sorted(files, key=_priority):
        data = files[path]
        if path == "pyproject.toml":
            found = from_pyproject(data)
        elif path == "setup.cfg":
            found = from_setup_cfg(data)
        else:
            found = from_core_metadata(data)
        result = result.or_else(found)
    return result


def _priority(path: str) -> tuple[int, str]:
    order = {"PKG-INFO": 0, "pyproject.toml": 2, "setup.cfg": 3}
    return order.get(path, 1), path
