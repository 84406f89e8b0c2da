"""The names to link in example code, found statically (no Sphinx)."""

from __future__ import annotations

import textwrap

from sphinx_codeexamples.extract.names import NameUse, names_in


def links(*hunks: str, **options: object) -> dict[tuple[int, int, str], str]:
    """``(hunk, line, text) -> dotted`` of every occurrence, checked against the hunk's text."""
    found: dict[tuple[int, int, str], str] = {}
    uses = names_in([textwrap.dedent(hunk).strip("\n") for hunk in hunks], **options)  # type: ignore[arg-type]
    for use in uses:
        line = [textwrap.dedent(hunk).strip("\n") for hunk in hunks][use.hunk].split("\n")[use.line - 1]
        assert line[use.column : use.end] == use.text
        found[(use.hunk, use.line, use.text)] = use.dotted
    return found


def test_aliases_and_attribute_chains() -> None:
    found = links(
        """
        import sqlalchemy as sa
        from sqlalchemy.orm import object_session as os_

        sa.orm.Session.execute(stmt)
        os_(obj).flush()
        """
    )
    assert found == {
        (0, 1, "sqlalchemy"): "sqlalchemy",
        (0, 2, "sqlalchemy"): "sqlalchemy",
        (0, 2, "orm"): "sqlalchemy.orm",
        (0, 2, "object_session"): "sqlalchemy.orm.object_session",
        (0, 4, "sa"): "sqlalchemy",
        (0, 4, "orm"): "sqlalchemy.orm",
        (0, 4, "Session"): "sqlalchemy.orm.Session",
        (0, 4, "execute"): "sqlalchemy.orm.Session.execute",
        (0, 5, "os_"): "sqlalchemy.orm.object_session",
        # .flush() is on a call's result: its type is unknown, so it is not linked.
    }


def test_dotted_import_binds_the_top_package() -> None:
    found = links("import os.path\nos.path.join(a, b)\n")
    assert found[(0, 1, "os")] == "os"
    assert found[(0, 1, "path")] == "os.path"
    assert found[(0, 2, "join")] == "os.path.join"
    assert found[(0, 2, "os")] == "os"


def test_shadowing_by_parameters_assignments_and_loops() -> None:
    found = links(
        """
        import json

        def load(json):
            return json.loads("1")

        def dump(obj):
            return json.dumps(obj)

        json.JSONDecoder
        """
    )
    lines = {line for _, line, _ in found}
    assert 4 not in lines  # the parameter shadows the import
    assert found[(0, 7, "dumps")] == "json.dumps"
    assert found[(0, 9, "JSONDecoder")] == "json.JSONDecoder"


def test_a_later_rebinding_hides_the_import_everywhere_it_may_reach() -> None:
    found = links(
        """
        import json
        json.loads
        def dump(obj):
            return json.dumps(obj)
        for json in []:
            pass
        json.JSONDecoder
        """
    )
    assert found[(0, 2, "loads")] == "json.loads"
    # Function bodies run later, when json may be the loop variable; so may the last line.
    assert not any(line in (4, 7) for _, line, _ in found)


def test_a_name_with_two_meanings_is_not_linked() -> None:
    found = links(
        """
        try:
            from simplejson import dumps
        except ImportError:
            from json import dumps
        dumps(1)
        """
    )
    assert (0, 5, "dumps") not in found
    assert found[(0, 2, "dumps")] == "simplejson.dumps"  # import lines say what they import
    assert found[(0, 4, "dumps")] == "json.dumps"


def test_comprehension_and_lambda_scopes() -> None:
    found = links("import re\nx = [re for re in y]\nf = lambda re: re.compile\nre.compile('a')\n")
    assert not any(line in (2, 3) for _, line, _ in found)
    assert found[(0, 4, "compile")] == "re.compile"


def test_star_import() -> None:
    found = links("from sqlalchemy import *\nselect(t)\ntext = 'x'\nprint(text)\n")
    assert found[(0, 2, "select")] == "sqlalchemy.select"
    assert (0, 4, "text") not in found  # bound in the module
    assert (0, 4, "print") not in found  # a builtin


def test_two_star_imports_are_ambiguous() -> None:
    found = links("from a import *\nfrom b import *\nthing()\n")
    assert (0, 3, "thing") not in found


