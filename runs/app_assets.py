"""The classroom app's JavaScript, fetched once into a local cache so the app runs offline.

Solara's page asks its own server for ``/_solara/cdn/<name>@<version>/<file>``; the server answers
from ``SOLARA_ASSETS_PROXY_CACHE_DIR/<name>@<version>/<file>`` and only on a miss downloads from a
CDN. ``ailoop app`` points the server at this cache and turns a miss into a local error instead
(``runs/app_server.py``), so nothing leaves the machine. :func:`fetch` fills the cache from the
npm registry (the packages' published tarballs, checked against their sha512; Python only, no
npm needed), once, e.g. at install time or in CI; nothing else needs the network.

The cache lives outside the source tree: ``$AILOOP_ASSETS_DIR``, else
``$XDG_CACHE_HOME/ailoop/solara-assets`` (``~/.cache/ailoop/solara-assets``). About 55 MB: the
source maps (``*.map``, read only by a browser's developer tools) are left out.

    ailoop app --fetch-assets            # or: python -m ailoop.runs.app_assets [DIR]
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import shutil
import sys
import tarfile
import tempfile
import urllib.request
from dataclasses import dataclass
from pathlib import Path

FETCH_COMMAND = "ailoop app --fetch-assets"
DEFAULT_REGISTRY = "https://registry.npmjs.org/"


@dataclass(frozen=True)
class Asset:
    """An npm package as solara requests it: ``folder`` is ``<name>@<version as in solara's URLs>``."""

    folder: str
    spec: str  # the npm package and version to download
    probe: str  # a file the page loads (present = the package is in the cache)
    keep: tuple[str, ...] = ()  # sub-folders to keep (empty: all)


#: what solara 1.64.1 (ipyvue/ipyvuetify < 2, production mode) and its ECharts widget ask for;
#: ``tests/test_app_assets.py`` checks these names against the installed solara
ASSETS: tuple[Asset, ...] = (
    Asset("@widgetti/solara-vuetify-app@10.1.1", "@widgetti/solara-vuetify-app@10.1.1",
          "dist/solara-vuetify-app8.min.js"),  # the page shell: Vue 2, Vuetify 2, fonts, css
    Asset("requirejs@2.3.6", "requirejs@2.3.6", "require.js"),
    Asset("font-awesome@4.5.0", "font-awesome@4.5.0", "css/font-awesome.min.css"),
    Asset("echarts@5.4.0", "echarts@5.4.0", "dist/echarts.js", keep=("dist",)),  # solara.FigureEcharts
)


def assets_dir(path: str | os.PathLike | None = None) -> Path:
    """The cache folder: ``path``, else ``$AILOOP_ASSETS_DIR``, else ``~/.cache/ailoop/solara-assets``."""
    if path:
        return Path(path).expanduser().resolve()
    if os.environ.get("AILOOP_ASSETS_DIR"):
        return Path(os.environ["AILOOP_ASSETS_DIR"]).expanduser().resolve()
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return (base / "ailoop" / "solara-assets").resolve()


def missing(cache: Path) -> list[str]:
    """The packages not (fully) in ``cache``."""
    return [a.folder for a in ASSETS if not (cache / a.folder / a.probe).is_file()]


def missing_message(cache: Path) -> str:
    """What to tell a user whose cache is incomplete."""
    return (f"the app's JavaScript assets are missing from {cache} ({', '.join(missing(cache))}); "
            f"run `{FETCH_COMMAND}` once (it needs the npm registry), then start the app again")


def registry() -> str:
    """The npm registry to download from (``$npm_config_registry``, as npm reads it; else npmjs.org)."""
    url = os.environ.get("npm_config_registry") or os.environ.get("NPM_CONFIG_REGISTRY") or DEFAULT_REGISTRY
    return url.rstrip("/") + "/"


def _pack(spec: str, workdir: Path) -> Path:
    """Download the tarball of npm package ``spec`` (``name@version``) from the registry, checking
    it against the registry's published sha512 (what ``npm pack`` does, without needing npm)."""
    name, version = spec.rsplit("@", 1)
    try:
        with urllib.request.urlopen(f"{registry()}{name.replace('/', '%2F')}/{version}", timeout=60) as r:
            dist = json.load(r)["dist"]
        with urllib.request.urlopen(dist["tarball"], timeout=120) as r:
            data = r.read()
    except OSError as e:
        raise RuntimeError(f"cannot download {spec} from {registry()} ({e}); the app's assets come from the npm "
                           f"registry once: run `{FETCH_COMMAND}` where it can be reached") from None
    algo, _, digest = dist.get("integrity", "").partition("-")
    if algo != "sha512" or base64.b64encode(hashlib.sha512(data).digest()).decode() != digest:
        raise RuntimeError(f"{spec}: the download does not match the registry's sha512; nothing was installed")
    out = workdir / (name.replace("@", "").replace("/", "-") + f"-{version}.tgz")
    out.write_bytes(data)
    return out


def _install(cache: Path, asset: Asset) -> None:
    target = cache / asset.folder
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        with tarfile.open(_pack(asset.spec, work)) as tf:
            tf.extractall(work / "x", filter="data")
        package = work / "x" / "package"
        if asset.keep:
            for child in package.iterdir():
                if child.is_dir() and child.name not in asset.keep:
                    shutil.rmtree(child)
        for source_map in package.rglob("*.map"):
            source_map.unlink()
        if target.exists():
            shutil.rmtree(target)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(package), str(target))


def fetch(cache: Path, log=print) -> Path:
    """Put every asset missing from ``cache`` there (from the npm registry); returns the cache folder."""
    cache.mkdir(parents=True, exist_ok=True)
    todo = set(missing(cache))
    for asset in ASSETS:
        if asset.folder in todo:
            _install(cache, asset)
            log(f"fetched {asset.folder}")
        else:
            log(f"present {asset.folder}")
    return cache


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    cache = fetch(assets_dir(argv[0] if argv else None))
    print(f"assets ready in {cache}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
