"""A throwaway PostgreSQL server for the test suite, started from the machine's binaries.

`start()` finds `initdb`/`pg_ctl` (installing Debian's `postgresql` package when they are
missing and we may), creates a cluster in a temp dir, starts it on a free loopback port and
returns its URL. PostgreSQL refuses to run as root, so as root it runs as `postgres`.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path


@dataclass
class PgServer:
    url: str
    datadir: Path
    bin_dir: Path
    as_user: list[str]

    def stop(self) -> None:
        subprocess.run(
            [
                *self.as_user,
                str(self.bin_dir / "pg_ctl"),
                "-D",
                str(self.datadir),
                "-m",
                "immediate",
                "stop",
            ],
            check=False,
            capture_output=True,
        )
        shutil.rmtree(self.datadir.parent, ignore_errors=True)


def _bin_dir() -> Path:
    found = shutil.which("pg_ctl")
    candidates = [found] if found else []
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), reverse=True)
    for candidate in candidates:
        if candidate and Path(candidate).exists():
            return Path(os.path.realpath(candidate)).parent
    if os.geteuid() == 0 and shutil.which("apt-get"):
        subprocess.run(["apt-get", "update", "-qq"], check=False, capture_output=True)
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", "postgresql"],
            check=True,
            capture_output=True,
            env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
        )
        return _bin_dir()
    raise RuntimeError(
        "PostgreSQL server binaries (initdb, pg_ctl) not found; install the postgresql package"
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start() -> PgServer:
    bin_dir = _bin_dir()
    root = Path(tempfile.mkdtemp(prefix="icrm-pg-"))
    datadir = root / "data"
    as_user: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
        os.chmod(root, 0o700)
        as_user = ["runuser", "-u", "postgres", "--"]
    port = free_port()
    subprocess.run(
        [
            *as_user,
            str(bin_dir / "initdb"),
            "-D",
            str(datadir),
            "-U",
            "icrm",
            "--auth=trust",
            "--encoding=UTF8",
            "--locale=C",
            "--no-sync",
        ],
        check=True,
        capture_output=True,
    )
    options = f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
    subprocess.run(
        [
            *as_user,
            str(bin_dir / "pg_ctl"),
            "-D",
            str(datadir),
            "-o",
            options,
            "-l",
            str(root / "log"),
            "-w",
            "start",
        ],
        check=True,
        capture_output=True,
    )
    subprocess.run(
        [
            *as_user,
            str(bin_dir / "createdb"),
            "-h",
            "127.0.0.1",
            "-p",
            str(port),
            "-U",
            "icrm",
            "icrm_test",
        ],
        check=True,
        capture_output=True,
    )
    return PgServer(
        f"postgresql+psycopg://icrm@127.0.0.1:{port}/icrm_test", datadir, bin_dir, as_user
    )


if __name__ == "__main__":  # manual use: python -m tests.pg
    server = start()
    print(server.url)