def test_relative_imports_need_the_module() -> None:
    code = "from .models import User\nfrom .. import db\nUser.query\n"
    assert links(code) == {}
    found = links(code, module="app.views.admin", is_package=False)
    assert found[(0, 1, "User")] == "app.views.models.User"
    assert found[(0, 2, "db")] == "app.db"
    assert found[(0, 3, "query")] == "app.views.models.User.query"


def test_hunks_are_pieces_of_one_file() -> None:
    found = links(
        "import sqlalchemy as sa\n",
        """
        def handler(obj):
            return sa.inspect(obj)
        """,
    )
    assert found[(1, 2, "inspect")] == "sqlalchemy.inspect"


def test_indented_hunk_after_the_imports() -> None:
    # The joined hunks do not parse (an indented piece of a method): each hunk is read
    # on its own, after the module-level imports of the hunks before it.
    found = links(
        "from flask import current_app\nimport json\n",
        """
                payload = json.dumps(data)
                current_app.logger.info(payload)
        """,
    )
    found_lines = {key: value for key, value in found.items() if key[0] == 1}
    assert found_lines == {
        (1, 1, "json"): "json",
        (1, 1, "dumps"): "json.dumps",
        (1, 2, "current_app"): "flask.current_app",
        (1, 2, "logger"): "flask.current_app.logger",
        (1, 2, "info"): "flask.current_app.logger.info",
    }


def test_hunk_that_starts_inside_a_function_and_goes_on_after_it() -> None:
    # The first lines are indented more than the ones after them: the hunk starts inside a
    # method and ends in the next one. Its first lines (often the marked use) are linked too.
    found = links(
        "from sqlalchemy.orm import object_session\nimport json\n",
        """
                    session = object_session(self)
                    return json.dumps(session.info)

            def other(self):
                return object_session(self)
        """,
    )
    assert found[(1, 1, "object_session")] == "sqlalchemy.orm.object_session"
    assert found[(1, 2, "dumps")] == "json.dumps"
    assert found[(1, 5, "object_session")] == "sqlalchemy.orm.object_session"


def test_a_hunk_inside_nested_blocks_keeps_its_scopes() -> None:
    # Three levels, closed one by one; a parameter of the method that is shown still shadows.
    found = links(
        "import json\n",
        """
                        data = json.loads(raw)
                    return data
                def method(self, json):
                    return json.dumps(1)
        """,
    )
    assert found[(1, 1, "loads")] == "json.loads"
    assert (1, 4, "dumps") not in found


def test_unparsable_hunk_falls_back_conservatively() -> None:
    found = links(
        "import json\nimport re\n",
        """
            def method(self, json):
                if x:
        """,
        """
                value = json.dumps(self)
                pattern = re.compile(value
        """,
    )
    # json may be the parameter of the def line that did not parse: never linked after it.
    assert not any(text == "dumps" for _, _, text in found)
    # The last line does not parse; the one before it does, but re is not used there.
    assert (2, 2, "compile") not in found
    assert found[(0, 1, "json")] == "json"


def test_import_lines_in_code_that_does_not_parse() -> None:
    found = links("print 'old'\nfrom os import path\nexec 'x'\n")
    assert found == {(0, 2, "os"): "os", (0, 2, "path"): "os.path"}


def test_unparsable_lines_that_may_bind_a_name() -> None:
    found = links(
        "import json\n",
        "    def f(json, x:\n",
        "json.dumps(1)\n",
    )
    assert not any(text == "dumps" for _, _, text in found)


def test_columns_are_characters_not_bytes() -> None:
    (use,) = [use for use in names_in(['import json\ns = "é€"; json.dumps(s)']) if use.text == "dumps"]
    assert use == NameUse(0, 2, 15, 20, "dumps", "json.dumps")


def test_tabs_and_names_in_strings_and_comments() -> None:
    found = links("import json\nif x:\n\tjson.dumps(1)  # json.loads\n'json.loads'\n")
    assert found[(0, 3, "dumps")] == "json.dumps"
    assert not any(text == "loads" for _, _, text in found)


def test_garbage_gives_nothing() -> None:
    assert names_in(["\x00\x01 import", "", "))))((((", "import"]) == []
    assert names_in([]) == []
