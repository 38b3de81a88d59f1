#!/usr/bin/env python3
"""Checks ARCHITECTURE.md's dependency rule on a source tree.

Also: no aggregate under actors/ includes another's folder. Two views of the
layer rule, so neither can drift: the #include graph of every
source file in a layer folder, and the target_link_libraries of each layer's
CMake target. Third-party headers that mean I/O are banned from the domain
layers outright. Exit status 1 and one line per violation when broken.

usage: check_layers.py [ROOT]
"""
import pathlib
import re
import sys

# Which of our layers each layer may include or link. A layer may always use itself.
ALLOWED = {
    "messages": set(),
    "actors": {"messages"},
    "persistence": {"actors", "messages"},
    "cluster": {"actors", "messages"},
    "runtime": {"actors", "messages", "persistence", "cluster"},
    "http-edge": {"runtime", "messages"},
}
TARGETS = {f"taskflow_{layer.replace('-', '_')}": layer for layer in ALLOWED}

# "Domain logic never includes a database, NATS or HTTP header", and the edge
# never reaches a store.
BANNED_THIRD_PARTY = {
    "messages": ["sqlite3", "pqxx", "nats", "hiredis", "boost/beast", "boost/asio", "spdlog", "prometheus"],
    "actors": ["sqlite3", "pqxx", "nats", "hiredis", "boost/beast", "boost/asio", "spdlog", "prometheus"],
    "http-edge": ["sqlite3", "pqxx", "nats", "hiredis"],
}

# Each aggregate under actors/ stands alone: it uses the ports, the shell and
# the shared vocabulary in messages/, never another aggregate's folder.
AGGREGATES = ("task", "user", "session", "credential", "notification")

INCLUDE = re.compile(r'^\s*#\s*include\s*[<"]([^">]+)[">]', re.MULTILINE)
LINK = re.compile(r"target_link_libraries\(\s*(\S+)([^)]*)\)", re.DOTALL)
SOURCE_SUFFIXES = {".hpp", ".cpp", ".h", ".cc", ".ipp"}


def includes(root: pathlib.Path, folder: pathlib.Path):
    """Yields (where, header) for every #include of every source under folder."""
    if not folder.is_dir():
        return
    for path in sorted(folder.rglob("*")):
        if path.suffix not in SOURCE_SUFFIXES:
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        for match in INCLUDE.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            yield f"{path.relative_to(root)}:{line}", match.group(1)


def include_violations(root: pathlib.Path):
    for layer, allowed in ALLOWED.items():
        for where, header in includes(root, root / layer):
            first = header.split("/", 1)[0]
            if first in ALLOWED and first != layer and first not in allowed:
                yield f"{where}: {layer} must not include {header} ({first} is not among {sorted(allowed) or 'nothing'})"
            for banned in BANNED_THIRD_PARTY.get(layer, []):
                if header.startswith(banned):
                    yield f"{where}: {layer} must not include the I/O header {header}"


def aggregate_violations(root: pathlib.Path):
    for aggregate in AGGREGATES:
        for where, header in includes(root, root / "actors" / aggregate):
            parts = header.split("/")
            if len(parts) > 2 and parts[0] == "actors" and parts[1] in AGGREGATES and parts[1] != aggregate:
                yield (f"{where}: the {aggregate} aggregate must not include {header} "
                       "(another aggregate; shared vocabulary lives in messages/)")


def link_violations(root: pathlib.Path):
    for layer, allowed in ALLOWED.items():
        cmake = root / layer / "CMakeLists.txt"
        if not cmake.is_file():
            continue
        for target, args in LINK.findall(cmake.read_text(encoding="utf-8")):
            owner = TARGETS.get(target)
            if owner is None:
                continue
            for word in args.split():
                used = TARGETS.get(word)
                if used and used != owner and used not in ALLOWED[owner]:
                    yield f"{cmake.relative_to(root)}: {target} must not link {word}"


def main(argv):
    root = pathlib.Path(argv[1] if len(argv) > 1 else ".").resolve()
    violations = list(include_violations(root)) + list(aggregate_violations(root)) + list(link_violations(root))
    for v in violations:
        print(v)
    layers = [layer for layer in ALLOWED if (root / layer).is_dir()]
    print(f"check_layers: {len(layers)} layers checked, {len(violations)} violations")
    return 1 if violations else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
