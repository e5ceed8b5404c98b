#!/usr/bin/env python3
"""Small, textual edits of upstream POMs for jenkins-from-source (formatting kept; each edit must change something).

  pompatch.py strip-test-deps POM...                 drops <dependency> blocks with <scope>test</scope>
  pompatch.py drop-dep POM GROUP ARTIFACT            drops that dependency
  pompatch.py set-dep-version POM ARTIFACT VERSION   sets the <version> that follows <artifactId>ARTIFACT</artifactId>
  pompatch.py set-parent POM GROUP ARTIFACT VERSION  points <parent> at that parent
  pompatch.py set-bom POM ARTIFACT VERSION           points the io.jenkins.tools.bom import at that BOM
  pompatch.py set-property POM NAME VALUE            sets a top-level <properties> entry (adding it if absent)
  pompatch.py align-to-bom POM BOM_POM...            lets the BOM decide every version it manages: drops such
                                                     entries from <dependencyManagement> and <version> from
                                                     such <dependencies> (import-scoped BOMs stay)
"""
import re
import sys

DEP = re.compile(r"[ \t]*<dependency>(?:(?!</dependency>).)*?</dependency>[ \t]*\n?", re.S)


def edit(path, fn, what, must_change=True):
    text = open(path, encoding="utf-8").read()
    new = fn(text)
    if new == text and must_change:
        sys.exit(f"{path}: {what}: nothing to change")
    open(path, "w", encoding="utf-8").write(new)


def strip_test_deps(text):
    return DEP.sub(lambda m: "" if re.search(r"<scope>\s*test\s*</scope>", m.group(0)) else m.group(0), text)


def drop_dep(group, artifact):
    def fn(text):
        def keep(m):
            b = m.group(0)
            hit = re.search(rf"<groupId>\s*{re.escape(group)}\s*</groupId>", b) and \
                re.search(rf"<artifactId>\s*{re.escape(artifact)}\s*</artifactId>", b)
            return "" if hit else b
        return DEP.sub(keep, text)
    return fn


def set_dep_version(artifact, version):
    pat = re.compile(rf"(<artifactId>\s*{re.escape(artifact)}\s*</artifactId>\s*(?:<type>[^<]*</type>\s*)?<version>)[^<]*(</version>)")
    return lambda text: pat.sub(rf"\g<1>{version}\g<2>", text)


def set_parent(group, artifact, version):
    def fn(text):
        m = re.search(r"<parent>.*?</parent>", text, re.S)
        if not m:
            sys.exit("no <parent>")
        block = m.group(0)
        new = re.sub(r"<groupId>[^<]*</groupId>", f"<groupId>{group}</groupId>", block, count=1)
        new = re.sub(r"<artifactId>[^<]*</artifactId>", f"<artifactId>{artifact}</artifactId>", new, count=1)
        new = re.sub(r"<version>[^<]*</version>", f"<version>{version}</version>", new, count=1)
        return text[:m.start()] + new + text[m.end():]
    return fn


def set_bom(artifact, version):
    def fn(text):
        if not re.search(r"<groupId>\s*io\.jenkins\.tools\.bom\s*</groupId>", text):
            sys.exit("no io.jenkins.tools.bom import")

        def one(m):
            b = m.group(0)
            if not re.search(r"<groupId>\s*io\.jenkins\.tools\.bom\s*</groupId>", b):
                return b
            b = re.sub(r"<artifactId>[^<]*</artifactId>", f"<artifactId>{artifact}</artifactId>", b, count=1)
            return re.sub(r"<version>[^<]*</version>", f"<version>{version}</version>", b, count=1)
        return DEP.sub(one, text)
    return fn


def set_property(name, value):
    def fn(text):
        # the project's own <properties>, not one inside a <profile>: the first that comes after </parent> or <modelVersion>
        m = re.search(r"<properties>(.*?)</properties>", text, re.S)
        if m and not re.search(r"<profile>(?:(?!</profile>).)*$", text[:m.start()], re.S):
            body = m.group(1)
            tag = re.compile(rf"<{re.escape(name)}>[^<]*</{re.escape(name)}>")
            if tag.search(body):
                body = tag.sub(f"<{name}>{value}</{name}>", body, count=1)
            else:
                body = body.rstrip() + f"\n    <{name}>{value}</{name}>\n  "
            return text[:m.start(1)] + body + text[m.end(1):]
        anchor = re.search(r"</parent>|<modelVersion>[^<]*</modelVersion>", text)
        return text[:anchor.end()] + f"\n  <properties>\n    <{name}>{value}</{name}>\n  </properties>" + text[anchor.end():]
    return fn


def bom_managed(bom_poms):
    names = set()
    for p in bom_poms:
        t = open(p, encoding="utf-8").read()
        m = re.search(r"<dependencyManagement>(.*?)</dependencyManagement>", t, re.S)
        for b in DEP.findall(m.group(1) if m else ""):
            if re.search(r"<scope>\s*import\s*</scope>", b):
                continue
            a = re.search(r"<artifactId>\s*([^<\s]+)\s*</artifactId>", b)
            if a:
                names.add(a.group(1))
    return names


def align_to_bom(managed):
    def fn(text):
        dm = re.search(r"<dependencyManagement>.*?</dependencyManagement>", text, re.S)
        dm_span = dm.span() if dm else (-1, -1)

        def one(m):
            b = m.group(0)
            a = re.search(r"<artifactId>\s*([^<\s]+)\s*</artifactId>", b)
            if not a or a.group(1) not in managed or re.search(r"<scope>\s*import\s*</scope>", b):
                return b
            if not re.search(r"<version>", b):
                return b
            if dm_span[0] <= m.start() < dm_span[1]:
                return ""
            return re.sub(r"\s*<version>[^<]*</version>", "", b, count=1)
        return DEP.sub(one, text)
    return fn


def main(argv):
    cmd, args = argv[1], argv[2:]
    if cmd == "strip-test-deps":
        for pom in args:
            text = open(pom, encoding="utf-8").read()
            open(pom, "w", encoding="utf-8").write(strip_test_deps(text))
    elif cmd == "drop-dep":
        edit(args[0], drop_dep(args[1], args[2]), f"drop {args[1]}:{args[2]}")
    elif cmd == "set-dep-version":
        edit(args[0], set_dep_version(args[1], args[2]), f"{args[1]} -> {args[2]}")
    elif cmd == "set-parent":
        edit(args[0], set_parent(*args[1:4]), f"parent -> {':'.join(args[1:4])}", must_change=False)
    elif cmd == "set-bom":
        edit(args[0], set_bom(args[1], args[2]), f"BOM -> {args[1]}:{args[2]}", must_change=False)
    elif cmd == "align-to-bom":
        edit(args[0], align_to_bom(bom_managed(args[1:])), "align to BOM", must_change=False)
    elif cmd == "set-property":
        edit(args[0], set_property(args[1], args[2]), f"{args[1]} = {args[2]}", must_change=False)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
