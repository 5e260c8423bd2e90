#!/usr/bin/env python3
"""Writes the seed corpora in tests/fuzz/corpus/<target>/ (every input written for this
project; nothing copied from elsewhere). Re-run after editing; files added by hand to a
corpus directory (fixed crash reproducers, named crash-*) are left alone.

    python3 tests/fuzz/make_seeds.py
"""
import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
CORPUS = HERE / "corpus"


def frame(body, extra_headers=b""):
    if isinstance(body, str):
        body = body.encode()
    if not isinstance(body, bytes):
        body = json.dumps(body).encode()
    return b"Content-Length: %d\r\n" % len(body) + extra_headers + b"\r\n" + body


def framing_seeds():
    big = b"\x00\x00\x00\x00\x00"      # default limits, 64 KiB reads
    tiny = b"\x00\x01\x02\x03\x05"     # default limits, reads of 1, 2, 3, 5 bytes
    small_limits = b"\x05\x07\x40\x01\x00"  # max body 32 bytes, header lines 9 bytes
    init = frame({"jsonrpc": "2.0", "id": 1, "method": "initialize",
                  "params": {"processId": None, "rootUri": "file:///w", "capabilities": {}}})
    note = frame({"jsonrpc": "2.0", "method": "initialized", "params": {}})
    seeds = {
        "initialize": big + init,
        "initialize_bytewise": tiny + init + note,
        "content_type": big + frame({"jsonrpc": "2.0", "id": "a", "method": "shutdown"},
                                    b"Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n"),
        "lowercase_bare_lf": big + b"content-length: 40\n\n" + json.dumps(
            {"jsonrpc": "2.0", "id": 7, "method": "x"}).encode().ljust(40),
        "missing_length": big + b"Content-Type: x\r\n\r\n{}" + init,
        "non_numeric_length": big + b"Content-Length: abc\r\n\r\n{}" + init,
        "negative_length": big + b"Content-Length: -5\r\n\r\n" + init,
        "overflow_length": big + b"Content-Length: 99999999999999999999999999\r\n\r\n" + init,
        "conflicting_lengths": big + b"Content-Length: 2\r\nContent-Length: 3\r\n\r\n{}" + init,
        "short_length": big + b"Content-Length: 10\r\n\r\n" + json.dumps(
            {"jsonrpc": "2.0", "id": 1, "method": "initialize"}).encode() + init,
        "truncated_body": big + b"Content-Length: 500\r\n\r\n{\"jsonrpc\": \"2.0\", \"id\": 3",
        "truncated_header": big + b"Content-Len",
        "junk_before_header": big + b"garbage }]\r\nmore junk Content-Length: 2\r\n\r\n{}" + note,
        "too_large_small_limits": small_limits + frame({"jsonrpc": "2.0", "id": 99, "method": "textDocument/didOpen",
                                                        "params": {"text": "x" * 200}}) + note,
        "header_too_long": small_limits + b"X-Very-Long-Header-Name: " + b"v" * 300 + b"\r\n" + init,
        "not_json": big + frame(b"{not json") + init,
        "not_object": big + frame(b"[1,2,3]") + frame(b"42") + frame(b"\"s\"") + frame(b"null"),
        "batch": big + frame([{"jsonrpc": "2.0", "id": 1, "method": "a"}, {"jsonrpc": "2.0", "method": "b"}]),
        "ids_of_every_type": big + b"".join(frame({"jsonrpc": "2.0", "id": i, "method": "m"}) for i in
                                            [0, -1, 2**63 - 1, 2**64, 1.5, "s", "", None, True, {}, []]),
        "responses": big + frame({"jsonrpc": "2.0", "id": 5, "result": {"applied": True}}) +
        frame({"jsonrpc": "2.0", "id": None, "error": {"code": -32600, "message": "x"}}) +
        frame({"jsonrpc": "2.0", "id": 6, "error": {"code": "bad", "message": 3}}) +
        frame({"jsonrpc": "2.0", "id": 7, "result": None, "error": {"code": 1, "message": "both"}}),
        "wrong_shapes": big + frame({"jsonrpc": "1.0", "id": 1, "method": "x"}) +
        frame({"jsonrpc": "2.0", "id": 1, "method": 42}) + frame({"jsonrpc": "2.0", "id": 1}) +
        frame({"jsonrpc": "2.0", "method": "n", "params": 3}) + frame({"id": 2, "method": "no version"}),
        "cancel": big + frame({"jsonrpc": "2.0", "method": "$/cancelRequest", "params": {"id": 1}}) +
        frame({"jsonrpc": "2.0", "id": 8, "method": "$/unknownRequest"}),
        "invalid_utf8_body": big + frame(b'{"jsonrpc":"2.0","id":1,"method":"m","params":{"t":"\xff\xfe\xc3"}}'),
        "nul_bytes": big + frame(b'{"jsonrpc":"2.0","id":1,\x00"method":"m"}') + frame(b'{"a":"\\u0000"}'),
        "deep_nesting": big + frame(b"[" * 300 + b"]" * 300) + frame(b'{"a":' * 200 + b"1" + b"}" * 200),
        "empty_body": big + b"Content-Length: 0\r\n\r\n" + init,
        "blank_lines_between": big + b"\r\n\r\n" + init + b"\n\n" + note,
        "eof_mid_message": tiny + init + b"Content-Length: 30\r\n\r\n{\"jsonrpc\"",
        "empty": b"",
    }
    return seeds


