"""Two small browser-side pieces of the page, as Vue templates (ipyvuetify), with no Python state.

* :func:`Heartbeat` reports each tick the browser has painted: when its ``tick`` changes it waits
  two animation frames (the browser has drawn everything that arrived with the tick) and calls
  back with the tick's number. The Play loop waits for it (``model/classroom/player.py``).
* :func:`UrlSync` keeps the page's address in step with the run (``history.replaceState``: no
  reload, no new history entry per tick), so a reload or a copied link restores it.
"""

from __future__ import annotations

from typing import Callable

import ipyvuetify as v
import traitlets

HEARTBEAT_VUE = """
<template>
  <span class="ailoop-heartbeat" :data-tick="tick" style="display:none"></span>
</template>
<script>
module.exports = {
  mounted() { this.report(this.tick); },
  watch: { tick(value) { this.report(value); } },
  methods: {
    report(value) {
      requestAnimationFrame(() => requestAnimationFrame(() => this.drawn(value)));
    },
  },
};
</script>
"""

URL_VUE = """
<template>
  <span class="ailoop-url" :data-query="query" style="display:none"></span>
</template>
<script>
module.exports = {
  mounted() { this.sync(this.query); },
  watch: { query(value) { this.sync(value); } },
  methods: {
    sync(value) {
      const url = window.location.pathname + (value ? "?" + value : "") + window.location.hash;
      if (url !== window.location.pathname + window.location.search + window.location.hash) {
        window.history.replaceState(window.history.state, "", url);
      }
    },
  },
};
</script>
"""


class _Heartbeat(v.VuetifyTemplate):
    template = traitlets.Unicode(HEARTBEAT_VUE).tag(sync=True)
    tick = traitlets.Int(0).tag(sync=True)
    callbacks = traitlets.Dict(default_value={})

    def vue_drawn(self, data, buffers=None):
        callback = self.callbacks.get("drawn")
        if callback is not None:
            callback(int(data))


class _UrlSync(v.VuetifyTemplate):
    template = traitlets.Unicode(URL_VUE).tag(sync=True)
    query = traitlets.Unicode("").tag(sync=True)


def Heartbeat(tick: int, on_drawn: Callable[[int], None]):
    """An invisible element that calls ``on_drawn(tick)`` once the browser has painted ``tick``."""
    return _Heartbeat.element(tick=tick, callbacks={"drawn": on_drawn})


def UrlSync(query: str):
    """An invisible element that writes ``query`` into the page's address."""
    return _UrlSync.element(query=query)
