#!/usr/bin/env python3
"""bench/perf_stacks.py - count perf samples by the functions on their stacks.

`perf report` groups samples by the function they landed in; this groups them by what called it,
which is what a thread-by-thread cost split needs. Botan, OpenSSL and libc have no frame pointers,
so record with DWARF unwinding:

    perf record -F 499 --call-graph dwarf,16384 -p "$(pgrep -o -f daemon/rootgovd)" -o perf.data -- sleep 4
    perf script -i perf.data -F comm,ip,sym > perf.script

Then:

    bench/perf_stacks.py classify perf.script rg-io ed25519=ed25519_verify 'write=async_write|write_response'
        Each sample of the thread named rg-io (`all`: every thread) goes to the first LABEL=REGEX
        whose regex matches one of its frames; the rest are listed by leaf function.
    bench/perf_stacks.py under perf.script rg-authority 'RootZone::check' [DEPTH=1] [TOP=20]
        Samples whose stack holds the function, grouped by the DEPTH frames it called.

Frames are matched with their template and argument lists removed: a name such as
`mutate<... SignedDocument const& ...>` would otherwise match every regex naming a type it
mentions. Percentages are of the thread's samples. Reads only the file it is given.
"""
import collections
import re
import signal
import sys


def strip_lists(frame):
    """`a::f<T>(int) const` -> `a::f const`: drops everything inside <...> and (...), perf's
    `(inlined)` mark included."""
    frame = frame.replace("(anonymous namespace)", "{anon}")
    out, depth = [], 0
    for ch in frame:
        if ch in "<(":
            depth += 1
        elif ch in ">)":
            depth = max(0, depth - 1)
        elif depth == 0:
            out.append(ch)
    return "".join(out).strip()


def samples(path, comm):
    """Yields each sample of thread COMM as its frames, leaf first, names stripped."""
    block = []

    def frames_of(lines):
        if len(lines) < 2 or (comm != "all" and lines[0].split()[0] != comm):
            return None
        return [strip_lists(re.sub(r"^\s*[0-9a-f]+\s+", "", l)) for l in lines[1:]]

    with open(path, errors="replace") as f:
        for line in f:
            if line.strip():
                block.append(line.rstrip("\n"))
                continue
            frames = frames_of(block)
            block = []
            if frames:
                yield frames
    frames = frames_of(block)
    if frames:
        yield frames


def classify(path, comm, rules):
    parsed = []
    for rule in rules:
        label, sep, rx = rule.partition("=")
        if not sep:
            sys.exit(f"perf_stacks.py: '{rule}' is not LABEL=REGEX")
        parsed.append((label, re.compile(rx)))
    labelled, leaves, total = collections.Counter(), collections.Counter(), 0
    for frames in samples(path, comm):
        total += 1
        for label, rx in parsed:
            if any(rx.search(fr) for fr in frames):
                labelled[label] += 1
                break
        else:
            leaves[frames[0][:90]] += 1
    if total == 0:
        sys.exit(f"perf_stacks.py: no samples of a thread named '{comm}' in {path}")
    print(f"{comm}: {total} samples")
    for label, n in labelled.most_common():
        print(f"  {100 * n / total:5.1f}% {label}")
    rest = sum(leaves.values())
    print(f"  {100 * rest / total:5.1f}% none of these; by leaf function:")
    for leaf, n in leaves.most_common(12):
        print(f"      {100 * n / total:5.1f}% {leaf}")


def under(path, comm, anchor, depth, top):
    groups, total, inside = collections.Counter(), 0, 0
    for frames in samples(path, comm):
        total += 1
        hits = [i for i, fr in enumerate(frames) if anchor in fr]
        if not hits:
            continue
        inside += 1
        i = hits[-1]  # the outermost call of the anchor
        callees = frames[max(0, i - depth):i]
        groups[" > ".join(reversed([c[:100] for c in callees])) or "(the function itself)"] += 1
    if total == 0:
        sys.exit(f"perf_stacks.py: no samples of a thread named '{comm}' in {path}")
    print(f"{comm}: {inside} of {total} samples ({100 * inside / total:.1f}%) under {anchor}")
    for key, n in groups.most_common(top):
        print(f"  {100 * n / total:5.1f}% {key}")


def main(argv):
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # quiet when piped into head
    if len(argv) >= 4 and argv[1] == "classify":
        classify(argv[2], argv[3], argv[4:])
    elif len(argv) >= 5 and argv[1] == "under":
        depth = int(argv[5]) if len(argv) > 5 else 1
        top = int(argv[6]) if len(argv) > 6 else 20
        under(argv[2], argv[3], argv[4], depth, top)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
