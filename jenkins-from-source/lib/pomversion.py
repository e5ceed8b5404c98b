#!/usr/bin/env python3
"""Prints the -D properties that make a POM's own <version> come out as the wanted version.

Jenkins repositories write their version as an expression of ${revision} and ${changelist}
("${revision}.${changelist}", "${changelist}", "${revision}${changelist}") and let a Maven
extension fill it in from git. We build at a fixed commit instead, so we give both properties.

usage: pomversion.py POM WANTED_VERSION
prints: -Drevision=... -Dchangelist=...   (or nothing when the version is written out literally)
exits 1 with a message when the POM's version cannot become WANTED_VERSION.
"""
import re
import sys
import xml.etree.ElementTree as ET


def main(pom, wanted):
    root = ET.parse(pom).getroot()
    ns = {"m": root.tag[1:].split("}")[0]} if root.tag.startswith("{") else {}
    node = root.find("m:version", ns) if ns else root.find("version")
    if node is None:  # inherits the parent's version
        node = root.find("m:parent/m:version", ns) if ns else root.find("parent/version")
    expr = (node.text or "").strip()
    if "${" not in expr:
        if expr != wanted:
            sys.exit(f"{pom}: its version is {expr}, not {wanted}")
        return
    props = root.find("m:properties", ns) if ns else root.find("properties")
    defaults = {}
    if props is not None:
        for child in props:
            defaults[child.tag.split("}")[-1]] = (child.text or "").strip()
    # The POM's own defaults may give the version already (a release tag: revision 2.555.3, changelist empty).
    def expand(values):
        return re.sub(r"\$\{(revision|changelist)\}", lambda m: values.get(m.group(1), m.group(0)), expr)
    if expand(defaults) == wanted:
        return
    if "revision" in defaults and wanted.startswith(defaults["revision"]) and "${changelist}" in expr:
        attempt = dict(defaults, changelist=wanted[len(defaults["revision"]):].lstrip("." if "${revision}.${changelist}" in expr else ""))
        if expand(attempt) == wanted:
            print(f"-Dchangelist={attempt['changelist']}")
            return
    pattern, names = "", []
    for part in re.split(r"(\$\{[^}]+\})", expr):
        m = re.fullmatch(r"\$\{([^}]+)\}", part)
        if m:
            name = m.group(1)
            if name not in ("revision", "changelist"):
                sys.exit(f"{pom}: its version {expr} uses ${{{name}}}; only revision and changelist are supported")
            names.append(name)
            # revision is a leading number group (1, 2.4, 6); changelist takes the rest
            pattern += f"(?P<{name}>[0-9.]*?)" if name == "revision" else f"(?P<{name}>.*)"
        else:
            pattern += re.escape(part)
    m = re.fullmatch(pattern, wanted)
    if not m:
        sys.exit(f"{pom}: its version {expr} cannot become {wanted}")
    print(" ".join(f"-D{n}={m.group(n)}" for n in names))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