MIGRATION_TEMPLATE = '''"""add account table

Revision ID: 1975ea83b712
Revises: 0064_prev
Create Date: 2011-11-08 11:40:27.089406

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '1975ea83b712'
down_revision = '0064_prev'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'account',
        sa.Column('id', sa.Integer, primary_key=True),
        sa.Column('name', sa.String(50), nullable=False),
    )
    op.execute("""
        INSERT INTO account (name) VALUES ('it''s "quoted"')
    """)


def downgrade():
    op.drop_table('account')
'''

MIGRATION_TYPED = '''"""merge heads

Revision ID: c0ffee000001
Revises: aaa111, bbb222
Create Date: 2024-05-01 09:00:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

BASE = "aaa111"
OTHER: str = 'bbb' "222"

# revision identifiers, used by Alembic.
revision: str = "c0ffee000001"
down_revision: Union[str, Sequence[str], None] = (
    BASE,  # the first parent
    OTHER,
)
branch_labels: Union[str, Sequence[str], None] = (cli.EXPAND_BRANCH,)
depends_on: Union[str, Sequence[str], None] = ["dep_1", r'dep\\2']


def upgrade() -> None:
    revision = "not this one"
    pass


def downgrade() -> None:
    pass
'''


def parser_seeds():
    crlf = ('\ufeff"""Ajouté 🎉\r\n\r\nRevision ID: 0088_x\r\nRevises: 0087_y\r\n"""\r\n'
            "revision = '0088_x'\r\ndown_revision = \"0087_y\", \\\r\n    '0086_z'\r\n"
            "branch_labels = 'kilo'\r\ndepends_on = ()\r\n\r\ndef upgrade():\r\n\top.execute('x')\r\n")
    seeds = {
        "template": MIGRATION_TEMPLATE,
        "typed_merge": MIGRATION_TYPED,
        "crlf_bom": crlf,
        "broken_upgrade": MIGRATION_TEMPLATE.replace("nullable=False),", "nullable=False,"),
        "unterminated_docstring": '"""never closed\n\nRevision ID: a1\nrevision = "a1"\n',
        "unterminated_string": "revision = 'abc\ndown_revision = None\n",
        "one_line": 'revision = "a"; down_revision = None; branch_labels = ("x",)\n',
        "reassigned": 'revision = "a"\nrevision = "b"\ndown_revision = "a"\ndel down_revision\n',
        "module_if": 'import os\nif os.environ.get("X"):\n    revision = "a"\nelse:\n    revision = "b"\n'
                     'down_revision = None\n',
        "class_body": 'class C:\n    revision = "inner"\nrevision = "outer"\ndown_revision = None\n',
        "fstring": 'X = "x"\nrevision = f"{X}1"\ndown_revision = "p" + "q"\ndepends_on = ("a" "b", X)\n',
        "prefixes": "revision = r'a\\b'\ndown_revision = (u'p', R\"q\", b'no')\nbranch_labels = Rb'x'\n",
        "triple_quoted_values": "revision = '''abc'''\ndown_revision = \"\"\"p1\"\"\"\n",
        "escapes": "revision = 'a\\x41\\u00e9\\N{BULLET}\\\nb'\ndown_revision = '\\''\n",
        "lists_and_nesting": "revision = 'a'\ndown_revision = [('p', 'q'), ['r']]\ndepends_on = [x for x in y]\n",
        "trailing_commas": "revision = 'a',\ndown_revision = ('p',)\nbranch_labels = ()\ndepends_on = []\n",
        "comments_everywhere": "# revision = 'commented'\nrevision = (  # c\n  'a'  # d\n)  # e\n"
                               "down_revision = None  # base\n",
        "continuation": "revision = \\\n  'cont'\ndown_revision = \\\n\\\n None\n",
        "walrus_and_aug": "revision = 'a'\nrevision += 'b'\n(down_revision := 'c')\ndown_revision: str\n",
        "tuple_unpacking": "revision, down_revision = 'a', 'b'\nbranch_labels = depends_on = None\n",
        "future_and_docstring_after": 'from __future__ import annotations\n"""late docstring\n\nRevision ID: z\n"""\n'
                                      'revision = "z"\ndown_revision = None\n',
        "docstring_variants": '"""\n\n  Message   here  \n  second line\n\nRevision ID:    spaced  \nRevises: a,b,,c ,\n'
                              'Create Date: not a date\n"""\nrevision = "spaced"\n',
        "bytes_docstring": 'b"""not a docstring\n\nRevision ID: x\n"""\nrevision = "x"\n',
        "tabs_and_form_feed": "\x0crevision = 'a'\n\tdown_revision = None\n",
        "indent_after_simple": "x = 1\n    revision = 'indented'\ndown_revision = None\n",
        "invalid_utf8": b"revision = '\xff\xfe'\ndown_revision = '\xc3'\n# \xed\xa0\x80\n",
        "nul_bytes": b"revision = 'a\x00b'\x00\ndown_revision = None\n\x00\x00",
        "lone_cr": "revision = 'a'\rdown_revision = 'b'\r",
        "empty": "",
        "only_newlines": "\n\n\r\n\n",
        "deep_parens": "revision = " + "(" * 200 + "'a'" + ")" * 200 + "\ndown_revision = " + "[" * 150 + "\n",
        "many_strings": "revision = " + " ".join("'s%d'" % i for i in range(300)) + "\n",
        "edits_script": MIGRATION_TEMPLATE + "\n#~edits~" + "\x40\x01\x05\x02\x00\x00\x00\x21\x10\x00\x03\x08",
        "edits_typed": MIGRATION_TYPED + "\n#~edits~" + "\xa0\x01\x10\x05\x10\x02\x00\x0d\x00\x00\x00\x22",
        "edits_broken": "revision = 'a'\ndown_revision = ('b',\n" + "\n#~edits~" + "\x10\x00\x00\x0c\x1a\x00\x01\x08",
    }
    return seeds


