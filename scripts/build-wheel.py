#!/usr/bin/env python3
"""Builds the Python wheel that carries a self-contained alembic-lsp binary, with the
standard library only (zipfile + RECORD written here; no network, no build backend).

  scripts/build-wheel.py --binary dist-static/alembic-lsp-linux-x86_64 --arch x86_64 --out dist/
  scripts/build-wheel.py --binary dist-windows/alembic-lsp.exe --arch win_amd64 --out dist/

`pip install alembic_lsp-<version>-py3-none-manylinux_2_17_<arch>.whl` (and `pipx install`,
`uv tool install` from the file) puts `alembic-lsp` on PATH: the binary is the wheel's
only script (alembic_lsp-<version>.data/scripts/alembic-lsp). The small `alembic_lsp`
package adds `python -m alembic_lsp ARGS`, which runs the same binary.

The tag: the binary is fully static (no ELF interpreter, no NEEDED), so it needs no glibc at
all; manylinux_2_17 (glibc 2.17, CentOS 7 and everything newer) is the oldest tag current
pip/uv understand for aarch64 as well, and therefore an honest floor. The build refuses a
binary that is not static or not for --arch, so the tag cannot lie.

Windows (--arch win_amd64): the tag is py3-none-win_amd64 and the script is
alembic_lsp-<version>.data/scripts/alembic-lsp.exe (pip copies a script that is no
`#!python` file as it is, into Scripts\\, which is on PATH in a venv and for pipx / uv tool).
The build refuses a file that is not a PE executable for x86-64 (scripts/build-windows.sh
checks that it imports only DLLs every Windows ships).

Reproducible: entries sorted, timestamps from SOURCE_DATE_EPOCH (default: the last commit's
time, else 1980-01-01), fixed permissions."""

import argparse
import base64
import hashlib
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ELF_MACHINE = {"x86_64": 62, "aarch64": 183}
WINDOWS_ARCH = {"win_amd64": 0x8664}  # the wheel platform tag -> the PE header's Machine


def project_version():
    text = (ROOT / "CMakeLists.txt").read_text()
    match = re.search(r"project\(alembic-lsp VERSION ([0-9][0-9.]*)", text)
    if not match:
        sys.exit("build-wheel: no version in CMakeLists.txt's project()")
    return match.group(1)


def check_binary(path, arch):
    """The ELF header names `arch`, and there is no interpreter and no dynamic section (for
    win_amd64: a PE executable for x86-64)."""
    try:
        data = path.read_bytes()
    except OSError as error:
        sys.exit(f"build-wheel: cannot read the binary {path}: {error.strerror}")
    if arch in WINDOWS_ARCH:
        return check_pe(path, data, arch)
    if data[:4] != b"\x7fELF" or data[4] != 2:
        sys.exit(f"build-wheel: {path} is not a 64-bit ELF executable")
    machine = int.from_bytes(data[18:20], "little")
    if machine != ELF_MACHINE[arch]:
        sys.exit(f"build-wheel: {path} is for ELF machine {machine}, not {arch}")
    phoff = int.from_bytes(data[32:40], "little")
    phentsize = int.from_bytes(data[54:56], "little")
    phnum = int.from_bytes(data[56:58], "little")
    for i in range(phnum):
        kind = int.from_bytes(data[phoff + i * phentsize:phoff + i * phentsize + 4], "little")
        if kind == 3:  # PT_INTERP
            sys.exit(f"build-wheel: {path} is dynamically linked; build it with scripts/build-static.sh")
        if kind == 2:  # PT_DYNAMIC (static-pie has one, but this project builds plain static)
            sys.exit(f"build-wheel: {path} has a dynamic section; build it with scripts/build-static.sh")


