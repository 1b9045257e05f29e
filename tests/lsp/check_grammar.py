#!/usr/bin/env python3
"""Checks editors/credo.tmLanguage.json (ctest: lsp.grammar).

usage: check_grammar.py SOURCE_DIR

The grammar (and VS Code's language-configuration.json) is JSON with the fields editors need; every include names a rule of its repository;
every regex compiles (with Python's `re`, which reads the Oniguruma subset the grammar uses);
every keyword of grammar/Credo.g4 is highlighted; and sample tokens get the scope they should,
found as a TextMate tokenizer finds them: the pattern whose match starts first, the earlier
pattern on a tie. Python standard library only.
"""
import json
import os
import re
import sys

# Oniguruma syntax Python's `re` does not read; a pattern using it is not compiled here.
ONIGURUMA_ONLY = re.compile(r"\\[GhHAz]|\(\?<[A-Za-z]|\\p\{|\\k<|[*+?]\+")


class Failure(Exception):
    pass


def check(condition, what):
    if not condition:
        raise Failure(what)


def rules(grammar, patterns, seen=()):
    """The patterns of a list, includes resolved, in order (what a tokenizer tries at one place)."""
    out = []
    for p in patterns:
        if "include" in p:
            name = p["include"]
            check(name.startswith("#"), "only repository includes are expected: %s" % name)
            rule = grammar["repository"].get(name[1:])
            check(rule is not None, "include of an unknown rule: %s" % name)
            if name in seen:
                continue
            out += rules(grammar, rule.get("patterns", [rule]) if "patterns" in rule and "match" not in rule
                         and "begin" not in rule else [rule], seen + (name,))
        elif "patterns" in p and "match" not in p and "begin" not in p:
            out += rules(grammar, p["patterns"], seen)
        else:
            out.append(p)
    return out


def compiled(regex, where):
    if ONIGURUMA_ONLY.search(regex):
        return None
    try:
        return re.compile(regex)
    except re.error as e:
        raise Failure("%s: the regex %r does not compile: %s" % (where, regex, e))


def scope_at(grammar, top, text):
    """The scope a tokenizer gives the token at the start of `text`, and the token's text."""
    best = None
    for order, p in enumerate(top):
        regex = p.get("match") or p.get("begin")
        r = compiled(regex, "sample")
        if not r:
            continue
        m = r.search(text)
        if m and (best is None or m.start() < best[0].start()):
            best = (m, p)
    check(best is not None, "no pattern matches %r" % text)
    m, p = best
    if "captures" in p:
        for group, capture in sorted(p["captures"].items()):
            if m.group(int(group)) is not None and m.start(int(group)) == m.start():
                return capture["name"], m.group(int(group))
    return p.get("name", ""), m.group(0)


def main():
    if len(sys.argv) != 2:
        print(__doc__)
        return 2
    source = sys.argv[1]
    try:
        with open(os.path.join(source, "editors/credo.tmLanguage.json"), encoding="utf-8") as f:
            grammar = json.load(f)
        with open(os.path.join(source, "editors/language-configuration.json"), encoding="utf-8") as f:
            config = json.load(f)
        check(config["comments"]["lineComment"] == "//", "VS Code's language configuration: comments")
        for key in ("increaseIndentPattern", "decreaseIndentPattern"):
            compiled(config["indentationRules"][key], "language-configuration.json")
        for field in ("name", "scopeName", "fileTypes", "patterns", "repository"):
            check(field in grammar, "the grammar has no %r" % field)
        check(grammar["scopeName"] == "source.credo" and "credo" in grammar["fileTypes"], "scope and file type")

        # Every regex of every rule compiles; every name ends in `.credo`.
        def walk(node, where):
            if isinstance(node, dict):
                for key in ("match", "begin", "end"):
                    if key in node:
                        compiled(node[key], where)
                if isinstance(node.get("name"), str) and not node["name"].endswith(".credo"):
                    raise Failure("%s: scope %r does not end in .credo" % (where, node["name"]))
                for k, v in node.items():
                    walk(v, where + "/" + k)
            elif isinstance(node, list):
                for i, v in enumerate(node):
                    walk(v, "%s[%d]" % (where, i))
        walk(grammar["patterns"], "patterns")
        walk(grammar["repository"], "repository")
        top = rules(grammar, grammar["patterns"])

        # Every keyword of the language grammar is highlighted as a keyword, type or constant.
        with open(os.path.join(source, "grammar/Credo.g4"), encoding="utf-8") as f:
            words = sorted(set(re.findall(r"'([a-z][a-z_]*)'", f.read())))
        check(len(words) > 40, "the keywords of grammar/Credo.g4 were found (%d)" % len(words))
        for word in words:
            scope, token = scope_at(grammar, top, word)
            check(token == word and scope.split(".")[0] in ("keyword", "support", "constant"),
                  "keyword %r is highlighted (got %r as %r)" % (word, token, scope))

        samples = [
            ("// a comment", "comment.line.double-slash.credo"),
            ("/* block */", "comment.block.credo"),
            ('"a \\" string"', "string.quoted.double.credo"),
            ("500_000.00", "constant.numeric.decimal.credo"),
            ("12.5%", "constant.numeric.decimal.credo"),
            ("1_000", "constant.numeric.integer.credo"),
            ("K01", "constant.other.rule-code.credo"),
            ("money", "support.type.credo"),
            ("decline", "keyword.other.effect.credo"),
            ("=>", "keyword.operator.arrow.credo"),
            ("??", "keyword.operator.coalesce.credo"),
            (">=", "keyword.operator.comparison.credo"),
            ("round(x)", "entity.name.function.credo"),
            ("enum Grade", "keyword.declaration.credo"),
        ]
        for text, want in samples:
            scope, token = scope_at(grammar, top, text)
            check(scope == want, "%r is %r, not %r" % (text, scope, want))
        # The name after a declaration keyword.
        m = compiled(grammar["repository"]["declarations"]["patterns"][0]["match"], "declarations").match("scorecard sme")
        check(m and m.group(2) == "sme", "a declared name is captured")
    except Failure as e:
        print("FAIL: %s" % e)
        return 1
    print("ok: editors/credo.tmLanguage.json is valid and highlights every keyword (%d)" % len(words))
    return 0


if __name__ == "__main__":
    sys.exit(main())
