"""The scope-aware use finder: precision and recall on tricky cases.

In each source, the lines that must be found end with ``# use``; every other
line must not be found (so each test checks both recall and precision).
"""

from __future__ import annotations

import ast
import sys
import textwrap

import pytest

from sphinx_codeexamples.extract.finder import MANY_NAMES, Targets, absolute_module, find_uses, module_name
from sphinx_codeexamples.model import Kind

SESSION = "sqlalchemy.orm.object_session"


def found(source: str, *targets: str, module: str | None = None, is_package: bool = False) -> list[int]:
    text = textwrap.dedent(source)
    result = find_uses(ast.parse(text), text, Targets.of(targets or [SESSION]), module, is_package)
    return sorted(set().union(*result.uses.values())) if result.uses else []


def expected(source: str) -> list[int]:
    lines = textwrap.dedent(source).split("\n")
    return [number for number, line in enumerate(lines, start=1) if line.rstrip().endswith("# use")]


def check(source: str, *targets: str, module: str | None = None, is_package: bool = False) -> None:
    assert found(source, *targets, module=module, is_package=is_package) == expected(source)


def test_aliases_and_attribute_chains() -> None:
    check(
        """\
        import sqlalchemy as sa
        import sqlalchemy.orm as orm_module
        import sqlalchemy.orm
        from sqlalchemy import orm
        from sqlalchemy.orm import object_session as get_session  # use

        sa.orm.object_session(obj)  # use
        orm_module.object_session(obj)  # use
        sqlalchemy.orm.object_session(obj)  # use
        orm.object_session(obj)  # use
        get_session(obj)  # use
        sa.orm.Session(obj)
        sa.object_session(obj)
        other.orm.object_session(obj)
        """
    )


def test_multi_line_statements_mark_the_line_of_the_name() -> None:
    check(
        """\
        import sqlalchemy as sa
        from sqlalchemy.orm import (
            Session,
            object_session,  # use
        )
        value = (sa
            .orm
            .object_session  # use
            (obj))
        call(
            first,
            object_session,  # use
        )
        """
    )


def test_decorators_bases_annotations() -> None:
    check(
        """\
        from sqlalchemy import orm
        import sqlalchemy

        @orm.Session.decorate  # use
        def decorated(x: orm.Session) -> orm.Session:  # use
            pass

        @orm.Session  # use
        class Model(orm.Session, metaclass=orm.Session):  # use
            field: orm.Session = None  # use

        def plain(x: "orm.Session") -> None:
            pass
        """,
        "sqlalchemy.orm.Session",
    )


def test_shadowing_by_parameters_assignments_and_bindings() -> None:
    check(
        """\
        from sqlalchemy.orm import object_session  # use

        def parameter(object_session):
            return object_session(1)

        def keyword_only(*, object_session=object_session):  # use
            return object_session(1)

        def local():
            object_session(1)
            object_session = other

        def for_target():
            for object_session in items:
                object_session(1)

        def with_as():
            with manager() as object_session:
                object_session(1)

        def except_as():
            try:
                pass
            except Exception as object_session:
                object_session(1)

        def comprehension():
            return [object_session(1) for object_session in items]

        def nested_def():
            def object_session():
                pass
            object_session(1)

        def lambdas():
            first = lambda object_session: object_session(1)
            second = lambda: object_session(1)  # use
            return first, second

        def free():
            return object_session(1)  # use
        """
    )


def test_method_of_the_same_name_called_via_self() -> None:
    check(
        """\
        from sqlalchemy.orm import object_session  # use

        class Repository:
            def object_session(self, obj):
                return self.object_session(obj)

            def other(self, obj):
                return object_session(obj)  # use

            alias = object_session
            called_in_class_body = alias(1)
        """
    )


def test_class_scope_is_not_visible_in_methods() -> None:
    check(
        """\
        from sqlalchemy.orm import object_session  # use

        class A:
            object_session = None
            value = object_session

            def method(self):
                return object_session(1)  # use
        """
    )


def test_module_level_rebinding_is_flow_sensitive() -> None:
    check(
        """\
        import sqlalchemy as sa
        sa.orm.object_session(1)  # use
        sa = None
        sa.orm.object_session(1)
        """
    )


def test_conditional_fallback_still_counts() -> None:
    check(
        """\
        try:
            from sqlalchemy.orm import object_session  # use
        except ImportError:
            object_session = None

        def use():
            return object_session(1)  # use
        """
    )


def test_global_and_nonlocal() -> None:
    check(
        """\
        from sqlalchemy.orm import object_session  # use

        def outer():
            object_session = None
            def inner():
                nonlocal object_session
                return object_session(1)
            return inner

        def uses_global():
            global object_session
            return object_session(1)  # use
        """
    )


def test_comprehension_iterable_is_evaluated_outside() -> None:
    check(
        """\
        from sqlalchemy.orm import object_session  # use

        def f(object_session_list):
            return [x for x in object_session(1)]  # use
        """
    )


def test_walrus_binds_in_the_enclosing_function() -> None:
    check(
        """\
        from sqlalchemy.orm import object_session  # use

        def f():
            [(object_session := item) for item in items]
            return object_session(1)
        """
    )


def test_match_patterns() -> None:
    check(
        """\
        from sqlalchemy import orm

        def f(value):
            match value:
                case orm.Session():  # use
                    return 1
                case [orm.Session.attribute, *rest]:  # use
                    return rest

        def g(value):
            match value:
                case {"key": 1, **orm}:  # binds orm in all of g
                    return orm.Session
        """,
        "sqlalchemy.orm.Session",
    )


