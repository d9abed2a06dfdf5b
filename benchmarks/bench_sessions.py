"""Concurrent browser sessions against the map app, with a named peer in the same run (issue 11).

Starts the app (``streamlit run app.py``, headless, on a free port of 127.0.0.1, with the
built layers) and opens browser sessions in one headless Debian chromium (Playwright,
async; one browser context per session, so no shared cookies or cache). Each session opens
the map page, waits until the Leaflet map has drawn every buurt polygon, clicks a buurt of
its own (a real mouse click on a spot where that buurt's polygon is topmost; the map counts
as drawn when every buurt polygon is there and that spot exists, i.e. the map has settled) and waits until
the buurt's dossier shows (its name as a heading). Per session it reports the time to the
map and from the click to the dossier; per phase the slowest session and the failures; and
the server's memory (resident set of the streamlit process and its children, sampled every
0.1 s, and the kernel's high-water mark VmHWM) before and after.

Ratios, not absolute targets (our benchmark rule):

- scaling: N concurrent sessions against 1 session of the same server (slowest / single);
- peer: the plain peer app of ``../shared/bench/peer_app.py`` (``GeoDataFrame.explore()`` +
  ``st_folium`` defaults, Leaflet served locally, as ``../shared/bench/compare_app.sh``
  builds it), measured the same way, its "dossier" being its ``Dossier: <buurtnaam>`` line.
  It runs in the peer's own environment, as in ``compare_app.sh`` (``$PEER_VENV``, default
  ``~/.cache/wijkplan-peer-venv``: geopandas, streamlit, streamlit-folium, folium, matplotlib,
  mapclassify), or under ``--peer-python``; wijkplan's ``.venv`` lacks mapclassify, which
  ``explore()`` needs. The versions of streamlit, streamlit-folium and folium of both sides are
  printed.

Every server gets one warm-up session first (reported as "cold", not counted), so the
phases measure a running server, not its first cache fill. The apps are measured one after
the other, never at the same time. Nothing is written into the repository (the peer's
folder is a temporary directory).

    .venv/bin/python benchmarks/bench_sessions.py [--sessions 10] [--layers layers/wijkplan.gpkg]
        [--no-peer] [--peer-app ../shared/bench/peer_app.py] [--timeout 180]

Exit code 1 when a session failed (did not render the map or the dossier), else 0.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
PEER_VENV = Path(os.environ.get("PEER_VENV", Path.home() / ".cache" / "wijkplan-peer-venv"))
FRAME = 'iframe[title="streamlit_folium.st_folium"]'

#: JS in the map's frame: how many buurt polygons the Leaflet map holds.
COUNT_BUURTEN_JS = """() => { if (!window.map) return 0; let n = 0;
  window.map.eachLayer(l => { if (l.feature && l.feature.properties
    && l.feature.properties.buurtcode && l._path) n += 1; }); return n; }"""

#: JS in the map's frame: a point (frame pixels) where the polygon of buurt ``code`` is the
#: topmost element, or null.
SPOT_JS = """(code) => { let path = null;
  window.map.eachLayer(l => { if (!path && l.feature && l.feature.properties
    && l.feature.properties.buurtcode === code && l._path) path = l._path; });
  if (!path) return null;
  const r = path.getBoundingClientRect();
  for (let i = 0; i <= 8; i++) for (let j = 0; j <= 8; j++) {
    const fx = 0.5 + (i % 2 ? 1 : -1) * Math.ceil(i / 2) * 0.1;
    const fy = 0.5 + (j % 2 ? 1 : -1) * Math.ceil(j / 2) * 0.1;
    const x = r.left + r.width * fx, y = r.top + r.height * fy;
    if (document.elementFromPoint(x, y) === path) return [x, y];
  }
  return null; }"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# ---- server memory


