"""Settings: a hand-edited file that never stops the app, and never loses what the user wrote."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

import pytest
import yaml

from tui.settings import Settings, SettingsError, config_path, load, locale_language, resolve_language, save


@pytest.fixture
def path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    return tmp_path / "config" / "baixiao" / "config.yaml"


def write(path: Path, data: str | bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)


def assert_one_line_about(notice: str | None, path: Path) -> str:
    assert notice is not None
    assert "\n" not in notice
    assert str(path) in notice
    return notice


def test_config_path_honours_xdg_config_home(path: Path) -> None:
    assert config_path() == path


@pytest.mark.parametrize("value", [None, "", "relative/config"])
def test_config_path_falls_back_to_home_config(value: str | None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    if value is None:
        monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    else:
        monkeypatch.setenv("XDG_CONFIG_HOME", value)
    assert config_path() == tmp_path / ".config" / "baixiao" / "config.yaml"


def test_a_missing_file_is_the_defaults_without_a_notice(path: Path) -> None:
    assert load() == (Settings(), None)
    assert Settings() == Settings(language=None, theme=None, exports=None, keys={})


@pytest.mark.parametrize("text", ["", "# only a comment\n", "~\n"])
def test_an_empty_file_is_the_defaults_without_a_notice(path: Path, text: str) -> None:
    write(path, text)
    assert load() == (Settings(), None)


def test_every_field_round_trips(path: Path, tmp_path: Path) -> None:
    exports = tmp_path / "导出"
    keys = {"app.schools": "S", "articles.mark": "x", "app.quit": "ctrl+q,f10"}
    saved, notice = save({"language": "zh", "theme": "gruvbox", "exports": exports, "keys": keys})
    assert notice is None
    expected = Settings(language="zh", theme="gruvbox", exports=exports, keys=keys)
    assert saved == expected
    assert load() == (expected, None)
    assert load(path) == (expected, None)


def test_an_explicit_path_is_used_instead_of_the_config_folder(path: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "other.yaml"
    save({"language": "en"}, elsewhere)
    assert not path.exists()
    assert load(elsewhere) == (Settings(language="en"), None)


def test_exports_may_start_with_a_tilde(path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    write(path, "exports: ~/报告\n")
    assert load() == (Settings(exports=tmp_path / "报告"), None)


def test_unknown_keys_are_ignored_and_kept_across_save(path: Path) -> None:
    write(path, "from_a_newer_version: {colour: teal}\nlanguage: en\nwidth: 3\n")
    assert load() == (Settings(language="en"), None)
    save({"language": "zh", "theme": "nord"})
    assert yaml.safe_load(path.read_text(encoding="utf-8")) == {
        "from_a_newer_version": {"colour": "teal"}, "language": "zh", "width": 3, "theme": "nord",
    }


def test_none_removes_a_key(path: Path) -> None:
    save({"language": "zh", "theme": "nord", "keys": {"app.schools": "S"}})
    settings, _ = save({"theme": None, "keys": None})
    assert settings == Settings(language="zh")
    assert yaml.safe_load(path.read_text(encoding="utf-8")) == {"language": "zh"}
    assert save({"exports": None})[0] == Settings(language="zh")  # removing what is absent is fine


def test_the_written_file_is_yaml_a_person_can_read(path: Path) -> None:
    save({"language": "zh", "exports": Path("/home/李/导出"), "keys": {"app.schools": "S", "articles.mark": "x"}})
    text = path.read_text(encoding="utf-8")
    assert text == "language: zh\nexports: /home/李/导出\nkeys:\n  app.schools: S\n  articles.mark: x\n"
    assert yaml.safe_load(text) == {"language": "zh", "exports": "/home/李/导出", "keys": {"app.schools": "S", "articles.mark": "x"}}


WHOLE_FILE_DAMAGE = {
    "binary garbage": (b"\x89PNG\r\n\x1a\n\x00\xff\xfe\x00", "not UTF-8"),
    "control characters": (b"language: zh\x00\n", "not valid YAML"),
    "invalid YAML": ("language: zh\nkeys: [unclosed\n", "not valid YAML"),
    "a list at top level": ("- language\n- zh\n", "not a mapping"),
    "a bare word": ("zh\n", "not a mapping"),
}


@pytest.mark.parametrize("data, reason", WHOLE_FILE_DAMAGE.values(), ids=WHOLE_FILE_DAMAGE.keys())
def test_a_damaged_file_is_the_defaults_with_a_notice_and_left_alone(path: Path, data: str | bytes, reason: str) -> None:
    write(path, data)
    before = path.read_bytes()
    settings, notice = load()
    assert settings == Settings()
    notice = assert_one_line_about(notice, path)
    assert reason in notice and "using the defaults" in notice
    assert path.read_bytes() == before


def test_the_invalid_yaml_notice_names_the_line(path: Path) -> None:
    write(path, "language: zh\ntheme: a: b\n")
    assert "(line 2: mapping values are not allowed here)" in assert_one_line_about(load()[1], path)


def test_an_unreadable_file_is_the_defaults_with_a_notice(path: Path) -> None:
    path.mkdir(parents=True)  # a folder where the file should be
    settings, notice = load()
    assert settings == Settings()
    assert "unreadable" in assert_one_line_about(notice, path)


BAD_VALUES = {
    "language fr": ("language: fr\n", "language"),
    "language a number": ("language: 1\n", "language"),
    "language yes (a YAML bool)": ("language: yes\n", "language"),
    "theme not a string": ("theme: [a, b]\n", "theme"),
    "theme empty": ("theme: ''\n", "theme"),
    "exports a number": ("exports: 3\n", "exports"),
    "exports relative": ("exports: exports/here\n", "exports"),
    "keys not a mapping": ("keys: [S, x]\n", "keys"),
    "keys a string": ("keys: S\n", "keys"),
}


@pytest.mark.parametrize("line, name", BAD_VALUES.values(), ids=BAD_VALUES.keys())
def test_a_bad_value_drops_only_that_setting(path: Path, line: str, name: str) -> None:
    good = {"language": "language: en\n", "theme": "theme: nord\n", "exports": "exports: /tmp/out\n", "keys": "keys: {app.schools: S}\n"}
    write(path, "".join(line if key == name else text for key, text in good.items()))
    settings, notice = load()
    expected = Settings(language="en", theme="nord", exports=Path("/tmp/out"), keys={"app.schools": "S"})
    assert settings == replace(expected, **{name: getattr(Settings(), name)})
    notice = assert_one_line_about(notice, path)
    assert name in notice
    assert "the other settings apply" in notice


def test_bad_entries_in_keys_drop_only_those_bindings(path: Path) -> None:
    write(path, "keys:\n  app.schools: S\n  articles.mark: 1\n  app.quit: ''\n  7: x\n")
    settings, notice = load()
    assert settings == Settings(keys={"app.schools": "S"})
    notice = assert_one_line_about(notice, path)
    assert "'articles.mark'" in notice and "'app.quit'" in notice and "7" in notice


def test_several_bad_values_make_one_line_naming_each(path: Path) -> None:
    write(path, "language: fr\ntheme: 5\nexports: /tmp/out\n")
    settings, notice = load()
    assert settings == Settings(exports=Path("/tmp/out"))
    notice = assert_one_line_about(notice, path)
    assert "language" in notice and "'fr'" in notice and "theme" in notice


def test_a_null_value_is_the_default_without_a_notice(path: Path) -> None:
    write(path, "language: ~\ntheme:\n")
    assert load() == (Settings(), None)


def test_a_byte_order_mark_is_accepted(path: Path) -> None:
    write(path, "\ufefflanguage: zh\n")
    assert load() == (Settings(language="zh"), None)


@pytest.mark.parametrize("data", [b"\x00\xff garbage", "keys: [unclosed\n", "- a list\n"])
def test_saving_over_a_damaged_file_moves_it_aside(path: Path, data: str | bytes) -> None:
    write(path, data)
    before = path.read_bytes()
    settings, notice = save({"language": "zh"})
    assert settings == Settings(language="zh")
    aside = [p for p in path.parent.iterdir() if p.name.startswith("config.yaml.damaged-")]
    assert len(aside) == 1
    assert aside[0].read_bytes() == before
    notice = assert_one_line_about(notice, path)
    assert aside[0].name in notice
    assert load() == (Settings(language="zh"), None)


def test_saving_keeps_a_bad_value_the_change_does_not_touch(path: Path) -> None:
    """The file is readable: the user's other text is merged into, not set aside."""
    write(path, "language: fr\n")
    assert save({"theme": "nord"}) == (Settings(theme="nord"), None)
    assert yaml.safe_load(path.read_text(encoding="utf-8")) == {"language": "fr", "theme": "nord"}
    assert list(path.parent.iterdir()) == [path]


