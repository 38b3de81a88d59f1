#!/usr/bin/env python3
"""Runs clang-tidy (.clang-tidy at the root) over every C++ source of the layer
folders and tools/, and fails on any finding, printing it.

Usage: check_tidy.py ROOT BUILD

Sources are checked in batches: one translation unit per batch of a target's
sources, each source #included in turn, the batch compiled with the flags of
the target (from BUILD/compile_commands.json). clang-tidy spends most of its
time matching inside CAF's, Beast's and protobuf's headers, which every source
includes again; a batch pays for them once. Findings still name the source
file and line, and .clang-tidy's HeaderFilterRegex admits our own files
(sources and headers) while third-party headers stay muted.

A batch's result (its findings, or none) is kept in a cache outside the
checkout, as ccache keeps objects: $TASKFLOW_TIDY_CACHE, else
$XDG_CACHE_HOME/taskflow/clang-tidy, else ~/.cache/taskflow/clang-tidy. Its key
is the content of every file the batch includes (the compiler's own -M list,
system headers too), the compile arguments, .clang-tidy, this script's
clang-tidy arguments and clang-tidy's version, so a batch runs again exactly
when something clang-tidy reads changed. Paths inside the checkout and the build
directory enter the key relative to them, so a fresh clone of the same sources
reuses the results. Entries unused for 30 days go.
"""

import hashlib
import json
import os
import re
import shlex
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

LAYERS = ("messages", "actors", "persistence", "cluster", "runtime", "http-edge", "tools")
BATCH = 12  # sources per translation unit: small enough that both cores stay busy
FINDING = re.compile(r"^/.*: (warning|error): ")
UNITY_INCLUDE = re.compile(r'^#include "([^"]+)"', re.MULTILINE)
TIDY_ARGS = [
    "--quiet",
    # the batch file includes .cpp files on purpose
    "--checks=-bugprone-suspicious-include",
    # GCC-only warning flags in the compile commands mean nothing to clang
    "--extra-arg=-Wno-unknown-warning-option",
]
CACHE_DAYS = 30


def cache_dir():
    if os.environ.get("TASKFLOW_TIDY_CACHE"):
        return os.environ["TASKFLOW_TIDY_CACHE"]
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "taskflow", "clang-tidy")


class FileDigests:
    """SHA-256 of files by path, each file read once per run (batches share
    most of their headers)."""

    def __init__(self):
        self._known = {}
        self._lock = threading.Lock()

    def of(self, path):
        with self._lock:
            if path in self._known:
                return self._known[path]
        with open(path, "rb") as f:
            digest = hashlib.sha256(f.read()).hexdigest()
        with self._lock:
            self._known[path] = digest
        return digest


def compile_args(entry):
    """The entry's compiler arguments without its source, output and the GCC
    precompiled header (clang refuses GCC's .gch)."""
    args = entry["arguments"] if "arguments" in entry else shlex.split(entry["command"])
    kept, skip = [], False
    for arg in args:
        if skip:
            skip = False
            continue
        if arg in ("-o", "-include", "-MF", "-MT"):
            # -include is only ever the precompiled header (cmake/precompiled_headers.cmake)
            skip = True
            continue
        if arg in ("-c", "-MD", "-Winvalid-pch") or arg == entry["file"]:
            continue
        kept.append(arg)
    return kept


def sources_of(entry):
    """The sources an entry compiles: its own file, or in a unity build
    (cmake/unity_build.cmake) those its batch file #includes."""
    path = os.path.realpath(os.path.join(entry["directory"], entry["file"]))
    if os.sep + "Unity" + os.sep not in path:
        return [path]
    with open(path) as f:
        return [os.path.realpath(m.group(1)) for m in UNITY_INCLUDE.finditer(f.read())]


def object_of(entry):
    if "output" in entry:
        return entry["output"]
    args = entry["arguments"] if "arguments" in entry else shlex.split(entry["command"])
    return args[args.index("-o") + 1] if "-o" in args else ""