def check_pe(path, data, arch):
    """An MZ header whose PE header names the machine of `arch` and marks an executable."""
    pe = int.from_bytes(data[60:64], "little") if len(data) >= 64 and data[:2] == b"MZ" else -1
    if pe < 0 or data[pe:pe + 4] != b"PE\0\0":
        sys.exit(f"build-wheel: {path} is not a Windows executable (no PE header)")
    machine = int.from_bytes(data[pe + 4:pe + 6], "little")
    characteristics = int.from_bytes(data[pe + 22:pe + 24], "little")
    if machine != WINDOWS_ARCH[arch]:
        sys.exit(f"build-wheel: {path} is for PE machine {machine:#x}, not {arch}")
    if not characteristics & 0x0002 or characteristics & 0x2000:  # EXECUTABLE_IMAGE, not DLL
        sys.exit(f"build-wheel: {path} is not an executable image (a DLL or an object file?)")


# python -m alembic_lsp: finds the binary wherever pip put the scripts (a venv, --user,
# --prefix, --target) and refuses another machine in one line before the kernel does.
MAIN_PY = '''"""python -m alembic_lsp ARGS: runs the alembic-lsp this wheel installed."""
import os
import platform
import sys
import sysconfig

ARCH = "@ARCH@"
here = os.path.dirname(os.path.abspath(__file__))
machine = platform.machine()
if machine != ARCH:
    sys.exit(f"alembic-lsp: this wheel carries the linux-{ARCH} binary and this machine is "
             f"{sys.platform}-{machine}: install the alembic_lsp wheel built for {machine}")
candidates = [os.path.join(sysconfig.get_path("scripts"), "alembic-lsp"),
              os.path.join(sysconfig.get_path("scripts", f"{os.name}_user"), "alembic-lsp"),
              os.path.join(here, os.pardir, "bin", "alembic-lsp"),
              os.path.join(here, os.pardir, os.pardir, os.pardir, os.pardir, "bin", "alembic-lsp")]
binary = next((c for c in candidates if os.access(c, os.X_OK)), None)
if binary is None:
    sys.exit("alembic-lsp: the alembic-lsp script of this wheel is missing; reinstall alembic_lsp")
try:
    os.execv(binary, [binary] + sys.argv[1:])
except OSError as error:
    sys.exit(f"alembic-lsp: cannot run {binary}: {error.strerror}")
'''


# The same on Windows: runs Scripts\alembic-lsp.exe as a child (no exec there) and exits
# with its status.
MAIN_PY_WINDOWS = '''"""python -m alembic_lsp ARGS: runs the alembic-lsp.exe this wheel installed."""
import os
import platform
import subprocess
import sys
import sysconfig

here = os.path.dirname(os.path.abspath(__file__))
machine = platform.machine()
if sys.platform != "win32" or machine.upper() not in ("AMD64", "X86_64"):
    sys.exit(f"alembic-lsp: this wheel carries the win32-x64 alembic-lsp.exe and this machine is "
             f"{sys.platform}-{machine}: install the alembic_lsp wheel built for it")
candidates = [os.path.join(sysconfig.get_path("scripts"), "alembic-lsp.exe"),
              os.path.join(sysconfig.get_path("scripts", "nt_user"), "alembic-lsp.exe"),
              os.path.join(here, os.pardir, "bin", "alembic-lsp.exe"),
              os.path.join(here, os.pardir, "Scripts", "alembic-lsp.exe")]
binary = next((c for c in candidates if os.path.isfile(c)), None)
if binary is None:
    sys.exit("alembic-lsp: the alembic-lsp.exe of this wheel is missing; reinstall alembic_lsp")
try:
    sys.exit(subprocess.call([binary] + sys.argv[1:]))
except OSError as error:
    sys.exit(f"alembic-lsp: cannot run {binary}: {error.strerror}")
'''


def source_date_epoch():
    if "SOURCE_DATE_EPOCH" in os.environ:
        return int(os.environ["SOURCE_DATE_EPOCH"])
    try:
        return int(subprocess.run(["git", "-C", str(ROOT), "log", "-1", "--format=%ct"],
                                  capture_output=True, text=True, check=True).stdout)
    except (OSError, subprocess.CalledProcessError, ValueError):
        return 315532800


