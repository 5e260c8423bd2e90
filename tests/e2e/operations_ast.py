"""Reads the op.* calls of migration files with Python's own `ast` and prints them in the
canonical format of `alembic-lsp operations --canonical` (analysis/operations_text.cpp).

An independent second reading for the property test (test_operations.py): the same rules
(which receiver is `op`, the parameters of each Operations method, batch blocks, helper
functions, what counts as a literal) written against CPython's parser instead of
tree-sitter. Usage: operations_ast.py FILE ..."""
import ast
import sys

SIGNATURES = {
    "create_table": ("create_table", ["table_name"], []),
    "drop_table": ("drop_table", ["table_name"], []),
    "rename_table": ("rename_table", ["old_table_name", "new_table_name"], []),
    "add_column": ("add_column", ["table_name", "column"], ["column"]),
    "drop_column": ("drop_column", ["table_name", "column_name"], ["column_name"]),
    "alter_column": ("alter_column", ["table_name", "column_name"], ["column_name"]),
    "create_index": ("index", ["index_name", "table_name", "columns"], ["index_name", "columns"]),
    "drop_index": ("index", ["index_name", "table_name"], ["index_name"]),
    "create_unique_constraint": ("constraint", ["constraint_name", "table_name", "columns"],
                                 ["constraint_name", "columns"]),
    "create_primary_key": ("constraint", ["constraint_name", "table_name", "columns"],
                           ["constraint_name", "columns"]),
    "create_check_constraint": ("constraint", ["constraint_name", "table_name", "condition"],
                                ["constraint_name", "condition"]),
    "create_exclude_constraint": ("constraint", ["constraint_name", "table_name"],
                                  ["constraint_name"]),
    "create_foreign_key": ("foreign_key", ["constraint_name", "source_table", "referent_table",
                                           "local_cols", "remote_cols"],
                           ["constraint_name", "referent_table", "local_cols", "remote_cols"]),
    "drop_constraint": ("drop_constraint", ["constraint_name", "table_name", "type_"],
                        ["constraint_name", "type_"]),
    "execute": ("execute", ["sqltext"], ["sqltext"]),
    "bulk_insert": ("bulk_insert", ["table", "rows"], []),
}
NOT_OPERATIONS = {"f", "get_bind", "get_context", "inline_literal", "batch_alter_table",
                  "implementation_for", "invoke", "register_operation"}
FIELDS = ["table", "column", "new", "name", "referent", "type", "sql"]


def escaped(text):
    return (text.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t")
            .replace("|", "\\|"))