def _tree(pid: int) -> list[int]:
    """``pid`` and all its descendants (from /proc/<pid>/task/*/children)."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        for task in Path(f"/proc/{p}/task").glob("*"):
            with suppress(OSError):
                todo += [int(c) for c in (task / "children").read_text().split()]
    return out


def _status_kb(pid: int, key: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def cpu_s(pid: int) -> float:
    """CPU seconds (user + system) used so far by the process tree of ``pid``."""
    total = 0
    for p in _tree(pid):
        with suppress(OSError):
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14, 15)
    return total / os.sysconf("SC_CLK_TCK")


def rss_mb(pid: int) -> float:
    return sum(_status_kb(p, "VmRSS") for p in _tree(pid)) / 1024


def hwm_mb(pid: int) -> float:
    return sum(_status_kb(p, "VmHWM") for p in _tree(pid)) / 1024


class RssSampler:
    """Samples the resident set of a process tree every 0.1 s; ``peak()`` since the last reset."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self._peak = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(0.1):
            self._peak = max(self._peak, rss_mb(self.pid))

    def reset(self) -> None:
        self._peak = rss_mb(self.pid)

    def peak(self) -> float:
        return max(self._peak, rss_mb(self.pid))

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


# ---- the apps


@dataclass
class App:
    name: str
    cmd: list[str]
    cwd: Path
    env: dict[str, str]
    #: how the dossier of buurt ``naam`` shows: ("heading", naam) or ("text", ...)
    dossier: str


def wijkplan_app(layers: Path, port: int) -> App:
    # no users file: the app's read-only mode for everyone (no login per session), the same
    # map and dossiers a logged-in user gets; the status store a throwaway one
    scratch = Path(tempfile.mkdtemp(prefix="wijkplan-bench-"))
    env = {
        **os.environ,
        "WIJKPLAN_LAYERS": str(layers),
        "WIJKPLAN_BASEMAP": "geen",
        "WIJKPLAN_USERS": str(scratch / "geen-gebruikers.toml"),
        "WIJKPLAN_STATUS_STORE": str(scratch / "afspraken_status.sqlite"),
    }
    cmd = [sys.executable, "-m", "streamlit", "run", "app.py"]
    cmd += ["--server.port", str(port), "--server.address", "127.0.0.1"]
    cmd += ["--server.headless", "true"]
    return App("wijkplan", cmd, REPO, env, "heading")


@contextmanager
def peer_app(peer_py: Path, python: str, buurten: Path, port: int) -> Iterator[App]:
    """The peer app in a temporary folder, as ``compare_app.sh`` builds it."""
    import js_lib_leaflet

    leaflet = next(Path(js_lib_leaflet.__file__).parent.rglob("leaflet.js"))
    with tempfile.TemporaryDirectory(prefix="bench-sessions-peer-") as tmp:
        work = Path(tmp)
        (work / "static").mkdir()
        (work / ".streamlit").mkdir()
        shutil.copy(peer_py, work / "peer_app.py")
        shutil.copy(leaflet, work / "static")
        shutil.copy(leaflet.with_name("leaflet.css"), work / "static")
        (work / ".streamlit" / "config.toml").write_text(
            "[server]\nenableStaticServing = true\nheadless = true\n[browser]\n"
            'gatherUsageStats = false\nserverAddress = "127.0.0.1"\n'
        )
        cmd = [python, "-m", "streamlit", "run", "peer_app.py"]
        cmd += ["--server.port", str(port), "--server.address", "127.0.0.1"]
        cmd += ["--", str(buurten)]
        yield App("peer (explore + st_folium)", cmd, work, dict(os.environ), "text")


