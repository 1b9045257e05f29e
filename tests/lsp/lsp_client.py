#!/usr/bin/env python3
"""A scripted LSP client for `credo lsp` (ctest: lsp.client).

usage: lsp_client.py CREDO SOURCE_DIR WORK_DIR

Starts the server over pipes and talks JSON-RPC 2.0 with Content-Length framing to it, as an
editor does: initialize, open a copy of tests/lsp/sample.credo, edit it (an error, then the fix),
and check diagnostics, hover, definition, references, document symbols, completion, formatting,
malformed input and the shutdown/exit sequence. Every wait has a timeout, so it never hangs.
Python standard library only.
"""
import json
import os
import queue
import shutil
import subprocess
import sys
import threading

TIMEOUT = 15  # seconds for any one answer


class Failure(Exception):
    pass


def check(condition, what):
    if not condition:
        raise Failure(what)


class Server:
    """`credo lsp` on pipes: messages in, messages (responses and notifications) out."""

    def __init__(self, credo):
        self.proc = subprocess.Popen([credo, "lsp"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE)
        self.messages = queue.Queue()
        self.stderr = []
        self.next_id = 1
        self.pending = []  # messages read while waiting for another
        threading.Thread(target=self._read, daemon=True).start()
        threading.Thread(target=lambda: self.stderr.extend(self.proc.stderr), daemon=True).start()

    def _read(self):
        out = self.proc.stdout
        while True:
            length = None
            while True:
                line = out.readline()
                if not line:
                    self.messages.put(None)
                    return
                line = line.strip()
                if not line:
                    break
                name, _, value = line.decode("ascii").partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            body = out.read(length)
            self.messages.put(json.loads(body.decode("utf-8")))

    def write(self, raw):
        self.proc.stdin.write(raw)
        self.proc.stdin.flush()

    def send(self, message):
        body = json.dumps(message).encode("utf-8")
        self.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)

    def notify(self, method, params):
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def next_message(self, what):
        try:
            message = self.messages.get(timeout=TIMEOUT)
        except queue.Empty:
            raise Failure("no answer within %ds while waiting for %s" % (TIMEOUT, what))
        if message is None:
            raise Failure("the server closed its output while waiting for %s" % what)
        return message

    def wait(self, match, what):
        for i, m in enumerate(self.pending):
            if match(m):
                return self.pending.pop(i)
        while True:
            message = self.next_message(what)
            if match(message):
                return message
            self.pending.append(message)

    def request_raw(self, method, params):
        rid = self.next_id
        self.next_id += 1
        self.send({"jsonrpc": "2.0", "id": rid, "method": method, "params": params})
        return self.wait(lambda m: m.get("id") == rid and "method" not in m, method)

    def request(self, method, params):
        answer = self.request_raw(method, params)
        check("error" not in answer, "%s failed: %s" % (method, answer.get("error")))
        return answer["result"]

    def diagnostics(self, uri, version):
        message = self.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics"
                            and m["params"]["uri"] == uri and m["params"].get("version") == version,
                            "the diagnostics of version %s" % version)
        return message["params"]["diagnostics"]

    def exit_code(self):
        try:
            return self.proc.wait(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            raise Failure("the server did not exit within %ds" % TIMEOUT)

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


def position(text, needle, occurrence=1, offset=0):
    """The LSP position (UTF-16 columns) of the `occurrence`-th `needle` in `text`, plus `offset` characters."""
    at = -1
    for _ in range(occurrence):
        at = text.index(needle, at + 1)
    at += offset
    line = text.count("\n", 0, at)
    column_text = text[text.rfind("\n", 0, at) + 1:at]
    return {"line": line, "character": len(column_text.encode("utf-16-le")) // 2}


def line_of(text, needle, occurrence=1):
    return position(text, needle, occurrence)["line"]


def doc_params(uri, text, needle, occurrence=1, offset=0):
    return {"textDocument": {"uri": uri}, "position": position(text, needle, occurrence, offset)}


def labels(completion):
    items = completion["items"] if isinstance(completion, dict) else completion
    return [item["label"] for item in items]


def initialize(server):
    result = server.request("initialize", {"processId": os.getpid(), "rootUri": None, "capabilities": {
        "general": {"positionEncodings": ["utf-16"]}}})
    caps = result["capabilities"]
    check(caps["positionEncoding"] == "utf-16", "UTF-16 positions: %s" % caps.get("positionEncoding"))
    check(caps["textDocumentSync"]["change"] == 1, "full text sync")
    for provider in ("hoverProvider", "definitionProvider", "referencesProvider", "documentSymbolProvider",
                     "documentFormattingProvider", "completionProvider"):
        check(provider in caps, "capability %s" % provider)
    server.notify("initialized", {})


def test_session(credo, source_dir, work):
    original = open(os.path.join(source_dir, "tests/lsp/sample.credo"), encoding="utf-8").read()
    path = os.path.join(work, "sample.credo")
    with open(path, "w", encoding="utf-8") as f:
        f.write(original)
    uri = "file://" + path
    server = Server(credo)
    try:
        initialize(server)

        # Malformed input: never a crash. Not JSON → a parse error with a null id; a header block
        # without a usable length is skipped; an unknown request → MethodNotFound; an unknown
        # notification → nothing.
        server.write(b"Content-Length: 9\r\n\r\n{not json")
        answer = server.wait(lambda m: m.get("error", {}).get("code") == -32700, "the parse error")
        check(answer["id"] is None, "a parse error answers id null")
        server.write(b"Content-Length: many\r\n\r\n")
        server.send({"jsonrpc": "2.0", "id": "x1", "method": "credo/noSuchMethod", "params": {}})
        answer = server.wait(lambda m: m.get("id") == "x1", "the unknown method's error")
        check(answer["error"]["code"] == -32601, "MethodNotFound for an unknown request: %s" % answer)
        server.notify("credo/noSuchNotification", {"x": 1})
        server.send([1, 2, 3])
        answer = server.wait(lambda m: m.get("error", {}).get("code") == -32600, "the invalid request error")
        answer = server.request_raw("textDocument/hover", {"textDocument": {"uri": uri}})
        check(answer["error"]["code"] == -32602, "InvalidParams for a hover without a position: %s" % answer)

        # Open: the sample checks clean.
        server.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "credo", "version": 1,
                                                                "text": original}})
        diags = server.diagnostics(uri, 1)
        check(diags == [], "the sample has no diagnostics: %s" % diags)

        # An edit that misspells a name: one diagnostic, its code, line and hint.
        broken = original.replace("= adjusted_income * grade_factor", "= adjusted_incme * grade_factor")
        server.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 2},
                                                 "contentChanges": [{"text": broken}]})
        diags = server.diagnostics(uri, 2)
        check(len(diags) == 1, "one diagnostic for the misspelt name: %s" % diags)
        d = diags[0]
        check(d["code"] == "E0102" and d["severity"] == 1, "an unknown-name error: %s" % d)
        check(d["range"]["start"] == position(broken, "adjusted_incme"), "its range starts at the name: %s" % d["range"])
        check("adjusted_income" in d["message"] and "hint:" in d["message"], "the hint suggests the name: %s" % d["message"])

        # A syntax error: a diagnostic too, and completion still knows the names (last good text).
        half = original.replace("  tier\n", "  tier\n  knockouts.\n")
        server.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 3},
                                                 "contentChanges": [{"text": half}]})
        diags = server.diagnostics(uri, 3)
        check(diags and diags[0]["severity"] == 1, "a half-typed line is an error: %s" % diags)
        members = labels(server.request("textDocument/completion", doc_params(uri, half, "knockouts.\n", 1, 10)))
        check({"fired", "first", "count", "K01", "K02"} <= set(members), "rule set members: %s" % members)

        # A syntax error in one declaration does not hide a misspelt name in another, and its
        # names cause no cascade: as `credo check`, the rest of the file is still checked.
        both = broken.replace("const MAX_ARREARS = 3", "const MAX_ARREARS = = 3")
        server.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 30},
                                                 "contentChanges": [{"text": both}]})
        diags = server.diagnostics(uri, 30)
        check(sorted(d["code"] for d in diags) == ["E0001", "E0102"],
              "the syntax error and the misspelt name, nothing else: %s" % diags)

        # The fix: clean again.
        server.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 4},
                                                 "contentChanges": [{"text": original}]})
        diags = server.diagnostics(uri, 4)
        check(diags == [], "the fix clears the diagnostics: %s" % diags)

        # Hover: type, whether it may be missing, where it is declared, the doc comment.
        hover = server.request("textDocument/hover", doc_params(uri, original, "adjusted_income", 3, 2))
        text = hover["contents"]["value"]
        check("let adjusted_income: decimal(3)" in text, "hover shows the let's type: %s" % text)
        check("Never missing" in text, "hover says it is never missing: %s" % text)
        check("line %d" % (line_of(original, "let adjusted_income") + 1) in text, "hover gives the line: %s" % text)
        check("Income after the bureau's haircut of ten per cent." in text, "hover shows the doc comment: %s" % text)
        # After a title with non-ASCII characters (one outside the BMP): UTF-16 columns.
        hover = server.request("textDocument/hover", doc_params(uri, original, "arrears > MAX"))
        text = hover["contents"]["value"]
        check("arrears: int?" in text and "May be missing" in text, "an optional field: %s" % text)
        # The field in `when grade == C`.
        hover = server.request("textDocument/hover", doc_params(uri, original, "grade == C"))
        check("grade: Grade" in hover["contents"]["value"], "hover after a non-ASCII title: %s" % hover)
        hover = server.request("textDocument/hover", doc_params(uri, original, "income >= 0"))
        check("Gross yearly income" in hover["contents"]["value"], "a field's doc comment: %s" % hover)
        hover = server.request("textDocument/hover", doc_params(uri, original, "DECLINE because"))
        check("Review.DECLINE" in hover["contents"]["value"], "an enum value: %s" % hover)
        hover = server.request("textDocument/hover", doc_params(uri, original, "fired"))
        check("bool" in hover["contents"]["value"], "a member's type: %s" % hover)
        check(server.request("textDocument/hover", doc_params(uri, original, "policy lsp_sample")) is None, "no hover on a keyword")

        # Go to definition and find references.
        definition = server.request("textDocument/definition", doc_params(uri, original, "adjusted_income", 3))
        check(definition["uri"] == uri, "definition in the same file: %s" % definition)
        check(definition["range"]["start"] == position(original, "adjusted_income"), "the let's name: %s" % definition)
        definition = server.request("textDocument/definition", doc_params(uri, original, "knockouts.K01", 1, 10))
        check(definition["range"]["start"] == position(original, "K01"), "a rule's code: %s" % definition)
        definition = server.request("textDocument/definition", doc_params(uri, original, "grade_factor[", 1))
        check(definition["range"]["start"] == position(original, "grade_factor"), "a table: %s" % definition)
        # A const that is a literal: the checker puts 3 in its place; its name still leads to it.
        definition = server.request("textDocument/definition", doc_params(uri, original, "MAX_ARREARS", 2))
        check(definition and definition["range"]["start"] == position(original, "MAX_ARREARS"), "a const: %s" % definition)
        refs = server.request("textDocument/references", dict(doc_params(uri, original, "adjusted_income"),
                                                               context={"includeDeclaration": True}))
        starts = sorted((r["range"]["start"]["line"], r["range"]["start"]["character"]) for r in refs)
        want = sorted((p["line"], p["character"]) for p in (position(original, "adjusted_income", k) for k in (1, 2, 3)))
        check(starts == want, "references of adjusted_income: %s, not %s" % (starts, want))
        refs = server.request("textDocument/references", dict(doc_params(uri, original, "C }"),
                                                               context={"includeDeclaration": False}))
        check(len(refs) == 2, "the uses of enum value C (table key, rule): %s" % refs)

        # Document symbols: the outline.
        symbols = server.request("textDocument/documentSymbol", {"textDocument": {"uri": uri}})
        by_name = {s["name"]: s for s in symbols}
        for name in ("lsp_sample", "Grade", "Review", "Applicant", "adjusted_income", "grade_factor", "knockouts",
                     "affordability", "tier", "decision", "output"):
            check(name in by_name, "the outline lists %s: %s" % (name, sorted(by_name)))
        children = lambda name: [c["name"] for c in by_name[name].get("children", [])]
        check(children("Grade") == ["A", "B", "C"], "enum values: %s" % children("Grade"))
        check(children("Applicant") == ["applicant_id", "income", "grade", "arrears"], "fields: %s" % children("Applicant"))
        check(children("knockouts") == ["K01", "K02"], "rules: %s" % children("knockouts"))
        check(children("affordability") == ["S01"], "characteristics: %s" % children("affordability"))
        check(by_name["adjusted_income"]["range"]["start"]["line"] == line_of(original, "let adjusted_income"),
              "a let's range: %s" % by_name["adjusted_income"])

        # Completion: names in scope, members, enum values where an enum is expected.
        names = labels(server.request("textDocument/completion", doc_params(uri, original, "  tier\n", 1, 6)))
        check({"adjusted_income", "income", "knockouts", "affordability", "grade_factor", "round", "APPROVE"} <= set(names),
              "names in scope: %s" % names)
        values = labels(server.request("textDocument/completion", doc_params(uri, original, "grade == C", 1, 9)))
        check(values == ["A", "B", "C"], "the values of Grade after `grade ==`: %s" % values)
        values = labels(server.request("textDocument/completion", doc_params(uri, original, "=> REFER", 1, 3)))
        check(values == ["APPROVE", "REFER", "DECLINE"], "decision outcomes: %s" % values)
        keys = labels(server.request("textDocument/completion", doc_params(uri, original, "B => 0.8")))
        check(keys[:3] == ["A", "B", "C"] and "income" not in keys, "a table's enum keys: %s" % keys)
        types = labels(server.request("textDocument/completion", doc_params(uri, original, "grade:", 1, 6)))
        check({"money", "int", "Grade", "Review"} <= set(types) and "income" not in types, "types after `:`: %s" % types)
        members = labels(server.request("textDocument/completion", doc_params(uri, original, "affordability.score", 1, 14)))
        check({"score", "reason", "reasons", "S01"} <= set(members), "scorecard members: %s" % members)

        # Formatting: a misaligned text comes back in `credo fmt`'s layout; a formatted one needs no edit.
        messy = original.replace("  grade:        Grade", "  grade: Grade").replace("  else            => APPROVE",
                                                                                  "  else => APPROVE")
        check(messy != original, "the test misaligns the text")
        server.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 5},
                                                 "contentChanges": [{"text": messy}]})
        server.diagnostics(uri, 5)
        edits = server.request("textDocument/formatting", {"textDocument": {"uri": uri},
                                                           "options": {"tabSize": 2, "insertSpaces": True}})
        check(len(edits) == 1 and edits[0]["range"]["start"] == {"line": 0, "character": 0}, "one whole-text edit: %s" % edits)
        fmt = subprocess.run([credo, "fmt"], input=messy.encode("utf-8"), capture_output=True, timeout=TIMEOUT)
        check(edits[0]["newText"] == fmt.stdout.decode("utf-8") == original, "the edit is `credo fmt`'s output")
        end = edits[0]["range"]["end"]
        check(end == position(messy + "$", "$"), "the edit ends at the end of the text: %s" % end)
        server.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 6},
                                                 "contentChanges": [{"text": original}]})
        server.diagnostics(uri, 6)
        edits = server.request("textDocument/formatting", {"textDocument": {"uri": uri}, "options": {}})
        check(edits == [], "a formatted text needs no edit: %s" % edits)

        server.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
        check(server.diagnostics(uri, None) == [], "closing clears the diagnostics")
        test_imports(server, work)
        check(server.request("shutdown", None) is None, "shutdown answers null")
        answer = server.request_raw("textDocument/hover", doc_params(uri, original, "tier"))
        check(answer["error"]["code"] == -32600, "requests after shutdown are refused: %s" % answer)
        server.notify("exit", None)
        code = server.exit_code()
        check(code == 0, "exit after shutdown: exit code %d" % code)
    finally:
        server.kill()
        log = b"".join(server.stderr).decode("utf-8", "replace")
        if log:
            print("server log:\n" + log)