@pytest.mark.parametrize(
    "changes",
    [{"language": "fr"}, {"theme": 3}, {"exports": Path("relative")}, {"keys": ["S"]}, {"keys": {"app.schools": 1}}, {"colour": "teal"}],
)
def test_saving_a_bad_change_raises_and_leaves_the_file(path: Path, changes: dict[str, object]) -> None:
    write(path, "language: en\n")
    with pytest.raises(SettingsError) as raised:
        save(changes)
    assert "\n" not in str(raised.value)
    assert path.read_text(encoding="utf-8") == "language: en\n"


def test_a_failed_write_raises_one_line(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def disk_full(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("tui.settings.atomic_write", disk_full)
    with pytest.raises(SettingsError) as raised:
        save({"language": "zh"})
    assert str(raised.value) == f"Cannot save settings to {path}: No space left on device."


def test_a_damaged_file_that_fails_to_copy_is_left_in_place(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_room(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    write(path, "- a list\n")
    monkeypatch.setattr("shutil.copy2", no_room)
    with pytest.raises(SettingsError, match=r"could not be copied aside \(No space left on device\); nothing was saved\.$"):
        save({"language": "zh"})
    assert path.read_text(encoding="utf-8") == "- a list\n"


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes to read-only folders")
def test_saving_into_a_read_only_folder_raises_one_line(path: Path) -> None:
    write(path, "language: en\n")
    path.parent.chmod(0o555)
    try:
        with pytest.raises(SettingsError) as raised:
            save({"language": "zh"})
    finally:
        path.parent.chmod(0o755)
    message = str(raised.value)
    assert "\n" not in message and str(path) in message
    assert load() == (Settings(language="en"), None)


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes to read-only folders")
def test_a_damaged_file_that_cannot_be_set_aside_is_not_replaced(path: Path) -> None:
    write(path, "- a list\n")
    path.parent.chmod(0o555)
    try:
        with pytest.raises(SettingsError, match="nothing was saved"):
            save({"language": "zh"})
    finally:
        path.parent.chmod(0o755)
    assert path.read_text(encoding="utf-8") == "- a list\n"


LOCALES = [
    ({"LANG": "zh_CN.UTF-8"}, "zh"),
    ({"LANG": "zh_TW.Big5"}, "zh"),
    ({"LANG": "zh_HK.UTF-8"}, "zh"),
    ({"LANG": "zh_SG"}, "zh"),
    ({"LANG": "zh"}, "zh"),
    ({"LANG": "C.UTF-8"}, "en"),
    ({"LANG": "en_US.UTF-8"}, "en"),
    ({"LANG": "de_DE.UTF-8"}, "en"),
    ({"LC_ALL": "en_US.UTF-8", "LANG": "zh_CN.UTF-8"}, "en"),
    ({"LC_ALL": "zh_CN.UTF-8", "LC_MESSAGES": "en_US.UTF-8"}, "zh"),
    ({"LC_MESSAGES": "zh_TW.UTF-8", "LANG": "C"}, "zh"),
    ({"LC_ALL": "", "LC_MESSAGES": "", "LANG": "zh_CN.UTF-8"}, "zh"),
    ({"LC_CTYPE": "zh_CN.UTF-8"}, "en"),  # not a messages category
    ({}, "en"),
    ({"LANGUAGE": "zh_CN:en", "LANG": "en_US.UTF-8"}, "zh"),
    ({"LANGUAGE": "en:zh_CN", "LANG": "zh_CN.UTF-8"}, "en"),
    ({"LANGUAGE": ":zh-Hans", "LANG": "en_US.UTF-8"}, "zh"),
    ({"LANGUAGE": "zh_CN", "LANG": "C"}, "en"),  # gettext ignores LANGUAGE under the C locale
    ({"LANGUAGE": "zh_CN"}, "en"),
    ({"LANGUAGE": "", "LANG": "zh_CN.UTF-8"}, "zh"),
]


@pytest.mark.parametrize("environ, language", LOCALES, ids=[repr(env) for env, _ in LOCALES])
def test_locale_language(environ: dict[str, str], language: str) -> None:
    assert locale_language(environ) == language


def test_locale_language_reads_the_process_environment_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("LC_ALL", "LC_MESSAGES", "LANGUAGE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    assert locale_language() == "zh"
    monkeypatch.setenv("LANG", "en_GB.UTF-8")
    assert locale_language() == "en"


@pytest.mark.parametrize(
    "cli, setting, lang, expected",
    [
        ("en", "zh", "zh_CN.UTF-8", "en"),
        ("zh", "en", "en_US.UTF-8", "zh"),
        (None, "en", "zh_CN.UTF-8", "en"),
        (None, "zh", "en_US.UTF-8", "zh"),
        (None, None, "zh_CN.UTF-8", "zh"),
        (None, None, "en_US.UTF-8", "en"),
    ],
)
def test_resolve_language_prefers_the_flag_then_the_setting_then_the_locale(
    cli: str | None, setting: str | None, lang: str, expected: str
) -> None:
    assert resolve_language(cli, Settings(language=setting), {"LANG": lang}) == expected