def test_star_import_counts_only_unbound_names() -> None:
    check(
        """\
        from sqlalchemy.orm import *

        object_session(1)  # use
        Session(1)

        def f():
            return object_session(2)  # use

        Session = None
        """,
        SESSION,
        "sqlalchemy.orm.Session",
    )


def test_star_import_of_another_module_is_ignored() -> None:
    check(
        """\
        from somewhere import *
        object_session(1)
        """
    )


def test_relative_imports_inside_the_defining_package() -> None:
    source = """\
        from . import session
        from .session import object_session  # use
        from .. import orm
        from ...outside import object_session as other

        session.object_session(1)  # use
        orm.object_session(1)  # use
        other(1)
        """
    check(
        source,
        "sqlalchemy.orm.session.object_session",
        "sqlalchemy.orm.object_session",
        module="sqlalchemy.orm.util",
        is_package=False,
    )


def test_relative_imports_elsewhere_are_ignored_and_shadow() -> None:
    check(
        """\
        from sqlalchemy.orm import object_session  # use
        from .helpers import object_session
        object_session(1)
        """
    )


def test_import_of_the_target_module_itself() -> None:
    check(
        """\
        import sqlalchemy.orm.object_session  # use
        import sqlalchemy.orm.object_session as alias  # use
        alias(1)  # use
        """
    )


def test_targets_nested_in_chains() -> None:
    text = textwrap.dedent(
        """\
        from django.db import models
        class Post(models.Model):
            title = models.CharField(max_length=10)
            objects = models.Manager()
        """
    )
    targets = Targets.of(["django.db.models.Model", "django.db.models.CharField", "django.db.models"])
    result = find_uses(ast.parse(text), text, targets, None, False)
    assert result.uses == {
        "django.db.models.Model": {2},
        "django.db.models.CharField": {3},
        "django.db.models": {1, 2, 3, 4},
    }


def test_names_that_only_look_alike() -> None:
    check(
        """\
        from sqlalchemy.orm import object_session_factory
        import sqlalchemy_utils as sqlalchemy
        object_session_factory()
        sqlalchemy.orm.object_session(1)
        x = "sqlalchemy.orm.object_session"
        # sqlalchemy.orm.object_session
        """
    )


def test_deeply_nested_expression_does_not_recurse() -> None:
    text = "from sqlalchemy.orm import object_session\nx = " + " + ".join(["object_session(1)"] * 800) + "\n"
    tree = ast.parse(text)
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(200)
    try:
        result = find_uses(tree, text, Targets.of([SESSION]), None, False)
    finally:
        sys.setrecursionlimit(limit)
    assert result.uses == {SESSION: {1, 2}}


def test_f_strings() -> None:
    check(
        """\
        from sqlalchemy.orm import object_session  # use
        message = f'''
        {object_session(1)}
        '''
        """.replace("{object_session(1)}", "{object_session(1)}  # use"),
    )


def test_definitions_and_reexports_are_recorded() -> None:
    text = "from .session import object_session\nfrom .x import y\nclass Session: ...\ndef f(): ...\n"
    targets = Targets.of(["sqlalchemy.orm.object_session", "sqlalchemy.orm.Session", "sqlalchemy.orm.f"])
    result = find_uses(ast.parse(text), text, targets, "sqlalchemy.orm", True)
    assert result.definitions == {"sqlalchemy.orm.Session": Kind.CLASS, "sqlalchemy.orm.f": Kind.FUNCTION}
    assert result.reexports == {"sqlalchemy.orm.object_session": "sqlalchemy.orm.session.object_session"}


@pytest.mark.parametrize(
    ("path", "expected_module"),
    [
        ("lib/sqlalchemy/orm/__init__.py", ("sqlalchemy.orm", True)),
        ("sqlalchemy/orm/session.py", ("sqlalchemy.orm.session", False)),
        ("src/sqlalchemy/__init__.py", ("sqlalchemy", True)),
        ("sqlalchemy.py", ("sqlalchemy", False)),
        ("tests/test_orm.py", None),
        ("sqlalchemy/not-a-module.py", None),
    ],
)
def test_module_name(path: str, expected_module: tuple[str, bool] | None) -> None:
    assert module_name(path, {"sqlalchemy"}) == expected_module


def test_absolute_module() -> None:
    assert absolute_module("a.b.c", False, 1, "d") == "a.b.d"
    assert absolute_module("a.b", True, 1, None) == "a.b"
    assert absolute_module("a.b.c", False, 2, None) == "a"
    assert absolute_module("a.b.c", False, 3, None) is None
    assert absolute_module(None, False, 1, "x") is None
    assert absolute_module(None, False, 0, "x") == "x"


def test_prefilter() -> None:
    targets = Targets.of([SESSION, "django.urls.reverse"])
    assert targets.might_occur(b"x.reverse()")
    assert not targets.might_occur(b"import sqlalchemy.orm")


def test_the_prefilter_matches_whole_words_only() -> None:
    many = Targets.of([f"lib.name{index}" for index in range(MANY_NAMES)] + ["lib.Text"])
    few = Targets.of(["lib.Text"])
    for targets in (many, few):
        assert targets.might_occur(b"from lib import Text\n")
        assert targets.might_occur(b"x = lib.Text()\n")
        assert targets.might_occur(b"Text")
        assert not targets.might_occur(b"nothing here\n")
        # a longer identifier that contains the name
        assert not targets.might_occur(b"TextElement(); PlainText(); Text_2\n")
        assert targets.might_occur("é = lib.Text  # non-ASCII around\n".encode())
    # a short name inside many words, and once alone
    assert not Targets.of(["lib.F"]).might_occur(b"False if Foo else ELF\n")
    assert Targets.of(["lib.F"]).might_occur(b"False if Foo else F('x')\n")