INI_TEMPLATE = """# A generic, single database configuration.

[alembic]
# path to migration scripts
script_location = %(here)s/migrations

# template used to generate migration file names
file_template = %%(year)d_%%(month).2d_%%(day).2d_%%(rev)s_%%(slug)s

prepend_sys_path = .
truncate_slug_length = 40
version_path_separator = os
version_locations = %(here)s/migrations/versions:%(here)s/more
recursive_version_locations = true
sqlalchemy.url = driver://user:pass@localhost/dbname

[post_write_hooks]

[loggers]
keys = root,sqlalchemy,alembic

[logger_root]
level = WARN
handlers = console
qualname =
"""


def ini_seeds():
    return {
        "template": INI_TEMPLATE,
        "pyproject_style": "[alembic]\nscript_location = migrations\npath_separator = newline\n"
                           "version_locations =\n    migrations/a\n    migrations/b\n\n",
        "defaults_section": "[DEFAULT]\nbase = /srv\nsep = ;\n[alembic]\nscript_location = %(base)s/m\n"
                            "version_path_separator = ;\nversion_locations = a; b ;;c\n",
        "colons_and_case": "[Alembic]\nScript_Location: x\n[alembic]\nSCRIPT_LOCATION : y\n",
        "continuations": "[alembic]\nscript_location = a\n  b\n\n  c\n\tversion_locations = p q, r\n",
        "bad_interpolation": "[alembic]\nscript_location = %(missing)s\nfile_template = %(rev\n"
                             "x = 100%\ny = %z\n",
        "recursive_interpolation": "[alembic]\na = %(b)s\nb = %(a)s\nscript_location = %(a)s\n",
        "deep_interpolation": "[alembic]\n" + "".join("v%d = %%(v%d)s\n" % (i, i + 1) for i in range(12)) +
                              "v12 = end\nscript_location = %(v0)s\n",
        "duplicates": "[alembic]\nscript_location = a\nscript_location = b\n[alembic]\nx = 1\n",
        "no_section": "script_location = a\n[alembic]\n",
        "no_value": "[alembic]\nscript_location\n= value only\n",
        "comments": "; comment\n# comment\n[alembic] ; not a comment\nscript_location = a # kept\n  ; indented\n",
        "crlf_and_cr": "[alembic]\r\nscript_location = a\r\ntruncate_slug_length = 0x10\rversion_locations = a b\r\n",
        "python_ints": "[alembic]\ntruncate_slug_length =  -1_000 \n[a]\ntruncate_slug_length = 1__0\n"
                       "[b]\ntruncate_slug_length = 99999999999999999999999\n[c]\ntruncate_slug_length = ٣\n",
        "separators": "[alembic]\npath_separator = space\nversion_path_separator = bogus\n"
                      "version_locations = a  b\n[x]\npath_separator = os\n[y]\npath_separator = :\n",
        "section_edge_cases": "[]\n[a]]\n[ spaced ]\n[DEFAULT]\n[default]\nk=v\n[unterminated\n",
        "invalid_utf8": b"[alembic]\nscript_location = \xff\xfe\nversion_locations = \xc3\x28 a\n",
        "nul_bytes": b"[alembic]\x00\nscript_location = a\x00b\n\x00 = 1\n",
        "empty": "",
        "percent_escapes": "[alembic]\nfile_template = %%%%(rev)s %%% %%(here)s\nscript_location = 100%%\n",
    }


