"""How fast the bot acknowledges Slack, next to a bare Bolt app on the same server settings.

    python bench/ack_latency.py [--rate 100] [--duration 30] [--projects 5000] [--sqlite]
                                [--saturate-duration 20] [--concurrency 32] [--quick]

It seeds a database at scale (bench/seed.py; a throwaway PostgreSQL by default), starts the
fake Slack Web API (tests/fake_slack.py, in its own process) and the Procfile's `web:`
command (gunicorn) pointed at both, then sends signed Slack requests: `/icrm help` in project
channels and `project_setup` view submissions (a PM editing their project). Two phases:

* fixed rate, open loop: requests leave on a fixed schedule whatever the latency, and the
  latency of each is counted from its scheduled time, so a slow server cannot hide its
  queueing by slowing the client down (no coordinated omission);
* saturation, closed loop: `--concurrency` connections send back to back.

Then the same against bench/bare_bolt.py under the same gunicorn command, and the ratios.
The client is one asyncio thread speaking HTTP/1.1 keep-alive on raw sockets, so it takes
little CPU from the server on a small machine; the output says how much it used.

A benchmark prints numbers; it is not a test (`make bench` runs it, `make test` does not).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import os
import random
import shlex
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script: make `bench` and `tests` importable
    sys.path.insert(0, str(ROOT))

from bench.seed import Seeded, SeededProject, seed  # noqa: E402
from bot.forms import Form  # noqa: E402
from bot.i18n import translator  # noqa: E402
from bot.services.projects import ProjectField  # noqa: E402
from handlers.projects.commands import SetupMeta  # noqa: E402
from handlers.projects.views import setup_modal  # noqa: E402
from storage.db import make_engine  # noqa: E402
from storage.migrate import upgrade  # noqa: E402
from tests.fake_slack import TEAM_ID  # noqa: E402
from tests.slack_driver import sign, state_of  # noqa: E402

BOT_TOKEN = "xoxb-bench-1234567890-secret"
SIGNING_SECRET = "bench-signing-secret-0123456789"
PATH = "/slack/events"
HELP, SETUP = "/icrm help", "setup submit"
KINDS = (HELP, SETUP)
BARE_APP = "bench.bare_bolt:create_wsgi_app()"


# -- processes --------------------------------------------------------------------------
def stop_all(*started: Any) -> None:
    """Stop each of the servers `started`, in that order (None: it never started)."""
    for one in started:
        if one is not None:
            one.stop()


def procfile_web() -> str:
    for line in (ROOT / "Procfile").read_text().splitlines():
        if line.startswith("web:"):
            return line.split(":", 1)[1].strip()
    raise SystemExit("no web: line in the Procfile")


def with_app(command: str, app: str) -> str:
    """The `web:` command serving `app` instead of its own WSGI app (its last word)."""
    return command.rstrip().rsplit(None, 1)[0] + " " + shlex.quote(app)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time of `pids` so far (Linux /proc)."""
    total = 0
    for pid in pids:
        with contextlib.suppress(OSError):
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def postgres_pids(server: Any) -> list[int]:
    """The postmaster of a tests/pg.py server and its backends."""
    try:
        postmaster = int((server.datadir / "postmaster.pid").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return []
    return [postmaster, *children(postmaster)]


class FakeSlackProcess:
    """tests/fake_slack.py in a process of its own, so it does not share the client's GIL."""

    def __init__(self) -> None:
        code = (
            "import sys; from tests.fake_slack import FakeSlack; fake = FakeSlack().start(); "
            "print(fake.api_url, flush=True); sys.stdin.read()"
        )
        self.process = subprocess.Popen(
            [sys.executable, "-c", code],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        self.api_url = self.process.stdout.readline().strip()
        self.base_url = self.api_url.removesuffix("api/")

    def stop(self) -> None:
        if self.process.stdin:
            self.process.stdin.close()
        self.process.wait(timeout=10)


class WebProcess:
    """The `web:` command (gunicorn) on a free port, its access log to a file."""

    def __init__(self, command: str, env: dict[str, str], log: Path) -> None:
        self.port = free_port()
        self.log = log
        bin_dir = str(Path(sys.executable).parent)
        self.process = subprocess.Popen(
            ["bash", "-c", "exec " + command],
            env={
                **os.environ,
                **env,
                "PORT": str(self.port),
                "PATH": bin_dir + os.pathsep + os.environ.get("PATH", ""),
            },
            cwd=ROOT,
            stdout=log.open("wb"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self._wait_ready()

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"the web process exited:\n{self.log.read_text()[-3000:]}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock:
                    sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                    if sock.recv(16).startswith(b"HTTP/1.1"):
                        return
            except OSError:
                time.sleep(0.2)
        raise SystemExit("the web process did not start listening in 60 s")

    def pids(self) -> list[int]:
        return [self.process.pid, *children(self.process.pid)]

    def workers(self) -> int:
        return len(children(self.process.pid))

    def stop(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


# -- requests ---------------------------------------------------------------------------
@dataclass
class Requests:
    """Pre-built request bodies per kind, cycled through; signed when sent."""

    bodies: dict[str, list[bytes]]
    _next: dict[str, Iterator[bytes]] = field(default_factory=dict)

    def body(self, kind: str) -> bytes:
        if kind not in self._next:
            self._next[kind] = itertools.cycle(self.bodies[kind])
        return next(self._next[kind])


def command_body(
    project: SeededProject, user: str, command: str, text: str, n: int, base: str
) -> bytes:
    return urllib.parse.urlencode(
        {
            "token": "legacy",
            "team_id": TEAM_ID,
            "team_domain": "bench",
            "channel_id": project.channel_id,
            "channel_name": f"chan-{project.channel_id}",
            "user_id": user,
            "user_name": user.lower(),
            "command": command,
            "text": text,
            "api_app_id": "ABENCH",
            "response_url": f"{base}response/cmd-{n}",
            "trigger_id": f"trigger-{n}",
        }
    ).encode()


def help_body(project: SeededProject, fake_base: str, n: int) -> bytes:
    user = project.members[n % len(project.members)]
    return command_body(project, user, "/icrm", "help", n, fake_base)


def setup_body(project: SeededProject, n: int) -> bytes:
    """The PM of `project` saving its set-up modal with a new name (every value valid)."""
    tr = translator(project.locale)
    form = Form.of(
        ProjectField,
        code=project.code,
        name=f"Benchmark project {project.id}",
        currency="CNY",
        total_budget=str(10_000_000 + (project.id % 1000) * 1_000_000),
        timezone="Asia/Shanghai",
        locale=project.locale,
        meeting_weekday=str(project.id % 5),
        meeting_time="10:00",
        report_anchor="2026-01-05",
        pms=[project.pm],
    )
    metadata = SetupMeta(channel_id=project.channel_id).model_dump_json()
    view = setup_modal(form, tr, editing=True, metadata=metadata).to_dict()
    values = {"name": f"Benchmark project {project.id} (revision {n})"}
    payload = {
        "type": "view_submission",
        "team": {"id": TEAM_ID, "domain": "bench"},
        "user": {"id": project.pm, "team_id": TEAM_ID, "name": project.pm.lower()},
        "api_app_id": "ABENCH",
        "trigger_id": f"trigger-s{n}",
        "view": {
            **view,
            "id": f"VB{n}",
            "team_id": TEAM_ID,
            "state": {"values": state_of(view, values)},
        },
        "response_urls": [],
    }
    return urllib.parse.urlencode({"payload": json.dumps(payload)}).encode()


def build_requests(seeded: Seeded, fake_base: str, count: int, rng: random.Random) -> Requests:
    sample = rng.sample(seeded.projects, min(count, len(seeded.projects)))
    return Requests(
        {
            HELP: [help_body(p, fake_base, n) for n, p in enumerate(sample)],
            SETUP: [setup_body(p, n) for n, p in enumerate(sample)],
        }
    )


# -- the client: HTTP/1.1 keep-alive on asyncio streams -------------------------------
class Closed(ConnectionError):
    """The server closed a kept-alive connection before answering."""


class Connection:
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer
        self.open = True

    @classmethod
    async def to(cls, port: int) -> Connection:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.get_extra_info("socket").setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return cls(reader, writer)

    async def post(self, head: bytes, body: bytes) -> tuple[int, bytes]:
        self.writer.write(head + body)
        try:
            raw = await self.reader.readuntil(b"\r\n\r\n")
        except (asyncio.IncompleteReadError, ConnectionError) as error:
            self.close()
            raise Closed from error
        lines = raw.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        headers = {}
        for line in lines[1:]:
            if ":" in line:
                key, value = line.split(":", 1)
                headers[key.strip().lower()] = value.strip()
        if "content-length" in headers:
            content = await self.reader.readexactly(int(headers["content-length"]))
        elif headers.get("transfer-encoding", "").lower() == "chunked":
            parts = []
            while True:
                size = int((await self.reader.readuntil(b"\r\n")).strip().split(b";")[0], 16)
                parts.append(await self.reader.readexactly(size + 2))
                if size == 0:
                    break
            content = b"".join(p[:-2] for p in parts)
        else:
            content = await self.reader.read()
            self.close()
        if headers.get("connection", "").lower() == "close":
            self.close()
        return status, content

    def close(self) -> None:
        if self.open:
            self.open = False
            self.writer.close()


class Client:
    """Signs and sends requests; idle connections are reused newest first."""

    def __init__(self, port: int, requests: Requests) -> None:
        self.port = port
        self.requests = requests
        self.idle: list[Connection] = []
        self.opened = 0

    def _head(self, body: bytes) -> bytes:
        timestamp = str(int(time.time()))
        return (
            f"POST {PATH} HTTP/1.1\r\nHost: 127.0.0.1:{self.port}\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\n"
            f"Content-Length: {len(body)}\r\nX-Slack-Request-Timestamp: {timestamp}\r\n"
            f"X-Slack-Signature: {sign(SIGNING_SECRET, timestamp, body)}\r\n\r\n"
        ).encode()

    async def send(self, kind: str, conn: Connection | None = None) -> tuple[bool, Connection]:
        """One request of `kind`; whether it got the right answer, and the connection."""
        body = self.requests.body(kind)
        for attempt in range(2):
            if attempt == 0 and (conn is None or not conn.open):
                conn = self.idle.pop() if self.idle else None
            if conn is None or not conn.open:
                conn = await Connection.to(self.port)
                self.opened += 1
            try:
                status, content = await conn.post(self._head(body), body)
                return good_answer(kind, status, content), conn
            except Closed:  # a kept-alive connection the server had just timed out
                conn = None
                if attempt:
                    raise
        raise AssertionError("unreachable")

    def release(self, conn: Connection) -> None:
        if conn.open:
            self.idle.append(conn)

    def close(self) -> None:
        for conn in self.idle:
            conn.close()
        self.idle.clear()


def good_answer(kind: str, status: int, content: bytes) -> bool:
    if status != 200:
        return False
    if kind == HELP:
        return b"/icrm" in content
    return content.strip() in (b"", b"null", b"{}")  # a plain ack: saved, no field errors


# -- phases -----------------------------------------------------------------------------
@dataclass
class Result:
    phase: str
    kind: str
    latencies: list[float]  # seconds
    failed: int
    seconds: float

    def percentile(self, q: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.seconds


@dataclass
class Phase:
    name: str
    results: dict[str, Result]
    cpu: dict[str, float]  # process group → cores used on average
    seconds: float
    connections: int


async def fixed_rate(client: Client, rate: float, duration: float) -> dict[str, list[Any]]:
    """Open loop: request i leaves at start + i / rate, kinds alternating."""
    out: dict[str, list[Any]] = {k: [[], 0] for k in KINDS}
    tasks = []
    loop = asyncio.get_running_loop()

    async def one(kind: str, scheduled: float) -> None:
        try:
            ok, conn = await client.send(kind)
            client.release(conn)
        except OSError:
            ok = False
        if ok:
            out[kind][0].append(loop.time() - scheduled)
        else:
            out[kind][1] += 1

    start = loop.time() + 0.05
    for i in range(int(rate * duration)):
        scheduled = start + i / rate
        delay = scheduled - loop.time()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(one(KINDS[i % 2], scheduled)))
    await asyncio.gather(*tasks)
    return out


async def saturate(
    client: Client, concurrency: int, duration: float, kinds: tuple[str, ...] = KINDS
) -> dict[str, list[Any]]:
    """Closed loop: `concurrency` connections, each sending as soon as it has its answer."""
    out: dict[str, list[Any]] = {k: [[], 0] for k in kinds}
    loop = asyncio.get_running_loop()
    deadline = loop.time() + duration

    async def worker(n: int) -> None:
        conn: Connection | None = None
        i = n
        while loop.time() < deadline:
            kind = kinds[i % len(kinds)]
            i += 1
            began = loop.time()
            try:
                ok, conn = await client.send(kind, conn)
            except OSError:
                ok, conn = False, None
            if ok:
                out[kind][0].append(loop.time() - began)
            else:
                out[kind][1] += 1
        if conn is not None:
            client.release(conn)

    await asyncio.gather(*(worker(n) for n in range(concurrency)))
    return out


async def _closing(client: Client, work: Any) -> Any:
    try:
        return await work
    finally:
        client.close()  # each phase has its own event loop: connections are not carried over


Watched = dict[str, Callable[[], list[int]]]  # name → the pids to charge CPU time to


def run_phase(name: str, client: Client, watched: Watched, work: Any) -> Phase:
    opened = client.opened
    before = {who: cpu_seconds(pids()) for who, pids in watched.items()}
    client0 = time.process_time()
    began = time.perf_counter()
    out = asyncio.run(_closing(client, work))
    seconds = time.perf_counter() - began
    cpu = {who: (cpu_seconds(pids()) - before[who]) / seconds for who, pids in watched.items()}
    cpu["client"] = (time.process_time() - client0) / seconds
    results = {
        kind: Result(name, kind, lat, failed, seconds) for kind, (lat, failed) in out.items()
    }
    return Phase(name, results, cpu, seconds, client.opened - opened)


# -- the run ----------------------------------------------------------------------------
@dataclass
class Options:
    rate: float
    duration: float
    saturate_duration: float
    concurrency: int
    projects: int
    sqlite: bool
    warmup: float


def bench_app(
    command: str,
    env: dict[str, str],
    requests: Requests,
    options: Options,
    log: Path,
    watched: Watched,
) -> tuple[list[Phase], int]:
    """Start `command`, warm it up, run both phases against it, stop it."""
    web = WebProcess(command, env, log)
    try:
        watched = {"server": web.pids, **watched}
        client = Client(web.port, requests)
        run_phase("warm-up", client, watched, saturate(client, 4, options.warmup))
        fixed = run_phase(
            f"fixed {options.rate:g}/s",
            client,
            watched,
            fixed_rate(client, options.rate, options.duration),
        )
        time.sleep(1)  # let the work the last answers left for after the ack finish
        saturated = run_phase(
            f"saturated ×{options.concurrency}",
            client,
            watched,
            saturate(client, options.concurrency, options.saturate_duration),
        )
        time.sleep(1)
        help_only = run_phase(
            f"help ×{options.concurrency}",
            client,
            watched,
            saturate(client, options.concurrency, options.saturate_duration, (HELP,)),
        )
        return [fixed, saturated, help_only], web.workers()
    finally:
        web.stop()


def ms(seconds: float) -> str:
    return f"{seconds * 1000:7.1f}"


def print_table(phases: dict[str, list[Phase]]) -> None:
    print(
        f"\n{'app':<6} {'phase':<16} {'request':<13} {'ok':>6} {'failed':>6} {'req/s':>7} "
        f"{'p50':>7} {'p95':>7} {'p99':>7} {'max':>7}   (latency in ms)"
    )
    for app, app_phases in phases.items():
        for phase in app_phases:
            for kind in (*phase.results, "all"):
                if kind == "all":
                    lat = [x for r in phase.results.values() for x in r.latencies]
                    failed = sum(r.failed for r in phase.results.values())
                    result = Result(phase.name, "all", lat, failed, phase.seconds)
                else:
                    result = phase.results[kind]
                print(
                    f"{app:<6} {phase.name:<16} {kind:<13} {len(result.latencies):>6} "
                    f"{result.failed:>6} {result.rate:>7.1f} {ms(result.percentile(0.5))} "
                    f"{ms(result.percentile(0.95))} {ms(result.percentile(0.99))} "
                    f"{ms(max(result.latencies, default=float('nan')))}"
                )
            used = ", ".join(f"{who} {cores:.2f}" for who, cores in phase.cpu.items())
            print(f"{'':<23} CPU used (cores): {used}; {phase.connections} connections opened")


def combined(phase: Phase) -> Result:
    lat = [x for r in phase.results.values() for x in r.latencies]
    failed = sum(r.failed for r in phase.results.values())
    return Result(phase.name, "all", lat, failed, phase.seconds)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rate", type=float, default=100, help="fixed-rate phase, req/s")
    parser.add_argument("--duration", type=float, default=30, help="fixed-rate phase, seconds")
    parser.add_argument("--saturate-duration", type=float, default=20, help="seconds")
    parser.add_argument("--concurrency", type=int, default=32, help="saturation connections")
    parser.add_argument("--projects", type=int, default=5000, help="projects to seed")
    parser.add_argument("--sqlite", action="store_true", help="a SQLite file, not PostgreSQL")
    parser.add_argument("--quick", action="store_true", help="a smoke run of a few seconds")
    args = parser.parse_args(argv)
    options = Options(
        rate=args.rate,
        duration=2 if args.quick else args.duration,
        saturate_duration=2 if args.quick else args.saturate_duration,
        concurrency=args.concurrency,
        projects=min(args.projects, 200) if args.quick else args.projects,
        sqlite=args.sqlite,
        warmup=0.5 if args.quick else 3,
    )
    command = procfile_web()
    logs = Path(tempfile.mkdtemp(prefix="icrm-bench-"))
    server = None
    fake = None
    try:
        if options.sqlite:
            database_url = f"sqlite:///{logs / 'bench.db'}"
            database = "SQLite file"
        else:
            from tests import pg

            server = pg.start()
            database_url = server.url
            database = "PostgreSQL (throwaway, tests/pg.py)"
        upgrade(database_url)
        engine = make_engine(database_url)
        began = time.perf_counter()
        seeded = seed(engine, projects=options.projects)
        engine.dispose()
        print(
            f"seeded {len(seeded.projects)} projects into {database} "
            f"in {time.perf_counter() - began:.1f} s"
        )
        fake = FakeSlackProcess()
        fake_pid = fake.process.pid
        requests = build_requests(seeded, fake.base_url, 500, random.Random(42))
        env = {
            "DATABASE_URL": database_url,
            "SLACK_BOT_TOKEN": BOT_TOKEN,
            "SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "SLACK_API_URL": fake.api_url,
        }
        print(f"server: {command}")
        load = os.getloadavg()[0]
        print(
            f"machine: {os.cpu_count()} CPUs, load average {load:.2f} at the start"
            + (" (other work is competing for the CPUs: expect noisy numbers)" if load > 1 else "")
        )
        print(
            "client: 1 process, 1 thread (asyncio, HTTP/1.1 keep-alive); "
            f"fixed rate {options.rate:g} req/s for {options.duration:g} s (open loop), then "
            f"{options.concurrency} connections for {options.saturate_duration:g} s (closed loop); "
            "half /icrm help, half project_setup submissions"
        )
        phases: dict[str, list[Phase]] = {}
        for app, app_command in (("ours", command), ("bare", with_app(command, BARE_APP))):
            watched: Watched = {"fake Slack": lambda: [fake_pid]}
            if server is not None and app == "ours":
                watched["PostgreSQL"] = lambda: postgres_pids(server)
            phases[app], workers = bench_app(
                app_command, env, requests, options, logs / f"{app}.log", watched
            )
            print(f"{app}: done ({workers} gunicorn workers)", flush=True)
        print_table(phases)
        ours_fixed, ours_sat, ours_help = (combined(p) for p in phases["ours"])
        bare_fixed, bare_sat, bare_help = (combined(p) for p in phases["bare"])
        p99_ratio = ours_fixed.percentile(0.99) / bare_fixed.percentile(0.99)
        rate_ratio = ours_sat.rate / bare_sat.rate
        help_ratio = ours_help.rate / bare_help.rate
        print(
            f"\nratios ours / bare: p99 at {options.rate:g} req/s {p99_ratio:.2f} "
            f"({ms(ours_fixed.percentile(0.99)).strip()} / {ms(bare_fixed.percentile(0.99)).strip()} ms); "
            f"saturated throughput {rate_ratio:.2f} "
            f"({ours_sat.rate:.0f} / {bare_sat.rate:.0f} req/s); "
            f"saturated /icrm help alone {help_ratio:.2f} "
            f"({ours_help.rate:.0f} / {bare_help.rate:.0f} req/s)"
        )
        p99 = ours_fixed.percentile(0.99) * 1000
        print(
            f"goals: p99 ≤ 50 ms at {options.rate:g} req/s: "
            f"{'met' if p99 <= 50 else 'MISSED'} ({p99:.1f} ms); "
            f"saturated help ≥ 0.8 × bare: {'met' if help_ratio >= 0.8 else 'MISSED'} "
            f"({help_ratio:.2f}); saturated mixed ≥ 0.5 × bare: "
            f"{'met' if rate_ratio >= 0.5 else 'MISSED'} ({rate_ratio:.2f})"
        )
        failed = sum(r.failed for ps in phases.values() for p in ps for r in p.results.values())
        if failed:
            print(f"{failed} requests failed or got a wrong answer; server logs in {logs}")
        print(f"server logs: {logs}")
        return 0
    finally:
        stop_all(fake, server)


if __name__ == "__main__":
    sys.exit(main())