LIBRARY = """library shared version "1"

// How much of an amount counts.
function haircut(x: money): money = round(x * 0.9, 0.01)
"""

POLICY = """policy with_import version "1"
import "shared.credo"

input In {
  id:     string
  amount: money
}

output {
  id
  counted = haircut(amount)
}
"""


def test_imports(server, work):
    """Definition and hover reach into an imported library; a problem in it is shown in the policy."""
    with open(os.path.join(work, "shared.credo"), "w", encoding="utf-8") as f:
        f.write(LIBRARY)
    uri = "file://" + os.path.join(work, "with_import.credo")
    server.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "credo", "version": 1,
                                                            "text": POLICY}})
    diags = server.diagnostics(uri, 1)
    check(diags == [], "the policy with an import checks clean: %s" % diags)
    definition = server.request("textDocument/definition", doc_params(uri, POLICY, "haircut("))
    check(definition and definition["uri"] == "file://" + os.path.join(work, "shared.credo"),
          "definition in the library: %s" % definition)
    check(definition["range"]["start"] == position(LIBRARY, "haircut"), "the function's name: %s" % definition)
    hover = server.request("textDocument/hover", doc_params(uri, POLICY, "haircut("))
    check("How much of an amount counts." in hover["contents"]["value"], "a library's doc comment: %s" % hover)
    with open(os.path.join(work, "shared.credo"), "w", encoding="utf-8") as f:
        f.write(LIBRARY.replace("x * 0.9", "x * rate"))
    server.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 2},
                                             "contentChanges": [{"text": POLICY + "\n"}]})
    diags = server.diagnostics(uri, 2)
    check(len(diags) == 1 and diags[0]["code"] == "E0102", "the library's unknown name: %s" % diags)
    check(diags[0]["message"].startswith(os.path.join(work, "shared.credo") + ":4:"),
          "it says where it is in the library: %s" % diags[0]["message"])
    server.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
    server.diagnostics(uri, None)


