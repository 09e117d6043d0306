"""The user's settings: interface language, theme, export folder and form, and key bindings.

They live in `config.yaml` in the user config folder, a file people edit by hand, so reading it
never fails: a damaged file falls back to the defaults with one line saying what is wrong, and is
left for the user to fix. Each setting stands alone: a bad value drops that setting (a bad entry
in `keys` only that binding) and the others still apply. Settings this version does not know (a
newer version's) are ignored, and kept when saving.

Saving rewrites the file whole and atomically, so comments in it are not kept. A file too damaged
to merge into is first copied aside as `config.yaml.damaged-<time>`, and the notice says where:
the user's text is never lost.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from store import LANGUAGES, STYLES, _, atomic_write, config_dir


@dataclass(frozen=True)
class Settings:
    """What the file says; None (or no keys) means the built-in default."""

    language: str | None = None
    theme: str | None = None
    exports: Path | None = None
    citation: str | None = None  # the citation style, zh or en; None follows the language
    front_matter: bool = True  # Markdown exports open with YAML front matter
    # Left out of the hash (a dict has none), so settings can still be hashed and compared.
    keys: dict[str, str] = field(default_factory=dict, hash=False)


class SettingsError(Exception):
    """A change that cannot be saved; the message is one line the caller shows as it is."""


class _Damaged(Exception):
    """The file as a whole cannot be read as settings; the message completes "the file is …"."""


class _Bad(Exception):
    """One setting's value is wrong; `salvage` is what of it can still be used."""

    def __init__(self, message: str, salvage: Any = None) -> None:
        super().__init__(message)
        self.salvage = salvage


def config_path() -> Path:
    return config_dir() / "config.yaml"


def load(path: Path | None = None) -> tuple[Settings, str | None]:
    """The settings, and a one-line notice when the file is damaged (None when it is fine or
    missing). Never raises: the app must start whatever the user wrote."""
    path = path or config_path()
    try:
        mapping = _read(path)
    except _Damaged as damaged:
        return Settings(), _("Settings file {path} is {damaged}; using the defaults and leaving the file as it is.").format(
            path=path, damaged=damaged)
    settings, problems = _parse(mapping)
    if not problems:
        return settings, None
    return settings, _("Settings file {path}: {problems}. Those use their defaults; the other settings apply.").format(
        path=path, problems="; ".join(problems))


def save(changes: Mapping[str, Any], path: Path | None = None) -> tuple[Settings, str | None]:
    """Merge `changes` (known settings; None removes one) into the file and return the new
    settings, with a one-line notice when a damaged file had to be copied aside first.

    Checks every change before touching the file. Raises SettingsError for an unknown setting, a
    bad value, or a file that cannot be copied aside or written.
    """
    path = path or config_path()
    checked = {name: _checked(name, value) for name, value in changes.items()}
    mapping, notice = _current(path)
    for name, value in checked.items():
        if value is None:
            mapping.pop(name, None)
        else:
            mapping[name] = value
    text = yaml.safe_dump(mapping, allow_unicode=True, sort_keys=False)
    try:
        atomic_write(path, text.encode("utf-8"))
    except OSError as err:
        raise SettingsError(_("Cannot save settings to {path}: {reason}.").format(path=path, reason=_reason(err))) from None
    return _parse(mapping)[0], notice


def locale_language(environ: Mapping[str, str] = os.environ) -> str:
    """"zh" when the user's messages locale is Chinese, else "en".

    Follows gettext: the first of LC_ALL, LC_MESSAGES, LANG that is set (none means "C"); GNU's
    LANGUAGE list comes before them, except under the C locale, where gettext ignores it.
    """
    locale = next((environ[name] for name in ("LC_ALL", "LC_MESSAGES", "LANG") if environ.get(name)), "C")
    if locale not in ("C", "POSIX"):
        locale = next((entry for entry in environ.get("LANGUAGE", "").split(":") if entry), locale)
    return "zh" if _language_part(locale) == "zh" else "en"


def resolve_language(cli: str | None, settings: Settings, environ: Mapping[str, str] = os.environ) -> str:
    """--lang is this run's choice, the setting the user's lasting one, the locale a guess."""
    return cli or settings.language or locale_language(environ)


def citation_style(settings: Settings, language: str) -> str:
    """The setting, else the interface's language: a Chinese reader cites in Chinese."""
    return settings.citation or ("zh" if language == "zh" else "en")


def _language_part(locale: str) -> str:
    """`zh_CN.UTF-8@stroke` → `zh`; LANGUAGE entries may also be written `zh-Hans`."""
    return locale.split(".")[0].split("@")[0].replace("-", "_").split("_")[0].lower()


