#!/usr/bin/env python3
"""Finishes the man page `netcfg --generate-manual` writes (stdin or ARGV[1]) into man/netcfg.8:
the options every command (or every edit) shares are described once, the hidden watchdog
goes, and the hand-written parts (man/description.mdoc after DESCRIPTION, man/sections.mdoc
instead of the generic EXIT STATUS) come in."""
import re
import sys

GLOBAL = [".It Fl -root Ar DIR", ".It Fl -json", ".It Fl -no-color", ".It Fl v , -verbose", ".It Fl q , -quiet",
          ".It Fl -netplan-version Ar V", ".It Fl -show-secrets", ".It Fl -version", ".It Fl h , -help"]
EDIT = [".It Fl -dry-run", ".It Fl -file Ar NAME", ".It Fl -new", ".It Fl -apply", ".It Fl -try", ".It Fl -timeout Ar S"]
VERIFY = [".It Fl -no-verify", ".It Fl -verify-timeout Ar S", ".It Fl -check-host Ar IP...", ".It Fl -check-dns Ar NAME...",
          ".It Fl -check-tcp Ar HOST:PORT...", ".It Fl -wait Ar S"]


def items(lines):
    """Splits an option list's body into items (an .It line and what follows it)."""
    out = []
    for line in lines:
        if line.startswith(".It ") or not out:
            out.append([line])
        else:
            out[-1].append(line)
    return out


def leaf_list(lines, i):
    """Whether the list opened at line i holds no list itself (a command's options)."""
    for line in lines[i + 1:]:
        if line.startswith(".Bl"):
            return False
        if line == ".El":
            return True
    return False


def finish(text, description, sections):
    lines = text.split("\n")
    out = []
    i = 0
    depth = 0
    while i < len(lines):
        line = lines[i]
        if line == ".Sh DESCRIPTION":
            out += [line] + description.rstrip("\n").split("\n")
            i += 1
            continue
        if line == '.Sh "EXIT STATUS"':
            # The generic `.Ex -std` gives way to the real codes and the other sections.
            i += 1
            while i < len(lines) and not lines[i].startswith(".Sh"):
                i += 1
            out += sections.rstrip("\n").split("\n")
            continue
        if line.startswith(".Bl"):
            depth += 1
        if line == ".El":
            depth -= 1
        if depth >= 1 and line in (".It Fl -version", ".It Fl h , -help"):
            # Described once, with the options of every command.
            i += 2
            continue
        if depth == 1 and line == ".It Em watchdog":
            # Hidden from --help; an internal of `try`.
            i += 1
            level = 0
            while i < len(lines):
                if lines[i].startswith(".Bl"):
                    level += 1
                elif lines[i] == ".El":
                    level -= 1
                    if level == 0:
                        i += 1
                        break
                i += 1
            continue
        if depth >= 2 and line.startswith(".Bl") and leaf_list(lines, i):
            # A command's option list: drop the shared options, say which groups it takes.
            j = i + 1
            body = []
            while lines[j] != ".El":
                body.append(lines[j])
                j += 1
            kept, heads = [], set()
            for item in items(body):
                head = item[0]
                heads.add(head)
                if head in GLOBAL or head in EDIT or head in VERIFY:
                    continue
                kept += item
            is_edit = ".It Fl -dry-run" in heads
            if kept:
                out += [line] + kept + [".El"]
            depth -= 1
            i = j + 1
            if is_edit:
                out += [".Pp", "Takes the options of every edit command and the verification options."]
            elif ".It Fl -verify-timeout Ar S" in heads:
                if ".It Fl -timeout Ar S" in heads:
                    out += [".Pp", "Takes the verification options and", ".Fl -timeout Ar S", "(see", ".Fl -try ) ."]
                else:
                    out += [".Pp", "Takes the verification options."]
            continue
        out.append(line)
        i += 1
    return "\n".join(out)


if __name__ == "__main__":
    source = open(sys.argv[1]).read() if len(sys.argv) > 1 else sys.stdin.read()
    description = open("man/description.mdoc").read()
    sections = open("man/sections.mdoc").read()
    sys.stdout.write(finish(source, description, sections))
