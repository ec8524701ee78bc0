"""Materialise the Kafka and Elasticsearch jars from Maven Central into a cache.

Each runtime lands in ``<cache>/<name>-<version>/lib`` once; a marker file says
the copy finished, so an interrupted download is redone rather than trusted.
"""

from __future__ import annotations

import hashlib
import logging
import shutil
import subprocess
from pathlib import Path

log = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
POMS = {"kafka": HERE / "maven" / "kafka.pom.xml", "elasticsearch": HERE / "maven" / "elasticsearch.pom.xml"}
LAUNCHER_SOURCES = HERE / "java"
COMPLETE_MARKER = ".complete"


class ArtifactError(RuntimeError):
    pass


def runtime_dir(cache_dir: Path, name: str, version: str) -> Path:
    return cache_dir / f"{name}-{version}"


def materialise(cache_dir: Path, name: str, version: str) -> Path:
    """Return the lib directory holding ``name``'s runtime jars, fetching them if needed."""
    lib = runtime_dir(cache_dir, name, version) / "lib"
    if (lib / COMPLETE_MARKER).exists():
        return lib
    require_tool("mvn", "Install Apache Maven (apt-get install maven) or put it on PATH.")
    log.info("fetching runtime from Maven Central", extra={"runtime": name, "version": version})
    staging = lib.with_name("lib.partial")
    shutil.rmtree(staging, ignore_errors=True)
    run_checked(
        [
            "mvn", "-q", "-B", "-f", str(POMS[name]),
            f"-D{name}.version={version}",
            "dependency:copy-dependencies", "-DincludeScope=runtime", f"-DoutputDirectory={staging}",
        ],
        what=f"resolving {name} {version} from Maven Central",
    )
    (staging / COMPLETE_MARKER).write_text(version)
    shutil.rmtree(lib, ignore_errors=True)
    staging.rename(lib)
    log.info("runtime ready", extra={"runtime": name, "jars": len(list(lib.glob("*.jar"))), "path": str(lib)})
    return lib


def compile_launcher(es_lib: Path) -> Path:
    """Compile the embedded-node launcher against the Elasticsearch jars; recompile when sources change."""
    sources = sorted(LAUNCHER_SOURCES.rglob("*.java"))
    digest = hashlib.sha256(b"".join(p.read_bytes() for p in sources)).hexdigest()[:16]
    classes = es_lib.parent / f"launcher-{digest}"
    if (classes / COMPLETE_MARKER).exists():
        return classes
    require_tool("javac", "Install a JDK 17 or newer (apt-get install openjdk-17-jdk-headless).")
    shutil.rmtree(classes, ignore_errors=True)
    run_checked(
        ["javac", "-nowarn", "-d", str(classes), "-cp", f"{es_lib}/*", *map(str, sources)],
        what="compiling the Elasticsearch launcher",
    )
    (classes / COMPLETE_MARKER).write_text(digest)
    return classes


def require_tool(tool: str, advice: str) -> None:
    if shutil.which(tool) is None:
        raise ArtifactError(f"'{tool}' was not found on PATH. {advice}")


def run_checked(command: list[str], what: str) -> None:
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        tail = "\n".join((result.stdout + result.stderr).strip().splitlines()[-25:])
        raise ArtifactError(f"{what} failed (exit {result.returncode}):\n{tail}")