def _read(path: Path) -> dict[Any, Any]:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return {}
    except OSError as err:
        raise _Damaged(_("unreadable ({reason})").format(reason=_reason(err))) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _Damaged(_("not UTF-8 text")) from None
    try:
        mapping = yaml.safe_load(text)
    except yaml.YAMLError as err:
        raise _Damaged(_("not valid YAML ({problem})").format(problem=_yaml_problem(err))) from None
    if mapping is None:  # empty, or only comments
        return {}
    if not isinstance(mapping, dict):
        raise _Damaged(_("not a mapping of settings (it holds {kind})").format(kind=_kind(mapping)))
    return mapping


def _current(path: Path) -> tuple[dict[Any, Any], str | None]:
    """The file's mapping to merge into; a damaged file is copied aside so nothing is lost."""
    try:
        return _read(path), None
    except _Damaged as damaged:
        aside = path.with_name(f"{path.name}.damaged-{time.strftime('%Y%m%dT%H%M%S')}")
        try:
            shutil.copy2(path, aside)
        except OSError as err:
            raise SettingsError(
                f"Settings file {path} is {damaged} and could not be copied aside ({_reason(err)}); nothing was saved."
            ) from None
        return {}, f"Settings file {path} was {damaged}; it was moved to {aside.name} and a new one written."


def _parse(mapping: Mapping[Any, Any]) -> tuple[Settings, list[str]]:
    values: dict[str, Any] = {}
    problems: list[str] = []
    for name, parse in _PARSERS.items():
        raw = mapping.get(name)
        if raw is None:
            continue
        try:
            values[name] = parse(raw)
        except _Bad as bad:
            problems.append(str(bad))
            if bad.salvage is not None:
                values[name] = bad.salvage
    return Settings(**values), problems


def _checked(name: str, value: Any) -> Any:
    """The value as it is written to the file, once it passes the same rules as reading."""
    if name not in _PARSERS:
        raise SettingsError(f"{name!r} is not a setting (known: {', '.join(_PARSERS)}).")
    if value is None:
        return None
    plain = str(value) if isinstance(value, Path) else dict(value) if isinstance(value, Mapping) else value
    try:
        _PARSERS[name](plain)
    except _Bad as bad:
        raise SettingsError(f"Cannot save settings: {bad}.") from None
    return plain


def _language(raw: Any) -> str:
    if raw not in LANGUAGES:
        raise _Bad(_("language must be zh or en, not {value}").format(value=_show(raw)))
    return str(raw)


def _theme(raw: Any) -> str:
    """Only the shape is checked: which themes exist is known to the app, not here."""
    if not isinstance(raw, str) or not raw.strip():
        raise _Bad(_("theme must be a theme name, not {value}").format(value=_show(raw)))
    return raw


def _exports(raw: Any) -> Path:
    """A relative folder would move with the folder the app was started from, so it is refused."""
    if not isinstance(raw, str) or not raw.strip():
        raise _Bad(_("exports must be a folder, not {value}").format(value=_show(raw)))
    folder = Path(raw).expanduser()
    if not folder.is_absolute():
        raise _Bad(_("exports must be an absolute folder (or start with ~), not {value}").format(value=_show(raw)))
    return folder


def _citation(raw: Any) -> str:
    if raw not in STYLES:
        raise _Bad(_("citation must be zh or en, not {value}").format(value=_show(raw)))
    return str(raw)


def _front_matter(raw: Any) -> bool:
    if not isinstance(raw, bool):
        raise _Bad(_("front_matter must be true or false, not {value}").format(value=_show(raw)))
    return raw


def _keys(raw: Any) -> dict[str, str]:
    if not isinstance(raw, dict):
        raise _Bad(_("keys must be a mapping of binding ids to keys, not {kind}").format(kind=_kind(raw)))
    good = {k: v for k, v in raw.items() if isinstance(k, str) and k and isinstance(v, str) and v.strip()}
    bad = [k for k in raw if k not in good]
    if bad:
        raise _Bad(f"keys entries {', '.join(_show(k) for k in bad)} must be text on both sides, like articles.mark: x", salvage=good)
    return good


_PARSERS: dict[str, Callable[[Any], Any]] = {
    "language": _language, "theme": _theme, "exports": _exports, "citation": _citation, "front_matter": _front_matter,
    "keys": _keys,
}


def _show(raw: Any) -> str:
    """A value as the user wrote it, cut short so the notice stays one line."""
    text = repr(raw)
    return text if len(text) <= 40 else text[:37] + "..."


def _kind(raw: Any) -> str:
    kinds = {list: "a list", str: "text", int: "a number", float: "a number", bool: "true/false"}
    return kinds.get(type(raw), type(raw).__name__)


def _yaml_problem(err: yaml.YAMLError) -> str:
    """PyYAML's messages span several lines and name "<unicode string>"; keep the line and the gist."""
    if isinstance(err, yaml.MarkedYAMLError) and err.problem_mark is not None:
        return f"line {err.problem_mark.line + 1}: {err.problem}"
    return str(err).splitlines()[0]


def _reason(err: OSError) -> str:
    return err.strerror or str(err)