def record_hash(data):
    return "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--binary", required=True, type=Path)
    parser.add_argument("--arch", required=True, choices=sorted(ELF_MACHINE) + sorted(WINDOWS_ARCH))
    parser.add_argument("--out", required=True, type=Path)
    args = parser.parse_args()
    check_binary(args.binary, args.arch)

    version = project_version()
    windows = args.arch in WINDOWS_ARCH
    tag = f"py3-none-{args.arch}" if windows else f"py3-none-manylinux_2_17_{args.arch}"
    dist_info = f"alembic_lsp-{version}.dist-info"
    data_dir = f"alembic_lsp-{version}.data"
    readme = (ROOT / "README.md").read_text()
    summary = ("Language server and CI checker for Alembic migration directories "
               "(static binary, no Python runtime dependency)")

    files = {}  # archive name -> (bytes, executable)
    files[f"{data_dir}/scripts/alembic-lsp" + (".exe" if windows else "")] = (args.binary.read_bytes(), True)
    files["alembic_lsp/__init__.py"] = (
        f'"""alembic-lsp {version}: the binary is installed as the `alembic-lsp` script."""\n\n'
        f'__version__ = "{version}"\n'.encode(), False)
    main_py = MAIN_PY_WINDOWS if windows else MAIN_PY.replace("@ARCH@", args.arch)
    files["alembic_lsp/__main__.py"] = (main_py.encode(), False)
    # The rule pages diagnostics link to: installed as <prefix>/share/doc/alembic-lsp/rules,
    # beside <prefix>/bin/alembic-lsp, where the binary looks (server/rule_pages.h); on
    # Windows <prefix>\share\doc\alembic-lsp\rules beside <prefix>\Scripts\alembic-lsp.exe.
    for page in sorted((ROOT / "docs" / "rules").glob("*.md")):
        files[f"{data_dir}/data/share/doc/alembic-lsp/rules/{page.name}"] = (page.read_bytes(), False)
    # The MIT licence travels in the wheel (dist-info/licenses/, where PEP 639 puts it) and
    # is named by the metadata; tests/e2e/test_licence.py checks both.
    if not (ROOT / "LICENSE").is_file():
        sys.exit(f"build-wheel: {ROOT / 'LICENSE'} is missing; a wheel without its licence may not be shipped")
    files[f"{dist_info}/licenses/LICENSE"] = ((ROOT / "LICENSE").read_bytes(), False)
    metadata = "\n".join([
        "Metadata-Version: 2.1",
        "Name: alembic-lsp",
        f"Version: {version}",
        f"Summary: {summary}",
        "License: MIT",
        "License-File: LICENSE",
        "Requires-Python: >=3.7",
        "Classifier: License :: OSI Approved :: MIT License",
        "Classifier: Operating System :: " + ("Microsoft :: Windows" if windows else "POSIX :: Linux"),
        "Classifier: Programming Language :: Python :: 3",
        "Classifier: Topic :: Database",
        "Description-Content-Type: text/markdown",
        "", readme])
    files[f"{dist_info}/METADATA"] = (metadata.encode(), False)
    files[f"{dist_info}/WHEEL"] = ("\n".join([
        "Wheel-Version: 1.0", "Generator: alembic-lsp scripts/build-wheel.py",
        "Root-Is-Purelib: false", f"Tag: {tag}", ""]).encode(), False)
    files[f"{dist_info}/top_level.txt"] = (b"alembic_lsp\n", False)

    record = [f"{name},{record_hash(data)},{len(data)}" for name, (data, _) in sorted(files.items())]
    record.append(f"{dist_info}/RECORD,,")
    files[f"{dist_info}/RECORD"] = (("\n".join(record) + "\n").encode(), False)

    args.out.mkdir(parents=True, exist_ok=True)
    wheel = args.out / f"alembic_lsp-{version}-{tag}.whl"
    stamp = max(source_date_epoch(), 315532800)
    date_time = __import__("time").gmtime(stamp)[:6]
    # RECORD last, as the spec recommends; everything else sorted.
    names = sorted(n for n in files if not n.endswith("/RECORD")) + [f"{dist_info}/RECORD"]
    with zipfile.ZipFile(wheel, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in names:
            data, executable = files[name]
            info = zipfile.ZipInfo(name, date_time=date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = ((0o100755 if executable else 0o100644) << 16)
            info.create_system = 3
            archive.writestr(info, data, compresslevel=9)
    print(wheel)


if __name__ == "__main__":
    main()
