"""The Sphinx layer: registration of the config values, domain, directive and events."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .. import __version__
from . import config, events
from .directive import CallableExampleDirective
from .domain import CodeExamplesDomain

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.util.typing import ExtensionMetadata

#: Bump when the shape of the data stored in the environment changes.
ENV_VERSION = 1


def setup_extension(app: Sphinx) -> ExtensionMetadata:
    config.register(app)
    app.add_domain(CodeExamplesDomain)
    app.add_directive("callable-example", CallableExampleDirective)
    app.connect("builder-inited", events.on_builder_inited)
    app.connect("env-get-outdated", events.on_env_get_outdated)
    return {
        "version": __version__,
        "env_version": ENV_VERSION,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