@contextmanager
def running(app: App, log: Path) -> Iterator[tuple[str, int]]:
    port = app.cmd[app.cmd.index("--server.port") + 1]
    with log.open("w") as out:
        proc = subprocess.Popen(
            app.cmd, cwd=app.cwd, env=app.env, stdout=out, stderr=subprocess.STDOUT
        )
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 90
            while True:
                try:
                    with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                        if r.status == 200:
                            break
                except OSError:
                    if proc.poll() is not None or time.monotonic() > deadline:
                        raise SystemExit(f"{app.name} did not start:\n{log.read_text()}") from None
                    time.sleep(0.3)
            yield url, proc.pid
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def versions(python: str) -> str | None:
    """streamlit, streamlit-folium, folium and geopandas of ``python``; None when it cannot run
    the peer (a package missing)."""
    code = (
        "import importlib.metadata as m, mapclassify, matplotlib;"
        "print(', '.join(f'{p} {m.version(p)}' for p in "
        "('streamlit', 'streamlit-folium', 'folium', 'geopandas')))"
    )
    if python == sys.executable:  # wijkplan's own: mapclassify not needed
        code = code.replace(", mapclassify, matplotlib", "")
    try:
        out = subprocess.run([python, "-c", code], capture_output=True, text=True, timeout=60)
    except OSError:
        return None
    return out.stdout.strip() if out.returncode == 0 else None


# ---- sessions


@dataclass
class Session:
    code: str
    naam: str
    map_s: float | None = None
    dossier_s: float | None = None
    error: str | None = None

    @property
    def total_s(self) -> float | None:
        if self.map_s is None or self.dossier_s is None:
            return None
        return self.map_s + self.dossier_s


@dataclass
class Phase:
    app: str
    label: str
    sessions: list[Session]
    wall_s: float
    rss_before: float
    rss_peak: float
    rss_after: float
    hwm: float
    cpu_s: float

    @property
    def ok(self) -> list[Session]:
        return [s for s in self.sessions if s.error is None]

    @property
    def failures(self) -> int:
        return len(self.sessions) - len(self.ok)

    def slowest(self) -> Session | None:
        done = [s for s in self.ok if s.total_s is not None]
        return max(done, key=lambda s: s.total_s or 0.0) if done else None


async def one_session(browser, url: str, app: App, s: Session, n_buurten: int, timeout: float):
    ms = timeout * 1000
    context = await browser.new_context(viewport={"width": 1500, "height": 1000})
    try:
        page = await context.new_page()
        t0 = time.perf_counter()
        await page.goto(url, wait_until="domcontentloaded", timeout=ms)
        frame_el = await page.wait_for_selector(FRAME, timeout=ms)
        frame = await frame_el.content_frame()
        if frame is None:
            raise RuntimeError("no map frame")
        await frame.wait_for_function(f"({COUNT_BUURTEN_JS})() >= {n_buurten}", timeout=ms)
        # ... and the map has settled (its zoom to the bounds done): the buurt is clickable
        spot_ready = await frame.wait_for_function(f"({SPOT_JS})({json.dumps(s.code)})", timeout=ms)
        s.map_s = time.perf_counter() - t0
        spot = await spot_ready.json_value()
        t1 = time.perf_counter()
        # the whole map must fit in the viewport: a click inside an iframe that extends below
        # it scrolls the frame's document and lands elsewhere
        await frame_el.click(position={"x": spot[0], "y": spot[1]}, timeout=ms)
        if app.dossier == "heading":
            await page.get_by_role("heading", name=s.naam).first.wait_for(timeout=ms)
        else:
            await page.get_by_text(f"Dossier: {s.naam}").first.wait_for(timeout=ms)
        s.dossier_s = time.perf_counter() - t1
    except Exception as err:  # a measurement: report every failure, go on with the others
        s.error = f"{type(err).__name__}: {str(err).splitlines()[0][:120]}"
    finally:
        await context.close()


async def run_phase(browser, url, app, targets, n_buurten, timeout) -> tuple[list[Session], float]:
    sessions = [Session(code, naam) for code, naam in targets]
    t0 = time.perf_counter()
    await asyncio.gather(*(one_session(browser, url, app, s, n_buurten, timeout) for s in sessions))
    return sessions, time.perf_counter() - t0