def pyproject_seeds():
    return {
        "basic": '[tool.alembic]\nscript_location = "%(here)s/alembic"\n'
                 'version_locations = ["%(here)s/alembic/versions", "%(here)s/other"]\n'
                 'file_template = "%%(year)d_%%(rev)s_%%(slug)s"\ntruncate_slug_length = 40\n'
                 'recursive_version_locations = true\nprepend_sys_path = ["."]\n',
        "string_locations": '[tool.alembic]\nscript_location = "m"\nversion_locations = "a:b"\n',
        "wrong_types": '[tool.alembic]\nscript_location = 3\nversion_locations = [1, "a", true]\n'
                       'truncate_slug_length = "12"\nrecursive_version_locations = "true"\nfile_template = []\n',
        "int_forms": '[tool.alembic]\ntruncate_slug_length = "1_000"\n[tool.alembic.sub]\nx=1\n',
        "bool_slug": '[tool.alembic]\ntruncate_slug_length = false\n',
        "bad_percent": '[tool.alembic]\nscript_location = "%(there)s/x"\nfile_template = "%(rev"\n'
                       'version_locations = ["100%", "%%"]\n',
        "dotted_keys": 'tool.alembic.script_location = "dotted"\n[project]\nname = "x"\n',
        "inline_table": 'tool = { alembic = { script_location = "inline" } }\n',
        "multiline_strings": '[tool.alembic]\nscript_location = """\nfirst\nsecond"""\n'
                             "file_template = '''%%(rev)s'''\n",
        "escapes": '[tool.alembic]\nscript_location = "a\\u00e9\\U0001F389\\t\\\\"\n',
        "syntax_error": '[tool.alembic\nscript_location = "x"\n',
        "duplicate_keys": '[tool.alembic]\nscript_location = "a"\nscript_location = "b"\n',
        "array_of_tables": '[[tool.alembic]]\nscript_location = "x"\n',
        "other_tools": '[tool.ruff]\nline-length = 100\n[tool.poetry.dependencies]\npython = "^3.11"\n',
        "deep_nesting": "a = " + "[" * 100 + "]" * 100 + "\nb = " + "{x=" * 50 + "1" + "}" * 50 + "\n",
        "invalid_utf8": b'[tool.alembic]\nscript_location = "\xff\xfe"\n',
        "nul_bytes": b'[tool.alembic]\nscript_location = "a\x00"\n',
        "crlf": '[tool.alembic]\r\nscript_location = "m"\r\nversion_locations = [\r\n  "a",\r\n]\r\n',
        "dates_and_floats": '[tool.alembic]\nscript_location = 1979-05-27T07:32:00Z\ntruncate_slug_length = 1e3\n',
        "empty": "",
    }


