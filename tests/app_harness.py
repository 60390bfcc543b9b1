"""Drive the classroom app in Chromium with Playwright, offline (browser tests, benchmark).

* :func:`chromium_path` is the Chromium ``ailoop app --browser`` finds (``runs/browser.py``:
  ``$CHROMIUM``, else a system Chromium, else Playwright's own if downloaded); it installs nothing
  and fails with one line saying what to do if there is none (the README's test command runs
  ``ailoop app --browser``, which installs one, before the suite).
* :data:`CHROMIUM_ARGS` are the switches that keep Chromium from phoning home: the documented
  background-networking switches, plus URL overrides for services those do not stop
  (component updates, the sign-in service, autofill, Google Cloud Messaging), all pointed at a
  closed local port. A
  ``--disable-features`` switch of our own would replace Playwright's list, so none is passed.
* :class:`Sink` is a local stand-in for the internet: an HTTP proxy that records every request
  sent to it and refuses it. The server's ``HTTP(S)_PROXY`` and Chromium's proxy point there
  (loopback bypassed), so anything that tries to leave the machine is caught and counted.
* :class:`Recorder` notes a browser context's requests, failures, HTTP errors, console errors
  and page errors, and aborts any request to a host other than 127.0.0.1.
"""

from __future__ import annotations

import socket
import threading
from urllib.parse import urlparse

from ailoop.runs import browser

CLOSED = "http://127.0.0.1:9/"
CHROMIUM_ARGS = [
    "--no-sandbox",  # CI runs as root, where Chromium's sandbox cannot start
    "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update",
    "--no-first-run", "--disable-sync", "--disable-default-apps", "--disable-extensions", "--metrics-recording-only",
    "--no-default-browser-check",
    f"--component-updater=url-source={CLOSED}",  # update.googleapis.com, despite the switches above
    f"--gaia-url={CLOSED}",  # accounts.google.com at start
    f"--autofill-server-url={CLOSED}",  # content-autofill.googleapis.com when a field is typed in
    # Google Cloud Messaging's check-in and registration (android.clients.google.com) and its
    # connection server (mtalk.google.com), which Chromium 150 starts in the background
    f"--gcm-checkin-url={CLOSED}checkin", f"--gcm-registration-url={CLOSED}register3",
    "--gcm-mcs-endpoint=https://127.0.0.1:9",
]


def chromium_path() -> str:
    """The browser to drive; raises ``RuntimeError`` (one line, what to do) if there is none."""
    found = browser.find()  # raises BrowserError, a RuntimeError, if $CHROMIUM names no executable
    if found is None:
        raise RuntimeError("no Chromium found: run `ailoop app --browser` (finds or installs one), "
                           f"or {browser.HINT}")
    return found.path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def launch(playwright, sink_port: int | None = None):
    """Headless Chromium; with ``sink_port``, its traffic to other hosts goes to that :class:`Sink`."""
    kw = {}
    if sink_port is not None:
        kw["proxy"] = {"server": f"http://127.0.0.1:{sink_port}", "bypass": "127.0.0.1,localhost"}
    return playwright.chromium.launch(executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS, **kw)


class Sink:
    """A local HTTP proxy that records the first line of each request it gets and refuses it (403)."""

    def __init__(self) -> None:
        self.hits: list[str] = []
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.5)
        self.port = self.sock.getsockname()[1]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            with conn:
                conn.settimeout(2)
                try:
                    data = conn.recv(65536)
                    self.hits.append(data.split(b"\r\n", 1)[0].decode(errors="replace"))
                    conn.sendall(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                except OSError:
                    pass

    def close(self) -> None:
        self._stop.set()
        self._thread.join(2)
        self.sock.close()


def is_local(url: str) -> bool:
    parsed = urlparse(url)
    return parsed.scheme in ("blob", "data", "about") or parsed.hostname == "127.0.0.1"


#: page errors of the app's libraries, not of the app: solara's ECharts widget (``echarts.vue``,
#: solara 1.x) loads ECharts asynchronously in ``mounted()`` and then calls ``echarts.init`` on its
#: container without checking that the component still exists; a chart that is mounted and removed
#: before the library has loaded (a view switched, or a page closed, under load) throws this on an
#: element that is gone. Nothing is drawn wrong - the chart it concerns is no longer on the page,
#: and the tests that need a chart check that its canvas is visible - so it is kept apart
#: (``Recorder.library_races``) rather than counted as a problem of the app.
LIBRARY_RACES = ("Initialize failed: invalid dom.",)


class Recorder:
    """What a browser context asked for and what went wrong there."""

    def __init__(self, context) -> None:
        self.requests: list[str] = []
        self.websockets: list[str] = []
        self.failed: list[tuple[str, str]] = []
        self.bad_status: list[tuple[str, int]] = []
        self.console_errors: list[str] = []
        self.page_errors: list[str] = []
        self.library_races: list[str] = []
        context.route(lambda url: not is_local(url), lambda route: route.abort())
        context.on("request", lambda r: self.requests.append(r.url))
        context.on("requestfailed", lambda r: self.failed.append((r.url, str(r.failure))))
        context.on("response", lambda r: r.status >= 400 and self.bad_status.append((r.url, r.status)))

    def watch(self, page):
        page.on("console", lambda m: m.type == "error" and self.console_errors.append(m.text))
        page.on("pageerror", self._page_error)
        page.on("websocket", lambda ws: self.websockets.append(ws.url))
        return page

    def _page_error(self, error) -> None:
        text = str(error)
        (self.library_races if text.strip() in LIBRARY_RACES else self.page_errors).append(text)

    def problems(self) -> dict[str, list]:
        """Everything that should be empty: foreign hosts, failures, errors."""
        return {
            "requests to other hosts": [u for u in self.requests + self.websockets if not is_local(u)],
            "failed requests": self.failed, "HTTP errors": self.bad_status,
            "console errors": self.console_errors, "page errors": self.page_errors,
        }


# ------------------------------------------------------------------------------- page helpers
#: in-page: the ECharts option of the chart whose container has class ``chart-<name>`` (the ECharts
#: module is the one solara's widget loaded through require.js)
ECHARTS_OPTION_JS = """
(name) => {
  const defined = window.requirejs.s.contexts._.defined;
  const key = Object.keys(defined).find(k => k.includes('echarts@'));
  const el = document.querySelector('.chart-' + name);
  const chart = key && el ? defined[key].getInstanceByDom(el) : null;
  return chart ? JSON.parse(JSON.stringify(chart.getOption())) : null;
}
"""

#: in-page: click the Step button and time (ms) until the page shows the new trading day and the
#: tick's render has reached the browser (the heartbeat element carries the tick's number), and the
#: browser has painted it (two animation frames)
STEP_TIMING_JS = """
async () => {
  const day = () => document.querySelector('.ailoop-day').innerText;
  const tick = () => document.querySelector('.ailoop-heartbeat').dataset.tick;
  const before = [day(), tick()];
  const btn = [...document.querySelectorAll('button')].find(b => b.innerText.trim().toLowerCase() === 'step');
  const t0 = performance.now();
  btn.click();
  await new Promise((resolve, reject) => {
    const done = () => day() !== before[0] && tick() !== before[1];
    const poll = () => done() ? resolve() : (performance.now() - t0 > 60000 ? reject(new Error('no update')) : setTimeout(poll, 5));
    poll();
  });
  await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  return performance.now() - t0;
}
"""