async def measure(app: App, url: str, pid: int, targets, n_buurten: int, args) -> list[Phase]:
    from playwright.async_api import async_playwright

    sampler = RssSampler(pid)
    phases = []
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            plan = [("cold (warm-up)", targets[:1]), ("1 session", targets[1:2])]
            plan.append((f"{args.sessions} sessions", targets[: args.sessions]))
            for label, chosen in plan:
                await asyncio.sleep(1.0)
                before = rss_mb(pid)
                cpu_before = cpu_s(pid)
                sampler.reset()
                sessions, wall = await run_phase(browser, url, app, chosen, n_buurten, args.timeout)
                await asyncio.sleep(2.0)  # let the server drop the closed sessions
                phases.append(
                    Phase(
                        app.name,
                        label,
                        sessions,
                        wall,
                        before,
                        sampler.peak(),
                        rss_mb(pid),
                        hwm_mb(pid),
                        cpu_s(pid) - cpu_before,
                    )
                )
                print(f"  {app.name}: {label} done in {wall:.1f} s", file=sys.stderr)
        finally:
            await browser.close()
            sampler.stop()
    return phases


# ---- report


def _s(x: float | None) -> str:
    return "-" if x is None else f"{x:.2f}"


def report(phases: list[Phase], sessions: int) -> None:
    print()
    print("Per session (seconds; map = page opened → all buurt polygons drawn,")
    print("dossier = click → the buurt's dossier shown)")
    print(f"{'app':28} {'phase':16} {'buurt':12} {'map':>6} {'dossier':>8} {'total':>6}  result")
    for ph in phases:
        for s in ph.sessions:
            result = "ok" if s.error is None else s.error
            print(
                f"{ph.app:28} {ph.label:16} {s.code:12} {_s(s.map_s):>6} "
                f"{_s(s.dossier_s):>8} {_s(s.total_s):>6}  {result}"
            )
    print()
    print(
        "Per phase (seconds; memory of the server process tree in MB; srv CPU: CPU seconds the "
        "server used in the phase)"
    )
    header = (
        f"{'app':28} {'phase':16} {'ok':>5} {'map med':>8} {'map max':>8} {'dos med':>8} "
        f"{'dos max':>8} {'slowest':>8} {'wall':>6} {'RSS bef':>8} {'RSS peak':>8} "
        f"{'RSS aft':>8} {'VmHWM':>7} {'srv CPU':>7}"
    )
    print(header)
    for ph in phases:
        maps = [s.map_s for s in ph.ok if s.map_s is not None]
        doss = [s.dossier_s for s in ph.ok if s.dossier_s is not None]
        slow = ph.slowest()
        print(
            f"{ph.app:28} {ph.label:16} {len(ph.ok):>2}/{len(ph.sessions):<2} "
            f"{_s(statistics.median(maps) if maps else None):>8} {_s(max(maps, default=None)):>8} "
            f"{_s(statistics.median(doss) if doss else None):>8} "
            f"{_s(max(doss, default=None)):>8} {_s(slow.total_s if slow else None):>8} "
            f"{ph.wall_s:>6.1f} {ph.rss_before:>8.0f} {ph.rss_peak:>8.0f} {ph.rss_after:>8.0f} "
            f"{ph.hwm:>7.0f} {ph.cpu_s:>7.1f}"
        )
    print()
    print("Ratios")
    by = {(ph.app, ph.label): ph for ph in phases}
    apps = list(dict.fromkeys(ph.app for ph in phases))
    many = f"{sessions} sessions"

    def slowest_total(app: str, label: str) -> float | None:
        ph = by.get((app, label))
        slow = ph.slowest() if ph else None
        return slow.total_s if slow else None

    for app in apps:
        one, n = slowest_total(app, "1 session"), slowest_total(app, many)
        if one and n:
            print(f"  {app}: slowest of {sessions} / 1 session (map + dossier): {n / one:.2f}")
        ph1, phn = by.get((app, "1 session")), by.get((app, many))
        if ph1 and phn:
            print(
                f"  {app}: server RSS peak with {sessions} / with 1 session: "
                f"{phn.rss_peak / ph1.rss_peak:.2f} (+{phn.rss_peak - ph1.rss_before:.0f} MB "
                f"over the warm server)"
            )
    if len(apps) == 2:
        a, b = apps
        for label in ("1 session", many):
            ta, tb = slowest_total(a, label), slowest_total(b, label)
            if ta and tb:
                print(f"  {a} / {b}, slowest session, {label}: {ta / tb:.2f}")
            pa, pb = by.get((a, label)), by.get((b, label))
            if pa and pb:
                print(f"  {a} / {b}, server RSS peak, {label}: {pa.rss_peak / pb.rss_peak:.2f}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sessions", type=int, default=10)
    ap.add_argument("--layers", type=Path, default=REPO / "layers" / "wijkplan.gpkg")
    ap.add_argument("--buurten", type=Path, default=REPO / "data" / "geo" / "buurten.geojson")
    ap.add_argument("--peer-app", type=Path, default=REPO.parent / "shared/bench/peer_app.py")
    ap.add_argument(
        "--peer-python",
        default=str(PEER_VENV / "bin" / "python")
        if (PEER_VENV / "bin" / "python").exists()
        else sys.executable,
        help="an interpreter with geopandas, streamlit, streamlit-folium, folium, matplotlib "
        "and mapclassify (default: compare_app.sh's peer venv, $PEER_VENV or "
        "~/.cache/wijkplan-peer-venv, when it exists; else this one)",
    )
    ap.add_argument("--no-peer", action="store_true")
    ap.add_argument("--timeout", type=float, default=180, help="per wait, seconds")
    args = ap.parse_args()
    if not args.layers.is_file():
        print(f"{args.layers}: build the layers first (make layers)", file=sys.stderr)
        return 2
    if not Path(CHROMIUM).exists():
        print("Debian chromium is needed (make browser-deps)", file=sys.stderr)
        return 2
    import geopandas as gpd

    buurten = gpd.read_file(args.buurten)
    n_buurten = len(buurten)
    # the largest buurten first: each session clicks another one (buurt 0 warms up)
    buurten = buurten.assign(_area=buurten.geometry.to_crs(28992).area).sort_values(
        "_area", ascending=False
    )
    targets = list(zip(buurten["buurtcode"], buurten["buurtnaam"], strict=True))
    targets = targets[: max(args.sessions, 2)]

    phases: list[Phase] = []
    with tempfile.TemporaryDirectory(prefix="bench-sessions-") as tmp:
        print(f"wijkplan ({args.layers}) ...", file=sys.stderr)
        app = wijkplan_app(args.layers.resolve(), free_port())
        with running(app, Path(tmp) / "wijkplan.log") as (url, pid):
            phases += asyncio.run(measure(app, url, pid, targets, n_buurten, args))
        if not args.no_peer:
            peer_versions = versions(args.peer_python)
            if not args.peer_app.is_file():
                print(f"{args.peer_app}: no peer app; measured wijkplan only", file=sys.stderr)
            elif peer_versions is None:
                print(
                    f"{args.peer_python} lacks the peer's packages (geopandas, streamlit, "
                    "streamlit-folium, folium, matplotlib, mapclassify); measured wijkplan only. "
                    "Make them with: python3 -m venv ~/.cache/wijkplan-peer-venv && "
                    "~/.cache/wijkplan-peer-venv/bin/pip install geopandas streamlit "
                    "streamlit-folium folium matplotlib mapclassify",
                    file=sys.stderr,
                )
            else:
                print(f"peer ({args.peer_app}, {args.peer_python}) ...", file=sys.stderr)
                with (
                    peer_app(
                        args.peer_app, args.peer_python, args.buurten.resolve(), free_port()
                    ) as peer,
                    running(peer, Path(tmp) / "peer.log") as (url, pid),
                ):
                    phases += asyncio.run(measure(peer, url, pid, targets, n_buurten, args))
    report(phases, args.sessions)
    print()
    print(f"wijkplan: {versions(sys.executable)}")
    if not args.no_peer:
        print(f"peer:     {versions(args.peer_python)}")
    return 1 if any(ph.failures for ph in phases) else 0


if __name__ == "__main__":
    raise SystemExit(main())