def position_seeds():
    def ops(*values, json_change=None):
        out = bytes(v & 0xFF for v in values)
        if json_change is not None:
            out += json.dumps(json_change).encode()
        return b"#~ops~" + out
    rng_change = {"range": {"start": {"line": 0, "character": 1}, "end": {"line": 1, "character": 0}}, "text": "x"}
    return {
        "ascii": b"revision = 'a'\ndown_revision = None\n" + ops(0, 3, 0, 1, 200, 0, 5, 255, 255, 1, 1, 0, 4, 1, 2, 3, 4, 5),
        "crlf": b"a\r\nbb\r\n\r\nccc" + ops(1, 1, 0, 2, 0, 0, 3, 0, 0, 2, 1, 3, 2, 2, 0, 3, b"\r"[0], b"\n"[0]),
        "lone_cr": b"a\rb\r\rc\r" + ops(2, 0, 0, 4, 0, 0, 1, 0, 2, 3, 0, 1, 0, 1),
        "emoji": "x🎉y\n🎉🎉\n".encode() + ops(0, 2, 0, 1, 1, 0, 1, 3, 0, 1, 0, 1, 1, 1, 2, 4),
        "bmp_chars": "é€ab\nΩ\u2028x\n".encode() + ops(0, 1, 0, 0, 2, 0, 1, 9, 0, 2, 0, 0, 1, 3, 6, 0xC3, 0xA9),
        "invalid_utf8": b"\xc0\x80 \xed\xa0\x80 \xf5\x80 \xe2\x82 \xf0\x9f\x8e \x80\xbf\n\xff" +
                        ops(0, 5, 0, 0, 9, 0, 1, 2, 0, 0, 1, 1, 1, 3, 4, 0xF0, 0x9F, 0x8E),
        "nul": b"a\x00b\n\x00" + ops(0, 1, 0, 1, 1, 0, 1, 0, 0, 1, 1, 0, 0),
        "empty": b"" + ops(0, 0, 0, 5, 5, 255, 1, 0, 0, 0, 0, 2, b"z"[0], b"\n"[0]),
        "trailing_newline": b"line\n" + ops(1, 0, 0, 1, 0, 0, 2, 0, 0, 1, 0, 4, 1, 0, 1),
        "json_change": b"abc\ndef\n" + ops(0, 0, 0, 0, 0, 0, 0, json_change=rng_change),
        "json_bad_change": b"abc\n" + ops(0, json_change={"range": {"start": {"line": -1, "character": 1.5},
                                                                     "end": "x"}, "text": 3}),
        "json_huge_positions": b"abc\n" + ops(0, json_change={"range": {
            "start": {"line": 2**40, "character": 2**63}, "end": {"line": 0, "character": 0}}, "text": ""}),
        "no_ops": "plain 🎉 text\r\nwith lines\n".encode(),
    }