def main():
    root, build = (os.path.realpath(p) for p in sys.argv[1:3])
    database = os.path.join(build, "compile_commands.json")
    if not os.path.exists(database):
        print(f"check_tidy: no {database}")
        return 1
    if subprocess.run(["sh", "-c", "command -v clang-tidy"], stdout=subprocess.DEVNULL).returncode:
        print("check_tidy: clang-tidy is not installed (tools/deps/install test)")
        return 1

    prefixes = tuple(os.path.join(root, layer) + os.sep for layer in LAYERS)
    targets = {}
    for entry in json.load(open(database)):
        # The object "CMakeFiles/<target>.dir/<path>.o": sources of one target share their flags.
        target = re.search(r"CMakeFiles/([^/]+)\.dir/", object_of(entry))
        for source in sources_of(entry):
            if not source.startswith(prefixes) or not source.endswith(".cpp"):
                continue
            key = target.group(1) if target else os.path.dirname(source)
            if key not in targets:
                targets[key] = {"args": compile_args(entry), "dir": entry["directory"], "sources": []}
            targets[key]["sources"].append(source)
    on_disk = {os.path.realpath(os.path.join(dirpath, name))
               for layer in LAYERS
               for dirpath, _, names in os.walk(os.path.join(root, layer))
               for name in names if name.endswith(".cpp")}
    listed = {s for t in targets.values() for s in t["sources"]}
    unbuilt = sorted(on_disk - listed)
    if unbuilt:
        print("check_tidy: sources no target compiles (so clang-tidy cannot check them):")
        print("\n".join("  " + os.path.relpath(s, root) for s in unbuilt))
        return 1

    tidy_dir = os.path.join(build, "tidy")
    os.makedirs(tidy_dir, exist_ok=True)
    commands = []
    for name, target in sorted(targets.items()):
        sources = sorted(target["sources"])
        for start in range(0, len(sources), BATCH):
            unit = os.path.join(tidy_dir, f"{name}_{start // BATCH}.cpp")
            text = "".join(f'#include "{s}"\n' for s in sources[start:start + BATCH])
            if not os.path.exists(unit) or open(unit).read() != text:
                with open(unit, "w") as f:
                    f.write(text)
            commands.append({"directory": target["dir"], "file": unit,
                             "arguments": target["args"] + ["-c", unit]})
    with open(os.path.join(tidy_dir, "compile_commands.json"), "w") as f:
        json.dump(commands, f, indent=1)

    config = os.path.join(root, ".clang-tidy")
    version = subprocess.run(["clang-tidy", "--version"], stdout=subprocess.PIPE, text=True).stdout
    tool_key = hashlib.sha256("\0".join([version, open(config).read()] + TIDY_ARGS).encode()).hexdigest()
    digests = FileDigests()
    cache = cache_dir()

    def portable(text):
        """Paths inside the checkout and the build made relative, so that
        another clone of the same sources (CI's fresh one) finds the results."""
        return text.replace(build, "@BUILD@").replace(root, "@ROOT@")
    os.makedirs(cache, exist_ok=True)

    def batch_key(command):
        """The key of a batch's result, or None when its includes cannot be
        listed (then it runs, uncached)."""
        args = command["arguments"][:-2]  # without "-c UNIT"
        listed = subprocess.run(args + ["-M", command["file"]], cwd=command["directory"],
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        if listed.returncode != 0:
            return None
        deps = listed.stdout.replace("\\\n", " ").split()[1:]
        key = hashlib.sha256(tool_key.encode())
        key.update(portable("\0".join(args)).encode())
        # The batch file itself names its sources by absolute path.
        key.update(portable(open(command["file"]).read()).encode())
        for dep in deps:
            path = os.path.realpath(os.path.join(command["directory"], dep))
            if path != command["file"]:
                key.update(f"\0{portable(path)}\0{digests.of(path)}".encode())
        return key.hexdigest()

    def run_tidy(unit):
        done = subprocess.run(["clang-tidy", "-p", tidy_dir, f"--config-file={config}"] + TIDY_ARGS + [unit],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        findings = [line for line in done.stdout.splitlines() if FINDING.match(line)]
        if done.returncode != 0 and not findings:
            return [f"{unit}: error: clang-tidy failed: {done.stdout.strip()[-2000:]}"], False
        return findings, True

    def tidy(command):
        """The batch's findings, and whether they came from the cache."""
        key = batch_key(command)
        entry = os.path.join(cache, key) if key else None
        if entry and os.path.exists(entry):
            os.utime(entry)
            text = open(entry).read().replace("@BUILD@", build).replace("@ROOT@", root)
            return text.splitlines(), True
        findings, complete = run_tidy(command["file"])
        if entry and complete:
            with open(entry + ".tmp", "w") as f:
                f.write("".join(portable(line) + "\n" for line in findings))
            os.replace(entry + ".tmp", entry)
        return findings, False

    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        results = list(pool.map(tidy, commands))
    findings = sorted({line for lines, _ in results for line in lines})
    hits = sum(1 for _, cached in results if cached)
    stale = time.time() - CACHE_DAYS * 86400
    for name in os.listdir(cache):
        path = os.path.join(cache, name)
        try:
            if os.path.getmtime(path) < stale:
                os.remove(path)
        except FileNotFoundError:
            pass  # another run's entry, renamed or removed meanwhile
    for line in findings:
        print(line)
    print(f"check_tidy: {len(listed)} files in {len(commands)} batches checked "
          f"({hits} unchanged since a cached run in {cache}), {len(findings)} findings")
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