class Reader:
    def __init__(self, source):
        self.source = source
        self.tree = ast.parse(source)
        self.functions = {}
        self.module_tables = {}
        self.visiting = set()
        for stmt in self.tree.body:
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
                self.functions[stmt.name] = stmt
            elif isinstance(stmt, (ast.Assign, ast.AnnAssign)):
                self.note_assignment(stmt, self.module_tables)

    def segment(self, node):
        # ast.get_source_segment, with the source split into lines once (it splits the
        # whole source on every call: quadratic on the big-body files of the tests).
        if getattr(node, "end_lineno", None) is None or getattr(node, "end_col_offset", None) is None:
            return None
        if not hasattr(self, "lines"):
            self.lines = [line.encode() for line in ast._splitlines_no_ff(self.source)]
        first, last = node.lineno - 1, node.end_lineno - 1
        if first == last:
            return self.lines[first][node.col_offset:node.end_col_offset].decode()
        parts = [self.lines[first][node.col_offset:]] + self.lines[first + 1:last] + \
            [self.lines[last][:node.end_col_offset]]
        return b"".join(parts).decode()

    # Values: ("-",) absent, ("None",), ("L", text) literal, ("?", source) unknown.
    def string(self, node):
        if isinstance(node, ast.Constant) and type(node.value) is str:
            return node.value
        return None

    @staticmethod
    def callee(call):
        fn = call.func
        if isinstance(fn, ast.Name):
            return fn.id
        if isinstance(fn, ast.Attribute):
            return fn.attr
        return ""

    def value(self, node):
        if node is None:
            return ("-",)
        if isinstance(node, ast.Constant) and node.value is None:
            return ("None",)
        s = self.string(node)
        if s is not None:
            return ("L", s)
        if isinstance(node, ast.Call) and self.callee(node) in ("f", "text", "quoted_name", "conv"):
            args = self.arguments(node)[0]
            if args and self.string(args[0]) is not None:
                return ("L", self.string(args[0]))
        return ("?", self.segment(node))

    def source_value(self, node):
        if node is None:
            return ("-",)
        if isinstance(node, ast.Constant) and node.value is None:
            return ("None",)
        return ("L", self.segment(node))

    @staticmethod
    def flag(node):
        if node is None:
            return "-"
        if isinstance(node, ast.Constant) and node.value is True:
            return "T"
        if isinstance(node, ast.Constant) and node.value is False:
            return "F"
        return "?"

    @staticmethod
    def given(node):
        if node is None:
            return "-"
        return "F" if isinstance(node, ast.Constant) and node.value is None else "T"

    @staticmethod
    def arguments(call):
        positional = []
        for a in call.args:
            if isinstance(a, ast.Starred):
                break
            positional.append(a)
        keywords = {}
        for k in call.keywords:
            if k.arg is not None and k.arg not in keywords:
                keywords[k.arg] = k.value
        return positional, keywords

    def name_value(self, call, position, keyword):
        positional, keywords = self.arguments(call)
        if keyword in keywords:
            return self.value(keywords[keyword])
        if position < len(positional):
            return self.value(positional[position])
        return ("-",)

    def list_of(self, node):
        if isinstance(node, (ast.List, ast.Tuple)):
            return [self.value(e) for e in node.elts]
        return [] if node is None else [self.value(node)]

    def note_assignment(self, stmt, tables):
        targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
        if len(targets) != 1 or not isinstance(targets[0], ast.Name):
            return
        table = ""
        value = stmt.value
        if isinstance(value, ast.Call) and self.callee(value) in ("table", "Table", "create_table"):
            v = self.name_value(value, 0, "name")
            if v[0] == "L":
                table = v[1]
        tables[targets[0].id] = table

    def body_kind(self, body):
        for stmt in body:
            if isinstance(stmt, ast.Pass):
                continue
            if isinstance(stmt, ast.Expr) and (
                    isinstance(stmt.value, ast.JoinedStr) or
                    (isinstance(stmt.value, ast.Constant) and
                     (isinstance(stmt.value.value, (str, bytes)) or stmt.value.value is Ellipsis))):
                continue
            return "raises" if isinstance(stmt, ast.Raise) else "statements"
        return "empty"

    def read(self, name):
        fn = self.functions.get(name)
        if fn is None:
            return "missing", []
        out = []
        self.visiting = {name}
        self.block(fn.body, {"helper": "", "conditional": False, "autocommit": False,
                             "batches": {}, "tables": {}}, out)
        return self.body_kind(fn.body), out

    def block(self, body, ctx, out):
        for stmt in body:
            self.statement(stmt, ctx, out)

    def statement(self, stmt, ctx, out):
        if isinstance(stmt, ast.Expr):
            self.expression(stmt.value, ctx, out)
        elif isinstance(stmt, (ast.Assign, ast.AnnAssign)):
            self.note_assignment(stmt, ctx["tables"])
            if isinstance(stmt.value, ast.Call) and (
                    isinstance(stmt, ast.AnnAssign) or len(stmt.targets) == 1):
                self.call(stmt.value, ctx, out)
        elif isinstance(stmt, (ast.With, ast.AsyncWith)):
            self.with_statement(stmt, ctx, out)
        elif isinstance(stmt, (ast.If, ast.For, ast.AsyncFor, ast.While, ast.Try)):
            inner = dict(ctx, conditional=True, tables=dict(ctx["tables"]))
            bodies = [stmt.body, stmt.orelse]
            if isinstance(stmt, ast.Try):
                bodies = [stmt.body] + [h.body for h in stmt.handlers] + [stmt.orelse,
                                                                          stmt.finalbody]
            for body in bodies:
                self.block(body, inner, out)
            for k, v in inner["tables"].items():
                ctx["tables"].setdefault(k, v)

    def expression(self, e, ctx, out):
        if isinstance(e, ast.Call):
            self.call(e, ctx, out)
        elif isinstance(e, ast.Await):
            self.expression(e.value, ctx, out)

    def receiver(self, call, ctx):
        fn = call.func
        if not isinstance(fn, ast.Attribute) or not isinstance(fn.value, ast.Name):
            return None
        if fn.value.id in ctx["batches"]:
            return "batch"
        return "op" if fn.value.id == "op" else None

    def with_statement(self, stmt, ctx, out):
        inner = dict(ctx, batches=dict(ctx["batches"]), tables=dict(ctx["tables"]))
        for item in stmt.items:
            value = item.context_expr
            if not isinstance(value, ast.Call):
                continue
            name = self.callee(value)
            if name == "autocommit_block":
                inner["autocommit"] = True
            if name == "batch_alter_table" and self.receiver(value, ctx):
                alias = "batch_op"
                if isinstance(item.optional_vars, ast.Name):
                    alias = item.optional_vars.id
                inner["batches"][alias] = self.name_value(value, 0, "table_name")
        self.block(stmt.body, inner, out)
        for k, v in inner["tables"].items():
            ctx["tables"].setdefault(k, v)

    def column(self, node, op):
        if not (isinstance(node, ast.Call) and self.callee(node) == "Column"):
            op["column"] = ("-",) if node is None else ("?", self.segment(node))
            return
        positional, keywords = self.arguments(node)
        op["column"] = self.name_value(node, 0, "name")
        if len(positional) > 1:
            op["type"] = self.source_value(positional[1])
        elif "type_" in keywords:
            op["type"] = self.source_value(keywords["type_"])
        op["nullable"] = self.flag(keywords.get("nullable"))
        if op["nullable"] == "-" and self.flag(keywords.get("primary_key")) == "T":
            op["nullable"] = "F"
        op["server_default"] = self.given(keywords.get("server_default"))

    def table_value(self, node, ctx):
        if isinstance(node, ast.Call) and self.callee(node) in ("table", "Table", "create_table"):
            return self.name_value(node, 0, "name")
        if isinstance(node, ast.Name):
            found = None
            if node.id in ctx["tables"]:
                found = ctx["tables"][node.id]
            elif node.id in self.module_tables:
                found = self.module_tables[node.id]
            if found:
                return ("L", found)
        return self.value(node)

    def call(self, node, ctx, out):
        if isinstance(node.func, ast.Name):
            name = node.func.id
            if name in self.functions and name not in self.visiting and len(self.visiting) < 4:
                self.visiting.add(name)
                inner = {"helper": ctx["helper"] or name, "conditional": ctx["conditional"],
                         "autocommit": ctx["autocommit"], "batches": {}, "tables": {}}
                self.block(self.functions[name].body, inner, out)
                self.visiting.discard(name)
            return
        receiver = self.receiver(node, ctx)
        if receiver is None:
            return
        function = node.func.attr
        if function in NOT_OPERATIONS:
            return
        batch = receiver == "batch"
        op = {f: ("-",) for f in FIELDS}
        op.update(function=function, columns=[], nullable="-", server_default="-", unique="-",
                  concurrently="-", batch=batch, autocommit=ctx["autocommit"],
                  conditional=ctx["conditional"], helper=ctx["helper"])
        out.append(op)
        if function not in SIGNATURES:
            return
        kind, params, batch_params = SIGNATURES[function]
        params = batch_params if batch else params
        positional, keywords = self.arguments(node)

        def arg(param):
            if param in keywords:
                return keywords[param]
            if param in params and params.index(param) < len(positional):
                return positional[params.index(param)]
            return None

        def name(param):
            return self.value(arg(param))

        if batch:
            op["table"] = ctx["batches"][node.func.value.id]
        if kind == "create_table":
            op["table"] = name("table_name")
            for a in positional[1:]:
                if isinstance(a, ast.Call) and self.callee(a) == "Column":
                    op["columns"].append(self.name_value(a, 0, "name"))
        elif kind == "drop_table":
            op["table"] = name("table_name")
        elif kind == "rename_table":
            op["table"] = name("old_table_name")
            op["new"] = name("new_table_name")
        elif function in ("add_column", "drop_column", "alter_column"):
            if not batch:
                op["table"] = name("table_name")
            if function == "add_column":
                self.column(arg("column"), op)
            else:
                op["column"] = name("column_name")
            if function == "alter_column":
                op["new"] = self.value(keywords.get("new_column_name"))
                op["type"] = self.source_value(keywords.get("type_"))
                op["nullable"] = self.flag(keywords.get("nullable"))
                op["server_default"] = self.given(keywords.get("server_default"))
        elif kind == "index":
            op["name"] = name("index_name")
            if not batch:
                op["table"] = name("table_name")
            op["columns"] = self.list_of(arg("columns"))
            op["unique"] = self.flag(keywords.get("unique"))
            op["concurrently"] = self.flag(keywords.get("postgresql_concurrently"))
        elif kind in ("constraint", "foreign_key"):
            op["name"] = name("constraint_name")
            if not batch:
                op["table"] = name("source_table" if kind == "foreign_key" else "table_name")
            if kind == "foreign_key":
                op["referent"] = name("referent_table")
                op["columns"] = self.list_of(arg("local_cols"))
            else:
                op["columns"] = self.list_of(arg("columns"))
        elif kind == "drop_constraint":
            op["name"] = name("constraint_name")
            if not batch:
                op["table"] = name("table_name")
            op["type"] = name("type_")
        elif kind == "execute":
            op["sql"] = name("sqltext")
        elif kind == "bulk_insert":
            op["table"] = self.table_value(arg("table"), ctx)


def canonical(v):
    if v[0] == "L":
        return "'" + escaped(v[1]) + "'"
    if v[0] == "?":
        return "?" + escaped(v[1])
    return v[0]


def line(section, op):
    parts = [section, op["function"]]
    for f in FIELDS:
        parts.append(f"{f}={canonical(op[f])}")
    parts.insert(9, "columns=[" + ",".join(canonical(c) for c in op["columns"]) + "]")
    for f in ("nullable", "server_default", "unique", "concurrently"):
        parts.append(f"{f}={op[f]}")
    parts.append("batch=" + ("1" if op["batch"] else "0"))
    parts.append("autocommit=" + ("1" if op["autocommit"] else "0"))
    parts.append("conditional=" + ("1" if op["conditional"] else "0"))
    parts.append("helper=" + op["helper"])
    return "|".join(parts)


def main(paths):
    for path in paths:
        with open(path, encoding="utf-8") as f:
            source = f.read()
        reader = Reader(source)
        print("== " + path)
        for section in ("upgrade", "downgrade"):
            body, ops = reader.read(section)
            print(f"{section}|body={body}")
            for op in ops:
                print(line(section, op))


if __name__ == "__main__":
    main(sys.argv[1:])