def test_utf8(credo, source_dir):
    """A client that offers UTF-8 positions gets them: columns in bytes."""
    text = open(os.path.join(source_dir, "tests/lsp/sample.credo"), encoding="utf-8").read()
    uri = "file:///nowhere/sample.credo"
    server = Server(credo)
    try:
        result = server.request("initialize", {"processId": None, "capabilities": {
            "general": {"positionEncodings": ["utf-8", "utf-16"]}}})
        check(result["capabilities"]["positionEncoding"] == "utf-8", "UTF-8 positions: %s" % result["capabilities"])
        server.notify("initialized", {})
        server.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "credo", "version": 1,
                                                                "text": text}})
        server.diagnostics(uri, 1)
        at = text.index("arrears > MAX")
        line = text.count("\n", 0, at)
        column = len(text[text.rfind("\n", 0, at) + 1:at].encode("utf-8"))
        hover = server.request("textDocument/hover", {"textDocument": {"uri": uri},
                                                      "position": {"line": line, "character": column + 1}})
        check(hover and "arrears: int?" in hover["contents"]["value"], "hover at a byte column: %s" % hover)
        answer = server.request_raw("textDocument/hover", {"textDocument": {"uri": uri},
                                                           "position": {"line": 1.5, "character": 0}})
        check(answer.get("error", {}).get("code") == -32602, "a fractional line is invalid params: %s" % answer)
        server.request("shutdown", None)
        server.notify("exit", None)
        check(server.exit_code() == 0, "exit 0")
    finally:
        server.kill()


def test_lifecycle(credo):
    # A request before initialize is refused; `exit` without `shutdown` exits 1.
    server = Server(credo)
    try:
        answer = server.request_raw("textDocument/hover", {})
        check(answer["error"]["code"] == -32002, "ServerNotInitialized: %s" % answer)
        server.notify("exit", None)
        check(server.exit_code() == 1, "exit without shutdown exits 1")
    finally:
        server.kill()
    # The client going away (end of input) ends the server, exit code 1.
    server = Server(credo)
    try:
        initialize(server)
        server.proc.stdin.close()
        check(server.exit_code() == 1, "end of input exits 1")
    finally:
        server.kill()


def main():
    if len(sys.argv) != 4:
        print(__doc__)
        return 2
    credo, source_dir, work = sys.argv[1:]
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    try:
        test_session(credo, source_dir, work)
        test_utf8(credo, source_dir)
        test_lifecycle(credo)
    except Failure as e:
        print("FAIL: %s" % e)
        return 1
    print("ok: credo lsp answered every request as expected")
    return 0


if __name__ == "__main__":
    sys.exit(main())
