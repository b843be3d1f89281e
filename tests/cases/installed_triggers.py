"""Checking that generated trigger SQL is what the database runs (access keys, reach)."""

from __future__ import annotations

import re

from django.db import connection

_FUNCTION = re.compile(
    r"CREATE OR REPLACE FUNCTION (\w+)\(\) RETURNS trigger LANGUAGE plpgsql AS \$\$(.*)\$\$",
    re.DOTALL,
)


def installed_trigger_functions(statements: list[str]) -> tuple[dict[str, str], int, int]:
    """The functions ``statements`` define, each asserted to be in the database with that
    very body; and how many triggers call them, and how many of those fire ``ALWAYS``."""
    functions = {}
    for statement in statements:
        found = _FUNCTION.match(statement)
        if found:
            functions[found.group(1)] = found.group(2)
    with connection.cursor() as cursor:
        for name, body in functions.items():
            cursor.execute("SELECT prosrc FROM pg_proc WHERE proname = %s", [name])
            assert cursor.fetchall() == [(body,)], name
        cursor.execute(
            "SELECT count(*), count(*) FILTER (WHERE t.tgenabled = 'A') FROM pg_trigger t"
            " JOIN pg_proc p ON p.oid = t.tgfoid WHERE p.proname = ANY(%s)",
            [list(functions)],
        )
        triggers, always = cursor.fetchone()
    return functions, triggers, always
