"""The project as an installed wheel: a fresh venv, run from another folder, finds its corpus.

Dependencies come from the test venv through a .pth file, so the test needs no network; the
package itself comes only from the wheel.
"""

from __future__ import annotations

import json
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

from conftest import ROOT

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "--no-build-isolation", "-q", "-w", str(tmp)],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp.glob("baixiao-*.whl")
    env_dir = tmp / "venv"
    venv.create(env_dir, with_pip=False)
    python = env_dir / "bin" / "python"
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True, capture_output=True, text=True, encoding="utf-8",
    ).stdout.strip()
    deps = sysconfig.get_paths()["purelib"]
    Path(site, "test-deps.pth").write_text(deps + "\n", encoding="utf-8")
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--no-index", "-q", str(wheel)],
        check=True,
        capture_output=True,
    )
    return env_dir


def test_installed_package_comes_from_the_wheel_not_the_checkout(installed, tmp_path):
    proc = subprocess.run(
        [str(installed / "bin" / "python"), "-c", "import store, corpus; print(store.__file__); print(corpus.__file__)"],
        capture_output=True, text=True, encoding="utf-8", cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    for line in proc.stdout.splitlines():
        assert str(installed) in line and str(ROOT) not in line


def test_console_script_builds_the_bundled_corpus_from_another_folder(installed, tmp_path):
    db = tmp_path / "store.json"
    proc = subprocess.run(
        [str(installed / "bin" / "baixiao"), "build", "--db", str(db)],
        capture_output=True, text=True, encoding="utf-8", cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    assert "5 pages, 12 articles" in proc.stderr
    dump = subprocess.run(
        [str(installed / "bin" / "baixiao"), "dump", "--json", "--db", str(db)],
        capture_output=True, text=True, encoding="utf-8", cwd=tmp_path,
    )
    data = json.loads(dump.stdout)
    assert {p["file"] for p in data["pages"]} == {p.name for p in (ROOT / "corpus").glob("*.txt")}
    assert any(s["name"] == "金兴小学" for s in data["schools"])


def test_the_wheel_carries_the_chinese_catalogue(installed, tmp_path):
    proc = subprocess.run(
        [str(installed / "bin" / "python"), "-c",
         "from store import _, use_language, count; use_language('zh'); print(_('Schools'), count(2, 'article'))"],
        capture_output=True, text=True, encoding="utf-8", cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["学校", "2", "篇文章"]