DEFAULT_LIKE_TEMPLATE = '''"""${message}

Revision ID: ${up_revision}
Revises: ${down_revision | comma,n}
Create Date: ${create_date}

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
${imports if imports else ""}

# revision identifiers, used by Alembic.
revision: str = ${repr(up_revision)}
down_revision: Union[str, Sequence[str], None] = ${repr(down_revision)}
branch_labels: Union[str, Sequence[str], None] = ${repr(branch_labels)}
depends_on: Union[str, Sequence[str], None] = ${repr(depends_on)}


def upgrade() -> None:
    """Upgrade schema."""
    ${upgrades if upgrades else "pass"}


def downgrade() -> None:
    """Downgrade schema."""
    ${downgrades if downgrades else "pass"}
'''


def mako_seeds():
    return {
        "default_like": DEFAULT_LIKE_TEMPLATE,
        "old_style": '"""${message}\n\nRevision ID: ${up_revision}\nRevises: ${down_revision | comma,n}\n"""\n'
                     "revision = ${repr(up_revision)}\ndown_revision = ${repr(down_revision)}\n",
        "control_lines": "% if branch_labels:\nlabels = ${repr(branch_labels)}\n% elif depends_on:\ndeps\n"
                         "% else:\nnone\n% endif\n  %  if not message:\nx\n  % endif\n",
        "comments_and_doc": "## a comment\n<%doc>\n  ${not rendered}\n</%doc>\ntext ## not a comment\n"
                            "<%text>${kept as is}</%text>\n",
        "backslash_newline": "a \\\nb ${message}\\\n\nc\n",
        "percent_quirks": "%% literal percent\n  %% indented\n100% sure\n%%%\n",
        "filters": "${message | n}\n${message | str}\n${message | trim}\n${ message | n, trim, str }\n"
                   "${down_revision | comma}\n${message | h}\n",
        "expressions": "${'a' if message else 'b'}\n${not not message}\n${message and up_revision or None}\n"
                       "${str(None)}${True}${False}${repr('it\\'s')}\n${comma(down_revision)}\n",
        "unsupported": "% for x in y:\n${x}\n% endfor\n<%def name='f()'>x</%def>\n<%include file='x'/>\n"
                       "${message.upper()}\n${a[0]}\n${1 + 2}\n<% x = 1 %>\n",
        "undefined_use": "${imports}\n${str(upgrades)}\n",
        "unterminated": "${message\n% if x:\nno endif\n<%text>never closed\n<%doc>\n",
        "nested_if": "% if message:\n% if up_revision:\ninner\n% endif\n% endif\n% endif\n",
        "strings": "${'\\n\\t\\x41\\u00e9'}\n${\"double\"}\n${'''triple'''}\n${r'raw\\n'}\n${b'bytes'}\n",
        "deep": "${" + "(" * 100 + "message" + ")" * 100 + "}\n${" + "not " * 100 + "message}\n",
        "plain": "just text\nwith lines and (parens) and {braces}\n",
        "unicode": "Ajouté 🎉 ${message}\n",
        "invalid_utf8": b"bad \xff\xfe ${message}\n",
        "empty": "",
    }


def write(target, seeds):
    folder = CORPUS / target
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in seeds.items():
        if isinstance(data, str):
            data = data.encode("utf-8")
        (folder / name).write_bytes(data)


def main():
    write("framing", framing_seeds())
    write("parser", parser_seeds())
    write("ini", ini_seeds())
    write("pyproject", pyproject_seeds())
    write("position", position_seeds())
    write("mako", mako_seeds())


if __name__ == "__main__":
    main()
