"""The command palette (ctrl+p), found in either language.

A Chinese reader may type a command's Chinese title, its pinyin or initials without an input
method (xuexiao, xx for 学校), or its English name; any of them finds it, in either language.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.command import Hit, Hits
from textual.system_commands import SystemCommandsProvider

from store import in_chinese, spelled

if TYPE_CHECKING:
    from tui.app import BaixiaoApp


class Commands(SystemCommandsProvider):
    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        app = cast("BaixiaoApp", self.app)
        for (title, help_text, callback, _discover), english in app.palette(self.screen):
            chinese = in_chinese(english)  # found by its Chinese name in an English interface too
            score = max(matcher.match(title), matcher.match(english), matcher.match(chinese))
            if not score and spelled(query, chinese):
                score = 0.5
            if score > 0:
                yield Hit(score, matcher.highlight(title), callback, help=help_text)
